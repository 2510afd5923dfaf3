/* The file types the staff console accepts as uploads, known from their bytes (magic numbers), never
 * from a name or a browser's Content-Type; the size cap of each kind; and the WebVTT check. */
#ifndef VRC_FILETYPE_H
#define VRC_FILETYPE_H
#include <stddef.h>

enum { FILETYPE_MIB = 1024 * 1024 };

struct filetype {
	const char *name; /* what people call it: "PNG" */
	const char *kind; /* "image", "video", "captions" or "pdf" (the upload table's kinds) */
	const char *mime; /* the Content-Type it is served with */
	const char *ext;  /* the stored file's extension, without the dot */
	size_t cap;       /* the kind's size cap in bytes; 0: the server's upload limit */
};

/* Every accepted type, in the order the console lists them. */
extern const struct filetype filetype_table[];
extern const size_t filetype_count;

/* The accepted type of these bytes, or NULL when they are none of them. */
const struct filetype *filetype_sniff(const void *p, size_t len);
/* The accepted type with extension ext ("png"), or NULL. */
const struct filetype *filetype_by_ext(const char *ext);
/* For bytes that are a type refused on purpose, its name ("svg", "html"); else NULL. */
const char *filetype_refused(const void *p, size_t len);

/* The first problem in a WebVTT file: its line (1-based) and a message key ("vtt_header",
 * "vtt_blank", "vtt_timing", "vtt_end", "vtt_order", "vtt_arrow", "vtt_utf8", "vtt_empty"). */
struct filetype_vtt_error {
	size_t line;
	const char *key;
};

/* Check a WebVTT file: the WEBVTT header and the blank line after it, UTF-8 text, every cue's timing
 * ("HH:MM:SS.mmm --> HH:MM:SS.mmm" or "MM:SS.mmm", settings after it allowed), each cue ending after
 * it starts, cues in order of start time, no "-->" in cue text, at least one cue. 0, or -1 with err
 * set to the first problem. */
int filetype_vtt_check(const char *p, size_t len, struct filetype_vtt_error *err);

#endif
