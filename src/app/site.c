/* Page builders: each turns the model into template data (jansson values) and renders it inside the
 * layout. The same render path feeds the cache, the server's misses and the static export. */
#include "app/site.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cache.h"
#include "base/arena.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/slug.h"
#include "base/util.h"
#include "http/response.h"
#include "model/hotline.h"
#include "model/resource.h"
#include "model/topic.h"
#include "view/i18n.h"
#include "view/markdown.h"
#include "view/template.h"

static struct {
	struct db *db;
	struct tmpl_set *tmpl;
	struct site_config cfg;
	char asset_base[40];
	pthread_mutex_t lock; /* guards failing */
	char **failing;       /* paths whose last render failed: what /healthz reports */
	size_t nfailing;
} site = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* One page being built: its arena and language, and the first thing that went wrong. Every builder
 * below checks what it makes through pack/str/set/push, so a value that cannot be built (text that
 * is not UTF-8, a missing field) fails the page with a reason instead of leaving a hole in it. */
struct page {
	struct arena *a;
	const char *lang;
	char why[256]; /* empty while all is well */
};

static void page_fail(struct page *pg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void page_fail(struct page *pg, const char *fmt, ...)
{
	if (pg->why[0])
		return; /* the first reason is the one to fix */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pg->why, sizeof(pg->why), fmt, ap);
	va_end(ap);
}

/* json_pack that records why it failed (a NULL or non-UTF-8 string, a NULL object). */
static json_t *pack(struct page *pg, const char *fmt, ...)
{
	json_error_t e;
	va_list ap;
	va_start(ap, fmt);
	json_t *j = json_vpack_ex(&e, 0, fmt, ap);
	va_end(ap);
	if (!j)
		page_fail(pg, "building page data: %s", e.text);
	return j;
}

/* A JSON string of s; fails the page when s is missing or not UTF-8 (what names the value). */
static json_t *str(struct page *pg, const char *what, const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	if (!j)
		page_fail(pg, "%s is %s", what, s ? "not valid UTF-8" : "missing");
	return j;
}

static void set(struct page *pg, json_t *obj, const char *key, json_t *v)
{
	if (!v || !obj || json_object_set_new(obj, key, v) < 0)
		page_fail(pg, "cannot set '%s' in the page data", key);
}

static void push(struct page *pg, json_t *arr, json_t *v)
{
	if (v && arr && json_array_append_new(arr, v) == 0)
		return;
	if (!arr)
		json_decref(v);
	page_fail(pg, "cannot build a list in the page data");
}

static const char *const langs[2] = {"en", "es"};

const char *site_asset_base(void)
{
	return site.asset_base;
}

static int load_templates(void)
{
	char err[256];
	site.tmpl = tmpl_set_new();
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		size_t n = strlen(f->name) - 10;
		if (n < 6 || strcmp(f->name + strlen(f->name) - 5, ".html") != 0)
			continue;
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)(n - 5), f->name + 10);
		if (tmpl_add(site.tmpl, name, (const char *)f->data, f->len, err, sizeof(err)) < 0) {
			log_error("templates/%s.html%s", name, strchr(err, ':') ? strchr(err, ':') : err);
			return -1;
		}
	}
	if (tmpl_link(site.tmpl, err, sizeof(err)) < 0) {
		log_error("template %s", err);
		return -1;
	}
	return 0;
}

/* The asset hash covers every static file, so any change gives new immutable URLs. */
static void compute_asset_base(void)
{
	uint64_t h = 0;
	for (size_t i = 0; i < embed_count; i++)
		if (strncmp(embed_files[i].name, "static/", 7) == 0)
			h = h * 31 + hash64(embed_files[i].data, embed_files[i].len);
	snprintf(site.asset_base, sizeof(site.asset_base), "/static/%012" PRIx64,
	         (uint64_t)(h & 0xffffffffffffULL));
}

