/* Unit tests for src/app/loader.c: a small content tree in a temp dir loads into a migrated temp
 * database; each kind of broken tree is refused with "path:line: reason" on stderr and leaves the
 * database exactly as it was; a changed file updates its resource and keeps a revision. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/loader.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/util.h"
#include "db/db.h"
#include "model/hotline.h"
#include "model/resource.h"
#include "model/searchindex.h"
#include "model/topic.h"
#include "test.h"

static char root[64]; /* the content tree */
static char dbdir[64], dbpath[128];
static char errlog[128];   /* captured stderr of the last load */
static char *captured;     /* its text (malloc'd) */
static char noteslog[128]; /* what the last load said it archived or retired */
static char *notes;        /* its text (malloc'd) */

/* ---- files ---- */

/* Write text to root/rel, creating the folders on the way. */
static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *s = path + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0755);
			*s = '/';
		}
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		return;
	}
	fputs(text, f);
	fclose(f);
}

static void del(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static void rm_tree(const char *dir)
{
	char cmd[256];
	if (dir[0] && strncmp(dir, "/tmp/vrc-test-", 14) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
}

static const char *const topic_files[4][2] = {
    {"topics/victim-social-services.json", "victims-rights"},
    {"topics/social-connection.json", "support-groups"},
    {"topics/health-wellness.json", "sleep"},
    {"topics/grief-trauma.json", "grief"},
};

/* One resource file; extra lines go into the header before "sources:". */
static void put_resource(const char *rel, const char *title, const char *topic, const char *type,
                         const char *translation, const char *extra, const char *body)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
	           "---\n"
	           "title: %s\n"
	           "summary: A short summary.\n"
	           "topic: %s\n"
	           "type: %s\n"
	           "stage: first-days\n"
	           "checked: 2026-11-20\n"
	           "translation: %s\n"
	           "%s"
	           "sources:\n"
	           "  - title: Office for Victims of Crime\n"
	           "    url: https://ovc.ojp.gov/rights\n"
	           "  - title: Second source\n"
	           "    url: https://example.org/second\n"
	           "---\n"
	           "%s\n",
	           title, topic, type, translation, extra, body);
	put(rel, b.p);
	buf_free(&b);
}

#define EN_RIGHTS "en/victim-social-services/know-your-rights.md"
#define ES_RIGHTS "es/victim-social-services/conozca-sus-derechos.md"
#define EN_VIDEO  "en/health-wellness/sleep-video.md"
#define ES_VIDEO  "es/health-wellness/video-sueno.md"

/* A fresh valid tree: four topic files, one hotline, two resources in each language, media. */
static void make_tree(void)
{
	snprintf(root, sizeof(root), "/tmp/vrc-test-content-XXXXXX");
	if (!mkdtemp(root)) {
		root[0] = '\0';
		return;
	}
	for (int s = 0; s < 4; s++) {
		char json[512];
		snprintf(
		    json, sizeof(json),
		    "[\n  {\"slug\": \"%s\",\n   \"title\": {\"en\": \"Topic %d\", \"es\": \"Tema %d\"},\n"
		    "   \"summary\": {\"en\": \"About it\", \"es\": \"Sobre esto\"}}\n]\n",
		    topic_files[s][1], s, s);
		put(topic_files[s][0], json);
	}
	put("hotlines.json",
	    "[\n  {\"slug\": \"988\",\n"
	    "   \"name\": {\"en\": \"988 Lifeline\", \"es\": \"L\xc3\xadnea 988\"},\n"
	    "   \"for\": {\"en\": \"Anyone\", \"es\": \"Cualquiera\"},\n"
	    "   \"contacts\": [{\"kind\": \"call\", \"value\": \"988\"},\n"
	    "                {\"kind\": \"chat\", \"value\": \"https://988lifeline.org/chat\"}],\n"
	    "   \"hours\": {\"en\": \"24/7\", \"es\": \"24/7\"},\n"
	    "   \"languages\": [\"en\", \"es\"], \"featured\": true,\n"
	    "   \"verified\": \"2026-11-20\", \"source\": \"https://988lifeline.org/\"}\n]\n");
	put_resource(EN_RIGHTS, "Know your rights", "victims-rights", "article", "conozca-sus-derechos",
	             "hotlines: 988\n", "You have rights.");
	put_resource(ES_RIGHTS, "Conozca sus derechos", "victims-rights", "article", "know-your-rights", "",
	             "Usted tiene derechos.");
	put_resource(EN_VIDEO, "Sleep after a shock", "sleep", "video", "video-sueno",
	             "video: sleep.webm\ncaptions: sleep.en.vtt\n", "Transcript.");
	put_resource(ES_VIDEO, "Dormir tras un golpe", "sleep", "video", "sleep-video",
	             "video: sleep.webm\ncaptions: sleep.es.vtt\n", "Transcripci\xc3\xb3n.");
	put("media/sleep.webm", "not really a video");
	put("media/sleep.en.vtt", "WEBVTT\n");
	put("media/sleep.es.vtt", "WEBVTT\n");
}

