#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, builds (default preset), runs ctest (all labels), then
# the ASan+UBSan build with the unit and C API tests and the TSan build with the concurrency tests.
# TG_QUICK=1 skips the sanitizer builds. Usage: tools/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
tools/install-deps.sh --all
cmake --preset default >/dev/null
cmake --build --preset default -j"$jobs"
ctest --preset default -j"$jobs" --timeout 600
if [ "${TG_QUICK:-0}" != 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset asan -j"$jobs" -L 'unit|c_api|abi|cli' --timeout 900
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$jobs" --target c_api_test
  TSAN_OPTIONS=halt_on_error=1 ctest --preset tsan -R 'Concurrency|Reload' --timeout 900
fi
