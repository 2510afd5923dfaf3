/* Length-carrying string views. A struct str never owns its bytes. */
#ifndef VRC_STR_H
#define VRC_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct str {
	const char *p;
	size_t len;
};

/* A view of a string literal. */
#define STR(lit) ((struct str){(lit), sizeof(lit) - 1})

/* A view of a NUL-terminated string (NULL gives the empty view). */
static inline struct str str_c(const char *s)
{
	return (struct str){s ? s : "", s ? strlen(s) : 0};
}

static inline bool str_eq(struct str a, struct str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline bool str_eqc(struct str a, const char *b)
{
	return str_eq(a, str_c(b));
}

static inline bool str_starts(struct str a, struct str prefix)
{
	return a.len >= prefix.len && memcmp(a.p, prefix.p, prefix.len) == 0;
}

/* True when s ends with suffix. */
bool str_ends(struct str s, struct str suffix);
/* Case-insensitive ASCII equality. */
bool str_ieq(struct str a, struct str b);
/* The view with leading and trailing ASCII white space removed. */
struct str str_trim(struct str s);

#endif
