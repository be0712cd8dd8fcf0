# unit tests for src/store
