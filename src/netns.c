#include "netns.h"

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

static void
child_exec(const char *ns, const char *const argv[], int errpipe)
{
	char err[256];
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(errpipe, STDERR_FILENO);
	if (ns && netns_enter(ns, err, sizeof(err)) != 0) {
		dprintf(STDERR_FILENO, "%s\n", err);
		_exit(126);
	}
	execvp(argv[0], (char *const *)(void *)argv);
	dprintf(STDERR_FILENO, "%s: %s\n", argv[0], strerror(errno));
	_exit(127);
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

int
netns_run(const char *ns, const char *const argv[], unsigned timeout_s, char *err, size_t errlen)
{
	char out[512], *nl;
	int p[2], status = 0;
	time_t deadline = time(NULL) + timeout_s;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0)
		child_exec(ns, argv, p[1]);
	close(p[1]);
	collect_stderr(p[0], out, sizeof(out), deadline);
	close(p[0]);
	if (wait_bounded(pid, deadline, &status) != 0) {
		snprintf(err, errlen, "%s: did not finish within %u s", argv[0], timeout_s);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if ((nl = strchr(out, '\n')))
		*nl = '\0';
	snprintf(err, errlen, "%s %s failed%s%s", argv[0], argv[1] ? argv[1] : "",
	    out[0] ? ": " : "", out);
	return -1;
}

int
netns_sysctl(const char *ns, const char *path, const char *value, char *err, size_t errlen)
{
	char full[256];
	int p[2];
	pid_t pid;
	int status = 0;

	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* /proc/sys/net follows the network namespace of the opener. */
		char e[256];
		int fd;
		size_t n = strlen(value);
		close(p[0]);
		if (netns_enter(ns, e, sizeof(e)) != 0 ||
		    (fd = open(full, O_WRONLY | O_CLOEXEC)) < 0 ||
		    write(fd, value, n) != (ssize_t)n) {
			dprintf(p[1], "%s", strerror(errno));
			_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	{
		char out[128] = "";
		collect_stderr(p[0], out, sizeof(out), time(NULL) + 5);
		close(p[0]);
		if (wait_bounded(pid, time(NULL) + 5, &status) != 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			snprintf(err, errlen, "sysctl %s=%s in %s: %s", path, value, ns, out);
			return -1;
		}
	}
	return 0;
}
