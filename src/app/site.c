/* Page builders: each turns the model into template data (jansson values) and renders it inside the
 * layout. The same render path feeds the cache, the server's misses and the static export. */
#include "app/site.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cache.h"
#include "base/arena.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
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
} site;

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
static json_t *contact_json(struct arena *a, const char *lang, const struct contact *c)
{
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
	return json_pack("{s:s, s:s, s:s}", "label", i18n_get(lang, c->kind), "value", shown, "href", href);
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

static json_t *hotline_json(struct arena *a, const char *lang, const struct hotline *h)
{
	json_t *cs = json_array();
	for (size_t i = 0; i < h->ncontacts; i++)
		json_array_append_new(cs, contact_json(a, lang, &h->contacts[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "name", h->name, "audience", h->audience,
	                 "hours", h->hours, "verified", h->verified, "source", h->source, "source_host",
	                 host_of(a, h->source), "languages", languages_text(a, lang, h->languages),
	                 "contacts", cs);
}

static json_t *crisis_json(struct arena *a, const char *lang)
{
	struct hotline *hs;
	size_t n = hotline_list(site.db, a, lang, &hs);
	json_t *all = json_array(), *featured = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *h = hotline_json(a, lang, &hs[i]);
		if (hs[i].featured)
			json_array_append(featured, h);
		json_array_append_new(all, h);
	}
	return json_pack("{s:o, s:o}", "all", all, "featured", featured);
}

static json_t *sections_json(struct arena *a, const char *lang, const char *current)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < 4; i++) {
		const char *slug = section_slugs[i];
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "slug", slug, "title",
		                   section_text(lang, slug, false), "summary", section_text(lang, slug, true),
		                   "url", section_url(a, lang, slug), "current",
		                   current && strcmp(current, slug) == 0 ? "page" : "false"));
	}
	return arr;
}

/* The data every page has: language, catalogue, crisis lines, sections, URLs. */
static json_t *page_data(struct arena *a, const char *lang, const char *title, const char *description,
                         const char *alt_url, const char *current_section)
{
	return json_pack("{s:s, s:s, s:O, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s}}", "lang", lang,
	                 "other_lang", other(lang), "t", i18n_catalog(lang), "asset", site.asset_base,
	                 "home_url", home_url(lang), "exit_url", site.cfg.exit_url, "crisis",
	                 crisis_json(a, lang), "sections", sections_json(a, lang, current_section), "page",
	                 "title", title, "description", description ? description : "", "alt_url", alt_url,
	                 "alt_label", i18n_get(lang, "language_switch_label"));
}

/* Render template `name` with data, then the layout around it; consumes data. */
static void render_page(const char *name, json_t *data, struct buf *out)
{
	struct buf body = BUF_INIT;
	tmpl_render(site.tmpl, name, data, &body);
	json_object_set_new(data, "content", tmpl_safe_html(body.p ? body.p : "", body.len));
	buf_free(&body);
	tmpl_render(site.tmpl, "layout", data, out);
	json_decref(data);
}

/* ---- pages ---- */

static json_t *card_json(struct arena *a, const char *lang, const struct resource *r);

static int page_home(struct arena *a, const char *lang, struct buf *out)
{
	json_t *d = page_data(a, lang, i18n_get(lang, "home"), i18n_get(lang, "site_tagline"),
	                      home_url(other(lang)), NULL);
	struct resource *rs;
	size_t n = resource_list_stage(site.db, a, lang, "first-days", 6, &rs);
	json_t *first = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(first, card_json(a, lang, &rs[i]));
	json_object_set_new(d, "has_first_days", json_boolean(n > 0));
	json_object_set_new(d, "first_days", first);
	render_page("home", d, out);
	return 200;
}

static json_t *card_json(struct arena *a, const char *lang, const struct resource *r)
{
	char tk[48], sk[48];
	snprintf(tk, sizeof(tk), "type_%s", r->type);
	snprintf(sk, sizeof(sk), "stage_%s", r->stage);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", r->title, "summary", r->summary,
	                 "url", resource_url(a, lang, r->slug), "type", r->type, "type_label",
	                 i18n_get(lang, tk), "stage", r->stage, "stage_label", i18n_get(lang, sk));
}

/* Group a topic's resources (already ordered by stage) under stage headings. */
static json_t *stages_json(struct arena *a, const char *lang, const char *topic, struct resource *rs,
                           size_t n)
{
	json_t *stages = json_array(), *cur = NULL;
	const char *cur_stage = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rs[i].topic, topic) != 0)
			continue;
		if (!cur_stage || strcmp(cur_stage, rs[i].stage) != 0) {
			char sk[48];
			snprintf(sk, sizeof(sk), "stage_%s", rs[i].stage);
			cur = json_array();
			json_array_append_new(
			    stages, json_pack("{s:s, s:o}", "label", i18n_get(lang, sk), "resources", cur));
			cur_stage = rs[i].stage;
		}
		json_array_append_new(cur, card_json(a, lang, &rs[i]));
	}
	return stages;
}

