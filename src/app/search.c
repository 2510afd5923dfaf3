/* The search page. A query is read (UTF-8, whitespace collapsed, at most QUERY_MAX bytes), folded into
 * words (base/fold.c), checked for crisis words (app/crisis.c), then answered from a small cache of
 * rendered pages keyed by language and query, or searched (model/searchindex.c) and rendered by the
 * site's checked page path (site_render_extra). Pages depend on the query, so they never enter the
 * public page cache and go out as no-store. Nothing here logs what anyone typed. */
#include "app/search.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/crisis.h"
#include "app/metrics.h"
#include "app/routes.h"
#include "app/site.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/searchindex.h"
#include "view/i18n.h"
#include "view/template.h"

enum {
	QUERY_MAX = 200,    /* bytes of a query that are read (the form's maxlength) */
	WORDS_MAX = 8,      /* words searched for; more are ignored */
	RESULTS_MAX = 20,   /* results shown */
	CACHE_SLOTS = 512,  /* rendered pages kept */
	CACHE_TTL = 60,     /* seconds a rendered page is kept */
	LIMIT_SLOTS = 4096, /* addresses tracked by the rate limit */
	LIMIT_WINDOW = 60,  /* seconds in which per_minute searches are allowed */
	RETRY_MIN = 1,      /* the least Retry-After */
};

/* A rendered page in the results cache: direct-mapped by the key's hash, so it is bounded and a
 * newer page simply takes an older one's slot. */
struct slot {
	char *key;
	int64_t at;   /* monotonic seconds when rendered */
	uint64_t gen; /* searchindex_generation() before it was searched: another means it may be old */
	int status;
	char *body;
	size_t len;
};

/* One address's searches in the current window (addresses that share a slot share a count). */
struct bucket {
	uint64_t who;
	int64_t window;
	unsigned count;
};

static struct {
	struct db *db;
	unsigned per_minute;
	pthread_mutex_t lock; /* guards slots and buckets */
	struct slot slots[CACHE_SLOTS];
	struct bucket buckets[LIMIT_SLOTS];
	_Atomic uint64_t searches, cached, none, crisis, limited, failed;
} S = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int64_t now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec;
}

int search_init(const struct search_config *cfg)
{
	S.db = cfg->db;
	S.per_minute = cfg->per_minute;
	int n = searchindex_refresh(S.db);
	if (n < 0)
		return -1;
	log_info("search: %ld English and %ld Spanish documents indexed (%d changed)",
	         searchindex_count(S.db, "en"), searchindex_count(S.db, "es"), n);
	return 0;
}

void search_free(void)
{
	pthread_mutex_lock(&S.lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(S.slots[i].key);
		free(S.slots[i].body);
		memset(&S.slots[i], 0, sizeof(S.slots[i]));
	}
	pthread_mutex_unlock(&S.lock);
}

void search_stats(struct search_stats *out)
{
	out->searches = S.searches;
	out->cached = S.cached;
	out->none = S.none;
	out->crisis = S.crisis;
	out->limited = S.limited;
	out->failed = S.failed;
}

/* ---- the results cache ---- */

/* The two slots key may be in (two choices: popular queries that share one slot do not take turns
 * pushing each other out). */
static void slots_of(const char *key, struct slot *two[2])
{
	uint64_t h = hash64(key, strlen(key));
	two[0] = &S.slots[h % CACHE_SLOTS];
	two[1] = &S.slots[(h >> 32) % CACHE_SLOTS];
}

/* Fill resp from the page cached under key, if there is a fresh one: younger than CACHE_TTL and made
 * since the index last changed (a publish bumps the generation, so nobody is shown what was there
 * before it). */
static bool cache_find(const char *key, struct response *resp)
{
	bool hit = false;
	int64_t now = now_s();
	uint64_t gen = searchindex_generation();
	struct slot *two[2];
	slots_of(key, two);
	pthread_mutex_lock(&S.lock);
	for (int i = 0; i < 2 && !hit; i++) {
		struct slot *s = two[i];
		if (s->key && strcmp(s->key, key) == 0 && now - s->at < CACHE_TTL && s->gen == gen) {
			response_html(resp, s->status, s->body, s->len);
			hit = true;
		}
	}
	pthread_mutex_unlock(&S.lock);
	return hit;
}

