/* Public community pages: /c/<slug> and /<lang>/c/<slug>, its flyer, its Atom feed of updates and its
 * iCalendar feeds of events, rendered from the published blocks into the page cache by site.c. */
#ifndef VRC_COMMUNITY_PAGE_H
#define VRC_COMMUNITY_PAGE_H
#include <jansson.h>
#include <stdbool.h>

#include "app/page.h"
#include "base/arena.h"
#include "base/buf.h"

/* True when path is a community path ("/c/..." in English, "/<lang>/c/..." for another language the
 * site has a catalogue for); *lang and *rest (from "/c/") are set. */
bool community_split(const char *path, const char **lang, const char **rest);
/* The Content-Type of a community path (Atom, iCalendar or HTML; static). */
const char *community_type(const char *path);
/* Render rest ("/c/<slug>", ".../flyer", ".../updates.atom", ".../events.ics",
 * ".../events/<id>.ics") in pg->lang into out: 200; 404 (nothing written) when there is no such
 * community, language offered, event or page; 500 with the reason in pg. */
int community_render(struct page *pg, const char *rest, struct buf *out);
/* Call add for every public path of every community (each language offered: page, flyer, feeds,
 * each event's file). */
void community_paths(struct arena *a, void (*add)(void *ctx, const char *path), void *ctx);
/* The paths a change to community slug may touch, in a: its paths in every catalogue language (a
 * language it no longer offers leaves the cache), the files of its events now published, and both
 * home pages. Call before and after a publish and refresh both lists: an event removed leaves. */
size_t community_touched(struct arena *a, const char *slug, const char ***out);
/* Re-render the paths a change of the community touched: those it has now and before (nb paths: an
 * event removed, a language dropped), each once. Returns how many failed (logged). */
size_t community_refresh(struct arena *a, const char *slug, const char **before, size_t nb);
/* Call add for the page of every community whose resources block lists resource slug, in each
 * language the site has (a language it does not offer renders as no page). */
void community_listing(struct arena *a, const char *slug, void (*add)(void *ctx, const char *path),
                       void *ctx);
/* The active communities for the home page, into d: "communities" [{name, place, date_text, url}]
 * and "has_communities". */
void community_home(struct page *pg, json_t *d);
/* The public URL of community slug's page in lang, in a ("/c/slug", "/es/c/slug"). */
const char *community_url(struct arena *a, const char *lang, const char *slug);

#endif