int site_init(struct db *db, const struct site_config *cfg)
{
	site.db = db;
	site.cfg = *cfg;
	compute_asset_base();
	if (i18n_init() < 0 || load_templates() < 0)
		return -1;
	return 0;
}

void site_free(void)
{
	tmpl_set_free(site.tmpl);
	site.tmpl = NULL;
	i18n_free();
	cache_clear();
}

/* ---- shared page data ---- */

static const char *lang_prefix(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es" : "";
}

static const char *other(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "en" : "es";
}

static char *section_url(struct arena *a, const char *lang, const char *slug)
{
	return arena_printf(a, "%s/%s", lang_prefix(lang), slug);
}

/* The home page of lang. */
static const char *home_url(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es/" : "/";
}

/* A section's name (or, with summary, its one-line summary) from the UI catalogue. */
static const char *section_text(const char *lang, const char *slug, bool summary)
{
	char key[128];
	snprintf(key, sizeof(key), "section_%s%s", slug, summary ? "_summary" : "");
	return i18n_get(lang, key);
}

static char *resource_url(struct arena *a, const char *lang, const char *slug)
{
	return arena_printf(a, "%s/resources/%s", lang_prefix(lang), slug);
}

static const char *host_of(struct arena *a, const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/?#");
	if (n > 4 && strncmp(p, "www.", 4) == 0)
		p += 4, n -= 4;
	return arena_strndup(a, p, n);
}

/* The label and link for one way to reach a hotline. */
static json_t *contact_json(struct page *pg, const struct contact *c)
{
	struct arena *a = pg->a;
	const char *href = c->value;
	char num[64];
	size_t n = 0;
	for (const char *p = c->value; *p && *p != ' ' && n < sizeof(num) - 1; p++)
		if ((*p >= '0' && *p <= '9') || *p == '+')
			num[n++] = *p;
	num[n] = '\0';
	if (strcmp(c->kind, "call") == 0 || strcmp(c->kind, "tty") == 0) {
		href = arena_printf(a, "tel:%s", num);
	} else if (strcmp(c->kind, "text") == 0) {
		const char *kw = strchr(c->value, ' ');
		href = kw ? arena_printf(a, "sms:%s?&body=%s", num, kw + 1) : arena_printf(a, "sms:%s", num);
	}
	/* A chat address is a link, not something to read out. */
	const char *shown = strcmp(c->kind, "chat") == 0 ? "" : c->value;
	return pack(pg, "{s:s, s:s, s:s}", "label", i18n_get(pg->lang, c->kind), "value", shown, "href",
	            href);
}

/* "en,es" as "English, Spanish" in the page's language. */
static const char *languages_text(struct arena *a, const char *lang, const char *codes)
{
	struct buf b = BUF_INIT;
	for (const char *p = codes; p && *p;) {
		size_t n = strcspn(p, ",");
		char key[32];
		snprintf(key, sizeof(key), "language_%.*s", (int)(n < 8 ? n : 8), p);
		buf_printf(&b, "%s%s", b.len ? ", " : "", i18n_get(lang, key));
		p += n + (p[n] == ',');
	}
	const char *out = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static json_t *hotline_json(struct page *pg, const struct hotline *h)
{
	json_t *cs = json_array();
	for (size_t i = 0; i < h->ncontacts; i++)
		push(pg, cs, contact_json(pg, &h->contacts[i]));
	return pack(pg, "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "name", h->name, "audience", h->audience,
	            "hours", h->hours, "verified", h->verified, "source", h->source, "source_host",
	            host_of(pg->a, h->source), "languages", languages_text(pg->a, pg->lang, h->languages),
	            "contacts", cs);
}

/* The lines every page carries: featured ones in the crisis bar, panel ones at the foot. A line
 * whose stored text is broken is left out (hotline_list logs it); the page still renders. */
static json_t *crisis_json(struct page *pg, struct hotline *hs, size_t n)
{
	json_t *all = json_array(), *featured = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *h = hotline_json(pg, &hs[i]);
		if (h && hs[i].featured)
			json_array_append(featured, h);
		if (h && hs[i].panel)
			json_array_append(all, h);
		json_decref(h);
	}
	return pack(pg, "{s:o, s:o}", "all", all, "featured", featured);
}

