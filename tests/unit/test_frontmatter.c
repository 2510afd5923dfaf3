/* Unit tests for src/model/frontmatter.c: a full valid header, and each error with the line it is
 * on and its reason, as the loader shows them to content authors ("line N: reason"). */
#include <stdlib.h>

#include "base/buf.h"
#include "model/frontmatter.h"
#include "test.h"

/* A valid file; the error cases below change one line of it. Line numbers are in the comments. */
static const char *const base[] = {
    "---",                                                  /* 1 */
    "title: Know your rights as a crime victim",            /* 2 */
    "summary: \"You have rights in the justice process.\"", /* 3 */
    "topic: victims-rights",                                /* 4 */
    "type: article",                                        /* 5 */
    "stage: first-days",                                    /* 6 */
    "checked: 2026-11-20",                                  /* 7 */
    "hotlines: 988, domestic-violence",                     /* 8 */
    "translation: conozca-sus-derechos",                    /* 9 */
    "# a comment: not a key",                               /* 10 */
    "sources:",                                             /* 11 */
    "  - title: Office for Victims of Crime",               /* 12 */
    "    url: https://ovc.ojp.gov/rights",                  /* 13 */
    "  - title: Another source",                            /* 14 */
    "    url: https://example.org/a",                       /* 15 */
    "---",                                                  /* 16 */
    "The body, in **Markdown**.",                           /* 17 */
    "",
};
#define NBASE (sizeof(base) / sizeof(base[0]))

static char err[256];
static struct resource res;
static struct arena *arena;

/* The base file with the line starting with `prefix` replaced by `line` (NULL: removed), or with
 * `line` added just before the closing "---" when prefix is NULL. */
static void build(struct buf *b, const char *prefix, const char *line)
{
	for (size_t i = 0; i < NBASE; i++) {
		if (!prefix && line && i == 15) {
			buf_puts(b, line);
			buf_putc(b, '\n');
		}
		if (prefix && strncmp(base[i], prefix, strlen(prefix)) == 0) {
			prefix = NULL;
			if (line) {
				buf_puts(b, line);
				buf_putc(b, '\n');
			}
			line = NULL;
			continue;
		}
		buf_puts(b, base[i]);
		if (i + 1 < NBASE)
			buf_putc(b, '\n');
	}
}

static int parse_text(const char *text, size_t len)
{
	arena_free(arena);
	arena = arena_new();
	memset(&res, 0, sizeof(res));
	err[0] = '\0';
	return frontmatter_parse(arena, text, len, &res, err, sizeof(err));
}

/* Parse the base with one change; the error text, or "ok". */
static const char *parse_changed(const char *prefix, const char *line)
{
	struct buf b = BUF_INIT;
	build(&b, prefix, line);
	int rc = parse_text(b.p, b.len);
	buf_free(&b);
	return rc == 0 ? "ok" : err;
}

static void test_valid(void)
{
	struct buf b = BUF_INIT;
	build(&b, NULL, NULL);
	CHECK(parse_text(b.p, b.len) == 0);
	CHECK_STR(err, "");
	CHECK_STR(res.title, "Know your rights as a crime victim");
	CHECK_STR(res.summary, "You have rights in the justice process."); /* quotes removed */
	CHECK_STR(res.topic, "victims-rights");
	CHECK_STR(res.type, "article");
	CHECK_STR(res.stage, "first-days");
	CHECK_STR(res.checked, "2026-11-20");
	CHECK(res.reviewer == NULL && res.reviewed_at == NULL); /* only the console records a review */
	CHECK(res.status == NULL);                              /* published unless the file says */
	CHECK(res.nhotlines == 2);
	if (res.nhotlines == 2) {
		CHECK_STR(res.hotlines[0], "988");
		CHECK_STR(res.hotlines[1], "domestic-violence");
	}
	CHECK_STR(res.translation, "conozca-sus-derechos");
	CHECK(!res.sample);
	CHECK(res.url == NULL && res.video == NULL && res.poster == NULL && res.captions == NULL);
	CHECK(res.slug == NULL && res.lang == NULL && res.section == NULL); /* the loader's job */
	CHECK(res.nsources == 2);
	if (res.nsources == 2) {
		CHECK_STR(res.sources[0].title, "Office for Victims of Crime");
		CHECK_STR(res.sources[0].url, "https://ovc.ojp.gov/rights");
		CHECK_STR(res.sources[1].title, "Another source");
		CHECK_STR(res.sources[1].url, "https://example.org/a");
		CHECK(res.sources[0].lang == NULL && res.sources[1].lang == NULL);
	}
	CHECK_STR(res.body, "The body, in **Markdown**.\n");
	buf_free(&b);
}

/* A source in the other language carries its lang. */
static void test_source_lang(void)
{
	const char *e =
	    parse_changed("    url: https://ovc", "    url: https://ovc.ojp.gov/rights\n    lang: en");
	CHECK_STR(e, "ok");
	CHECK_STR(res.sources[0].lang, "en");
	CHECK(res.sources[1].lang == NULL);
}

