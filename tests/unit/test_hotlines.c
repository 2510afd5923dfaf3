/* Unit tests for src/app/hotlines.c's form reading: every field read and checked, errors by field name,
 * contacts as rows (empty rows skipped, errors by the row's place among the contacts), what was typed
 * kept whatever its errors. */
#include "app/hotlines.h"

#include "base/buf.h"

#include "test.h"

static struct form form_of(struct arena *a, const char *body)
{
	struct form f;
	int rc = form_parse(a, body, strlen(body), &f);
	CHECK(rc == 0);
	return f;
}

static const char *const GOOD =
    "csrf=t&name_en=Town+line&name_es=L%C3%ADnea+local&for_en=Anyone&for_es=&hours_en=24%2F7&hours_es="
    "Siempre&kind_0=call&value_0=1-800-555-0100&clang_0=&kind_1=text&value_1=741741+AYUDA&clang_1=es"
    "&kind_2=&value_2=&clang_2=&kind_3=chat&value_3=https%3A%2F%2Fexample.org%2Fchat&clang_3=en"
    "&language_en=1&language_es=1&panel=1&verified=2026-11-30&source=https%3A%2F%2Fexample.org%2F";

static void test_good(void)
{
	struct arena *a = arena_new();
	struct form f = form_of(a, GOOD);
	struct hotline_all h = {.slug = "town-line", .position = 3};
	struct console_errors e = {0};
	hotlines_parse(a, &f, false, "2026-12-01", &h, &e);
	CHECK(e.n == 0);
	CHECK_STR(h.slug, "town-line"); /* kept: not read from the form when editing */
	CHECK(h.position == 3);
	CHECK_STR(h.name[0], "Town line");
	CHECK_STR(h.name[1], "Línea local");
	CHECK_STR(h.audience[0], "Anyone");
	CHECK_STR(h.audience[1], "");
	CHECK_STR(h.hours[1], "Siempre");
	CHECK(h.ncontacts == 3); /* the empty row is not a contact */
	CHECK_STR(h.contacts[1].value, "741741 AYUDA");
	CHECK_STR(h.contacts[1].lang, "es");
	CHECK(h.contacts[0].lang == NULL);
	CHECK_STR(h.contacts[2].kind, "chat");
	CHECK_STR(h.languages, "en,es");
	CHECK(h.panel && !h.featured);
	CHECK_STR(h.verified, "2026-11-30");
	CHECK_STR(h.source, "https://example.org/");
	arena_free(a);
}

