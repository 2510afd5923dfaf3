/* Unit tests for the community data model: time zones (base/tz.c), opening hours (model/hours.c),
 * the block field tables and form checks (model/block.c: bad dates, hours, an end before a start,
 * unknown languages, oversize text, broken Markdown, phone numbers; nothing applied when one field
 * is wrong; stable ids), and community storage with draft and published state (model/community.c). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/tz.h"
#include "db/db.h"
#include "model/block.h"
#include "model/community.h"
#include "model/hours.h"
#include "test.h"
#include "view/i18n.h"

static void test_tz(void)
{
	const struct tz_zone *la = tz_find("America/Los_Angeles"), *phx = tz_find("America/Phoenix");
	CHECK(la && phx && !tz_find("Mars/Olympus"));
	int off;
	CHECK(tz_offset(la, "2026-12-05T18:00", &off) == 0 && off == -480);
	CHECK(tz_offset(la, "2026-07-04T18:00", &off) == 0 && off == -420);
	/* 2026: daylight time from March 8 02:00 to November 1 02:00. */
	CHECK(tz_offset(la, "2026-03-08T01:59", &off) == 0 && off == -480);
	CHECK(tz_offset(la, "2026-03-08T03:00", &off) == 0 && off == -420);
	CHECK(tz_offset(la, "2026-11-01T02:00", &off) == 0 && off == -480);
	CHECK(tz_offset(phx, "2026-07-04T18:00", &off) == 0 && off == -420);
	int64_t t;
	CHECK(tz_utc(la, "2026-12-05T18:00", &t) == 0 && t == 1796522400); /* 2026-12-06T02:00:00Z */
	CHECK(tz_utc(la, "2026-02-30T18:00", &t) == -1);
	CHECK(!tz_local_valid(str_c("2026-12-05 18:00")) && !tz_local_valid(str_c("2026-12-05T24:00")));
	char local[17];
	CHECK(tz_local(la, 1796522400, local) == -480 && strcmp(local, "2026-12-05T18:00") == 0);
	CHECK(tz_local(la, 1783213200, local) == -420 && strcmp(local, "2026-07-04T18:00") == 0);
	struct buf b = BUF_INIT;
	tz_vtimezone(la, &b);
	CHECK(CONTAINS(b.p, "TZID:America/Los_Angeles\r\n") && CONTAINS(b.p, "TZOFFSETTO:-0800\r\n") &&
	      CONTAINS(b.p, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n") &&
	      CONTAINS(b.p, "END:VTIMEZONE\r\n"));
	buf_free(&b);
}

static const char *canon_hours(const char *in, const char **err)
{
	static char out[256];
	struct hours_span s[HOURS_MAX];
	size_t n;
	*err = NULL;
	if (hours_parse(in, s, &n, err) < 0)
		return NULL;
	struct buf b = BUF_INIT;
	hours_format(s, n, &b);
	snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static void test_hours(void)
{
	const char *err;
	CHECK_STR(canon_hours("Mon-Fri 9:00-17:00; sat 10am - 2pm", &err),
	          "Mon-Fri 09:00-17:00; Sat 10:00-14:00");
	CHECK_STR(canon_hours("daily 08:00 to 20:00", &err), "Mon-Sun 08:00-20:00");
	CHECK_STR(canon_hours("Mon, Wed, Fri 09:00-12:00\nSun 13:00-15:00", &err),
	          "Mon, Wed, Fri 09:00-12:00; Sun 13:00-15:00");
	CHECK_STR(canon_hours("", &err), "");
	CHECK(!canon_hours("Mon-Fri 17:00-09:00", &err) && strcmp(err, "err_hours_order") == 0);
	CHECK(!canon_hours("Someday 09:00-10:00", &err) && strcmp(err, "err_hours_day") == 0);
	CHECK(!canon_hours("Mon 25:00-26:00", &err) && strcmp(err, "err_hours_time") == 0);
	CHECK(!canon_hours("Mon 9-5 and more", &err) && err);
	struct hours_exception ex[HOURS_MAX];
	size_t n;
	CHECK(hours_exceptions_parse("2026-12-25 closed Christmas Day\n2026-12-24 09:00-12:00", ex, &n,
	                             &err) == 0 &&
	      n == 2 && ex[0].closed && strcmp(ex[0].note, "Christmas Day") == 0 && ex[1].closes == 720);
	CHECK(hours_exceptions_parse("2026-02-30 closed", ex, &n, &err) == -1 &&
	      strcmp(err, "err_hours_date") == 0);
	CHECK(hours_exceptions_parse("2026-12-24 12:00-09:00", ex, &n, &err) == -1 &&
	      strcmp(err, "err_hours_order") == 0);
}

/* A form from "name=value" pairs. */
struct fake_form {
	const char *const *kv;
};

static const char *fake_get(void *ctx, const char *name)
{
	const struct fake_form *f = ctx;
	for (size_t i = 0; f->kv[i]; i += 2)
		if (strcmp(f->kv[i], name) == 0)
			return f->kv[i + 1];
	return NULL;
}

static int apply(const char *kind, json_t *block, const char *lang, const char *target, const char *const *kv,
                 struct block_errors *errs, char *id)
{
	struct fake_form f = {kv};
	struct block_input in = {fake_get, &f};
	struct block_edit ed = {lang, target, "2026-12-02T10:00:00Z", NULL};
	return block_apply(block_kind(kind), block, &ed, &in, errs, id);
}

static bool has_error(const struct block_errors *e, const char *field, const char *key)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->e[i].field, field) == 0 && strcmp(e->e[i].key, key) == 0)
			return true;
	return false;
}

