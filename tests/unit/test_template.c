/* Unit tests for src/view/template.c: values, sections, partials, compile errors and, above all,
 * escaping for each place a value can stand in HTML. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "test.h"
#include "view/template.h"

static char err[256];
static char out[16384];

/* Compile src as "t" and render it with data (JSON text); NULL on a compile error (see err). */
static const char *render_set(struct tmpl_set *set, const char *src, const char *json)
{
	struct buf b = BUF_INIT;
	json_t *data = json_loads(json ? json : "{}", JSON_DECODE_ANY, NULL);
	const char *res = NULL;
	if (!data) {
		fprintf(stderr, "bad test JSON: %s\n", json);
		return NULL;
	}
	if (tmpl_add(set, "t", src, strlen(src), err, sizeof err) == 0 &&
	    tmpl_render(set, "t", data, &b) == 0) {
		snprintf(out, sizeof out, "%s", b.p ? b.p : "");
		res = out;
	}
	json_decref(data);
	buf_free(&b);
	return res;
}

static const char *render(const char *src, const char *json)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *res = render_set(set, src, json);
	tmpl_set_free(set);
	return res;
}

/* Render with one extra value "v" (a jansson value, reference stolen). */
static const char *render_v(const char *src, json_t *v)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf b = BUF_INIT;
	json_t *data = json_object();
	const char *res = NULL;
	json_object_set_new(data, "v", v);
	if (tmpl_add(set, "t", src, strlen(src), err, sizeof err) == 0 &&
	    tmpl_render(set, "t", data, &b) == 0) {
		snprintf(out, sizeof out, "%s", b.p);
		res = out;
	}
	json_decref(data);
	buf_free(&b);
	tmpl_set_free(set);
	return res;
}

/* The compile error for src, or "(compiled)". */
static const char *compile_error(const char *src)
{
	struct tmpl_set *set = tmpl_set_new();
	int rc = tmpl_add(set, "page", src, strlen(src), err, sizeof err);
	tmpl_set_free(set);
	return rc < 0 ? err : "(compiled)";
}

static void test_values(void)
{
	const char *data = "{\"s\":\"hi\",\"i\":-42,\"r\":2.5,\"t\":true,\"f\":false,\"n\":null,"
	                   "\"o\":{\"a\":{\"b\":\"deep\"}},\"arr\":[1,2]}";
	CHECK_STR(render("{{s}} {{i}} {{r}}", data), "hi -42 2.5");
	CHECK_STR(render("[{{t}}][{{f}}][{{n}}][{{o}}][{{arr}}][{{missing}}]", data), "[][][][][][]");
	CHECK_STR(render("{{o.a.b}}|{{o.a.x}}|{{o.x.b}}|{{ s }}", data), "deep|||hi");
	CHECK_STR(render("{{.}}", "\"top\""), "top");
	CHECK_STR(render("{{.}}", "7"), "7");
	CHECK_STR(render("plain text, no tags", NULL), "plain text, no tags");
	CHECK_STR(render("", NULL), "");
	CHECK_STR(render("a { b } {c} }} d", NULL), "a { b } {c} }} d");
}

static void test_escape_text(void)
{
	CHECK_STR(render_v("<p>{{v}}</p>", json_string("<script>alert(1)</script>")),
	          "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	CHECK_STR(render_v("{{v}}", json_string("a&b \"c\" 'd'")), "a&amp;b &quot;c&quot; &#39;d&#39;");
	CHECK_STR(render_v("{{v}}", json_string("{{x}}")), "{{x}}"); /* values are not templates */
	CHECK_STR(render_v("<title>{{v}}</title>", json_string("</title><script>")),
	          "<title>&lt;/title&gt;&lt;script&gt;</title>");
	CHECK_STR(render_v("<textarea>{{v}}</textarea>", json_string("</textarea>x")),
	          "<textarea>&lt;/textarea&gt;x</textarea>");
}

