/*
 * k8s.c - HTTPS GET to the Kubernetes API server (libevent + OpenSSL).
 *
 * Each request gets its own connection: discovery asks two small
 * questions every half minute, so keep-alive would save nothing and
 * cost a connection that may break in between.  A request is an evhttp
 * connection over a bufferevent_openssl whose SSL object checks the
 * server certificate against kubernetes.ca-file (re-read per request,
 * so a rotated CA needs no restart) and against the server's name or
 * address (RFC 6125 via X509_VERIFY_PARAM_set1_host / _set1_ip_asc).
 * The evhttp timeouts bound every phase; an own deadline timer bounds
 * the whole request, so the callback comes exactly once.  Connections
 * are freed from a zero-delay event, never inside evhttp's callbacks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "k8s.h"
#include "k8s_decode.h"
#include "log.h"

#define HOST_MAX	256
#define TOKEN_MAX	16384	/* service-account JWTs are ~1 KB */

struct k8s_request {
	TAILQ_ENTRY(k8s_request) entry;
	struct k8s_client	*client;	/* NULL once finished */
	struct evhttp_connection *conn;
	struct event		*deadline;
	struct event		*cleanup;
	k8s_response_cb		*cb;
	void			*arg;
	enum evhttp_request_error error;
	bool			 error_set;
};

TAILQ_HEAD(k8s_request_list, k8s_request);

struct k8s_client {
	struct event_base	*base;
	struct evdns_base	*dns;
	char			 host[HOST_MAX];	/* no brackets */
	uint16_t		 port;
	bool			 host_is_ip;
	char			 server[HOST_MAX + 16];
	char			*token_file;
	char			*ca_file;
	struct k8s_request_list	 pending;
};

/* "https://HOST[:PORT][/]", HOST a name, IPv4 or [IPv6]. */
static int
parse_server(const char *url, char *host, size_t host_size, uint16_t *port)
{
	const char *p, *end;
	size_t len;
	char *tail;
	unsigned long value = 443;

	if (strncmp(url, "https://", 8) != 0)
		return -1;
	p = url + 8;
	if (*p == '[') {
		if ((end = strchr(++p, ']')) == NULL)
			return -1;
		len = (size_t)(end++ - p);
	} else {
		end = p + strcspn(p, ":/");
		len = (size_t)(end - p);
	}
	if (len == 0 || len >= host_size)
		return -1;
	memcpy(host, p, len);
	host[len] = '\0';
	if (*end == ':') {
		errno = 0;
		value = strtoul(end + 1, &tail, 10);
		if (errno != 0 || tail == end + 1 || value == 0 ||
		    value > 65535)
			return -1;
		end = tail;
	}
	if (*end != '\0' && strcmp(end, "/") != 0)
		return -1;
	*port = (uint16_t)value;
	return 0;
}

/* In-cluster: the service the kubelet puts in every pod's environment. */
static int
in_cluster_server(char *host, size_t host_size, uint16_t *port, char *error,
    size_t error_size)
{
	const char *h = getenv("KUBERNETES_SERVICE_HOST");
	const char *p = getenv("KUBERNETES_SERVICE_PORT");
	char *tail;
	unsigned long value = 443;

	if (h == NULL || *h == '\0' || strlen(h) >= host_size) {
		snprintf(error, error_size, "api-server in-cluster, but "
		    "KUBERNETES_SERVICE_HOST is not set (not in a pod?)");
		return -1;
	}
	if (p != NULL && *p != '\0') {
		errno = 0;
		value = strtoul(p, &tail, 10);
		if (errno != 0 || *tail != '\0' || value == 0 ||
		    value > 65535) {
			snprintf(error, error_size, "KUBERNETES_SERVICE_PORT "
			    "is not a port number");
			return -1;
		}
	}
	snprintf(host, host_size, "%s", h);
	*port = (uint16_t)value;
	return 0;
}

