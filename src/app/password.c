/* Password rules follow current guidance (length over composition, a block-list, paste allowed);
 * hashes are libsodium's Argon2id strings, which carry their own salt and parameters. */
#include "app/password.h"

#include <sodium.h>
#include <string.h>

#include "app/secret.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/util.h"

#define OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static char dummy[crypto_pwhash_STRBYTES];

/* Very common passwords of 12 or more characters (shorter ones fail the length rule anyway):
 * digit runs, keyboard walks, repeated words. Compared without regard to ASCII case. */
static const char *const common[] = {
    "123456789012",     "1234567890123",  "12345678901234",   "123456789012345",  "1234567890qwerty",
    "qwerty123456",     "123456qwerty",   "qwertyuiop12",     "qwertyuiop123",    "qwertyuiopasdf",
    "qwertyuiopasdfgh", "1q2w3e4r5t6y",   "1q2w3e4r5t6y7u",   "1qaz2wsx3edc",     "1qaz2wsx3edc4rfv",
    "zaq12wsxcde3",     "qazwsxedcrfv",   "asdfghjkl123",     "asdfghjklzxc",     "password1234",
    "password12345",    "password123456", "passwordpassword", "password1!",       "p@ssw0rd1234",
    "p@ssword1234",     "iloveyou1234",   "iloveyouiloveyou", "abcdefghijkl",     "abcdefghijklm",
    "abc123abc123",     "abcd1234abcd",   "letmein12345",     "welcome12345",     "welcome123456",
    "changeme1234",     "administrator",  "administrator1",   "qwerty12345678",   "987654321098",
    "0987654321098",    "12341234123412", "123123123123",     "112233445566",     "monkey123456",
    "football1234",     "baseball1234",   "sunshine1234",     "trustno1trustno1", "princess1234",
    "superman1234",     "dragon123456",
};

int password_init(void)
{
	if (secret_init() < 0)
		return -1;
	char pw[PASSWORD_GENERATED + 1];
	password_generate(pw);
	if (password_hash(pw, dummy) < 0) {
		log_error("password: cannot make the dummy hash (out of memory?)");
		return -1;
	}
	return 0;
}

int password_hash(const char *pw, char *out)
{
	return crypto_pwhash_str_alg(out, pw, strlen(pw), OPS, MEM, crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0
	                                                                                               : -1;
}

bool password_verify(const char *hash, const char *pw)
{
	if (!hash || !*hash) {
		int rc = crypto_pwhash_str_verify(dummy, pw, strlen(pw));
		(void)rc;
		return false;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, OPS, MEM) != 0;
}

static bool ieq(const char *a, const char *b)
{
	return strlen(a) == strlen(b) && str_ieq(str_c(a), str_c(b));
}

/* One character repeated ("aaaaaaaaaaaa"). */
static bool all_same(const char *pw)
{
	for (const char *p = pw; *p; p++)
		if (*p != pw[0])
			return false;
	return true;
}

const char *password_problem(const char *pw, const char *email)
{
	size_t bytes = strlen(pw), chars = utf8_len(pw, bytes);
	if (chars < PASSWORD_MIN)
		return "pw_short";
	if (chars > PASSWORD_MAX)
		return "pw_long";
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (ieq(pw, common[i]))
			return "pw_common";
	if (all_same(pw))
		return "pw_common";
	if (email && *email) {
		const char *at = strchr(email, '@');
		size_t local = at ? (size_t)(at - email) : strlen(email);
		if (ieq(pw, email) || (bytes == local && str_ieq(str_c(pw), (struct str){email, local})))
			return "pw_email";
	}
	return NULL;
}

void password_generate(char *out)
{
	/* No 0/o, 1/l/i: easy to read aloud and to copy by hand. */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	char raw[21];
	secret_random_chars(raw, 20, alphabet);
	size_t k = 0;
	for (size_t i = 0; i < 20; i++) {
		if (i && i % 5 == 0)
			out[k++] = '-';
		out[k++] = raw[i];
	}
	out[k] = '\0';
}
