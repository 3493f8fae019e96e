#!/bin/sh
# Builds flatbgp with sanitizers and -Werror and runs every test: unit,
# codec fixtures, configuration goldens, fuzz corpus replay, and the
# integration tests in network namespaces against BIRD, FRR, OpenBGPD and
# GoBGP.  Ends with one line "N passed, N failed, N skipped".
# Run as root (the integration tests create network namespaces).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
build=${FLATBGP_BUILD_DIR:-$top/build-tests}

if [ ! -x configure ]; then
	./autogen.sh >/dev/null 2>&1 || { echo "autogen.sh failed" >&2; exit 1; }
fi
mkdir -p "$build"
cd "$build" || exit 1
if [ ! -f Makefile ]; then
	"$top/configure" -q --enable-sanitizers --enable-werror || exit 1
fi
make -j2 >make.log 2>&1 || { tail -50 make.log; echo "build failed" >&2; exit 1; }
make -j2 check
status=$?
log=test-suite.log
count() { sed -n "s/^# $1: *\([0-9]*\).*/\1/p" "$log" | head -n 1; }
if [ -f "$log" ]; then
	# Failing tests' logs are in test-suite.log; show them for CI.
	[ "$status" -ne 0 ] && cat "$log"
	pass=$(count PASS); fail=$(count FAIL); error=$(count ERROR)
	skip=$(count SKIP); xpass=$(count XPASS)
	echo "${pass:-0} passed, $(( ${fail:-0} + ${error:-0} + ${xpass:-0} )) failed, ${skip:-0} skipped"
else
	echo "0 passed, 1 failed, 0 skipped"
	status=1
fi
exit $status
