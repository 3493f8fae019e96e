/*
 * parser.h - flatbgpctl's command table.
 *
 * The command line is checked against the patterns of the control
 * protocol before connecting: words may be abbreviated as long as they
 * stay unambiguous ("sh nei" is "show neighbors"), addresses and
 * prefixes must parse, and what goes to the daemon is the canonical
 * request line.
 */
#ifndef FLATBGP_CTL_PARSER_H
#define FLATBGP_CTL_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ctl_command {
	const char	*pattern;	/* control_proto.h syntax */
	const char	*help;
	bool		 local;		/* answered without the daemon */
};

/*
 * Resolves the words of argv[0..argc) to a command and writes its
 * request line, newline included, into line.  Returns the command, or
 * NULL with a message in error.
 */
const struct ctl_command *parser_resolve(int argc, char *const *argv,
    char *line, size_t line_size, char *error, size_t error_size);
/* The list of commands, for "help" and -h. */
void parser_help(FILE *out);

#endif /* FLATBGP_CTL_PARSER_H */
