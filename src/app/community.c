/* Community pages from the published blocks: each block becomes page data in the page's language
 * (its text, or English marked lang="en" with a note when the block lacks a translation), then one
 * template renders it inside the layout. The flyer and the feeds (feeds.c) read the same data. */
#include "app/community.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/feeds.h"
#include "app/jsonld.h"
#include "app/site.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/str.h"
#include "base/tz.h"
#include "base/util.h"
#include "model/community.h"
#include "model/hours.h"
#include "model/resource.h"
#include "view/i18n.h"
#include "view/markdown.h"
#include "view/qr.h"

/* ---- paths */

bool community_split(const char *path, const char **lang, const char **rest)
{
	if (strncmp(path, "/c/", 3) == 0) {
		*lang = "en", *rest = path;
		return true;
	}
	const char *c = strstr(path, "/c/");
	if (!c || c - path < 3 || c - path > 4 || path[0] != '/')
		return false;
	char code[4];
	snprintf(code, sizeof(code), "%.*s", (int)(c - path - 1), path + 1);
	const char *known = i18n_lang_canonical(code);
	if (!known || strcmp(known, "en") == 0)
		return false;
	*lang = known, *rest = c;
	return true;
}

const char *community_type(const char *path)
{
	struct str p = str_c(path);
	if (str_ends(p, STR(".atom")))
		return "application/atom+xml; charset=utf-8";
	if (str_ends(p, STR(".ics")))
		return "text/calendar; charset=utf-8";
	return "text/html; charset=utf-8";
}

const char *community_url(struct arena *a, const char *lang, const char *slug)
{
	if (strcmp(lang, "en") == 0)
		return arena_printf(a, "/c/%s", slug);
	return arena_printf(a, "/%s/c/%s", lang, slug);
}

static bool offers(const struct community *c, const char *lang)
{
	for (size_t i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i], lang) == 0)
			return true;
	return false;
}

static const char *const page_suffixes[] = {"", "/flyer", "/updates.atom", "/events.ics"};

/* The event files of a community's published events block. */
static void event_paths(struct db *db, struct arena *a, const struct community *c, const char *lang,
                        void (*add)(void *, const char *), void *ctx)
{
	struct community_block b;
	if (community_block(db, a, c->id, "events", &b) < 0 || !b.published)
		return;
	json_t *it;
	size_t i;
	json_array_foreach (json_object_get(b.published, "items"), i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		if (id)
			add(ctx, arena_printf(a, "%s/events/%s.ics", community_url(a, lang, c->slug), id));
	}
}

void community_paths(struct arena *a, void (*add)(void *ctx, const char *path), void *ctx)
{
	struct db *db = page_env()->db;
	struct community *cs;
	size_t n = community_list(db, a, NULL, &cs);
	for (size_t i = 0; i < n; i++)
		for (size_t l = 0; l < cs[i].nlangs; l++) {
			if (!i18n_lang_valid(cs[i].langs[l]))
				continue;
			for (size_t k = 0; k < sizeof(page_suffixes) / sizeof(page_suffixes[0]); k++)
				add(ctx, arena_printf(a, "%s%s", community_url(a, cs[i].langs[l], cs[i].slug),
				                      page_suffixes[k]));
			event_paths(db, a, &cs[i], cs[i].langs[l], add, ctx);
		}
}

struct path_list {
	struct arena *a;
	const char **v;
	size_t n, cap;
};

static void list_add(void *ctx, const char *path)
{
	struct path_list *l = ctx;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], path) == 0)
			return;
	if (l->n == l->cap) {
		const char **w = arena_alloc(l->a, 2 * l->cap * sizeof(*w));
		memcpy(w, l->v, l->n * sizeof(*w));
		l->v = w, l->cap *= 2;
	}
	l->v[l->n++] = arena_strdup(l->a, path);
}

size_t community_refresh(struct arena *a, const char *slug, const char **before, size_t nb)
{
	const char **after;
	size_t na = community_touched(a, slug, &after), n = 0;
	const char **all = arena_alloc(a, (na + nb + 1) * sizeof(*all));
	for (size_t i = 0; i < na + nb; i++) {
		const char *p = i < na ? after[i] : before[i - na];
		bool seen = false;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(all[k], p) == 0;
		if (!seen)
			all[n++] = p;
	}
	struct site_warm_report rep;
	site_refresh_paths(all, n, &rep);
	return rep.failed;
}

