/*
 * printconf.c - the canonical dump of a configuration (flatbgpd -n -v,
 * golden tests).
 *
 * The dump walks the key tables of config.c in their order and prints
 * every key with its effective value, defaults included, as YAML that
 * config_load() reads back into the same configuration.  A value that
 * is not set but inherited or decided later (a neighbor's hold-time,
 * export and next-hop-self, families, the node name) is printed as a
 * comment with the value it stands for, so that reading the dump back
 * does not turn "inherit" into a fixed value.  Strings are plain where
 * YAML cannot mistake them and double-quoted, ASCII-only, otherwise.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config_table.h"
#include "log.h"

struct config_printer {
	FILE			*out;
	const struct config	*conf;
	int			 indent;
	bool			 item;	/* the next line starts a list item */
};

static void print_keys(struct config_printer *, const struct config_section *,
    const void *);

static void
line_start(struct config_printer *p)
{
	if (p->item) {
		fprintf(p->out, "%*s- ", p->indent - 2, "");
		p->item = false;
	} else {
		fprintf(p->out, "%*s", p->indent, "");
	}
}

/* Writes "name: " at the start of a line of its own. */
static void
key_start(struct config_printer *p, const struct config_key *key)
{
	line_start(p);
	fprintf(p->out, "%s: ", key->name);
}

/* Writes "# name: <text>": a value that is not set, with what it means. */
static void
comment(struct config_printer *p, const struct config_key *key,
    const char *fmt, ...)
{
	va_list ap;

	fprintf(p->out, "%*s# %s: ", p->indent, "", key->name);
	va_start(ap, fmt);
	vfprintf(p->out, fmt, ap);
	va_end(ap);
	fputc('\n', p->out);
}

/* Whether text reads back as the same string when written plain. */
static bool
plain_safe(const char *text)
{
	static const char *const reserved[] = {
		"true", "false", "yes", "no", "on", "off", "null", "y", "n",
	};
	size_t i;

	if (!isalnum((unsigned char)text[0]) && text[0] != '/' &&
	    text[0] != '.')
		return false;
	if (strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._/+-") != strlen(text))
		return false;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcasecmp(text, reserved[i]) == 0)
			return false;
	return true;
}

/* Decodes one UTF-8 sequence (valid: the loader checked) at *s. */
static unsigned long
utf8_next(const unsigned char **s)
{
	const unsigned char *c = *s;
	unsigned long cp;
	unsigned need, i;

	if (c[0] < 0xe0)
		need = 1, cp = c[0] & 0x1f;
	else if (c[0] < 0xf0)
		need = 2, cp = c[0] & 0x0f;
	else
		need = 3, cp = c[0] & 0x07;
	for (i = 1; i <= need && (c[i] & 0xc0) == 0x80; i++)
		cp = cp << 6 | (c[i] & 0x3f);
	*s = c + i;
	return cp;
}

/*
 * Writes text as a YAML scalar: plain when safe, else double-quoted
 * with everything outside printable ASCII escaped, and "${" written as
 * "$${" so that reading it back does not expand a variable.
 */
static void
print_scalar(FILE *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned long cp;

	if (plain_safe(text)) {
		fputs(text, out);
		return;
	}
	fputc('"', out);
	while (*s != '\0') {
		if (*s >= 0x80) {
			cp = utf8_next(&s);
			fprintf(out, cp > 0xffff ? "\\U%08lx" : "\\u%04lx", cp);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\t' || *s == '\n' || *s == '\r')
			fprintf(out, "\\%c", *s == '\t' ? 't' :
			    *s == '\n' ? 'n' : 'r');
		else if (*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\x%02x", *s);
		else if (*s == '$' && s[1] == '{')
			fputs("$$", out);
		else
			fputc(*s, out);
		s++;
	}
	fputc('"', out);
}

static void
print_prefix(FILE *out, const struct prefix *prefix)
{
	char buf[PREFIX_STRLEN];

	print_scalar(out, prefix_format(prefix, buf, sizeof(buf)));
}

static void
print_prefix_list(FILE *out, const struct prefix_list *list)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < list->count; i++) {
		if (i > 0)
			fputs(", ", out);
		print_prefix(out, &list->items[i]);
	}
	fputc(']', out);
}

static void
print_ip(FILE *out, const struct ip_addr *addr)
{
	char buf[IP_ADDR_STRLEN];

	print_scalar(out, ip_addr_format(addr, buf, sizeof(buf)));
}

void
config_print_number(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	uint64_t value = config_get_uint(CONFIG_CFIELD(object, key), key->size);
	const char *name = config_word_name(key->words, (uint32_t)value);

	key_start(p, key);
	if (name != NULL && value <= UINT32_MAX)
		fprintf(p->out, "%s\n", name);
	else
		fprintf(p->out, "%llu\n", (unsigned long long)value);
}

