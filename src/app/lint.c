/* `vrc lint`: everything `vrc init` would refuse, plus the rules that keep the library plain and safe:
 * only allowed link schemes in bodies, and a reading level under an agreed ceiling. */
#include "app/lint.h"

#include <string.h>

#include "app/loader.h"
#include "model/resource.h"
#include "text/readability.h"
#include "view/markdown.h"
#include "view/template.h"

struct lint {
	const struct lint_limits *limits;
	FILE *out;
	int problems;      /* link and reading-level problems, in all files */
	int files, failed; /* files visited, and those with a problem */
	int file_problems; /* problems in the file being visited */
	const char *path;
};

static void check_link(const char *url, void *arg)
{
	struct lint *l = arg;
	if (!tmpl_url_safe(url, strlen(url))) {
		fprintf(stderr, "%s:1: link '%s' uses a scheme that is not allowed\n", l->path, url);
		l->file_problems++;
	}
}

static void visit(const struct resource *r, const char *path, void *arg)
{
	struct lint *l = arg;
	l->path = path;
	l->file_problems = 0;
	md_links(r->body, strlen(r->body), check_link, l);
	struct readability s = readability_score(r->body, strlen(r->body), r->lang);
	double max = strcmp(r->lang, "es") == 0 ? l->limits->es_max_grade : l->limits->en_max_grade;
	bool ok = s.grade <= max;
	fprintf(l->out, "%-72s %-2s %-9s %5zu %5.1f %6.1f  %s\n", path, r->lang, r->type, s.words, s.grade,
	        s.ease, ok ? "ok" : "TOO HARD");
	if (!ok) {
		fprintf(stderr, "%s:1: reading grade %.1f is above the ceiling %.1f\n", path, s.grade, max);
		l->file_problems++;
	}
	l->problems += l->file_problems;
	l->files++;
	l->failed += l->file_problems > 0;
}

int lint_run(const char *dir, const struct lint_limits *limits, FILE *out)
{
	struct lint l = {.limits = limits, .out = out};
	struct load_report rep;
	fprintf(out, "%-72s %-2s %-9s %5s %5s %6s  %s\n", "file", "", "type", "words", "grade", "ease", "");
	loader_check(dir, &rep, visit, &l);
	fprintf(out,
	        "ceilings: English grade %.1f (Flesch-Kincaid), Spanish grade %.1f (from Fernandez-Huerta)\n",
	        limits->en_max_grade, limits->es_max_grade);
	/* The loader's problems are not tied to the files counted here (a file that does not parse is
	 * not among them), so they are counted apart, not as failed files. */
	fprintf(out, "vrc lint: %d files; links and reading level: %d passed, %d failed; library checks: ",
	        l.files, l.files - l.failed, l.failed);
	if (rep.errors)
		fprintf(out, "%zu problem%s (above)\n", rep.errors, rep.errors == 1 ? "" : "s");
	else
		fprintf(out, "no problem\n");
	return l.problems + (int)rep.errors;
}
