/* The checked render path every public page takes (site.c's library pages, community.c's community
 * pages): page data built through page_pack/str/set/push, the data every page has, and the layout. */
#include "app/page.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "model/alert.h"
#include "model/blockmemo.h"
#include "model/hotline.h"
#include "model/section.h"
#include "view/i18n.h"
#include "view/jsonarena.h"

static struct page_env env;
/* A thread's own database connection (vrc export's render threads), else the site's. */
static _Thread_local struct page_env own;
static _Thread_local bool has_own;

void page_setup(const struct page_env *e)
{
	env = *e;
	jsonarena_setup();
}

const struct page_env *page_env(void)
{
	return has_own ? &own : &env;
}

void page_use_db(struct db *db)
{
	own = env;
	own.db = db;
	has_own = db != NULL;
}

void page_fail(struct page *pg, const char *fmt, ...)
{
	if (pg->why[0])
		return; /* the first reason is the one to fix */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pg->why, sizeof(pg->why), fmt, ap);
	va_end(ap);
}

/* json_pack that records why it failed (a NULL or non-UTF-8 string, a NULL object). */
json_t *page_pack(struct page *pg, const char *fmt, ...)
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
json_t *page_str(struct page *pg, const char *what, const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	if (!j)
		page_fail(pg, "%s is %s", what, s ? "not valid UTF-8" : "missing");
	return j;
}

void page_set(struct page *pg, json_t *obj, const char *key, json_t *v)
{
	if (!v || !obj || json_object_set_new(obj, key, v) < 0)
		page_fail(pg, "cannot set '%s' in the page data", key);
}

void page_push(struct page *pg, json_t *arr, json_t *v)
{
	if (v && arr && json_array_append_new(arr, v) == 0)
		return;
	if (!arr)
		json_decref(v);
	page_fail(pg, "cannot build a list in the page data");
}

const char *page_lang_prefix(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es" : "";
}

const char *page_other(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "en" : "es";
}

char *page_section_url(struct arena *a, const char *lang, const char *slug)
{
	return arena_printf(a, "%s/%s", page_lang_prefix(lang), slug);
}

/* The home page of lang. */
const char *page_home_url(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es/" : "/";
}

/* A section's name (or, with summary, its one-line summary) from the UI catalogue. */
const char *page_section_text(const char *lang, const char *slug, bool summary)
{
	char key[128];
	snprintf(key, sizeof(key), "section_%s%s", slug, summary ? "_summary" : "");
	return i18n_get(lang, key);
}

const char *page_host_of(struct arena *a, const char *url)
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
	return page_pack(pg, "{s:s, s:s, s:s}", "label", i18n_get(pg->lang, c->kind), "value", shown, "href",
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

json_t *page_hotline_json(struct page *pg, const struct hotline *h)
{
	json_t *cs = json_array();
	for (size_t i = 0; i < h->ncontacts; i++)
		page_push(pg, cs, contact_json(pg, &h->contacts[i]));
	return page_pack(pg, "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "name", h->name, "audience",
	                 h->audience, "hours", h->hours, "verified", h->verified, "source", h->source,
	                 "source_host", page_host_of(pg->a, h->source), "languages",
	                 languages_text(pg->a, pg->lang, h->languages), "contacts", cs);
}

/* The lines every page carries: featured ones in the crisis bar, panel ones at the foot. A line
 * whose stored text is broken is left out (hotline_list logs it); the page still renders. */
static json_t *crisis_json(struct page *pg, struct hotline *hs, size_t n)
{
	json_t *all = json_array(), *featured = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *h = page_hotline_json(pg, &hs[i]);
		if (h && hs[i].featured)
			json_array_append(featured, h);
		if (h && hs[i].panel)
			json_array_append(all, h);
		json_decref(h);
	}
	return page_pack(pg, "{s:o, s:o}", "all", all, "featured", featured);
}

static json_t *sections_json(struct page *pg, const char *current)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < 4; i++) {
		const char *slug = section_slugs[i];
		page_push(pg, arr,
		          page_pack(pg, "{s:s, s:s, s:s, s:s, s:s}", "slug", slug, "title",
		                    page_section_text(pg->lang, slug, false), "summary",
		                    page_section_text(pg->lang, slug, true), "url",
		                    page_section_url(pg->a, pg->lang, slug), "current",
		                    current && strcmp(current, slug) == 0 ? "page" : "false"));
	}
	return arr;
}

/* The alert banner when it is on: its text in the page's language (else English's, marked as such)
 * and its link. NULL when off. */
static json_t *alert_json(struct page *pg)
{
	struct alert al;
	const char *tl = NULL;
	const char *text = alert_get(page_env()->db, pg->a, &al) == 0 ? alert_text(&al, pg->lang, &tl) : NULL;
	if (!text)
		return NULL;
	return page_pack(pg, "{s:s, s:s, s:s, s:b}", "text", text, "lang", tl, "url", al.url, "foreign",
	                 strcmp(tl, pg->lang) != 0);
}

/* The help lines' data is the same on every page of a language: built once per language and
 * shared (read-only; jansson's reference counts are atomic) until page_forget. It was an eighth of
 * a community page's render and a seventh of a resource page's (perf, issue 9). */
struct lines {
	char lang[16];
	json_t *crisis;  /* {all, featured} for the crisis bar and panel */
	json_t *by_slug; /* slug -> line, the lines with text in this language */
};

static struct {
	pthread_mutex_t lock;
	unsigned gen;
	struct lines slot[8];
} lines_memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

enum { LINES_SLOTS = sizeof(lines_memo.slot) / sizeof(lines_memo.slot[0]) };

