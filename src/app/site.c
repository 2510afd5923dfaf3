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
#include "app/community.h"
#include "app/jsonld.h"
#include "app/metrics.h"
#include "app/page.h"
#include "app/sitemap.h"
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
	char public_url[512];
	pthread_mutex_t lock; /* guards failing */
	char **failing;       /* paths whose last render failed: what /healthz reports */
	size_t nfailing;
} site = {.lock = PTHREAD_MUTEX_INITIALIZER};

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
	/* The public address without a trailing '/': paths are appended to it. */
	snprintf(site.public_url, sizeof(site.public_url), "%s",
	         cfg->public_url ? cfg->public_url : "http://localhost:8080");
	for (size_t n = strlen(site.public_url); n > 8 && site.public_url[n - 1] == '/';)
		site.public_url[--n] = '\0';
	site.cfg.public_url = site.public_url;
	if (i18n_init() < 0 || (cfg->i18n_dir && i18n_load_dir(cfg->i18n_dir) < 0) || load_templates() < 0 ||
	    sitemap_init(db, site.public_url) < 0)
		return -1;
	page_setup(
	    &(struct page_env){db, site.tmpl, site.asset_base, site.cfg.exit_url, site.cfg.public_url});
	return 0;
}

void site_free(void)
{
	tmpl_set_free(site.tmpl);
	site.tmpl = NULL;
	i18n_free();
	cache_clear();
}

static char *resource_url(struct arena *a, const char *lang, const char *slug)
{
	return arena_printf(a, "%s/resources/%s", page_lang_prefix(lang), slug);
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
	return page_pack(pg, "{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", r->title, "summary", r->summary,
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
			page_push(pg, arr, c);
	}
	return arr;
}

static int page_home(struct page *pg, struct buf *out)
{
	json_t *d = page_data(pg, i18n_get(pg->lang, "home"), i18n_get(pg->lang, "site_tagline"),
	                      page_home_url(page_other(pg->lang)), NULL);
	struct resource *rs;
	size_t n = resource_list_stage(site.db, pg->a, pg->lang, "first-days", 6, &rs);
	json_t *first = cards_json(pg, rs, n);
	page_set(pg, d, "has_first_days", json_boolean(json_array_size(first) > 0));
	page_set(pg, d, "first_days", first);
	page_set(pg, d, "ld", jsonld_home(pg->a, pg->lang));
	community_home(pg, d);
	return page_render(pg, "home", d, out) < 0 ? 500 : 200;
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
			    page_pack(pg, "{s:s, s:o}", "label", i18n_get(pg->lang, sk), "resources", cur);
			if (!group) { /* pack has released cur */
				json_decref(card);
				return stages;
			}
			page_push(pg, stages, group);
			cur_stage = rs[i].stage;
		}
		page_push(pg, cur, card);
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
		page_push(pg, topics,
		          page_pack(pg, "{s:s, s:o, s:o, s:o}", "slug", ts[i].slug, "title",
		                    page_str(pg, "a topic title", ts[i].title), "summary",
		                    page_str(pg, "a topic summary", ts[i].summary), "stages", st));
	}
	const char *title = page_section_text(pg->lang, slug, false),
	           *summary = page_section_text(pg->lang, slug, true);
	json_t *d = page_data(pg, title, summary, page_section_url(pg->a, page_other(pg->lang), slug), slug);
	page_set(pg, d, "section", page_pack(pg, "{s:s, s:s}", "title", title, "summary", summary));
	page_set(pg, d, "has_topics", json_boolean(json_array_size(topics) > 0));
	page_set(pg, d, "topics", topics);
	page_set(pg, d, "ld", jsonld_section(pg->a, pg->lang, slug, title, summary));
	return page_render(pg, "section", d, out) < 0 ? 500 : 200;
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
	json_t *j = page_pack(pg, "{s:s, s:s, s:s}", "title", src->title, "url", src->url, "host",
	                      page_host_of(pg->a, src->url));
	if (j && src->lang && strcmp(src->lang, pg->lang) != 0) {
		char key[32];
		snprintf(key, sizeof(key), "in_lang_%s", src->lang);
		page_set(pg, j, "foreign",
		         page_pack(pg, "{s:s, s:s}", "lang", src->lang, "note", i18n_get(pg->lang, key)));
	}
	return j;
}

/* What the page can honestly say about review: a clinical review approved in the console (date and
 * reviewer), or only that it was checked against its sources and awaits clinical review. */
