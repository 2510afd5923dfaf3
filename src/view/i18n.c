/* Catalogues are loaded once at start-up and read-only afterwards, so lookups need no lock. */
#include "view/i18n.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/util.h"

static struct {
	char *code;
	json_t *cat;
} cats[I18N_MAX_LANGS];
static size_t ncats;
static const char *codes[I18N_MAX_LANGS];

/* A language code as a file name gives it: 2-3 lower-case letters. */
static bool code_ok(const char *s, size_t n)
{
	if (n < 2 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

/* dst gets every key of src, recursively into groups ("admin"). */
static void overlay(json_t *dst, json_t *src)
{
	const char *key;
	json_t *v;
	json_object_foreach (src, key, v) {
		json_t *d = json_object_get(dst, key);
		if (json_is_object(v) && json_is_object(d))
			overlay(d, v);
		else
			json_object_set(dst, key, v);
	}
}

/* Add or replace the catalogue of code (consumes cat). English is kept whole; others are read over
 * a copy of it. */
static int add(const char *code, json_t *cat, const char *from)
{
	if (!json_is_object(cat)) {
		log_error("i18n: %s is not a JSON object", from);
		json_decref(cat);
		return -1;
	}
	size_t i = 0;
	while (i < ncats && strcmp(cats[i].code, code) != 0)
		i++;
	if (i == I18N_MAX_LANGS) {
		log_error("i18n: %s: more than %d languages", from, I18N_MAX_LANGS);
		json_decref(cat);
		return -1;
	}
	if (strcmp(code, "en") != 0 && ncats && strcmp(cats[0].code, "en") == 0) {
		json_t *full = json_deep_copy(cats[0].cat);
		overlay(full, cat);
		json_decref(cat);
		cat = full;
	}
	if (i == ncats) {
		cats[ncats].code = xstrdup(code);
		codes[ncats++] = cats[i].code;
	} else {
		json_decref(cats[i].cat);
	}
	cats[i].cat = cat;
	return 0;
}

static json_t *load(const char *data, size_t len, const char *name)
{
	json_error_t e;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		log_error("i18n: %s: %s", name, e.text);
	return j;
}

int i18n_init(void)
{
	/* English first: the others are read over it. */
	const struct embed_file *en = embed_find("i18n/en.json");
	if (!en) {
		log_error("i18n: i18n/en.json: missing");
		return -1;
	}
	json_t *j = load((const char *)en->data, en->len, en->name);
	if (!j || add("en", j, en->name) < 0)
		return -1;
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		size_t n = strlen(f->name);
		if (strncmp(f->name, "i18n/", 5) != 0 || n < 10 || strcmp(f->name + n - 5, ".json") != 0 ||
		    !code_ok(f->name + 5, n - 10) || f == en)
			continue;
		char code[4];
		snprintf(code, sizeof(code), "%.*s", (int)(n - 10), f->name + 5);
		if (!(j = load((const char *)f->data, f->len, f->name)) || add(code, j, f->name) < 0)
			return -1;
	}
	if (!i18n_lang_valid("es")) {
		log_error("i18n: i18n/es.json: missing");
		return -1;
	}
	return 0;
}

int i18n_load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		log_error("i18n: cannot open %s", dir);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 7 || strcmp(e->d_name + n - 5, ".json") != 0 || !code_ok(e->d_name, n - 5))
			continue;
		char path[4096], code[4];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(code, sizeof(code), "%.*s", (int)(n - 5), e->d_name);
		size_t len;
		char *data = file_read(path, &len);
		json_t *j = data ? load(data, len, path) : NULL;
		free(data);
		rc = j ? add(code, j, path) : -1;
		if (rc == 0)
			log_info("i18n: %s loaded", path);
	}
	closedir(d);
	return rc;
}

void i18n_free(void)
{
	for (size_t i = 0; i < ncats; i++) {
		json_decref(cats[i].cat);
		free(cats[i].code);
		cats[i].cat = NULL;
		cats[i].code = NULL;
		codes[i] = NULL;
	}
	ncats = 0;
}

const char *i18n_lang_canonical(const char *lang)
{
	for (size_t i = 0; lang && i < ncats; i++)
		if (strcmp(cats[i].code, lang) == 0)
			return cats[i].code;
	return NULL;
}

bool i18n_lang_valid(const char *lang)
{
	return i18n_lang_canonical(lang) != NULL;
}

const char *const *i18n_langs(size_t *n)
{
	*n = ncats;
	return codes;
}

json_t *i18n_catalog(const char *lang)
{
	for (size_t i = 0; lang && i < ncats; i++)
		if (strcmp(cats[i].code, lang) == 0)
			return cats[i].cat;
	return ncats ? cats[0].cat : NULL;
}

const char *i18n_get(const char *lang, const char *key)
{
	const char *v = json_string_value(json_object_get(i18n_catalog(lang), key));
	return v ? v : key;
}