static void test_escape_attr(void)
{
	CHECK_STR(render_v("<div title=\"{{v}}\">", json_string("\" onmouseover=alert(1) x=\"")),
	          "<div title=\"&quot; onmouseover=alert(1) x=&quot;\">");
	CHECK_STR(render_v("<div title='{{v}}'>", json_string("' onmouseover=alert(1) x='")),
	          "<div title='&#39; onmouseover=alert(1) x=&#39;'>");
	CHECK_STR(render_v("<input value=\"{{v}}\">", json_string("<script>")),
	          "<input value=\"&lt;script&gt;\">");
	CHECK_STR(render_v("<img alt=\"a {{v}} b\" data-x='{{v}}'>", json_integer(3)),
	          "<img alt=\"a 3 b\" data-x='3'>");
	/* Content after a closed <script> or comment is text again. */
	CHECK_STR(render_v("<script src=\"/a.js\"></script>{{v}}<!-- c -->{{v}}", json_string("<")),
	          "<script src=\"/a.js\"></script>&lt;<!-- c -->&lt;");
	CHECK_STR(render_v("<!DOCTYPE html><style>p{}</STYLE >{{v}}", json_string("&")),
	          "<!DOCTYPE html><style>p{}</STYLE >&amp;");
}

static const char *href(const char *url)
{
	return render_v("<a href=\"{{v}}\">", json_string(url));
}

static void test_url_start(void)
{
	static const char *const blocked[] = {
	    "javascript:alert(1)",
	    " JaVaScRiPt:alert(1)",
	    "\x01javascript:alert(1)",
	    "java\tscript:alert(1)",
	    "java\nscript:alert(1)",
	    "vbscript:msgbox(1)",
	    "data:text/html,<script>alert(1)</script>",
	    "file:///etc/passwd",
	    "a b:c",
	};
	for (size_t i = 0; i < sizeof blocked / sizeof blocked[0]; i++)
		CHECK_STR(href(blocked[i]), "<a href=\"about:invalid#blocked\">");
	CHECK_STR(href("https://example.org/a?b=1&c=2"), "<a href=\"https://example.org/a?b=1&amp;c=2\">");
	CHECK_STR(href("HTTP://x.example"), "<a href=\"HTTP://x.example\">");
	CHECK_STR(href("mailto:help@example.org"), "<a href=\"mailto:help@example.org\">");
	CHECK_STR(href("tel:+1-800-273-8255"), "<a href=\"tel:+1-800-273-8255\">");
	CHECK_STR(href("//evil.example"), "<a href=\"//evil.example\">");
	CHECK_STR(href("/resources/x"), "<a href=\"/resources/x\">");
	CHECK_STR(href("#top"), "<a href=\"#top\">");
	CHECK_STR(href("?q=a:b"), "<a href=\"?q=a:b\">");
	CHECK_STR(href("../a/b:c"), "<a href=\"../a/b:c\">");
	CHECK_STR(href("page"), "<a href=\"page\">");
	CHECK_STR(href("\"><script>"), "<a href=\"&quot;&gt;&lt;script&gt;\">");
	CHECK_STR(render_v("<img src='  {{v}}'>", json_string("javascript:x")),
	          "<img src='  about:invalid#blocked'>");
	CHECK_STR(render_v("<form action=\"{{v}}\"><button formaction=\"{{v}}\">", json_string("data:x")),
	          "<form action=\"about:invalid#blocked\"><button "
	          "formaction=\"about:invalid#blocked\">");
	CHECK_STR(render_v("<A HREF=\"{{v}}\">", json_string("javascript:1")),
	          "<A HREF=\"about:invalid#blocked\">");
	CHECK(tmpl_url_safe("", 0));
	CHECK(!tmpl_url_safe("javascript:", 11));
}

static void test_url_rest(void)
{
	CHECK_STR(render_v("<a href=\"/resources/{{v}}\">", json_string("grief-and_loss.2~")),
	          "<a href=\"/resources/grief-and_loss.2~\">");
	CHECK_STR(render_v("<a href=\"/r/{{v}}\">", json_string("a b/c?d#e&f=g%h:i\"<'")),
	          "<a href=\"/r/a%20b%2Fc%3Fd%23e%26f%3Dg%25h%3Ai%22%3C%27\">");
	CHECK_STR(render_v("<a href=\"/search?q={{v}}\">", json_string("javascript:alert(1)")),
	          "<a href=\"/search?q=javascript%3Aalert%281%29\">");
	CHECK_STR(render_v("<a href=\"/r/{{v}}\">", json_string("caf\xc3\xa9\x01")),
	          "<a href=\"/r/caf%C3%A9%01\">");
	/* A second value right after the first: not at the start, so ':' cannot make a scheme. */
	CHECK_STR(render("<a href=\"{{a}}{{b}}\">", "{\"a\":\"\",\"b\":\"javascript:x\"}"),
	          "<a href=\"javascript%3Ax\">");
	/* After a section that may have written nothing, a value is treated as the start. */
	CHECK_STR(render("<a href=\"{{#p}}/x/{{/p}}{{u}}\">", "{\"p\":false,\"u\":\"javascript:x\"}"),
	          "<a href=\"about:invalid#blocked\">");
	CHECK_STR(render("<a href=\"{{#p}}/{{p}}{{/p}}/r/{{u}}\">", "{\"p\":\"es\",\"u\":\"a b\"}"),
	          "<a href=\"/es/r/a%20b\">");
}

