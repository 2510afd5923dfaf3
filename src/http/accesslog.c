/* Access log lines are formatted by hand into a shared buffer (no stdio, the date string made once a
 * second per thread) and written in batches by whoever fills the buffer or by a flusher thread once a
 * second, so a busy server makes a few writes a second instead of one per request. */
#include "http/accesslog.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"

enum {
	ACCESS_BUF_SIZE = 64 * 1024,
	ACCESS_LINE_MAX = 10 * 1024, /* a line never exceeds this: inputs are cut to the sizes below */
	ACCESS_PATH_MAX = 2048,
	ACCESS_METHOD_MAX = 32,
	ACCESS_REMOTE_MAX = 64,
	ACCESS_FLUSH_MS = 1000,
};

struct chunk {
	char p[ACCESS_BUF_SIZE];
	size_t len;
};

static struct {
	pthread_mutex_t lock;  /* guards active */
	pthread_mutex_t wlock; /* one writer at a time; guards fd, path and spare */
	pthread_cond_t wake;
	pthread_t flusher;
	bool running, stop;
	struct chunk *active, *spare;
	int fd; /* -1: off */
	char *path;
} L = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, .fd = -1};

/* ---- formatting ---- */

struct line {
	char *p;
	size_t len, cap;
};

static void put(struct line *o, const char *s, size_t n)
{
	if (n > o->cap - o->len)
		n = o->cap - o->len;
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void put_str(struct line *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u64(struct line *o, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);
	do
		tmp[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(o, tmp + i, sizeof(tmp) - i);
}

static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '"' || c == '\\';
}

/* At most max bytes of s; control characters, quote and backslash as \xHH so a request can neither
 * forge a line nor break the quoting. UTF-8 stays as it is. */
static void put_escaped(struct line *o, const char *s, size_t max)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		s = "-";
	size_t i = 0;
	while (i < max && s[i]) {
		size_t run = i;
		while (run < max && s[run] && !needs_escape((unsigned char)s[run]))
			run++;
		put(o, s + i, run - i);
		if (run == max || !s[run])
			break;
		unsigned char c = (unsigned char)s[run];
		char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
		put(o, e, 4);
		i = run + 1;
	}
}

/* "2026-11-25T10:00:00Z ", remade only when the second changes (per thread). */
static void put_time(struct line *o, long long t)
{
	static _Thread_local long long cached = -1;
	static _Thread_local char text[32];
	static _Thread_local size_t textlen;
	if (t != cached) {
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		textlen = strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ ", &tm);
		cached = t;
	}
	put(o, text, textlen);
}

size_t accesslog_format(const struct access_entry *e, long long unix_time, char *out, size_t outlen)
{
	struct line o = {out, 0, outlen};
	put_time(&o, unix_time);
	put_str(&o, "info access ");
	put_escaped(&o, e->remote, ACCESS_REMOTE_MAX);
	put_str(&o, " \"");
	put_escaped(&o, e->method, ACCESS_METHOD_MAX);
	put_str(&o, " ");
	put_escaped(&o, e->path, ACCESS_PATH_MAX);
	put_str(&o, "\" ");
	put_u64(&o, (uint64_t)(e->status > 0 ? e->status : 0));
	put_str(&o, " ");
	put_u64(&o, e->bytes);
	put_str(&o, " ");
	uint64_t tenths = (e->micros + 50) / 100;
	put_u64(&o, tenths / 10);
	put(&o, ".", 1);
	put_u64(&o, tenths % 10);
	put_str(&o, "ms");
	if (e->aborted)
		put_str(&o, " aborted");
	return o.len;
}

void accesslog_remote(const struct sockaddr *sa, char *out, size_t outlen)
{
	snprintf(out, outlen, "-");
	if (sa && sa->sa_family == AF_INET) {
		const unsigned char *b = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
		char *o = out;
		for (int i = 0; i < 4; i++) {
			unsigned v = b[i];
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
			*o++ = i < 3 ? '.' : '\0';
		}
	} else if (sa && sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)outlen);
	}
}

/* ---- writing ---- */

