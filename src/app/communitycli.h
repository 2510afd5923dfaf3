/* `vrc community create`: stand up a community page from the command line (scripts, phone-in
 * emergencies), from the same template and checks as the console's one-form create. */
#ifndef VRC_COMMUNITYCLI_H
#define VRC_COMMUNITYCLI_H
#include "db/db.h"

struct communitycli_args {
	const char *slug, *name, *place, *date, *langs, *timezone;
};

/* `vrc community SUB`: create. Prints the page's path, or each problem on stderr. Returns an exit
 * code (2 for an unknown subcommand). Needs the UI catalogues (i18n_init). */
int communitycli_run(struct db *db, const char *sub, const struct communitycli_args *args);

#endif
