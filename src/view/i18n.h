/* UI strings: one catalogue per language (i18n/<lang>.json, built into the binary; more from a
 * folder at start-up). English is complete; any other catalogue is read over a copy of English, so
 * a key it lacks shows the English string rather than a gap. Adding a language is adding one file. */
#ifndef VRC_I18N_H
#define VRC_I18N_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum { I18N_MAX_LANGS = 16 };

/* Load the built-in catalogues (i18n/en.json must be one); -1 (logged) if one is missing or
 * malformed. */
int i18n_init(void);
/* Also load every <lang>.json in dir (a language not built in, or a fixture); a file for a built-in
 * language replaces it. Call after i18n_init, before serving. 0, or -1 (logged). */
int i18n_load_dir(const char *dir);
void i18n_free(void);
/* True for a language the site has a catalogue for ("en", "es", ...). */
bool i18n_lang_valid(const char *lang);
/* The catalogue's own copy of lang's code (static until i18n_free), or NULL when there is none. */
const char *i18n_lang_canonical(const char *lang);
/* The languages with a catalogue, English first; *n gets the count. */
const char *const *i18n_langs(size_t *n);
/* The catalogue of lang as a JSON object (borrowed; for templates as `t`); English for a language
 * without one. */
json_t *i18n_catalog(const char *lang);
/* The string for key in lang (English when lang lacks it); the key itself when missing. */
const char *i18n_get(const char *lang, const char *key);

#endif
