/* JSON-LD builders. Every page's graph names the Organization and the WebSite of its language, so a
 * reader resolves each @id within the page. schema.org puts lastReviewed and reviewedBy on WebPage,
 * so a resource page is a WebPage whose mainEntity is the Article. */
#include "app/jsonld.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "app/sitemap.h"
#include "base/buf.h"
#include "base/embed.h"
#include "base/tz.h"
#include "model/catalog.h"
#include "model/hours.h"
#include "view/i18n.h"
#include "view/jsonarena.h"
#include "view/markdown.h"
#include "view/template.h"

static const char *prefix(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es" : "";
}

static const char *home(struct arena *a, const char *lang)
{
	return sitemap_url(a, strcmp(lang, "es") == 0 ? "/es/" : "/");
}

static const char *org_id(struct arena *a)
{
	return sitemap_url(a, "/#organization");
}

static const char *site_id(struct arena *a, const char *lang)
{
	return arena_printf(a, "%s#website", home(a, lang));
}

static json_t *ref(const char *id)
{
	return json_pack("{s:s}", "@id", id);
}

static json_t *organization(struct arena *a, const char *lang)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "@type", "Organization", "@id", org_id(a), "name",
	                 i18n_get(lang, "site_name"), "url", home(a, lang), "description",
	                 i18n_get(lang, "site_tagline"));
}

static json_t *website(struct arena *a, const char *lang)
{
	const char *search =
	    sitemap_url(a, arena_printf(a, "%s/search?q={search_term_string}", prefix(lang)));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:{s:s, s:s}, s:s}}", "@type",
	                 "WebSite", "@id", site_id(a, lang), "url", home(a, lang), "name",
	                 i18n_get(lang, "site_name"), "description", i18n_get(lang, "site_tagline"),
	                 "inLanguage", lang, "publisher", ref(org_id(a)), "potentialAction", "@type",
	                 "SearchAction", "target", "@type", "EntryPoint", "urlTemplate", search,
	                 "query-input", "required name=search_term_string");
}

/* {"@context", "@graph": [nodes...]} as the one safe-JSON value of a page; consumes nodes. */
static json_t *graph(json_t *nodes)
{
	json_t *doc =
	    nodes ? json_pack("{s:s, s:o}", "@context", "https://schema.org", "@graph", nodes) : NULL;
	json_t *safe = tmpl_safe_json(doc);
	json_decref(doc);
	return safe ? json_pack("[o]", safe) : NULL;
}

/* A list item of a breadcrumb; the last has no item (it is the page itself). */
static json_t *crumb(int position, const char *name, const char *item)
{
	json_t *j = json_pack("{s:s, s:i, s:s}", "@type", "ListItem", "position", position, "name", name);
	if (j && item)
		json_object_set_new(j, "item", json_string(item));
	return j;
}

json_t *jsonld_home(struct arena *a, const char *lang)
{
	json_t *page =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "@type", "WebPage", "@id", home(a, lang), "url",
	              home(a, lang), "name", i18n_get(lang, "site_name"), "inLanguage", lang, "isPartOf",
	              ref(site_id(a, lang)), "about", ref(org_id(a)));
	return graph(json_pack("[o, o, o]", organization(a, lang), website(a, lang), page));
}

json_t *jsonld_section(struct arena *a, const char *lang, const char *slug, const char *title,
                       const char *summary)
{
	const char *url = sitemap_url(a, arena_printf(a, "%s/%s", prefix(lang), slug));
	json_t *page = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s, s:[o, o]}}", "@type",
	                         "CollectionPage", "@id", url, "url", url, "name", title, "description",
	                         summary, "inLanguage", lang, "isPartOf", ref(site_id(a, lang)), "breadcrumb",
	                         "@type", "BreadcrumbList", "itemListElement",
	                         crumb(1, i18n_get(lang, "home"), home(a, lang)), crumb(2, title, NULL));
	return graph(json_pack("[o, o, o]", organization(a, lang), website(a, lang), page));
}

