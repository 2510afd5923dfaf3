/* Upload types by their bytes. Each accepted type has a test of its signature (PNG's eight bytes and
 * IHDR, JPEG's SOI marker, WebP's RIFF form, an MP4 ftyp box with a video brand, an EBML header whose
 * DocType is "webm", "%PDF-", "WEBVTT"); SVG and HTML are recognised only to name them when refused.
 * The WebVTT check follows the syntax of the W3C WebVTT spec for cue timings. */
#include "app/filetype.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "base/util.h"

static bool has(const unsigned char *p, size_t len, size_t off, const char *sig, size_t n)
{
	return len >= off + n && memcmp(p + off, sig, n) == 0;
}

static bool is_png(const unsigned char *p, size_t len)
{
	return has(p, len, 0, "\x89PNG\r\n\x1a\n", 8) && has(p, len, 12, "IHDR", 4);
}

static bool is_jpeg(const unsigned char *p, size_t len)
{
	return has(p, len, 0, "\xff\xd8\xff", 3);
}

static bool is_webp(const unsigned char *p, size_t len)
{
	return has(p, len, 0, "RIFF", 4) && has(p, len, 8, "WEBP", 4) &&
	       (has(p, len, 12, "VP8 ", 4) || has(p, len, 12, "VP8L", 4) || has(p, len, 12, "VP8X", 4));
}

/* An ISO media file whose ftyp box names a video brand as its major brand (not QuickTime, HEIF
 * images or audio-only M4A, which share the box). */
