/*
 * control_request.c - request words, command patterns and the handler
 * table of the control protocol.
 *
 * A request line is split into words; the words are matched against
 * every pattern, each giving either a match or a failure with the word
 * where it stopped and why.  The match wins; without one, the failure
 * that got furthest makes the error message, so "show neighbor
 * 10.0.0.300" says "invalid address", not "unknown command".  Pure
 * code: the daemon, flatbgpctl and the fuzzer share it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control_request.h"
#include "json_writer.h"
#include "log.h"
#include "prefix.h"

/* Failures in increasing order of helpfulness (at the same word). */
enum match_result {
	MATCH_UNKNOWN,		/* a literal did not match */
	MATCH_EXTRA,		/* words left after the pattern */
	MATCH_MISSING,		/* words ended before the pattern */
	MATCH_BAD_ARGUMENT,	/* not an address / prefix */
	MATCH_OK,
};

struct match {
	enum match_result	 result;
	size_t			 at;	/* word index where it stopped */
	size_t			 token;	/* token index where it stopped */
	size_t			 exact;	/* literals given in full */
	const char		*expanded[CONTROL_MAX_WORDS];
};

static const struct {
	const char		*name;
	enum control_token_kind	 kind;
} argument_kinds[] = {
	{ "ADDR", CONTROL_TOKEN_ADDRESS },
	{ "PREFIX", CONTROL_TOKEN_PREFIX },
};

int
control_request_parse(struct control_request *req, const char *line,
    size_t len, char *error, size_t error_size)
{
	size_t i;
	unsigned char c;

	req->word_count = 0;
	if (len > CONTROL_MAX_REQUEST) {
		snprintf(error, error_size, "request longer than %d bytes",
		    CONTROL_MAX_REQUEST);
		return -1;
	}
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	memcpy(req->text, line, len);
	req->text[len] = '\0';
	for (i = 0; i < len; i++) {
		c = (unsigned char)req->text[i];
		if (c == ' ' || c == '\t') {
			req->text[i] = '\0';
			continue;
		}
		if (c < 0x21 || c > 0x7e) {
			snprintf(error, error_size, "request holds a "
			    "non-printable byte (0x%02x)", c);
			return -1;
		}
		if (i > 0 && req->text[i - 1] != '\0')
			continue;
		if (req->word_count == CONTROL_MAX_WORDS) {
			snprintf(error, error_size, "request has more than "
			    "%d words", CONTROL_MAX_WORDS);
			return -1;
		}
		req->words[req->word_count++] = &req->text[i];
	}
	if (req->word_count == 0) {
		snprintf(error, error_size, "empty request");
		return -1;
	}
	return 0;
}

static bool
literal_valid(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return false;
	return true;
}

/* Fills t from one pattern word (NUL-terminated, may be changed). */
static int
token_compile(struct control_token *t, char *word)
{
	size_t len = strlen(word), i;

	if (word[0] == '[') {
		if (len < 3 || word[len - 1] != ']')
			return -1;
		word[len - 1] = '\0';
		word++;
		t->optional = true;
	}
	t->literal = word;
	for (i = 0; i < sizeof(argument_kinds) / sizeof(argument_kinds[0]);
	    i++)
		if (strcmp(word, argument_kinds[i].name) == 0) {
			t->kind = argument_kinds[i].kind;
			return 0;
		}
	t->kind = CONTROL_TOKEN_LITERAL;
	return literal_valid(word) ? 0 : -1;
}

int
control_pattern_compile(struct control_pattern *p, const char *text)
{
	char *word, *save = NULL;

	memset(p, 0, sizeof(*p));
	p->text = xstrdup(text);
	p->words = xstrdup(text);
	for (word = strtok_r(p->words, " ", &save); word != NULL;
	    word = strtok_r(NULL, " ", &save)) {
		if (p->token_count == CONTROL_MAX_WORDS ||
		    token_compile(&p->tokens[p->token_count], word) == -1)
			goto fail;
		p->token_count++;
	}
	if (p->token_count == 0)
		goto fail;
	return 0;
 fail:
	control_pattern_free(p);
	return -1;
}

