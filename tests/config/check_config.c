/*
 * check_config.c - the golden-test driver: loads one configuration file
 * and prints, on stdout, either its canonical dump (config_print) or
 * the error lines config_load() wrote, exactly as flatbgpd -n would.
 *
 *	check_config FILE	dump or errors; exit 0 either way
 *	check_config -r FILE	round trip: the dump read back must load
 *				and dump to the same text; exit 1 if not
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* By path: the top directory's autoconf config.h would shadow it. */
#include "../../src/config.h"

/* The dump of conf, as a new string. */
static char *
dump(const struct config *conf, size_t *len)
{
	char *text = NULL;
	FILE *f;

	if ((f = open_memstream(&text, len)) == NULL) {
		perror("open_memstream");
		exit(2);
	}
	config_print(conf, f);
	fclose(f);
	return text;
}

static int
round_trip(const char *path)
{
	struct config *conf, *again;
	char *first, *second;
	size_t len, len2;
	int rc = 0;

	if ((conf = config_load(path, stdout)) == NULL)
		return 0;	/* an error case: nothing to round-trip */
	first = dump(conf, &len);
	if ((again = config_load_string("(dump)", first, len, stdout)) ==
	    NULL) {
		printf("the dump of %s does not load:\n%s", path, first);
		rc = 1;
	} else {
		second = dump(again, &len2);
		if (strcmp(first, second) != 0) {
			printf("the dump changed on reading it back:\n%s---\n"
			    "%s", first, second);
			rc = 1;
		}
		free(second);
		config_free(again);
	}
	free(first);
	config_free(conf);
	return rc;
}

int
main(int argc, char **argv)
{
	struct config *conf;

	if (argc == 3 && strcmp(argv[1], "-r") == 0)
		return round_trip(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: check_config [-r] FILE\n");
		return 2;
	}
	if ((conf = config_load(argv[1], stdout)) != NULL) {
		config_print(conf, stdout);
		config_free(conf);
	}
	return 0;
}
