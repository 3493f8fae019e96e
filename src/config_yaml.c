/*
 * config_yaml.c - reading the configuration file with libyaml.
 *
 * The file is loaded as one YAML document with libyaml's document API
 * (which reads JSON too) and walked against the key tables of
 * config_table.h: each mapping is matched against its section (unknown
 * and duplicate keys are errors), the values are handed to their
 * key's type in table order, an absent key gets its default by parsing
 * the table's default text the same way, and the section's check
 * runs last.  Every problem becomes one "FILE:LINE:COLUMN: message"
 * line; the walk goes on after an error, so one run reports them all,
 * sorted by position.
 *
 * Scalars are read through config_scalar(), which expands ${VAR} from
 * the environment ("$${" stands for a literal "${").  Aliases are
 * resolved by libyaml; the walk only ever descends along the tables,
 * so an alias cycle or an exponential alias graph can neither loop
 * nor blow up.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_table.h"
#include "log.h"

#define CONFIG_MAX_FILE		(16 * 1024 * 1024)
#define CONFIG_MAX_ERRORS	50	/* stored and shown; the rest counted */
#define CONFIG_PATH_MAX		256	/* "neighbors[12].hold-time" */
#define CONFIG_MAX_DEPTH	32	/* nested lists and mappings */
#define CONFIG_MAX_DEPTH_TEXT	"32"

struct config_error_line {
	unsigned long	 line, column;	/* 1-based */
	size_t		 sequence;	/* keeps equal positions in order */
	char		*message;
};

struct config_load {
	const char			*name;		/* for messages */
	yaml_document_t			*document;
	struct config			*conf;		/* being filled */
	bool				 is_default;	/* a table default */
	struct config_error_line	*errors;
	size_t				 error_count;	/* stored */
	size_t				 error_total;	/* found */
	yaml_mark_t			 dropped;	/* first not stored */
	char				 path[CONFIG_PATH_MAX];
	size_t				 path_len;
	char				*scratch;	/* expanded scalar */
	size_t				 scratch_size;
};

static const yaml_mark_t no_mark;	/* 1:1 once made 1-based */

static void
load_init(struct config_load *load, const char *name,
    yaml_document_t *document, struct config *conf)
{
	memset(load, 0, sizeof(*load));
	load->name = name;
	load->document = document;
	load->conf = conf;
}

static void
load_cleanup(struct config_load *load)
{
	size_t i;

	for (i = 0; i < load->error_count; i++)
		free(load->errors[i].message);
	free(load->errors);
	free(load->scratch);
}

struct config *
config_loading(struct config_load *load)
{
	return load->conf;
}

static const yaml_node_t *
node_at(struct config_load *load, int index)
{
	const yaml_node_t *node;

	node = yaml_document_get_node(load->document, index);
	if (node == NULL)
		fatal("config: YAML node %d missing", index);
	return node;
}

/* Plain "", "~" and "null" are YAML's null (1.2 core schema). */
static bool
is_null(const yaml_node_t *node)
{
	const char *text = (const char *)node->data.scalar.value;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return text[0] == '\0' || strcmp(text, "~") == 0 ||
	    strcmp(text, "null") == 0 || strcmp(text, "Null") == 0 ||
	    strcmp(text, "NULL") == 0;
}

/*
 * Quotes len bytes of text for a message: in double quotes, control
 * characters escaped (an error stays one line), cut at size.
 */
char *
config_quote(const char *text, size_t len, char *buf, size_t size)
{
	size_t i, used = 0;
	unsigned char c;

	buf[used++] = '"';
	for (i = 0; i < len && used + 8 < size; i++) {
		c = (unsigned char)text[i];
		if (c == '"' || c == '\\')
			used += (size_t)snprintf(buf + used, size - used,
			    "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			used += (size_t)snprintf(buf + used, size - used,
			    "\\x%02x", c);
		else
			buf[used++] = (char)c;
	}
	if (i < len)
		used += (size_t)snprintf(buf + used, size - used, "...");
	snprintf(buf + used, size - used, "\"");
	return buf;
}

