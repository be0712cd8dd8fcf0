# fuzz harnesses: built with --enable-fuzzing (CC=clang); each is a libFuzzer
# target with a seed corpus in tests/fuzz/corpus/<name>/. tools/fuzz runs them briefly.
include tests/fuzz/http.mk
include tests/fuzz/view.mk
include tests/fuzz/crypto.mk
include tests/fuzz/core.mk
dist_noinst_SCRIPTS += tests/fuzz/run-long
