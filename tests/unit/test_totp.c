/* Unit tests for src/app/totp.c: the RFC 6238 appendix B test vectors (SHA-1, SHA-256, SHA-512,
 * 8 digits), checking codes with one step of drift and no replay, recovery codes, the otpauth URI, and
 * the QR code SVG (src/view/qr.c) it is shown as. */
#include "app/totp.h"

#include <oath.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/secret.h"
#include "base/buf.h"
#include "test.h"
#include "view/qr.h"

static const struct {
	int64_t t;
	const char *sha1, *sha256, *sha512;
} vectors[] = {
    {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"},
};

static void test_rfc6238(void)
{
	/* The RFC's seeds: "12345678901234567890" repeated to the hash's block of key bytes. */
	static const char seed20[] = "12345678901234567890";
	static const char seed32[] = "12345678901234567890123456789012";
	static const char seed64[] = "1234567890123456789012345678901234567890123456789012345678901234";
	char out[9];
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		CHECK(totp_code(seed20, 20, vectors[i].t, 8, TOTP_SHA1, out) == 0);
		CHECK_STR(out, vectors[i].sha1);
		CHECK(totp_code(seed32, 32, vectors[i].t, 8, TOTP_SHA256, out) == 0);
		CHECK_STR(out, vectors[i].sha256);
		CHECK(totp_code(seed64, 64, vectors[i].t, 8, TOTP_SHA512, out) == 0);
		CHECK_STR(out, vectors[i].sha512);
	}
}

/* The 6-digit code for a base32 secret at t, as an authenticator app shows it. */
static void code_at(const char *b32, int64_t t, char *out)
{
	char *key;
	size_t len;
	oath_base32_decode(b32, strlen(b32), &key, &len);
	totp_code(key, len, t, 6, TOTP_SHA1, out);
	free(key);
}

static void test_check_code(void)
{
	char secret[TOTP_SECRET_LEN + 1], other[TOTP_SECRET_LEN + 1], code[7], spaced[16];
	totp_new_secret(secret);
	totp_new_secret(other);
	CHECK(strlen(secret) == TOTP_SECRET_LEN);
	CHECK(strspn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == TOTP_SECRET_LEN);
	CHECK(strcmp(secret, other) != 0);
	int64_t now = 1800000000, last = 0;
	code_at(secret, now, code);
	CHECK(totp_check(secret, code, now, &last) == 0);
	CHECK(last == now / 30);
	/* The same code again, even a second later: refused (no replay). */
	CHECK(totp_check(secret, code, now + 1, &last) == -1);
	/* The next step's code is fine; one step of drift either way is allowed, two are not. */
	code_at(secret, now + 30, code);
	CHECK(totp_check(secret, code, now, &last) == 0);
	CHECK(last == now / 30 + 1);
	last = 0;
	code_at(secret, now - 30, code);
	CHECK(totp_check(secret, code, now, &last) == 0);
	last = 0;
	code_at(secret, now - 90, code);
	CHECK(totp_check(secret, code, now, &last) == -1);
	code_at(secret, now + 90, code);
	CHECK(totp_check(secret, code, now, &last) == -1);
	/* Another secret's code, malformed codes. */
	last = 0;
	code_at(other, now, code);
	CHECK(totp_check(secret, code, now, &last) == -1);
	code_at(secret, now, code);
	snprintf(spaced, sizeof(spaced), "%.3s %.3s", code, code + 3);
	CHECK(totp_check(secret, spaced, now, &last) == 0);
	last = 0;
	CHECK(totp_check(secret, "12345", now, &last) == -1);
	CHECK(totp_check(secret, "1234567", now, &last) == -1);
	CHECK(totp_check(secret, "12a456", now, &last) == -1);
	CHECK(totp_check(secret, "", now, &last) == -1);
	CHECK(totp_check(secret, NULL, now, &last) == -1);
	CHECK(totp_check(NULL, code, now, &last) == -1);
	CHECK(totp_check("not base32!", code, now, &last) == -1);
}

static void test_recovery(void)
{
	char code[TOTP_RECOVERY_LEN + 1], other[TOTP_RECOVERY_LEN + 1];
	char h1[SECRET_HASH_LEN + 1], h2[SECRET_HASH_LEN + 1];
	totp_recovery_code(code);
	totp_recovery_code(other);
	CHECK(strlen(code) == TOTP_RECOVERY_LEN);
	CHECK(code[4] == '-' && code[9] == '-' && code[14] == '-');
	CHECK(strcmp(code, other) != 0);
	CHECK(totp_recovery_hash(code, 7, h1) == 0);
	/* Typed in capitals, without hyphens, with spaces: the same code. */
	char typed[40];
	size_t k = 0;
	for (const char *p = code; *p; p++)
		if (*p != '-')
			typed[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	typed[k] = '\0';
	CHECK(totp_recovery_hash(typed, 7, h2) == 0);
	CHECK_STR(h2, h1);
	snprintf(typed, sizeof(typed), " %.4s %.4s %.4s %.4s ", code, code + 5, code + 10, code + 15);
	CHECK(totp_recovery_hash(typed, 7, h2) == 0);
	CHECK_STR(h2, h1);
	/* Keyed by the account: the same code hashes apart for another. */
	CHECK(totp_recovery_hash(code, 8, h2) == 0);
	CHECK(strcmp(h1, h2) != 0);
	CHECK(totp_recovery_hash("abcd-efgh-jkmn", 7, h2) == -1);
	CHECK(totp_recovery_hash("abcd-efgh-jkmn-pqrst", 7, h2) == -1);
	CHECK(totp_recovery_hash("abcd-efgh-jkmn-pqr0", 7, h2) == -1); /* '0' is not in the alphabet */
	CHECK(totp_recovery_hash("123456", 7, h2) == -1);
}

static void test_uri_and_qr(void)
{
	struct arena *a = arena_new();
	const char *uri = totp_uri(a, "VRC Staff", "ed+x@example.org", "JBSWY3DPEHPK3PXP");
	CHECK_STR(uri,
	          "otpauth://totp/VRC%20Staff:ed%2Bx%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=VRC%20Staff"
	          "&algorithm=SHA1&digits=6&period=30");
	struct buf b = BUF_INIT;
	CHECK(qr_svg(uri, "QR code \"for\" <you>", &b) == 0);
	CHECK(strncmp(b.p, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	CHECK(CONTAINS(b.p, "role=\"img\" aria-label=\"QR code &quot;for&quot; &lt;you&gt;\""));
	CHECK(CONTAINS(b.p, "<path fill=\"#000\" d=\"M4 4h7v1h-7z")); /* the finder pattern's top row */
	CHECK(!CONTAINS(b.p, "style") && !CONTAINS(b.p, "<script"));  /* allowed under the CSP */
	CHECK(strcmp(b.p + b.len - 6, "</svg>") == 0);
	buf_free(&b);
	arena_free(a);
}

static const struct test_case tests[] = {
    {"rfc6238", test_rfc6238},
    {"check", test_check_code},
    {"recovery", test_recovery},
    {"uri and qr", test_uri_and_qr},
};
TEST_MAIN(tests)
