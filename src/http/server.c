/* libmicrohttpd glue: per-connection context and arena, request limits, conditional requests,
 * content coding, Range, security headers and the access log entry; prepared responses for cache
 * hits, Date once a second, and 503 past the connection limit. Handlers never see the library. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "base/util.h"
#include "http/accesslog.h"
#include "http/compress.h"
#include "http/fastpath.h"
#include "http/httpdate.h"
#include "http/iplimit.h"
#include "http/negotiate.h"

struct server {
	/* One daemon with a thread pool; with the fast path, one daemon of one thread per worker
	 * (libmicrohttpd ignores a thread pool without a listening socket), given connections in turn. */
	struct MHD_Daemon **daemons;
	unsigned ndaemons;
	atomic_uint next;
	struct server_config cfg;
	unsigned port;
	unsigned soft_limit; /* connections answered as usual; past it, 503 and close */
	unsigned hard_limit; /* past it, closed at once */
	atomic_uint open;    /* connections open now */
	atomic_llong warned; /* the second of the last overload warning */
	/* With the fast path: it accepts every connection and hands libmicrohttpd those it does not
	 * answer. Connections and addresses are counted here across both; over[fd] says a handed-off
	 * connection was opened past the soft limit. */
	struct fastpath *fast;
	struct iplimit *ips;
	atomic_uchar *over;
	size_t nover;
};

struct conn;

/* One request's state across the library's calls. */
struct exchange {
	struct request req;
	struct buf body;
	size_t target_len; /* the request target as sent, query included */
	bool started;      /* the headers are in and req is filled */
	size_t max_body;   /* this request's body limit */
	int refuse;        /* a status decided before the handler (413, 414, 431, 400) */
	struct timespec start;
	int status;
	uint64_t bytes;
	struct conn *conn;       /* the connection this exchange belongs to, or NULL: a heap exchange */
	void (*release)(void *); /* the bytes' owner, held until the library is done with them */
	void *release_arg;
};

