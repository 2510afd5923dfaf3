/* The HTML tokenizer the template compiler runs over a template's text: a subset of the WHATWG
 * tokenizer, enough to know where each tag stands. Private to the template module. */
#ifndef VRC_TMPL_HTML_H
#define VRC_TMPL_HTML_H
#include <stdbool.h>

#include "view/template_int.h"

/* Where the tokenizer stands. */
enum tmpl_hstate {
	H_TEXT,
	H_LT,       /* after '<' */
	H_LT_SLASH, /* after "</" */
	H_TAG_NAME,
	H_BEFORE_ATTR,
	H_ATTR_NAME,
	H_AFTER_ATTR_NAME,
	H_BEFORE_VALUE, /* after '=' */
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UQ,
	H_AFTER_VALUE,
	H_DECL,      /* after "<!" */
	H_DECL_DASH, /* after "<!-" */
	H_BOGUS,     /* <!doctype ...>, <?...>: up to '>' */
	H_COMMENT_START,
	H_COMMENT_START_DASH,
	H_COMMENT,
	H_COMMENT_END_DASH,
	H_COMMENT_END,
	H_COMMENT_END_BANG,
	H_RAW,     /* content of <script>, <style>, <title>, <textarea>... */
	H_RAW_LT,  /* '<' in raw content */
	H_RAW_END, /* "</" in raw content, matching the element's name */
	H_PLAINTEXT,
	H_SCRIPT_BANG, /* "<!" in a script: browsers may read on past "</script>"; not followed */
};

/* The tokenizer's state between two bytes. */
struct tmpl_html {
	enum tmpl_hstate st;
	bool end_tag;       /* the tag being read is an end tag */
	bool url_start;     /* in a URL value that holds only white space so far */
	bool rc_markup;     /* '<' + letter in <title> or <textarea>: in <svg> that is a tag */
	unsigned char attr; /* enum attr (tmpl_html.c) of the value being read */
	unsigned char raw;  /* enum elem (tmpl_html.c) of the content being read (H_RAW*) */
	unsigned char name_len, aname_len, match;
	char name[16];  /* tag name, lower case; name_len == sizeof name when longer */
	char aname[16]; /* attribute name, likewise */
};

/* Read one more byte c of template text; h starts zeroed, in H_TEXT. */
void tmpl_html_feed(struct tmpl_html *h, int c);
/* True when a and b read what follows alike. Only what a state looks at is compared; url_start
 * is left to the caller to merge. */
bool tmpl_html_same(const struct tmpl_html *a, const struct tmpl_html *b);
/* Where a value tag may stand: sets *ctx and returns NULL, or returns why it may not (a static
 * string). */
const char *tmpl_html_context(const struct tmpl_html *h, enum tmpl_ctx *ctx);
/* Why a template may not end where h stands (a static string), or NULL in HTML text. */
const char *tmpl_html_unfinished(const struct tmpl_html *h);

#endif