static json_t *sections_json(struct page *pg, const char *current)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < 4; i++) {
		const char *slug = section_slugs[i];
		push(pg, arr,
		     pack(pg, "{s:s, s:s, s:s, s:s, s:s}", "slug", slug, "title",
		          section_text(pg->lang, slug, false), "summary", section_text(pg->lang, slug, true),
		          "url", section_url(pg->a, pg->lang, slug), "current",
		          current && strcmp(current, slug) == 0 ? "page" : "false"));
	}
	return arr;
}

/* The data every page has: language, catalogue, crisis lines, sections, URLs. */
static json_t *page_data(struct page *pg, const char *title, const char *description, const char *alt_url,
                         const char *current_section)
{
	struct hotline *hs;
	size_t n = hotline_list(site.db, pg->a, pg->lang, &hs, NULL);
	const char *lang = pg->lang;
	return pack(pg, "{s:s, s:s, s:O, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s}}", "lang", lang,
	            "other_lang", other(lang), "t", i18n_catalog(lang), "asset", site.asset_base, "home_url",
	            home_url(lang), "exit_url", site.cfg.exit_url, "crisis", crisis_json(pg, hs, n),
	            "sections", sections_json(pg, current_section), "page", "title", title, "description",
	            description ? description : "", "alt_url", alt_url, "alt_label",
	            i18n_get(lang, "language_switch_label"));
}

/* Render template `name` with data, then the layout around it; consumes data. 0, or -1 with the
 * reason in pg (out is then to be thrown away). */
static int render_page(struct page *pg, const char *name, json_t *data, struct buf *out)
{
	if (pg->why[0] || !data) {
		page_fail(pg, "page data incomplete");
		json_decref(data);
		return -1;
	}
	struct buf body = BUF_INIT;
	if (tmpl_render(site.tmpl, name, data, &body) < 0)
		page_fail(pg, "no template '%s'", name);
	else
		set(pg, data, "content", tmpl_safe_html(body.p ? body.p : "", body.len));
	buf_free(&body);
	if (!pg->why[0] && tmpl_render(site.tmpl, "layout", data, out) < 0)
		page_fail(pg, "no template 'layout'");
	json_decref(data);
	return pg->why[0] ? -1 : 0;
}

/* ---- pages ---- */

/* A resource card, or NULL for a resource whose stored text is broken: a list leaves it out (its own
 * page fails, and says why) rather than fail every page that lists it. */
static json_t *card_json(struct page *pg, const struct resource *r)
{
	if (r->invalid) {
		log_warn("site: %s/%s left out of a list: its %s is not valid UTF-8", r->lang, r->slug,
		         r->invalid);
		return NULL;
	}
	char tk[48], sk[48];
	snprintf(tk, sizeof(tk), "type_%s", r->type);
	snprintf(sk, sizeof(sk), "stage_%s", r->stage);
	return pack(pg, "{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", r->title, "summary", r->summary,
	            "url", resource_url(pg->a, pg->lang, r->slug), "type", r->type, "type_label",
	            i18n_get(pg->lang, tk), "stage", r->stage, "stage_label", i18n_get(pg->lang, sk));
}

/* Cards for a list of resources, leaving out the broken ones. */
static json_t *cards_json(struct page *pg, const struct resource *rs, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *c = card_json(pg, &rs[i]);
		if (c)
			push(pg, arr, c);
	}
	return arr;
}

static int page_home(struct page *pg, struct buf *out)
{
	json_t *d = page_data(pg, i18n_get(pg->lang, "home"), i18n_get(pg->lang, "site_tagline"),
	                      home_url(other(pg->lang)), NULL);
	struct resource *rs;
	size_t n = resource_list_stage(site.db, pg->a, pg->lang, "first-days", 6, &rs);
	json_t *first = cards_json(pg, rs, n);
	set(pg, d, "has_first_days", json_boolean(json_array_size(first) > 0));
	set(pg, d, "first_days", first);
	return render_page(pg, "home", d, out) < 0 ? 500 : 200;
}

