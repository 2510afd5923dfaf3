/* The console's history of a library resource: its revisions, two of them (or one and the live text)
 * compared field by field and line by line, a restored revision as a new draft, and the conflict
 * page a save over a newer version gets, which keeps both texts (src/model/revision.h). */
#include "app/edit.h"
#include "app/edit_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/publish.h"
#include "base/buf.h"
#include "base/diff.h"
#include "base/log.h"
#include "model/revision.h"

static json_t *compare_json(struct request *req, const struct resource *x, const struct resource *y)
{
	json_t *fields = json_array();
	const char *label, *a, *b;
	for (size_t i = 0; (label = edit_text_field(i, x, &a)) && edit_text_field(i, y, &b); i++) {
		json_array_append_new(fields,
		                      json_pack("{s:o, s:o, s:o, s:b}", "label", edit_js(edit_tx(req, label)),
		                                "left", edit_js(a), "right", edit_js(b), "changed",
		                                strcmp(a ? a : "", b ? b : "") != 0));
	}
	const char *names[] = {"topic", "type", "stage"};
	const char *xs[] = {x->topic, x->type, x->stage}, *ys[] = {y->topic, y->type, y->stage};
	for (size_t i = 0; i < 3; i++)
		json_array_append_new(
		    fields, json_pack("{s:o, s:o, s:o, s:b}", "label",
		                      edit_js(edit_tx(req, arena_printf(req->arena, "res_f_%s", names[i]))),
		                      "left", edit_js(xs[i]), "right", edit_js(ys[i]), "changed",
		                      strcmp(xs[i] ? xs[i] : "", ys[i] ? ys[i] : "") != 0));
	struct buf sx = BUF_INIT, sy = BUF_INIT;
	for (size_t i = 0; i < x->nsources; i++)
		buf_printf(&sx, "%s%s <%s>", i ? "; " : "", x->sources[i].title, x->sources[i].url);
	for (size_t i = 0; i < y->nsources; i++)
		buf_printf(&sy, "%s%s <%s>", i ? "; " : "", y->sources[i].title, y->sources[i].url);
	json_array_append_new(fields,
	                      json_pack("{s:o, s:o, s:o, s:b}", "label", edit_js(edit_tx(req, "res_sources")),
	                                "left", edit_js(sx.p), "right", edit_js(sy.p), "changed",
	                                strcmp(sx.p ? sx.p : "", sy.p ? sy.p : "") != 0));
	buf_free(&sx);
	buf_free(&sy);
	size_t n;
	struct diff_line *d = diff_lines(req->arena, x->body, y->body, &n);
	json_t *lines = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(lines, json_pack("{s:b, s:b, s:b, s:o}", "same", d[i].op == DIFF_SAME,
		                                       "del", d[i].op == DIFF_DEL, "add", d[i].op == DIFF_ADD,
		                                       "text", edit_js(d[i].text)));
	return json_pack("{s:o, s:o}", "fields", fields, "lines", lines);
}

int edit_conflict(struct request *req, struct response *resp, const struct resource *live,
                  struct revision *open, const struct resource *mine)
{
	const struct user *u = auth_of(req)->user;
	/* Neither text is lost: the newer one is the open draft (or the live text); this one is kept as a
	 * revision in state conflict, to compare and restore. */
	int64_t id = revision_add(auth_db(), live->id, mine, "conflict", u->id, u->email,
	                          "saved over a newer version");
	edit_audit_resource(req, "resource_conflict", live->slug, open ? &open->r : live, mine);
	if (id < 0)
		return admin_error(req, resp, 500, "err_internal");
	json_t *d = compare_json(req, open ? &open->r : live, mine);
	json_object_set_new(
	    d, "title",
	    edit_js(arena_printf(req->arena, "%s: %s", edit_tx(req, "conflict_title"), live->title)));
	json_object_set_new(d, "compare_caption", edit_js(edit_tx(req, "conflict_caption")));
	json_object_set_new(d, "left_label", edit_js(edit_tx(req, "conflict_theirs")));
	json_object_set_new(d, "right_label", edit_js(edit_tx(req, "conflict_mine")));
	json_object_set_new(d, "edit_url", edit_js(edit_url(req, live->slug)));
	json_object_set_new(
	    d, "revisions_url",
	    edit_js(admin_url(req, arena_printf(req->arena, "/admin/resources/%s/revisions", live->slug))));
	log_warn("edit: conflict on %s: %s saved over a newer version; kept as revision %lld", live->slug,
	         u->email, (long long)id);
	return admin_render(req, resp, 409, "admin/conflict", d);
}