struct k8s_client *
k8s_client_create(struct event_base *base, struct evdns_base *dns,
    const struct config *conf, char *error, size_t error_size)
{
	struct k8s_client *c;
	struct ip_addr a;

	if (conf->kubernetes.api_none) {
		snprintf(error, error_size, "api-server is none");
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->base = base;
	c->dns = dns;
	TAILQ_INIT(&c->pending);
	if (conf->kubernetes.api_server != NULL) {
		if (parse_server(conf->kubernetes.api_server, c->host,
		    sizeof(c->host), &c->port) == -1) {
			snprintf(error, error_size, "api-server %s is not "
			    "https://HOST[:PORT]", conf->kubernetes.api_server);
			free(c);
			return NULL;
		}
	} else if (in_cluster_server(c->host, sizeof(c->host), &c->port,
	    error, error_size) == -1) {
		free(c);
		return NULL;
	}
	c->host_is_ip = ip_addr_parse(c->host, &a) == 0;
	snprintf(c->server, sizeof(c->server), "https://%s%s%s:%u",
	    c->host_is_ip && a.family == FAMILY_IPV6 ? "[" : "", c->host,
	    c->host_is_ip && a.family == FAMILY_IPV6 ? "]" : "", c->port);
	c->token_file = xstrdup(conf->kubernetes.token_file);
	c->ca_file = xstrdup(conf->kubernetes.ca_file);
	return c;
}

const char *
k8s_client_server(const struct k8s_client *c)
{
	return c->server;
}

/*
 * The bearer token: the file's content without trailing white space.
 * It goes into a header, so anything but printable ASCII is refused.
 */
static int
read_token(const char *path, char *token, size_t size, char *error,
    size_t error_size)
{
	ssize_t n;
	size_t len, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		snprintf(error, error_size, "cannot read token-file %s: %s",
		    path, strerror(errno));
		return -1;
	}
	n = read(fd, token, size - 1);
	close(fd);
	if (n < 0 || (size_t)n == size - 1) {
		snprintf(error, error_size, "cannot read token-file %s: %s",
		    path, n < 0 ? strerror(errno) : "larger than 16 KB");
		return -1;
	}
	len = (size_t)n;
	while (len > 0 && (token[len - 1] == '\n' || token[len - 1] == '\r' ||
	    token[len - 1] == ' ' || token[len - 1] == '\t'))
		len--;
	token[len] = '\0';
	for (i = 0; i < len; i++)
		if (token[i] < 0x21 || token[i] > 0x7e)
			break;
	if (len == 0 || i < len) {
		snprintf(error, error_size, "token-file %s is empty or holds "
		    "more than one printable word", path);
		return -1;
	}
	return 0;
}

static const char *
openssl_reason(unsigned long e, char *buf, size_t size)
{
	ERR_error_string_n(e, buf, size);
	return buf;
}

static SSL_CTX *
tls_context(const char *ca_file, char *error, size_t error_size)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char reason[256];

	if (ctx == NULL)
		fatalx_oom();
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
		snprintf(error, error_size, "cannot load ca-file %s: %s",
		    ca_file, openssl_reason(ERR_get_error(), reason,
		    sizeof(reason)));
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* An SSL object that accepts only c's server (RFC 6125 §6). */
static SSL *
tls_session(const struct k8s_client *c, SSL_CTX *ctx)
{
	SSL *ssl = SSL_new(ctx);
	X509_VERIFY_PARAM *param;

	if (ssl == NULL)
		fatalx_oom();
	param = SSL_get0_param(ssl);
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (c->host_is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(param, c->host) != 1)
			fatalx_oom();
	} else {
		if (X509_VERIFY_PARAM_set1_host(param, c->host, 0) != 1 ||
		    SSL_set_tlsext_host_name(ssl, c->host) != 1)
			fatalx_oom();
	}
	return ssl;
}

static void
request_free(struct k8s_request *r)
{
	if (r->conn != NULL)
		evhttp_connection_free(r->conn);
	if (r->deadline != NULL)
		event_free(r->deadline);
	if (r->cleanup != NULL)
		event_free(r->cleanup);
	free(r);
}

static void
request_cleanup_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	request_free(arg);
}