static void review_json(struct page *pg, json_t *j, const struct resource *r)
{
	page_set(pg, j, "checked", page_str(pg, "the checked date", r->checked));
	page_set(pg, j, "checked_text",
	         page_str(pg, "the checked date", date_text(pg->a, r->lang, r->checked)));
	if (r->reviewed_at && r->reviewer) {
		page_set(pg, j, "review",
		         page_pack(pg, "{s:s, s:s, s:s}", "date", r->reviewed_at, "date_text",
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
				page_push(pg, arr, page_hotline_json(pg, &hs[i]));
	return arr;
}

static json_t *resource_json(struct page *pg, const struct resource *r)
{
	json_t *j = card_json(pg, r);
	if (!j)
		return NULL;
	struct buf html = BUF_INIT;
	md_render(r->body, strlen(r->body), &html);
	page_set(pg, j, "body_html", tmpl_safe_html(html.p ? html.p : "", html.len));
	buf_free(&html);
	json_t *sources = json_array();
	for (size_t i = 0; i < r->nsources; i++)
		page_push(pg, sources, source_json(pg, &r->sources[i]));
	page_set(pg, j, "sources", sources);
	review_json(pg, j, r);
	json_t *lines = named_lines_json(pg, r);
	page_set(pg, j, "has_lines", json_boolean(json_array_size(lines) > 0));
	page_set(pg, j, "lines", lines);
	page_set(pg, j, "topic_title", page_str(pg, "the topic title", topic_title(pg, r)));
	page_set(pg, j, "sample", json_boolean(r->sample));
	page_set(pg, j, "is_video", json_boolean(strcmp(r->type, "video") == 0));
	page_set(pg, j, "is_link", json_boolean(strcmp(r->type, "link") == 0));
	page_set(pg, j, "is_worksheet", json_boolean(strcmp(r->type, "worksheet") == 0));
	if (r->url)
		page_set(pg, j, "url", page_str(pg, "url", r->url));
	if (r->video) {
		page_set(pg, j, "video_url",
		         page_str(pg, "video", arena_printf(pg->a, "/media/%s", r->video)));
		page_set(pg, j, "video_type", json_string(mime_for(r->video)));
	}
	if (r->poster)
		page_set(pg, j, "poster_url",
		         page_str(pg, "poster", arena_printf(pg->a, "/media/%s", r->poster)));
	if (r->captions)
		page_set(pg, j, "captions_url",
		         page_str(pg, "captions", arena_printf(pg->a, "/media/%s", r->captions)));
	return j;
}

/* The other language's page for the language switch: the translation when it is public, else the
 * other home page. */
static const char *translation_url(struct page *pg, const struct resource *r)
{
	const struct resource *t = r->translation ? resource_find(site.db, pg->a, r->translation) : NULL;
	if (t && !t->invalid)
		return resource_url(pg->a, page_other(pg->lang), r->translation);
	return page_home_url(page_other(pg->lang));
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
	page_set(pg, d, "section",
	         page_pack(pg, "{s:s, s:s}", "title", page_section_text(pg->lang, r->section, false), "url",
	                   page_section_url(pg->a, pg->lang, r->section)));
	page_set(pg, d, "r", resource_json(pg, r));
	page_set(pg, d, "has_related", json_boolean(json_array_size(related) > 0));
	page_set(pg, d, "related", related);
	const struct resource *t = r->translation ? resource_find(site.db, pg->a, r->translation) : NULL;
	page_set(pg, d, "ld",
	         jsonld_resource(site.db, pg->a, r, page_section_text(pg->lang, r->section, false),
	                         t && !t->invalid ? r->translation : NULL));
	if (page_render(pg, "resource", d, out) < 0) {
		page_fail(pg, "resource %s/%s", r->lang, r->slug);
		return 500;
	}
	return 200;
}

int site_preview(const struct resource *r, struct buf *out, char *why, size_t whylen)
{
	struct page pg = {arena_new(), r->lang, ""};
	json_t *d = page_pack(&pg, "{s:s, s:O, s:s, s:s, s:b}", "lang", r->lang, "t", i18n_catalog(r->lang),
	                      "home_url", page_home_url(r->lang), "asset", site.asset_base, "has_related", 0);
	if (r->section)
		page_set(&pg, d, "section",
		         page_pack(&pg, "{s:s, s:s}", "title", page_section_text(r->lang, r->section, false),
		                   "url", page_section_url(pg.a, r->lang, r->section)));
	struct resource copy = *r;
	copy.invalid = NULL;
	page_set(&pg, d, "r", resource_json(&pg, &copy));
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
	json_t *d = page_data(pg, i18n_get(pg->lang, tk), NULL, page_home_url(page_other(pg->lang)), NULL);
	/* On an error page the switch leads to the other language's home page, and says so. */
	page_set(pg, json_object_get(d, "page"), "alt_label",
	         json_string(i18n_get(pg->lang, "language_switch_home_label")));
	json_t *e = page_pack(pg, "{s:s, s:s, s:i}", "title", i18n_get(pg->lang, tk), "body",
	                      i18n_get(pg->lang, bk), "status", status);
	if (e && section)
		page_set(pg, e, "section",
		         page_pack(pg, "{s:s, s:s}", "title", page_section_text(pg->lang, section, false),
		                   "url", page_section_url(pg->a, pg->lang, section)));
	page_set(pg, d, "error", e);
	return page_render(pg, "error", d, out);
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

int site_render_extra(const char *lang, const char *name, const char *title, const char *alt_url,
                      json_t *extra, const char *what, struct buf *out)
{
	struct page pg = {arena_new(), lang, ""};
	json_t *d = page_data(&pg, title, NULL, alt_url, NULL);
	if (!extra || !d || json_object_update(d, extra) < 0)
		page_fail(&pg, "page data incomplete");
	json_decref(extra);
	int rc = page_render(&pg, name, d, out);
	if (rc < 0) {
		log_error("site: %s cannot be rendered: %s", what, pg.why);
		out->len = 0;
		struct page epg = {pg.a, lang, ""};
		error_page(&epg, 500, NULL, out);
	}
	arena_free(pg.a);
	return rc;
}

json_t *site_hotline_data(const char *lang, const char *slug)
{
	struct page pg = {arena_new(), lang, ""};
	struct hotline *hs;
	size_t n = hotline_list(site.db, pg.a, lang, &hs, NULL);
	json_t *j = NULL;
	for (size_t i = 0; i < n && !j; i++)
		if (strcmp(hs[i].slug, slug) == 0)
			j = page_hotline_json(&pg, &hs[i]);
	if (pg.why[0]) {
		json_decref(j);
		j = NULL;
	}
	arena_free(pg.a);
	return j;
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
	uint64_t t0 = metrics_now_us();
	const char *p = path;
	struct page pg = {arena_new(), "en", ""};
	if (strncmp(path, "/es/", 4) == 0)
		pg.lang = "es", p = path + 3;
	int status = 404;
	struct buf page = BUF_INIT;
	const char *clang, *crest;
	if (community_split(path, &clang, &crest))
		pg.lang = clang, status = community_render(&pg, crest, &page);
	else if (strcmp(p, "/") == 0)
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
	metrics_render(status, metrics_now_us() - t0);
	return status;
}

/* ---- enumerating and warming ---- */

/* Paths beyond the library's (community pages), appended to a malloc'd list. */
struct more_paths {
	char **v;
	size_t n, cap;
};

static void add_more(void *ctx, const char *path)
{
	struct more_paths *m = ctx;
	if (m->n == m->cap) {
		m->cap = m->cap * 2 + 16;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = xstrdup(path);
}

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
			v[k++] = xstrdup(page_section_url(a, langs[l], section_slugs[i]));
	for (size_t i = 0; i < nr; i++)
		v[k++] = xstrdup(resource_url(a, rs[i].lang, rs[i].slug));
	for (size_t i = 0; i < ng; i++)
		v[k++] = xstrdup(resource_url(a, gone[i].lang, gone[i].slug));
	struct more_paths more = {v, k, k};
	community_paths(a, add_more, &more);
	arena_free(a);
	*n = more.n;
	return more.v;
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
		cache_put(path, cache_entry_new(200, community_type(path), "no-cache", b.p, b.len, true));
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
	rep->failed += sitemap_refresh(); /* the sitemap, robots.txt and feeds */
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
		add_path(a, &paths, &n, &cap, page_section_url(a, pair[k]->lang, pair[k]->section));
		/* Pages whose related cards may show it: the published resources of its section. */
		struct resource *rs;
		size_t nr = resource_list_section(site.db, a, pair[k]->section, pair[k]->lang, &rs);
		for (size_t i = 0; i < nr; i++)
			add_path(a, &paths, &n, &cap, resource_url(a, rs[i].lang, rs[i].slug));
	}
	for (size_t i = 0; i < n; i++)
		store(paths[i], rep);
	arena_free(a);
	rep->failed += sitemap_refresh();
	return (int)n;
}

struct cache_entry *site_fill(const char *path)
{
	const char *lang, *rest;
	if (!community_split(path, &lang, &rest))
		return NULL;
	struct site_warm_report rep = {0};
	store(path, &rep);
	return rep.pages || rep.failed ? cache_get(path) : NULL; /* a page that failed answers its 500 page */
}

void site_refresh_paths(const char *const *paths, size_t n, struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	for (size_t i = 0; i < n; i++)
		store(paths[i], rep);
}

int site_refresh_all(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	size_t n;
	char **paths = site_paths(&n);
	for (size_t i = 0; i < n; i++)
		store(paths[i], rep);
	site_paths_free(paths, n);
	rep->failed += sitemap_refresh();
	if (warm_errors() < 0)
		return -1;
	return (int)n;
}
