/* A chained hash table of address -> open connections under one mutex: one short critical section
 * per connection opened or closed, never per request. */
#include "http/iplimit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/util.h"

enum { NBUCKETS = 1024 };

struct node {
	struct node *next;
	unsigned char key[17]; /* family byte, then 4 or 16 address bytes (zero-padded) */
	unsigned count;
};

struct iplimit {
	unsigned limit;
	pthread_mutex_t lock;
	struct node *b[NBUCKETS];
};

struct iplimit *iplimit_new(unsigned limit)
{
	struct iplimit *l = xcalloc(1, sizeof(*l));
	l->limit = limit;
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

/* The address as a key; false for other families. */
static bool key_of(const struct sockaddr *sa, unsigned char key[17])
{
	memset(key, 0, 17);
	if (sa->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	} else {
		return false;
	}
	return true;
}

static struct node **find(struct iplimit *l, const unsigned char key[17])
{
	struct node **p = &l->b[hash64(key, 17) % NBUCKETS];
	while (*p && memcmp((*p)->key, key, 17) != 0)
		p = &(*p)->next;
	return p;
}

bool iplimit_add(struct iplimit *l, const struct sockaddr *sa)
{
	unsigned char key[17];
	if (!l->limit || !key_of(sa, key))
		return true;
	bool ok = true;
	pthread_mutex_lock(&l->lock);
	struct node **p = find(l, key);
	if (!*p) {
		*p = xcalloc(1, sizeof(**p));
		memcpy((*p)->key, key, 17);
	}
	if ((*p)->count < l->limit)
		(*p)->count++;
	else
		ok = false;
	pthread_mutex_unlock(&l->lock);
	return ok;
}

void iplimit_del(struct iplimit *l, const struct sockaddr *sa)
{
	unsigned char key[17];
	if (!l->limit || !key_of(sa, key))
		return;
	pthread_mutex_lock(&l->lock);
	struct node **p = find(l, key), *gone = NULL;
	if (*p && (*p)->count && --(*p)->count == 0) {
		gone = *p;
		*p = gone->next;
	}
	pthread_mutex_unlock(&l->lock);
	free(gone);
}

void iplimit_free(struct iplimit *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < NBUCKETS; i++)
		while (l->b[i]) {
			struct node *n = l->b[i];
			l->b[i] = n->next;
			free(n);
		}
	pthread_mutex_destroy(&l->lock);
	free(l);
}