void
control_pattern_free(struct control_pattern *p)
{
	free(p->text);
	free(p->words);
	memset(p, 0, sizeof(*p));
}

/* Does word stand for token t?  *exact tells a literal given in full. */
static bool
token_accepts(const struct control_token *t, const char *word,
    bool abbreviate, size_t *exact)
{
	struct ip_addr address;
	struct prefix prefix;

	*exact = 0;
	switch (t->kind) {
	case CONTROL_TOKEN_ADDRESS:
		return ip_addr_parse(word, &address) == 0;
	case CONTROL_TOKEN_PREFIX:
		return prefix_parse(word, &prefix, true) == 0;
	case CONTROL_TOKEN_LITERAL:
		break;
	}
	if (strcmp(word, t->literal) == 0) {
		*exact = 1;
		return true;
	}
	return abbreviate && strncmp(t->literal, word, strlen(word)) == 0;
}

/* Is a a better outcome than b?  Matches first, then furthest failure. */
static bool
match_better(const struct match *a, const struct match *b)
{
	if (a->result == MATCH_OK || b->result == MATCH_OK)
		return b->result != MATCH_OK ||
		    (a->result == MATCH_OK && a->exact > b->exact);
	if (a->at != b->at)
		return a->at > b->at;
	return a->result > b->result;
}

/*
 * Matches tokens ti.. of p against words wi..count, extending m.  An
 * optional token is tried both taken and skipped, keeping the better.
 */
static void
match_tokens(const struct control_pattern *p, size_t ti,
    const char *const *words, size_t wi, size_t count, bool abbreviate,
    struct match *m)
{
	const struct control_token *t;
	struct match skipped;
	size_t exact;

	if (ti == p->token_count) {
		m->result = wi == count ? MATCH_OK : MATCH_EXTRA;
		m->at = wi;
		m->token = ti;
		return;
	}
	t = &p->tokens[ti];
	if (t->optional) {
		skipped = *m;
		match_tokens(p, ti + 1, words, wi, count, abbreviate, &skipped);
	}
	m->at = wi;
	m->token = ti;
	if (wi == count)
		m->result = MATCH_MISSING;
	else if (!token_accepts(t, words[wi], abbreviate, &exact))
		m->result = t->kind == CONTROL_TOKEN_LITERAL ? MATCH_UNKNOWN :
		    MATCH_BAD_ARGUMENT;
	else {
		m->expanded[wi] = t->kind == CONTROL_TOKEN_LITERAL ?
		    t->literal : words[wi];
		m->exact += exact;
		match_tokens(p, ti + 1, words, wi + 1, count, abbreviate, m);
	}
	if (t->optional && match_better(&skipped, m))
		*m = skipped;
}

/* Joins words with blanks into buf (truncated to size). */
static const char *
join_words(const char *const *words, size_t count, char *buf, size_t size)
{
	size_t i, len = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < count && len < size; i++) {
		n = snprintf(buf + len, size - len, "%s%s", i ? " " : "",
		    words[i]);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return buf;
}

/* Writes the message for failure m of pattern p. */
static void
failure_message(const struct control_pattern *p, const struct match *m,
    const char *const *words, size_t count, char *error, size_t error_size)
{
	const struct control_token *t = &p->tokens[m->token];
	struct prefix prefix;
	char joined[256];

	switch (m->result) {
	case MATCH_BAD_ARGUMENT:
		if (t->kind == CONTROL_TOKEN_ADDRESS)
			snprintf(error, error_size, "invalid address: %s",
			    words[m->at]);
		else if (prefix_parse(words[m->at], &prefix, true) == -2)
			snprintf(error, error_size, "invalid prefix: %s has "
			    "bits set beyond its length", words[m->at]);
		else
			snprintf(error, error_size, "invalid prefix: %s",
			    words[m->at]);
		break;
	case MATCH_MISSING:
		snprintf(error, error_size, "missing %s (usage: %s)",
		    t->literal, p->text);
		break;
	case MATCH_EXTRA:
		snprintf(error, error_size, "unexpected word \"%s\" "
		    "(usage: %s)", words[m->at], p->text);
		break;
	default:
		snprintf(error, error_size, "unknown command: %s",
		    join_words(words, count, joined, sizeof(joined)));
		break;
	}
}