static void test_safe_html(void)
{
	json_t *h = tmpl_safe_html("<em>hi</em>", 11);
	json_t *data = json_object();
	json_object_set(data, "h", h);
	struct tmpl_set *set = tmpl_set_new();
	const char *src = "{{h}}|<p title=\"{{h}}\">|<a href=\"/x/{{h}}\">|<a href=\"{{h}}\">|"
	                  "<title>{{h}}</title>";
	struct buf b = BUF_INIT;
	CHECK(tmpl_add(set, "t", src, strlen(src), err, sizeof err) == 0);
	CHECK(tmpl_render(set, "t", data, &b) == 0);
	CHECK_STR(b.p, "<em>hi</em>|<p title=\"&lt;em&gt;hi&lt;/em&gt;\">|"
	               "<a href=\"/x/%3Cem%3Ehi%3C%2Fem%3E\">|<a href=\"&lt;em&gt;hi&lt;/em&gt;\">|"
	               "<title>&lt;em&gt;hi&lt;/em&gt;</title>");
	buf_free(&b);
	json_decref(h);
	json_decref(data);
	tmpl_set_free(set);
	/* A section over a safe value pushes it: {{.}} prints it raw. */
	CHECK_STR(render_v("{{#v}}<div>{{.}}</div>{{/v}}", tmpl_safe_html("<b>x</b>", 8)),
	          "<div><b>x</b></div>");
	/* JSON text cannot forge it: \u00ff is two UTF-8 bytes, a raw 0xFF byte is refused. */
	CHECK_STR(render("{{v}}", "{\"v\":{\"\\u00ffvrc-safe-html\":\"<b>\"}}"), "");
	CHECK(json_loads("{\"v\":{\"\xffvrc-safe-html\":\"<b>\"}}", 0, NULL) == NULL);
	json_t *o = json_object();
	CHECK(json_object_set_new(o, "\xffvrc-safe-html", json_string("<b>")) < 0);
	json_decref(o);
}

/* jansson's compact dump of v, then the <script> escapes: what tmpl_safe_json must print. */
static char *dumped_escaped(json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	struct buf b = BUF_INIT;
	for (const char *p = text; p && *p; p++) {
		if (*p == '<' || *p == '>' || *p == '&')
			buf_printf(&b, "\\u%04x", *p);
		else if (strncmp(p, "\xe2\x80\xa8", 3) == 0 || strncmp(p, "\xe2\x80\xa9", 3) == 0)
			buf_puts(&b, p[2] == '\xa8' ? "\\u2028" : "\\u2029"), p += 2;
		else
			buf_putc(&b, *p);
	}
	free(text);
	return b.p;
}

/* tmpl_safe_json writes what jansson's dump writes, byte for byte (it has its own, faster writer). */
static void test_safe_json_as_jansson(void)
{
	json_t *v =
	    json_pack("{s:s, s:s, s:s, s:[i, I, I], s:{}, s:[], s:n, s:b, s:b, s:s}", "ctl",
	              "\x01\x1f\b\f\n\r\t\x7f end", "esc", "\"q\" \\ / <a href=\"x\">&amp;</a>", "uni",
	              "\xc3\xa1 \xe2\x80\xa8\xe2\x80\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "n", -7,
	              (json_int_t)INT64_MIN, (json_int_t)INT64_MAX, "o", "a", "z", "t", 1, "f", 0, "", "");
	json_object_set_new(v, "k<\"\\>\n", json_pack("[{s:[[]]}]", "deep"));
	/* Reals (jansson's formatting) and NULs (jansson writes \u0000) go through jansson's dump. */
	json_t *r = json_pack("[f, f, s]", 0.1, 1e300, "<");
	json_array_append_new(r, json_stringn("c\0d", 3));
	json_t *vs[] = {v, r, json_object_get(v, "ctl"), json_object_get(v, "n")};
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		char *want = dumped_escaped(vs[i]), expect[4096];
		snprintf(expect, sizeof(expect), "<script>%s</script>", want);
		CHECK_STR(render_v("<script>{{v}}</script>", tmpl_safe_json(vs[i])), expect);
		free(want);
	}
	json_decref(v);
	json_decref(r);
	/* Text that is not UTF-8 is refused by both. */
	json_t *bad = json_pack("[s]", "ok");
	json_array_append_new(bad, json_stringn_nocheck("\xff", 1));
	CHECK(tmpl_safe_json(bad) == NULL);
	json_decref(bad);
}

