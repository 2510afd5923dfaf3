/* The audit viewer. Filters come in a GET form, so a filtered view is a link that can be shared. */
#include "app/auditlog.h"

#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/user.h"

/* A filter value: trimmed, NULL when empty; an error when it is not text or too long. */
static const char *value(struct arena *a, const char *s, const char *field, size_t max,
                         struct console_errors *e)
{
	if (!s)
		return NULL;
	if (!utf8_valid(s, strlen(s)) || strlen(s) > max) {
		console_error(e, field, "err_filter");
		return arena_strdup(a, "");
	}
	struct str t = str_trim(str_c(s));
	return t.len ? arena_strndup(a, t.p, t.len) : NULL;
}

static const char *date(struct arena *a, const char *s, const char *field, struct console_errors *e)
{
	const char *v = value(a, s, field, 10, e);
	if (v && *v && !date_valid(str_c(v)))
		console_error(e, field, "err_date");
	return v;
}

void auditlog_parse(struct arena *a, const struct auditlog_query *q, struct audit_filter *f,
                    struct console_errors *e)
{
	memset(f, 0, sizeof(*f));
	const char *email = value(a, q->email, "email", 254, e);
	f->email = email && *email ? user_email_normal(a, email) : NULL;
	f->action = value(a, q->action, "action", 64, e);
	f->object_type = value(a, q->type, "type", 64, e);
	f->from = date(a, q->from, "from", e);
	f->to = date(a, q->to, "to", e);
	if (f->from && f->to && !console_error_of(e, "from") && !console_error_of(e, "to") &&
	    strcmp(f->from, f->to) > 0)
		console_error(e, "to", "err_date_order");
	long page = console_number(q->page, 1, 1000000);
	f->limit = AUDITLOG_PAGE;
	f->offset = (size_t)(page > 0 ? page - 1 : 0) * AUDITLOG_PAGE;
}

/* JSON text indented for reading; other text as it is. */
static const char *readable(struct arena *a, const char *s)
{
	if (!s || !*s)
		return NULL;
	json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
	if (!j || (!json_is_object(j) && !json_is_array(j))) {
		json_decref(j);
		return s;
	}
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	const char *out = arena_strdup(a, text ? text : s);
	free(text);
	return out;
}

json_t *auditlog_entry_json(struct request *req, const struct audit_entry *e)
{
	const char *object = e->object_type
	                         ? arena_printf(req->arena, "%s%s%s", e->object_type,
	                                        e->object_id ? ": " : "", e->object_id ? e->object_id : "")
	                         : NULL;
	const char *before = readable(req->arena, e->before), *after = readable(req->arena, e->after);
	return json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:b}", "id", (json_int_t)e->id, "at",
	                 e->at ? e->at : "", "who", e->actor_email, "action", e->action ? e->action : "",
	                 "object", object, "remote", e->remote, "before", before, "after", after, "changes",
	                 before || after);
}

static json_t *options_json(struct request *req, const char *column, const char *sel)
{
	const char **v;
	size_t n = audit_values(auth_db(), req->arena, column, &v);
	json_t *o = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    o, json_pack("{s:s, s:b}", "value", v[i], "selected", sel && strcmp(sel, v[i]) == 0));
	return o;
}

static const char *err_text(struct request *req, const struct console_errors *e, const char *field)
{
	const char *key = console_error_of(e, field);
	return key ? admin_text(auth_of(req)->lang, key) : NULL;
}

static json_t *filter_json(struct request *req, const struct auditlog_query *q,
                           const struct console_errors *e)
{
	static const char *const fields[] = {"email", "from", "to", "action", "type"};
	const char *raw[] = {q->email, q->from, q->to, q->action, q->type};
	json_t *f = json_object();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = raw[i] && utf8_valid(raw[i], strlen(raw[i])) ? raw[i] : "";
		const char *err = err_text(req, e, fields[i]);
		json_object_set_new(f, fields[i],
		                    json_pack("{s:s, s:s?, s:s, s:s}", "value", v, "error", err, "invalid",
		                              err ? "true" : "false", "describedby",
		                              err ? arena_printf(req->arena, "%s-error", fields[i]) : ""));
	}
	return f;
}

int auditlog_page(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	if (!auth_can(st->user, AUTH_MANAGE, &(struct auth_object){"audit", NULL}))
		return admin_error(req, resp, 403, "err_role");
	struct auditlog_query q = {request_query(req, "email"), request_query(req, "action"),
	                           request_query(req, "type"),  request_query(req, "from"),
	                           request_query(req, "to"),    request_query(req, "page")};
	struct audit_filter f;
	struct console_errors e = {0};
	auditlog_parse(req->arena, &q, &f, &e);
	json_t *rows = json_array();
	bool more = false;
	size_t page = f.offset / AUDITLOG_PAGE + 1;
	if (!e.n) {
		struct audit_entry *es;
		size_t n = audit_query(auth_db(), req->arena, &f, &es, &more);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(rows, auditlog_entry_json(req, &es[i]));
	}
	json_t *d = json_pack(
	    "{s:s, s:o, s:o, s:o, s:o, s:b, s:I, s:I, s:I, s:b, s:s?, s:s}", "title",
	    admin_text(st->lang, "audit"), "entries", rows, "f", filter_json(req, &q, &e), "actions",
	    options_json(req, "action", f.action), "types", options_json(req, "object_type", f.object_type),
	    "more", more, "page", (json_int_t)page, "next", (json_int_t)page + 1, "prev",
	    (json_int_t)page - 1, "has_prev", page > 1, "alert",
	    e.n ? admin_text(st->lang, "err_fix_below") : NULL, "action_url", "/admin/audit");
	json_object_set_new(d, "empty",
	                    json_boolean(json_array_size(json_object_get(d, "entries")) == 0 && !e.n));
	return admin_render(req, resp, e.n ? 400 : 200, "admin/audit", d);
}
