/* The fast path's event loops. Each connection's bytes are peeked (MSG_PEEK) until a whole request
 * head is there; a plain public cache hit is then read off the socket and answered here, anything
 * else leaves the connection to libmicrohttpd with its request still unread, for good. Sockets are
 * edge-triggered: a peeked but incomplete head costs no thread and no CPU until more bytes come, and
 * a head not complete within head_s of its first byte is dropped (slow-loris). */
#define _GNU_SOURCE
#include "http/fastpath.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "http/accesslog.h"
#include "http/fasthead.h"
#include "http/httpdate.h"
#include "http/negotiate.h"

enum { HEAD_CAP = 2048, ACCEPT_BATCH = 32, EVENTS = 256 };
/* Identity bodies from this size go out with sendfile from a memory file, as nginx sends files: the
 * kernel then references the pages instead of copying them into the socket. */
enum { SENDFILE_MIN = 8192, BODY_FILES_MAX = 512 };

/* Memory files open now: each is a descriptor, and descriptors are connections' budget. */
static atomic_int body_files;

/* One connection while the fast path holds it. */
struct fconn {
	struct fconn *prev, *next; /* the loop's list, for deadlines */
	int fd;
	bool waiting;       /* some bytes of a request head are in, not all */
	bool sending;       /* a response is partly sent */
	bool close_after;   /* close once it is sent */
	bool unread;        /* the client sent more than the requests answered (pipelined after a close) */
	bool lingering;     /* sent and shut down for writing: reading and dropping until the client's end */
	bool hup;           /* the client has shut down its side: answer what came, then close */
	bool polled;        /* in the loop's epoll set (a new connection is read once before it is) */
	bool nodelay;       /* TCP_NODELAY set: before the first response that keeps the connection */
	long long deadline; /* monotonic second after which it is closed */
	struct sockaddr_storage sa;
	socklen_t salen;
	char remote[INET6_ADDRSTRLEN];
	/* The response being sent, and what its access-log line will say. */
	char head[HEAD_CAP];
	size_t head_len, sent;
	const char *body;
	size_t body_len;
	int body_fd; /* the body's memory file (owned by the cache entry), or -1 */
	void (*release)(void *);
	void *release_arg;
	const char *method;
	char *path; /* owned: kept only while a response waits for the socket */
	int status;
	uint64_t bytes;
	struct timespec start;
};

struct loop {
	struct fastpath *f;
	pthread_t tid;
	bool started;
	int ep;
	int lfd;           /* this loop's listening socket (SO_REUSEPORT: the kernel spreads connections) */
	struct fconn list; /* sentinel */
	char *in;          /* peeked bytes */
	size_t cap;
	long long swept;
};

struct fastpath {
	struct fastpath_config fc;
	int stopfd;
	unsigned n;
	struct loop *loops;
};

static char listener_tag, stop_tag;

static long long mono_sec(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (long long)t.tv_sec;
}

static uint64_t elapsed_us(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t us = (int64_t)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
	return us > 0 ? (uint64_t)us : 0;
}

static void list_add(struct loop *l, struct fconn *c)
{
	c->next = l->list.next;
	c->prev = &l->list;
	l->list.next->prev = c;
	l->list.next = c;
}

static void list_del(struct fconn *c)
{
	c->prev->next = c->next;
	c->next->prev = c->prev;
}

/* The access-log line and the done hook for the response just sent (or given up on). */
static void finish(struct loop *l, struct fconn *c, const char *path, bool aborted)
{
	const struct server_config *cfg = l->f->fc.cfg;
	uint64_t us = elapsed_us(&c->start);
	struct access_entry e = {c->remote, c->method, path, c->status, c->bytes, us, aborted};
	accesslog_write(&e);
	if (cfg->done) {
		struct request rq = {.method_name = c->method, .path = path, .remote = c->remote};
		rq.method = strcmp(c->method, "HEAD") == 0 ? HTTP_HEAD : HTTP_GET;
		cfg->done(&rq, c->status, c->bytes, us, cfg->ctx);
	}
	if (c->release)
		c->release(c->release_arg);
	c->release = NULL;
	free(c->path);
	c->path = NULL;
	c->sending = false;
}

