/* tls-pin: the SPKI pin of a certificate file, the value seed 000's console
 * generates for `device.security.ssl.b64pubkeys`, and the value a profile's
 * `cert (pin "...")` takes. */
#include "cmd/cmd_tls.h"

#include <getopt.h>
#include <stdio.h>

#include "cmd/cli.h"
#include "lib/exitstatus.h"
#include "plan/inputs.h"
#include "tls/tlscert.h"

static const char tls_pin_usage[] =
    "usage: ruleproof tls-pin [-v] CERT\n"
    "Prints the SPKI pin of the first certificate in CERT (PEM, or one DER\n"
    "certificate): base64 of the SHA-256 of its DER SubjectPublicKeyInfo.\n"
    "-v then describes every certificate of the file: subject, issuer,\n"
    "validity, SAN names, SHA-1 thumbprint (as Windows shows it), SHA-256, pin.\n";

static void
print_verbose(const struct tlscert_chain *ch)
{
	const struct tlscert_info *ci;
	char nb[16], na[16];
	size_t i, k;

	for (i = 0; (ci = tlscert_at(ch, i)) != NULL; i++) {
		printf("\ncertificate %zu\n", i + 1);
		printf("  subject     %s\n", ci->subject);
		printf("  issuer      %s\n", ci->issuer);
		printf("  not-before  %s\n", tlscert_date(ci->not_before, nb, sizeof(nb)));
		printf("  not-after   %s\n", tlscert_date(ci->not_after, na, sizeof(na)));
		for (k = 0; k < ci->nsan; k++)
			printf("  san         %s\n", ci->san[k]);
		printf("  sha1        %s\n", ci->sha1);
		printf("  sha256      %s\n", ci->sha256);
		printf("  pin         %s\n", ci->pin);
	}
}

int
cmd_tls_pin(int argc, char **argv, const struct rp_log *log)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tlscert_chain *ch;
	bool verbose = false;
	char err[400];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v': verbose = true; break;
		case 'h': fputs(tls_pin_usage, stdout); return EXIT_PASS;
		default: fputs(tls_pin_usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(tls_pin_usage, stderr);
		return EXIT_USAGE;
	}
	ch = tlscert_chain_from_pem_file(argv[optind], err, sizeof(err));
	if (!ch) {
		log_warnx(log, "tls-pin: %s", err);
		return EXIT_USAGE;
	}
	/* The first line is the pin either way, for scripts. */
	printf("%s\n", tlscert_at(ch, 0)->pin);
	if (verbose)
		print_verbose(ch);
	tlscert_chain_free(ch);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_warn(log, "tls-pin: cannot write the output");
		return EXIT_RUN;
	}
	return EXIT_PASS;
}