/* Keep page under key: in the slot that has key already, else in the older of its two. */
static void cache_keep(const char *key, uint64_t gen, int status, const struct buf *page)
{
	char *k = xstrdup(key), *body = xmalloc(page->len + 1);
	memcpy(body, page->p ? page->p : "", page->len);
	struct slot *two[2];
	slots_of(key, two);
	pthread_mutex_lock(&S.lock);
	struct slot *s = two[1]->key && strcmp(two[1]->key, key) == 0 ? two[1] : two[0];
	if (s == two[0] && !(s->key && strcmp(s->key, key) == 0) && s->key &&
	    (!two[1]->key || two[1]->at < s->at))
		s = two[1];
	char *old_key = s->key, *old_body = s->body;
	*s = (struct slot){k, now_s(), gen, status, body, page->len};
	pthread_mutex_unlock(&S.lock);
	free(old_key);
	free(old_body);
}

/* ---- the rate limit ---- */

/* Who an address is for the limit: an IPv4 address, or an IPv6 address's /64 (one household or
 * phone gets a whole /64, and can change the rest at will). */
static uint64_t who_of(const char *remote)
{
	unsigned char a6[16];
	if (remote && strchr(remote, ':') && inet_pton(AF_INET6, remote, a6) == 1)
		return hash64(a6, 8);
	return hash64(remote ? remote : "-", remote ? strlen(remote) : 1);
}

/* Count one search from remote: 0 when it may go on, else the seconds until it may. */
static int limit_take(const char *remote)
{
	if (S.per_minute == 0)
		return 0;
	uint64_t who = who_of(remote);
	int64_t now = now_s();
	int retry = 0;
	pthread_mutex_lock(&S.lock);
	struct bucket *b = &S.buckets[who % LIMIT_SLOTS];
	if (b->who != who || now - b->window >= LIMIT_WINDOW)
		*b = (struct bucket){who, now, 0};
	if (b->count < S.per_minute)
		b->count++;
	else if ((retry = (int)(b->window + LIMIT_WINDOW - now)) < RETRY_MIN)
		retry = RETRY_MIN;
	pthread_mutex_unlock(&S.lock);
	return retry;
}

/* ---- reading the query ---- */

