/* Uploads: a file's type comes from its bytes (app/filetype.c), never from its name or the browser's
 * Content-Type; each kind has a size cap; captions must pass the WebVTT check. A file is stored once
 * per content as <sha256>.<ext> in the uploads folder (outside the templates and the content library),
 * written to a temporary name and renamed into place, and served with its type, nosniff (a security
 * header of every response), long immutable caching and Range. Every upload and every refusal is in
 * the audit log. */
#include "app/upload.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/filetype.h"
#include "app/routes.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/upload.h"

enum { PER_PAGE = 50, ALT_MAX = 300 };

static const char route[] = "/admin/uploads";
static const char hexdigits[] = "0123456789abcdef";

static struct upload_config cfg;

/* ---- set-up and limits */

/* mkdir -p: each folder on the way, then check the last one is a folder. */
static int make_dirs(const char *dir)
{
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path))
		return -1;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	struct stat st;
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return -1;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

int upload_init(const struct upload_config *c)
{
	cfg = *c;
	if (!cfg.dir || !*cfg.dir || make_dirs(cfg.dir) < 0) {
		log_error("uploads: cannot use the folder %s: %s", cfg.dir ? cfg.dir : "(none)",
		          strerror(errno));
		return -1;
	}
	return 0;
}

size_t upload_body_limit(struct request *req)
{
	if (req->method != HTTP_POST || strcmp(req->path, route) != 0 || !auth_signed_in(req, AUTH_STAFF))
		return 0;
	return cfg.max + UPLOAD_FORM_SLACK;
}

/* A kind's cap: its own, or the server's upload limit when that is smaller (or the kind has none). */
static size_t cap_of(const struct filetype *ft)
{
	return ft->cap && ft->cap < cfg.max ? ft->cap : cfg.max;
}

/* ---- text */

static const char *lang_of(struct request *req)
{
	const char *lang = auth_of(req)->lang;
	return lang ? lang : "en";
}

static bool spanish(struct request *req)
{
	return strcmp(lang_of(req), "es") == 0;
}

/* fmt with each "{name}" replaced by its value in vars (name, value pairs, NULL-terminated). */
static const char *fill(struct arena *a, const char *fmt, const char *const *vars)
{
	struct buf b = BUF_INIT;
	const char *p = fmt;
	for (const char *open; (open = strchr(p, '{')) != NULL;) {
		const char *close = strchr(open, '}'), *val = NULL;
		if (!close)
			break;
		for (size_t i = 0; vars[i]; i += 2)
			if (strlen(vars[i]) == (size_t)(close - open - 1) &&
			    memcmp(vars[i], open + 1, strlen(vars[i])) == 0)
				val = vars[i + 1];
		buf_append(&b, p, (size_t)(open - p));
		if (val)
			buf_puts(&b, val);
		else
			buf_append(&b, open, (size_t)(close - open + 1));
		p = close + 1;
	}
	buf_puts(&b, p);
	const char *s = arena_strdup(a, b.p ? b.p : "");
	buf_free(&b);
	return s;
}

/* "512 bytes", "14 KB", "4.5 MB" (binary units; a decimal comma in Spanish). */
static const char *size_text(struct request *req, uint64_t n)
{
	char *s;
	if (n < 1024)
		s = arena_printf(req->arena, "%" PRIu64 " %s", n, n == 1 ? "byte" : "bytes");
	else if (n < FILETYPE_MIB)
		s = arena_printf(req->arena, "%" PRIu64 " KB", (n + 1023) / 1024);
	else {
		uint64_t tenths = (n * 10 + FILETYPE_MIB / 2) / FILETYPE_MIB;
		s = tenths % 10
		        ? arena_printf(req->arena, "%" PRIu64 ".%" PRIu64 " MB", tenths / 10, tenths % 10)
		        : arena_printf(req->arena, "%" PRIu64 " MB", tenths / 10);
	}
	char *dot = strchr(s, '.');
	if (dot && spanish(req))
		*dot = ',';
	return s;
}

static const char *kind_label(struct request *req, const char *kind)
{
	char key[32];
	snprintf(key, sizeof(key), "kind_%s", kind);
	return admin_text(lang_of(req), key);
}

static const char *cap_text(struct request *req, const char *kind)
{
	for (size_t i = 0; i < filetype_count; i++)
		if (strcmp(filetype_table[i].kind, kind) == 0)
			return size_text(req, cap_of(&filetype_table[i]));
	return "";
}

