/* test_crypto: codecs, tokens, scrypt passwords, legacy identity vectors and v2 JWT rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/err.h"
#include "crypto/hash.h"
#include "crypto/identity.h"
#include "crypto/jwt.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "check-main.h"

/* ---- hex and base64 ---- */

START_TEST(hex_edges)
{
	unsigned char buf[8];
	char out[17];
	ck_assert_int_eq(crypto_hex_decode("", 0, buf, sizeof buf), 0);
	ck_assert_int_eq(crypto_hex_decode("0aFf", 4, buf, sizeof buf), 2);
	ck_assert_uint_eq(buf[0], 0x0a);
	ck_assert_uint_eq(buf[1], 0xff);
	ck_assert_int_eq(crypto_hex_decode("abc", 3, buf, sizeof buf), -1); /* odd */
	ck_assert_int_eq(crypto_hex_decode("0g", 2, buf, sizeof buf), -1);  /* non-hex */
	ck_assert_int_eq(crypto_hex_decode(" 0", 2, buf, sizeof buf), -1);  /* space */
	ck_assert_int_eq(crypto_hex_decode("0x", 2, buf, sizeof buf), -1);
	ck_assert_int_eq(crypto_hex_decode("00112233445566778899", 20, buf, sizeof buf), -1);
	crypto_hex_encode("\x01\xab", 2, false, out);
	ck_assert_str_eq(out, "01ab");
	crypto_hex_encode("\x01\xab", 2, true, out);
	ck_assert_str_eq(out, "01AB");
	crypto_hex_encode("", 0, true, out);
	ck_assert_str_eq(out, "");
}
END_TEST

static void b64_round(const char *in, size_t n, int flags, const char *want)
{
	char *e = crypto_b64_encode(in, n, flags);
	ck_assert_str_eq(e, want);
	size_t len = 99;
	unsigned char *d = crypto_b64_decode(e, strlen(e), flags, &len);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(memcmp(d, in, n), 0);
	ck_assert_uint_eq(d[len], 0);
	free(d);
	free(e);
}

static int b64_rejects(const char *s, int flags)
{
	size_t len = 99;
	unsigned char *d = crypto_b64_decode(s, strlen(s), flags, &len);
	free(d);
	return d == NULL && len == 0;
}

START_TEST(base64_edges)
{
	/* RFC 4648 section 10 vectors. */
	b64_round("", 0, CRYPTO_B64_STD, "");
	b64_round("f", 1, CRYPTO_B64_STD, "Zg==");
	b64_round("fo", 2, CRYPTO_B64_STD, "Zm8=");
	b64_round("foo", 3, CRYPTO_B64_STD, "Zm9v");
	b64_round("foob", 4, CRYPTO_B64_STD, "Zm9vYg==");
	b64_round("fooba", 5, CRYPTO_B64_STD, "Zm9vYmE=");
	b64_round("foobar", 6, CRYPTO_B64_STD, "Zm9vYmFy");
	b64_round("f", 1, CRYPTO_B64_NOPAD, "Zg");
	b64_round("fo", 2, CRYPTO_B64_NOPAD, "Zm8");
	b64_round("\xfb\xff\xbf", 3, CRYPTO_B64_STD, "+/+/");
	b64_round("\xfb\xff\xbf", 3, CRYPTO_B64_URL, "-_-_");
	b64_round("\xfb\xff", 2, CRYPTO_B64_URL | CRYPTO_B64_NOPAD, "-_8");
	b64_round("\0\0", 2, CRYPTO_B64_URL, "AAA=");

	ck_assert(b64_rejects("Zg", CRYPTO_B64_STD));     /* padding missing */
	ck_assert(b64_rejects("Zg=", CRYPTO_B64_STD));    /* short padding */
	ck_assert(b64_rejects("Zg==", CRYPTO_B64_NOPAD)); /* padding present */
	ck_assert(b64_rejects("Zh==", CRYPTO_B64_STD));   /* non-zero unused bits */
	ck_assert(b64_rejects("Zm9=", CRYPTO_B64_STD));   /* non-zero unused bits */
	ck_assert(b64_rejects("Z===", CRYPTO_B64_STD));
	ck_assert(b64_rejects("====", CRYPTO_B64_STD));
	ck_assert(b64_rejects("Zg==Zg==", CRYPTO_B64_STD)); /* padding in the middle */
	ck_assert(b64_rejects("Zm9 v", CRYPTO_B64_STD));
	ck_assert(b64_rejects("Zm9v\n", CRYPTO_B64_STD));
	ck_assert(b64_rejects(" Zm9v", CRYPTO_B64_STD));
	ck_assert(b64_rejects("-_-_", CRYPTO_B64_STD)); /* url alphabet in std */
	ck_assert(b64_rejects("+/+/", CRYPTO_B64_URL)); /* std alphabet in url */
	ck_assert(b64_rejects("Z", CRYPTO_B64_NOPAD));  /* 1 char mod 4 */
	ck_assert(b64_rejects("Zm9vY", CRYPTO_B64_URL | CRYPTO_B64_NOPAD));
	ck_assert(b64_rejects("Zm9\x80", CRYPTO_B64_STD));
}
END_TEST

