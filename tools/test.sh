#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, builds (default preset), runs ctest (all labels:
# unit, c_api, abi, cli, python, e2e, reliability, cluster, bench-smoke), then the ASan+UBSan build with the unit,
# C API, ABI and CLI tests, the TSan build with the concurrency tests, and the libFuzzer smoke runs.
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
    ctest --preset asan -j"$jobs" -L '^(unit|c_api|abi|cli)$' --timeout 900
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$jobs" --target unit_state c_api_test
  TSAN_OPTIONS=halt_on_error=1 ctest --preset tsan -R '^(ConcurrencyTest|ReloadTest|Stores/AccountStoreConcurrency|LiveCallsConcurrency)\.' --timeout 900
  # libFuzzer harnesses (clang-14), each for a bounded time on its committed corpus.
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j"$jobs" --target fuzz_normalize fuzz_policy fuzz_tables fuzz_snapshot fuzz_c_api fuzz_cdr
  ctest --test-dir build-fuzz -L fuzz-smoke --output-on-failure --timeout 300
fi