struct query {
	const char *text;   /* as typed, whitespace collapsed and trimmed, cut to QUERY_MAX bytes */
	const char *folded; /* its words, folded */
	const char *words[WORDS_MAX];
	size_t nwords;
	bool invalid; /* not UTF-8: nothing was read */
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void query_read(struct arena *a, const char *raw, struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->text = q->folded = "";
	if (!raw)
		return;
	if (!utf8_valid(raw, strlen(raw))) {
		q->invalid = true;
		return;
	}
	struct buf b = BUF_INIT;
	for (const char *p = raw; *p && b.len < QUERY_MAX; p++) {
		if (!is_space(*p))
			buf_putc(&b, *p);
		else if (b.len && p[1] && !is_space(p[1]))
			buf_putc(&b, ' ');
	}
	size_t n = b.len;
	while (n && (!utf8_valid(b.p, n) || b.p[n - 1] == ' '))
		n--; /* the cap may have cut a character, or left a space at the end */
	q->text = arena_strndup(a, b.p ? b.p : "", n);
	buf_free(&b);
	struct buf f = BUF_INIT;
	fold_words(q->text, strlen(q->text), &f);
	char *folded = arena_strndup(a, f.p ? f.p : "", f.len);
	buf_free(&f);
	q->folded = arena_strdup(a, folded);
	for (char *w = folded; *w && q->nwords < WORDS_MAX;) {
		q->words[q->nwords++] = w;
		char *sp = strchr(w, ' ');
		if (!sp)
			break;
		*sp = '\0';
		w = sp + 1;
	}
}

/* ---- building the page ---- */

/* The page data being built; bad is set by anything that could not be made (text not UTF-8). */
struct build {
	struct arena *a;
	const char *lang;
	bool bad;
};

static json_t *text(struct build *b, const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	if (!j)
		b->bad = true;
	return j;
}

static void put(struct build *b, json_t *obj, const char *key, json_t *v)
{
	if (!obj || !v || json_object_set_new(obj, key, v) < 0)
		b->bad = true;
}

/* Bytes of Markdown that only clutter a snippet. */
static bool md_noise(char c)
{
	return c == '*' || c == '#' || c == '`' || c == '[' || c == ']' || c == '|';
}

/* s (a title or snippet with SEARCHINDEX_MARK_* around matched words) as HTML: Markdown clutter and
 * link targets dropped, every byte escaped, and only then the marks turned into <mark>. A mark byte
 * that turns up in stored text can only open or close a balanced <mark>, never markup of its own. */
static json_t *marked_html(struct build *b, const char *s)
{
	struct buf h = BUF_INIT;
	bool open = false, space = false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ']' && p[1] == '(') { /* [text](target): keep the text */
			const char *end = strchr(p, ')');
			p = end ? end : p + strlen(p) - 1;
			continue;
		}
		if (c == SEARCHINDEX_MARK_ON || c == SEARCHINDEX_MARK_OFF) {
			if (space && c == SEARCHINDEX_MARK_ON)
				buf_putc(&h, ' ');
			space = space && c != SEARCHINDEX_MARK_ON;
			if ((c == SEARCHINDEX_MARK_ON) != open)
				buf_puts(&h, open ? "</mark>" : "<mark>");
			open = c == SEARCHINDEX_MARK_ON;
			continue;
		}
		if (md_noise((char)c))
			continue;
		if (c < 0x20 || c == ' ') {
			space = h.len > 0;
			continue;
		}
		if (space)
			buf_putc(&h, ' ');
		space = false;
		switch (c) {
		case '&': buf_puts(&h, "&amp;"); break;
		case '<': buf_puts(&h, "&lt;"); break;
		case '>': buf_puts(&h, "&gt;"); break;
		case '"': buf_puts(&h, "&quot;"); break;
		case '\'': buf_puts(&h, "&#39;"); break;
		default: buf_putc(&h, (char)c); break;
		}
	}
	if (open)
		buf_puts(&h, "</mark>");
	json_t *j = utf8_valid(h.p ? h.p : "", h.len) ? tmpl_safe_html(h.p ? h.p : "", h.len) : NULL;
	buf_free(&h);
	if (!j)
		b->bad = true;
	return j;
}

/* The snippet to show: the body's where a word matched there, else the summary's, else the start of
 * whichever has text. */
static const char *snippet_of(const struct search_hit *h)
{
	if (strchr(h->body, SEARCHINDEX_MARK_ON))
		return h->body;
	if (h->summary[0])
		return h->summary;
	return h->body;
}

static json_t *hit_json(struct build *b, const struct search_hit *h)
{
	char key[64];
	snprintf(key, sizeof(key), "search_kind_%s", h->kind);
	json_t *j = json_object();
	put(b, j, "kind", text(b, h->kind));
	put(b, j, "kind_label", text(b, i18n_get(b->lang, key)));
	put(b, j, "linked", json_boolean(h->url[0] != '\0'));
	put(b, j, "url", text(b, h->url));
	put(b, j, "context", text(b, h->context));
	put(b, j, "title_html", marked_html(b, h->title));
	const char *snip = snippet_of(h);
	put(b, j, "has_snippet", json_boolean(snip[0] != '\0'));
	put(b, j, "snippet_html", marked_html(b, snip));
	if (strcmp(h->kind, "hotline") == 0) {
		json_t *line = site_hotline_data(b->lang, h->ref);
		if (line)
			put(b, j, "hotline", line);
	}
	return j;
}

