/* Unit tests for the HSDS view of the services blocks (model/hsds.c): a service fully nested with
 * derived ids, text in a language with English as the fallback, list shapes (one-to-one fields),
 * organizations gathered by name whatever its case, service_at_locations, and what the open data
 * reads from storage: published blocks of active communities only. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "db/db.h"
#include "model/block.h"
#include "model/community.h"
#include "model/hsds.h"
#include "test.h"
#include "view/i18n.h"

#define NS   "5f0c3a4e-8b1d-4c2a-9e7f-1a2b3c4d5e6f"
#define SID1 "0b7c5a1e-3f7d-4d6e-9a55-2c1f0e8d4b21"
#define SID2 "7d2e9f40-1c3b-4a5d-8e6f-9a0b1c2d3e4f"

/* A services block as the console writes it: one service with an address, one without. */
static json_t *block(const char *name2)
{
	json_error_t e;
	json_t *b = json_pack_ex(
	    &e, 0,
	    "{s:s, s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}, s:{s:s}}}, "
	    "{s:s, s:s, s:s, s:{s:{s:s}}, s:s}]}",
	    "ns", NS, "items", "id", SID1, "organization", "Springfield Counseling", "status", "active",
	    "street", "5 Oak Ave", "city", "Springfield", "state", "IL", "postal", "62702", "phone",
	    "217-555-0142", "hours", "Mon-Thu 09:00-17:00", "updated_at", "2026-11-30T10:00:00Z", "text",
	    "en", "name", "Free counseling", "description", "Short-term counseling.", "es", "name",
	    "Consejería gratuita", "id", SID2, "organization", "SPRINGFIELD counseling", "status",
	    "temporarily closed", "text", "en", "name", name2, "updated_at", "2026-11-30T11:00:00Z");
	if (!b)
		fprintf(stderr, "block: %s\n", e.text);
	return b;
}

static const char *sat(json_t *o, const char *path)
{
	char key[64];
	while (o && *path) {
		size_t n = strcspn(path, "/");
		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		o = key[0] >= '0' && key[0] <= '9' ? json_array_get(o, (size_t)atoi(key))
		                                   : json_object_get(o, key);
		path += n + (path[n] == '/');
	}
	return json_string_value(o);
}

static void test_service(void)
{
	json_t *b = block("Food pantry"), *s = hsds_services(b, "en", "America/Chicago");
	CHECK(json_array_size(s) == 2);
	json_t *one = json_array_get(s, 0), *two = json_array_get(s, 1);
	CHECK_STR(sat(one, "id"), SID1);
	CHECK_STR(sat(one, "name"), "Free counseling");
	CHECK_STR(sat(one, "last_modified"), "2026-11-30T10:00:00Z");
	CHECK_STR(sat(one, "organization/name"), "Springfield Counseling");
	CHECK_STR(sat(one, "organization_id"), sat(one, "organization/id"));
	CHECK_STR(sat(one, "phones/0/number"), "217-555-0142");
	CHECK_STR(sat(one, "schedules/0/byday"), "MO,TU,WE,TH");
	CHECK_STR(sat(one, "service_at_locations/0/location/addresses/0/postal_code"), "62702");
	CHECK_STR(sat(one, "service_at_locations/0/location/organization_id"), sat(one, "organization_id"));
	CHECK_STR(sat(two, "status"), "temporarily closed");
	CHECK(json_array_size(json_object_get(two, "service_at_locations")) == 0);
	CHECK(json_array_size(json_object_get(two, "phones")) == 0);
	/* The same organization, whatever the case of its name; ids derived, so the same every time. */
	CHECK_STR(sat(two, "organization_id"), sat(one, "organization_id"));
	json_t *again = hsds_services(b, "en", "America/Chicago");
	CHECK(json_equal(again, s));
	/* Spanish text where there is some, English where there is none; the same ids. */
	json_t *es = hsds_services(b, "es", "America/Chicago");
	CHECK_STR(sat(es, "0/name"), "Consejería gratuita");
	CHECK_STR(sat(es, "1/name"), "Food pantry");
	CHECK_STR(sat(es, "0/service_at_locations/0/id"), sat(one, "service_at_locations/0/id"));
	json_decref(es);
	json_decref(again);

	json_t *list = hsds_one_to_one(one);
	CHECK_STR(sat(list, "organization/name"), "Springfield Counseling");
	CHECK(!json_object_get(list, "phones") && !json_object_get(list, "schedules") &&
	      !json_object_get(list, "service_at_locations") && !json_object_get(list, "languages"));
	CHECK(json_object_size(list) == json_object_size(one) - 4);
	json_decref(list);

	json_t *orgs = hsds_organizations(s);
	CHECK(json_array_size(orgs) == 1);
	CHECK(json_array_size(json_object_get(json_array_get(orgs, 0), "services")) == 2);
	CHECK(json_array_size(json_object_get(json_array_get(orgs, 0), "locations")) == 1);
	CHECK(!json_object_get(json_array_get(json_object_get(json_array_get(orgs, 0), "services"), 0),
	                       "organization"));
	json_decref(orgs);

	json_t *sals = hsds_service_at_locations(s);
	CHECK(json_array_size(sals) == 1);
	CHECK_STR(sat(sals, "0/service/name"), "Free counseling");
	CHECK_STR(sat(sals, "0/service_id"), SID1);
	CHECK(!json_object_get(json_object_get(json_array_get(sals, 0), "service"), "service_at_locations"));
	json_decref(sals);
	json_decref(s);
	json_decref(b);
}

