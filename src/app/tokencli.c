/* API tokens from the command line. A token is "vrc_" and 43 random base64url characters; only its
 * BLAKE2b hash is stored, so it is printed once and can never be shown again. Audit entries name the
 * token by id and name, never by its value. */
#include "app/tokencli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/secret.h"
#include "base/arena.h"
#include "base/utf8.h"
#include "model/audit.h"
#include "model/token.h"
#include "model/user.h"

enum { NAME_MAX_CHARS = 100, HINT_LEN = 8 };

struct ctx {
	struct db *db;
	struct arena *a;
	const struct tokencli_args *args;
};

/* after: the token's account, as JSON (never the token). */
static void audit(struct ctx *c, const char *action, int64_t id, const struct user *u, const char *name)
{
	json_t *j =
	    json_pack("{s:s, s:s, s:s}", "user", u->email, "role", user_role_name(u->role), "name", name);
	char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	const char *who = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
	struct audit_entry e = {.actor_email = arena_printf(c->a, "cli:%s", who ? who : "unknown"),
	                        .action = action,
	                        .object_type = "api_token",
	                        .object_id = arena_printf(c->a, "%lld", (long long)id),
	                        .after = after,
	                        .remote = "cli"};
	audit_write(c->db, &e);
	free(after);
}

/* A name people can read in lists: UTF-8, no control characters, 1-100 characters. */
static bool name_ok(const char *s)
{
	if (!s || !*s || !utf8_valid(s, strlen(s)) || utf8_len(s, strlen(s)) > NAME_MAX_CHARS)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static struct user *account(struct ctx *c, const char *cmd)
{
	if (!c->args->user) {
		fprintf(stderr, "vrc token %s: --user needs the account's email\n", cmd);
		return NULL;
	}
	struct user *u = user_find_email(c->db, c->a, user_email_normal(c->a, c->args->user));
	if (!u)
		fprintf(stderr, "vrc token %s: no account %s\n", cmd, c->args->user);
	return u;
}

static int sub_create(struct ctx *c)
{
	struct user *u = account(c, "create");
	if (!u)
		return 1;
	if (u->disabled) {
		fprintf(stderr, "vrc token create: %s is disabled\n", u->email);
		return 1;
	}
	if (!name_ok(c->args->name)) {
		fprintf(stderr,
		        "vrc token create: --name must say what the token is for (1-%d characters, "
		        "no control characters)\n",
		        NAME_MAX_CHARS);
		return 1;
	}
	if (secret_init() < 0)
		return 1;
	char raw[SECRET_TOKEN_LEN + 1], hash[SECRET_HASH_LEN + 1];
	secret_token(raw);
	const char *token = arena_printf(c->a, "vrc_%s", raw);
	secret_hash(token, NULL, hash);
	int64_t id =
	    token_create(c->db, u->id, c->args->name, hash, arena_printf(c->a, "%.*s", HINT_LEN, token));
	if (id < 0) {
		fprintf(stderr, "vrc token create: the token could not be stored\n");
		return 1;
	}
	audit(c, "token_create", id, u, c->args->name);
	fprintf(stderr,
	        "vrc token: token %lld \"%s\" for %s (%s) created; it is shown this once (only its hash is "
	        "kept):\n",
	        (long long)id, c->args->name, u->email, user_role_name(u->role));
	printf("%s\n", token);
	return 0;
}

static int sub_list(struct ctx *c)
{
	int64_t uid = 0;
	if (c->args->user) {
		struct user *u = account(c, "list");
		if (!u)
			return 1;
		uid = u->id;
	}
	struct api_token *ts;
	size_t n = token_list(c->db, c->a, uid, &ts);
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%s...\tcreated %s\tused %s\t%s\n", (long long)ts[i].id, ts[i].email,
		       ts[i].name, ts[i].hint, ts[i].created_at,
		       ts[i].last_used_at ? ts[i].last_used_at : "never",
		       ts[i].revoked_at ? arena_printf(c->a, "revoked %s", ts[i].revoked_at) : "active");
	return 0;
}

static int sub_revoke(struct ctx *c)
{
	const char *v = c->args->id;
	if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 18) {
		fprintf(stderr, "vrc token revoke: --id needs a token's number (see vrc token list)\n");
		return 1;
	}
	int64_t id = strtoll(v, NULL, 10);
	struct api_token *t = token_get(c->db, c->a, id);
	int rc = t ? token_revoke(c->db, id) : 0;
	if (rc < 0)
		return 1;
	if (rc == 0) {
		fprintf(stderr, "vrc token revoke: no active token %s\n", v);
		return 1;
	}
	struct user *u = user_find(c->db, c->a, t->user_id);
	if (u)
		audit(c, "token_revoke", id, u, t->name);
	printf("vrc token: token %lld \"%s\" of %s revoked\n", (long long)id, t->name, t->email);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *);
} subs[] = {
    {"create", sub_create},
    {"list", sub_list},
    {"revoke", sub_revoke},
};

int tokencli_run(struct db *db, const char *sub, const struct tokencli_args *args)
{
	for (size_t i = 0; sub && i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(sub, subs[i].name) != 0)
			continue;
		struct ctx c = {db, arena_new(), args};
		int rc = subs[i].fn(&c);
		arena_free(c.a);
		return rc;
	}
	fprintf(stderr, "vrc token: unknown subcommand '%s' (create, list, revoke)\n", sub ? sub : "");
	return 2;
}
