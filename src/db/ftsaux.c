/* vrc_rank and vrc_mark, FTS5 auxiliary functions (see db/ftsaux.h). Neither asks FTS5 for the
 * positions of matches (the tables keep none: with detail=column FTS5 would tokenize the whole row to
 * find them), only for the columns a row's matches are in. */
#include "db/ftsaux.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* vrc_rank(w0, w1, ...): bm25 without its length normalisation and without term counts. FTS5's bm25
 * looks up every matching row's length in the %_docsize table, a B-tree search per row: with a common
 * word matching 5,000 of 10,000 long documents that was most of a 4-8 ms query. The tables store only
 * which columns hold a word (detail=column, migration 013), so a row's score is, for each phrase, its
 * inverse document frequency times the weights of the columns it is in (each as one occurrence would
 * count in bm25 with k1 = 1.2 and b = 0: 1 / 2.2). Negated, as FTS5's rank sorts ascending. With n,
 * only the first n phrases of the query count (the others are there to filter). After n, each of
 * those phrases' document counts, when the caller knows them (model/searchindex.c keeps them):
 * otherwise they are counted on the first row, which reads every row that holds each phrase. */

enum { RANK_MAX = 64 }; /* phrases counted; more phrases are not searched (app/search.c) */

static int count_row(const Fts5ExtensionApi *api, Fts5Context *f, void *ctx)
{
	(void)api, (void)f;
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

/* Each phrase's inverse document frequency, worked out on the first row and kept for the query; from
 * the document counts in docs when given (ndocs of them), else by counting. */
static double *rank_idf(const Fts5ExtensionApi *api, Fts5Context *f, int nphrase, sqlite3_value **docs,
                        int ndocs)
{
	double *idf = api->xGetAuxdata(f, 0);
	if (idf)
		return idf;
	sqlite3_int64 nrow = 0;
	if (api->xRowCount(f, &nrow) != SQLITE_OK || !(idf = sqlite3_malloc64(sizeof(*idf) * (nphrase + 1))))
		return NULL;
	for (int i = 0; i < nphrase; i++) {
		sqlite3_int64 hits = 0;
		if (ndocs >= nphrase)
			hits = sqlite3_value_int64(docs[i]);
		else if (api->xQueryPhrase(f, i, &hits, count_row) != SQLITE_OK) {
			sqlite3_free(idf);
			return NULL;
		}
		double v = log(((double)(nrow - hits) + 0.5) / ((double)hits + 0.5));
		idf[i] = v > 1e-6 ? v : 1e-6; /* a word in most rows still counts a little */
	}
	return api->xSetAuxdata(f, idf, sqlite3_free) == SQLITE_OK ? idf : NULL;
}

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *f, sqlite3_context *ctx, int nval,
                    sqlite3_value **val)
{
	int np = api->xPhraseCount(f), nc = api->xColumnCount(f);
	/* After the column weights, how many phrases count (the rest only filter): all by default. */
	if (nval > nc && sqlite3_value_int(val[nc]) > 0 && sqlite3_value_int(val[nc]) < np)
		np = sqlite3_value_int(val[nc]);
	if (np > RANK_MAX) {
		sqlite3_result_error(ctx, "vrc_rank: too many phrases", -1);
		return;
	}
	/* One phrase: its weight orders nothing, so the pass over all its rows to find it is skipped. */
	static double one[1] = {1.0};
	int ndocs = nval > nc + 1 ? nval - nc - 1 : 0;
	double *idf = np == 1 ? one : rank_idf(api, f, np, val + nc + 1, ndocs);
	if (!idf) {
		sqlite3_result_error(ctx, "vrc_rank: cannot read the row", -1);
		return;
	}
	/* The columns each phrase is in, from the row's column list (never its positions: with
	 * detail=column those would mean tokenizing the whole row). */
	double score = 0;
	for (int p = 0; p < np; p++) {
		Fts5PhraseIter it;
		int ic;
		if (api->xPhraseFirstColumn(f, p, &it, &ic) != SQLITE_OK)
			continue;
		for (; ic >= 0; api->xPhraseNextColumn(f, &it, &ic))
			if (ic < nc)
				score += idf[p] * (ic < nval ? sqlite3_value_double(val[ic]) : 1.0) / 2.2;
	}
	sqlite3_result_double(ctx, -score);
}

