/* Static export: placeholder until written. */
#include "app/export.h"

int export_run(struct db *db, const char *dir, unsigned threads)
{
	(void)db;
	(void)dir;
	(void)threads;
	return 1;
}