/* ---- database ---- */

static struct db *db_fresh(void)
{
	snprintf(dbdir, sizeof(dbdir), "/tmp/vrc-test-loaddb-XXXXXX");
	if (!mkdtemp(dbdir))
		return NULL;
	snprintf(dbpath, sizeof(dbpath), "%s/vrc.db", dbdir);
	char err[256];
	struct db *db = db_open(dbpath, err, sizeof(err));
	if (db && db_migrate(db) < 0) {
		db_close(db);
		db = NULL;
	}
	return db;
}

static void db_done(struct db *db)
{
	db_close(db);
	rm_tree(dbdir);
}

/* Everything the loader writes, as one string: row counts and the resources' text. */
static char *snapshot(struct db *db)
{
	static const char *const queries[] = {
	    "SELECT count(*) FROM topic",
	    "SELECT count(*) FROM topic_text",
	    "SELECT count(*) FROM hotline",
	    "SELECT count(*) FROM hotline_text",
	    "SELECT count(*) FROM hotline_contact",
	    "SELECT count(*) FROM resource",
	    "SELECT count(*) FROM resource_source",
	    "SELECT count(*) FROM revision",
	    "SELECT group_concat(x, '|') FROM (SELECT slug || ':' || title || ':' || body || ':' || "
	    "topic_id || ':' || coalesce(video, '') AS x FROM resource ORDER BY id)",
	    "SELECT group_concat(x, '|') FROM (SELECT t.slug || ':' || x.lang || ':' || x.title AS x "
	    "FROM topic t JOIN topic_text x ON x.topic_id = t.id ORDER BY t.id, x.lang)",
	    "SELECT group_concat(x, '|') FROM (SELECT slug || ':' || verified AS x FROM hotline ORDER BY id)",
	};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		struct db_stmt *st = db_prepare(db, queries[i]);
		if (st && db_step(st) == 1) {
			const char *v = db_col_text(st, 0);
			buf_printf(&b, "%s\n", v ? v : "(null)");
		} else {
			buf_puts(&b, "(error)\n");
		}
		db_finalize(st);
	}
	return buf_detach(&b, NULL);
}

static int64_t count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t v = -1;
	if (st && db_step(st) == 1)
		v = db_col_int(st, 0);
	db_finalize(st);
	return v;
}

/* ---- running the loader with stderr captured ---- */

