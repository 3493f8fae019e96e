/*
 * bench_session.h - the smallest BGP speaker the benchmark tools need:
 * one TCP connection, the OPEN exchange (4-octet AS, multiprotocol for
 * the families asked for, RFC 4271 §8 up to Established), framing of
 * received messages, and KEEPALIVEs.  The codec is flatbgp's own
 * (src/bgp_msg.h), so the tools speak exactly the wire format the
 * daemon's tests check.
 *
 * Blocking where it does not matter (connecting, the OPEN exchange, a
 * 19-byte KEEPALIVE); the socket itself is non-blocking so the tools
 * can poll() it together with their own work.
 */
#ifndef FLATBGP_BENCH_SESSION_H
#define FLATBGP_BENCH_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_msg.h"

struct bench_session {
	int		 fd;
	const char	*peer_name;	/* for messages */
	uint32_t	 local_as;
	uint32_t	 router_id;	/* host order */
	uint16_t	 hold_time;	/* offered; negotiated once up */
	bool		 ipv4, ipv6;	/* families to offer */
	struct ip_addr	 local_address;	/* of the connection */
	struct bgp_codec_ctx codec;	/* negotiated */
	uint8_t		*in;		/* received, not yet framed */
	size_t		 in_len, in_cap;
	uint64_t	 keepalive_due;	/* CLOCK_MONOTONIC ns; 0: none */
	uint64_t	 bytes_in;
};

/* Called for each received UPDATE (body without the header). */
typedef void bench_update_cb(void *arg, const uint8_t *body, size_t len);

/*
 * Connects to address:port, retrying every 100 ms for at most timeout
 * seconds (the daemon may still be starting).  Returns the socket;
 * fatal on timeout.
 */
int bench_connect(const char *address, uint16_t port, unsigned timeout);
/* Listens on address:port and accepts one connection; fatal on timeout. */
int bench_accept(const char *address, uint16_t port, unsigned timeout);
/* What every tool's session takes from its command line. */
struct bench_peer_options {
	uint16_t	 port;		/* -p PORT [179] */
	uint32_t	 local_as;	/* -a AS */
	uint32_t	 router_id;	/* -r ROUTER-ID, host order */
	uint16_t	 hold_time;	/* -H HOLD [180] */
	unsigned	 timeout;	/* -T TIMEOUT seconds [30] */
};
#define BENCH_PEER_OPTIONS	"p:a:r:H:T:"	/* for getopt() */

/* The defaults, with the tool's own AS and router id. */
void bench_peer_options_init(struct bench_peer_options *o, uint32_t local_as,
    const char *router_id);
/* Takes getopt()'s ch if it is one of BENCH_PEER_OPTIONS; fatal on a
 * malformed value; false if ch is not one of them. */
bool bench_peer_option(struct bench_peer_options *o, int ch, const char *arg);
/* Sets up s around the connected socket fd (made non-blocking). */
void bench_session_init(struct bench_session *s, int fd,
    const char *peer_name, const struct bench_peer_options *o, bool ipv4,
    bool ipv6);
/*
 * OPEN, KEEPALIVE, up to Established (at most timeout seconds).  Fatal
 * on a NOTIFICATION, a close or a timeout.  Bytes that followed the
 * peer's KEEPALIVE stay buffered for bench_session_read().
 */
void bench_session_establish(struct bench_session *s, unsigned timeout);
/*
 * Reads what the socket holds (without blocking) and frames it with
 * what was buffered before: each UPDATE goes to cb, KEEPALIVEs are
 * taken, a NOTIFICATION is reported on stderr.  Returns the number of
 * UPDATEs, or -1 when the connection is gone (closed, reset,
 * NOTIFICATION or a malformed header).  Call it before waiting in
 * poll(): bench_session_establish() may have buffered UPDATEs already.
 */
long bench_session_read(struct bench_session *s, bench_update_cb *cb,
    void *arg);
/* Writes all of data, waiting for the socket when it is full. */
void bench_session_write_all(struct bench_session *s, const void *data,
    size_t len);
/*
 * Sends a KEEPALIVE if one is due at now (ns); call it only between
 * two messages.  Returns the milliseconds until the next one is due,
 * for poll() (-1: keepalives are off).
 */
int bench_session_keepalive(struct bench_session *s, uint64_t now);

#endif /* FLATBGP_BENCH_SESSION_H */