/* ---- the page */

/* One row per kind: its label, its formats, its cap. */
static json_t *caps_json(struct request *req)
{
	json_t *rows = json_array();
	for (size_t i = 0, j; i < filetype_count; i = j) {
		const struct filetype *ft = &filetype_table[i];
		struct buf names = BUF_INIT;
		for (j = i; j < filetype_count && strcmp(filetype_table[j].kind, ft->kind) == 0; j++)
			buf_printf(&names, "%s%s", j > i ? ", " : "", filetype_table[j].name);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "kind", kind_label(req, ft->kind),
		                                      "formats", names.p, "max", size_text(req, cap_of(ft))));
		buf_free(&names);
	}
	return rows;
}

/* The name without its extension, for a PDF link's text. */
static const char *stem(struct arena *a, const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot > name ? arena_strndup(a, name, (size_t)(dot - name)) : name;
}

/* Markdown to paste into a page: an image, or a link to a PDF; NULL for other kinds. */
static const char *markdown(struct arena *a, const struct upload *u, const char *url)
{
	bool image = strcmp(u->kind, "image") == 0, pdf = strcmp(u->kind, "pdf") == 0;
	if (!image && !pdf)
		return NULL;
	const char *text = *u->alt || image ? u->alt : stem(a, u->original_name);
	struct buf b = BUF_INIT;
	buf_puts(&b, image ? "![" : "[");
	for (const char *p = *text || image ? text : "PDF"; *p; p++) {
		if (strchr("\\[]", *p))
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_printf(&b, "](%s)", url);
	const char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

static const char *when_text(struct arena *a, const char *at)
{
	return strlen(at) == 20 ? arena_printf(a, "%.10s %.5s UTC", at, at + 11) : at;
}

static json_t *row_json(struct request *req, const struct upload *u)
{
	const char *ext = strrchr(u->stored_name, '.');
	const struct filetype *ft = filetype_by_ext(ext ? ext + 1 : NULL);
	const char *url = arena_printf(req->arena, "/media/u/%s", u->stored_name);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "name",
	                 *u->original_name ? u->original_name : u->stored_name, "kind",
	                 kind_label(req, u->kind), "format", ft ? ft->name : u->content_type, "size",
	                 size_text(req, (uint64_t)u->size), "who", *u->user_email ? u->user_email : "-",
	                 "when", when_text(req->arena, u->created_at), "url", url, "markdown",
	                 markdown(req->arena, u, url));
}

static const char *page_url(struct request *req, long page)
{
	return arena_printf(req->arena, "%s?page=%ld%s", route, page, spanish(req) ? "&lang=es" : "");
}

/* The list (one page of it), the caps and the form, with no errors yet. */
static json_t *page_data(struct request *req)
{
	struct auth *st = auth_of(req);
	const char *q = request_query(req, "page");
	char *end;
	long page = q ? strtol(q, &end, 10) : 1;
	if (!q || *end || page < 1 || page > 1000000)
		page = 1;
	int64_t total = upload_count(cfg.db);
	struct upload *us;
	size_t n = upload_list(cfg.db, req->arena, (size_t)(page - 1) * PER_PAGE, PER_PAGE, &us);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, row_json(req, &us[i]));
	const char *const vars[] = {"max", cap_text(req, "video"), NULL};
	json_t *d = json_pack(
	    "{s:s, s:o, s:s, s:s, s:s, s:{}, s:o, s:b, s:b, s:i}", "title",
	    admin_text(lang_of(req), "uploads"), "caps", caps_json(req), "video_note",
	    fill(req->arena, admin_text(lang_of(req), "upload_video_note"), vars), "action",
	    admin_url(req, route), "alt", "", "errors", "uploads", rows, "has_uploads", n > 0, "can_upload",
	    auth_can(st->user, AUTH_EDIT, &(struct auth_object){"upload", NULL}), "alt_max", ALT_MAX);
	if (d && page > 1)
		json_object_set_new(d, "prev", json_string(page_url(req, page - 1)));
	if (d && total > page * PER_PAGE)
		json_object_set_new(d, "next", json_string(page_url(req, page + 1)));
	return d;
}

static bool is_hash(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, hexdigits) == 64;
}

/* An extension: 1-10 lower-case letters and digits (the query's "was", a file name's). */
static bool ext_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n >= 1 && n <= 10 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789") == n;
}

