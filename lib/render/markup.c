#include "render/markup.h"

#include <string.h>

#include "core/utf8.h"

void cx_markup_text(cx_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			switch (c) {
			case '&': cx_buf_adds(b, "&amp;"); break;
			case '<': cx_buf_adds(b, "&lt;"); break;
			case '>': cx_buf_adds(b, "&gt;"); break;
			case '"': cx_buf_adds(b, "&quot;"); break;
			case '\'': cx_buf_adds(b, "&#39;"); break;
			default:
				if (c >= 0x20 || c == '\t' || c == '\n')
					cx_buf_addc(b, (char)c);
				else if (c == '\r')
					cx_buf_addc(b, ' ');
				/* other C0 controls: not allowed in XML, dropped */
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = cx_utf8_decode(s + i, n - i, &cp);
		/* A lead byte >= 0x80 decoded alone is bad; decode() lets
		 * overlongs and surrogates through, the strict check not. */
		if (k == 1 || cx_utf8_check(s + i, k) != 0) {
			cx_buf_adds(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (cp != 0xFFFE && cp != 0xFFFF)
			cx_buf_add(b, s + i, k);
		i += k;
	}
}

void cx_markup_texts(cx_buf *b, const char *s)
{
	cx_markup_text(b, s, strlen(s));
}

void cx_markup_text_cut(cx_buf *b, const char *s, size_t n, size_t cols)
{
	if (cx_utf8_width(s, n) <= cols) {
		cx_markup_text(b, s, n);
		return;
	}
	size_t w;
	size_t k = cx_utf8_prefix(s, n, cols > 0 ? cols - 1 : 0, &w);
	cx_markup_text(b, s, k);
	cx_buf_adds(b, "\xE2\x80\xA6");
}
