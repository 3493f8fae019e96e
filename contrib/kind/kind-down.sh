#!/bin/bash
#
# kind-down.sh - undoes kind-up.sh: removes the flatbgpd sidecars, deletes
# the kind clusters and the work directory (configurations, tokens).
#
#   contrib/kind/kind-down.sh
#
# Environment: FLATBGP_KIND_WORK, KIND_CLUSTERS as for kind-up.sh. Only
# the containers kind-up.sh names (flatbgp-NODE) and the clusters it
# creates are touched; the image flatbgp:dev is kept (docker rmi it).

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
WORK=${FLATBGP_KIND_WORK:-$here/.work}
read -r -a CLUSTERS <<<"${KIND_CLUSTERS:-cluster1 cluster2 cluster3}"

for tool in docker kind; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "kind-down.sh: $tool not found" >&2
		exit 1
	}
done

for c in "${CLUSTERS[@]}"; do
	if ! kind get clusters 2>/dev/null | grep -qx "$c"; then
		echo "$c: not there"
		continue
	fi
	for node in $(kind get nodes --name "$c"); do
		if docker rm -f "flatbgp-$node" >/dev/null 2>&1; then
			echo "flatbgp-$node removed"
		fi
	done
	kind delete cluster --name "$c"
done
case $WORK in
"$here"/.work | /tmp/*) rm -rf "$WORK" ;;
*) echo "kind-down.sh: leaving $WORK (not under $here or /tmp)" ;;
esac