/* After an upload (?added=<sha256>[&dup=1][&was=<ext>]): say what was stored and where. */
static void added_notice(struct request *req, json_t *d)
{
	const char *hash = request_query(req, "added"), *was = request_query(req, "was");
	struct upload *u = is_hash(hash) ? upload_find(cfg.db, req->arena, hash) : NULL;
	const char *dot = u ? strrchr(u->stored_name, '.') : NULL;
	if (!dot || !d)
		return;
	const char *ext = dot + 1;
	const struct filetype *ft = filetype_by_ext(ext);
	const char *type = ft ? ft->name : u->content_type;
	const char *const vars[] = {"name", *u->original_name ? u->original_name : u->stored_name,
	                            "type", type,
	                            "size", size_text(req, (uint64_t)u->size),
	                            "was",  was,
	                            "ext",  ext,
	                            NULL};
	const char *key = request_query(req, "dup") ? "upload_dup" : "upload_done";
	const char *url = arena_printf(req->arena, "/media/u/%s", u->stored_name);
	json_t *added =
	    json_pack("{s:s, s:s, s:s?}", "text", fill(req->arena, admin_text(lang_of(req), key), vars),
	              "url", url, "markdown", markdown(req->arena, u, url));
	if (added && ext_ok(was))
		json_object_set_new(
		    added, "renamed",
		    json_string(fill(req->arena, admin_text(lang_of(req), "upload_renamed"), vars)));
	if (added)
		json_object_set_new(d, "added", added);
}

int upload_page(struct request *req, struct response *resp)
{
	json_t *d = page_data(req);
	added_notice(req, d);
	return admin_render(req, resp, 200, "admin/uploads", d);
}

/* ---- storing */

/* The SHA-256 of the bytes, as 64 lower-case hex digits in the arena. */
static const char *sha256_hex(struct arena *a, const void *p, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *hex = arena_alloc(a, 2 * sizeof(h) + 1);
	crypto_hash_sha256(h, p, len);
	sodium_bin2hex(hex, 2 * sizeof(h) + 1, h, sizeof(h));
	return hex;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n, len -= (size_t)n;
	}
	return 0;
}

/* Write the bytes as the folder's file name, unless it is there already (same name, same bytes):
 * into a temporary file first, flushed, then renamed into place, so nobody is served half a file. */
static int store(const char *name, const char *p, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX], rnd[17];
	unsigned char r[8];
	struct stat st;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", cfg.dir, name) >= sizeof(path))
		return -1;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len)
		return 0;
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(rnd, sizeof(rnd), r, sizeof(r));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%s", cfg.dir, rnd, name) >= sizeof(tmp))
		return -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0)
		goto fail;
	int rc = write_all(fd, p, len) < 0 || fsync(fd) < 0;
	if (close(fd) < 0 || rc || rename(tmp, path) < 0) {
		unlink(tmp);
		goto fail;
	}
	return 0;
fail:
	log_error("uploads: cannot write %s: %s", path, strerror(errno));
	return -1;
}

/* ---- the upload */

/* The lower-case extension of a file name, when it has a plausible one; else NULL. */
static const char *name_ext(struct arena *a, const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return NULL;
	char *ext = arena_strdup(a, dot + 1);
	for (char *c = ext; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return ext_ok(ext) ? ext : NULL;
}

/* True when a name's extension says the same type as ft (jpeg for jpg, m4v for mp4...). */
static bool ext_matches(const char *ext, const struct filetype *ft)
{
	static const char *const alias[][2] = {
	    {"jpeg", "jpg"}, {"jpe", "jpg"}, {"jfif", "jpg"}, {"m4v", "mp4"}};
	if (strcmp(ext, ft->ext) == 0)
		return true;
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(ext, alias[i][0]) == 0 && strcmp(ft->ext, alias[i][1]) == 0)
			return true;
	return false;
}

/* The page again with status: the typed description kept, field saying msg. */
static int form_page(struct request *req, struct response *resp, int status, const char *alt,
                     const char *field, const char *msg)
{
	json_t *d = page_data(req);
	if (d) {
		json_object_set_new(d, "alt", json_string(alt));
		json_object_set_new(json_object_get(d, "errors"), field, json_string(msg));
	}
	return admin_render(req, resp, status, "admin/uploads", d);
}

