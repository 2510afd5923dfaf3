/* The content linter: the loader's checks plus link schemes and a readability ceiling per file. */
#ifndef VRC_LINT_H
#define VRC_LINT_H
#include <stdio.h>

struct lint_limits {
	double en_max_grade; /* Flesch-Kincaid grade ceiling for English */
	double es_max_grade; /* grade estimated from Fernandez-Huerta, ceiling for Spanish */
};

/* Check the library under dir, print a table of readability per file and a summary (files passed
 * and failed) to out, and every problem to stderr as "path:line: reason". Returns the number of
 * problems (0: clean). */
int lint_run(const char *dir, const struct lint_limits *limits, FILE *out);

#endif