/* What a node is, for "expected X, got Y". */
static const char *
describe(const yaml_node_t *node, char *buf, size_t size)
{
	if (node->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (node->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (is_null(node))
		return "an empty value";
	return config_quote((const char *)node->data.scalar.value,
	    node->data.scalar.length, buf, size);
}

/* Appends to the key path; returns its length before, for path_pop(). */
static size_t
path_append(struct config_load *load, const char *fmt, ...)
{
	size_t saved = load->path_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(load->path + saved, sizeof(load->path) - saved, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(load->path) - saved)
		load->path_len += (size_t)n;
	load->path[load->path_len] = '\0';
	return saved;
}

/* ".name", or "name" at the top. */
static size_t
path_push(struct config_load *load, const char *name)
{
	return path_append(load, "%s%s", load->path_len > 0 ? "." : "", name);
}

static size_t
path_push_index(struct config_load *load, size_t index)
{
	return path_append(load, "[%zu]", index);
}

static void
path_pop(struct config_load *load, size_t saved)
{
	load->path_len = saved;
	load->path[saved] = '\0';
}

static void
add_error(struct config_load *load, yaml_mark_t mark, const char *message)
{
	struct config_error_line *e;

	if (load->is_default)
		fatal("config: the default of %s is invalid: %s", load->path,
		    message);
	if (load->error_total++ >= CONFIG_MAX_ERRORS) {
		if (load->error_total == CONFIG_MAX_ERRORS + 1)
			load->dropped = mark;
		return;
	}
	load->errors = xreallocarray(load->errors, load->error_count + 1,
	    sizeof(*load->errors));
	e = &load->errors[load->error_count];
	e->line = (unsigned long)mark.line + 1;
	e->column = (unsigned long)mark.column + 1;
	e->sequence = load->error_count++;
	e->message = xstrdup(message);
}

static void
config_verror(struct config_load *load, const yaml_node_t *node,
    const char *fmt, va_list ap)
{
	char message[CONFIG_PATH_MAX + 520], text[512];

	vsnprintf(text, sizeof(text), fmt, ap);
	if (load->path_len > 0)
		snprintf(message, sizeof(message), "%s: %s", load->path, text);
	else
		snprintf(message, sizeof(message), "%s", text);
	add_error(load, node != NULL ? node->start_mark : no_mark, message);
}

/* Reports a problem at node (the key path is prepended). */
void
config_error(struct config_load *load, const yaml_node_t *node,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_verror(load, node, fmt, ap);
	va_end(ap);
}

const yaml_node_t *
config_found_value(const struct config_section *section,
    const struct config_found *found, const char *name)
{
	size_t i;

	for (i = 0; i < section->key_count; i++)
		if (strcmp(section->keys[i].name, name) == 0)
			return found->values[i];
	fatal("config: no key %s in its section", name);
}

/*
 * Reports a problem with key name of a checked section, at its value
 * (or at the mapping when the key is absent).
 */
void
config_error_key(struct config_load *load, const struct config_section *section,
    const struct config_found *found, const char *name, const char *fmt, ...)
{
	const yaml_node_t *node = config_found_value(section, found, name);
	size_t saved = path_push(load, name);
	va_list ap;

	va_start(ap, fmt);
	config_verror(load, node != NULL ? node : found->mapping, fmt, ap);
	va_end(ap);
	path_pop(load, saved);
}

static void
scratch_append(struct config_load *load, size_t *used, const char *s,
    size_t len)
{
	if (*used + len + 1 > load->scratch_size) {
		load->scratch_size = (*used + len + 1) * 2;
		load->scratch = xrealloc(load->scratch, load->scratch_size);
	}
	memcpy(load->scratch + *used, s, len);
	*used += len;
	load->scratch[*used] = '\0';
}

static bool
utf8_valid(const unsigned char *s)
{
	unsigned need, i;
	uint32_t cp;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf)
			need = 1, cp = *s & 0x1f;
		else if (*s >= 0xe0 && *s <= 0xef)
			need = 2, cp = *s & 0x0f;
		else if (*s >= 0xf0 && *s <= 0xf4)
			need = 3, cp = *s & 0x07;
		else
			return false;
		for (i = 1; i <= need; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 &&
		    cp <= 0xdfff))) || (need == 3 && (cp < 0x10000 ||
		    cp > 0x10ffff)))
			return false;
		s += need + 1;
	}
	return true;
}

