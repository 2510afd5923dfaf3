/* A prototype, not part of vrc: the smallest HTTP/1.1 server shaped like vrc's cache-hit path, to
 * measure what an engine of our own behind src/http/server.c could reach against nginx (see
 * bench/RESULTS.md). One thread, level-triggered epoll, keep-alive and Connection: close,
 * one page held in memory as identity, gzip and brotli bytes with a prepared head per coding whose
 * Date is remade once a second. Identity bodies go out as nginx sends files: the head with MSG_MORE,
 * then sendfile from a memory file, so the kernel copies the body once. No request body, no Range, no
 * conditional requests, no limits beyond a fixed head buffer: a measurement, not a server.
 *
 *   cc -O2 -o build/evloop bench/proto/evloop.c
 *   build/evloop PORT BODY.html BODY.html.gz BODY.html.br HEADERS.txt
 * HEADERS.txt: extra header lines (the security headers, Cache-Control), one per line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum { HEAD_MAX = 8192, CONN_MAX = 65536 };

struct body {
	char *p;
	size_t len;
	const char *coding; /* NULL: identity */
	const char *tag;
	char head[2048]; /* prepared: status line and headers, keep-alive form */
	size_t head_len;
	char head_close[2048]; /* with Connection: close */
	size_t head_close_len;
	int fd; /* identity: a memory file for sendfile */
};

struct conn {
	char in[HEAD_MAX];
	size_t in_len;
	struct body *out; /* a response being sent */
	size_t out_off;   /* bytes of head + body sent */
	int close_after;
};

static struct body bodies[3];
static char extra[4096];
static struct conn *conns[CONN_MAX];
static time_t date_sec;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void prepare(time_t now)
{
	char date[64];
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	for (int i = 0; i < 3; i++) {
		struct body *b = &bodies[i];
		char enc[64] = "";
		if (b->coding)
			snprintf(enc, sizeof(enc), "Content-Encoding: %s\r\n", b->coding);
		const char *fmt = "HTTP/1.1 200 OK\r\nDate: %s\r\n%sContent-Type: text/html; charset=utf-8\r\n"
		                  "ETag: \"%s\"\r\n%sVary: Accept-Encoding\r\nAccept-Ranges: bytes\r\n"
		                  "Content-Length: %zu\r\n%s\r\n";
		b->head_len = (size_t)snprintf(b->head, sizeof(b->head), fmt, date, extra, b->tag, enc, b->len, "");
		b->head_close_len = (size_t)snprintf(b->head_close, sizeof(b->head_close), fmt, date, extra, b->tag,
		                                     enc, b->len, "Connection: close\r\n");
	}
	date_sec = now;
}

/* The coding from Accept-Encoding, crudely: br, then gzip, else identity. */
static struct body *choose(const char *req, size_t len)
{
	const char *ae = memmem(req, len, "\r\nAccept-Encoding:", 18);
	if (!ae)
		ae = memmem(req, len, "\r\naccept-encoding:", 18);
	if (!ae)
		return &bodies[0];
	const char *end = memmem(ae + 2, len - (size_t)(ae + 2 - req), "\r\n", 2);
	size_t n = (size_t)(end - ae);
	if (memmem(ae, n, "br", 2))
		return &bodies[2];
	if (memmem(ae, n, "gzip", 4))
		return &bodies[1];
	return &bodies[0];
}

static void drop(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	free(conns[fd]);
	conns[fd] = NULL;
}

/* Send what is left of c's response; 1 when done, 0 when the socket is full, -1 on error. */
static int flush(int fd, struct conn *c)
{
	struct body *b = c->out;
	const char *head = c->close_after ? b->head_close : b->head;
	size_t hl = c->close_after ? b->head_close_len : b->head_len;
	while (c->out_off < hl + b->len) {
		ssize_t n;
		if (c->out_off < hl && b->fd < 0) {
			struct iovec iov[2] = {{(char *)head + c->out_off, hl - c->out_off}, {b->p, b->len}};
			n = writev(fd, iov, 2);
		} else if (c->out_off < hl) {
			n = send(fd, head + c->out_off, hl - c->out_off, MSG_MORE | MSG_NOSIGNAL);
		} else if (b->fd >= 0) {
			off_t off = (off_t)(c->out_off - hl);
			n = sendfile(fd, b->fd, &off, b->len - (c->out_off - hl));
		} else {
			n = send(fd, b->p + (c->out_off - hl), b->len - (c->out_off - hl), MSG_NOSIGNAL);
		}
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->out_off += (size_t)n;
	}
	c->out = NULL;
	return 1;
}

static void serve(int ep, int fd)
{
	struct conn *c = conns[fd];
	if (c->out) {
		int r = flush(fd, c);
		if (r < 0 || (r == 1 && c->close_after)) {
			drop(ep, fd);
			return;
		}
		if (r == 0)
			return;
		struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
		epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
	}
	for (;;) {
		ssize_t n = recv(fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN) || (n < 0 && c->in_len == sizeof(c->in))) {
			drop(ep, fd);
			return;
		}
		if (n > 0)
			c->in_len += (size_t)n;
		char *end;
		while ((end = memmem(c->in, c->in_len, "\r\n\r\n", 4))) {
			size_t req_len = (size_t)(end + 4 - c->in);
			c->out = choose(c->in, req_len);
			c->out_off = 0;
			c->close_after = memmem(c->in, req_len, "Connection: close", 17) != NULL;
			memmove(c->in, c->in + req_len, c->in_len - req_len);
			c->in_len -= req_len;
			int r = flush(fd, c);
			if (r < 0 || (r == 1 && c->close_after)) {
				drop(ep, fd);
				return;
			}
			if (r == 0) {
				struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
				epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
				return;
			}
		}
		if (n < 0)
			return;
	}
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: evloop PORT BODY BODY.gz BODY.br HEADERS\n");
		return 2;
	}
	const char *codings[3] = {NULL, "gzip", "br"}, *tags[3] = {"proto", "proto-gz", "proto-br"};
	for (int i = 0; i < 3; i++) {
		bodies[i].p = slurp(argv[2 + i], &bodies[i].len);
		bodies[i].coding = codings[i];
		bodies[i].tag = tags[i];
		bodies[i].fd = -1;
	}
	bodies[0].fd = memfd_create("body", MFD_CLOEXEC);
	if (write(bodies[0].fd, bodies[0].p, bodies[0].len) != (ssize_t)bodies[0].len)
		return 1;
	size_t xl;
	char *x = slurp(argv[5], &xl);
	size_t o = 0;
	for (char *line = strtok(x, "\n"); line; line = strtok(NULL, "\n"))
		o += (size_t)snprintf(extra + o, sizeof(extra) - o, "%s\r\n", line);
	prepare(time(NULL));

	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 4096) < 0) {
		perror("listen");
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	struct epoll_event evs[512];
	for (;;) {
		int n = epoll_wait(ep, evs, 512, 1000);
		struct timespec now;
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (now.tv_sec != date_sec)
			prepare(now.tv_sec);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == ls) {
				int cfd;
				while ((cfd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					if (cfd >= CONN_MAX) {
						close(cfd);
						continue;
					}
					setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
					conns[cfd] = calloc(1, sizeof(struct conn));
					struct epoll_event cev = {.events = EPOLLIN, .data.fd = cfd};
					epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &cev);
				}
			} else if (conns[fd]) {
				serve(ep, fd);
			}
		}
	}
}
