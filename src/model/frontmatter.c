/* A line-oriented parser for the content header: keys from a table, sources as a two-level list. */
#include "model/frontmatter.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/slug.h"
#include "base/str.h"
#include "base/utf8.h"
#include "base/util.h"

struct parse {
	struct arena *a;
	struct resource *r;
	char *err;
	size_t errlen;
	int line;
	int sources_line; /* line of "sources:", 0 if not seen */
	int source_line;  /* line of the last "- title:", for the error when its url is missing */
};

static int fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parse *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "line %d: ", p->line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *dup_value(struct parse *p, struct str v)
{
	v = str_trim(v);
	if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"')
		v.p++, v.len -= 2;
	return arena_strndup(p->a, v.p, v.len);
}

static const char *const types[] = {"article", "video", "link", "worksheet", NULL};
static const char *const stages[] = {"first-days", "weeks-months", "long-term", "any", NULL};

static bool one_of(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

static bool is_type(const char *v)
{
	return one_of(v, types);
}

static bool is_stage(const char *v)
{
	return one_of(v, stages);
}

/* A file may say only these; "review" is a console state. */
static const char *const file_statuses[] = {"draft", "published", "archived", NULL};

static bool is_status(const char *v)
{
	return one_of(v, file_statuses);
}

static bool is_date(const char *v)
{
	return date_valid(str_c(v));
}

static bool is_slug(const char *v)
{
	return slug_valid(str_c(v));
}

static bool is_https(const char *v)
{
	return strncmp(v, "https://", 8) == 0 && strlen(v) >= 12 && !strpbrk(v, " <>\"'");
}

/* Values are checked on their own line, so an error names the line to fix. */
#define FIELD(name) offsetof(struct resource, name)
static const struct {
	const char *key;
	size_t offset;
	size_t max; /* characters; 0: no limit */
	bool (*valid)(const char *v);
	const char *rule; /* the error when valid() refuses */
} fields[] = {
    {"title", FIELD(title), 120, NULL, NULL},
    {"summary", FIELD(summary), 300, NULL, NULL},
    {"topic", FIELD(topic), 100, is_slug, "topic must be a slug"},
    {"type", FIELD(type), 20, is_type, "type must be article, video, link or worksheet"},
    {"stage", FIELD(stage), 20, is_stage, "stage must be first-days, weeks-months, long-term or any"},
    {"checked", FIELD(checked), 10, is_date, "checked must be a date YYYY-MM-DD"},
    {"status", FIELD(status), 20, is_status, "status must be draft, published or archived"},
    {"translation", FIELD(translation), 100, is_slug, "translation must be a slug"},
    {"url", FIELD(url), 2000, is_https, "url must be an https:// URL"},
    {"video", FIELD(video), 200, NULL, NULL},
    {"poster", FIELD(poster), 200, NULL, NULL},
    {"captions", FIELD(captions), 200, NULL, NULL},
};

/* "hotlines: a, b": the help lines shown beside the text, by slug, in order. */
static int set_hotlines(struct parse *p, struct str val)
{
	struct resource *r = p->r;
	if (r->nhotlines)
		return fail(p, "'hotlines' given twice");
	val = str_trim(val);
	size_t cap = 1;
	for (size_t i = 0; i < val.len; i++)
		cap += val.p[i] == ',';
	r->hotlines = arena_alloc(p->a, cap * sizeof(*r->hotlines));
	while (val.len) {
		const char *comma = memchr(val.p, ',', val.len);
		size_t n = comma ? (size_t)(comma - val.p) : val.len;
		const char *slug = dup_value(p, (struct str){val.p, n});
		if (!is_slug(slug))
			return fail(p, "hotlines: '%s' is not a hotline slug", slug);
		for (size_t i = 0; i < r->nhotlines; i++)
			if (strcmp(r->hotlines[i], slug) == 0)
				return fail(p, "hotlines: '%s' is named twice", slug);
		r->hotlines[r->nhotlines++] = slug;
		val = comma ? (struct str){comma + 1, val.len - n - 1} : (struct str){val.p + n, 0};
	}
	if (!r->nhotlines)
		return fail(p, "'hotlines' is empty");
	return 0;
}

static int set_field(struct parse *p, struct str key, struct str val)
{
	if (str_eqc(key, "hotlines"))
		return set_hotlines(p, val);
	if (str_eqc(key, "sample")) {
		p->r->sample = str_eqc(str_trim(val), "yes") || str_eqc(str_trim(val), "true");
		return 0;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!str_eqc(key, fields[i].key))
			continue;
		const char **slot = (const char **)((char *)p->r + fields[i].offset);
		if (*slot)
			return fail(p, "'%s' given twice", fields[i].key);
		*slot = dup_value(p, val);
		if (fields[i].max && utf8_len(*slot, strlen(*slot)) > fields[i].max)
			return fail(p, "'%s' is longer than %zu characters", fields[i].key, fields[i].max);
		if (**slot == '\0')
			return fail(p, "'%s' is empty", fields[i].key);
		if (fields[i].valid && !fields[i].valid(*slot))
			return fail(p, "%s", fields[i].rule);
		return 0;
	}
	return fail(p, "unknown key '%.*s'", (int)key.len, key.p);
}

/* "    lang: en": the language of a source, when it is not the resource's own. */
static int source_lang(struct parse *p, struct source *s, struct str v)
{
	if (s->lang)
		return fail(p, "source has two langs");
	s->lang = dup_value(p, v);
	if (strcmp(s->lang, "en") != 0 && strcmp(s->lang, "es") != 0)
		return fail(p, "source lang must be en or es");
	return 0;
}

