/* The blocks' field tables and the one generic path every block edit takes: read the form, check
 * each field by its type, and only then write the draft. Adding a field is adding a row. */
#include "model/block.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/slug.h"
#include "base/str.h"
#include "base/tz.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/hours.h"
#include "model/resource.h"
#include "view/markdown.h"

static const char *const event_kinds[] = {
    "vigil", "memorial", "support_group", "town_hall", "court_date", "anniversary", NULL};
static const char *const service_status[] = {"active", "temporarily closed", "inactive", NULL};
static const char *const fund_kinds[] = {"official", "fundraiser", NULL};

/* clang-format off */
static const struct block_field key_message[] = {
	{"body", FT_MARKDOWN, true, true, 1500, NULL, "changed"},
};
static const struct block_field locations[] = {
	{"name", FT_TEXT, true, true, 120, NULL, "changed"},
	{"satellite", FT_BOOL, false, false, 0, NULL, "changed"},
	{"street", FT_TEXT, false, true, 200, NULL, "address"},
	{"city", FT_TEXT, false, true, 100, NULL, "address"},
	{"state", FT_TEXT, false, true, 60, NULL, "address"},
	{"postal", FT_TEXT, false, true, 20, NULL, "address"},
	{"phone", FT_PHONE, false, false, 40, NULL, "changed"},
	{"walkin_hours", FT_HOURS, false, false, 400, NULL, "hours"},
	{"appointment_hours", FT_HOURS, false, false, 400, NULL, "hours"},
	{"exceptions", FT_EXCEPTIONS, false, false, 2000, NULL, "hours"},
	{"appointment_url", FT_URL, false, false, 500, NULL, "changed"},
	{"languages", FT_LANGS, false, false, 100, NULL, "changed"},
	{"wheelchair", FT_BOOL, false, false, 0, NULL, "changed"},
	{"asl", FT_BOOL, false, false, 0, NULL, "changed"},
	{"accessibility", FT_TEXT, true, false, 300, NULL, "changed"},
	{"what_to_bring", FT_MARKDOWN, true, false, 1000, NULL, "changed"},
	{"immigration_note", FT_BOOL, false, false, 0, NULL, "changed"},
};
static const struct block_field updates[] = {
	{"date", FT_DATE, false, true, 10, NULL, "changed"},
	{"pinned", FT_BOOL, false, false, 0, NULL, "changed"},
	{"title", FT_TEXT, true, true, 150, NULL, "changed"},
	{"body", FT_MARKDOWN, true, true, 3000, NULL, "changed"},
};
static const struct block_field events[] = {
	{"kind", FT_ENUM, false, true, 20, event_kinds, "changed"},
	{"title", FT_TEXT, true, true, 150, NULL, "changed"},
	{"start", FT_DATETIME, false, true, 16, NULL, "time"},
	{"end", FT_DATETIME, false, false, 16, NULL, "time"},
	{"timezone", FT_TZ, false, true, 40, NULL, "time"},
	{"place", FT_TEXT, true, true, 200, NULL, "place"},
	{"address", FT_TEXT, false, false, 200, NULL, "place"},
	{"accessibility", FT_TEXT, true, false, 300, NULL, "changed"},
	{"description", FT_MARKDOWN, true, false, 2000, NULL, "changed"},
};
static const struct block_field services[] = {
	{"organization", FT_TEXT, false, true, 150, NULL, "changed"},
	{"name", FT_TEXT, true, true, 150, NULL, "changed"},
	{"description", FT_MARKDOWN, true, false, 1000, NULL, "changed"},
	{"status", FT_ENUM, false, true, 20, service_status, "changed"},
	{"street", FT_TEXT, false, false, 200, NULL, "changed"},
	{"city", FT_TEXT, false, false, 100, NULL, "changed"},
	{"state", FT_TEXT, false, false, 60, NULL, "changed"},
	{"postal", FT_TEXT, false, false, 20, NULL, "changed"},
	{"phone", FT_PHONE, false, false, 40, NULL, "changed"},
	{"url", FT_URL, false, false, 500, NULL, "changed"},
	{"hours", FT_HOURS, false, false, 400, NULL, "changed"},
	{"languages", FT_LANGS, false, false, 100, NULL, "changed"},
};
static const struct block_field funds[] = {
	{"kind", FT_ENUM, false, true, 20, fund_kinds, "changed"},
	{"name", FT_TEXT, false, true, 150, NULL, "changed"},
	{"url", FT_URL, false, true, 500, NULL, "changed"},
	{"runs", FT_TEXT, false, true, 150, NULL, "changed"},
	{"verified_by", FT_TEXT, false, true, 150, NULL, "changed"},
	{"eligibility", FT_TEXT, true, false, 500, NULL, "changed"},
	{"deadline", FT_DATE, false, false, 10, NULL, "changed"},
};
static const struct block_field funds_block[] = {
	{"scam_warning", FT_MARKDOWN, true, false, 1000, NULL, "scam"},
	{"report_scam", FT_MARKDOWN, true, false, 600, NULL, "scam"},
};
static const struct block_field faq[] = {
	{"question", FT_TEXT, true, true, 200, NULL, "changed"},
	{"answer", FT_MARKDOWN, true, true, 2000, NULL, "changed"},
};
static const struct block_field resources[] = {
	{"slugs", FT_SLUGS, false, false, 4000, NULL, "changed"},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))
