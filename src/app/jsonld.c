/* JSON-LD builders. Every page's graph names the Organization and the WebSite of its language, so a
 * reader resolves each @id within the page. schema.org puts lastReviewed and reviewedBy on WebPage,
 * so a resource page is a WebPage whose mainEntity is the Article. */
#include "app/jsonld.h"

#include <string.h>

#include "app/sitemap.h"
#include "model/catalog.h"
#include "view/i18n.h"
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
