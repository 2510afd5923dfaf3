/* Walks cmark's tree for link and image nodes. */
#include "view/mdlinks.h"

#include <cmark.h>
#include <string.h>
#include <strings.h>

void md_links(const char *md, size_t len, void (*fn)(const char *url, void *arg), void *arg)
{
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_VALIDATE_UTF8);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
			const char *url = cmark_node_get_url(n);
			fn(url ? url : "", arg);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

bool md_link_allowed(const char *url)
{
	static const char *const schemes[] = {"https:", "http:", "mailto:", "tel:"};
	size_t n = strcspn(url, ":/?#");
	if (url[n] != ':')
		return true; /* no scheme: relative */
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncasecmp(url, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}
