/*
 * fuzz_reply.c - libFuzzer target for flatbgpctl's side of the control
 * protocol: any bytes as a daemon reply go through the JSON parser
 * (json_tree.c over libyaml) and, when they parse, through every back
 * end.  A reply of the wrong shape (a list where an object belongs, a
 * string for a number) must render as something, never crash.  Its
 * corpus (tests/fuzz/corpus/reply) holds past crashers and wrong
 * shapes; seed a libFuzzer run with the tests/ctl/NAME.json files too.
 */
#include <stdint.h>
#include <stdio.h>

#include "json_tree.h"
#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct json_tree tree;
	char error[256];

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		return 0;
	if (json_tree_parse(&tree, (const char *)data, size, error,
	    sizeof(error)) == -1)
		return 0;
	output_error(sink, &tree);
	output_text(sink, &tree);
	output_json(sink, &tree);
	json_tree_free(&tree);
	return 0;
}