static char dbdir[64], dbpath[128];

static size_t published(struct db *db, const char *name)
{
	json_t *all = hsds_published(db, "en");
	size_t n = 0, i;
	json_t *s;
	json_array_foreach (all, i, s)
		n += name && strcmp(sat(s, "name"), name) == 0;
	size_t total = json_array_size(all);
	json_decref(all);
	return name ? n : total;
}

static void test_published(void)
{
	snprintf(dbdir, sizeof(dbdir), "/tmp/vrc-test-hsds-XXXXXX");
	char err[256];
	struct db *db = mkdtemp(dbdir) ? (snprintf(dbpath, sizeof(dbpath), "%s/vrc.db", dbdir),
	                                  db_open(dbpath, err, sizeof(err)))
	                               : NULL;
	CHECK(db && db_migrate(db) >= 0);
	if (!db)
		return;
	struct community c = {.slug = "springfield",
	                      .name = "Springfield",
	                      .place = "Springfield, IL",
	                      .languages = "en,es",
	                      .timezone = "America/Chicago"};
	int64_t id = community_create(db, &c, NULL, true, 0, "cli");
	CHECK(id > 0);
	CHECK(published(db, NULL) == 0);
	json_t *b = block("Food pantry");
	CHECK(community_block_save(db, id, "services", b, 0) == 0);
	json_decref(b);
	CHECK(published(db, NULL) == 0); /* a draft is not published */
	CHECK(community_publish(db, id, "services", 0, "cli", NULL) == 1);
	CHECK(published(db, NULL) == 2);
	b = block("Renamed in draft");
	CHECK(community_block_save(db, id, "services", b, 0) == 0);
	json_decref(b);
	CHECK(published(db, "Food pantry") == 1 && published(db, "Renamed in draft") == 0);
	CHECK(community_set_status(db, id, "archived") == 0);
	CHECK(published(db, NULL) == 0); /* an archived community's services leave */
	db_close(db);
	char p[160];
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	rmdir(dbdir);
}

static void setup(void)
{
	log_set_level(LOG_ERROR + 1);
	CHECK(i18n_init() == 0);
}

static void cleanup(void)
{
	i18n_free();
}

static const struct test_case tests[] = {
    {"setup", setup},
    {"a service and its shapes", test_service},
    {"published services", test_published},
    {"cleanup", cleanup},
};
TEST_MAIN(tests)
