#include "report/rundiff.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errfmt.h"

#define COL_RED   "\033[31m"
#define COL_GREEN "\033[32m"
#define COL_BOLD  "\033[1m"
#define COL_OFF   "\033[0m"

struct keyed {
	char  *key;
	size_t idx;
};

/* Which element of a each element of b is (SIZE_MAX: none), and back. */
struct pairing {
	size_t *b_to_a, *a_to_b;
};

static const char *
jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void
join_names(FILE *m, const json_t *arr)
{
	size_t i;

	for (i = 0; i < json_array_size(arr); i++)
		fprintf(m, "%s%s", i ? ", " : "", json_string_value(json_array_get(arr, i)) ?
		    json_string_value(json_array_get(arr, i)) : "");
}

/* What a rule says, whatever its line: "open a, b -> c : svc". */
static char *
rule_key(const json_t *ru)
{
	char *s = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&s, &len);

	if (!m)
		return NULL;
	fprintf(m, "%s ", jstr(ru, "expect"));
	join_names(m, json_object_get(ru, "from"));
	fputs(" -> ", m);
	join_names(m, json_object_get(ru, "to"));
	fprintf(m, " : %s", jstr(ru, "services"));
	if (fclose(m) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static char *
probe_key(const json_t *p)
{
	char *s = NULL;

	/* The unit separator cannot occur in a name or an address. */
	if (asprintf(&s, "%s\x1f%s\x1f%s\x1f%s\x1f%lld", jstr(p, "from"), jstr(p, "to"),
	    jstr(p, "dst"), jstr(p, "proto"),
	    (long long)json_integer_value(json_object_get(p, "port"))) < 0)
		return NULL;
	return s;
}

static int
keyed_cmp(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	/* Equal keys keep document order, so duplicates pair up in order. */
	return c ? c : a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void
keyed_free(struct keyed *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i].key);
	free(v);
}

static struct keyed *
keyed_build(const json_t *arr, char *(*keyfn)(const json_t *))
{
	size_t n = json_array_size(arr), i;
	struct keyed *v = calloc(n ? n : 1, sizeof(*v));

	for (i = 0; v && i < n; i++) {
		v[i].idx = i;
		if ((v[i].key = keyfn(json_array_get(arr, i))) == NULL) {
			keyed_free(v, n);
			return NULL;
		}
	}
	if (v)
		qsort(v, n, sizeof(*v), keyed_cmp);
	return v;
}

static void
pairing_free(struct pairing *p)
{
	free(p->a_to_b);
	free(p->b_to_a);
}

/* Sorted merge of both sides' keys. */
static int
pair_up(const json_t *a, const json_t *b, char *(*keyfn)(const json_t *), struct pairing *p)
{
	size_t na = json_array_size(a), nb = json_array_size(b), i = 0, j = 0, k;
	struct keyed *ka = keyed_build(a, keyfn), *kb = keyed_build(b, keyfn);

	p->a_to_b = malloc((na ? na : 1) * sizeof(size_t));
	p->b_to_a = malloc((nb ? nb : 1) * sizeof(size_t));
	if (!ka || !kb || !p->a_to_b || !p->b_to_a) {
		keyed_free(ka, na);
		keyed_free(kb, nb);
		pairing_free(p);
		return -1;
	}
	for (k = 0; k < na; k++)
		p->a_to_b[k] = SIZE_MAX;
	for (k = 0; k < nb; k++)
		p->b_to_a[k] = SIZE_MAX;
	while (i < na && j < nb) {
		int c = strcmp(ka[i].key, kb[j].key);
		if (c == 0) {
			p->a_to_b[ka[i].idx] = kb[j].idx;
			p->b_to_a[kb[j].idx] = ka[i].idx;
		}
		i += c <= 0;
		j += c >= 0;
	}
	keyed_free(ka, na);
	keyed_free(kb, nb);
	return 0;
}

static const char *
shout(const char *verdict)
{
	return strcmp(verdict, "fail") == 0 ? "FAIL" : verdict;
}

static void
transition(FILE *out, const char *va, const char *vb, bool color)
{
	char t[64];

	snprintf(t, sizeof(t), "%s -> %s", shout(va), shout(vb));
	if (color)
		fprintf(out, "  %s%s%-22s%s", COL_BOLD, strcmp(vb, "pass") == 0 ? COL_GREEN : COL_RED,
		    t, COL_OFF);
	else
		fprintf(out, "  %-22s", t);
}

static void
rule_line(FILE *out, const json_t *ru)
{
	const char *text = jstr(ru, "text");
	char *key = NULL;

	/* Reports older than the "text" field are described from their parts. */
	if (!text[0])
		text = key = rule_key(ru);
	fprintf(out, "%s  %s", jstr(ru, "rule"), text ? text : "");
	free(key);
}

static void
heading(FILE *out, bool *said, const char *what, bool color)
{
	if (*said)
		return;
	*said = true;
	fprintf(out, "\n%s%s%s\n", color ? COL_BOLD : "", what, color ? COL_OFF : "");
}

static void
diff_rules(const json_t *ra, const json_t *rb, const struct pairing *p, FILE *out, bool color,
    struct rundiff_counts *n)
{
	bool said = false;
	size_t i;

	for (i = 0; i < json_array_size(rb); i++) {
		const json_t *b = json_array_get(rb, i), *a;
		if (p->b_to_a[i] == SIZE_MAX)
			continue;
		a = json_array_get(ra, p->b_to_a[i]);
		if (strcmp(jstr(a, "verdict"), jstr(b, "verdict")) == 0)
			continue;
		heading(out, &said, "Rules whose verdict changed:", color);
		transition(out, jstr(a, "verdict"), jstr(b, "verdict"), color);
		rule_line(out, b);
		fprintf(out, "  (failing probes %lld -> %lld of %lld)\n",
		    (long long)json_integer_value(json_object_get(a, "fail")),
		    (long long)json_integer_value(json_object_get(b, "fail")),
		    (long long)json_integer_value(json_object_get(b, "probes")));
		n->rules_changed++;
	}
}

