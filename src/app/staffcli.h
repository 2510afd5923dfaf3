/* The staff commands of the command line: `vrc user ...` and `vrc audit`. */
#ifndef VRC_STAFFCLI_H
#define VRC_STAFFCLI_H
#include "db/db.h"

struct staffcli_args {
	const char *email, *role, *name, *community; /* community: "slug" or "a,b" */
	const char *since, *user;                    /* vrc audit filters */
};

/* `vrc user SUB`: add, list, disable, enable, role, reset-password, ensure-admin. Passwords come from
 * stdin when it is not a terminal, are prompted for otherwise, or (given empty) are generated and
 * printed once, as one-time passwords that must be changed at the next sign-in. Returns an exit code
 * (2 for an unknown subcommand). */
int staffcli_user(struct db *db, const char *sub, const struct staffcli_args *args);
/* `vrc audit`: the audit log, oldest first, one entry a line. Returns an exit code. */
int staffcli_audit(struct db *db, const struct staffcli_args *args);

#endif
