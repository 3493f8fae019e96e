/*
 * test_resolve.c - the pure part of host-name neighbors (which address
 * of an answer a session uses) and the resolver set-up from
 * FLATBGP_RESOLV_CONF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <event2/dns.h>
#include <event2/event.h>

#include "log.h"
#include "resolve.h"
#include "tap.h"

static struct ip_addr
addr(const char *text)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	if (text != NULL && ip_addr_parse(text, &a) == -1)
		exit(1);
	return a;
}

/* resolve_pick over a space-separated answer, current in use or NULL. */
static const char *
pick(const char *answer, const char *current)
{
	static char out[IP_ADDR_STRLEN];
	struct ip_addr list[8], cur = addr(current), chosen;
	char copy[256], *word, *save;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", answer);
	for (word = strtok_r(copy, " ", &save); word != NULL && n < 8;
	    word = strtok_r(NULL, " ", &save))
		list[n++] = addr(word);
	if (resolve_pick(list, n, &cur, &chosen) == -1)
		return "none";
	return ip_addr_format(&chosen, out, sizeof(out));
}

static void
test_pick(void)
{
	is_str(pick("10.0.0.1", NULL), "10.0.0.1", "one address");
	is_str(pick("fd00::1 10.0.0.2 10.0.0.1", NULL), "10.0.0.2",
	    "IPv4 first, in the answer's order");
	is_str(pick("fd00::2 fd00::1", NULL), "fd00::2", "IPv6 only");
	is_str(pick("10.0.0.2 10.0.0.1", "10.0.0.1"), "10.0.0.1",
	    "the address in use stays while the answer holds it");
	is_str(pick("fd00::1 10.0.0.3", "fd00::1"), "fd00::1",
	    "also an IPv6 one");
	is_str(pick("10.0.0.3 10.0.0.4", "10.0.0.1"), "10.0.0.3",
	    "moved: the first IPv4 address of the new answer");
	is_str(pick("", "10.0.0.1"), "none", "empty answer: nothing");
}

static void
test_dns_create(void)
{
	struct event_base *base = event_base_new();
	struct evdns_base *dns;
	char path[] = "/tmp/test_resolve.XXXXXX", error[256] = "";
	int fd = mkstemp(path);

	if (base == NULL || fd == -1)
		exit(1);
	if (write(fd, "nameserver 192.0.2.53\noptions timeout:1\n", 40) != 40)
		exit(1);
	close(fd);
	setenv("FLATBGP_RESOLV_CONF", path, 1);
	dns = resolve_dns_create(base, error, sizeof(error));
	ok(dns != NULL && evdns_base_count_nameservers(dns) == 1,
	    "FLATBGP_RESOLV_CONF: its nameserver is used");
	if (dns != NULL)
		evdns_base_free(dns, 0);
	if ((fd = open(path, O_WRONLY | O_TRUNC)) == -1 ||
	    write(fd, "search example\n", 15) != 15)
		exit(1);
	close(fd);
	dns = resolve_dns_create(base, error, sizeof(error));
	ok(dns == NULL && strstr(error, "no nameserver in it") != NULL,
	    "a file without nameserver is refused (%s)", error);
	unlink(path);
	dns = resolve_dns_create(base, error, sizeof(error));
	ok(dns == NULL && strstr(error, "cannot open it") != NULL,
	    "a missing file is refused (%s)", error);
	unsetenv("FLATBGP_RESOLV_CONF");
	dns = resolve_dns_create(base, error, sizeof(error));
	ok(dns != NULL, "without the variable: /etc/resolv.conf, never "
	    "an error");
	if (dns != NULL)
		evdns_base_free(dns, 0);
	/* Nothing left registered: the loop ends at once. */
	ok(event_base_dispatch(base) == 1, "no nameserver socket left "
	    "watched while idle");
	event_base_free(base);
}

int
main(void)
{
	test_pick();
	test_dns_create();
	return tap_done();
}