START_TEST(sha_and_hmac)
{
	char hex[65];
	crypto_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* RFC 4231 test case 2. */
	ck_assert_int_eq(crypto_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, hex), 0);
	ck_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	unsigned char mac[32], mac2[32];
	ck_assert_int_eq(crypto_hmac_sha256("", 0, "", 0, mac), 0);
	ck_assert_int_eq(crypto_hmac_sha256(NULL, 0, NULL, 0, mac2), 0);
	ck_assert(crypto_equal(mac, mac2, 32));
	mac2[31] ^= 1;
	ck_assert(!crypto_equal(mac, mac2, 32));
	ck_assert(crypto_equal("a", "b", 0));
}
END_TEST

START_TEST(random_tokens)
{
	char *a = crypto_token(32), *b = crypto_token(32), *c = crypto_token(1);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(strlen(a), 43);
	ck_assert_str_ne(a, b);
	ck_assert_uint_eq(strlen(c), 22); /* raised to 16 bytes */
	ck_assert_uint_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	ck_assert_ptr_null(crypto_token(4096));
	unsigned char zero[64] = {0}, buf[64] = {0};
	ck_assert_int_eq(crypto_random(buf, sizeof buf), 0);
	ck_assert(!crypto_equal(zero, buf, sizeof buf));
	free(a);
	free(b);
	free(c);
}
END_TEST

/* ---- passwords ---- */

START_TEST(password_round_trip)
{
	setenv("KEFU_SCRYPT_LN", "4", 1);
	char *h1 = password_hash("correct horse 电池");
	char *h2 = password_hash("correct horse 电池");
	ck_assert_ptr_nonnull(h1);
	ck_assert_int_eq(strncmp(h1, "$scrypt$ln=4,r=8,p=1$", 21), 0);
	ck_assert_str_ne(h1, h2); /* different salts */
	ck_assert(password_verify("correct horse 电池", h1));
	ck_assert(password_verify("correct horse 电池", h2));
	ck_assert(!password_verify("correct horse 电", h1));
	ck_assert(!password_verify("", h1));
	ck_assert(!password_verify(NULL, h1));
	ck_assert(!password_verify("x", NULL));
	ck_assert(!password_needs_rehash(h1));

	/* Tampering: flip one hash character, one salt character, the parameters. */
	char *t = strdup(h1);
	size_t n = strlen(t);
	t[n - 2] = t[n - 2] == 'A' ? 'B' : 'A';
	ck_assert(!password_verify("correct horse 电池", t));
	strcpy(t, h1);
	t[22] = t[22] == 'A' ? 'B' : 'A';
	ck_assert(!password_verify("correct horse 电池", t));
	strcpy(t, h1);
	t[11] = '5'; /* ln=4 -> ln=5 */
	ck_assert(!password_verify("correct horse 电池", t));
	free(t);

	static const char *const bad[] = {
	    "",
	    "$scrypt$",
	    "$scrypt$ln=4,r=8,p=1$",
	    "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA",
	    "$scrypt$ln=04,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
	    "$scrypt$ln=+4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
	    "$scrypt$ln=60,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", /* DoS */
	    "$scrypt$ln=20,r=32,p=16$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
	    "$scrypt$ln=4,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA$",
	    "$pbkdf2$i=1$AAAA$AAAA",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(!password_verify("x", bad[i]), "accepted %s", bad[i]);
		ck_assert(password_needs_rehash(bad[i]));
	}

	setenv("KEFU_SCRYPT_LN", "5", 1);
	ck_assert(password_needs_rehash(h1));
	ck_assert(password_verify("correct horse 电池", h1)); /* old parameters still verify */
	setenv("KEFU_SCRYPT_LN", "99", 1);                    /* cannot raise: means the default */
	ck_assert(password_needs_rehash(h1));
	setenv("KEFU_SCRYPT_LN", "4", 1);
	free(h1);
	free(h2);
}
END_TEST