/* Expands the "${NAME}" at *p; -1 after reporting why it cannot. */
static int
expand_variable(struct config_load *load, const yaml_node_t *node,
    const char **p, size_t *used)
{
	const char *name = *p + 2, *close = strchr(name, '}'), *value;
	char var[128], quoted[96];
	size_t len, i;

	if (close == NULL) {
		config_error(load, node, "%s: \"${\" without a closing \"}\"",
		    config_quote(*p, strlen(*p), quoted, sizeof(quoted)));
		return -1;
	}
	len = (size_t)(close - name);
	for (i = 0; i < len; i++)
		if (!(isalpha((unsigned char)name[i]) || name[i] == '_' ||
		    (i > 0 && isdigit((unsigned char)name[i]))))
			break;
	if (len == 0 || i < len || len >= sizeof(var)) {
		config_error(load, node, "%s: not a variable name (letters, "
		    "digits and _)", config_quote(*p, len + 3, quoted,
		    sizeof(quoted)));
		return -1;
	}
	memcpy(var, name, len);
	var[len] = '\0';
	if ((value = getenv(var)) == NULL) {
		config_error(load, node, "${%s}: environment variable %s is "
		    "not set", var, var);
		return -1;
	}
	if (!utf8_valid((const unsigned char *)value)) {
		config_error(load, node, "${%s}: environment variable %s is "
		    "not valid UTF-8", var, var);
		return -1;
	}
	scratch_append(load, used, value, strlen(value));
	*p = close + 1;
	return 0;
}

/* text with ${VAR} expanded (in the scratch buffer), or NULL. */
static const char *
expand(struct config_load *load, const yaml_node_t *node, const char *text)
{
	const char *p = text;
	size_t used = 0;

	if (strchr(text, '$') == NULL)
		return text;
	scratch_append(load, &used, "", 0);
	while (*p != '\0') {
		if (strncmp(p, "$${", 3) == 0) {
			scratch_append(load, &used, "${", 2);
			p += 3;
		} else if (strncmp(p, "${", 2) == 0) {
			if (expand_variable(load, node, &p, &used) == -1)
				return NULL;
		} else {
			scratch_append(load, &used, p++, 1);
		}
	}
	return load->scratch;
}

/*
 * The text of a scalar with ${VAR} expanded, valid until the next
 * call.  Returns NULL after reporting "expected <expect>, got ..." for
 * a list, a mapping, a null or a NUL byte, or an expansion error.
 */
const char *
config_scalar(struct config_load *load, const yaml_node_t *node,
    const char *expect)
{
	const char *text = (const char *)node->data.scalar.value;
	char buf[96];

	if (node->type != YAML_SCALAR_NODE || is_null(node)) {
		config_error(load, node, "expected %s, got %s", expect,
		    describe(node, buf, sizeof(buf)));
		return NULL;
	}
	if (strlen(text) != node->data.scalar.length) {
		config_error(load, node, "a NUL character is not allowed "
		    "here");
		return NULL;
	}
	return expand(load, node, text);
}

/*
 * Edit distance with transpositions (optimal string alignment), for
 * "did you mean"; both strings shorter than 48 bytes.
 */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, best;
	size_t d[48][48];

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* The key of section that text most likely meant, or NULL. */
static const char *
suggest(const struct config_section *section, const char *text)
{
	char folded[48];
	const char *best = NULL;
	size_t i, len = strlen(text), distance, best_distance = 3;

	if (len >= sizeof(folded))
		return NULL;
	for (i = 0; i <= len; i++)
		folded[i] = text[i] == '_' ? '-' :
		    (char)tolower((unsigned char)text[i]);
	for (i = 0; i < section->key_count; i++) {
		const char *name = section->keys[i].name;

		distance = edit_distance(folded, name);
		if (distance < best_distance &&
		    (distance == 0 || distance * 3 <= strlen(name))) {
			best = name;
			best_distance = distance;
		}
	}
	return best;
}

/* Index of the key named by node in section; -1 after an error. */
static int
find_key(struct config_load *load, const struct config_section *section,
    const yaml_node_t *node)
{
	const char *text = (const char *)node->data.scalar.value, *hint;
	char buf[96];
	size_t i;

	if (node->type != YAML_SCALAR_NODE) {
		config_error(load, node, "expected a key name, got %s",
		    describe(node, buf, sizeof(buf)));
		return -1;
	}
	for (i = 0; i < section->key_count; i++)
		if (strcmp(section->keys[i].name, text) == 0 &&
		    strlen(text) == node->data.scalar.length)
			return (int)i;
	config_quote(text, node->data.scalar.length, buf, sizeof(buf));
	if ((hint = suggest(section, text)) != NULL)
		config_error(load, node, "unknown key %s (did you mean \"%s\"?)",
		    buf, hint);
	else
		config_error(load, node, "unknown key %s", buf);
	return -1;
}