size_t community_touched(struct arena *a, const char *slug, const char ***out)
{
	struct path_list l = {a, arena_alloc(a, 32 * sizeof(char *)), 0, 32};
	struct db *db = page_env()->db;
	struct community *c = community_get(db, a, slug);
	size_t nl;
	const char *const *langs = i18n_langs(&nl);
	list_add(&l, "/");
	list_add(&l, "/es/");
	for (size_t i = 0; c && i < nl; i++) {
		for (size_t k = 0; k < sizeof(page_suffixes) / sizeof(page_suffixes[0]); k++)
			list_add(&l,
			         arena_printf(a, "%s%s", community_url(a, langs[i], slug), page_suffixes[k]));
		event_paths(db, a, c, langs[i], list_add, &l);
	}
	*out = l.v;
	return l.n;
}

void community_listing(struct arena *a, const char *slug, void (*add)(void *ctx, const char *path), void *ctx)
{
	const char **cs;
	size_t n = community_listing_slugs(page_env()->db, a, slug, &cs), nl;
	const char *const *langs = i18n_langs(&nl);
	for (size_t i = 0; i < n; i++)
		for (size_t l = 0; l < nl; l++)
			add(ctx, community_url(a, langs[l], cs[i]));
}

/* ---- words in the page's language */

/* The i-th item of a comma-separated catalogue string ("January,February,..."), in a. */
static const char *cat_item(struct page *pg, const char *key, int i)
{
	const char *s = i18n_get(pg->lang, key);
	for (; i > 0 && s; i--) {
		s = strchr(s, ',');
		s = s ? s + 1 : NULL;
	}
	if (!s)
		return "";
	return arena_strndup(pg->a, s, strcspn(s, ","));
}

