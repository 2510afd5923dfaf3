/* Time-based one-time passwords (RFC 6238) through liboath, and the otpauth:// URI that
 * authenticator apps read from a QR code. */
#ifndef VRC_TOTP_H
#define VRC_TOTP_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

enum {
	TOTP_RECOVERY_LEN = 19, /* "abcd-efgh-jkmn-pqrs" */
	TOTP_SECRET_LEN = 32,   /* base32 characters of a 20-byte secret */
	TOTP_STEP = 30,         /* seconds per code */
	TOTP_DIGITS = 6,
};

enum totp_alg { TOTP_SHA1, TOTP_SHA256, TOTP_SHA512 };

/* A fresh random secret, base32 without padding, into out (TOTP_SECRET_LEN + 1 bytes). */
void totp_new_secret(char *out);
/* The code for key (raw bytes) at Unix time t, into out (digits + 1 bytes). 0 or -1. */
int totp_code(const void *key, size_t keylen, int64_t t, unsigned digits, enum totp_alg alg, char *out);
/* Check a 6-digit SHA-1 code against a base32 secret at time now, allowing one step of clock drift
 * either way. A code of a step at or before *last_step is refused (no replay); on success *last_step
 * becomes the step used. 0 or -1. Spaces in code are ignored. */
int totp_check(const char *secret_b32, const char *code, int64_t now, int64_t *last_step);
/* A new recovery code "abcd-efgh-jkmn-pqrs" (16 random characters, 80 bits) into out (20 bytes). */
void totp_recovery_code(char *out);
/* The stored hash of a recovery code as typed (case, spaces and hyphens ignored), keyed by the
 * account, into out (SECRET_HASH_LEN + 1 bytes). -1 when typed is not shaped like a recovery code. */
int totp_recovery_hash(const char *typed, int64_t user_id, char *out);
/* "otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=..." with the parts percent-encoded, in a. */
const char *totp_uri(struct arena *a, const char *issuer, const char *account, const char *secret_b32);

#endif