/* Inside <script> only safe JSON prints, escaped so it cannot end the element; anything else is null. */
static void test_safe_json(void)
{
	json_t *v = json_pack("{s:s, s:[i, b], s:s}", "t", "</script><script>alert(1)</script> & <!--", "n",
	                      1, 1, "sep",
	                      "a\xe2\x80\xa8"
	                      "b\xe2\x80\xa9"
	                      "c \xc3\xa1");
	json_t *j = tmpl_safe_json(v);
	CHECK_STR(render_v("<script type=\"application/ld+json\">{{v}}</script>", j),
	          "<script type=\"application/ld+json\">{\"t\":\"\\u003c/script\\u003e\\u003cscript\\u003e"
	          "alert(1)\\u003c/script\\u003e \\u0026 \\u003c!--\",\"n\":[1,true],"
	          "\"sep\":\"a\\u2028b\\u2029c \xc3\xa1\"}</script>");
	/* What is printed parses back to the same value. */
	const char *text = strchr(out, '>') + 1;
	json_t *back = json_loadb(text, strlen(text) - strlen("</script>"), 0, NULL);
	CHECK(back && json_equal(back, v));
	json_decref(back);
	json_decref(v);
	/* A plain string (or a safe-HTML value) in a script is not printed: null stands there. */
	CHECK_STR(render_v("<script>var x = {{v}};</script>", json_string("</script><b>")),
	          "<script>var x = null;</script>");
	CHECK_STR(render_v("<script>{{v}}</script>", tmpl_safe_html("</script>", 9)),
	          "<script>null</script>");
	/* Outside a script, safe JSON prints nothing: it is no HTML. */
	json_t *x = json_string("<x>"), *one = json_integer(1), *a = json_string("a");
	CHECK_STR(render_v("<p>{{v}}</p><p title=\"{{v}}\"></p>", tmpl_safe_json(x)),
	          "<p></p><p title=\"\"></p>");
	/* A section of safe JSON values: one script each. */
	json_t *list = json_array();
	json_array_append_new(list, tmpl_safe_json(one));
	json_array_append_new(list, tmpl_safe_json(a));
	json_decref(x);
	json_decref(one);
	json_decref(a);
	CHECK_STR(render_v("{{#v}}<script type=\"application/ld+json\">{{.}}</script>{{/v}}", list),
	          "<script type=\"application/ld+json\">1</script><script "
	          "type=\"application/ld+json\">\"a\"</script>");
	CHECK(tmpl_safe_json(NULL) == NULL);
	/* JSON text cannot forge it. */
	CHECK_STR(render("<script>{{v}}</script>", "{\"v\":{\"\\u00ffvrc-safe-json\":\"</script>\"}}"),
	          "<script>null</script>");
}

static void test_sections(void)
{
	const char *data = "{\"list\":[{\"n\":\"a\"},{\"n\":\"b\"}],\"empty\":[],\"obj\":{\"n\":\"o\"},"
	                   "\"t\":true,\"f\":false,\"z\":null,\"s\":\"str\",\"es\":\"\",\"zero\":0,"
	                   "\"one\":1,\"rz\":0.0,\"words\":[\"x\",\"<y>\"],\"n\":\"outer\"}";
	CHECK_STR(render("{{#list}}[{{n}}]{{/list}}", data), "[a][b]");
	CHECK_STR(render("{{#empty}}X{{/empty}}{{^empty}}none{{/empty}}", data), "none");
	CHECK_STR(render("{{#obj}}{{n}}{{/obj}}", data), "o");
	CHECK_STR(render("{{#t}}T{{n}}{{/t}}{{#f}}F{{/f}}{{#z}}Z{{/z}}{{#nope}}N{{/nope}}", data), "Touter");
	CHECK_STR(render("{{#s}}({{.}}){{/s}}{{#es}}E{{/es}}{{#zero}}0{{/zero}}{{#one}}1{{/one}}"
	                 "{{#rz}}R{{/rz}}",
	                 data),
	          "(str)1");
	CHECK_STR(render("{{^f}}a{{/f}}{{^z}}b{{/z}}{{^nope}}c{{/nope}}{{^es}}d{{/es}}{{^zero}}e{{/zero}}"
	                 "{{^t}}X{{/t}}{{^list}}X{{/list}}{{^obj}}X{{/obj}}{{^s}}X{{/s}}",
	                 data),
	          "abcde");
	CHECK_STR(render("<ul>{{#words}}<li>{{.}}</li>{{/words}}</ul>", data),
	          "<ul><li>x</li><li>&lt;y&gt;</li></ul>");
	CHECK_STR(render("{{#obj.n}}[{{.}}]{{/obj.n}}", data), "[o]");
}

