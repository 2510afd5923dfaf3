/* Search storage: bringing the full-text tables up to date from search_pending, and asking them.
 * The triggers of migration 010 keep search_doc right; only vrc can write search_en and search_es
 * (their tokenizer is in db/stemtok.c), so the server does that here before it searches. */
#include "model/searchindex.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/util.h"
#include "model/searchcommunity.h"

/* Bumped whenever the index changes, so answers kept from before are known to be old. */
static _Atomic uint64_t generation = 1;

uint64_t searchindex_generation(void)
{
	return atomic_load(&generation);
}

void searchindex_changed(void)
{
	atomic_fetch_add(&generation, 1);
}

/* One language's full-text table and the queries on it. A search is two steps. score: every match,
 * each with its vrc_score (db/ftsaux.c: bm25 without the per-row length lookup, from the columns it
 * is in; weights title 10, summary 4, body 1), of which find keeps the best; FTS5's own ORDER BY rank
 * would sort them all through a statement of its own, which cost twice the scan. show: each of those
 * from search_doc, the words searched marked by vrc_marked (db/stemtok.c) in the title, the summary
 * and a snippet of the body, in the columns the score said hold them (the tables keep no positions,
 * migration 013, so FTS5's highlight() would tokenize every column of the row). */
static const struct {
	const char *lang;
	const char *score;
	const char *count;
	const char *has;
	const char *docs; /* how many documents hold a word */
} tables[] = {
    {"en",
     "SELECT rowid, vrc_score(search_en, 10.0, 4.0, 1.0, ?2, ?3) FROM search_en WHERE search_en MATCH ?1",
     "SELECT count(*) FROM search_en", "SELECT 1 FROM search_en WHERE search_en MATCH ? LIMIT 1",
     "SELECT count(*) FROM search_en WHERE search_en MATCH ?"},
    {"es",
     "SELECT rowid, vrc_score(search_es, 10.0, 4.0, 1.0, ?2, ?3) FROM search_es WHERE search_es MATCH ?1",
     "SELECT count(*) FROM search_es", "SELECT 1 FROM search_es WHERE search_es MATCH ? LIMIT 1",
     "SELECT count(*) FROM search_es WHERE search_es MATCH ?"},
};

static const char show_sql[] = "SELECT kind, ref, url, context, "
                               "vrc_marked(?2, title, ?3, ?4 & 1, 0, char(2), char(3), ''), "
                               "vrc_marked(?2, summary, ?3, ?4 & 2, 0, char(2), char(3), ''), "
                               "vrc_marked(?2, body, ?3, ?4 & 4, 24, char(2), char(3), '…') "
                               "FROM search_doc WHERE id = ?1";

static int table_of(const char *lang)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (strcmp(tables[i].lang, lang) == 0)
			return (int)i;
	return -1;
}

/* One exec runs under the connection's lock from start to end, so no other thread's statement lands
 * between deleting the pending rows' old entries and clearing the list; the savepoint makes it all or
 * nothing (and nests inside a transaction another thread may have open on the shared connection).
 * CROSS JOIN keeps search_pending (a few rows) the outer loop: without ANALYZE's statistics SQLite
 * chose to scan all of search_doc instead, 12 ms a language on the large site for one document. */
static const char sync_sql[] =
    "SAVEPOINT search_sync;"
    "DELETE FROM search_en WHERE rowid IN (SELECT id FROM search_pending);"
    "DELETE FROM search_es WHERE rowid IN (SELECT id FROM search_pending);"
    "INSERT INTO search_en(rowid, title, summary, body) SELECT d.id, d.title, d.summary, d.body "
    "  FROM search_pending p CROSS JOIN search_doc d ON d.id = p.id WHERE d.lang = 'en';"
    "INSERT INTO search_es(rowid, title, summary, body) SELECT d.id, d.title, d.summary, d.body "
    "  FROM search_pending p CROSS JOIN search_doc d ON d.id = p.id WHERE d.lang = 'es';"
    "DELETE FROM search_pending;"
    "RELEASE search_sync;";

