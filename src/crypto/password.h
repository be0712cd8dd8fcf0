/* password: scrypt password hashes in a self-describing string, via OpenSSL's EVP_KDF "SCRYPT". */
#ifndef KEFU_CRYPTO_PASSWORD_H
#define KEFU_CRYPTO_PASSWORD_H

#include <stdbool.h>

/* Format (PHC-style, base64 = standard alphabet without padding):
 *
 *   $scrypt$ln=15,r=8,p=1$<b64 16-byte salt>$<b64 32-byte hash>
 *
 * N = 2^ln. The default ln=15, r=8, p=1 needs 128*r*N = 32 MiB and takes
 * about 60-100 ms on one core: a login costs that once, while an offline
 * guess costs the same. Chosen for interactive logins on a 2-core machine
 * with several worker threads (a few concurrent logins stay well under a
 * second and a few hundred MiB). The environment variable KEFU_SCRYPT_LN
 * (tests only) lowers ln for new hashes; it is read at each call and only
 * values 1..15 are honoured, so it can never raise the cost. Parameters are
 * read back from the stored string, so they can change later without
 * invalidating existing hashes.
 *
 * Passwords longer than PASSWORD_MAX_LEN bytes are refused. */
#define PASSWORD_MAX_LEN 4096

/* A new hash of pw with a fresh random salt. Malloc'd, caller frees; NULL
 * when pw is NULL or too long, or on generator/KDF/malloc failure. */
char *password_hash(const char *pw);

/* True when pw matches stored. The hash comparison is constant-time; the
 * time otherwise depends only on the stored parameters. stored == NULL (or
 * unparseable) still runs one derivation at the default cost and returns
 * false: call it for unknown logins so they take as long as known ones.
 * Parameters outside ln 1..20, r 1..32, p 1..16, 128*r*N*p <= 256 MiB are
 * refused (false) so a tampered row cannot exhaust the worker. */
bool password_verify(const char *pw, const char *stored);

/* True when stored is not a hash with exactly the current parameters (the
 * default, or KEFU_SCRYPT_LN), salt and hash lengths: the caller should
 * password_hash() the password it has just verified and store that. */
bool password_needs_rehash(const char *stored);

#endif