static int load(struct db *db, struct load_report *rep)
{
	fflush(stderr);
	int saved = dup(2);
	int fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	FILE *nf = fopen(noteslog, "w");
	int rc = loader_run(db, root, rep, nf ? nf : stdout);
	if (nf)
		fclose(nf);
	free(notes);
	notes = file_read(noteslog, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	free(captured);
	captured = file_read(errlog, NULL);
	return rc;
}

/* ---- tests ---- */

static void test_valid(void)
{
	struct db *db = db_fresh();
	make_tree();
	CHECK(db != NULL && root[0]);
	if (!db || !root[0])
		return;
	struct load_report rep;
	int rc = load(db, &rep);
	CHECK(rc == 0);
	CHECK(rep.errors == 0);
	CHECK(rep.resources == 4);
	CHECK(rep.topics == 4);
	CHECK(rep.hotlines == 1);
	if (rc != 0)
		fprintf(stderr, "loader said:\n%s", captured ? captured : "");
	CHECK_STR(captured, "");

	struct arena *a = arena_new();
	struct resource *r = resource_find(db, a, "know-your-rights");
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->title, "Know your rights");
		CHECK_STR(r->summary, "A short summary.");
		CHECK_STR(r->lang, "en");
		CHECK_STR(r->section, "victim-social-services");
		CHECK_STR(r->topic, "victims-rights");
		CHECK_STR(r->type, "article");
		CHECK_STR(r->stage, "first-days");
		CHECK_STR(r->checked, "2026-11-20");
		CHECK(r->reviewer == NULL && r->reviewed_at == NULL);
		CHECK(r->nhotlines == 1 && strcmp(r->hotlines[0], "988") == 0);
		CHECK_STR(r->translation, "conozca-sus-derechos");
		CHECK_STR(r->status, "published");
		CHECK_STR(r->body, "You have rights.\n");
		CHECK(r->nsources == 2);
		if (r->nsources == 2) {
			CHECK_STR(r->sources[0].title, "Office for Victims of Crime");
			CHECK_STR(r->sources[0].url, "https://ovc.ojp.gov/rights");
			CHECK_STR(r->sources[1].title, "Second source");
			CHECK_STR(r->sources[1].url, "https://example.org/second");
		}
	}
	r = resource_find(db, a, "video-sueno");
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->lang, "es");
		CHECK_STR(r->section, "health-wellness");
		CHECK_STR(r->video, "sleep.webm");
		CHECK_STR(r->captions, "sleep.es.vtt");
		CHECK_STR(r->body, "Transcripci\xc3\xb3n.\n");
		CHECK(r->nsources == 2);
	}
	CHECK(resource_find(db, a, "conozca-sus-derechos") != NULL);
	CHECK(resource_find(db, a, "sleep-video") != NULL);
	CHECK(resource_find(db, a, "no-such-thing") == NULL);
	CHECK(count(db, "SELECT count(*) FROM hotline_contact") == 2);
	/* Each loaded text is kept as its first published revision. */
	CHECK(count(db, "SELECT count(*) FROM revision WHERE state = 'published'") == 4);
	/* The triggers listed the published texts for the search index, which then has them. */
	CHECK(searchindex_sync(db) > 0);
	CHECK(count(db, "SELECT count(*) FROM search_es WHERE search_es MATCH 'derechos'") == 1);

	/* loader_check agrees and writes nothing. */
	struct load_report crep;
	fflush(stderr);
	CHECK(loader_check(root, &crep, NULL, NULL) == 0 && crep.errors == 0 && crep.resources == 4);
	arena_free(a);
	db_done(db);
	rm_tree(root);
}

/* A way to break the valid tree, and what stderr must then say. */
struct breakage {
	const char *name;
	void (*apply)(void);
	const char *want; /* a fragment of the messages, after the root folder */
};

static void break_translation(void)
{
	/* Points at a resource in the other language that names someone else. */
	put_resource(ES_RIGHTS, "Conozca sus derechos", "victims-rights", "article", "sleep-video", "",
	             "Usted tiene derechos.");
}

static void break_missing_translation(void)
{
	del(ES_RIGHTS);
}

static void break_duplicate(void)
{
	put_resource("en/grief-trauma/know-your-rights.md", "Twice", "grief", "article",
	             "conozca-sus-derechos", "", "Again.");
}

static void break_topic(void)
{
	put_resource(EN_RIGHTS, "Know your rights", "no-such-topic", "article", "conozca-sus-derechos", "",
	             "You have rights.");
}

static void break_topic_json(void)
{
	put("topics/grief-trauma.json", "[\n  {\"slug\": \"grief\",\n   \"title\": }\n]\n");
}

static void break_hotlines_json(void)
{
	put("hotlines.json", "[{\"slug\": \"988\", \"slug\": \"989\"}]");
}

static void break_media(void)
{
	del("media/sleep.webm");
}

static void break_date(void)
{
	put_resource(EN_RIGHTS, "Know your rights", "victims-rights", "article", "conozca-sus-derechos", "",
	             "You have rights.");
	put(EN_RIGHTS, "---\n"
	               "title: Know your rights\n"
	               "summary: S\n"
	               "topic: victims-rights\n"
	               "type: article\n"
	               "stage: first-days\n"
	               "checked: 2026-02-30\n"
	               "translation: conozca-sus-derechos\n"
	               "sources:\n"
	               "  - title: A\n"
	               "    url: https://a.example/x\n"
	               "---\n"
	               "Body\n");
}

