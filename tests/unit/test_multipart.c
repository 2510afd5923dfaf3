/* Unit tests for src/http/multipart.c: boundaries from Content-Type (quoted, odd characters, missing,
 * too long), bodies as browsers send them, quoted parameters, file names with folders, escapes,
 * RFC 8187 names and bytes that are not UTF-8, binary file data, and refusal of missing parts,
 * truncated bodies, too many parts and oversize header blocks. */
#include "http/multipart.h"

#include <stdio.h>

#include "base/buf.h"
#include "test.h"

static const struct {
	const char *content_type;
	int rc;
	const char *boundary;
} boundaries[] = {
    {"multipart/form-data; boundary=----WebKitFormBoundaryX3b9", 1, "----WebKitFormBoundaryX3b9"},
    {"Multipart/Form-Data;boundary=abc", 1, "abc"},
    {"multipart/form-data; charset=utf-8; boundary=\"a b:c\"", 1, "a b:c"},
    {"multipart/form-data; boundary=\"quoted\"; boundary=second", 1, "quoted"},
    {"multipart/form-data; boundary=x123'()+_,-./:=?", 1, "x123'()+_,-./:=?"},
    {"application/x-www-form-urlencoded", 0, NULL},
    {"multipart/mixed; boundary=abc", 0, NULL},
    {"multipart/form-datax; boundary=abc", 0, NULL},
    {NULL, 0, NULL},
    {"multipart/form-data", -1, NULL},
    {"multipart/form-data; boundary=", -1, NULL},
    {"multipart/form-data; boundary=\"\"", -1, NULL},
    {"multipart/form-data; boundary=\"unterminated", -1, NULL},
    {"multipart/form-data; boundary=\"trailing space \"", -1, NULL},
    {"multipart/form-data; boundary=bad<char>", -1, NULL},
    {"multipart/form-data; boundary=12345678901234567890123456789012345678901234567890123456789012345678901",
     -1, NULL},
    {"multipart/form-data; =abc", -1, NULL},
};

static void test_boundary(void)
{
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(boundaries) / sizeof(boundaries[0]); i++) {
		const char *b = "unset";
		int rc = multipart_boundary(a, boundaries[i].content_type, &b);
		CHECK(rc == boundaries[i].rc);
		if (boundaries[i].boundary)
			CHECK_STR(b, boundaries[i].boundary);
		else
			CHECK(b == NULL);
	}
	arena_free(a);
}

static int parse(struct arena *a, const char *body, size_t len, struct multipart *m)
{
	return multipart_parse(a, "XyZ", body, len, m);
}

#define BODY(s) s, sizeof(s) - 1

static void test_browser_body(void)
{
	struct arena *a = arena_new();
	struct multipart m;
	static const char body[] = "--XyZ\r\n"
	                           "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	                           "tok-123\r\n"
	                           "--XyZ\r\n"
	                           "Content-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
	                           "Content-Type: image/png\r\n\r\n"
	                           "\x89PNG\r\n\x1a\n\0\0binary\r\n--XyNot the boundary\r\n"
	                           "--XyZ\r\n"
	                           "content-disposition: FORM-DATA; name=alt\r\n\r\n"
	                           "Dos niños en el parque\r\n"
	                           "--XyZ--\r\n";
	CHECK(parse(a, BODY(body), &m) == 0);
	CHECK(m.n == 3);
	const struct multipart_part *csrf = multipart_get(&m, "csrf"), *file = multipart_get(&m, "file");
	CHECK_STR(csrf->data, "tok-123");
	CHECK(csrf->filename == NULL);
	CHECK_STR(file->filename, "photo.png");
	CHECK_STR(file->content_type, "image/png");
	static const char want[] = "\x89PNG\r\n\x1a\n\0\0binary\r\n--XyNot the boundary";
	CHECK(file->len == sizeof(want) - 1 && memcmp(file->data, want, file->len) == 0);
	CHECK(file->data > body && file->data < body + sizeof(body)); /* not copied */
	CHECK_STR(multipart_get(&m, "alt")->data, "Dos niños en el parque");
	CHECK(multipart_get(&m, "nope") == NULL);
	arena_free(a);
}

