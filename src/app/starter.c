/* Each starter block is made through block_apply, field by field, exactly as the console edits it:
 * what the form typed is checked by the same rules, and the template's texts go in per language. */
#include "app/starter.h"

#include <stdio.h>
#include <string.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/slug.h"
#include "base/str.h"
#include "base/tz.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/community.h"
#include "model/resource.h"
#include "view/i18n.h"

enum { FIRST_DAYS = 8 };

/* A form made of name/value pairs. */
struct kv {
	const char *k[24], *v[24];
	size_t n;
};

static const char *kv_get(void *ctx, const char *name)
{
	struct kv *f = ctx;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->k[i], name) == 0)
			return f->v[i];
	return NULL;
}

static void kv_put(struct kv *f, const char *k, const char *v)
{
	if (v && f->n < 24)
		f->k[f->n] = k, f->v[f->n++] = v;
}

static void add_error(struct block_errors *errs, const char *field, const char *key)
{
	if (errs->n < BLOCK_MAX_ERRORS)
		errs->e[errs->n].field = field, errs->e[errs->n++].key = key;
}

/* Apply f to block, errors renamed to the create form's fields (rename[i] = {block field, form
 * field}). */
static int apply(const char *kind, json_t *block, const char *lang, const char *target, struct kv *f,
                 char *new_id, struct block_errors *errs, const char *const (*rename)[2])
{
	char now[21];
	community_now(now);
	struct block_edit ed = {lang, target, now, NULL};
	struct block_input in = {kv_get, f};
	struct block_errors e;
	int rc = block_apply(block_kind(kind), block, &ed, &in, &e, new_id);
	for (size_t i = 0; rc < 0 && i < e.n; i++) {
		const char *field = e.e[i].field;
		for (size_t k = 0; rename && rename[k][0]; k++)
			if (strcmp(rename[k][0], field) == 0)
				field = rename[k][1];
		add_error(errs, field, e.e[i].key);
	}
	return rc;
}

/* The template's text of key in lang, or NULL. */
static const char *tpl(json_t *t, const char *key, const char *lang)
{
	return json_string_value(json_object_get(json_object_get(t, key), lang));
}

static void key_message(json_t *t, json_t *b, const struct starter_input *in, const struct community *c,
                        struct block_errors *errs)
{
	static const char *const rename[][2] = {{"body", "key_message"}, {NULL, NULL}};
	for (size_t i = 0; i < c->nlangs; i++) {
		bool typed = in->key_message && *in->key_message;
		const char *text = typed ? (strcmp(c->langs[i], "en") == 0 ? in->key_message : NULL)
		                         : tpl(t, "key_message", c->langs[i]);
		struct kv f = {0};
		kv_put(&f, "body", text);
		if (text)
			apply("key_message", b, c->langs[i], NULL, &f, NULL, errs, rename);
	}
}

static void location(json_t *t, json_t *b, const struct starter_input *in, const struct community *c,
                     struct block_errors *errs)
{
	static const char *const rename[][2] = {{"walkin_hours", "hours"}, {NULL, NULL}};
	if (!in->street && !in->city && !in->state && !in->postal && !in->hours && !in->phone)
		return;
	char id[37];
	struct kv f = {0};
	kv_put(&f, "name", tpl(t, "location_name", "en"));
	kv_put(&f, "street", in->street ? in->street : "");
	kv_put(&f, "city", in->city ? in->city : "");
	kv_put(&f, "state", in->state ? in->state : "");
	kv_put(&f, "postal", in->postal ? in->postal : "");
	kv_put(&f, "walkin_hours", in->hours);
	kv_put(&f, "phone", in->phone);
	/* No immigration note or accessibility claim until officials confirm them for this place. */
	kv_put(&f, "what_to_bring", tpl(t, "what_to_bring", "en"));
	if (apply("locations", b, "en", "new", &f, id, errs, rename) < 0)
		return;
	for (size_t i = 1; i < c->nlangs; i++) {
		const char *name = tpl(t, "location_name", c->langs[i]);
		if (!name)
			continue;
		kv_put(&f, "name", name);
		f.v[0] = name;
		for (size_t k = 0; k < f.n; k++)
			if (strcmp(f.k[k], "what_to_bring") == 0)
				f.v[k] = tpl(t, "what_to_bring", c->langs[i])
				             ? tpl(t, "what_to_bring", c->langs[i])
				             : "";
		apply("locations", b, c->langs[i], id, &f, NULL, errs, rename);
	}
}

static void faq(json_t *t, json_t *b, const struct community *c, struct block_errors *errs)
{
	json_t *q;
	size_t i;
	json_array_foreach (json_object_get(t, "faq"), i, q) {
		char id[37];
		const char *target = "new";
		for (size_t l = 0; l < c->nlangs; l++) {
			json_t *text = json_object_get(q, c->langs[l]);
			if (!text)
				continue;
			struct kv f = {0};
			kv_put(&f, "question", json_string_value(json_object_get(text, "question")));
			kv_put(&f, "answer", json_string_value(json_object_get(text, "answer")));
			if (apply("faq", b, c->langs[l], target, &f, strcmp(target, "new") == 0 ? id : NULL,
			          errs, NULL) == 0)
				target = id;
		}
	}
}