/* pattern with {y}, {m} (month number), {d}, {month}, {mon}, {name}, {time} filled in. */
static const char *fill(struct page *pg, const char *pattern, const char *const *kv)
{
	struct buf b = BUF_INIT;
	for (const char *p = pattern; *p;) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		bool done = false;
		for (size_t i = 0; close && kv[i] && !done; i += 2)
			if (strlen(kv[i]) == (size_t)(close - p - 1) &&
			    strncmp(p + 1, kv[i], (size_t)(close - p - 1)) == 0) {
				buf_puts(&b, kv[i + 1]);
				p = close + 1;
				done = true;
			}
		if (!done)
			buf_putc(&b, *p++);
	}
	const char *s = arena_strdup(pg->a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* "December 2, 2026" (long) or "Dec 2" (short) for an ISO date or timestamp. */
static const char *date_words(struct page *pg, const char *iso, bool long_form)
{
	if (!iso || strlen(iso) < 10 || !date_valid((struct str){iso, 10}))
		return iso ? iso : "";
	int m = atoi(iso + 5);
	const char *kv[] = {"y",     arena_strndup(pg->a, iso, 4),
	                    "m",     arena_printf(pg->a, "%d", m),
	                    "d",     arena_printf(pg->a, "%d", atoi(iso + 8)),
	                    "month", cat_item(pg, "c_months", m - 1),
	                    "mon",   cat_item(pg, "c_months_short", m - 1),
	                    NULL};
	return fill(pg, i18n_get(pg->lang, long_form ? "c_date_long" : "c_date_short"), kv);
}

/* "6:00 PM" or "18:00" as the language writes clock times. */
static const char *time_words(struct page *pg, int minutes)
{
	int h = minutes / 60 % 24, m = minutes % 60;
	if (strcmp(i18n_get(pg->lang, "c_clock"), "12") == 0)
		return arena_printf(pg->a, "%d:%02d %s", h % 12 ? h % 12 : 12, m,
		                    i18n_get(pg->lang, h < 12 ? "c_am" : "c_pm"));
	return arena_printf(pg->a, "%02d:%02d", h, m);
}

/* "Mon–Fri", "Mon, Wed" in the page's language. */
static const char *days_words(struct page *pg, unsigned bits)
{
	struct buf b = BUF_INIT;
	for (int d = 0; d < 7;) {
		if (!(bits & (1u << d))) {
			d++;
			continue;
		}
		int e = d;
		while (e + 1 < 7 && (bits & (1u << (e + 1))))
			e++;
		buf_printf(&b, "%s%s", b.len ? ", " : "", cat_item(pg, "c_days", d));
		if (e > d)
			buf_printf(&b, "\xe2\x80\x93%s", cat_item(pg, "c_days", e));
		d = e + 1;
	}
	const char *s = arena_strdup(pg->a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static json_t *md_json(const char *md)
{
	struct buf html = BUF_INIT;
	md_render(md ? md : "", md ? strlen(md) : 0, &html);
	json_t *j = tmpl_safe_html(html.p ? html.p : "", html.len);
	buf_free(&html);
	return j;
}

/* Weekly hours as rows: [{days, times}]. */
static json_t *hours_json(struct page *pg, const char *spec)
{
	json_t *rows = json_array();
	struct hours_span s[HOURS_MAX];
	size_t n;
	const char *err;
	if (!spec || hours_parse(spec, s, &n, &err) < 0)
		return rows;
	for (size_t i = 0; i < n; i++)
		page_push(pg, rows,
		          page_pack(pg, "{s:s, s:s}", "days", days_words(pg, s[i].days), "times",
		                    arena_printf(pg->a, "%s\xe2\x80\x93%s", time_words(pg, s[i].opens),
		                                 time_words(pg, s[i].closes))));
	return rows;
}

static json_t *exceptions_json(struct page *pg, const char *spec)
{
	json_t *rows = json_array();
	struct hours_exception ex[HOURS_MAX];
	size_t n;
	const char *err;
	if (!spec || hours_exceptions_parse(spec, ex, &n, &err) < 0)
		return rows;
	for (size_t i = 0; i < n; i++) {
		const char *times = ex[i].closed
		                        ? i18n_get(pg->lang, "c_closed")
		                        : arena_printf(pg->a, "%s\xe2\x80\x93%s", time_words(pg, ex[i].opens),
		                                       time_words(pg, ex[i].closes));
		page_push(pg, rows,
		          page_pack(pg, "{s:s, s:s, s:s, s:s, s:b}", "date", ex[i].date, "date_text",
		                    date_words(pg, ex[i].date, true), "times", times, "note", ex[i].note,
		                    "closed", ex[i].closed));
	}
	return rows;
}

static const char *langs_words(struct page *pg, const char *codes)
{
	struct buf b = BUF_INIT;
	for (const char *p = codes ? codes : ""; *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ", ");
		if (!n)
			break;
		char code[8];
		snprintf(code, sizeof(code), "%.*s", (int)(n < 7 ? n : 7), p);
		buf_printf(&b, "%s%s", b.len ? ", " : "", block_lang_name(code));
		p += n;
	}
	const char *s = arena_strdup(pg->a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Shared by the blocks: Markdown fields as HTML, a phone's tel: link. */
static void decorate(struct page *pg, json_t *v, const struct block_kind *k)
{
	for (size_t i = 0; i < k->nfields + k->nbfields; i++) {
		const struct block_field *f = i < k->nfields ? &k->fields[i] : &k->bfields[i - k->nfields];
		const char *val = sget(v, f->name);
		char key[64];
		if (f->type == FT_MARKDOWN && val) {
			snprintf(key, sizeof(key), "%s_html", f->name);
			page_set(pg, v, key, md_json(val));
		} else if (f->type == FT_PHONE && val) {
			char tel[40];
			block_phone_tel(val, tel, sizeof(tel));
			snprintf(key, sizeof(key), "%s_tel", f->name);
			page_set(pg, v, key, page_str(pg, "a phone", arena_printf(pg->a, "tel:%s", tel)));
		} else if (f->type == FT_LANGS && val) {
			snprintf(key, sizeof(key), "%s_text", f->name);
			page_set(pg, v, key, page_str(pg, "languages", langs_words(pg, val)));
		} else if (f->type == FT_DATE && val) {
			snprintf(key, sizeof(key), "%s_text", f->name);
			page_set(pg, v, key, page_str(pg, "a date", date_words(pg, val, true)));
		}
	}
}

/* The block's items in the page's language, each decorated. */
static json_t *items_json(struct page *pg, const struct block_kind *k, json_t *block)
{
	json_t *arr = json_array(), *it;
	size_t i;
	json_array_foreach (json_object_get(block, "items"), i, it) {
		json_t *v = block_view(k, it, pg->lang);
		decorate(pg, v, k);
		page_push(pg, arr, v);
	}
	return arr;
}

/* d[key] = arr (consumed) and d["has_<key>"]: templates cannot test an array for items. */
static void flag(struct page *pg, json_t *d, const char *key, json_t *arr)
{
	char has[64];
	snprintf(has, sizeof(has), "has_%s", key);
	page_set(pg, d, has, json_boolean(json_array_size(arr) > 0));
	page_set(pg, d, key, arr);
}

/* ---- blocks */

struct ctx {
	struct page *pg;
	const struct community *c;
	struct community_block *blocks; /* block_kinds order */
	const char *page_url;           /* absolute */
};

static json_t *published(struct ctx *x, const char *kind)
{
	for (size_t i = 0; i < block_nkinds; i++)
		if (strcmp(block_kinds[i].name, kind) == 0)
			return x->blocks[i].published;
	return NULL;
}

static const char *published_at(struct ctx *x, const char *kind)
{
	for (size_t i = 0; i < block_nkinds; i++)
		if (strcmp(block_kinds[i].name, kind) == 0)
			return x->blocks[i].published_at;
	return NULL;
}

/* "Updated December 2, 2026, 6:05 PM CST": a UTC timestamp in the community's time zone. */
static const char *when_words(struct ctx *x, const char *utc)
{
	const struct tz_zone *z = tz_find(x->c->timezone);
	if (!z || strlen(utc) < 19 || !date_valid((struct str){utc, 10}))
		return utc;
	int64_t t = tz_days(atoi(utc), atoi(utc + 5), atoi(utc + 8)) * 86400 + atoi(utc + 11) * 3600 +
	            atoi(utc + 14) * 60 + atoi(utc + 17);
	char local[17];
	int off = tz_local(z, t, local);
	const char *kv[] = {"date", date_words(x->pg, local, true),
	                    "time", time_words(x->pg, atoi(local + 11) * 60 + atoi(local + 14)),
	                    "zone", off != z->std_min ? z->dst_abbr : z->std_abbr,
	                    NULL};
	return fill(x->pg, i18n_get(x->pg->lang, "c_updated"), kv);
}

static json_t *key_message_json(struct ctx *x)
{
	json_t *b = published(x, "key_message");
	const struct block_kind *k = block_kind("key_message");
	if (!b || !json_object_size(json_object_get(b, "text")))
		return NULL;
	json_t *v = block_view(k, b, x->pg->lang);
	decorate(x->pg, v, k);
	const char *at = sget(b, "updated_at");
	if (at)
		page_set(x->pg, v, "updated_text", page_str(x->pg, "the update time", when_words(x, at)));
	return v;
}

static json_t *locations_json(struct ctx *x)
{
	const struct block_kind *k = block_kind("locations");
	json_t *arr = items_json(x->pg, k, published(x, "locations")), *v;
	size_t i;
	json_array_foreach (arr, i, v) {
		flag(x->pg, v, "walkin", hours_json(x->pg, sget(v, "walkin_hours")));
		flag(x->pg, v, "appointment", hours_json(x->pg, sget(v, "appointment_hours")));
		flag(x->pg, v, "closures", exceptions_json(x->pg, sget(v, "exceptions")));
	}
	return arr;
}

/* Updates: pinned first, then newest first. */
static int update_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int px = json_is_true(json_object_get(x, "pinned")), py = json_is_true(json_object_get(y, "pinned"));
	if (px != py)
		return py - px;
	const char *dx = sget(x, "date"), *dy = sget(y, "date");
	int c = strcmp(dy ? dy : "", dx ? dx : "");
	return c ? c
	         : strcmp(sget(y, "updated_at") ? sget(y, "updated_at") : "",
	                  sget(x, "updated_at") ? sget(x, "updated_at") : "");
}

static int event_cmp(const void *a, const void *b)
{
	const char *x = sget(*(json_t *const *)a, "start"), *y = sget(*(json_t *const *)b, "start");
	return strcmp(x ? x : "", y ? y : "");
}

/* arr sorted by cmp (a new array; arr consumed). */
static json_t *sorted(json_t *arr, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(arr);
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	qsort(v, n, sizeof(*v), cmp);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

static json_t *updates_json(struct ctx *x)
{
	return sorted(items_json(x->pg, block_kind("updates"), published(x, "updates")), update_cmp);
}

static json_t *events_json(struct ctx *x)
{
	json_t *arr = sorted(items_json(x->pg, block_kind("events"), published(x, "events")), event_cmp), *v;
	size_t i;
	json_array_foreach (arr, i, v) {
		const char *start = sget(v, "start"), *end = sget(v, "end");
		const struct tz_zone *z = tz_find(sget(v, "timezone"));
		char kind[48];
		snprintf(kind, sizeof(kind), "c_event_%s", sget(v, "kind") ? sget(v, "kind") : "");
		int off = 0;
		bool dst = z && tz_offset(z, start, &off) == 0 && off != z->std_min;
		const char *when = arena_printf(x->pg->a, "%s, %s", date_words(x->pg, start, true),
		                                time_words(x->pg, atoi(start + 11) * 60 + atoi(start + 14)));
		if (end && strncmp(start, end, 10) == 0)
			when = arena_printf(x->pg->a, "%s\xe2\x80\x93%s", when,
			                    time_words(x->pg, atoi(end + 11) * 60 + atoi(end + 14)));
		else if (end)
			when = arena_printf(x->pg->a, "%s \xe2\x80\x93 %s, %s", when,
			                    date_words(x->pg, end, true),
			                    time_words(x->pg, atoi(end + 11) * 60 + atoi(end + 14)));
		if (z)
			when = arena_printf(x->pg->a, "%s %s", when, dst ? z->dst_abbr : z->std_abbr);
		page_set(x->pg, v, "when", page_str(x->pg, "an event time", when));
		page_set(x->pg, v, "kind_label",
		         page_str(x->pg, "an event kind", i18n_get(x->pg->lang, kind)));
		page_set(
		    x->pg, v, "ics_url",
		    page_str(x->pg, "an event file",
		             arena_printf(x->pg->a, "%s/events/%s.ics",
		                          community_url(x->pg->a, x->pg->lang, x->c->slug), sget(v, "id"))));
	}
	return arr;
}

static json_t *services_json(struct ctx *x)
{
	json_t *arr = items_json(x->pg, block_kind("services"), published(x, "services")), *v;
	size_t i;
	json_array_foreach (arr, i, v) {
		char key[48];
		snprintf(key, sizeof(key), "c_status_%s", sget(v, "status") ? sget(v, "status") : "active");
		for (char *p = key; *p; p++)
			*p = *p == ' ' ? '_' : *p;
		page_set(x->pg, v, "status_label", page_str(x->pg, "a status", i18n_get(x->pg->lang, key)));
		page_set(x->pg, v, "open",
		         json_boolean(!sget(v, "status") || strcmp(sget(v, "status"), "active") == 0));
		flag(x->pg, v, "schedule", hours_json(x->pg, sget(v, "hours")));
	}
	return arr;
}

static json_t *funds_json(struct ctx *x)
{
	const struct block_kind *k = block_kind("funds");
	json_t *b = published(x, "funds");
	json_t *all = items_json(x->pg, k, b), *official = json_array(), *raisers = json_array(), *v;
	size_t i;
	json_array_foreach (all, i, v)
		json_array_append(
		    strcmp(sget(v, "kind") ? sget(v, "kind") : "", "official") == 0 ? official : raisers, v);
	json_decref(all);
	json_t *own = b ? block_view(k, b, x->pg->lang) : json_object();
	decorate(x->pg, own, k);
	flag(x->pg, own, "official", official);
	flag(x->pg, own, "fundraisers", raisers);
	page_set(
	    x->pg, own, "any",
	    json_boolean(json_array_size(official) || json_array_size(raisers) || sget(own, "scam_warning")));
	return own;
}

/* Library resources by slug, in the page's language where a translation is published, ordered by
 * stage since the incident. */
static json_t *resources_json(struct ctx *x)
{
	static const char *const stages[] = {"first-days", "weeks-months", "long-term", "any"};
	json_t *b = published(x, "resources"), *groups = json_array();
	const char *slugs = sget(b, "slugs");
	struct db *db = page_env()->db;
	/* Each slug looked up once (with its translation in the page's language), then grouped. */
	size_t n = 0, cap = 1;
	for (const char *p = slugs ? slugs : ""; *p; p++)
		cap += *p == '\n';
	struct resource **rs = arena_alloc(x->pg->a, cap * sizeof(*rs));
	const char **stage = arena_alloc(x->pg->a, cap * sizeof(*stage)); /* the listed one's */
	for (const char *p = slugs ? slugs : ""; *p;) {
		size_t len = strcspn(p, "\n");
		char *slug = arena_strndup(x->pg->a, p, len);
		p += len + (p[len] == '\n');
		struct resource *r = resource_card(db, x->pg->a, slug), *t;
		if (!r || r->invalid)
			continue;
		const char *stage_of = r->stage;
		if (strcmp(r->lang, x->pg->lang) != 0 && r->translation &&
		    (t = resource_card(db, x->pg->a, r->translation)) && !t->invalid &&
		    strcmp(t->lang, x->pg->lang) == 0)
			r = t;
		if (n < cap)
			stage[n] = stage_of, rs[n++] = r;
	}
	for (size_t s = 0; s < 4; s++) {
		json_t *cards = json_array();
		for (size_t i = 0; i < n; i++) {
			struct resource *r = rs[i];
			if (strcmp(stage[i], stages[s]) != 0)
				continue;
			char tk[48];
			snprintf(tk, sizeof(tk), "type_%s", r->type);
			page_push(x->pg, cards,
			          page_pack(x->pg, "{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "title", r->title,
			                    "summary", r->summary, "url",
			                    arena_printf(x->pg->a, "%s/resources/%s",
			                                 strcmp(r->lang, "es") == 0 ? "/es" : "", r->slug),
			                    "type", r->type, "type_label", i18n_get(x->pg->lang, tk), "lang",
			                    r->lang, "foreign", strcmp(r->lang, x->pg->lang) != 0));
		}
		char sk[48];
		snprintf(sk, sizeof(sk), "stage_%s", stages[s]);
		if (json_array_size(cards))
			page_push(x->pg, groups,
			          page_pack(x->pg, "{s:s, s:o}", "label", i18n_get(x->pg->lang, sk),
			                    "resources", cards));
		else
			json_decref(cards);
	}
	return groups;
}

/* "Dec 2: Family Assistance Center: hours changed", newest first. */
static json_t *changes_json(struct ctx *x)
{
	struct community_revision *revs;
	size_t n = community_revisions(page_env()->db, x->pg->a, x->c->id, 15, &revs);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *ch;
		size_t k;
		json_array_foreach (revs[i].changes, k, ch) {
			char key[64];
			snprintf(key, sizeof(key), "change_%s", sget(ch, "what") ? sget(ch, "what") : "");
			json_t *names = json_object_get(ch, "names");
			const char *name =
			    sget(names, x->pg->lang) ? sget(names, x->pg->lang) : sget(names, "en");
			const char *text = fill(x->pg, i18n_get(x->pg->lang, key),
			                        (const char *const[]){"name", name ? name : "", NULL});
			page_push(x->pg, arr,
			          page_pack(x->pg, "{s:s, s:s, s:s}", "date", revs[i].at, "date_text",
			                    date_words(x->pg, revs[i].at, false), "text", text));
		}
	}
	return arr;
}

/* The national lines the template starts every community with: those of the crisis bar. */
static json_t *lines_json(json_t *d)
{
	return json_incref(json_object_get(json_object_get(d, "crisis"), "featured"));
}

static json_t *langs_json(struct ctx *x)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < x->c->nlangs; i++) {
		if (!i18n_lang_valid(x->c->langs[i]))
			continue;
		page_push(x->pg, arr,
		          page_pack(x->pg, "{s:s, s:s, s:s, s:b}", "code", x->c->langs[i], "name",
		                    i18n_get(x->c->langs[i], "lang_name"), "url",
		                    community_url(x->pg->a, x->c->langs[i], x->c->slug), "current",
		                    strcmp(x->c->langs[i], x->pg->lang) == 0));
	}
	return arr;
}

/* Share links that need no third-party script: the address to copy, an email and a text message. */
static json_t *share_json(struct ctx *x)
{
	struct buf enc = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)x->page_url; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(&enc, (char)*p);
		else
			buf_printf(&enc, "%%%02X", *p);
	const char *u = arena_strdup(x->pg->a, enc.p ? enc.p : "");
	buf_free(&enc);
	return page_pack(x->pg, "{s:s, s:s, s:s}", "url", x->page_url, "mailto",
	                 arena_printf(x->pg->a, "mailto:?body=%s", u), "sms",
	                 arena_printf(x->pg->a, "sms:?&body=%s", u));
}

