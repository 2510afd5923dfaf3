/* Accounts from the command line, for the first admin, scripts and emergencies. Every change writes an
 * audit entry whose actor is "cli:<login name>" from address "cli". */
#include "app/staffcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/password.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/slug.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/user.h"

struct ctx {
	struct db *db;
	struct arena *a;
	const struct staffcli_args *args;
};

static const char *actor(struct arena *a)
{
	const char *who = getenv("SUDO_USER");
	if (!who)
		who = getenv("USER");
	return arena_printf(a, "cli:%s", who ? who : "unknown");
}

static void audit(struct ctx *c, const char *action, int64_t id, const char *before, const char *after)
{
	struct audit_entry e = {.actor_email = actor(c->a),
	                        .action = action,
	                        .object_type = "user",
	                        .object_id = arena_printf(c->a, "%lld", (long long)id),
	                        .before = before,
	                        .after = after,
	                        .remote = "cli"};
	audit_write(c->db, &e);
}

/* ---- reading a password */

/* One line from stdin without its line ending, echo off on a terminal; NULL at end of input. */
static char *read_line(struct arena *a, const char *prompt)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char line[1024];
	char *got = fgets(line, sizeof(line), stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return arena_strdup(a, line);
}

/* The new password into pw (generated when none is given; *generated says so). 0, or -1 after
 * saying why it cannot be used. */
static int get_password(struct ctx *c, const char *email, char **pw, bool *generated)
{
	char *first = read_line(c->a, "Password (empty: generate a one-time password): ");
	*generated = !first || !*first;
	if (*generated) {
		*pw = arena_alloc(c->a, PASSWORD_GENERATED + 1);
		password_generate(*pw);
		return 0;
	}
	if (isatty(STDIN_FILENO)) {
		char *again = read_line(c->a, "The same password again: ");
		if (!again || strcmp(again, first) != 0) {
			fprintf(stderr, "vrc user: the two passwords differ\n");
			return -1;
		}
	}
	static const char *const why[][2] = {
	    {"pw_short", "is shorter than 12 characters"},
	    {"pw_long", "is longer than 128 characters"},
	    {"pw_common", "is one of the most common passwords"},
	    {"pw_email", "is the account's email address"},
	};
	const char *problem = utf8_valid(first, strlen(first)) ? password_problem(first, email) : "pw_short";
	for (size_t i = 0; problem && i < sizeof(why) / sizeof(why[0]); i++) {
		if (strcmp(problem, why[i][0]) == 0) {
			fprintf(stderr, "vrc user: that password %s\n", why[i][1]);
			return -1;
		}
	}
	*pw = first;
	return 0;
}

static void print_password(const char *email, const char *pw)
{
	printf("one-time password for %s: %s\n"
	       "It is shown only now, and must be changed at the first sign-in.\n",
	       email, pw);
}

/* ---- subcommands */

/* The account named by --email, or NULL after saying why. */
static struct user *target(struct ctx *c)
{
	if (!c->args->email) {
		fprintf(stderr, "vrc user: --email is needed\n");
		return NULL;
	}
	struct user *u = user_find_email(c->db, c->a, user_email_normal(c->a, c->args->email));
	if (!u)
		fprintf(stderr, "vrc user: no account %s\n", c->args->email);
	return u;
}

/* --role and --community into u; -1 after saying what is wrong. */
static int parse_role(struct ctx *c, struct user *u)
{
	u->role = user_role_parse(c->args->role);
	if (u->role == ROLE_NONE) {
		fprintf(stderr, "vrc user: --role must be admin, editor, reviewer or community_editor\n");
		return -1;
	}
	u->ncommunities = 0;
	for (const char *p = c->args->community; p && *p;) {
		size_t n = strcspn(p, ", ");
		if (n && (u->ncommunities == USER_MAX_COMMUNITIES || !slug_valid((struct str){p, n}))) {
			fprintf(stderr, "vrc user: '%.*s' is not a community slug\n", (int)n, p);
			return -1;
		}
		if (n)
			u->communities[u->ncommunities++] = arena_strndup(c->a, p, n);
		p += n + strspn(p + n, ", ");
	}
	if ((u->role == ROLE_COMMUNITY_EDITOR) != (u->ncommunities > 0)) {
		fprintf(stderr,
		        "vrc user: --community goes with --role community_editor, and only with it\n");
		return -1;
	}
	return 0;
}

static int create(struct ctx *c, struct user *u)
{
	char *pw, hash[PASSWORD_HASH_MAX];
	bool generated;
	if (get_password(c, u->email, &pw, &generated) < 0)
		return 1;
	u->must_change = generated;
	if (password_hash(pw, hash) < 0)
		return 1;
	int64_t id = user_create(c->db, u, hash);
	if (id < 0) {
		fprintf(stderr, "vrc user: could not create %s (does it exist already?)\n", u->email);
		return 1;
	}
	u->id = id;
	audit(c, "user_create", id, NULL, user_role_text(c->a, u));
	printf("vrc user: created %s (%s, id %lld)\n", u->email, user_role_text(c->a, u), (long long)id);
	if (generated)
		print_password(u->email, pw);
	return 0;
}

static int sub_add(struct ctx *c)
{
	struct user u = {0};
	if (!c->args->email || !user_email_valid(user_email_normal(c->a, c->args->email))) {
		fprintf(stderr, "vrc user add: --email needs an address like name@example.org\n");
		return 1;
	}
	u.email = user_email_normal(c->a, c->args->email);
	u.name = c->args->name ? c->args->name : "";
	if (!utf8_valid(u.name, strlen(u.name))) {
		fprintf(stderr, "vrc user add: --name must be UTF-8 text\n");
		return 1;
	}
	if (parse_role(c, &u) < 0)
		return 1;
	return create(c, &u);
}