/* vrc_mark(tbl, col, open, close, ellipsis, ntokens, words): column col with every token that is one
 * of words' tokens (the query's words, tokenized by the table's own tokenizer, so stems and folded
 * accents match as they do in the index) between open and close. With ntokens 0, the whole column;
 * else a snippet: about ntokens tokens from a little before the first match, ellipsis where text was
 * left out. The tables keep no positions (detail=column), so FTS5's highlight() and snippet() would
 * tokenize every column of every row returned; this tokenizes only a column the row's column list
 * says has a match, and a snippet only as far as its window. Without a match in the column it
 * returns the column as it is, or for a snippet its first SNIP_BYTES bytes (cut at a space). */

enum {
	MARK_TOKENS = 16,    /* query tokens kept; more are not marked */
	MARK_TOKEN_MAX = 64, /* bytes of a query token; longer ones are not marked */
	SNIP_BEFORE = 3,     /* tokens shown before the first match */
	SNIP_BYTES = 160,
};

/* The query's tokens, made on the first call and kept for the query (xSetAuxdata). */
struct qtokens {
	int n;
	int len[MARK_TOKENS];
	char tok[MARK_TOKENS][MARK_TOKEN_MAX];
};

static int keep_qtoken(void *p, int tflags, const char *tok, int n, int start, int end)
{
	(void)start, (void)end;
	struct qtokens *q = p;
	if ((tflags & FTS5_TOKEN_COLOCATED) || n <= 0 || n > MARK_TOKEN_MAX || q->n >= MARK_TOKENS)
		return SQLITE_OK;
	for (int i = 0; i < q->n; i++)
		if (q->len[i] == n && memcmp(q->tok[i], tok, (size_t)n) == 0)
			return SQLITE_OK;
	q->len[q->n] = n;
	memcpy(q->tok[q->n++], tok, (size_t)n);
	return SQLITE_OK;
}

static struct qtokens *query_tokens(const Fts5ExtensionApi *api, Fts5Context *f, sqlite3_value *words)
{
	struct qtokens *q = api->xGetAuxdata(f, 0);
	if (q)
		return q;
	const char *w = (const char *)sqlite3_value_text(words);
	int n = sqlite3_value_bytes(words);
	if (!(q = sqlite3_malloc64(sizeof(*q))))
		return NULL;
	q->n = 0;
	if ((w && api->xTokenize(f, w, n, q, keep_qtoken) != SQLITE_OK) ||
	    api->xSetAuxdata(f, q, sqlite3_free) != SQLITE_OK) {
		sqlite3_free(q); /* (xSetAuxdata frees it itself when it fails) */
		return NULL;
	}
	return q;
}

/* One column being marked. */
struct mark {
	const struct qtokens *q;
	const char *text;
	sqlite3_str *out;
	const char *open, *close, *ellipsis;
	int ntok;                /* 0: the whole column */
	int pos;                 /* of the next token */
	int from;                /* the window's first token; -1 before the first match */
	int recent[SNIP_BEFORE]; /* start bytes of the last SNIP_BEFORE tokens (before a match) */
	int first;               /* start byte of the first token */
	int copied;              /* bytes of text written so far */
	int last;                /* end byte of the last token in the window */
	bool stopped;            /* at the window's end */
};

static bool is_qtoken(const struct qtokens *q, const char *tok, int n)
{
	for (int i = 0; i < q->n; i++)
		if (q->len[i] == n && memcmp(q->tok[i], tok, (size_t)n) == 0)
			return true;
	return false;
}

static int mark_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
	struct mark *m = p;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	int pos = m->pos++;
	bool hit = is_qtoken(m->q, tok, n);
	if (pos == 0)
		m->first = start;
	if (m->ntok > 0) {
		if (m->from < 0) { /* before the window: remember where the last few tokens began */
			if (!hit) {
				m->recent[pos % SNIP_BEFORE] = start;
				return SQLITE_OK;
			}
			m->from = pos > SNIP_BEFORE ? pos - SNIP_BEFORE : 0;
			m->copied = m->from > 0 ? m->recent[m->from % SNIP_BEFORE] : m->first;
			if (m->from > 0)
				sqlite3_str_appendall(m->out, m->ellipsis);
		} else if (pos >= m->from + m->ntok) {
			m->stopped = true;
			return SQLITE_DONE; /* past the window: stop tokenizing */
		}
		m->last = end;
	}
	if (hit) {
		sqlite3_str_append(m->out, m->text + m->copied, start - m->copied);
		sqlite3_str_appendall(m->out, m->open);
		sqlite3_str_append(m->out, m->text + start, end - start);
		sqlite3_str_appendall(m->out, m->close);
		m->copied = end;
	}
	return SQLITE_OK;
}