static uint64_t elapsed_us(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t us = (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 0;
}

const char *request_header(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *request_query(const struct request *req, const char *name)
{
	if (!req->conn)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The method and its name (static), or HTTP_OTHER and NULL. */
static enum http_method method_of(const char *m, const char **name)
{
	static const struct {
		const char *name;
		enum http_method m;
	} t[] = {{"GET", HTTP_GET},
	         {"HEAD", HTTP_HEAD},
	         {"POST", HTTP_POST},
	         {"PUT", HTTP_PUT},
	         {"DELETE", HTTP_DELETE}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(m, t[i].name) == 0) {
			*name = t[i].name;
			return t[i].m;
		}
	*name = NULL;
	return HTTP_OTHER;
}

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
	(void)kind;
	*(size_t *)cls += strlen(k) + (v ? strlen(v) : 0) + 4;
	return MHD_YES;
}

/* Arenas kept by each worker thread for its next requests: a request's arena is reset, not freed,
 * so the common request allocates nothing from malloc. A few per thread; freed when it ends. */
enum { SPARE_ARENAS = 16 };
struct spares {
	struct arena *a[SPARE_ARENAS];
	size_t n;
};
static pthread_key_t spares_key;
static pthread_once_t spares_once = PTHREAD_ONCE_INIT;

static void spares_free(void *p)
{
	struct spares *sp = p;
	for (size_t i = 0; i < sp->n; i++)
		arena_free(sp->a[i]);
	free(sp);
}

static void spares_init(void)
{
	pthread_key_create(&spares_key, spares_free);
}

static struct arena *arena_take(void)
{
	struct spares *sp = pthread_getspecific(spares_key);
	return sp && sp->n ? sp->a[--sp->n] : arena_new();
}

static void arena_give(struct arena *a)
{
	struct spares *sp = pthread_getspecific(spares_key);
	if (!sp) {
		sp = xcalloc(1, sizeof(*sp));
		if (pthread_setspecific(spares_key, sp) != 0) {
			free(sp);
			sp = NULL;
		}
	}
	if (sp && sp->n < SPARE_ARENAS) {
		arena_reset(a);
		sp->a[sp->n++] = a;
	} else {
		arena_free(a);
	}
}

static void exchange_end(struct exchange *x);

/* One connection: the client's address, formatted when it connects, and its current request's
 * exchange, reused from request to request. */
struct conn {
	struct exchange x;
	bool over; /* opened past the connection limit: its request gets 503 */
	char remote[INET6_ADDRSTRLEN];
	struct sockaddr_storage sa; /* the client's address (fast path: for the per-address count) */
};

/* A connection the fast path handed over: was it opened past the soft limit? */
static bool handed_over(struct server *s, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	return ci && ci->connect_fd >= 0 && (size_t)ci->connect_fd < s->nover &&
	       atomic_load(&s->over[ci->connect_fd]);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *k = xcalloc(1, sizeof(*k));
		if (s->fast) /* counted when the fast path accepted it */
			k->over = handed_over(s, c);
		else
			k->over = atomic_fetch_add(&s->open, 1) >= s->soft_limit;
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		accesslog_remote(ci ? ci->client_addr : NULL, k->remote, sizeof(k->remote));
		if (ci && ci->client_addr)
			memcpy(&k->sa, ci->client_addr,
			       ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
			                                              : sizeof(struct sockaddr_in));
		k->x.conn = k;
		*socket_context = k;
	} else if (*socket_context) {
		struct conn *k = *socket_context;
		atomic_fetch_sub(&s->open, 1);
		if (s->ips)
			iplimit_del(s->ips, (struct sockaddr *)&k->sa);
		exchange_end(
		    &k->x); /* a request the library did not complete (it always does: belt and braces) */
		free(k);
		*socket_context = NULL;
	}
}

/* The request line has been read: its target as sent (with the query) is only visible here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *k = ci ? ci->socket_context : NULL;
	struct exchange *x;
	if (k) {
		x = &k->x;
		exchange_end(x);
		*x = (struct exchange){.conn = k};
	} else {
		x = xcalloc(1, sizeof(*x));
	}
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	x->target_len = uri ? strlen(uri) : 0;
	return x;
}

/* The headers are in: fill the request and decide refusals that need no body. */
static void exchange_begin(struct server *s, struct exchange *x, struct MHD_Connection *c, const char *url,
                           const char *method)
{
	x->started = true;
	x->req.arena = arena_take();
	x->req.conn = c;
	x->req.method = method_of(method, &x->req.method_name);
	if (!x->req.method_name)
		x->req.method_name = arena_strdup(x->req.arena, method);
	x->req.remote = x->conn ? x->conn->remote : "-";
	if (x->conn && x->conn->over)
		x->refuse = 503;
	size_t urllen = strlen(url);
	x->req.path = arena_strndup(x->req.arena, url, urllen);
	x->req.accept =
	    request_parse_accept(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"));
	size_t hdr = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_size, &hdr);
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	x->max_body = s->cfg.body_limit ? s->cfg.body_limit(&x->req, s->cfg.ctx) : 0;
	if (!x->max_body)
		x->max_body = s->cfg.max_body;
	if (x->target_len > s->cfg.max_url || urllen > s->cfg.max_url)
		x->refuse = 414;
	else if (x->refuse)
		; /* 503: the server is full */
	else if (hdr > s->cfg.max_headers)
		x->refuse = 431;
	else if (cl && strtoull(cl, NULL, 10) > x->max_body)
		x->refuse = 413;
	else if (url[0] != '/' || !utf8_valid(url, urllen))
		x->refuse = 400;
}

/* Release what the exchange holds (the body owner's reference, the body, the arena); it may be used
 * again. A heap exchange (no connection context) is freed. */
static void exchange_end(struct exchange *x)
{
	if (x->release)
		x->release(x->release_arg);
	x->release = NULL;
	buf_free(&x->body);
	if (x->req.arena)
		arena_give(x->req.arena);
	x->req.arena = NULL;
	x->started = false;
}

struct wire {
	const void *p;
	size_t len;
	int fd; /* r->fd when the body is sent from the file, else -1 */
	uint64_t fd_off;
	const char *encoding;
	const char *content_range;
	bool vary;
	bool ranges;   /* say Accept-Ranges */
	bool from_ref; /* p points into bytes owned by the response's release hook */
};

/* A Range request (and If-Range) on the representation chosen: 206 with the part, or 416. */
static void apply_range(struct request *req, struct response *r, struct wire *w)
{
	const char *range = request_header(req, "Range");
	const char *ifr = range ? request_header(req, "If-Range") : NULL;
	if (!range || (ifr && !negotiate_if_range(ifr, r->etag)))
		return;
	uint64_t a, b, total = w->len;
	int ok = negotiate_range(range, total, &a, &b);
	if (ok == 0)
		return;
	if (ok < 0) {
		r->status = 416;
		w->content_range = arena_printf(req->arena, "bytes */%" PRIu64, total);
		w->len = 0;
		w->fd = -1;
		return;
	}
	r->status = 206;
	w->content_range = arena_printf(req->arena, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, a, b, total);
	if (w->fd >= 0)
		w->fd_off = a;
	else
		w->p = (const char *)w->p + a;
	w->len = (size_t)(b - a + 1);
}

/* On-the-fly codings: name, level, compressor. */
static const struct {
	unsigned coding;
	const char *name;
	int level;
	int (*compress)(const void *p, size_t len, int level, struct buf *out);
} codings[] = {
    {ENC_BR, "br", 5, compress_br},
    {ENC_GZIP, "gzip", 6, compress_gzip},
};

/* Compress the body with coding c; the compressed bytes replace it (the response owns them). */
static int compress_body(struct response *r, struct wire *w, size_t i)
{
	struct buf z = BUF_INIT;
	if (codings[i].compress(w->p, w->len, codings[i].level, &z) < 0 || z.len >= w->len) {
		buf_free(&z);
		return -1;
	}
	buf_free(&r->body);
	r->body = z;
	w->p = r->body.p, w->len = z.len, w->from_ref = false;
	return 0;
}

/* Pick the content coding (a stored variant, or compress a text body now); the ETag names it. */
static void apply_encoding(struct request *req, struct response *r, struct wire *w)
{
	struct offer o = {(r->br.p ? ENC_BR : 0) | (r->gz.p ? ENC_GZIP : 0), r->compress, w->len};
	w->vary = negotiate_varies(&o);
	unsigned c = negotiate_coding(req->accept, &o);
	size_t i = c == ENC_BR ? 0 : 1;
	if (c & o.have) {
		const struct body_ref *v = c == ENC_BR ? &r->br : &r->gz;
		w->p = v->p, w->len = v->len;
	} else if (c && compress_body(r, w, i) < 0) {
		c = 0;
	}
	if (c) {
		w->encoding = codings[i].name;
		r->etag = negotiate_etag(req->arena, r->etag, c);
	}
}

/* Decide status and the bytes to send from the handler's response: the coding first (it names the
 * ETag), then If-None-Match (304), then Range on the coded bytes, as for any stored representation. */
static void choose_body(struct exchange *x, struct response *r, struct wire *w)
{
	struct request *req = &x->req;
	w->fd = r->fd;
	w->from_ref = r->ref.p != NULL;
	w->p = r->ref.p ? r->ref.p : r->body.p;
	w->len = r->ref.p ? r->ref.len : r->body.len;
	if (w->fd >= 0)
		w->len = (size_t)r->fd_len;
	if (r->status == 200 && !r->etag && w->fd < 0)
		r->etag = arena_printf(req->arena, "\"%016" PRIx64 "\"", hash64(w->p, w->len));
	if (w->fd < 0)
		apply_encoding(req, r, w);
	if (r->status != 200 || !(req->method & (HTTP_GET | HTTP_HEAD)))
		return;
	w->ranges = true;
	if (negotiate_etag_matches(request_header(req, "If-None-Match"), r->etag)) {
		r->status = 304;
		w->len = 0;
		w->fd = -1;
		w->encoding = NULL;
		return;
	}
	apply_range(req, r, w);
}

/* A cache entry's release hook, run by the library when it is done with the bytes. */
struct release {
	void (*fn)(void *);
	void *arg;
};

static void release_cb(void *cls)
{
	struct release *rel = cls;
	rel->fn(rel->arg);
	free(rel);
}

/* Make the library's response object. Ownership of the bytes (or file) moves to it only when it
 * exists: on failure the response still owns them and response_clear_body frees them. */
static struct MHD_Response *make_mhd(struct response *r, struct wire *w)
{
	struct MHD_Response *m;
	if (w->fd >= 0) {
		m = MHD_create_response_from_fd_at_offset64(w->len, w->fd, w->fd_off);
		if (m)
			r->fd = -1; /* closed by the library */
		return m;
	}
	if (w->len == 0)
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (w->p == r->body.p) {
		m = MHD_create_response_from_buffer(w->len, r->body.p, MHD_RESPMEM_MUST_FREE);
		if (m)
			buf_detach(&r->body, NULL);
		return m;
	}
	if (r->release && w->from_ref) {
		/* Bytes owned by a cache entry: hand the release hook to the library. */
		struct release *rel = xmalloc(sizeof(*rel));
		*rel = (struct release){r->release, r->release_arg};
		m = MHD_create_response_from_buffer_with_free_callback_cls(w->len, (void *)w->p, release_cb,
		                                                           rel);
		if (m)
			r->release = NULL;
		else
			free(rel);
		return m;
	}
	return MHD_create_response_from_buffer(w->len, (void *)w->p, MHD_RESPMEM_MUST_COPY);
}

static void add_headers(struct server *s, struct MHD_Response *m, struct response *r, struct wire *w,
                        const struct http_date *d)
{
	MHD_add_response_header(m, "Date", d->text);
	for (size_t i = 0; i < s->cfg.nalways; i++)
		MHD_add_response_header(m, s->cfg.always[i].name, s->cfg.always[i].value);
	if (r->content_type && r->status != 304)
		MHD_add_response_header(m, "Content-Type", r->content_type);
	const char *cc = r->cache_control;
	if (!cc)
		cc = r->status < 400 ? "no-cache" : "no-store";
	MHD_add_response_header(m, "Cache-Control", cc);
	if (r->etag && (r->status == 200 || r->status == 206 || r->status == 304))
		MHD_add_response_header(m, "ETag", r->etag);
	if (r->location)
		MHD_add_response_header(m, "Location", r->location);
	if (w->encoding)
		MHD_add_response_header(m, "Content-Encoding", w->encoding);
	if (w->vary)
		MHD_add_response_header(m, "Vary", "Accept-Encoding");
	if (w->ranges)
		MHD_add_response_header(m, "Accept-Ranges", "bytes");
	if (w->content_range)
		MHD_add_response_header(m, "Content-Range", w->content_range);
	for (size_t i = 0; i < r->nheaders; i++)
		MHD_add_response_header(m, r->headers[i].name, r->headers[i].value);
}

/* A prepared representation: the library's response with every header, made once a second (its
 * Date) and queued for each request that wants it. It points at its owner's bytes; each request
 * holds a reference on the owner until the library reports it done (on_completed), and the owner
 * frees it last. The library counts the connections that queued it, so a replaced one lives on
 * until they are done with it. */
struct prep {
	struct MHD_Response *m;
	size_t len;
	long long sec; /* the second its Date names */
};

static void prep_free(struct prep *p)
{
	if (p) {
		MHD_destroy_response(p->m);
		free(p);
	}
}

void server_prepared_free(struct prepared *p)
{
	fastpath_body_file_free(p);
	for (size_t i = 0; i < sizeof(p->slot) / sizeof(p->slot[0]); i++) {
		prep_free(p->slot[i]);
		p->slot[i] = NULL;
	}
}

static void prepared_lock(struct prepared *p)
{
	int unlocked = 0;
	while (!atomic_compare_exchange_weak_explicit(&p->lock, &unlocked, 1, memory_order_acquire,
	                                              memory_order_relaxed))
		unlocked = 0;
}

static void prepared_unlock(struct prepared *p)
{
	atomic_store_explicit(&p->lock, 0, memory_order_release);
}

static struct prep *prep_new(struct server *s, struct request *req, struct response *r, unsigned coding,
                             const struct offer *o, const struct http_date *d)
{
	struct wire w = {.fd = -1, .vary = negotiate_varies(o), .ranges = true};
	const struct body_ref *v = coding == ENC_BR ? &r->br : coding == ENC_GZIP ? &r->gz : &r->ref;
	struct MHD_Response *m =
	    MHD_create_response_from_buffer(v->len, (void *)v->p, MHD_RESPMEM_PERSISTENT);
	if (!m)
		return NULL;
	const char *etag = r->etag;
	if (coding) {
		w.encoding = codings[coding == ENC_BR ? 0 : 1].name;
		r->etag = negotiate_etag(req->arena, etag, coding);
	}
	add_headers(s, m, r, &w, d);
	r->etag = etag;
	struct prep *p = xmalloc(sizeof(*p));
	*p = (struct prep){m, v->len, d->sec};
	return p;
}

/* Send a cache entry's representation as prepared, when the request wants exactly it: a GET or HEAD
 * for the owner's unchanged 200, in a stored coding, with no Range and no If-None-Match (those take
 * the ordinary path). MHD_YES/MHD_NO as queued, or -1: not applicable. */
static int send_prepared(struct server *s, struct exchange *x, struct response *r, struct MHD_Connection *c)
{
	struct request *req = &x->req;
	struct prepared *pr = r->prepared;
	if (!pr || r->status != pr->status || r->status != 200 || !r->etag || r->etag != pr->etag ||
	    r->content_type != pr->content_type || r->cache_control != pr->cache_control || r->location ||
	    r->nheaders || r->fd >= 0 || !r->ref.p || !(req->method & (HTTP_GET | HTTP_HEAD)))
		return -1;
	struct offer o = {(r->br.p ? ENC_BR : 0) | (r->gz.p ? ENC_GZIP : 0), r->compress, r->ref.len};
	unsigned coding = negotiate_coding(req->accept, &o);
	if ((coding && !(coding & o.have)) || request_header(req, "Range") ||
	    request_header(req, "If-None-Match"))
		return -1;
	size_t i = coding == ENC_BR ? 2 : coding == ENC_GZIP ? 1 : 0;
	const struct http_date *d = http_date_now();
	struct prep *made = NULL, *old = NULL;
	prepared_lock(pr);
	struct prep *p = pr->slot[i];
	if (!p || p->sec != d->sec) {
		/* Made outside the lock (a few microseconds, once a second); another thread may have
		 * made it meanwhile. */
		prepared_unlock(pr);
		made = prep_new(s, req, r, coding, &o, d);
		if (!made)
			return -1;
		prepared_lock(pr);
		p = pr->slot[i];
		if (!p || p->sec < made->sec) {
			old = p;
			p = pr->slot[i] = made;
			made = NULL;
		}
	}
	enum MHD_Result ok = MHD_queue_response(c, 200, p->m);
	size_t len = p->len;
	prepared_unlock(pr);
	prep_free(old);
	prep_free(made);
	x->status = 200;
	x->bytes = len;
	x->release = r->release;
	x->release_arg = r->release_arg;
	r->release = NULL;
	return ok;
}

/* Say so in the log once a second at most while the server turns connections away. */
static void overload_warn(struct server *s)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	long long last = atomic_load(&s->warned);
	if (now.tv_sec > last && atomic_compare_exchange_strong(&s->warned, &last, (long long)now.tv_sec))
		log_warn("serve: %u connections open, past the limit of %u: answering 503 with Retry-After",
		         atomic_load(&s->open), s->soft_limit);
}

