#include "core/opt.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/buf.h"
#include "core/cxtime.h"
#include "core/err.h"

cx_common cx_opts;

enum {
	KEY_HELP = 'h',
	KEY_VERSION = 'V',
	KEY_OUTPUT = 'o',
	KEY_TZ = 0x1000,
	KEY_LIST = 0x1001,
	KEY_MAX_MEM = 0x1002,
};

static const cx_option common_options[] = {
	{ "output", KEY_OUTPUT, "FILE", "write to FILE atomically (temporary file, then rename)" },
	{ "tz", KEY_TZ, "ZONE", "time zone (IANA name such as Asia/Shanghai); default $TZ, else UTC" },
	{ "max-mem", KEY_MAX_MEM, "SIZE", "fail cleanly (status 4) rather than use more memory (512M, 2G)" },
	{ "help", KEY_HELP, NULL, "show this help and exit" },
	{ "version", KEY_VERSION, NULL, "show the version and exit" },
	{ NULL, 0, NULL, NULL },
};

void cx_usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", cx_progname, msg,
		cx_progname);
	/* As cx_die: run the hooks (temporary files), skip the leak checks. */
	cx_die_quietly(CX_EXIT_USAGE);
}

unsigned long long cx_opt_size(const char *opt, const char *arg)
{
	char *end = (char *)arg;
	errno = 0;
	/* Digits first: strtoull would take " 2G", "+2G", even "-2G" (wrapped). */
	unsigned long long v = 0;
	if (*arg >= '0' && *arg <= '9')
		v = strtoull(arg, &end, 10);
	unsigned long long unit = 1;
	switch (*end) {
	case 'k': case 'K': unit = 1ull << 10; end++; break;
	case 'm': case 'M': unit = 1ull << 20; end++; break;
	case 'g': case 'G': unit = 1ull << 30; end++; break;
	}
	if (errno || end == arg || *end || v == 0 || v > (1ull << 50) / unit)
		cx_usage_error("%s takes a size such as 512M or 2G, not '%s'", opt, arg);
	return v * unit;
}

/* --max-mem: an address-space limit, so that a group table that outgrows
 * the machine ends in cx's own "out of memory" message (malloc fails,
 * err.c dies with status 4) instead of the kernel's OOM killer. */
static void set_max_mem(const char *arg)
{
	unsigned long long v = cx_opt_size("--max-mem", arg);
	struct rlimit rl = { (rlim_t)v, (rlim_t)v };
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		cx_die(CX_EXIT_IO, "--max-mem %s: %s", arg, strerror(errno));
	cx_mem_limit = arg;
}

static int is_common_used(const cx_command *cmd, const cx_option *o)
{
	return o->key != KEY_TZ || cmd->uses_tz;
}

static void print_option(FILE *f, const cx_option *o)
{
	char left[64];
	int n;
	if (o->key > 0 && o->key < 256)
		n = snprintf(left, sizeof left, "  -%c, --%s%s%s", o->key, o->name,
			     o->arg ? " " : "", o->arg ? o->arg : "");
	else
		n = snprintf(left, sizeof left, "      --%s%s%s", o->name, o->arg ? " " : "",
			     o->arg ? o->arg : "");
	if (n < 0)
		return;
	if (n < 28)
		fprintf(f, "%-28s%s\n", left, o->help);
	else
		fprintf(f, "%s\n%28s%s\n", left, "", o->help);
}

static void help(const cx_command *cmd)
{
	printf("Usage: %s %s\n%s\n\n", cmd->name, cmd->synopsis, cmd->summary);
	for (const cx_option *o = cmd->options; o->name; o++)
		print_option(stdout, o);
	for (const cx_option *o = common_options; o->name; o++)
		if (is_common_used(cmd, o))
			print_option(stdout, o);
	if (cmd->more)
		printf("\n%s", cmd->more);
	printf("\nExit status: 0 success, 1 %s, 2 usage error, 3 bad input data, 4 I/O error.\n"
	       "Full documentation: man %s; the stream format: man 7 cx.\n",
	       "condition defined by the program (see its manual)", cmd->name);
}

/* One line per option: "-s --long ARG" or "--long", for the completion
 * generator and the man-page check. */
