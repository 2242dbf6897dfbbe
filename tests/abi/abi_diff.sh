#!/usr/bin/env bash
# The abidiff gate of libtollguard.so (docs/ABI.md), after zlib-ng's: the ABI of the public headers, read
# from the library's DWARF, against the checked-in baseline tests/abi/baseline.abi.
#
#   abi_diff.sh check        BASELINE LIB HEADERS   any difference (abidiff exit status != 0) fails
#   abi_diff.sh expect-break BASELINE LIB HEADERS   passes only when abidiff reports an incompatible change of
#                                                   tg_decision (the deliberately broken header of tests/abi/broken)
#   abi_diff.sh update       BASELINE LIB HEADERS   rewrites BASELINE from LIB (a deliberate ABI change)
#
# HEADERS: the folders of LIB's public headers, colon-separated (include/tollguard and the generated
# version.h's folder). The baseline's side always uses the real headers: TG_ABI_BASELINE_HEADERS, or HEADERS.
# Exit 77 (ctest: skipped) when abigail-tools is missing or LIB has no debug information.
set -euo pipefail
mode="$1"; baseline="$2"; lib="$3"; headers="$4"
base_headers="${TG_ABI_BASELINE_HEADERS:-$headers}"
skip() { echo "abi_diff: SKIPPED: $*"; exit 77; }

command -v abidw >/dev/null && command -v abidiff >/dev/null || skip "abigail-tools is not installed (tools/install-deps.sh --all)"
[ -f "$lib" ] || { echo "abi_diff: no library at $lib" >&2; exit 1; }
if ! readelf -S --wide "$lib" 2>/dev/null | grep -q '\.debug_info'; then
  skip "$lib has no debug information (build RelWithDebInfo or Debug)"
fi

hd_args() {  # --headers-dir<N> per folder
  local flag="$1" list="$2" d
  IFS=: read -r -a dirs <<<"$list"
  for d in "${dirs[@]}"; do printf '%s\n%s\n' "$flag" "$d"; done
}
mapfile -t h1 < <(hd_args --headers-dir1 "$base_headers")
mapfile -t h2 < <(hd_args --headers-dir2 "$headers")
mapfile -t hw < <(hd_args --headers-dir "$headers")

case "$mode" in
  update)
    abidw "${hw[@]}" --exported-interfaces-only --drop-private-types --no-corpus-path --no-comp-dir-path \
      --no-elf-needed --short-locs --out-file "$baseline" "$lib"
    echo "abi_diff: wrote $baseline ($(grep -c '<function-decl' "$baseline") functions) from $lib"
    ;;
  check)
    set +e
    report=$(abidiff "${h1[@]}" "${h2[@]}" --exported-interfaces-only --fail-no-debug-info "$baseline" "$lib" 2>&1)
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
      printf '%s\n' "$report"
      echo "abi_diff: FAILED: abidiff exit status $rc (bits: 1 error, 2 usage, 4 ABI change, 8 incompatible change)."
      echo "abi_diff: the ABI of $lib differs from $baseline. If the change is deliberate and compatible"
      echo "abi_diff: (docs/ABI.md: appended fields, new functions), update the baseline in the same commit:"
      echo "abi_diff:   cmake --build <build> --target abi_baseline"
      exit 1
    fi
    echo "abi_diff: $lib matches $baseline (abidiff exit status 0)"
    ;;
  expect-break)
    set +e
    report=$(abidiff "${h1[@]}" "${h2[@]}" --exported-interfaces-only --fail-no-debug-info "$baseline" "$lib" 2>&1)
    rc=$?
    set -e
    printf '%s\n' "$report"
    if (( rc & 3 )); then echo "abi_diff: FAILED: abidiff could not run (exit status $rc)"; exit 1; fi
    if (( (rc & 4) == 0 )); then echo "abi_diff: FAILED: abidiff did not see the broken header (exit status $rc)"; exit 1; fi
    if ! grep -q "struct tg_decision" <<<"$report" || ! grep -Eq "data member .*insert|offset changed" <<<"$report"; then
      echo "abi_diff: FAILED: abidiff reported a change, but not the field inserted into tg_decision"
      exit 1
    fi
    echo "abi_diff: the broken header was caught (abidiff exit status $rc)"
    ;;
  *) echo "usage: $0 check|expect-break|update BASELINE LIB HEADERS" >&2; exit 2 ;;
esac