static int page_section(struct arena *a, const char *lang, const char *slug, struct buf *out)
{
	if (!section_valid(slug))
		return 404;
	struct topic *ts;
	struct resource *rs;
	size_t nt = topic_list(site.db, a, slug, lang, &ts);
	size_t nr = resource_list_section(site.db, a, slug, lang, &rs);
	json_t *topics = json_array();
	for (size_t i = 0; i < nt; i++) {
		json_t *st = stages_json(a, lang, ts[i].slug, rs, nr);
		if (json_array_size(st) == 0) {
			json_decref(st);
			continue;
		}
		json_array_append_new(topics, json_pack("{s:s, s:s, s:s, s:o}", "slug", ts[i].slug, "title",
		                                        ts[i].title, "summary", ts[i].summary, "stages", st));
	}
	const char *title = section_text(lang, slug, false), *summary = section_text(lang, slug, true);
	json_t *d = page_data(a, lang, title, summary, section_url(a, other(lang), slug), slug);
	json_object_set_new(d, "section", json_pack("{s:s, s:s}", "title", title, "summary", summary));
	json_object_set_new(d, "has_topics", json_boolean(json_array_size(topics) > 0));
	json_object_set_new(d, "topics", topics);
	render_page("section", d, out);
	return 200;
}

/* "2026-11-25" as "November 25, 2026" / "25 de noviembre de 2026". */
static const char *date_text(struct arena *a, const char *lang, const char *iso)
{
	static const char *en[] = {"January", "February", "March",     "April",   "May",      "June",
	                           "July",    "August",   "September", "October", "November", "December"};
	static const char *es[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
	                           "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
	if (!date_valid(str_c(iso)))
		return iso;
	int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
	if (strcmp(lang, "es") == 0)
		return arena_printf(a, "%d de %s de %d", d, es[m - 1], y);
	return arena_printf(a, "%s %d, %d", en[m - 1], d, y);
}

static const char *topic_title(struct arena *a, const struct resource *r)
{
	struct topic *ts;
	size_t n = topic_list(site.db, a, r->section, r->lang, &ts);
	for (size_t i = 0; i < n; i++)
		if (strcmp(ts[i].slug, r->topic) == 0)
			return ts[i].title;
	return r->topic;
}

/* A cited source; one in another language gets lang/hreflang and a note ("in English"). */
static json_t *source_json(struct arena *a, const char *lang, const struct source *src)
{
	json_t *j =
	    json_pack("{s:s, s:s, s:s}", "title", src->title, "url", src->url, "host", host_of(a, src->url));
	if (src->lang && strcmp(src->lang, lang) != 0) {
		char key[32];
		snprintf(key, sizeof(key), "in_lang_%s", src->lang);
		json_object_set_new(j, "foreign",
		                    json_pack("{s:s, s:s}", "lang", src->lang, "note", i18n_get(lang, key)));
	}
	return j;
}

static json_t *resource_json(struct arena *a, const struct resource *r)
{
	json_t *j = card_json(a, r->lang, r);
	struct buf html = BUF_INIT;
	md_render(r->body, strlen(r->body), &html);
	json_object_set_new(j, "body_html", tmpl_safe_html(html.p ? html.p : "", html.len));
	buf_free(&html);
	json_t *sources = json_array();
	for (size_t i = 0; i < r->nsources; i++)
		json_array_append_new(sources, source_json(a, r->lang, &r->sources[i]));
	json_object_set_new(j, "sources", sources);
	json_object_set_new(j, "reviewed", json_string(r->reviewed));
	json_object_set_new(j, "reviewed_text", json_string(date_text(a, r->lang, r->reviewed)));
	if (r->reviewer)
		json_object_set_new(j, "reviewer", json_string(r->reviewer));
	json_object_set_new(j, "topic_title", json_string(topic_title(a, r)));
	json_object_set_new(j, "sample", json_boolean(r->sample));
	json_object_set_new(j, "is_video", json_boolean(strcmp(r->type, "video") == 0));
	json_object_set_new(j, "is_link", json_boolean(strcmp(r->type, "link") == 0));
	json_object_set_new(j, "is_worksheet", json_boolean(strcmp(r->type, "worksheet") == 0));
	if (r->url)
		json_object_set_new(j, "url", json_string(r->url));
	if (r->video) {
		json_object_set_new(j, "video_url", json_string(arena_printf(a, "/media/%s", r->video)));
		json_object_set_new(j, "video_type", json_string(mime_for(r->video)));
	}
	if (r->poster)
		json_object_set_new(j, "poster_url", json_string(arena_printf(a, "/media/%s", r->poster)));
	if (r->captions)
		json_object_set_new(j, "captions_url",
		                    json_string(arena_printf(a, "/media/%s", r->captions)));
	return j;
}

static int page_resource(struct arena *a, const char *lang, const char *slug, struct buf *out)
{
	struct resource *r = resource_find(site.db, a, slug);
	if (!r || strcmp(r->lang, lang) != 0)
		return 404;
	struct resource *rel;
	size_t nrel = resource_related(site.db, a, r, 3, &rel);
	json_t *related = json_array();
	for (size_t i = 0; i < nrel; i++)
		json_array_append_new(related, card_json(a, lang, &rel[i]));
	const char *alt =
	    r->translation ? resource_url(a, other(lang), r->translation) : home_url(other(lang));
	json_t *d = page_data(a, lang, r->title, r->summary, alt, r->section);
	json_object_set_new(d, "section",
	                    json_pack("{s:s, s:s}", "title", section_text(lang, r->section, false), "url",
	                              section_url(a, lang, r->section)));
	json_object_set_new(d, "r", resource_json(a, r));
	json_object_set_new(d, "has_related", json_boolean(nrel > 0));
	json_object_set_new(d, "related", related);
	render_page("resource", d, out);
	return 200;
}

void site_render_error(int status, const char *lang, struct buf *out)
{
	struct arena *a = arena_new();
	char tk[32], bk[32];
	snprintf(tk, sizeof(tk), "error_title_%d", status);
	snprintf(bk, sizeof(bk), "error_body_%d", status);
	if (!json_object_get(i18n_catalog(lang), tk)) {
		snprintf(tk, sizeof(tk), "error_title_500");
		snprintf(bk, sizeof(bk), "error_body_500");
	}
	json_t *d = page_data(a, lang, i18n_get(lang, tk), NULL, home_url(other(lang)), NULL);
	/* On an error page the switch leads to the other language's home page, and says so. */
	json_object_set_new(json_object_get(d, "page"), "alt_label",
	                    json_string(i18n_get(lang, "language_switch_home_label")));
	json_object_set_new(d, "error",
	                    json_pack("{s:s, s:s, s:i}", "title", i18n_get(lang, tk), "body",
	                              i18n_get(lang, bk), "status", status));
	render_page("error", d, out);
	arena_free(a);
}

int site_render(const char *path, struct buf *out)
{
	const char *lang = "en", *p = path;
	if (strncmp(path, "/es/", 4) == 0)
		lang = "es", p = path + 3;
	struct arena *a = arena_new();
	int status = 404;
	if (strcmp(p, "/") == 0) {
		status = page_home(a, lang, out);
	} else if (strncmp(p, "/resources/", 11) == 0 && slug_valid(str_c(p + 11))) {
		status = page_resource(a, lang, p + 11, out);
	} else if (slug_valid(str_c(p + 1))) {
		status = page_section(a, lang, p + 1, out);
	}
	arena_free(a);
	return status;
}

/* ---- enumerating and warming ---- */

char **site_paths(size_t *n)
{
	struct arena *a = arena_new();
	struct resource *rs;
	size_t nr = resource_list_all(site.db, a, &rs);
	char **v = xcalloc(2 + 8 + nr, sizeof(char *));
	size_t k = 0;
	v[k++] = xstrdup("/");
	v[k++] = xstrdup("/es/");
	for (size_t i = 0; i < 4; i++)
		for (size_t l = 0; l < 2; l++)
			v[k++] = xstrdup(section_url(a, langs[l], section_slugs[i]));
	for (size_t i = 0; i < nr; i++)
		v[k++] = xstrdup(resource_url(a, rs[i].lang, rs[i].slug));
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

static void warm_errors(void)
{
	static const int codes[] = {400, 404, 405, 413, 414, 431, 500};
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
			struct buf b = BUF_INIT;
			site_render_error(codes[i], langs[l], &b);
			char key[32];
			snprintf(key, sizeof(key), "error:%d:%s", codes[i], langs[l]);
			cache_put(key, cache_entry_new(codes[i], "text/html; charset=utf-8", "no-store", b.p,
			                               b.len, true));
			buf_free(&b);
		}
	}
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

size_t site_warm(void)
{
	warm_static();
	warm_errors();
	size_t n;
	char **paths = site_paths(&n);
	size_t ok = 0;
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT;
		int status = site_render(paths[i], &b);
		if (status == 200) {
			cache_put(paths[i], cache_entry_new(200, "text/html; charset=utf-8", "no-cache", b.p,
			                                    b.len, true));
			ok++;
			warm_wrong_language(paths[i]);
		} else {
			log_warn("site: %s rendered %d", paths[i], status);
		}
		buf_free(&b);
	}
	site_paths_free(paths, n);
	return ok;
}