const struct block_kind block_kinds[] = {
	{"key_message", false, key_message, N(key_message), NULL, 0, NULL, 0},
	{"locations", true, locations, N(locations), NULL, 0, "name", 12},
	{"updates", true, updates, N(updates), NULL, 0, "title", 200},
	{"events", true, events, N(events), NULL, 0, "title", 100},
	{"services", true, services, N(services), NULL, 0, "name", 60},
	{"funds", true, funds, N(funds), funds_block, N(funds_block), "name", 30},
	{"faq", true, faq, N(faq), NULL, 0, "question", 40},
	{"resources", false, resources, N(resources), NULL, 0, NULL, 0},
};
/* clang-format on */
const size_t block_nkinds = N(block_kinds);

const struct block_kind *block_kind(const char *name)
{
	for (size_t i = 0; name && i < block_nkinds; i++)
		if (strcmp(block_kinds[i].name, name) == 0)
			return &block_kinds[i];
	return NULL;
}

const struct block_field *block_field(const struct block_kind *k, const char *name)
{
	for (size_t i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return &k->fields[i];
	for (size_t i = 0; i < k->nbfields; i++)
		if (strcmp(k->bfields[i].name, name) == 0)
			return &k->bfields[i];
	return NULL;
}

/* ---- languages and phones */

static const struct {
	const char *code, *name;
} lang_names[] = {
    {"en", "English"},        {"es", "Español"},  {"zh", "中文"},       {"vi", "Tiếng Việt"},
    {"ko", "한국어"},         {"tl", "Tagalog"},  {"ar", "العربية"},    {"fr", "Français"},
    {"ht", "Kreyòl ayisyen"}, {"ru", "Русский"},  {"pt", "Português"},  {"ja", "日本語"},
    {"hi", "हिन्दी"},          {"so", "Soomaali"}, {"uk", "Українська"}, {"fa", "فارسی"},
    {"km", "ភាសាខ្មែរ"},       {"hmn", "Hmoob"},   {"pl", "Polski"},     {"de", "Deutsch"},
    {"ase", "ASL"},           {"am", "አማርኛ"},     {"sw", "Kiswahili"},  {"ne", "नेपाली"},
};

bool block_lang_known(const char *code)
{
	for (size_t i = 0; code && i < N(lang_names); i++)
		if (strcmp(lang_names[i].code, code) == 0)
			return true;
	return false;
}

const char *block_lang_name(const char *code)
{
	for (size_t i = 0; code && i < N(lang_names); i++)
		if (strcmp(lang_names[i].code, code) == 0)
			return lang_names[i].name;
	return code;
}

/* Where a phone number's extension starts ("x", "ext", "ext."), or NULL. */
static const char *extension(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((*p == 'x' || *p == 'X' || strncasecmp(p, "ext", 3) == 0) && p > s)
			return p;
	return NULL;
}

bool block_phone_valid(const char *s)
{
	const char *ext = extension(s), *end = ext ? ext : s + strlen(s);
	size_t digits = 0;
	for (const char *p = s; p < end; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '+' ? p != s : !strchr(" .-()", *p))
			return false;
	}
	if (ext) {
		const char *p = ext + (*ext == 'x' || *ext == 'X' ? 1 : 3);
		p += *p == '.';
		p += strspn(p, " ");
		size_t n = strspn(p, "0123456789");
		if (n == 0 || n > 6 || p[n])
			return false;
	}
	return digits == 3 || (digits >= 7 && digits <= 15);
}

