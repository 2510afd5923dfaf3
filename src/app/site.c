/* Page builders: each turns the model into template data (jansson values) and renders it inside the
 * layout. The same render path feeds the cache, the server's misses and the static export. */
#include "app/site.h"

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
	page_alternates(pg, d, page_home_url(pg->lang), page_home_url(page_other(pg->lang)));
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
	page_set(pg, j, "topic_title",
	         page_str(pg, "the topic title", topic_title(site.db, pg->a, r->section, r->lang, r->topic)));
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
	    found && found->invalid ? resource_card(site.db, pg->a, r->translation) : found;
	if (t && !t->invalid)
		return resource_url(pg->a, page_other(pg->lang), r->translation);
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
		n = resource_related(site.db, ma, &probe, RELATED + 1, &top);
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
	size_t nrel = related(pg->a, r, &rel);
	json_t *related = cards_json(pg, rel, nrel);
	const struct resource *t = r->translation ? resource_find(site.db, pg->a, r->translation) : NULL;
	json_t *d = page_data(pg, r->title, r->summary, translation_url(pg, r, t), r->section);
	page_set(pg, d, "section",
	         page_pack(pg, "{s:s, s:s}", "title", page_section_text(pg->lang, r->section, false), "url",
	                   page_section_url(pg->a, pg->lang, r->section)));
	page_set(pg, d, "r", resource_json(pg, r));
	page_set(pg, d, "has_related", json_boolean(json_array_size(related) > 0));
	page_set(pg, d, "related", related);
	page_alternates(pg, d, resource_url(pg->a, pg->lang, r->slug),
	                t && !t->invalid ? resource_url(pg->a, page_other(pg->lang), t->slug) : NULL);
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
	arena_free(pg.a); /* first: it drops references it holds */
	jsonarena_end();
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
	size_t nr = resource_slugs(site.db, a, "published", NULL, &rs);
	size_t ng = resource_slugs(site.db, a, "archived", NULL, &gone);
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

/* ---- path sets: pending (to render before serving), in flight (being rendered), and the library
 * pages each cached page links to (what a change to a resource touches) */

enum { PSET_BUCKETS = 16384 };

struct pnode {
	struct pnode *next;
	char *path;
	char *links; /* "\nslug\nslug\n": the resources the page links to (links set only) */
};

struct pset {
	struct pnode *b[PSET_BUCKETS];
	size_t n;
};

static struct pnode **pset_find(struct pset *s, const char *path)
{
	struct pnode **p = &s->b[hash64(path, strlen(path)) % PSET_BUCKETS];
	while (*p && strcmp((*p)->path, path) != 0)
		p = &(*p)->next;
	return p;
}

static bool pset_has(struct pset *s, const char *path)
{
	return *pset_find(s, path) != NULL;
}

/* Add path (with links, taken over; may be NULL), replacing what it had. */
static void pset_put(struct pset *s, const char *path, char *links)
{
	struct pnode **p = pset_find(s, path);
	if (!*p) {
		*p = xcalloc(1, sizeof(**p));
		(*p)->path = xstrdup(path);
		s->n++;
	}
	free((*p)->links);
	(*p)->links = links;
}

static void pset_del(struct pset *s, const char *path)
{
	struct pnode **p = pset_find(s, path), *gone = *p;
	if (!gone)
		return;
	*p = gone->next;
	free(gone->path);
	free(gone->links);
	free(gone);
	s->n--;
}

static void pset_clear(struct pset *s)
{
	for (size_t i = 0; i < PSET_BUCKETS; i++)
		while (s->b[i])
			pset_del(s, s->b[i]->path);
}

/* The links index, the other way round from w.links: resource slug -> the cached pages linking to
 * it, so a publish finds a resource's cards (community pages, related cards, lists) without
 * reading every page's links. */
struct lnode {
	struct lnode *next;
	char *slug;
	const char **paths; /* w.links' own path strings, in no order */
	size_t n, cap;
};

struct lidx {
	struct lnode *b[PSET_BUCKETS];
};

