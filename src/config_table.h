/*
 * config_table.h - the key tables that drive the configuration (private
 * to config_yaml.c, config.c and printconf.c).
 *
 * One descriptor per key of SPEC §3 names the key, its value type,
 * where the value lives, its default (YAML text, parsed exactly like
 * the file) and its limits.  config_yaml.c walks a YAML document
 * against the tables and owns everything YAML (positions, ${VAR},
 * duplicate and unknown keys); config.c defines the tables and the
 * value types, which parse, validate, free and compare; printconf.c
 * prints a config back through the same tables.  A key added to a
 * table is therefore parsed, defaulted, validated, freed, compared
 * and printed without touching another list.
 */
#ifndef FLATBGP_CONFIG_TABLE_H
#define FLATBGP_CONFIG_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

#include "config.h"
#include "log.h"

struct config_load;		/* one parse in progress (config_yaml.c) */
struct config_printer;		/* one dump in progress (printconf.c) */
struct config_key;

#define CONFIG_MAX_KEYS		16	/* keys in one section, at most */

/* config_key.flags */
#define KEY_REQUIRED	0x01	/* a missing key is an error */
#define KEY_RANGE	0x02	/* neighbors: only for a range */
#define KEY_SINGLE	0x04	/* neighbors: only for an address or name */
#define KEY_NOT_SESSION	0x08	/* ignored by config_neighbor_equal */

/* A named value of a key: "main" = 254, "local" = EXPORT_LOCAL. */
struct config_word {
	const char	*name;
	uint32_t	 value;
};

struct config_type {
	/* What a value looks like, for "expected X, got Y". */
	const char	*expect;
	/*
	 * Parses node into the object holding the key.  Returns 0, or
	 * -1 after reporting every problem with config_error().
	 */
	int		(*parse)(struct config_load *, const struct config_key *,
			    const yaml_node_t *, void *);
	/* Writes "name: value" (or a comment) for the key of object. */
	void		(*print)(struct config_printer *,
			    const struct config_key *, const void *);
	/* Frees what the key owns in object; NULL: nothing owned. */
	void		(*release)(const struct config_key *, void *);
	/* Compares the key in two objects; NULL: the field's bytes. */
	bool		(*equal)(const struct config_key *, const void *,
			    const void *);
};

struct config_section;

struct config_key {
	const char			*name;
	const struct config_type	*type;
	size_t				 offset;	/* of the field */
	size_t				 size;		/* of the field */
	size_t				 count_offset;	/* lists: size_t */
	unsigned			 flags;		/* KEY_* */
	const char			*default_text;	/* YAML or NULL */
	uint64_t			 min, max;	/* numbers, lengths */
	const struct config_word	*words;		/* NULL-terminated */
	const struct config_section	*section;	/* sub-keys */
};

/* The value nodes found for each key of a section, by table index. */
struct config_found {
	const yaml_node_t	*mapping;	/* NULL: section absent */
	const yaml_node_t	*values[CONFIG_MAX_KEYS];
};

struct config_section {
	const struct config_key	*keys;
	size_t			 key_count;
	size_t			 size;		/* of one list element */
	/* Sets what is not zero before parsing; NULL: all zero. */
	void			(*init)(void *);
	/* Checks across keys once all of them are parsed. */
	void			(*check)(struct config_load *,
				    const struct config_section *,
				    const struct config_found *, void *);
	/* List elements: orders them to find duplicates; NULL: none. */
	int			(*compare)(const void *, const void *);
	/* printconf: whether a key applies to this object; NULL: all. */
	bool			(*shows)(const struct config_key *,
				    const void *);
};

extern const struct config_section config_root;

#define CONFIG_FIELD(object, key) \
	((void *)((char *)(object) + (key)->offset))
#define CONFIG_CFIELD(object, key) \
	((const void *)((const char *)(object) + (key)->offset))

/* config_yaml.c: reading values while a document is walked. */
char *config_quote(const char *, size_t, char *, size_t);
const char *config_scalar(struct config_load *, const yaml_node_t *,
    const char *);
void config_error(struct config_load *, const yaml_node_t *,
    const char *, ...) LOG_PRINTF(3, 4);
