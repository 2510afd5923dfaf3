/* A community's local services in the Open Referral HSDS 3.0 shape (organization, service, location,
 * address, phone, schedule, language), the data the open-data issue publishes. Ids are UUIDs that
 * stay the same across edits: the service's own id is kept in the block, and the ids of its parts are
 * derived from it (block_uuid_derive), the organization's from its name within the community. */
#ifndef VRC_HSDS_H
#define VRC_HSDS_H
#include <jansson.h>

#include "db/db.h"

/* The HSDS service objects of a published services block (items in lang, else English), with the
 * community's place and time zone (IANA name). New reference: an array. */
json_t *hsds_services(json_t *block, const char *lang, const char *timezone);

/* Every published local service of the active communities (archived ones and drafts never), fully
 * nested, in lang (text falls back to English): newest incident first, then each block's order. A new
 * array, or NULL when the database fails or a stored block is not JSON (logged). */
json_t *hsds_published(struct db *db, const char *lang);
/* A copy of an HSDS object with only its one-to-one fields (what list endpoints show): arrays
 * dropped, nested objects kept the same way. New reference. */
json_t *hsds_one_to_one(json_t *obj);
/* The organizations of services (from hsds_published), in order of first appearance, each fully
 * nested: its "services" (without their nested organization) and "locations". New reference. */
json_t *hsds_organizations(json_t *services);
/* The service_at_location objects of services, each with its location and its "service" (fully
 * nested, without its service_at_locations). New reference. */
json_t *hsds_service_at_locations(json_t *services);

#endif
