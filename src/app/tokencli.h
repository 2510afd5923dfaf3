/* `vrc token`: API tokens from the command line (create, list, revoke). */
#ifndef VRC_TOKENCLI_H
#define VRC_TOKENCLI_H
#include "db/db.h"

struct tokencli_args {
	const char *user; /* the account's email */
	const char *name; /* what the token is for */
	const char *id;   /* a token's id (revoke) */
};

/* `vrc token SUB`: create --user E --name N prints a new token once on standard output (only its hash
 * is stored); list [--user E]; revoke --id N. Each change writes an audit entry. Returns an exit code
 * (2 for an unknown subcommand). */
int tokencli_run(struct db *db, const char *sub, const struct tokencli_args *args);

#endif