/* ---- the page */

/* Every block's data for the page, the flyer and the feeds. */
static json_t *blocks_json(struct ctx *x, json_t *d)
{
	struct page *pg = x->pg;
	json_t *km = key_message_json(x);
	if (km)
		page_set(pg, d, "key_message", km);
	page_set(pg, d, "locations", locations_json(x));
	page_set(pg, d, "updates", updates_json(x));
	page_set(pg, d, "events", events_json(x));
	flag(pg, d, "services", services_json(x));
	page_set(pg, d, "funds", funds_json(x));
	flag(pg, d, "faq", items_json(pg, block_kind("faq"), published(x, "faq")));
	flag(pg, d, "stages", resources_json(x));
	flag(pg, d, "changes", changes_json(x));
	page_set(pg, d, "lines", lines_json(d));
	return d;
}

static json_t *community_json(struct ctx *x)
{
	const struct community *c = x->c;
	struct page *pg = x->pg;
	const char *url = community_url(pg->a, pg->lang, c->slug);
	json_t *j = page_pack(
	    pg, "{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s}", "slug", c->slug, "name", c->name, "place",
	    c->place, "date_text", c->incident_date ? date_words(pg, c->incident_date, true) : "", "archived",
	    strcmp(c->status, "archived") == 0, "url", url, "flyer_url", arena_printf(pg->a, "%s/flyer", url),
	    "atom_url", arena_printf(pg->a, "%s/updates.atom", url), "ics_url",
	    arena_printf(pg->a, "%s/events.ics", url));
	page_set(pg, j, "langs", langs_json(x));
	page_set(pg, j, "share", share_json(x));
	return j;
}

