/*
 * test_codec_wire.c - decodes the fixtures of tests/wire and compares.
 *
 * Each NAME.hex holds one complete message as hex, captured from BIRD
 * and FRR sessions (tests/wire/capture.sh) or derived from one to break
 * it; comment lines start with '#', and a "# ctx:" line names the
 * session (as4/as2, ibgp/ebgp, extnh).  NAME.txt is the expected decode
 * in the canonical text form below, reviewed by hand.  Run with
 * --print FILE to print the decode of one fixture.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "test_codec_util.h"

#ifndef WIRE_DIR
#define WIRE_DIR	"tests/wire"
#endif

struct text_out {
	char	*buf;
	size_t	 size, used;
};

static void
out(struct text_out *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->used >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->size - t->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->used += (size_t)n;
}

static void
out_hex(struct text_out *t, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out(t, "%02x", data[i]);
}

static void
out_block(struct text_out *t, const char *label, struct nlri_block block)
{
	struct prefix p;
	char text[PREFIX_STRLEN];

	while (nlri_next(&block, &p))
		out(t, "%s %s\n", label, prefix_format(&p, text, sizeof(text)));
}

static const char *
addr_text(const struct ip_addr *a, char *buf, size_t size)
{
	return ip_addr_format(a, buf, size);
}

static void
decode_open(struct text_out *t, const uint8_t *body, size_t len)
{
	static struct bgp_open o;
	struct bgp_error err;
	const struct bgp_caps *c = &o.caps;
	size_t i;

	if (bgp_msg_parse_open(body, len, &o, &err) == -1) {
		out(t, "error %u/%u data ", err.code, err.subcode);
		out_hex(t, err.data, err.data_len);
		out(t, "\n");
		return;
	}
	out(t, "version %u\nmy_as %u\nhold_time %u\nbgp_id %u.%u.%u.%u\n",
	    o.version, o.my_as, o.hold_time, o.bgp_id >> 24,
	    (o.bgp_id >> 16) & 0xff, (o.bgp_id >> 8) & 0xff, o.bgp_id & 0xff);
	out(t, "capabilities%s%s%s%s%s%s%s%s%s\n",
	    c->ipv4_unicast ? " ipv4-unicast" : "",
	    c->ipv6_unicast ? " ipv6-unicast" : "",
	    c->route_refresh ? " route-refresh" : "",
	    c->enhanced_route_refresh ? " enhanced-route-refresh" : "",
	    c->extended_next_hop_ipv4 ? " extended-next-hop" : "",
	    c->extended_message ? " extended-message" : "",
	    c->add_path ? " add-path" : "",
	    c->as4 ? " as4" : "", c->graceful_restart ? " graceful-restart" :
	    "");
	if (c->as4)
		out(t, "as4_number %u\n", c->as4_number);
	if (c->graceful_restart)
		out(t, "graceful_restart time %u%s%s%s\n", c->restart_time,
		    c->restart_state ? " restarting" : "",
		    c->gr_ipv4 ? " forwarding-ipv4" : "",
		    c->gr_ipv6 ? " forwarding-ipv6" : "");
	if (c->hostname[0] != '\0')
		out(t, "hostname %s\n", c->hostname);
	for (i = 0; i < c->unknown_count; i++)
		out(t, "unknown_capability %u\n", c->unknown_codes[i]);
}

static void
decode_attrs(struct text_out *t, const struct path_attrs *pa)
{
	static const char *const origins[] = { "igp", "egp", "incomplete" };
	char text[4096];

	if (pa->present & PA_ORIGIN)
		out(t, "origin %s\n", origins[pa->origin]);
	if (pa->present & PA_AS_PATH)
		out(t, "as_path%s%s\n", pa->as_path.len ? " " : "",
		    as_path_format(pa->as_path.data, pa->as_path.len, text,
		    sizeof(text)));
	if (pa->present & PA_NEXT_HOP) {
		out(t, "next_hop %s", addr_text(&pa->nexthop.global, text,
		    sizeof(text)));
		if (pa->nexthop.link_local.family != FAMILY_NONE)
			out(t, " %s", addr_text(&pa->nexthop.link_local, text,
			    sizeof(text)));
		out(t, "\n");
	}
	if (pa->present & PA_MED)
		out(t, "med %u\n", pa->med);
	if (pa->present & PA_LOCAL_PREF)
		out(t, "local_pref %u\n", pa->local_pref);
	if (pa->present & PA_ATOMIC_AGGREGATE)
		out(t, "atomic_aggregate\n");
	if (pa->present & PA_AGGREGATOR)
		out(t, "aggregator %u %08x\n", pa->aggregator_as,
		    pa->aggregator_id);
	if (pa->present & PA_COMMUNITIES) {
		out(t, "communities ");
		out_hex(t, pa->communities.data, pa->communities.len);
		out(t, "\n");
	}
	if (pa->unknown.len > 0) {
		out(t, "unknown ");
		out_hex(t, pa->unknown.data, pa->unknown.len);
		out(t, "\n");
	}
}

static void
decode_update(struct text_out *t, const uint8_t *body, size_t len,
    const struct bgp_codec_ctx *ctx)
{
	static struct bgp_update u;
	struct bgp_error err;
	size_t i;

	if (bgp_msg_parse_update(body, len, ctx, &u, &err) == -1) {
		out(t, "error %u/%u data ", err.code, err.subcode);
		out_hex(t, err.data, err.data_len);
		out(t, "\n");
		return;
	}
	out(t, "action %s\n", u.action == UPDATE_OK ? "ok" :
	    "treat-as-withdraw");
	out_block(t, "withdrawn", u.withdrawn);
	out_block(t, "mp_withdrawn", u.mp_withdrawn);
	decode_attrs(t, &u.attrs);
	out_block(t, "announced", u.announced);
	out_block(t, "mp_announced", u.mp_announced);
	if (u.end_of_rib)
		out(t, "end_of_rib %s\n", family_name(u.end_of_rib_family));
	for (i = 0; i < u.warning_count; i++)
		out(t, "warning %u %s\n", u.warnings[i].attr_type,
		    u.warnings[i].what);
}

/* The canonical decode of one message. */
static void
decode(struct text_out *t, const uint8_t *msg, size_t len,
    const struct bgp_codec_ctx *ctx)
{
	static const char *const names[] = { "?", "OPEN", "UPDATE",
	    "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH" };
	struct bgp_notification n;
	struct bgp_error err;
	uint8_t type;
	uint16_t length;
	char text[300];

	if (bgp_msg_parse_header(msg, len, BGP_MAX_MSG_LEN, &type, &length,
	    &err) == -1 || length != len) {
		out(t, "header error %u/%u data ", err.code, err.subcode);
		out_hex(t, err.data, err.data_len);
		out(t, "\n");
		return;
	}
	out(t, "type %s length %u\n", names[type], length);
	msg += BGP_HEADER_LEN;
	len -= BGP_HEADER_LEN;
	if (type == BGP_MSG_OPEN) {
		decode_open(t, msg, len);
	} else if (type == BGP_MSG_UPDATE) {
		decode_update(t, msg, len, ctx);
	} else if (type == BGP_MSG_NOTIFICATION &&
	    bgp_msg_parse_notification(msg, len, &n, &err) == 0) {
		out(t, "notification %s / %s\n", bgp_error_code_name(n.code),
		    bgp_error_subcode_name(n.code, n.subcode));
		if (bgp_shutdown_message(&n, text, sizeof(text)) == 0)
			out(t, "shutdown_message %s\n", text);
	}
}

