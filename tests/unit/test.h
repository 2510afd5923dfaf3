/* A tiny unit-test harness: CHECK records a failure and goes on; main() runs the listed tests. */
#ifndef VRC_TEST_H
#define VRC_TEST_H
#include <stdio.h>
#include <string.h>

extern int test_passed, test_failed;
extern const char *test_current;

#define CHECK(cond)                                                                                          \
	do {                                                                                                 \
		if (cond) {                                                                                  \
			test_passed++;                                                                       \
		} else {                                                                                     \
			test_failed++;                                                                       \
			fprintf(stderr, "FAIL %s:%d in %s: %s\n", __FILE__, __LINE__, test_current, #cond);  \
		}                                                                                            \
	} while (0)

/* String equality with both values printed on failure. */
#define CHECK_STR(got, want)                                                                                 \
	do {                                                                                                 \
		const char *g_ = (got), *w_ = (want);                                                        \
		if (g_ && w_ && strcmp(g_, w_) == 0) {                                                       \
			test_passed++;                                                                       \
		} else {                                                                                     \
			test_failed++;                                                                       \
			fprintf(stderr, "FAIL %s:%d in %s:\n  got:  %s\n  want: %s\n", __FILE__, __LINE__,   \
			        test_current, g_ ? g_ : "(null)", w_ ? w_ : "(null)");                       \
		}                                                                                            \
	} while (0)

/* True when needle occurs in haystack. */
#define CONTAINS(hay, needle) ((hay) && strstr((hay), (needle)) != NULL)

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* Each test file defines: static const struct test_case tests[] = {...}; TEST_MAIN(tests) */
#define TEST_MAIN(table)                                                                                     \
	int test_passed, test_failed;                                                                        \
	const char *test_current;                                                                            \
	int main(void)                                                                                       \
	{                                                                                                    \
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {                              \
			test_current = table[i].name;                                                        \
			table[i].fn();                                                                       \
		}                                                                                            \
		printf("%s: %d passed, %d failed\n", __FILE__, test_passed, test_failed);                    \
		return test_failed ? 1 : 0;                                                                  \
	}

#endif
