#!/bin/sh
# The full run behind docs/PERFORMANCE.md: machine facts, the benchmarks on the 1M world, callgrind's
# instructions and LL misses per decision (cold and hot), and a syscall count of the decision path.
#   bench/run_full.sh [BUILD_DIR] [OUT_DIR]      (defaults: build-bench, /tmp/tollguard_perf)
# Waits (up to 30 min) for the 1-minute load average to drop below 1.0 before timing anything
# (TG_BENCH_NO_WAIT=1: do not wait). World size: TG_BENCH_* variables (bench/world.h).
# Then: python3 bench/summarize.py OUT_DIR  prints the results table.
set -eu
BUILD=${1:-build-bench}
OUT=${2:-/tmp/tollguard_perf}
BIN=$BUILD/bench/tollguard_bench
MIN_TIME=${TG_BENCH_MIN_TIME:-2}
N=${TG_PROFILE_DECISIONS:-200000}
mkdir -p "$OUT"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "mhz: $(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "mem: $(grep MemTotal /proc/meminfo | awk '{print $2 " kB"}')"
  echo "kernel: $(uname -r)"
  echo "compiler: $(c++ --version | head -1)"
} > "$OUT/machine.txt"

wait_quiet() {
  i=0
  [ "${TG_BENCH_NO_WAIT:-0}" = 1 ] && i=180
  while [ "$(awk '{print ($1 < 1.0)}' /proc/loadavg)" != 1 ] && [ $i -lt 180 ]; do
    sleep 10
    i=$((i + 1))
  done
  echo "load before $1: $(cat /proc/loadavg)" >> "$OUT/machine.txt"
}

# 1. Benchmarks (timed: wait for a quiet machine).
wait_quiet benchmarks
"$BIN" --benchmark_min_time="$MIN_TIME" --benchmark_counters_tabular=true \
  --benchmark_out="$OUT/results.json" --benchmark_out_format=json 2>&1 | tee "$OUT/results.txt"
echo "load after benchmarks: $(cat /proc/loadavg)" >> "$OUT/machine.txt"

# 1b. The decision benchmarks again with the policy's limits.preallocate_accounts (records committed at
#     creation, on huge pages): a deployment sized for its accounts. Same world, another process.
wait_quiet preallocated
TG_BENCH_PREALLOCATE=1 "$BIN" --benchmark_min_time="$MIN_TIME" --benchmark_counters_tabular=true \
  --benchmark_filter='BM_Decision_(Cold|Hot|Cold_TwoPhase|HostWork)|BM_Prototype|BM_Baseline_Naive_Cold/real_time/threads:1' \
  --benchmark_out="$OUT/results_preallocated.json" --benchmark_out_format=json 2>&1 | tee "$OUT/results_preallocated.txt"

# 2. Callgrind: instructions and simulated cache misses of tg_call_begin + tg_call_end only (inclusive),
#    N decisions after 50k warm ones; the last dump holds the measured part. LL = this machine's L3.
for stream in cold hot; do
  rm -f "$OUT/callgrind.$stream.out"*
  valgrind --tool=callgrind --instr-atstart=no --toggle-collect=tg_call_begin --toggle-collect=tg_call_end \
    --cache-sim=yes --I1=32768,8,64 --D1=49152,12,64 --LL=33554432,16,64 \
    --callgrind-out-file="$OUT/callgrind.$stream.out" \
    "$BIN" --tg_decisions="$N" --tg_warm=50000 --tg_stream=$stream > "$OUT/callgrind.$stream.log" 2>&1
  callgrind_annotate --threshold=100 --inclusive=yes --show=Ir,DLmr,DLmw "$OUT/callgrind.$stream.out" \
    > "$OUT/callgrind.$stream.inclusive.txt" 2>/dev/null || true
  callgrind_annotate --threshold=100 --auto=yes --show=Ir,DLmr,DLmw "$OUT/callgrind.$stream.out" \
    > "$OUT/callgrind.$stream.lines.txt" 2>/dev/null || true
done
echo "$N" > "$OUT/profile_decisions.txt"

# 3. Syscalls on the decision path: the difference between N decisions and none.
for n in 0 "$N"; do
  strace -f -c -o "$OUT/strace.$n.txt" "$BIN" --tg_decisions="$n" --tg_warm=0 > /dev/null 2>&1 || true
done

echo "done: python3 bench/summarize.py $OUT"
