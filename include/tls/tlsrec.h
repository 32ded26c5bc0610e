/* TLS as seen on the wire: bounds-checked parsing of the cleartext start of
 * one direction of a TLS connection (records, handshake messages split
 * across records, ClientHello, ServerHello, the TLS 1.2 Certificate message,
 * alerts), the plain JA4 fingerprint of a ClientHello, and a bounded
 * collector that puts a TCP direction's segments back in sequence order.
 *
 * Everything parsed here comes from captures of traffic that crossed a
 * firewall, or from a peer we do not trust: every byte is read through rd.h,
 * every length is checked against what is there, and nothing allocates
 * except the collector (whose size is fixed at creation).
 *
 * Parsed results point into the caller's buffer (slices below): they stay
 * valid as long as that buffer does and is not modified. */
#ifndef RP_TLS_TLSREC_H
#define RP_TLS_TLSREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Outcome of every parse.  NEED_MORE means the bytes so far are a valid
 * prefix and more of the stream is wanted; NOT_TLS means the stream does not
 * start like TLS (an SSLv2 hello, HTTP, ...); MALFORMED means it does, but a
 * length or field is impossible.  On anything but TLS_OK, *why (when the
 * caller passes one) gets a short static reason, e.g. "cipher suite list
 * length is odd". */
enum tls_res { TLS_OK = 0, TLS_NEED_MORE, TLS_NOT_TLS, TLS_MALFORMED };

const char *tls_res_name(enum tls_res); /* "ok", "need-more", "not-tls", "malformed" */

/* Record content types and handshake message types we look at. */
enum {
	TLS_CT_CCS = 20, TLS_CT_ALERT = 21, TLS_CT_HANDSHAKE = 22, TLS_CT_APPDATA = 23,
	TLS_CT_HEARTBEAT = 24,
};
enum {
	TLS_HS_CLIENT_HELLO = 1, TLS_HS_SERVER_HELLO = 2, TLS_HS_CERTIFICATE = 11,
	TLS_HS_SERVER_KEY_EXCHANGE = 12, TLS_HS_SERVER_HELLO_DONE = 14,
};
/* Protocol versions (record, legacy and supported_versions fields). */
enum { TLS_V10 = 0x0301, TLS_V11 = 0x0302, TLS_V12 = 0x0303, TLS_V13 = 0x0304 };
/* Extension types we decode. */
enum {
	TLS_EXT_SNI = 0, TLS_EXT_GROUPS = 10, TLS_EXT_SIGALGS = 13, TLS_EXT_ALPN = 16,
	TLS_EXT_VERSIONS = 43,
};

#define TLS_RANDOM_LEN   32
#define TLS_MAX_RECORD   (16384 + 2048)  /* TLSCiphertext limit, RFC 8446 5.2 */
#define TLS_MAX_EXTS     128  /* a ClientHello with more is refused as malformed */
#define TLS_MAX_ALPN     16   /* ALPN protocols kept; more is malformed */
#define TLS_JA4_SIZE     37   /* "t13d1516h2_8daaf6152771_e5627efa2ab1" + NUL */

/* A byte range inside the caller's buffer. */
struct tls_slice {
	const uint8_t *p;
	size_t         len;
};

/* n big-endian 16-bit values at p (inside the caller's buffer), in wire
 * order.  Read them with tls_u16_at(). */
struct tls_u16s {
	const uint8_t *p;
	size_t         n;
};

uint16_t tls_u16_at(struct tls_u16s, size_t i); /* 0 past the end */

/* GREASE values (RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa) are kept in every
 * list as they arrived; this recognises them. */
bool tls_is_grease(uint16_t);

/* ---- Records ---------------------------------------------------------- */

struct tls_record {
	uint8_t          type;     /* TLS_CT_* */
	uint16_t         version;  /* record-layer version, e.g. 0x0301 */
	struct tls_slice body;
};

/* Reads the record at stream[*off] and advances *off past it.  NOT_TLS for
 * an unknown content type or a version not 3.x; MALFORMED for a length over
 * TLS_MAX_RECORD or an empty record other than application data
 * (RFC 8446 5.1); NEED_MORE when the record is cut (including *off == len). */
enum tls_res tls_record_next(const uint8_t *stream, size_t len, size_t *off,
                             struct tls_record *out, const char **why);