static void conn_close(struct loop *l, struct fconn *c)
{
	if (c->sending)
		finish(l, c, c->path, true);
	list_del(c);
	close(c->fd);
	l->f->fc.gone(l->f->fc.ctx, (struct sockaddr *)&c->sa);
	free(c);
}

enum { LINGER_S = 5 };

static bool poll_add(struct loop *l, struct fconn *c);

/* Close a connection whose last response is sent. When the client had sent bytes we never read,
 * closing now would make the kernel answer with a reset, and a reset can destroy the response still
 * on its way: so shut down our side instead (the response and our FIN go out), read and drop until
 * the client closes or LINGER_S pass, then close, as nginx's lingering close. */
static void conn_end(struct loop *l, struct fconn *c)
{
	if (!c->unread) {
		conn_close(l, c);
		return;
	}
	if (!c->lingering) {
		c->lingering = true;
		c->deadline = mono_sec() + LINGER_S;
		if (shutdown(c->fd, SHUT_WR) < 0) {
			conn_close(l, c);
			return;
		}
	}
	for (;;) {
		ssize_t n = recv(c->fd, l->in, l->cap, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			conn_close(l, c);
			return;
		}
	}
	if (!c->polled && !poll_add(l, c))
		conn_close(l, c);
}

static void set_nodelay(struct fconn *c)
{
	int one = 1;
	if (!c->nodelay)
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->nodelay = true;
}

static void conn_handoff(struct loop *l, struct fconn *c)
{
	if (c->polled)
		epoll_ctl(l->ep, EPOLL_CTL_DEL, c->fd, NULL);
	set_nodelay(c); /* libmicrohttpd's connections have had it from the start */
	list_del(c);
	l->f->fc.handoff(l->f->fc.ctx, c->fd, (struct sockaddr *)&c->sa, c->salen, false);
	free(c);
}

/* Send what is left of the response: 1 all sent, 0 the socket is full, -1 the client is gone. A
 * response the connection closes after goes out corked (MSG_MORE): the close that follows pushes it
 * with the FIN in its last segment, one packet fewer for each such client, as nginx's tcp_nopush. */
static int flush(struct fconn *c)
{
	size_t total = c->head_len + c->body_len;
	int more = c->close_after ? MSG_MORE : 0;
	while (c->sent < total) {
		ssize_t w;
		if (c->body_fd >= 0 && c->sent < c->head_len) {
			w = send(c->fd, c->head + c->sent, c->head_len - c->sent, MSG_NOSIGNAL | MSG_MORE);
		} else if (c->body_fd >= 0) {
			off_t off = (off_t)(c->sent - c->head_len);
			w = sendfile(c->fd, c->body_fd, &off, total - c->sent);
		} else {
			struct iovec iov[2];
			int n = 0;
			if (c->sent < c->head_len) {
				iov[n++] = (struct iovec){c->head + c->sent, c->head_len - c->sent};
				if (c->body_len)
					iov[n++] = (struct iovec){(void *)c->body, c->body_len};
			} else {
				size_t off = c->sent - c->head_len;
				iov[n++] = (struct iovec){(void *)(c->body + off), c->body_len - off};
			}
			struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)n};
			w = sendmsg(c->fd, &m, MSG_NOSIGNAL | more);
		}
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		if (w == 0)
			return -1; /* the memory file is shorter than it should be: never, but never spin */
		c->sent += (size_t)w;
	}
	return 1;
}

/* The entry's memory file of its identity bytes, made the first time one is sent; -1 when it cannot
 * be made (the bytes then go out with sendmsg). */
static int body_file(struct prepared *pr, const struct body_ref *b)
{
	int fd1 = atomic_load(&pr->body_fd);
	if (fd1 > 0)
		return fd1 - 1;
	if (atomic_fetch_add(&body_files, 1) >= BODY_FILES_MAX) {
		atomic_fetch_sub(&body_files, 1);
		return -1;
	}
	int fd = memfd_create("vrc-page", MFD_CLOEXEC);
	if (fd < 0) {
		atomic_fetch_sub(&body_files, 1);
		return -1;
	}
	size_t done = 0;
	while (done < b->len) {
		ssize_t w = write(fd, (const char *)b->p + done, b->len - done);
		if (w <= 0) {
			close(fd);
			atomic_fetch_sub(&body_files, 1);
			return -1;
		}
		done += (size_t)w;
	}
	int none = 0;
	if (!atomic_compare_exchange_strong(&pr->body_fd, &none, fd + 1)) { /* another thread made it */
		close(fd);
		atomic_fetch_sub(&body_files, 1);
		return none - 1;
	}
	return fd;
}