void block_phone_tel(const char *s, char *out, size_t cap)
{
	const char *ext = extension(s), *end = ext ? ext : s + strlen(s);
	size_t n = 0, digits = 0;
	for (const char *p = s; p < end; p++)
		digits += *p >= '0' && *p <= '9';
	/* A ten-digit North American number gets its country code. */
	if (digits == 10 && s[0] != '+' && n + 2 < cap)
		out[n++] = '+', out[n++] = '1';
	for (const char *p = s; p < end && n + 1 < cap; p++)
		if ((*p >= '0' && *p <= '9') || *p == '+')
			out[n++] = *p;
	out[n] = '\0';
}

/* ---- ids */

static void uuid_format(unsigned char b[16], unsigned version, char out[37])
{
	b[6] = (unsigned char)((b[6] & 0x0f) | (version << 4));
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
	         b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

void block_uuid(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof(b));
	uuid_format(b, 4, out);
}

void block_uuid_derive(const char *ns, const char *what, char out[37])
{
	unsigned char b[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof(b));
	crypto_generichash_update(&st, (const unsigned char *)ns, strlen(ns) + 1);
	crypto_generichash_update(&st, (const unsigned char *)what, strlen(what));
	crypto_generichash_final(&st, b, sizeof(b));
	uuid_format(b, 8, out); /* RFC 9562 version 8: custom, here name-based with BLAKE2b */
}

/* ---- checking one field */

static void add_error(struct block_errors *errs, const char *field, const char *key)
{
	if (errs->n < BLOCK_MAX_ERRORS)
		errs->e[errs->n].field = field, errs->e[errs->n++].key = key;
}

/* Control characters other than new lines and tabs (in Markdown) are never text staff meant. */
static bool controls_ok(const char *s, bool lines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) || *p == 0x7f)
			return false;
	return true;
}

static const char *check_langs(const char *v, struct buf *canon)
{
	for (const char *p = v; *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ", ");
		if (!n)
			break;
		char code[8];
		if (n >= sizeof(code))
			return "err_lang_unknown";
		for (size_t i = 0; i < n; i++)
			code[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
		code[n] = '\0';
		if (!block_lang_known(code))
			return "err_lang_unknown";
		buf_printf(canon, "%s%s", canon->len ? ", " : "", code);
		p += n;
	}
	return NULL;
}

static const char *check_slugs(struct db *db, const char *v, struct buf *canon)
{
	struct arena *a = arena_new();
	const char *err = NULL;
	for (const char *p = v; *p && !err;) {
		p += strspn(p, " \t\r\n,");
		size_t n = strcspn(p, " \t\r\n,");
		if (!n)
			break;
		char *slug = arena_strndup(a, p, n);
		struct resource *r = slug_valid(str_c(slug)) && db ? resource_find(db, a, slug) : NULL;
		if (!r)
			err = "err_resource_unknown";
		else
			buf_printf(canon, "%s%s", canon->len ? "\n" : "", slug);
		p += n;
	}
	arena_free(a);
	return err;
}

static const char *check_url(const char *v)
{
	if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return "err_url";
	const char *host = v + (v[4] == 's' ? 8 : 7);
	if (!*host || *host == '/')
		return "err_url";
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'<>\\`", *p))
			return "err_url";
	return NULL;
}

/* The canonical value of v for f into canon (hours and language lists are rewritten), or the key of
 * what is wrong. v is trimmed and not empty. */
