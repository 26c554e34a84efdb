/* cx: run cx-COMMAND the way git runs its commands. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "keys.h"

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
		if (access(p.p, X_OK) == 0)
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
	if (fflush(stdout) != 0 || ferror(stdout))
		cx_die(CX_EXIT_IO, "write error: %s", strerror(errno));
	return CX_EXIT_OK;
}

static _Noreturn void run(const char *self, const char *cmd, char **argv)
{
	if (!is_command_name(cmd))
		cx_die(CX_EXIT_USAGE, "'%s' is not a cx command; see 'cx commands'", cmd);
	cx_buf prog = CX_BUF_INIT;
	cx_buf_addf(&prog, "cx-%s", cmd);
	argv[0] = prog.p;
	if (self) {
		cx_buf full = CX_BUF_INIT;
		cx_buf_addf(&full, "%s/%s", self, prog.p);
		execv(full.p, argv);
		cx_buf_free(&full);
	}
	execvp(prog.p, argv);
	if (errno == ENOENT)
		cx_die(CX_EXIT_USAGE, "'%s' is not a cx command; see 'cx commands'", cmd);
	cx_die(CX_EXIT_IO, "cannot run %s: %s", prog.p, strerror(errno));
}

static int help(const char *self, const char *cmd)
{
	char page[256];
	if (!cmd)
		snprintf(page, sizeof page, "cx");
	else if (is_command_name(cmd))
		snprintf(page, sizeof page, "cx-%s", cmd);
	else
		cx_die(CX_EXIT_USAGE, "'%s' is not a cx command; see 'cx commands'", cmd);
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
	char *self = self_dir();
	if (argc < 2) {
		fputs(usage, stderr);
		return CX_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		return CX_EXIT_OK;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("cx %s\n", CX_VERSION);
		return CX_EXIT_OK;
	}
	if (!strcmp(cmd, "--list-options")) {
		puts("-h --help\n-V --version");
		return CX_EXIT_OK;
	}
	if (!strcmp(cmd, "commands"))
		return list_commands(self);
	if (!strcmp(cmd, "help"))
		return help(self, argc > 2 ? argv[2] : NULL);
	if (cmd[0] == '-')
		cx_die(CX_EXIT_USAGE, "unknown option '%s'; try 'cx --help'", cmd);
	run(self, cmd, argv + 1);
}
