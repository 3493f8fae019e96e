/*
 * config.h - the daemon's configuration as a plain struct.
 *
 * config_yaml.c fills it from the YAML file of SPEC §3 (libyaml), with
 * FILE:LINE:COLUMN errors; config.c applies defaults, validates and
 * diffs two configurations for reload; printconf.c dumps it
 * canonically.  Nothing here knows about sessions or sockets: the rest
 * of the daemon reads these structs and never the YAML.
 */
#ifndef FLATBGP_CONFIG_H
#define FLATBGP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prefix.h"

#define CONFIG_DEFAULT_PATH	"/etc/flatbgp.conf"
#define CONFIG_DEFAULT_SOCKET	"/run/flatbgpd.sock"

struct prefix_list {
	struct prefix	*items;
	size_t		 count;
};

/* advertise.pod-cidr / advertise.service-cidr */
enum cidr_source {
	CIDR_NONE = 0,		/* "none" */
	CIDR_AUTO,		/* "auto": discovered (kubernetes issue) */
	CIDR_STATIC,		/* one CIDR or a list, in .prefixes */
};

struct cidr_setting {
	enum cidr_source	 source;
	struct prefix_list	 prefixes;	/* when CIDR_STATIC */
};

/* policy.export and neighbor export */
enum export_policy {
	EXPORT_DEFAULT = 0,	/* neighbor only: inherit policy.export */
	EXPORT_LOCAL,
	EXPORT_ALL,
	EXPORT_NONE,
};

/* dynamic neighbor "asn:" */
enum peer_asn_kind {
	PEER_ASN_NUMBER = 0,	/* asn / asns[] hold the accepted ASNs */
	PEER_ASN_EXTERNAL,	/* any AS but ours */
	PEER_ASN_INTERNAL,	/* our AS */
};

/* Tri-state for settings whose default depends on the session type. */
enum config_bool {
	CONFIG_UNSET = -1,
	CONFIG_FALSE = 0,
	CONFIG_TRUE = 1,
};

#define CONFIG_FAMILY_IPV4	0x1
#define CONFIG_FAMILY_IPV6	0x2

struct config_neighbor {
	/* Exactly one of address (literal), host (name) or range is set. */
	bool			 is_range;
	struct ip_addr		 address;	/* literal address */
	char			*host;		/* host name, resolved later */
	struct prefix		 range;		/* dynamic neighbors */

	enum peer_asn_kind	 asn_kind;
	uint32_t		*asns;		/* accepted ASNs; [0] for a */
	size_t			 asn_count;	/* plain neighbor */
	uint32_t		 max_sessions;	/* ranges [64] */

	char			*description;
	char			*password;	/* TCP-MD5, NULL if none */
	bool			 passive;
	int32_t			 hold_time;	/* -1: inherit global */
	unsigned		 families;	/* CONFIG_FAMILY_*, 0: both */
	enum export_policy	 export;	/* EXPORT_DEFAULT: inherit */
	bool			 route_reflector_client;
	enum config_bool	 next_hop_self;	/* UNSET: eBGP yes, iBGP no */

	unsigned		 line, column;	/* for later error messages */
};

struct config_listen {
	struct ip_addr		 address;
	uint16_t		 port;
};

struct config {
	char			*path;		/* file it was read from */

	uint32_t		 asn;
	bool			 router_id_auto;
	uint32_t		 router_id;	/* host order, when not auto */

	struct config_listen	*listen;	/* default: [:: port 179] */
	size_t			 listen_count;
	uint16_t		 hold_time;	/* [90] 0 or 3..65535 */
	uint32_t		 connect_retry;	/* [5] */

	struct {
		struct cidr_setting	 pod_cidr;	/* [auto] */
		struct cidr_setting	 service_cidr;	/* [none] */
		struct prefix_list	 prefixes;
		uint32_t		*communities;	/* "A:B" as A<<16|B */
		size_t			 community_count;
		/* large communities "A:B:C", 3 words each */
		uint32_t		*large_communities;
		size_t			 large_community_count;
	} advertise;

	struct {
		char		*node_name;	/* [gethostname()] */
		bool		 api_in_cluster;	/* "in-cluster" */
		bool		 api_none;		/* "none" */
		char		*api_server;	/* https://HOST:PORT */
		char		*token_file;
		char		*ca_file;
		char		*cni_config_dir;
	} kubernetes;

	struct config_neighbor	*neighbors;
	size_t			 neighbor_count;

	struct {
		struct prefix_list	 allow;	/* [RFC 1918 + fc00::/7] */
		uint8_t			 max_length_ipv4;	/* [32] */
		uint8_t			 max_length_ipv6;	/* [128] */
		uint32_t		 max_prefixes;		/* [10000] */
		enum export_policy	 export;		/* [local] */
	} policy;

	struct {
		bool		 install;	/* [true] */
		uint32_t	 table;		/* [254 = main] */
		uint8_t		 protocol;	/* [186] */
		uint32_t	 metric;	/* [20] */
		uint32_t	 ecmp;		/* [8] */
		bool		 keep_on_exit;	/* [false] */
	} fib;

	struct {
		char		*socket;	/* [/run/flatbgpd.sock] */
		uint32_t	 mode;		/* [0660] */
	} control;

	struct {
		bool		 enabled;	/* false: "none" */
		struct ip_addr	 address;
		uint16_t	 port;
	} metrics;

	int			 log_level;	/* LOG_ERR..LOG_DEBUG [info] */
};

/*
 * Reads and validates path.  On success returns a new config.  On
 * failure returns NULL and writes one "FILE:LINE:COLUMN: message" line
 * per error to errors (all errors found, not just the first).
 */
struct config *config_load(const char *path, FILE *errors);
/* Same, from a string in memory (tests, fuzzing); name is for messages. */
struct config *config_load_string(const char *name, const char *text,
    size_t len, FILE *errors);
void config_free(struct config *conf);

/* Effective per-neighbor values after inheritance. */
uint16_t config_neighbor_hold_time(const struct config *conf,
    const struct config_neighbor *n);
enum export_policy config_neighbor_export(const struct config *conf,
    const struct config_neighbor *n);
bool config_neighbor_next_hop_self(const struct config_neighbor *n,
    bool ibgp);
/* True if neighbors a and b describe the same session settings. */
bool config_neighbor_equal(const struct config_neighbor *a,
    const struct config_neighbor *b);

/* Canonical dump of every key, defaults included (printconf.c). */
void config_print(const struct config *conf, FILE *out);

#endif /* FLATBGP_CONFIG_H */
