/*
 * prefix.h - IP addresses and prefixes of both families.
 *
 * One representation everywhere (config, codec, RIB, control records,
 * CLI): the family is the BGP AFI number (1 = IPv4, 2 = IPv6) so the
 * codec needs no translation, and the address bytes are in network
 * order, IPv4 in the first four bytes.  A struct prefix always has its
 * host bits cleared (prefix_set() enforces it), so two equal prefixes
 * compare equal with memcmp over family, length and bytes.
 */
#ifndef FLATBGP_PREFIX_H
#define FLATBGP_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr;
struct sockaddr_storage;

enum ip_family {
	FAMILY_NONE = 0,
	FAMILY_IPV4 = 1,	/* == BGP_AFI_IPV4 */
	FAMILY_IPV6 = 2,	/* == BGP_AFI_IPV6 */
};

struct ip_addr {
	uint8_t	family;		/* enum ip_family */
	uint8_t	bytes[16];
};

struct prefix {
	uint8_t	family;		/* enum ip_family */
	uint8_t	length;		/* 0..32 or 0..128 */
	uint8_t	bytes[16];	/* host bits are zero */
};

#define IP_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */
#define PREFIX_STRLEN	50	/* address + "/128" + NUL */

/* Bits in an address of the family: 32, 128, or 0 for FAMILY_NONE. */
unsigned family_bits(int family);
const char *family_name(int family);	/* "ipv4", "ipv6" or "none" */

/* Parses a literal address; returns 0, or -1 if s is not one. */
int ip_addr_parse(const char *s, struct ip_addr *out);
/* Formats into buf (at least IP_ADDR_STRLEN bytes); returns buf. */
char *ip_addr_format(const struct ip_addr *a, char *buf, size_t size);
bool ip_addr_equal(const struct ip_addr *a, const struct ip_addr *b);
int ip_addr_compare(const struct ip_addr *a, const struct ip_addr *b);
bool ip_addr_is_unspecified(const struct ip_addr *a);
bool ip_addr_is_link_local(const struct ip_addr *a);	/* fe80::/10 */
/* Converts to and from socket addresses; port in host order. */
int ip_addr_from_sockaddr(const struct sockaddr *sa, struct ip_addr *out,
    uint16_t *port);
size_t ip_addr_to_sockaddr(const struct ip_addr *a, uint16_t port,
    struct sockaddr_storage *out);
/* IPv4 address as a host-order integer (router ids, etc.). */
uint32_t ip_addr_v4_u32(const struct ip_addr *a);
void ip_addr_set_v4_u32(struct ip_addr *a, uint32_t v);

/*
 * Parses "ADDR/LEN" (or a bare address as a host prefix when
 * allow_host is true).  Returns 0, -1 if malformed, -2 if the address
 * has bits set beyond the length (e.g. 10.0.0.1/8): a config error
 * worth its own message.
 */
int prefix_parse(const char *s, struct prefix *out, bool allow_host);
char *prefix_format(const struct prefix *p, char *buf, size_t size);
/* Sets p from family, length and address bytes, clearing host bits. */
void prefix_set(struct prefix *p, int family, unsigned length,
    const uint8_t *bytes);
bool prefix_equal(const struct prefix *a, const struct prefix *b);
/* Total order: family, then address bytes, then length. */
int prefix_compare(const struct prefix *a, const struct prefix *b);
/* True if inner lies inside outer (equal counts). */
bool prefix_contains(const struct prefix *outer, const struct prefix *inner);
bool prefix_overlaps(const struct prefix *a, const struct prefix *b);
bool prefix_contains_addr(const struct prefix *p, const struct ip_addr *a);
/* Value of bit i (0 = most significant) of the prefix address. */
static inline int
prefix_bit(const uint8_t *bytes, unsigned i)
{
	return (bytes[i >> 3] >> (7 - (i & 7))) & 1;
}

#endif /* FLATBGP_PREFIX_H */
