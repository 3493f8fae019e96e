/*
 * parser.c - flatbgpctl's command table and its matching.
 *
 * One table lists every command with its help line; the patterns are
 * the protocol's own (control_proto.h) and the matching is the
 * daemon's (control_request.c), with abbreviations allowed.  So the
 * CLI refuses "show neighbor 10.0.0.300" with the daemon's words,
 * without connecting, and never sends an abbreviation.
 */
#include <stdio.h>
#include <string.h>

#include "control_proto.h"
#include "control_request.h"
#include "log.h"
#include "parser.h"

static const struct ctl_command commands[] = {
	{ CONTROL_SHOW_NEIGHBORS, "one line per neighbor", false },
	{ CONTROL_SHOW_SUMMARY, "the same as show neighbors", false },
	{ CONTROL_SHOW_NEIGHBOR, "details of one neighbor", false },
	{ CONTROL_SHOW_RIB, "the Loc-RIB, or the paths of one prefix", false },
	{ CONTROL_SHOW_FIB, "the routes installed in the kernel", false },
	{ CONTROL_SHOW_ORIGINATED, "what this node advertises, and why",
	  false },
	{ CONTROL_SHOW_MEMORY, "object counts and memory use", false },
	{ CONTROL_CLEAR_NEIGHBOR, "reset a session; soft: route refresh",
	  false },
	{ CONTROL_RELOAD, "reload the configuration", false },
	{ "help", "this list", true },
};

#define COMMAND_COUNT	(sizeof(commands) / sizeof(commands[0]))

/* The words as the daemon would split them: printable, no blanks. */
static int
words_check(int argc, char *const *argv, char *error, size_t error_size)
{
	const char *p;
	int i;

	if (argc > CONTROL_MAX_WORDS) {
		snprintf(error, error_size, "too many words (at most %d)",
		    CONTROL_MAX_WORDS);
		return -1;
	}
	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '\0') {
			snprintf(error, error_size, "empty word");
			return -1;
		}
		for (p = argv[i]; *p != '\0'; p++)
			if (*p < 0x21 || *p > 0x7e) {
				snprintf(error, error_size, "word %d holds a "
				    "blank or a non-printable character",
				    i + 1);
				return -1;
			}
	}
	return 0;
}

/* Joins words with blanks and a final newline into line. */
static int
line_write(const char *const *words, size_t count, char *line, size_t size,
    char *error, size_t error_size)
{
	size_t i, len = 0, n;

	for (i = 0; i < count; i++) {
		n = strlen(words[i]);
		if (len + n + 2 > size || len + n + 2 > CONTROL_MAX_REQUEST) {
			snprintf(error, error_size, "command too long");
			return -1;
		}
		memcpy(line + len, words[i], n);
		len += n;
		line[len++] = i + 1 < count ? ' ' : '\n';
	}
	line[len] = '\0';
	return 0;
}

const struct ctl_command *
parser_resolve(int argc, char *const *argv, char *line, size_t line_size,
    char *error, size_t error_size)
{
	struct control_pattern patterns[COMMAND_COUNT];
	const char *expanded[CONTROL_MAX_WORDS];
	size_t i;
	int found;

	if (words_check(argc, argv, error, error_size) == -1)
		return NULL;
	for (i = 0; i < COMMAND_COUNT; i++)
		if (control_pattern_compile(&patterns[i],
		    commands[i].pattern) == -1)
			fatal("bad command pattern \"%s\"",
			    commands[i].pattern);
	found = control_pattern_find(patterns, COMMAND_COUNT,
	    (const char *const *)argv, (size_t)argc, true, expanded, error,
	    error_size);
	if (found != -1 && line_write(expanded, (size_t)argc, line, line_size,
	    error, error_size) == -1)
		found = -1;
	for (i = 0; i < COMMAND_COUNT; i++)
		control_pattern_free(&patterns[i]);
	return found == -1 ? NULL : &commands[found];
}

void
parser_help(FILE *out)
{
	size_t i;

	fprintf(out, "commands (words may be abbreviated while unambiguous):"
	    "\n");
	for (i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-28s %s\n", commands[i].pattern,
		    commands[i].help);
}