static void
match_keys(struct config_load *load, const struct config_section *section,
    const yaml_node_t *mapping, struct config_found *found)
{
	const yaml_node_t *keys[CONFIG_MAX_KEYS] = { NULL }, *key;
	const yaml_node_pair_t *pair;
	int i;

	for (pair = mapping->data.mapping.pairs.start;
	    pair < mapping->data.mapping.pairs.top; pair++) {
		key = node_at(load, pair->key);
		if ((i = find_key(load, section, key)) == -1)
			continue;
		if (found->values[i] != NULL) {
			config_error(load, key, "duplicate key \"%s\" (first "
			    "at line %lu)", section->keys[i].name,
			    (unsigned long)keys[i]->start_mark.line + 1);
			continue;
		}
		keys[i] = key;
		found->values[i] = node_at(load, pair->value);
	}
}

static void parse_default(struct config_load *, const struct config_key *,
    void *);

static void
parse_key(struct config_load *load, const struct config_key *key,
    const yaml_node_t *value, const yaml_node_t *mapping, void *object)
{
	size_t saved = path_push(load, key->name);

	if (value != NULL)
		(void)key->type->parse(load, key, value, object);
	else if (key->flags & KEY_REQUIRED)
		config_error(load, mapping, "required key missing");
	else if (key->default_text != NULL)
		parse_default(load, key, object);
	else if (key->type->parse == config_parse_section)
		(void)config_parse_section(load, key, NULL, object);
	path_pop(load, saved);
}

/*
 * Fills object from mapping (NULL: an absent section, all defaults)
 * by the keys of section, then runs the section's check.
 */
static void
walk_mapping(struct config_load *load, const struct config_section *section,
    const yaml_node_t *mapping, void *object)
{
	struct config_found found;
	size_t i;

	if (section->key_count > CONFIG_MAX_KEYS)
		fatal("config: section with %zu keys", section->key_count);
	memset(&found, 0, sizeof(found));
	found.mapping = mapping;
	if (mapping != NULL)
		match_keys(load, section, mapping, &found);
	for (i = 0; i < section->key_count; i++)
		parse_key(load, &section->keys[i], found.values[i], mapping,
		    object);
	if (section->check != NULL)
		section->check(load, section, &found, object);
}

/* walk_mapping() for a node that must be a mapping (or NULL). */
static int
walk_value(struct config_load *load, const struct config_section *section,
    const yaml_node_t *node, void *object)
{
	char buf[96];

	if (node != NULL && node->type != YAML_MAPPING_NODE) {
		config_error(load, node, "expected a mapping, got %s",
		    describe(node, buf, sizeof(buf)));
		return -1;
	}
	walk_mapping(load, section, node, object);
	return 0;
}

/* The type of a section key: the value is a mapping of sub-keys. */
int
config_parse_section(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	if (node != NULL && is_null(node))
		node = NULL;	/* "fib:" with every key commented out */
	return walk_value(load, key->section, node, object);
}

/* One element of a list of sections; an empty one is an error. */
static int
section_item_cb(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *element)
{
	if (key->section->init != NULL)
		key->section->init(element);
	return walk_value(load, key->section, node, element);
}

static void
release_element_cb(const struct config_key *key, void *element)
{
	config_release_section(key->section, element);
}

/* The type of a list of sections (listen, neighbors). */
int
config_parse_list(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, void *object)
{
	const struct config_items items = {
		.size = key->section->size,
		.parse_cb = section_item_cb,
		.compare_cb = key->section->compare,
		.release_cb = release_element_cb,
	};
	char buf[96];
	void *array;
	size_t count;
	int rc;

	if (node->type == YAML_SCALAR_NODE && !is_null(node)) {
		config_error(load, node, "expected %s, got %s",
		    key->type->expect, describe(node, buf, sizeof(buf)));
		return -1;
	}
	rc = config_parse_items(load, key, node, &items, &array, &count);
	memcpy(CONFIG_FIELD(object, key), &array, sizeof(array));
	memcpy((char *)object + key->count_offset, &count, sizeof(count));
	return rc;
}

