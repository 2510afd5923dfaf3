/* Line diff by longest common subsequence over the part between the common prefix and suffix, which
 * for an edited article is small; a table of (m+1)(n+1) 32-bit lengths in the arena. */
#include "base/diff.h"

#include <stdint.h>
#include <string.h>

struct lines {
	const char **v;
	size_t n;
};

static struct lines split(struct arena *a, const char *s)
{
	struct lines l = {NULL, 0};
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '\n';
	l.v = arena_alloc(a, cap * sizeof(*l.v));
	const char *p = s;
	while (*p) {
		size_t len = strcspn(p, "\n");
		l.v[l.n++] = arena_strndup(a, p, len);
		p += len + (p[len] == '\n');
	}
	return l;
}

static void emit(struct diff_line *out, size_t *k, enum diff_op op, const char *text)
{
	out[*k].op = op;
	out[*k].text = text;
	(*k)++;
}

struct diff_line *diff_lines(struct arena *a, const char *old, const char *new_text, size_t *n)
{
	struct lines x = split(a, old ? old : ""), y = split(a, new_text ? new_text : "");
	struct diff_line *out = arena_alloc(a, (x.n + y.n + 1) * sizeof(*out));
	size_t k = 0, pre = 0, suf = 0;
	while (pre < x.n && pre < y.n && strcmp(x.v[pre], y.v[pre]) == 0)
		pre++;
	while (suf < x.n - pre && suf < y.n - pre && strcmp(x.v[x.n - 1 - suf], y.v[y.n - 1 - suf]) == 0)
		suf++;
	for (size_t i = 0; i < pre; i++)
		emit(out, &k, DIFF_SAME, x.v[i]);
	size_t m = x.n - pre - suf, w = y.n - pre - suf;
	const char **xs = x.v + pre, **ys = y.v + pre;
	if (m > DIFF_MAX_LINES || w > DIFF_MAX_LINES) {
		for (size_t i = 0; i < m; i++)
			emit(out, &k, DIFF_DEL, xs[i]);
		for (size_t j = 0; j < w; j++)
			emit(out, &k, DIFF_ADD, ys[j]);
	} else {
		/* len[i][j]: the LCS of xs[i..] and ys[j..]. */
		uint32_t *len = arena_calloc(a, (m + 1) * (w + 1), sizeof(*len));
#define L(i, j) len[(i) * (w + 1) + (j)]
		for (size_t i = m; i-- > 0;)
			for (size_t j = w; j-- > 0;)
				L(i, j) = strcmp(xs[i], ys[j]) == 0
				              ? L(i + 1, j + 1) + 1
				              : (L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
		size_t i = 0, j = 0;
		while (i < m && j < w) {
			if (strcmp(xs[i], ys[j]) == 0) {
				emit(out, &k, DIFF_SAME, xs[i]);
				i++, j++;
			} else if (L(i + 1, j) >= L(i, j + 1)) {
				emit(out, &k, DIFF_DEL, xs[i++]);
			} else {
				emit(out, &k, DIFF_ADD, ys[j++]);
			}
		}
#undef L
		while (i < m)
			emit(out, &k, DIFF_DEL, xs[i++]);
		while (j < w)
			emit(out, &k, DIFF_ADD, ys[j++]);
	}
	for (size_t i = x.n - suf; i < x.n; i++)
		emit(out, &k, DIFF_SAME, x.v[i]);
	*n = k;
	return out;
}