static void test_walk_up(void)
{
	const char *data = "{\"site\":\"VRC\",\"lang\":\"es\",\"sections\":[{\"name\":\"A\","
	                   "\"topics\":[{\"name\":\"a1\"},{\"name\":\"a2\",\"lang\":\"en\"}]}],"
	                   "\"user\":{\"name\":\"u\"}}";
	CHECK_STR(render("{{#sections}}{{#topics}}{{name}}/{{lang}}/{{site}};{{/topics}}{{name}}"
	                 "{{/sections}}",
	                 data),
	          "a1/es/VRC;a2/en/VRC;A");
	/* The first segment is found inside; the rest does not walk further out. */
	CHECK_STR(render("{{#user}}{{user.name}}|{{name}}{{/user}}", data), "u|u");
	CHECK_STR(render("{{#sections}}{{user.name}}{{/sections}}", data), "u");
	CHECK_STR(render("{{#sections}}{{topics.name}}{{/sections}}", data), "");
	/* Nested sections of the same name. */
	CHECK_STR(render("{{#a}}{{#a}}{{b}}{{/a}}{{/a}}", "{\"a\":{\"a\":{\"b\":1}}}"), "1");
}

static void test_sections_in_attributes(void)
{
	const char *src = "<a class=\"x{{#active}} is-active{{/active}}\" "
	                  "href=\"/r/{{slug}}\"{{#t}}{{/t}}>{{title}}</a>";
	CHECK_STR(compile_error(src), "page:1: '{{#t}}' inside an HTML tag, outside any attribute value");
	src = "<li class=\"x{{#active}} is-active{{/active}}\">"
	      "<a href=\"/r/{{slug}}\" {{! a comment is fine }}title='{{^title}}none{{/title}}'>x</a>";
	CHECK_STR(render(src, "{\"active\":true,\"slug\":\"a b\"}"),
	          "<li class=\"x is-active\"><a href=\"/r/a%20b\" title='none'>x</a>");
	CHECK_STR(render(src, "{\"active\":false,\"slug\":\"s\",\"title\":\"y\"}"),
	          "<li class=\"x\"><a href=\"/r/s\" title=''>x</a>");
	/* A whole element inside a section leaves the HTML as it found it. */
	CHECK_STR(render("{{#l}}<a href=\"{{u}}\">{{t}}</a>{{/l}}",
	                 "{\"l\":[{\"u\":\"/a\",\"t\":\"A\"},{\"u\":\"javascript:b\",\"t\":\"B\"}]}"),
	          "<a href=\"/a\">A</a><a href=\"about:invalid#blocked\">B</a>");
}