/* The items parsed so far by config_parse_items(). */
struct item_array {
	char			*base;
	const yaml_node_t	**nodes;	/* where each came from */
	size_t			*indexes;	/* its index in the list */
	size_t			 count, capacity;
};

static void
parse_item(struct config_load *load, const struct config_key *key,
    const struct config_items *items, const yaml_node_t *node,
    size_t index, struct item_array *array)
{
	size_t errors = load->error_total;
	void *element;

	if (array->count == array->capacity) {
		array->capacity = array->capacity ? array->capacity * 2 : 4;
		array->base = xreallocarray(array->base, array->capacity,
		    items->size);
		array->nodes = xreallocarray(array->nodes, array->capacity,
		    sizeof(*array->nodes));
		array->indexes = xreallocarray(array->indexes,
		    array->capacity, sizeof(*array->indexes));
	}
	element = array->base + array->count * items->size;
	memset(element, 0, items->size);
	if (items->parse_cb(load, key, node, element) == -1 ||
	    load->error_total != errors) {
		if (items->release_cb != NULL)
			items->release_cb(key, element);
		return;
	}
	array->nodes[array->count] = node;
	array->indexes[array->count++] = index;
}

/* One item to sort when looking for duplicates. */
struct item_order {
	const void	*element;
	size_t		 position;	/* in the item_array */
	int		(*compare_cb)(const void *, const void *);
};

static int
item_order_cb(const void *a, const void *b)
{
	const struct item_order *x = a, *y = b;
	int c = x->compare_cb(x->element, y->element);

	if (c != 0)
		return c;
	return x->position < y->position ? -1 : x->position > y->position;
}

/* Reports each item equal to an earlier one, at the later one. */
static void
report_duplicates(struct config_load *load, const struct config_items *items,
    const struct item_array *array)
{
	struct item_order *order;
	char list[CONFIG_PATH_MAX];
	size_t i, first = 0, saved;

	order = xreallocarray(NULL, array->count, sizeof(*order));
	for (i = 0; i < array->count; i++) {
		order[i].element = array->base + i * items->size;
		order[i].position = i;
		order[i].compare_cb = items->compare_cb;
	}
	qsort(order, array->count, sizeof(*order), item_order_cb);
	snprintf(list, sizeof(list), "%s", load->path);
	for (i = 1; i < array->count; i++) {
		if (items->compare_cb(order[first].element,
		    order[i].element) != 0) {
			first = i;
			continue;
		}
		saved = path_push_index(load, array->indexes[order[i].position]);
		config_error(load, array->nodes[order[i].position],
		    "duplicates %s[%zu] (line %lu)", list,
		    array->indexes[order[first].position], (unsigned long)
		    array->nodes[order[first].position]->start_mark.line + 1);
		path_pop(load, saved);
	}
	free(order);
}

/*
 * Parses a list value into a new array of items->size elements: each
 * item of a sequence, or a lone value as a list of one.  Items with
 * errors are left out; items equal to an earlier one are reported
 * when items->compare_cb is set.  Returns 0 or -1 (errors reported);
 * *array is NULL when *count is 0.
 */
int
config_parse_items(struct config_load *load, const struct config_key *key,
    const yaml_node_t *node, const struct config_items *items, void **array,
    size_t *count)
{
	struct item_array a;
	const yaml_node_item_t *item;
	size_t errors = load->error_total, saved, index;

	memset(&a, 0, sizeof(a));
	*array = NULL;
	*count = 0;
	if (is_null(node)) {
		config_error(load, node, "expected %s, got an empty value",
		    key->type->expect);
		return -1;
	}
	if (node->type != YAML_SEQUENCE_NODE) {
		parse_item(load, key, items, node, 0, &a);
	} else {
		for (item = node->data.sequence.items.start;
		    item < node->data.sequence.items.top; item++) {
			index = (size_t)(item - node->data.sequence.items.start);
			saved = path_push_index(load, index);
			parse_item(load, key, items, node_at(load, *item),
			    index, &a);
			path_pop(load, saved);
		}
	}
	if (items->compare_cb != NULL && a.count > 1)
		report_duplicates(load, items, &a);
	free(a.nodes);
	free(a.indexes);
	if (a.count == 0) {
		free(a.base);
		a.base = NULL;
	}
	*array = a.base;
	*count = a.count;
	return load->error_total == errors ? 0 : -1;
}

