/* libFuzzer target for MANIFEST.sha256: a sealed run directory comes from
 * elsewhere, and its manifest is untrusted input like the rest of it.  The
 * line parser is private to manifest.c, so the bytes go through the public
 * manifest_verify() as the manifest of a small run directory made once
 * (in /dev/shm when there is one, removed at exit).  Beyond memory safety it
 * checks what `verify` prints from the result: every change has a name,
 * malformed lines are named "line N" and come first, and no listed name
 * leads out of the directory (a "modified" or "unreadable" file must be one
 * of the directory's own). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The run directory's files; the seeds list them with their real hashes. */
static const struct {
	const char *name, *text;
} files[] = {
	{ "plan.json", "{\"schema\": \"ruleproof-plan/1\"}\n" },
	{ "report.json", "{}\n" },
	{ "rx-server.json", "{\"schema\": \"ruleproof-capture/1\"}\n" },
	{ "sub/notes.txt", "kept by the auditor\n" },
	{ "tx-clients.pcap", "not really a pcap\n" },
};

static char dir[64];

static void
remove_dir(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, MANIFEST_FILE);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

static void
put(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/* Made once; only the manifest changes from one input to the next. */
static const char *
run_dir(void)
{
	char path[128];
	size_t i;

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "%s/rp-fuzz-manifest.XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		abort();
	atexit(remove_dir);
	snprintf(path, sizeof(path), "%s/sub", dir);
	if (mkdir(path, 0755) != 0)
		abort();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		put(path, files[i].text, strlen(files[i].text));
	}
	return dir;
}

static bool
is_own_file(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(name, files[i].name) == 0)
			return true;
	return false;
}

static bool
ignore_reports(const char *name)
{
	return strcmp(name, "report.json") == 0;
}

static void
check(const struct mf_result *res)
{
	bool past_malformed = false;
	size_t i;

	if (!res->have_manifest)
		abort();
	for (i = 0; i < res->nchanges; i++) {
		const struct mf_change_rec *c = &res->changes[i];

		if (!c->name || !c->name[0])
			abort();
		if (c->what == MF_MALFORMED) {
			/* a line, or a name listed twice */
			if (past_malformed)
				abort();
		} else
			past_malformed = true;
		if ((c->what == MF_MODIFIED || c->what == MF_UNREADABLE) && !is_own_file(c->name))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = run_dir();
	struct mf_result res;
	char path[128], err[512];

	snprintf(path, sizeof(path), "%s/%s", d, MANIFEST_FILE);
	put(path, data, size);
	if (manifest_verify(d, NULL, NULL, &res, err, sizeof(err)) != 0)
		abort();   /* the directory is readable: a verdict is always possible */
	check(&res);
	(void)mf_result_ok(&res);
	mf_result_free(&res);
	if (manifest_verify(d, NULL, ignore_reports, &res, err, sizeof(err)) != 0)
		abort();
	check(&res);
	mf_result_free(&res);
	return 0;
}
