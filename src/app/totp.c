/* liboath does the HMAC arithmetic and the base32; this file holds our choices: SHA-1, 6 digits,
 * 30-second steps (what every authenticator app reads), one step of drift, no code used twice. */
#include "app/totp.h"

#include <oath.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/secret.h"
#include "base/buf.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	oath_init();
}

void totp_new_secret(char *out)
{
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	/* 32 base32 characters are exactly 20 random bytes (160 bits, the RFC 4226 recommendation). */
	secret_init();
	secret_random_chars(out, TOTP_SECRET_LEN, b32);
}

int totp_code(const void *key, size_t keylen, int64_t t, unsigned digits, enum totp_alg alg, char *out)
{
	static const int flags[] = {
	    [TOTP_SHA1] = 0, [TOTP_SHA256] = OATH_TOTP_HMAC_SHA256, [TOTP_SHA512] = OATH_TOTP_HMAC_SHA512};
	pthread_once(&once, init);
	return oath_totp_generate2(key, keylen, (time_t)t, TOTP_STEP, 0, digits, flags[alg], out) == OATH_OK
	           ? 0
	           : -1;
}

/* The code without spaces, if it is exactly TOTP_DIGITS digits. */
static int clean_code(const char *code, char *out)
{
	size_t k = 0;
	for (const char *p = code; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || k == TOTP_DIGITS)
			return -1;
		out[k++] = *p;
	}
	out[k] = '\0';
	return k == TOTP_DIGITS ? 0 : -1;
}

int totp_check(const char *secret_b32, const char *code, int64_t now, int64_t *last_step)
{
	char digits[TOTP_DIGITS + 1], *key = NULL;
	size_t keylen = 0;
	if (!secret_b32 || !code || clean_code(code, digits) < 0)
		return -1;
	pthread_once(&once, init);
	if (oath_base32_decode(secret_b32, strlen(secret_b32), &key, &keylen) != OATH_OK)
		return -1;
	int pos = 0;
	uint64_t step = 0;
	int rc = oath_totp_validate3(key, keylen, (time_t)now, TOTP_STEP, 0, 1, &pos, &step, digits);
	free(key);
	if (rc < 0 || (int64_t)step <= *last_step)
		return -1;
	*last_step = (int64_t)step;
	return 0;
}

static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";

void totp_recovery_code(char *out)
{
	char raw[17];
	secret_init();
	secret_random_chars(raw, 16, recovery_alphabet);
	size_t k = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = raw[i];
	}
	out[k] = '\0';
}

int totp_recovery_hash(const char *typed, int64_t user_id, char *out)
{
	char norm[17], salt[32];
	size_t k = 0;
	for (const char *p = typed; p && *p; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		if (c == ' ' || c == '-')
			continue;
		if (k == 16 || !strchr(recovery_alphabet, c))
			return -1;
		norm[k++] = c;
	}
	norm[k] = '\0';
	if (k != 16)
		return -1;
	snprintf(salt, sizeof(salt), "recovery:%lld", (long long)user_id);
	secret_hash(norm, salt, out);
	return 0;
}

/* Percent-encode everything but unreserved characters (RFC 3986). */
static void pct(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

const char *totp_uri(struct arena *a, const char *issuer, const char *account, const char *secret_b32)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "otpauth://totp/");
	pct(&b, issuer);
	buf_putc(&b, ':');
	pct(&b, account);
	buf_printf(&b, "?secret=%s&issuer=", secret_b32);
	pct(&b, issuer);
	buf_printf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP);
	const char *out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}
