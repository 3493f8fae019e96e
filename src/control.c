/*
 * control.c - the control socket: an AF_UNIX listener and one
 * bufferevent per client.
 *
 * A client's life: read one request line (at most CONTROL_MAX_REQUEST
 * bytes, within the read timeout), stop reading, run the handler
 * (control_request.c matches the words), write the JSON reply and a
 * newline, close once the output has drained.  A handler with a long
 * reply (show rib of a full table) writes it in chunks: the next chunk
 * is produced only when the socket has taken most of the previous one,
 * so a reply never sits in memory whole.  At most CONTROL_MAX_CLIENTS
 * are served at once; beyond that the listener pauses and further
 * clients wait in the backlog.  Access control is the socket's file
 * mode, as with bgpctl's socket.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "control.h"
#include "log.h"

#define CONTROL_BACKLOG		16
#define CONTROL_ACCEPT_PAUSE	1	/* seconds, after accept() failed */

struct control_client {
	TAILQ_ENTRY(control_client)	 entry;
	struct control			*ctl;
	struct bufferevent		*bev;
	struct json_writer		 out;
	bool				 more;		/* handler not done */
	bool				 sent_any;	/* a chunk went out */
	struct control_request		 request;
};

struct control {
	struct event_base		*base;
	struct evconnlistener		*listener;
	struct event			*accept_timer;	/* resume accepting */
	char				*path;
	dev_t				 socket_dev;	/* what we created, */
	ino_t				 socket_ino;	/* to unlink only it */
	struct control_table		 table;
	TAILQ_HEAD(, control_client)	 clients;
	size_t				 client_count;
	bool				 paused;	/* listener disabled */
	bool				 dying;		/* free after clients */
	struct timeval			 read_timeout;
	struct timeval			 write_timeout;
};

static void client_read_cb(struct bufferevent *, void *);
static void client_write_cb(struct bufferevent *, void *);
static void client_event_cb(struct bufferevent *, short, void *);

static void control_free(struct control *);

static void
accept_resume(struct control *ctl)
{
	if (ctl->paused && ctl->listener != NULL &&
	    ctl->client_count < CONTROL_MAX_CLIENTS) {
		evconnlistener_enable(ctl->listener);
		ctl->paused = false;
	}
}

static void
accept_pause(struct control *ctl)
{
	if (!ctl->paused && ctl->listener != NULL) {
		evconnlistener_disable(ctl->listener);
		ctl->paused = true;
	}
}

static void
client_free(struct control_client *c)
{
	struct control *ctl = c->ctl;

	TAILQ_REMOVE(&ctl->clients, c, entry);
	ctl->client_count--;
	bufferevent_free(c->bev);
	json_writer_free(&c->out);
	free(c);
	if (ctl->dying && ctl->client_count == 0)
		control_free(ctl);
	else
		accept_resume(ctl);
}

/*
 * Hands what the handler wrote to the socket.  rc is the handler's
 * result: with CONTROL_HANDLER_MORE it is called again once the output
 * falls below a quarter chunk; otherwise the reply ends with a newline
 * and the connection closes once everything has drained.
 */
static void
client_send(struct control_client *c, int rc)
{
	c->more = rc == CONTROL_HANDLER_MORE;
	if (c->more && c->out.len == 0) {
		/* No progress: calling it again would loop forever. */
		log_warn("control: \"%s\": the handler wrote nothing",
		    c->request.text);
		client_free(c);
		return;
	}
	if (!c->more && !json_writer_done(&c->out)) {
		log_warn("control: \"%s\": the handler wrote an invalid "
		    "reply", c->request.text);
		if (c->sent_any) {
			client_free(c);
			return;
		}
		control_write_error(&c->out, "internal error: invalid reply");
	}
	bufferevent_write(c->bev, c->out.data, c->out.len);
	if (!c->more)
		bufferevent_write(c->bev, "\n", 1);
	c->sent_any = true;
	json_writer_discard_output(&c->out);
	bufferevent_setwatermark(c->bev, EV_WRITE,
	    c->more ? CONTROL_CHUNK_BYTES / 4 : 0, 0);
	bufferevent_setcb(c->bev, NULL, client_write_cb, client_event_cb, c);
}