/* What the cleartext start of one direction holds: the bodies of its
 * handshake records concatenated (handshake messages may be split across
 * records, and several may share one), and the first cleartext alert.  The
 * walk stops at a ChangeCipherSpec or application-data record (what follows
 * is encrypted), at a record cut by the end of the bytes, at a cleartext
 * alert, or when hs is full. */
struct tls_flight {
	size_t   hs_len;      /* handshake bytes written to the caller's hs */
	size_t   consumed;    /* stream bytes up to the end of the last
	                         handshake or alert record walked */
	uint16_t rec_version; /* version of the first record */
	bool     has_alert;
	uint8_t  alert_level, alert_desc;
	bool     encrypted;   /* stopped at ChangeCipherSpec or application data */
	bool     cut;         /* the last record was incomplete */
	bool     full;        /* hs filled up: handshake bytes were left out */
};

/* hs (cap bytes) receives the handshake bytes (as many as fit: see full).
 * TLS_OK when at least one whole record was walked (more may still be
 * wanted: see cut), NEED_MORE when not even one, NOT_TLS / MALFORMED as for
 * tls_record_next (a non-TLS record after TLS ones is MALFORMED), MALFORMED
 * also for an alert that is not two bytes of level and description. */
enum tls_res tls_flight_read(const uint8_t *stream, size_t len, uint8_t *hs, size_t cap,
                             struct tls_flight *out, const char **why);

/* ---- Handshake messages ----------------------------------------------- */

struct tls_hs_msg {
	uint8_t          type;  /* TLS_HS_* */
	struct tls_slice body;
};

/* Reads the handshake message at hs[*off] and advances *off past it.
 * NEED_MORE when the message is cut (more records wanted). */
enum tls_res tls_hs_next(const uint8_t *hs, size_t len, size_t *off,
                         struct tls_hs_msg *out, const char **why);

/* ---- ClientHello ------------------------------------------------------ */

struct tls_client_hello {
	uint16_t         legacy_version;
	uint8_t          random[TLS_RANDOM_LEN];
	struct tls_slice session_id;   /* 0..32 bytes */
	struct tls_u16s  ciphers;      /* in wire order, GREASE included */
	struct tls_slice compression;  /* compression method bytes */
	size_t           n_ext;
	uint16_t         ext_types[TLS_MAX_EXTS]; /* in wire order, GREASE included */
	bool             has_sni;
	struct tls_slice sni;          /* the first host_name, raw (no NUL) */
	struct tls_u16s  versions;     /* supported_versions (n 0 when absent) */
	struct tls_u16s  sigalgs;      /* signature_algorithms, in order */
	struct tls_u16s  groups;       /* supported_groups, in order */
	size_t           n_alpn;
	struct tls_slice alpn[TLS_MAX_ALPN]; /* protocol names, in order */
};

/* Parses the body of a ClientHello handshake message (after the 4-byte
 * handshake header).  Only lengths that do not add up are malformed
 * (trailing bytes after the extensions included); values the RFCs forbid
 * but a fingerprint can still describe (an empty cipher list, an empty ALPN
 * name, a repeated extension: its first copy is decoded) are kept as they
 * are, since we record what crossed, not judge it. */
enum tls_res tls_client_hello_parse(const uint8_t *body, size_t len,
                                    struct tls_client_hello *out, const char **why);

/* The common case: the ClientHello at the start of a client's stream (the
 * first handshake message, possibly split across records).  hs is the
 * caller's scratch buffer (cap bytes, 16 KiB is plenty for real hellos);
 * out points into it.  NOT_TLS also when the first handshake message is not
 * a ClientHello. */
enum tls_res tls_client_hello_from_stream(const uint8_t *stream, size_t len,
                                          uint8_t *hs, size_t cap,
                                          struct tls_client_hello *out, const char **why);

/* The version the client offers: the highest non-GREASE supported_versions
 * value, or legacy_version without that extension. */
uint16_t tls_client_version(const struct tls_client_hello *);

/* Copies the SNI into buf as a C string.  False when there is none, when it
 * does not fit, or when it holds a NUL byte. */
bool tls_sni_str(const struct tls_client_hello *, char *buf, size_t cap);

/* Plain JA4 (FoxIO) of a ClientHello seen over TCP, e.g.
 * "t13d1516h2_8daaf6152771_e5627efa2ab1".  Returns 0, or -1 if SHA-256
 * failed (out is then ""). */
int tls_ja4(const struct tls_client_hello *, char out[TLS_JA4_SIZE]);

