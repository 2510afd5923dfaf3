/* Unit tests for src/model/searchindex.c and the triggers of migration 010: only published resources
 * are indexed and the index follows every change (publish, edit, archive, delete, topic and hotline
 * text, retiring); titles rank above bodies; words are text, never query syntax; "any" finds
 * documents with some of the words; the words are marked by the stem tokenizer in both languages
 * (migration 013's tables keep no positions). */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/searchindex.h"
#include "test.h"

static struct db *db;
static struct arena *a;

static void sql(const char *s)
{
	if (db_exec(db, s) < 0)
		fprintf(stderr, "  SQL failed: %s\n", s);
}

/* How many documents of lang hold every word of the space-separated words, after a sync. */
static int hits(const char *lang, const char *words, struct search_hit **out)
{
	const char *w[8];
	size_t n = 0;
	char *copy = arena_strdup(a, words);
	for (char *p = copy; *p && n < 8;) {
		w[n++] = p;
		char *sp = strchr(p, ' ');
		if (!sp)
			break;
		*sp = '\0';
		p = sp + 1;
	}
	struct search_hit *tmp;
	searchindex_sync(db);
	return searchindex_find(db, a, lang, w, n, false, 10, out ? out : &tmp);
}

static void resource(const char *slug, const char *lang, const char *status, const char *title,
                     const char *body)
{
	char *s =
	    arena_printf(a,
	                 "INSERT INTO resource(slug, lang, topic_id, type, stage, title, summary, body, "
	                 "checked, status) VALUES ('%s', '%s', 1, 'article', 'any', '%s', 'A summary.', "
	                 "'%s', '2026-01-01', '%s')",
	                 slug, lang, title, body, status);
	sql(s);
}

static void test_setup(void)
{
	char err[256] = "";
	db = db_open(":memory:", err, sizeof(err));
	a = arena_new();
	CHECK(db != NULL);
	CHECK(db_migrate(db) > 0);
	sql("INSERT INTO topic(id, slug, section, position) VALUES (1, 'grief-reactions', 'grief-trauma', "
	    "1)");
	sql("INSERT INTO topic_text(topic_id, lang, title, summary) VALUES "
	    "(1, 'en', 'Grief reactions', 'What grief can feel like.'), "
	    "(1, 'es', 'Reacciones del duelo', 'Cómo se puede sentir el duelo.')");
	sql("INSERT INTO hotline(id, slug, position, verified, source) VALUES "
	    "(1, '988', 1, '2026-01-01', 'https://988lifeline.org/')");
	sql("INSERT INTO hotline_text(hotline_id, lang, name, audience) VALUES "
	    "(1, 'en', '988 Suicide & Crisis Lifeline', 'Anyone in distress'), "
	    "(1, 'es', '988 Línea de Prevención del Suicidio y Crisis', 'Cualquier persona')");
}

static void test_published_only(void)
{
	resource("a-draft", "en", "draft", "Sleepless nights", "Sleep draft.");
	resource("in-review", "en", "review", "Sleepless review", "Sleep review.");
	resource("gone", "en", "archived", "Sleepless archive", "Sleep archive.");
	resource("live", "en", "published", "Sleep after trauma", "Rest helps.");
	struct search_hit *h;
	CHECK(hits("en", "sleepless", NULL) == 0);
	CHECK(hits("en", "sleep", &h) == 1);
	CHECK_STR(h[0].kind, "resource");
	CHECK_STR(h[0].ref, "live");
	CHECK_STR(h[0].url, "/resources/live");
	/* Publishing the draft brings it in; archiving takes it out; deleting too. */
	sql("UPDATE resource SET status = 'published' WHERE slug = 'a-draft'");
	CHECK(hits("en", "sleepless", NULL) == 1);
	sql("UPDATE resource SET status = 'archived' WHERE slug = 'a-draft'");
	CHECK(hits("en", "sleepless", NULL) == 0);
	sql("UPDATE resource SET title = 'Sleep, rest and dreams' WHERE slug = 'live'");
	CHECK(hits("en", "dreams", NULL) == 1);
	CHECK(hits("en", "trauma", NULL) == 0);
	sql("DELETE FROM resource WHERE slug = 'live'");
	CHECK(hits("en", "dreams", NULL) == 0);
	/* Nothing is left pending, and nothing is left behind in search_doc. */
	CHECK(searchindex_sync(db) == 0);
}

