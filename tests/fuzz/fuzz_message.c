/*
 * fuzz_message.c - libFuzzer target for the BGP message codec.
 *
 * The input is one message (header included).  It goes through
 * bgp_msg_parse_header(), then the parser of its type, on each of the
 * four sessions {2-octet, 4-octet} x {eBGP, iBGP}.  An UPDATE that
 * parses is re-encoded with the builder and parsed again: our own
 * encoding must always be accepted and carry the same prefixes, which
 * turns the fuzzer into a round-trip checker, not only a crash finder.
 * A broken invariant aborts.  tests/fuzz/replay.c runs the same
 * function over the corpus in "make check".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_LEN	65535

static void
fuzz_check(bool condition, const char *what)
{
	if (!condition) {
		fprintf(stderr, "fuzz_message: invariant broken: %s\n", what);
		abort();
	}
}

/* Re-encodes one block of a parsed UPDATE and checks it comes back. */
static void
fuzz_reencode(const struct bgp_codec_ctx *ctx, const struct path_attrs *pa,
    struct nlri_block block)
{
	static uint8_t out[FUZZ_MAX_LEN];
	static struct bgp_update again;
	struct bgp_update_builder b;
	struct bgp_error err;
	struct nlri_block copy = block, back;
	struct prefix p, q;
	struct wbuf w;
	size_t len, added = 0;

	wbuf_init(&w, out, sizeof(out));
	if (bgp_update_begin(&b, &w, ctx, pa, block.family) == -1)
		return;
	while (nlri_next(&copy, &p) && bgp_update_add(&b, &p) == 0)
		added++;
	len = bgp_update_finish(&b);
	if (added == 0)
		return;
	fuzz_check(len > BGP_HEADER_LEN && len <= b.limit, "builder length");
	fuzz_check(bgp_msg_parse_update(out + BGP_HEADER_LEN,
	    len - BGP_HEADER_LEN, ctx, &again, &err) == 0,
	    "own UPDATE refused");
	if (pa == NULL)
		back = block.family == FAMILY_IPV4 ? again.withdrawn :
		    again.mp_withdrawn;
	else if (block.family == FAMILY_IPV4 &&
	    pa->nexthop.global.family == FAMILY_IPV4)
		back = again.announced;
	else
		back = again.mp_announced;
	copy = block;
	while (added-- > 0) {
		fuzz_check(nlri_next(&copy, &p) && nlri_next(&back, &q),
		    "prefix count");
		fuzz_check(prefix_equal(&p, &q), "prefix changed");
	}
}

static void
fuzz_update(const uint8_t *body, size_t len, const struct bgp_codec_ctx *ctx)
{
	static struct bgp_update u;
	struct bgp_error err;
	char text[8192];
	struct prefix p;
	struct nlri_block copy;

	if (bgp_msg_parse_update(body, len, ctx, &u, &err) == -1) {
		fuzz_check(err.code == BGP_ERR_UPDATE, "UPDATE error code");
		return;
	}
	fuzz_check(u.warning_count <= BGP_MAX_WARNINGS, "warning count");
	as_path_format(u.attrs.as_path.data, u.attrs.as_path.len, text,
	    sizeof(text));
	(void)as_path_length(u.attrs.as_path.data, u.attrs.as_path.len);
	copy = u.announced;
	while (nlri_next(&copy, &p))
		fuzz_check(p.length <= 32, "IPv4 prefix length");
	fuzz_reencode(ctx, NULL, u.withdrawn);
	fuzz_reencode(ctx, NULL, u.mp_withdrawn);
	if (u.action != UPDATE_OK)
		return;
	if (u.mp_announced.family != FAMILY_NONE) {
		struct path_attrs *pa = &u.attrs;
		struct bgp_nexthop classic = pa->nexthop;

		pa->nexthop = u.mp_nexthop;
		fuzz_reencode(ctx, pa, u.mp_announced);
		pa->nexthop = classic;
	}
	fuzz_reencode(ctx, &u.attrs, u.announced);
}

static void
fuzz_body(uint8_t type, const uint8_t *body, size_t len)
{
	static struct bgp_open open;
	struct bgp_notification n;
	struct bgp_codec_ctx ctx;
	struct bgp_error err;
	char text[300];
	uint16_t afi;
	uint8_t safi, subtype;
	unsigned session;

	switch (type) {
	case BGP_MSG_OPEN:
		(void)bgp_msg_parse_open(body, len, &open, &err);
		break;
	case BGP_MSG_NOTIFICATION:
		if (bgp_msg_parse_notification(body, len, &n, &err) == 0) {
			(void)bgp_shutdown_message(&n, text, sizeof(text));
			(void)bgp_error_subcode_name(n.code, n.subcode);
		}
		break;
	case BGP_MSG_ROUTE_REFRESH:
		(void)bgp_msg_parse_route_refresh(body, len, &afi, &safi,
		    &subtype, &err);
		break;
	case BGP_MSG_UPDATE:
		for (session = 0; session < 4; session++) {
			memset(&ctx, 0, sizeof(ctx));
			ctx.as4 = session & 1;
			ctx.ibgp = session & 2;
			ctx.ipv4 = ctx.ipv6 = true;
			ctx.extended_next_hop_ipv4 = true;
			ctx.extended_message = len > BGP_MAX_MSG_LEN;
			fuzz_update(body, len, &ctx);
		}
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bgp_error err;
	uint8_t type;
	uint16_t length;

	if (size < BGP_HEADER_LEN || bgp_msg_parse_header(data, size,
	    FUZZ_MAX_LEN, &type, &length, &err) == -1)
		return 0;
	/* The framing layer hands over exactly length bytes. */
	if (length > size)
		return 0;
	fuzz_body(type, data + BGP_HEADER_LEN, length - BGP_HEADER_LEN);
	return 0;
}