/* Group a topic's resources (already ordered by stage) under stage headings. */
static json_t *stages_json(struct page *pg, const char *topic, struct resource *rs, size_t n)
{
	json_t *stages = json_array(), *cur = NULL;
	const char *cur_stage = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rs[i].topic, topic) != 0)
			continue;
		json_t *card = card_json(pg, &rs[i]);
		if (!card)
			continue;
		if (!cur_stage || strcmp(cur_stage, rs[i].stage) != 0) {
			char sk[48];
			snprintf(sk, sizeof(sk), "stage_%s", rs[i].stage);
			cur = json_array();
			json_t *group =
			    pack(pg, "{s:s, s:o}", "label", i18n_get(pg->lang, sk), "resources", cur);
			if (!group) { /* pack has released cur */
				json_decref(card);
				return stages;
			}
			push(pg, stages, group);
			cur_stage = rs[i].stage;
		}
		push(pg, cur, card);
	}
	return stages;
}

static int page_section(struct page *pg, const char *slug, struct buf *out)
{
	if (!section_valid(slug))
		return 404;
	struct topic *ts;
	struct resource *rs;
	size_t nt = topic_list(site.db, pg->a, slug, pg->lang, &ts);
	size_t nr = resource_list_section(site.db, pg->a, slug, pg->lang, &rs);
	json_t *topics = json_array();
	for (size_t i = 0; i < nt; i++) {
		json_t *st = stages_json(pg, ts[i].slug, rs, nr);
		if (json_array_size(st) == 0) {
			json_decref(st);
			continue;
		}
		push(pg, topics,
		     pack(pg, "{s:s, s:o, s:o, s:o}", "slug", ts[i].slug, "title",
		          str(pg, "a topic title", ts[i].title), "summary",
		          str(pg, "a topic summary", ts[i].summary), "stages", st));
	}
	const char *title = section_text(pg->lang, slug, false),
	           *summary = section_text(pg->lang, slug, true);
	json_t *d = page_data(pg, title, summary, section_url(pg->a, other(pg->lang), slug), slug);
	set(pg, d, "section", pack(pg, "{s:s, s:s}", "title", title, "summary", summary));
	set(pg, d, "has_topics", json_boolean(json_array_size(topics) > 0));
	set(pg, d, "topics", topics);
	return render_page(pg, "section", d, out) < 0 ? 500 : 200;
}

