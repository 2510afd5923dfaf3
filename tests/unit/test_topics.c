/* Unit tests for src/app/topics.c's form reading: slug and section for a new topic only, titles needed
 * in both languages, the position a whole number 0-999 kept as typed when it is not. */
#include "app/topics.h"

#include "test.h"

static struct form form_of(struct arena *a, const char *body)
{
	struct form f;
	CHECK(form_parse(a, body, strlen(body), &f) == 0);
	return f;
}

static void test_parse(void)
{
	struct arena *a = arena_new();
	struct form f =
	    form_of(a, "slug=peer-support&section=social-connection&title_en=Peer+support&title_es="
	               "Apoyo+entre+pares&summary_en=Others&summary_es=&position=07");
	struct topic_form tf = {0};
	struct console_errors e = {0};
	topics_parse(a, &f, true, &tf, &e);
	CHECK(e.n == 0);
	CHECK_STR(tf.t.slug, "peer-support");
	CHECK_STR(tf.t.section, "social-connection");
	CHECK_STR(tf.t.title[1], "Apoyo entre pares");
	CHECK_STR(tf.t.summary[0], "Others");
	CHECK_STR(tf.t.summary[1], "");
	CHECK(tf.t.position == 7);
	/* Editing: slug and section stay as they were, whatever the form says. */
	struct topic_form ed = {.t = {.slug = "grief", .section = "grief-trauma"}};
	e.n = 0;
	topics_parse(a, &f, false, &ed, &e);
	CHECK(e.n == 0);
	CHECK_STR(ed.t.slug, "grief");
	CHECK_STR(ed.t.section, "grief-trauma");
	arena_free(a);
}

static void test_refused(void)
{
	struct arena *a = arena_new();
	struct form f = form_of(a, "slug=Peer+Support&section=kitchen&title_en=&title_es=T&position=first");
	struct topic_form tf = {0};
	struct console_errors e = {0};
	topics_parse(a, &f, true, &tf, &e);
	CHECK_STR(console_error_of(&e, "slug"), "err_slug");
	CHECK_STR(console_error_of(&e, "section"), "err_section");
	CHECK_STR(console_error_of(&e, "title_en"), "err_required");
	CHECK(console_error_of(&e, "title_es") == NULL);
	CHECK_STR(console_error_of(&e, "position"), "err_position");
	CHECK_STR(tf.position, "first"); /* shown again as typed */
	CHECK_STR(tf.t.slug, "Peer Support");
	static const struct {
		const char *pos, *err;
	} cases[] = {{"", "err_required"},
	             {"1000", "err_position"},
	             {"-1", "err_position"},
	             {"0", NULL},
	             {"999", NULL}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct form g =
		    form_of(a, arena_printf(a, "title_en=a&title_es=b&position=%s", cases[i].pos));
		struct topic_form t = {.t = {.slug = "x", .section = "grief-trauma"}};
		struct console_errors ge = {0};
		topics_parse(a, &g, false, &t, &ge);
		const char *got = console_error_of(&ge, "position");
		CHECK(cases[i].err ? got && strcmp(got, cases[i].err) == 0 : got == NULL);
	}
	arena_free(a);
}

static const struct test_case tests[] = {
    {"parse", test_parse},
    {"refused", test_refused},
};
TEST_MAIN(tests)
