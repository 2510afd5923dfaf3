/* bench/render DB [FROM [COUNT [ROUNDS]]]: render the pages FROM..FROM+COUNT of the site (site_paths
 * order: home and sections, resources, then each community's pages) on one thread, ROUNDS times, and
 * print the user CPU per page (a page that is not 200 or 410 is named on stderr). Built by
 * `make build/bench-render`; for comparing render cost before and after a change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "app/site.h"
#include "base/buf.h"
#include "db/db.h"

static double user_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
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
	double t0 = user_s();
	size_t pages = 0, bytes = 0, comm = 0;
	for (int r = 0; r < rounds; r++)
		for (size_t i = from; i < n && i - from < count; i++) {
			struct buf b = BUF_INIT;
			int st = site_render(paths[i], &b);
			if (st != 200 && st != 410)
				fprintf(stderr, "%s: %d\n", paths[i], st);
			bytes += b.len, pages++;
			comm += strstr(paths[i], "/c/") != NULL;
			buf_free(&b);
		}
	double t = user_s() - t0;
	printf("%zu pages (%zu community), %zu bytes, %.3f s user, %.1f us/page\n", pages, comm, bytes, t,
	       1e6 * t / (double)pages);
	site_paths_free(paths, n);
	site_free();
	db_close(db);
	return 0;
}
