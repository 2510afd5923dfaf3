/* Unit tests for src/base/utf8.c: what counts as valid UTF-8 (the check every text entry point uses)
 * and counting code points. */
#include "base/utf8.h"
#include "test.h"

/* utf8_valid on a literal with embedded bytes (the length excludes the literal's own NUL). */
#define U8(lit) utf8_valid((lit), sizeof(lit) - 1)

static void test_utf8_ascii_and_nul(void)
{
	CHECK(utf8_valid("", 0));
	CHECK(utf8_valid(NULL, 0));
	CHECK(U8("plain ASCII, punctuation ~!@#$%^&*()\t\n\x7f"));
	/* A NUL anywhere is refused, even inside the given length. */
	CHECK(!U8("\0"));
	CHECK(!U8("ab\0cd"));
	CHECK(!U8("caf\xc3\xa9\0"));
	/* The length bounds the check: bytes past it are not looked at. */
	CHECK(utf8_valid("ok\xff", 2));
	CHECK(utf8_valid("a\0", 1));
}

static void test_utf8_valid_sequences(void)
{
	CHECK(U8("\xc2\x80"));         /* U+0080, smallest 2-byte */
	CHECK(U8("\xdf\xbf"));         /* U+07FF, largest 2-byte */
	CHECK(U8("\xe0\xa0\x80"));     /* U+0800, smallest 3-byte */
	CHECK(U8("\xed\x9f\xbf"));     /* U+D7FF, just below the surrogates */
	CHECK(U8("\xee\x80\x80"));     /* U+E000, just above them */
	CHECK(U8("\xef\xbf\xbf"));     /* U+FFFF */
	CHECK(U8("\xef\xbb\xbf"));     /* U+FEFF, BOM */
	CHECK(U8("\xf0\x90\x80\x80")); /* U+10000, smallest 4-byte */
	CHECK(U8("\xf4\x8f\xbf\xbf")); /* U+10FFFF, the maximum */
	CHECK(U8("Se\xc3\xb1or, \xc2\xbf"
	         "c\xc3\xb3mo est\xc3\xa1? \xe2\x80\x94 \xf0\x9f\x92\x99"));
}

static void test_utf8_overlong(void)
{
	CHECK(!U8("\xc0\x80"));         /* NUL, overlong */
	CHECK(!U8("\xc0\xaf"));         /* '/', overlong */
	CHECK(!U8("\xc1\xbf"));         /* U+007F in 2 bytes */
	CHECK(!U8("\xe0\x80\x80"));     /* NUL in 3 bytes */
	CHECK(!U8("\xe0\x80\xaf"));     /* '/' in 3 bytes */
	CHECK(!U8("\xe0\x9f\xbf"));     /* U+07FF in 3 bytes */
	CHECK(!U8("\xf0\x80\x80\x80")); /* NUL in 4 bytes */
	CHECK(!U8("\xf0\x80\x80\xaf"));
	CHECK(!U8("\xf0\x8f\xbf\xbf"));     /* U+FFFF in 4 bytes */
	CHECK(!U8("\xf8\x88\x80\x80\x80")); /* 5-byte forms do not exist */
	CHECK(!U8("\xfc\x84\x80\x80\x80\x80"));
}

static void test_utf8_surrogates_and_range(void)
{
	CHECK(!U8("\xed\xa0\x80"));             /* U+D800 */
	CHECK(!U8("\xed\xad\xbf"));             /* U+DB7F */
	CHECK(!U8("\xed\xb0\x80"));             /* U+DC00 */
	CHECK(!U8("\xed\xbf\xbf"));             /* U+DFFF */
	CHECK(!U8("\xed\xa0\xbd\xed\xb2\x99")); /* a CESU-8 surrogate pair */
	CHECK(!U8("\xf4\x90\x80\x80"));         /* U+110000, above the maximum */
	CHECK(!U8("\xf5\x80\x80\x80"));
	CHECK(!U8("\xf7\xbf\xbf\xbf"));
	CHECK(!U8("\xfe"));
	CHECK(!U8("\xff"));
}

static void test_utf8_truncated_and_stray(void)
{
	CHECK(!U8("\xc3")); /* lead byte at the end */
	CHECK(!U8("ab\xc3"));
	CHECK(!U8("\xe2\x82"));     /* 3-byte sequence cut short */
	CHECK(!U8("\xf0\x9f\x92")); /* 4-byte sequence cut short */
	CHECK(!U8("\xf0\x9f"));
	/* A sequence cut by the length argument, though the bytes follow in memory. */
	CHECK(!utf8_valid("\xe2\x82\xac", 2));
	CHECK(utf8_valid("\xe2\x82\xac", 3));
	CHECK(!U8("\x80")); /* continuation byte with no lead */
	CHECK(!U8("a\xbf"
	          "b"));
	CHECK(!U8("\xc3\xa9\xa9")); /* one continuation too many */
	CHECK(!U8("\xc3"
	          "a")); /* lead followed by ASCII */
	CHECK(!U8("\xe2\x28\xa1"));
	CHECK(!U8("\xf0\x9f\x92"
	          "a"));
	CHECK(!U8("\xc3\xc3\xa9"));
}

static void test_utf8_len(void)
{
	CHECK(utf8_len("", 0) == 0);
	CHECK(utf8_len("abc", 3) == 3);
	CHECK(utf8_len("\xc3\xa9t\xc3\xa9", 5) == 3);
	CHECK(utf8_len("\xf0\x9f\x92\x99\xe2\x80\x94", 7) == 2);
}

static const struct test_case tests[] = {
    {"ascii and nul", test_utf8_ascii_and_nul},
    {"valid sequences", test_utf8_valid_sequences},
    {"overlong", test_utf8_overlong},
    {"surrogates and range", test_utf8_surrogates_and_range},
    {"truncated and stray", test_utf8_truncated_and_stray},
    {"len", test_utf8_len},
};
TEST_MAIN(tests)
