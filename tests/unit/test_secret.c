/* Unit tests for src/app/secret.c: tokens (length, alphabet, never twice), hashes (hex, stable, salted
 * apart) and constant-time equality. */
#include "app/secret.h"

#include "test.h"

static void test_token(void)
{
	CHECK(secret_init() == 0);
	char a[SECRET_TOKEN_LEN + 1], b[SECRET_TOKEN_LEN + 1];
	secret_token(a);
	secret_token(b);
	CHECK(strlen(a) == SECRET_TOKEN_LEN);
	CHECK(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
	      SECRET_TOKEN_LEN);
	CHECK(strcmp(a, b) != 0);
}

static void test_hash(void)
{
	char h1[SECRET_HASH_LEN + 1], h2[SECRET_HASH_LEN + 1], h3[SECRET_HASH_LEN + 1];
	secret_hash("token", NULL, h1);
	secret_hash("token", NULL, h2);
	CHECK(strlen(h1) == SECRET_HASH_LEN);
	CHECK(strspn(h1, "0123456789abcdef") == SECRET_HASH_LEN);
	CHECK_STR(h1, h2);
	/* BLAKE2b-256 of "abc" (RFC 7693's test input, 32-byte output). */
	secret_hash("abc", NULL, h3);
	CHECK_STR(h3, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	secret_hash("token", "user:1", h2);
	secret_hash("token", "user:2", h3);
	CHECK(strcmp(h1, h2) != 0);
	CHECK(strcmp(h2, h3) != 0);
}

static void test_equal(void)
{
	CHECK(secret_equal("abc", "abc"));
	CHECK(!secret_equal("abc", "abd"));
	CHECK(!secret_equal("abc", "abcd"));
	CHECK(!secret_equal("", "a"));
	CHECK(secret_equal("", ""));
	CHECK(!secret_equal(NULL, "abc"));
	CHECK(!secret_equal("abc", NULL));
	CHECK(!secret_equal(NULL, NULL));
}

static void test_chars(void)
{
	char s[41];
	secret_random_chars(s, 40, "ab");
	CHECK(strlen(s) == 40);
	CHECK(strspn(s, "ab") == 40);
	CHECK(strchr(s, 'a') && strchr(s, 'b'));
}

static const struct test_case tests[] = {
    {"token", test_token},
    {"hash", test_hash},
    {"equal", test_equal},
    {"chars", test_chars},
};
TEST_MAIN(tests)
