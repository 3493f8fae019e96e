/*
 * test_k8s.c - the Kubernetes API client (k8s.c) against an HTTPS server
 * in the same event loop, on 127.0.0.1: the certificate must chain to
 * ca-file and name the host (DNS name or IP address), the bearer token
 * comes from token-file, failures come back as one callback with a
 * reason, and cancelled requests never call back.
 *
 * The test CA and certificates are made with the openssl command in a
 * temporary directory (skipped when it is missing); names resolve from
 * a hosts file loaded into the test's own evdns base.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "../../src/config.h"
#include "k8s.h"
#include "log.h"
#include "tap.h"

#define TOKEN	"t0ken-for-test"

static char dir[] = "/tmp/test_k8s.XXXXXX";
static struct event_base *base;
static SSL_CTX *server_ctx;
static struct evhttp *server;
static struct evconnlistener *closer_listener;

struct reply {
	int	 calls;
	int	 status;
	char	 body[256];
	char	 error[256];
};

static void
path_in(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

/* Test CA, a server certificate for api.test and 127.0.0.1, another CA. */
static int
make_certificates(void)
{
	char cmd[2048];

	/* Its output goes to stderr (the test log), not to TAP. */
	snprintf(cmd, sizeof(cmd), "exec >&2; cd %s && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
	    " -nodes -keyout ca.key -out ca.crt -days 1 -subj /CN=test-ca && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
	    " -nodes -keyout api.key -out api.csr -subj /CN=api && "
	    "printf 'subjectAltName=DNS:api.test,IP:127.0.0.1\\n' > ext && "
	    "openssl x509 -req -in api.csr -CA ca.crt -CAkey ca.key"
	    " -CAcreateserial -days 1 -extfile ext -out api.crt && "
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
	    " -nodes -keyout other.key -out other.crt -days 1 -subj /CN=other"
	    " && printf '%s\\n' > token && printf 'wrong\\n' > bad-token && "
	    "printf '127.0.0.1 api.test other.test\\n' > hosts",
	    dir, TOKEN);
	return system(cmd) == 0 ? 0 : -1;
}

static void
server_request_cb(struct evhttp_request *req, void *arg)
{
	const char *auth = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization");
	struct evbuffer *out = evbuffer_new();

	(void)arg;
	if (auth == NULL || strcmp(auth, "Bearer " TOKEN) != 0) {
		evbuffer_add_printf(out, "{\"kind\":\"Status\",\"message\":"
		    "\"Unauthorized\",\"code\":401}");
		evhttp_send_reply(req, 401, "Unauthorized", out);
	} else {
		evbuffer_add_printf(out, "{\"kind\":\"Node\",\"path\":\"%s\"}",
		    evhttp_request_get_uri(req));
		evhttp_send_reply(req, 200, "OK", out);
	}
	evbuffer_free(out);
}

static struct bufferevent *
server_bev_cb(struct event_base *b, void *arg)
{
	(void)arg;
	return bufferevent_openssl_socket_new(b, -1, SSL_new(server_ctx),
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static uint16_t
bound_port(evutil_socket_t fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		exit(1);
	return ntohs(sin.sin_port);
}

/* An HTTPS server on 127.0.0.1; returns its port. */
static uint16_t
start_server(void)
{
	struct evhttp *http = server = evhttp_new(base);
	struct evhttp_bound_socket *s;
	char crt[512], key[512];

	path_in(crt, sizeof(crt), "api.crt");
	path_in(key, sizeof(key), "api.key");
	server_ctx = SSL_CTX_new(TLS_server_method());
	if (http == NULL || server_ctx == NULL ||
	    SSL_CTX_use_certificate_chain_file(server_ctx, crt) != 1 ||
	    SSL_CTX_use_PrivateKey_file(server_ctx, key, SSL_FILETYPE_PEM) != 1)
		exit(1);
	evhttp_set_bevcb(http, server_bev_cb, NULL);
	evhttp_set_gencb(http, server_request_cb, NULL);
	if ((s = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) == NULL)
		exit(1);
	return bound_port(evhttp_bound_socket_get_fd(s));
}

static void
close_at_once_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int len, void *arg)
{
	(void)l;
	(void)sa;
	(void)len;
	(void)arg;
	evutil_closesocket(fd);
}

/* A TCP server that closes every connection at once; returns its port. */
static uint16_t
start_closer(void)
{
	struct sockaddr_in sin;
	struct evconnlistener *l;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = closer_listener = evconnlistener_new_bind(base, close_at_once_cb,
	    NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 8,
	    (struct sockaddr *)&sin, sizeof(sin));
	if (l == NULL)
		exit(1);
	return bound_port(evconnlistener_get_fd(l));
}

/* A port nothing listens on. */
static uint16_t
closed_port(void)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint16_t port;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		exit(1);
	port = bound_port(fd);
	close(fd);
	return port;
}

