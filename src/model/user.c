/* Account storage. Passwords and recovery codes arrive here already hashed (app/password.c,
 * app/secret.c): this file never sees a secret in the clear. */
#include "model/user.h"

#include <string.h>

#include "base/buf.h"

static const char *const role_names[] = {
    [ROLE_NONE] = "",
    [ROLE_ADMIN] = "admin",
    [ROLE_EDITOR] = "editor",
    [ROLE_REVIEWER] = "reviewer",
    [ROLE_COMMUNITY_EDITOR] = "community_editor",
};

enum user_role user_role_parse(const char *name)
{
	for (size_t i = 1; name && i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcmp(name, role_names[i]) == 0)
			return (enum user_role)i;
	return ROLE_NONE;
}

const char *user_role_name(enum user_role role)
{
	return (size_t)role < sizeof(role_names) / sizeof(role_names[0]) ? role_names[role] : "";
}

const char *user_role_text(struct arena *a, const struct user *u)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, user_role_name(u->role));
	for (size_t i = 0; i < u->ncommunities; i++)
		buf_printf(&b, "%s%s", i ? ", " : ": ", u->communities[i]);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

bool user_email_valid(const char *email)
{
	if (!email)
		return false;
	size_t n = strlen(email);
	const char *at = strchr(email, '@');
	if (n == 0 || n > USER_EMAIL_MAX || !at || at == email || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)email; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == ',')
			return false;
	return true;
}

char *user_email_normal(struct arena *a, const char *email)
{
	struct str s = str_trim(str_c(email));
	char *out = arena_strndup(a, s.p, s.len);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

static const char *dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static int run(struct db_stmt *st)
{
	if (!st)
		return -1;
	int rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* A statement that must change a row (it ends in RETURNING): 0 when it did, -1 otherwise. */
static int run_one(struct db_stmt *st)
{
	if (!st)
		return -1;
	int rc = db_step(st);
	db_finalize(st);
	return rc == 1 ? 0 : -1;
}

#define USER_COLS                                                                                            \
	"id, email, name, role, password_hash, must_change, disabled, totp_secret, totp_step FROM users "

static void load_communities(struct db *db, struct arena *a, struct user *u)
{
	struct db_stmt *st = db_prepare(db, "SELECT community_slug FROM user_community WHERE user_id = ? "
	                                    "ORDER BY community_slug");
	if (!st)
		return;
	db_bind_int(st, 1, u->id);
	while (u->ncommunities < USER_MAX_COMMUNITIES && db_step(st) == 1)
		u->communities[u->ncommunities++] = dup(a, db_col_text(st, 0));
	db_finalize(st);
}

static void from_row(struct db_stmt *st, struct arena *a, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_col_int(st, 0);
	u->email = dup(a, db_col_text(st, 1));
	u->name = dup(a, db_col_text(st, 2));
	u->role = user_role_parse(db_col_text(st, 3));
	u->password_hash = dup(a, db_col_text(st, 4));
	u->must_change = db_col_int(st, 5) != 0;
	u->disabled = db_col_int(st, 6) != 0;
	u->totp_secret = dup(a, db_col_text(st, 7));
	u->totp_step = db_col_int(st, 8);
}

/* The one account a prepared statement selects, or NULL. */
static struct user *find_one(struct db *db, struct arena *a, struct db_stmt *st)
{
	struct user *u = NULL;
	if (st && db_step(st) == 1) {
		u = arena_alloc(a, sizeof(*u));
		from_row(st, a, u);
	}
	db_finalize(st);
	if (u)
		load_communities(db, a, u);
	return u;
}

struct user *user_find_email(struct db *db, struct arena *a, const char *email)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS "WHERE email = ?");
	if (st)
		db_bind_text(st, 1, email);
	return find_one(db, a, st);
}

struct user *user_find(struct db *db, struct arena *a, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS "WHERE id = ?");
	if (st)
		db_bind_int(st, 1, id);
	return find_one(db, a, st);
}

