/* Unit tests for src/app/filetype.c: the type of bytes by their signature (each accepted type, near
 * misses, files whose name would lie), SVG and HTML named when refused, and the WebVTT check over a
 * table of good and bad files with the line of the first error. */
#include "app/filetype.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "test.h"

#define B(s) s, sizeof(s) - 1

static const struct {
	const char *what;
	const char *bytes;
	size_t len;
	const char *ext; /* want; NULL: refused */
} sniffs[] = {
    {"1x1 PNG", B("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89"), "png"},
    {"PNG signature without IHDR", B("\x89PNG\r\n\x1a\n\0\0\0\rIDAT"), NULL},
    {"PNG signature cut short", B("\x89PNG\r\n"), NULL},
    {"JPEG (JFIF)", B("\xff\xd8\xff\xe0\0\x10JFIF\0\1\1\0\0\1\0\1\0\0"), "jpg"},
    {"JPEG (Exif)",
     B("\xff\xd8\xff\xe1\0\x18"
       "Exif\0\0"),
     "jpg"},
    {"two bytes of JPEG", B("\xff\xd8"), NULL},
    {"WebP (lossy)", B("RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0"), "webp"},
    {"WebP (lossless)", B("RIFF\x24\0\0\0WEBPVP8L\x18\0\0\0"), "webp"},
    {"WebP (extended)", B("RIFF\x24\0\0\0WEBPVP8X\x0a\0\0\0"), "webp"},
    {"RIFF WAVE audio", B("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"), NULL},
    {"MP4 (isom)",
     B("\0\0\0\x18"
       "ftypisom\0\0\x02\0isomiso2"),
     "mp4"},
    {"MP4 (mp42)",
     B("\0\0\0\x1c"
       "ftypmp42\0\0\0\0mp42isomavc1"),
     "mp4"},
    {"QuickTime movie",
     B("\0\0\0\x14"
       "ftypqt  \0\0\0\0qt  "),
     NULL},
    {"HEIC image",
     B("\0\0\0\x18"
       "ftypheic\0\0\0\0mif1heic"),
     NULL},
    {"M4A audio",
     B("\0\0\0\x1c"
       "ftypM4A \0\0\0\0M4A isomiso2"),
     NULL},
    {"ftyp box too small",
     B("\0\0\0\x08"
       "ftypisom\0\0\0\0"),
     NULL},
    {"WebM",
     B("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
       "\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02"),
     "webm"},
    {"Matroska", B("\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska\x42\x87\x81\x04\x42\x85\x81\x02"), NULL},
    {"EBML header longer than the file", B("\x1a\x45\xdf\xa3\xff\x42\x82\x84webm"), NULL},
    {"EBML without DocType", B("\x1a\x45\xdf\xa3\x84\x42\x86\x81\x01"), NULL},
    {"PDF", B("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), "pdf"},
    {"PDF 2.0", B("%PDF-2.0\n"), "pdf"},
    {"not quite PDF", B("%PDF-x"), NULL},
    {"PDF header later in the file", B("junk\n%PDF-1.4\n"), NULL},
    {"WebVTT", B("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"), "vtt"},
    {"WebVTT with BOM and title", B("\xef\xbb\xbfWEBVTT - Captions\r\n"), "vtt"},
    {"WebVTT alone", B("WEBVTT"), "vtt"},
    {"WEBVTTX", B("WEBVTTX\n"), NULL},
    {"SVG", B("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), NULL},
    {"HTML", B("<!DOCTYPE html><html><body>hi</body></html>"), NULL},
    {"GIF", B("GIF89a\1\0\1\0"), NULL},
    {"ZIP", B("PK\3\4\x14\0\0\0"), NULL},
    {"plain text", B("hello world\n"), NULL},
    {"empty", B(""), NULL},
};

static void test_sniff(void)
{
	for (size_t i = 0; i < sizeof(sniffs) / sizeof(sniffs[0]); i++) {
		const struct filetype *ft = filetype_sniff(sniffs[i].bytes, sniffs[i].len);
		const char *got = ft ? ft->ext : NULL;
		bool ok = sniffs[i].ext ? got && strcmp(got, sniffs[i].ext) == 0 : got == NULL;
		if (!ok)
			fprintf(stderr, "  %s: sniffed as %s\n", sniffs[i].what, got ? got : "(none)");
		CHECK(ok);
	}
	CHECK(filetype_sniff(NULL, 0) == NULL);
}

static void test_table(void)
{
	/* Every type round-trips by extension; kinds and caps are as documented. */
	for (size_t i = 0; i < filetype_count; i++)
		CHECK(filetype_by_ext(filetype_table[i].ext) == &filetype_table[i]);
	CHECK(filetype_by_ext("svg") == NULL);
	CHECK(filetype_by_ext("html") == NULL);
	CHECK(filetype_by_ext(NULL) == NULL);
	CHECK_STR(filetype_by_ext("png")->mime, "image/png");
	CHECK_STR(filetype_by_ext("vtt")->mime, "text/vtt; charset=utf-8");
	CHECK_STR(filetype_by_ext("webm")->kind, "video");
	CHECK(filetype_by_ext("jpg")->cap == 5 * FILETYPE_MIB);
	CHECK(filetype_by_ext("pdf")->cap == 10 * FILETYPE_MIB);
	CHECK(filetype_by_ext("vtt")->cap == 1 * FILETYPE_MIB);
	CHECK(filetype_by_ext("mp4")->cap == 0);
}

static const struct {
	const char *bytes;
	const char *named; /* want */
} refusals[] = {
    {"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "svg"},
    {"  \n<SVG>", "svg"},
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", "svg"},
    {"\xef\xbb\xbf<svg>", "svg"},
    {"<!doctype html><title>x</title>", "html"},
    {"<HTML><BODY>", "html"},
    {"\r\n<script>alert(1)</script>", "html"},
    {"<!-- a comment --><p>", "html"},
    {"<?xml version=\"1.0\"?><rss/>", NULL},
    {"GIF89a", NULL},
    {"", NULL},
};

static void test_refused(void)
{
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const char *got = filetype_refused(refusals[i].bytes, strlen(refusals[i].bytes));
		if (refusals[i].named)
			CHECK_STR(got, refusals[i].named);
		else
			CHECK(got == NULL);
	}
}

static const struct {
	const char *text;
	size_t line;     /* want: 0 for a good file, else the line of the first error */
	const char *key; /* and its message key */
} vtts[] = {
    /* Good files. */
    {"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n", 0, NULL},
    {"WEBVTT\n\n00:00:00.500 --> 00:00:04.322\nOne\n\n00:00:05.022 --> 00:00:10.134\nTwo\nlines\n", 0, NULL},
    {"WEBVTT - Title\nKind: captions\nLanguage: es\n\n1\n00:01.000 --> 00:02.000\nUno\n", 0, NULL},
    {"\xef\xbb\xbfWEBVTT\r\n\r\nNOTE a note\r\nover two lines\r\n\r\nid-1\r\n01:00.000 --> 01:02.500 "
     "align:start line:0\r\nA\r\n",
     0, NULL},
    {"WEBVTT\r\rSTYLE\r::cue { color: yellow }\r\r00:01.000 --> 00:02.000\rCR line ends\r", 0, NULL},
    {"WEBVTT\n\n100:00:00.000 --> 100:00:01.000\nLong hours\n", 0, NULL},
    {"WEBVTT\n\n00:01.000 --> 00:02.000\nSame start\n\n00:01.000 --> 00:03.000\nis in order\n", 0, NULL},
    {"WEBVTT\n\n00:01.000-->00:02.000\nNo spaces\n\n\n\n00:03.000 \t-->\t 00:04.000\nTabs\n\n", 0, NULL},
    {"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Voz</v> <i>ni\xc3\xb1os</i> &amp;\n", 0, NULL},
    /* The header. */
    {"", 1, "vtt_header"},
    {"WEBVT\n\n00:01.000 --> 00:02.000\nx\n", 1, "vtt_header"},
    {"webvtt\n\n00:01.000 --> 00:02.000\nx\n", 1, "vtt_header"},
    {"WEBVTTX\n", 1, "vtt_header"},
    {"\n WEBVTT\n", 1, "vtt_header"},
    {"WEBVTT\n00:01.000 --> 00:02.000\nx\n", 2, "vtt_blank"},
    {"WEBVTT\n\nNOTE this\n00:01.000 --> 00:02.000\nx\n", 4, "vtt_blank"},
    /* Timings. */
    {"WEBVTT\n\n00:01 --> 00:02\nno milliseconds\n", 3, "vtt_timing"},
    {"WEBVTT\n\n0:01.000 --> 0:02.000\none-digit minutes\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:01.00 --> 00:02.000\ntwo-digit ms\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:01.0000 --> 00:02.000\nfour-digit ms\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:60.000 --> 01:02.000\nsixty seconds\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:60:00.000 --> 01:02:00.000\nsixty minutes\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:01,000 --> 00:02,000\nSRT commas\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:01.000 -> 00:02.000\nshort arrow\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:01.000 --> \nno end\n", 3, "vtt_timing"},
    {"WEBVTT\n\n00:01.000 --> 00:02.000x\njunk after\n", 3, "vtt_timing"},
    {"WEBVTT\n\nid only\n\n00:01.000 --> 00:02.000\nx\n", 3, "vtt_timing"},
    {"WEBVTT\n\nid\nno timing here\n", 4, "vtt_timing"},
    {"WEBVTT\n\n00:01.000 --> 00:02.000\nfine\n\njust text\n", 6, "vtt_timing"},
    {"WEBVTT\n\n1234567890:00:00.000 --> 1234567890:00:01.000\nhours too long\n", 3, "vtt_timing"},
    /* End after start, cues in order. */
    {"WEBVTT\n\n00:02.000 --> 00:01.000\nbackwards\n", 3, "vtt_end"},
    {"WEBVTT\n\n00:02.000 --> 00:02.000\nzero length\n", 3, "vtt_end"},
    {"WEBVTT\n\n00:05.000 --> 00:06.000\nfirst\n\n2\n00:04.000 --> 00:07.000\nearlier\n", 7, "vtt_order"},
    {"WEBVTT\n\n01:00:00.000 --> 01:00:01.000\nan hour in\n\n59:59.000 --> 59:59.500\nbefore\n", 6,
     "vtt_order"},
    /* Cue text. */
    {"WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n00:03.000 --> 00:04.000\nno blank line\n", 5, "vtt_arrow"},
    {"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03.000 --> 00:04.000\nbad \xff byte\n", 7, "vtt_utf8"},
    {"WEBVTT\n\nNOTE only a note\n", 3, "vtt_empty"},
    {"WEBVTT\n", 1, "vtt_empty"},
};

static void test_vtt(void)
{
	for (size_t i = 0; i < sizeof(vtts) / sizeof(vtts[0]); i++) {
		struct filetype_vtt_error e = {0, NULL};
		int rc = filetype_vtt_check(vtts[i].text, strlen(vtts[i].text), &e);
		bool ok = vtts[i].line
		              ? rc == -1 && e.line == vtts[i].line && e.key && strcmp(e.key, vtts[i].key) == 0
		              : rc == 0;
		if (!ok)
			fprintf(stderr, "  vtt case %zu: rc %d line %zu %s\n", i, rc, e.line,
			        e.key ? e.key : "");
		CHECK(ok);
	}
	/* A NUL is not text (line 4), and the check stops at the length given, not at a NUL. */
	static const char nul[] = "WEBVTT\n\n00:01.000 --> 00:02.000\na\0b\n";
	struct filetype_vtt_error e;
	CHECK(filetype_vtt_check(nul, sizeof(nul) - 1, &e) == -1 && e.line == 4 &&
	      strcmp(e.key, "vtt_utf8") == 0);
	static const char cut[] = "WEBVTT\n\n00:01.000 --> 00:02.000\nfine\n\n00:03.000 --> 00:0";
	CHECK(filetype_vtt_check(cut, (size_t)(strstr(cut, "00:03") - cut), &e) == 0);
	CHECK(filetype_vtt_check(cut, sizeof(cut) - 1, &e) == -1 && e.line == 6);
	CHECK(filetype_vtt_check(NULL, 0, &e) == -1);
}

/* The project's own caption files pass; its video is WebM and its poster JPEG. */
static void test_real_files(void)
{
	static const char *const files[][2] = {
	    {"content/media/how-to-use-this-site.en.vtt", "vtt"},
	    {"content/media/como-usar-este-sitio.es.vtt", "vtt"},
	    {"content/media/how-to-use-this-site.webm", "webm"},
	    {"content/media/how-to-use-this-site.jpg", "jpg"},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *p = file_read(files[i][0], &len);
		CHECK(p != NULL);
		if (!p)
			continue;
		const struct filetype *ft = filetype_sniff(p, len);
		CHECK(ft && strcmp(ft->ext, files[i][1]) == 0);
		struct filetype_vtt_error e;
		if (strcmp(files[i][1], "vtt") == 0)
			CHECK(filetype_vtt_check(p, len, &e) == 0);
		free(p);
	}
}

static const struct test_case tests[] = {
    {"sniff", test_sniff}, {"table", test_table},           {"refused", test_refused},
    {"webvtt", test_vtt},  {"real files", test_real_files},
};
TEST_MAIN(tests)