/* The language switch: the next language the page offers (its English for any other). */
static void switch_to(struct ctx *x, json_t *d)
{
	const char *to = strcmp(x->pg->lang, "en") == 0 ? (x->c->nlangs > 1 ? x->c->langs[1] : "es") : "en";
	json_t *page = json_object_get(d, "page");
	if (offers(x->c, to) && i18n_lang_valid(to)) {
		page_set(x->pg, page, "alt_url",
		         page_str(x->pg, "url", community_url(x->pg->a, to, x->c->slug)));
		page_set(x->pg, page, "alt_label", page_str(x->pg, "label", i18n_get(to, "c_view_in")));
	} else {
		page_set(x->pg, page, "alt_url", page_str(x->pg, "url", page_home_url(to)));
		page_set(x->pg, page, "alt_label",
		         page_str(x->pg, "label", i18n_get(x->pg->lang, "language_switch_home_label")));
	}
	page_set(x->pg, d, "other_lang", page_str(x->pg, "lang", to));
	/* The head names every language of the page, itself included, by full address as the sitemap
	 * does (a page in one language names none: its language switch leads to a home page, which is
	 * no translation of it). */
	json_t *alts = json_array();
	for (size_t i = 0; x->c->nlangs > 1 && i < x->c->nlangs; i++)
		if (i18n_lang_valid(x->c->langs[i]))
			page_push(
			    x->pg, alts,
			    page_pack(x->pg, "{s:s, s:s}", "code", x->c->langs[i], "url",
			              arena_printf(x->pg->a, "%s%s", page_env()->public_url,
			                           community_url(x->pg->a, x->c->langs[i], x->c->slug))));
	page_set(x->pg, d, "hreflangs", alts);
	page_set(x->pg, d, "switch_text", page_str(x->pg, "label", i18n_get(to, "lang_name")));
}