START_TEST(password_default_cost)
{
	unsetenv("KEFU_SCRYPT_LN");
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	char *h = password_hash("pw");
	clock_gettime(CLOCK_MONOTONIC, &b);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(strncmp(h, "$scrypt$ln=15,r=8,p=1$", 22), 0);
	ck_assert(password_verify("pw", h));
	ck_assert(!password_needs_rehash(h));
	fprintf(stderr, "scrypt ln=15 r=8 p=1: %.0f ms\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
	free(h);
	setenv("KEFU_SCRYPT_LN", "4", 1);
}
END_TEST

/* ---- legacy identity ---- */

struct vector {
	char key[128], plaintext[1024], upper[4096], lower[4096];
};

static void load_vector(const char *name, struct vector *v)
{
	char path[1024], line[8192];
	snprintf(path, sizeof path, "%s/tests/vectors/identity/%s", check_srcdir(), name);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	memset(v, 0, sizeof *v);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *sp = strchr(line, ' ');
		if (line[0] == '#' || !sp)
			continue;
		*sp++ = '\0';
		if (!strcmp(line, "key_b64"))
			snprintf(v->key, sizeof v->key, "%s", sp);
		else if (!strcmp(line, "plaintext"))
			snprintf(v->plaintext, sizeof v->plaintext, "%s", sp);
		else if (!strcmp(line, "hex_upper"))
			snprintf(v->upper, sizeof v->upper, "%s", sp);
		else if (!strcmp(line, "hex_lower"))
			snprintf(v->lower, sizeof v->lower, "%s", sp);
	}
	fclose(f);
	ck_assert(v->key[0] && v->plaintext[0] && v->upper[0] && v->lower[0]);
}

static const char *const vector_files[] = {
    "openssl-aes128.txt", "openssl-aes192.txt", "openssl-aes256.txt", "openssl-aes128-fullblock.txt", "java-aes128.txt",
};

static void assert_same_json(json_object *o, const char *text)
{
	json_object *want = json_tokener_parse(text);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(json_object_equal(o, want), "got %s want %s", json_object_to_json_string(o), text);
	json_object_put(want);
}

START_TEST(identity_known_answers)
{
	struct vector v;
	load_vector(vector_files[_i], &v);
	json_object *o = NULL;
	ck_assert_int_eq(identity_decrypt_legacy(v.key, v.upper, &o), KEFU_OK);
	assert_same_json(o, v.plaintext);
	json_object_put(o);
	ck_assert_int_eq(identity_decrypt_legacy(v.key, v.lower, &o), KEFU_OK);
	assert_same_json(o, v.plaintext);
	json_object_put(o);
	char *hex = identity_encrypt_legacy(v.key, v.plaintext);
	ck_assert_str_eq(hex, v.upper);
	free(hex);
	ck_assert(identity_key_valid(v.key));
}
END_TEST

START_TEST(identity_chinese_fields)
{
	struct vector v;
	load_vector("openssl-aes128.txt", &v);
	json_object *o = NULL, *f;
	ck_assert_int_eq(identity_decrypt_legacy(v.key, v.upper, &o), KEFU_OK);
	ck_assert(json_object_object_get_ex(o, "full_name", &f));
	ck_assert_str_eq(json_object_get_string(f), "张三");
	ck_assert(json_object_object_get_ex(o, "phone", &f));
	ck_assert_str_eq(json_object_get_string(f), "15912345678");
	json_object_put(o);
}
END_TEST

