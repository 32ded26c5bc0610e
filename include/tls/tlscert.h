/* Certificate facts and checks for the TLS endpoints a profile names: what a
 * server presented (a chain, leaf first), the facts a person compares with
 * a console (SHA-1 thumbprint as Windows shows it, SHA-256, the SPKI pin of
 * `device.security.ssl.b64pubkeys`), and the checks of a profile's
 * `tls ... cert (...)` clause, evaluated offline at a given time so that a
 * report is reproducible.
 *
 * Nothing here trusts the chain it is given: the bytes come from the
 * network.  OpenSSL parses them (d2i_X509); a chain that does not parse is
 * refused with a reason.  No OpenSSL type appears in this header. */
#ifndef RP_TLS_TLSCERT_H
#define RP_TLS_TLSCERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CA bundle `trusted` verifies against when none is given (--ca). */
#define TLSCERT_CA_DEFAULT "/etc/ssl/certs/ca-certificates.crt"
/* Days left under which `not-expired` warns when the profile gives none. */
#define TLSCERT_WARN_DAYS_DEFAULT 30
#define TLSCERT_WARN_DAYS_MAX     3650
/* Certificates kept from one chain; a longer chain is refused. */
#define TLSCERT_CHAIN_MAX 16

/* Fixed-size text forms. */
#define TLSCERT_SHA1_HEXLEN   40   /* + NUL */
#define TLSCERT_SHA256_HEXLEN 64
#define TLSCERT_PIN_LEN       44   /* base64 of 32 bytes, with one '=' */

/* ---- chains ---- */

struct tlscert_chain;

/* One DER certificate as it came off the wire (or out of a log). */
struct tlscert_der {
	const uint8_t *p;
	size_t         len;
};

/* A chain from DER certificates, leaf first (the order of a TLS Certificate
 * message).  NULL with a reason in err when n is 0 or above
 * TLSCERT_CHAIN_MAX, or a slice is not exactly one DER certificate
 * ("certificate 2: ..."). */
struct tlscert_chain *tlscert_chain_from_der(const struct tlscert_der *v, size_t n,
                                             char *err, size_t errlen);
/* Every certificate of a PEM file, in file order (the first is the leaf),
 * or the one certificate of a DER file (a Windows .cer export).  NULL with
 * a reason ("cannot open X: ...", "X: neither a PEM nor a DER
 * certificate") when the file is missing, unreadable, not a regular file,
 * larger than 1 MiB, or holds no certificate. */
struct tlscert_chain *tlscert_chain_from_pem_file(const char *path, char *err, size_t errlen);
/* The same from PEM text in memory. */
struct tlscert_chain *tlscert_chain_from_pem(const char *text, size_t len, char *err,
                                             size_t errlen);
void                  tlscert_chain_free(struct tlscert_chain *);

size_t tlscert_chain_len(const struct tlscert_chain *);
/* Certificate i's DER bytes (valid while the chain lives). */
const uint8_t *tlscert_der(const struct tlscert_chain *, size_t i, size_t *len);

/* ---- facts ---- */

/* What one certificate says; every string is owned by the chain. */
struct tlscert_info {
	const char  *subject;       /* one line, RFC 2253 order: "CN=rm01.example.com,O=Example" */
	const char  *issuer;        /* the same form */
	const char  *cn;            /* the subject's (last) commonName, or "" */
	int64_t      not_before;    /* unix seconds */
	int64_t      not_after;
	const char *const *san;     /* subjectAltName dNSNames as written (IP and other
	                             * kinds are not names a probe sends) */
	size_t       nsan;
	bool         self_issued;   /* subject == issuer */
	/* SHA-1 of the DER certificate as Windows shows it (certmgr's
	 * Thumbprint field, PowerShell's Cert:\ .Thumbprint): 40 uppercase hex
	 * digits, no separators.  What seed 004's renewal procedure updates. */
	char sha1[TLSCERT_SHA1_HEXLEN + 1];
	/* SHA-256 of the DER certificate, same form (64 uppercase hex). */
	char sha256[TLSCERT_SHA256_HEXLEN + 1];
	/* base64(SHA-256(DER SubjectPublicKeyInfo)): the SPKI, not the whole
	 * certificate, so that a renewed certificate on the same key keeps its
	 * pin.  Equals `openssl x509 -pubkey -noout | openssl pkey -pubin
	 * -outform der | openssl dgst -sha256 -binary | base64`. */
	char pin[TLSCERT_PIN_LEN + 1];
};