void fastpath_body_file_free(struct prepared *pr)
{
	int fd1 = atomic_exchange(&pr->body_fd, 0);
	if (fd1 > 0) {
		close(fd1 - 1);
		atomic_fetch_sub(&body_files, 1);
	}
}

/* Head building: a bounded append into c->head. */
struct out {
	char *p;
	size_t len, cap;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_header(struct out *o, const char *name, const char *value)
{
	puts_(o, name);
	put(o, ": ", 2);
	puts_(o, value);
	put(o, "\r\n", 2);
}

static void put_size(struct out *o, size_t v)
{
	char d[24];
	size_t i = sizeof(d);
	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i);
	put(o, d + i, sizeof(d) - i);
}

/* What one request is answered with. */
struct answer {
	int status; /* 200 or 304 */
	unsigned coding;
	const char *etag; /* coded */
	bool vary;
	const struct body_ref *body;
};

/* The head libmicrohttpd would send for this answer, byte for byte: status line, its Connection
 * line, then server.c's add_headers order, then Content-Length (0 for a 304). */
static size_t build_head(const struct server_config *cfg, const struct response *r, const struct answer *a,
                         const struct fasthead *h, char *buf, size_t cap)
{
	struct out o = {buf, 0, cap, false};
	puts_(&o, a->status == 200 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 304 Not Modified\r\n");
	if (h->close)
		puts_(&o, "Connection: close\r\n");
	else if (h->http10)
		puts_(&o, "Connection: Keep-Alive\r\n");
	const struct http_date *d = http_date_now();
	put(&o, "Date: ", 6);
	put(&o, d->text, d->len);
	put(&o, "\r\n", 2);
	for (size_t i = 0; i < cfg->nalways; i++)
		put_header(&o, cfg->always[i].name, cfg->always[i].value);
	if (a->status != 304)
		put_header(&o, "Content-Type", r->content_type);
	put_header(&o, "Cache-Control", r->cache_control ? r->cache_control : "no-cache");
	put_header(&o, "ETag", a->etag);
	if (a->status != 304 && a->coding)
		put_header(&o, "Content-Encoding", a->coding == ENC_BR ? "br" : "gzip");
	if (a->vary)
		put_header(&o, "Vary", "Accept-Encoding");
	put_header(&o, "Accept-Ranges", "bytes");
	put(&o, "Content-Length: ", 16);
	put_size(&o, a->status == 304 ? 0 : a->body->len);
	put(&o, "\r\n\r\n", 4);
	return o.full ? 0 : o.len;
}

/* The coded ETag ("x" -> "x-gz" / "x-br", as negotiate_etag makes it) into buf. */
static const char *coded_etag(const char *etag, unsigned coding, char *buf, size_t cap)
{
	size_t n = strlen(etag);
	if (!coding || n < 2 || etag[n - 1] != '"' || n + 4 > cap)
		return etag;
	memcpy(buf, etag, n - 1);
	memcpy(buf + n - 1, coding == ENC_BR ? "-br\"" : "-gz\"", 5);
	return buf;
}

/* Decide from the cache's response: the answer, or false when it is not a plain stored 200 in a
 * stored coding (a handler's change, budget-decoded bytes, on-the-fly compression). */
static bool decide(const struct response *r, const struct fasthead *h, unsigned accept, char *etagbuf,
                   struct answer *a)
{
	const struct prepared *pr = r->prepared;
	if (!pr || r->status != 200 || pr->status != 200 || !r->etag || r->etag != pr->etag ||
	    r->content_type != pr->content_type || r->cache_control != pr->cache_control ||
	    !r->content_type || r->location || r->nheaders || r->fd >= 0 || !r->ref.p || r->body.p)
		return false;
	struct offer o = {(r->br.p ? ENC_BR : 0) | (r->gz.p ? ENC_GZIP : 0), r->compress, r->ref.len};
	unsigned c = negotiate_coding(accept, &o);
	if (c && !(c & o.have))
		return false;
	a->coding = c;
	a->vary = negotiate_varies(&o);
	a->body = c == ENC_BR ? &r->br : c == ENC_GZIP ? &r->gz : &r->ref;
	a->etag = coded_etag(r->etag, c, etagbuf, 40);
	a->status = 200;
	if (h->inm.p && negotiate_etag_matches(h->inm.p, a->etag))
		a->status = 304;
	return true;
}

/* A response is out (or the client went away meanwhile): log it, then close, end (after Connection:
 * close) or wait idle for the next request. 1 while the connection stays, -1 when it is gone. */
static int sent(struct loop *l, struct fconn *c, const char *path, bool aborted)
{
	finish(l, c, path, aborted);
	if (aborted) {
		conn_close(l, c);
		return -1;
	}
	if (c->close_after) {
		conn_end(l, c);
		return -1;
	}
	c->deadline = mono_sec() + l->f->fc.idle_s;
	return 1;
}

/* Answer one parsed request h (its bytes in l->in; more: the client sent bytes after it): 1 answered
 * and sent, 0 answered and waiting for the socket, -1 the connection is gone (closed or handed off). */
static int serve(struct loop *l, struct fconn *c, bool more, struct fasthead *h)
{
	const struct server_config *cfg = l->f->fc.cfg;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	/* NUL-terminate the strings in place: the bytes are parsed and ours. */
	char *path = (char *)h->path.p;
	path[h->path.len] = '\0';
	if (h->accept.p)
		((char *)h->accept.p)[h->accept.len] = '\0';
	if (h->inm.p)
		((char *)h->inm.p)[h->inm.len] = '\0';
	struct request rq = {.method = h->head ? HTTP_HEAD : HTTP_GET,
	                     .method_name = h->head ? "HEAD" : "GET",
	                     .path = path,
	                     .remote = c->remote,
	                     .accept = request_parse_accept(h->accept.p)};
	struct response r;
	response_init(&r);
	char etag[40];
	struct answer a;
	if (!cfg->lookup(&rq, &r, cfg->ctx) || !decide(&r, h, rq.accept, etag, &a) ||
	    !(c->head_len = build_head(cfg, &r, &a, h, c->head, sizeof(c->head)))) {
		response_clear_body(&r);
		conn_handoff(l, c);
		return -1;
	}
	/* Read the request off the socket: MSG_TRUNC discards what was peeked without copying it. */
	ssize_t k = recv(c->fd, NULL, h->len, MSG_TRUNC | MSG_DONTWAIT);
	if (k != (ssize_t)h->len) {
		response_clear_body(&r);
		conn_close(l, c);
		return -1;
	}
	if (cfg->served)
		cfg->served(&rq, cfg->ctx);
	c->start = start;
	c->method = rq.method_name;
	c->status = a.status;
	c->bytes = a.status == 304 ? 0 : a.body->len;
	c->body = a.body->p;
	c->body_len = a.status == 304 || h->head ? 0 : a.body->len;
	c->body_fd = c->body_len >= SENDFILE_MIN && a.coding == 0 ? body_file(r.prepared, a.body) : -1;
	c->sent = 0;
	c->release = r.release;
	c->release_arg = r.release_arg;
	c->close_after = h->close;
	c->unread = h->close && more;
	if (!c->close_after)
		set_nodelay(c);
	c->sending = true;
	c->waiting = false;
	int f = flush(c);
	if (f == 0) {
		c->path = xstrdup(path);
		c->deadline = mono_sec() + l->f->fc.idle_s;
		return 0;
	}
	return sent(l, c, path, f < 0);
}

/* Read what the client has sent and answer every complete request in it, until the socket is
 * empty, a response waits for the socket, or the connection is gone. True while it is still ours. */
static bool read_requests(struct loop *l, struct fconn *c)
{
	const struct server_config *cfg = l->f->fc.cfg;
	for (;;) {
		ssize_t n = recv(c->fd, l->in, l->cap, MSG_PEEK | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0) {
			conn_close(l, c);
			return false;
		}
		size_t off = 0;
		while (off < (size_t)n) {
			struct fasthead h;
			switch (fasthead_parse(l->in + off, (size_t)n - off, cfg->max_url, cfg->max_headers,
			                       &h)) {
			case FASTHEAD_INCOMPLETE:
				if ((size_t)n == l->cap && off == 0) {
					conn_handoff(l, c); /* a head larger than we look at */
					return false;
				}
				if ((size_t)n == l->cap)
					goto again; /* more bytes than we peeked: look again */
				if (c->hup) {
					conn_close(l, c); /* a head that can never be completed */
					return false;
				}
				if (!c->waiting) {
					c->waiting = true;
					c->deadline = mono_sec() + l->f->fc.head_s;
				}
				return true;
			case FASTHEAD_HANDOFF: conn_handoff(l, c); return false;
			case FASTHEAD_OK:
				switch (serve(l, c, off + h.len < (size_t)n || (size_t)n == l->cap, &h)) {
				case 0: return true;
				case -1: return false;
				}
				off += h.len;
				break;
			}
		}
		if ((size_t)n < l->cap && !c->hup)
			return true; /* all of it answered: the next bytes bring a new edge (after a hang-up,
			              * look again: the end of the stream closes the connection) */
	again:;
	}
}

static void on_conn_event(struct loop *l, struct fconn *c, uint32_t events)
{
	if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		c->hup = true;
	if (c->lingering) {
		conn_end(l, c);
		return;
	}
	if (c->sending) {
		int f = flush(c);
		if (f == 0)
			return;
		if (sent(l, c, c->path, f < 0) < 0)
			return;
	}
	(void)read_requests(l, c);
}

static bool poll_add(struct loop *l, struct fconn *c)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
	c->polled = true;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		log_warn("serve: epoll_ctl: %s", strerror(errno));
		return false;
	}
	return true;
}

