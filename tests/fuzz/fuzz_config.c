/*
 * fuzz_config.c - libFuzzer target for the configuration loader.
 *
 * Loads the input with config_load_string(), error lines written to
 * /dev/null so that their formatting runs too.  When the input loads,
 * its dump must load again and dump to the same text (the printconf
 * round trip), so the fuzzer also checks printconf and every value
 * type against the parser; a mismatch aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* By path: the top directory's autoconf config.h would shadow it. */
#include "../../src/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
dump(const struct config *conf, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (f == NULL)
		abort();
	config_print(conf, f);
	fclose(f);
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct config *conf, *again;
	char *first, *second;
	size_t len, len2;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	conf = config_load_string("fuzz", (const char *)data, size, sink);
	if (conf == NULL)
		return 0;
	first = dump(conf, &len);
	if ((again = config_load_string("dump", first, len, stderr)) == NULL) {
		fprintf(stderr, "the dump does not load:\n%s", first);
		abort();
	}
	second = dump(again, &len2);
	if (len != len2 || memcmp(first, second, len) != 0) {
		fprintf(stderr, "the dump changed:\n%s---\n%s", first, second);
		abort();
	}
	free(first);
	free(second);
	config_free(again);
	config_free(conf);
	return 0;
}
