/* Built from the block's own fields: nothing is stored twice, so the HSDS view cannot drift from
 * what the community page shows. */
#include "model/hsds.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
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
	json_decref(orgid);
	if (sget(v, "url"))
		json_object_set(s, "url", json_object_get(v, "url"));
	json_t *phones = json_array();
	if (sget(v, "phone"))
		json_array_append_new(phones, json_pack("{s:o, s:s, s:s}", "id", id_of(sid, "phone"),
		                                        "service_id", sid, "number", sget(v, "phone")));
	json_object_set_new(s, "phones", phones);
	json_t *sals = json_array();
	if (sget(v, "street")) {
		json_t *loc = id_of(sid, "location");
		json_array_append_new(
		    sals,
		    json_pack("{s:o, s:s, s:O, s:{s:O, s:s, s:[{s:o, s:O, s:s, s:s, s:s, s:s, s:s, s:s}]}}",
		              "id", id_of(sid, "service_at_location"), "service_id", sid, "location_id", loc,
		              "location", "id", loc, "location_type", "physical", "addresses", "id",
		              id_of(sid, "address"), "location_id", loc, "address_1", sget(v, "street"),
		              "city", sget(v, "city"), "state_province", sget(v, "state"), "postal_code",
		              sget(v, "postal"), "country", "US", "address_type", "physical"));
		json_decref(loc);
	}
	json_object_set_new(s, "service_at_locations", sals);
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
	}
	return arr;
}