static void test_valid_kinds(void)
{
	const char *video = "---\n"
	                    "title: \"A video: with a colon\"\n"
	                    "summary: S\n"
	                    "topic: sleep\n"
	                    "type: video\n"
	                    "stage: any\n"
	                    "checked: 2024-02-29\n"
	                    "translation: un-video\n"
	                    "video: sleep.webm\n"
	                    "poster: sleep.jpg\n"
	                    "captions: sleep.en.vtt\n"
	                    "sample: yes\n"
	                    "sources:\n"
	                    "  - title: A\n"
	                    "    url: https://a.example/x\n"
	                    "---\n"
	                    "Transcript.";
	CHECK(parse_text(video, strlen(video)) == 0);
	CHECK_STR(err, "");
	CHECK_STR(res.title, "A video: with a colon");
	CHECK_STR(res.video, "sleep.webm");
	CHECK_STR(res.poster, "sleep.jpg");
	CHECK_STR(res.captions, "sleep.en.vtt");
	CHECK(res.sample);
	CHECK(res.nsources == 1);
	CHECK_STR(res.body, "Transcript.");

	/* A link, with CRLF line endings and an empty body. */
	const char *link = "---\r\n"
	                   "title: Directory\r\n"
	                   "summary: Find services\r\n"
	                   "topic: find-help\r\n"
	                   "type: link\r\n"
	                   "stage: weeks-months\r\n"
	                   "checked: 2026-01-31\r\n"
	                   "translation: directorio\r\n"
	                   "url: https://ovc.ojp.gov/directory\r\n"
	                   "sample: true\r\n"
	                   "sources:\r\n"
	                   "  - title: OVC\r\n"
	                   "    url: https://ovc.ojp.gov/\r\n"
	                   "---\r\n";
	CHECK(parse_text(link, strlen(link)) == 0);
	CHECK_STR(err, "");
	CHECK_STR(res.title, "Directory");
	CHECK_STR(res.url, "https://ovc.ojp.gov/directory");
	CHECK_STR(res.sources[0].url, "https://ovc.ojp.gov/");
	CHECK(res.sample);
	CHECK_STR(res.body, "");

	/* 120 characters of two bytes each is a title of 120 characters, not 240. */
	struct buf t = BUF_INIT;
	buf_puts(&t, "title: ");
	for (int i = 0; i < 120; i++)
		buf_puts(&t, "\xc3\xa9");
	CHECK_STR(parse_changed("title:", t.p), "ok");
	buf_free(&t);
}