/* When the page last changed: its latest publish or settings change (what the sitemap says). */
static const char *changed(struct ctx *x)
{
	const char *at = x->c->updated_at;
	for (size_t i = 0; i < block_nkinds; i++)
		if (x->blocks[i].published_at && (!at || strcmp(x->blocks[i].published_at, at) > 0))
			at = x->blocks[i].published_at;
	return at;
}

static int page_community(struct ctx *x, bool flyer, struct buf *out)
{
	struct page *pg = x->pg;
	const char *title = flyer ? fill(pg, i18n_get(pg->lang, "c_flyer_title"),
	                                 (const char *const[]){"name", x->c->name, NULL})
	                          : x->c->name;
	json_t *d = page_data(pg, title, x->c->place, "/", NULL);
	switch_to(x, d);
	page_set(pg, d, "c", community_json(x));
	blocks_json(x, d);
	if (flyer) {
		/* A printable copy of the page: kept out of search engines' results, naming no language
		 * versions of its own (the page's alternates are the page's). */
		page_set(pg, d, "noindex", json_true());
		page_set(pg, d, "hreflangs", json_array());
		struct buf svg = BUF_INIT;
		if (qr_svg(x->page_url, i18n_get(pg->lang, "c_qr_label"), &svg) < 0)
			page_fail(pg, "the QR code of %s cannot be drawn", x->page_url);
		page_set(pg, d, "qr", tmpl_safe_html(svg.p ? svg.p : "", svg.len));
		buf_free(&svg);
		json_t *first = json_array_get(json_object_get(d, "locations"), 0);
		if (first)
			page_set(pg, d, "main_location", json_incref(first));
	} else if (!pg->why[0]) {
		page_set(
		    pg, d, "ld",
		    jsonld_community(pg->a, pg->lang, x->c, x->page_url, changed(x), d, (int64_t)time(NULL)));
	}
	return page_render(pg, flyer ? "community_flyer" : "community", d, out) < 0 ? 500 : 200;
}

