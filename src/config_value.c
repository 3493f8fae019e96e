/*
 * config_value.c - the value types of the configuration keys.
 *
 * A type turns one YAML node into struct config fields, validating on
 * the way (ranges, address syntax, host bits, RFC limits), frees what
 * it allocated and compares two values; its printer is in printconf.c.
 * Values are read through config_scalar() (config_yaml.c), so every
 * scalar has ${VAR} expanded and every error carries its position.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_table.h"
#include "log.h"

#define AS_TRANS		23456	/* RFC 6793 §9 */
#define QUOTED			96	/* room for config_quote() */

/*
 * Numbers live in fields of 1, 2, 4 or 8 bytes (uint8_t to uint64_t,
 * enums and int as 4); the key's size says which.
 */
uint64_t
config_get_uint(const void *field, size_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, field, 1);
		return u8;
	case 2:
		memcpy(&u16, field, 2);
		return u16;
	case 4:
		memcpy(&u32, field, 4);
		return u32;
	case 8:
		memcpy(&u64, field, 8);
		return u64;
	}
	fatal("config: number field of %zu bytes", size);
}

void
config_set_uint(void *field, size_t size, uint64_t value)
{
	uint8_t u8 = (uint8_t)value;
	uint16_t u16 = (uint16_t)value;
	uint32_t u32 = (uint32_t)value;

	switch (size) {
	case 1:
		memcpy(field, &u8, 1);
		return;
	case 2:
		memcpy(field, &u16, 2);
		return;
	case 4:
		memcpy(field, &u32, 4);
		return;
	case 8:
		memcpy(field, &value, 8);
		return;
	}
	fatal("config: number field of %zu bytes", size);
}

/* The name of value among words, or NULL. */
const char *
config_word_name(const struct config_word *words, uint32_t value)
{
	for (; words != NULL && words->name != NULL; words++)
		if (words->value == value)
			return words->name;
	return NULL;
}

/* "main, local, default"; names starting with a digit only if numeric. */
static char *
word_list(const struct config_word *words, bool numeric, char *buf,
    size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; words != NULL && words->name != NULL; words++) {
		if (!numeric && isdigit((unsigned char)words->name[0]))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		    used > 0 ? ", " : "", words->name);
		if (used >= size)
			break;
	}
	return buf;
}

/* "a number", or "main, local, default or a number". */
static const char *
number_expect(const struct config_key *key, char *buf, size_t size)
{
	char words[64];

	if (word_list(key->words, false, words, sizeof(words))[0] == '\0')
		return "a number";
	snprintf(buf, size, "%s or a number", words);
	return buf;
}

/* "0 or 3..65535", "bgp or 5..255", "1..4294967295". */
static const char *
range_text(const struct config_key *key, char *buf, size_t size)
{
	char words[64];

	if (word_list(key->words, true, words, sizeof(words))[0] == '\0')
		snprintf(buf, size, "%llu..%llu",
		    (unsigned long long)key->min, (unsigned long long)key->max);
	else
		snprintf(buf, size, "%s or %llu..%llu", words,
		    (unsigned long long)key->min, (unsigned long long)key->max);
	return buf;
}

static bool
in_range(const struct config_key *key, uint64_t value)
{
	return (value >= key->min && value <= key->max) ||
	    (value <= UINT32_MAX &&
	    config_word_name(key->words, (uint32_t)value) != NULL);
}

/*
 * Reads a whole decimal number in key->min..max (or equal to a named
 * value), or one of key->words by name.  Returns 0 or -1 (reported).
 */
