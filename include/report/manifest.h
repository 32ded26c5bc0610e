/* The evidence bundle's seal: MANIFEST.sha256 lists the SHA-256 of every
 * file of a run directory (in `sha256sum` format, so that `sha256sum -c`
 * checks it without ruleproof), and MANIFEST.sig is an optional Ed25519
 * signature over the manifest's bytes (raw 64 bytes, as `openssl pkeyutl
 * -sign -rawin` makes).  Verification names every file added, missing or
 * modified since, and says whether the signature holds. */
#ifndef RP_REPORT_MANIFEST_H
#define RP_REPORT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#define MANIFEST_FILE "MANIFEST.sha256"
#define MANIFEST_SIG  "MANIFEST.sig"

enum mf_change {
	MF_MODIFIED,    /* listed, present, other hash */
	MF_MISSING,     /* listed, not present */
	MF_ADDED,       /* present, not listed */
	MF_UNREADABLE,  /* present but cannot be hashed, or not a regular file */
	MF_MALFORMED,   /* a manifest line that is not "HASH  NAME" (name: "line N") */
};

enum mf_sig {
	MF_SIG_NONE,       /* no signature and no key to check one */
	MF_SIG_UNCHECKED,  /* a signature, but no key to check it with */
	MF_SIG_GOOD,
	MF_SIG_BAD,        /* does not verify under the key */
	MF_SIG_MISSING,    /* a key was given but there is no signature */
};

struct mf_change_rec {
	char          *name;
	enum mf_change what;
};

struct mf_result {
	bool                  have_manifest;
	size_t                nlisted;     /* entries in the manifest */
	size_t                nchanges;
	struct mf_change_rec *changes;     /* sorted by name */
	enum mf_sig           sig;
	char                  key_fpr[65]; /* SHA-256 of the raw public key, hex */
};

/* Writes dir/MANIFEST.sha256 over every file under dir but the manifest and
 * its signature, sorted by name (bytes).  *changed tells whether it differs
 * from the one there before (true if there was none). */
int  manifest_write(const char *dir, size_t *nfiles, bool *changed, char *err, size_t errlen);
/* Signs dir/MANIFEST.sha256 with the Ed25519 private key in PEM file key
 * (unencrypted) into dir/MANIFEST.sig; fpr gets the key's fingerprint. */
int  manifest_sign(const char *dir, const char *key, char fpr[65], char *err, size_t errlen);
/* Checks that key holds an Ed25519 private key (before a long run). */
int  manifest_check_signing_key(const char *key, char *err, size_t errlen);
/* Compares dir with its manifest, and the signature with pubkey (a PEM
 * public or private Ed25519 key; NULL: do not check).  Files for which
 * ignore() is true are left out of the comparison (NULL: none).  Returns -1
 * only when the check could not be made (dir unreadable, bad key). */
int  manifest_verify(const char *dir, const char *pubkey, bool (*ignore)(const char *name),
                     struct mf_result *, char *err, size_t errlen);
void mf_result_free(struct mf_result *);
/* True when nothing changed, a manifest exists and the signature is good
 * or was not asked for. */
bool mf_result_ok(const struct mf_result *);
const char *mf_change_name(enum mf_change);

#endif