static struct lnode **lidx_find(struct lidx *x, const char *slug, size_t len)
{
	struct lnode **p = &x->b[hash64(slug, len) % PSET_BUCKETS];
	while (*p && (strncmp((*p)->slug, slug, len) != 0 || (*p)->slug[len]))
		p = &(*p)->next;
	return p;
}

/* Call fn(x, slug, len, path) for each slug of links ("\nslug\nslug\n"). */
static void lidx_each(struct lidx *x, const char *links, const char *path,
                      void (*fn)(struct lidx *, const char *, size_t, const char *))
{
	for (const char *p = links ? links + 1 : NULL; p && *p;) {
		size_t len = strcspn(p, "\n");
		fn(x, p, len, path);
		p += len + (p[len] == '\n');
	}
}

static void lidx_add(struct lidx *x, const char *slug, size_t len, const char *path)
{
	struct lnode **p = lidx_find(x, slug, len);
	if (!*p) {
		*p = xcalloc(1, sizeof(**p));
		(*p)->slug = xstrndup(slug, len);
	}
	struct lnode *l = *p;
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 4;
		l->paths = xrealloc(l->paths, l->cap * sizeof(*l->paths));
	}
	l->paths[l->n++] = path;
}

static void lidx_remove(struct lidx *x, const char *slug, size_t len, const char *path)
{
	struct lnode **p = lidx_find(x, slug, len), *l = *p;
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->paths[i], path) == 0) {
			l->paths[i] = l->paths[--l->n];
			break;
		}
	if (l && l->n == 0) {
		*p = l->next;
		free(l->slug);
		free(l->paths);
		free(l);
	}
}

static void lidx_clear(struct lidx *x)
{
	for (size_t i = 0; i < PSET_BUCKETS; i++)
		while (x->b[i]) {
			struct lnode *l = x->b[i];
			x->b[i] = l->next;
			free(l->slug);
			free(l->paths);
			free(l);
		}
}

/* The warming state: guarded by w.lock; w.cond wakes the worker and those waiting on a render. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pset pending, inflight, redo, links;
	struct lidx linked;   /* w.links the other way round */
	bool sitemap;         /* the sitemap and feeds are due for the worker */
	bool sitemap_unbuilt; /* not built since start-up: a request for them builds them */
	bool sitemap_building;
	char **queue; /* paths for the worker, oldest first from head */
	size_t head, n, cap;
	size_t total, done; /* the start-up warm: paths, and how many are rendered */
	bool warming, stop, started;
	pthread_t worker;
	struct site_warm_report rep; /* the worker's */
	double t0;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A slug inside a page's HTML. */
struct slug_ref {
	const char *p;
	size_t n;
};

