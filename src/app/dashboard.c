/* The dashboard's lists. Each is shown only to the roles that can act on it: resources to those who
 * edit or review them, hotlines to those who edit them, the whole audit log to admins. */
#include "app/dashboard.h"

#include <string.h>
#include <time.h>

#include "app/admin.h"
#include "app/auditlog.h"
#include "app/auth.h"
#include "app/console.h"
#include "app/settings.h"
#include "model/audit.h"
#include "model/hotline.h"
#include "model/resource.h"
#include "model/revision.h"

static const char *lang_label(struct request *req, const char *lang)
{
	return admin_text(auth_of(req)->lang, lang && strcmp(lang, "es") == 0 ? "lang_es" : "lang_en");
}

static const char *resource_url(struct request *req, const char *slug)
{
	return admin_url(req, arena_printf(req->arena, "/admin/resources/%s", slug));
}

static json_t *in_review(struct request *req)
{
	struct revision *v;
	size_t n = revision_list_state(auth_db(), req->arena, "review", &v);
	json_t *o = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    o,
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", v[i].r.title ? v[i].r.title : "", "url",
		              resource_url(req, v[i].r.slug), "lang", lang_label(req, v[i].r.lang), "author",
		              v[i].author ? v[i].author : "", "at", v[i].created_at ? v[i].created_at : ""));
	return o;
}

static json_t *due_resources(struct request *req, int months)
{
	char cutoff[11];
	console_months_ago(time(NULL), months, cutoff);
	struct resource *rs;
	size_t n = resource_list_due(auth_db(), req->arena, cutoff, &rs);
	json_t *o = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    o, json_pack("{s:s, s:s, s:s, s:b, s:s}", "title", rs[i].title ? rs[i].title : "", "url",
		                 resource_url(req, rs[i].slug), "lang", lang_label(req, rs[i].lang), "never",
		                 rs[i].reviewed_at == NULL, "reviewed_at",
		                 rs[i].reviewed_at ? rs[i].reviewed_at : ""));
	return o;
}

static json_t *due_hotlines(struct request *req, int months)
{
	char cutoff[11];
	console_months_ago(time(NULL), months, cutoff);
	struct hotline_all *hs;
	size_t n = hotline_list_all(auth_db(), req->arena, &hs);
	int k = strcmp(auth_of(req)->lang, "es") == 0;
	json_t *o = json_array();
	for (size_t i = 0; i < n; i++) {
		if (hs[i].retired || strcmp(hs[i].verified, cutoff) >= 0)
			continue;
		const char *name = *hs[i].name[k] ? hs[i].name[k] : hs[i].name[!k];
		json_array_append_new(
		    o, json_pack("{s:s, s:s, s:s}", "name", name, "url",
		                 admin_url(req, arena_printf(req->arena, "/admin/hotlines/%s", hs[i].slug)),
		                 "verified", hs[i].verified));
	}
	return o;
}

static json_t *recent(struct request *req, bool everyone)
{
	struct audit_filter f = {.limit = DASHBOARD_RECENT};
	if (!everyone)
		f.user_id = auth_of(req)->user->id;
	struct audit_entry *es;
	bool more;
	size_t n = audit_query(auth_db(), req->arena, &f, &es, &more);
	json_t *o = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(o, auditlog_entry_json(req, &es[i]));
	return o;
}

/* Set key to list (consumed) and "has_<key>" to whether it holds anything. */
static void set_list(struct request *req, json_t *d, const char *key, json_t *list)
{
	json_object_set_new(d, arena_printf(req->arena, "has_%s", key),
	                    json_boolean(json_array_size(list) > 0));
	json_object_set_new(d, arena_printf(req->arena, "n_%s", key),
	                    json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(d, key, list);
}

void dashboard_data(struct request *req, json_t *d)
{
	const struct user *u = auth_of(req)->user;
	bool resources = auth_can(u, AUTH_VIEW, &(struct auth_object){"resource", NULL});
	bool hotlines = auth_can(u, AUTH_EDIT, &(struct auth_object){"hotline", NULL});
	bool everyone = auth_can(u, AUTH_MANAGE, &(struct auth_object){"audit", NULL});
	if (!d)
		return;
	if (resources) {
		int months = settings_get("review_months");
		json_object_set_new(d, "show_resources", json_true());
		json_object_set_new(d, "review_months", json_integer(months));
		set_list(req, d, "in_review", in_review(req));
		set_list(req, d, "due", due_resources(req, months));
	}
	if (hotlines) {
		int months = settings_get("hotline_verify_months");
		json_object_set_new(d, "show_hotlines", json_true());
		json_object_set_new(d, "verify_months", json_integer(months));
		set_list(req, d, "hotlines_due", due_hotlines(req, months));
	}
	json_object_set_new(d, "everyone", json_boolean(everyone));
	json_t *entries = recent(req, everyone);
	json_object_set_new(d, "has_entries", json_boolean(json_array_size(entries) > 0));
	json_object_set_new(d, "entries", entries);
	if (everyone)
		json_object_set_new(d, "audit_url", json_string(admin_url(req, "/admin/audit")));
}
