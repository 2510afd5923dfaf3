/* Unit tests for src/base/arena.c: alignment of every allocation, big allocations in blocks of
 * their own, string copies, destructors run in reverse order, the byte count, and reset. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "test.h"

static int aligned(const void *p)
{
	return (uintptr_t)p % alignof(max_align_t) == 0;
}

static void test_alignment(void)
{
	struct arena *a = arena_new();
	int bad = 0;
	/* Every size from 0 to 300, twice over, then odd sizes across several blocks. */
	for (int round = 0; round < 2; round++)
		for (size_t n = 0; n <= 300; n++)
			bad += !aligned(arena_alloc(a, n));
	for (size_t n = 1; n < 20000; n += 997)
		bad += !aligned(arena_alloc(a, n));
	CHECK(bad == 0);
	char *c = arena_alloc(a, 1);
	double *d = arena_alloc(a, sizeof(double));
	long double *ld = arena_alloc(a, sizeof(long double));
	*c = 'x';
	*d = 1.5;
	*ld = 2.5L;
	CHECK(aligned(d) && aligned(ld));
	CHECK(*c == 'x' && *d == 1.5 && *ld == 2.5L);
	arena_free(a);
}

/* Allocations that do not overlap keep what was written to them. */
static void test_no_overlap(void)
{
	struct arena *a = arena_new();
	unsigned char *p[200];
	size_t sz[200];
	for (int i = 0; i < 200; i++) {
		sz[i] = (size_t)(i * 37 % 3000) + 1;
		p[i] = arena_alloc(a, sz[i]);
		memset(p[i], i, sz[i]);
	}
	int bad = 0;
	for (int i = 0; i < 200; i++)
		for (size_t k = 0; k < sz[i]; k++)
			bad += p[i][k] != (unsigned char)i;
	CHECK(bad == 0);
	arena_free(a);
}

static void test_big(void)
{
	struct arena *a = arena_new();
	/* A big allocation first (no head block yet), then small ones, then more big ones. */
	unsigned char *big1 = arena_alloc(a, 100000);
	memset(big1, 0xab, 100000);
	char *small = arena_strdup(a, "small");
	unsigned char *big2 = arena_alloc(a, 1 << 20);
	memset(big2, 0xcd, 1 << 20);
	char *small2 = arena_strdup(a, "after");
	unsigned char *big3 = arena_alloc(a, 2049);
	memset(big3, 0xef, 2049);
	CHECK(aligned(big1) && aligned(big2) && aligned(big3) && aligned(small) && aligned(small2));
	CHECK(big1[0] == 0xab && big1[99999] == 0xab);
	CHECK(big2[0] == 0xcd && big2[(1 << 20) - 1] == 0xcd);
	CHECK(big3[2048] == 0xef);
	CHECK_STR(small, "small");
	CHECK_STR(small2, "after");
	arena_free(a);
}

static void test_calloc(void)
{
	struct arena *a = arena_new();
	/* Dirty the arena first so zeroing is not an accident of fresh memory. */
	for (int i = 0; i < 10; i++)
		memset(arena_alloc(a, 700), 0xff, 700);
	int *v = arena_calloc(a, 1000, sizeof(int));
	int nonzero = 0;
	for (int i = 0; i < 1000; i++)
		nonzero += v[i] != 0;
	CHECK(nonzero == 0);
	CHECK(aligned(v));
	CHECK(arena_calloc(a, 0, 8) != NULL);
	arena_free(a);
}

