/* vrc: the command table. Each command parses its own flags from a table and returns an exit code. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/api.h"
#include "app/auth.h"
#include "app/cache.h"
#include "app/communitycli.h"
#include "app/export.h"
#include "app/hsdsapi.h"
#include "app/lint.h"
#include "app/loader.h"
#include "app/metrics.h"
#include "app/publish.h"
#include "app/routes.h"
#include "app/search.h"
#include "app/site.h"
#include "app/staffcli.h"
#include "app/tokencli.h"
#include "app/upload.h"
#include "base/log.h"
#include "db/db.h"
#include "http/accesslog.h"
#include "http/server.h"
#include "model/searchindex.h"
#include "version.h"
#include "view/i18n.h"

struct opts {
	const char *db, *listen, *content, *media, *exit_url, *public_url, *i18n_dir;
	const char *threads, *per_ip, *access_log, *search_limit, *max_conns;
	const char *session_idle, *session_max, *schedule_every;
	const char *uploads, *max_upload;
	const char *metrics_listen, *metrics_token, *token_id, *cache_mb, *out, *fast_path, *precompress;
	const char *sub; /* a command's subcommand ("vrc user add") */
	struct staffcli_args staff;
	struct communitycli_args community;
};

struct flag {
	const char *name;
	size_t offset;
	/* The value's check: 0 when usable, else -1 with a message naming the flag; NULL: any text. */
	int (*check)(const struct flag *f, const char *val);
	unsigned long min, max;
	const char *help;
};

/* A whole decimal number in [f->min, f->max]: no sign, spaces, exponent or trailing text. */
static int check_count(const struct flag *f, const char *val)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(val, &end, 10);
	if (val[0] < '0' || val[0] > '9' || *end || errno == ERANGE || n < f->min || n > f->max) {
		fprintf(stderr, "vrc: %s wants a whole number from %lu to %lu, not '%s'\n", f->name, f->min,
		        f->max, val);
		return -1;
	}
	return 0;
}

/* Characters a URL may not carry into an href (control, space, quotes, angle brackets, backslash). */
static bool url_char_ok(unsigned char c)
{
	return c > 0x20 && c != 0x7f && !strchr("\"'<>\\`", c);
}

/* "on" or "off". */
static int check_onoff(const struct flag *f, const char *val)
{
	if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0)
		return 0;
	fprintf(stderr, "vrc: %s wants on or off, not '%s'\n", f->name, val);
	return -1;
}

/* An absolute http(s) URL with a host: "https://host[:port][/path][?query][#fragment]". */
static int check_url(const struct flag *f, const char *val)
{
	static const char *const schemes[] = {"http://", "https://"};
	size_t skip = 0;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncasecmp(val, schemes[i], strlen(schemes[i])) == 0)
			skip = strlen(schemes[i]);
	const char *host = val + skip;
	size_t hostlen = strcspn(host, "/?#");
	/* With min 1, a path on this site ("/leave") is allowed too; "//host" and bare hosts never are. */
	bool local = f->min == 1 && val[0] == '/' && val[1] != '/';
	bool ok = local || (skip && hostlen &&
	                    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                 "0123456789.-:[]") == hostlen &&
	                    host[0] != ':');
	for (const char *p = val; ok && *p; p++)
		ok = url_char_ok((unsigned char)*p);
	if (!ok) {
		fprintf(stderr, "vrc: %s wants an absolute http:// or https:// URL with a host%s, not '%s'\n",
		        f->name, f->min == 1 ? ", or a path on this site starting with /" : "", val);
		return -1;
	}
	return 0;
}