void
config_print_word(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	uint64_t value = config_get_uint(CONFIG_CFIELD(object, key), key->size);
	const char *name = config_word_name(key->words, (uint32_t)value);

	if (name == NULL)
		fatal("config: %s = %llu has no name", key->name,
		    (unsigned long long)value);
	key_start(p, key);
	fprintf(p->out, "%s\n", name);
}

void
config_print_bool(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	bool value;

	memcpy(&value, CONFIG_CFIELD(object, key), sizeof(value));
	key_start(p, key);
	fprintf(p->out, "%s\n", value ? "true" : "false");
}

void
config_print_string(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const char *const *value = CONFIG_CFIELD(object, key);

	if (*value == NULL) {
		comment(p, key, "(none)");
		return;
	}
	key_start(p, key);
	print_scalar(p->out, *value);
	fputc('\n', p->out);
}

void
config_print_host_name(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const char *const *value = CONFIG_CFIELD(object, key);

	if (*value == NULL)
		comment(p, key, "(not set: the host name)");
	else
		config_print_string(p, key, object);
}

void
config_print_mode(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	uint64_t mode = config_get_uint(CONFIG_CFIELD(object, key), key->size);

	key_start(p, key);
	fprintf(p->out, "\"%04llo\"\n", (unsigned long long)mode);
}

void
config_print_router_id(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct config *conf = object;
	struct ip_addr addr;

	key_start(p, key);
	if (conf->router_id_auto) {
		fputs("auto\n", p->out);
		return;
	}
	ip_addr_set_v4_u32(&addr, conf->router_id);
	print_ip(p->out, &addr);
	fputc('\n', p->out);
}

void
config_print_ip(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	key_start(p, key);
	print_ip(p->out, CONFIG_CFIELD(object, key));
	fputc('\n', p->out);
}

void
config_print_prefixes(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	key_start(p, key);
	print_prefix_list(p->out, CONFIG_CFIELD(object, key));
	fputc('\n', p->out);
}

void
config_print_cidr(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct cidr_setting *cidr = CONFIG_CFIELD(object, key);

	key_start(p, key);
	if (cidr->source == CIDR_AUTO)
		fputs("auto", p->out);
	else if (cidr->source == CIDR_NONE)
		fputs("none", p->out);
	else if (cidr->prefixes.count == 1)
		print_prefix(p->out, &cidr->prefixes.items[0]);
	else
		print_prefix_list(p->out, &cidr->prefixes);
	fputc('\n', p->out);
}

void
config_print_communities(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct config *conf = object;
	const uint32_t *large = conf->advertise.large_communities;
	size_t i;

	key_start(p, key);
	fputc('[', p->out);
	for (i = 0; i < conf->advertise.community_count; i++)
		fprintf(p->out, "%s\"%u:%u\"", i > 0 ? ", " : "",
		    conf->advertise.communities[i] >> 16,
		    conf->advertise.communities[i] & 0xffff);
	for (i = 0; i < conf->advertise.large_community_count; i++)
		fprintf(p->out, "%s\"%u:%u:%u\"",
		    i + conf->advertise.community_count > 0 ? ", " : "",
		    large[i * 3], large[i * 3 + 1], large[i * 3 + 2]);
	fputs("]\n", p->out);
}

void
config_print_api_server(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct config *conf = object;

	key_start(p, key);
	if (conf->kubernetes.api_in_cluster)
		fputs("in-cluster", p->out);
	else if (conf->kubernetes.api_none)
		fputs("none", p->out);
	else
		print_scalar(p->out, conf->kubernetes.api_server);
	fputc('\n', p->out);
}

void
config_print_metrics_listen(struct config_printer *p,
    const struct config_key *key, const void *object)
{
	const struct config *conf = object;
	char buf[IP_ADDR_STRLEN];

	key_start(p, key);
	if (!conf->metrics.enabled) {
		fputs("none\n", p->out);
		return;
	}
	ip_addr_format(&conf->metrics.address, buf, sizeof(buf));
	if (conf->metrics.address.family == FAMILY_IPV6)
		fprintf(p->out, "\"[%s]:%u\"\n", buf, conf->metrics.port);
	else
		fprintf(p->out, "\"%s:%u\"\n", buf, conf->metrics.port);
}

void
config_print_neighbor_address(struct config_printer *p,
    const struct config_key *key, const void *object)
{
	const struct config_neighbor *n = object;

	key_start(p, key);
	if (n->host != NULL)
		print_scalar(p->out, n->host);
	else
		print_ip(p->out, &n->address);
	fputc('\n', p->out);
}