static json_t *citations(const struct resource *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->nsources; i++) {
		json_t *c = json_pack("{s:s, s:s, s:s}", "@type", "CreativeWork", "name", r->sources[i].title,
		                      "url", r->sources[i].url);
		if (c)
			json_object_set_new(c, "inLanguage",
			                    json_string(r->sources[i].lang ? r->sources[i].lang : r->lang));
		if (!c || json_array_append_new(arr, c) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

json_t *jsonld_resource(struct db *db, struct arena *a, const struct resource *r, const char *section_title,
                        const char *translation)
{
	const char *url = sitemap_url(a, arena_printf(a, "%s/resources/%s", prefix(r->lang), r->slug));
	const char *article_id = arena_printf(a, "%s#article", url), *created = NULL, *updated = NULL;
	if (catalog_times(db, a, r->id, &created, &updated) < 0)
		return NULL;
	json_t *article =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b}", "@type", "Article",
	              "@id", article_id, "headline", r->title, "description", r->summary, "inLanguage",
	              r->lang, "articleSection", section_title, "datePublished", created, "dateModified",
	              updated, "mainEntityOfPage", ref(url), "author", ref(org_id(a)), "publisher",
	              ref(org_id(a)), "citation", citations(r), "isAccessibleForFree", 1);
	if (article && translation)
		json_object_set_new(
		    article, "workTranslation",
		    ref(sitemap_url(a, arena_printf(a, "%s/resources/%s#article",
		                                    prefix(strcmp(r->lang, "es") == 0 ? "en" : "es"),
		                                    translation))));
	const char *section_url = sitemap_url(a, arena_printf(a, "%s/%s", prefix(r->lang), r->section));
	json_t *page = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:[o, o, o]}}", "@type",
	                         "WebPage", "@id", url, "url", url, "name", r->title, "description",
	                         r->summary, "inLanguage", r->lang, "isPartOf", ref(site_id(a, r->lang)),
	                         "mainEntity", ref(article_id), "breadcrumb", "@type", "BreadcrumbList",
	                         "itemListElement", crumb(1, i18n_get(r->lang, "home"), home(a, r->lang)),
	                         crumb(2, section_title, section_url), crumb(3, r->title, NULL));
	/* Only a clinical review that really took place is claimed (the page says the same). */
	if (page && r->reviewed_at && r->reviewer) {
		json_object_set_new(page, "lastReviewed", json_string(r->reviewed_at));
		json_object_set_new(page, "reviewedBy",
		                    json_pack("{s:s, s:s}", "@type", "Person", "name", r->reviewer));
	}
	return graph(json_pack("[o, o, o, o]", organization(a, r->lang), website(a, r->lang), page, article));
}

/* ---- community pages: only what the published blocks really say */

/* Markdown as plain text (rendered, tags dropped, the entities md_render writes decoded, spaces
 * collapsed), in a. */
static const char *md_plain(struct arena *a, const char *md)
{
	struct buf html = BUF_INIT, out = BUF_INIT;
	md_render(md, strlen(md), &html);
	buf_putc(&html, '\0'); /* the tag scan below reads names up to a NUL */
	html.len--;
	static const char *const ents[][2] = {
	    {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	bool space = false;
	for (size_t i = 0; i < html.len;) {
		char c = html.p[i];
		if (c == '<') {
			/* A block element's edge separates words; an inline one (<strong>) does not. */
			const char *name = html.p + i + 1 + (html.p[i + 1] == '/');
			size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz123456");
			static const char *const inline_tags[] = {"a",   "strong", "em", "code",
			                                          "del", "span",   "b",  "i"};
			bool in_line = false;
			for (size_t k = 0; k < sizeof(inline_tags) / sizeof(inline_tags[0]); k++)
				in_line |=
				    strlen(inline_tags[k]) == n && strncmp(name, inline_tags[k], n) == 0;
			space |= !in_line;
			const char *end = memchr(html.p + i, '>', html.len - i);
			i = end ? (size_t)(end - html.p) + 1 : html.len;
			continue;
		}
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = true;
			i++;
			continue;
		}
		if (space && out.len)
			buf_putc(&out, ' ');
		space = false;
		size_t k = 0;
		for (; c == '&' && k < sizeof(ents) / sizeof(ents[0]); k++)
			if (strncmp(html.p + i, ents[k][0], strlen(ents[k][0])) == 0)
				break;
		if (c == '&' && k < sizeof(ents) / sizeof(ents[0])) {
			buf_puts(&out, ents[k][1]);
			i += strlen(ents[k][0]);
		} else {
			buf_putc(&out, c);
			i++;
		}
	}
	const char *s = arena_strndup(a, out.p ? out.p : "", out.len);
	buf_free(&html);
	buf_free(&out);
	return s;
}

static const char *sget(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v && *v ? v : NULL;
}

/* o[key] = s when there is a value; a value that is not UTF-8 marks the graph failed. */
static void put(json_t *o, const char *key, const char *s, bool *ok)
{
	if (!o || !s || !*s)
		return;
	json_t *v = json_string(s);
	if (!v || json_object_set_new(o, key, v) < 0)
		*ok = false;
}

/* o[key] = v (consumed) when v is not empty. */
static void put_json(json_t *o, const char *key, json_t *v)
{
	if (o && v && (json_is_object(v) ? json_object_size(v) > 0 : !json_is_array(v) || json_array_size(v)))
		json_object_set_new(o, key, v);
	else
		json_decref(v);
}

static json_t *node(const char *type)
{
	return json_pack("{s:s}", "@type", type);
}

/* A PostalAddress from an item's street, city, state and postal fields; NULL without street or city. */
static json_t *postal(json_t *v, bool *ok)
{
	if (!sget(v, "street") && !sget(v, "city"))
		return NULL;
	json_t *ad = node("PostalAddress");
	put(ad, "streetAddress", sget(v, "street"), ok);
	put(ad, "addressLocality", sget(v, "city"), ok);
	put(ad, "addressRegion", sget(v, "state"), ok);
	put(ad, "postalCode", sget(v, "postal"), ok);
	return ad;
}

static const char *const day_names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};

