/* vrc: the command table. Each command parses its own flags from a table and returns an exit code. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/auth.h"
#include "app/lint.h"
#include "app/loader.h"
#include "app/routes.h"
#include "app/site.h"
#include "app/staffcli.h"
#include "base/log.h"
#include "db/db.h"
#include "http/server.h"
#include "version.h"

struct opts {
	const char *db, *listen, *content, *media, *exit_url;
	const char *threads, *per_ip;
	const char *session_idle, *session_max;
	const char *sub; /* a command's subcommand ("vrc user add") */
	struct staffcli_args staff;
};

struct flag {
	const char *name;
	size_t offset;
	const char *help;
};

#define OPT(f) offsetof(struct opts, f)
static const struct flag flags[] = {
    {"--db", OPT(db), "database file (default var/vrc.db)"},
    {"--listen", OPT(listen), "HOST:PORT to serve on (default 127.0.0.1:8080; port 0: any free port)"},
    {"--content", OPT(content), "content library folder (default content)"},
    {"--media", OPT(media), "video and caption files (default content/media)"},
    {"--exit-url", OPT(exit_url), "where Quick exit goes (default https://www.google.com/)"},
    {"--threads", OPT(threads), "HTTP worker threads (default: one per core)"},
    {"--per-ip-limit", OPT(per_ip), "connections per client address (default 256; 0: none)"},
    {"--session-idle", OPT(session_idle), "seconds a staff session may sit unused (default 1800)"},
    {"--session-max", OPT(session_max), "seconds a staff session may last at most (default 43200)"},
    {"--email", OPT(staff.email), "a staff account's email address"},
    {"--role", OPT(staff.role), "admin, editor, reviewer or community_editor"},
    {"--name", OPT(staff.name), "display name and credentials, as the public site shows them"},
    {"--community", OPT(staff.community), "a community editor's community slugs (a,b)"},
    {"--since", OPT(staff.since), "audit entries from this date (YYYY-MM-DD) on"},
    {"--user", OPT(staff.user), "audit entries by this email"},
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: vrc COMMAND [FLAGS]\n\n"
	    "commands:\n"
	    "  serve   serve the site           [--db --listen --media --exit-url --threads --per-ip-limit\n"
	    "                                    --session-idle --session-max]\n"
	    "  init    create or migrate the database and load the content library  [--db --content]\n"
	    "  lint    check the content library without loading it                  [--content]\n"
	    "  user add --email E --role R [--name N] [--community S]   create a staff account; the "
	    "password\n"
	    "          is read from stdin (prompted on a terminal); empty: a one-time password is printed\n"
	    "  user list | disable | enable | reset-password --email E | role --email E --role R\n"
	    "  user ensure-admin [--email E]   create the first admin (one-time password) if none exists\n"
	    "  audit [--since DATE] [--user E]  print the audit log\n"
	    "  --help, --version\n\nflags:\n");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		fprintf(f, "  %-15s %s\n", flags[i].name, flags[i].help);
}

/* Parse "--flag value" and "--flag=value" pairs; -1 on an unknown or incomplete flag. */
static int parse_flags(int argc, char **argv, struct opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '=');
		size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct flag *f = NULL;
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (strlen(flags[k].name) == n && strncmp(flags[k].name, arg, n) == 0)
				f = &flags[k];
		if (!f) {
			fprintf(stderr, "vrc: unknown flag '%s'\n", arg);
			return -1;
		}
		const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val || !*val) {
			fprintf(stderr, "vrc: %s needs a value\n", f->name);
			return -1;
		}
		*(const char **)((char *)o + f->offset) = val;
	}
	return 0;
}

static struct db *open_db(const struct opts *o)
{
	char err[512];
	const char *slash = strrchr(o->db, '/');
	if (slash && slash != o->db) {
		char dir[512];
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - o->db), o->db);
		mkdir(dir, 0750);
	}
	struct db *db = db_open(o->db, err, sizeof(err));
	if (!db)
		fprintf(stderr, "vrc: cannot open database %s\n", err);
	else if (db_migrate(db) < 0) {
		db_close(db);
		db = NULL;
	}
	return db;
}