/* Takes r off its client's list; the connection is freed later. */
static void
request_finish(struct k8s_request *r)
{
	struct timeval now = { 0, 0 };

	evtimer_del(r->deadline);
	TAILQ_REMOVE(&r->client->pending, r, entry);
	r->client = NULL;
	evtimer_add(r->cleanup, &now);
}

static const char *
request_error_name(enum evhttp_request_error e)
{
	switch (e) {
	case EVREQ_HTTP_TIMEOUT:
		return "timed out";
	case EVREQ_HTTP_EOF:
		return "connection closed";
	case EVREQ_HTTP_INVALID_HEADER:
		return "malformed reply";
	case EVREQ_HTTP_BUFFER_ERROR:
		return "connection failed";
	case EVREQ_HTTP_DATA_TOO_LONG:
		return "reply too large";
	default:
		return "request failed";
	}
}

/* Why a request got no reply, as precisely as TLS and errno tell. */
static void
describe_failure(struct k8s_request *r, int saved_errno, char *buf,
    size_t size)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(r->conn);
	SSL *ssl = bev != NULL ? bufferevent_openssl_get_ssl(bev) : NULL;
	/* No error callback: evhttp gave up while connecting, and the
	 * reason (errno) is lost by then. */
	const char *what = r->error_set ? request_error_name(r->error) :
	    "cannot connect";
	unsigned long e = bev != NULL ? bufferevent_get_openssl_error(bev) :
	    0;
	long verify = ssl != NULL ? SSL_get_verify_result(ssl) : X509_V_OK;
	int dns_error = bev != NULL ? bufferevent_socket_get_dns_error(bev) :
	    0;
	char reason[256];

	if (dns_error != 0)
		snprintf(buf, size, "cannot resolve %s: %s", r->client->host,
		    evutil_gai_strerror(dns_error));
	else if (verify != X509_V_OK)
		snprintf(buf, size, "TLS: server certificate not accepted: "
		    "%s", X509_verify_cert_error_string(verify));
	else if (e != 0 && ERR_GET_LIB(e) != 0)	/* lib 0: libevent's own */
		snprintf(buf, size, "TLS: %s", openssl_reason(e, reason,
		    sizeof(reason)));
	else if (saved_errno == ECONNREFUSED || saved_errno == EHOSTUNREACH ||
	    saved_errno == ENETUNREACH || saved_errno == ECONNRESET ||
	    saved_errno == ETIMEDOUT)
		snprintf(buf, size, "%s: %s", what, strerror(saved_errno));
	else
		snprintf(buf, size, "%s", what);
	ERR_clear_error();
}

static void
request_error_cb(enum evhttp_request_error e, void *arg)
{
	struct k8s_request *r = arg;

	r->error = e;
	r->error_set = true;
}

static void
request_done_cb(struct evhttp_request *req, void *arg)
{
	struct k8s_request *r = arg;
	int saved_errno = errno, status;
	struct evbuffer *in;
	char error[512];
	size_t len;
	const char *body;

	status = req != NULL ? evhttp_request_get_response_code(req) : 0;
	if (status == 0) {
		describe_failure(r, saved_errno, error, sizeof(error));
		request_finish(r);
		r->cb(r->arg, 0, NULL, 0, error);
		return;
	}
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	body = (const char *)evbuffer_pullup(in, -1);
	request_finish(r);
	r->cb(r->arg, status, body != NULL ? body : "", body != NULL ? len :
	    0, NULL);
}

static void
request_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct k8s_request *r = arg;
	k8s_response_cb *cb = r->cb;
	void *cb_arg = r->arg;

	(void)fd;
	(void)what;
	TAILQ_REMOVE(&r->client->pending, r, entry);
	request_free(r);	/* not inside evhttp: free at once */
	cb(cb_arg, 0, NULL, 0, "timed out");
}