static void break_topic_without_slug(void)
{
	/* A topic entry without a slug, in a section that has resources to look topics up for. */
	put("topics/victim-social-services.json",
	    "[\n  {\"title\": {\"en\": \"No slug\", \"es\": \"Sin slug\"}},\n"
	    "  \"not even an object\",\n"
	    "  {\"slug\": \"victims-rights\", \"title\": {\"en\": \"R\", \"es\": \"D\"}}\n]\n");
}

static void break_file_name(void)
{
	put_resource("en/grief-trauma/Bad_Name.md", "Bad", "grief", "article", "conozca-sus-derechos", "",
	             "x");
}

static void break_hotline(void)
{
	put("hotlines.json",
	    "[\n  {\"slug\": \"988\", \"name\": {\"en\": \"x\", \"es\": \"y\"},\n"
	    "   \"contacts\": [{\"kind\": \"fax\", \"value\": \"1\"}],\n"
	    "   \"verified\": \"2026-11-20\", \"source\": \"http://988lifeline.org/\"}\n]\n");
}

static const struct breakage breakages[] = {
    {"translation that does not point back", break_translation,
     "/" ES_RIGHTS ":1: translation 'sleep-video' does not point back (it names 'video-sueno')"},
    {"translation that does not exist", break_missing_translation,
     "/" EN_RIGHTS ":1: translation 'conozca-sus-derechos' does not exist"},
    {"duplicate slug", break_duplicate, ":1: slug 'know-your-rights' is used twice"},
    {"unknown topic", break_topic,
     "/" EN_RIGHTS ":1: unknown topic 'no-such-topic' (see topics/victim-social-services.json)"},
    {"malformed topics JSON", break_topic_json, "/topics/grief-trauma.json:3: "},
    {"duplicate key in hotlines JSON", break_hotlines_json, "/hotlines.json:1: "},
    {"missing media file", break_media, "/" EN_VIDEO ":1: video: no such file "},
    {"bad date, on its line", break_date, "/" EN_RIGHTS ":7: checked must be a date YYYY-MM-DD\n"},
    {"topic without a slug", break_topic_without_slug, "topic 1 needs a slug and a title in en and es"},
    {"file name that is not a slug", break_file_name,
     "/en/grief-trauma/Bad_Name.md:1: the file name must be a slug"},
    {"bad hotline", break_hotline, "hotlines.json:1: hotline 1: source must be an https URL"},
};

/* Load the valid tree, break it (and change another file too), load again: refused, and the
 * database is exactly as the first load left it. */
static void test_refused(void)
{
	for (size_t i = 0; i < sizeof(breakages) / sizeof(breakages[0]); i++) {
		const struct breakage *bk = &breakages[i];
		struct db *db = db_fresh();
		make_tree();
		if (!db || !root[0]) {
			CHECK(!"setup");
			return;
		}
		struct load_report rep;
		CHECK(load(db, &rep) == 0);
		char *before = snapshot(db);
		/* A valid change elsewhere that a half-done load would have saved. */
		put_resource(EN_VIDEO, "Sleep after a shock, revised", "sleep", "video", "video-sueno",
		             "video: sleep.webm\ncaptions: sleep.en.vtt\n", "New transcript.");
		bk->apply();
		int rc = load(db, &rep);
		char *after = snapshot(db);
		if (rc != -1 || rep.errors == 0 || !CONTAINS(captured, bk->want) ||
		    strcmp(before, after) != 0)
			fprintf(stderr, "  case '%s' said:\n%s", bk->name, captured ? captured : "(nothing)");
		CHECK(rc == -1);
		CHECK(rep.errors > 0);
		CHECK(CONTAINS(captured, bk->want));
		/* Every message starts with the root folder: "path:line: reason". */
		CHECK(captured &&
		      (strncmp(captured, root, strlen(root)) == 0 || strncmp(captured, "topics/", 7) == 0 ||
		       strncmp(captured, "hotlines.json:", 14) == 0));
		CHECK_STR(after, before);
		free(before);
		free(after);

		/* The same broken tree on an empty database leaves it empty. */
		db_done(db);
		db = db_fresh();
		CHECK(load(db, &rep) == -1);
		CHECK(count(db, "SELECT count(*) FROM resource") == 0);
		CHECK(count(db, "SELECT count(*) FROM topic") == 0);
		CHECK(count(db, "SELECT count(*) FROM hotline") == 0);
		db_done(db);
		rm_tree(root);
	}
}