void
config_print_range(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct config_neighbor *n = object;

	key_start(p, key);
	print_prefix(p->out, &n->range);
	fputc('\n', p->out);
}

void
config_print_peer_asn(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct config_neighbor *n = object;
	size_t i;

	key_start(p, key);
	if (n->asn_kind != PEER_ASN_NUMBER) {
		fprintf(p->out, "%s\n", n->asn_kind == PEER_ASN_EXTERNAL ?
		    "external" : "internal");
		return;
	}
	if (n->asn_count == 1) {
		fprintf(p->out, "%u\n", n->asns[0]);
		return;
	}
	for (i = 0; i < n->asn_count; i++)
		fprintf(p->out, "%s%u", i > 0 ? ", " : "[", n->asns[i]);
	fputs("]\n", p->out);
}

void
config_print_neighbor_hold_time(struct config_printer *p,
    const struct config_key *key, const void *object)
{
	const struct config_neighbor *n = object;

	if (n->hold_time < 0)
		comment(p, key, "%u (inherited from hold-time)",
		    p->conf->hold_time);
	else
		config_print_number(p, key, object);
}

void
config_print_families(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const struct config_neighbor *n = object;

	if (n->families == 0) {
		comment(p, key, "[ipv4, ipv6] (both, where the session and "
		    "the peer support them)");
		return;
	}
	key_start(p, key);
	fprintf(p->out, "[%s%s%s]\n",
	    n->families & CONFIG_FAMILY_IPV4 ? "ipv4" : "",
	    n->families == (CONFIG_FAMILY_IPV4 | CONFIG_FAMILY_IPV6) ?
	    ", " : "", n->families & CONFIG_FAMILY_IPV6 ? "ipv6" : "");
}

void
config_print_neighbor_export(struct config_printer *p,
    const struct config_key *key, const void *object)
{
	const struct config_neighbor *n = object;

	if (n->export == EXPORT_DEFAULT)
		comment(p, key, "%s (inherited from policy.export)",
		    config_word_name(key->words, p->conf->policy.export));
	else
		config_print_word(p, key, object);
}

void
config_print_next_hop_self(struct config_printer *p,
    const struct config_key *key, const void *object)
{
	const struct config_neighbor *n = object;
	bool ibgp = false, ebgp = false;
	size_t i;

	if (n->next_hop_self != CONFIG_UNSET) {
		key_start(p, key);
		fprintf(p->out, "%s\n", n->next_hop_self == CONFIG_TRUE ?
		    "true" : "false");
		return;
	}
	if (n->asn_kind != PEER_ASN_NUMBER) {
		ibgp = n->asn_kind == PEER_ASN_INTERNAL;
		ebgp = !ibgp;
	}
	for (i = 0; i < n->asn_count; i++) {
		ibgp |= n->asns[i] == p->conf->asn;
		ebgp |= n->asns[i] != p->conf->asn;
	}
	if (ibgp && ebgp)
		comment(p, key, "(true for eBGP sessions, false for iBGP)");
	else
		comment(p, key, "%s (the default for %s)", ibgp ? "false" :
		    "true", ibgp ? "iBGP" : "eBGP");
}

void
config_print_section(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	line_start(p);
	fprintf(p->out, "%s:\n", key->name);
	p->indent += 2;
	print_keys(p, key->section, object);
	p->indent -= 2;
}

void
config_print_list(struct config_printer *p, const struct config_key *key,
    const void *object)
{
	const char *array;
	size_t count, i;

	memcpy(&array, CONFIG_CFIELD(object, key), sizeof(array));
	memcpy(&count, (const char *)object + key->count_offset,
	    sizeof(count));
	line_start(p);
	if (count == 0) {
		fprintf(p->out, "%s: []\n", key->name);
		return;
	}
	fprintf(p->out, "%s:\n", key->name);
	p->indent += 4;
	for (i = 0; i < count; i++) {
		p->item = true;
		print_keys(p, key->section, array + i * key->section->size);
	}
	p->indent -= 4;
}

static void
print_keys(struct config_printer *p, const struct config_section *section,
    const void *object)
{
	const struct config_key *key;
	size_t i;

	for (i = 0; i < section->key_count; i++) {
		key = &section->keys[i];
		if (section->shows == NULL || section->shows(key, object))
			key->type->print(p, key, object);
	}
}

void
config_print(const struct config *conf, FILE *out)
{
	struct config_printer p = { .out = out, .conf = conf };

	fputs("# flatbgp configuration: every key with its effective value\n",
	    out);
	print_keys(&p, &config_root, conf);
}