/* Whether any phrase of the query is in column col of the current row. */
static bool column_matches(const Fts5ExtensionApi *api, Fts5Context *f, int col)
{
	for (int p = 0; p < api->xPhraseCount(f); p++) {
		Fts5PhraseIter it;
		int ic;
		if (api->xPhraseFirstColumn(f, p, &it, &ic) != SQLITE_OK)
			continue;
		for (; ic >= 0; api->xPhraseNextColumn(f, &it, &ic))
			if (ic == col)
				return true;
	}
	return false;
}

/* The first SNIP_BYTES bytes of text, cut after a space (never inside a UTF-8 character). */
static void snip_head(sqlite3_str *out, const char *text, int n, const char *ellipsis)
{
	if (n <= SNIP_BYTES) {
		sqlite3_str_append(out, text, n);
		return;
	}
	int cut = SNIP_BYTES;
	while (cut > SNIP_BYTES / 2 && text[cut] != ' ')
		cut--;
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--;
	sqlite3_str_append(out, text, cut);
	sqlite3_str_appendall(out, ellipsis);
}

static void mark_fn(const Fts5ExtensionApi *api, Fts5Context *f, sqlite3_context *ctx, int nval,
                    sqlite3_value **val)
{
	if (nval != 6) {
		sqlite3_result_error(ctx, "vrc_mark: (col, open, close, ellipsis, ntokens, words)", -1);
		return;
	}
	int col = sqlite3_value_int(val[0]), ntok = sqlite3_value_int(val[4]), n = 0;
	const char *text = NULL, *open = (const char *)sqlite3_value_text(val[1]),
	           *close = (const char *)sqlite3_value_text(val[2]),
	           *ellipsis = (const char *)sqlite3_value_text(val[3]);
	if (api->xColumnText(f, col, &text, &n) != SQLITE_OK) {
		sqlite3_result_error(ctx, "vrc_mark: cannot read the column", -1);
		return;
	}
	const struct qtokens *q = query_tokens(api, f, val[5]);
	if (!q) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	text = text ? text : "";
	ellipsis = ellipsis ? ellipsis : "";
	sqlite3_str *out = sqlite3_str_new(NULL);
	struct mark m = {
	    q, text, out,  open ? open : "", close ? close : "", ellipsis, ntok > 0 ? ntok : 0, 0, -1, {0}, 0,
	    0, 0,    false};
	if (ntok <= 0)
		m.from = 0; /* the whole column: no window to find */
	bool found = n > 0 && q->n > 0 && column_matches(api, f, col);
	int rc = found ? api->xTokenize(f, text, n, &m, mark_token) : SQLITE_OK;
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		sqlite3_free(sqlite3_str_finish(out));
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	if (m.from < 0) { /* a snippet with no match (the column list and the tokens may disagree) */
		snip_head(out, text, n, ellipsis);
	} else if (m.stopped) {
		if (m.last > m.copied)
			sqlite3_str_append(out, text + m.copied, m.last - m.copied);
		sqlite3_str_appendall(out, ellipsis);
	} else {
		sqlite3_str_append(out, text + m.copied, n - m.copied); /* to the end of the text */
	}
	int len = sqlite3_str_length(out);
	char *r = sqlite3_str_finish(out);
	if (!r && len > 0) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, r ? r : "", len, r ? sqlite3_free : SQLITE_TRANSIENT);
}

int ftsaux_register(fts5_api *api)
{
	if (api->xCreateFunction(api, "vrc_rank", NULL, rank_fn, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "vrc_mark", NULL, mark_fn, NULL) != SQLITE_OK)
		return -1;
	return 0;
}
