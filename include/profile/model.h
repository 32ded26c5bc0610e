/* Private to the profile module (profile.c parses, profile_resolve.c
 * resolves names and answers queries, profile_print.c prints): the model
 * as parsed, before and behind the public views of profile.h. */
#ifndef RP_PROFILE_MODEL_H
#define RP_PROFILE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile/diag.h"
#include "profile/lex.h"
#include "profile/types.h"

#define NO_INDEX SIZE_MAX

enum { PB_TCP = 1, PB_UDP = 2 };   /* protocols of an inline port list */

/* A `cert (...)` clause: the expectation the model publishes, and the
 * storage behind its pointers. */
struct certx {
	struct tlscert_expect pub;
	char                **pins;
	char                 *issuer;
	struct src_span       at;     /* the `cert` keyword */
};

/* One entry of a service list as written: a service name, or an inline
 * port list for one or both protocols. */
struct ref {
	char             *name;    /* NULL for an inline list */
	uint8_t           protos;  /* PB_* of an inline list */
	struct port_span *ports;   /* inline ranges (proto unused), sorted and merged */
	size_t            nports;
	bool              tls;
	char             *sni;     /* `tls sni "..."`, or NULL */
	struct certx     *cert;    /* `tls ... cert (...)`, or NULL */
	struct src_span   at;
	size_t            target;  /* the named service, once resolved */
};

struct svclist {
	struct ref *v;
	size_t      n;
};

enum def_state { DS_NEW, DS_OPEN, DS_DONE };

struct service {
	char             *name;
	struct src_span   at;
	struct svclist    list;
	char             *text;    /* canonical list */
	struct port_span *spans;   /* everything it names, expanded */
	size_t            nspans;
	enum def_state    state;
};

/* What a name in an endpoint list stands for, once resolved. */
enum target_kind { TG_NONE, TG_ENDPOINT, TG_WILDCARD, TG_GROUP };

struct epref {
	char            *name;
	struct src_span  at;
	enum target_kind kind;
	size_t           index;
};

struct eplist {
	struct epref *v;
	size_t        n;
};

struct endpoint {
	struct profile_endpoint pub;
	char                   *name, *desc;
	struct rp_addr         *addrs;
	size_t                  naddrs;
	struct epref            zone;       /* `in ZONE` as written; name NULL if none */
	struct src_span         at;
	bool                    implicit;   /* a wildcard's chosen name, not declared */
	size_t                  wild;       /* the first wildcard that chose it, or NO_INDEX */
};

struct wildcard {
	char           *pattern, *desc;
	struct src_span at;
	struct eplist   names;   /* the chosen names */
	size_t         *idx;     /* their endpoints */
	size_t          nidx;
};

struct group {
	char           *name, *desc;
	struct src_span at;
	struct eplist   members;
	enum def_state  state;
	size_t         *exp;     /* endpoints, expanded, each once */
	size_t          nexp;
};

struct rule {
	struct profile_rule pub;
	struct eplist       src, dst;
	struct svclist      svcs;
	size_t             *srcidx, *dstidx;   /* expanded endpoints */
	size_t              nsrc, ndst;
	struct port_span   *spans;
	size_t              nspans;
	char               *services, *from, *to, *cite;
	struct src_span     kw;   /* the open/closed keyword */
};

struct profile {
	char            *name, *title;
	const char      *doc;          /* the profile's document (in strs) */
	const char      *main_doc;     /* the main file's first `source` */
	int              title_line, default_line;
	struct src_span  default_at;
	bool             default_all;
	struct endpoint *eps;
	size_t           neps;
	struct service  *svcs;
	size_t           nsvcs;
	struct group    *groups;
	size_t           ngroups;
	struct wildcard *wilds;
	size_t           nwilds;
	struct rule     *rules;
	size_t           nrules;
	char           **strs;         /* sections and documents */
	size_t           nstrs;
	char           **files;        /* [0] the profile, then includes; index = diag file id */
	size_t           nfiles;
};

void       *pf_grow(void *v, size_t n, size_t size);
char       *pf_strdup(const char *);
const char *pf_proto_name(uint8_t proto);
bool        pf_name_eq(const char *a, const char *b);
size_t      pf_merge_spans(struct port_span *v, size_t n);
bool        pf_spans_overlap(const struct port_span *a, size_t na, const struct port_span *b,
                             size_t nb, struct port_span *out);
const char *pf_span_str(const struct port_span *, char *buf, size_t size);
long        pf_find_endpoint(const struct profile *, const char *name);
long        pf_find_service(const struct profile *, const char *name);
long        pf_find_group(const struct profile *, const char *name);
long        pf_find_wildcard(const struct profile *, const char *pattern);
/* Takes name and desc (desc may be NULL). */
struct endpoint *pf_add_endpoint(struct profile *, char *name, char *desc,
                                 enum endpoint_kind, const struct src_span *at);
/* "line 12", or "FILE:12" when `at` is in another file than `here`. */
const char *pf_where(const struct profile *, const struct src_span *at,
                     const struct src_span *here, char *buf, size_t size);

/* Whether x is one of v[0..n). */
bool  pf_has_index(const size_t *v, size_t n, size_t x);
/* Frees everything the model holds (profile_free() is the public name). */
void  pf_free(struct profile *);
/* The parts, for the parser's error paths (each frees what it holds, not
 * itself). */
void  pf_free_certx(struct certx *);
void  pf_free_svclist(struct svclist *);
void  pf_free_eplist(struct eplist *);
void  pf_free_rule(struct rule *);

/* Text is built in memory streams; running out of memory is fatal. */
FILE *pf_mem_open(char **buf, size_t *size);
void  pf_mem_close(FILE *);

#endif
