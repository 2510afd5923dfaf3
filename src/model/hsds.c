/* Built from the block's own fields: nothing is stored twice, so the HSDS view cannot drift from
 * what the community page shows. */
#include "model/hsds.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/tz.h"
#include "model/block.h"
#include "model/hours.h"

static const char *sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static json_t *id_of(const char *ns, const char *what)
{
	char id[37];
	block_uuid_derive(ns, what, id);
	return json_string(id);
}

static json_t *schedules(const char *sid, const char *spec, const char *zone)
{
	static const char *const days[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
	json_t *arr = json_array();
	struct hours_span s[HOURS_MAX];
	size_t n;
	const char *err;
	const struct tz_zone *z = tz_find(zone);
	if (!spec || hours_parse(spec, s, &n, &err) < 0)
		return arr;
	for (size_t i = 0; i < n; i++) {
		struct buf by = BUF_INIT;
		for (int d = 0; d < 7; d++)
			if (s[i].days & (1u << d))
				buf_printf(&by, "%s%s", by.len ? "," : "", days[d]);
		char a[6], b[6], what[32];
		hours_hhmm(s[i].opens, a);
		hours_hhmm(s[i].closes, b);
		snprintf(what, sizeof(what), "schedule:%zu", i);
		json_t *j = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}", "id", id_of(sid, what), "service_id",
		                      sid, "freq", "WEEKLY", "byday", by.p, "opens_at", a, "closes_at", b);
		if (z)
			json_object_set_new(j, "timezone", json_integer(z->std_min / 60));
		json_array_append_new(arr, j);
		buf_free(&by);
	}
	return arr;
}

static json_t *languages(const char *sid, const char *codes)
{
	json_t *arr = json_array();
	for (const char *p = codes ? codes : ""; *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ", ");
		if (!n)
			break;
		char code[8], what[32];
		snprintf(code, sizeof(code), "%.*s", (int)(n < 7 ? n : 7), p);
		snprintf(what, sizeof(what), "language:%s", code);
		json_array_append_new(arr,
		                      json_pack("{s:o, s:s, s:s, s:s}", "id", id_of(sid, what), "service_id",
		                                sid, "code", code, "name", block_lang_name(code)));
		p += n;
	}
	return arr;
}

/* The service's one location, from its address (the block keeps all four parts or none). */
static json_t *service_at_locations(const char *sid, json_t *v, json_t *orgid)
{
	json_t *sals = json_array();
	if (!sget(v, "street"))
		return sals;
	json_t *loc = id_of(sid, "location");
	json_t *address = json_pack("{s:o, s:O, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id_of(sid, "address"),
	                            "location_id", loc, "address_1", sget(v, "street"), "city",
	                            sget(v, "city"), "state_province", sget(v, "state"), "postal_code",
	                            sget(v, "postal"), "country", "US", "address_type", "physical");
	json_array_append_new(sals, json_pack("{s:o, s:s, s:O, s:{s:O, s:s, s:O, s:[o]}}", "id",
	                                      id_of(sid, "service_at_location"), "service_id", sid,
	                                      "location_id", loc, "location", "id", loc, "location_type",
	                                      "physical", "organization_id", orgid, "addresses", address));
	json_decref(loc);
	return sals;
}