static void test_languages(void)
{
	resource("derechos", "es", "published", "Sus derechos", "Los trámites del proceso.");
	struct search_hit *h;
	CHECK(hits("es", "tramite", &h) == 1);
	CHECK_STR(h[0].url, "/es/resources/derechos");
	CHECK(hits("en", "tramite", NULL) == 0);
	CHECK(hits("fr", "tramite", NULL) == -1);
}

static void test_topics_and_hotlines(void)
{
	struct search_hit *h;
	CHECK(hits("en", "reactions", &h) == 1);
	CHECK_STR(h[0].kind, "topic");
	CHECK_STR(h[0].url, "/grief-trauma#grief-reactions");
	CHECK(hits("es", "duelo", &h) == 1);
	CHECK_STR(h[0].url, "/es/grief-trauma#grief-reactions");
	CHECK(hits("es", "suicidio", &h) == 1);
	CHECK_STR(h[0].kind, "hotline");
	CHECK_STR(h[0].ref, "988");
	CHECK_STR(h[0].url, "");
	/* Text edits follow; retiring takes them out, bringing back puts them in. */
	sql("UPDATE topic_text SET title = 'Mourning reactions' WHERE topic_id = 1 AND lang = 'en'");
	CHECK(hits("en", "mourning", NULL) == 1);
	sql("UPDATE topic SET retired = 1 WHERE id = 1");
	CHECK(hits("en", "mourning", NULL) == 0);
	sql("UPDATE topic SET retired = 0 WHERE id = 1");
	CHECK(hits("en", "mourning", NULL) == 1);
	sql("UPDATE hotline SET retired = 1 WHERE id = 1");
	CHECK(hits("en", "lifeline", NULL) == 0);
	sql("UPDATE hotline SET retired = 0 WHERE id = 1");
	CHECK(hits("en", "lifeline", NULL) == 1);
	/* An upsert, as the loader and the console write, keeps one document. */
	sql("INSERT INTO hotline_text(hotline_id, lang, name, audience) VALUES (1, 'en', '988 Lifeline', "
	    "'All') "
	    "ON CONFLICT(hotline_id, lang) DO UPDATE SET name = excluded.name");
	CHECK(hits("en", "lifeline", NULL) == 1);
	sql("DELETE FROM hotline WHERE id = 1");
	CHECK(hits("en", "lifeline", NULL) == 0);
}

static void test_ranking_and_marks(void)
{
	resource("body-match", "en", "published", "Coping day by day",
	         "Some people find that journaling helps with memories.");
	resource("title-match", "en", "published", "Journaling after loss", "Writing things down.");
	struct search_hit *h;
	CHECK(hits("en", "journaling", &h) == 2);
	CHECK_STR(h[0].ref, "title-match");
	CHECK_STR(h[1].ref, "body-match");
	CHECK_STR(h[0].title, "\x02Journaling\x03 after loss");
	CHECK(strstr(h[1].body, "\x02journaling\x03") != NULL);
}

static void test_words_are_text(void)
{
	resource("quoted", "en", "published", "Near the end", "The NEAR operator AND more.");
	CHECK(searchindex_sync(db) == 1);
	static const char *const hostile[] = {"\"", "NEAR(", "*",   "AND OR", "a\"b", "(",
	                                      ")",  "^x",    "x:y", "-",      "NOT"};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const char *w[1] = {hostile[i]};
		struct search_hit *h;
		CHECK(searchindex_find(db, a, "en", w, 1, false, 10, &h) >= 0);
	}
	const char *w[2] = {"near", "operator"};
	struct search_hit *h;
	CHECK(searchindex_find(db, a, "en", w, 2, false, 10, &h) == 1);
	/* Any: documents with some of the words, when none has all. */
	const char *some[2] = {"journaling", "zzzzqq"};
	CHECK(searchindex_find(db, a, "en", some, 2, false, 10, &h) == 0);
	/* Pages with a word in the title or summary answer it when there are some (ranking every page with
	 * a common word is the dearest query); the body only when there are none. */
	CHECK(searchindex_find(db, a, "en", some, 2, true, 10, &h) == 1);
	CHECK_STR(h[0].ref, "title-match");
	const char *body_only[2] = {"memories", "zzzzqq"};
	CHECK(searchindex_find(db, a, "en", body_only, 2, true, 10, &h) == 1);
	CHECK_STR(h[0].ref, "body-match");
	CHECK(searchindex_has(db, a, "en", "journaling") == 1);
	CHECK(searchindex_has(db, a, "en", "zzzzqq") == 0);
	CHECK(searchindex_find(db, a, "en", some, 0, true, 10, &h) == 0);
	CHECK(searchindex_count(db, "en") > 0);
}

