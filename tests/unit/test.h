/* A tiny unit-test harness: CHECK records a failure and goes on; main() runs the listed tests.
 *
 * What one "check" is: a CHECK (or CHECK_STR) line as run by one test case. However often the line
 * runs in that case (a loop over 3,000 fuzz inputs, a helper called for each row of a table), it
 * counts once: passed when every run held, failed when any run did not. So the total counts the
 * properties a reader can see in the source, not loop iterations. A helper's CHECK called from two
 * test cases counts once in each. Counting whole test cases instead would hide how much each one
 * checks; counting runs (as before) let one loop outweigh everything else.
 *
 * Checks may run on several threads at once (test_cache's threads test): the tally is locked. */
#ifndef VRC_TEST_H
#define VRC_TEST_H
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* One CHECK line: a static object in each expansion of the macro. */
struct test_site {
	const char *file;
	int line;
	unsigned seen_in;        /* 1 + the index of the test case that last ran it; 0: never run */
	unsigned runs, failures; /* in that test case */
	struct test_site *next_failed;
};

/* Record one run of site. Returns the running test case's name when this run is the site's first
 * failure in it (the caller prints it), else NULL: later failures are only counted. */
const char *test_check(struct test_site *site, bool ok);

#define TEST_SITE_INIT                                                                                       \
	{                                                                                                    \
		__FILE__, __LINE__, 0, 0, 0, NULL                                                            \
	}

#define CHECK(cond)                                                                                          \
	do {                                                                                                 \
		static struct test_site site_ = TEST_SITE_INIT;                                              \
		const char *in_ = test_check(&site_, (cond));                                                \
		if (in_)                                                                                     \
			fprintf(stderr, "FAIL %s:%d in %s: %s\n", __FILE__, __LINE__, in_, #cond);           \
	} while (0)

/* String equality with both values printed on failure. */
#define CHECK_STR(got, want)                                                                                 \
	do {                                                                                                 \
		static struct test_site site_ = TEST_SITE_INIT;                                              \
		const char *g_ = (got), *w_ = (want);                                                        \
		const char *in_ = test_check(&site_, g_ && w_ && strcmp(g_, w_) == 0);                       \
		if (in_)                                                                                     \
			fprintf(stderr, "FAIL %s:%d in %s:\n  got:  %s\n  want: %s\n", __FILE__, __LINE__,   \
			        in_, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                \
	} while (0)

/* True when needle occurs in haystack. */
#define CONTAINS(hay, needle) ((hay) && strstr((hay), (needle)) != NULL)

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* Each test file defines: static const struct test_case tests[] = {...}; TEST_MAIN(tests)
 * It prints "FILE: N passed, N failed" in checks, as defined above. */
#define TEST_MAIN(table)                                                                                     \
	static pthread_mutex_t test_lock = PTHREAD_MUTEX_INITIALIZER;                                        \
	static unsigned test_case_no;                                                                        \
	static const char *test_case_name;                                                                   \
	static int test_passed, test_failed;                                                                 \
	static struct test_site *test_failed_sites;                                                          \
	const char *test_check(struct test_site *site, bool ok)                                              \
	{                                                                                                    \
		pthread_mutex_lock(&test_lock);                                                              \
		bool first = site->seen_in != test_case_no;                                                  \
		if (first) {                                                                                 \
			site->seen_in = test_case_no;                                                        \
			site->runs = site->failures = 0;                                                     \
			test_passed++;                                                                       \
		}                                                                                            \
		site->runs++;                                                                                \
		bool report = !ok && site->failures++ == 0;                                                  \
		if (report) {                                                                                \
			test_passed--;                                                                       \
			test_failed++;                                                                       \
			site->next_failed = test_failed_sites;                                               \
			test_failed_sites = site;                                                            \
		}                                                                                            \
		pthread_mutex_unlock(&test_lock);                                                            \
		return report ? test_case_name : NULL;                                                       \
	}                                                                                                    \
	/* A check that ran more than once says how many of its runs failed. */                              \
	static void test_case_done(void)                                                                     \
	{                                                                                                    \
		for (struct test_site *s = test_failed_sites; s; s = s->next_failed)                         \
			if (s->runs > 1)                                                                     \
				fprintf(stderr, "  %s:%d failed %u of %u runs in test %s\n", s->file,        \
				        s->line, s->failures, s->runs, test_case_name);                      \
		test_failed_sites = NULL;                                                                    \
	}                                                                                                    \
	int main(void)                                                                                       \
	{                                                                                                    \
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {                              \
			test_case_no = (unsigned)i + 1;                                                      \
			test_case_name = table[i].name;                                                      \
			table[i].fn();                                                                       \
			test_case_done();                                                                    \
		}                                                                                            \
		printf("%s: %d passed, %d failed\n", __FILE__, test_passed, test_failed);                    \
		return test_failed ? 1 : 0;                                                                  \
	}

#endif
