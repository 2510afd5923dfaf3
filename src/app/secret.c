/* Secrets never stored as they are: a session token lives only in the visitor's cookie and its hash
 * in the database, so a copy of the database signs nobody in. */
#include "app/secret.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc;

static void init(void)
{
	init_rc = sodium_init() < 0 ? -1 : 0;
}

int secret_init(void)
{
	pthread_once(&once, init);
	return init_rc;
}

void secret_token(char *out)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SECRET_TOKEN_LEN + 1, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void secret_hash(const char *s, const char *salt, char *out)
{
	unsigned char h[32];
	unsigned char key[crypto_generichash_KEYBYTES];
	size_t keylen = 0;
	if (salt) {
		/* The salt becomes a key of fixed length, so any salt string works. */
		crypto_generichash(key, sizeof(key), (const unsigned char *)salt, strlen(salt), NULL, 0);
		keylen = sizeof(key);
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), keylen ? key : NULL, keylen);
	sodium_bin2hex(out, SECRET_HASH_LEN + 1, h, sizeof(h));
}

bool secret_equal(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

void secret_random_chars(char *out, size_t n, const char *alphabet)
{
	uint32_t k = (uint32_t)strlen(alphabet);
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(k)];
	out[n] = '\0';
}
