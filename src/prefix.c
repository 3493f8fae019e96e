/*
 * prefix.c - parsing, formatting and comparing addresses and prefixes.
 *
 * Text conversion is inet_pton/inet_ntop; everything else is byte
 * arithmetic on the network-order representation of prefix.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "prefix.h"

unsigned
family_bits(int family)
{
	switch (family) {
	case FAMILY_IPV4:
		return 32;
	case FAMILY_IPV6:
		return 128;
	default:
		return 0;
	}
}

const char *
family_name(int family)
{
	switch (family) {
	case FAMILY_IPV4:
		return "ipv4";
	case FAMILY_IPV6:
		return "ipv6";
	default:
		return "none";
	}
}

int
ip_addr_parse(const char *s, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->bytes) == 1) {
		out->family = FAMILY_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->bytes) == 1) {
		out->family = FAMILY_IPV6;
		return 0;
	}
	return -1;
}

char *
ip_addr_format(const struct ip_addr *a, char *buf, size_t size)
{
	int af = a->family == FAMILY_IPV4 ? AF_INET : AF_INET6;

	if (a->family == FAMILY_NONE ||
	    inet_ntop(af, a->bytes, buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "-");
	return buf;
}

bool
ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	return ip_addr_compare(a, b) == 0;
}

int
ip_addr_compare(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, family_bits(a->family) / 8);
}

bool
ip_addr_is_unspecified(const struct ip_addr *a)
{
	static const uint8_t zero[16];

	return a->family == FAMILY_NONE ||
	    memcmp(a->bytes, zero, family_bits(a->family) / 8) == 0;
}

bool
ip_addr_is_link_local(const struct ip_addr *a)
{
	return a->family == FAMILY_IPV6 && a->bytes[0] == 0xfe &&
	    (a->bytes[1] & 0xc0) == 0x80;
}

int
ip_addr_from_sockaddr(const struct sockaddr *sa, struct ip_addr *out,
    uint16_t *port)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		out->family = FAMILY_IPV4;
		memcpy(out->bytes, &sin->sin_addr, 4);
		if (port)
			*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		/* A v4-mapped address on a dual-stack socket is IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
			out->family = FAMILY_IPV4;
			memcpy(out->bytes, &sin6->sin6_addr.s6_addr[12], 4);
		} else {
			out->family = FAMILY_IPV6;
			memcpy(out->bytes, &sin6->sin6_addr, 16);
		}
		if (port)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return -1;
}

size_t
ip_addr_to_sockaddr(const struct ip_addr *a, uint16_t port,
    struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (a->family == FAMILY_IPV4) {
		struct sockaddr_in *sin = (void *)out;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->bytes, 4);
		return sizeof(*sin);
	}
	if (a->family == FAMILY_IPV6) {
		struct sockaddr_in6 *sin6 = (void *)out;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->bytes, 16);
		return sizeof(*sin6);
	}
	return 0;
}

uint32_t
ip_addr_v4_u32(const struct ip_addr *a)
{
	return (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
	    (uint32_t)a->bytes[2] << 8 | a->bytes[3];
}

void
ip_addr_set_v4_u32(struct ip_addr *a, uint32_t v)
{
	memset(a, 0, sizeof(*a));
	a->family = FAMILY_IPV4;
	a->bytes[0] = (uint8_t)(v >> 24);
	a->bytes[1] = (uint8_t)(v >> 16);
	a->bytes[2] = (uint8_t)(v >> 8);
	a->bytes[3] = (uint8_t)v;
}

void
prefix_set(struct prefix *p, int family, unsigned length, const uint8_t *bytes)
{
	unsigned bits = family_bits(family), i;

	memset(p, 0, sizeof(*p));
	p->family = (uint8_t)family;
	p->length = (uint8_t)(length > bits ? bits : length);
	memcpy(p->bytes, bytes, (p->length + 7) / 8);
	if (p->length % 8)
		p->bytes[p->length / 8] &= (uint8_t)(0xff << (8 - p->length % 8));
	for (i = (p->length + 7) / 8; i < sizeof(p->bytes); i++)
		p->bytes[i] = 0;
}

int
prefix_parse(const char *s, struct prefix *out, bool allow_host)
{
	char text[PREFIX_STRLEN], *slash, *end;
	struct ip_addr addr;
	unsigned long length;

	if (strlen(s) >= sizeof(text))
		return -1;
	strcpy(text, s);
	slash = strchr(text, '/');
	if (slash != NULL)
		*slash = '\0';
	if (ip_addr_parse(text, &addr) == -1)
		return -1;
	if (slash == NULL) {
		if (!allow_host)
			return -1;
		length = family_bits(addr.family);
	} else {
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		length = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || length > family_bits(addr.family))
			return -1;
	}
	prefix_set(out, addr.family, (unsigned)length, addr.bytes);
	if (memcmp(out->bytes, addr.bytes, sizeof(out->bytes)) != 0)
		return -2;
	return 0;
}

char *
prefix_format(const struct prefix *p, char *buf, size_t size)
{
	struct ip_addr a;
	char text[IP_ADDR_STRLEN];

	a.family = p->family;
	memcpy(a.bytes, p->bytes, sizeof(a.bytes));
	snprintf(buf, size, "%s/%u", ip_addr_format(&a, text, sizeof(text)),
	    p->length);
	return buf;
}

bool
prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family && a->length == b->length &&
	    memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0;
}

int
prefix_compare(const struct prefix *a, const struct prefix *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->bytes, b->bytes, sizeof(a->bytes));
	if (c != 0)
		return c;
	if (a->length != b->length)
		return a->length < b->length ? -1 : 1;
	return 0;
}

/* True if the first bits bits of a and b agree. */
static bool
bits_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[whole] ^ b[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

bool
prefix_contains(const struct prefix *outer, const struct prefix *inner)
{
	return outer->family == inner->family &&
	    outer->length <= inner->length &&
	    bits_match(outer->bytes, inner->bytes, outer->length);
}

bool
prefix_overlaps(const struct prefix *a, const struct prefix *b)
{
	return prefix_contains(a, b) || prefix_contains(b, a);
}

bool
prefix_contains_addr(const struct prefix *p, const struct ip_addr *a)
{
	return p->family == a->family && bits_match(p->bytes, a->bytes,
	    p->length);
}
