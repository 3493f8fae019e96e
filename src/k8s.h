/*
 * k8s.h - GET requests to the Kubernetes API server over HTTPS.
 *
 * The only network client of the discovery code: libevent's evhttp over
 * a bufferevent_openssl, never blocking the event loop (host names go
 * through the daemon's evdns base).  The server certificate must chain
 * to kubernetes.ca-file and match the server's host name or IP address;
 * every request carries the service-account token as a bearer token,
 * read again from kubernetes.token-file each time (kubelet rotates it).
 */
#ifndef FLATBGP_K8S_H
#define FLATBGP_K8S_H

#include <stddef.h>
#include <stdint.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "config.h"

struct k8s_client;
struct k8s_request;

#define K8S_TIMEOUT_SECONDS	10	/* connect + TLS + reply, in all */

/*
 * A finished request: status is the HTTP status (0 when no reply came),
 * body/len the reply body (valid during the call only), error a short
 * text for logs when status is 0, else NULL.  The request is gone when
 * this is called: do not cancel it.
 */
typedef void k8s_response_cb(void *arg, int status, const char *body,
    size_t len, const char *error);

/*
 * A client for conf's kubernetes section: api-server https://HOST[:PORT]
 * or in-cluster (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT
 * from the environment).  dns may be NULL (host names then cannot be
 * used).  Returns NULL with a reason in error when api-server is none
 * or in-cluster outside a cluster.
 */
struct k8s_client *k8s_client_create(struct event_base *base,
    struct evdns_base *dns, const struct config *conf, char *error,
    size_t error_size);
/* Cancels pending requests (their callbacks are not called), frees. */
void k8s_client_free(struct k8s_client *c);
/* "https://HOST:PORT", for messages. */
const char *k8s_client_server(const struct k8s_client *c);

/*
 * Starts GET path (e.g. "/api/v1/nodes/kind-worker"); cb is called
 * exactly once, later, unless the request is cancelled.  Returns the
 * request, or NULL with a reason in error when it cannot start (token
 * or CA file unreadable); cb is then not called.
 */
struct k8s_request *k8s_get(struct k8s_client *c, const char *path,
    k8s_response_cb *cb, void *arg, char *error, size_t error_size);
/* Abandons a pending request; its callback is not called. */
void k8s_cancel(struct k8s_request *r);

#endif /* FLATBGP_K8S_H */