static void test_update(void)
{
	struct db *db = db_fresh();
	make_tree();
	if (!db || !root[0]) {
		CHECK(!"setup");
		return;
	}
	struct load_report rep;
	CHECK(load(db, &rep) == 0);
	struct arena *a = arena_new();
	struct resource *r = resource_find(db, a, "know-your-rights");
	int64_t id = r ? r->id : 0;

	/* Re-running on the same files changes nothing and keeps no revision. */
	char *before = snapshot(db);
	CHECK(load(db, &rep) == 0 && rep.resources == 4 && rep.errors == 0);
	char *same = snapshot(db);
	CHECK_STR(same, before);
	CHECK(count(db, "SELECT count(*) FROM revision") == 4);

	/* A changed file updates its resource (same row); the old text stays in its revision and the new
	 * one is kept as the next. */
	put(EN_RIGHTS, "---\n"
	               "title: Know your rights (updated)\n"
	               "summary: A new summary.\n"
	               "topic: victims-rights\n"
	               "type: article\n"
	               "stage: any\n"
	               "checked: 2026-11-24\n"
	               "translation: conozca-sus-derechos\n"
	               "sources:\n"
	               "  - title: Only source now\n"
	               "    url: https://ovc.ojp.gov/new\n"
	               "---\n"
	               "New body.\n");
	CHECK(load(db, &rep) == 0);
	CHECK(rep.errors == 0);
	r = resource_find(db, a, "know-your-rights");
	CHECK(r != NULL);
	if (r) {
		CHECK(r->id == id);
		CHECK_STR(r->title, "Know your rights (updated)");
		CHECK_STR(r->summary, "A new summary.");
		CHECK_STR(r->stage, "any");
		CHECK_STR(r->checked, "2026-11-24");
		CHECK_STR(r->body, "New body.\n");
		CHECK(r->reviewer == NULL);
		CHECK(r->nsources == 1);
		if (r->nsources == 1)
			CHECK_STR(r->sources[0].url, "https://ovc.ojp.gov/new");
	}
	CHECK(count(db, "SELECT count(*) FROM resource") == 4);
	CHECK(count(db, "SELECT count(*) FROM revision") == 5);
	struct db_stmt *st =
	    db_prepare(db, "SELECT resource_id, author, title, body, state FROM revision WHERE "
	                   "resource_id = ? ORDER BY id");
	if (st)
		db_bind_int(st, 1, id);
	CHECK(st && db_step(st) == 1);
	if (st) {
		CHECK(db_col_int(st, 0) == id);
		CHECK_STR(db_col_text(st, 1), "vrc init");
		CHECK_STR(db_col_text(st, 2), "Know your rights");
		CHECK_STR(db_col_text(st, 3), "You have rights.\n");
		CHECK(db_step(st) == 1);
		CHECK_STR(db_col_text(st, 2), "Know your rights (updated)");
		CHECK_STR(db_col_text(st, 4), "published");
	}
	db_finalize(st);
	/* The search index follows the update. */
	CHECK(searchindex_sync(db) > 0);
	CHECK(count(db, "SELECT count(*) FROM search_en WHERE search_en MATCH 'updated'") == 1);
	/* Loading the changed tree again adds no second revision. */
	CHECK(load(db, &rep) == 0);
	CHECK(rep.updated == 0);
	CHECK(count(db, "SELECT count(*) FROM revision") == 5);
	/* An edit made in the database survives a reload of unchanged files. */
	CHECK(db_exec(db, "UPDATE resource SET title = 'Edited by staff' WHERE slug = 'know-your-rights'") ==
	      0);
	CHECK(load(db, &rep) == 0);
	r = resource_find(db, a, "know-your-rights");
	CHECK(r && strcmp(r->title, "Edited by staff") == 0);
	free(before);
	free(same);
	arena_free(a);
	db_done(db);
	rm_tree(root);
}

