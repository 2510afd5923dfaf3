/* Unit tests for src/db/stemtok.c, through SQLite as the site uses it: a word finds its variants in
 * each language (Snowball stems, irregular families), diacritics and case are folded first, prefix
 * queries match letters as typed, and a table naming no language of ours is refused. */
#include <stdio.h>

#include "db/db.h"
#include "test.h"

static struct db *db;

/* A fresh table t_<lang> (vrc_stem <lang>) holding one document per entry of docs. */
static void fill(const char *lang, const char *const *docs, size_t n)
{
	char sql[256];
	snprintf(
	    sql, sizeof(sql),
	    "DROP TABLE IF EXISTS t_%s; CREATE VIRTUAL TABLE t_%s USING fts5(x, tokenize = 'vrc_stem %s')",
	    lang, lang, lang);
	CHECK(db_exec(db, sql) == 0);
	snprintf(sql, sizeof(sql), "INSERT INTO t_%s(rowid, x) VALUES (?, ?)", lang);
	struct db_stmt *st = db_prepare(db, sql);
	for (size_t i = 0; i < n; i++) {
		db_bind_int(st, 1, (int64_t)i + 1);
		db_bind_text(st, 2, docs[i]);
		CHECK(db_step(st) == 0);
		db_reset(st);
	}
	db_finalize(st);
}

/* The rowid of the only document of t_<lang> matching query, 0 for none, -1 for several or an error. */
static int64_t find(const char *lang, const char *query)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT rowid FROM t_%s WHERE t_%s MATCH ?", lang, lang);
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, query);
	int64_t id = 0;
	int rc;
	while ((rc = db_step(st)) == 1)
		id = id ? -1 : db_col_int(st, 0);
	db_finalize(st);
	return rc < 0 ? -1 : id;
}

static const char *const spanish[] = {
    "Los duelos no siguen un calendario.",                /* 1 */
    "Los trámites para pedir compensación.",              /* 2 */
    "Más información sobre el proceso judicial.",         /* 3 */
    "Cómo hablar con los niños después de la violencia.", /* 4 */
    "La psicología del trauma.",                          /* 5 */
};

static const char *const english[] = {
    "Grief after a sudden death.",             /* 1 */
    "Helping children cope.",                  /* 2 */
    "Finding counselling near you.",           /* 3 */
    "A café open late for families.",          /* 4 */
    "Sleep problems are common after trauma.", /* 5 */
};

static void test_spanish(void)
{
	fill("es", spanish, sizeof(spanish) / sizeof(spanish[0]));
	/* Singular and plural, with and without accents. */
	CHECK(find("es", "duelo") == 1);
	CHECK(find("es", "Duelos") == 1);
	CHECK(find("es", "tramites") == 2);
	CHECK(find("es", "trámite") == 2);
	CHECK(find("es", "TRAMITE") == 2);
	CHECK(find("es", "compensacion") == 2);
	CHECK(find("es", "compensaciones") == 2);
	/* "-cion" typed without its accent stems like "-ción" and "-ciones". */
	CHECK(find("es", "informacion") == 3);
	CHECK(find("es", "informaciones") == 3);
	CHECK(find("es", "nino") == 4);
	CHECK(find("es", "psicologia") == 5);
	CHECK(find("es", "psicologías") == 5);
	CHECK(find("es", "mas") == 3);
	/* A phrase of several words keeps working through the stemmer. */
	CHECK(find("es", "\"proceso judiciales\"") == 3);
	CHECK(find("es", "dolor") == 0);
}

static void test_english(void)
{
	fill("en", english, sizeof(english) / sizeof(english[0]));
	CHECK(find("en", "grieving") == 1);
	CHECK(find("en", "grieve") == 1);
	CHECK(find("en", "GRIEFS") == 1);
	CHECK(find("en", "child") == 2);
	CHECK(find("en", "helped") == 2);
	CHECK(find("en", "counseling") == 3);
	CHECK(find("en", "cafe") == 4);
	CHECK(find("en", "problem") == 5);
	CHECK(find("en", "traumas") == 5);
	CHECK(find("en", "griddle") == 0);
	/* A prefix query is not stemmed: its letters are matched against the indexed stems. */
	CHECK(find("en", "grie*") == 1);
	CHECK(find("en", "couns*") == 3);
}

static void test_languages_apart(void)
{
	/* Each table stems by its own language: Spanish "niños" is a plural in Spanish only. */
	fill("es", spanish, sizeof(spanish) / sizeof(spanish[0]));
	fill("en", english, sizeof(english) / sizeof(english[0]));
	CHECK(find("es", "niños") == 4);
	CHECK(find("es", "traumas") == 5);
	CHECK(find("en", "traumas") == 5);
	/* A table that names a language we have no stemmer for, or none, is refused when made. */
	CHECK(db_exec(db, "CREATE VIRTUAL TABLE t_fr USING fts5(x, tokenize = 'vrc_stem fr')") < 0);
	CHECK(db_exec(db, "CREATE VIRTUAL TABLE t_none USING fts5(x, tokenize = 'vrc_stem')") < 0);
}

static void test_long_and_odd_tokens(void)
{
	/* Tokens longer than a word (a URL, a hash) are indexed as they are; digits too. */
	static const char *const docs[] = {
	    "Call 988 any time.",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaa",
	};
	fill("en", docs, 2);
	CHECK(find("en", "988") == 1);
	CHECK(find("en", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	                 "aaaaaaaaaaaaaaaaa") == 2);
}

static void setup(void)
{
	char err[256] = "";
	db = db_open(":memory:", err, sizeof(err));
	if (!db)
		fprintf(stderr, "db_open: %s\n", err);
}

static void test_setup(void)
{
	setup();
	CHECK(db != NULL);
}

static void test_teardown(void)
{
	db_close(db);
}

static const struct test_case tests[] = {
    {"setup", test_setup},
    {"spanish", test_spanish},
    {"english", test_english},
    {"languages_apart", test_languages_apart},
    {"long_and_odd_tokens", test_long_and_odd_tokens},
    {"teardown", test_teardown},
};
TEST_MAIN(tests)