static void funds(json_t *t, json_t *b, const struct community *c, struct block_errors *errs)
{
	for (size_t l = 0; l < c->nlangs; l++) {
		struct kv f = {0};
		kv_put(&f, "scam_warning", tpl(t, "scam_warning", c->langs[l]));
		kv_put(&f, "report_scam", tpl(t, "report_scam", c->langs[l]));
		if (f.n)
			apply("funds", b, c->langs[l], NULL, &f, NULL, errs, NULL);
	}
}

/* The library's first-days resources, English slugs (the page shows each language's translation). */
static void resources(struct db *db, json_t *b)
{
	struct arena *a = arena_new();
	struct resource *rs;
	size_t n = resource_list_stage(db, a, "en", "first-days", FIRST_DAYS, &rs);
	struct buf slugs = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&slugs, "%s%s", i ? "\n" : "", rs[i].slug);
	json_object_set_new(b, "slugs", json_string(slugs.p ? slugs.p : ""));
	buf_free(&slugs);
	arena_free(a);
}

/* The community row's fields, checked. */
static void check_community(struct db *db, const struct starter_input *in, struct community *c, char *langs,
                            size_t cap, struct block_errors *errs)
{
	struct arena *a = arena_new();
	if (!in->slug || !slug_valid(str_c(in->slug)))
		add_error(errs, "slug", "err_slug");
	else if (community_get(db, a, in->slug))
		add_error(errs, "slug", "err_community_slug_taken");
	struct str name = str_trim(str_c(in->name));
	if (!name.len)
		add_error(errs, "name", "err_required");
	else if (utf8_len(name.p, name.len) > COMMUNITY_NAME_MAX)
		add_error(errs, "name", "err_too_long");
	if (in->place && utf8_len(in->place, strlen(in->place)) > COMMUNITY_PLACE_MAX)
		add_error(errs, "place", "err_too_long");
	if (in->date && *in->date && !date_valid(str_c(in->date)))
		add_error(errs, "date", "err_date");
	if (!community_langs_valid(in->langs ? in->langs : "en,es", langs, cap))
		add_error(errs, "langs", "err_langs");
	if (in->timezone && !tz_find(in->timezone))
		add_error(errs, "timezone", "err_timezone");
	arena_free(a);
	c->slug = in->slug;
	c->name = in->name;
	c->place = in->place ? in->place : "";
	c->incident_date = in->date && *in->date ? in->date : NULL;
	c->languages = langs;
	c->timezone = in->timezone ? in->timezone : "America/New_York";
	c->nlangs = 0;
	for (const char *p = langs; *p && c->nlangs < COMMUNITY_MAX_LANGS;) {
		size_t n = strcspn(p, ",");
		char code[8];
		snprintf(code, sizeof(code), "%.*s", (int)(n < 7 ? n : 7), p);
		if (i18n_lang_canonical(code))
			c->langs[c->nlangs++] = i18n_lang_canonical(code);
		p += n + (p[n] == ',');
	}
}

const char *starter_slug(struct arena *a, const char *name)
{
	char out[101];
	size_t n = 0;
	for (const char *p = name ? name : ""; *p && n < sizeof(out) - 1; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	return arena_strdup(a, out);
}

int64_t starter_create(struct db *db, const struct starter_input *in, struct block_errors *errs)
{
	errs->n = 0;
	struct community c = {0};
	char langs[64] = "en";
	check_community(db, in, &c, langs, sizeof(langs), errs);
	const struct embed_file *tf = embed_find("templates/community/starter.json");
	json_error_t je;
	json_t *t = tf ? json_loadb((const char *)tf->data, tf->len, 0, &je) : NULL;
	if (!t) {
		log_error("community: templates/community/starter.json: %s", tf ? je.text : "missing");
		add_error(errs, "", "err_internal");
		return -1;
	}
	json_t *blocks[16] = {0};
	for (size_t i = 0; i < block_nkinds; i++)
		blocks[i] = block_new(&block_kinds[i]);
	for (size_t i = 0; i < block_nkinds; i++) {
		const char *k = block_kinds[i].name;
		if (strcmp(k, "key_message") == 0)
			key_message(t, blocks[i], in, &c, errs);
		else if (strcmp(k, "locations") == 0)
			location(t, blocks[i], in, &c, errs);
		else if (strcmp(k, "faq") == 0)
			faq(t, blocks[i], &c, errs);
		else if (strcmp(k, "funds") == 0)
			funds(t, blocks[i], &c, errs);
		else if (strcmp(k, "resources") == 0)
			resources(db, blocks[i]);
	}
	json_decref(t);
	int64_t id = -1;
	if (errs->n == 0) {
		id = community_create(db, &c, blocks, true, in->user_id, in->actor);
		if (id == -2)
			add_error(errs, "slug", "err_community_slug_taken");
		else if (id < 0)
			add_error(errs, "", "err_internal");
	}
	for (size_t i = 0; i < block_nkinds; i++)
		json_decref(blocks[i]);
	return id < 0 ? -1 : id;
}
