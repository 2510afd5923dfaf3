/* bench/render DB [FROM [COUNT [ROUNDS]]]: render the pages FROM..FROM+COUNT of the site (site_paths
 * order: home and sections, resources, then each community's pages) on one thread, ROUNDS times, and
 * print the CPU per page (a page that is not 200 or 410 is named on stderr); then what a cache miss
 * adds: the entry with both variants made at once (warming), and with only the brotli a waiting
 * visitor takes (cache_entry_later). Built by `make build/bench-render`; for comparing render cost
 * before and after a change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cache.h"
#include "app/site.h"
#include "base/buf.h"
#include "db/db.h"

static double cpu_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-render DB [FROM [COUNT [ROUNDS]]]\n");
		return 2;
	}
	size_t from = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	size_t count = argc > 3 ? strtoul(argv[3], NULL, 10) : (size_t)-1;
	int rounds = argc > 4 ? atoi(argv[4]) : 1;
	char err[256];
	struct db *db = db_open(argv[1], err, sizeof(err));
	if (!db) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct site_config sc = {"https://www.google.com/", "https://vrc.example", NULL};
	if (site_init(db, &sc) < 0)
		return 1;
	size_t n;
	char **paths = site_paths(&n);
	double t = 0, now = 0, later = 0;
	size_t pages = 0, bytes = 0, comm = 0;
	for (int r = 0; r < rounds; r++)
		for (size_t i = from; i < n && i - from < count; i++) {
			struct buf b = BUF_INIT;
			double t0 = cpu_s();
			int st = site_render(paths[i], &b);
			double t1 = cpu_s();
			if (st != 200 && st != 410)
				fprintf(stderr, "%s: %d\n", paths[i], st);
			bytes += b.len, pages++;
			comm += strstr(paths[i], "/c/") != NULL;
			struct cache_entry *e = site_entry_of(paths[i], st, buf_str(&b), false);
			double t2 = cpu_s();
			struct cache_entry *l = site_entry_of(paths[i], st, buf_str(&b), true);
			if (l)
				(void)cache_entry_variant(l, "br");
			double t3 = cpu_s();
			t += t1 - t0, now += t2 - t1, later += t3 - t2;
			cache_entry_release(e);
			cache_entry_release(l);
			buf_free(&b);
		}
	printf("%zu pages (%zu community), %zu bytes, %.3f s CPU, %.1f us/page\n", pages, comm, bytes, t,
	       1e6 * t / (double)pages);
	printf("a miss adds: both codings %.1f us/page, the one a visitor takes (brotli) %.1f us/page\n",
	       1e6 * now / (double)pages, 1e6 * later / (double)pages);
	site_paths_free(paths, n);
	site_free();
	db_close(db);
	return 0;
}