static const char *check_value(const struct block_field *f, const char *v, struct db *db, struct buf *canon)
{
	struct hours_span spans[HOURS_MAX];
	struct hours_exception ex[HOURS_MAX];
	size_t n;
	const char *err = NULL;
	if (!controls_ok(v, f->type == FT_MARKDOWN || f->type == FT_HOURS || f->type == FT_EXCEPTIONS ||
	                        f->type == FT_SLUGS))
		return "err_control";
	if (f->max && utf8_len(v, strlen(v)) > f->max)
		return "err_too_long";
	switch (f->type) {
	case FT_MARKDOWN: {
		const char *why = md_problem(v, strlen(v));
		if (why) {
			static const char *const keys[][2] = {{"html", "err_md_html"},
			                                      {"link", "err_md_link"},
			                                      {"image", "err_md_image"},
			                                      {"unclosed", "err_md_unclosed"}};
			for (size_t i = 0; i < N(keys); i++)
				if (strcmp(why, keys[i][0]) == 0)
					return keys[i][1];
			return "err_md_html";
		}
		break;
	}
	case FT_DATE: return date_valid(str_c(v)) ? (buf_puts(canon, v), NULL) : "err_date";
	case FT_DATETIME: return tz_local_valid(str_c(v)) ? (buf_puts(canon, v), NULL) : "err_datetime";
	case FT_URL: err = check_url(v); break;
	case FT_PHONE: err = block_phone_valid(v) ? NULL : "err_phone"; break;
	case FT_ENUM:
		err = "err_choice";
		for (size_t i = 0; f->choices[i]; i++)
			if (strcmp(f->choices[i], v) == 0)
				err = NULL;
		break;
	case FT_TZ: err = tz_find(v) ? NULL : "err_timezone"; break;
	case FT_HOURS:
		if (hours_parse(v, spans, &n, &err) == 0)
			hours_format(spans, n, canon);
		return err;
	case FT_EXCEPTIONS:
		if (hours_exceptions_parse(v, ex, &n, &err) == 0)
			hours_exceptions_format(ex, n, canon);
		return err;
	case FT_LANGS: return check_langs(v, canon);
	case FT_SLUGS: return check_slugs(db, v, canon);
	default: break;
	}
	if (!err)
		buf_puts(canon, v);
	return err;
}

/* ---- applying a form */

static json_t *text_of(json_t *obj, const char *lang, bool create)
{
	json_t *text = json_object_get(obj, "text");
	if (!text && create)
		json_object_set_new(obj, "text", text = json_object());
	json_t *t = json_object_get(text, lang);
	if (!t && create)
		json_object_set_new(text, lang, t = json_object());
	return t;
}

/* Check the form's values of fields into a new object {neutral..., "text": {lang: {...}}}; errors
 * into errs. */
static json_t *read_fields(const struct block_field *fs, size_t nf, const struct block_edit *ed,
                           const struct block_input *in, struct block_errors *errs)
{
	json_t *obj = json_object(), *text = text_of(obj, ed->lang, true);
	for (size_t i = 0; i < nf; i++) {
		const struct block_field *f = &fs[i];
		const char *raw = in->get(in->ctx, f->name);
		if (f->type == FT_BOOL) {
			json_object_set_new(obj, f->name, json_boolean(raw && *raw && strcmp(raw, "0") != 0));
			continue;
		}
		struct str t = str_trim(str_c(raw));
		char *v = xstrndup(t.p, t.len);
		if (!*v) {
			if (f->required)
				add_error(errs, f->name, "err_required");
			free(v);
			continue;
		}
		struct buf canon = BUF_INIT;
		const char *err = check_value(f, v, ed->db, &canon);
		if (err)
			add_error(errs, f->name, err);
		else
			json_object_set_new(f->text ? text : obj, f->name,
			                    json_string(canon.p ? canon.p : ""));
		buf_free(&canon);
		free(v);
	}
	return obj;
}

/* Checks across fields: an end before its start, an address given only in part. */
static void cross_checks(const struct block_kind *k, json_t *obj, struct block_errors *errs)
{
	const char *start = json_string_value(json_object_get(obj, "start")),
	           *end = json_string_value(json_object_get(obj, "end"));
	if (start && end && strcmp(end, start) <= 0)
		add_error(errs, "end", "err_end_before_start");
	if (strcmp(k->name, "services") == 0) {
		static const char *const parts[] = {"street", "city", "state", "postal"};
		size_t have = 0;
		for (size_t i = 0; i < N(parts); i++)
			have += json_object_get(obj, parts[i]) != NULL;
		for (size_t i = 0; have && have < N(parts) && i < N(parts); i++)
			if (!json_object_get(obj, parts[i]))
				add_error(errs, parts[i], "err_address_partial");
	}
}

/* Copy the checked values of read into dst: every neutral field of fs (an empty one removed) and
 * the text of lang (the other languages' text kept). */
static void merge(const struct block_field *fs, size_t nf, json_t *dst, json_t *read, const char *lang)
{
	json_t *src_text = text_of(read, lang, false), *dst_text = text_of(dst, lang, true);
	for (size_t i = 0; i < nf; i++) {
		json_t *from = fs[i].text ? src_text : read, *to = fs[i].text ? dst_text : dst;
		json_t *v = json_object_get(from, fs[i].name);
		if (v)
			json_object_set(to, fs[i].name, v);
		else
			json_object_del(to, fs[i].name);
	}
}

