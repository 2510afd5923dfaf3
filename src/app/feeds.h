/* A community's feeds: its updates as Atom (RFC 4287) and its events as iCalendar (RFC 5545), in the
 * language of the path they are asked for. */
#ifndef VRC_FEEDS_H
#define VRC_FEEDS_H
#include <jansson.h>

#include "app/page.h"
#include "base/buf.h"
#include "model/community.h"

/* What a feed is made from: the published blocks and when they were published. */
struct feed {
	struct page *pg;
	const struct community *c;
	const char *page_url; /* the community page's absolute URL in pg->lang */
	json_t *updates;      /* the published updates block, or NULL */
	const char *updates_at;
	json_t *events; /* the published events block, or NULL */
	const char *events_at;
};

/* The Atom feed of the updates into out: 200, or 500 with the reason in f->pg. */
int feeds_atom(const struct feed *f, struct buf *out);
/* The iCalendar file of every event (event_id NULL) or of one: 200; 404 when there is no such event;
 * 500 with the reason in f->pg. */
int feeds_ics(const struct feed *f, const char *event_id, struct buf *out);
/* Append an iCalendar content line "name:value" to out, folded at 75 octets (never inside a UTF-8
 * sequence) with CRLF line ends. value is written as given: escape TEXT values with feeds_ics_text. */
void feeds_ics_line(struct buf *out, const char *name, const char *value);
/* value as an iCalendar TEXT value (backslash, ';', ',' and new lines escaped; CRs dropped), in a. */
const char *feeds_ics_text(struct arena *a, const char *value);

#endif
