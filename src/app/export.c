/* vrc export: every public page rendered by site_render and made an entry by site_entry_of, the calls
 * that fill the server's cache, so a file holds the bytes `vrc serve` sends (and its .gz and .br
 * siblings the variants it keeps). Pages render on several threads, each written as it comes; the
 * cache holds only what is not a page (static assets, error pages and whatever else the server keeps
 * there), exported from it. The URL to file mapping and the maps it writes are what deploy/nginx.conf
 * reads.
 *
 * Exporting again into the same folder is an update, safe while a web server reads it: a file whose
 * bytes are the same is left alone (its time, so its ETag at nginx or a CDN, stays; an unchanged
 * page is not compressed again), a changed file is replaced whole (written beside it, then renamed
 * over it), and a file the last export wrote that this one does not (an unpublished page) is
 * removed. What an export wrote is listed in DIR/.vrc-export with the coders' stamp; files it did not
 * write are never touched, and a different stamp (another vrc, other levels) rewrites everything.
 *
 * Without precompression (--precompress off, for a CDN that compresses at its edge) only the
 * identity bytes are written; the stamp says so, so switching either way rewrites every page and the
 * siblings of the last export are removed with the manifest's other stale files. */
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
#include "app/page.h"
#include "app/site.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"

#define MANIFEST ".vrc-export"

struct job {
	struct db *db;
	const char *dir;
	bool precompress; /* the .gz and .br siblings too */
	char **paths;
	size_t n;
	atomic_size_t next, done;
	atomic_size_t pages, gone, failed, files, bytes, errors;
	atomic_size_t rendered, unchanged, kept, removed; /* pages, then files */
	pthread_mutex_t lock;                             /* guards the maps and the manifest */
	struct buf redirects, gone_map, manifest;
	/* The last export's files (its manifest, sorted), each marked when this one keeps or rewrites it;
	 * same_stamp when its coders were these. */
	char *old_text;
	const char **old;
	size_t nold;
	unsigned char *seen;
	bool same_stamp;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The manifest's first line: what the bytes of this export depend on. */
static void stamp_line(const struct job *j, char *out, size_t cap)
{
	if (j->precompress)
		snprintf(out, cap, "vrc-export 1; %s", cache_coding_stamp());
	else
		snprintf(out, cap, "vrc-export 1; not precompressed");
}

/* Read the last export's manifest, if any. */
static void manifest_load(struct job *j)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/" MANIFEST, j->dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (!b.p) {
		return;
	}
	char want[256];
	stamp_line(j, want, sizeof(want));
	char *line = b.p, *nl = strchr(line, '\n');
	if (!nl) {
		buf_free(&b);
		return;
	}
	*nl = '\0';
	j->same_stamp = strcmp(line, want) == 0;
	size_t cap = 0;
	for (char *p = nl + 1; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		/* Only names inside the folder: never an absolute path or a way out of it. */
		if (!*p || p[0] == '/' || strstr(p, "..") || strcmp(p, MANIFEST) == 0)
			continue;
		if (j->nold == cap)
			j->old = xrealloc(j->old, (cap = cap ? cap * 2 : 1024) * sizeof(*j->old));
		j->old[j->nold++] = p;
	}
	qsort(j->old, j->nold, sizeof(*j->old), cmp_name);
	j->seen = xcalloc(j->nold ? j->nold : 1, 1);
	j->old_text = b.p;
}

/* The last export's index of name+suffix, or -1. */
static long old_index(const struct job *j, const char *name, const char *suffix)
{
	char key[4096];
	snprintf(key, sizeof(key), "%s%s", name, suffix);
	const char *k = key;
	const char **hit = j->nold ? bsearch(&k, j->old, j->nold, sizeof(*j->old), cmp_name) : NULL;
	return hit ? (long)(hit - j->old) : -1;
}

