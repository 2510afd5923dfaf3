/* multipart/form-data (RFC 7578 over RFC 2046's framing), strict where a mistake would be unsafe and
 * lenient where browsers differ: CRLF line ends, a header block of bounded size, a closing boundary
 * required (no truncated body passes), plain fields valid UTF-8; file names are only cleaned for
 * display (folders dropped, bad bytes replaced), never used as paths. */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "base/util.h"

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A quoted-string's value (p after the opening quote) into the arena; *p moves past the closing
 * quote. A backslash escapes only '"' and '\\' (old browsers sent Windows paths unescaped). */
static const char *unquote(struct arena *a, const char **pp)
{
	const char *p = *pp;
	char *val = arena_alloc(a, strlen(p) + 1);
	size_t k = 0;
	while (*p && *p != '"') {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		val[k++] = *p++;
	}
	if (*p != '"')
		return NULL;
	val[k] = '\0';
	*pp = p + 1;
	return val;
}

/* The value of parameter want in "; a=b; c=\"d\"" (the first one), in the arena: 1 found, 0 absent,
 * -1 when the list is malformed. */
static int param_get(struct arena *a, const char *p, const char *want, const char **out)
{
	*out = NULL;
	for (;;) {
		p = skip_ws(p);
		if (!*p)
			return *out ? 1 : 0;
		if (*p != ';')
			return -1;
		p = skip_ws(p + 1);
		if (!*p)
			continue;
		const char *name = p;
		size_t nlen = strcspn(p, "=; \t\"");
		p = skip_ws(p + nlen);
		if (!nlen || *p != '=')
			return -1;
		p = skip_ws(p + 1);
		const char *val;
		if (*p == '"') {
			p++;
			val = unquote(a, &p);
		} else {
			size_t vlen = strcspn(p, "; \t\"");
			val = vlen ? arena_strndup(a, p, vlen) : NULL;
			p += vlen;
		}
		if (!val)
			return -1;
		if (!*out && nlen == strlen(want) && strncasecmp(name, want, nlen) == 0)
			*out = val;
	}
}