static json_t *opening_hours(const char *spec)
{
	json_t *arr = json_array();
	struct hours_span s[HOURS_MAX];
	size_t n;
	const char *err;
	if (!spec || hours_parse(spec, s, &n, &err) < 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		json_t *days = json_array();
		char o[6], c[6];
		for (int d = 0; d < 7; d++)
			if (s[i].days & (1u << d))
				json_array_append_new(days,
				                      json_sprintf("https://schema.org/%s", day_names[d]));
		hours_hhmm(s[i].opens, o);
		hours_hhmm(s[i].closes, c);
		json_array_append_new(arr,
		                      json_pack("{s:s, s:o, s:s, s:s}", "@type", "OpeningHoursSpecification",
		                                "dayOfWeek", days, "opens", o, "closes", c));
	}
	return arr;
}

/* "2026-12-05T18:00:00-06:00" for a local "YYYY-MM-DDTHH:MM" in zone; *utc gets the instant (seconds
 * since 1970). NULL when the time or zone is not understood. */
static const char *event_time(struct arena *a, const char *local, const char *zone, int64_t *utc)
{
	int off;
	const struct tz_zone *z = tz_find(zone);
	if (!local || strlen(local) < 16 || !z || tz_offset(z, local, &off) < 0)
		return NULL;
	*utc = tz_days(atoi(local), atoi(local + 5), atoi(local + 8)) * 86400 + atoi(local + 11) * 3600 +
	       atoi(local + 14) * 60 - (int64_t)off * 60;
	int m = off < 0 ? -off : off;
	return arena_printf(a, "%.16s:00%c%02d:%02d", local, off < 0 ? '-' : '+', m / 60, m % 60);
}

/* An event still to come or under way (its end, or its start, not yet past), or NULL. */
static json_t *event(struct arena *a, const char *page_url, json_t *v, int64_t now, bool *ok)
{
	int64_t start_at = 0, end_at = 0;
	const char *zone = sget(v, "timezone");
	const char *start = event_time(a, sget(v, "start"), zone, &start_at);
	const char *end = event_time(a, sget(v, "end"), zone, &end_at);
	if (!start || !sget(v, "title") || !sget(v, "id") || (end ? end_at : start_at) < now)
		return NULL;
	json_t *e = node("Event");
	put(e, "@id", arena_printf(a, "%s#event-%s", page_url, sget(v, "id")), ok);
	put(e, "url", arena_printf(a, "%s#event-%s", page_url, sget(v, "id")), ok);
	put(e, "name", sget(v, "title"), ok);
	put(e, "startDate", start, ok);
	put(e, "endDate", end, ok);
	if (sget(v, "description"))
		put(e, "description", md_plain(a, sget(v, "description")), ok);
	/* Published events are on the schedule (a cancelled one is taken off the page), and each has a
	 * place to go to: the block has no online events. */
	put(e, "eventStatus", "https://schema.org/EventScheduled", ok);
	put(e, "eventAttendanceMode", "https://schema.org/OfflineEventAttendanceMode", ok);
	json_t *place = node("Place");
	put(place, "name", sget(v, "place"), ok);
	put(place, "address", sget(v, "address"), ok);
	put_json(e, "location", place);
	return e;
}