static void
reply_cb(void *arg, int status, const char *body, size_t len,
    const char *error)
{
	struct reply *r = arg;

	r->calls++;
	r->status = status;
	snprintf(r->body, sizeof(r->body), "%.*s", (int)len, body ? body : "");
	snprintf(r->error, sizeof(r->error), "%s", error ? error : "");
	event_base_loopbreak(base);
}

static void
deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	event_base_loopbreak(base);
}

/* One GET through a client for url with the named token and CA files. */
static struct reply
get(struct evdns_base *dns, const char *url, const char *token,
    const char *ca, const char *path)
{
	struct reply r;
	struct config conf;
	struct k8s_client *c;
	struct timeval limit = { K8S_TIMEOUT_SECONDS + 5, 0 };
	struct event *deadline = evtimer_new(base, deadline_cb, NULL);
	char token_path[512], ca_path[512], error[200];

	memset(&r, 0, sizeof(r));
	memset(&conf, 0, sizeof(conf));
	path_in(token_path, sizeof(token_path), token);
	path_in(ca_path, sizeof(ca_path), ca);
	conf.kubernetes.api_server = (char *)url;
	conf.kubernetes.token_file = token_path;
	conf.kubernetes.ca_file = ca_path;
	if ((c = k8s_client_create(base, dns, &conf, error,
	    sizeof(error))) == NULL ||
	    k8s_get(c, path, reply_cb, &r, error, sizeof(error)) == NULL) {
		snprintf(r.error, sizeof(r.error), "not started: %s", error);
		k8s_client_free(c);
		event_free(deadline);
		return r;
	}
	evtimer_add(deadline, &limit);
	event_base_dispatch(base);
	event_free(deadline);
	k8s_client_free(c);
	return r;
}

static void
test_requests(struct evdns_base *dns, uint16_t port, uint16_t closer,
    uint16_t refused)
{
	char url[128], other[128], closing[128], nobody[128];
	struct reply r;

	snprintf(url, sizeof(url), "https://api.test:%u", port);
	r = get(dns, url, "token", "ca.crt", "/api/v1/nodes/n1");
	ok(r.calls == 1 && r.status == 200 && strcmp(r.body,
	    "{\"kind\":\"Node\",\"path\":\"/api/v1/nodes/n1\"}") == 0,
	    "by name: verified, token sent, body returned (%d %s%s)",
	    r.status, r.body, r.error);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/", port);
	r = get(dns, url, "token", "ca.crt", "/x");
	is_int(r.status, 200, "by IP address: the IP SAN matches");
	r = get(dns, url, "bad-token", "ca.crt", "/x");
	is_int(r.status, 401, "a wrong token: the server's 401 comes back");
	snprintf(other, sizeof(other), "https://other.test:%u", port);
	r = get(dns, other, "token", "ca.crt", "/x");
	is_str(r.error, "TLS: server certificate not accepted: hostname "
	    "mismatch", "a name the certificate lacks");
	r = get(dns, url, "token", "other.crt", "/x");
	is_str(r.error, "TLS: server certificate not accepted: unable to get "
	    "local issuer certificate", "a CA that did not sign it");
	ok(r.calls == 1 && r.status == 0, "... one callback, no status");
	snprintf(closing, sizeof(closing), "https://127.0.0.1:%u", closer);
	r = get(dns, closing, "token", "ca.crt", "/x");
	ok(r.calls == 1 && r.status == 0 && r.error[0] != '\0',
	    "the server closes at once: a failure (%s)", r.error);
	snprintf(nobody, sizeof(nobody), "https://127.0.0.1:%u", refused);
	r = get(dns, nobody, "token", "ca.crt", "/x");
	is_str(r.error, "cannot connect", "connection refused");
	snprintf(nobody, sizeof(nobody), "https://nowhere.test:%u", port);
	r = get(dns, nobody, "token", "ca.crt", "/x");
	ok(r.calls == 1 && strncmp(r.error, "cannot resolve nowhere.test",
	    27) == 0, "an unknown name (%s)", r.error);
	r = get(dns, url, "missing-token", "ca.crt", "/x");
	ok(r.calls == 0 && strstr(r.error, "cannot read token-file") != NULL,
	    "no token file: refused before connecting");
	r = get(dns, url, "token", "missing.crt", "/x");
	ok(r.calls == 0 && strstr(r.error, "cannot load ca-file") != NULL,
	    "no CA file: refused before connecting");
}