/* Refuse the file: the page again with msg at the file field; the refusal logged and audited. */
static int refuse(struct request *req, struct response *resp, int status, const char *alt, const char *why,
                  const char *msg)
{
	const struct multipart_part *f = auth_file(req, "file");
	const char *name = f ? f->filename : "";
	log_warn("upload refused from %s (%s): %s \"%.80s\"", req->remote, auth_of(req)->user->email, why,
	         name);
	json_t *after =
	    json_pack("{s:s, s:s, s:I}", "reason", why, "name", name, "size", (json_int_t)(f ? f->len : 0));
	char *txt = after ? json_dumps(after, JSON_COMPACT) : NULL;
	json_decref(after);
	if (txt)
		arena_defer(req->arena, free, txt);
	auth_audit(req, NULL, "upload_refused", "upload", NULL, NULL, txt);
	return form_page(req, resp, status, alt, "file", msg);
}

/* The message for bytes that are no accepted type: SVG and HTML by name. */
static const char *type_refusal(const struct multipart_part *f, const char **why)
{
	const char *named = filetype_refused(f->data, f->len);
	*why = named ? named : "type";
	return named && strcmp(named, "svg") == 0    ? "err_upload_svg"
	       : named && strcmp(named, "html") == 0 ? "err_upload_html"
	                                             : "err_upload_type";
}

/* Check the file against its kind: its cap, and the WebVTT check for captions. 0, or the refusal's
 * status with *why and *msg set. */
static int check_file(struct request *req, const struct multipart_part *f, const struct filetype *ft,
                      const char **why, const char **msg)
{
	const char *lang = lang_of(req);
	if (f->len > cap_of(ft)) {
		const char *const vars[] = {"type", ft->name,
		                            "size", size_text(req, f->len),
		                            "kind", kind_label(req, ft->kind),
		                            "max",  size_text(req, cap_of(ft)),
		                            NULL};
		*why = "size";
		*msg = fill(req->arena, admin_text(lang, "err_upload_big"), vars);
		return 413;
	}
	struct filetype_vtt_error e;
	if (strcmp(ft->kind, "captions") == 0 && filetype_vtt_check(f->data, f->len, &e) < 0) {
		const char *const vars[] = {"line", arena_printf(req->arena, "%zu", e.line), "problem",
		                            admin_text(lang, e.key), NULL};
		*why = arena_printf(req->arena, "webvtt line %zu: %s", e.line, e.key);
		*msg = fill(req->arena, admin_text(lang, "err_upload_vtt"), vars);
		return 422;
	}
	return 0;
}

/* The audit entry's "after": what was stored. */
static const char *audit_after(struct request *req, const struct upload *u, const char *type, bool dup)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:b}", "name", u->original_name, "type", type,
	                      "kind", u->kind, "size", (json_int_t)u->size, "url",
	                      arena_printf(req->arena, "/media/u/%s", u->stored_name), "duplicate", dup);
	char *txt = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (txt)
		arena_defer(req->arena, free, txt);
	return txt;
}