static void list_options(const cx_command *cmd)
{
	const cx_option *tables[] = { cmd->options, common_options };
	for (size_t t = 0; t < 2; t++)
		for (const cx_option *o = tables[t]; o->name; o++) {
			if (t == 1 && !is_common_used(cmd, o))
				continue;
			if (o->key > 0 && o->key < 256)
				printf("-%c ", o->key);
			printf("--%s%s%s\n", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		}
}

static void add_long(struct option *lo, size_t *n, const cx_option *o)
{
	lo[*n].name = o->name;
	lo[*n].has_arg = o->arg ? required_argument : no_argument;
	lo[*n].flag = NULL;
	lo[*n].val = o->key;
	(*n)++;
}

void cx_parse_options(const cx_command *cmd, int argc, char **argv,
		      void (*handle)(int key, const char *arg, void *ctx), void *ctx)
{
	size_t count = 0;
	for (const cx_option *o = cmd->options; o->name; o++)
		count++;
	/* A closed pipe must end a program quietly with status 0 (cx.7); a
	 * SIGPIPE death would not.  Writers see EPIPE and act on it. */
	signal(SIGPIPE, SIG_IGN);
	struct option *lo = cx_calloc(count + 8, sizeof *lo);
	cx_buf shorts = CX_BUF_INIT;
	/* "-": operands come back in order as key 1; ":" : we report errors. */
	cx_buf_adds(&shorts, "-:");
	size_t n = 0;
	const cx_option *tables[] = { cmd->options, common_options };
	for (size_t t = 0; t < 2; t++)
		for (const cx_option *o = tables[t]; o->name; o++) {
			if (t == 1 && !is_common_used(cmd, o))
				continue;
			add_long(lo, &n, o);
			if (o->key > 0 && o->key < 256) {
				cx_buf_addc(&shorts, (char)o->key);
				if (o->arg)
					cx_buf_addc(&shorts, ':');
			}
		}
	static const cx_option list = { "list-options", KEY_LIST, NULL, "" };
	add_long(lo, &n, &list);

	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shorts.p, lo, NULL)) != -1) {
		switch (c) {
		case KEY_HELP:
			help(cmd);
			cx_exit_stdout();
		case KEY_VERSION:
			printf("%s (cx) %s\n", cmd->name, CX_VERSION);
			cx_exit_stdout();
		case KEY_LIST:
			list_options(cmd);
			cx_exit_stdout();
		case KEY_OUTPUT:
			if (!*optarg)	/* else a rename to "" fails after the work */
				cx_usage_error("option '-o' takes a file name, not ''");
			cx_opts.output = optarg;
			break;
		case KEY_TZ:
			cx_opts.tz = optarg;
			break;
		case KEY_MAX_MEM:
			set_max_mem(optarg);
			break;
		case '?': {
			const char *word = argv[optind - 1];
			if (!strncmp(word, "--", 2)) {
				/* optopt holds the option's key when a flag was
				 * given a value (--quiet=yes): say that. */
				size_t len = strcspn(word + 2, "=");
				if (word[2 + len] == '=')
					for (size_t i = 0; i < n; i++)
						if (strlen(lo[i].name) == len &&
						    !strncmp(lo[i].name, word + 2, len))
							cx_usage_error("option '--%s' takes no argument",
								       lo[i].name);
				cx_usage_error("unknown option '%.*s'", (int)(len + 2), word);
			}
			if (optopt > 0 && optopt < 256)
				cx_usage_error("unknown option '-%c'", optopt);
			cx_usage_error("unknown option '%s'", word);
		}
		case ':': {
			/* A long option's optopt is its short key: name it as
			 * it was written (--rules, not -r). */
			const char *word = argv[optind - 1];
			if (!strncmp(word, "--", 2) || !optopt || optopt >= 256)
				cx_usage_error("option '%.*s' needs an argument",
					       (int)strcspn(word, "="), word);
			cx_usage_error("option '-%c' needs an argument", optopt);
		}
		default:
			handle(c, optarg, ctx);
		}
	}
	/* getopt stops at "--"; what follows are all operands. */
	for (int i = optind; i < argc; i++)
		handle(CX_OPT_FILE, argv[i], ctx);
	free(lo);
	cx_buf_free(&shorts);

	if (cmd->uses_tz) {
		cx_buf err = CX_BUF_INIT;
		if (cx_tz_set(cx_opts.tz, &err) < 0)
			cx_usage_error("%s", err.p ? err.p : "bad time zone");
		cx_buf_free(&err);
	}
}

void cx_exit_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			cx_die_quietly(CX_EXIT_OK);
		cx_die(CX_EXIT_IO, "write error on standard output: %s", strerror(errno));
	}
	exit(CX_EXIT_OK);
}

long long cx_opt_int(const char *opt, const char *arg, long long min, long long max)
{
	char *end;
	errno = 0;
	/* Digits, with an optional '-': strtoll alone would also take
	 * " 3" and "+3", which no other number option accepts. */
	const char *d = arg + (*arg == '-');
	long long v = strtoll(arg, &end, 10);
	if (*d < '0' || *d > '9' || errno || end == arg || *end || v < min || v > max)
		cx_usage_error("option '%s' takes a whole number from %lld to %lld, not '%s'", opt,
			       min, max, arg);
	return v;
}