#define assert_invalid(key, hex) assert_invalid_at(key, hex, __LINE__)
static void assert_invalid_at(const char *key, const char *hex, int line)
{
	json_object *o = (json_object *)&o; /* must be overwritten with NULL */
	kefu_err e = identity_decrypt_legacy(key, hex, &o);
	ck_assert_msg(e == KEFU_E_IDENTITY_INVALID, "line %d: accepted", line);
	ck_assert_ptr_null(o);
}

/* Encrypts raw bytes with the test key so that only the plaintext is wrong. */
static void assert_plaintext_invalid(const char *key, const char *plaintext)
{
	char *hex = identity_encrypt_legacy(key, plaintext);
	ck_assert_ptr_nonnull(hex);
	json_object *o = (json_object *)&o;
	kefu_err e = identity_decrypt_legacy(key, hex, &o);
	ck_assert_msg(e == KEFU_E_IDENTITY_INVALID, "accepted plaintext %s", plaintext);
	ck_assert_ptr_null(o);
	free(hex);
}

START_TEST(identity_malformed)
{
	struct vector v;
	load_vector("openssl-aes128.txt", &v);
	char buf[40000];

	assert_invalid(v.key, "");
	assert_invalid(v.key, NULL);
	assert_invalid(NULL, v.upper);
	assert_invalid("", v.upper);
	assert_invalid("not base64!", v.upper);
	assert_invalid("AAAA", v.upper);                                         /* 3-byte key */
	assert_invalid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", v.upper); /* 31 bytes */

	snprintf(buf, sizeof buf, "%s", v.upper);
	buf[5] = 'G'; /* bad hex char */
	assert_invalid(v.key, buf);
	snprintf(buf, sizeof buf, " %s", v.upper); /* leading space */
	assert_invalid(v.key, buf);
	snprintf(buf, sizeof buf, "%s", v.upper);
	buf[strlen(buf) - 1] = '\0'; /* odd length */
	assert_invalid(v.key, buf);
	buf[strlen(buf) - 1] = '\0'; /* 47 bytes: not blocks */
	assert_invalid(v.key, buf);
	snprintf(buf, sizeof buf, "%.64s", v.upper); /* last block dropped */
	assert_invalid(v.key, buf);
	snprintf(buf, sizeof buf, "%s00", v.upper); /* one byte extra */
	assert_invalid(v.key, buf);
	snprintf(buf, sizeof buf, "%s", v.upper);
	buf[strlen(buf) - 1] ^= 1; /* last block tampered */
	assert_invalid(v.key, buf);
	snprintf(buf, sizeof buf, "%s", v.upper);
	buf[0] = buf[0] == '0' ? '1' : '0'; /* first block tampered */
	assert_invalid(v.key, buf);

	/* Wrong key of each size. */
	assert_invalid("AAAAAAAAAAAAAAAAAAAAAA==", v.upper);
	assert_invalid("88uFQ4WCbVi5zXSx/u2dqmLVHZdtkbet", v.upper);
	assert_invalid("leoF1RjWe13gzj9tTrbSRGGTkcKmdVKV+5fNS4BGAK8=", v.upper);

	/* Valid padding, wrong content. */
	assert_plaintext_invalid(v.key, "{\"full_name\":\"\xff\xfe\",\"phone\":\"1\"}");
	assert_plaintext_invalid(v.key, "{\"full_name\":\"\xc0\xaf\"}"); /* overlong */
	assert_plaintext_invalid(v.key, "");
	assert_plaintext_invalid(v.key, "full_name=张三");
	assert_plaintext_invalid(v.key, "[\"张三\",\"15912345678\"]");
	assert_plaintext_invalid(v.key, "\"张三\"");
	assert_plaintext_invalid(v.key, "42");
	assert_plaintext_invalid(v.key, "null");
	assert_plaintext_invalid(v.key, "{\"a\":1} {\"b\":2}");
	assert_plaintext_invalid(v.key, "{\"a\":1}x");
	assert_plaintext_invalid(v.key, "{\"a\":1,}");
	assert_plaintext_invalid(v.key, "{'a':1}");
	assert_plaintext_invalid(v.key, "{\"a\":");
	assert_plaintext_invalid(
	    v.key, "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}");

	/* Oversize: 8 KiB + 16 of ciphertext, and an absurd string. */
	memset(buf, 'A', 2 * (IDENTITY_MAX_CIPHERTEXT + 16));
	buf[2 * (IDENTITY_MAX_CIPHERTEXT + 16)] = '\0';
	assert_invalid(v.key, buf);
	memset(buf, '0', sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	assert_invalid(v.key, buf);

	/* Trailing whitespace after the object is harmless JSON, so it is accepted. */
	char *hex = identity_encrypt_legacy(v.key, "{\"a\":1}\n");
	json_object *o = NULL;
	ck_assert_int_eq(identity_decrypt_legacy(v.key, hex, &o), KEFU_OK);
	json_object_put(o);
	free(hex);
}
END_TEST

START_TEST(identity_largest)
{
	/* Largest accepted: 8191 bytes of plaintext pad to exactly 8 KiB. */
	const char *key = "hYEMN+Ni/qwgn62GkrkE3A==";
	size_t n = IDENTITY_MAX_CIPHERTEXT - 1;
	char *pt = malloc(n + 1);
	memset(pt, 'x', n);
	memcpy(pt, "{\"a\":\"", 6);
	memcpy(pt + n - 2, "\"}", 2);
	pt[n] = '\0';
	char *hex = identity_encrypt_legacy(key, pt);
	ck_assert_ptr_nonnull(hex);
	ck_assert_uint_eq(strlen(hex), 2 * IDENTITY_MAX_CIPHERTEXT);
	json_object *o = NULL;
	ck_assert_int_eq(identity_decrypt_legacy(key, hex, &o), KEFU_OK);
	json_object_put(o);
	free(hex);
	pt = realloc(pt, n + 2);
	memcpy(pt + n - 2, "x\"}", 4);
	ck_assert_ptr_null(identity_encrypt_legacy(key, pt)); /* 8192 bytes: 8 KiB + 16 */
	free(pt);
}
END_TEST

START_TEST(identity_keys)
{
	int sizes[] = {128, 192, 256};
	for (int i = 0; i < 3; i++) {
		char *k = identity_key_generate(sizes[i]);
		ck_assert_ptr_nonnull(k);
		ck_assert_uint_eq(strlen(k), (size_t)(4 * ((sizes[i] / 8 + 2) / 3)));
		ck_assert(identity_key_valid(k));
		char *hex = identity_encrypt_legacy(k, "{\"full_name\":\"张三\"}");
		json_object *o = NULL;
		ck_assert_int_eq(identity_decrypt_legacy(k, hex, &o), KEFU_OK);
		assert_same_json(o, "{\"full_name\":\"张三\"}");
		json_object_put(o);
		free(hex);
		free(k);
	}
	ck_assert_ptr_null(identity_key_generate(64));
	ck_assert_ptr_null(identity_key_generate(512));
	ck_assert(!identity_key_valid(NULL));
	ck_assert(!identity_key_valid("AAAA"));
	ck_assert(!identity_key_valid("hYEMN+Ni/qwgn62GkrkE3A")); /* padding required */
	ck_assert(!identity_key_valid("hYEMN-Ni_qwgn62GkrkE3A=="));
	ck_assert_ptr_null(identity_encrypt_legacy("AAAA", "{}"));
}
END_TEST

/* ---- v2 JWT ---- */

static const char jkey[] = "hYEMN+Ni/qwgn62GkrkE3A==";
static const time_t jnow = 1790000000;

/* header.payload.HS256 over raw JSON texts, so that tests can sign hostile headers. */
static char *raw_token(const char *key_b64, const char *header, const char *payload)
{
	unsigned char k[32], mac[32];
	ck_assert_int_eq(jwt_derive_key(key_b64, k), 0);
	char *h = crypto_b64_encode(header, strlen(header), CRYPTO_B64_URL | CRYPTO_B64_NOPAD);
	char *p = crypto_b64_encode(payload, strlen(payload), CRYPTO_B64_URL | CRYPTO_B64_NOPAD);
	size_t cap = strlen(h) + strlen(p) + 64;
	char *t = malloc(cap);
	int n = snprintf(t, cap, "%s.%s", h, p);
	ck_assert_int_eq(crypto_hmac_sha256(k, 32, t, (size_t)n, mac), 0);
	char *s = crypto_b64_encode(mac, 32, CRYPTO_B64_URL | CRYPTO_B64_NOPAD);
	snprintf(t + n, cap - (size_t)n, ".%s", s);
	free(h);
	free(p);
	free(s);
	return t;
}

static char *claims_text(const char *aud, long long exp, const char *extra)
{
	static char buf[16384];
	snprintf(buf, sizeof buf,
	         "{\"aud\":\"%s\",\"exp\":%lld,\"jti\":\"j-1\",\"full_name\":\"张三\",\"phone\":\"15912345678\"%s}",
	         aud, exp, extra);
	return buf;
}

static const char good_header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k2\"}";

static kefu_err verify(const char *token)
{
	json_object *c = (json_object *)&c;
	char *kid = (char *)&kid, *jti = (char *)&jti;
	kefu_err e = jwt_verify_identity(token, jkey, "ch_abc", jnow, &c, &kid, &jti);
	if (e != KEFU_OK) {
		ck_assert_ptr_null(c);
		ck_assert_ptr_null(kid);
		ck_assert_ptr_null(jti);
	}
	json_object_put(c);
	free(kid);
	free(jti);
	return e;
}

static kefu_err verify_raw(const char *header, const char *payload)
{
	char *t = raw_token(jkey, header, payload);
	kefu_err e = verify(t);
	free(t);
	return e;
}

START_TEST(jwt_valid)
{
	json_object *cl =
	    json_tokener_parse(claims_text("ch_abc", (long long)jnow + 300, ",\"roles\":[\"vip\"],\"iat\":1790000000"));
	char *tok = jwt_sign_identity(jkey, "k2", cl);
	json_object_put(cl);
	ck_assert_ptr_nonnull(tok);
	json_object *c = NULL;
	char *kid = NULL, *jti = NULL;
	ck_assert_int_eq(jwt_verify_identity(tok, jkey, "ch_abc", jnow, &c, &kid, &jti), KEFU_OK);
	ck_assert_str_eq(kid, "k2");
	ck_assert_str_eq(jti, "j-1");
	assert_same_json(c, "{\"full_name\":\"张三\",\"phone\":\"15912345678\",\"roles\":[\"vip\"]}");
	json_object_put(c);
	free(kid);
	free(jti);

	/* Wrong key, wrong audience. */
	c = NULL;
	ck_assert_int_eq(jwt_verify_identity(tok, "88uFQ4WCbVi5zXSx/u2dqmLVHZdtkbet", "ch_abc", jnow, &c, &kid, &jti),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(jwt_verify_identity(tok, jkey, "ch_abd", jnow, &c, &kid, &jti), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(jwt_verify_identity(tok, jkey, "ch_ab", jnow, &c, &kid, &jti), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(jwt_verify_identity(tok, jkey, "", jnow, &c, &kid, &jti), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(jwt_verify_identity(tok, "AAAA", "ch_abc", jnow, &c, &kid, &jti), KEFU_E_IDENTITY_INVALID);

	/* Tampered payload: swap in another payload under the original signature. */
	char *other =
	    raw_token(jkey, good_header, claims_text("ch_abc", (long long)jnow + 300, ",\"roles\":[\"admin\"]"));
	char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
	char *o1 = strchr(other, '.'), *o2 = strrchr(other, '.');
	char forged[4096];
	snprintf(forged, sizeof forged, "%.*s%.*s%s", (int)(d1 - tok), tok, (int)(o2 - o1), o1, d2);
	ck_assert_int_eq(verify(forged), KEFU_E_IDENTITY_INVALID);
	/* Flipped signature bit; signature stripped; extra segment. */
	snprintf(forged, sizeof forged, "%s", tok);
	forged[strlen(forged) - 2] = forged[strlen(forged) - 2] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(verify(forged), KEFU_E_IDENTITY_INVALID);
	snprintf(forged, sizeof forged, "%.*s.", (int)(d2 - tok), tok);
	ck_assert_int_eq(verify(forged), KEFU_E_IDENTITY_INVALID);
	snprintf(forged, sizeof forged, "%s.", tok);
	ck_assert_int_eq(verify(forged), KEFU_E_IDENTITY_INVALID);
	snprintf(forged, sizeof forged, "%s=", tok);
	ck_assert_int_eq(verify(forged), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify(tok), KEFU_OK);
	free(other);
	free(tok);
}
END_TEST

START_TEST(jwt_header_rules)
{
	const char *ok = claims_text("ch_abc", (long long)jnow + 60, "");
	ck_assert_int_eq(verify_raw(good_header, ok), KEFU_OK);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\",\"kid\":\"k2\"}", ok), KEFU_OK);
	ck_assert_int_eq(verify_raw("{\"alg\":\"none\",\"kid\":\"k2\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS512\",\"kid\":\"k2\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"RS256\",\"kid\":\"k2\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"hs256\",\"kid\":\"k2\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\\u0000\",\"kid\":\"k2\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"kid\":\"k2\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\"}", ok), KEFU_E_IDENTITY_INVALID); /* no kid */
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\",\"kid\":\"\"}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\",\"kid\":7}", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\",\"kid\":\"k2\",\"typ\":\"JOSE\"}", ok),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("{\"alg\":\"HS256\",\"kid\":\"k2\",\"crit\":[\"exp\"]}", ok),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("[\"HS256\"]", ok), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw("not json", ok), KEFU_E_IDENTITY_INVALID);

	/* alg none with an empty signature, the classic downgrade. */
	char *h = crypto_b64_encode("{\"alg\":\"none\",\"kid\":\"k2\"}", 25, CRYPTO_B64_URL | CRYPTO_B64_NOPAD);
	char *p = crypto_b64_encode(ok, strlen(ok), CRYPTO_B64_URL | CRYPTO_B64_NOPAD);
	char t[4096];
	snprintf(t, sizeof t, "%s.%s.", h, p);
	ck_assert_int_eq(verify(t), KEFU_E_IDENTITY_INVALID);
	snprintf(t, sizeof t, "%s.%s", h, p);
	ck_assert_int_eq(verify(t), KEFU_E_IDENTITY_INVALID);
	free(h);
	free(p);
}
END_TEST

START_TEST(jwt_claim_rules)
{
	long long now = (long long)jnow;
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now - 10, "")), KEFU_OK); /* skew */
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now - 30, "")), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now - 3600, "")), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 630, "")), KEFU_OK);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 631, "")), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 86400, "")), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abd", now + 60, "")), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 60, ",\"iat\":1790000100")),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 60, ",\"iat\":\"now\"")),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 60, ",\"nbf\":1790000100")),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 60, ",\"nbf\":1789999999.5")), KEFU_OK);
	ck_assert_int_eq(verify_raw(good_header, claims_text("ch_abc", now + 60, ",\"jti\":\"\"")),
	                 KEFU_E_IDENTITY_INVALID);
	const char *h = good_header;
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":1790000060}"),
	                 KEFU_E_IDENTITY_INVALID);                                                      /* no jti */
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"jti\":\"x\"}"), KEFU_E_IDENTITY_INVALID); /* no exp */
	ck_assert_int_eq(verify_raw(h, "{\"exp\":1790000060,\"jti\":\"x\"}"), KEFU_E_IDENTITY_INVALID); /* no aud */
	ck_assert_int_eq(verify_raw(h, "{\"aud\":[\"ch_abc\"],\"exp\":1790000060,\"jti\":\"x\"}"),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":\"1790000060\",\"jti\":\"x\"}"),
	                 KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":true,\"jti\":\"x\"}"), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":1e400,\"jti\":\"x\"}"), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":1790000060,\"jti\":5}"), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":1790000060,\"jti\":\"x\"}"), KEFU_OK);
	ck_assert_int_eq(verify_raw(h, "[1]"), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify_raw(h, "{\"aud\":\"ch_abc\",\"exp\":1790000060,\"jti\":\"\xff\"}"),
	                 KEFU_E_IDENTITY_INVALID);
}
END_TEST

