# unit tests for src/crypto