static void
diff_rules_unpaired(const json_t *arr, const size_t *to_other, const char *what, FILE *out,
    bool color, unsigned *count)
{
	bool said = false;
	size_t i;

	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *ru = json_array_get(arr, i);
		if (to_other[i] != SIZE_MAX)
			continue;
		heading(out, &said, what, color);
		fprintf(out, "  %-22s", shout(jstr(ru, "verdict")));
		rule_line(out, ru);
		fputc('\n', out);
		(*count)++;
	}
}

static void
probe_line(FILE *out, const json_t *pr)
{
	fprintf(out, "%s -> %s %s/%lld (%s)  %s", jstr(pr, "from"), jstr(pr, "to"), jstr(pr, "proto"),
	    (long long)json_integer_value(json_object_get(pr, "port")), jstr(pr, "dst"),
	    jstr(pr, "rule"));
}

static void
diff_probes(const json_t *pa, const json_t *pb, const struct pairing *p, FILE *out, bool color,
    struct rundiff_counts *n)
{
	bool said = false;
	size_t i;

	for (i = 0; i < json_array_size(pb); i++) {
		const json_t *b = json_array_get(pb, i), *a;
		if (p->b_to_a[i] == SIZE_MAX) {
			n->probes_only_b++;
			continue;
		}
		a = json_array_get(pa, p->b_to_a[i]);
		if (strcmp(jstr(a, "verdict"), jstr(b, "verdict")) == 0)
			continue;
		heading(out, &said, "Probes whose verdict changed:", color);
		transition(out, jstr(a, "verdict"), jstr(b, "verdict"), color);
		probe_line(out, b);
		fprintf(out, "  evidence %s -> %s\n", jstr(a, "evidence"), jstr(b, "evidence"));
		n->probes_changed++;
	}
	for (i = 0; i < json_array_size(pa); i++)
		n->probes_only_a += p->a_to_b[i] == SIZE_MAX;
}

static unsigned
failing_rules(const json_t *rules)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < json_array_size(rules); i++)
		n += strcmp(jstr(json_array_get(rules, i), "verdict"), "fail") == 0;
	return n;
}

static void
describe(FILE *out, const char *tag, const json_t *r)
{
	const json_t *rules = json_object_get(r, "rules");

	fprintf(out, "%s  %s  %s: %u of %zu rules fail\n", tag, jstr(json_object_get(r, "run"), "id"),
	    jstr(json_object_get(r, "profile"), "file"), failing_rules(rules), json_array_size(rules));
}

static bool
is_report(const json_t *r)
{
	return strcmp(jstr(r, "schema"), "ruleproof-report/1") == 0 &&
	    json_is_array(json_object_get(r, "rules")) && json_is_array(json_object_get(r, "results"));
}

static void
closing_line(FILE *out, const struct rundiff_counts *n)
{
	if (rundiff_total(n) == 0) {
		fputs("\ndiff: no rule and no probe changed verdict\n", out);
		return;
	}
	fprintf(out, "\ndiff: %u rule%s and %u probe%s changed verdict", n->rules_changed,
	    n->rules_changed == 1 ? "" : "s", n->probes_changed, n->probes_changed == 1 ? "" : "s");
	if (n->rules_only_a + n->rules_only_b)
		fprintf(out, "; %u rule%s only in A, %u only in B", n->rules_only_a,
		    n->rules_only_a == 1 ? "" : "s", n->rules_only_b);
	if (n->probes_only_a + n->probes_only_b)
		fprintf(out, "; %u probe%s only in A, %u only in B", n->probes_only_a,
		    n->probes_only_a == 1 ? "" : "s", n->probes_only_b);
	fputc('\n', out);
}

int
rundiff(const json_t *a, const json_t *b, FILE *out, bool color, struct rundiff_counts *n,
    char *err, size_t errlen)
{
	const json_t *ra = json_object_get(a, "rules"), *rb = json_object_get(b, "rules");
	const json_t *pa = json_object_get(a, "results"), *pb = json_object_get(b, "results");
	struct pairing rp = { 0 }, pp = { 0 };

	memset(n, 0, sizeof(*n));
	if (!is_report(a) || !is_report(b))
		return errfmt(err, errlen, "not a ruleproof-report/1 document");
	if (pair_up(ra, rb, rule_key, &rp) != 0)
		return errfmt(err, errlen, "out of memory");
	if (pair_up(pa, pb, probe_key, &pp) != 0) {
		pairing_free(&rp);
		return errfmt(err, errlen, "out of memory");
	}
	describe(out, "A", a);
	describe(out, "B", b);
	diff_rules(ra, rb, &rp, out, color, n);
	diff_rules_unpaired(ra, rp.a_to_b, "Rules only in A:", out, color, &n->rules_only_a);
	diff_rules_unpaired(rb, rp.b_to_a, "Rules only in B:", out, color, &n->rules_only_b);
	diff_probes(pa, pb, &pp, out, color, n);
	closing_line(out, n);
	pairing_free(&rp);
	pairing_free(&pp);
	return 0;
}

unsigned
rundiff_total(const struct rundiff_counts *n)
{
	return n->rules_changed + n->rules_only_a + n->rules_only_b + n->probes_changed +
	    n->probes_only_a + n->probes_only_b;
}