int searchindex_sync(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM search_pending");
	if (!st)
		return -1;
	int n = db_step(st) == 1 ? (int)db_col_int(st, 0) : -1;
	db_finalize(st);
	if (n <= 0)
		return n;
	if (db_exec(db, sync_sql) < 0) {
		db_exec(db, "ROLLBACK TO search_sync; RELEASE search_sync;");
		log_error("search: indexing %d changed document%s failed", n, n == 1 ? "" : "s");
		searchindex_changed();
		return -1;
	}
	searchindex_changed();
	return n;
}

int searchindex_refresh(struct db *db)
{
	int c = searchcommunity_write_pending(db);
	int n = searchindex_sync(db);
	if (c < 0 || n < 0)
		return -1;
	if (c > 0)
		log_info("search: %d community page%s indexed again", c, c == 1 ? "" : "s");
	return n;
}

/* Each word's parts where the tokenizer splits it ("a\"b": a and b; "*": none), one space between
 * each, into parts[i]; the number of parts in all, or -1. The tables keep no positions
 * (detail=column), so a quoted string that is two words to the tokenizer would be a phrase, which
 * FTS5 refuses: every part is asked for on its own. */
static int split_words(struct db *db, struct arena *a, const char *const *words, size_t n, const char **parts)
{
	struct db_stmt *st = db_prepare(db, "SELECT vrc_split(?1)");
	if (!st)
		return -1;
	int total = 0;
	for (size_t i = 0; i < n; i++) {
		db_reset(st);
		db_bind_text(st, 1, words[i]);
		if (db_step(st) != 1) {
			db_finalize(st);
			return -1;
		}
		const char *p = db_col_text(st, 0);
		parts[i] = arena_strdup(a, p ? p : "");
		if (parts[i][0])
			total++;
		for (const char *c = parts[i]; *c; c++)
			total += *c == ' ';
	}
	db_finalize(st);
	return total;
}

/* One part as a quoted string ("" inside doubled), so AND, OR, NEAR, *, ^, : and parentheses are
 * only text. */
static void put_part(struct buf *b, const char *p, size_t len)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, p[i]);
	}
	buf_putc(b, '"');
}

/* The FTS5 query for the words split into parts (split_words): a word its parts all together, the
 * words joined by sep (" ": all words, " OR ": any); words without parts left out. */
static void put_words(struct buf *b, const char *const *parts, size_t n, const char *sep)
{
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i][0])
			continue;
		if (!first)
			buf_puts(b, sep);
		first = false;
		const char *sp = strchr(parts[i], ' ');
		if (!sp) {
			put_part(b, parts[i], strlen(parts[i]));
			continue;
		}
		buf_putc(b, '(');
		for (const char *p = parts[i]; p;) {
			sp = strchr(p, ' ');
			put_part(b, p, sp ? (size_t)(sp - p) : strlen(p));
			if (sp)
				buf_putc(b, ' ');
			p = sp ? sp + 1 : NULL;
		}
		buf_putc(b, ')');
	}
}

/* The query for the words' parts (at least one); with head, only documents with one of the words in
 * the title or summary. Any of several words with head is only that: the union of every word's
 * documents is the dearest thing a search reads, and reading it twice (once for the body as well)
 * cost 2.2 ms where once cost 1.3 (7 common words, 5,000 documents). The score then sees the title
 * and summary only, and the body is not marked (the page shows the summary, where a word is). */
static char *match_expr(struct arena *a, const char *const *parts, size_t n, bool any, bool head)
{
	struct buf b = BUF_INIT;
	if (!(head && any)) {
		buf_puts(&b, "(");
		put_words(&b, parts, n, any ? " OR " : " ");
		buf_puts(&b, ")");
	}
	if (head) {
		buf_puts(&b, any ? "{title summary} : (" : " AND {title summary} : (");
		put_words(&b, parts, n, " OR ");
		buf_puts(&b, ")");
	}
	char *s = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return s;
}

static const char *col(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return arena_strdup(a, s ? s : "");
}

/* The phrases that count in ranking, and their document counts (rank_of). */
struct rank {
	int nparts;
	const char *docs;
	bool absent; /* some part is in no document */
};

/* A match kept by find: its score (vrc_score: higher is better, the low 3 bits the columns). */
struct best {
	int64_t id, score;
};

