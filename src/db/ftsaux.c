/* vrc_score and the marking of matched words (see db/ftsaux.h). Neither asks FTS5 for the positions
 * of matches (the tables keep none: with detail=column FTS5 would tokenize the whole row to find
 * them), only for the columns a row's matches are in. */
#include "db/ftsaux.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* vrc_score(w0, w1, w2, n, docs): bm25 without its length normalisation and without term counts,
 * for the caller to keep the best rows of a plain scan (FTS5's own ORDER BY rank sorts every match
 * through a statement of its own: twice the cost of the scan). FTS5's bm25 also looks up every
 * matching row's length in the %_docsize table, a B-tree search per row. The tables store only which
 * columns hold a word (detail=column, migration 013), so a row's score is, for each phrase, its
 * inverse document frequency times the weights wN of the columns it is in (each as one occurrence
 * would count in bm25 with k1 = 1.2 and b = 0: 1 / 2.2). Only the first n phrases of the query count
 * (the others are there to filter); docs is their document counts, as text ("120 4031"), when the
 * caller knows them (model/searchindex.c keeps them): otherwise they are counted on the first row,
 * which reads every row that holds each phrase. The result is an integer: the score in millionths,
 * times 8, plus a bit for each of the first three columns that holds a counted phrase (1: the first),
 * so that the marking knows which columns to look at. Higher is better. */

enum { RANK_MAX = 64 }; /* phrases counted; more phrases are not searched (app/search.c) */

static int count_row(const Fts5ExtensionApi *api, Fts5Context *f, void *ctx)
{
	(void)api, (void)f;
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

/* Each phrase's inverse document frequency, worked out on the first row and kept for the query; from
 * the document counts in docs when it has one for each phrase, else by counting. */
static double *rank_idf(const Fts5ExtensionApi *api, Fts5Context *f, int nphrase, const char *docs)
{
	double *idf = api->xGetAuxdata(f, 0);
	if (idf)
		return idf;
	sqlite3_int64 nrow = 0, given[RANK_MAX];
	int ngiven = 0;
	for (char *end; docs && ngiven < nphrase; docs = end) {
		long long v = strtoll(docs, &end, 10);
		if (end == docs)
			break;
		given[ngiven++] = v;
	}
	if (api->xRowCount(f, &nrow) != SQLITE_OK || !(idf = sqlite3_malloc64(sizeof(*idf) * (nphrase + 1))))
		return NULL;
	for (int i = 0; i < nphrase; i++) {
		sqlite3_int64 hits = 0;
		if (ngiven == nphrase) {
			hits = given[i];
		} else if (api->xQueryPhrase(f, i, &hits, count_row) != SQLITE_OK) {
			sqlite3_free(idf);
			return NULL;
		}
		double v = log(((double)(nrow - hits) + 0.5) / ((double)hits + 0.5));
		idf[i] = v > 1e-6 ? v : 1e-6; /* a word in most rows still counts a little */
	}
	/* (xSetAuxdata frees idf itself when it fails.) */
	return api->xSetAuxdata(f, idf, sqlite3_free) == SQLITE_OK ? idf : NULL;
}

static void score_fn(const Fts5ExtensionApi *api, Fts5Context *f, sqlite3_context *ctx, int nval,
                     sqlite3_value **val)
{
	int np = api->xPhraseCount(f), nc = api->xColumnCount(f);
	if (nval != 5 || nc < 3) {
		sqlite3_result_error(ctx, "vrc_score: (w0, w1, w2, n, docs) on a table of three columns", -1);
		return;
	}
	if (sqlite3_value_int(val[3]) > 0 && sqlite3_value_int(val[3]) < np)
		np = sqlite3_value_int(val[3]);
	if (np > RANK_MAX) {
		sqlite3_result_error(ctx, "vrc_score: too many phrases", -1);
		return;
	}
	/* One phrase: its weight orders nothing, so the pass over all its rows to find it is skipped. */
	static double one[1] = {1.0};
	double *idf = np == 1 ? one : rank_idf(api, f, np, (const char *)sqlite3_value_text(val[4]));
	if (!idf) {
		sqlite3_result_error(ctx, "vrc_score: cannot read the row", -1);
		return;
	}
	/* The columns each phrase is in, from the row's column list (never its positions: with
	 * detail=column those would mean tokenizing the whole row). */
	double score = 0;
	int mask = 0;
	for (int p = 0; p < np; p++) {
		Fts5PhraseIter it;
		int ic;
		if (api->xPhraseFirstColumn(f, p, &it, &ic) != SQLITE_OK)
			continue;
		for (; ic >= 0; api->xPhraseNextColumn(f, &it, &ic))
			if (ic < 3) {
				score += idf[p] * sqlite3_value_double(val[ic]) / 2.2;
				mask |= 1 << ic;
			}
	}
	sqlite3_result_int64(ctx, (sqlite3_int64)llround(score * 1e6) * 8 + mask);
}

/* ---- marking: the query's words in a column ---- */

enum {
	MARK_TOKENS = 16,    /* query tokens kept; more are not marked */
	MARK_TOKEN_MAX = 64, /* bytes of a query token; longer ones are not marked */
	SNIP_BEFORE = 3,     /* tokens shown before the first match */
	SNIP_BYTES = 160,
};

/* The query's tokens. */
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

int ftsaux_mark(ftsaux_tokenize_fn tokenize, void *tok, const char *words, int nwords, const char *text,
                int n, bool found, int ntok, const char *open, const char *close, const char *ellipsis,
                sqlite3_str *out)
{
	struct qtokens q = {0};
	int rc = SQLITE_OK;
	text = text ? text : "";
	if (found && n > 0 && words && nwords > 0)
		rc = tokenize(tok, &q, words, nwords, NULL, keep_qtoken);
	if (rc != SQLITE_OK)
		return rc;
	struct mark m = {&q,
	                 text,
	                 out,
	                 open ? open : "",
	                 close ? close : "",
	                 ellipsis ? ellipsis : "",
	                 ntok > 0 ? ntok : 0,
	                 0,
	                 ntok > 0 ? -1 : 0,
	                 {0},
	                 0,
	                 0,
	                 0,
	                 false};
	unsigned char first[256] = {0}; /* the first bytes of the query's tokens */
	for (int i = 0; i < q.n; i++)
		first[(unsigned char)q.tok[i][0]] = 1;
	if (q.n > 0)
		rc = tokenize(tok, &m, text, n, first, mark_token);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return rc;
	if (m.from < 0) /* a snippet without a match */
		snip_head(out, text, n, m.ellipsis);
	else if (m.stopped) {
		if (m.last > m.copied)
			sqlite3_str_append(out, text + m.copied, m.last - m.copied);
		sqlite3_str_appendall(out, m.ellipsis);
	} else {
		sqlite3_str_append(out, text + m.copied, n - m.copied); /* to the end of the text */
	}
	return sqlite3_str_errcode(out);
}

int ftsaux_register(fts5_api *api)
{
	if (api->xCreateFunction(api, "vrc_score", NULL, score_fn, NULL) != SQLITE_OK)
		return -1;
	return 0;
}