/* A Place named name (the incident's town...), or NULL without one. */
static json_t *named_place(const char *name, bool *ok)
{
	if (!name || !*name)
		return NULL;
	json_t *p = node("Place");
	put(p, "name", name, ok);
	return p;
}

/* A location block item (the Family Assistance Center...) as the place it is. */
static json_t *location(struct arena *a, const char *page_url, json_t *v, bool *ok)
{
	json_t *p = node("CivicStructure");
	if (sget(v, "id"))
		put(p, "@id", arena_printf(a, "%s#location-%s", page_url, sget(v, "id")), ok);
	put(p, "name", sget(v, "name"), ok);
	put_json(p, "address", postal(v, ok));
	put(p, "telephone", sget(v, "phone"), ok);
	put_json(p, "openingHoursSpecification", opening_hours(sget(v, "walkin_hours")));
	return p;
}

/* A local service in service (not closed), with the ways to reach it that the block gives. */
static json_t *service(struct arena *a, const struct community *c, json_t *v, bool *ok)
{
	const char *status = sget(v, "status");
	if (status && strcmp(status, "active") != 0)
		return NULL;
	json_t *s = node("Service");
	put(s, "name", sget(v, "name"), ok);
	if (sget(v, "description"))
		put(s, "description", md_plain(a, sget(v, "description")), ok);
	if (sget(v, "organization")) {
		json_t *org = node("Organization");
		put(org, "name", sget(v, "organization"), ok);
		put_json(s, "provider", org);
	}
	put(s, "url", sget(v, "url"), ok);
	json_t *ch = node("ServiceChannel"), *phone = NULL, *place = NULL, *ad = postal(v, ok);
	if (sget(v, "phone")) {
		phone = node("ContactPoint");
		put(phone, "telephone", sget(v, "phone"), ok);
		put_json(ch, "servicePhone", phone);
	}
	put(ch, "serviceUrl", sget(v, "url"), ok);
	if (ad) {
		place = node("Place");
		put_json(place, "address", ad);
		put_json(ch, "serviceLocation", place);
	}
	if (json_object_size(ch) > 1)
		put_json(s, "availableChannel", ch);
	else
		json_decref(ch);
	put_json(s, "areaServed", named_place(c->place, ok));
	return s;
}

/* The template's questions (templates/community/starter.json) start every community page: the same
 * question and answer on many pages of the site, which Google's FAQ guidelines allow to be marked
 * up once at most. They are left out of every page's FAQPage. */
static json_t *starter_faq;
static pthread_once_t starter_once = PTHREAD_ONCE_INIT;

static void starter_load(void)
{
	bool arena = jsonarena_pause(); /* kept for good, loaded while some page renders */
	const struct embed_file *f = embed_find("templates/community/starter.json");
	json_t *t = f ? json_loadb((const char *)f->data, f->len, 0, NULL) : NULL;
	starter_faq = json_incref(json_object_get(t, "faq"));
	json_decref(t);
	jsonarena_resume(arena);
}

static bool from_starter(const char *question, const char *answer)
{
	pthread_once(&starter_once, starter_load);
	json_t *q, *text;
	size_t i;
	const char *lang;
	json_array_foreach (starter_faq, i, q)
		json_object_foreach (q, lang, text) {
			const char *tq = json_string_value(json_object_get(text, "question")),
			           *ta = json_string_value(json_object_get(text, "answer"));
			if (tq && ta && strcmp(tq, question) == 0 && strcmp(ta, answer) == 0)
				return true;
		}
	return false;
}

/* The page's own questions, written in its language, as Question / acceptedAnswer (the answer's
 * HTML as the page shows it): one answer each, written by the officials, visible on the page. */