static const struct {
	const char *prefix; /* the base line to replace (NULL: add before the closing ---) */
	const char *line;   /* its replacement (NULL: removed); may hold several lines */
	const char *want;
} errors[] = {
    /* Keys */
    {NULL, "color: blue", "line 16: unknown key 'color'"},
    {"hotlines:", "Hotlines: 988", "line 8: unknown key 'Hotlines'"},
    {"hotlines:", "reviewer: Center clinical team", "line 8: unknown key 'reviewer'"},
    {"checked:", "reviewed: 2026-11-20", "line 7: unknown key 'reviewed'"},
    {NULL, "title: Again", "line 16: 'title' given twice"},
    {"stage:", "stage: any\nstage: any", "line 7: 'stage' given twice"},
    {"summary:", NULL, "line 15: missing 'summary'"},
    {"translation:", NULL, "line 15: missing 'translation'"},
    {"checked:", NULL, "line 15: missing 'checked'"},
    {"title:", "title:", "line 2: 'title' is empty"},
    {"title:", "title: \"\"", "line 2: 'title' is empty"},
    {"hotlines:", "no colon here", "line 8: expected 'key: value'"},
    {"hotlines:", "  indented: x", "line 8: unexpected indented line"},
    {"hotlines:", "hotlines: 988, 988", "line 8: hotlines: '988' is named twice"},
    {"hotlines:", "hotlines: 988, Bad Slug", "line 8: hotlines: 'Bad Slug' is not a hotline slug"},
    {"hotlines:", "hotlines:  ", "line 8: 'hotlines' is empty"},
    {"hotlines:", "hotlines: 988\nhotlines: 211", "line 9: 'hotlines' given twice"},
    {NULL, "status: published", "ok"},
    {NULL, "status: draft", "ok"},
    {NULL, "status: archived", "ok"},
    {NULL, "status: review", "line 16: status must be draft, published or archived"},
    {NULL, "status: gone", "line 16: status must be draft, published or archived"},
    /* Values */
    {"type:", "type: podcast", "line 5: type must be article, video, link or worksheet"},
    {"type:", "type: Article", "line 5: type must be article, video, link or worksheet"},
    {"stage:", "stage: someday", "line 6: stage must be first-days, weeks-months, long-term or any"},
    {"checked:", "checked: 2026-02-30", "line 7: checked must be a date YYYY-MM-DD"},
    {"checked:", "checked: 2025-02-29", "line 7: checked must be a date YYYY-MM-DD"},
    {"checked:", "checked: 11/20/2026", "line 7: checked must be a date YYYY-MM-DD"},
    {"checked:", "checked: 20 Nov 2026", "line 7: 'checked' is longer than 10 characters"},
    {"topic:", "topic: Victims Rights", "line 4: topic must be a slug"},
    {"translation:", "translation: ../x", "line 9: translation must be a slug"},
    /* Sources */
    {"    url: https://ovc", "    url: http://ovc.ojp.gov/rights",
     "line 13: source url must be an https:// URL"},
    {"    url: https://ovc", "    url: javascript:alert(1)", "line 13: source url must be an https:// URL"},
    {"    url: https://ovc", "    url: https://a b.org/", "line 13: source url must be an https:// URL"},
    {"    url: https://ovc", NULL, "line 12: source 'Office for Victims of Crime' has no url"},
    {"    url: https://example", NULL, "line 14: source 'Another source' has no url"},
    {"    url: https://ovc", "    url: https://ovc.ojp.gov/a\n    url: https://ovc.ojp.gov/b",
     "line 14: source has two urls"},
    {"  - title: Office", "  - name: Office", "line 12: a source starts with '- title: ...'"},
    {"    url: https://ovc", "    url: https://ovc.ojp.gov/rights\n    lang: fr",
     "line 14: source lang must be en or es"},
    {"    url: https://ovc", "    url: https://ovc.ojp.gov/rights\n    lang: en\n    lang: es",
     "line 15: source has two langs"},
    {"sources:", "sources: https://x.org", "line 11: sources are listed on the lines below 'sources:'"},
    {"sources:", "links:", "line 11: unknown key 'links'"},
    /* Types with their own needs */
    {"type:", "type: link", "line 16: a link needs 'url: https://...'"},
    {"type:", "type: link\nurl: http://ovc.ojp.gov/x", "line 6: url must be an https:// URL"},
    {"type:", "type: video", "line 16: a video needs 'video: FILE'"},
    /* Lengths */
    {"title:",
     "title: 123456789012345678901234567890123456789012345678901234567890"
     "1234567890123456789012345678901234567890123456789012345678901",
     "line 2: 'title' is longer than 120 characters"},
    /* Encoding: the line of the first bad byte */
    {"hotlines:", "hotlines: l\xednea", "line 8: the file is not valid UTF-8"},
    {"The body", "Caf\xc3", "line 17: the file is not valid UTF-8"},
    {"title:", "title: nul\xc0\x80", "line 2: the file is not valid UTF-8"},
    /* Structure */
    {"---", "--- ", "ok"}, /* trailing spaces on the first line are allowed */
    {"---", "title: x", "line 1: the file must start with '---'"},
    {"---", "----", "line 1: the file must start with '---'"},
};

static void test_errors(void)
{
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		CHECK_STR(parse_changed(errors[i].prefix, errors[i].line), errors[i].want);
}

static void test_no_sources(void)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < NBASE; i++)
		if (i < 10 || i > 14) {
			buf_puts(&b, base[i]);
			buf_putc(&b, '\n');
		}
	CHECK(parse_text(b.p, b.len) == -1);
	CHECK_STR(err, "line 11: at least one source is required");
	buf_free(&b);
}

static void test_structure(void)
{
	CHECK(parse_text("", 0) == -1);
	CHECK_STR(err, "line 1: the file must start with '---'");
	CHECK(parse_text("\n---\n", 5) == -1);
	CHECK_STR(err, "line 1: the file must start with '---'");
	CHECK(parse_text("---", 3) == -1);
	CHECK_STR(err, "line 2: the header is not closed with '---'");
	/* The header of the base file without its closing line: 15 lines, and the error at the end. */
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < 15; i++) {
		buf_puts(&b, base[i]);
		buf_putc(&b, '\n');
	}
	CHECK(parse_text(b.p, b.len) == -1);
	CHECK_STR(err, "line 16: the header is not closed with '---'");
	buf_free(&b);
	/* A NUL byte is not text. */
	const char nul[] = "---\ntitle: a\0b\n---\n";
	CHECK(parse_text(nul, sizeof(nul) - 1) == -1);
	CHECK_STR(err, "line 2: the file is not valid UTF-8");
	/* A tiny error buffer is filled, truncated, and terminated. */
	char small[8];
	arena_free(arena);
	arena = arena_new();
	memset(&res, 0, sizeof(res));
	CHECK(frontmatter_parse(arena, "x", 1, &res, small, sizeof(small)) == -1);
	CHECK_STR(small, "line 1:");
}

static void test_cleanup(void)
{
	arena_free(arena);
	arena = NULL;
}

static const struct test_case tests[] = {
    {"valid", test_valid},     {"source_lang", test_source_lang}, {"valid_kinds", test_valid_kinds},
    {"errors", test_errors},   {"no_sources", test_no_sources},   {"structure", test_structure},
    {"cleanup", test_cleanup},
};
TEST_MAIN(tests)
