/* The "vrc_stem" FTS5 tokenizer: unicode61 with remove_diacritics 2 splits and folds (the same rules
 * SQLite applies everywhere else), then each token goes through Snowball's stemmer for the language
 * (libstemmer), then through a short table of irregular families Snowball keeps apart. Documents and
 * queries take the same path, so whatever a word becomes, its variants become the same.
 * Changing the tables below changes what is indexed: a migration must then rebuild the search tables. */
#include "db/stemtok.h"

#include <libstemmer.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "db/ftsaux.h"

/* The languages a table may name, and Snowball's algorithm for each. */
static const struct {
	const char *lang, *algorithm;
} algorithms[] = {{"en", "english"}, {"es", "spanish"}};

/* Folded Spanish endings whose Snowball suffix carries an accent: "informacion" (typed without one)
 * must stem like "información" and "informaciones". Applied to the folded word before stemming. */
static const struct {
	const char *lang, *folded, *accented;
} reaccent[] = {
    {"es", "acion", "ación"},
    {"es", "ucion", "ución"},
    {"es", "logia", "logía"},
    {"es", "logias", "logías"},
};

/* Stems Snowball leaves apart that readers expect together ("grieving" → griev, "grief" → grief). */
static const struct {
	const char *lang, *stem, *as;
} families[] = {
    {"en", "griev", "grief"},
    {"en", "children", "child"},
};

enum {
	WORD_MAX = 64,     /* longer tokens (a URL, a hash) are indexed as they are, not stemmed */
	MEMO_WORD = 24,    /* words up to this long have their stems remembered */
	MEMO_SLOTS = 2048, /* remembered stems per tokenizer (direct-mapped by hash) */
};

/* A word's stem, remembered: snippets re-tokenize whole documents at query time, and text repeats
 * its words, so most tokens are answered here instead of by the stemmer (7x faster snippets). */
struct memo {
	unsigned char len, slen; /* 0: empty */
	char word[MEMO_WORD], stem[MEMO_WORD];
};

/* One tokenizer instance: used by one connection at a time (SQLite holds the connection's lock), so
 * the stemmer and the memo need no lock of their own. */
struct stemtok {
	fts5_tokenizer inner_api; /* unicode61's methods */
	Fts5Tokenizer *inner;
	struct sb_stemmer *sb;
	const char *lang;
	struct memo memo[MEMO_SLOTS];
};

/* One xTokenize call: where stemmed tokens go. */
struct stemcall {
	struct stemtok *t;
	void *ctx;
	int (*xToken)(void *, int, const char *, int, int, int);
	int flags;
	const unsigned char *first; /* NULL, or the first bytes of the only tokens worth stemming */
};

static int lang_index(const char *lang)
{
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strcmp(algorithms[i].lang, lang) == 0)
			return (int)i;
	return -1;
}

static void stemtok_delete(Fts5Tokenizer *p)
{
	struct stemtok *t = (struct stemtok *)p;
	if (!t)
		return;
	if (t->inner)
		t->inner_api.xDelete(t->inner);
	sb_stemmer_delete(t->sb);
	free(t);
}