static void rm(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static const char *status_of(struct db *db, struct arena *a, const char *slug)
{
	struct resource *r = resource_get(db, a, slug);
	return r ? r->status : "(none)";
}

/* What the database holds is what the site shows: a file gone is archived (with its revisions),
 * a hotline or topic gone from its JSON is retired, and init says so; coming back restores them. */
static void test_lifecycle(void)
{
	struct db *db = db_fresh();
	make_tree();
	if (!db || !root[0]) {
		CHECK(!"setup");
		return;
	}
	struct load_report rep;
	struct arena *a = arena_new();
	CHECK(load(db, &rep) == 0 && rep.archived == 0 && rep.retired == 0);
	CHECK_STR(notes, "");

	/* Delete a pair: both archived, kept with a revision each, named in the notes. */
	rm(EN_RIGHTS);
	rm(ES_RIGHTS);
	CHECK(load(db, &rep) == 0);
	CHECK(rep.resources == 2 && rep.archived == 2);
	CHECK(resource_find(db, a, "know-your-rights") == NULL);
	CHECK_STR(status_of(db, a, "know-your-rights"), "archived");
	CHECK_STR(status_of(db, a, "conozca-sus-derechos"), "archived");
	CHECK(count(db, "SELECT count(*) FROM revision WHERE note = 'archived'") == 2);
	CHECK(CONTAINS(notes, "archived en/know-your-rights (Know your rights): its file is gone"));
	CHECK(CONTAINS(notes, "archived es/conozca-sus-derechos"));
	struct resource *list;
	CHECK(resource_list_status(db, a, "published", &list) == 2);
	CHECK(resource_list_status(db, a, "archived", &list) == 2);
	/* Loading again archives nothing more. */
	CHECK(load(db, &rep) == 0 && rep.archived == 0);

	/* The files come back: published again. */
	make_tree();
	CHECK(load(db, &rep) == 0 && rep.archived == 0);
	CHECK_STR(status_of(db, a, "know-your-rights"), "published");

	/* One side archived by its file: the other side is reported, not refused. */
	put_resource(ES_RIGHTS, "Conozca sus derechos", "victims-rights", "article", "know-your-rights",
	             "status: archived\n", "Usted tiene derechos.");
	CHECK(load(db, &rep) == 0);
	CHECK_STR(status_of(db, a, "conozca-sus-derechos"), "archived");
	CHECK(CONTAINS(notes,
	               "note: en/know-your-rights is published but its translation conozca-sus-derechos "
	               "is not"));
	/* A draft is loaded but not public. */
	put_resource(ES_RIGHTS, "Conozca sus derechos", "victims-rights", "article", "know-your-rights",
	             "status: draft\n", "Usted tiene derechos.");
	CHECK(load(db, &rep) == 0);
	CHECK_STR(status_of(db, a, "conozca-sus-derechos"), "draft");
	CHECK(resource_find(db, a, "conozca-sus-derechos") == NULL);

	/* A hotline and a topic gone from their JSON are retired and named; back again, in service. */
	put("hotlines.json", "[]\n");
	put_resource(EN_RIGHTS, "Know your rights", "victims-rights", "article", "conozca-sus-derechos", "",
	             "You have rights.");
	put("topics/grief-trauma.json", "[]\n");
	CHECK(load(db, &rep) == 0);
	CHECK(rep.retired == 2);
	CHECK(CONTAINS(notes, "retired hotline 988 (gone from hotlines.json)"));
	CHECK(CONTAINS(notes, "retired topic grief (gone from topics/*.json)"));
	struct hotline *hs;
	CHECK(hotline_list(db, a, "en", &hs, NULL) == 0);
	struct topic *ts;
	CHECK(topic_list(db, a, "grief-trauma", "en", &ts) == 0);
	CHECK(count(db, "SELECT count(*) FROM hotline WHERE retired = 1") == 1);
	make_tree();
	CHECK(load(db, &rep) == 0 && rep.retired == 0);
	CHECK(hotline_list(db, a, "en", &hs, NULL) == 1);
	CHECK(topic_list(db, a, "grief-trauma", "en", &ts) == 1);
	arena_free(a);
	db_done(db);
	rm_tree(root);
}

/* More than the old silent caps (6 contacts, 32 hotlines, 32 topics) all reach the page; contacts
 * can be for one language and for videophone users. */
static void test_no_caps(void)
{
	struct db *db = db_fresh();
	make_tree();
	if (!db || !root[0]) {
		CHECK(!"setup");
		return;
	}
	struct buf b = BUF_INIT;
	buf_puts(&b, "[\n");
	for (int i = 0; i < 40; i++) {
		buf_printf(&b,
		           "%s{\"slug\": \"line-%d\", \"name\": {\"en\": \"Line %d\", \"es\": \"L%d\"},"
		           " \"contacts\": [",
		           i ? ",\n" : "", i, i, i);
		for (int k = 0; k < 8; k++)
			buf_printf(&b, "%s{\"kind\": \"call\", \"value\": \"1-800-555-01%02d\"}",
			           k ? ", " : "", k);
		buf_puts(&b, ", {\"kind\": \"videophone\", \"value\": \"1-800-555-0199\"}, "
		             "{\"kind\": \"text\", \"value\": \"988 AYUDA\", \"lang\": \"es\"}], "
		             "\"verified\": \"2026-11-30\", \"source\": \"https://example.org/\"}");
	}
	buf_puts(&b, "]\n");
	put("hotlines.json", b.p);
	buf_free(&b);
	/* 40 topics: "sleep" (the video's) first, then extra-1 ... extra-39. */
	buf_puts(&b, "[{\"slug\": \"sleep\", \"title\": {\"en\": \"T\", \"es\": \"T\"}}");
	for (int i = 1; i < 40; i++)
		buf_printf(&b, ",\n{\"slug\": \"extra-%d\", \"title\": {\"en\": \"T\", \"es\": \"T\"}}", i);
	buf_puts(&b, "]\n");
	put("topics/health-wellness.json", b.p);
	buf_free(&b);
	put_resource(EN_RIGHTS, "Know your rights", "victims-rights", "article", "conozca-sus-derechos", "",
	             "x");
	struct load_report rep;
	int rc = load(db, &rep);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "loader said:\n%s", captured ? captured : "");
	struct arena *a = arena_new();
	struct hotline *hs;
	CHECK(hotline_list(db, a, "en", &hs, NULL) == 40);
	CHECK(hs[39].ncontacts == 9); /* 8 calls, a videophone; the Spanish text is not for English pages */
	CHECK(hotline_list(db, a, "es", &hs, NULL) == 40);
	CHECK(hs[0].ncontacts == 10 && strcmp(hs[0].contacts[9].value, "988 AYUDA") == 0 &&
	      strcmp(hs[0].contacts[8].kind, "videophone") == 0);
	struct topic *ts;
	CHECK(topic_list(db, a, "health-wellness", "en", &ts) == 40);
	arena_free(a);
	db_done(db);
	rm_tree(root);
}