static bool is_mp4(const unsigned char *p, size_t len)
{
	static const char brands[][5] = {"isom", "iso2", "iso4", "iso5", "iso6", "mp41",
	                                 "mp42", "avc1", "dash", "M4V ", "mmp4"};
	if (!has(p, len, 4, "ftyp", 4) || len < 16)
		return false;
	uint32_t size = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	if (size < 16)
		return false;
	for (size_t i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
		if (memcmp(p + 8, brands[i], 4) == 0)
			return true;
	return false;
}

/* An EBML variable-length integer at p[*i]: its value (marker bit removed unless keep_marker, as
 * element IDs are written with it); -1 when malformed or past end. */
static int64_t ebml_vint(const unsigned char *p, size_t end, size_t *i, bool keep_marker)
{
	if (*i >= end || !p[*i])
		return -1;
	size_t n = 1;
	while (!(p[*i] & (0x80 >> (n - 1))))
		n++;
	if (*i + n > end)
		return -1;
	uint64_t v = keep_marker ? p[*i] : p[*i] & (0xffu >> n);
	for (size_t k = 1; k < n; k++)
		v = v << 8 | p[*i + k];
	*i += n;
	return (int64_t)v;
}

/* A WebM file: the EBML header element, and inside it a DocType element (0x4282) saying "webm"
 * (Matroska files say "matroska" and are not accepted). */
static bool is_webm(const unsigned char *p, size_t len)
{
	if (!has(p, len, 0, "\x1a\x45\xdf\xa3", 4))
		return false;
	size_t i = 4;
	int64_t hsize = ebml_vint(p, len, &i, false);
	if (hsize < 0 || (uint64_t)hsize > len - i)
		return false;
	size_t end = i + (size_t)hsize;
	while (i < end) {
		int64_t id = ebml_vint(p, end, &i, true), size = ebml_vint(p, end, &i, false);
		if (id < 0 || size < 0 || (uint64_t)size > end - i)
			return false;
		if (id == 0x4282)
			return size == 4 && memcmp(p + i, "webm", 4) == 0;
		i += (size_t)size;
	}
	return false;
}

static bool is_pdf(const unsigned char *p, size_t len)
{
	return has(p, len, 0, "%PDF-", 5) && len > 5 && p[5] >= '1' && p[5] <= '9';
}

/* "WEBVTT" (after an optional byte order mark) alone on its line or followed by a space or tab. */
static bool is_vtt(const unsigned char *p, size_t len)
{
	size_t o = has(p, len, 0, "\xef\xbb\xbf", 3) ? 3 : 0;
	return has(p, len, o, "WEBVTT", 6) && (len == o + 6 || (p[o + 6] && strchr(" \t\r\n", p[o + 6])));
}

/* clang-format off */
const struct filetype filetype_table[] = {
	{"PNG",    "image",    "image/png",               "png",  5 * FILETYPE_MIB},
	{"JPEG",   "image",    "image/jpeg",              "jpg",  5 * FILETYPE_MIB},
	{"WebP",   "image",    "image/webp",              "webp", 5 * FILETYPE_MIB},
	{"MP4",    "video",    "video/mp4",               "mp4",  0},
	{"WebM",   "video",    "video/webm",              "webm", 0},
	{"WebVTT", "captions", "text/vtt; charset=utf-8", "vtt",  1 * FILETYPE_MIB},
	{"PDF",    "pdf",      "application/pdf",         "pdf",  10 * FILETYPE_MIB},
};
/* clang-format on */
enum { NTYPES = sizeof(filetype_table) / sizeof(filetype_table[0]) };
const size_t filetype_count = NTYPES;

/* The signature test of each row of filetype_table. */
static bool (*const tests[NTYPES])(const unsigned char *p, size_t len) = {
    is_png, is_jpeg, is_webp, is_mp4, is_webm, is_vtt, is_pdf,
};

const struct filetype *filetype_sniff(const void *p, size_t len)
{
	for (size_t i = 0; p && i < NTYPES; i++)
		if (tests[i](p, len))
			return &filetype_table[i];
	return NULL;
}

const struct filetype *filetype_by_ext(const char *ext)
{
	for (size_t i = 0; ext && i < NTYPES; i++)
		if (strcmp(filetype_table[i].ext, ext) == 0)
			return &filetype_table[i];
	return NULL;
}

/* Markup refused by name: it can carry scripts, and a browser may run them from our origin. */
const char *filetype_refused(const void *p, size_t len)
{
	static const struct {
		const char *prefix, *name;
	} markup[] = {{"<svg", "svg"},     {"<!doctype html", "html"}, {"<html", "html"},
	              {"<head", "html"},   {"<body", "html"},          {"<script", "html"},
	              {"<iframe", "html"}, {"<!--", "html"},           {"<?xml", "xml"}};
	const char *s = p;
	size_t i = has(p, len, 0, "\xef\xbb\xbf", 3) ? 3 : 0;
	while (i < len && s[i] && strchr(" \t\r\n\f", s[i]))
		i++;
	for (size_t k = 0; k < sizeof(markup) / sizeof(markup[0]); k++) {
		size_t n = strlen(markup[k].prefix);
		if (len - i < n || strncasecmp(s + i, markup[k].prefix, n) != 0)
			continue;
		if (strcmp(markup[k].name, "xml") != 0)
			return markup[k].name;
		/* An XML file is refused as SVG when it holds an <svg element near the top. */
		size_t window = len - i < 4096 ? len - i : 4096;
		return mem_find(s + i, window, "<svg", 4) ? "svg" : NULL;
	}
	return NULL;
}

/* ---- WebVTT */

struct vtt {
	const char *p, *end;
	const char *line; /* the current line and its length (without its end) */
	size_t len, no;
};

/* Move to the next line (CRLF, LF or CR ends one); false at the end of the file. */
static bool vtt_next(struct vtt *v)
{
	if (v->line) {
		const char *q = v->line + v->len;
		if (q >= v->end)
			return false;
		q += (q[0] == '\r' && q + 1 < v->end && q[1] == '\n') ? 2 : 1;
		if (q >= v->end)
			return false;
		v->p = q;
	}
	v->line = v->p;
	v->len = 0;
	while (v->line + v->len < v->end && v->line[v->len] != '\r' && v->line[v->len] != '\n')
		v->len++;
	v->no++;
	return true;
}

static bool vtt_blank(const struct vtt *v)
{
	return v->len == 0;
}

static bool vtt_has_arrow(const struct vtt *v)
{
	return mem_find(v->line, v->len, "-->", 3) != NULL;
}

/* min to max digits at s[*i]: their value; -1 when fewer than min. */
static int64_t digits(const char *s, size_t len, size_t *i, size_t min, size_t max)
{
	int64_t v = 0;
	size_t n = 0;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9' && n < max) {
		v = v * 10 + (s[*i] - '0');
		(*i)++, n++;
	}
	return n >= min ? v : -1;
}

/* A timestamp "HH:MM:SS.mmm" (two or more hour digits) or "MM:SS.mmm" at s[*i], in milliseconds;
 * -1 when malformed. */
