/* One <path> of horizontal runs of dark modules: small markup, crisp at any size, and colours set
 * by presentation attributes (fill=), not style, so the page's strict CSP allows it. */
#include "view/qr.h"

#include <qrencode.h>

enum { QUIET = 4 };

static void put_escaped(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, *s);
		}
	}
}

int qr_svg(const char *text, const char *label, struct buf *out)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -1;
	int w = q->width, size = w + 2 * QUIET;
	buf_printf(out,
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"vrc-qr\" viewBox=\"0 0 %d %d\" "
	           "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
	           size, size, size * 6, size * 6);
	put_escaped(out, label);
	buf_printf(out,
	           "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	           "<path fill=\"#000\" d=\"",
	           size, size);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 0;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	}
	buf_puts(out, "\"/></svg>");
	QRcode_free(q);
	return 0;
}