int
control_pattern_find(const struct control_pattern *patterns, size_t count,
    const char *const *words, size_t word_count, bool abbreviate,
    const char **expanded, char *error, size_t error_size)
{
	struct match best, m;
	size_t i, best_index = 0, rival = 0;
	bool ambiguous = false;
	char joined[256];

	if (word_count == 0 || word_count > CONTROL_MAX_WORDS || count == 0) {
		snprintf(error, error_size, "%s", word_count == 0 ?
		    "empty command" : "unknown command");
		return -1;
	}
	memset(&best, 0, sizeof(best));
	for (i = 0; i < count; i++) {
		memset(&m, 0, sizeof(m));
		match_tokens(&patterns[i], 0, words, 0, word_count, abbreviate,
		    &m);
		if (i > 0 && m.result == MATCH_OK &&
		    best.result == MATCH_OK && m.exact == best.exact) {
			ambiguous = true;
			rival = i;
		} else if (i == 0 || match_better(&m, &best)) {
			best = m;
			best_index = i;
			ambiguous = false;
		}
	}
	if (best.result != MATCH_OK) {
		failure_message(&patterns[best_index], &best, words,
		    word_count, error, error_size);
		return -1;
	}
	if (ambiguous) {
		snprintf(error, error_size, "ambiguous command: %s (%s, %s, "
		    "...)", join_words(words, word_count, joined,
		    sizeof(joined)), patterns[best_index].text,
		    patterns[rival].text);
		return -1;
	}
	memcpy(expanded, best.expanded, word_count * sizeof(*expanded));
	return (int)best_index;
}

void
control_table_init(struct control_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
control_table_free(struct control_table *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		control_pattern_free(&t->patterns[i]);
	free(t->patterns);
	free(t->handlers);
	memset(t, 0, sizeof(*t));
}

void
control_table_add(struct control_table *t, const char *pattern,
    control_handler_cb *cb, void *arg)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		if (strcmp(t->patterns[i].text, pattern) == 0)
			fatal("control: command \"%s\" registered twice",
			    pattern);
	t->patterns = xreallocarray(t->patterns, t->count + 1,
	    sizeof(*t->patterns));
	t->handlers = xreallocarray(t->handlers, t->count + 1,
	    sizeof(*t->handlers));
	if (control_pattern_compile(&t->patterns[t->count], pattern) == -1)
		fatal("control: malformed command pattern \"%s\"", pattern);
	t->handlers[t->count].cb = cb;
	t->handlers[t->count].arg = arg;
	t->count++;
}

int
control_table_call(const struct control_table *t,
    const struct control_request *req, struct json_writer *out)
{
	const struct control_handler *h;
	const char *words[CONTROL_MAX_WORDS];
	char error[CONTROL_ERROR_SIZE];
	int i, rc;

	i = control_pattern_find(t->patterns, t->count, req->words,
	    req->word_count, false, words, error, sizeof(error));
	if (i == -1) {
		control_write_error(out, error);
		return -1;
	}
	h = &t->handlers[i];
	error[0] = '\0';
	rc = h->cb(h->arg, words, req->word_count, out, error, sizeof(error));
	if (rc < 0) {
		control_write_error(out, error[0] != '\0' ? error :
		    "command failed");
		return -1;
	}
	return rc;
}

void
control_write_error(struct json_writer *out, const char *message)
{
	control_write_error_details(out, message, NULL, 0);
}

void
control_write_error_details(struct json_writer *out, const char *message,
    const char *const *details, size_t detail_count)
{
	size_t i;

	json_writer_reset(out);
	json_writer_object_begin(out);
	json_writer_member_string(out, "error", message);
	if (details != NULL) {
		json_writer_key(out, "details");
		json_writer_array_begin(out);
		for (i = 0; i < detail_count; i++)
			json_writer_string(out, details[i]);
		json_writer_array_end(out);
	}
	json_writer_object_end(out);
}
