/* Feeds are written by hand, not through the HTML templates: Atom is XML (every value escaped for
 * XML) and iCalendar has its own line rules (CRLF, folding, TEXT escaping). */
#include "app/feeds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tz.h"
#include "base/util.h"
#include "view/i18n.h"
#include "view/markdown.h"

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- Atom */

static void xml_text(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default:
			/* XML 1.0 allows no control characters but tab and new lines. */
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				buf_putc(out, *s);
		}
	}
}

static void xml_elem(struct buf *out, const char *name, const char *text)
{
	buf_printf(out, "<%s>", name);
	xml_text(out, text);
	buf_printf(out, "</%s>\n", name);
}

/* A text field of an item in lang, else English, else any language. */
static const char *item_text(json_t *it, const char *lang, const char *field, const char **used)
{
	json_t *text = json_object_get(it, "text"), *t;
	const char *l, *v = sget(json_object_get(text, lang), field);
	if (v) {
		*used = lang;
		return v;
	}
	if ((v = sget(json_object_get(text, "en"), field))) {
		*used = "en";
		return v;
	}
	json_object_foreach (text, l, t)
		if ((v = sget(t, field))) {
			*used = l;
			return v;
		}
	*used = lang;
	return "";
}

/* The newest updated_at among items, else fallback. */
static const char *newest(json_t *block, const char *fallback)
{
	const char *best = fallback;
	json_t *it;
	size_t i;
	json_array_foreach (json_object_get(block, "items"), i, it) {
		const char *u = sget(it, "updated_at");
		if (u && (!best || strcmp(u, best) > 0))
			best = u;
	}
	return best ? best : "1970-01-01T00:00:00Z";
}

static void atom_entry(const struct feed *f, json_t *it, struct buf *out)
{
	const char *lang = f->pg->lang, *tl, *bl;
	const char *title = item_text(it, lang, "title", &tl), *body = item_text(it, lang, "body", &bl);
	const char *id = sget(it, "id"), *date = sget(it, "date");
	buf_printf(out, "<entry xml:lang=\"%s\">\n", tl);
	buf_printf(out, "<id>urn:uuid:%s</id>\n", id ? id : "");
	xml_elem(out, "title", title);
	xml_elem(out, "updated",
	         sget(it, "updated_at") ? sget(it, "updated_at") : newest(NULL, f->updates_at));
	if (date)
		buf_printf(out, "<published>%sT00:00:00Z</published>\n", date);
	buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(out, f->page_url);
	buf_printf(out, "#update-%s\"/>\n", id ? id : "");
	struct buf html = BUF_INIT;
	md_render(body, strlen(body), &html);
	buf_puts(out, "<content type=\"html\">");
	xml_text(out, html.p ? html.p : "");
	buf_puts(out, "</content>\n</entry>\n");
	buf_free(&html);
}