int community_render(struct page *pg, const char *rest, struct buf *out)
{
	char slug[128];
	const char *p = rest + 3;
	size_t n = strcspn(p, "/");
	if (n == 0 || n >= sizeof(slug))
		return 404;
	snprintf(slug, sizeof(slug), "%.*s", (int)n, p);
	const char *sub = p + n;
	struct db *db = page_env()->db;
	struct community *c = slug_valid(str_c(slug)) ? community_get(db, pg->a, slug) : NULL;
	if (!c || !offers(c, pg->lang))
		return 404;
	struct ctx x = {
	    pg, c, arena_calloc(pg->a, block_nkinds, sizeof(struct community_block)),
	    arena_printf(pg->a, "%s%s", page_env()->public_url, community_url(pg->a, pg->lang, slug))};
	if (community_blocks_shared(db, pg->a, c->id, x.blocks) < 0) {
		page_fail(pg, "community %s: its blocks cannot be read", slug);
		return 500;
	}
	if (!*sub || strcmp(sub, "/flyer") == 0)
		return page_community(&x, *sub != '\0', out);
	struct feed f = {pg,
	                 c,
	                 x.page_url,
	                 published(&x, "updates"),
	                 published_at(&x, "updates"),
	                 published(&x, "events"),
	                 published_at(&x, "events")};
	if (strcmp(sub, "/updates.atom") == 0)
		return feeds_atom(&f, out);
	if (strcmp(sub, "/events.ics") == 0)
		return feeds_ics(&f, NULL, out);
	if (strncmp(sub, "/events/", 8) == 0 && str_ends(str_c(sub), STR(".ics")) &&
	    strlen(sub) == 8 + 36 + 4)
		return feeds_ics(&f, arena_strndup(pg->a, sub + 8, 36), out);
	return 404;
}

void community_home(struct page *pg, json_t *d)
{
	struct community *cs;
	size_t n = community_list(page_env()->db, pg->a, "active", &cs);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *lang = offers(&cs[i], pg->lang) ? pg->lang : "en";
		page_push(pg, arr,
		          page_pack(pg, "{s:s, s:s, s:s, s:s, s:s, s:b}", "name", cs[i].name, "place",
		                    cs[i].place, "date_text",
		                    cs[i].incident_date ? date_words(pg, cs[i].incident_date, true) : "",
		                    "url", community_url(pg->a, lang, cs[i].slug), "lang", lang, "foreign",
		                    strcmp(lang, pg->lang) != 0));
	}
	flag(pg, d, "communities", arr);
}