/*
 * Applies the default of key to object by parsing the table's default
 * text like a value from the file; an error there is a broken table.
 */
static void
parse_default(struct config_load *load, const struct config_key *key,
    void *object)
{
	yaml_parser_t parser;
	yaml_document_t document;
	struct config_load sub;
	const yaml_node_t *root;

	if (!yaml_parser_initialize(&parser))
		fatalx_oom();
	yaml_parser_set_input_string(&parser,
	    (const unsigned char *)key->default_text,
	    strlen(key->default_text));
	if (!yaml_parser_load(&parser, &document))
		fatal("config: the default of %s does not parse", key->name);
	if ((root = yaml_document_get_root_node(&document)) == NULL)
		fatal("config: the default of %s is empty", key->name);
	load_init(&sub, "(default)", &document, load->conf);
	sub.is_default = true;
	snprintf(sub.path, sizeof(sub.path), "%s", key->name);
	(void)key->type->parse(&sub, key, root, object);
	load_cleanup(&sub);
	yaml_document_delete(&document);
	yaml_parser_delete(&parser);
}

/* Line and column (0-based) of byte offset in text. */
static yaml_mark_t
mark_at_offset(const char *text, size_t len, size_t offset)
{
	yaml_mark_t mark;
	size_t i;

	memset(&mark, 0, sizeof(mark));
	for (i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			mark.line++;
			mark.column = 0;
		} else {
			mark.column++;
		}
	}
	return mark;
}

/* Whether the character at mark (line, column) is a tab. */
static bool
tab_at(const char *text, size_t len, yaml_mark_t mark)
{
	size_t i = 0, line = 0, column = 0;

	for (; i < len && line < mark.line; i++)
		if (text[i] == '\n')
			line++;
	for (; i < len && text[i] != '\n'; i++) {
		if (((unsigned char)text[i] & 0xc0) == 0x80)
			continue;	/* inside a UTF-8 sequence */
		if (column++ == mark.column)
			return text[i] == '\t';
	}
	return false;
}

static void
syntax_error(struct config_load *load, const yaml_parser_t *parser,
    const char *text, size_t len)
{
	yaml_mark_t mark = parser->problem_mark;
	const char *problem = parser->problem ? parser->problem : "error";
	char message[256];

	if (parser->error == YAML_MEMORY_ERROR)
		fatalx_oom();
	if (parser->error == YAML_READER_ERROR) {
		mark = mark_at_offset(text, len, parser->problem_offset);
		if (parser->problem_value != -1)
			snprintf(message, sizeof(message), "%s (byte 0x%02x)",
			    problem, (unsigned)parser->problem_value & 0xff);
		else
			snprintf(message, sizeof(message), "%s", problem);
	} else if (parser->context != NULL) {
		snprintf(message, sizeof(message), "%s (%s at line %lu)",
		    problem, parser->context,
		    (unsigned long)parser->context_mark.line + 1);
	} else {
		snprintf(message, sizeof(message), "%s", problem);
	}
	if (tab_at(text, len, mark))
		strncat(message, "; YAML indents with spaces, not tabs",
		    sizeof(message) - strlen(message) - 1);
	add_error(load, mark, message);
}

/*
 * Refuses nesting deeper than CONFIG_MAX_DEPTH before the document is
 * loaded: libyaml's scanner takes time quadratic in the depth of flow
 * collections ("[[[[..."), and no configuration nests beyond a few
 * levels.  Streaming events stops at the first level too deep, so the
 * cost stays linear.  Returns 0, or -1 after reporting.
 */
