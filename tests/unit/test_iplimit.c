/* Unit tests for src/http/iplimit.c: connections counted per address, IPv4 and IPv6 apart, room
 * again when one closes, and no limit at all with 0. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "http/iplimit.h"
#include "test.h"

static struct sockaddr_storage v4(const char *ip)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *a = (struct sockaddr_in *)&ss;
	a->sin_family = AF_INET;
	a->sin_port = htons(1234);
	inet_pton(AF_INET, ip, &a->sin_addr);
	return ss;
}

static struct sockaddr_storage v6(const char *ip)
{
	struct sockaddr_storage ss = {0};
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
	a->sin6_family = AF_INET6;
	inet_pton(AF_INET6, ip, &a->sin6_addr);
	return ss;
}

static void test_limit(void)
{
	struct iplimit *l = iplimit_new(2);
	struct sockaddr_storage a = v4("10.0.0.1"), b = v4("10.0.0.2"), c = v6("2001:db8::1");
	struct sockaddr_in *pa = (struct sockaddr_in *)&a;
	CHECK(iplimit_add(l, (struct sockaddr *)&a));
	pa->sin_port = htons(999); /* another port of the same address counts the same */
	CHECK(iplimit_add(l, (struct sockaddr *)&a));
	CHECK(!iplimit_add(l, (struct sockaddr *)&a));
	CHECK(iplimit_add(l, (struct sockaddr *)&b));
	CHECK(iplimit_add(l, (struct sockaddr *)&c) && iplimit_add(l, (struct sockaddr *)&c));
	CHECK(!iplimit_add(l, (struct sockaddr *)&c));
	iplimit_del(l, (struct sockaddr *)&a);
	CHECK(iplimit_add(l, (struct sockaddr *)&a));
	CHECK(!iplimit_add(l, (struct sockaddr *)&a));
	/* Down to zero and up again: the entry is dropped and made anew. */
	for (int i = 0; i < 3; i++)
		iplimit_del(l, (struct sockaddr *)&b);
	CHECK(iplimit_add(l, (struct sockaddr *)&b) && iplimit_add(l, (struct sockaddr *)&b));
	iplimit_free(l);
}

static void test_none(void)
{
	struct iplimit *l = iplimit_new(0);
	struct sockaddr_storage a = v4("127.0.0.1");
	bool all = true;
	for (int i = 0; i < 10000; i++)
		all = all && iplimit_add(l, (struct sockaddr *)&a);
	CHECK(all);
	iplimit_free(l);
}

static const struct test_case tests[] = {
    {"limit", test_limit},
    {"none", test_none},
};
TEST_MAIN(tests)
