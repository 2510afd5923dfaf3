/* Page builders: each turns the model into template data (jansson values) and renders it inside the
 * layout. The same render path feeds the cache, the server's misses and the static export. */
#include "app/site.h"
#include "app/site_int.h"

#include <inttypes.h>
#include <jansson.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
#include "view/jsonarena.h"
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

/* The connection pages render through: the calling thread's own (vrc export's threads), else the
 * site's. */
static struct db *render_db(void)
{
	return page_env()->db;
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

char *site_resource_url(struct arena *a, const char *lang, const char *slug)
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
	                 "url", site_resource_url(pg->a, pg->lang, r->slug), "type", r->type, "type_label",
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
	page_alternates(pg, d, page_home_url(pg->lang), page_home_url(page_other(pg->lang)));
	struct resource *rs;
	size_t n = resource_list_stage(render_db(), pg->a, pg->lang, "first-days", 6, &rs);
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
	size_t nt = topic_list(render_db(), pg->a, slug, pg->lang, &ts);
	size_t nr = resource_list_section(render_db(), pg->a, slug, pg->lang, &rs);
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
	page_alternates(pg, d, page_section_url(pg->a, pg->lang, slug),
	                page_section_url(pg->a, page_other(pg->lang), slug));
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
	json_t *arr = json_array();
	for (size_t k = 0; k < r->nhotlines; k++) {
		json_t *h = page_hotline_named(pg, r->hotlines[k]);
		if (h)
			page_push(pg, arr, h);
	}
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
	page_set(
	    pg, j, "topic_title",
	    page_str(pg, "the topic title", topic_title(render_db(), pg->a, r->section, r->lang, r->topic)));
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
 * other home page. found is resource_find's translation: when all of it is valid so is its card. */
static const char *translation_url(struct page *pg, const struct resource *r, const struct resource *found)
{
	const struct resource *t =
	    found && found->invalid ? resource_card(render_db(), pg->a, r->translation) : found;
	if (t && !t->invalid)
		return site_resource_url(pg->a, page_other(pg->lang), r->translation);
	return page_home_url(page_other(pg->lang));
}

/* ---- related cards: a resource's are the first cards of its topic (resource_related), the same for
 * every page of the topic, so they are looked up once per topic and language until the next change
 * (a large site's start-up renders thousands of pages per topic). */

enum { RELATED = 3, MEMO_SLOTS = 256 };

static struct {
	pthread_mutex_t lock;
	unsigned gen; /* bumped by every change: a lookup begun before it is not kept */
	struct memo_slot {
		char *key; /* "section lang topic" */
		struct arena *a;
		struct resource *top; /* the topic's first RELATED + 1 cards */
		size_t n;
	} slot[MEMO_SLOTS];
} memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void memo_clear(void)
{
	page_forget();
	pthread_mutex_lock(&memo.lock);
	memo.gen++;
	for (size_t i = 0; i < MEMO_SLOTS; i++) {
		free(memo.slot[i].key);
		arena_free(memo.slot[i].a);
		memset(&memo.slot[i], 0, sizeof(memo.slot[i]));
	}
	pthread_mutex_unlock(&memo.lock);
}

static char *memo_copy(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

/* A card's fields, copied into a. */
static void card_copy(struct arena *a, struct resource *to, const struct resource *from)
{
	*to = *from;
	to->slug = memo_copy(a, from->slug), to->lang = memo_copy(a, from->lang);
	to->section = memo_copy(a, from->section), to->topic = memo_copy(a, from->topic);
	to->type = memo_copy(a, from->type), to->stage = memo_copy(a, from->stage);
	to->title = memo_copy(a, from->title), to->summary = memo_copy(a, from->summary);
	to->checked = memo_copy(a, from->checked), to->translation = memo_copy(a, from->translation);
	to->status = memo_copy(a, from->status), to->invalid = memo_copy(a, from->invalid);
	to->reviewed_at = memo_copy(a, from->reviewed_at), to->reviewer = memo_copy(a, from->reviewer);
	to->body = NULL, to->sources = NULL, to->nsources = 0, to->hotlines = NULL, to->nhotlines = 0;
}

/* The related cards of r (at most RELATED, never r itself) into a. */
static size_t related(struct arena *a, const struct resource *r, struct resource **out)
{
	char key[256];
	snprintf(key, sizeof(key), "%s %s %s", r->section, r->lang, r->topic);
	struct memo_slot *sl = &memo.slot[hash64(key, strlen(key)) % MEMO_SLOTS];
	struct resource *top = NULL, *v = arena_alloc(a, (RELATED + 1) * sizeof(*v));
	size_t n = 0, k = 0;
	pthread_mutex_lock(&memo.lock);
	unsigned gen = memo.gen;
	bool hit = sl->key && strcmp(sl->key, key) == 0;
	for (size_t i = 0; hit && i < sl->n; i++)
		card_copy(a, &v[n++], &sl->top[i]);
	pthread_mutex_unlock(&memo.lock);
	if (!hit) {
		struct resource probe = *r;
		probe.slug = ""; /* the topic's first cards, whichever page asks */
		struct arena *ma = arena_new();
		n = resource_related(render_db(), ma, &probe, RELATED + 1, &top);
		for (size_t i = 0; i < n; i++)
			card_copy(a, &v[i], &top[i]);
		pthread_mutex_lock(&memo.lock);
		if (gen == memo.gen) {
			free(sl->key);
			arena_free(sl->a);
			*sl = (struct memo_slot){xstrdup(key), ma, top, n};
			ma = NULL;
		}
		pthread_mutex_unlock(&memo.lock);
		arena_free(ma);
	}
	for (size_t i = 0; i < n && k < RELATED; i++)
		if (strcmp(v[i].slug, r->slug) != 0)
			v[k++] = v[i];
	*out = v;
	return k;
}

static int page_resource(struct page *pg, const char *slug, struct buf *out)
{
	struct resource *r = resource_get(render_db(), pg->a, slug);
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
	size_t nrel = related(pg->a, r, &rel);
	json_t *related = cards_json(pg, rel, nrel);
	const struct resource *t = r->translation ? resource_find(render_db(), pg->a, r->translation) : NULL;
	json_t *d = page_data(pg, r->title, r->summary, translation_url(pg, r, t), r->section);
	page_set(pg, d, "section",
	         page_pack(pg, "{s:s, s:s}", "title", page_section_text(pg->lang, r->section, false), "url",
	                   page_section_url(pg->a, pg->lang, r->section)));
	page_set(pg, d, "r", resource_json(pg, r));
	page_set(pg, d, "has_related", json_boolean(json_array_size(related) > 0));
	page_set(pg, d, "related", related);
	page_alternates(pg, d, site_resource_url(pg->a, pg->lang, r->slug),
	                t && !t->invalid ? site_resource_url(pg->a, page_other(pg->lang), t->slug) : NULL);
	page_set(pg, d, "ld",
	         jsonld_resource(render_db(), pg->a, r, page_section_text(pg->lang, r->section, false),
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
	/* From the help lines' memo (app/page.c), which every page's crisis lines come from: no query. */
	struct page pg = {arena_new(), lang, ""};
	json_t *j = page_hotline_named(&pg, slug);
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
	jsonarena_begin(); /* the page's data, freed whole below */
	struct page pg = {arena_new(), "en", ""};
	if (strncmp(path, "/es/", 4) == 0)
		pg.lang = "es", p = path + 3;
	int status = 404;
	struct buf page = BUF_INIT;
	buf_reserve(&page, 48 * 1024); /* a page is 10-40 KB: no string of reallocations */
	const char *clang, *crest;
	if (community_split(path, &clang, &crest))
		pg.lang = clang, status = community_render(&pg, crest, &page);
	else if (strcmp(p, "/") == 0)
		status = page_home(&pg, &page);
	else if (strncmp(p, "/resources/", 11) == 0 && slug_valid(str_c(p + 11)))
		status = page_resource(&pg, p + 11, &page);
	else if (slug_valid(str_c(p + 1)))
		status = page_section(&pg, p + 1, &page);
	if (status == 200 && out->len == 0) {
		buf_free(out), *out = page, page = BUF_INIT; /* handed over, not copied */
	} else if (status == 200) {
		buf_append(out, page.p, page.len);
	} else if (status == 410) {
		struct resource *r = resource_get(render_db(), pg.a, p + 11);
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
	arena_free(pg.a); /* first: it drops references it holds */
	jsonarena_end();
	metrics_render(status, metrics_now_us() - t0);
	return status;
}

struct db *site_db(void)
{
	return site.db;
}

void site_memo_clear(void)
{
	memo_clear();
}

void site_free(void)
{
	site_warm_stop();
	memo_clear();
	tmpl_set_free(site.tmpl);
	site.tmpl = NULL;
	i18n_free();
	cache_clear();
}
