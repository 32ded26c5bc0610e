#include "capture/capfile.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "plan/rundir.h"
#include "lib/utf8.h"

static json_t *
encode(const struct capfile *m)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:{s:I, s:I, s:I, s:I},"
	    " s:I, s:I, s:b, s:b, s:s}",
	    "schema", CAPFILE_SCHEMA, "role", m->role, "endpoint", m->endpoint,
	    "interface", m->iface, "address", m->addr, "pcap", m->pcap,
	    "started_us", (json_int_t)m->started_us, "finished_us", (json_int_t)m->finished_us,
	    "capture", "packets", (json_int_t)m->cap.packets, "received", (json_int_t)m->cap.recv,
	    "dropped", (json_int_t)m->cap.drop, "if_dropped", (json_int_t)m->cap.ifdrop,
	    "sent", (json_int_t)m->sent, "send_errors", (json_int_t)m->send_errors,
	    "interrupted", m->interrupted, "complete", m->complete, "error", m->error);

	if (o && json_object_set_new(o, "privileges", json_string(m->privileges)) != 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

int
capfile_create(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return fd;
}

int
capfile_write_fd(const struct capfile *m, int fd, char *err, size_t errlen)
{
	json_t *o = encode(m);
	int rc;

	if (!o) {
		snprintf(err, errlen, "cannot encode the capture file");
		return -1;
	}
	rc = json_dumpfd(o, fd, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(o);
	if (rc != 0 || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		snprintf(err, errlen, "capture file: %s", rc != 0 ? "cannot write" : strerror(errno));
		return -1;
	}
	return 0;
}

int
capfile_write(const struct capfile *m, const char *path, char *err, size_t errlen)
{
	int fd = capfile_create(path, err, errlen), rc;

	if (fd < 0)
		return -1;
	rc = capfile_write_fd(m, fd, err, errlen);
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

static void
copy_str(char *dst, size_t n, const char *src)
{
	utf8_copy(dst, n, src ? src : "");
}

int
capfile_read(struct capfile *m, const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	const char *schema = NULL, *role = NULL, *ep = NULL, *ifc = NULL, *addr = NULL,
	    *pcap = NULL, *error = NULL;
	json_int_t st = 0, fi = 0, pk = 0, rcv = 0, dr = 0, ifd = 0, sent = 0, serr = 0;
	int intr = 0, compl = 0;

	memset(m, 0, sizeof(*m));
	if (!o) {
		snprintf(err, errlen, "%s: %s", path, je.text);
		return -1;
	}
	if (json_unpack_ex(o, &je, 0, "{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I,"
	    " s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:b, s:b, s:s}",
	    "schema", &schema, "role", &role, "endpoint", &ep, "interface", &ifc,
	    "address", &addr, "pcap", &pcap, "started_us", &st, "finished_us", &fi,
	    "capture", "packets", &pk, "received", &rcv, "dropped", &dr, "if_dropped", &ifd,
	    "sent", &sent, "send_errors", &serr, "interrupted", &intr, "complete", &compl,
	    "error", &error) != 0) {
		snprintf(err, errlen, "%s: %s", path, je.text);
		json_decref(o);
		return -1;
	}
	if (strcmp(schema, CAPFILE_SCHEMA) != 0) {
		snprintf(err, errlen, "%s: schema '%s', expected '%s'", path, schema, CAPFILE_SCHEMA);
		json_decref(o);
		return -1;
	}
	/* The reports print these times and their difference. */
	if (st < 0 || st > RUN_TIME_MAX_US || fi < 0 || fi > RUN_TIME_MAX_US) {
		snprintf(err, errlen, "%s: capture window outside the years 1970 to 9999", path);
		json_decref(o);
		return -1;
	}
	copy_str(m->role, sizeof(m->role), role);
	copy_str(m->endpoint, sizeof(m->endpoint), ep);
	copy_str(m->iface, sizeof(m->iface), ifc);
	copy_str(m->addr, sizeof(m->addr), addr);
	copy_str(m->pcap, sizeof(m->pcap), pcap);
	copy_str(m->error, sizeof(m->error), error);
	copy_str(m->privileges, sizeof(m->privileges),
	    json_string_value(json_object_get(o, "privileges")));
	m->started_us = st;
	m->finished_us = fi;
	m->cap.packets = (uint64_t)pk;
	m->cap.recv = (uint64_t)rcv;
	m->cap.drop = (uint64_t)dr;
	m->cap.ifdrop = (uint64_t)ifd;
	m->sent = (uint64_t)sent;
	m->send_errors = (uint64_t)serr;
	m->interrupted = intr != 0;
	m->complete = compl != 0;
	json_decref(o);
	return 0;
}
