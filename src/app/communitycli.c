/* The command line says what is wrong in English, one line per field, and creates nothing then. */
#include "app/communitycli.h"

#include <stdio.h>
#include <string.h>

#include "app/admin.h"
#include "app/starter.h"
#include "model/audit.h"
#include "model/community.h"
#include "model/hsds.h"

static const char *flag_of(const char *field)
{
	static const char *const map[][2] = {{"slug", "--slug"}, {"name", "--name"},  {"place", "--place"},
	                                     {"date", "--date"}, {"langs", "--lang"}, {"timezone", "--tz"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], field) == 0)
			return map[i][1];
	return field;
}

static int create(struct db *db, const struct communitycli_args *args)
{
	struct starter_input in = {.slug = args->slug,
	                           .name = args->name,
	                           .place = args->place,
	                           .date = args->date,
	                           .langs = args->langs,
	                           .timezone = args->timezone,
	                           .actor = "cli"};
	struct block_errors errs;
	int64_t id = starter_create(db, &in, &errs);
	if (id < 0) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "vrc community create: %s: %s\n", flag_of(errs.e[i].field),
			        admin_text("en", errs.e[i].key));
		return 1;
	}
	char after[512];
	snprintf(after, sizeof(after), "{\"slug\":\"%s\",\"status\":\"active\"}", args->slug);
	audit_write(db, &(struct audit_entry){.actor_email = "cli",
	                                      .action = "community_create",
	                                      .object_type = "community",
	                                      .object_id = args->slug,
	                                      .after = after,
	                                      .remote = "cli"});
	struct arena *a = arena_new();
	struct community *c = community_get(db, a, args->slug);
	printf("vrc community create: /c/%s is published (languages %s); a running server shows it at once "
	       "and lists it on its home page and sitemap at its next check (--schedule-every, 30 s)\n",
	       args->slug, c ? c->languages : "?");
	arena_free(a);
	return 0;
}

/* The published local services of a community in the HSDS 3.0 shape, as a JSON array on stdout. */
static int hsds(struct db *db, const struct communitycli_args *args)
{
	struct arena *a = arena_new();
	struct community *c = args->slug ? community_get(db, a, args->slug) : NULL;
	struct community_block b;
	int rc = 1;
	if (!c)
		fprintf(stderr, "vrc community hsds: no community '%s'\n", args->slug ? args->slug : "");
	else if (community_block(db, a, c->id, "services", &b) == 0) {
		/* Published only, like /hsds/: a block never published has no services to tell. */
		json_t *out = b.published
		                  ? hsds_services(b.published, args->langs ? args->langs : "en", c->timezone)
		                  : json_array();
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
		json_decref(out);
		rc = 0;
	}
	arena_free(a);
	return rc;
}

int communitycli_run(struct db *db, const char *sub, const struct communitycli_args *args)
{
	if (sub && strcmp(sub, "create") == 0)
		return create(db, args);
	if (sub && strcmp(sub, "hsds") == 0)
		return hsds(db, args);
	fprintf(stderr, "vrc community: unknown subcommand '%s' (create, hsds)\n", sub ? sub : "");
	return 2;
}