/* "2026-11-25" as "November 25, 2026" / "25 de noviembre de 2026". */
static const char *date_text(struct arena *a, const char *lang, const char *iso)
{
	static const char *en[] = {"January", "February", "March",     "April",   "May",      "June",
	                           "July",    "August",   "September", "October", "November", "December"};
	static const char *es[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
	                           "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
	if (!iso || !date_valid(str_c(iso)))
		return iso;
	int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
	if (strcmp(lang, "es") == 0)
		return arena_printf(a, "%d de %s de %d", d, es[m - 1], y);
	return arena_printf(a, "%s %d, %d", en[m - 1], d, y);
}

static const char *topic_title(struct page *pg, const struct resource *r)
{
	struct topic *ts;
	size_t n = topic_list(site.db, pg->a, r->section, r->lang, &ts);
	for (size_t i = 0; i < n; i++)
		if (strcmp(ts[i].slug, r->topic) == 0)
			return ts[i].title;
	return r->topic;
}

/* A cited source; one in another language gets lang/hreflang and a note ("in English"). */
static json_t *source_json(struct page *pg, const struct source *src)
{
	json_t *j = pack(pg, "{s:s, s:s, s:s}", "title", src->title, "url", src->url, "host",
	                 host_of(pg->a, src->url));
	if (j && src->lang && strcmp(src->lang, pg->lang) != 0) {
		char key[32];
		snprintf(key, sizeof(key), "in_lang_%s", src->lang);
		set(pg, j, "foreign",
		    pack(pg, "{s:s, s:s}", "lang", src->lang, "note", i18n_get(pg->lang, key)));
	}
	return j;
}

/* What the page can honestly say about review: a clinical review approved in the console (date and
 * reviewer), or only that it was checked against its sources and awaits clinical review. */
static void review_json(struct page *pg, json_t *j, const struct resource *r)
{
	set(pg, j, "checked", str(pg, "the checked date", r->checked));
	set(pg, j, "checked_text", str(pg, "the checked date", date_text(pg->a, r->lang, r->checked)));
	if (r->reviewed_at && r->reviewer) {
		set(pg, j, "review",
		    pack(pg, "{s:s, s:s, s:s}", "date", r->reviewed_at, "date_text",
		         date_text(pg->a, r->lang, r->reviewed_at), "reviewer", r->reviewer));
	}
}

/* The help lines a resource names, in its order, from the lines in service. */
static json_t *named_lines_json(struct page *pg, const struct resource *r)
{
	struct hotline *hs;
	size_t n = hotline_list(site.db, pg->a, pg->lang, &hs, NULL);
	json_t *arr = json_array();
	for (size_t k = 0; k < r->nhotlines; k++)
		for (size_t i = 0; i < n; i++)
			if (strcmp(hs[i].slug, r->hotlines[k]) == 0)
				push(pg, arr, hotline_json(pg, &hs[i]));
	return arr;
}

static json_t *resource_json(struct page *pg, const struct resource *r)
{
	json_t *j = card_json(pg, r);
	if (!j)
		return NULL;
	struct buf html = BUF_INIT;
	md_render(r->body, strlen(r->body), &html);
	set(pg, j, "body_html", tmpl_safe_html(html.p ? html.p : "", html.len));
	buf_free(&html);
	json_t *sources = json_array();
	for (size_t i = 0; i < r->nsources; i++)
		push(pg, sources, source_json(pg, &r->sources[i]));
	set(pg, j, "sources", sources);
	review_json(pg, j, r);
	json_t *lines = named_lines_json(pg, r);
	set(pg, j, "has_lines", json_boolean(json_array_size(lines) > 0));
	set(pg, j, "lines", lines);
	set(pg, j, "topic_title", str(pg, "the topic title", topic_title(pg, r)));
	set(pg, j, "sample", json_boolean(r->sample));
	set(pg, j, "is_video", json_boolean(strcmp(r->type, "video") == 0));
	set(pg, j, "is_link", json_boolean(strcmp(r->type, "link") == 0));
	set(pg, j, "is_worksheet", json_boolean(strcmp(r->type, "worksheet") == 0));
	if (r->url)
		set(pg, j, "url", str(pg, "url", r->url));
	if (r->video) {
		set(pg, j, "video_url", str(pg, "video", arena_printf(pg->a, "/media/%s", r->video)));
		set(pg, j, "video_type", json_string(mime_for(r->video)));
	}
	if (r->poster)
		set(pg, j, "poster_url", str(pg, "poster", arena_printf(pg->a, "/media/%s", r->poster)));
	if (r->captions)
		set(pg, j, "captions_url",
		    str(pg, "captions", arena_printf(pg->a, "/media/%s", r->captions)));
	return j;
}

/* The other language's page for the language switch: the translation when it is public, else the
 * other home page. */
static const char *translation_url(struct page *pg, const struct resource *r)
{
	const struct resource *t = r->translation ? resource_find(site.db, pg->a, r->translation) : NULL;
	if (t && !t->invalid)
		return resource_url(pg->a, other(pg->lang), r->translation);
	return home_url(other(pg->lang));
}

static int page_resource(struct page *pg, const char *slug, struct buf *out)
{
	struct resource *r = resource_get(site.db, pg->a, slug);
	if (!r || strcmp(r->lang, pg->lang) != 0 || strcmp(r->status, "draft") == 0 ||
	    strcmp(r->status, "review") == 0)
		return 404;
	if (strcmp(r->status, "archived") == 0)
		return 410;
	if (r->invalid) {
		page_fail(pg, "resource %s/%s: its %s is not valid UTF-8", r->lang, r->slug, r->invalid);
		return 500;
	}
	struct resource *rel;
	size_t nrel = resource_related(site.db, pg->a, r, 3, &rel);
	json_t *related = cards_json(pg, rel, nrel);
	json_t *d = page_data(pg, r->title, r->summary, translation_url(pg, r), r->section);
	set(pg, d, "section",
	    pack(pg, "{s:s, s:s}", "title", section_text(pg->lang, r->section, false), "url",
	         section_url(pg->a, pg->lang, r->section)));
	set(pg, d, "r", resource_json(pg, r));
	set(pg, d, "has_related", json_boolean(json_array_size(related) > 0));
	set(pg, d, "related", related);
	if (render_page(pg, "resource", d, out) < 0) {
		page_fail(pg, "resource %s/%s", r->lang, r->slug);
		return 500;
	}
	return 200;
}

int site_preview(const struct resource *r, struct buf *out, char *why, size_t whylen)
{
	struct page pg = {arena_new(), r->lang, ""};
	json_t *d = pack(&pg, "{s:s, s:O, s:s, s:s, s:b}", "lang", r->lang, "t", i18n_catalog(r->lang),
	                 "home_url", home_url(r->lang), "asset", site.asset_base, "has_related", 0);
	if (r->section)
		set(&pg, d, "section",
		    pack(&pg, "{s:s, s:s}", "title", section_text(r->lang, r->section, false), "url",
		         section_url(pg.a, r->lang, r->section)));
	struct resource copy = *r;
	copy.invalid = NULL;
	set(&pg, d, "r", resource_json(&pg, &copy));
	int rc = -1;
	if (!pg.why[0] && tmpl_render(site.tmpl, "resource", d, out) == 0)
		rc = 0;
	else
		page_fail(&pg, "the preview could not be built");
	snprintf(why, whylen, "%s", pg.why);
	json_decref(d);
	arena_free(pg.a);
	return rc;
}

/* An error page; a 410 for an archived resource links to its section. -1 if it cannot be built. */
static int error_page(struct page *pg, int status, const char *section, struct buf *out)
{
	char tk[32], bk[32];
	snprintf(tk, sizeof(tk), "error_title_%d", status);
	snprintf(bk, sizeof(bk), "error_body_%d", status);
	if (!json_object_get(i18n_catalog(pg->lang), tk)) {
		snprintf(tk, sizeof(tk), "error_title_500");
		snprintf(bk, sizeof(bk), "error_body_500");
	}
	json_t *d = page_data(pg, i18n_get(pg->lang, tk), NULL, home_url(other(pg->lang)), NULL);
	/* On an error page the switch leads to the other language's home page, and says so. */
	set(pg, json_object_get(d, "page"), "alt_label",
	    json_string(i18n_get(pg->lang, "language_switch_home_label")));
	json_t *e = pack(pg, "{s:s, s:s, s:i}", "title", i18n_get(pg->lang, tk), "body",
	                 i18n_get(pg->lang, bk), "status", status);
	if (e && section)
		set(pg, e, "section",
		    pack(pg, "{s:s, s:s}", "title", section_text(pg->lang, section, false), "url",
		         section_url(pg->a, pg->lang, section)));
	set(pg, d, "error", e);
	return render_page(pg, "error", d, out);
}

int site_render_error(int status, const char *lang, struct buf *out)
{
	struct page pg = {arena_new(), lang, ""};
	int rc = error_page(&pg, status, NULL, out);
	if (rc < 0)
		log_error("site: the %d page (%s) cannot be rendered: %s", status, lang, pg.why);
	arena_free(pg.a);
	return rc;
}

/* Remember whether path rendered, for /healthz. */
static void mark(const char *path, bool ok)
{
	pthread_mutex_lock(&site.lock);
	size_t i = 0;
	while (i < site.nfailing && strcmp(site.failing[i], path) != 0)
		i++;
	if (ok && i < site.nfailing) {
		free(site.failing[i]);
		site.failing[i] = site.failing[--site.nfailing];
	} else if (!ok && i == site.nfailing) {
		site.failing = xrealloc(site.failing, (site.nfailing + 1) * sizeof(*site.failing));
		site.failing[site.nfailing++] = xstrdup(path);
	}
	pthread_mutex_unlock(&site.lock);
}

size_t site_failing(void)
{
	pthread_mutex_lock(&site.lock);
	size_t n = site.nfailing;
	pthread_mutex_unlock(&site.lock);
	return n;
}

int site_render(const char *path, struct buf *out)
{
	const char *p = path;
	struct page pg = {arena_new(), "en", ""};
	if (strncmp(path, "/es/", 4) == 0)
		pg.lang = "es", p = path + 3;
	int status = 404;
	struct buf page = BUF_INIT;
	if (strcmp(p, "/") == 0)
		status = page_home(&pg, &page);
	else if (strncmp(p, "/resources/", 11) == 0 && slug_valid(str_c(p + 11)))
		status = page_resource(&pg, p + 11, &page);
	else if (slug_valid(str_c(p + 1)))
		status = page_section(&pg, p + 1, &page);
	if (status == 200) {
		buf_append(out, page.p, page.len);
	} else if (status == 410) {
		struct resource *r = resource_get(site.db, pg.a, p + 11);
		if (error_page(&pg, 410, r ? r->section : NULL, out) < 0)
			status = 500;
	}
	if (status == 500) {
		/* Never a half-built page: the 500 page, with the crisis lines, and the reason in the log. */
		log_error("site: %s cannot be rendered: %s", path, pg.why[0] ? pg.why : "unknown reason");
		out->len = 0;
		struct page epg = {pg.a, pg.lang, ""};
		error_page(&epg, 500, NULL, out);
	}
	if (status != 404)
		mark(path, status != 500);
	buf_free(&page);
	arena_free(pg.a);
	return status;
}

/* ---- enumerating and warming ---- */

char **site_paths(size_t *n)
{
	struct arena *a = arena_new();
	struct resource *rs, *gone;
	size_t nr = resource_list_status(site.db, a, "published", &rs);
	size_t ng = resource_list_status(site.db, a, "archived", &gone);
	char **v = xcalloc(2 + 8 + nr + ng, sizeof(char *));
	size_t k = 0;
	v[k++] = xstrdup("/");
	v[k++] = xstrdup("/es/");
	for (size_t i = 0; i < 4; i++)
		for (size_t l = 0; l < 2; l++)
			v[k++] = xstrdup(section_url(a, langs[l], section_slugs[i]));
	for (size_t i = 0; i < nr; i++)
		v[k++] = xstrdup(resource_url(a, rs[i].lang, rs[i].slug));
	for (size_t i = 0; i < ng; i++)
		v[k++] = xstrdup(resource_url(a, gone[i].lang, gone[i].slug));
	arena_free(a);
	*n = k;
	return v;
}

void site_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static void warm_static(void)
{
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		const char *type = mime_for(f->name);
		struct cache_entry *e = cache_entry_new(200, type, "public, max-age=31536000, immutable",
		                                        f->data, f->len, mime_compressible(type));
		cache_put(f->name, e);
	}
}