/* Runs the request (len bytes, the newline included if any). */
static void
client_request(struct control_client *c, const char *line, size_t len)
{
	char error[CONTROL_ERROR_SIZE];
	int rc;

	bufferevent_disable(c->bev, EV_READ);
	if (control_request_parse(&c->request, line, len, error,
	    sizeof(error)) == -1) {
		log_debug("control: bad request: %s", error);
		control_write_error(&c->out, error);
		client_send(c, -1);
		return;
	}
	log_debug("control: request \"%s\"", c->request.text);
	rc = control_table_call(&c->ctl->table, &c->request, &c->out);
	client_send(c, rc);
}

static void
client_read_cb(struct bufferevent *bev, void *arg)
{
	struct control_client *c = arg;
	struct evbuffer *input = bufferevent_get_input(bev);
	struct evbuffer_ptr eol;
	size_t eol_len = 0, len;
	char error[64];

	eol = evbuffer_search_eol(input, NULL, &eol_len, EVBUFFER_EOL_LF);
	if (eol.pos == -1 && evbuffer_get_length(input) < CONTROL_MAX_REQUEST)
		return;
	len = eol.pos == -1 ? evbuffer_get_length(input) :
	    (size_t)eol.pos + eol_len;
	if (eol.pos == -1 || len > CONTROL_MAX_REQUEST) {
		bufferevent_disable(bev, EV_READ);
		snprintf(error, sizeof(error), "request longer than %d bytes",
		    CONTROL_MAX_REQUEST);
		control_write_error(&c->out, error);
		client_send(c, -1);
		return;
	}
	client_request(c, (const char *)evbuffer_pullup(input,
	    (ssize_t)len), len);
}

static void
client_write_cb(struct bufferevent *bev, void *arg)
{
	struct control_client *c = arg;
	int rc;

	if (!c->more) {
		client_free(c);
		return;
	}
	rc = control_table_call(&c->ctl->table, &c->request, &c->out);
	if (rc < 0) {
		/* Half the reply is out: all we can do is cut it short. */
		log_warn("control: \"%s\" failed in the middle of its reply",
		    c->request.text);
		client_free(c);
		return;
	}
	client_send(c, rc);
}

static void
client_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct control_client *c = arg;
	struct evbuffer *input = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(input);

	/* "printf 'show fib' | nc -U": a last line without newline. */
	if ((what & BEV_EVENT_EOF) && (what & BEV_EVENT_READING) &&
	    len > 0 && len <= CONTROL_MAX_REQUEST) {
		client_request(c, (const char *)evbuffer_pullup(input, -1),
		    len);
		return;
	}
	if ((what & BEV_EVENT_TIMEOUT) && (what & BEV_EVENT_READING)) {
		log_debug("control: no request within the timeout");
		control_write_error(&c->out, "no request within the timeout");
		client_send(c, -1);
		return;
	}
	if (what & BEV_EVENT_ERROR)
		log_debug("control: client: %s", strerror(errno));
	client_free(c);
}

static void
accept_cb(struct evconnlistener *listener, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control *ctl = arg;
	struct control_client *c;
	struct bufferevent *bev;

	bev = bufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		log_warn("control: cannot set up a client connection");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->ctl = ctl;
	c->bev = bev;
	json_writer_init(&c->out, false);
	TAILQ_INSERT_TAIL(&ctl->clients, c, entry);
	if (++ctl->client_count >= CONTROL_MAX_CLIENTS)
		accept_pause(ctl);
	bufferevent_setcb(bev, client_read_cb, NULL, client_event_cb, c);
	bufferevent_setwatermark(bev, EV_READ, 0, CONTROL_MAX_REQUEST + 1);
	bufferevent_set_timeouts(bev, &ctl->read_timeout, &ctl->write_timeout);
	bufferevent_enable(bev, EV_READ);
}

static void
accept_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	accept_resume(arg);
}

/* Out of descriptors, say: pause rather than spin on a readable socket. */
static void
accept_error_cb(struct evconnlistener *listener, void *arg)
{
	struct control *ctl = arg;
	struct timeval pause = { CONTROL_ACCEPT_PAUSE, 0 };

	log_warn("control: accept: %s", strerror(errno));
	accept_pause(ctl);
	evtimer_add(ctl->accept_timer, &pause);
}

/*
 * Removes a socket file left by a dead daemon.  Returns 0 if path is
 * free now, -1 if it is a live socket or not a socket at all.
 */
