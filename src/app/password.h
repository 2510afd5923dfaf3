/* Staff passwords: the rules (12-128 characters, no composition rules, not a common password) and
 * Argon2id hashing (libsodium's crypto_pwhash_str). */
#ifndef VRC_PASSWORD_H
#define VRC_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

enum {
	PASSWORD_MIN = 12,       /* characters (code points), not bytes */
	PASSWORD_MAX = 128,      /* characters */
	PASSWORD_HASH_MAX = 128, /* bytes for a hash string, NUL included (crypto_pwhash_STRBYTES) */
	PASSWORD_GENERATED = 23, /* length of a generated password: four groups of five and hyphens */
};

/* Initialise libsodium and make the dummy hash that unknown accounts are checked against. 0 or -1. */
int password_init(void);
/* Hash pw into out (PASSWORD_HASH_MAX bytes). 0, or -1 when memory for Argon2id is short. */
int password_hash(const char *pw, char *out);
/* True when pw matches hash. A NULL hash (no such account) is checked against the dummy hash, so
 * the time taken does not tell whether the account exists; it never matches. */
bool password_verify(const char *hash, const char *pw);
/* True when hash was made with older or weaker parameters than password_hash uses now. */
bool password_needs_rehash(const char *hash);
/* Why pw is not acceptable as a new password for the account email (email may be NULL): a catalogue
 * key ("pw_short", "pw_long", "pw_common", "pw_email"), or NULL when it is fine. pw must be UTF-8. */
const char *password_problem(const char *pw, const char *email);
/* A random password easy to read out and type: "abcde-fghij-..." (PASSWORD_GENERATED characters,
 * about 100 bits) into out (PASSWORD_GENERATED + 1 bytes). */
void password_generate(char *out);

#endif
