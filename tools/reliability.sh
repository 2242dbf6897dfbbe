#!/usr/bin/env bash
# The long reliability run (docs/RELIABILITY.md): every fuzz harness for 10 minutes, the fault tests in their
# long variants (300 SIGKILLs during save, a 10-million-account attack, a 60-second soak), then a summary.
# ctest runs the short variants of all of this on every build (labels fuzz-smoke, reliability).
#
# Usage: tools/reliability.sh [options]
#   --fuzz-seconds N   seconds per fuzz harness (default 600)
#   --jobs N           fuzz harnesses run side by side (default 2)
#   --soak-seconds N   soak duration (default 60)
#   --attack N         distinct accounts of the memory-cap attack (default 10000000)
#   --kill-rounds N    SIGKILLs during tg_engine_save_state (default 300)
#   --skip-fuzz | --skip-faults
#   --merge            add the inputs the fuzzers found that grow coverage to tests/fuzz/corpus (minimized)
#   --build DIR        gcc build for the fault tests (default build, the `default` preset)
#   --fuzz-build DIR   clang build for the fuzzers (default build-fuzz, the `fuzz` preset)
# Exit status: 0 when everything passed. Crashes are kept under <fuzz-build>/reliability/<harness>/.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fuzz_seconds=600 jobs=2 soak=60 attack=10000000 kills=300 do_fuzz=1 do_faults=1 merge=0
build=build fuzz_build=build-fuzz
while [ $# -gt 0 ]; do
  case "$1" in
    --fuzz-seconds) fuzz_seconds=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --soak-seconds) soak=$2; shift ;;
    --attack) attack=$2; shift ;;
    --kill-rounds) kills=$2; shift ;;
    --skip-fuzz) do_fuzz=0 ;;
    --skip-faults) do_faults=0 ;;
    --merge) merge=1 ;;
    --build) build=$2; shift ;;
    --fuzz-build) fuzz_build=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "reliability.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

summary=()
failed=0
note() { summary+=("$1"); }

# ------------------------------------------------------------------------------------------------ fuzzing
fuzz_one() {  # name -> runs one harness, writes <work>/result
  local name=$1 work="$root/$fuzz_build/reliability/$1"
  mkdir -p "$work/corpus" "$work/crashes"
  local opts=(-max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
              -artifact_prefix="$work/crashes/")
  case "$name" in
    policy) opts+=(-dict="$root/tests/fuzz/dict/policy.dict") ;;
    cdr) opts+=(-dict="$root/tests/fuzz/dict/cdr.dict") ;;
    snapshot|c_api) opts+=(-max_len=8192) ;;
  esac
  ( cd "$work" && "$root/$fuzz_build/bin/fuzz_$name" "${opts[@]}" "$work/corpus" "$root/tests/fuzz/corpus/$name" \
      >"$work/log" 2>&1 )
  local rc=$?
  local runs cov crashes
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$work/log" | grep -Eo '[0-9]+$' || echo 0)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$work/log" | tail -1)
  crashes=$(find "$work/crashes" -type f | wc -l)
  echo "$rc|$runs|$cov|$crashes" >"$work/result"
}

if [ "$do_fuzz" = 1 ]; then
  echo "== fuzzing: ${fuzz_seconds}s per harness, $jobs at a time ($fuzz_build)"
  if [ ! -f "$fuzz_build/CMakeCache.txt" ]; then cmake --preset fuzz >/dev/null || exit 1; fi
  cmake --build "$fuzz_build" -j"$jobs" || exit 1
  harnesses=()
  for f in "$fuzz_build"/bin/fuzz_*; do
    n=$(basename "$f"); n=${n#fuzz_}
    case "$n" in replay_*|open_findings_test) continue ;; esac
    harnesses+=("$n")
  done
  running=0
  for n in "${harnesses[@]}"; do
    echo "   fuzz_$n ..."
    fuzz_one "$n" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  done
  wait
  for n in "${harnesses[@]}"; do
    work="$fuzz_build/reliability/$n"
    IFS='|' read -r rc runs cov crashes <"$work/result"
    if [ "$rc" = 0 ] && [ "$crashes" = 0 ]; then status=PASS; else status=FAIL; failed=1; fi
    rate=$(( runs / (fuzz_seconds > 0 ? fuzz_seconds : 1) ))
    note "$(printf '%-4s fuzz_%-10s %10s runs in %ss (%s/s), %s, %s crash(es)%s' "$status" "$n" "$runs" \
      "$fuzz_seconds" "$rate" "${cov:-cov: ?}" "$crashes" "$([ "$crashes" != 0 ] && echo ": $work/crashes")")"
    if [ "$merge" = 1 ] && [ "$status" = PASS ]; then
      "$fuzz_build/bin/fuzz_$n" -merge=1 "$root/tests/fuzz/corpus/$n" "$work/corpus" >"$work/merge.log" 2>&1
      note "     merged: $(grep -Eo 'MERGE-OUTER: [0-9]+ new files' "$work/merge.log" || echo 'see merge.log')"
    fi
  done
fi

# ------------------------------------------------------------------------------------------------ faults
if [ "$do_faults" = 1 ]; then
  echo "== fault tests, long variants ($build)"
  if [ ! -f "$build/CMakeCache.txt" ]; then cmake --preset default >/dev/null || exit 1; fi
  cmake --build "$build" -j"$jobs" --target reliability_test || exit 1
  bin="$build/bin/reliability_test"
  export TG_RELIABILITY_LONG=1 TG_SOAK_SECONDS="$soak" TG_ATTACK_ACCOUNTS="$attack" TG_KILL_ROUNDS="$kills"
  # One process per test, as ctest runs them (memory is measured per process).
  mapfile -t tests < <("$bin" --gtest_list_tests | awk '/^[^ ]/ {s=$1} /^  / {print s $1}' | grep -v DISABLED_)
  for t in "${tests[@]}"; do
    echo "   $t ..."
    start=$(date +%s)
    out=$("$bin" --gtest_filter="$t" 2>&1)
    rc=$?
    secs=$(( $(date +%s) - start ))
    line=$(printf '%s\n' "$out" | grep -E '^(kill-during-save|file too large|disk full|unwritable folder|reload-broken-policy|memory-cap|live-call flood|soak):' | head -3 | tr '\n' ' ')
    if [ $rc -eq 0 ]; then
      if printf '%s\n' "$out" | grep -q '\[  SKIPPED \]'; then status=SKIP; else status=PASS; fi
    else
      status=FAIL; failed=1
      printf '%s\n' "$out" | grep -E 'Failure|Expected|Which is|actual' | head -20
    fi
    note "$(printf '%-4s %-75s %4ss  %s' "$status" "$t" "$secs" "$line")"
  done
fi

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
printf '%s\n' "${summary[@]}"
exit $failed
