/* A community's local services in the Open Referral HSDS 3.0 shape (organization, service, location,
 * address, phone, schedule, language), the data the open-data issue publishes. Ids are UUIDs that
 * stay the same across edits: the service's own id is kept in the block, and the ids of its parts are
 * derived from it (block_uuid_derive), the organization's from its name within the community. */
#ifndef VRC_HSDS_H
#define VRC_HSDS_H
#include <jansson.h>

/* The HSDS service objects of a published services block (items in lang, else English), with the
 * community's place and time zone (IANA name). New reference: an array. */
json_t *hsds_services(json_t *block, const char *lang, const char *timezone);

#endif