static int
check_depth(struct config_load *load, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t event;
	int depth = 0, rc = 0;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		fatalx_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &event)) {
			syntax_error(load, &parser, text, len);
			rc = -1;
			break;
		}
		if (event.type == YAML_SEQUENCE_START_EVENT ||
		    event.type == YAML_MAPPING_START_EVENT) {
			if (++depth > CONFIG_MAX_DEPTH) {
				add_error(load, event.start_mark, "nested "
				    "deeper than " CONFIG_MAX_DEPTH_TEXT
				    " levels");
				rc = -1;
			}
		} else if (event.type == YAML_SEQUENCE_END_EVENT ||
		    event.type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/*
 * Loads the one document of text; returns 0, or -1 after reporting a
 * syntax error or a second document.  The document must be deleted
 * either way.
 */
static int
read_document(struct config_load *load, yaml_parser_t *parser,
    yaml_document_t *document, const char *text, size_t len)
{
	yaml_document_t extra;
	const yaml_node_t *root;

	memset(document, 0, sizeof(*document));
	if (check_depth(load, text, len) == -1)
		return -1;
	yaml_parser_set_input_string(parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(parser, document)) {
		syntax_error(load, parser, text, len);
		return -1;
	}
	if (!yaml_parser_load(parser, &extra)) {
		syntax_error(load, parser, text, len);
		return -1;
	}
	if ((root = yaml_document_get_root_node(&extra)) != NULL)
		add_error(load, root->start_mark, "a second YAML document; "
		    "a configuration file holds one");
	yaml_document_delete(&extra);
	return load->error_total > 0 ? -1 : 0;
}

static int
error_order_cb(const void *a, const void *b)
{
	const struct config_error_line *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x->sequence < y->sequence ? -1 : x->sequence > y->sequence;
}

static void
report(struct config_load *load, FILE *errors)
{
	size_t i;

	if (errors == NULL || load->error_count == 0)
		return;
	qsort(load->errors, load->error_count, sizeof(*load->errors),
	    error_order_cb);
	for (i = 0; i < load->error_count; i++)
		fprintf(errors, "%s:%lu:%lu: %s\n", load->name,
		    load->errors[i].line, load->errors[i].column,
		    load->errors[i].message);
	if (load->error_total > load->error_count)
		fprintf(errors, "%s:%lu:%lu: too many errors, %zu more not "
		    "shown\n", load->name, (unsigned long)load->dropped.line + 1,
		    (unsigned long)load->dropped.column + 1,
		    load->error_total - load->error_count);
}

static void
walk_root(struct config_load *load)
{
	const yaml_node_t *root;
	char buf[96];

	root = yaml_document_get_root_node(load->document);
	if (root != NULL && is_null(root))
		root = NULL;
	if (root != NULL && root->type != YAML_MAPPING_NODE) {
		config_error(load, root, "expected a mapping of settings, "
		    "got %s", describe(root, buf, sizeof(buf)));
		return;
	}
	walk_mapping(load, &config_root, root, load->conf);
}

struct config *
config_load_string(const char *name, const char *text, size_t len,
    FILE *errors)
{
	struct config_load load;
	struct config *conf;
	yaml_parser_t parser;
	yaml_document_t document;

	conf = xcalloc(1, sizeof(*conf));
	conf->path = xstrdup(name);
	load_init(&load, name, &document, conf);
	if (!yaml_parser_initialize(&parser))
		fatalx_oom();
	if (read_document(&load, &parser, &document, text, len) == 0)
		walk_root(&load);
	yaml_document_delete(&document);
	yaml_parser_delete(&parser);
	report(&load, errors);
	if (load.error_total > 0) {
		config_free(conf);
		conf = NULL;
	}
	load_cleanup(&load);
	return conf;
}

/* Reads all of path into a new buffer; -1 with errno set. */
static int
read_file(const char *path, char **text, size_t *len)
{
	FILE *f;
	size_t used = 0, size = 0, n;
	char *buf = NULL;
	int saved;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	do {
		if (used == size) {
			if (size >= CONFIG_MAX_FILE) {
				fclose(f);
				free(buf);
				errno = EFBIG;
				return -1;
			}
			size = size ? size * 2 : 8192;
			buf = xrealloc(buf, size);
		}
		n = fread(buf + used, 1, size - used, f);
		used += n;
	} while (n > 0);
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		free(buf);
		errno = saved;
		return -1;
	}
	fclose(f);
	*text = buf;
	*len = used;
	return 0;
}

struct config *
config_load(const char *path, FILE *errors)
{
	struct config *conf;
	char *text;
	size_t len;

	if (read_file(path, &text, &len) == -1) {
		if (errors != NULL)
			fprintf(errors, "%s: cannot read: %s\n", path,
			    errno == EFBIG ? "larger than 16 MiB" :
			    strerror(errno));
		return NULL;
	}
	conf = config_load_string(path, text, len, errors);
	free(text);
	return conf;
}
