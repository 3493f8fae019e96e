/*
 * fuzz_k8s_decode.c - libFuzzer target for the Kubernetes and CNI
 * decoders (k8s_decode.c).
 *
 * Every input goes through all four decoders, as the daemon would feed
 * an API reply or a conflist of any content to them.  Beyond not
 * crashing, each successful decode must return 1..K8S_CIDRS_MAX
 * distinct prefixes without host bits, and the error text must be a
 * terminated string; a violation aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int rc, const struct k8s_cidrs *set, const char *error)
{
	struct prefix clean;
	size_t i, j;

	if (rc != 0) {
		if (rc != -1 || memchr(error, '\0', 256) == NULL)
			abort();
		return;
	}
	if (set->count == 0 || set->count > K8S_CIDRS_MAX)
		abort();
	for (i = 0; i < set->count; i++) {
		prefix_set(&clean, set->items[i].family, set->items[i].length,
		    set->items[i].bytes);
		if (!prefix_equal(&clean, &set->items[i]))
			abort();
		for (j = 0; j < i; j++)
			if (prefix_equal(&set->items[i], &set->items[j]))
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct k8s_cidrs set;
	char error[256], message[256];
	int rc;

	memset(error, 'x', sizeof(error));
	rc = k8s_decode_node(text, size, &set, error, sizeof(error));
	check(rc, &set, error);
	memset(error, 'x', sizeof(error));
	rc = k8s_decode_kubeadm_config(text, size, &set, error, sizeof(error));
	check(rc, &set, error);
	memset(error, 'x', sizeof(error));
	rc = k8s_decode_cni_config(text, size, &set, error, sizeof(error));
	check(rc, &set, error);
	k8s_decode_status(text, size, message, sizeof(message));
	if (memchr(message, '\0', sizeof(message)) == NULL)
		abort();
	return 0;
}