static int cmd_init(struct opts *o)
{
	struct db *db = open_db(o);
	if (!db)
		return 1;
	struct load_report rep;
	int rc = loader_run(db, o->content, &rep);
	if (rc < 0)
		fprintf(stderr, "vrc init: %zu problem(s) in %s; nothing was loaded\n", rep.errors,
		        o->content);
	else
		printf("vrc init: %s ready (schema %d): %zu resources (%zu new or changed), %zu topics, "
		       "%zu hotlines\n",
		       o->db, db_schema_version(db), rep.resources, rep.updated, rep.topics, rep.hotlines);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

/* The agreed reading-level ceilings (see content/README.md). */
static const struct lint_limits lint_limits = {8.0, 8.0};

static int cmd_lint(struct opts *o)
{
	int clean = 0;
	int problems = lint_run(o->content, &lint_limits, stdout, &clean);
	printf("vrc lint: %d passed, %d failed\n", clean, problems);
	return problems ? 1 : 0;
}

static int cmd_serve(struct opts *o)
{
	struct db *db = open_db(o);
	if (!db)
		return 1;
	routes_set_media(o->media);
	struct site_config sc = {o->exit_url};
	if (site_init(db, &sc) < 0) {
		db_close(db);
		return 1;
	}
	struct auth_config ac = {
	    .idle_s = o->session_idle ? atoll(o->session_idle) : 0,
	    .max_s = o->session_max ? atoll(o->session_max) : 0,
	};
	if (auth_init(db, &ac) < 0) {
		site_free();
		db_close(db);
		return 1;
	}
	size_t pages = site_warm();
	struct server_config cfg = {
	    .listen = o->listen,
	    .threads = o->threads ? (unsigned)atoi(o->threads) : 0,
	    .per_ip_limit = (unsigned)atoi(o->per_ip),
	    .timeout_s = 30,
	    .max_body = 1 << 20,
	    .max_url = 2048,
	    .max_headers = 16384,
	    .handle = routes_handle,
	    .error = routes_error,
	    .always = routes_security_headers,
	    .nalways = routes_nsecurity_headers,
	};
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit the mask */
	struct server *s = server_start(&cfg);
	if (!s) {
		site_free();
		db_close(db);
		return 1;
	}
	char host[256];
	snprintf(host, sizeof(host), "%.*s", (int)(strrchr(o->listen, ':') - o->listen), o->listen);
	log_info("vrc %s serving %zu pages on http://%s:%u/", VRC_VERSION, pages, host, server_port(s));
	int sig;
	sigwait(&set, &sig);
	log_info("vrc: signal %d, stopping", sig);
	server_stop(s);
	auth_free();
	site_free();
	db_close(db);
	return 0;
}

static int cmd_user(struct opts *o)
{
	struct db *db = open_db(o);
	if (!db)
		return 1;
	int rc = staffcli_user(db, o->sub, &o->staff);
	db_close(db);
	return rc;
}

static int cmd_audit(struct opts *o)
{
	struct db *db = open_db(o);
	if (!db)
		return 1;
	int rc = staffcli_audit(db, &o->staff);
	db_close(db);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(struct opts *);
	bool sub; /* takes a subcommand word before its flags */
} commands[] = {
    {"serve", cmd_serve, false}, {"init", cmd_init, false},   {"lint", cmd_lint, false},
    {"user", cmd_user, true},    {"audit", cmd_audit, false},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vrc %s\n", VRC_VERSION);
		return 0;
	}
	struct opts o = {.db = "var/vrc.db",
	                 .listen = "127.0.0.1:8080",
	                 .content = "content",
	                 .media = "content/media",
	                 .exit_url = "https://www.google.com/",
	                 .per_ip = "256"};
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		int skip = 2;
		if (commands[i].sub && argc > 2 && argv[2][0] != '-')
			o.sub = argv[skip++];
		if (parse_flags(argc - skip, argv + skip, &o) < 0) {
			usage(stderr);
			return 2;
		}
		return commands[i].fn(&o);
	}
	fprintf(stderr, "vrc: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