json_t *block_item(json_t *block, const char *id)
{
	json_t *items = json_object_get(block, "items"), *it;
	size_t i;
	json_array_foreach (items, i, it) {
		const char *iid = json_string_value(json_object_get(it, "id"));
		if (iid && id && strcmp(iid, id) == 0)
			return it;
	}
	return NULL;
}

json_t *block_new(const struct block_kind *k)
{
	char ns[37];
	block_uuid(ns);
	json_t *b = json_pack("{s:s, s:{}}", "ns", ns, "text");
	if (k->list)
		json_object_set_new(b, "items", json_array());
	return b;
}

int block_apply(const struct block_kind *k, json_t *block, const struct block_edit *ed,
                const struct block_input *in, struct block_errors *errs, char *new_id)
{
	errs->n = 0;
	bool own = !k->list || !ed->target;
	const struct block_field *fs = own && k->list ? k->bfields : k->fields;
	size_t nf = own && k->list ? k->nbfields : k->fields == NULL ? 0 : k->nfields;
	json_t *target = block, *items = json_object_get(block, "items");
	if (!own && strcmp(ed->target, "new") != 0 && !(target = block_item(block, ed->target))) {
		add_error(errs, "", "err_not_found");
		return -1;
	}
	if (!own && strcmp(ed->target, "new") == 0 && json_array_size(items) >= k->max_items)
		add_error(errs, "", "err_too_many");
	json_t *read = read_fields(fs, nf, ed, in, errs);
	cross_checks(k, read, errs);
	if (errs->n) {
		json_decref(read);
		return -1;
	}
	if (!own && strcmp(ed->target, "new") == 0) {
		char id[37];
		block_uuid(id);
		target = json_pack("{s:s, s:s}", "id", id, "created_at", ed->now);
		json_array_append_new(items, target);
		if (new_id)
			memcpy(new_id, id, 37);
	}
	merge(fs, nf, target, read, ed->lang);
	json_object_set_new(target, "updated_at", json_string(ed->now));
	json_object_set_new(block, "updated_at", json_string(ed->now));
	json_decref(read);
	return 0;
}

int block_remove(json_t *block, const char *id)
{
	json_t *items = json_object_get(block, "items"), *it;
	size_t i;
	json_array_foreach (items, i, it) {
		const char *iid = json_string_value(json_object_get(it, "id"));
		if (iid && strcmp(iid, id) == 0)
			return json_array_remove(items, i);
	}
	return -1;
}

/* True when obj has text fields of fs in some language but not in lang. */
static bool obj_missing(const struct block_field *fs, size_t nf, json_t *obj, const char *lang)
{
	json_t *text = json_object_get(obj, "text"), *mine = json_object_get(text, lang), *t;
	const char *l;
	for (size_t i = 0; i < nf; i++) {
		if (!fs[i].text || json_object_get(mine, fs[i].name))
			continue;
		json_object_foreach (text, l, t)
			if (json_object_get(t, fs[i].name))
				return true;
	}
	return false;
}

bool block_item_missing(const struct block_kind *k, json_t *item, const char *lang)
{
	return obj_missing(k->fields, k->nfields, item, lang);
}

bool block_missing(const struct block_kind *k, json_t *block, const char *lang)
{
	if (k->list) {
		json_t *it;
		size_t i;
		json_array_foreach (json_object_get(block, "items"), i, it)
			if (obj_missing(k->fields, k->nfields, it, lang))
				return true;
		return obj_missing(k->bfields, k->nbfields, block, lang);
	}
	return obj_missing(k->fields, k->nfields, block, lang);
}

/* The language whose text a page in lang shows: lang, else English, else the first there is. */
static const char *text_lang(const struct block_field *fs, size_t nf, json_t *obj, const char *lang)
{
	json_t *text = json_object_get(obj, "text"), *t;
	const char *l;
	bool any_text = false;
	for (size_t i = 0; i < nf; i++)
		any_text |= fs[i].text;
	if (!any_text || json_object_size(json_object_get(text, lang)))
		return lang;
	if (json_object_size(json_object_get(text, "en")))
		return "en";
	json_object_foreach (text, l, t)
		if (json_object_size(t))
			return l;
	return lang;
}