START_TEST(jwt_garbage)
{
	static const char *const bad[] = {
	    "",
	    ".",
	    "..",
	    "...",
	    "a.b.c",
	    "a..c",
	    ".b.c",
	    "a.b.",
	    "eyJhbGciOiJIUzI1NiJ9.e30.!!!!",
	    "eyJhbGciOiJIUzI1NiJ9.e30",
	    "eyJhbGciOiJIUzI1NiJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "eyJhbGciOiJIUzI1NiJ9 .e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_int_eq(verify(bad[i]), KEFU_E_IDENTITY_INVALID);
	ck_assert_int_eq(verify(NULL), KEFU_E_IDENTITY_INVALID);

	/* Oversize: a validly signed token just over the cap. */
	char extra[JWT_MAX_TOKEN];
	memset(extra, 'x', sizeof extra);
	memcpy(extra, ",\"pad\":\"", 8);
	extra[6200] = '"';
	extra[6201] = '\0';
	char *t = raw_token(jkey, good_header, claims_text("ch_abc", (long long)jnow + 60, extra));
	ck_assert_uint_gt(strlen(t), JWT_MAX_TOKEN);
	ck_assert_int_eq(verify(t), KEFU_E_IDENTITY_INVALID);
	free(t);
	extra[5000] = '"';
	extra[5001] = '\0';
	t = raw_token(jkey, good_header, claims_text("ch_abc", (long long)jnow + 60, extra));
	ck_assert_uint_le(strlen(t), JWT_MAX_TOKEN);
	ck_assert_int_eq(verify(t), KEFU_OK);
	free(t);

	json_object *cl = json_tokener_parse("{}");
	ck_assert_ptr_null(jwt_sign_identity(jkey, "", cl));
	ck_assert_ptr_null(jwt_sign_identity("AAAA", "k", cl));
	ck_assert_ptr_null(jwt_sign_identity(jkey, "k", NULL));
	json_object_put(cl);
}
END_TEST

/* A token made by the Node.js sample in docs/identity.md. */
START_TEST(jwt_node_vector)
{
	char path[1024], line[8192], key[8192] = "", tok[8192] = "", ident[8192] = "";
	long long now = 0;
	snprintf(path, sizeof path, "%s/tests/vectors/identity/node-jwt.txt", check_srcdir());
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "key_b64 ", 8))
			snprintf(key, sizeof key, "%s", line + 8);
		else if (!strncmp(line, "token ", 6))
			snprintf(tok, sizeof tok, "%s", line + 6);
		else if (!strncmp(line, "identity ", 9))
			snprintf(ident, sizeof ident, "%s", line + 9);
		else if (!strncmp(line, "now ", 4))
			now = atoll(line + 4);
	}
	fclose(f);
	json_object *c = NULL;
	char *kid = NULL, *jti = NULL;
	ck_assert_int_eq(jwt_verify_identity(tok, key, "ch_abc", (time_t)now, &c, &kid, &jti), KEFU_OK);
	ck_assert_str_eq(kid, "k2");
	ck_assert_uint_eq(strlen(jti), 36);
	assert_same_json(c, ident);
	json_object_put(c);
	free(kid);
	free(jti);
	/* 331 s later the 300 s token has expired, 30 s of skew included. */
	ck_assert_int_eq(jwt_verify_identity(tok, key, "ch_abc", (time_t)now + 331, &c, &kid, &jti),
	                 KEFU_E_IDENTITY_INVALID);
}
END_TEST