static int
remove_stale_socket(const char *path, const struct sockaddr_un *sun,
    char *error, size_t error_size)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(error, error_size, "%s exists and is not a socket",
		    path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(error, error_size, "socket: %s", strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0 || errno == EAGAIN) {
		snprintf(error, error_size, "%s is in use (is flatbgpd "
		    "already running?)", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		snprintf(error, error_size, "cannot remove stale %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Creates, binds and chmods the listening socket; returns it or -1. */
static int
socket_open(struct control *ctl, const struct sockaddr_un *sun,
    unsigned mode, char *error, size_t error_size)
{
	struct stat st;
	mode_t old_mask;
	int fd, rc;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(error, error_size, "socket: %s", strerror(errno));
		return -1;
	}
	/* Owner-only from the start: no window with a wider mode. */
	old_mask = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	rc = bind(fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old_mask);
	if (rc == -1) {
		snprintf(error, error_size, "bind %s: %s", ctl->path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (chmod(ctl->path, mode & 07777) == -1 ||
	    lstat(ctl->path, &st) == -1) {
		snprintf(error, error_size, "chmod %s: %s", ctl->path,
		    strerror(errno));
		unlink(ctl->path);
		close(fd);
		return -1;
	}
	ctl->socket_dev = st.st_dev;
	ctl->socket_ino = st.st_ino;
	return fd;
}

struct control *
control_create(struct event_base *base, const char *path, unsigned mode,
    char *error, size_t error_size)
{
	struct control *ctl;
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(error, error_size, "control socket path too long: "
		    "%s", path);
		return NULL;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if (remove_stale_socket(path, &sun, error, error_size) == -1)
		return NULL;
	ctl = xcalloc(1, sizeof(*ctl));
	ctl->base = base;
	ctl->path = xstrdup(path);
	ctl->read_timeout.tv_sec = CONTROL_READ_TIMEOUT;
	ctl->write_timeout.tv_sec = CONTROL_WRITE_TIMEOUT;
	TAILQ_INIT(&ctl->clients);
	control_table_init(&ctl->table);
	if ((fd = socket_open(ctl, &sun, mode, error, error_size)) == -1)
		goto fail;
	ctl->listener = evconnlistener_new(base, accept_cb, ctl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, CONTROL_BACKLOG, fd);
	if (ctl->listener == NULL) {
		snprintf(error, error_size, "listen %s: %s", path,
		    strerror(errno));
		unlink(path);
		close(fd);
		goto fail;
	}
	evconnlistener_set_error_cb(ctl->listener, accept_error_cb);
	ctl->accept_timer = evtimer_new(base, accept_timer_cb, ctl);
	if (ctl->accept_timer == NULL)
		fatalx_oom();
	return ctl;
 fail:
	free(ctl->path);
	free(ctl);
	return NULL;
}

/* Stops listening and removes the socket file, if it is still ours. */
static void
control_close_socket(struct control *ctl)
{
	struct stat st;

	if (ctl->listener == NULL)
		return;
	evconnlistener_free(ctl->listener);
	ctl->listener = NULL;
	event_free(ctl->accept_timer);
	ctl->accept_timer = NULL;
	/* A newer daemon may have replaced our socket: leave it alone. */
	if (lstat(ctl->path, &st) == 0 && st.st_dev == ctl->socket_dev &&
	    st.st_ino == ctl->socket_ino)
		unlink(ctl->path);
}

static void
control_free(struct control *ctl)
{
	control_close_socket(ctl);
	control_table_free(&ctl->table);
	free(ctl->path);
	free(ctl);
}

void
control_destroy(struct control *ctl)
{
	if (ctl == NULL)
		return;
	ctl->dying = false;	/* the last client_free() must not free it */
	while (!TAILQ_EMPTY(&ctl->clients))
		client_free(TAILQ_FIRST(&ctl->clients));
	control_free(ctl);
}

void
control_destroy_later(struct control *ctl)
{
	if (ctl == NULL)
		return;
	control_close_socket(ctl);
	ctl->dying = true;
	if (ctl->client_count == 0)
		control_free(ctl);
}

void
control_register(struct control *ctl, const char *pattern,
    control_handler_cb *cb, void *arg)
{
	control_table_add(&ctl->table, pattern, cb, arg);
}

void
control_set_timeouts(struct control *ctl, unsigned read_ms,
    unsigned write_ms)
{
	ctl->read_timeout.tv_sec = read_ms / 1000;
	ctl->read_timeout.tv_usec = (read_ms % 1000) * 1000;
	ctl->write_timeout.tv_sec = write_ms / 1000;
	ctl->write_timeout.tv_usec = (write_ms % 1000) * 1000;
}

size_t
control_client_count(const struct control *ctl)
{
	return ctl->client_count;
}