/* s percent-encoded for a query string value. */
static const char *pct(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf o = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			buf_putc(&o, (char)*p);
		else if (*p == ' ')
			buf_putc(&o, '+');
		else
			buf_printf(&o, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	const char *r = arena_strndup(a, o.p ? o.p : "", o.len);
	buf_free(&o);
	return r;
}

static const char *search_path(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es/search" : "/search";
}

/* What the page is about to say. */
struct outcome {
	bool limited, crisis, partial;
	struct search_hit *hits;
	int nhits; /* -1: the search itself failed */
};

static json_t *search_json(struct build *b, const struct query *q, const struct outcome *o)
{
	json_t *s = json_object(), *results = json_array();
	for (int i = 0; i < o->nhits; i++) {
		/* A document whose stored text is broken is left out (and logged), as the site's lists
		 * leave out a broken card: it must not take every search that finds it down with it. */
		struct build one = {b->a, b->lang, false};
		json_t *r = hit_json(&one, &o->hits[i]);
		if (one.bad) {
			log_error("search: %s %s left out of results: its text is not valid UTF-8",
			          o->hits[i].kind, o->hits[i].ref);
			json_decref(r);
		} else if (json_array_append_new(results, r) < 0) {
			b->bad = true;
		}
	}
	int shown = (int)json_array_size(results);
	bool asked = q->text[0] != '\0' && !o->limited;
	put(b, s, "q", text(b, q->text));
	put(b, s, "action", text(b, search_path(b->lang)));
	put(b, s, "has_query", json_boolean(asked));
	put(b, s, "invalid", json_boolean(q->invalid));
	put(b, s, "crisis_first", json_boolean(o->crisis));
	put(b, s, "limited", json_boolean(o->limited));
	put(b, s, "partial", json_boolean(o->partial && shown > 0));
	put(b, s, "has_results", json_boolean(shown > 0));
	put(b, s, "none", json_boolean(asked && shown == 0));
	put(b, s, "browse", json_boolean(shown == 0));
	put(b, s, "count_text",
	    text(b, arena_printf(b->a, "%d %s", shown,
	                         i18n_get(b->lang, shown == 1 ? "search_result" : "search_results"))));
	put(b, s, "results", results);
	return s;
}

/* Render the page for q into out. Returns the status: 200 (or 400, 429 as given), or 500 with the
 * error page in out. */
static int render(struct arena *a, const char *lang, const struct query *q, const struct outcome *o,
                  int status, struct buf *out)
{
	struct build b = {a, lang, false};
	json_t *extra = json_object();
	put(&b, extra, "search", search_json(&b, q, o));
	if (b.bad) {
		json_decref(extra);
		extra = NULL; /* site_render_extra fails the page and says so */
	}
	const char *other = strcmp(lang, "es") == 0 ? "en" : "es";
	const char *alt =
	    q->text[0] ? arena_printf(a, "%s?q=%s", search_path(other), pct(a, q->text)) : search_path(other);
	if (site_render_extra(lang, "search", i18n_get(lang, "search_title"), alt, extra,
	                      strcmp(lang, "es") == 0 ? "/es/search" : "/search", out) < 0) {
		S.failed++;
		return 500;
	}
	return status;
}

static void finish(struct arena *a, struct response *resp, int status, int retry)
{
	resp->status = status;
	resp->cache_control = "no-store";
	response_header(resp, "X-Robots-Tag", "noindex");
	if (retry > 0)
		response_header(resp, "Retry-After", arena_printf(a, "%d", retry));
}

/* Past the limit: the page that says so, with the crisis lines (and the crisis box when the query
 * asked for it), itself cached so a flood of refusals costs no database work. */
static int refuse(struct request *req, struct response *resp, const char *lang, bool crisis, int retry)
{
	S.limited++;
	const char *key = arena_printf(req->arena, "\x01limited\n%s\n%d", lang, crisis);
	uint64_t gen = searchindex_generation();
	if (!cache_find(key, resp)) {
		struct query none;
		query_read(req->arena, NULL, &none);
		struct outcome o = {.limited = true, .crisis = crisis};
		struct buf page = BUF_INIT;
		int status = render(req->arena, lang, &none, &o, 429, &page);
		if (status == 429)
			cache_keep(key, gen, 429, &page);
		response_html(resp, status, page.p ? page.p : "", page.len);
		buf_free(&page);
	}
	finish(req->arena, resp, 429, retry);
	return 429;
}

/* Words too common to find anything by (folded, as query_read leaves them). */
static const char *const little_words[][64] = {
    {"a",    "about", "after", "all",  "am",    "an",   "and",  "are",  "as",  "at", "be",
     "but",  "by",    "can",   "do",   "for",   "from", "get",  "have", "how", "i",  "if",
     "in",   "is",    "it",    "me",   "my",    "no",   "not",  "of",   "on",  "or", "so",
     "that", "the",   "their", "them", "there", "they", "this", "to",   "was", "we", "what",
     "when", "where", "who",   "why",  "will",  "with", "you",  "your", NULL},
    {"a",    "al",  "como", "con", "cuando", "de",  "del", "donde", "el", "en",  "es", "esta", "este",
     "hay",  "la",  "las",  "le",  "lo",     "los", "mas", "me",    "mi", "mis", "no", "o",    "para",
     "pero", "por", "que",  "se",  "si",     "sin", "su",  "sus",   "un", "una", "y",  "yo",   NULL},
};

static bool little_word(const char *lang, const char *w)
{
	for (const char *const *p = little_words[strcmp(lang, "es") == 0]; *p; p++)
		if (strcmp(*p, w) == 0)
			return true;
	return false;
}

/* Search: every word first; when nothing has them all, every word that some page has (a typo or a
 * word no page uses is dropped), and only then any of those. Ranking a union of common words is the
 * dearest query there is, so it is the last resort. */
static void run(struct arena *a, const char *lang, const struct query *q, struct outcome *o)
{
	if (searchindex_sync(S.db) < 0)
		log_warn("search: searching an index that may be behind");
	o->nhits = searchindex_find(S.db, a, lang, q->words, q->nwords, false, RESULTS_MAX, &o->hits);
	if (o->nhits != 0 || q->nwords < 2)
		return;
	const char *known[WORDS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < q->nwords; i++) {
		int has = searchindex_has(S.db, a, lang, q->words[i]);
		if (has < 0) {
			o->nhits = -1;
			return;
		}
		if (has)
			known[n++] = q->words[i];
	}
	if (n == 0)
		return;
	o->partial = true;
	if (n < q->nwords)
		o->nhits = searchindex_find(S.db, a, lang, known, n, false, RESULTS_MAX, &o->hits);
	if (o->nhits != 0 || n < 2)
		return;
	/* Any of them: not the little words, which are in nearly every page ("de", "the"). */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!little_word(lang, known[i]))
			known[k++] = known[i];
	if (k > 0)
		o->nhits = searchindex_find(S.db, a, lang, known, k, true, RESULTS_MAX, &o->hits);
}

