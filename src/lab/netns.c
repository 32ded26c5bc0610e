#include "lab/netns.h"

#include "lib/errfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
netns_enter(const char *name, char *err, size_t errlen)
{
	char path[512];
	int fd, rc;

	if (strchr(name, '/') || snprintf(path, sizeof(path), "/run/netns/%s", name) >= (int)sizeof(path)) {
		snprintf(err, errlen, "bad namespace name '%s'", name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = setns(fd, CLONE_NEWNET);
	if (rc != 0)
		snprintf(err, errlen, "setns %s: %s", name, strerror(errno));
	close(fd);
	return rc;
}

/* What a child does after fork(): it reports failure on errfd and exits. */
typedef void (*child_fn)(const char *ns, const void *arg, int errfd);

static void
child_exec(const char *ns, const void *arg, int errfd)
{
	const char *const *argv = arg;
	char err[256];
	sigset_t none;

	/* Tools run with default signal handling, whatever the parent blocks. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(errfd, STDERR_FILENO);
	if (ns && netns_enter(ns, err, sizeof(err)) != 0) {
		dprintf(STDERR_FILENO, "%s\n", err);
		_exit(126);
	}
	execvp(argv[0], (char *const *)(void *)argv);
	dprintf(STDERR_FILENO, "%s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

struct sysctl_arg {
	const char *path, *value;
};

static void
child_sysctl(const char *ns, const void *arg, int errfd)
{
	const struct sysctl_arg *a = arg;
	char err[256], full[256];
	size_t n = strlen(a->value);
	int fd;

	/* /proc/sys/net follows the network namespace of the opener. */
	snprintf(full, sizeof(full), "/proc/sys/%s", a->path);
	if (netns_enter(ns, err, sizeof(err)) != 0) {
		dprintf(errfd, "%s", err);
		_exit(1);
	}
	fd = open(full, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, a->value, n) != (ssize_t)n) {
		dprintf(errfd, "%s: %s", full, strerror(errno));
		_exit(1);
	}
	_exit(0);
}

/* Reads the child's stderr until it closes or the deadline passes. */
static void
collect_stderr(int fd, char *buf, size_t len, time_t deadline)
{
	size_t off = 0;

	buf[0] = '\0';
	while (time(NULL) <= deadline) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, 200) <= 0)
			continue;
		n = read(fd, buf + off, len - 1 - off);
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off >= len - 1)
			off = len - 1;     /* keep reading so the child never blocks */
		buf[off] = '\0';
	}
}

static int
wait_bounded(pid_t pid, time_t deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -1;
		}
		usleep(5000);
	}
}

/* Forks fn into a child, collects what it says on its error pipe (first
 * line in out) and waits for it, all within timeout_s.  Returns 0 if it
 * exited with status 0, 1 if it failed, -1 if it could not be run. */
static int
run_child(const char *ns, child_fn fn, const void *arg, unsigned timeout_s, char *out,
    size_t outlen, char *err, size_t errlen)
{
	time_t deadline = time(NULL) + timeout_s;
	int p[2], status = 0;
	char *nl;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return errfmt(err, errlen, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return errfmt(err, errlen, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(p[0]);
		fn(ns, arg, p[1]);
		_exit(127);
	}
	close(p[1]);
	collect_stderr(p[0], out, outlen, deadline);
	close(p[0]);
	if ((nl = strchr(out, '\n')))
		*nl = '\0';
	if (wait_bounded(pid, deadline, &status) != 0)
		return errfmt(err, errlen, "did not finish within %u s", timeout_s);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int
netns_run(const char *ns, const char *const argv[], unsigned timeout_s, char *err, size_t errlen)
{
	char out[512];
	int rc = run_child(ns, child_exec, argv, timeout_s, out, sizeof(out), err, errlen);

	if (rc == 1)
		errfmt(err, errlen, "%s %s failed%s%s", argv[0], argv[1] ? argv[1] : "",
		    out[0] ? ": " : "", out);
	return rc == 0 ? 0 : -1;
}

int
netns_sysctl(const char *ns, const char *path, const char *value, char *err, size_t errlen)
{
	struct sysctl_arg a = { .path = path, .value = value };
	char out[256];
	int rc = run_child(ns, child_sysctl, &a, 5, out, sizeof(out), err, errlen);

	if (rc == 1)
		errfmt(err, errlen, "sysctl %s=%s in %s: %s", path, value, ns, out);
	return rc == 0 ? 0 : -1;
}
