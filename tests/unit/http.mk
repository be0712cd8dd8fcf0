# unit tests for src/http