int search_page(struct request *req, struct response *resp)
{
	uint64_t t0 = metrics_now_us(), gen = searchindex_generation();
	const char *lang = strncmp(req->path, "/es/", 4) == 0 ? "es" : "en";
	struct query q;
	query_read(req->arena, request_query(req, "q"), &q);
	bool crisis = crisis_match(q.folded);
	if (q.nwords) {
		S.searches++;
		S.crisis += crisis;
	}
	const char *key = arena_printf(req->arena, "%s\n%s", lang, q.text);
	if (!q.invalid && cache_find(key, resp)) {
		S.cached += q.nwords > 0;
		finish(req->arena, resp, resp->status, 0);
		if (q.nwords)
			metrics_search(true, metrics_now_us() - t0);
		return resp->status;
	}
	int retry = q.nwords ? limit_take(req->remote) : 0;
	if (retry > 0)
		return refuse(req, resp, lang, crisis, retry);
	struct outcome o = {.crisis = crisis};
	if (q.nwords)
		run(req->arena, lang, &q, &o);
	if (o.nhits < 0) {
		/* The index failed (logged): the error page, crisis lines and all, never "no results". */
		S.failed++;
		routes_error_page(resp, 500, lang);
		return 500;
	}
	if (q.nwords && o.nhits == 0)
		S.none++;
	struct buf page = BUF_INIT;
	int status = render(req->arena, lang, &q, &o, q.invalid ? 400 : 200, &page);
	if (status == 200)
		cache_keep(key, gen, status, &page);
	response_html(resp, status, page.p ? page.p : "", page.len);
	buf_free(&page);
	finish(req->arena, resp, status, 0);
	if (q.nwords && status == 200)
		metrics_search(false, metrics_now_us() - t0);
	return status;
}