/* xCreate: the context is the fts5_api that finds unicode61; azArg[0] is the language. */
static int stemtok_create(void *ctx, const char **az, int n, Fts5Tokenizer **out)
{
	fts5_api *api = ctx;
	int li = n == 1 ? lang_index(az[0]) : -1;
	if (li < 0)
		return SQLITE_ERROR; /* tokenize='vrc_stem en' or 'vrc_stem es' */
	struct stemtok *t = xcalloc(1, sizeof(*t));
	t->lang = algorithms[li].lang;
	void *uctx = NULL;
	static const char *uargs[] = {"remove_diacritics", "2"};
	int rc = api->xFindTokenizer(api, "unicode61", &uctx, &t->inner_api);
	if (rc == SQLITE_OK)
		rc = t->inner_api.xCreate(uctx, uargs, 2, &t->inner);
	if (rc == SQLITE_OK && !(t->sb = sb_stemmer_new(algorithms[li].algorithm, NULL)))
		rc = SQLITE_NOMEM;
	if (rc != SQLITE_OK) {
		stemtok_delete((Fts5Tokenizer *)t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

/* word (*n bytes, folded) with a Spanish ending given back its accent, in buf; else word itself. */
static const char *with_accent(const char *lang, const char *word, int *n, char *buf, size_t cap)
{
	size_t wl = (size_t)*n;
	for (size_t i = 0; i < sizeof(reaccent) / sizeof(reaccent[0]); i++) {
		size_t fl = strlen(reaccent[i].folded), al = strlen(reaccent[i].accented);
		if (strcmp(reaccent[i].lang, lang) != 0 || wl <= fl ||
		    memcmp(word + wl - fl, reaccent[i].folded, fl) != 0 || wl - fl + al > cap)
			continue;
		memcpy(buf, word, wl - fl);
		memcpy(buf + wl - fl, reaccent[i].accented, al);
		*n = (int)(wl - fl + al);
		return buf;
	}
	return word;
}

/* The stem of word (n bytes, folded), by the stemmer and the families table; *len gets its length.
 * NULL when the stemmer is out of memory. Valid until the next call. */
static const char *stem_of(struct stemtok *t, const char *word, int n, int *len)
{
	char buf[WORD_MAX + 8];
	const char *w = with_accent(t->lang, word, &n, buf, sizeof(buf));
	const sb_symbol *s = sb_stemmer_stem(t->sb, (const sb_symbol *)w, n);
	if (!s)
		return NULL;
	const char *stem = (const char *)s;
	*len = sb_stemmer_length(t->sb);
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (strcmp(families[i].lang, t->lang) == 0 && (size_t)*len == strlen(families[i].stem) &&
		    memcmp(stem, families[i].stem, (size_t)*len) == 0) {
			stem = families[i].as;
			*len = (int)strlen(stem);
			break;
		}
	return stem;
}

/* FNV-1a of the word, for its memo slot. */
static size_t memo_slot(const char *w, int n)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h % MEMO_SLOTS;
}

static int on_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
	struct stemcall *c = p;
	/* A prefix query ("grie*") matches the letters as typed, not a stem. */
	if (n <= 0 || n > WORD_MAX || (c->flags & FTS5_TOKENIZE_PREFIX))
		return c->xToken(c->ctx, tflags, tok, n, start, end);
	/* A stem keeps its word's first letter (folded): a word starting with another cannot match. */
	if (c->first && !c->first[(unsigned char)tok[0]])
		return c->xToken(c->ctx, tflags, tok, n, start, end);
	struct memo *m = n <= MEMO_WORD ? &c->t->memo[memo_slot(tok, n)] : NULL;
	if (m && m->len == n && memcmp(m->word, tok, (size_t)n) == 0)
		return c->xToken(c->ctx, tflags, m->stem, m->slen, start, end);
	int len;
	const char *stem = stem_of(c->t, tok, n, &len);
	if (!stem)
		return SQLITE_NOMEM;
	if (m && len <= MEMO_WORD) {
		m->len = (unsigned char)n, m->slen = (unsigned char)len;
		memcpy(m->word, tok, (size_t)n);
		memcpy(m->stem, stem, (size_t)len);
	}
	return c->xToken(c->ctx, tflags, stem, len, start, end);
}

static int stemtok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                            int (*xToken)(void *, int, const char *, int, int, int))
{
	struct stemtok *t = (struct stemtok *)p;
	struct stemcall c = {t, ctx, xToken, flags, NULL};
	return t->inner_api.xTokenize(t->inner, &c, flags, text, n, on_token);
}

/* FTS5's API of connection h, or NULL (SQLite built without FTS5). */
static fts5_api *fts5_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

/* vrc_split(text): text's words where the tokenizer finds them (unicode61, as vrc_stem splits before
 * stemming), as they are written, one space between each: "a\"b" gives "a b", "x:y" "x y", "*" "".
 * A search table keeps no positions (detail=column), so FTS5 cannot search a quoted string of two
 * words as a phrase, and refuses the query; search asks for each part on its own instead. */
struct splitter {
	fts5_tokenizer api;
	Fts5Tokenizer *tok; /* used under the connection's lock, as the function is */
};

struct split_call {
	const char *text;
	sqlite3_str *out;
};

static int split_token(void *p, int tflags, const char *tok, int n, int start, int end)
{
	(void)tok, (void)n;
	struct split_call *c = p;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (sqlite3_str_length(c->out) > 0)
		sqlite3_str_appendchar(c->out, 1, ' ');
	sqlite3_str_append(c->out, c->text + start, end - start);
	return SQLITE_OK;
}

/* A function's result: what out holds (taken over), or the error rc (or out's own) instead. */
static void result_str(sqlite3_context *ctx, int rc, sqlite3_str *out)
{
	int len = sqlite3_str_length(out);
	char *r = sqlite3_str_finish(out);
	if (rc != SQLITE_OK || (!r && len > 0)) {
		sqlite3_free(r);
		sqlite3_result_error_code(ctx, rc != SQLITE_OK ? rc : SQLITE_NOMEM);
		return;
	}
	sqlite3_result_text(ctx, r ? r : "", len, r ? sqlite3_free : SQLITE_TRANSIENT);
}