/* name+suffix is part of this export (written or kept). */
static void note(struct job *j, const char *name, const char *suffix)
{
	long i = old_index(j, name, suffix);
	if (i >= 0)
		j->seen[i] = 1; /* one page's files belong to one thread: no two write one byte */
	pthread_mutex_lock(&j->lock);
	buf_printf(&j->manifest, "%s%s\n", name, suffix);
	pthread_mutex_unlock(&j->lock);
}

/* dir/name+suffix, written by the last export with these coders, holds exactly bytes. */
static bool same_file(struct job *j, const char *name, const char *suffix, struct str bytes)
{
	if (!j->same_stamp || old_index(j, name, suffix) < 0)
		return false;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s%s", j->dir, name, suffix);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == bytes.len;
	if (same && bytes.len) {
		char *have = xmalloc(bytes.len);
		size_t off = 0;
		while (off < bytes.len) {
			ssize_t r = read(fd, have + off, bytes.len - off);
			if (r <= 0)
				break;
			off += (size_t)r;
		}
		same = off == bytes.len && memcmp(have, bytes.p, bytes.len) == 0;
		free(have);
	}
	close(fd);
	return same;
}

/* The last export wrote dir/name+suffix and it is still there. */
static bool old_present(struct job *j, const char *name, const char *suffix)
{
	if (old_index(j, name, suffix) < 0)
		return false;
	char path[4096];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s%s", j->dir, name, suffix);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

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

/* Write bytes to dir/name (+suffix). A file already there is replaced whole: written beside it and
 * renamed over it, so that a web server reading the folder never sends half of it. 0, or -1 named
 * on standard error. */
static int write_file(struct job *j, const char *name, const char *suffix, struct str bytes)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof(path), "%s/%s%s", j->dir, name, suffix);
	snprintf(tmp, sizeof(tmp), "%s.vrc-tmp", path);
	/* A file that is not there yet is written in place (a rename per file doubled a fresh export's
	 * system time): only a URL that was a 404 a moment before can be read half-written. The folders
	 * are made only when the file cannot be: a mkdir per folder of every file was a fifth of the
	 * export's system time, all contending for the folders' locks (perf, issue 9). */
	const char *at = path;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && make_dirs(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		at = tmp;
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	size_t off = 0;
	while (fd >= 0 && off < bytes.len) {
		ssize_t w = write(fd, bytes.p + off, bytes.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (fd < 0 || off < bytes.len || close(fd) < 0 || (at == tmp && rename(tmp, path) < 0)) {
		fprintf(stderr, "\nvrc export: cannot write %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(at);
		atomic_fetch_add(&j->errors, 1);
		return -1;
	}
	note(j, name, suffix);
	atomic_fetch_add(&j->files, 1);
	atomic_fetch_add(&j->bytes, bytes.len);
	return 0;
}

/* Write bytes unless the file already holds them (then it is kept, untouched). */
static bool put_file(struct job *j, const char *name, const char *suffix, struct str bytes)
{
	if (same_file(j, name, suffix, bytes)) {
		note(j, name, suffix);
		atomic_fetch_add(&j->kept, 1);
		return false;
	}
	return write_file(j, name, suffix, bytes) == 0;
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

static const char *const codings[][2] = {{"gzip", ".gz"}, {"br", ".br"}};

/* One file of an entry: written outright when the caller knows it changed, else put. */
static void out_file(struct job *j, const char *name, const char *suffix, struct str bytes, bool changed)
{
	if (changed)
		write_file(j, name, suffix, bytes);
	else
		put_file(j, name, suffix, bytes);
}

/* An entry as a file and its stored variants: each put (kept when the last export wrote the same
 * bytes), or written outright when the caller knows they changed. */
static void write_entry(struct job *j, const char *name, struct cache_entry *e, bool changed)
{
	out_file(j, name, "", cache_entry_body(e), changed);
	for (size_t i = 0; j->precompress && i < 2; i++) {
		struct str v = cache_entry_variant(e, codings[i][0]);
		if (v.p)
			out_file(j, name, codings[i][1], v, changed);
	}
}

/* A page rendered as body: kept when the last export (same coders) wrote these very bytes and its
 * variants are still there, for the variants are a function of the bytes (an export without
 * precompression lists none); else written, with its variants made (compressed) when precompressing. */
static void put_page(struct job *j, const char *path, const char *name, int status, struct str body)
{
	bool keep = same_file(j, name, "", body);
	for (size_t i = 0; keep && i < 2; i++)
		if (old_index(j, name, codings[i][1]) >= 0 && !old_present(j, name, codings[i][1]))
			keep = false;
	if (keep) {
		note(j, name, "");
		size_t files = 1;
		for (size_t i = 0; i < 2; i++)
			if (old_index(j, name, codings[i][1]) >= 0)
				note(j, name, codings[i][1]), files++;
		atomic_fetch_add(&j->kept, files);
		atomic_fetch_add(&j->unchanged, 1);
		return;
	}
	if (j->precompress) {
		struct cache_entry *e = site_entry_of(path, status, body, false);
		write_entry(j, name, e, true);
		cache_entry_release(e);
	} else {
		write_file(j, name, "", body);
	}
	atomic_fetch_add(&j->rendered, 1);
}

/* A page that failed: the last export's files of it stay (old, never broken) and stay listed. */
static void keep_old(struct job *j, const char *name)
{
	if (old_present(j, name, ""))
		note(j, name, "");
	for (size_t i = 0; i < 2; i++)
		if (old_present(j, name, codings[i][1]))
			note(j, name, codings[i][1]);
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
	struct buf b = BUF_INIT;
	int status = site_render(path, &b);
	char name[2048];
	switch (status) {
	case 200:
		file_of(path, name, sizeof(name));
		put_page(j, path, name, 200, buf_str(&b));
		wrong_language(j, path);
		atomic_fetch_add(&j->pages, 1);
		break;
	case 410:
		/* Kept apart: nginx answers 410 for the path (gone.map) with this page as its body. */
		snprintf(name, sizeof(name), "_gone%s.html", path);
		put_page(j, path, name, 410, buf_str(&b));
		pthread_mutex_lock(&j->lock);
		buf_printf(&j->gone_map, "%s 1;\n", path);
		pthread_mutex_unlock(&j->lock);
		atomic_fetch_add(&j->gone, 1);
		break;
	case 500: /* never written as a page: the log says why, the export fails */
		file_of(path, name, sizeof(name));
		fprintf(stderr, "\nvrc export: %s cannot be rendered (see the log); not written%s\n", path,
		        old_present(j, name, "") ? " (the last export's file of it stays)" : "");
		keep_old(j, name);
		atomic_fetch_add(&j->failed, 1);
		break;
	default: break;
	}
	buf_free(&b);
}

/* A render thread, with a connection of its own: on one shared connection the threads queued on its
 * mutex, and two rendered no faster than one (7.3 s against 7.6 s, issue 9). */
static void *worker(void *arg)
{
	struct job *j = arg;
	char err[512];
	struct db *own = db_open_again(j->db, err, sizeof(err));
	if (!own)
		log_warn("export: a render thread shares the main connection (slower): %s", err);
	page_use_db(own);
	for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;) {
		export_page(j, j->paths[i]);
		atomic_fetch_add(&j->done, 1);
	}
	page_use_db(NULL);
	db_close(own);
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
		write_entry(j, name, e, false);
	} else if (sscanf(key, "error:%d:%7s", &status, lang) == 2 && (status == 404 || status == 500)) {
		snprintf(name, sizeof(name), "%s%d.html", strcmp(lang, "en") == 0 ? "" : "es/", status);
		if (strcmp(lang, "en") == 0 || strcmp(lang, "es") == 0)
			write_entry(j, name, e, false);
	} else if (key[0] == '/' && cache_entry_status(e) == 200) {
		file_of(key, name, sizeof(name));
		write_entry(j, name, e, false);
	}
	cache_entry_release(e);
}

/* The lines of b in order: threads append them as pages come, the file must not change with that. */
static void sort_lines(struct buf *b)
{
	if (!b->p || !b->len)
		return;
	size_t n = 0, cap = 0;
	char **v = NULL;
	for (char *p = b->p, *nl; p < b->p + b->len && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		if (n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 256) * sizeof(*v));
		v[n++] = p;
	}
	qsort(v, n, sizeof(*v), cmp_name);
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&out, "%s\n", v[i]);
	free(v);
	buf_free(b);
	*b = out;
}

