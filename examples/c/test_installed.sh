#!/bin/bash
# ctest c_example_installed (label e2e): installs the build tree into a temporary prefix, builds this
# example against it twice -- CMake find_package (CMAKE_PREFIX_PATH) and the Makefile (pkg-config) -- and runs
# both: decisions on the routing thread, a policy reload on SIGHUP, the state saved on exit.
#   test_installed.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tollguard-c-example-XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$tmp"/*/out "$tmp"/*/err; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log" || fail "cmake --install"
pc=$(find "$tmp/prefix" -name tollguard.pc | head -1)
[ -n "$pc" ] || fail "no tollguard.pc installed"
echo "installed into $tmp/prefix"

# 1. CMake: find_package(tollguard CONFIG REQUIRED)
cmake -S "$src/examples/c" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Release \
  > "$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; fail "cmake configure (find_package)"; }
cmake --build "$tmp/cmake" > "$tmp/cmake-build.log" 2>&1 || { cat "$tmp/cmake-build.log"; fail "cmake build"; }
echo "built with find_package"

# 2. make + pkg-config. --define-prefix: the .pc file names the configure-time prefix, not the temporary one.
mkdir "$tmp/make"
PKG_CONFIG_PATH="$(dirname "$pc")" make -C "$tmp/make" -f "$src/examples/c/Makefile" \
  PKG_CONFIG="pkg-config --define-prefix" > "$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; fail "make (pkg-config)"; }
echo "built with pkg-config"

wait_for() {  # PATTERN FILE
  for _ in $(seq 100); do grep -q -- "$1" "$2" && return 0; sleep 0.1; done
  fail "timeout waiting for '$1' in $2"
}

run() {  # EXE NAME
  local exe=$1 dir=$tmp/run-$2 pid
  mkdir "$dir"
  # always_open: no night or weekend points, so the decisions do not depend on when the test runs
  local v1='name: "example v1" profiles { name: "default" hours { always_open: true } }'
  echo "$v1" > "$dir/policy.textproto"
  mkfifo "$dir/in"
  "$exe" "$dir/policy.textproto" "$dir/state" < "$dir/in" > "$dir/out" 2> "$dir/err" &
  pid=$!
  pids+=("$pid")
  exec 3> "$dir/in"
  echo "office-1 0312345678 60" >&3
  echo "office-1 +4930999456 30" >&3
  wait_for "^call 2 " "$dir/out"
  echo "$v1 tables { override { prefix: \"4930999\" action: BLOCK } }" > "$dir/policy.textproto"
  kill -HUP "$pid"
  wait_for "^policy reloaded" "$dir/out"
  echo "office-1 +4930999456 30" >&3
  exec 3>&-
  wait "$pid" || fail "$2: exit status $?"
  grep -q "^call 1 office-1 0312345678: allow " "$dir/out" || fail "$2: domestic call not allowed"
  grep -q "^call 2 office-1 +4930999456: allow " "$dir/out" || fail "$2: call before the reload not allowed"
  grep -q "^call 3 office-1 +4930999456: block .*reason=deny_list" "$dir/out" || fail "$2: no block after SIGHUP"
  grep -q "^state saved to " "$dir/out" && [ -s "$dir/state" ] || fail "$2: state not saved"
  [ ! -s "$dir/err" ] || fail "$2: stderr not empty"
  # the saved state loads on the next start
  echo "office-1 0312345678 5" | "$exe" "$dir/policy.textproto" "$dir/state" > "$dir/out2" 2>&1 \
    || fail "$2: restart with the saved state"
  grep -q "^call 1 office-1 0312345678: allow" "$dir/out2" || fail "$2: restart output"
  echo "$2: ok"
  sed 's/^/  /' "$dir/out"
}

run "$tmp/cmake/tollguard_example" find_package
run "$tmp/make/tollguard_example" pkg-config
echo "PASS"
