/* UI strings: one catalogue per language (i18n/<lang>.json, built into the binary). */
#ifndef VRC_I18N_H
#define VRC_I18N_H
#include <jansson.h>
#include <stdbool.h>

/* Load the catalogues; -1 (logged) if one is missing or malformed. */
int i18n_init(void);
void i18n_free(void);
/* True for a language the site is in ("en", "es"). */
bool i18n_lang_valid(const char *lang);
/* The catalogue of lang as a JSON object (borrowed; for templates as `t`). */
json_t *i18n_catalog(const char *lang);
/* The string for key in lang; the key itself when missing (so a gap is visible, not fatal). */
const char *i18n_get(const char *lang, const char *key);

#endif