static json_t *service(const char *ns, json_t *it, const char *lang, const char *zone)
{
	const struct block_kind *k = block_kind("services");
	json_t *v = block_view(k, it, lang);
	const char *sid = sget(v, "id"), *org = sget(v, "organization");
	char org_key[200];
	snprintf(org_key, sizeof(org_key), "organization:%s", org ? org : "");
	for (char *p = org_key; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	json_t *orgid = id_of(ns, org_key);
	json_t *s = json_pack(
	    "{s:s, s:s, s:s, s:s, s:O, s:{s:O, s:s, s:s}, s:o, s:o}", "id", sid, "name", sget(v, "name"),
	    "description", sget(v, "description") ? sget(v, "description") : "", "status",
	    sget(v, "status") ? sget(v, "status") : "active", "organization_id", orgid, "organization", "id",
	    orgid, "name", org ? org : "", "description", org ? org : "", "schedules",
	    schedules(sid, sget(v, "hours"), zone), "languages", languages(sid, sget(v, "languages")));
	if (s && sget(v, "url"))
		json_object_set(s, "url", json_object_get(v, "url"));
	if (s && sget(it, "updated_at"))
		json_object_set(s, "last_modified", json_object_get(it, "updated_at"));
	json_t *phones = json_array();
	if (sget(v, "phone"))
		json_array_append_new(phones, json_pack("{s:o, s:s, s:s}", "id", id_of(sid, "phone"),
		                                        "service_id", sid, "number", sget(v, "phone")));
	json_object_set_new(s, "phones", phones);
	json_object_set_new(s, "service_at_locations", service_at_locations(sid, v, orgid));
	json_decref(orgid);
	json_decref(v);
	return s;
}

json_t *hsds_services(json_t *block, const char *lang, const char *timezone)
{
	json_t *arr = json_array(), *it;
	size_t i;
	const char *ns = sget(block, "ns") ? sget(block, "ns") : "";
	json_array_foreach (json_object_get(block, "items"), i, it) {
		json_t *s = service(ns, it, lang, timezone);
		if (s)
			json_array_append_new(arr, s);
		else /* the block's checks make this unreachable: say so if it ever happens */
			log_error("hsds: service %s (block %s) left out: it cannot be written as HSDS",
			          sget(it, "id") ? sget(it, "id") : "?", ns);
	}
	return arr;
}

json_t *hsds_published(struct db *db, const char *lang)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT c.slug, c.timezone, b.published FROM community c JOIN community_block b ON "
	        "b.community_id = c.id AND b.kind = 'services' WHERE c.status = 'active' AND b.published "
	        "IS NOT NULL ORDER BY coalesce(c.incident_date, c.created_at) DESC, c.name, c.id");
	if (!st)
		return NULL;
	json_t *all = json_array();
	int rc;
	while ((rc = db_step(st)) == 1) {
		json_error_t e;
		const char *text = db_col_text(st, 2);
		json_t *block = json_loads(text ? text : "", 0, &e);
		if (!json_is_object(block)) {
			log_error("hsds: community %s: its published services are not JSON: %s",
			          db_col_text(st, 0), e.text);
			json_decref(block);
			rc = -1;
			break;
		}
		json_t *some = hsds_services(block, lang, db_col_text(st, 1));
		json_array_extend(all, some);
		json_decref(some);
		json_decref(block);
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(all);
		return NULL;
	}
	return all;
}

json_t *hsds_one_to_one(json_t *obj)
{
	json_t *out = json_object(), *v;
	const char *k;
	json_object_foreach (obj, k, v) {
		if (json_is_array(v))
			continue;
		json_object_set_new(out, k, json_is_object(v) ? hsds_one_to_one(v) : json_incref(v));
	}
	return out;
}

/* A copy of o without the member called drop. */
static json_t *without(json_t *o, const char *drop)
{
	json_t *c = json_deep_copy(o);
	json_object_del(c, drop);
	return c;
}

json_t *hsds_organizations(json_t *services)
{
	json_t *orgs = json_array(), *by_id = json_object(), *s;
	size_t i;
	json_array_foreach (services, i, s) {
		json_t *org = json_object_get(s, "organization");
		const char *id = sget(org, "id");
		json_t *o = id ? json_object_get(by_id, id) : NULL;
		if (!id)
			continue;
		if (!o) {
			o = json_deep_copy(org);
			json_object_set_new(o, "services", json_array());
			json_object_set_new(o, "locations", json_array());
			json_object_set(by_id, id, o);
			json_array_append_new(orgs, o);
		}
		json_array_append_new(json_object_get(o, "services"), without(s, "organization"));
		json_t *sal;
		size_t j;
		json_array_foreach (json_object_get(s, "service_at_locations"), j, sal)
			json_array_append(json_object_get(o, "locations"), json_object_get(sal, "location"));
	}
	json_decref(by_id);
	return orgs;
}

json_t *hsds_service_at_locations(json_t *services)
{
	json_t *out = json_array(), *s, *sal;
	size_t i, j;
	json_array_foreach (services, i, s) {
		json_array_foreach (json_object_get(s, "service_at_locations"), j, sal) {
			json_t *c = json_deep_copy(sal);
			json_object_set_new(c, "service", without(s, "service_at_locations"));
			json_array_append_new(out, c);
		}
	}
	return out;
}