/* RFC 2046 bchars: 1-70 of them, not ending in a space. */
static bool boundary_ok(const char *b)
{
	static const char bchars[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                             "'()+_,-./:=? ";
	size_t n = strlen(b);
	return n >= 1 && n <= 70 && strspn(b, bchars) == n && b[n - 1] != ' ';
}

int multipart_boundary(struct arena *a, const char *content_type, const char **out)
{
	static const char type[] = "multipart/form-data";
	*out = NULL;
	if (!content_type)
		return 0;
	const char *ct = skip_ws(content_type);
	if (strncasecmp(ct, type, sizeof(type) - 1) != 0)
		return 0;
	const char *rest = ct + sizeof(type) - 1;
	if (*rest && !strchr("; \t", *rest))
		return 0;
	const char *b;
	if (param_get(a, rest, "boundary", &b) != 1 || !boundary_ok(b))
		return -1;
	*out = b;
	return 1;
}

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

/* RFC 8187 ext-value "UTF-8'lang'%e2%82%ac.pdf" decoded; NULL for another charset or a bad escape. */
static const char *ext_value(struct arena *a, const char *v)
{
	const char *q1 = strchr(v, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (!q2 || (size_t)(q1 - v) != 5 || strncasecmp(v, "utf-8", 5) != 0)
		return NULL;
	const char *p = q2 + 1;
	char *out = arena_alloc(a, strlen(p) + 1);
	size_t k = 0;
	for (; *p; p++) {
		if (*p != '%') {
			out[k++] = *p;
			continue;
		}
		int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
		if (lo < 0)
			return NULL;
		out[k++] = (char)(hi << 4 | lo);
		p += 2;
	}
	out[k] = '\0';
	return out;
}

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t k = 0;
	if (p[0] < 0x80)
		k = 1;
	else if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	return k && k <= n && utf8_valid((const char *)p, k) ? k : 0;
}

/* A file name for display: browsers' escapes for '"', CR and LF undone (the last two dropped), any
 * folder removed, control characters dropped, bytes that are not UTF-8 replaced by U+FFFD, at most
 * MULTIPART_MAX_FILENAME bytes. */
static const char *clean_filename(struct arena *a, const char *raw)
{
	const char *slash = NULL;
	for (const char *p = raw; *p; p++)
		if (*p == '/' || *p == '\\')
			slash = p;
	const unsigned char *p = (const unsigned char *)(slash ? slash + 1 : raw);
	size_t n = strlen((const char *)p), k = 0;
	char *out = arena_alloc(a, 3 * n + 1);
	for (size_t i = 0; i < n;) {
		const char *rep = NULL;
		size_t used = utf8_seq(p + i, n - i), add;
		if (p[i] == '%' && p[i + 1] == '2' && p[i + 2] == '2')
			rep = "\"", used = 3;
		else if (p[i] == '%' && p[i + 1] == '0' && (p[i + 2] == 'D' || p[i + 2] == 'A'))
			rep = "", used = 3;
		else if (!used)
			rep = "\xef\xbf\xbd", used = 1;
		else if (p[i] < 0x20 || p[i] == 0x7f)
			rep = "";
		add = rep ? strlen(rep) : used;
		if (k + add > MULTIPART_MAX_FILENAME)
			break;
		memcpy(out + k, rep ? rep : (const char *)p + i, add);
		k += add, i += used;
	}
	out[k] = '\0';
	return out;
}

/* The Content-Disposition value: "form-data; name=...; filename=..." into part. */
static int disposition(struct arena *a, const char *v, struct multipart_part *part)
{
	v = skip_ws(v);
	if (strncasecmp(v, "form-data", 9) != 0 || (v[9] && !strchr("; \t", v[9])))
		return -1;
	const char *name, *fname, *fstar;
	if (param_get(a, v + 9, "name", &name) != 1 || !utf8_valid(name, strlen(name)) ||
	    param_get(a, v + 9, "filename", &fname) < 0 || param_get(a, v + 9, "filename*", &fstar) < 0)
		return -1;
	part->name = name;
	const char *ext = fstar ? ext_value(a, fstar) : NULL;
	if (ext || fname)
		part->filename = clean_filename(a, ext ? ext : fname);
	return 0;
}

/* The header block [p, end) of one part into part: a Content-Disposition is required. */
static int headers(struct arena *a, const char *p, size_t n, struct multipart_part *part)
{
	if (memchr(p, '\0', n))
		return -1;
	char *block = arena_strndup(a, p, n);
	bool have = false;
	for (char *line = block; *line;) {
		char *eol = strstr(line, "\r\n");
		if (eol)
			*eol = '\0';
		char *colon = strchr(line, ':');
		if (!colon || colon == line || line[0] == ' ' || line[0] == '\t')
			return -1;
		*colon = '\0';
		const char *value = skip_ws(colon + 1);
		if (strcasecmp(line, "Content-Disposition") == 0) {
			if (have || disposition(a, value, part) < 0)
				return -1;
			have = true;
		} else if (strcasecmp(line, "Content-Type") == 0) {
			part->content_type = value;
		}
		line = eol ? eol + 2 : line + strlen(line);
	}
	return have ? 0 : -1;
}

/* A plain field's value is copied and must be UTF-8 text; a file's bytes stay in the body. */
static int part_data(struct arena *a, struct multipart_part *part, const char *data, size_t len)
{
	part->len = len;
	if (part->filename) {
		part->data = data;
		return 0;
	}
	part->data = arena_strndup(a, data, len);
	return utf8_valid(data, len) ? 0 : -1;
}

int multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len, struct multipart *m)
{
	m->n = 0;
	if (!body || !boundary)
		return -1;
	const char *delim = arena_printf(a, "\r\n--%s", boundary), *end = body + len, *p;
	size_t dlen = strlen(delim);
	/* The first delimiter opens the body, or follows a preamble and its CRLF. */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = mem_find(body, len, delim, dlen)) != NULL)
		p += dlen;
	else
		return -1;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* the close delimiter; an epilogue is ignored */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n' || m->n == MULTIPART_MAX_PARTS)
			return -1;
		/* The header block ends at the first empty line; search from the CRLF just read so that
		 * an empty block is found too. */
		size_t window = (size_t)(end - p);
		if (window > MULTIPART_MAX_HEADER + 6)
			window = MULTIPART_MAX_HEADER + 6;
		const char *hend = mem_find(p, window, "\r\n\r\n", 4);
		if (!hend)
			return -1;
		struct multipart_part *part = &m->parts[m->n];
		*part = (struct multipart_part){0};
		size_t hlen = hend > p ? (size_t)(hend - (p + 2)) : 0;
		if (headers(a, p + 2, hlen, part) < 0)
			return -1;
		const char *data = hend + 4, *stop = mem_find(data, (size_t)(end - data), delim, dlen);
		if (!stop || part_data(a, part, data, (size_t)(stop - data)) < 0)
			return -1;
		m->n++;
		p = stop + dlen;
	}
}

const struct multipart_part *multipart_get(const struct multipart *m, const char *name)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (strcmp(m->parts[i].name, name) == 0)
			return &m->parts[i];
	return NULL;
}
