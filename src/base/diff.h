/* A line diff (longest common subsequence): what a reviewer reads to compare two revisions. */
#ifndef VRC_DIFF_H
#define VRC_DIFF_H
#include <stddef.h>

#include "base/arena.h"

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_ADD };

struct diff_line {
	enum diff_op op;
	const char *text; /* the line without its newline, in the arena */
};

/* The lines of b as edits of the lines of a, in order; *n gets the count. Texts longer than
 * DIFF_MAX_LINES lines on either side are compared as one deleted and one added block per line
 * beyond the common prefix and suffix (the table would be too large). Owned by arena. */
struct diff_line *diff_lines(struct arena *a, const char *old, const char *new_text, size_t *n);
/* At most this many lines in the middle part compared line by line. */
#define DIFF_MAX_LINES 4000

#endif