/* Write a whole chunk, through log_write so that no log line cuts it. A failure (a full disk) must not
 * stop serving: the lines are dropped, and said so on standard error at most once a minute. */
static void write_chunk(struct chunk *c)
{
	static long long said;
	if (log_write(L.fd, c->p, c->len) < 0) {
		int e = errno;
		long long now = (long long)time(NULL);
		if (now - said >= 60) {
			said = now;
			log_warn("access log: cannot write (%s): %zu bytes of lines dropped", strerror(e),
			         c->len);
		}
	}
	c->len = 0;
}

/* Swap the active buffer out and write it. Called with wlock held. */
static void flush_locked(void)
{
	pthread_mutex_lock(&L.lock);
	struct chunk *full = L.active;
	L.active = L.spare;
	L.spare = full;
	pthread_mutex_unlock(&L.lock);
	if (L.fd >= 0)
		write_chunk(full);
	full->len = 0;
}

static void flush(void)
{
	pthread_mutex_lock(&L.wlock);
	flush_locked();
	pthread_mutex_unlock(&L.wlock);
}

static void *flusher_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&L.lock);
	while (!L.stop) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_sec += ACCESS_FLUSH_MS / 1000;
		pthread_cond_timedwait(&L.wake, &L.lock, &t);
		bool pending = L.active->len > 0;
		pthread_mutex_unlock(&L.lock);
		if (pending)
			flush();
		pthread_mutex_lock(&L.lock);
	}
	pthread_mutex_unlock(&L.lock);
	return NULL;
}

void accesslog_write(const struct access_entry *e)
{
	if (!L.running)
		return;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME_COARSE, &now);
	for (;;) {
		pthread_mutex_lock(&L.lock);
		struct chunk *c = L.active;
		if (ACCESS_BUF_SIZE - c->len >= ACCESS_LINE_MAX) {
			c->len +=
			    accesslog_format(e, (long long)now.tv_sec, c->p + c->len, ACCESS_LINE_MAX - 1);
			c->p[c->len++] = '\n';
			pthread_mutex_unlock(&L.lock);
			return;
		}
		pthread_mutex_unlock(&L.lock);
		flush();
	}
}

static int open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		fprintf(stderr, "vrc: cannot open access log %s: %s\n", path, strerror(errno));
	return fd;
}

int accesslog_open(const char *target)
{
	if (target && strcmp(target, "off") == 0)
		return 0;
	bool to_stderr = !target || strcmp(target, "-") == 0;
	int fd = to_stderr ? STDERR_FILENO : open_file(target);
	if (fd < 0)
		return -1;
	L.fd = fd;
	L.path = to_stderr ? NULL : xstrdup(target);
	L.active = xcalloc(1, sizeof(*L.active));
	L.spare = xcalloc(1, sizeof(*L.spare));
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&L.wake, &ca);
	pthread_condattr_destroy(&ca);
	L.stop = false;
	if (pthread_create(&L.flusher, NULL, flusher_main, NULL) != 0)
		abort();
	L.running = true;
	return 0;
}

int accesslog_reopen(void)
{
	if (!L.running)
		return 0;
	pthread_mutex_lock(&L.wlock);
	flush_locked();
	int rc = 0;
	if (L.path) {
		int fd = open_file(L.path);
		if (fd >= 0) {
			close(L.fd);
			L.fd = fd;
		} else {
			rc = -1;
		}
	}
	pthread_mutex_unlock(&L.wlock);
	if (rc == 0)
		log_info("access log reopened%s%s", L.path ? ": " : "", L.path ? L.path : "");
	return rc;
}

void accesslog_close(void)
{
	if (!L.running)
		return;
	pthread_mutex_lock(&L.lock);
	L.stop = true;
	pthread_cond_signal(&L.wake);
	pthread_mutex_unlock(&L.lock);
	pthread_join(L.flusher, NULL);
	L.running = false;
	flush();
	if (L.fd != STDERR_FILENO)
		close(L.fd);
	L.fd = -1;
	free(L.path);
	free(L.active);
	free(L.spare);
	L.path = NULL;
	L.active = L.spare = NULL;
}