/* The error pages every response may need. Without them the server cannot answer honestly, so a
 * failure here stops start-up. */
static int warm_errors(void)
{
	static const int codes[] = {400, 404, 405, 413, 414, 431, 500, 503};
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
			struct buf b = BUF_INIT;
			if (site_render_error(codes[i], langs[l], &b) < 0) {
				buf_free(&b);
				return -1;
			}
			char key[32];
			snprintf(key, sizeof(key), "error:%d:%s", codes[i], langs[l]);
			cache_put(key, cache_entry_new(codes[i], "text/html; charset=utf-8", "no-store", b.p,
			                               b.len, true));
			buf_free(&b);
		}
	}
	return 0;
}

/* A resource asked for under the other language's prefix redirects to its own page. */
static void warm_wrong_language(const char *path)
{
	char other_path[512];
	if (strncmp(path, "/es/resources/", 14) == 0)
		snprintf(other_path, sizeof(other_path), "%s", path + 3);
	else if (strncmp(path, "/resources/", 11) == 0)
		snprintf(other_path, sizeof(other_path), "/es%s", path);
	else
		return;
	cache_put(other_path, cache_entry_redirect(301, path));
}

/* Render path and store what it gives: a page, a 410, or a 500 page (never as a success); a path
 * that is no page any more (a draft) leaves the cache. */