static void test_block_checks(void)
{
	const struct block_kind *ev = block_kind("events");
	json_t *b = block_new(ev);
	struct block_errors errs;
	char id[37];
	const char *good[] = {"kind",     "vigil",
	                      "title",    "Candlelight vigil",
	                      "start",    "2026-12-05T18:00",
	                      "end",      "2026-12-05T19:30",
	                      "timezone", "America/Los_Angeles",
	                      "place",    "City Hall steps",
	                      NULL};
	CHECK(apply("events", b, "en", "new", good, &errs, id) == 0 && errs.n == 0);
	CHECK(strlen(id) == 36 && id[14] == '4');
	json_t *it = block_item(b, id);
	CHECK(it && strcmp(json_string_value(json_object_get(it, "start")), "2026-12-05T18:00") == 0);
	CHECK_STR(
	    json_string_value(json_object_get(json_object_get(json_object_get(it, "text"), "en"), "title")),
	    "Candlelight vigil");
	char *before = community_json_text(b);
	const char *bad[] = {"kind",        "party",
	                     "title",       "",
	                     "start",       "2026-13-05T18:00",
	                     "end",         "2026-12-05T17:00",
	                     "timezone",    "Mars/Base",
	                     "place",       "x",
	                     "description", "<script>alert(1)</script>",
	                     NULL};
	CHECK(apply("events", b, "en", id, bad, &errs, NULL) == -1);
	CHECK(has_error(&errs, "kind", "err_choice") && has_error(&errs, "title", "err_required") &&
	      has_error(&errs, "start", "err_datetime") && has_error(&errs, "timezone", "err_timezone") &&
	      has_error(&errs, "description", "err_md_html"));
	char *after = community_json_text(b);
	CHECK(strcmp(before, after) == 0); /* nothing applied half-way */
	free(after);
	const char *backwards[] = {"kind",     "vigil",
	                           "title",    "Vigil",
	                           "start",    "2026-12-05T18:00",
	                           "end",      "2026-12-05T17:00",
	                           "timezone", "America/Los_Angeles",
	                           "place",    "x",
	                           NULL};
	CHECK(apply("events", b, "en", id, backwards, &errs, NULL) == -1 &&
	      has_error(&errs, "end", "err_end_before_start"));
	/* Spanish text added to the same item keeps its id and the English text. */
	const char *es[] = {"kind",     "vigil",
	                    "title",    "Vigilia",
	                    "start",    "2026-12-05T18:00",
	                    "timezone", "America/Los_Angeles",
	                    "place",    "Escalones del ayuntamiento",
	                    NULL};
	CHECK(block_missing(ev, b, "es"));
	CHECK(apply("events", b, "es", id, es, &errs, NULL) == 0);
	CHECK(!block_missing(ev, b, "es") && block_item(b, id) == it);
	json_t *view = block_view(ev, it, "zh");
	CHECK(json_is_true(json_object_get(view, "fallback")) &&
	      strcmp(json_string_value(json_object_get(view, "text_lang")), "en") == 0 &&
	      strcmp(json_string_value(json_object_get(view, "title")), "Candlelight vigil") == 0);
	json_decref(view);
	free(before);
	json_decref(b);

	json_t *loc = block_new(block_kind("locations"));
	char big[1300];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	const char *l[] = {"name",
	                   "Family Assistance Center",
	                   "street",
	                   "1 Main St",
	                   "city",
	                   "Springfield",
	                   "state",
	                   "IL",
	                   "postal",
	                   "62701",
	                   "phone",
	                   "call me",
	                   "walkin_hours",
	                   "Mon-Fri 17:00-09:00",
	                   "languages",
	                   "en, xx",
	                   "what_to_bring",
	                   big,
	                   "appointment_url",
	                   "javascript:alert(1)",
	                   NULL};
	CHECK(apply("locations", loc, "en", "new", l, &errs, id) == -1);
	CHECK(has_error(&errs, "phone", "err_phone") && has_error(&errs, "walkin_hours", "err_hours_order") &&
	      has_error(&errs, "languages", "err_lang_unknown") &&
	      has_error(&errs, "what_to_bring", "err_too_long") &&
	      has_error(&errs, "appointment_url", "err_url"));
	CHECK(json_array_size(json_object_get(loc, "items")) == 0);
	const char *ok[] = {"name",
	                    "Family Assistance Center",
	                    "street",
	                    "1 Main St",
	                    "city",
	                    "Springfield",
	                    "state",
	                    "IL",
	                    "postal",
	                    "62701",
	                    "phone",
	                    "(217) 555-0100",
	                    "walkin_hours",
	                    "mon-fri 9-17",
	                    "languages",
	                    "EN, es, vi",
	                    "wheelchair",
	                    "on",
	                    NULL};
	CHECK(apply("locations", loc, "en", "new", ok, &errs, id) == 0);
	it = block_item(loc, id);
	CHECK_STR(json_string_value(json_object_get(it, "walkin_hours")), "Mon-Fri 09:00-17:00");
	CHECK_STR(json_string_value(json_object_get(it, "languages")), "en, es, vi");
	CHECK(json_is_true(json_object_get(it, "wheelchair")) && json_is_false(json_object_get(it, "asl")));
	/* What changed: the hours of a location are named as such. */
	json_t *old = json_deep_copy(loc);
	const char *later[] = {"name",
	                       "Family Assistance Center",
	                       "street",
	                       "1 Main St",
	                       "city",
	                       "Springfield",
	                       "state",
	                       "IL",
	                       "postal",
	                       "62701",
	                       "walkin_hours",
	                       "Mon-Sat 08:00-18:00",
	                       NULL};
	CHECK(apply("locations", loc, "en", id, later, &errs, NULL) == 0);
	json_t *ch = block_changes(block_kind("locations"), old, loc);
	CHECK(json_array_size(ch) == 1 &&
	      strcmp(json_string_value(json_object_get(json_array_get(ch, 0), "what")), "locations_hours") ==
	          0);
	json_decref(ch);
	CHECK(block_remove(loc, id) == 0 && block_remove(loc, id) == -1);
	ch = block_changes(block_kind("locations"), old, loc);
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(ch, 0), "what")),
	             "locations_removed") == 0);
	json_decref(ch);
	json_decref(old);
	json_decref(loc);
}

