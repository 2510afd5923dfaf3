/* A small hand parser: the grammar is tiny, and its errors must name what to fix next to the field. */
#include "model/hours.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/utf8.h"
#include "base/util.h"

static const char *const day_names[7][3] = {
    {"mon", "mo", "monday"}, {"tue", "tu", "tuesday"},  {"wed", "we", "wednesday"}, {"thu", "th", "thursday"},
    {"fri", "fr", "friday"}, {"sat", "sa", "saturday"}, {"sun", "su", "sunday"},
};
static const char *const day_abbr[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *skip(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The lower-case word at p (letters only) into w; its length. */
static size_t word(const char *p, char *w, size_t cap)
{
	size_t n = 0;
	while (is_alpha(p[n]) && n < cap - 1) {
		w[n] = (char)(p[n] | 0x20);
		n++;
	}
	w[n] = '\0';
	return is_alpha(p[n]) ? cap : n;
}

/* The day named by the word at *p (advanced past it), or -1. */
static int day(const char **p)
{
	char w[16];
	size_t n = word(*p, w, sizeof(w));
	for (int d = 0; n < sizeof(w) && d < 7; d++)
		for (int k = 0; k < 3; k++)
			if (strcmp(w, day_names[d][k]) == 0) {
				*p += n;
				return d;
			}
	return -1;
}

/* "Mon-Fri", "Mon, Wed, Fri", "Sat", "daily": the day bits, or 0 when unreadable. */
static unsigned days(const char **p)
{
	char w[16];
	size_t n = word(*p, w, sizeof(w));
	if (strcmp(w, "daily") == 0) {
		*p += n;
		return 0x7f;
	}
	unsigned bits = 0;
	for (;;) {
		*p = skip(*p);
		int a = day(p), b;
		if (a < 0)
			return 0;
		b = a;
		*p = skip(*p);
		if (**p == '-') {
			*p = skip(*p + 1);
			if ((b = day(p)) < 0)
				return 0;
		}
		for (int d = a;; d = (d + 1) % 7) {
			bits |= 1u << d;
			if (d == b)
				break;
		}
		*p = skip(*p);
		if (**p != ',')
			return bits;
		(*p)++;
	}
}

/* "9", "09:30", "9am", "5:30 pm", "24:00": minutes after midnight, or -1. */
static int read_clock(const char **p)
{
	const char *s = *p;
	int h = 0, m = 0, nd = 0;
	while (is_digit(*s) && nd < 3)
		h = h * 10 + (*s++ - '0'), nd++;
	if (nd == 0 || nd > 2)
		return -1;
	if (*s == ':') {
		s++;
		if (!is_digit(s[0]) || !is_digit(s[1]))
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
		s += 2;
	}
	const char *t = skip(s);
	char w[8];
	size_t n = word(t, w, sizeof(w));
	bool am = strcmp(w, "am") == 0, pm = strcmp(w, "pm") == 0;
	if (!am && !pm && (t[0] | 0x20) == 'a' && strncmp(t + 1, ".m.", 3) == 0)
		am = true, n = 4;
	if (!am && !pm && (t[0] | 0x20) == 'p' && strncmp(t + 1, ".m.", 3) == 0)
		pm = true, n = 4;
	if (am || pm) {
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
		s = t + n;
	}
	if (m > 59 || h > 24 || (h == 24 && m > 0))
		return -1;
	*p = s;
	return h * 60 + m;
}

/* "09:00-17:00" (or with an en dash, or "to"): 0, or -1 with *err. */
static int range(const char **p, int *opens, int *closes, const char **err)
{
	*p = skip(*p);
	if ((*opens = read_clock(p)) < 0)
		return *err = "err_hours_time", -1;
	*p = skip(*p);
	if (**p == '-')
		(*p)++;
	else if (strncmp(*p, "\xe2\x80\x93", 3) == 0)
		*p += 3;
	else if (((*p)[0] | 0x20) == 't' && ((*p)[1] | 0x20) == 'o' && !is_alpha((*p)[2]))
		*p += 2;
	else
		return *err = "err_hours_time", -1;
	*p = skip(*p);
	if ((*closes = read_clock(p)) < 0)
		return *err = "err_hours_time", -1;
	if (*opens == 24 * 60 || *closes <= *opens)
		return *err = "err_hours_order", -1;
	return 0;
}

/* The next entry of s (up to ';' or a new line) into e; s advanced past it. False at the end. */
static bool entry(const char **s, char *e, size_t cap)
{
	while (**s == ';' || **s == '\n' || is_space(**s))
		(*s)++;
	if (!**s)
		return false;
	size_t n = strcspn(*s, ";\n");
	snprintf(e, cap, "%.*s", (int)(n < cap - 1 ? n : cap - 1), *s);
	*s += n;
	return true;
}

int hours_parse(const char *s, struct hours_span out[HOURS_MAX], size_t *n, const char **err)
{
	char e[256];
	*n = 0;
	while (s && entry(&s, e, sizeof(e))) {
		const char *p = e;
		if (*n == HOURS_MAX)
			return *err = "err_hours_many", -1;
		struct hours_span *sp = &out[*n];
		if (!(sp->days = days(&p)))
			return *err = "err_hours_day", -1;
		if (range(&p, &sp->opens, &sp->closes, err) < 0)
			return -1;
		if (*skip(p))
			return *err = "err_hours_time", -1;
		(*n)++;
	}
	return 0;
}

void hours_hhmm(int minutes, char *out)
{
	unsigned h = (unsigned)(minutes / 60) % 25, m = (unsigned)minutes % 60;
	out[0] = (char)('0' + h / 10), out[1] = (char)('0' + h % 10), out[2] = ':';
	out[3] = (char)('0' + m / 10), out[4] = (char)('0' + m % 10), out[5] = '\0';
}

/* "Mon-Fri", "Mon, Wed", "Sat-Sun". */
static void format_days(unsigned bits, struct buf *out)
{
	bool first = true;
	for (int d = 0; d < 7;) {
		if (!(bits & (1u << d))) {
			d++;
			continue;
		}
		int e = d;
		while (e + 1 < 7 && (bits & (1u << (e + 1))))
			e++;
		buf_printf(out, "%s%s", first ? "" : ", ", day_abbr[d]);
		if (e > d)
			buf_printf(out, "-%s", day_abbr[e]);
		first = false;
		d = e + 1;
	}
}

void hours_format(const struct hours_span *spans, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char a[6], b[6];
		hours_hhmm(spans[i].opens, a);
		hours_hhmm(spans[i].closes, b);
		if (i)
			buf_puts(out, "; ");
		format_days(spans[i].days, out);
		buf_printf(out, " %s-%s", a, b);
	}
}

int hours_exceptions_parse(const char *s, struct hours_exception out[HOURS_MAX], size_t *n, const char **err)
{
	char e[600];
	*n = 0;
	while (s && entry(&s, e, sizeof(e))) {
		if (*n == HOURS_MAX)
			return *err = "err_hours_many", -1;
		struct hours_exception *x = &out[*n];
		memset(x, 0, sizeof(*x));
		const char *p = skip(e);
		if (!date_valid((struct str){p, strnlen(p, 10)}) || (p[10] && !is_space(p[10])))
			return *err = "err_hours_date", -1;
		memcpy(x->date, p, 10);
		p = skip(p + 10);
		char w[16];
		size_t wn = word(p, w, sizeof(w));
		if (strcmp(w, "closed") == 0) {
			x->closed = true;
			p += wn;
		} else if (range(&p, &x->opens, &x->closes, err) < 0) {
			return -1;
		}
		struct str note = str_trim(str_c(p));
		if (utf8_len(note.p, note.len) > HOURS_NOTE_MAX)
			return *err = "err_hours_note", -1;
		snprintf(x->note, sizeof(x->note), "%.*s", (int)note.len, note.p);
		(*n)++;
	}
	return 0;
}

void hours_exceptions_format(const struct hours_exception *ex, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char a[6], b[6];
		buf_printf(out, "%s%s ", i ? "\n" : "", ex[i].date);
		if (ex[i].closed) {
			buf_puts(out, "closed");
		} else {
			hours_hhmm(ex[i].opens, a);
			hours_hhmm(ex[i].closes, b);
			buf_printf(out, "%s-%s", a, b);
		}
		if (ex[i].note[0])
			buf_printf(out, " %s", ex[i].note);
	}
}