static void split_fn(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	(void)nval;
	struct splitter *sp = sqlite3_user_data(ctx);
	const char *text = (const char *)sqlite3_value_text(val[0]);
	int n = sqlite3_value_bytes(val[0]);
	struct split_call c = {text ? text : "", sqlite3_str_new(NULL)};
	int rc =
	    n > 0 ? sp->api.xTokenize(sp->tok, &c, FTS5_TOKENIZE_QUERY, c.text, n, split_token) : SQLITE_OK;
	result_str(ctx, rc, c.out);
}

static void splitter_delete(void *p)
{
	struct splitter *sp = p;
	if (sp && sp->tok)
		sp->api.xDelete(sp->tok);
	free(sp);
}

static int split_register(sqlite3 *h, fts5_api *api)
{
	static const char *uargs[] = {"remove_diacritics", "2"};
	struct splitter *sp = xcalloc(1, sizeof(*sp));
	void *uctx = NULL;
	if (api->xFindTokenizer(api, "unicode61", &uctx, &sp->api) != SQLITE_OK ||
	    sp->api.xCreate(uctx, uargs, 2, &sp->tok) != SQLITE_OK) {
		splitter_delete(sp);
		return -1;
	}
	/* (On failure SQLite calls splitter_delete itself.) */
	return sqlite3_create_function_v2(h, "vrc_split", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, sp, split_fn,
	                                  NULL, NULL, splitter_delete) == SQLITE_OK
	           ? 0
	           : -1;
}

/* vrc_marked(lang, text, words, found, ntokens, open, close, ellipsis): text with the words of the
 * query marked, by the tokenizer of lang's table (db/ftsaux.h, ftsaux_mark). One tokenizer a language
 * per connection, used under the connection's lock as the function is. */
struct marker {
	struct stemtok *tok[sizeof(algorithms) / sizeof(algorithms[0])];
};

static int marker_tokenize(void *tok, void *ctx, const char *text, int n, const unsigned char *first,
                           int (*xToken)(void *, int, const char *, int, int, int))
{
	struct stemtok *t = tok;
	struct stemcall c = {t, ctx, xToken, FTS5_TOKENIZE_DOCUMENT, first};
	return t->inner_api.xTokenize(t->inner, &c, FTS5_TOKENIZE_DOCUMENT, text, n, on_token);
}

static void marked_fn(sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	(void)nval;
	struct marker *mk = sqlite3_user_data(ctx);
	const char *lang = (const char *)sqlite3_value_text(val[0]);
	int li = lang ? lang_index(lang) : -1;
	if (li < 0) {
		sqlite3_result_error(ctx, "vrc_marked: no such language", -1);
		return;
	}
	const char *text = (const char *)sqlite3_value_text(val[1]);
	int n = sqlite3_value_bytes(val[1]);
	const char *words = (const char *)sqlite3_value_text(val[2]);
	int nwords = sqlite3_value_bytes(val[2]);
	sqlite3_str *out = sqlite3_str_new(NULL);
	int rc = ftsaux_mark(
	    marker_tokenize, mk->tok[li], words, nwords, text, n, sqlite3_value_int(val[3]) != 0,
	    sqlite3_value_int(val[4]), (const char *)sqlite3_value_text(val[5]),
	    (const char *)sqlite3_value_text(val[6]), (const char *)sqlite3_value_text(val[7]), out);
	result_str(ctx, rc, out);
}

static void marker_delete(void *p)
{
	struct marker *mk = p;
	for (size_t i = 0; mk && i < sizeof(mk->tok) / sizeof(mk->tok[0]); i++)
		stemtok_delete((Fts5Tokenizer *)mk->tok[i]);
	free(mk);
}

static int marked_register(sqlite3 *h, fts5_api *api)
{
	struct marker *mk = xcalloc(1, sizeof(*mk));
	for (size_t i = 0; i < sizeof(mk->tok) / sizeof(mk->tok[0]); i++) {
		const char *arg[] = {algorithms[i].lang};
		if (stemtok_create(api, arg, 1, (Fts5Tokenizer **)&mk->tok[i]) != SQLITE_OK) {
			marker_delete(mk);
			return -1;
		}
	}
	/* (On failure SQLite calls marker_delete itself.) */
	return sqlite3_create_function_v2(h, "vrc_marked", 8, SQLITE_UTF8 | SQLITE_DETERMINISTIC, mk,
	                                  marked_fn, NULL, NULL, marker_delete) == SQLITE_OK
	           ? 0
	           : -1;
}

int stemtok_register(struct sqlite3 *h)
{
	static fts5_tokenizer methods = {stemtok_create, stemtok_delete, stemtok_tokenize};
	fts5_api *api = fts5_of(h);
	if (!api || api->iVersion < 2)
		return -1;
	if (ftsaux_register(api) < 0 || split_register(h, api) < 0 || marked_register(h, api) < 0)
		return -1;
	return api->xCreateTokenizer(api, "vrc_stem", api, &methods, NULL) == SQLITE_OK ? 0 : -1;
}
