/* Unit tests for the UI-string catalogues (i18n/<lang>.json, built into the binary, read by
 * src/view/i18n.c): every catalogue has exactly English's keys, each a non-empty string, so no page
 * shows a raw key or a blank where a label should be. A catalogue added later is checked the same
 * way without changing this file. */
#include <jansson.h>
#include <string.h>

#include "base/embed.h"
#include "base/str.h"
#include "test.h"
#include "view/i18n.h"

/* Set while the comparison is tested on made-up catalogues, whose gaps are expected. */
static bool quiet;

/* Keys of a that are not in b, each printed as "<what> KEY". Returns how many. */
static int keys_missing(json_t *a, json_t *b, const char *what)
{
	int n = 0;
	const char *key;
	json_t *v;
	json_object_foreach (a, key, v) {
		json_t *w = json_object_get(b, key);
		if (!w) {
			if (!quiet)
				fprintf(stderr, "  %s %s\n", what, key);
			n++;
		} else if (json_is_object(v) && json_is_object(w)) {
			/* A group of strings ("admin": {...}) is compared key by key too. */
			n += keys_missing(v, w, what);
		}
	}
	return n;
}

/* Values that are not strings or are blank, each printed. Returns how many. */
static int values_blank(json_t *cat, const char *name)
{
	int n = 0;
	const char *key;
	json_t *v;
	json_object_foreach (cat, key, v) {
		if (json_is_object(v)) {
			n += values_blank(v, name);
			continue;
		}
		const char *s = json_string_value(v);
		if (!s || str_trim(str_c(s)).len == 0) {
			if (!quiet)
				fprintf(stderr, "  %s: %s is %s\n", name, key, s ? "blank" : "not a string");
			n++;
		}
	}
	return n;
}

/* Keys of en missing from cat plus keys of cat that en lacks. */
static int key_mismatches(json_t *en, json_t *cat, const char *name)
{
	char what[96];
	snprintf(what, sizeof what, "%s lacks", name);
	int n = keys_missing(en, cat, what);
	snprintf(what, sizeof what, "%s has, en lacks:", name);
	return n + keys_missing(cat, en, what);
}

static json_t *load(const struct embed_file *f)
{
	json_error_t e;
	json_t *j = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		fprintf(stderr, "  %s:%d: %s\n", f->name, e.line, e.text);
	return j;
}

static bool is_catalogue(const struct embed_file *f)
{
	size_t n = strlen(f->name);
	return n > 10 && strncmp(f->name, "i18n/", 5) == 0 && strcmp(f->name + n - 5, ".json") == 0;
}

/* The comparison itself finds what it is meant to: a missing key, an extra key, a blank value. */
static void test_compare(void)
{
	json_t *en = json_pack("{s:s, s:s}", "call", "Call", "text", "Text");
	json_t *same = json_pack("{s:s, s:s}", "text", "Texto", "call", "Llame");
	json_t *gaps = json_pack("{s:s, s:s}", "call", " ", "chat", "Chat");
	json_t *odd = json_pack("{s:i, s:s}", "call", 1, "text", "Texto");
	quiet = true;
	CHECK(key_mismatches(en, same, "same") == 0 && values_blank(same, "same") == 0);
	CHECK(key_mismatches(en, gaps, "gaps") == 2);
	CHECK(values_blank(gaps, "gaps") == 1);
	CHECK(values_blank(odd, "odd") == 1);
	quiet = false;
	json_decref(en);
	json_decref(same);
	json_decref(gaps);
	json_decref(odd);
}

static void test_catalogues(void)
{
	const struct embed_file *en_file = embed_find("i18n/en.json");
	CHECK(en_file != NULL && embed_find("i18n/es.json") != NULL);
	json_t *en = en_file ? load(en_file) : NULL;
	CHECK(json_is_object(en) && json_object_size(en) > 0);
	if (!json_is_object(en))
		return;
	int others = 0;
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (!is_catalogue(f))
			continue;
		json_t *cat = load(f);
		CHECK(json_is_object(cat));
		if (!json_is_object(cat))
			continue;
		CHECK(values_blank(cat, f->name) == 0);
		if (f != en_file) {
			CHECK(key_mismatches(en, cat, f->name) == 0);
			others++;
		}
		json_decref(cat);
	}
	CHECK(others >= 1); /* es at least */
	json_decref(en);
}

/* What the site reads: i18n_init loads both, and a key of en is found in es, not echoed back. */
static void test_lookup(void)
{
	CHECK(i18n_init() == 0);
	CHECK(strcmp(i18n_get("es", "site_name"), "site_name") != 0);
	CHECK(strcmp(i18n_get("es", "site_name"), i18n_get("en", "site_name")) != 0);
	CHECK_STR(i18n_get("es", "no_such_key"), "no_such_key");
	i18n_free();
}

static const struct test_case tests[] = {
    {"compare", test_compare},
    {"catalogues", test_catalogues},
    {"lookup", test_lookup},
};

TEST_MAIN(tests)
