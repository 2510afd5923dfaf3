/* Content loading in two passes: parse and check every file (collecting all errors), then save all
 * in one transaction so a bad file never leaves the library half-loaded. */
#include "app/loader.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/slug.h"
#include "base/util.h"
#include "model/filesync.h"
#include "model/frontmatter.h"
#include "model/hotline.h"
#include "model/resource.h"
#include "model/topic.h"

static const char *const langs[] = {"en", "es"};
static const char *const langs_list[] = {"en", "es", NULL};

struct lib {
	struct arena *a;
	const char *dir;
	struct resource *res;
	size_t nres, capres;
	json_t *topics[4]; /* per section, as loaded */
	json_t *hotlines;
	size_t errors;
};

static void report(struct lib *l, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(struct lib *l, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s:%d: ", path, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	l->errors++;
}

static bool has_topic(struct lib *l, int sec, const char *slug)
{
	size_t i;
	json_t *t;
	json_array_foreach (l->topics[sec], i, t) {
		/* A topic without a slug is reported by check_topics; here it just matches nothing. */
		const char *s = json_string_value(json_object_get(t, "slug"));
		if (s && strcmp(s, slug) == 0)
			return true;
	}
	return false;
}

static void add_resource(struct lib *l, struct resource *r)
{
	if (l->nres == l->capres) {
		l->capres = l->capres ? l->capres * 2 : 64;
		struct resource *v = arena_alloc(l->a, l->capres * sizeof(*v));
		if (l->nres)
			memcpy(v, l->res, l->nres * sizeof(*v));
		l->res = v;
	}
	l->res[l->nres++] = *r;
}

/* A media file named by a resource must exist and be a plain name. */
static void check_media(struct lib *l, const char *path, const char *key, const char *name)
{
	if (!name)
		return;
	if (strchr(name, '/') || name[0] == '.') {
		report(l, path, 1, "%s must be a file name in media/", key);
		return;
	}
	char full[1024];
	struct stat st;
	snprintf(full, sizeof(full), "%s/media/%s", l->dir, name);
	if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
		report(l, path, 1, "%s: no such file %s", key, full);
}

static void load_file(struct lib *l, const char *path, const char *lang, int sec, const char *name)
{
	size_t len;
	char *text = file_read(path, &len);
	if (!text) {
		report(l, path, 0, "cannot read: %s", strerror(errno));
		return;
	}
	struct resource r;
	memset(&r, 0, sizeof(r));
	char err[256];
	int rc = frontmatter_parse(l->a, text, len, &r, err, sizeof(err));
	r.source_file = arena_strdup(l->a, path);
	r.source_hash = arena_printf(l->a, "%016" PRIx64, hash64(text, len));
	free(text);
	if (rc < 0) {
		int line = atoi(err + 5);
		report(l, path, line, "%s", strchr(err, ':') ? strchr(err, ':') + 2 : err);
		return;
	}
	r.slug = arena_strndup(l->a, name, strlen(name) - 3);
	r.lang = lang;
	r.section = section_slugs[sec];
	if (!slug_valid(str_c(r.slug)))
		report(l, path, 1, "the file name must be a slug (a-z, 0-9, single hyphens) ending in .md");
	else if (!has_topic(l, sec, r.topic))
		report(l, path, 1, "unknown topic '%s' (see topics/%s.json)", r.topic, r.section);
	check_media(l, path, "video", r.video);
	check_media(l, path, "poster", r.poster);
	check_media(l, path, "captions", r.captions);
	add_resource(l, &r);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void load_section_dir(struct lib *l, const char *lang, int sec)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/%s/%s", l->dir, lang, section_slugs[sec]);
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return; /* an empty section is allowed */
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);
		if (nm[0] != '.' && len > 3 && strcmp(nm + len - 3, ".md") == 0) {
			char path[2048];
			snprintf(path, sizeof(path), "%s/%s", dir, nm);
			load_file(l, path, lang, sec, nm);
		} else if (nm[0] != '.') {
			report(l, dir, 0, "unexpected file '%s' (resources end in .md)", nm);
		}
		free(names[i]);
	}
	free(names);
}