static void store(const char *path, struct site_warm_report *rep)
{
	struct buf b = BUF_INIT;
	int status = site_render(path, &b);
	switch (status) {
	case 200:
		cache_put(path,
		          cache_entry_new(200, "text/html; charset=utf-8", "no-cache", b.p, b.len, true));
		warm_wrong_language(path);
		rep->pages++;
		break;
	case 410:
		cache_put(path, cache_entry_new(410, "text/html; charset=utf-8", "public, max-age=600", b.p,
		                                b.len, true));
		rep->gone++;
		break;
	case 500:
		/* Served as what it is, never stored as a success; /healthz counts it. */
		cache_put(path,
		          cache_entry_new(500, "text/html; charset=utf-8", "no-store", b.p, b.len, true));
		rep->failed++;
		break;
	default: cache_del(path); break;
	}
	buf_free(&b);
}

int site_warm(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	warm_static();
	if (warm_errors() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	for (size_t i = 0; i < n; i++)
		store(paths[i], rep);
	site_paths_free(paths, n);
	return 0;
}

/* Append a path to a list once. */
static void add_path(struct arena *a, const char ***v, size_t *n, size_t *cap, const char *path)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], path) == 0)
			return;
	if (*n == *cap) {
		const char **w = arena_alloc(a, 2 * *cap * sizeof(*w));
		memcpy(w, *v, *n * sizeof(*w));
		*v = w, *cap *= 2;
	}
	(*v)[(*n)++] = arena_strdup(a, path);
}

