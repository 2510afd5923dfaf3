/* Response construction helpers shared by every handler. */
#include "http/response.h"

#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "base/util.h"

void response_init(struct response *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	resp->fd = -1;
}

void response_header(struct response *resp, const char *name, const char *value)
{
	if (resp->nheaders < sizeof(resp->headers) / sizeof(resp->headers[0]))
		resp->headers[resp->nheaders++] = (struct header){name, value};
}

void response_clear_body(struct response *resp)
{
	buf_free(&resp->body);
	if (resp->release)
		resp->release(resp->release_arg);
	resp->release = NULL;
	resp->prepared = NULL;
	resp->ref = resp->gz = resp->br = (struct body_ref){NULL, 0};
	if (resp->fd >= 0)
		close(resp->fd);
	resp->fd = -1;
}

void response_html(struct response *resp, int status, const char *html, size_t len)
{
	response_clear_body(resp);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	resp->compress = true;
	buf_append(&resp->body, html, len);
}

void response_text(struct response *resp, int status, const char *text)
{
	response_clear_body(resp);
	resp->status = status;
	resp->content_type = "text/plain; charset=utf-8";
	buf_puts(&resp->body, text);
}

static const struct {
	const char *ext;
	const char *type;
	bool text;
} mimes[] = {
    {".html", "text/html; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".json", "application/json", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".vtt", "text/vtt; charset=utf-8", true},
    {".xml", "application/xml", true},
    {".atom", "application/atom+xml", true},
    {".ics", "text/calendar; charset=utf-8", true},
    {".webmanifest", "application/manifest+json", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".jpeg", "image/jpeg", false},
    {".gif", "image/gif", false},
    {".ico", "image/x-icon", false},
    {".woff2", "font/woff2", false},
    {".woff", "font/woff", false},
    {".webm", "video/webm", false},
    {".mp4", "video/mp4", false},
    {".pdf", "application/pdf", false},
};

const char *mime_for(const char *name)
{
	struct str s = str_c(name);
	for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
		if (str_ends(s, str_c(mimes[i].ext)))
			return mimes[i].type;
	return "application/octet-stream";
}

bool mime_compressible(const char *type)
{
	if (!type)
		return false;
	for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
		if (mimes[i].text && strcmp(mimes[i].type, type) == 0)
			return true;
	return strncmp(type, "text/", 5) == 0;
}