static void test_strings(void)
{
	struct arena *a = arena_new();
	CHECK_STR(arena_strdup(a, "hello"), "hello");
	CHECK_STR(arena_strdup(a, ""), "");
	CHECK_STR(arena_strndup(a, "hello world", 5), "hello");
	CHECK_STR(arena_strndup(a, "abc", 0), "");
	/* strndup copies exactly n bytes even past an embedded NUL, and terminates. */
	char *z = arena_strndup(a, "a\0b", 3);
	CHECK(z[0] == 'a' && z[1] == '\0' && z[2] == 'b' && z[3] == '\0');
	CHECK_STR(arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
	CHECK_STR(arena_printf(a, "%s", ""), "");
	/* A long printf result gets a big block and is complete. */
	char *longp = arena_printf(a, "%5000d|", 7);
	CHECK(strlen(longp) == 5001);
	CHECK(longp[4999] == '7' && longp[5000] == '|' && longp[0] == ' ');
	arena_free(a);
}

static int order[8], norder;

static void record(void *arg)
{
	order[norder++] = *(int *)arg;
}

static void free_it(void *arg)
{
	free(arg);
}

static void test_defer(void)
{
	static int ids[] = {1, 2, 3, 4};
	struct arena *a = arena_new();
	norder = 0;
	for (int i = 0; i < 4; i++)
		arena_defer(a, record, &ids[i]);
	/* A malloc'd library object freed by the arena (ASan reports it if never run). */
	arena_defer(a, free_it, malloc(64));
	CHECK(norder == 0);
	arena_free(a);
	CHECK(norder == 4);
	CHECK(order[0] == 4 && order[1] == 3 && order[2] == 2 && order[3] == 1);
	arena_free(NULL); /* ignored */
}

/* Reset runs the destructors, frees every block but one, and leaves an arena as good as new. */
static void test_reset(void)
{
	static int ids[] = {7, 8};
	struct arena *a = arena_new();
	arena_reset(a); /* an empty arena */
	CHECK(arena_used(a) == 0);
	arena_strdup(a, "first");
	arena_alloc(a, 100000); /* a block of its own */
	for (int i = 0; i < 40; i++)
		arena_alloc(a, 700); /* several standard blocks */
	norder = 0;
	arena_defer(a, record, &ids[0]);
	arena_defer(a, record, &ids[1]);
	arena_defer(a, free_it, malloc(32));
	arena_reset(a);
	CHECK(norder == 2 && order[0] == 8 && order[1] == 7);
	CHECK(arena_used(a) == 0);
	/* Usable again, from the kept block (ASan reports any use of a freed one). */
	char *again = arena_strdup(a, "again");
	CHECK_STR(again, "again");
	CHECK(aligned(again));
	unsigned char *big = arena_alloc(a, 50000);
	memset(big, 1, 50000);
	arena_defer(a, record, &ids[0]);
	norder = 0;
	arena_reset(a);
	CHECK(norder == 1);
	/* A first allocation that was big: nothing is kept, and the arena still works. */
	arena_alloc(a, 200000);
	arena_reset(a);
	CHECK_STR(arena_strdup(a, "x"), "x");
	arena_free(a);
}

static void test_used(void)
{
	struct arena *a = arena_new();
	CHECK(arena_used(a) == 0);
	arena_alloc(a, 10);
	CHECK(arena_used(a) >= 10);
	size_t before = arena_used(a);
	arena_alloc(a, 100000);
	CHECK(arena_used(a) >= before + 100000);
	before = arena_used(a);
	arena_strdup(a, "abcd");
	CHECK(arena_used(a) >= before + 5);
	/* It only grows. */
	size_t last = arena_used(a);
	int shrank = 0;
	for (size_t n = 0; n < 50; n++) {
		arena_alloc(a, n * 13);
		shrank += arena_used(a) < last;
		last = arena_used(a);
	}
	CHECK(shrank == 0);
	arena_free(a);
}

/* True when fn(n) ends the process (abort) instead of returning. Run in a child. */
static int dies(void (*fn)(size_t), size_t n)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(0);
		fn(n);
		_exit(0);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void alloc_n(size_t n)
{
	struct arena *a = arena_new();
	unsigned char *p = arena_alloc(a, n);
	p[0] = 1; /* a "successful" allocation must be usable */
	arena_free(a);
}

static void calloc_n(size_t n)
{
	struct arena *a = arena_new();
	arena_calloc(a, n, 16);
	arena_free(a);
}

/* Sizes whose rounding or block header would wrap around abort; they never hand out short blocks. */
static void test_overflow(void)
{
	CHECK(!dies(alloc_n, 64));
	CHECK(dies(alloc_n, SIZE_MAX));
	CHECK(dies(alloc_n, SIZE_MAX - 31));
	CHECK(dies(alloc_n, SIZE_MAX - 100));
	CHECK(dies(calloc_n, SIZE_MAX / 8));
}

static const struct test_case tests[] = {
    {"alignment", test_alignment}, {"no_overlap", test_no_overlap}, {"big", test_big},
    {"calloc", test_calloc},       {"strings", test_strings},       {"defer", test_defer},
    {"used", test_used},           {"overflow", test_overflow},     {"reset", test_reset},
};
TEST_MAIN(tests)