/* "  - title: X" starts a source; "    url: Y" completes it; "    lang: L" may follow. */
static int source_line(struct parse *p, struct str line)
{
	struct str t = str_trim(line);
	struct resource *r = p->r;
	if (t.len >= 2 && t.p[0] == '-' && t.p[1] == ' ') {
		t = str_trim((struct str){t.p + 2, t.len - 2});
		if (!str_starts(t, STR("title:")))
			return fail(p, "a source starts with '- title: ...'");
		if (r->nsources && !r->sources[r->nsources - 1].url) {
			p->line = p->source_line;
			return fail(p, "source '%s' has no url", r->sources[r->nsources - 1].title);
		}
		if (r->nsources == RESOURCE_MAX_SOURCES)
			return fail(p, "at most %d sources", RESOURCE_MAX_SOURCES);
		p->source_line = p->line;
		struct source *s = arena_alloc(p->a, (r->nsources + 1) * sizeof(*s));
		if (r->nsources)
			memcpy(s, r->sources, r->nsources * sizeof(*s));
		r->sources = s;
		s[r->nsources].title = dup_value(p, (struct str){t.p + 6, t.len - 6});
		s[r->nsources].url = NULL;
		s[r->nsources].lang = NULL;
		r->nsources++;
		return 0;
	}
	if (str_starts(t, STR("lang:")) && r->nsources > 0)
		return source_lang(p, &r->sources[r->nsources - 1], (struct str){t.p + 5, t.len - 5});
	if (!str_starts(t, STR("url:")) || r->nsources == 0)
		return fail(p, "expected '- title: ...', 'url: ...' or 'lang: ...' under sources");
	struct source *s = &r->sources[r->nsources - 1];
	if (s->url)
		return fail(p, "source has two urls");
	s->url = dup_value(p, (struct str){t.p + 4, t.len - 4});
	if (!is_https(s->url))
		return fail(p, "source url must be an https:// URL");
	return 0;
}

static int header_line(struct parse *p, struct str line)
{
	if (line.len == 0 || line.p[0] == '#')
		return 0;
	if (line.p[0] == ' ' || line.p[0] == '\t') {
		if (!p->sources_line)
			return fail(p, "unexpected indented line");
		return source_line(p, line);
	}
	p->sources_line = 0;
	const char *colon = memchr(line.p, ':', line.len);
	if (!colon)
		return fail(p, "expected 'key: value'");
	struct str key = {line.p, (size_t)(colon - line.p)};
	struct str val = {colon + 1, line.len - key.len - 1};
	if (str_eqc(key, "sources")) {
		if (str_trim(val).len)
			return fail(p, "sources are listed on the lines below 'sources:'");
		p->sources_line = p->line;
		return 0;
	}
	return set_field(p, key, val);
}

/* Rules that need the whole header: reported at its closing line, or at the source concerned. */
static int check(struct parse *p)
{
	struct resource *r = p->r;
	static const char *required[] = {"title", "summary", "topic",      "type",
	                                 "stage", "checked", "translation"};
	const char *vals[] = {r->title, r->summary, r->topic, r->type, r->stage, r->checked, r->translation};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (!vals[i])
			return fail(p, "missing '%s'", required[i]);
	if (r->nsources == 0)
		return fail(p, "at least one source is required");
	/* Only the last source can lack its url here: each new one checks the one before. */
	if (!r->sources[r->nsources - 1].url) {
		p->line = p->source_line;
		return fail(p, "source '%s' has no url", r->sources[r->nsources - 1].title);
	}
	if (strcmp(r->type, "link") == 0 && !r->url)
		return fail(p, "a link needs 'url: https://...'");
	if (strcmp(r->type, "video") == 0 && !r->video)
		return fail(p, "a video needs 'video: FILE'");
	return 0;
}

/* Line by line (no UTF-8 sequence contains '\n'), so the error names the line. */
static int check_utf8(struct parse *p, const char *text, size_t len)
{
	const char *s = text, *end = text + len;
	for (int line = 1; s < end; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (!utf8_valid(s, n)) {
			p->line = line;
			return fail(p, "the file is not valid UTF-8");
		}
		s = nl ? nl + 1 : end;
	}
	return 0;
}

int frontmatter_parse(struct arena *a, const char *text, size_t len, struct resource *r, char *err,
                      size_t errlen)
{
	struct parse p = {a, r, err, errlen, 1, 0, 0};
	if (check_utf8(&p, text, len) < 0)
		return -1;
	const char *s = text, *end = text + len;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	struct str first = {s, nl ? (size_t)(nl - s) : (size_t)(end - s)};
	if (!str_eqc(str_trim(first), "---"))
		return fail(&p, "the file must start with '---'");
	s = nl ? nl + 1 : end;
	for (;;) {
		p.line++;
		if (s >= end)
			return fail(&p, "the header is not closed with '---'");
		nl = memchr(s, '\n', (size_t)(end - s));
		struct str line = {s, nl ? (size_t)(nl - s) : (size_t)(end - s)};
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		s = nl ? nl + 1 : end;
		if (str_eqc(line, "---"))
			break;
		if (header_line(&p, line) < 0)
			return -1;
	}
	if (check(&p) < 0)
		return -1;
	r->body = arena_strndup(a, s, (size_t)(end - s));
	return 0;
}