/* Snippets (vrc_marked): a window from a little before the first match in the body, marked, with
 * ellipses where text was left out; a body without a match gives its start, cut at a space. */
static void test_snippets(void)
{
	resource(
	    "long-body", "en", "published", "Snippet test",
	    "One two three four five six seven eight nine ten eleven twelve thirteen fourteen "
	    "fifteen sixteen seventeen eighteen nineteen twenty quokka twenty-one twenty-two "
	    "twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine thirty "
	    "thirty-one thirty-two thirty-three thirty-four thirty-five thirty-six thirty-seven quokka end.");
	struct search_hit *h;
	CHECK(hits("en", "quokka", &h) == 1);
	CHECK(strncmp(h[0].body, "…eighteen nineteen twenty \x02quokka\x03 twenty-one", 47) == 0);
	CHECK(strcmp(h[0].body + strlen(h[0].body) - 3, "…") == 0);
	CHECK(strstr(h[0].body, "end") == NULL);
	/* A match in the title only: the body's start, no tokenizing. */
	CHECK(hits("en", "snippet", &h) == 1);
	CHECK(strncmp(h[0].body, "One two three", 13) == 0);
	CHECK(strchr(h[0].body, SEARCHINDEX_MARK_ON) == NULL);
	CHECK(strlen(h[0].body) <= 160 + 3);
	CHECK(strcmp(h[0].body + strlen(h[0].body) - 3, "…") == 0);
	/* The window reaching the end of the text: all of it, no ellipsis after. */
	resource("short-body", "en", "published", "Short", "A wombat here.");
	CHECK(hits("en", "wombat", &h) == 1);
	CHECK_STR(h[0].body, "A \x02wombat\x03 here.");
}

/* The hit for ref among n hits, or NULL. */
static const struct search_hit *hit_of(const struct search_hit *h, int n, const char *ref)
{
	for (int i = 0; i < n; i++)
		if (strcmp(h[i].ref, ref) == 0)
			return &h[i];
	return NULL;
}

/* The words are marked by the table's own tokenizer (vrc_marked): every form of a stem and every
 * accent the query left out, as written in the text, in both languages; words that only share
 * letters are not marked, and a column without the word is not tokenized at all. */
static void test_marks_both_languages(void)
{
	resource("grieving-en", "en", "published", "Grieving together",
	         "Grief changes over time. Many grieving people say their grief came in waves.");
	struct search_hit *h;
	int n = hits("en", "grief", &h);
	const struct search_hit *g = hit_of(h, n, "grieving-en");
	CHECK(g != NULL);
	CHECK_STR(g ? g->title : "", "\x02Grieving\x03 together");
	CHECK_STR(g ? g->body : "", "\x02Grief\x03 changes over time. Many \x02grieving\x03 people say their "
	                            "\x02grief\x03 came in waves.");
	CHECK_STR(g ? g->summary : "", "A summary."); /* no match there: as it is */
	resource("tramites-es", "es", "published", "Trámites después de una pérdida",
	         "Los trámites pueden esperar. El trámite más urgente es el certificado; tramitar otros "
	         "documentos después.");
	n = hits("es", "tramites", &h);
	g = hit_of(h, n, "tramites-es");
	CHECK(g != NULL);
	CHECK_STR(g ? g->title : "", "\x02Trámites\x03 después de una pérdida");
	static const char tram[] =
	    "Los \x02trámites\x03 pueden esperar. El \x02trámite\x03 más urgente es el "
	    "certificado; \x02tramitar\x03 otros"; /* (Snowball: one stem, tramit) */
	CHECK(g && strncmp(g->body, tram, strlen(tram)) == 0);
	resource("duelos-es", "es", "published", "Apoyo", "Cada persona vive sus duelos a su manera.");
	n = hits("es", "duelo", &h);
	g = hit_of(h, n, "duelos-es");
	CHECK(g && strcmp(g->body, "…persona vive sus \x02"
	                           "duelos\x03 a su manera.") == 0);
	CHECK(g && strcmp(g->title, "Apoyo") == 0);
	/* An accent on the first letter: the word is marked as written, whichever way it was typed. */
	resource("epoca-es", "es", "published", "Épocas difíciles", "Una época dura.");
	n = hits("es", "epoca", &h);
	g = hit_of(h, n, "epoca-es");
	CHECK_STR(g ? g->title : "", "\x02Épocas\x03 difíciles");
	CHECK_STR(g ? g->body : "", "Una \x02época\x03 dura.");
	/* Two words: both marked, wherever each is. */
	CHECK(hits("en", "grief waves", &h) == 1);
	CHECK(strstr(h[0].body, "\x02grief\x03 came in \x02waves\x03.") != NULL);
}