static void test_framing(void)
{
	struct arena *a = arena_new();
	struct multipart m;
	/* A preamble before the first boundary and an epilogue after the last are ignored; padding
	 * after a boundary is allowed; an empty value; no file chosen (empty name, no bytes). */
	static const char b1[] = "This is a preamble.\r\n--XyZ \t\r\n"
	                         "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
	                         "\r\n--XyZ\r\n"
	                         "Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
	                         "Content-Type: application/octet-stream\r\n\r\n"
	                         "\r\n--XyZ--epilogue";
	CHECK(parse(a, BODY(b1), &m) == 0);
	CHECK(m.n == 2);
	CHECK_STR(m.parts[0].data, "");
	CHECK_STR(m.parts[1].filename, "");
	CHECK(m.parts[1].len == 0);
	/* No parts at all is a well-formed (empty) form. */
	CHECK(parse(a, BODY("--XyZ--\r\n"), &m) == 0 && m.n == 0);
	arena_free(a);
}

static const struct {
	const char *disposition; /* the Content-Disposition header value */
	const char *filename;    /* want; NULL: a plain field */
} names[] = {
    {"form-data; name=\"f\"; filename=\"C:\\Users\\ana\\Pictures\\flyer.pdf\"", "flyer.pdf"},
    {"form-data; name=\"f\"; filename=\"../../etc/passwd\"", "passwd"},
    {"form-data; name=\"f\"; filename=\"/var/www/x.png\"", "x.png"},
    {"form-data; name=\"f\"; filename=\"caf\xe9 menu.png\"", "caf\xef\xbf\xbd menu.png"},
    {"form-data; name=\"f\"; filename=\"a\xff\xfe.vtt\"", "a\xef\xbf\xbd\xef\xbf\xbd.vtt"},
    {"form-data; name=\"f\"; filename=\"ni\xc3\xb1o.jpg\"", "ni\xc3\xb1o.jpg"},
    {"form-data; name=\"f\"; filename=\"say %22hi%22.png\"", "say \"hi\".png"},
    {"form-data; name=\"f\"; filename=\"say \\\"hi\\\".png\"", "say \"hi\".png"},
    {"form-data; name=\"f\"; filename=\"line%0D%0Abreak.png\"", "linebreak.png"},
    {"form-data; name=\"f\"; filename=\"tab\there.png\"", "tabhere.png"},
    {"form-data; name=\"f\"; filename=plain.pdf", "plain.pdf"},
    {"form-data; name=\"f\"; filename=\"ascii.pdf\"; filename*=UTF-8''%E2%82%AC%20rates.pdf",
     "\xe2\x82\xac rates.pdf"},
    {"form-data; name=\"f\"; filename=\"latin.pdf\"; filename*=iso-8859-1''%A3.pdf", "latin.pdf"},
    {"form-data; name=\"f\"; filename=\"semi;colon.png\"", "semi;colon.png"},
    {"form-data; filename=\"first.png\"; name=\"f\"", "first.png"},
    {"form-data; name=\"f\"", NULL},
};

static void test_filenames(void)
{
	struct arena *a = arena_new();
	struct multipart m;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *body = arena_printf(a, "--XyZ\r\nContent-Disposition: %s\r\n\r\nbytes\r\n--XyZ--",
		                                names[i].disposition);
		CHECK(parse(a, body, strlen(body), &m) == 0);
		CHECK(m.n == 1);
		CHECK_STR(m.parts[0].name, "f");
		if (names[i].filename)
			CHECK_STR(m.parts[0].filename, names[i].filename);
		else
			CHECK(m.parts[0].filename == NULL);
	}
	/* A very long name is cut at a character boundary. */
	struct buf b = BUF_INIT;
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"");
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "\xc3\xb1");
	buf_puts(&b, ".png\"\r\n\r\nx\r\n--XyZ--");
	CHECK(parse(a, b.p, b.len, &m) == 0);
	CHECK(strlen(m.parts[0].filename) == MULTIPART_MAX_FILENAME - 1);
	buf_free(&b);
	arena_free(a);
}

