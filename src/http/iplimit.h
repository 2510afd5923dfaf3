/* Connections open per client address, counted across the fast path and libmicrohttpd (which then
 * runs without a per-IP limit of its own), for --per-ip-limit. Thread-safe. */
#ifndef VRC_IPLIMIT_H
#define VRC_IPLIMIT_H
#include <stdbool.h>
#include <sys/socket.h>

struct iplimit;

/* A counter allowing limit connections per address (0: no limit; nothing is counted). */
struct iplimit *iplimit_new(unsigned limit);
/* Count one more connection from sa's address: false (nothing counted) when it already has limit.
 * Addresses other than IPv4 and IPv6 are not counted. */
bool iplimit_add(struct iplimit *l, const struct sockaddr *sa);
/* One connection from sa's address has closed. */
void iplimit_del(struct iplimit *l, const struct sockaddr *sa);
void iplimit_free(struct iplimit *l);

#endif