/* A word that is two to the tokenizer ("twenty-one" typed as "twenty:one") is searched as its parts
 * together (the tables keep no positions, so FTS5 would refuse it as a phrase), and a word the index
 * cannot hold (only symbols) leaves the others to be searched. */
static void test_words_split(void)
{
	resource("split", "en", "published", "Forms", "Bring form zebra kite and a photo id.");
	struct search_hit *h;
	CHECK(hits("en", "zebra:kite", &h) == 1);
	CHECK(strstr(h[0].body, "\x02zebra\x03 \x02kite\x03") != NULL);
	CHECK(hits("en", "zebra\xe2\x98\x83kite", NULL) == 1); /* a snowman between */
	CHECK(hits("en", "zebra:none", NULL) == 0);
	CHECK(hits("en", "\xe2\x98\x83 photo", &h) == 1);
	CHECK(hits("en", "\xe2\x98\x83", NULL) == 0);
	const char *any[2] = {"zzzz:photo", "qqqq"};
	CHECK(searchindex_find(db, a, "en", any, 2, true, 10, &h) == 0); /* zzzz and photo, or qqqq */
	CHECK(searchindex_find(db, a, "en", (const char *const[]){"photo:id", "qqqq"}, 2, true, 10, &h) == 1);
}

/* Ranking: a word in the summary ranks above the body, below the title; a rarer word in the title
 * counts more than a common one; ties keep the index's order. */
static void test_ranking_columns(void)
{
	sql("INSERT INTO resource(slug, lang, topic_id, type, stage, title, summary, body, checked, status) "
	    "VALUES ('bilby-summary', 'en', 1, 'article', 'any', 'Burrows', 'A bilby digs.', 'Soil.', "
	    "'2026-01-01', 'published')");
	resource("bilby-body", "en", "published", "Marsupials", "The bilby sleeps by day.");
	resource("bilby-title", "en", "published", "Bilby facts", "Nothing else here.");
	struct search_hit *h;
	CHECK(hits("en", "bilby", &h) == 3);
	CHECK_STR(h[0].ref, "bilby-title");
	CHECK_STR(h[1].ref, "bilby-summary");
	CHECK_STR(h[2].ref, "bilby-body");
	CHECK_STR(h[1].summary, "A \x02"
	                        "bilby\x03 digs.");
	/* A rare word in the title counts more than a common one: "numbat" is in 2 documents, "day" in
	 * many. The one with "day" in its title comes first in the index, so only the words' weights can
	 * put the other above it. */
	resource("common-title", "en", "published", "Day trip", "We saw a numbat.");
	resource("rare-title", "en", "published", "Numbat notes", "A day out.");
	resource("day-1", "en", "published", "Day one", "A day.");
	resource("day-2", "en", "published", "Day two", "A day.");
	CHECK(hits("en", "numbat day", &h) == 2);
	CHECK_STR(h[0].ref, "rare-title");
	CHECK_STR(h[1].ref, "common-title");
}

static void test_teardown(void)
{
	arena_free(a);
	db_close(db);
}

static const struct test_case tests[] = {
    {"setup", test_setup},
    {"published_only", test_published_only},
    {"languages", test_languages},
    {"topics_and_hotlines", test_topics_and_hotlines},
    {"ranking_and_marks", test_ranking_and_marks},
    {"words_are_text", test_words_are_text},
    {"snippets", test_snippets},
    {"marks_both_languages", test_marks_both_languages},
    {"words_split", test_words_split},
    {"ranking_columns", test_ranking_columns},
    {"teardown", test_teardown},
};
TEST_MAIN(tests)
