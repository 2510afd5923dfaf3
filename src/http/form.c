/* application/x-www-form-urlencoded decoding (the WHATWG URL standard's algorithm), strict about
 * what it accepts: every field must decode to valid UTF-8 without NULs. */
#include "http/form.h"

#include <string.h>

#include "base/utf8.h"
#include "base/util.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode n bytes at p into the arena; NULL when malformed. */
static const char *decode(struct arena *a, const char *p, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '+') {
			out[k++] = ' ';
		} else if (p[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(p[i + 1]), lo = hexval(p[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[k++] = p[i];
		}
	}
	out[k] = '\0';
	return utf8_valid(out, k) ? out : NULL;
}

int form_parse(struct arena *a, const char *body, size_t len, struct form *f)
{
	f->n = 0;
	size_t i = 0;
	while (body && i < len) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		if (end > i) {
			const char *eq = memchr(body + i, '=', end - i);
			size_t nend = eq ? (size_t)(eq - body) : end;
			if (f->n == FORM_MAX_FIELDS)
				return -1;
			const char *name = decode(a, body + i, nend - i);
			const char *value = eq ? decode(a, eq + 1, end - nend - 1) : "";
			if (!name || !value)
				return -1;
			f->fields[f->n++] = (struct form_field){name, value};
		}
		i = end + 1;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}
