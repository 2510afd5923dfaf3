/* The console's settings page (admins): the months between clinical reviews and between hotline
 * checks, which decide what the dashboard and the hotline list call due. */
#ifndef VRC_SETTINGS_H
#define VRC_SETTINGS_H
#include "http/request.h"
#include "http/response.h"

/* The settings an admin can change, with their defaults and bounds. */
struct settings_key {
	const char *key;
	int def, min, max;
};
extern const struct settings_key settings_keys[];
extern const size_t settings_nkeys;

/* The value of setting key (one of settings_keys) from the database, or its default. */
int settings_get(const char *key);

/* Handlers (routes.c). */
int settings_form(struct request *req, struct response *resp);
int settings_save(struct request *req, struct response *resp);

#endif