json_t *block_view(const struct block_kind *k, json_t *obj, const char *lang)
{
	bool own = !k->list || json_object_get(obj, "items");
	const struct block_field *fs = own && k->list ? k->bfields : k->fields;
	size_t nf = own && k->list ? k->nbfields : k->nfields;
	json_t *v = json_object(), *val;
	const char *key;
	json_object_foreach (obj, key, val)
		if (strcmp(key, "text") != 0 && strcmp(key, "items") != 0)
			json_object_set(v, key, val);
	const char *tl = text_lang(fs, nf, obj, lang);
	json_t *texts = json_object_get(obj, "text"), *text = json_object_get(texts, tl),
	       *en = json_object_get(texts, "en");
	json_object_foreach (text, key, val)
		json_object_set(v, key, val);
	/* A field this language lacks but English has shows in English: "<field>_lang" says which. */
	for (size_t i = 0; i < nf; i++) {
		if (!fs[i].text)
			continue;
		char lk[64];
		snprintf(lk, sizeof(lk), "%s_lang", fs[i].name);
		json_t *mine = json_object_get(text, fs[i].name), *fb = json_object_get(en, fs[i].name);
		if (!mine && fb)
			json_object_set(v, fs[i].name, fb);
		json_object_set_new(v, lk, json_string(!mine && fb ? "en" : tl));
	}
	json_object_set_new(v, "text_lang", json_string(tl));
	json_object_set_new(v, "fallback", json_boolean(strcmp(tl, lang) != 0));
	return v;
}

/* ---- what changed */

/* The group of the first field whose value differs between a and b ("hours", "address"...), or
 * NULL when none does. Text is compared in every language. */
static const char *changed_group(const struct block_field *fs, size_t nf, json_t *a, json_t *b)
{
	const char *found = NULL;
	for (size_t i = 0; i < nf; i++) {
		bool differs;
		if (fs[i].text) {
			json_t *ta = json_object_get(a, "text"), *tb = json_object_get(b, "text");
			differs = !json_equal(ta, tb) && (ta || tb);
			if (differs) {
				/* Only this field's text counts. */
				const char *l;
				json_t *t;
				differs = false;
				json_object_foreach (ta, l, t)
					differs |=
					    !json_equal(json_object_get(t, fs[i].name),
					                json_object_get(json_object_get(tb, l), fs[i].name));
				json_object_foreach (tb, l, t)
					differs |=
					    !json_equal(json_object_get(t, fs[i].name),
					                json_object_get(json_object_get(ta, l), fs[i].name));
			}
		} else {
			json_t *va = json_object_get(a, fs[i].name), *vb = json_object_get(b, fs[i].name);
			differs = !(va == NULL && vb == NULL) && !(va && vb && json_equal(va, vb));
		}
		if (!differs)
			continue;
		if (strcmp(fs[i].group, "changed") != 0)
			return fs[i].group; /* a named group (hours) says more than "changed" */
		found = "changed";
	}
	return found;
}

/* The item's label in each language: {"en": "...", "es": "..."}. */
static json_t *names_of(const struct block_kind *k, json_t *item)
{
	json_t *names = json_object(), *t;
	const char *l;
	if (!k->label)
		return names;
	json_t *neutral = json_object_get(item, k->label);
	if (neutral) {
		json_object_set(names, "en", neutral);
		return names;
	}
	json_object_foreach (json_object_get(item, "text"), l, t)
		if (json_object_get(t, k->label))
			json_object_set(names, l, json_object_get(t, k->label));
	return names;
}

static void add_change(json_t *out, const struct block_kind *k, const char *what, json_t *item)
{
	char code[64];
	snprintf(code, sizeof(code), "%s_%s", k->name, what);
	json_array_append_new(
	    out, json_pack("{s:s, s:o}", "what", code, "names", item ? names_of(k, item) : json_object()));
}

json_t *block_changes(const struct block_kind *k, json_t *before, json_t *after)
{
	json_t *out = json_array(), *it;
	size_t i;
	if (!k->list) {
		if (!before || changed_group(k->fields, k->nfields, before, after))
			add_change(out, k, "changed", NULL);
		return out;
	}
	json_array_foreach (json_object_get(after, "items"), i, it) {
		json_t *old =
		    before ? block_item(before, json_string_value(json_object_get(it, "id"))) : NULL;
		const char *g = old ? changed_group(k->fields, k->nfields, old, it) : "added";
		if (g)
			add_change(out, k, g, it);
	}
	json_array_foreach (json_object_get(before, "items"), i, it)
		if (!block_item(after, json_string_value(json_object_get(it, "id"))))
			add_change(out, k, "removed", it);
	if (k->nbfields && before && changed_group(k->bfields, k->nbfields, before, after))
		add_change(out, k, "scam", NULL);
	return out;
}
