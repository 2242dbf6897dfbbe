#!/usr/bin/env bash
# Compares the dynamic symbols libtollguard.so defines with the checked-in list: only tg_* may be exported,
# and adding or removing one is a deliberate change to tests/abi/symbols.txt (docs/ABI.md).
set -euo pipefail
lib="$1"; expected="$2"
actual=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | grep -v '^TOLLGUARD_1$' | sort)
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "exported symbols differ from $expected (see diff above)" >&2
  exit 1
fi
if printf '%s\n' "$actual" | grep -v '^tg_' >/dev/null; then
  echo "non-tg_ symbols exported" >&2
  exit 1
fi
echo "symbols: $(printf '%s\n' "$actual" | wc -l) exported, all tg_*, as listed"
