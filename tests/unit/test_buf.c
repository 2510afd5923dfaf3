/* Unit tests for src/base/buf.c: growth, printf, detach, NUL termination and reset. */
#include <stdlib.h>

#include "base/buf.h"
#include "test.h"

static void test_empty(void)
{
	struct buf b = BUF_INIT;
	CHECK(b.p == NULL && b.len == 0);
	struct str s = buf_str(&b);
	CHECK(s.len == 0 && s.p && s.p[0] == '\0');
	buf_append(&b, "", 0);
	CHECK(b.p && b.len == 0 && b.p[0] == '\0');
	buf_free(&b);
	CHECK(b.p == NULL && b.len == 0 && b.cap == 0);
	buf_free(&b); /* twice is harmless */
}

static void test_growth(void)
{
	struct buf b = BUF_INIT;
	int bad = 0;
	/* One byte at a time across many doublings: contents, length and NUL stay right. */
	for (int i = 0; i < 100000; i++) {
		buf_putc(&b, (char)('a' + i % 26));
		bad += b.len != (size_t)i + 1 || b.p[b.len] != '\0' || b.cap <= b.len;
	}
	CHECK(bad == 0);
	bad = 0;
	for (size_t i = 0; i < b.len; i++)
		bad += b.p[i] != (char)('a' + i % 26);
	CHECK(bad == 0);
	/* A single append far bigger than the capacity. */
	static char big[300000];
	memset(big, 'z', sizeof(big));
	size_t before = b.len;
	buf_append(&b, big, sizeof(big));
	CHECK(b.len == before + sizeof(big));
	CHECK(b.p[before] == 'z' && b.p[b.len - 1] == 'z' && b.p[b.len] == '\0');
	CHECK(b.cap > b.len);
	buf_free(&b);
}

static void test_reserve(void)
{
	struct buf b = BUF_INIT;
	buf_reserve(&b, 1000);
	CHECK(b.p && b.cap > 1000 && b.len == 0 && b.p[0] == '\0');
	char *p = b.p;
	/* Appending within the reservation does not move the bytes. */
	for (int i = 0; i < 1000; i++)
		buf_putc(&b, 'x');
	CHECK(b.p == p);
	CHECK(b.len == 1000 && b.p[1000] == '\0');
	buf_free(&b);
}

static void test_puts(void)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "hello");
	buf_putc(&b, ' ');
	buf_putstr(&b, STR("world"));
	buf_putstr(&b, (struct str){"!!!", 1});
	CHECK_STR(b.p, "hello world!");
	CHECK(b.len == 12);
	/* Binary bytes, NUL included, are kept; the terminator follows them. */
	buf_append(&b, "\0\xff", 2);
	CHECK(b.len == 14 && b.p[12] == '\0' && (unsigned char)b.p[13] == 0xff && b.p[14] == '\0');
	CHECK(str_eq(buf_str(&b), (struct str){"hello world!\0\xff", 14}));
	buf_free(&b);
}

static void test_printf(void)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%d-%s", 42, "x");
	CHECK_STR(b.p, "42-x");
	buf_printf(&b, "%s", "");
	CHECK(b.len == 4);
	buf_printf(&b, "|%5.2f|%c|%%|%zu", 3.14159, 'q', (size_t)7);
	CHECK_STR(b.p, "42-x| 3.14|q|%|7");
	/* Output longer than the whole capacity, appended after existing text. */
	buf_printf(&b, "%3000s", "end");
	CHECK(b.len == 16 + 3000);
	CHECK(memcmp(b.p + b.len - 3, "end", 3) == 0 && b.p[16] == ' ' && b.p[b.len] == '\0');
	/* Exactly filling the remaining space (the NUL must still fit). */
	struct buf c = BUF_INIT;
	buf_reserve(&c, 0);
	size_t room = c.cap - 1;
	char fill[512];
	memset(fill, 'f', room);
	fill[room] = '\0';
	buf_printf(&c, "%s", fill);
	CHECK(c.len == room && c.p[room] == '\0' && strlen(c.p) == room);
	buf_printf(&c, "g");
	CHECK(c.len == room + 1 && c.p[room] == 'g' && c.p[room + 1] == '\0');
	buf_free(&c);
	buf_free(&b);
}

static void test_reset(void)
{
	struct buf b = BUF_INIT;
	buf_reset(&b); /* on an empty buffer */
	CHECK(b.p == NULL && b.len == 0);
	buf_puts(&b, "some text that is here");
	size_t cap = b.cap;
	char *p = b.p;
	buf_reset(&b);
	CHECK(b.len == 0 && b.p == p && b.cap == cap && b.p[0] == '\0');
	CHECK(buf_str(&b).len == 0);
	buf_puts(&b, "new");
	CHECK_STR(b.p, "new");
	CHECK(b.p == p);
	buf_free(&b);
}

static void test_detach(void)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "owned");
	size_t len = 0;
	char *p = buf_detach(&b, &len);
	CHECK_STR(p, "owned");
	CHECK(len == 5);
	CHECK(b.p == NULL && b.len == 0 && b.cap == 0);
	free(p);
	/* The buffer is reusable afterwards. */
	buf_puts(&b, "again");
	CHECK_STR(b.p, "again");
	buf_free(&b);
	/* Detaching an empty buffer gives an empty string, never NULL. */
	len = 99;
	p = buf_detach(&b, &len);
	CHECK(p != NULL && p[0] == '\0' && len == 0);
	free(p);
	p = buf_detach(&b, NULL);
	CHECK(p != NULL && p[0] == '\0');
	free(p);
}

static const struct test_case tests[] = {
    {"empty", test_empty},   {"growth", test_growth}, {"reserve", test_reserve}, {"puts", test_puts},
    {"printf", test_printf}, {"reset", test_reset},   {"detach", test_detach},
};
TEST_MAIN(tests)