static int
read_number(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, uint64_t *out)
{
	char buf[96], range[96], quoted[QUOTED];
	const char *expect, *text, *digits;
	const struct config_word *w;
	uint64_t value = 0;
	bool overflow = false;

	expect = number_expect(key, buf, sizeof(buf));
	if ((text = config_scalar(load, node, expect)) == NULL)
		return -1;
	for (w = key->words; w != NULL && w->name != NULL; w++)
		if (strcmp(text, w->name) == 0) {
			*out = w->value;
			return 0;
		}
	digits = text[0] == '-' ? text + 1 : text;
	if (digits[0] == '\0' || strspn(digits, "0123456789") !=
	    strlen(digits)) {
		config_error(load, node, "expected %s, got %s", expect,
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	for (; *digits != '\0'; digits++) {
		if (value > (UINT64_MAX - 9) / 10)
			overflow = true;
		value = value * 10 + (uint64_t)(*digits - '0');
	}
	if (text[0] != '-' && !overflow && in_range(key, value)) {
		*out = value;
		return 0;
	}
	config_error(load, node, "%.24s%s is out of range (%s)", text,
	    strlen(text) > 24 ? "..." : "", range_text(key, range,
	    sizeof(range)));
	return -1;
}

static int
parse_number(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	uint64_t value;

	if (read_number(load, key, node, &value) == -1)
		return -1;
	config_set_uint(CONFIG_FIELD(object, key), key->size, value);
	return 0;
}

/* An AS number: 1..4294967295 but not AS_TRANS. */
static int
read_asn(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, uint32_t *out)
{
	uint64_t value;

	if (read_number(load, key, node, &value) == -1)
		return -1;
	if (value == AS_TRANS) {
		config_error(load, node, "23456 is AS_TRANS (RFC 6793), "
		    "a placeholder, not an AS number");
		return -1;
	}
	*out = (uint32_t)value;
	return 0;
}

static int
parse_asn(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	uint32_t asn;

	if (read_asn(load, key, node, &asn) == -1)
		return -1;
	config_set_uint(CONFIG_FIELD(object, key), key->size, asn);
	return 0;
}

/* One of key->words, exactly; returns 0 or -1 (reported). */
static int
read_word(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, uint32_t *out)
{
	char expect[96], words[64], quoted[QUOTED];
	const struct config_word *w;
	const char *text;

	snprintf(expect, sizeof(expect), "one of %s",
	    word_list(key->words, true, words, sizeof(words)));
	if ((text = config_scalar(load, node, expect)) == NULL)
		return -1;
	for (w = key->words; w->name != NULL; w++)
		if (strcmp(text, w->name) == 0) {
			*out = w->value;
			return 0;
		}
	config_error(load, node, "expected %s, got %s", expect,
	    config_quote(text, strlen(text), quoted, sizeof(quoted)));
	return -1;
}

static int
parse_word(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	uint32_t value;

	if (read_word(load, key, node, &value) == -1)
		return -1;
	config_set_uint(CONFIG_FIELD(object, key), key->size, value);
	return 0;
}

/*
 * Booleans: YAML 1.2's true/false and YAML 1.1's yes/no/on/off, in
 * any case (y/n are not booleans: too easy to mean something else).
 */
static int
read_bool(struct config_load *load, const yaml_node_t *node, bool *out)
{
	static const char *const words[] = {
		"false", "true", "no", "yes", "off", "on",
	};
	char quoted[QUOTED];
	const char *text;
	size_t i;

	if ((text = config_scalar(load, node, "true or false")) == NULL)
		return -1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(text, words[i]) == 0) {
			*out = i % 2 == 1;
			return 0;
		}
	config_error(load, node, "expected true or false, got %s",
	    config_quote(text, strlen(text), quoted, sizeof(quoted)));
	return -1;
}

static int
parse_bool(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	bool value;

	if (read_bool(load, node, &value) == -1)
		return -1;
	memcpy(CONFIG_FIELD(object, key), &value, sizeof(value));
	return 0;
}

static int
parse_next_hop_self(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct config_neighbor *n = object;
	bool value;

	if (read_bool(load, node, &value) == -1)
		return -1;
	n->next_hop_self = value ? CONFIG_TRUE : CONFIG_FALSE;
	return 0;
}

/* Stores a copy of text in the char * field of key. */
static void
store_string(const struct config_key *key, void *object, const char *text)
{
	char **field = CONFIG_FIELD(object, key);

	free(*field);
	*field = xstrdup(text);
}

/* A non-empty string of at most key->max bytes (0: no limit). */
static int
parse_string(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	const char *text;

	if ((text = config_scalar(load, node, "a string")) == NULL)
		return -1;
	if (text[0] == '\0') {
		config_error(load, node, "must not be empty");
		return -1;
	}
	if (key->max > 0 && strlen(text) > key->max) {
		config_error(load, node, "too long: %zu bytes, at most %llu",
		    strlen(text), (unsigned long long)key->max);
		return -1;
	}
	store_string(key, object, text);
	return 0;
}

/* An absolute path shorter than key->max bytes (0: no limit). */
static int
parse_path(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	char quoted[QUOTED];
	const char *text;

	if ((text = config_scalar(load, node, "an absolute path")) == NULL)
		return -1;
	if (text[0] != '/') {
		config_error(load, node, "%s is not an absolute path",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	if (key->max > 0 && strlen(text) >= key->max) {
		config_error(load, node, "too long: %zu bytes, at most %llu "
		    "for a socket", strlen(text),
		    (unsigned long long)key->max - 1);
		return -1;
	}
	store_string(key, object, text);
	return 0;
}

/*
 * RFC 1123 §2.1 host name: dot-separated labels of letters, digits and
 * hyphens, 1..63 bytes, no hyphen at either end, 253 bytes in all (a
 * trailing dot allowed).  The last label is not all digits, so that
 * "10.0.0.300" is not taken for a name.
 */
static bool
is_host_name(const char *s)
{
	size_t len = strlen(s), label = 0, i;
	bool digits = true;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			digits = true;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
		if ((label == 0 && s[i] == '-') || ++label > 63)
			return false;
		if (!isdigit((unsigned char)s[i]))
			digits = false;
	}
	return s[len - 1] != '-' && !digits;
}

static int
parse_host_name(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	char quoted[QUOTED];
	const char *text;

	if ((text = config_scalar(load, node, "a host name")) == NULL)
		return -1;
	if (!is_host_name(text)) {
		config_error(load, node, "%s is not a host name (RFC 1123)",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	store_string(key, object, text);
	return 0;
}

/* auto, or a dotted quad other than 0.0.0.0, kept in host order. */
static int
parse_router_id(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct config *conf = object;
	struct ip_addr addr;
	char quoted[QUOTED];
	const char *text;

	text = config_scalar(load, node, "auto or an IPv4 address");
	if (text == NULL)
		return -1;
	conf->router_id_auto = strcmp(text, "auto") == 0;
	if (conf->router_id_auto)
		return 0;
	if (ip_addr_parse(text, &addr) == -1 || addr.family != FAMILY_IPV4) {
		config_error(load, node, "expected auto or an IPv4 address "
		    "(a BGP identifier is 32 bits), got %s",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	if ((conf->router_id = ip_addr_v4_u32(&addr)) == 0) {
		config_error(load, node, "0.0.0.0 is not a valid BGP "
		    "identifier (RFC 6286 §2.1)");
		return -1;
	}
	return 0;
}

static int
parse_ip(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	char quoted[QUOTED];
	const char *text;

	if ((text = config_scalar(load, node, "an IP address")) == NULL)
		return -1;
	if (ip_addr_parse(text, CONFIG_FIELD(object, key)) == -1) {
		config_error(load, node, "%s is not an IP address",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	return 0;
}

/* A literal address goes to n->address, a host name to n->host. */
static int
parse_neighbor_address(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct config_neighbor *n = object;
	char quoted[QUOTED];
	const char *text;

	text = config_scalar(load, node, "an IP address or a host name");
	if (text == NULL)
		return -1;
	config_quote(text, strlen(text), quoted, sizeof(quoted));
	if (ip_addr_parse(text, &n->address) == 0) {
		if (!ip_addr_is_unspecified(&n->address))
			return 0;
		config_error(load, node, "%s is the unspecified address, "
		    "not a neighbor", quoted);
		return -1;
	}
	if (!is_host_name(text)) {
		config_error(load, node, "%s is neither an IP address nor a "
		    "host name", quoted);
		return -1;
	}
	n->host = xstrdup(text);
	return 0;
}

/* "ADDRESS/LENGTH" with no host bits; returns 0 or -1 (reported). */
static int
read_prefix(struct config_load *load, const yaml_node_t *node,
    struct prefix *out)
{
	char quoted[QUOTED], fixed[PREFIX_STRLEN];
	const char *text;

	if ((text = config_scalar(load, node, "a prefix")) == NULL)
		return -1;
	config_quote(text, strlen(text), quoted, sizeof(quoted));
	switch (prefix_parse(text, out, false)) {
	case 0:
		return 0;
	case -2:
		config_error(load, node, "%s has host bits set (did you mean "
		    "%s?)", quoted, prefix_format(out, fixed, sizeof(fixed)));
		return -1;
	default:
		config_error(load, node, "expected a prefix (ADDRESS/LENGTH), "
		    "got %s", quoted);
		return -1;
	}
}

/* A range makes the neighbor dynamic (is_range). */
static int
parse_range(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct config_neighbor *n = object;

	if (read_prefix(load, node, &n->range) == -1)
		return -1;
	n->is_range = true;
	return 0;
}

static int
prefix_item_cb(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *element)
{
	return read_prefix(load, node, element);
}

static int
prefix_order_cb(const void *a, const void *b)
{
	return prefix_compare(a, b);
}

static int
read_prefixes(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, struct prefix_list *list)
{
	static const struct config_items items = {
		.size = sizeof(struct prefix),
		.parse_cb = prefix_item_cb,
		.compare_cb = prefix_order_cb,
	};
	void *array;
	int rc;

	rc = config_parse_items(load, key, node, &items, &array, &list->count);
	list->items = array;
	return rc;
}

static int
parse_prefixes(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	return read_prefixes(load, key, node, CONFIG_FIELD(object, key));
}

/*
 * For a key that takes one of two words or a list: 0 or 1 if node is a
 * scalar spelling word first or second (after ${VAR} expansion), 2 if
 * it is something else, -1 after an error.
 */
static int
read_either(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, const char *first, const char *second)
{
	const char *text;

	if (node->type != YAML_SCALAR_NODE)
		return 2;
	if ((text = config_scalar(load, node, key->type->expect)) == NULL)
		return -1;
	if (strcmp(text, first) == 0)
		return 0;
	return strcmp(text, second) == 0 ? 1 : 2;
}

/* advertise.pod-cidr, service-cidr: auto | none | CIDR | [CIDR...] */
static int
parse_cidr(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct cidr_setting *cidr = CONFIG_FIELD(object, key);

	switch (read_either(load, key, node, "auto", "none")) {
	case -1:
		return -1;
	case 0:
		cidr->source = CIDR_AUTO;
		return 0;
	case 1:
		cidr->source = CIDR_NONE;
		return 0;
	}
	if (read_prefixes(load, key, node, &cidr->prefixes) == -1)
		return -1;
	cidr->source = cidr->prefixes.count > 0 ? CIDR_STATIC : CIDR_NONE;
	return 0;
}

/* One entry of advertise.communities: "A:B" or large "A:B:C". */
struct community_item {
	uint32_t	value[3];
	uint32_t	large;		/* 0 or 1; no padding for memcmp */
};

/* Parses "A:B" or "A:B:C" into c; -1 if malformed or out of range. */
static int
read_community(const char *text, struct community_item *c)
{
	const char *p = text;
	uint64_t part;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	for (;;) {
		if (n == 3 || !isdigit((unsigned char)*p))
			return -1;
		for (part = 0; isdigit((unsigned char)*p); p++)
			if ((part = part * 10 + (uint64_t)(*p - '0')) >
			    UINT32_MAX)
				return -1;
		c->value[n++] = (uint32_t)part;
		if (*p == '\0')
			break;
		if (*p++ != ':')
			return -1;
	}
	if (n == 2)
		return c->value[0] <= 0xffff && c->value[1] <= 0xffff ? 0 : -1;
	c->large = n == 3;
	return c->large ? 0 : -1;
}

static int
community_item_cb(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *element)
{
	char quoted[QUOTED];
	const char *text;

	if ((text = config_scalar(load, node, "a community")) == NULL)
		return -1;
	if (read_community(text, element) == -1) {
		config_error(load, node, "%s is not a community (A:B, each "
		    "0..65535) or a large community (A:B:C, each "
		    "0..4294967295)", config_quote(text, strlen(text), quoted,
		    sizeof(quoted)));
		return -1;
	}
	return 0;
}

static int
community_order_cb(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct community_item));
}

/* One list in the file, two arrays in struct config: regular, large. */
static int
parse_communities(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	static const struct config_items items = {
		.size = sizeof(struct community_item),
		.parse_cb = community_item_cb,
		.compare_cb = community_order_cb,
	};
	struct config *conf = object;
	struct community_item *list;
	void *array;
	size_t count, i, n;
	int rc;

	rc = config_parse_items(load, key, node, &items, &array, &count);
	list = array;
	for (i = 0; i < count; i++) {
		if (list[i].large) {
			n = conf->advertise.large_community_count++;
			conf->advertise.large_communities = xreallocarray(
			    conf->advertise.large_communities, n + 1, 12);
			memcpy(&conf->advertise.large_communities[n * 3],
			    list[i].value, 12);
		} else {
			n = conf->advertise.community_count++;
			conf->advertise.communities = xreallocarray(
			    conf->advertise.communities, n + 1, 4);
			conf->advertise.communities[n] = list[i].value[0] <<
			    16 | list[i].value[1];
		}
	}
	free(array);
	return rc;
}

static int
asn_item_cb(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *element)
{
	return read_asn(load, key, node, element);
}

static int
asn_order_cb(const void *a, const void *b)
{
	uint32_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return x < y ? -1 : x > y;
}

/* Neighbor asn: a number, or for ranges external | internal | list. */
static int
parse_peer_asn(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	static const struct config_items items = {
		.size = sizeof(uint32_t),
		.parse_cb = asn_item_cb,
		.compare_cb = asn_order_cb,
	};
	struct config_neighbor *n = object;
	void *array;
	int rc;

	switch (read_either(load, key, node, "external", "internal")) {
	case -1:
		return -1;
	case 0:
		n->asn_kind = PEER_ASN_EXTERNAL;
		return 0;
	case 1:
		n->asn_kind = PEER_ASN_INTERNAL;
		return 0;
	}
	n->asn_kind = PEER_ASN_NUMBER;
	rc = config_parse_items(load, key, node, &items, &array,
	    &n->asn_count);
	n->asns = array;
	if (rc == 0 && n->asn_count == 0) {
		config_error(load, node, "lists no AS number");
		return -1;
	}
	return rc;
}

static int
family_item_cb(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *element)
{
	return read_word(load, key, node, element);
}

/* A list of ipv4 and ipv6, folded into the CONFIG_FAMILY_* mask. */
static int
parse_families(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	static const struct config_items items = {
		.size = sizeof(uint32_t),
		.parse_cb = family_item_cb,
		.compare_cb = asn_order_cb,
	};
	struct config_neighbor *n = object;
	uint32_t *list;
	void *array;
	size_t count, i;
	int rc;

	rc = config_parse_items(load, key, node, &items, &array, &count);
	list = array;
	for (i = 0, n->families = 0; i < count; i++)
		n->families |= list[i];
	free(array);
	if (rc == 0 && count == 0) {
		config_error(load, node, "lists no family (ipv4, ipv6)");
		return -1;
	}
	return rc;
}

/* control.mode: octal digits, as chmod reads them, up to 0777. */
static int
parse_mode(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	char quoted[QUOTED], *end;
	const char *text;
	unsigned long mode;

	if ((text = config_scalar(load, node, "an octal mode")) == NULL)
		return -1;
	if (text[0] < '0' || text[0] > '7' || strlen(text) > 4 ||
	    (mode = strtoul(text, &end, 8)) > 0777 || *end != '\0') {
		config_error(load, node, "expected an octal mode like "
		    "\"0660\" (at most 0777), got %s",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	config_set_uint(CONFIG_FIELD(object, key), key->size, mode);
	return 0;
}

/* ":PORT" at the end of an address; returns 0 or -1. */
static int
read_port(const char *text, uint16_t *port)
{
	unsigned long value;
	char *end;

	if (text[0] != ':' || !isdigit((unsigned char)text[1]) ||
	    strlen(text) > 6)
		return -1;
	value = strtoul(text + 1, &end, 10);
	if (*end != '\0' || value < 1 || value > 65535)
		return -1;
	*port = (uint16_t)value;
	return 0;
}

/* "ADDRESS:PORT" or "[ADDRESS]:PORT"; returns 0 or -1. */
static int
read_address_port(const char *text, struct ip_addr *addr, uint16_t *port)
{
	char host[IP_ADDR_STRLEN + 2];
	const char *colon;
	size_t len;

	if (text[0] == '[') {
		if ((colon = strstr(text, "]:")) == NULL)
			return -1;
		len = (size_t)(colon - text - 1);
		colon++;
	} else {
		if ((colon = strrchr(text, ':')) == NULL)
			return -1;
		len = (size_t)(colon - text);
	}
	if (len >= sizeof(host))
		return -1;
	memcpy(host, text + (text[0] == '['), len);
	host[len] = '\0';
	if (ip_addr_parse(host, addr) == -1 ||
	    (addr->family == FAMILY_IPV6) != (text[0] == '['))
		return -1;
	return read_port(colon, port);
}

/* none, ADDRESS:PORT or [IPV6-ADDRESS]:PORT. */
static int
parse_metrics_listen(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct config *conf = object;
	char quoted[QUOTED];
	const char *text;

	text = config_scalar(load, node, "none or ADDRESS:PORT");
	if (text == NULL)
		return -1;
	conf->metrics.enabled = strcmp(text, "none") != 0;
	if (!conf->metrics.enabled)
		return 0;
	if (read_address_port(text, &conf->metrics.address,
	    &conf->metrics.port) == -1) {
		config_error(load, node, "expected none, ADDRESS:PORT or "
		    "[IPV6-ADDRESS]:PORT (port 1..65535), got %s",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	return 0;
}

/* "https://HOST[:PORT][/]", HOST a name, IPv4 or [IPv6] literal. */
static bool
is_api_url(const char *text)
{
	char host[256];
	const char *p = text + strlen("https://"), *end;
	struct ip_addr addr;
	uint16_t port;
	size_t len;

	if (strncmp(text, "https://", 8) != 0)
		return false;
	if (*p == '[')
		end = strchr(p, ']') ? strchr(p, ']') + 1 : p;
	else
		end = p + strcspn(p, ":/");
	if ((len = (size_t)(end - p)) == 0 || len >= sizeof(host))
		return false;
	memcpy(host, p, len);
	host[len] = '\0';
	if (host[0] == '[') {
		host[len - 1] = '\0';
		if (ip_addr_parse(host + 1, &addr) == -1 ||
		    addr.family != FAMILY_IPV6)
			return false;
	} else if (ip_addr_parse(host, &addr) == -1 && !is_host_name(host)) {
		return false;
	}
	if (*end == ':') {
		char tail[8];

		len = strcspn(end, "/");
		if (len >= sizeof(tail))
			return false;
		memcpy(tail, end, len);
		tail[len] = '\0';
		if (read_port(tail, &port) == -1)
			return false;
		end += len;
	}
	return end[0] == '\0' || strcmp(end, "/") == 0;
}

/* in-cluster, none, or an https URL kept as written. */
static int
parse_api_server(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	struct config *conf = object;
	char quoted[QUOTED];
	const char *text;

	text = config_scalar(load, node, "in-cluster, none or a URL");
	if (text == NULL)
		return -1;
	conf->kubernetes.api_in_cluster = strcmp(text, "in-cluster") == 0;
	conf->kubernetes.api_none = strcmp(text, "none") == 0;
	free(conf->kubernetes.api_server);
	conf->kubernetes.api_server = NULL;
	if (conf->kubernetes.api_in_cluster || conf->kubernetes.api_none)
		return 0;
	if (!is_api_url(text)) {
		config_error(load, node, "expected in-cluster, none or "
		    "https://HOST:PORT, got %s",
		    config_quote(text, strlen(text), quoted, sizeof(quoted)));
		return -1;
	}
	conf->kubernetes.api_server = xstrdup(text);
	return 0;
}

/* Releasing what the types own. */

static void
release_string(const struct config_key *key, void *object)
{
	char **field = CONFIG_FIELD(object, key);

	free(*field);
	*field = NULL;
}

static void
release_prefixes(const struct config_key *key, void *object)
{
	struct prefix_list *list = CONFIG_FIELD(object, key);

	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static void
release_cidr(const struct config_key *key, void *object)
{
	struct cidr_setting *cidr = CONFIG_FIELD(object, key);

	free(cidr->prefixes.items);
	cidr->prefixes.items = NULL;
	cidr->prefixes.count = 0;
}

static void
release_communities(const struct config_key *key, void *object)
{
	struct config *conf = object;

	free(conf->advertise.communities);
	free(conf->advertise.large_communities);
	conf->advertise.communities = NULL;
	conf->advertise.large_communities = NULL;
	conf->advertise.community_count = 0;
	conf->advertise.large_community_count = 0;
}

static void
release_api_server(const struct config_key *key, void *object)
{
	struct config *conf = object;

	free(conf->kubernetes.api_server);
	conf->kubernetes.api_server = NULL;
}

static void
release_neighbor_address(const struct config_key *key, void *object)
{
	struct config_neighbor *n = object;

	free(n->host);
	n->host = NULL;
}

static void
release_peer_asn(const struct config_key *key, void *object)
{
	struct config_neighbor *n = object;

	free(n->asns);
	n->asns = NULL;
	n->asn_count = 0;
}

static void
release_section(const struct config_key *key, void *object)
{
	config_release_section(key->section, object);
}

/* Frees each element of a list of sections, then the array. */
static void
release_list(const struct config_key *key, void *object)
{
	char *array;
	size_t count, i;

	memcpy(&array, CONFIG_FIELD(object, key), sizeof(array));
	memcpy(&count, (char *)object + key->count_offset, sizeof(count));
	for (i = 0; i < count; i++)
		config_release_section(key->section,
		    array + i * key->section->size);
	free(array);
	memset(CONFIG_FIELD(object, key), 0, sizeof(array));
	memset((char *)object + key->count_offset, 0, sizeof(count));
}

/* Frees what the keys of section own in object (not object itself). */
void
config_release_section(const struct config_section *section, void *object)
{
	size_t i;

	for (i = 0; i < section->key_count; i++)
		if (section->keys[i].type->release != NULL)
			section->keys[i].type->release(&section->keys[i],
			    object);
}

/* Comparing neighbors, for config_neighbor_equal(). */

static bool
equal_string(const struct config_key *key, const void *a, const void *b)
{
	const char *const *x = CONFIG_CFIELD(a, key);
	const char *const *y = CONFIG_CFIELD(b, key);

	return *x == NULL || *y == NULL ? *x == *y : strcmp(*x, *y) == 0;
}

static bool
equal_neighbor_address(const struct config_key *key, const void *a,
    const void *b)
{
	const struct config_neighbor *x = a, *y = b;

	if (x->host == NULL || y->host == NULL)
		return x->host == y->host &&
		    ip_addr_equal(&x->address, &y->address);
	return strcasecmp(x->host, y->host) == 0;
}

static bool
equal_range(const struct config_key *key, const void *a, const void *b)
{
	const struct config_neighbor *x = a, *y = b;

	return x->is_range == y->is_range &&
	    (!x->is_range || prefix_equal(&x->range, &y->range));
}

static bool
equal_peer_asn(const struct config_key *key, const void *a, const void *b)
{
	const struct config_neighbor *x = a, *y = b;

	return x->asn_kind == y->asn_kind && x->asn_count == y->asn_count &&
	    (x->asn_count == 0 ||
	    memcmp(x->asns, y->asns, x->asn_count * sizeof(*x->asns)) == 0);
}

/* The value types. */

const struct config_type config_type_number = {
	"a number", parse_number, config_print_number, NULL, NULL,
};
const struct config_type config_type_asn = {
	"an AS number", parse_asn, config_print_number, NULL, NULL,
};
const struct config_type config_type_neighbor_hold_time = {
	"a number", parse_number, config_print_neighbor_hold_time, NULL, NULL,
};
const struct config_type config_type_word = {
	"a word", parse_word, config_print_word, NULL, NULL,
};
const struct config_type config_type_neighbor_export = {
	"a word", parse_word, config_print_neighbor_export, NULL, NULL,
};
const struct config_type config_type_bool = {
	"true or false", parse_bool, config_print_bool, NULL, NULL,
};
const struct config_type config_type_next_hop_self = {
	"true or false", parse_next_hop_self, config_print_next_hop_self,
	NULL, NULL,
};
const struct config_type config_type_string = {
	"a string", parse_string, config_print_string, release_string,
	equal_string,
};
const struct config_type config_type_path = {
	"an absolute path", parse_path, config_print_string, release_string,
	equal_string,
};
const struct config_type config_type_host_name = {
	"a host name", parse_host_name, config_print_host_name, release_string,
	equal_string,
};
const struct config_type config_type_mode = {
	"an octal mode", parse_mode, config_print_mode, NULL, NULL,
};
const struct config_type config_type_router_id = {
	"auto or an IPv4 address", parse_router_id, config_print_router_id,
	NULL, NULL,
};
const struct config_type config_type_ip = {
	"an IP address", parse_ip, config_print_ip, NULL, NULL,
};
const struct config_type config_type_prefixes = {
	"a list of prefixes", parse_prefixes, config_print_prefixes,
	release_prefixes, NULL,
};
const struct config_type config_type_cidr = {
	"auto, none or prefixes", parse_cidr, config_print_cidr, release_cidr,
	NULL,
};
const struct config_type config_type_communities = {
	"a list of communities", parse_communities, config_print_communities,
	release_communities, NULL,
};
const struct config_type config_type_api_server = {
	"in-cluster, none or a URL", parse_api_server,
	config_print_api_server, release_api_server, NULL,
};
const struct config_type config_type_metrics_listen = {
	"none or ADDRESS:PORT", parse_metrics_listen,
	config_print_metrics_listen, NULL, NULL,
};
const struct config_type config_type_neighbor_address = {
	"an IP address or a host name", parse_neighbor_address,
	config_print_neighbor_address, release_neighbor_address,
	equal_neighbor_address,
};
const struct config_type config_type_range = {
	"a prefix", parse_range, config_print_range, NULL, equal_range,
};
const struct config_type config_type_peer_asn = {
	"an AS number", parse_peer_asn, config_print_peer_asn,
	release_peer_asn, equal_peer_asn,
};
const struct config_type config_type_families = {
	"a list of families", parse_families, config_print_families, NULL,
	NULL,
};
const struct config_type config_type_section = {
	"a mapping", config_parse_section, config_print_section,
	release_section, NULL,
};
const struct config_type config_type_list = {
	"a list of mappings", config_parse_list, config_print_list,
	release_list, NULL,
};

