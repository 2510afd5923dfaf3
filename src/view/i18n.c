/* Catalogues are loaded once at start-up and read-only afterwards, so lookups need no lock. */
#include "view/i18n.h"

#include <string.h>

#include "base/embed.h"
#include "base/log.h"

static json_t *catalogs[2];
static const char *const langs[2] = {"en", "es"};

int i18n_init(void)
{
	for (int i = 0; i < 2; i++) {
		char name[32];
		snprintf(name, sizeof(name), "i18n/%s.json", langs[i]);
		const struct embed_file *f = embed_find(name);
		json_error_t e;
		catalogs[i] =
		    f ? json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &e) : NULL;
		if (!catalogs[i]) {
			log_error("i18n: %s: %s", name, f ? e.text : "missing");
			return -1;
		}
	}
	return 0;
}

void i18n_free(void)
{
	for (int i = 0; i < 2; i++) {
		json_decref(catalogs[i]);
		catalogs[i] = NULL;
	}
}

bool i18n_lang_valid(const char *lang)
{
	return lang && (strcmp(lang, "en") == 0 || strcmp(lang, "es") == 0);
}

json_t *i18n_catalog(const char *lang)
{
	return catalogs[lang && strcmp(lang, "es") == 0 ? 1 : 0];
}

const char *i18n_get(const char *lang, const char *key)
{
	const char *v = json_string_value(json_object_get(i18n_catalog(lang), key));
	return v ? v : key;
}
