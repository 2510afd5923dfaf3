/* QR codes as inline SVG markup (libqrencode), for pages under a CSP without inline script or style. */
#ifndef VRC_QR_H
#define VRC_QR_H
#include "base/buf.h"

/* Append an <svg> of text as a QR code (error correction level M, 4-module quiet zone) to out, with
 * role="img" and label (HTML-escaped) as its accessible name. 0, or -1 when text cannot be encoded. */
int qr_svg(const char *text, const char *label, struct buf *out);

#endif