#define OPT(f) offsetof(struct opts, f)
static const struct flag flags[] = {
    {"--db", OPT(db), NULL, 0, 0, "database file (default var/vrc.db)"},
    {"--listen", OPT(listen), NULL, 0, 0,
     "HOST:PORT to serve on (default 127.0.0.1:8080; port 0: any free port)"},
    {"--content", OPT(content), NULL, 0, 0, "content library folder (default content)"},
    {"--media", OPT(media), NULL, 0, 0, "video and caption files (default content/media)"},
    {"--exit-url", OPT(exit_url), check_url, 1, 0,
     "where Quick exit goes: an http(s) URL or a /path (default https://www.google.com/)"},
    {"--public-url", OPT(public_url), check_url, 0, 0,
     "the site's public address, for QR codes and feeds (default http://HOST:PORT of --listen)"},
    {"--i18n", OPT(i18n_dir), NULL, 0, 0, "a folder of more UI-string catalogues (<lang>.json)"},
    {"--threads", OPT(threads), check_count, 1, 1024, "HTTP worker threads, 1-1024 (default: one per core)"},
    {"--max-connections", OPT(max_conns), check_count, 1, 1000000,
     "connections served at once; past them a 503 with Retry-After (default: what the open-file limit "
     "allows)"},
    {"--per-ip-limit", OPT(per_ip), check_count, 0, 1000000,
     "connections per client address (default 256; 0: none)"},
    {"--search-limit", OPT(search_limit), check_count, 0, 100000,
     "searches a minute one address may send to the database (default 60; 0: no limit)"},
    {"--access-log", OPT(access_log), NULL, 0, 0,
     "PATH to append to (reopened on SIGHUP), or off (default: standard error)"},
    {"--session-idle", OPT(session_idle), check_count, 1, 86400,
     "seconds a staff session may sit unused, 1-86400 (default 1800)"},
    {"--session-max", OPT(session_max), check_count, 1, 604800,
     "seconds a staff session may last at most, 1-604800 (default 43200)"},
    {"--schedule-every", OPT(schedule_every), check_count, 1, 3600,
     "seconds between checks for scheduled publishing, 1-3600 (default 30)"},
    {"--uploads", OPT(uploads), NULL, 0, 0, "folder for files uploaded in the console (default var/uploads)"},
    {"--max-upload", OPT(max_upload), check_count, 1, 2048,
     "largest upload in MB (MiB), 1-2048: the video cap (default 32; other kinds have smaller caps)"},
    {"--metrics-listen", OPT(metrics_listen), NULL, 0, 0, "HOST:PORT serving /metrics apart from the site"},
    {"--metrics-token", OPT(metrics_token), NULL, 0, 0,
     "a secret that opens /metrics on the public address as a bearer token"},
    {"--id", OPT(token_id), NULL, 0, 0, "an API token's number (vrc token revoke)"},
    {"--cache-mb", OPT(cache_mb), check_count, 0, 65536,
     "MB of uncompressed and gzip page bodies kept beside every page's brotli; beyond it they are made "
     "when asked for (default 48)"},
    {"--fast-path", OPT(fast_path), check_onoff, 0, 0,
     "on: cached public pages are answered by vrc's own event loops, the rest by libmicrohttpd; "
     "off: libmicrohttpd answers everything (default on)"},
    {"--out", OPT(out), NULL, 0, 0, "the folder vrc export writes the site into"},
    {"--precompress", OPT(precompress), check_onoff, 0, 0,
     "on: vrc export writes each file's .gz and .br siblings; off: the files alone, for a CDN that "
     "compresses at its edge (default on)"},
    {"--email", OPT(staff.email), NULL, 0, 0, "a staff account's email address"},
    {"--role", OPT(staff.role), NULL, 0, 0, "admin, editor, reviewer or community_editor"},
    {"--name", OPT(staff.name), NULL, 0, 0,
     "display name and credentials, as the public site shows them; a token's name"},
    {"--community", OPT(staff.community), NULL, 0, 0, "a community editor's community slugs (a,b)"},
    {"--slug", OPT(community.slug), NULL, 0, 0, "a community's slug (its address /c/SLUG)"},
    {"--place", OPT(community.place), NULL, 0, 0, "a community's place (\"Springfield, IL\")"},
    {"--date", OPT(community.date), NULL, 0, 0, "the incident's date, YYYY-MM-DD"},
    {"--lang", OPT(community.langs), NULL, 0, 0, "the languages a community page offers (en,es)"},
    {"--tz", OPT(community.timezone), NULL, 0, 0, "a community's time zone (America/Chicago)"},
    {"--since", OPT(staff.since), NULL, 0, 0, "audit entries from this date (YYYY-MM-DD) on"},
    {"--user", OPT(staff.user), NULL, 0, 0,
     "audit entries by this email; the account of a token (vrc token)"},
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: vrc COMMAND [FLAGS]\n\n"
	    "commands:\n"
	    "  serve   serve the site           [--db --listen --media --exit-url --threads "
	    "--max-connections\n"
	    "                                     --per-ip-limit --search-limit --access-log --session-idle\n"
	    "                                     --session-max --schedule-every --uploads --max-upload\n"
	    "                                     --public-url --i18n --metrics-listen --metrics-token "
	    "--cache-mb --fast-path]\n"
	    "  init    create or migrate the database and load the content library  [--db --content]\n"
	    "  lint    check the content library without loading it                  [--content]\n"
	    "  user add --email E --role R [--name N] [--community S]   create a staff account; the "
	    "password\n"
	    "          is read from stdin (prompted on a terminal); empty: a one-time password is printed\n"
	    "  user list | disable | enable | reset-password --email E | role --email E --role R\n"
	    "  user ensure-admin [--email E]   create the first admin (one-time password) if none exists\n"
	    "  audit [--since DATE] [--user E]  print the audit log\n"
	    "  community create --slug S --name N [--place P] [--date YYYY-MM-DD] [--lang en,es] [--tz Z]\n"
	    "          publish a community page from the template          [--db --i18n]\n"
	    "  community hsds --slug S [--lang L]   its published local services as Open Referral HSDS 3.0 "
	    "JSON\n"
	    "  token create --user E --name N   an API token for E's role, printed once | list [--user E]\n"
	    "          | revoke --id N\n"
	    "  export --out DIR   write the public site as static files with .gz and .br siblings, for\n"
	    "          nginx or a CDN (deploy/nginx.conf)\n"
	    "          [--db --public-url --exit-url --threads --precompress]\n"
	    "  --help, --version\n\nflags:\n");
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		fprintf(f, "  %-15s %s\n", flags[i].name, flags[i].help);
}