static void test_phone_md(void)
{
	CHECK(block_phone_valid("988") && block_phone_valid("(217) 555-0100") &&
	      block_phone_valid("+1 217 555 0100") && block_phone_valid("217-555-0100 ext. 12") &&
	      block_phone_valid("217.555.0100 x3"));
	CHECK(!block_phone_valid("call me") && !block_phone_valid("12345") &&
	      !block_phone_valid("555-0100 ext") && !block_phone_valid("1+2175550100") &&
	      !block_phone_valid(""));
	char tel[32];
	block_phone_tel("(217) 555-0100 x3", tel, sizeof(tel));
	CHECK_STR(tel, "+12175550100");
	block_phone_tel("988", tel, sizeof(tel));
	CHECK_STR(tel, "988");
	json_t *b = block_new(block_kind("faq"));
	struct block_errors errs;
	const char *unclosed[] = {"question", "Where?", "answer", "See [the center](https://example.org",
	                          NULL};
	CHECK(apply("faq", b, "en", "new", unclosed, &errs, NULL) == -1 &&
	      has_error(&errs, "answer", "err_md_unclosed"));
	const char *js[] = {"question", "Where?", "answer", "[x](javascript:alert(1))", NULL};
	CHECK(apply("faq", b, "en", "new", js, &errs, NULL) == -1 &&
	      has_error(&errs, "answer", "err_md_link"));
	const char *img[] = {"question", "Where?", "answer", "![x](https://tracker.example/p.png)", NULL};
	CHECK(apply("faq", b, "en", "new", img, &errs, NULL) == -1 &&
	      has_error(&errs, "answer", "err_md_image"));
	const char *ctl[] = {"question", "Where\x01?", "answer", "Here", NULL};
	CHECK(apply("faq", b, "en", "new", ctl, &errs, NULL) == -1 &&
	      has_error(&errs, "question", "err_control"));
	json_decref(b);
	char a[37], c[37], d[37];
	block_uuid_derive("ns", "phone", a);
	block_uuid_derive("ns", "phone", c);
	block_uuid_derive("ns", "location", d);
	CHECK(strcmp(a, c) == 0 && strcmp(a, d) != 0 && a[14] == '8');
}