static void test_partials(void)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *item = "<li>{{name}} ({{site}})</li>";
	const char *page = "<ul>{{#items}}{{> partials/item}}{{/items}}</ul>";
	const char *self = "[{{> self}}]";
	struct buf b = BUF_INIT;
	json_t *data =
	    json_loads("{\"site\":\"S\",\"items\":[{\"name\":\"a\"},{\"name\":\"<b>\"}]}", 0, NULL);
	CHECK(tmpl_add(set, "page", page, strlen(page), err, sizeof err) == 0);
	CHECK(tmpl_link(set, err, sizeof err) == -1);
	CHECK_STR(err, "page:1: unknown partial 'partials/item'");
	CHECK(tmpl_render(set, "page", data, &b) == 0); /* a missing partial renders nothing */
	CHECK_STR(b.p, "<ul></ul>");
	buf_reset(&b);
	CHECK(tmpl_add(set, "partials/item", item, strlen(item), err, sizeof err) == 0);
	CHECK(tmpl_add(set, "self", self, strlen(self), err, sizeof err) == 0);
	CHECK(tmpl_link(set, err, sizeof err) == 0);
	CHECK(tmpl_has(set, "partials/item") && !tmpl_has(set, "partials/nope"));
	CHECK(tmpl_render(set, "page", data, &b) == 0);
	CHECK_STR(b.p, "<ul><li>a (S)</li><li>&lt;b&gt; (S)</li></ul>");
	buf_reset(&b);
	CHECK(tmpl_render(set, "self", data, &b) == 0); /* recursion stops at the depth limit */
	CHECK(b.len == 2 * 33 && b.p[0] == '[' && b.p[65] == ']');
	CHECK(tmpl_render(set, "nope", data, &b) == -1);
	/* Replacing a template keeps links valid. */
	CHECK(tmpl_add(set, "partials/item", "<li>{{name}}</li>", 17, err, sizeof err) == 0);
	buf_reset(&b);
	CHECK(tmpl_render(set, "page", data, &b) == 0);
	CHECK_STR(b.p, "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
	CHECK_STR(compile_error("<a title=\"{{> x}}\">"), "page:1: partial 'x' outside HTML text");
	buf_free(&b);
	json_decref(data);
	tmpl_set_free(set);
}