static json_t *load_json(struct lib *l, const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", l->dir, rel);
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		report(l, path, e.line, "%s", e.text);
	else if (!json_is_array(j)) {
		report(l, path, 1, "expected a JSON array");
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* A {"en": "...", "es": "..."} object with both languages. */
static bool bilingual(json_t *o)
{
	return json_is_string(json_object_get(o, "en")) && json_is_string(json_object_get(o, "es"));
}

static void check_topics(struct lib *l, int sec)
{
	char rel[128];
	snprintf(rel, sizeof(rel), "topics/%s.json", section_slugs[sec]);
	l->topics[sec] = load_json(l, rel);
	if (!l->topics[sec]) {
		l->topics[sec] = json_array();
		return;
	}
	size_t i;
	json_t *t;
	json_array_foreach (l->topics[sec], i, t) {
		const char *slug = json_string_value(json_object_get(t, "slug"));
		if (!slug || !slug_valid(str_c(slug)) || !bilingual(json_object_get(t, "title")))
			report(l, rel, (int)i + 1, "topic %zu needs a slug and a title in en and es", i + 1);
	}
}

static const char *const contact_kinds[] = {"call", "text", "chat", "tty", "videophone", NULL};

static bool one_of(const char *v, const char *const *list)
{
	for (; v && *list; list++)
		if (strcmp(v, *list) == 0)
			return true;
	return false;
}

static void check_contact(struct lib *l, size_t i, size_t k, json_t *c)
{
	const char *kind = json_string_value(json_object_get(c, "kind"));
	const char *val = json_string_value(json_object_get(c, "value"));
	json_t *lang = json_object_get(c, "lang");
	if (!one_of(kind, contact_kinds))
		report(l, "hotlines.json", (int)i + 1,
		       "hotline %zu contact %zu: kind must be call, text, chat, tty or videophone", i + 1,
		       k + 1);
	else if (!val || !*val || (strcmp(kind, "chat") == 0 && strncmp(val, "https://", 8) != 0))
		report(l, "hotlines.json", (int)i + 1, "hotline %zu contact %zu: a %s needs a %s", i + 1,
		       k + 1, kind, strcmp(kind, "chat") == 0 ? "https:// URL" : "number");
	if (lang && !one_of(json_string_value(lang), langs_list))
		report(l, "hotlines.json", (int)i + 1, "hotline %zu contact %zu: lang must be en or es",
		       i + 1, k + 1);
}

static void check_hotline(struct lib *l, size_t i, json_t *h)
{
	const char *slug = json_string_value(json_object_get(h, "slug"));
	const char *verified = json_string_value(json_object_get(h, "verified"));
	const char *source = json_string_value(json_object_get(h, "source"));
	if (!slug || !slug_valid(str_c(slug)))
		report(l, "hotlines.json", (int)i + 1, "hotline %zu: slug missing or not a slug", i + 1);
	if (!bilingual(json_object_get(h, "name")))
		report(l, "hotlines.json", (int)i + 1, "hotline %zu: name needs en and es", i + 1);
	if (!verified || !date_valid(str_c(verified)))
		report(l, "hotlines.json", (int)i + 1, "hotline %zu: verified must be YYYY-MM-DD", i + 1);
	if (!source || strncmp(source, "https://", 8) != 0)
		report(l, "hotlines.json", (int)i + 1, "hotline %zu: source must be an https URL", i + 1);
	static const char *const flags[] = {"featured", "panel"};
	for (size_t f = 0; f < 2; f++) {
		json_t *v = json_object_get(h, flags[f]);
		if (v && !json_is_boolean(v))
			report(l, "hotlines.json", (int)i + 1, "hotline %zu: %s must be true or false", i + 1,
			       flags[f]);
	}
	json_t *cs = json_object_get(h, "contacts"), *c;
	size_t k;
	if (!json_is_array(cs) || json_array_size(cs) == 0)
		report(l, "hotlines.json", (int)i + 1, "hotline %zu: at least one contact", i + 1);
	json_array_foreach (cs, k, c)
		check_contact(l, i, k, c);
	for (size_t j = 0; j < i; j++) {
		const char *o = json_string_value(json_object_get(json_array_get(l->hotlines, j), "slug"));
		if (slug && o && strcmp(o, slug) == 0)
			report(l, "hotlines.json", (int)i + 1, "hotline %zu: slug '%s' is used twice", i + 1,
			       slug);
	}
}

static void check_hotlines(struct lib *l)
{
	l->hotlines = load_json(l, "hotlines.json");
	size_t i;
	json_t *h;
	json_array_foreach (l->hotlines, i, h)
		check_hotline(l, i, h);
}

static bool has_hotline(struct lib *l, const char *slug)
{
	size_t i;
	json_t *h;
	json_array_foreach (l->hotlines, i, h) {
		const char *s = json_string_value(json_object_get(h, "slug"));
		if (s && strcmp(s, slug) == 0)
			return true;
	}
	return false;
}

static struct resource *find(struct lib *l, const char *slug)
{
	for (size_t i = 0; i < l->nres; i++)
		if (strcmp(l->res[i].slug, slug) == 0)
			return &l->res[i];
	return NULL;
}

/* Cross-file rules: unique slugs, translations that exist and point back. */
static void check_links(struct lib *l)
{
	for (size_t i = 0; i < l->nres; i++) {
		struct resource *r = &l->res[i];
		char path[512];
		snprintf(path, sizeof(path), "%s/%s/%s/%s.md", l->dir, r->lang, r->section, r->slug);
		if (find(l, r->slug) != r)
			report(l, path, 1, "slug '%s' is used twice", r->slug);
		struct resource *t = find(l, r->translation);
		if (!t)
			report(l, path, 1, "translation '%s' does not exist", r->translation);
		else if (strcmp(t->lang, r->lang) == 0)
			report(l, path, 1, "translation '%s' is in the same language", r->translation);
		else if (strcmp(t->translation, r->slug) != 0)
			report(l, path, 1, "translation '%s' does not point back (it names '%s')", t->slug,
			       t->translation);
		else if (strcmp(t->section, r->section) != 0)
			report(l, path, 1, "translation '%s' is in another section", t->slug);
		for (size_t k = 0; k < r->nhotlines; k++)
			if (!has_hotline(l, r->hotlines[k]))
				report(l, path, 1, "hotlines: no hotline '%s' in hotlines.json",
				       r->hotlines[k]);
	}
}

static void lib_read(struct lib *l, const char *dir)
{
	memset(l, 0, sizeof(*l));
	l->a = arena_new();
	l->dir = dir;
	for (int s = 0; s < 4; s++)
		check_topics(l, s);
	check_hotlines(l);
	for (int s = 0; s < 4; s++)
		for (int k = 0; k < 2; k++)
			load_section_dir(l, langs[k], s);
	check_links(l);
}

static void lib_free(struct lib *l)
{
	for (int s = 0; s < 4; s++)
		json_decref(l->topics[s]);
	json_decref(l->hotlines);
	arena_free(l->a);
}

/* Whether to write a topic or hotline entry: not when it is as last loaded, nor when the console
 * changed it meanwhile (then the console's stays, and the notes say so once). The hash covers the
 * entry and its place in the file. *hash gets it, for filesync_mark. */
static bool entry_changed(struct db *db, const char *table, json_t *entry, int position, FILE *notes,
                          struct load_report *rep, char hash[17])
{
	const char *slug = json_string_value(json_object_get(entry, "slug"));
	char *text = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(hash, 17, "%016" PRIx64, hash64(text, strlen(text)) ^ (uint64_t)position);
	free(text);
	switch (filesync_check(db, table, slug, hash)) {
	case FILESYNC_WRITE: return true;
	case FILESYNC_SAME: return false;
	case FILESYNC_CONFLICT:
		fprintf(notes,
		        "vrc init: conflict: %s %s changed in its file and in the console; the console's "
		        "version stays\n",
		        table, slug);
		rep->conflicts++;
		filesync_mark(db, table, slug, hash, true);
		return false;
	case FILESYNC_ERROR: break;
	}
	return true; /* the write reports the database's error */
}

static int save_topics(struct db *db, struct lib *l, struct load_report *rep, FILE *notes)
{
	for (int s = 0; s < 4; s++) {
		size_t i;
		json_t *t;
		json_array_foreach (l->topics[s], i, t) {
			const char *slug = json_string_value(json_object_get(t, "slug"));
			char hash[17];
			rep->topics++;
			if (!entry_changed(db, "topic", t, (int)i, notes, rep, hash))
				continue;
			for (int k = 0; k < 2; k++) {
				const char *title =
				    json_string_value(json_object_get(json_object_get(t, "title"), langs[k]));
				const char *sum = json_string_value(
				    json_object_get(json_object_get(t, "summary"), langs[k]));
				if (topic_save(db, slug, section_slugs[s], (int)i, langs[k], title, sum) < 0)
					return -1;
			}
			if (filesync_mark(db, "topic", slug, hash, false) < 0)
				return -1;
		}
	}
	return 0;
}

static int save_hotline(struct db *db, json_t *j, int position)
{
	struct hotline h;
	memset(&h, 0, sizeof(h));
	h.slug = json_string_value(json_object_get(j, "slug"));
	h.verified = json_string_value(json_object_get(j, "verified"));
	h.source = json_string_value(json_object_get(j, "source"));
	h.featured = json_is_true(json_object_get(j, "featured"));
	h.panel = !json_is_false(json_object_get(j, "panel"));
	struct buf langs_buf = BUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach (json_object_get(j, "languages"), i, v) {
		if (json_is_string(v))
			buf_printf(&langs_buf, "%s%s", i ? "," : "", json_string_value(v));
	}
	h.languages = buf_str(&langs_buf).p;
	json_t *cs = json_object_get(j, "contacts");
	h.contacts = xcalloc(json_array_size(cs) + 1, sizeof(*h.contacts));
	json_array_foreach (cs, i, v) {
		h.contacts[i] = (struct contact){json_string_value(json_object_get(v, "kind")),
		                                 json_string_value(json_object_get(v, "value")),
		                                 json_string_value(json_object_get(v, "lang"))};
		h.ncontacts = i + 1;
	}
	int rc = hotline_save(db, &h, position);
	free(h.contacts);
	buf_free(&langs_buf);
	if (rc < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		h.name = json_string_value(json_object_get(json_object_get(j, "name"), langs[k]));
		h.audience = json_string_value(json_object_get(json_object_get(j, "for"), langs[k]));
		h.hours = json_string_value(json_object_get(json_object_get(j, "hours"), langs[k]));
		if (hotline_save_text(db, h.slug, langs[k], &h) < 0)
			return -1;
	}
	return 0;
}

/* Topics and hotlines gone from their JSON files are retired; the notes name each one. */
static int retire_gone(struct db *db, struct lib *l, struct load_report *rep, FILE *notes)
{
	size_t nt = 0, nh = json_array_size(l->hotlines);
	for (int s = 0; s < 4; s++)
		nt += json_array_size(l->topics[s]);
	const char **tk = arena_alloc(l->a, (nt + 1) * sizeof(*tk)),
	           **hk = arena_alloc(l->a, (nh + 1) * sizeof(*hk));
	size_t k = 0, i;
	json_t *v;
	for (int s = 0; s < 4; s++)
		json_array_foreach (l->topics[s], i, v)
			tk[k++] = json_string_value(json_object_get(v, "slug"));
	json_array_foreach (l->hotlines, i, v)
		hk[i] = json_string_value(json_object_get(v, "slug"));
	const char **gone;
	int n = topic_retire_others(db, l->a, tk, nt, &gone);
	for (int j = 0; j < n; j++)
		fprintf(notes, "vrc init: retired topic %s (gone from topics/*.json)\n", gone[j]);
	if (n < 0)
		return -1;
	rep->retired += (size_t)n;
	n = hotline_retire_others(db, l->a, hk, nh, &gone);
	for (int j = 0; j < n; j++)
		fprintf(notes, "vrc init: retired hotline %s (gone from hotlines.json)\n", gone[j]);
	if (n < 0)
		return -1;
	rep->retired += (size_t)n;
	return 0;
}

/* A resource loaded from a file that is gone is archived: kept, with its revisions, off the site. */
static int archive_gone(struct db *db, struct lib *l, struct load_report *rep, FILE *notes)
{
	struct resource *rs;
	size_t n = resource_list_files(db, l->a, &rs);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rs[i].status, "archived") == 0 || find(l, rs[i].slug))
			continue;
		if (resource_archive(db, rs[i].slug, "vrc init") < 0)
			return -1;
		fprintf(notes, "vrc init: archived %s/%s (%s): its file is gone\n", rs[i].lang, rs[i].slug,
		        rs[i].title);
		rep->archived++;
	}
	return 0;
}

