/* schema.org JSON-LD for the public pages, as template values (view/template.h tmpl_safe_json) that
 * layout.html prints in <script type="application/ld+json">. Each builder returns a JSON array of one
 * such value (a new reference), or NULL when a value cannot be built (text that is not UTF-8): the page
 * then fails, as any page whose data cannot be built. */
#ifndef VRC_JSONLD_H
#define VRC_JSONLD_H
#include <jansson.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/community.h"
#include "model/resource.h"

/* The home page: the Organization, the WebSite (with a SearchAction on /search?q=) and the page. */
json_t *jsonld_home(struct arena *a, const char *lang);
/* A section page: a CollectionPage with its breadcrumb. */
json_t *jsonld_section(struct arena *a, const char *lang, const char *slug, const char *title,
                       const char *summary);
/* A resource page: the WebPage (lastReviewed and reviewedBy only when a clinical review took place)
 * whose mainEntity is the Article (dateModified, inLanguage, citation from the sources).
 * section_title names the section in the breadcrumb; translation is the published translation's slug,
 * or NULL. */
json_t *jsonld_resource(struct db *db, struct arena *a, const struct resource *r, const char *section_title,
                        const char *translation);
/* A community page in lang at page_url (absolute), from its page data d (the blocks' items in lang:
 * "key_message", "locations", "events", "services", "faq"): a WebPage (name, description from the
 * key message written in lang, inLanguage, dateModified = changed, about the incident's place,
 * publisher the Organization) that is an FAQPage whose mainEntity is the page's own questions when it
 * has some (the template's, on every page, are left out); each place, each event not yet over at now
 * (seconds since 1970) with its zone's offset, each local service in service. Only what the blocks
 * say: a property without data is left out. */
json_t *jsonld_community(struct arena *a, const char *lang, const struct community *c, const char *page_url,
                         const char *changed, json_t *d, int64_t now);

#endif
