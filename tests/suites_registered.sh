#!/usr/bin/env bash
# Every GoogleTest suite compiled into a test binary has its ctest entry (cmake/GTestSuites.cmake
# finds suites by reading the sources; a suite it missed would silently never run).
# Usage: suites_registered.sh BUILD_DIR PREFIX=BINARY...
set -uo pipefail
build=$1; shift
# Read the generated test files, not `ctest -N` (a nested ctest overwrites the running one's logs).
registered=$(find "$build" -name CTestTestfile.cmake -exec sed -n 's/^add_test(\[=\[\([^]]*\)\]=\].*/\1/p' {} +)
status=0
for pair in "$@"; do
  prefix=${pair%%=*}; binary=${pair#*=}
  suites=$("$binary" --gtest_list_tests | grep -E '^[A-Za-z0-9_/]+\.$' | sed 's/\.$//; s#^.*/##; s#/.*##' | sort -u)
  [[ -n $suites ]] || { echo "$binary lists no suites"; status=1; continue; }
  for s in $suites; do
    grep -qx "$prefix.$s" <<<"$registered" || { echo "suite $s of $binary has no ctest entry $prefix.$s"; status=1; }
  done
done
[[ $status == 0 ]] && echo "all suites registered"
exit $status