/* Valid alternative text: one line of at most ALT_MAX characters (the form made it UTF-8). */
static bool alt_ok(const char *alt)
{
	for (const char *p = alt; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return utf8_len(alt, strlen(alt)) <= ALT_MAX;
}

/* Store the file and record it: 1 new, 0 the same bytes were already there, -1 on failure. */
static int keep(struct upload *u, const struct multipart_part *f)
{
	return store(u->stored_name, f->data, f->len) < 0 ? -1 : upload_add(cfg.db, u);
}

int upload_submit(struct request *req, struct response *resp)
{
	struct auth *st = auth_of(req);
	if (!auth_can(st->user, AUTH_EDIT, &(struct auth_object){"upload", NULL}))
		return admin_error(req, resp, 403, "err_role");
	const char *lang = lang_of(req), *why = NULL, *msg;
	struct str t = str_trim(str_c(auth_field(req, "alt")));
	const char *alt = arena_strndup(req->arena, t.p, t.len);
	const struct multipart_part *f = auth_file(req, "file");
	if (!alt_ok(alt))
		return form_page(req, resp, 400, alt, "alt", admin_text(lang, "err_upload_alt"));
	if (!f || (!f->len && !*f->filename))
		return refuse(req, resp, 400, alt, "missing", admin_text(lang, "err_upload_missing"));
	if (!f->len)
		return refuse(req, resp, 400, alt, "empty", admin_text(lang, "err_upload_empty"));
	const struct filetype *ft = filetype_sniff(f->data, f->len);
	if (!ft) {
		const char *key = type_refusal(f, &why);
		return refuse(req, resp, 415, alt, why, admin_text(lang, key));
	}
	int status = check_file(req, f, ft, &why, &msg);
	if (status)
		return refuse(req, resp, status, alt, why, msg);
	const char *hash = sha256_hex(req->arena, f->data, f->len);
	struct upload u = {.sha256 = hash,
	                   .stored_name = arena_printf(req->arena, "%s.%s", hash, ft->ext),
	                   .original_name = f->filename,
	                   .content_type = ft->mime,
	                   .kind = ft->kind,
	                   .size = (int64_t)f->len,
	                   .alt = alt,
	                   .user_id = st->user->id};
	int added = keep(&u, f);
	if (added < 0)
		return admin_error(req, resp, 500, "err_internal");
	auth_audit(req, NULL, "upload", "upload", u.stored_name, NULL,
	           audit_after(req, &u, ft->name, added == 0));
	log_info("upload %s by %s: \"%.80s\" (%s, %zu bytes)%s", u.stored_name, st->user->email, f->filename,
	         ft->name, f->len, added == 0 ? ", already stored" : "");
	/* The notice says so when the name claimed another type than the bytes are. */
	const char *was = name_ext(req->arena, f->filename);
	if (was && ext_matches(was, ft))
		was = NULL;
	return auth_redirect(req, resp,
	                     arena_printf(req->arena, "%s?added=%s%s%s%s", route, hash,
	                                  added == 0 ? "&dup=1" : "", was ? "&was=" : "", was ? was : ""));
}

/* ---- serving */

/* Content-Disposition: inline; a PDF also gets a safe file name for saving (ASCII letters, digits,
 * '.', '-', '_' and spaces from its original name; else its hash). */
static const char *disposition(struct request *req, const struct upload *u, const struct filetype *ft)
{
	if (strcmp(ft->kind, "pdf") != 0)
		return "inline";
	const char *s = stem(req->arena, u->original_name);
	char safe[81];
	size_t k = 0;
	for (; *s && k < sizeof(safe) - 1; s++) {
		bool ok = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		          strchr(".-_ ", *s);
		if (ok || (k && safe[k - 1] != '_'))
			safe[k++] = ok ? *s : '_';
	}
	safe[k] = '\0';
	if (!k || strspn(safe, "._- ") == k)
		snprintf(safe, sizeof(safe), "%.12s", u->sha256);
	return arena_printf(req->arena, "inline; filename=\"%s.pdf\"", safe);
}

int upload_serve(struct request *req, struct response *resp)
{
	const char *file = request_param(req, "file");
	const struct filetype *ft = NULL;
	struct upload *u = NULL;
	if (file && strlen(file) > 65 && file[64] == '.' && strspn(file, hexdigits) == 64) {
		ft = filetype_by_ext(file + 65);
		u = ft ? upload_find(cfg.db, req->arena, arena_strndup(req->arena, file, 64)) : NULL;
	}
	char path[PATH_MAX];
	int fd = -1;
	struct stat st;
	if (u && strcmp(u->stored_name, file) == 0 &&
	    (size_t)snprintf(path, sizeof(path), "%s/%s", cfg.dir, file) < sizeof(path))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		if (u)
			log_error("uploads: %s is in the database but not readable in %s", file, cfg.dir);
		routes_error_page(resp, 404, "en");
		return 404;
	}
	resp->fd = fd;
	resp->fd_len = (uint64_t)st.st_size;
	resp->content_type = ft->mime;
	resp->cache_control = "public, max-age=31536000, immutable";
	resp->etag = arena_printf(req->arena, "\"%s\"", u->sha256);
	response_header(resp, "Content-Disposition", disposition(req, u, ft));
	return 200;
}

bool upload_too_large(struct request *req, struct response *resp)
{
	if (strcmp(req->path, route) != 0)
		return false;
	struct auth *st = auth_of(req);
	const char *q = request_query(req, "lang");
	st->lang = q && strcmp(q, "es") == 0 ? "es" : "en";
	const char *const vars[] = {"image",    cap_text(req, "image"),    "pdf",   cap_text(req, "pdf"),
	                            "captions", cap_text(req, "captions"), "video", cap_text(req, "video"),
	                            NULL};
	json_t *d = json_pack("{s:s, s:s, s:i}", "title", admin_text(st->lang, "error_title_413"), "message",
	                      fill(req->arena, admin_text(st->lang, "err_upload_body"), vars), "status", 413);
	admin_render(req, resp, 413, "admin/error", d);
	return true;
}