static void test_standalone(void)
{
	const char *data = "{\"l\":[1,2],\"f\":false}";
	CHECK_STR(render("<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", data),
	          "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	CHECK_STR(render("a\n{{! comment\nover lines }}\nb\n{{^f}}\r\nc\n{{/f}}", data), "a\nb\nc\n");
	CHECK_STR(render("a {{#l}}x{{/l}}\nb", data), "a xx\nb");
	CHECK_STR(render("{{#l}}{{.}}{{/l}}\n", data), "12\n");
	/* Not in a tag: the line break belongs to the attribute value. */
	CHECK_STR(render("<p title=\"a\n{{#l}}\n{{/l}}\nb\">", data), "<p title=\"a\n\n\n\nb\">");
}

static void test_errors(void)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
	    {"a\n{{#s}}\nb", "page:2: section 's' is not closed"},
	    {"{{#a}}\n{{#b}}\n{{/a}}", "page:3: '{{/a}}' does not close 'b' (line 2)"},
	    {"x\n\n{{/a}}", "page:3: '{{/a}}' closes no section"},
	    {"\n<a href={{u}}>", "page:2: '{{u}}' in an unquoted attribute value"},
	    {"<a href=x{{u}}>", "page:1: '{{u}}' in an unquoted attribute value"},
	    {"<p>\n<style>\np::after { content: \"{{x}}\"; }</style>",
	     "page:3: '{{x}}' inside <script>, <style> or other raw text"},
	    {"<script>a<{{x}}</script>", "page:1: '{{x}}' right after '<' in raw text"},
	    {"<style>{{#a}}{{/a}}</style>", "page:1: '{{#a}}' inside <script>, <style> or other raw text"},
	    {"a\n{{{x}}}",
	     "page:2: '{{{' is not supported: raw output comes only from tmpl_safe_html values"},
	    {"{{&x}}", "page:1: '{{&' is not supported: raw output comes only from tmpl_safe_html values"},
	    {"{{=<% %>=}}", "page:1: changing delimiters is not supported"},
	    {"<div {{x}}>", "page:1: '{{x}}' inside an HTML tag, outside any attribute value"},
	    {"<div data-{{x}}=1>", "page:1: '{{x}}' inside an HTML tag, outside any attribute value"},
	    {"<{{x}}>", "page:1: '{{x}}' right after '<'"},
	    {"</{{x}}>", "page:1: '{{x}}' right after '</'"},
	    {"<!-- {{x}} -->", "page:1: '{{x}}' inside an HTML comment"},
	    {"<!DOCTYPE {{x}}>", "page:1: '{{x}}' inside <!...> or <?...> markup"},
	    {"<img srcset=\"{{x}} 2x\">", "page:1: '{{x}}' in a srcset attribute"},
	    {"<a onclick=\"f('{{x}}')\">", "page:1: '{{x}}' in an event-handler attribute"},
	    {"<p style=\"color:{{c}}\">", "page:1: '{{c}}' in a style attribute"},
	    {"<iframe srcdoc=\"{{h}}\">", "page:1: '{{h}}' in a srcdoc attribute"},
	    {"<plaintext>{{x}}", "page:1: '{{x}}' inside <plaintext>"},
	    {"<a title=\"{{#a}}\">{{/a}}\"", "page:1: section 'a' (line 1) ends in another HTML context"},
	    {"{{#a}}<script>{{/a}}</script>", "page:1: section 'a' (line 1) ends in another HTML context"},
	    {"<a href=\"{{#a}}\" title=\"{{/a}}\">",
	     "page:1: section 'a' (line 1) ends in another HTML context"},
	    {"<script src=\"{{#a}}\"><img src=\"{{/a}}\">",
	     "page:1: section 'a' (line 1) ends in another HTML context"},
	    {"a\n<p class=\"x", "page:2: template ends inside an attribute value"},
	    {"<title>x", "page:1: template ends inside an element's raw content"},
	    {"<!-- x", "page:1: template ends inside an HTML comment"},
	    {"<script><!--<script></script>\n{{x}}</script>",
	     "page:2: '{{x}}' after '<!' inside <script>, which is not supported"},
	    {"<svg><title><a href=\"{{u}}\">", "page:1: '{{u}}' inside <title> or <textarea> after markup"},
	    {"a\n{{x", "page:2: '{{' without '}}'"},
	    {"{{}}", "page:1: bad tag name ''"},
	    {"{{a..b}}", "page:1: bad tag name 'a..b'"},
	    {"{{a b}}", "page:1: bad tag name 'a b'"},
	    {"{{> a b}}", "page:1: bad tag name 'a b'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_STR(compile_error(cases[i].src), cases[i].want);
	/* Legal neighbours of the errors above. */
	CHECK_STR(compile_error("<a href=\"{{u}}\" title='{{t}}'>{{x}}</a><br/>{{y}}"), "(compiled)");
	CHECK_STR(compile_error("<!-->{{x}}<!--->{{x}}<!-- a --!>{{x}}"), "(compiled)");
	CHECK_STR(compile_error("<p>a < b {{x}}</p><script>if (a</b) x()</script>{{y}}"), "(compiled)");
	struct tmpl_set *set = tmpl_set_new();
	CHECK(tmpl_add(set, "x", "{{#a}}", 6, NULL, 0) == -1); /* no room for the message */
	tmpl_set_free(set);
}

struct job {
	const struct tmpl_set *set;
	json_t *data;
	int ok;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	struct buf b = BUF_INIT;
	j->ok = 1;
	for (int i = 0; i < 200; i++) {
		buf_reset(&b);
		if (tmpl_render(j->set, "page", j->data, &b) != 0 ||
		    strcmp(b.p, "<ul><li><a href=\"/r/a%20b\">&lt;1&gt;</a></li>"
		                "<li><a href=\"/r/c\">2</a></li></ul>") != 0)
			j->ok = 0;
	}
	buf_free(&b);
	return NULL;
}

static void test_threads(void)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *page = "<ul>{{#l}}{{> li}}{{/l}}</ul>";
	const char *li = "<li><a href=\"/r/{{slug}}\">{{t}}</a></li>";
	json_t *data =
	    json_loads("{\"l\":[{\"slug\":\"a b\",\"t\":\"<1>\"},{\"slug\":\"c\",\"t\":2}]}", 0, NULL);
	CHECK(tmpl_add(set, "page", page, strlen(page), err, sizeof err) == 0);
	CHECK(tmpl_add(set, "li", li, strlen(li), err, sizeof err) == 0);
	CHECK(tmpl_link(set, err, sizeof err) == 0);
	pthread_t th[4];
	struct job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){set, data, 0};
		pthread_create(&th[i], NULL, render_many, &jobs[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK(jobs[i].ok);
	}
	json_decref(data);
	tmpl_set_free(set);
}

static const struct test_case tests[] = {
    {"values", test_values},
    {"escape_text", test_escape_text},
    {"escape_attr", test_escape_attr},
    {"url_start", test_url_start},
    {"url_rest", test_url_rest},
    {"safe_html", test_safe_html},
    {"safe_json", test_safe_json},
    {"safe_json_as_jansson", test_safe_json_as_jansson},
    {"sections", test_sections},
    {"walk_up", test_walk_up},
    {"sections_in_attributes", test_sections_in_attributes},
    {"partials", test_partials},
    {"standalone", test_standalone},
    {"errors", test_errors},
    {"threads", test_threads},
};

TEST_MAIN(tests)