/* Half a translation pair off the site is allowed (the other page's language switch then leads to
 * the home page), but said, so nobody is surprised. */
static void note_half_pairs(struct db *db, struct lib *l, FILE *notes)
{
	struct resource *rs;
	size_t n = resource_list_status(db, l->a, "published", &rs);
	for (size_t i = 0; i < n; i++) {
		if (!rs[i].translation || resource_find(db, l->a, rs[i].translation))
			continue;
		fprintf(notes, "vrc init: note: %s/%s is published but its translation %s is not\n",
		        rs[i].lang, rs[i].slug, rs[i].translation);
	}
}

static int save_all(struct db *db, struct lib *l, struct load_report *rep, FILE *notes)
{
	if (save_topics(db, l, rep, notes) < 0)
		return -1;
	size_t i;
	json_t *h;
	json_array_foreach (l->hotlines, i, h) {
		char hash[17];
		rep->hotlines++;
		if (!entry_changed(db, "hotline", h, (int)i, notes, rep, hash))
			continue;
		if (save_hotline(db, h, (int)i) < 0 ||
		    filesync_mark(db, "hotline", json_string_value(json_object_get(h, "slug")), hash, false) <
		        0)
			return -1;
	}
	for (i = 0; i < l->nres; i++) {
		const struct resource *r = &l->res[i];
		int rc = resource_save(db, r, "vrc init");
		if (rc < 0)
			return -1;
		if (rc == 2) {
			fprintf(notes,
			        "vrc init: conflict: %s/%s changed in its file and in the console; the "
			        "console's version stays live, the file's text is saved as a revision\n",
			        r->lang, r->slug);
			rep->conflicts++;
		}
		rep->updated += rc == 1;
		rep->resources++;
	}
	if (archive_gone(db, l, rep, notes) < 0 || retire_gone(db, l, rep, notes) < 0)
		return -1;
	note_half_pairs(db, l, notes);
	return 0;
}

int loader_check(const char *dir, struct load_report *rep, loader_visit visit, void *arg)
{
	struct lib l;
	lib_read(&l, dir);
	for (size_t i = 0; visit && i < l.nres; i++) {
		const struct resource *r = &l.res[i];
		char path[512];
		snprintf(path, sizeof(path), "%s/%s/%s/%s.md", dir, r->lang, r->section, r->slug);
		visit(r, path, arg);
	}
	memset(rep, 0, sizeof(*rep));
	rep->resources = l.nres;
	rep->errors = l.errors;
	lib_free(&l);
	return rep->errors ? -1 : 0;
}

int loader_run(struct db *db, const char *dir, struct load_report *rep, FILE *notes)
{
	struct lib l;
	lib_read(&l, dir);
	memset(rep, 0, sizeof(*rep));
	rep->errors = l.errors;
	int rc = -1;
	if (l.errors)
		goto done;
	if (db_begin(db) < 0)
		goto done;
	if (save_all(db, &l, rep, notes) < 0) {
		db_rollback(db);
		rep->errors++;
		goto done;
	}
	rc = db_commit(db);
done:
	lib_free(&l);
	return rc;
}
