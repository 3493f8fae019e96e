#!/bin/sh
# run.sh - the golden tests of the configuration, as TAP.
#
# Every cases/N.yaml is loaded by check_config and its output (the
# canonical dump, or the error lines) must equal cases/N.ok byte for
# byte; a case that loads must also survive the round trip through its
# own dump (check_config -r).  The ${VAR} cases rely on the variables
# set below.  FLATBGP_UPDATE_GOLDEN=1 rewrites the .ok files instead of
# comparing: review every changed line before committing it.
# CHECK_WRAPPER runs check_config under a tool, e.g.
# CHECK_WRAPPER="valgrind -q --leak-check=full --error-exitcode=9".

srcdir=${top_srcdir:-$(dirname "$0")/../..}/tests/config
check=${top_builddir:-$(dirname "$0")/../..}/tests/config/check_config
case $check in /*) ;; *) check=$(pwd)/$check ;; esac
cd "$srcdir/cases" || { echo "Bail out! no $srcdir/cases"; exit 1; }

FLATBGP_TEST_NODE=kind-worker2
FLATBGP_TEST_ASN=65010
FLATBGP_TEST_EMPTY=
FLATBGP_TEST_BAD_UTF8=$(printf 'a\377b')
export FLATBGP_TEST_NODE FLATBGP_TEST_ASN FLATBGP_TEST_EMPTY \
    FLATBGP_TEST_BAD_UTF8
unset FLATBGP_TEST_UNSET

tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
n=0
for yaml in *.yaml; do
	name=${yaml%.yaml}
	n=$((n + 1))
	$CHECK_WRAPPER "$check" "$yaml" >"$tmp" 2>&1
	rc=$?
	if [ -n "$FLATBGP_UPDATE_GOLDEN" ]; then
		cp "$tmp" "$name.ok"
	fi
	if [ $rc -eq 0 ] && cmp -s "$tmp" "$name.ok"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (exit $rc)"
		diff -u "$name.ok" "$tmp" | sed 's/^/# /'
	fi
	head -n 1 "$name.ok" | grep -q '^# flatbgp configuration' || continue
	n=$((n + 1))
	if $CHECK_WRAPPER "$check" -r "$yaml" >"$tmp" 2>&1; then
		echo "ok $n - $name: the dump reads back to itself"
	else
		echo "not ok $n - $name: the dump does not read back to itself"
		sed 's/^/# /' "$tmp"
	fi
done
# The example configuration shipped in etc/ must be valid.
example=$srcdir/../../etc/flatbgp.conf
n=$((n + 1))
if $CHECK_WRAPPER "$check" "$example" >"$tmp" 2>&1 &&
    head -n 1 "$tmp" | grep -q '^# flatbgp configuration' &&
    $CHECK_WRAPPER "$check" -r "$example" >"$tmp" 2>&1; then
	echo "ok $n - etc/flatbgp.conf is valid and reads back to itself"
else
	echo "not ok $n - etc/flatbgp.conf"
	sed 's/^/# /' "$tmp"
fi
echo "1..$n"
