/*
 * control_proto.h - the control socket protocol shared by flatbgpd
 * (control.c, control_handlers.c) and flatbgpctl.
 *
 * A client connects to the AF_UNIX stream socket, sends one request
 * line of words separated by blanks and ended by a newline, and reads
 * one JSON document; the daemon closes the connection after it.  An
 * error reply is {"error": "message"}, optionally with "details": an
 * array of strings (reload).  The command patterns below are the
 * contract between the two sides: the daemon registers its handlers
 * under them, the CLI offers them (with abbreviations) and sends the
 * canonical words.  Pattern syntax: literal words in lower case, ADDR
 * (an IPv4 or IPv6 literal), PREFIX (a prefix, or an address meaning a
 * host prefix), and [X] for an optional element.  The reply schemas
 * are documented in doc/control.md.
 */
#ifndef FLATBGP_CONTROL_PROTO_H
#define FLATBGP_CONTROL_PROTO_H

#define CONTROL_DEFAULT_SOCKET	"/run/flatbgpd.sock"

/* Longest request line, newline included. */
#define CONTROL_MAX_REQUEST	4096
/* Most words in a request (and tokens in a pattern). */
#define CONTROL_MAX_WORDS	16
/* Seconds the daemon waits for the request line. */
#define CONTROL_READ_TIMEOUT	10
/* Seconds the daemon waits for a client to take more of its reply. */
#define CONTROL_WRITE_TIMEOUT	30
/* Clients served at once; further ones wait in the listen backlog. */
#define CONTROL_MAX_CLIENTS	64
/*
 * Most bytes the CLI reads without rendering any: a whole reply, or
 * one element of a list it renders as it arrives (show rib and show
 * fib, unbounded as a whole).  Then the CLI's inactivity timeout.
 */
#define CONTROL_MAX_REPLY	(256UL * 1024 * 1024)
#define CONTROL_REPLY_TIMEOUT	60

/* Command patterns. */
#define CONTROL_SHOW_NEIGHBORS	"show neighbors"
#define CONTROL_SHOW_SUMMARY	"show summary"
#define CONTROL_SHOW_NEIGHBOR	"show neighbor ADDR"
#define CONTROL_SHOW_RIB	"show rib [PREFIX]"
#define CONTROL_SHOW_FIB	"show fib"
#define CONTROL_SHOW_ORIGINATED	"show originated"
#define CONTROL_SHOW_MEMORY	"show memory"
#define CONTROL_CLEAR_NEIGHBOR	"clear neighbor ADDR [soft]"
#define CONTROL_RELOAD		"reload"

#endif /* FLATBGP_CONTROL_PROTO_H */