int site_refresh_resource(const char *slug, struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	struct arena *a = arena_new();
	size_t n = 0, cap = 32;
	const char **paths = arena_alloc(a, cap * sizeof(*paths));
	struct resource *r = resource_get(site.db, a, slug);
	if (!r) {
		arena_free(a);
		return -1;
	}
	struct resource *t = r->translation ? resource_get(site.db, a, r->translation) : NULL;
	add_path(a, &paths, &n, &cap, "/");
	add_path(a, &paths, &n, &cap, "/es/");
	const struct resource *pair[2] = {r, t};
	for (size_t k = 0; k < 2 && pair[k]; k++) {
		add_path(a, &paths, &n, &cap, resource_url(a, pair[k]->lang, pair[k]->slug));
		add_path(a, &paths, &n, &cap, section_url(a, pair[k]->lang, pair[k]->section));
		/* Pages whose related cards may show it: the published resources of its section. */
		struct resource *rs;
		size_t nr = resource_list_section(site.db, a, pair[k]->section, pair[k]->lang, &rs);
		for (size_t i = 0; i < nr; i++)
			add_path(a, &paths, &n, &cap, resource_url(a, rs[i].lang, rs[i].slug));
	}
	for (size_t i = 0; i < n; i++)
		store(paths[i], rep);
	arena_free(a);
	return (int)n;
}

int site_refresh_all(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	size_t n;
	char **paths = site_paths(&n);
	for (size_t i = 0; i < n; i++)
		store(paths[i], rep);
	site_paths_free(paths, n);
	if (warm_errors() < 0)
		return -1;
	return (int)n;
}