/* Parse "--flag value" and "--flag=value" pairs; -1 on an unknown, incomplete or invalid flag. */
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
		if (f->check && f->check(f, val) < 0)
			return -1;
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
	int rc = loader_run(db, o->content, &rep, stdout);
	/* Index what was loaded now, so that `vrc serve` starts without a backlog to index. */
	if (rc >= 0 && searchindex_refresh(db) < 0)
		rc = -1;
	if (rc < 0)
		fprintf(stderr, "vrc init: %zu problem(s) in %s; nothing was loaded\n", rep.errors,
		        o->content);
	else
		printf("vrc init: %s ready (schema %d): %zu resources (%zu new or changed, %zu archived), "
		       "%zu topics, %zu hotlines (%zu retired)\n",
		       o->db, db_schema_version(db), rep.resources, rep.updated, rep.archived, rep.topics,
		       rep.hotlines, rep.retired);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

/* The agreed reading-level ceilings (see content/README.md). */
static const struct lint_limits lint_limits = {8.0, 8.0};

static int cmd_lint(struct opts *o)
{
	return lint_run(o->content, &lint_limits, stdout) ? 1 : 0;
}

/* Block the signals cmd_serve waits for, before any thread starts (threads inherit the mask). */
static void block_signals(sigset_t *set)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(set, sigs[i]);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

/* Serve until SIGINT or SIGTERM; SIGHUP reopens the access log (logrotate). */
static void wait_for_stop(const sigset_t *set)
{
	int sig;
	while (sigwait(set, &sig) == 0 && sig == SIGHUP)
		accesslog_reopen();
	log_info("vrc: signal %d, stopping", sig);
}