/* Certificate i of the chain (0: the leaf), or NULL past the end. */
const struct tlscert_info *tlscert_at(const struct tlscert_chain *, size_t i);

/* Whole days from `at` until not_after, rounded down: 0 on the last day,
 * negative once expired (-1 on the first day after). */
long tlscert_days_left(const struct tlscert_info *, int64_t at);

/* "2026-12-01" (UTC) for a unix time; buf of at least 11 bytes.  Times
 * outside years 0000-9999 print as "out-of-range". */
const char *tlscert_date(int64_t t, char *buf, size_t size);

/* ---- names ---- */

/* Does a certificate name (a SAN dNSName or the CN) cover host?  RFC 6125
 * section 6.4: case-insensitive, one trailing dot ignored on either side; a
 * wildcard only as the whole leftmost label ("*.example.com", never
 * "f*.example.com" or "a.*.example.com"), matching exactly one non-empty
 * label; never a wildcard whose rest is a public suffix ("*.com",
 * "*.co.uk": the ICANN section of the Public Suffix List, libpsl's
 * built-in copy, whose implicit "*" rule makes every unlisted top-level
 * label a suffix too; the private section is no bar: *.appspot.com);
 * never a host that is itself a wildcard or has an empty label. */
bool tlscert_name_matches(const char *pattern, const char *host);

enum tlscert_name_by { TLSCERT_BY_NONE, TLSCERT_BY_SAN, TLSCERT_BY_CN };

/* Does certificate i cover host?  The SAN dNSNames decide when there are
 * any (RFC 6125 6.4.4: then the CN is not consulted); the CN only when the
 * certificate has no dNSName.  *matched (optional) gets the name that
 * matched, owned by the chain, and *by (optional) where it came from. */
bool tlscert_covers(const struct tlscert_chain *, size_t i, const char *host,
                    const char **matched, enum tlscert_name_by *by);

/* ---- trust, pins, equality ---- */

/* Verifies the chain as a TLS server chain (purpose sslserver): the leaf
 * against the CA bundle file, the other certificates offered as untrusted
 * intermediates, at time `at` (X509_VERIFY_PARAM_set_time: the probe's send
 * time, not the report's).  Names are not checked here (that is
 * tlscert_covers).  Returns 1 verified, 0 not verified (why: OpenSSL's
 * verify error string, with the depth: "certificate has expired (depth 0)"),
 * -1 when the bundle cannot be read (why says so). */
int tlscert_verify(const struct tlscert_chain *, const char *ca_file, int64_t at, char *why,
                   size_t whylen);

/* A CA bundle read once for many verifications: loading the system bundle
 * (144 certificates) took 30 to 90 ms here, which tlscert_verify() pays on
 * every call; a verification against an open store took 0.4 ms.  NULL with why (as tlscert_verify's -1) when it cannot be
 * read; ca_file NULL is TLSCERT_CA_DEFAULT. */
struct tlscert_store;
struct tlscert_store *tlscert_store_open(const char *ca_file, char *why, size_t whylen);
void                  tlscert_store_free(struct tlscert_store *);
const char           *tlscert_store_path(const struct tlscert_store *);
/* tlscert_verify() against an open store: 1 verified, 0 not (why). */
int tlscert_verify_store(const struct tlscert_chain *, const struct tlscert_store *, int64_t at,
                         char *why, size_t whylen);

/* Is s a valid pin: base64 (standard alphabet, padded) of exactly 32 bytes?
 * NULL if so, else buf holding why not, to follow "it ": "decodes to 20
 * bytes (a SHA-1 hash?): a SHA-256 pin has 32 (44 base64 characters)". */
const char *tlscert_pin_problem(const char *s, char *buf, size_t size);

/* Pinning as the Assist agent of seed 000 does it (and HPKP, RFC 7469
 * 2.6): the pins are a set, generated from the root, the intermediate and
 * the end-entity certificate; the chain is accepted if the SPKI of ANY of
 * its certificates equals ANY pin.  Returns the index of the first matching
 * certificate (leaf first), -1 if none; *pin (optional) gets the index of
 * the pin it matched.  Invalid pins match nothing. */
