/*
 * replay.c - runs a libFuzzer target over a corpus without libFuzzer.
 *
 * Linked with one fuzz target (LLVMFuzzerTestOneInput), it feeds every
 * regular file of each directory argument (or REPLAY_CORPUS when there
 * are none) to the target and prints one TAP line per file.  A crash or
 * a broken invariant (abort) fails the test; under --enable-sanitizers
 * so does any memory error.  This keeps every past crasher and every
 * seed a regression test in "make check".
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tap.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define REPLAY_MAX_INPUT	(1 << 20)

static unsigned char input[REPLAY_MAX_INPUT];

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(input, 1, sizeof(input), f);
	fclose(f);
	LLVMFuzzerTestOneInput(input, n);
	return 0;
}

/* Sorted names, so the TAP numbering is stable. */
static int
name_compare_cb(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
replay_dir(const char *dir)
{
	char path[4096], **names = NULL;
	struct dirent *entry;
	struct stat st;
	size_t count = 0, cap = 0, i;
	DIR *d = opendir(dir);

	if (d == NULL)
		return 0;
	while ((entry = readdir(d)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL)
				abort();
		}
		if ((names[count] = strdup(entry->d_name)) == NULL)
			abort();
		count++;
	}
	closedir(d);
	if (count > 0)
		qsort(names, count, sizeof(*names), name_compare_cb);
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			ok(replay_file(path) == 0, "%s", names[i]);
		free(names[i]);
	}
	free(names);
	return count;
}

int
main(int argc, char **argv)
{
	size_t total = 0;
	int i;

	if (argc < 2) {
#ifdef REPLAY_CORPUS
		total = replay_dir(REPLAY_CORPUS);
		ok(total > 0, "corpus %s is not empty", REPLAY_CORPUS);
#else
		fprintf(stderr, "usage: %s CORPUS-DIR...\n", argv[0]);
		return 2;
#endif
	}
	for (i = 1; i < argc; i++) {
		total = replay_dir(argv[i]);
		ok(total > 0, "corpus %s is not empty", argv[i]);
	}
	return tap_done();
}