static enum MHD_Result respond(struct server *s, struct exchange *x, struct MHD_Connection *c)
{
	struct response r;
	response_init(&r);
	if (x->refuse == 503) {
		overload_warn(s);
		s->cfg.error(&x->req, &r, 503, s->cfg.ctx);
		response_header(&r, "Retry-After", "5");
		response_header(&r, "Connection", "close");
	} else if (x->refuse) {
		s->cfg.error(&x->req, &r, x->refuse, s->cfg.ctx);
	} else {
		x->req.body = x->body.p;
		x->req.body_len = x->body.len;
		s->cfg.handle(&x->req, &r, s->cfg.ctx);
	}
	int sent = send_prepared(s, x, &r, c);
	if (sent >= 0) {
		response_clear_body(&r);
		return (enum MHD_Result)sent;
	}
	struct wire w = {0};
	choose_body(x, &r, &w);
	struct MHD_Response *m = make_mhd(&r, &w);
	if (!m) {
		response_clear_body(&r);
		return MHD_NO;
	}
	add_headers(s, m, &r, &w, http_date_now());
	x->status = r.status;
	x->bytes = w.len;
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)r.status, m);
	MHD_destroy_response(m);
	response_clear_body(&r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
	(void)version;
	struct server *s = cls;
	struct exchange *x = *con_cls;
	if (!x)
		*con_cls = x = on_uri(s, NULL, c);
	if (!x->started) {
		exchange_begin(s, x, c, url, method);
		/* Refuse before reading a body we will not accept (the connection then closes). */
		return x->refuse ? respond(s, x, c) : MHD_YES;
	}
	if (*upload_size) {
		if (!x->refuse && x->body.len + *upload_size > x->max_body)
			x->refuse = 413;
		if (!x->refuse)
			buf_append(&x->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return respond(s, x, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct server *s = cls;
	struct exchange *x = *con_cls;
	if (!x)
		return;
	/* A request the library refused by itself (bad header, no Host) never reached us: not logged. */
	if (x->started) {
		struct access_entry e = {x->req.remote,
		                         x->req.method_name,
		                         x->req.path,
		                         x->status,
		                         x->bytes,
		                         elapsed_us(&x->start),
		                         toe != MHD_REQUEST_TERMINATED_COMPLETED_OK};
		accesslog_write(&e);
		if (s->cfg.done)
			s->cfg.done(&x->req, x->status, x->bytes, e.micros, s->cfg.ctx);
	}
	exchange_end(x);
	if (!x->conn)
		free(x);
	*con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_warn("http: %s", line);
}

/* Resolve "HOST:PORT" / "[V6]:PORT" into an address. */
static int parse_listen(const char *spec, struct sockaddr_storage *ss)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	if (!colon || (size_t)(colon - spec) >= sizeof(host))
		return -1;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	char *h = host;
	if (h[0] == '[') {
		h++;
		size_t n = strlen(h);
		if (!n || h[n - 1] != ']')
			return -1;
		h[n - 1] = '\0';
	}
	struct addrinfo hints = {.ai_flags = AI_NUMERICSERV, .ai_socktype = SOCK_STREAM}, *ai;
	if (getaddrinfo(h[0] ? h : "0.0.0.0", colon + 1, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

/* libmicrohttpd zeroes a connection's whole memory pool before every request (a memset of its full
 * size: 15% of the CPU at 48 KB), so the pool is sized for the request head we accept (431 and 414
 * past it, answered by us) plus room for the header entries and our response head, and no more. */
static size_t pool_size(const struct server_config *cfg)
{
	return cfg->max_url + cfg->max_headers + 4096;
}

static unsigned default_conn_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 4096 + 64) {
		if (rl.rlim_max > rl.rlim_cur) {
			rl.rlim_cur = rl.rlim_max < 8192 ? rl.rlim_max : 8192;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		return rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
	}
	return 4096;
}

/* Connections past the soft limit that still get a 503 rather than a closed socket. */
static unsigned conn_margin(unsigned limit)
{
	return limit / 8 < 16 ? 16 : limit / 8;
}

/* The fast path's admission: the connection limits of libmicrohttpd's own path, counted here. */
static int fast_admit(void *ctx, const struct sockaddr *sa)
{
	struct server *s = ctx;
	unsigned n = atomic_fetch_add(&s->open, 1) + 1;
	if (n > s->hard_limit || (s->ips && !iplimit_add(s->ips, sa))) {
		atomic_fetch_sub(&s->open, 1);
		return -1;
	}
	return n > s->soft_limit ? 1 : 0;
}

static void fast_gone(void *ctx, const struct sockaddr *sa)
{
	struct server *s = ctx;
	atomic_fetch_sub(&s->open, 1);
	if (s->ips)
		iplimit_del(s->ips, sa);
}

/* libmicrohttpd takes the connection, its request unread; it counts it down when it closes it. */
static void fast_handoff(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen, bool over)
{
	struct server *s = ctx;
	if ((size_t)fd < s->nover)
		atomic_store(&s->over[fd], over);
	struct MHD_Daemon *d = s->daemons[atomic_fetch_add(&s->next, 1) % s->ndaemons];
	if (MHD_add_connection(d, fd, sa, salen) != MHD_YES)
		fast_gone(s, sa); /* it closed the socket: its own limit, or no memory */
}

static int start_fast(struct server *s, const struct sockaddr_storage *ss, unsigned threads)
{
	unsigned head_s = s->cfg.timeout_s < 10 ? s->cfg.timeout_s : 10;
	int fd = fastpath_listen(ss, head_s, &s->port);
	if (fd < 0)
		return -1;
	struct rlimit rl;
	s->nover =
	    getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (1u << 24)
	        ? (size_t)rl.rlim_cur
	        : 1u << 20;
	s->over = xcalloc(s->nover, sizeof(*s->over));
	if (s->cfg.per_ip_limit)
		s->ips = iplimit_new(s->cfg.per_ip_limit);
	struct fastpath_config fc = {.fd = fd,
	                             .threads = threads,
	                             .idle_s = s->cfg.timeout_s,
	                             .head_s = head_s,
	                             .cfg = &s->cfg,
	                             .admit = fast_admit,
	                             .gone = fast_gone,
	                             .handoff = fast_handoff,
	                             .ctx = s};
	s->fast = fastpath_start(&fc);
	return s->fast ? 0 : -1;
}

/* Stop the daemons that started and free the rest (the fast path stopped first). */
static void server_free(struct server *s)
{
	for (unsigned i = 0; i < s->ndaemons; i++)
		if (s->daemons[i])
			MHD_stop_daemon(s->daemons[i]);
	free(s->daemons);
	iplimit_free(s->ips);
	free((void *)s->over);
	free(s);
}

struct server *server_start(const struct server_config *cfg)
{
	pthread_once(&spares_once, spares_init);
	struct server *s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	struct sockaddr_storage ss;
	if (parse_listen(cfg->listen, &ss) < 0) {
		log_error("serve: cannot use listen address '%s' (want HOST:PORT)", cfg->listen);
		free(s);
		return NULL;
	}
	unsigned threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (!threads)
		threads = 1;
	/* Past the soft limit a connection still gets an answer (503, Retry-After) for a margin; past
	 * that margin new connections are closed at once. Both fit the descriptor limit. */
	unsigned limit = default_conn_limit();
	if (cfg->max_connections && cfg->max_connections + conn_margin(cfg->max_connections) < limit)
		limit = cfg->max_connections + conn_margin(cfg->max_connections);
	s->hard_limit = limit;
	s->soft_limit = limit > conn_margin(limit) ? limit - conn_margin(limit) : 1;
	if (cfg->max_connections && cfg->max_connections < s->soft_limit)
		s->soft_limit = cfg->max_connections;
	atomic_init(&s->open, 0);
	atomic_init(&s->warned, 0);
	bool fast = cfg->lookup && !cfg->fast_off;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ERROR_LOG |
	                 MHD_USE_SUPPRESS_DATE_NO_CLOCK; /* Date: ours, made once a second (http_date_now) */
	atomic_init(&s->next, 0);
	if (fast)
		flags |= MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC; /* the fast path accepts, and hands over */
	else if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->ndaemons = fast ? threads : 1;
	s->daemons = xcalloc(s->ndaemons, sizeof(*s->daemons));
	for (unsigned i = 0; i < s->ndaemons; i++) {
		s->daemons[i] = MHD_start_daemon(
		    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s,
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		    /* no pool without a listening socket: the timeout twice there instead (both unsigned) */
		    fast ? MHD_OPTION_CONNECTION_TIMEOUT : MHD_OPTION_THREAD_POOL_SIZE,
		    fast ? cfg->timeout_s : threads, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
		    MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		    fast ? 0u : cfg->per_ip_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_size(cfg),
		    MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
		    s, MHD_OPTION_END);
		if (!s->daemons[i]) {
			log_error("serve: cannot listen on %s: %s", cfg->listen, strerror(errno));
			server_free(s);
			return NULL;
		}
	}
	if (fast && start_fast(s, &ss, threads) < 0) {
		log_error("serve: cannot listen on %s: %s", cfg->listen, strerror(errno));
		server_free(s);
		return NULL;
	}
	if (!fast) {
		const union MHD_DaemonInfo *di =
		    MHD_get_daemon_info(s->daemons[0], MHD_DAEMON_INFO_BIND_PORT);
		s->port = di ? di->port : 0;
	}
	return s;
}

unsigned server_port(const struct server *s)
{
	return s->port;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	fastpath_stop(s->fast); /* first: it hands connections to the daemons */
	server_free(s);
}
