/*
 * opt: the option layer every program shares.
 *
 * A program describes its options once, as a table of cx_option rows; the
 * same table drives getopt_long, --help, and the option list that the
 * completion generator and the man-page check read (--list-options), so
 * they cannot drift apart.  The common options (-h/--help, -V/--version,
 * -o/--output, --tz) are appended by the layer and handled here; a program
 * sees only its own.
 *
 * Files and options are delivered in command-line order (getopt's "-"
 * mode), so an option such as cx-ingest --source can apply to the files
 * that follow it.  Memory: option arguments point into argv.
 */
#ifndef CX_OPT_H
#define CX_OPT_H

typedef struct cx_option {
	const char *name;	/* long name, without "--" */
	int key;		/* short option letter, or >= 256 for long only */
	const char *arg;	/* argument's name in --help; NULL for a flag */
	const char *help;	/* one line */
} cx_option;

typedef struct cx_command {
	const char *name;	/* "cx-ingest" */
	const char *synopsis;	/* after the name: "[OPTION]... [FILE]..." */
	const char *summary;	/* one line */
	const cx_option *options;	/* ends with a row whose name is NULL */
	const char *more;	/* text after the option list, or NULL */
	int uses_tz;		/* offer --tz */
} cx_command;

/* What the common options set. */
typedef struct cx_common {
	const char *output;	/* -o FILE, or NULL */
	const char *tz;		/* --tz ZONE, or NULL */
} cx_common;

extern cx_common cx_opts;

/* The key delivered for a file name (an operand). */
#define CX_OPT_FILE 1

/* Parse argv.  handle() gets each program option (key, argument) and each
 * operand (CX_OPT_FILE, name) in order; it returns 0, or -1 after calling
 * cx_usage_error().  Exits for --help, --version and --list-options. */
void cx_parse_options(const cx_command *cmd, int argc, char **argv,
		      void (*handle)(int key, const char *arg, void *ctx), void *ctx);

/* "cx-NAME: message" + "Try 'cx-NAME --help'." and exit 2. */
_Noreturn void cx_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Flush standard output (help, version, lists) and exit 0; a write error
 * is status 4, a closed pipe a quiet 0. */
_Noreturn void cx_exit_stdout(void);

/* Parse a whole decimal number in [min, max], or die with a usage error
 * naming the option. */
long long cx_opt_int(const char *opt, const char *arg, long long min, long long max);

/* Parse a size: digits with an optional K, M or G (binary units), more
 * than 0 and at most 2^50 bytes; else die with a usage error naming the
 * option ("--max-mem takes a size such as 512M or 2G, not 'x'").  Behind
 * --max-mem and cx-sort -S. */
unsigned long long cx_opt_size(const char *opt, const char *arg);

#endif
