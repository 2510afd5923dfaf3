/* Random tokens, their hashes and constant-time comparison (libsodium), for sessions, CSRF tokens and
 * recovery codes. */
#ifndef VRC_SECRET_H
#define VRC_SECRET_H
#include <stdbool.h>
#include <stddef.h>

enum {
	SECRET_TOKEN_LEN = 43, /* 32 random bytes, base64url without padding */
	SECRET_HASH_LEN = 64,  /* 32-byte BLAKE2b, hex */
};

/* Initialise libsodium once (safe to call from any thread, any number of times); -1 if it cannot. */
int secret_init(void);
/* A fresh random token into out (at least SECRET_TOKEN_LEN + 1 bytes). */
void secret_token(char *out);
/* Hex BLAKE2b of s, keyed by salt when salt is non-NULL (e.g. the user id of a recovery code), into
 * out (at least SECRET_HASH_LEN + 1 bytes). What is stored in place of a token. */
void secret_hash(const char *s, const char *salt, char *out);
/* True when a and b are equal, in time that depends only on their lengths. NULL equals nothing. */
bool secret_equal(const char *a, const char *b);
/* n random characters from alphabet (uniformly, no modulo bias) into out (n + 1 bytes). */
void secret_random_chars(char *out, size_t n, const char *alphabet);

#endif
