/* Request helpers that do not need the HTTP library. */
#include "http/request.h"

#include <stdlib.h>

const char *request_param(const struct request *req, const char *name)
{
	for (size_t i = 0; i < req->nparams; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

/* One "coding;q=x" element: its ENC_* bit, or 0 when unknown or refused with q=0. */
static unsigned accept_one(struct str item)
{
	struct str coding = item;
	const char *semi = memchr(item.p, ';', item.len);
	if (semi)
		coding.len = (size_t)(semi - item.p);
	coding = str_trim(coding);
	unsigned bit = 0;
	if (str_ieq(coding, STR("gzip")))
		bit = ENC_GZIP;
	else if (str_ieq(coding, STR("br")))
		bit = ENC_BR;
	if (!bit || !semi)
		return bit;
	struct str rest = str_trim((struct str){semi + 1, item.len - (size_t)(semi + 1 - item.p)});
	if (rest.len >= 2 && (rest.p[0] == 'q' || rest.p[0] == 'Q') && rest.p[1] == '=') {
		char num[16];
		size_t n = rest.len - 2 < sizeof(num) - 1 ? rest.len - 2 : sizeof(num) - 1;
		memcpy(num, rest.p + 2, n);
		num[n] = '\0';
		if (strtod(num, NULL) <= 0.0)
			return 0;
	}
	return bit;
}

unsigned request_parse_accept(const char *value)
{
	unsigned bits = 0;
	if (!value)
		return 0;
	struct str s = str_c(value);
	while (s.len) {
		const char *comma = memchr(s.p, ',', s.len);
		size_t n = comma ? (size_t)(comma - s.p) : s.len;
		bits |= accept_one((struct str){s.p, n});
		if (!comma)
			break;
		s.p += n + 1;
		s.len -= n + 1;
	}
	return bits;
}