static void on_accept(struct loop *l)
{
	const struct fastpath_config *fc = &l->f->fc;
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		int fd = accept4(l->lfd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("serve: accept: %s", strerror(errno));
			return;
		}
		int a = fc->admit(fc->ctx, (struct sockaddr *)&sa);
		if (a < 0) {
			close(fd);
			continue;
		}
		if (a > 0) {
			fc->handoff(fc->ctx, fd, (struct sockaddr *)&sa, len, true);
			continue;
		}
		struct fconn *c = xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->sa = sa;
		c->salen = len;
		accesslog_remote((struct sockaddr *)&sa, c->remote, sizeof(c->remote));
		c->deadline = mono_sec() + fc->idle_s;
		list_add(l, c);
		/* A client sends its request right after connecting: it is usually here already, and a
		 * `Connection: close` client is then answered and closed without ever entering epoll. */
		if (!read_requests(l, c))
			continue;
		if (!poll_add(l, c))
			conn_close(l, c);
	}
}

/* Close the connections past their deadline: idle ones, heads not complete in time, responses the
 * client stopped reading. Once a second; the list holds only this loop's connections. */
static void sweep(struct loop *l)
{
	long long now = mono_sec();
	if (now == l->swept)
		return;
	l->swept = now;
	for (struct fconn *c = l->list.next, *next; c != &l->list; c = next) {
		next = c->next;
		if (c->deadline < now)
			conn_close(l, c);
	}
}