static void
test_cancel(struct evdns_base *dns, uint16_t port)
{
	struct reply r;
	struct config conf;
	struct k8s_client *c;
	struct k8s_request *req;
	struct timeval settle = { 0, 300000 };
	char url[128], token[512], ca[512], error[256];

	memset(&r, 0, sizeof(r));
	memset(&conf, 0, sizeof(conf));
	snprintf(url, sizeof(url), "https://api.test:%u", port);
	path_in(token, sizeof(token), "token");
	path_in(ca, sizeof(ca), "ca.crt");
	conf.kubernetes.api_server = url;
	conf.kubernetes.token_file = token;
	conf.kubernetes.ca_file = ca;
	if ((c = k8s_client_create(base, dns, &conf, error,
	    sizeof(error))) == NULL)
		exit(1);
	req = k8s_get(c, "/x", reply_cb, &r, error, sizeof(error));
	k8s_cancel(req);
	k8s_get(c, "/y", reply_cb, &r, error, sizeof(error));
	k8s_client_free(c);	/* with a request pending */
	event_base_loopexit(base, &settle);
	event_base_dispatch(base);
	is_int(r.calls, 0, "cancelled and freed-with-pending requests never "
	    "call back");
}

static void
test_create(void)
{
	struct config conf;
	struct k8s_client *c;
	char error[256];

	memset(&conf, 0, sizeof(conf));
	conf.kubernetes.api_none = true;
	ok(k8s_client_create(base, NULL, &conf, error, sizeof(error)) ==
	    NULL, "api-server none: no client");
	conf.kubernetes.api_none = false;
	unsetenv("KUBERNETES_SERVICE_HOST");
	ok(k8s_client_create(base, NULL, &conf, error, sizeof(error)) ==
	    NULL && strstr(error, "KUBERNETES_SERVICE_HOST") != NULL,
	    "in-cluster outside a pod: the reason names the variable");
	conf.kubernetes.api_server = "https://[fd00::1]:6443/";
	conf.kubernetes.token_file = "t";
	conf.kubernetes.ca_file = "c";
	c = k8s_client_create(base, NULL, &conf, error, sizeof(error));
	is_str(c ? k8s_client_server(c) : error, "https://[fd00::1]:6443",
	    "an IPv6 literal");
	k8s_client_free(c);
	conf.kubernetes.api_server = "https://host:99999";
	ok(k8s_client_create(base, NULL, &conf, error, sizeof(error)) ==
	    NULL, "a bad port is refused");
}

int
main(void)
{
	struct evdns_base *dns;
	char hosts[600], nameserver[32];
	uint16_t port, closer, refused;

	log_init(LOG_ERR, 0);
	signal(SIGPIPE, SIG_IGN);	/* as flatbgpd: a write to a closed
					 * socket is an error, not a signal */
	if (mkdtemp(dir) == NULL)
		return 1;
	if (system("openssl version >/dev/null 2>&1") != 0 ||
	    make_certificates() == -1) {
		printf("1..0 # SKIP the openssl command is needed\n");
		return 0;
	}
	if ((base = event_base_new()) == NULL ||
	    (dns = evdns_base_new(base, EVDNS_BASE_DISABLE_WHEN_INACTIVE)) ==
	    NULL)
		return 1;
	port = start_server();
	closer = start_closer();
	refused = closed_port();
	/* Names from the hosts file; for others a nameserver that is not
	 * there, asked once, briefly. */
	path_in(hosts, sizeof(hosts), "hosts");
	snprintf(nameserver, sizeof(nameserver), "127.0.0.1:%u", refused);
	if (evdns_base_load_hosts(dns, hosts) != 0 ||
	    evdns_base_nameserver_ip_add(dns, nameserver) != 0 ||
	    evdns_base_set_option(dns, "timeout:", "0.5") != 0 ||
	    evdns_base_set_option(dns, "attempts:", "1") != 0)
		return 1;
	test_create();
	test_requests(dns, port, closer, refused);
	test_cancel(dns, port);
	evdns_base_free(dns, 0);
	evhttp_free(server);
	evconnlistener_free(closer_listener);
	SSL_CTX_free(server_ctx);
	event_base_free(base);
	snprintf(hosts, sizeof(hosts), "rm -rf %s", dir);
	if (system(hosts) != 0)
		return 1;
	return tap_done();
}
