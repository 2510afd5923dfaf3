/* vrc_rank and vrc_snippet, FTS5 auxiliary functions (see db/ftsaux.h). Both read the matches'
 * positions through the extension API; neither reads anything per row that the match has not. */
#include "db/ftsaux.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* vrc_rank(w0, w1, ...): bm25 without its length normalisation. FTS5's bm25 looks up every matching
 * row's length in the %_docsize table, a B-tree search per row: with a common word matching 5,000
 * of 10,000 long documents that was most of a 4-8 ms query. Here a row's score is, for each phrase,
 * its inverse document frequency times the column-weighted, saturated count of its occurrences
 * (tf / (tf + 1.2), as bm25 with k1 = 1.2 and b = 0), from the positions already in hand. Negated,
 * as FTS5's rank sorts ascending. With n, only the first n phrases of the query count (the others
 * are there to filter). */

enum { RANK_MAX = 64 }; /* phrases x columns counted; more phrases are not searched (app/search.c) */

static int count_row(const Fts5ExtensionApi *api, Fts5Context *f, void *ctx)
{
	(void)api, (void)f;
	(*(sqlite3_int64 *)ctx)++;
	return SQLITE_OK;
}

/* Each phrase's inverse document frequency, worked out on the first row and kept for the query. */
static double *rank_idf(const Fts5ExtensionApi *api, Fts5Context *f, int nphrase)
{
	double *idf = api->xGetAuxdata(f, 0);
	if (idf)
		return idf;
	sqlite3_int64 nrow = 0;
	if (api->xRowCount(f, &nrow) != SQLITE_OK || !(idf = sqlite3_malloc64(sizeof(*idf) * (nphrase + 1))))
		return NULL;
	for (int i = 0; i < nphrase; i++) {
		sqlite3_int64 hits = 0;
		if (api->xQueryPhrase(f, i, &hits, count_row) != SQLITE_OK) {
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
	if (np * nc > RANK_MAX) {
		sqlite3_result_error(ctx, "vrc_rank: too many phrases", -1);
		return;
	}
	/* One phrase: its weight orders nothing, so the pass over all its rows to find it is skipped. */
	static double one[1] = {1.0};
	double *idf = np == 1 ? one : rank_idf(api, f, np), tf[RANK_MAX] = {0};
	if (!idf) {
		sqlite3_result_error(ctx, "vrc_rank: cannot read the row", -1);
		return;
	}
	/* Each phrase's positions in turn (xInst would first merge them all into one sorted array). */
	for (int p = 0; p < np; p++) {
		Fts5PhraseIter it;
		int ic, io;
		if (api->xPhraseFirst(f, p, &it, &ic, &io) != SQLITE_OK)
			continue;
		for (; ic >= 0; api->xPhraseNext(f, &it, &ic, &io))
			if (ic < nc)
				tf[p * nc + ic] += 1;
	}
	double score = 0;
	for (int p = 0; p < np; p++)
		for (int c = 0; c < nc; c++) {
			double w = c < nval ? sqlite3_value_double(val[c]) : 1.0, n = tf[p * nc + c];
			score += n > 0 ? idf[p] * w * n / (n + 1.2) : 0;
		}
	sqlite3_result_double(ctx, -score);
}

/* vrc_snippet(tbl, col, open, close, ellipsis, ntokens): about ntokens tokens of column col from a
 * little before its first match, each matched token between open and close, ellipsis where text was
 * left out. The built-in snippet() tokenizes the whole column of every row returned to score each
 * window; this stops at the window's end, and without a match in the column returns its first
 * SNIP_BYTES bytes (cut at a space) without tokenizing at all. */

enum { SNIP_INST = 64, SNIP_BEFORE = 3, SNIP_BYTES = 160 };

struct snip {
	const int *inst; /* token positions of the matches, ascending */
	int ninst, next;
	int from, to; /* the window, in tokens */
	int pos;      /* of the next token */
	const char *text;
	sqlite3_str *out;
	const char *open, *close;
	int copied;   /* bytes of text written so far */
	bool stopped; /* at the window's end (SQLITE_DONE: the tokenizer reports SQLITE_OK then) */
};

static int snip_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
	(void)tflags, (void)tok, (void)n;
	struct snip *s = p;
	int pos = s->pos++;
	if (pos < s->from)
		return SQLITE_OK;
	if (pos >= s->to) {
		s->stopped = true;
		return SQLITE_DONE; /* past the window: stop tokenizing */
	}
	if (s->copied < 0)
		s->copied = start; /* the window's first token */
	while (s->next < s->ninst && s->inst[s->next] < pos)
		s->next++;
	if (s->next < s->ninst && s->inst[s->next] == pos) {
		sqlite3_str_append(s->out, s->text + s->copied, start - s->copied);
		sqlite3_str_appendall(s->out, s->open);
		sqlite3_str_append(s->out, s->text + start, end - start);
		sqlite3_str_appendall(s->out, s->close);
	} else {
		sqlite3_str_append(s->out, s->text + s->copied, end - s->copied);
	}
	s->copied = end;
	return SQLITE_OK;
}

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* The positions of every phrase's matches in column col, sorted; their count. */
static int snip_positions(const Fts5ExtensionApi *api, Fts5Context *f, int col, int *inst)
{
	int n = 0;
	for (int p = 0; p < api->xPhraseCount(f); p++) {
		Fts5PhraseIter it;
		int ic, io;
		if (api->xPhraseFirst(f, p, &it, &ic, &io) != SQLITE_OK)
			continue;
		for (; ic >= 0 && n < SNIP_INST; api->xPhraseNext(f, &it, &ic, &io))
			if (ic == col)
				inst[n++] = io;
	}
	qsort(inst, (size_t)n, sizeof(*inst), int_cmp);
	return n;
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

static void snippet_fn(const Fts5ExtensionApi *api, Fts5Context *f, sqlite3_context *ctx, int nval,
                       sqlite3_value **val)
{
	if (nval != 5) {
		sqlite3_result_error(ctx, "vrc_snippet: (col, open, close, ellipsis, ntokens)", -1);
		return;
	}
	int col = sqlite3_value_int(val[0]), ntok = sqlite3_value_int(val[4]), n = 0, inst[SNIP_INST];
	const char *text = NULL, *ellipsis = (const char *)sqlite3_value_text(val[3]);
	if (api->xColumnText(f, col, &text, &n) != SQLITE_OK) {
		sqlite3_result_error(ctx, "vrc_snippet: cannot read the column", -1);
		return;
	}
	sqlite3_str *out = sqlite3_str_new(NULL);
	int ninst = text ? snip_positions(api, f, col, inst) : 0;
	if (ninst == 0) {
		snip_head(out, text ? text : "", n, ellipsis ? ellipsis : "");
	} else {
		int from = inst[0] > SNIP_BEFORE ? inst[0] - SNIP_BEFORE : 0;
		struct snip s = {inst,
		                 ninst,
		                 0,
		                 from,
		                 from + (ntok > 0 ? ntok : 24),
		                 0,
		                 text,
		                 out,
		                 (const char *)sqlite3_value_text(val[1]),
		                 (const char *)sqlite3_value_text(val[2]),
		                 -1,
		                 false};
		if (from > 0)
			sqlite3_str_appendall(out, ellipsis ? ellipsis : "");
		int rc = api->xTokenize(f, text, n, &s, snip_token);
		if (rc != SQLITE_OK && rc != SQLITE_DONE) {
			sqlite3_free(sqlite3_str_finish(out));
			sqlite3_result_error_code(ctx, rc);
			return;
		}
		if (s.stopped)
			sqlite3_str_appendall(out, ellipsis ? ellipsis : "");
		else if (s.copied >= 0)
			sqlite3_str_append(out, text + s.copied,
			                   n - s.copied); /* the window reached the end */
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
	    api->xCreateFunction(api, "vrc_snippet", NULL, snippet_fn, NULL) != SQLITE_OK)
		return -1;
	return 0;
}
