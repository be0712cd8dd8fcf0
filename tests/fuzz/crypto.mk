# fuzz harnesses for src/crypto
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_identity tests/fuzz/fuzz_jwt
# libkefu.a is built without coverage instrumentation, so the harnesses
# compile the code under test themselves: libFuzzer then sees its branches.
FUZZ_CRYPTO_SOURCES = src/crypto/hash.c src/crypto/random.c src/crypto/json-strict.c \
	src/core/utf8.c src/core/text.c
tests_fuzz_fuzz_identity_SOURCES = tests/fuzz/fuzz_identity.c src/crypto/identity.c \
	$(FUZZ_CRYPTO_SOURCES)
tests_fuzz_fuzz_identity_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_identity_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_identity_LDADD = $(JSONC_LIBS) $(OPENSSL_LIBS)
tests_fuzz_fuzz_jwt_SOURCES = tests/fuzz/fuzz_jwt.c src/crypto/jwt.c $(FUZZ_CRYPTO_SOURCES)
tests_fuzz_fuzz_jwt_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_jwt_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_jwt_LDADD = $(JSONC_LIBS) $(OPENSSL_LIBS) -lm
endif
# Known-answer vectors, the seed corpora and the site developers' guide
# ship in the tarball whatever the configuration.
EXTRA_DIST += \
	docs/identity.md \
	tests/vectors/identity/Encrypt.java \
	tests/vectors/identity/java-aes128.txt \
	tests/vectors/identity/openssl-aes128.txt \
	tests/vectors/identity/openssl-aes128-fullblock.txt \
	tests/vectors/identity/openssl-aes192.txt \
	tests/vectors/identity/openssl-aes256.txt \
	tests/vectors/identity/node-jwt.txt \
	tests/fuzz/corpus/identity tests/fuzz/corpus/jwt