static void test_new(void)
{
	struct arena *a = arena_new();
	static const struct {
		const char *slug, *err;
	} cases[] = {
	    {"slug=town-line&", NULL}, {"slug=Town+Line&", "err_slug"},
	    {"slug=new&", "err_slug"}, {"slug=&", "err_required"},
	    {"", "err_required"},      {"slug=a--b&", "err_slug"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct form f = form_of(a, arena_printf(a, "%s%s", cases[i].slug, GOOD));
		struct hotline_all h = {.position = -1};
		struct console_errors e = {0};
		hotlines_parse(a, &f, true, "2026-12-01", &h, &e);
		const char *got = console_error_of(&e, "slug");
		CHECK(cases[i].err ? got && strcmp(got, cases[i].err) == 0 : got == NULL);
		CHECK(e.n == (cases[i].err ? 1u : 0u));
	}
	arena_free(a);
}

static void test_refused(void)
{
	struct arena *a = arena_new();
	const char *body = "name_en=Line&name_es=&kind_0=chat&value_0=http%3A%2F%2Fx.org&kind_1=&value_1=555"
	                   "&kind_2=call&value_2=call+us&kind_3=text&value_3=741741&clang_3=fr"
	                   "&kind_4=fax&value_4=555&verified=2026-12-02&source=http%3A%2F%2Fexample.org";
	struct form f = form_of(a, body);
	struct hotline_all h = {.slug = "x", .position = 0};
	struct console_errors e = {0};
	hotlines_parse(a, &f, false, "2026-12-01", &h, &e);
	CHECK_STR(console_error_of(&e, "name_es"), "err_required");
	CHECK(console_error_of(&e, "name_en") == NULL);
	CHECK_STR(console_error_of(&e, "contact_0"), "err_contact_chat");
	CHECK_STR(console_error_of(&e, "contact_1"), "err_contact_kind");
	CHECK_STR(console_error_of(&e, "contact_2"), "err_contact_number");
	CHECK_STR(console_error_of(&e, "contact_3"), "err_contact_lang");
	CHECK_STR(console_error_of(&e, "contact_4"), "err_contact_kind");
	CHECK_STR(console_error_of(&e, "languages"), "err_languages");
	CHECK_STR(console_error_of(&e, "verified"), "err_date_future");
	CHECK_STR(console_error_of(&e, "source"), "err_https");
	/* Everything typed is still there to show again. */
	CHECK(h.ncontacts == 5);
	CHECK_STR(h.contacts[0].value, "http://x.org");
	CHECK_STR(h.contacts[2].value, "call us");
	CHECK_STR(h.contacts[3].lang, "fr");
	CHECK_STR(h.contacts[4].kind, "fax");
	CHECK_STR(h.verified, "2026-12-02");
	CHECK_STR(h.source, "http://example.org");
	/* Dates: not a date, not a real day, missing. */
	static const struct {
		const char *v, *err;
	} dates[] = {{"2026-02-30", "err_date"},
	             {"30/11/2026", "err_date"},
	             {"", "err_required"},
	             {"2026-12-01", NULL},
	             {"1999-01-01", NULL}};
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct form g = form_of(a, arena_printf(a, "%s&verified=%s", GOOD, dates[i].v));
		struct hotline_all k = {.slug = "x"};
		struct console_errors ke = {0};
		/* The later "verified" is ignored by form_get (the first wins), so drop GOOD's by renaming.
		 */
		for (size_t j = 0; j < g.n; j++)
			if (strcmp(g.fields[j].name, "verified") == 0) {
				g.fields[j].name = "ignored";
				break;
			}
		hotlines_parse(a, &g, false, "2026-12-01", &k, &ke);
		const char *got = console_error_of(&ke, "verified");
		CHECK(dates[i].err ? got && strcmp(got, dates[i].err) == 0 : got == NULL);
	}
	/* No contact at all; too long a name; a number with letters in it. */
	struct form g =
	    form_of(a, "name_en=a&name_es=b&kind_0=call&value_0=&language_en=1&verified=2026-01-01"
	               "&source=https%3A%2F%2Fx.org");
	struct hotline_all k = {.slug = "x"};
	struct console_errors ke = {0};
	hotlines_parse(a, &g, false, "2026-12-01", &k, &ke);
	CHECK_STR(console_error_of(&ke, "contacts"), "err_contacts_none");
	CHECK(ke.n == 1);
	char longname[260];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	g = form_of(a, arena_printf(a, "name_en=%s&%s", longname, GOOD));
	ke.n = 0;
	hotlines_parse(a, &g, false, "2026-12-01", &k, &ke);
	CHECK_STR(console_error_of(&ke, "name_en"), "err_too_long");
	arena_free(a);
}

/* A full form (every row of contacts) fits in what form_parse accepts. */
static void test_capacity(void)
{
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	buf_puts(&b, "csrf=t&slug=s&name_en=a&name_es=b&for_en=&for_es=&hours_en=&hours_es=&language_en=1"
	             "&language_es=1&featured=1&panel=1&verified=2026-01-01&source=https%3A%2F%2Fx.org");
	for (int i = 0; i < HOTLINES_MAX_CONTACTS; i++)
		buf_printf(&b, "&kind_%d=call&value_%d=55%d&clang_%d=", i, i, i, i);
	struct form f;
	CHECK(form_parse(a, b.p, b.len, &f) == 0);
	struct hotline_all h = {.position = -1};
	struct console_errors e = {0};
	hotlines_parse(a, &f, true, "2026-12-01", &h, &e);
	CHECK(e.n == 0);
	CHECK(h.ncontacts == HOTLINES_MAX_CONTACTS);
	buf_free(&b);
	arena_free(a);
}

static const struct test_case tests[] = {
    {"good", test_good},
    {"new", test_new},
    {"refused", test_refused},
    {"capacity", test_capacity},
};
TEST_MAIN(tests)