/* Bodies that must be refused. */
static const struct {
	const char *why;
	const char *body;
} bad[] = {
    {"empty", ""},
    {"no boundary at all", "just some text"},
    {"another boundary", "--Other\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--Other--"},
    {"truncated in the data", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhalf a val"},
    {"truncated in the headers", "--XyZ\r\nContent-Disposition: form-data; name=\"a\""},
    {"truncated after a boundary", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ"},
    {"truncated after the part", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ\r\n"},
    {"no disposition", "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--"},
    {"no headers", "--XyZ\r\n\r\nx\r\n--XyZ--"},
    {"no name", "--XyZ\r\nContent-Disposition: form-data; filename=\"a.png\"\r\n\r\nx\r\n--XyZ--"},
    {"not form-data", "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--"},
    {"two dispositions", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: "
                         "form-data; name=\"b\"\r\n\r\nx\r\n--XyZ--"},
    {"unterminated quote", "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--"},
    {"header without colon",
     "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nbogus\r\n\r\nx\r\n--XyZ--"},
    {"folded header", "--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--XyZ--"},
    {"garbage after boundary", "--XyZjunk\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--"},
    {"bare LF line ends", "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nx\n--XyZ--"},
    {"plain value not UTF-8",
     "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\xfe\r\n--XyZ--"},
    {"field name not UTF-8", "--XyZ\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nx\r\n--XyZ--"},
};

static void test_bad(void)
{
	struct arena *a = arena_new();
	struct multipart m;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(a, bad[i].body, strlen(bad[i].body), &m);
		if (rc != -1)
			fprintf(stderr, "  accepted: %s\n", bad[i].why);
		CHECK(rc == -1);
	}
	/* A NUL in a plain value or in a header block. */
	CHECK(parse(a, BODY("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\0y\r\n--XyZ--"),
	            &m) == -1);
	CHECK(parse(a, BODY("--XyZ\r\nContent-Disposition: form-data; name=\"a\0\"\r\n\r\nx\r\n--XyZ--"),
	            &m) == -1);
	CHECK(multipart_parse(a, "XyZ", NULL, 0, &m) == -1);
	arena_free(a);
}

static void test_limits(void)
{
	struct arena *a = arena_new();
	struct multipart m;
	struct buf b = BUF_INIT;
	/* MULTIPART_MAX_PARTS parts pass; one more is refused. */
	for (int i = 0; i < MULTIPART_MAX_PARTS; i++)
		buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	size_t at = b.len;
	buf_puts(&b, "--XyZ--");
	CHECK(parse(a, b.p, b.len, &m) == 0 && m.n == MULTIPART_MAX_PARTS);
	CHECK_STR(multipart_get(&m, "f63")->data, "63");
	b.len = at;
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"one-more\"\r\n\r\nx\r\n--XyZ--");
	CHECK(parse(a, b.p, b.len, &m) == -1);
	/* A header block just under the cap passes; past it is refused (an oversize header). */
	for (int over = 0; over < 2; over++) {
		buf_reset(&b);
		buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
		size_t pad = MULTIPART_MAX_HEADER - (b.len - 7) + (size_t)over;
		for (size_t i = 0; i < pad; i++)
			buf_putc(&b, 'p');
		buf_puts(&b, "\r\n\r\nx\r\n--XyZ--");
		CHECK(parse(a, b.p, b.len, &m) == (over ? -1 : 0));
	}
	/* A large binary part (1 MiB of bytes that hold CR, LF and dashes) comes through whole. */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n");
	size_t start = b.len;
	for (size_t i = 0; i < (1u << 20); i++)
		buf_putc(&b, "\r\n-XyZ"[i % 6]);
	size_t n = b.len - start;
	buf_puts(&b, "\r\n--XyZ--\r\n");
	CHECK(parse(a, b.p, b.len, &m) == 0);
	CHECK(m.n == 1 && m.parts[0].len == n);
	buf_free(&b);
	arena_free(a);
}

static const struct test_case tests[] = {
    {"boundary", test_boundary}, {"browser body", test_browser_body},
    {"framing", test_framing},   {"file names", test_filenames},
    {"refused", test_bad},       {"limits", test_limits},
};
TEST_MAIN(tests)
