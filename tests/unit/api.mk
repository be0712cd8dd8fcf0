# unit tests for src/api