static json_t *questions(json_t *faq, const char *lang, bool *ok)
{
	json_t *arr = json_array(), *v;
	size_t i;
	json_array_foreach (faq, i, v) {
		const char *q = sget(v, "question"), *an = sget(v, "answer");
		if (!q || !an ||
		    strcmp(sget(v, "question_lang") ? sget(v, "question_lang") : "", lang) != 0 ||
		    strcmp(sget(v, "answer_lang") ? sget(v, "answer_lang") : "", lang) != 0 ||
		    from_starter(q, an))
			continue;
		struct buf html = BUF_INIT;
		md_render(an, strlen(an), &html);
		buf_putc(&html, '\0');
		json_t *answer = node("Answer"), *question = node("Question");
		put(answer, "text", html.p, ok);
		buf_free(&html);
		put(question, "name", q, ok);
		put_json(question, "acceptedAnswer", answer);
		json_array_append_new(arr, question);
	}
	return arr;
}

static void push(json_t *graph, json_t *n)
{
	if (n)
		json_array_append_new(graph, n);
}

/* The page itself: an FAQPage (a kind of WebPage) when faq (consumed) has questions. */
static json_t *community_page(struct arena *a, const char *lang, const struct community *c,
                              const char *page_url, const char *changed, json_t *km, json_t *faq, bool *ok)
{
	json_t *page = node(json_array_size(faq) ? "FAQPage" : "WebPage");
	put(page, "@id", page_url, ok);
	put(page, "url", page_url, ok);
	put(page, "name", c->name, ok);
	if (sget(km, "body") && strcmp(sget(km, "body_lang") ? sget(km, "body_lang") : "", lang) == 0)
		put(page, "description", md_plain(a, sget(km, "body")), ok);
	put(page, "inLanguage", lang, ok);
	put(page, "datePublished", c->created_at, ok);
	put(page, "dateModified", changed, ok);
	put_json(page, "isPartOf", ref(site_id(a, lang)));
	put_json(page, "publisher", ref(org_id(a)));
	put_json(page, "about", named_place(c->place, ok));
	put_json(page, "breadcrumb",
	         json_pack("{s:s, s:[o, o]}", "@type", "BreadcrumbList", "itemListElement",
	                   crumb(1, i18n_get(lang, "home"), home(a, lang)), crumb(2, c->name, NULL)));
	put_json(page, "mainEntity", faq);
	return page;
}

/* The key message is what schema.org calls a special announcement: a dated update from local
 * officials about the places to go (places: references to them, consumed). NULL without one. */
static json_t *announcement(struct arena *a, const struct community *c, const char *page_url, json_t *km,
                            json_t *places, bool *ok)
{
	if (!sget(km, "body") || !sget(km, "updated_at")) {
		json_decref(places);
		return NULL;
	}
	json_t *an = node("SpecialAnnouncement");
	put(an, "name", c->name, ok);
	put(an, "text", md_plain(a, sget(km, "body")), ok);
	put(an, "inLanguage", sget(km, "body_lang"), ok);
	put(an, "datePosted", sget(km, "updated_at"), ok);
	put(an, "url", page_url, ok);
	put_json(an, "announcementLocation", places);
	put_json(an, "spatialCoverage", named_place(c->place, ok));
	return an;
}

json_t *jsonld_community(struct arena *a, const char *lang, const struct community *c, const char *page_url,
                         const char *changed, json_t *d, int64_t now)
{
	bool ok = true;
	json_t *g = json_array(), *places = json_array(), *v;
	size_t i;
	json_t *km = json_object_get(d, "key_message");
	json_t *faq = questions(json_object_get(d, "faq"), lang, &ok);
	push(g, organization(a, lang));
	push(g, website(a, lang));
	push(g, community_page(a, lang, c, page_url, changed, km, faq, &ok));
	json_array_foreach (json_object_get(d, "locations"), i, v) {
		json_t *p = location(a, page_url, v, &ok);
		if (json_object_get(p, "@id"))
			json_array_append_new(places, ref(json_string_value(json_object_get(p, "@id"))));
		push(g, p);
	}
	push(g, announcement(a, c, page_url, km, places, &ok));
	json_array_foreach (json_object_get(d, "events"), i, v)
		push(g, event(a, page_url, v, now, &ok));
	json_array_foreach (json_object_get(d, "services"), i, v)
		push(g, service(a, c, v, &ok));
	if (!ok) {
		json_decref(g);
		return NULL;
	}
	return graph(g);
}