static int slug_ref_cmp(const void *a, const void *b)
{
	const struct slug_ref *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The library pages html (NUL-terminated) links to, each once (sorted: a section page links to
 * 1,250), as "\nslug\n..." (malloc'd), or NULL when none. */
static char *links_of(const char *html)
{
	struct slug_ref *v = NULL;
	size_t n = 0, cap = 0;
	static const char *const prefixes[] = {"href=\"/resources/", "href=\"/es/resources/"};
	for (size_t k = 0; k < 2; k++) {
		size_t pl = strlen(prefixes[k]);
		for (const char *p = html; (p = strstr(p, prefixes[k]));) {
			p += pl;
			size_t len = strcspn(p, "\"#?/");
			if (!len || len >= 128)
				continue;
			if (n == cap) {
				cap = cap * 2 + 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = (struct slug_ref){p, len};
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), slug_ref_cmp);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || slug_ref_cmp(&v[i], &v[i - 1]) != 0)
			buf_printf(&b, "%s%.*s\n", b.len ? "" : "\n", (int)v[i].n, v[i].p);
	free(v);
	return b.p;
}

struct cache_entry *site_entry_of(const char *path, int status, struct str body)
{
	switch (status) {
	case 200: return cache_entry_new(200, community_type(path), "no-cache", body.p, body.len, true);
	case 410:
		return cache_entry_new(410, "text/html; charset=utf-8", "public, max-age=600", body.p,
		                       body.len, true);
	case 500: /* served as what it is, never as a success; /healthz counts it */
		return cache_entry_new(500, "text/html; charset=utf-8", "no-store", body.p, body.len, true);
	default: return NULL;
	}
}

struct cache_entry *site_entry(const char *path, int *status, char **links)
{
	struct buf b = BUF_INIT;
	*status = site_render(path, &b);
	struct cache_entry *e = site_entry_of(path, *status, buf_str(&b));
	if (links)
		*links = *status == 200 ? links_of(b.p ? b.p : "") : NULL;
	buf_free(&b);
	return e;
}

/* Render path and store what it gives: a page, a 410, or a 500 page (never as a success); a path
 * that is no page any more (a draft) leaves the cache. */
static void store(const char *path, struct site_warm_report *rep)
{
	int status;
	char *links;
	struct cache_entry *e = site_entry(path, &status, &links);
	if (e)
		cache_put(path, e);
	else
		cache_del(path);
	if (status == 200)
		warm_wrong_language(path);
	rep->pages += status == 200, rep->gone += status == 410, rep->failed += status == 500;
	pthread_mutex_lock(&w.lock);
	struct pnode *old = *pset_find(&w.links, path);
	if (old)
		lidx_each(&w.linked, old->links, path, lidx_remove);
	if (links) {
		pset_put(&w.links, path, links);
		lidx_each(&w.linked, links, (*pset_find(&w.links, path))->path, lidx_add);
	} else {
		pset_del(&w.links, path);
	}
	pthread_mutex_unlock(&w.lock);
}

/* store(), one render of a path at a time: a second caller waits for the first, then renders again
 * (a change may have come in between) unless only_pending and the first one did the work. A path
 * invalidated while it renders (the render may have read the old text) is rendered again. */
static void render_path(const char *path, struct site_warm_report *rep, bool only_pending)
{
	pthread_mutex_lock(&w.lock);
	while (pset_has(&w.inflight, path))
		pthread_cond_wait(&w.cond, &w.lock);
	bool go = !only_pending || pset_has(&w.pending, path);
	if (!go) {
		pthread_mutex_unlock(&w.lock);
		return;
	}
	pset_put(&w.inflight, path, NULL);
	while (go) {
		pset_del(&w.pending, path);
		pthread_mutex_unlock(&w.lock);
		store(path, rep);
		pthread_mutex_lock(&w.lock);
		go = pset_has(&w.redo, path);
		pset_del(&w.redo, path);
	}
	pset_del(&w.inflight, path);
	pthread_cond_broadcast(&w.cond);
	pthread_mutex_unlock(&w.lock);
}

/* Mark path to be rendered again: dropped from the cache, rendered by the next request for it or by
 * the worker, whichever comes first (or again by a render in flight). Call with w.lock held: no
 * request sees the path neither cached nor pending. */
static void invalidate_locked(const char *path)
{
	pset_put(&w.pending, path, NULL);
	if (pset_has(&w.inflight, path))
		pset_put(&w.redo, path, NULL);
	cache_del(path);
	if (w.started) {
		if (w.n == w.cap) {
			w.cap = w.cap * 2 + 64;
			w.queue = xrealloc(w.queue, w.cap * sizeof(*w.queue));
		}
		w.queue[w.n++] = xstrdup(path);
		pthread_cond_broadcast(&w.cond);
	}
}

static void log_cache(const char *what)
{
	struct cache_stats st;
	cache_stats(&st);
	char budget[48] = "no limit";
	if (st.budget != SIZE_MAX)
		snprintf(budget, sizeof(budget), "%zu MB", st.budget >> 20);
	log_info("%s; cache: %zu entries, %.1f MB (brotli %.1f, gzip and identity %.1f of %s)", what,
	         st.entries, (st.brotli + st.gzip + st.identity) / 1048576.0, st.brotli / 1048576.0,
	         (st.gzip + st.identity) / 1048576.0, budget);
}

/* Build the sitemap and feeds when due, one build at a time (a second caller waits for the first).
 * Call with w.lock held; returns with it held. */
static void sitemap_build_locked(void)
{
	while (w.sitemap_building)
		pthread_cond_wait(&w.cond, &w.lock);
	if (!w.sitemap)
		return;
	w.sitemap = false;
	w.sitemap_building = true;
	pthread_mutex_unlock(&w.lock);
	size_t failed = sitemap_refresh(); /* failures are logged and cached as 500 answers */
	if (failed)
		log_error("site: %zu of the sitemap and feeds failed to build (see above)", failed);
	pthread_mutex_lock(&w.lock);
	w.sitemap_building = w.sitemap_unbuilt = false;
	pthread_cond_broadcast(&w.cond);
}

/* The worker: renders queued paths still pending, until told to stop. */
static void *worker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&w.lock);
	while (!w.stop) {
		if (w.head == w.n && !w.sitemap) {
			w.head = w.n = 0;
			if (w.warming) {
				w.warming = false;
				pthread_mutex_unlock(&w.lock);
#ifdef __GLIBC__
				malloc_trim(0); /* the renders' freed memory, scattered between the entries */
#endif
				char what[160];
				snprintf(what, sizeof(what),
				         "warm: %zu pages in %.1f s (%zu gone, %zu failed)", w.total,
				         seconds() - w.t0, w.rep.gone, w.rep.failed);
				log_cache(what);
				pthread_mutex_lock(&w.lock);
				continue;
			}
			pthread_cond_wait(&w.cond, &w.lock);
			continue;
		}
		if (w.sitemap) { /* before the next page: crawlers and feed readers see a publish soon */
			sitemap_build_locked();
			continue;
		}
		char *path = w.queue[w.head++];
		pthread_mutex_unlock(&w.lock);
		render_path(path, &w.rep, true);
		free(path);
		pthread_mutex_lock(&w.lock);
		if (w.warming && w.done < w.total)
			w.done++;
#ifdef __GLIBC__
		if (w.warming && w.done % 2048 == 0)
			malloc_trim(0); /* keeps the peak near what the cache holds */
#endif
	}
	pthread_mutex_unlock(&w.lock);
	return NULL;
}