void config_error_key(struct config_load *, const struct config_section *,
    const struct config_found *, const char *, const char *, ...)
    LOG_PRINTF(5, 6);
const yaml_node_t *config_found_value(const struct config_section *,
    const struct config_found *, const char *);
struct config *config_loading(struct config_load *);
int config_parse_section(struct config_load *, const struct config_key *,
    const yaml_node_t *, void *);
int config_parse_list(struct config_load *, const struct config_key *,
    const yaml_node_t *, void *);

/* How config_parse_items() builds an array from a list value. */
struct config_items {
	size_t		 size;		/* of one element */
	int		(*parse_cb)(struct config_load *,
			    const struct config_key *, const yaml_node_t *,
			    void *);
	int		(*compare_cb)(const void *, const void *);
	void		(*release_cb)(const struct config_key *, void *);
};
int config_parse_items(struct config_load *, const struct config_key *,
    const yaml_node_t *, const struct config_items *, void **, size_t *);

/* config_value.c: the value types. */
extern const struct config_type config_type_number;
extern const struct config_type config_type_asn;
extern const struct config_type config_type_neighbor_hold_time;
extern const struct config_type config_type_word;
extern const struct config_type config_type_neighbor_export;
extern const struct config_type config_type_bool;
extern const struct config_type config_type_next_hop_self;
extern const struct config_type config_type_string;
extern const struct config_type config_type_path;
extern const struct config_type config_type_host_name;
extern const struct config_type config_type_mode;
extern const struct config_type config_type_router_id;
extern const struct config_type config_type_ip;
extern const struct config_type config_type_prefixes;
extern const struct config_type config_type_cidr;
extern const struct config_type config_type_communities;
extern const struct config_type config_type_api_server;
extern const struct config_type config_type_metrics_listen;
extern const struct config_type config_type_neighbor_address;
extern const struct config_type config_type_range;
extern const struct config_type config_type_peer_asn;
extern const struct config_type config_type_families;
extern const struct config_type config_type_section;
extern const struct config_type config_type_list;

/* config.c: walking a config by its tables. */
void config_release_section(const struct config_section *, void *);
uint64_t config_get_uint(const void *, size_t);
void config_set_uint(void *, size_t, uint64_t);
const char *config_word_name(const struct config_word *, uint32_t);

/* printconf.c: one printer per value type. */
void config_print_number(struct config_printer *, const struct config_key *,
    const void *);
void config_print_word(struct config_printer *, const struct config_key *,
    const void *);
void config_print_bool(struct config_printer *, const struct config_key *,
    const void *);
void config_print_string(struct config_printer *, const struct config_key *,
    const void *);
void config_print_host_name(struct config_printer *,
    const struct config_key *, const void *);
void config_print_mode(struct config_printer *, const struct config_key *,
    const void *);
void config_print_router_id(struct config_printer *,
    const struct config_key *, const void *);
void config_print_ip(struct config_printer *, const struct config_key *,
    const void *);
void config_print_prefixes(struct config_printer *,
    const struct config_key *, const void *);
void config_print_cidr(struct config_printer *, const struct config_key *,
    const void *);
void config_print_communities(struct config_printer *,
    const struct config_key *, const void *);
void config_print_api_server(struct config_printer *,
    const struct config_key *, const void *);
void config_print_metrics_listen(struct config_printer *,
    const struct config_key *, const void *);
void config_print_neighbor_address(struct config_printer *,
    const struct config_key *, const void *);
void config_print_range(struct config_printer *, const struct config_key *,
    const void *);
void config_print_peer_asn(struct config_printer *,
    const struct config_key *, const void *);
void config_print_neighbor_hold_time(struct config_printer *,
    const struct config_key *, const void *);
void config_print_families(struct config_printer *,
    const struct config_key *, const void *);
void config_print_neighbor_export(struct config_printer *,
    const struct config_key *, const void *);
void config_print_next_hop_self(struct config_printer *,
    const struct config_key *, const void *);
void config_print_section(struct config_printer *, const struct config_key *,
    const void *);
void config_print_list(struct config_printer *, const struct config_key *,
    const void *);

#endif /* FLATBGP_CONFIG_TABLE_H */