static int sub_ensure_admin(struct ctx *c)
{
	int64_t n = user_count(c->db);
	if (n != 0) {
		if (n > 0)
			printf("vrc user: %lld account(s) exist; no admin created\n", (long long)n);
		return n < 0 ? 1 : 0;
	}
	struct user u = {.email =
	                     user_email_normal(c->a, c->args->email ? c->args->email : "admin@localhost"),
	                 .name = c->args->name ? c->args->name : "",
	                 .role = ROLE_ADMIN};
	if (!user_email_valid(u.email))
		return 1;
	/* Never read a password here: `make run` calls this, and the first admin gets a one-time one. */
	char pw[PASSWORD_GENERATED + 1], hash[PASSWORD_HASH_MAX];
	password_generate(pw);
	u.must_change = true;
	int64_t id = password_hash(pw, hash) == 0 ? user_create(c->db, &u, hash) : -1;
	if (id < 0)
		return 1;
	audit(c, "user_create", id, NULL, "admin");
	printf("vrc user: created the first admin, %s; sign in at /admin/login\n", u.email);
	print_password(u.email, pw);
	return 0;
}

static int sub_list(struct ctx *c)
{
	struct user *us;
	size_t n = user_list(c->db, c->a, &us);
	printf("%-4s %-32s %-28s %-24s %s\n", "id", "email", "role", "name", "state");
	for (size_t i = 0; i < n; i++)
		printf("%-4lld %-32s %-28s %-24s %s%s%s\n", (long long)us[i].id, us[i].email,
		       user_role_text(c->a, &us[i]), us[i].name, us[i].disabled ? "disabled " : "",
		       us[i].totp_secret ? "2fa " : "", us[i].must_change ? "must-change-password" : "");
	return 0;
}

static int set_disabled(struct ctx *c, bool disabled)
{
	struct user *u = target(c);
	if (!u || user_set_disabled(c->db, u->id, disabled) < 0)
		return 1;
	if (disabled)
		session_delete_user(c->db, u->id, 0);
	audit(c, disabled ? "user_disable" : "user_enable", u->id, u->disabled ? "disabled" : "enabled",
	      disabled ? "disabled" : "enabled");
	printf("vrc user: %s %s\n", u->email, disabled ? "disabled and signed out" : "enabled");
	return 0;
}

static int sub_disable(struct ctx *c)
{
	return set_disabled(c, true);
}

static int sub_enable(struct ctx *c)
{
	return set_disabled(c, false);
}

static int sub_role(struct ctx *c)
{
	struct user *u = target(c), nu;
	if (!u)
		return 1;
	nu = *u;
	if (parse_role(c, &nu) < 0 ||
	    user_set_role(c->db, u->id, nu.role, (const char *const *)nu.communities, nu.ncommunities) < 0)
		return 1;
	audit(c, "role_change", u->id, user_role_text(c->a, u), user_role_text(c->a, &nu));
	printf("vrc user: %s is now %s\n", u->email, user_role_text(c->a, &nu));
	return 0;
}

static int sub_reset_password(struct ctx *c)
{
	struct user *u = target(c);
	char *pw, hash[PASSWORD_HASH_MAX];
	bool generated;
	if (!u || get_password(c, u->email, &pw, &generated) < 0 || password_hash(pw, hash) < 0)
		return 1;
	if (user_set_password(c->db, u->id, hash, generated) < 0)
		return 1;
	session_delete_user(c->db, u->id, 0);
	audit(c, "password_reset", u->id, NULL, generated ? "one-time password" : "password set");
	printf("vrc user: new password for %s; its sessions are ended\n", u->email);
	if (generated)
		print_password(u->email, pw);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *);
} subs[] = {
    {"add", sub_add},
    {"list", sub_list},
    {"disable", sub_disable},
    {"enable", sub_enable},
    {"role", sub_role},
    {"reset-password", sub_reset_password},
    {"ensure-admin", sub_ensure_admin},
};

int staffcli_user(struct db *db, const char *sub, const struct staffcli_args *args)
{
	for (size_t i = 0; sub && i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(sub, subs[i].name) != 0)
			continue;
		if (password_init() < 0)
			return 1;
		struct ctx c = {db, arena_new(), args};
		int rc = subs[i].fn(&c);
		arena_free(c.a);
		return rc;
	}
	fprintf(stderr,
	        "vrc user: unknown subcommand '%s' (add, list, disable, enable, role, reset-password, "
	        "ensure-admin)\n",
	        sub ? sub : "");
	return 2;
}

int staffcli_audit(struct db *db, const struct staffcli_args *args)
{
	struct arena *a = arena_new();
	struct audit_entry *es;
	const char *email = args->user ? user_email_normal(a, args->user) : NULL;
	size_t n = audit_list(db, a, args->since, email, 1000000, &es);
	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\t%s\t%s:%s\t%s\t%s\t%s\n", es[i].at,
		       es[i].actor_email ? es[i].actor_email : "-", es[i].action,
		       es[i].object_type ? es[i].object_type : "-", es[i].object_id ? es[i].object_id : "-",
		       es[i].before ? es[i].before : "-", es[i].after ? es[i].after : "-",
		       es[i].remote ? es[i].remote : "-");
	arena_free(a);
	return 0;
}