static char dbdir[64], dbpath[128];

static void test_community_store(void)
{
	snprintf(dbdir, sizeof(dbdir), "/tmp/vrc-test-block-XXXXXX");
	char err[256];
	struct db *db = mkdtemp(dbdir) ? (snprintf(dbpath, sizeof(dbpath), "%s/vrc.db", dbdir),
	                                  db_open(dbpath, err, sizeof(err)))
	                               : NULL;
	CHECK(db && db_migrate(db) >= 0);
	if (!db)
		return;
	char langs[64];
	CHECK(community_langs_valid("es, en", langs, sizeof(langs)) && strcmp(langs, "en,es") == 0);
	CHECK(!community_langs_valid("es", langs, sizeof(langs)));       /* English is the fallback */
	CHECK(!community_langs_valid("en,xx", langs, sizeof(langs)));    /* no catalogue */
	CHECK(!community_langs_valid("en,es,es", langs, sizeof(langs))); /* twice */
	struct community c = {.slug = "springfield",
	                      .name = "Springfield",
	                      .place = "Springfield, IL",
	                      .incident_date = "2026-11-28",
	                      .languages = "en,es",
	                      .timezone = "America/Chicago"};
	int64_t id = community_create(db, &c, NULL, true, 0, "cli");
	CHECK(id > 0);
	CHECK(community_create(db, &c, NULL, true, 0, "cli") == -2); /* duplicate slug */
	struct arena *a = arena_new();
	struct community *got = community_get(db, a, "springfield");
	CHECK(got && got->nlangs == 2 && strcmp(got->langs[1], "es") == 0 &&
	      strcmp(got->status, "active") == 0);
	struct community_block blk;
	CHECK(community_block(db, a, id, "updates", &blk) == 0 && !blk.pending && blk.published);
	struct block_errors errs;
	const char *kv[] = {"date", "2026-12-02",           "title", "Center open late",
	                    "body", "Open until **9 pm**.", NULL};
	CHECK(apply("updates", blk.draft, "en", "new", kv, &errs, NULL) == 0);
	CHECK(community_block_save(db, id, "updates", blk.draft, 0) == 0);
	struct community_block again;
	CHECK(community_block(db, a, id, "updates", &again) == 0 && again.pending &&
	      json_array_size(json_object_get(again.published, "items")) == 0);
	json_t *audit = NULL;
	CHECK(community_publish(db, id, NULL, 0, "cli", &audit) == 1);
	CHECK(json_object_get(audit, "updates") && json_object_size(audit) == 1);
	json_decref(audit);
	CHECK(community_block(db, a, id, "updates", &again) == 0 && !again.pending &&
	      json_array_size(json_object_get(again.published, "items")) == 1);
	struct community_revision *revs;
	size_t n = community_revisions(db, a, id, 10, &revs);
	CHECK(n >= 1 && strcmp(revs[0].kind, "updates") == 0 &&
	      strcmp(json_string_value(json_object_get(json_array_get(revs[0].changes, 0), "what")),
	             "updates_added") == 0);
	CHECK(community_publish(db, id, NULL, 0, "cli", NULL) == 0); /* nothing pending */
	CHECK(community_set_status(db, id, "archived") == 0);
	struct community *list;
	CHECK(community_list(db, a, "active", &list) == 0 && community_list(db, a, NULL, &list) == 1);
	arena_free(a);
	db_close(db);
	char p[160];
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	rmdir(dbdir);
}

static void setup(void)
{
	log_set_level(LOG_ERROR + 1);
	CHECK(i18n_init() == 0);
}

static void cleanup(void)
{
	i18n_free();
}

static const struct test_case tests[] = {
    {"setup", setup},
    {"time zones", test_tz},
    {"hours", test_hours},
    {"block checks", test_block_checks},
    {"phones and markdown", test_phone_md},
    {"community store", test_community_store},
    {"cleanup", cleanup},
};
TEST_MAIN(tests)
