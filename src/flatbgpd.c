/*
 * flatbgpd.c - main: options, configuration check, event loop, signals.
 *
 * SPEC §2: runs in the foreground logging to stderr; -d detaches and
 * writes a pid file; -n checks the configuration and exits 0 or 1 with
 * FILE:LINE:COLUMN errors; SIGHUP reloads; SIGTERM/SIGINT send Cease to
 * every peer and exit once the NOTIFICATIONs are flushed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "attr.h"
#include "config.h"
#include "daemon.h"
#include "log.h"
#include "session.h"

#define SHUTDOWN_GRACE_MS	1500	/* time to flush NOTIFICATIONs */
#define PID_FILE		RUNSTATEDIR "/flatbgpd.pid"

struct options {
	const char	*config_path;
	const char	*socket_path;
	bool		 check_only;
	bool		 detach;
	int		 verbose;
};

static void
usage(void)
{
	fprintf(stderr, "usage: flatbgpd [-c FILE] [-n] [-d] [-v] "
	    "[-s SOCKET]\n");
	exit(1);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->config_path = CONFIG_DEFAULT_PATH;
	while ((ch = getopt(argc, argv, "c:nds:vh")) != -1) {
		switch (ch) {
		case 'c':
			o->config_path = optarg;
			break;
		case 'n':
			o->check_only = true;
			break;
		case 'd':
			o->detach = true;
			break;
		case 's':
			o->socket_path = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

static void
signal_reload_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	log_info("SIGHUP: reloading %s", d->config_path);
	daemon_reload(d, stderr);
}

static void
shutdown_done_cb(evutil_socket_t fd, short what, void *arg)
{
	event_base_loopexit(arg, NULL);
}

static void
signal_stop_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;
	struct timeval tv = { 0, SHUTDOWN_GRACE_MS * 1000 };

	if (d->shutting_down) {
		event_base_loopbreak(d->base);
		return;
	}
	log_info("%s: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
	daemon_shutdown(d);
	/* Sessions flush their Cease and free themselves within this time. */
	event_base_once(d->base, -1, EV_TIMEOUT, shutdown_done_cb, d->base,
	    &tv);
}

static int
write_pid_file(void)
{
	FILE *f = fopen(PID_FILE, "w");

	if (f == NULL) {
		log_warn("cannot write %s: %s", PID_FILE, strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	return 0;
}

static int
run(struct config *conf, const struct options *o)
{
	struct event_base *base;
	struct daemon *d;
	struct event *signals[4];
	char error[512];
	int result = 0;
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	base = event_base_new();
	if (base == NULL)
		fatal("cannot create the event loop");
	d = daemon_create(base, conf, o->config_path, error, sizeof(error));
	if (d == NULL) {
		log_error("%s", error);
		event_base_free(base);
		return 1;
	}
	if (o->socket_path != NULL)
		d->socket_override = xstrdup(o->socket_path);
	signals[0] = evsignal_new(base, SIGHUP, signal_reload_cb, d);
	signals[1] = evsignal_new(base, SIGTERM, signal_stop_cb, d);
	signals[2] = evsignal_new(base, SIGINT, signal_stop_cb, d);
	signals[3] = NULL;
	for (i = 0; signals[i] != NULL; i++)
		evsignal_add(signals[i], NULL);
	log_info("flatbgpd %s started: AS %u, router id %u.%u.%u.%u, %zu "
	    "neighbors", PACKAGE_VERSION, conf->asn, d->router_id >> 24,
	    (d->router_id >> 16) & 0xff, (d->router_id >> 8) & 0xff,
	    d->router_id & 0xff, conf->neighbor_count);
	if (event_base_dispatch(base) == -1)
		result = 1;
	for (i = 0; signals[i] != NULL; i++)
		event_free(signals[i]);
	daemon_free(d);
	session_reap_lingering();
	attr_shutdown();
	event_base_free(base);
	log_info("stopped");
	return result;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct config *conf;

	parse_options(argc, argv, &o);
	log_init(LOG_INFO + (o.verbose > 0 ? 1 : 0), 0);
	conf = config_load(o.config_path, stderr);
	if (conf == NULL)
		return 1;
	if (o.check_only) {
		if (o.verbose)
			config_print(conf, stdout);
		config_free(conf);
		return 0;
	}
	if (o.socket_path != NULL) {
		free(conf->control.socket);
		conf->control.socket = xstrdup(o.socket_path);
	}
	/* -v raises the configured level; log.level stays the floor. */
	log_set_level(conf->log_level + o.verbose > LOG_DEBUG ? LOG_DEBUG :
	    conf->log_level + o.verbose);
	attr_init();
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	if (o.detach) {
		if (daemon(0, 0) == -1)
			fatal("daemon: %s", strerror(errno));
		log_init(log_get_level(), 1);
		write_pid_file();
	}
	return run(conf, &o);
}
