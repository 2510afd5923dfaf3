/* A community page's blocks: what each kind holds (a table of fields), how a console form becomes a
 * block's JSON (every field checked; nothing changes unless all are right), which languages a block
 * lacks, and what a publish changed, in words the public "what changed" list can say.
 *
 * A block is one JSON object:
 *   {"items": [{"id": UUID, <neutral fields>, "text": {"en": {<text fields>}, "es": {...}},
 *               "updated_at": ISO}, ...],
 *    "text": {"en": {<block text fields>}}, <block neutral fields>, "ns": UUID, "updated_at": ISO}
 * Neutral fields (times, addresses, phones, links) are one value for every language; text fields are
 * per language, and a language without its text falls back to English on the public page. */
#ifndef VRC_BLOCK_H
#define VRC_BLOCK_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

enum block_ftype {
	FT_TEXT,       /* one line */
	FT_MARKDOWN,   /* CommonMark, checked with md_problem */
	FT_DATE,       /* YYYY-MM-DD */
	FT_DATETIME,   /* YYYY-MM-DDTHH:MM, local time */
	FT_URL,        /* http(s) */
	FT_PHONE,      /* a dialable number */
	FT_BOOL,       /* a checkbox */
	FT_ENUM,       /* one of choices */
	FT_HOURS,      /* weekly hours (model/hours.h) */
	FT_EXCEPTIONS, /* dated closures and changed hours */
	FT_LANGS,      /* language codes: "en, es, vi" */
	FT_TZ,         /* a time zone of base/tz.h */
	FT_SLUGS,      /* library resource slugs, one a line */
};

struct block_field {
	const char *name; /* JSON key, form field name, and "f_<name>" admin string for its label */
	enum block_ftype type;
	bool text; /* per language */
	bool required;
	unsigned max;               /* characters */
	const char *const *choices; /* FT_ENUM, NULL-ended */
	const char *group;          /* what a change to it is called in the "what changed" list */
};

struct block_kind {
	const char *name;                 /* "locations" */
	bool list;                        /* holds items */
	const struct block_field *fields; /* of each item (list) or of the block */
	size_t nfields;
	const struct block_field *bfields; /* a list block's own fields (funds: the scam warning) */
	size_t nbfields;
	const char *label; /* the item field that names an item */
	size_t max_items;
};

extern const struct block_kind block_kinds[];
extern const size_t block_nkinds;

/* The kind called name, or NULL. */
const struct block_kind *block_kind(const char *name);
/* The field of k called name among its item (or block) fields and its block fields, or NULL. */
const struct block_field *block_field(const struct block_kind *k, const char *name);

/* The values of a submitted form. */
struct block_input {
	const char *(*get)(void *ctx, const char *name); /* NULL when absent */
	void *ctx;
};

enum { BLOCK_MAX_ERRORS = 32 };
struct block_errors {
	struct {
		const char *field; /* the form field */
		const char *key;   /* the admin string saying what is wrong */
	} e[BLOCK_MAX_ERRORS];
	size_t n;
};

/* What block_apply changes: the block's own fields (target NULL), a new item ("new"), or the item
 * with that id. */
struct block_edit {
	const char *lang;   /* the language of the text fields in the form */
	const char *target; /* NULL, "new" or an item id */
	const char *now;    /* ISO 8601 UTC, stamped as updated_at */
	struct db *db;      /* to check library slugs */
};

/* Check every field of the form against k and apply it to block (a draft, changed in place). On
 * any error nothing changes, errs lists every field at fault, and -1 is returned; 0 when applied.
 * A new item's id is written to new_id (37 bytes) when not NULL. */
int block_apply(const struct block_kind *k, json_t *block, const struct block_edit *ed,
                const struct block_input *in, struct block_errors *errs, char *new_id);
/* Remove the item with id from block: 0, or -1 when there is none. */
int block_remove(json_t *block, const char *id);
/* The item with id, or NULL (borrowed). */
json_t *block_item(json_t *block, const char *id);
/* An empty block of kind k. New reference. */
json_t *block_new(const struct block_kind *k);
/* True when block lacks lang's text somewhere another language has it, or a required text field of
 * the block is empty in lang. */
bool block_missing(const struct block_kind *k, json_t *block, const char *lang);
/* True when item lacks lang's text where another language has it. */
bool block_item_missing(const struct block_kind *k, json_t *item, const char *lang);
/* A view of item (or the block's own fields) for a page in lang: neutral fields, then the text
 * fields of lang, or of English (else the first language there is) with "fallback": true; and
 * "text_lang", the language the text is in. New reference. */
json_t *block_view(const struct block_kind *k, json_t *obj, const char *lang);
/* What changed from before (NULL: nothing published yet) to after, as an array of
 * {"what": "<kind>_<change>", "names": {lang: item label}}. New reference. */
json_t *block_changes(const struct block_kind *k, json_t *before, json_t *after);
/* A new random UUID (version 4) in out (37 bytes). */
void block_uuid(char out[37]);
/* A stable UUID derived from ns and what (the same inputs give the same id): HSDS ids of the
 * organization, location, phone and schedules of a service. */
void block_uuid_derive(const char *ns, const char *what, char out[37]);
/* True for a phone number a person can dial: digits with spaces, dots, dashes, brackets and a
 * leading +, 3 (211, 988) or 7-15 digits, and an optional extension ("x 12", "ext. 12"). */
bool block_phone_valid(const char *s);
/* The tel: form of a valid phone number ("+15551234567", or "988"), into out. */
void block_phone_tel(const char *s, char *out, size_t cap);
/* True for a language code the blocks know (language names are in block_lang_name). */
bool block_lang_known(const char *code);
/* A language's own name ("Español") for a code, or the code. */
const char *block_lang_name(const char *code);

#endif