/* The derivation, pinned so docs and other languages can check against it. */
START_TEST(jwt_derivation)
{
	unsigned char k[32];
	char hex[65];
	ck_assert_int_eq(jwt_derive_key(jkey, k), 0);
	crypto_hex_encode(k, 32, false, hex);
	/* printf %s kefu-identity-v2 | openssl dgst -sha256 -mac HMAC -macopt hexkey:85810c37e362feac209fad8692b904dc
	 */
	ck_assert_str_eq(hex, "3d673fd5ed565c382842719e12c0dbddcf237bbe10a7e798afa3305c3cd2ba35");
	ck_assert_int_eq(jwt_derive_key("AAAA", k), -1);
	ck_assert_int_eq(jwt_derive_key(NULL, k), -1);
}
END_TEST

int main(void)
{
	setenv("KEFU_SCRYPT_LN", "4", 1);
	Suite *s = suite_create("crypto");
	TCase *tc = check_case(s, "crypto",
	                       CHECK_TESTS(hex_edges, base64_edges, sha_and_hmac, random_tokens, password_round_trip,
	                                   password_default_cost, identity_chinese_fields, identity_malformed,
	                                   identity_largest, identity_keys, jwt_valid, jwt_header_rules,
	                                   jwt_claim_rules, jwt_garbage, jwt_derivation, jwt_node_vector));
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, identity_known_answers, 0, (int)(sizeof vector_files / sizeof vector_files[0]));
	return check_run(s);
}