/* Run one query into out (room for limit), best first: the count, or -1. rank is the phrases that
 * count and their document counts (rank_expr). */
static int find(struct db *db, struct arena *a, int t, const char *expr, const struct rank *rank,
                const char *marks, size_t limit, struct search_hit *out)
{
	if (limit == 0)
		return 0;
	struct db_stmt *st = db_prepare(db, tables[t].score);
	if (!st)
		return -1;
	db_bind_text(st, 1, expr);
	db_bind_int(st, 2, rank->nparts);
	db_bind_text(st, 3, rank->docs);
	/* The best limit, in order: a higher score first, then the index's order (rowid). */
	struct best *top = arena_alloc(a, limit * sizeof(*top));
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == 1) {
		struct best b = {db_col_int(st, 0), db_col_int(st, 1)};
		if (n == limit && b.score <= top[n - 1].score)
			continue;
		size_t i = n < limit ? n++ : n - 1;
		for (; i > 0 && top[i - 1].score < b.score; i--)
			top[i] = top[i - 1];
		top[i] = b;
	}
	db_finalize(st);
	if (rc < 0)
		return -1;
	const char *lang = tables[t].lang;
	int count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(st = db_prepare(db, show_sql)))
			return -1;
		db_bind_int(st, 1, top[i].id);
		db_bind_text(st, 2, lang);
		db_bind_text(st, 3, marks);
		db_bind_int(st, 4, top[i].score & 7);
		rc = db_step(st);
		if (rc == 1) {
			struct search_hit *h = &out[count++];
			h->kind = col(a, st, 0);
			h->ref = col(a, st, 1);
			h->url = col(a, st, 2);
			h->context = col(a, st, 3);
			h->title = col(a, st, 4);
			h->summary = col(a, st, 5);
			h->body = col(a, st, 6);
		}
		db_finalize(st);
		if (rc < 0)
			return -1;
		/* (rc 0: the document went between the steps; the index follows at the next sync.) */
	}
	return count;
}

/* How many documents hold each word is what ranking weighs words by (vrc_score), and counting them
 * means reading every document that holds a common word, once per word per query: a third of what a
 * search of two common words cost. The counts are kept here, by language and word, until the index
 * next changes (searchindex_generation), in a bounded table where a newer word takes an older one's
 * slot. */
enum { DOCS_SLOTS = 1024, DOCS_WORD = 48 };

static struct {
	pthread_mutex_t lock;
	struct docs_slot {
		uint64_t gen; /* 0: empty */
		int t;
		char part[DOCS_WORD];
		int64_t docs;
	} slots[DOCS_SLOTS];
} docs_memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* How many documents of table t hold part (one word to the tokenizer), or -1. */
static int64_t docs_of(struct db *db, struct arena *a, int t, const char *part)
{
	size_t len = strlen(part);
	uint64_t gen = searchindex_generation();
	struct docs_slot *slot = NULL;
	int64_t docs = -1;
	if (len < DOCS_WORD) {
		slot = &docs_memo.slots[(hash64(part, len) ^ (uint64_t)t) % DOCS_SLOTS];
		pthread_mutex_lock(&docs_memo.lock);
		if (slot->gen == gen && slot->t == t && strcmp(slot->part, part) == 0)
			docs = slot->docs;
		pthread_mutex_unlock(&docs_memo.lock);
		if (docs >= 0)
			return docs;
	}
	struct db_stmt *st = db_prepare(db, tables[t].docs);
	if (!st)
		return -1;
	struct buf b = BUF_INIT;
	put_part(&b, part, len);
	db_bind_text(st, 1, arena_strndup(a, b.p, b.len));
	buf_free(&b);
	docs = db_step(st) == 1 ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (slot && docs >= 0) {
		pthread_mutex_lock(&docs_memo.lock);
		slot->gen = gen, slot->t = t, slot->docs = docs;
		memcpy(slot->part, part, len + 1);
		pthread_mutex_unlock(&docs_memo.lock);
	}
	return docs;
}

/* How many phrases count in ranking (the parts, in the order match_expr writes them: the
 * title-or-summary filter's copies do not), and each part's document count when there is more than
 * one (with one, its weight orders nothing): "120 4031". false on error. */
