/* Unit tests for src/app/password.c: the rules (length in characters, not bytes; the common list
 * without regard to case; not the email), Argon2id hashing and checking, the dummy hash for unknown
 * accounts, and generated passwords. */
#include "app/password.h"

#include <stdio.h>

#include "test.h"

static void test_rules(void)
{
	static const struct {
		const char *pw, *email, *want;
	} cases[] = {
	    {"", NULL, "pw_short"},
	    {"elevenchars", NULL, "pw_short"},
	    {"twelve chars", NULL, NULL},
	    /* Any characters, spaces included; no composition rules. */
	    {"all lower case words", NULL, NULL},
	    {"            ", NULL, "pw_common"}, /* one character twelve times */
	    {"aaaaaaaaaaaaaaaa", NULL, "pw_common"},
	    /* Characters, not bytes: 11 two-byte letters are too short, 12 are fine. */
	    {"ñññññññññññ", NULL, "pw_short"},
	    {"ñññññññññññá", NULL, NULL},
	    {"Password1234", NULL, "pw_common"},
	    {"QWERTY123456", NULL, "pw_common"},
	    {"123456789012", NULL, "pw_common"},
	    {"1q2w3e4r5t6y", NULL, "pw_common"},
	    {"password1234x", NULL, NULL},
	    {"ed@example.org", "ed@example.org", "pw_email"},
	    {"ED@EXAMPLE.ORG", "ed@example.org", "pw_email"},
	    {"longlocalpart", "longlocalpart@example.org", "pw_email"},
	    {"longlocalpart!", "longlocalpart@example.org", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = password_problem(cases[i].pw, cases[i].email);
		bool ok =
		    (!got && !cases[i].want) || (got && cases[i].want && strcmp(got, cases[i].want) == 0);
		if (!ok)
			fprintf(stderr, "'%s': got %s, want %s\n", cases[i].pw, got ? got : "NULL",
			        cases[i].want ? cases[i].want : "NULL");
		CHECK(ok);
	}
	/* 128 characters is the most; 129 is too long. */
	char pw[300];
	memset(pw, 'x', 128);
	pw[0] = 'y';
	pw[128] = '\0';
	CHECK(password_problem(pw, NULL) == NULL);
	pw[128] = 'z', pw[129] = '\0';
	CHECK_STR(password_problem(pw, NULL), "pw_long");
}

static void test_hash(void)
{
	CHECK(password_init() == 0);
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	CHECK(password_hash("correct horse battery staple", h1) == 0);
	CHECK(password_hash("correct horse battery staple", h2) == 0);
	CHECK(strncmp(h1, "$argon2id$", 10) == 0);
	CHECK(strcmp(h1, h2) != 0); /* salted */
	CHECK(password_verify(h1, "correct horse battery staple"));
	CHECK(password_verify(h2, "correct horse battery staple"));
	CHECK(!password_verify(h1, "correct horse battery stapl"));
	CHECK(!password_verify(h1, "Correct horse battery staple"));
	CHECK(!password_verify(h1, ""));
	CHECK(!password_needs_rehash(h1));
	/* A hash made with weaker parameters is flagged for an upgrade. */
	CHECK(password_needs_rehash("$argon2id$v=19$m=8192,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
	                            "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"));
	/* No account: checked against the dummy hash, never a match. */
	CHECK(!password_verify(NULL, "correct horse battery staple"));
	CHECK(!password_verify("", "anything at all here"));
	CHECK(!password_verify("not a hash", "anything at all here"));
}

static void test_generate(void)
{
	char a[PASSWORD_GENERATED + 1], b[PASSWORD_GENERATED + 1];
	password_generate(a);
	password_generate(b);
	CHECK(strlen(a) == PASSWORD_GENERATED);
	CHECK(strcmp(a, b) != 0);
	CHECK(a[5] == '-' && a[11] == '-' && a[17] == '-');
	CHECK(password_problem(a, "admin@localhost") == NULL);
	CHECK(strpbrk(a, "01ilo") == NULL);
}

static const struct test_case tests[] = {
    {"rules", test_rules},
    {"hash", test_hash},
    {"generate", test_generate},
};
TEST_MAIN(tests)