static void
add_headers(const struct k8s_client *c, struct evhttp_request *req,
    const char *token)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	char host[HOST_MAX + 16], auth[TOKEN_MAX + 16];
	bool brackets = c->host_is_ip && strchr(c->host, ':') != NULL;

	if (c->port == 443)
		snprintf(host, sizeof(host), "%s%s%s", brackets ? "[" : "",
		    c->host, brackets ? "]" : "");
	else
		snprintf(host, sizeof(host), "%s%s%s:%u", brackets ? "[" : "",
		    c->host, brackets ? "]" : "", c->port);
	snprintf(auth, sizeof(auth), "Bearer %s", token);
	evhttp_add_header(h, "Host", host);
	evhttp_add_header(h, "Authorization", auth);
	evhttp_add_header(h, "Accept", "application/json");
	evhttp_add_header(h, "User-Agent", "flatbgpd/" PACKAGE_VERSION);
	evhttp_add_header(h, "Connection", "close");
}

/* The connection for one request: TLS over TCP to c's server. */
static struct evhttp_connection *
request_connection(struct k8s_client *c, SSL_CTX *ctx)
{
	struct bufferevent *bev;
	struct evhttp_connection *conn;

	bev = bufferevent_openssl_socket_new(c->base, -1, tls_session(c, ctx),
	    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE |
	    BEV_OPT_DEFER_CALLBACKS);
	if (bev == NULL)
		fatalx_oom();
	/* The API server may close without a TLS close_notify. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	conn = evhttp_connection_base_bufferevent_new(c->base, c->dns, bev,
	    c->host, c->port);
	if (conn == NULL)
		fatalx_oom();
	evhttp_connection_set_timeout(conn, K8S_TIMEOUT_SECONDS);
	evhttp_connection_set_retries(conn, 0);
	evhttp_connection_set_max_body_size(conn, K8S_DOCUMENT_MAX);
	evhttp_connection_set_max_headers_size(conn, 64 * 1024);
	return conn;
}

struct k8s_request *
k8s_get(struct k8s_client *c, const char *path, k8s_response_cb *cb,
    void *arg, char *error, size_t error_size)
{
	struct k8s_request *r;
	struct evhttp_request *req;
	struct timeval deadline = { K8S_TIMEOUT_SECONDS, 0 };
	char *token = xmalloc(TOKEN_MAX);
	SSL_CTX *ctx;

	if (read_token(c->token_file, token, TOKEN_MAX, error,
	    error_size) == -1 || (ctx = tls_context(c->ca_file, error,
	    error_size)) == NULL) {
		free(token);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->client = c;
	r->cb = cb;
	r->arg = arg;
	r->conn = request_connection(c, ctx);
	SSL_CTX_free(ctx);	/* each SSL holds a reference */
	r->deadline = evtimer_new(c->base, request_deadline_cb, r);
	r->cleanup = evtimer_new(c->base, request_cleanup_cb, r);
	if ((req = evhttp_request_new(request_done_cb, r)) == NULL ||
	    r->deadline == NULL || r->cleanup == NULL)
		fatalx_oom();
	evhttp_request_set_error_cb(req, request_error_cb);
	add_headers(c, req, token);
	explicit_bzero(token, TOKEN_MAX);
	free(token);
	TAILQ_INSERT_TAIL(&c->pending, r, entry);
	evtimer_add(r->deadline, &deadline);
	if (evhttp_make_request(r->conn, req, EVHTTP_REQ_GET, path) == -1) {
		/* evhttp freed req; nothing will call back. */
		snprintf(error, error_size, "cannot start a request to %s",
		    c->server);
		TAILQ_REMOVE(&c->pending, r, entry);
		request_free(r);
		return NULL;
	}
	return r;
}

void
k8s_cancel(struct k8s_request *r)
{
	if (r->client != NULL)
		TAILQ_REMOVE(&r->client->pending, r, entry);
	/* Frees the pending evhttp request without calling it back. */
	request_free(r);
}

void
k8s_client_free(struct k8s_client *c)
{
	struct k8s_request *r;

	if (c == NULL)
		return;
	while ((r = TAILQ_FIRST(&c->pending)) != NULL)
		k8s_cancel(r);
	free(c->token_file);
	free(c->ca_file);
	free(c);
}