static void *loop_run(void *arg)
{
	struct loop *l = arg;
	/* sendfile to a socket the client closed raises SIGPIPE (send has MSG_NOSIGNAL): not here. */
	sigset_t pipe;
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe, NULL);
	struct epoll_event ev[EVENTS];
	for (;;) {
		int n = epoll_wait(l->ep, ev, EVENTS, 1000);
		if (n < 0 && errno != EINTR) {
			log_error("serve: epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			void *tag = ev[i].data.ptr;
			if (tag == &stop_tag)
				return NULL;
			if (tag == &listener_tag)
				on_accept(l);
			else
				on_conn_event(l, tag, ev[i].events);
		}
		sweep(l);
	}
	return NULL;
}

static int bound_socket(const struct sockaddr_storage *ss, bool reuseport);
static int listening(int fd, unsigned defer_s);

/* Another listening socket on fd's address, in fd's SO_REUSEPORT group. */
static int listen_again(int fd, unsigned defer_s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	int nfd = bound_socket(&ss, true);
	return nfd < 0 ? -1 : listening(nfd, defer_s);
}

static int loop_init(struct fastpath *f, struct loop *l, unsigned i)
{
	l->f = f;
	/* One listening socket per loop, as nginx's `reuseport`: no two loops contend for one accept
	 * queue or wake for the same connection (measured: bench/RESULTS.md). */
	l->lfd = i == 0 ? f->fc.fd : listen_again(f->fc.fd, f->fc.head_s);
	if (l->lfd < 0)
		return -1;
	l->list.next = l->list.prev = &l->list;
	l->cap = f->fc.cfg->max_url + f->fc.cfg->max_headers + 2048;
	l->in = xmalloc(l->cap);
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0)
		return -1;
	struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &listener_tag};
	struct epoll_event sev = {.events = EPOLLIN, .data.ptr = &stop_tag};
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, l->lfd, &lev) < 0 ||
	    epoll_ctl(l->ep, EPOLL_CTL_ADD, f->stopfd, &sev) < 0)
		return -1;
	return 0;
}