int feeds_atom(const struct feed *f, struct buf *out)
{
	const char *lang = f->pg->lang;
	char feed_title[512];
	snprintf(feed_title, sizeof(feed_title), "%s: %s", f->c->name, i18n_get(lang, "c_updates"));
	buf_printf(out,
	           "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	           "xml:lang=\"%s\">\n",
	           lang);
	buf_puts(out, "<id>");
	xml_text(out, f->page_url);
	buf_puts(out, "/updates.atom</id>\n");
	xml_elem(out, "title", feed_title);
	xml_elem(out, "subtitle", f->c->place);
	xml_elem(out, "updated", newest(f->updates, f->updates_at));
	buf_puts(out, "<author><name>");
	xml_text(out, i18n_get(lang, "site_name"));
	buf_puts(out, "</name></author>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(out, f->page_url);
	buf_puts(out, "/updates.atom\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(out, f->page_url);
	buf_puts(out, "\"/>\n");
	/* Newest first; pinned updates are a page's emphasis, not a feed's order. */
	size_t n = json_array_size(json_object_get(f->updates, "items"));
	json_t **v = calloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(json_object_get(f->updates, "items"), i);
	for (size_t i = 1; i < n; i++) /* insertion sort by date, then updated_at, descending */
		for (size_t k = i; k > 0; k--) {
			const char *a = sget(v[k - 1], "date"), *b = sget(v[k], "date");
			int c = strcmp(b ? b : "", a ? a : "");
			if (!c)
				c = strcmp(sget(v[k], "updated_at") ? sget(v[k], "updated_at") : "",
				           sget(v[k - 1], "updated_at") ? sget(v[k - 1], "updated_at") : "");
			if (c <= 0)
				break;
			json_t *t = v[k];
			v[k] = v[k - 1], v[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		atom_entry(f, v[i], out);
	free(v);
	buf_puts(out, "</feed>\n");
	return 200;
}

/* ---- iCalendar */

void feeds_ics_line(struct buf *out, const char *name, const char *value)
{
	struct buf line = BUF_INIT;
	buf_printf(&line, "%s:%s", name, value ? value : "");
	size_t col = 0;
	for (size_t i = 0; i < line.len;) {
		/* The whole UTF-8 sequence stays on one line. */
		size_t n = 1;
		unsigned char c = (unsigned char)line.p[i];
		if (c >= 0xf0)
			n = 4;
		else if (c >= 0xe0)
			n = 3;
		else if (c >= 0xc0)
			n = 2;
		if (col + n > 75) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
		buf_append(out, line.p + i, n);
		col += n;
		i += n;
	}
	buf_puts(out, "\r\n");
	buf_free(&line);
}

const char *feeds_ics_text(struct arena *a, const char *value)
{
	struct buf b = BUF_INIT;
	for (const char *p = value ? value : ""; *p; p++) {
		switch (*p) {
		case '\\': buf_puts(&b, "\\\\"); break;
		case ';': buf_puts(&b, "\\;"); break;
		case ',': buf_puts(&b, "\\,"); break;
		case '\n': buf_puts(&b, "\\n"); break;
		case '\r': break;
		default:
			if ((unsigned char)*p >= 0x20 || *p == '\t')
				buf_putc(&b, *p);
		}
	}
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* "2026-12-05T18:00" as "20261205T180000". */
static const char *ics_local(struct arena *a, const char *local)
{
	return arena_printf(a, "%.4s%.2s%.2sT%.2s%.2s00", local, local + 5, local + 8, local + 11,
	                    local + 14);
}

/* "2026-12-02T10:00:00Z" as "20261202T100000Z". */
static const char *ics_utc(struct arena *a, const char *iso)
{
	if (!iso || strlen(iso) < 19)
		return "19700101T000000Z";
	return arena_printf(a, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
	                    iso + 17);
}

static void ics_event(const struct feed *f, json_t *it, struct buf *out)
{
	struct arena *a = f->pg->a;
	const char *lang = f->pg->lang, *used, *zone = sget(it, "timezone");
	const char *start = sget(it, "start"), *end = sget(it, "end");
	char kind[48];
	snprintf(kind, sizeof(kind), "c_event_%s", sget(it, "kind") ? sget(it, "kind") : "");
	feeds_ics_line(out, "BEGIN", "VEVENT");
	feeds_ics_line(out, "UID", arena_printf(a, "%s@vrc", sget(it, "id") ? sget(it, "id") : ""));
	feeds_ics_line(out, "DTSTAMP", ics_utc(a, f->events_at));
	feeds_ics_line(out, "LAST-MODIFIED", ics_utc(a, sget(it, "updated_at")));
	feeds_ics_line(out, arena_printf(a, "DTSTART;TZID=%s", zone), ics_local(a, start));
	if (end)
		feeds_ics_line(out, arena_printf(a, "DTEND;TZID=%s", zone), ics_local(a, end));
	feeds_ics_line(out, arena_printf(a, "SUMMARY;LANGUAGE=%s", lang),
	               feeds_ics_text(a, item_text(it, lang, "title", &used)));
	const char *place = item_text(it, lang, "place", &used), *addr = sget(it, "address");
	feeds_ics_line(out, "LOCATION",
	               feeds_ics_text(a, addr ? arena_printf(a, "%s, %s", place, addr) : place));
	const char *desc = item_text(it, lang, "description", &used),
	           *access = item_text(it, lang, "accessibility", &used);
	if (*access)
		desc = arena_printf(a, "%s%s%s: %s", desc, *desc ? "\n\n" : "",
		                    i18n_get(lang, "c_accessibility"), access);
	if (*desc)
		feeds_ics_line(out, "DESCRIPTION", feeds_ics_text(a, desc));
	feeds_ics_line(out, "CATEGORIES", feeds_ics_text(a, i18n_get(lang, kind)));
	feeds_ics_line(out, "URL", arena_printf(a, "%s#event-%s", f->page_url, sget(it, "id")));
	feeds_ics_line(out, "END", "VEVENT");
}

int feeds_ics(const struct feed *f, const char *event_id, struct buf *out)
{
	json_t *items = json_object_get(f->events, "items"), *it;
	size_t i;
	bool found = !event_id;
	json_array_foreach (items, i, it)
		found |= event_id && sget(it, "id") && strcmp(sget(it, "id"), event_id) == 0;
	if (!found)
		return 404;
	feeds_ics_line(out, "BEGIN", "VCALENDAR");
	feeds_ics_line(out, "VERSION", "2.0");
	feeds_ics_line(out, "PRODID", "-//Virtual Resiliency Center//vrc community events//EN");
	feeds_ics_line(out, "CALSCALE", "GREGORIAN");
	feeds_ics_line(out, "METHOD", "PUBLISH");
	feeds_ics_line(out, "X-WR-CALNAME", feeds_ics_text(f->pg->a, f->c->name));
	/* One VTIMEZONE for each zone the events use; without events, the community's own (a calendar
	 * must hold at least one component). */
	for (size_t z = 0; z < tz_nzones; z++) {
		bool used = json_array_size(items) == 0 && strcmp(tz_zones[z].name, f->c->timezone) == 0;
		json_array_foreach (items, i, it) {
			bool mine = !event_id || strcmp(sget(it, "id"), event_id) == 0;
			used |= mine && sget(it, "timezone") &&
			        strcmp(sget(it, "timezone"), tz_zones[z].name) == 0;
		}
		if (used)
			tz_vtimezone(&tz_zones[z], out);
	}
	json_array_foreach (items, i, it)
		if (!event_id || strcmp(sget(it, "id"), event_id) == 0)
			ics_event(f, it, out);
	feeds_ics_line(out, "END", "VCALENDAR");
	return 200;
}