static int64_t timestamp(const char *s, size_t len, size_t *i)
{
	size_t start = *i;
	int64_t a = digits(s, len, i, 2, 9), b, c = -1;
	bool two = *i - start == 2;
	if (a < 0 || *i >= len || s[(*i)++] != ':' || (b = digits(s, len, i, 2, 2)) < 0)
		return -1;
	if (*i < len && s[*i] == ':') {
		(*i)++;
		if ((c = digits(s, len, i, 2, 2)) < 0)
			return -1;
	} else if (!two) {
		return -1; /* minutes take exactly two digits */
	}
	int64_t h = c < 0 ? 0 : a, m = c < 0 ? a : b, sec = c < 0 ? b : c;
	if (*i >= len || s[(*i)++] != '.')
		return -1;
	int64_t ms = digits(s, len, i, 3, 3);
	if (ms < 0 || m > 59 || sec > 59 || (*i < len && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

static void skip_blanks(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

/* A cue timing line: start and end in milliseconds; -1 when malformed. */
static int timing(const struct vtt *v, int64_t *start, int64_t *end)
{
	const char *s = v->line;
	size_t len = v->len, i = 0;
	*start = timestamp(s, len, &i);
	skip_blanks(s, len, &i);
	if (*start < 0 || len - i < 3 || memcmp(s + i, "-->", 3) != 0)
		return -1;
	i += 3;
	skip_blanks(s, len, &i);
	*end = timestamp(s, len, &i);
	/* Cue settings may follow after white space. */
	return *end < 0 || (i < len && s[i] != ' ' && s[i] != '\t') ? -1 : 0;
}

static int vtt_fail(struct filetype_vtt_error *err, size_t line, const char *key)
{
	err->line = line;
	err->key = key;
	return -1;
}

/* Skip the rest of a block (to the blank line after it). NOTE blocks may not hold "-->". */
static int skip_block(struct vtt *v, bool note, struct filetype_vtt_error *err)
{
	while (vtt_next(v) && !vtt_blank(v))
		if (note && vtt_has_arrow(v))
			return vtt_fail(err, v->no, "vtt_blank");
	return 0;
}

static bool block_starts(const struct vtt *v, const char *word)
{
	size_t n = strlen(word);
	return v->len >= n && memcmp(v->line, word, n) == 0 &&
	       (v->len == n || v->line[n] == ' ' || v->line[n] == '\t');
}

/* One cue: an optional identifier line, the timing line, then text lines to a blank line. */
static int cue(struct vtt *v, int64_t *prev, struct filetype_vtt_error *err)
{
	/* An identifier line: the timing follows it (an identifier alone is a block without one). */
	if (!vtt_has_arrow(v)) {
		size_t id = v->no, i = 0;
		if (timestamp(v->line, v->len, &i) >= 0)
			return vtt_fail(err, id, "vtt_timing"); /* a timing with a broken arrow */
		if (!vtt_next(v) || vtt_blank(v))
			return vtt_fail(err, id, "vtt_timing");
		if (!vtt_has_arrow(v))
			return vtt_fail(err, v->no, "vtt_timing");
	}
	int64_t start, end;
	if (timing(v, &start, &end) < 0)
		return vtt_fail(err, v->no, "vtt_timing");
	if (end <= start)
		return vtt_fail(err, v->no, "vtt_end");
	if (start < *prev)
		return vtt_fail(err, v->no, "vtt_order");
	*prev = start;
	while (vtt_next(v) && !vtt_blank(v))
		if (vtt_has_arrow(v))
			return vtt_fail(err, v->no, "vtt_arrow");
	return 0;
}

/* Every line is UTF-8 text: the first that is not names the problem. */
static int vtt_text(const char *p, size_t len, struct filetype_vtt_error *err)
{
	struct vtt v = {p, p + len, NULL, 0, 0};
	while (vtt_next(&v))
		if (!utf8_valid(v.line, v.len))
			return vtt_fail(err, v.no, "vtt_utf8");
	return 0;
}

int filetype_vtt_check(const char *p, size_t len, struct filetype_vtt_error *err)
{
	if (!p || !is_vtt((const unsigned char *)p, len))
		return vtt_fail(err, 1, "vtt_header");
	if (vtt_text(p, len, err) < 0)
		return -1;
	size_t bom = has((const unsigned char *)p, len, 0, "\xef\xbb\xbf", 3) ? 3 : 0;
	struct vtt v = {p + bom, p + len, NULL, 0, 0};
	vtt_next(&v);
	/* Header lines (metadata) run to the first blank line; a cue there means the blank is missing. */
	while (vtt_next(&v) && !vtt_blank(&v))
		if (vtt_has_arrow(&v))
			return vtt_fail(err, v.no, "vtt_blank");
	int64_t prev = 0;
	size_t cues = 0;
	while (vtt_next(&v)) {
		if (vtt_blank(&v))
			continue;
		int rc;
		if (block_starts(&v, "NOTE"))
			rc = skip_block(&v, true, err);
		else if (block_starts(&v, "STYLE") || block_starts(&v, "REGION"))
			rc = skip_block(&v, false, err);
		else
			rc = cue(&v, &prev, err), cues++;
		if (rc < 0)
			return -1;
	}
	return cues ? 0 : vtt_fail(err, v.no ? v.no : 1, "vtt_empty");
}
