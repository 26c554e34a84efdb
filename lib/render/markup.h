/*
 * markup: customer text into HTML, SVG and XML without it becoming markup.
 *
 * Every complaint's text is written by someone outside the company, and the
 * report and the charts put it where a browser interprets bytes: element
 * content, attribute values, <title>.  This module is the one place that
 * turns text into markup-safe text, so that a fix reaches every writer.
 *
 * cx_markup_text() escapes & < > " ' (the five that matter in content and
 * in quoted attributes, so one function serves both), drops the C0 control
 * characters other than tab and newline and the noncharacters U+FFFE and
 * U+FFFF (XML 1.0 forbids them; a browser's XML parser stops at them), and
 * replaces a byte that is not UTF-8 by U+FFFD.  Nothing it writes can open
 * a tag, close an attribute, start an entity or end a CDATA section.
 * Customer text must never go into <script>, <style>, an event attribute,
 * a URL or a CSS value: the writers here put it in content and in title
 * and aria-label attributes only.
 *
 * Memory: the caller owns the buffer; these append to it.
 */
#ifndef CX_MARKUP_H
#define CX_MARKUP_H

#include <stddef.h>

#include "core/buf.h"

/* Append s[0..n) escaped for element content or a quoted attribute. */
void cx_markup_text(cx_buf *b, const char *s, size_t n);

/* The same for a C string. */
void cx_markup_texts(cx_buf *b, const char *s);

/* Append s cut to at most cols display columns (CJK counts two), with an
 * ellipsis when cut, escaped as cx_markup_text() does. */
void cx_markup_text_cut(cx_buf *b, const char *s, size_t n, size_t cols);

#endif