int site_warm_base(void)
{
	warm_static();
	if (warm_errors() < 0)
		return -1;
	/* The sitemap, robots.txt and library feeds: small, and asked for by crawlers at once. Their
	 * failures are logged and cached as 500 answers by sitemap_refresh itself. */
	sitemap_refresh();
	return 0;
}

int site_warm_start(void)
{
	warm_static();
	if (warm_errors() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	pthread_mutex_lock(&w.lock);
	/* The sitemap and feeds (0.5 s on a large site) by the worker first, or by the first request
	 * for a path that is no page before then. */
	w.sitemap = w.sitemap_unbuilt = true;
	w.t0 = seconds();
	w.total = n, w.done = 0;
	w.warming = w.started = true;
	memset(&w.rep, 0, sizeof(w.rep));
	/* Home, sections and community pages first: what a surge asks for; then the library. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++)
			if ((strstr(paths[i], "/resources/") != NULL) == (pass == 1))
				invalidate_locked(paths[i]);
	pthread_mutex_unlock(&w.lock);
	for (size_t i = 0; i < n; i++)
		warm_wrong_language(paths[i]);
	site_paths_free(paths, n);
	if (pthread_create(&w.worker, NULL, worker_main, NULL) != 0) {
		log_error("site: cannot start the warming thread");
		return -1;
	}
	log_cache("warming in the background");
	return (int)n;
}

static void warm_stop(void)
{
	pthread_mutex_lock(&w.lock);
	bool started = w.started;
	w.stop = true;
	pthread_cond_broadcast(&w.cond);
	pthread_mutex_unlock(&w.lock);
	if (started)
		pthread_join(w.worker, NULL);
	for (size_t i = w.head; i < w.n; i++)
		free(w.queue[i]);
	free(w.queue);
	w.queue = NULL;
	w.head = w.n = w.cap = 0;
	w.started = w.warming = w.stop = false;
	pset_clear(&w.pending);
	pset_clear(&w.inflight);
	pset_clear(&w.redo);
	lidx_clear(&w.linked); /* before w.links: it points into it */
	pset_clear(&w.links);
	w.sitemap = w.sitemap_unbuilt = w.sitemap_building = false;
}

void site_free(void)
{
	warm_stop();
	memo_clear();
	tmpl_set_free(site.tmpl);
	site.tmpl = NULL;
	i18n_free();
	cache_clear();
}

int site_warm(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (site_warm_base() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	for (size_t i = 0; i < n; i++)
		render_path(paths[i], rep, false);
	site_paths_free(paths, n);
	return 0;
}

void site_health(struct buf *out)
{
	size_t failed = site_failing();
	if (failed)
		buf_printf(out, "degraded: %zu page%s failed to render (see the log)", failed,
		           failed == 1 ? "" : "s");
	else
		buf_puts(out, "ok");
	pthread_mutex_lock(&w.lock);
	if (w.warming)
		buf_printf(out, " (warming %zu/%zu)", w.done, w.total);
	pthread_mutex_unlock(&w.lock);
	buf_putc(out, '\n');
}

struct cache_entry *site_fill(const char *path)
{
	pthread_mutex_lock(&w.lock);
	bool known = pset_has(&w.pending, path) || pset_has(&w.inflight, path);
	if (!known && w.sitemap_unbuilt) /* it may be one of them: they answer as soon as built */
		sitemap_build_locked();
	pthread_mutex_unlock(&w.lock);
	const char *lang, *rest;
	if (!known && !community_split(path, &lang, &rest))
		return cache_get(path); /* rendered since the caller looked, or no page */
	/* Not rendered yet (warming, or dropped by a change), or a community page created from the
	 * command line while serving: rendered now, once, then from the cache. */
	struct site_warm_report rep = {0};
	render_path(path, &rep, known);
	return cache_get(path);
}

/* Re-render paths (the first ones first): before returning while REFRESH_MS allows, the rest dropped
 * from the cache for the next request or the worker to render. A large site's publish stays fast,
 * and no visitor is served the old text of a page it touched. */
enum { REFRESH_MS = 25 };

static void refresh(const char *const *paths, size_t n, double budget_ms, struct site_warm_report *rep)
{
	memo_clear();
	double t0 = seconds();
	size_t i = 0;
	for (; i < n && (seconds() - t0) * 1000 < budget_ms; i++)
		render_path(paths[i], rep, false);
	if (i == n)
		return;
	pthread_mutex_lock(&w.lock);
	for (size_t k = i; k < n; k++)
		invalidate_locked(paths[k]);
	pthread_mutex_unlock(&w.lock);
	log_info("site: %zu page(s) re-rendered, %zu left to render on their next request", i, n - i);
}

/* The sitemap and feeds list every page: on a large site they take longer to build than a page
 * (0.5 s for 22,000 pages), so the worker rebuilds them after a publish when it runs; else now. */
static void sitemap_soon(struct site_warm_report *rep)
{
	pthread_mutex_lock(&w.lock);
	bool later = w.started;
	if (later) {
		w.sitemap = true;
		pthread_cond_broadcast(&w.cond);
	}
	pthread_mutex_unlock(&w.lock);
	if (!later)
		rep->failed += sitemap_refresh();
}

/* A list of paths without repeats (arena-backed; a hash set to stay linear on a large site). */
struct plist {
	struct arena *a;
	const char **v;
	size_t n, cap;
	struct pset *seen;
};

static void plist_add(struct plist *l, const char *path)
{
	if (pset_has(l->seen, path))
		return;
	pset_put(l->seen, path, NULL);
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 32;
		const char **v = arena_alloc(l->a, l->cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
	}
	l->v[l->n++] = arena_strdup(l->a, path);
}

static void plist_add_fn(void *ctx, const char *path)
{
	plist_add(ctx, path);
}

/* Every cached page that links to the resource slug: what shows its title or card now. */
static void add_linking(struct plist *l, const char *slug)
{
	const char **found = NULL;
	size_t n = 0;
	pthread_mutex_lock(&w.lock);
	struct lnode *x = *lidx_find(&w.linked, slug, strlen(slug));
	if (x) {
		found = arena_alloc(l->a, x->n * sizeof(*found));
		for (; n < x->n; n++)
			found[n] = arena_strdup(l->a, x->paths[n]);
	}
	pthread_mutex_unlock(&w.lock);
	for (size_t i = 0; i < n; i++)
		plist_add(l, found[i]);
}

/* Pages that will show r after the change: its section, its home page when it is for the first
 * days, community pages listing it (when listings: the links index has them
 * when r was live), and when it is among the first related cards of its topic, the
 * pages of that topic. */
static void add_showing(struct plist *l, const struct resource *r, bool listings)
{
	struct arena *a = l->a;
	plist_add(l, page_section_url(a, r->lang, r->section));
	if (strcmp(r->stage, "first-days") == 0)
		plist_add(l, page_home_url(r->lang));
	if (listings)
		community_listing(a, r->slug, plist_add_fn, l);
	struct resource probe = *r, *top;
	probe.slug = ""; /* the topic's first cards, not excluding r */
	size_t nt = resource_related(site.db, a, &probe, 4, &top);
	bool among = false;
	for (size_t i = 0; i < nt; i++)
		among |= strcmp(top[i].slug, r->slug) == 0;
	if (!among)
		return;
	struct resource *rs;
	size_t nr = resource_slugs(site.db, a, "published", r->topic, &rs);
	for (size_t i = 0; i < nr; i++)
		if (strcmp(rs[i].lang, r->lang) == 0)
			plist_add(l, resource_url(a, rs[i].lang, rs[i].slug));
}

/* A home or section page: a list of the library. */
static bool is_list(const char *path)
{
	const char *p = strncmp(path, "/es/", 4) == 0 ? path + 3 : path;
	return strcmp(p, "/") == 0 || section_valid(p + 1);
}

/* Whether path is cached as a page now (it is live, and what lists it links to it). */
static bool cached_page(const char *path)
{
	struct cache_entry *e = cache_get(path);
	bool live = e && cache_entry_status(e) == 200;
	cache_entry_release(e);
	return live;
}

int site_refresh_resource(const char *slug, struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	struct plist l = {.a = arena_new(), .seen = xcalloc(1, sizeof(struct pset))};
	struct resource *r = resource_get(site.db, l.a, slug);
	if (!r) {
		arena_free(l.a);
		free(l.seen);
		return -1;
	}
	struct resource *t = r->translation ? resource_get(site.db, l.a, r->translation) : NULL;
	const struct resource *pair[2] = {r, t};
	bool live[2] = {false, false};
	for (size_t k = 0; k < 2 && pair[k]; k++)
		live[k] = cached_page(resource_url(l.a, pair[k]->lang, pair[k]->slug));
	/* Its own page first, rendered and swapped in now: what the editor looks at. */
	memo_clear();
	const char *own = resource_url(l.a, r->lang, r->slug);
	render_path(own, rep, false);
	/* Then what shows it now (the links index) and after: when it was live, every page listing it
	 * links to it already; else the community pages listing it are looked up. */
	plist_add(&l, own);
	if (t)
		plist_add(&l, resource_url(l.a, t->lang, t->slug));
	for (size_t k = 0; k < 2 && pair[k]; k++)
		add_linking(&l, pair[k]->slug);
	for (size_t k = 0; k < 2 && pair[k]; k++)
		add_showing(&l, pair[k], !live[k]);
	/* The rest (l.v[0] is its own page) leave the cache now, never served with the old text, and are
	 * rendered by the worker or their next request: the short pages first, the long lists last. */
	const char **order = arena_alloc(l.a, (l.n + 1) * sizeof(*order));
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 1; i < l.n; i++)
			if (is_list(l.v[i]) == (pass == 1))
				order[k++] = l.v[i];
	refresh(order, k, 0, rep);
	sitemap_soon(rep); /* the sitemap and feeds list it too */
	int n = (int)l.n;
	pset_clear(l.seen);
	free(l.seen);
	arena_free(l.a);
	return n;
}

void site_refresh_paths(const char *const *paths, size_t n, struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	refresh(paths, n, REFRESH_MS, rep);
	rep->failed += sitemap_refresh_communities(); /* a page created, published or archived */
}

int site_refresh_all(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (warm_errors() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	refresh((const char *const *)paths, n, REFRESH_MS, rep);
	site_paths_free(paths, n);
	sitemap_soon(rep);
	return (int)n;
}