static bool rank_of(struct db *db, struct arena *a, int t, const char *const *parts, size_t n, int nparts,
                    struct rank *r)
{
	struct buf b = BUF_INIT;
	r->absent = false;
	for (size_t i = 0; i < n && nparts > 1; i++) {
		for (const char *p = parts[i]; *p;) {
			const char *sp = strchr(p, ' ');
			size_t len = sp ? (size_t)(sp - p) : strlen(p);
			int64_t docs = docs_of(db, a, t, arena_strndup(a, p, len));
			if (docs < 0) {
				buf_free(&b);
				return false;
			}
			buf_printf(&b, "%s%lld", b.len ? " " : "", (long long)docs);
			r->absent = r->absent || docs == 0;
			p = sp ? sp + 1 : p + len;
		}
	}
	r->nparts = nparts;
	r->docs = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return true;
}

/* Ranking every match is what costs: a common word is in half of a large library's bodies. So for one
 * word, or any of several, the documents with a word in the title or summary are ranked first, and
 * when they fill the page they are the answer: with one word that is exactly the full ranking (a
 * title or summary match scores at least 1.8 times the word's weight, a body match less than 1; see
 * vrc_score). Only when they do not fill it is every match ranked. */
int searchindex_find(struct db *db, struct arena *a, const char *lang, const char *const *words, size_t n,
                     bool any, size_t limit, struct search_hit **out)
{
	*out = NULL;
	int t = table_of(lang);
	if (t < 0 || n == 0)
		return t < 0 ? -1 : 0;
	*out = arena_alloc(a, (limit ? limit : 1) * sizeof(**out));
	const char **parts = arena_alloc(a, n * sizeof(*parts));
	int nparts = split_words(db, a, words, n, parts);
	if (nparts <= 0) { /* nothing the index could hold (only punctuation, say), or an error */
		if (nparts < 0)
			log_error("search: a %s query failed", lang);
		return nparts;
	}
	struct rank rank_s, *rank = &rank_s;
	if (!rank_of(db, a, t, parts, n, nparts, rank)) {
		log_error("search: a %s query failed", lang);
		return -1;
	}
	/* The words to mark, for vrc_marked to tokenize as the table does. */
	struct buf wb = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&wb, "%s%s", i ? " " : "", words[i]);
	const char *marks = arena_strndup(a, wb.p ? wb.p : "", wb.len);
	buf_free(&wb);
	if (!any && rank->absent)
		return 0; /* a word no document has: none has them all (app/search.c then drops it) */
	/* Several words all together: their intersection is small, and the filter would cost more than it
	 * saves. */
	int count =
	    any || n == 1 ? find(db, a, t, match_expr(a, parts, n, any, true), rank, marks, limit, *out) : 0;
	/* Any of the words is the fallback when no page has them all: pages with one in the title or
	 * summary are answer enough, and ranking every page with any common word is not worth it. */
	if (count >= 0 && (size_t)count < limit && !(any && count > 0))
		count = find(db, a, t, match_expr(a, parts, n, any, false), rank, marks, limit, *out);
	if (count < 0)
		log_error("search: a %s query failed", lang);
	return count;
}

int searchindex_has(struct db *db, struct arena *a, const char *lang, const char *word)
{
	int t = table_of(lang);
	const char *parts[1];
	int nparts = t < 0 ? -1 : split_words(db, a, &word, 1, parts);
	if (nparts <= 0)
		return nparts < 0 ? -1 : 0;
	if (nparts == 1) { /* one word to the tokenizer: its count, likely kept from the search just made */
		int64_t docs = docs_of(db, a, t, parts[0]);
		return docs < 0 ? -1 : docs > 0;
	}
	struct db_stmt *st = db_prepare(db, tables[t].has);
	if (!st)
		return -1;
	db_bind_text(st, 1, match_expr(a, parts, 1, false, false));
	int rc = db_step(st);
	db_finalize(st);
	return rc;
}

long searchindex_count(struct db *db, const char *lang)
{
	int t = table_of(lang);
	struct db_stmt *st = t < 0 ? NULL : db_prepare(db, tables[t].count);
	long n = st && db_step(st) == 1 ? (long)db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}