int edit_revisions(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_VIEW))
		return admin_error(req, resp, 403, "err_role");
	struct resource *live = edit_live(req);
	if (!live)
		return admin_error(req, resp, 404, "err_not_found");
	struct revision *vs;
	size_t n = revision_list(auth_db(), req->arena, live->id, &vs);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows,
		    json_pack("{s:I, s:o, s:o, s:o, s:o, s:b, s:b}", "id", (json_int_t)vs[i].id, "when",
		              edit_js(vs[i].created_at), "who", edit_js(vs[i].author), "state",
		              edit_js(edit_tx(req, arena_printf(req->arena, "rev_state_%s", vs[i].state))),
		              "note", edit_js(vs[i].note), "is_a", i == 1, "is_b", i == 0));
	json_t *d = json_pack(
	    "{s:o, s:o, s:o, s:o, s:o, s:b, s:b}", "title",
	    edit_js(arena_printf(req->arena, "%s: %s", edit_tx(req, "res_revisions"), live->title)),
	    "revisions", rows, "edit_url", edit_js(edit_url(req, live->slug)), "compare_url",
	    edit_js(arena_printf(req->arena, "/admin/resources/%s/compare", live->slug)), "restore_url",
	    edit_js(admin_url(req, arena_printf(req->arena, "/admin/resources/%s/restore", live->slug))),
	    "can_edit", edit_can(req, AUTH_EDIT), "lang_es", strcmp(edit_lang(req), "es") == 0);
	const char *done = request_query(req, "done");
	if (done && strcmp(done, "restored") == 0)
		json_object_set_new(d, "notice", edit_js(edit_tx(req, "done_restored")));
	return admin_render(req, resp, 200, "admin/revisions", d);
}

/* A revision of this resource by the id in query parameter name; the live text for "live". */
static const struct resource *revision_arg(struct request *req, const struct resource *live, const char *name)
{
	const char *v = request_query(req, name);
	if (!v)
		return NULL;
	if (strcmp(v, "live") == 0)
		return live;
	struct revision *rv = revision_get(auth_db(), req->arena, strtoll(v, NULL, 10));
	return rv && rv->resource_id == live->id ? &rv->r : NULL;
}

int edit_compare(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_VIEW))
		return admin_error(req, resp, 403, "err_role");
	struct resource *live = edit_live(req);
	if (!live)
		return admin_error(req, resp, 404, "err_not_found");
	const struct resource *x = revision_arg(req, live, "a"), *y = revision_arg(req, live, "b");
	if (!x || !y)
		return admin_error(req, resp, 400, "err_compare");
	json_t *d = compare_json(req, x, y);
	json_object_set_new(
	    d, "title", edit_js(arena_printf(req->arena, "%s: %s", edit_tx(req, "cmp_title"), live->title)));
	json_object_set_new(d, "compare_caption", edit_js(edit_tx(req, "cmp_caption")));
	json_object_set_new(
	    d, "left_label",
	    edit_js(arena_printf(req->arena, "%s %s", edit_tx(req, "rev_left"), request_query(req, "a"))));
	json_object_set_new(
	    d, "right_label",
	    edit_js(arena_printf(req->arena, "%s %s", edit_tx(req, "rev_right"), request_query(req, "b"))));
	json_object_set_new(d, "edit_url", edit_js(edit_url(req, live->slug)));
	json_object_set_new(
	    d, "revisions_url",
	    edit_js(admin_url(req, arena_printf(req->arena, "/admin/resources/%s/revisions", live->slug))));
	return admin_render(req, resp, 200, "admin/compare", d);
}

int edit_restore(struct request *req, struct response *resp)
{
	if (!edit_can(req, AUTH_EDIT))
		return admin_error(req, resp, 403, "err_role");
	struct resource *live = edit_live(req);
	if (!live)
		return admin_error(req, resp, 404, "err_not_found");
	const char *v = auth_field(req, "revision");
	struct revision *rv = v ? revision_get(auth_db(), req->arena, strtoll(v, NULL, 10)) : NULL;
	if (!rv || rv->resource_id != live->id)
		return admin_error(req, resp, 400, "err_form");
	const struct user *u = auth_of(req)->user;
	publish_lock();
	/* Restoring makes a new draft from the old text: nothing before it is lost, and it goes live only
	 * through review like any other change. */
	int64_t id = revision_add(auth_db(), live->id, &rv->r, "draft", u->id, u->email,
	                          arena_printf(req->arena, "restored from revision %lld", (long long)rv->id));
	if (id >= 0)
		edit_audit_resource(req, "resource_restore", live->slug, NULL, &rv->r);
	publish_unlock();
	if (id < 0)
		return admin_error(req, resp, 500, "err_internal");
	return edit_redirect_done(req, resp, live->slug, "restored");
}