/* vrc init after staff edits: an unchanged file never overwrites a console edit; a file and a console
 * edit that both changed are reported as a conflict, the console's version kept, the file's saved. */
static void test_console_conflict(void)
{
	struct db *db = db_fresh();
	make_tree();
	if (!db || !root[0]) {
		CHECK(!"setup");
		return;
	}
	struct load_report rep;
	struct arena *a = arena_new();
	CHECK(load(db, &rep) == 0);
	struct resource *r = resource_find(db, a, "know-your-rights");
	CHECK(r != NULL);
	if (!r)
		return;
	struct resource edit = *r;
	edit.title = "Know your rights (console)";
	CHECK(resource_publish(db, r->id, &edit, "Ana Ruiz, PhD", "2026-12-01", "ana@example.org") == 0);
	/* Unchanged file: nothing happens. */
	CHECK(load(db, &rep) == 0 && rep.conflicts == 0 && rep.updated == 0);
	CHECK_STR(resource_find(db, a, "know-your-rights")->title, "Know your rights (console)");
	/* The file changes too: a conflict, reported once; the console's text stays live. */
	put_resource(EN_RIGHTS, "Know your rights (file)", "victims-rights", "article",
	             "conozca-sus-derechos", "", "You have rights.");
	CHECK(load(db, &rep) == 0 && rep.conflicts == 1 && rep.updated == 0);
	CHECK(CONTAINS(notes, "conflict: en/know-your-rights changed in its file and in the console"));
	r = resource_find(db, a, "know-your-rights");
	CHECK(r && strcmp(r->title, "Know your rights (console)") == 0);
	CHECK(r && r->reviewer && strcmp(r->reviewer, "Ana Ruiz, PhD") == 0);
	CHECK(count(db, "SELECT count(*) FROM revision WHERE state = 'conflict' AND title = 'Know your "
	                "rights (file)'") == 1);
	CHECK(load(db, &rep) == 0 && rep.conflicts == 0);
	/* The same for a hotline edited in the console. */
	CHECK(db_exec(db, "UPDATE hotline SET console_edited = 1 WHERE slug = '988'; UPDATE hotline_text SET "
	                  "hours = 'Console hours' WHERE lang = 'en'") == 0);
	CHECK(load(db, &rep) == 0 && rep.conflicts == 0);
	struct buf b = BUF_INIT;
	char path[512];
	snprintf(path, sizeof(path), "%s/hotlines.json", root);
	char *text = file_read(path, NULL);
	buf_puts(&b, text ? text : "");
	free(text);
	char *p = b.p ? strstr(b.p, "\"24/7\"") : NULL;
	if (p)
		memcpy(p, "\"24h \"", 6);
	put("hotlines.json", b.p ? b.p : "");
	buf_free(&b);
	CHECK(load(db, &rep) == 0 && rep.conflicts == 1);
	CHECK(CONTAINS(notes, "conflict: hotline 988 changed in its file and in the console"));
	struct hotline *hs;
	CHECK(hotline_list(db, a, "en", &hs, NULL) == 1 && strcmp(hs[0].hours, "Console hours") == 0);
	arena_free(a);
	db_done(db);
	rm_tree(root);
}

