/*
 * control.h - the daemon's control socket server.
 *
 * flatbgpctl connects to an AF_UNIX socket, sends one request line and
 * reads one JSON document back (include/control_proto.h).  The server
 * owns the socket and the connections; what a command does is up to
 * the handler registered for its pattern (control_handlers.c).  The
 * process must ignore SIGPIPE (flatbgpd does): a client may go away in
 * the middle of a reply.
 */
#ifndef FLATBGP_CONTROL_H
#define FLATBGP_CONTROL_H

#include <stddef.h>

#include "control_request.h"	/* control_handler_cb, patterns */
#include "json_writer.h"

struct control;
struct event_base;

/*
 * Listens on path: a stale socket left by an earlier run is removed
 * (a live one, or any other kind of file, is an error), the socket is
 * created owner-only and then given mode (e.g. 0660).  Returns NULL
 * with a message in error on failure.
 */
struct control *control_create(struct event_base *base, const char *path,
    unsigned mode, char *error, size_t error_size);
/* Closes every connection and the socket, and removes the socket file. */
void control_destroy(struct control *ctl);
/*
 * Closes and removes the socket now but lets the clients being served
 * finish, then frees ctl: safe from inside a handler (reload moving
 * the socket).  ctl must not be used afterwards.
 */
void control_destroy_later(struct control *ctl);

/*
 * Runs cb for requests matching pattern ("show neighbor ADDR"; see
 * control_proto.h); the server checks the words against the pattern
 * first.  A malformed or repeated pattern is a programming error.
 */
void control_register(struct control *ctl, const char *pattern,
    control_handler_cb *cb, void *arg);

/* For tests: the request and reply timeouts, in milliseconds. */
void control_set_timeouts(struct control *ctl, unsigned read_ms,
    unsigned write_ms);
/* Connections being served. */
size_t control_client_count(const struct control *ctl);

#endif /* FLATBGP_CONTROL_H */