/* A bound TCP socket on ss, SO_REUSEPORT or not; -1 with errno. */
static int bound_socket(const struct sockaddr_storage *ss, bool reuseport)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (bind(fd, (const struct sockaddr *)ss, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* fd listening, with a deferred accept: a connection wakes the loop when its request's first bytes
 * arrive, not at the handshake (one wake-up a connection instead of two, as nginx's `deferred`; 30%
 * less CPU a `Connection: close` request, bench/RESULTS.md). One that sends nothing waits in the
 * kernel for defer_s, holding no slot of ours, and is then accepted like any other. fd, or -1 (closed)
 * with errno. */
static int listening(int fd, unsigned defer_s)
{
	int d = (int)defer_s;
	if (listen(fd, 4096) < 0 ||
	    (d > 0 && setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &d, sizeof(d)) < 0)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int fastpath_listen(const struct sockaddr_storage *ss, unsigned defer_s, unsigned *port)
{
	/* The loops' sockets share the port with SO_REUSEPORT, which would also let a second vrc of the
	 * same user join them and take half the connections. So the address is first bound without it:
	 * a port already in use fails here as it always did; then it is let go and bound as a group. */
	int probe = bound_socket(ss, false);
	if (probe < 0)
		return -1;
	struct sockaddr_storage at;
	socklen_t alen = sizeof(at);
	if (getsockname(probe, (struct sockaddr *)&at, &alen) < 0) {
		int e = errno;
		close(probe);
		errno = e;
		return -1;
	}
	close(probe);
	int fd = bound_socket(&at, true);
	if (fd < 0 || listening(fd, defer_s) < 0)
		return -1;
	*port = ntohs(at.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&at)->sin6_port
	                                       : ((struct sockaddr_in *)&at)->sin_port);
	return fd;
}

struct fastpath *fastpath_start(const struct fastpath_config *fc)
{
	struct fastpath *f = xcalloc(1, sizeof(*f));
	f->fc = *fc;
	f->n = fc->threads ? fc->threads : 1;
	f->loops = xcalloc(f->n, sizeof(*f->loops));
	f->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	for (unsigned i = 0; i < f->n; i++)
		f->loops[i].ep = f->loops[i].lfd = -1;
	for (unsigned i = 0; i < f->n; i++) {
		if (f->stopfd < 0 || loop_init(f, &f->loops[i], i) < 0 ||
		    pthread_create(&f->loops[i].tid, NULL, loop_run, &f->loops[i]) != 0) {
			log_error("serve: cannot start the fast path: %s", strerror(errno));
			fastpath_stop(f);
			return NULL;
		}
		f->loops[i].started = true;
	}
	return f;
}

void fastpath_stop(struct fastpath *f)
{
	if (!f)
		return;
	uint64_t one = 1;
	if (f->stopfd >= 0 && write(f->stopfd, &one, sizeof(one)) < 0)
		log_warn("serve: cannot stop the fast path: %s", strerror(errno));
	for (unsigned i = 0; i < f->n; i++) {
		struct loop *l = &f->loops[i];
		if (l->started)
			pthread_join(l->tid, NULL);
		while (l->list.next && l->list.next != &l->list)
			conn_close(l, l->list.next);
		if (l->ep >= 0)
			close(l->ep);
		if (i > 0 && l->lfd >= 0)
			close(l->lfd);
		free(l->in);
	}
	if (f->stopfd >= 0)
		close(f->stopfd);
	close(f->fc.fd);
	free(f->loops);
	free(f);
}