long tlscert_pin_match(const struct tlscert_chain *, const char *const *pins, size_t npins,
                       size_t *pin);

/* Same leaf (DER bytes equal): "443 and 8443 present the same certificate". */
bool tlscert_leaf_equal(const struct tlscert_chain *, const struct tlscert_chain *);
/* Same chain, certificate by certificate: "the chain seen from outside is
 * the one seen from inside" (an intercepting middlebox re-signs). */
bool tlscert_chain_equal(const struct tlscert_chain *, const struct tlscert_chain *);

/* ---- the profile's expectation and its evaluation ---- */

/* What `tls ... cert (CHECK, ...)` asks (the profile model holds one per
 * inline port list; see ruleproof.profile(5)). */
struct tlscert_expect {
	bool               san;          /* the leaf covers every name (SAN or CN) */
	bool               not_expired;  /* valid at the time; warn under warn_days left */
	unsigned           warn_days;
	const char *const *pins;         /* valid pins (tlscert_pin_problem), as written */
	size_t             npins;        /* 0: no pin check */
	const char        *issuer;       /* the leaf's issuer DN must contain this, or NULL */
	bool               trusted;      /* verifies against the CA bundle */
	bool               same_cert;    /* every port of the address: the same leaf */
};

/* Do two expectations ask the same? (pins compared as sets) */
bool tlscert_expect_eq(const struct tlscert_expect *, const struct tlscert_expect *);

enum tlscert_check {
	TLSCHK_SAN,
	TLSCHK_NOT_EXPIRED,
	TLSCHK_PIN,
	TLSCHK_ISSUER,
	TLSCHK_TRUSTED,
	TLSCHK_SAME_CERT,
	TLSCHK_INSIDE,      /* not a profile keyword: run when an inside chain is given */
	TLSCHK_COUNT
};

enum tlscert_verdict { TLSCERT_PASS, TLSCERT_WARN, TLSCERT_FAIL };

/* Another port of the same destination address and what it presented
 * (chain NULL: nothing was presented there), for `same-cert`. */
struct tlscert_peer {
	const char                 *label;   /* e.g. "tcp/8443" */
	const struct tlscert_chain *chain;
};

struct tlscert_input {
	const struct tlscert_expect *expect;
	const struct tlscert_chain  *chain;   /* what the server presented; NULL: nothing */
	const char                  *label;   /* this port, e.g. "tcp/443", for reasons */
	const char *const           *names;   /* FQDNs the leaf must cover (san) */
	size_t                       nnames;
	int64_t                      at;      /* evaluation time: the probe's send time */
	const char                  *ca_file; /* NULL: TLSCERT_CA_DEFAULT */
	const struct tlscert_peer   *peers;   /* same-cert: the other ports of the address */
	size_t                       npeers;
	const struct tlscert_chain  *inside;  /* the chain seen from inside, or NULL */
	/* The bundle already loaded (tlscert_store_open(ca_file)), or NULL:
	 * then `trusted` reads ca_file at each evaluation. */
	const struct tlscert_store  *store;
};

#define TLSCERT_REASON_MAX 512

struct tlscert_result {
	enum tlscert_check   check;
	enum tlscert_verdict verdict;
	/* One line a person can check by hand, e.g. "expires 2026-12-01, 9
	 * days left < 30"; cut (with "...") at TLSCERT_REASON_MAX - 1 bytes. */
	char                 reason[TLSCERT_REASON_MAX];
};

struct tlscert_eval {
	struct tlscert_result r[TLSCHK_COUNT];   /* in enum order, only the checks asked */
	size_t                n;
	enum tlscert_verdict  worst;             /* PASS when n == 0 */
};

/* Runs every check the expectation asks (and TLSCHK_INSIDE when in->inside
 * is set).  Without a chain every check fails with "no certificate was
 * presented".  san with no names to cover warns ("no name to check");
 * same-cert without peers warns.  Never fails as a call: problems with the
 * CA bundle are a failed `trusted` with the reason. */
void tlscert_evaluate(const struct tlscert_input *in, struct tlscert_eval *out);

/* "san", "not-expired", "pin", "issuer", "trusted", "same-cert", "inside". */
const char *tlscert_check_name(enum tlscert_check);
/* "pass", "warn", "fail". */
const char *tlscert_verdict_name(enum tlscert_verdict);

#endif
