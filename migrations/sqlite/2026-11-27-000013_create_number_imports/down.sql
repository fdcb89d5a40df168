DROP TABLE number_imports;
