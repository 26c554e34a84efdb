/* cx: run cx-COMMAND the way git runs its commands. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/keys.h"
#include "core/opt.h"

static const char usage[] =
	"Usage: cx COMMAND [ARG]...\n"
	"       cx help [COMMAND]   show the manual of cx, or of cx-COMMAND\n"
	"       cx commands         list the commands that are installed\n"
	"       cx --version\n"
	"\n"
	"cx COMMAND runs the program cx-COMMAND with the arguments, looking first\n"
	"beside cx itself, then on PATH.  Every cx program reads and writes the cx\n"
	"record stream (man 7 cx) and is meant to be chained in pipelines:\n"
	"\n"
	"  cx ingest --source web forms.csv | cx format -t table\n";

/* The directory this program was run from, so that an uninstalled build
 * finds its own commands before any installed ones. */
static char *self_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return cx_strdup(path);
}

static int is_command_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* A regular file we may execute. */
static int is_program(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* A regular file: what `cx NAME` tries to run (and reports why it cannot). */
static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void collect(cx_keys *seen, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "cx-", 3) || !is_command_name(e->d_name + 3))
			continue;
		cx_buf p = CX_BUF_INIT;
		cx_buf_addf(&p, "%s/%s", dir, e->d_name);
		if (is_program(p.p))
			cx_keys_intern(seen, e->d_name + 3, strlen(e->d_name + 3), NULL);
		cx_buf_free(&p);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int list_commands(const char *self)
{
	cx_keys seen = CX_KEYS_INIT;
	if (self)
		collect(&seen, self);
	const char *path = getenv("PATH");
	if (path) {
		cx_buf b = CX_BUF_INIT;
		cx_buf_adds(&b, path);
		for (char *save = NULL, *dir = strtok_r(b.p, ":", &save); dir;
		     dir = strtok_r(NULL, ":", &save))
			collect(&seen, dir);
		cx_buf_free(&b);
	}
	const char **names = cx_calloc(seen.n + 1, sizeof *names);
	for (size_t i = 0; i < seen.n; i++)
		names[i] = cx_keys_get(&seen, (uint32_t)i, NULL);
	qsort(names, seen.n, sizeof *names, cmp_str);
	for (size_t i = 0; i < seen.n; i++)
		printf("%s\n", names[i]);
	free(names);
	cx_keys_free(&seen);
	cx_exit_stdout();
}

/* The path of cx-NAME: beside cx first, then on PATH; NULL if none.
 * Searched here rather than by execvp, which would hand a file that is
 * not a program to /bin/sh. */
static char *find_command(const char *self, const char *name)
{
	cx_buf p = CX_BUF_INIT;
	if (self) {
		cx_buf_addf(&p, "%s/cx-%s", self, name);
		if (is_file(p.p))
			return p.p;
	}
	const char *path = getenv("PATH");
	cx_buf dirs = CX_BUF_INIT;
	cx_buf_adds(&dirs, path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (char *save = NULL, *dir = strtok_r(dirs.p, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		cx_buf_reset(&p);
		cx_buf_addf(&p, "%s/cx-%s", *dir ? dir : ".", name);
		if (is_file(p.p)) {
			cx_buf_free(&dirs);
			return p.p;
		}
	}
	cx_buf_free(&dirs);
	cx_buf_free(&p);
	return NULL;
}

static _Noreturn void not_a_command(const char *cmd)
{
	cx_die(CX_EXIT_USAGE, "'%s' is not a cx command; see 'cx commands'", cmd);
}

static _Noreturn void run(const char *self, const char *cmd, char **argv)
{
	if (!is_command_name(cmd))
		not_a_command(cmd);
	char *path = find_command(self, cmd);
	if (!path)
		not_a_command(cmd);
	cx_buf prog = CX_BUF_INIT;
	cx_buf_addf(&prog, "cx-%s", cmd);
	argv[0] = prog.p;
	execv(path, argv);
	int err = errno;
	if (err == ENOENT)	/* the file is there: its #! interpreter is not */
		cx_die(CX_EXIT_IO, "cannot run %s: its interpreter is missing (%s)", prog.p,
		       strerror(err));
	cx_die(CX_EXIT_IO, "cannot run %s: %s", prog.p, strerror(err));
}

static int help(const char *self, const char *cmd)
{
	char page[256];
	if (!cmd)
		snprintf(page, sizeof page, "cx");
	else if (is_command_name(cmd) && find_command(self, cmd))
		snprintf(page, sizeof page, "cx-%s", cmd);
	else
		not_a_command(cmd);
	/* In a source tree (build/bin/cx) the page is in man/ two levels up;
	 * installed, man(1) finds it from PATH. */
	if (self) {
		cx_buf local = CX_BUF_INIT;
		cx_buf_addf(&local, "%s/../../man/%s.1", self, page);
		struct stat st;
		if (stat(local.p, &st) == 0)
			execlp("man", "man", "-l", local.p, (char *)NULL);
		cx_buf_free(&local);
	}
	execlp("man", "man", page, (char *)NULL);
	/* No man(1) on this machine: the program's own --help is there. */
	if (cmd) {
		char *argv[] = { NULL, "--help", NULL };
		run(self, cmd, argv);
	}
	fputs(usage, stdout);
	return CX_EXIT_OK;
}

int main(int argc, char **argv)
{
	cx_set_progname(argv[0]);
	if (argc < 2) {
		fputs(usage, stderr);
		return CX_EXIT_USAGE;
	}
	/* Kept in a static: reachable until exit, whichever path exits. */
	static char *self;
	self = self_dir();
	const char *cmd = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		cx_exit_stdout();
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("cx %s\n", CX_VERSION);
		cx_exit_stdout();
	}
	if (!strcmp(cmd, "--list-options")) {
		puts("-h --help\n-V --version");
		cx_exit_stdout();
	}
	if (!strcmp(cmd, "commands"))
		return list_commands(self);	/* exits */
	if (!strcmp(cmd, "help"))
		return help(self, argc > 2 ? argv[2] : NULL);	/* returns only without man(1) */
	if (cmd[0] == '-')
		cx_die(CX_EXIT_USAGE, "unknown option '%s'; try 'cx --help'", cmd);
	run(self, cmd, argv + 1);
}
