/* Unit tests for src/view/markdown.c: CommonMark renders, raw HTML and dangerous URLs do not. */
#include <stdlib.h>

#include "base/buf.h"
#include "test.h"
#include "view/markdown.h"

static char out[65536];

static const char *md(const char *src)
{
	struct buf b = BUF_INIT;
	md_render(src, strlen(src), &b);
	snprintf(out, sizeof out, "%s", b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static void test_basics(void)
{
	CHECK_STR(md("# Title\n\nSome *text* and **bold**.\n"),
	          "<h1>Title</h1>\n<p>Some <em>text</em> and <strong>bold</strong>.</p>\n");
	CHECK_STR(md("- one\n- two\n\n1. a\n2. b\n"),
	          "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n");
	CHECK_STR(md("[Help](https://example.org/a?b=1&c=2 \"t\") [rel](/resources/x)"),
	          "<p><a href=\"https://example.org/a?b=1&amp;c=2\" title=\"t\">Help</a> "
	          "<a href=\"/resources/x\">rel</a></p>\n");
	CHECK_STR(md("Call <tel:988> or <mailto:a@example.org>"),
	          "<p>Call <a href=\"tel:988\">tel:988</a> or "
	          "<a href=\"mailto:a@example.org\">mailto:a@example.org</a></p>\n");
	CHECK_STR(md("![A photo](/media/a.jpg)"), "<p><img src=\"/media/a.jpg\" alt=\"A photo\" /></p>\n");
	CHECK_STR(md(""), "");
	/* No smart punctuation: quotes and dashes stay as written. */
	CHECK_STR(md("\"quoted\" -- it's"), "<p>&quot;quoted&quot; -- it's</p>\n");
	CHECK_STR(md("a < b & c"), "<p>a &lt; b &amp; c</p>\n");
}

/* Worksheets need tables (cmark-gfm's table extension); a cell cannot smuggle HTML. */
static void test_tables(void)
{
	const char *html =
	    md("| Day | Hours slept |\n|---|---|\n| Monday | ____ |\n| <b>x</b> | [j](javascript:x) |\n");
	CHECK(CONTAINS(html, "<table>"));
	CHECK(CONTAINS(html, "<th>Day</th>"));
	CHECK(CONTAINS(html, "<td>Monday</td>"));
	CHECK(!CONTAINS(html, "<b>"));
	CHECK(!CONTAINS(html, "javascript"));
}

static struct {
	int n;
	char seen[4][64];
} links;

static void collect(const char *url, void *arg)
{
	(void)arg;
	if (links.n < 4)
		snprintf(links.seen[links.n], sizeof links.seen[0], "%s", url);
	links.n++;
}

static void test_links(void)
{
	const char *src = "[a](https://x.example/) and ![b](/media/p.jpg) and [c](javascript:alert(1))\n";
	md_links(src, strlen(src), collect, NULL);
	CHECK(links.n == 3);
	CHECK_STR(links.seen[0], "https://x.example/");
	CHECK_STR(links.seen[1], "/media/p.jpg");
	CHECK_STR(links.seen[2], "javascript:alert(1)");
}

static void test_raw_html(void)
{
	CHECK_STR(md("<script>alert(1)</script>\n\nafter"), "<p>after</p>\n");
	CHECK_STR(md("x <img src=x onerror=alert(1)> y"), "<p>x  y</p>\n");
	CHECK_STR(md("a <b>bold</b> <!-- c --> z"), "<p>a bold  z</p>\n");
	CHECK_STR(md("<div onclick=\"x()\">\nblock\n</div>\n"), "");
	const char *s = md("`<script>` and\n\n    <script>\n");
	CHECK(CONTAINS(s, "<code>&lt;script&gt;</code>"));
	CHECK(!CONTAINS(s, "<script"));
}

static void test_urls(void)
{
	static const char *const bad[] = {
	    "[x](javascript:alert(1))",
	    "[x](JaVaScRiPt:alert(1))",
	    "[x](vbscript:msgbox)",
	    "[x](file:///etc/passwd)",
	    "[x](data:text/html,<script>alert(1)</script>)",
	    "[x](<java\tscript:alert(1)>)",
	    "<javascript:alert(1)>",
	    "[x][r]\n\n[r]: javascript:alert(1)\n",
	    "![x](data:image/png;base64,AAAA)",
	    "![x](javascript:alert(1))",
	    "[x](&#x6A;avascript:alert(1))",
	    "[x](java%0ascript:alert(1))",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *s = md(bad[i]);
		if (CONTAINS(s, "href") || CONTAINS(s, "<img"))
			fprintf(stderr, "  %s -> %s", bad[i], s);
		CHECK(!CONTAINS(s, "href") && !CONTAINS(s, "<img"));
	}
	CHECK_STR(md("[x](javascript:alert(1))"), "<p>x</p>\n");
	CHECK_STR(md("![an *alt*](data:image/png;base64,AAAA)"), "<p>an <em>alt</em></p>\n");
	CHECK_STR(md("[![i](/a.png)](javascript:x)"), "<p><img src=\"/a.png\" alt=\"i\" /></p>\n");
	CHECK_STR(md("[a](//example.org) [b](#top)"),
	          "<p><a href=\"//example.org\">a</a> <a href=\"#top\">b</a></p>\n");
}

static void test_hostile_input(void)
{
	/* Broken UTF-8 becomes U+FFFD. */
	CHECK_STR(md("a\xff\xfe b \xc3"), "<p>a\xef\xbf\xbd\xef\xbf\xbd b \xef\xbf\xbd</p>\n");
	CHECK_STR(md("a\0b"), "<p>a</p>\n"); /* strlen stops there; NUL itself is tested below */
	struct buf b = BUF_INIT;
	md_render("a\0b", 3, &b);
	CHECK_STR(b.p, "<p>a\xef\xbf\xbd"
	               "b</p>\n");
	buf_free(&b);
	md_render(NULL, 0, &b);
	CHECK(b.len == 0);
	buf_free(&b);
	/* Deep nesting must neither crash nor take long. */
	static const char deep[] = {'>', '[', '*', '-', '(', '`', '<'};
	for (size_t k = 0; k < sizeof deep; k++) {
		size_t n = 10000;
		char *src = malloc(n + 1);
		memset(src, deep[k], n);
		src[n] = '\0';
		md_render(src, n, &b);
		CHECK(b.len > 0);
		buf_free(&b);
		free(src);
	}
	char *nest = malloc(40001);
	for (size_t i = 0; i < 10000; i++)
		memcpy(nest + i * 4, "- > ", 4);
	nest[40000] = '\0';
	md_render(nest, 40000, &b);
	CHECK(CONTAINS(b.p, "<blockquote>"));
	buf_free(&b);
	free(nest);
}

static const struct test_case tests[] = {
    {"basics", test_basics}, {"raw_html", test_raw_html}, {"tables", test_tables},
    {"links", test_links},   {"urls", test_urls},         {"hostile_input", test_hostile_input},
};

TEST_MAIN(tests)