/* What the correlator asks of a ClientHello sent and one that arrived. */
struct tls_hello_cmp {
	bool same_random;
	bool same_sni;     /* both without SNI counts as the same */
	bool same_ja4;
};

void tls_hello_compare(const struct tls_client_hello *sent,
                       const struct tls_client_hello *seen, struct tls_hello_cmp *out);

/* ---- ServerHello ------------------------------------------------------ */

struct tls_server_hello {
	uint16_t         legacy_version;
	uint16_t         version;      /* supported_versions when present, else legacy */
	uint8_t          random[TLS_RANDOM_LEN];
	struct tls_slice session_id;
	uint16_t         cipher;
	uint8_t          compression;
	bool             hrr;          /* a HelloRetryRequest (RFC 8446 4.1.3) */
	size_t           n_ext;
	uint16_t         ext_types[TLS_MAX_EXTS];
	struct tls_slice alpn;         /* the protocol the server chose, if any */
};

enum tls_res tls_server_hello_parse(const uint8_t *body, size_t len,
                                    struct tls_server_hello *out, const char **why);

/* ---- Certificate (TLS 1.2, cleartext) and Alert ----------------------- */

/* Parses the body of a TLS 1.2 Certificate message: up to max DER
 * certificates into der[], leaf first.  *n gets how many the message holds
 * (it may exceed max: only the first max are filled).  An empty list is
 * TLS_OK with *n 0.  (A TLS 1.3 Certificate is encrypted; not seen here.) */
enum tls_res tls_certificate_parse(const uint8_t *body, size_t len, struct tls_slice *der,
                                   size_t max, size_t *n, const char **why);

/* The server's cleartext start: its ServerHello and, for TLS 1.2, its
 * Certificate, or an alert instead.  Certificates point into hs. */
#define TLS_MAX_CHAIN 16
struct tls_server_flight {
	bool                    has_hello;
	struct tls_server_hello hello;
	bool                    has_cert;
	size_t                  n_certs;  /* may exceed TLS_MAX_CHAIN */
	struct tls_slice        certs[TLS_MAX_CHAIN];
	bool                    has_alert;
	uint8_t                 alert_level, alert_desc;
};

/* TLS_OK once the ServerHello is there (and, for TLS 1.2 without a
 * resumption, the Certificate: NEED_MORE until it is), or an alert came
 * instead of a hello. */
enum tls_res tls_server_flight_from_stream(const uint8_t *stream, size_t len,
                                           uint8_t *hs, size_t cap,
                                           struct tls_server_flight *out, const char **why);

enum { TLS_ALERT_WARNING = 1, TLS_ALERT_FATAL = 2 };

/* An alert record's body: level and description (RFC 8446 6). */
enum tls_res tls_alert_parse(const uint8_t *body, size_t len, uint8_t *level,
                             uint8_t *desc, const char **why);
/* "handshake_failure", "unrecognized_name", ... or NULL if unknown. */
const char *tls_alert_name(uint8_t desc);

/* ---- TCP stream collector --------------------------------------------- */

/* Puts one direction of one TCP flow back in order: the first `limit`
 * bytes after the initial sequence number, from segments given in any
 * order, retransmitted or overlapping.  The start is the SYN's seq + 1 when
 * the SYN is seen; before that, the lowest seq seen (moved back when an
 * earlier segment arrives, as long as what is held still fits).  The first
 * copy of a byte wins; a later copy that differs is counted as a conflict
 * (a middlebox rewriting a retransmission is worth reporting). */
#define TCPC_MAX_LIMIT (1u << 20)

struct tcp_collect;

/* limit: 1 .. TCPC_MAX_LIMIT bytes.  NULL on a bad limit or no memory. */
struct tcp_collect *tcpc_new(size_t limit);
void                tcpc_free(struct tcp_collect *);
/* One segment: its sequence number, whether it carries SYN (then its data
 * starts at seq + 1), and its payload (may be empty). */
void                tcpc_add(struct tcp_collect *, uint32_t seq, bool syn,
                             const uint8_t *payload, size_t len);
/* The in-order bytes from the start up to the first hole; *len gets their
 * count.  Valid until the next tcpc_add. */
const uint8_t      *tcpc_data(const struct tcp_collect *, size_t *len);
bool                tcpc_has_syn(const struct tcp_collect *);
size_t              tcpc_conflicts(const struct tcp_collect *);

#endif