/* Reads NAME.hex: the context line and the message bytes. */
static size_t
read_fixture(const char *path, uint8_t *msg, size_t cap,
    struct bgp_codec_ctx *ctx)
{
	char line[1024];
	size_t len = 0;
	FILE *f = fopen(path, "r");

	*ctx = codec_ctx(true, false);
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "# ctx:", 6) == 0) {
			ctx->as4 = strstr(line, "as2") == NULL;
			ctx->ibgp = strstr(line, "ibgp") != NULL;
			ctx->extended_next_hop_ipv4 = strstr(line, "extnh") !=
			    NULL;
		} else if (line[0] != '#') {
			len += hex_to_bytes(line, msg + len, cap - len);
		}
	}
	fclose(f);
	return len;
}

static char *
read_text(const char *path)
{
	static char text[16384];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static bool
check_fixture(const char *dir, const char *name)
{
	static uint8_t msg[BGP_MAX_MSG_LEN];
	static char got[16384];
	struct text_out t = { got, sizeof(got), 0 };
	struct bgp_codec_ctx ctx;
	char path[1024];
	const char *want;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s.hex", dir, name);
	len = read_fixture(path, msg, sizeof(msg), &ctx);
	got[0] = '\0';
	decode(&t, msg, len, &ctx);
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	want = read_text(path);
	if (!ok(want != NULL && strcmp(got, want) == 0, "fixture %s", name)) {
		printf("# got:\n%s# want:\n%s", got, want ? want : "(none)\n");
		return false;
	}
	return true;
}

static int
name_compare_cb(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	static char *names[512];
	static uint8_t msg[BGP_MAX_MSG_LEN];
	static char got[16384];
	struct dirent *entry;
	struct bgp_codec_ctx ctx;
	size_t count = 0, i, len;
	DIR *d;

	if (argc == 3 && strcmp(argv[1], "--print") == 0) {
		struct text_out t = { got, sizeof(got), 0 };

		len = read_fixture(argv[2], msg, sizeof(msg), &ctx);
		decode(&t, msg, len, &ctx);
		fputs(got, stdout);
		return 0;
	}
	if ((d = opendir(WIRE_DIR)) == NULL) {
		ok(0, "open %s", WIRE_DIR);
		return tap_done();
	}
	while ((entry = readdir(d)) != NULL && count < 512) {
		len = strlen(entry->d_name);
		if (len > 4 && strcmp(entry->d_name + len - 4, ".hex") == 0) {
			names[count] = strdup(entry->d_name);
			names[count++][len - 4] = '\0';
		}
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), name_compare_cb);
	ok(count >= 20, "%zu fixtures in %s", count, WIRE_DIR);
	for (i = 0; i < count; i++) {
		check_fixture(WIRE_DIR, names[i]);
		free(names[i]);
	}
	return tap_done();
}
