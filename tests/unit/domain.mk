# unit tests for src/domain