/* Rows the console made or retired are the console's: `vrc init` neither retires a line or topic that
 * is not in the files nor brings back one the console retired. */
static void test_console_rows(void)
{
	struct db *db = db_fresh();
	make_tree();
	if (!db || !root[0]) {
		CHECK(!"setup");
		return;
	}
	struct load_report rep;
	CHECK(load(db, &rep) == 0);
	CHECK(hotline_set_retired(db, "988", true) == 0);
	struct contact c = {"call", "1-555-0100", NULL};
	struct hotline_all h = {.slug = "town-line",
	                        .languages = "en",
	                        .verified = "2026-11-01",
	                        .source = "https://example.org/",
	                        .panel = true,
	                        .position = -1,
	                        .name = {"Town line", "Línea local"},
	                        .audience = {"", ""},
	                        .hours = {"", ""},
	                        .contacts = &c,
	                        .ncontacts = 1};
	CHECK(hotline_store(db, &h) == 0);
	struct topic_all t = {.slug = "town-topic",
	                      .section = "social-connection",
	                      .title = {"Town", "Pueblo"},
	                      .summary = {"", ""},
	                      .position = 5};
	CHECK(topic_store(db, &t) == 0);
	CHECK(load(db, &rep) == 0 && rep.conflicts == 0 && rep.retired == 0);
	CHECK(count(db, "SELECT retired FROM hotline WHERE slug = '988'") == 1);
	CHECK(count(db, "SELECT retired FROM hotline WHERE slug = 'town-line'") == 0);
	CHECK(count(db, "SELECT retired FROM topic WHERE slug = 'town-topic'") == 0);
	CHECK(!CONTAINS(notes, "retired"));
	/* A line retired by init (gone from its file) still comes back when the file names it again. */
	CHECK(db_exec(db, "UPDATE hotline SET retired = 1, console_edited = 0, source_hash = NULL WHERE slug "
	                  "= '988'") == 0);
	CHECK(load(db, &rep) == 0);
	CHECK(count(db, "SELECT retired FROM hotline WHERE slug = '988'") == 0);
	db_done(db);
	rm_tree(root);
}

static void setup(void)
{
	log_set_level(LOG_WARN);
	snprintf(errlog, sizeof(errlog), "/tmp/vrc-test-loader-%ld.log", (long)getpid());
	snprintf(noteslog, sizeof(noteslog), "/tmp/vrc-test-loader-%ld.notes", (long)getpid());
}

static void cleanup(void)
{
	unlink(errlog);
	unlink(noteslog);
	free(captured);
	free(notes);
	captured = notes = NULL;
}

static const struct test_case tests[] = {
    {"setup", setup},
    {"valid", test_valid},
    {"refused", test_refused},
    {"update", test_update},
    {"lifecycle", test_lifecycle},
    {"no caps", test_no_caps},
    {"console conflict", test_console_conflict},
    {"console rows", test_console_rows},
    {"cleanup", cleanup},
};
TEST_MAIN(tests)
