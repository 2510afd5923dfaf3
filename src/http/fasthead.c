/* A strict HTTP/1.x request-head parser for the fast path (RFC 9112 sections 2-5): whatever it does
 * not recognise is handed off, so libmicrohttpd keeps answering odd requests exactly as before. */
#include "http/fasthead.h"

#include <string.h>
#include <strings.h>

/* RFC 9110 section 5.6.2: tchar. */
static bool tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The characters a fast-path target may hold: unreserved ones and '/'. Anything else (%, ?, #, +,
 * non-ASCII) goes to libmicrohttpd, which decodes and splits targets. */
static bool path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == '_' || c == '~' || c == '/';
}

/* One line at *pos: [*pos, CRLF). 1 with the line, 0 when no LF has arrived, -1 for a bare CR or LF
 * or a NUL. */
static int next_line(const char *buf, size_t len, size_t *pos, struct str *line)
{
	const char *p = buf + *pos;
	const char *lf = memchr(p, '\n', len - *pos);
	if (!lf) {
		const char *cr = memchr(p, '\r', len - *pos);
		return cr && cr + 1 < buf + len ? -1 : 0;
	}
	if (lf == p || lf[-1] != '\r')
		return -1;
	size_t n = (size_t)(lf - 1 - p);
	if (memchr(p, '\r', n) || memchr(p, '\0', n))
		return -1;
	*line = (struct str){p, n};
	*pos = (size_t)(lf + 1 - buf);
	return 1;
}

static bool parse_request_line(struct str l, size_t max_url, struct fasthead *h)
{
	if (l.len > 4 && memcmp(l.p, "GET ", 4) == 0)
		h->method = (struct str){l.p, 3};
	else if (l.len > 5 && memcmp(l.p, "HEAD ", 5) == 0)
		h->method = (struct str){l.p, 4}, h->head = true;
	else
		return false;
	const char *t = l.p + h->method.len + 1, *end = l.p + l.len;
	const char *sp = memchr(t, ' ', (size_t)(end - t));
	if (!sp || *t != '/' || (size_t)(sp - t) > max_url || end - sp != 9)
		return false;
	for (const char *c = t; c < sp; c++)
		if (!path_char((unsigned char)*c) || (c[0] == '.' && c + 1 < sp && c[1] == '.'))
			return false;
	h->path = (struct str){t, (size_t)(sp - t)};
	if (memcmp(sp, " HTTP/1.1", 9) == 0)
		h->http10 = false;
	else if (memcmp(sp, " HTTP/1.0", 9) == 0)
		h->http10 = true;
	else
		return false;
	return true;
}

/* Connection's tokens: only "close" and "keep-alive" are understood. */
static bool parse_connection(struct str v, bool *close, bool *keep)
{
	while (v.len) {
		const char *comma = memchr(v.p, ',', v.len);
		size_t n = comma ? (size_t)(comma - v.p) : v.len;
		struct str tok = str_trim((struct str){v.p, n});
		if (str_ieq(tok, STR("close")))
			*close = true;
		else if (str_ieq(tok, STR("keep-alive")))
			*keep = true;
		else if (tok.len)
			return false;
		v.p += n, v.len -= n;
		if (comma)
			v.p++, v.len--;
	}
	return true;
}

struct seen {
	unsigned host;
	bool accept, inm, conn, close, keep;
};

/* One header line; false hands the request off. */
static bool parse_header(struct str l, struct fasthead *h, struct seen *s)
{
	size_t i = 0;
	while (i < l.len && tchar((unsigned char)l.p[i]))
		i++;
	if (i == 0 || i == l.len || l.p[i] != ':')
		return false;
	struct str name = {l.p, i}, v = str_trim((struct str){l.p + i + 1, l.len - i - 1});
	for (size_t k = 0; k < v.len; k++)
		if ((unsigned char)v.p[k] < 0x20 ? v.p[k] != '\t' : (unsigned char)v.p[k] > 0x7e)
			return false;
	h->header_bytes += name.len + v.len + 4;
	if (str_ieq(name, STR("Host"))) {
		s->host++;
	} else if (str_ieq(name, STR("Accept-Encoding"))) {
		if (s->accept)
			return false;
		s->accept = true, h->accept = v;
	} else if (str_ieq(name, STR("If-None-Match"))) {
		if (s->inm)
			return false;
		s->inm = true, h->inm = v;
	} else if (str_ieq(name, STR("Connection"))) {
		if (s->conn || !parse_connection(v, &s->close, &s->keep))
			return false;
		s->conn = true;
	} else if (str_ieq(name, STR("Content-Length"))) {
		return str_eq(v, STR("0"));
	} else if (str_ieq(name, STR("Transfer-Encoding")) || str_ieq(name, STR("Range")) ||
	           str_ieq(name, STR("If-Range")) || str_ieq(name, STR("Expect")) ||
	           str_ieq(name, STR("Upgrade"))) {
		return false;
	}
	return true;
}

enum fasthead_result fasthead_parse(const char *buf, size_t len, size_t max_url, size_t max_headers,
                                    struct fasthead *h)
{
	*h = (struct fasthead){0};
	size_t pos = 0;
	struct str line;
	int r = next_line(buf, len, &pos, &line);
	if (r == 0)
		return len > max_url + 32 ? FASTHEAD_HANDOFF : FASTHEAD_INCOMPLETE;
	if (r < 0 || !parse_request_line(line, max_url, h))
		return FASTHEAD_HANDOFF;
	struct seen s = {0};
	for (;;) {
		r = next_line(buf, len, &pos, &line);
		if (r < 0)
			return FASTHEAD_HANDOFF;
		if (r == 0)
			return len - pos > max_headers + 1024 || h->header_bytes > max_headers
			           ? FASTHEAD_HANDOFF
			           : FASTHEAD_INCOMPLETE;
		if (line.len == 0)
			break;
		if (!parse_header(line, h, &s) || h->header_bytes > max_headers)
			return FASTHEAD_HANDOFF;
	}
	if (h->http10 ? s.host > 1 : s.host != 1)
		return FASTHEAD_HANDOFF;
	h->close = h->http10 ? !s.keep : s.close;
	h->len = pos;
	return FASTHEAD_OK;
}
