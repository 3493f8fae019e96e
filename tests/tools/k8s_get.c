/*
 * k8s_get.c - one GET through flatbgpd's Kubernetes API client (k8s.c),
 * for the integration tests: the same TLS checks (CA and host name), the
 * same bearer token, the same resolver (FLATBGP_RESOLV_CONF), no daemon.
 *
 *   k8s_get [-s https://HOST:PORT] -t TOKEN-FILE -c CA-FILE
 *       [-d node|kubeadm] PATH
 *
 * Without -s the in-cluster variables KUBERNETES_SERVICE_HOST/PORT are
 * used.  Prints "status N" and the body, or with -d the decoded CIDRs
 * (one per line); on a transport or TLS failure "error: TEXT" on stdout
 * and exit status 2; a decoding error "decode: TEXT", exit status 3.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "../../src/config.h"
#include "k8s.h"
#include "k8s_decode.h"
#include "log.h"
#include "resolve.h"

struct result {
	const char	*decode;
	int		 exit_status;
};

static void
print_cidrs(const struct k8s_cidrs *set)
{
	char text[PREFIX_STRLEN];
	size_t i;

	for (i = 0; i < set->count; i++)
		printf("%s\n", prefix_format(&set->items[i], text,
		    sizeof(text)));
}

static void
reply_cb(void *arg, int status, const char *body, size_t len,
    const char *error)
{
	struct result *r = arg;
	struct k8s_cidrs set;
	char problem[512];
	int rc;

	if (status == 0) {
		printf("error: %s\n", error);
		r->exit_status = 2;
		return;
	}
	printf("status %d\n", status);
	if (r->decode == NULL) {
		fwrite(body, 1, len, stdout);
		printf("\n");
		return;
	}
	rc = strcmp(r->decode, "node") == 0 ?
	    k8s_decode_node(body, len, &set, problem, sizeof(problem)) :
	    k8s_decode_kubeadm_config(body, len, &set, problem,
	    sizeof(problem));
	if (rc == -1) {
		printf("decode: %s\n", problem);
		r->exit_status = 3;
		return;
	}
	print_cidrs(&set);
}

static void
usage(void)
{
	fprintf(stderr, "usage: k8s_get [-s URL] -t TOKEN-FILE -c CA-FILE "
	    "[-d node|kubeadm] PATH\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	struct config conf;
	struct result r = { NULL, 0 };
	struct event_base *base;
	struct evdns_base *dns;
	struct k8s_client *c;
	char error[512];
	int ch;

	memset(&conf, 0, sizeof(conf));
	log_init(LOG_WARNING, 0);
	signal(SIGPIPE, SIG_IGN);	/* as flatbgpd */
	while ((ch = getopt(argc, argv, "s:t:c:d:")) != -1) {
		switch (ch) {
		case 's':
			conf.kubernetes.api_server = optarg;
			break;
		case 't':
			conf.kubernetes.token_file = optarg;
			break;
		case 'c':
			conf.kubernetes.ca_file = optarg;
			break;
		case 'd':
			r.decode = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || conf.kubernetes.token_file == NULL ||
	    conf.kubernetes.ca_file == NULL)
		usage();
	conf.kubernetes.api_in_cluster = conf.kubernetes.api_server == NULL;
	if ((base = event_base_new()) == NULL ||
	    (dns = resolve_dns_create(base, error, sizeof(error))) == NULL ||
	    (c = k8s_client_create(base, dns, &conf, error,
	    sizeof(error))) == NULL ||
	    k8s_get(c, argv[optind], reply_cb, &r, error,
	    sizeof(error)) == NULL) {
		printf("error: %s\n", error);
		return 2;
	}
	event_base_dispatch(base);
	k8s_client_free(c);
	evdns_base_free(dns, 0);
	event_base_free(base);
	return r.exit_status;
}
