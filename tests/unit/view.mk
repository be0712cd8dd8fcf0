# unit tests for src/view
