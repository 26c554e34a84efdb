/*
 * input: bytes from a file or standard input, decompressed and decoded.
 *
 * The first stage of every cx program.  A cx_input reads in large blocks
 * (CX_INPUT_BLOCK bytes), recognises gzip by its magic bytes (not by the
 * file name) and inflates it with zlib, optionally converts from a legacy
 * encoding (GBK, GB18030, UTF-16, ...) to UTF-8 through iconv, and drops a
 * UTF-8 byte order mark at the start.  What comes out is UTF-8 text, handed
 * out either a line at a time (cx_input_line) or a block at a time
 * (cx_input_block, for parsers that track line ends themselves).
 *
 * Memory: the cx_input owns its buffers.  A line or block returned is
 * borrowed: it stays valid only until the next call on the same input.  The
 * buffer grows to hold the longest line, up to cx_input_max_line bytes;
 * a longer line is an error, not an out-of-memory kill.
 *
 * Errors (cannot open, read error, corrupt or truncated gzip, bytes invalid
 * in the declared encoding) end the program through cx_die with the file
 * name and, where known, the line.
 */
#ifndef CX_INPUT_H
#define CX_INPUT_H

#include <stddef.h>
#include <stdint.h>

#define CX_INPUT_BLOCK (256 * 1024)

/* Lines longer than this are refused (status 3).  Settable for tests. */
extern size_t cx_input_max_line;

typedef struct cx_input cx_input;
struct cx_buf;

/* path NULL or "-" is standard input.  encoding NULL or "utf-8" means no
 * conversion.  Dies (status 4) when the file cannot be opened, (status 2)
 * when the encoding is unknown. */
cx_input *cx_input_open(const char *path, const char *encoding);
void cx_input_close(cx_input *in);

/* Name for messages: the path, or "(stdin)". */
const char *cx_input_name(const cx_input *in);
/* The same for a path not opened yet (NULL or "-": "(stdin)"). */
const char *cx_path_name(const char *path);

/* Next line without its '\n' (a last line without '\n' counts).  Returns
 * 0 at end of input, 1 otherwise.  *lineno is set to its 1-based number. */
int cx_input_line(cx_input *in, const char **line, size_t *len);
long cx_input_lineno(const cx_input *in);

/* Next block of decoded bytes, for parsers that scan for line ends
 * themselves.  Returns 0 at end of input.  Not to be mixed with
 * cx_input_line on the same input. */
int cx_input_block(cx_input *in, const char **p, size_t *len);

/* Append the whole of path (decompressed, decoded, without a BOM) to
 * out: for rules files, lexicons and the like, read before the stream.
 * Dies as cx_input_open does. */
void cx_input_slurp(const char *path, const char *encoding, struct cx_buf *out);

/* 1 if the input was gzip-compressed (known after the first read). */
int cx_input_is_gzip(const cx_input *in);

#endif
