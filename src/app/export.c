/* vrc export: every public page rendered by site_entry, the same call that fills the server's cache,
 * so a file holds the bytes `vrc serve` sends (and its .gz and .br siblings the variants it keeps).
 * Pages render on several threads, each written as it comes; the cache holds only what is not a page
 * (static assets, error pages and whatever else the server keeps there), exported from it. The URL
 * to file mapping and the maps it writes are what deploy/nginx.conf reads. */
#include "app/export.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cache.h"
#include "app/site.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"

struct job {
	const char *dir;
	char **paths;
	size_t n;
	atomic_size_t next, done;
	atomic_size_t pages, gone, failed, files, bytes, errors;
	pthread_mutex_t lock; /* guards the maps */
	struct buf redirects, gone_map;
};

/* mkdir -p for the folders of file (a path under the export folder). 0 or -1. */
static int make_dirs(char *file)
{
	for (char *p = file + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		int rc = mkdir(file, 0755);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

/* Write bytes to dir/name (+suffix). 0, or -1 named on standard error. */
static int write_file(struct job *j, const char *name, const char *suffix, struct str bytes)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s%s", j->dir, name, suffix);
	/* The folders are made only when the file cannot be: a mkdir per folder of every file was a
	 * fifth of the export's system time, all contending for the folders' locks (perf, issue 9). */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && make_dirs(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t off = 0;
	while (fd >= 0 && off < bytes.len) {
		ssize_t w = write(fd, bytes.p + off, bytes.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (fd < 0 || off < bytes.len || close(fd) < 0) {
		fprintf(stderr, "\nvrc export: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		atomic_fetch_add(&j->errors, 1);
		return -1;
	}
	atomic_fetch_add(&j->files, 1);
	atomic_fetch_add(&j->bytes, bytes.len);
	return 0;
}

/* The file a URL path is kept in: "/" and "/es/" as index.html, a name with an extension (a feed,
 * robots.txt) as itself, any other page as <path>.html. */
static void file_of(const char *url, char *out, size_t cap)
{
	const char *last = strrchr(url, '/');
	size_t n = strlen(url);
	if (n && url[n - 1] == '/')
		snprintf(out, cap, "%sindex.html", url + 1);
	else if (last && strchr(last, '.'))
		snprintf(out, cap, "%s", url + 1);
	else
		snprintf(out, cap, "%s.html", url + 1);
}

/* An entry as a file and its stored variants. */
static void write_entry(struct job *j, const char *name, struct cache_entry *e)
{
	write_file(j, name, "", cache_entry_body(e));
	static const char *const codings[][2] = {{"gzip", ".gz"}, {"br", ".br"}};
	for (size_t i = 0; i < 2; i++) {
		struct str v = cache_entry_variant(e, codings[i][0]);
		if (v.p)
			write_file(j, name, codings[i][1], v);
	}
}

/* A resource asked for under the other language's prefix: a line of the redirect map. */
static void wrong_language(struct job *j, const char *path)
{
	const char *other = strncmp(path, "/es/resources/", 14) == 0 ? path + 3 : NULL;
	char es[1024];
	if (!other && strncmp(path, "/resources/", 11) == 0) {
		snprintf(es, sizeof(es), "/es%s", path);
		other = es;
	}
	if (!other)
		return;
	pthread_mutex_lock(&j->lock);
	buf_printf(&j->redirects, "%s %s;\n", other, path);
	pthread_mutex_unlock(&j->lock);
}

static void export_page(struct job *j, const char *path)
{
	int status;
	struct cache_entry *e = site_entry(path, &status, NULL);
	char name[2048];
	switch (status) {
	case 200:
		file_of(path, name, sizeof(name));
		write_entry(j, name, e);
		wrong_language(j, path);
		atomic_fetch_add(&j->pages, 1);
		break;
	case 410:
		/* Kept apart: nginx answers 410 for the path (gone.map) with this page as its body. */
		snprintf(name, sizeof(name), "_gone%s.html", path);
		write_entry(j, name, e);
		pthread_mutex_lock(&j->lock);
		buf_printf(&j->gone_map, "%s 1;\n", path);
		pthread_mutex_unlock(&j->lock);
		atomic_fetch_add(&j->gone, 1);
		break;
	case 500: /* never written as a page: the log says why, the export fails */
		fprintf(stderr, "\nvrc export: %s cannot be rendered (see the log); not written\n", path);
		atomic_fetch_add(&j->failed, 1);
		break;
	default: break;
	}
	cache_entry_release(e);
}

static void *worker(void *arg)
{
	struct job *j = arg;
	for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;) {
		export_page(j, j->paths[i]);
		atomic_fetch_add(&j->done, 1);
	}
	return NULL;
}

/* What the cache holds besides pages: static assets at their hashed URLs, the 404 and 500 pages of
 * each language (nginx's error_page files), and any other path (sitemap.xml, robots.txt). */
static void export_cached(void *ctx, const char *key, struct cache_entry *e)
{
	struct job *j = ctx;
	char name[2048];
	int status;
	char lang[8];
	if (strncmp(key, "static/", 7) == 0) {
		snprintf(name, sizeof(name), "%s/%s", site_asset_base() + 1, key + 7);
		write_entry(j, name, e);
	} else if (sscanf(key, "error:%d:%7s", &status, lang) == 2 && (status == 404 || status == 500)) {
		snprintf(name, sizeof(name), "%s%d.html", strcmp(lang, "en") == 0 ? "" : "es/", status);
		if (strcmp(lang, "en") == 0 || strcmp(lang, "es") == 0)
			write_entry(j, name, e);
	} else if (key[0] == '/' && cache_entry_status(e) == 200) {
		file_of(key, name, sizeof(name));
		write_entry(j, name, e);
	}
	cache_entry_release(e);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A progress bar on a terminal, redrawn in place. */
static void progress(struct job *j, double t0)
{
	size_t done = atomic_load(&j->done);
	int width = 40, fill = j->n ? (int)(done * (size_t)width / j->n) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu pages %.1f s", fill, "########################################",
	        width - fill, "", done, j->n, now() - t0);
	fflush(stderr);
}

int export_run(struct db *db, const char *dir, unsigned threads)
{
	(void)db;
	double t0 = now();
	struct job j = {.dir = dir, .lock = PTHREAD_MUTEX_INITIALIZER};
	char probe[4096];
	snprintf(probe, sizeof(probe), "%s/", dir);
	if (make_dirs(probe) < 0 || (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		fprintf(stderr, "vrc export: cannot make %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (site_warm_base() < 0)
		return 1;
	cache_foreach(export_cached, &j);
	j.paths = site_paths(&j.n);
	if (threads == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		threads = c > 0 && c < 64 ? (unsigned)c : 1;
	}
	pthread_t *tid = xcalloc(threads, sizeof(*tid));
	unsigned started = 0;
	while (started < threads && pthread_create(&tid[started], NULL, worker, &j) == 0)
		started++;
	if (started == 0)
		worker(&j);
	bool tty = isatty(STDERR_FILENO);
	while (tty && atomic_load(&j.done) < j.n) {
		progress(&j, t0);
		usleep(100 * 1000);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	if (tty) {
		progress(&j, t0);
		fputc('\n', stderr);
	}
	buf_puts(&j.redirects, "/es /es/;\n");
	write_file(&j, "redirects.map", "", buf_str(&j.redirects));
	write_file(&j, "gone.map", "", j.gone_map.p ? buf_str(&j.gone_map) : (struct str){"", 0});
	buf_free(&j.redirects);
	buf_free(&j.gone_map);
	site_paths_free(j.paths, j.n);
	printf("vrc export: %zu pages (%zu gone, %zu failed), %zu files, %.1f MB in %.1f s into %s\n",
	       atomic_load(&j.pages), atomic_load(&j.gone), atomic_load(&j.failed), atomic_load(&j.files),
	       atomic_load(&j.bytes) / 1048576.0, now() - t0, dir);
	return atomic_load(&j.failed) || atomic_load(&j.errors) ? 1 : 0;
}