/* Remove the last export's files that this one did not write or keep (pages unpublished since),
 * and the folders that leaves empty. Never a file it did not write. */
static void remove_stale(struct job *j)
{
	for (size_t i = 0; i < j->nold; i++) {
		if (j->seen[i])
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", j->dir, j->old[i]);
		if (unlink(path) == 0)
			atomic_fetch_add(&j->removed, 1);
		else if (errno != ENOENT) { /* a gone page still served: the export fails */
			fprintf(stderr, "vrc export: cannot remove %s: %s\n", path, strerror(errno));
			atomic_fetch_add(&j->errors, 1);
			note(j, j->old[i], ""); /* still listed: the next export tries again */
		}
		for (char *slash; (slash = strrchr(path, '/')) && slash > path + strlen(j->dir);) {
			*slash = '\0';
			if (rmdir(path) < 0)
				break;
		}
	}
}

/* What this export wrote or kept, for the next one. */
static void write_manifest(struct job *j)
{
	char stamp[256];
	stamp_line(j, stamp, sizeof(stamp));
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n", stamp);
	sort_lines(&j->manifest);
	buf_append(&b, j->manifest.p ? j->manifest.p : "", j->manifest.len);
	size_t files = atomic_load(&j->files), bytes = atomic_load(&j->bytes);
	write_file(j, MANIFEST, "", buf_str(&b)); /* not a file of the site: not counted */
	atomic_store(&j->files, files);
	atomic_store(&j->bytes, bytes);
	buf_free(&b);
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

int export_run(struct db *db, const char *dir, unsigned threads, bool precompress)
{
	double t0 = now();
	struct job j = {.db = db, .dir = dir, .precompress = precompress, .lock = PTHREAD_MUTEX_INITIALIZER};
	char probe[4096];
	snprintf(probe, sizeof(probe), "%s/", dir);
	if (make_dirs(probe) < 0 || (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		fprintf(stderr, "vrc export: cannot make %s: %s\n", dir, strerror(errno));
		return 1;
	}
	manifest_load(&j);
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
	sort_lines(&j.redirects);
	sort_lines(&j.gone_map);
	bool maps = put_file(&j, "redirects.map", "", buf_str(&j.redirects));
	maps |= put_file(&j, "gone.map", "", j.gone_map.p ? buf_str(&j.gone_map) : (struct str){"", 0});
	buf_free(&j.redirects);
	buf_free(&j.gone_map);
	site_paths_free(j.paths, j.n);
	remove_stale(&j);
	write_manifest(&j);
	size_t files = atomic_load(&j.files);
	printf("vrc export: %zu pages (%zu gone, %zu failed), %zu files, %.1f MB in %.1f s into %s\n",
	       atomic_load(&j.pages), atomic_load(&j.gone), atomic_load(&j.failed),
	       files + atomic_load(&j.kept), atomic_load(&j.bytes) / 1048576.0, now() - t0, dir);
	if (j.nold)
		printf("vrc export: an update of the last export: %zu pages rendered anew, %zu unchanged; "
		       "%zu files "
		       "written, %zu removed\n",
		       atomic_load(&j.rendered), atomic_load(&j.unchanged), files, atomic_load(&j.removed));
	if (j.nold && maps) /* nginx reads its maps when it loads its configuration */
		printf("vrc export: redirects.map or gone.map changed: reload the web server (nginx -s "
		       "reload)\n");
	free(j.old);
	free(j.seen);
	free(j.old_text);
	buf_free(&j.manifest);
	return atomic_load(&j.failed) || atomic_load(&j.errors) ? 1 : 0;
}