void page_forget(void)
{
	pthread_mutex_lock(&lines_memo.lock);
	lines_memo.gen++;
	for (size_t i = 0; i < LINES_SLOTS; i++) {
		json_decref(lines_memo.slot[i].crisis);
		json_decref(lines_memo.slot[i].by_slug);
		memset(&lines_memo.slot[i], 0, sizeof(lines_memo.slot[i]));
	}
	pthread_mutex_unlock(&lines_memo.lock);
	blockmemo_clear(); /* never stale (checked by text), but its memory is no longer needed */
}

/* The lines of pg's language built, kept unless the memo changed since gen. */
static int lines_build(struct page *pg, unsigned gen, struct lines *out)
{
	struct hotline *hs;
	size_t n = hotline_list(page_env()->db, pg->a, pg->lang, &hs, NULL);
	json_t *by_slug = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *h = page_hotline_json(pg, &hs[i]);
		if (h)
			json_object_set_new(by_slug, hs[i].slug, h);
	}
	if (n == 0 && strcmp(pg->lang, "en") != 0) /* a language the lines have no text in */
		n = hotline_list(page_env()->db, pg->a, "en", &hs, NULL);
	out->crisis = crisis_json(pg, hs, n);
	out->by_slug = by_slug;
	if (!out->crisis || pg->why[0]) {
		json_decref(out->crisis);
		json_decref(out->by_slug);
		return -1;
	}
	pthread_mutex_lock(&lines_memo.lock);
	for (size_t i = 0; gen == lines_memo.gen && strlen(pg->lang) < 16 && i < LINES_SLOTS; i++)
		if (!lines_memo.slot[i].crisis) {
			struct lines *l = &lines_memo.slot[i];
			snprintf(l->lang, sizeof(l->lang), "%s", pg->lang);
			l->crisis = json_incref(out->crisis);
			l->by_slug = json_incref(out->by_slug);
			break;
		}
	pthread_mutex_unlock(&lines_memo.lock);
	return 0;
}

/* The lines of pg's language (new references in *out), from the memo or built and kept. 0, or -1
 * with the reason in pg. */
static int lines_of(struct page *pg, struct lines *out)
{
	pthread_mutex_lock(&lines_memo.lock);
	unsigned gen = lines_memo.gen;
	for (size_t i = 0; i < LINES_SLOTS; i++)
		if (lines_memo.slot[i].crisis && strcmp(lines_memo.slot[i].lang, pg->lang) == 0) {
			out->crisis = json_incref(lines_memo.slot[i].crisis);
			out->by_slug = json_incref(lines_memo.slot[i].by_slug);
			pthread_mutex_unlock(&lines_memo.lock);
			return 0;
		}
	pthread_mutex_unlock(&lines_memo.lock);
	bool arena = jsonarena_pause(); /* kept beyond this page */
	int rc = lines_build(pg, gen, out);
	jsonarena_resume(arena);
	return rc;
}

static json_t *crisis_of(struct page *pg)
{
	struct lines l;
	if (lines_of(pg, &l) < 0)
		return NULL;
	json_decref(l.by_slug);
	return l.crisis;
}

json_t *page_hotline_named(struct page *pg, const char *slug)
{
	struct lines l;
	if (lines_of(pg, &l) < 0)
		return NULL;
	json_t *h = json_incref(json_object_get(l.by_slug, slug));
	json_decref(l.by_slug);
	json_decref(l.crisis);
	return h;
}

json_t *page_data(struct page *pg, const char *title, const char *description, const char *alt_url,
                  const char *current_section)
{
	const char *lang = pg->lang;
	json_t *d = page_pack(pg, "{s:s, s:s, s:O, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:s}}", "lang",
	                      lang, "other_lang", page_other(lang), "t", i18n_catalog(lang), "asset",
	                      env.asset_base, "home_url", page_home_url(lang), "exit_url", env.exit_url,
	                      "crisis", crisis_of(pg), "sections", sections_json(pg, current_section), "page",
	                      "title", title, "description", description ? description : "", "alt_url",
	                      alt_url, "alt_label", i18n_get(lang, "language_switch_label"));
	json_t *al = alert_json(pg);
	if (al)
		page_set(pg, d, "alert", al);
	return d;
}

void page_alternates(struct page *pg, json_t *d, const char *self, const char *other)
{
	json_t *alts = json_array();
	if (other) {
		page_push(pg, alts,
		          page_pack(pg, "{s:s, s:s}", "code", pg->lang, "url",
		                    arena_printf(pg->a, "%s%s", env.public_url, self)));
		page_push(pg, alts,
		          page_pack(pg, "{s:s, s:s}", "code", page_other(pg->lang), "url",
		                    arena_printf(pg->a, "%s%s", env.public_url, other)));
	}
	page_set(pg, d, "hreflangs", alts);
}

/* Render template `name` with data, then the layout around it; consumes data. 0, or -1 with the
 * reason in pg (out is then to be thrown away). */
int page_render(struct page *pg, const char *name, json_t *data, struct buf *out)
{
	if (pg->why[0] || !data) {
		page_fail(pg, "page data incomplete");
		json_decref(data);
		return -1;
	}
	struct buf body = BUF_INIT;
	buf_reserve(&body, 32 * 1024); /* no string of reallocations on the way */
	if (tmpl_render(env.tmpl, name, data, &body) < 0)
		page_fail(pg, "no template '%s'", name);
	else
		page_set(pg, data, "content", tmpl_safe_html(body.p ? body.p : "", body.len));
	buf_free(&body);
	if (!pg->why[0] && tmpl_render(env.tmpl, "layout", data, out) < 0)
		page_fail(pg, "no template 'layout'");
	json_decref(data);
	return pg->why[0] ? -1 : 0;
}
