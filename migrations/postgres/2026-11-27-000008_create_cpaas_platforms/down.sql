DROP TABLE cpaas_platforms;