size_t user_list(struct db *db, struct arena *a, struct user **out)
{
	size_t n = 0, cap = 16;
	*out = arena_alloc(a, cap * sizeof(**out));
	struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS "ORDER BY email");
	while (st && db_step(st) == 1) {
		if (n == cap) {
			struct user *bigger = arena_alloc(a, 2 * cap * sizeof(*bigger));
			memcpy(bigger, *out, n * sizeof(*bigger));
			*out = bigger, cap *= 2;
		}
		from_row(st, a, &(*out)[n++]);
	}
	db_finalize(st);
	for (size_t i = 0; i < n; i++)
		load_communities(db, a, &(*out)[i]);
	return n;
}

int64_t user_count(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM users");
	int64_t n = st && db_step(st) == 1 ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}

static int set_communities(struct db *db, int64_t id, const char *const *communities, size_t n)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM user_community WHERE user_id = ?");
	if (st)
		db_bind_int(st, 1, id);
	if (run(st) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(
		    db, "INSERT OR IGNORE INTO user_community(user_id, community_slug) VALUES (?, ?)");
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, communities[i]);
		if (run(st) < 0)
			return -1;
	}
	return 0;
}

int64_t user_create(struct db *db, const struct user *u, const char *hash)
{
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO users(email, name, role, password_hash, must_change) "
	                   "VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return -1;
	db_bind_text(st, 1, u->email);
	db_bind_text(st, 2, u->name ? u->name : "");
	db_bind_text(st, 3, user_role_name(u->role));
	db_bind_text(st, 4, hash);
	db_bind_int(st, 5, u->must_change);
	if (run(st) < 0)
		return -1;
	int64_t id = db_last_id(db);
	return set_communities(db, id, u->communities, u->ncommunities) < 0 ? -1 : id;
}

int user_set_password(struct db *db, int64_t id, const char *hash, bool must_change)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE users SET password_hash = ?, must_change = ?, updated_at = "
	                   "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, must_change);
	db_bind_int(st, 3, id);
	return run_one(st);
}

int user_set_role(struct db *db, int64_t id, enum user_role role, const char *const *communities, size_t n)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE users SET role = ?, updated_at = "
	                   "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, user_role_name(role));
	db_bind_int(st, 2, id);
	if (run_one(st) < 0)
		return -1;
	return set_communities(db, id, communities, role == ROLE_COMMUNITY_EDITOR ? n : 0);
}

int user_set_disabled(struct db *db, int64_t id, bool disabled)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE users SET disabled = ?, updated_at = "
	                   "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? RETURNING id");
	if (!st)
		return -1;
	db_bind_int(st, 1, disabled);
	db_bind_int(st, 2, id);
	return run_one(st);
}

int user_set_totp(struct db *db, int64_t id, const char *secret, int64_t step)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE users SET totp_secret = ?, totp_step = ? WHERE id = ? RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, secret);
	db_bind_int(st, 2, step);
	db_bind_int(st, 3, id);
	return run_one(st);
}

int user_advance_totp(struct db *db, int64_t id, int64_t step)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE users SET totp_step = ? WHERE id = ? AND totp_step < ? RETURNING id");
	if (!st)
		return -1;
	db_bind_int(st, 1, step);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, step);
	return run_one(st);
}

int user_recovery_replace(struct db *db, int64_t id, const char *const *hashes, size_t n)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM recovery_code WHERE user_id = ?");
	if (st)
		db_bind_int(st, 1, id);
	if (run(st) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		st = db_prepare(db, "INSERT INTO recovery_code(user_id, code_hash) VALUES (?, ?)");
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, hashes[i]);
		if (run(st) < 0)
			return -1;
	}
	return 0;
}

int user_recovery_use(struct db *db, int64_t id, const char *hash)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE recovery_code SET used_at = strftime('%Y-%m-%dT%H:%M:%SZ', "
	                   "'now') WHERE user_id = ? AND code_hash = ? AND used_at IS NULL "
	                   "RETURNING user_id");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, hash);
	return run_one(st);
}

int64_t user_recovery_left(struct db *db, int64_t id)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT count(*) FROM recovery_code WHERE user_id = ? AND used_at "
	                   "IS NULL");
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int64_t n = db_step(st) == 1 ? db_col_int(st, 0) : -1;
	db_finalize(st);
	return n;
}
