DROP TABLE media_streams;
DROP TABLE queues;