/* "HOST:0" asks for any free port, but pages rendered before the server listens (the error pages, the
 * sitemap, the start of the warm) need the site's address when no --public-url is given: find the
 * port the kernel would pick by binding to it here, and listen on that one. The port is free again
 * for a moment between this close and the server's bind; if another program takes it then, the
 * server's bind fails loudly rather than serving on a wrong address. */
static int resolve_port_zero(const char *listen, char *out, size_t cap)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || strcmp(colon + 1, "0") != 0)
		return 0;
	char host[256];
	snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	char *h = host;
	if (h[0] == '[' && h[strlen(h) - 1] == ']') {
		h[strlen(h) - 1] = '\0';
		h++;
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
	                *ai = NULL;
	if (getaddrinfo(*h ? h : NULL, "0", &hints, &ai) != 0 || !ai)
		return -1;
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), rc = -1;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	if (fd >= 0 && bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		unsigned port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
		                                         : ntohs(((struct sockaddr_in *)&ss)->sin_port);
		snprintf(out, cap, "%.*s:%u", (int)(colon - listen), listen, port);
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

static int cmd_serve(struct opts *o)
{
	sigset_t set;
	block_signals(&set);
	if (accesslog_open(o->access_log) < 0)
		return 1;
	struct db *db = open_db(o);
	if (!db) {
		accesslog_close();
		return 1;
	}
	routes_set_media(o->media);
	/* Without --public-url the address served on stands in (right for a laptop, wrong behind a proxy). */
	char listen[300];
	if (!o->public_url) {
		int r = resolve_port_zero(o->listen, listen, sizeof(listen));
		if (r < 0) {
			fprintf(stderr, "vrc serve: cannot find a free port on %s\n", o->listen);
			db_close(db);
			accesslog_close();
			return 1;
		}
		if (r > 0)
			o->listen = listen;
	}
	char public_url[320];
	snprintf(public_url, sizeof(public_url), "http://%s", o->listen);
	size_t pl = strlen(public_url);
	while (pl > 8 && public_url[pl - 1] == '/')
		public_url[--pl] = '\0';
	struct site_config sc = {o->exit_url, o->public_url ? o->public_url : public_url, o->i18n_dir};
	if (site_init(db, &sc) < 0) {
		db_close(db);
		accesslog_close();
		return 1;
	}
	metrics_init(o->metrics_token);
	if (api_init(db) < 0 || hsdsapi_init() < 0) {
		site_free();
		db_close(db);
		accesslog_close();
		return 1;
	}
	cache_set_budget((size_t)strtoul(o->cache_mb, NULL, 10) << 20);
	int npages = site_warm_start();
	if (npages < 0) {
		fprintf(stderr, "vrc serve: the error pages cannot be rendered; not starting\n");
		site_free();
		db_close(db);
		return 1;
	}
	struct auth_config ac = {
	    .idle_s = o->session_idle ? atoll(o->session_idle) : 0,
	    .max_s = o->session_max ? atoll(o->session_max) : 0,
	};
	if (auth_init(db, &ac) < 0 ||
	    publish_scheduler_start(db, o->schedule_every ? (unsigned)strtoul(o->schedule_every, NULL, 10)
	                                                  : 30) < 0) {
		site_free();
		db_close(db);
		accesslog_close();
		return 1;
	}
	struct upload_config uc = {db, o->uploads, (size_t)strtoul(o->max_upload, NULL, 10) << 20};
	struct search_config sc2 = {db, (unsigned)strtoul(o->search_limit, NULL, 10)};
	if (upload_init(&uc) < 0 || search_init(&sc2) < 0) {
		auth_free();
		site_free();
		db_close(db);
		accesslog_close();
		return 1;
	}
	struct server_config cfg = {
	    .listen = o->listen,
	    .threads = o->threads ? (unsigned)strtoul(o->threads, NULL, 10) : 0, /* checked by parse_flags */
	    .per_ip_limit = (unsigned)strtoul(o->per_ip, NULL, 10),
	    .max_connections = o->max_conns ? (unsigned)strtoul(o->max_conns, NULL, 10) : 0,
	    .timeout_s = 30,
	    .max_body = 1 << 20,
	    .max_url = 2048,
	    .max_headers = 8192,
	    .body_limit = routes_body_limit,
	    .handle = routes_handle,
	    .error = routes_error,
	    .done = metrics_request,
	    .lookup = routes_lookup,
	    .served = routes_served,
	    .fast_off = o->fast_path && strcmp(o->fast_path, "off") == 0,
	    .always = routes_security_headers,
	    .nalways = routes_nsecurity_headers,
	};
	struct server *s = server_start(&cfg), *ms = NULL;
	if (s && o->metrics_listen) {
		struct server_config mc = {.listen = o->metrics_listen,
		                           .threads = 2,
		                           .per_ip_limit = 16,
		                           .timeout_s = 10,
		                           .max_body = 0,
		                           .max_url = 256,
		                           .max_headers = 8192,
		                           .handle = metrics_handle,
		                           .error = metrics_error};
		ms = server_start(&mc);
		if (!ms) {
			server_stop(s);
			s = NULL;
		}
	}
	if (!s) {
		publish_scheduler_stop();
		auth_free();
		site_free();
		db_close(db);
		accesslog_close();
		return 1;
	}
	char host[256];
	snprintf(host, sizeof(host), "%.*s", (int)(strrchr(o->listen, ':') - o->listen), o->listen);
	log_info("vrc %s serving %d pages (warming in the background) on http://%s:%u/", VRC_VERSION, npages,
	         host, server_port(s));
	if (ms)
		log_info("vrc metrics on http://%.*s:%u/metrics",
		         (int)(strrchr(o->metrics_listen, ':') - o->metrics_listen), o->metrics_listen,
		         server_port(ms));
	wait_for_stop(&set);
	server_stop(ms);
	server_stop(s);
	publish_scheduler_stop();
	search_free();
	accesslog_close();
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

static int cmd_community(struct opts *o)
{
	if (i18n_init() < 0 || (o->i18n_dir && i18n_load_dir(o->i18n_dir) < 0))
		return 1;
	struct db *db = open_db(o);
	int rc = 1;
	if (db) {
		o->community.name = o->staff.name;
		rc = communitycli_run(db, o->sub, &o->community);
		db_close(db);
	}
	i18n_free();
	return rc;
}

static int cmd_token(struct opts *o)
{
	struct db *db = open_db(o);
	if (!db)
		return 1;
	struct tokencli_args ta = {o->staff.user, o->staff.name, o->token_id};
	int rc = tokencli_run(db, o->sub, &ta);
	db_close(db);
	return rc;
}

static int cmd_export(struct opts *o)
{
	if (!o->out) {
		fprintf(stderr, "vrc export: --out DIR is required\n");
		return 2;
	}
	struct db *db = open_db(o);
	if (!db)
		return 1;
	struct site_config sc = {o->exit_url, o->public_url, o->i18n_dir};
	int rc = 1;
	if (site_init(db, &sc) == 0) {
		rc = export_run(db, o->out, o->threads ? (unsigned)strtoul(o->threads, NULL, 10) : 0,
		                !o->precompress || strcmp(o->precompress, "on") == 0);
		site_free();
	}
	db_close(db);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(struct opts *);
	bool sub; /* takes a subcommand word before its flags */
} commands[] = {
    {"serve", cmd_serve, false}, {"init", cmd_init, false},     {"lint", cmd_lint, false},
    {"user", cmd_user, true},    {"audit", cmd_audit, false},   {"community", cmd_community, true},
    {"token", cmd_token, true},  {"export", cmd_export, false},
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
	                 .per_ip = "256",
	                 .search_limit = "60",
	                 .uploads = "var/uploads",
	                 .max_upload = "32",
	                 .cache_mb = "48"};
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
