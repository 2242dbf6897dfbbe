#!/bin/sh
# A/B of two builds of the benchmark: alternates them ROUNDS times on the single-thread decision
# benchmarks, so that both see the same machine (its speed drifts by 10-15 % within an hour).
#   bench/ab.sh OLD_BIN NEW_BIN [ROUNDS]     (world size: TG_BENCH_* variables, bench/world.h)
# TG_AB_FILTER: another --benchmark_filter (default: BM_Decision_Hot and _Cold, one thread).
# Prints one line per run: binary, then p50 / p99 ns of each benchmark (and of its hinted calls, if any).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OLD_BIN NEW_BIN [ROUNDS]" >&2; exit 2; }
rounds=${3:-3}
filter=${TG_AB_FILTER:-'BM_Decision_(Cold|Hot)/real_time/threads:1'}
i=0
while [ "$i" -lt "$rounds" ]; do
  for bin in "$1" "$2"; do
    "$bin" --benchmark_filter="$filter" --benchmark_min_time="${TG_AB_MIN_TIME:-2}" \
      --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
def row(b):
    s = "%s p50 %d p99 %d" % (b["name"].replace("/real_time", "").replace("BM_Decision_", ""),
                              b.get("p50_ns", 0), b.get("p99_ns", 0))
    if "p50_ns_hinted" in b:
        s += " hinted p50 %d p99 %d" % (b["p50_ns_hinted"], b["p99_ns_hinted"])
    return s
print(sys.argv[1], " | ".join(row(b) for b in d["benchmarks"]))' "$bin"
  done
  i=$((i + 1))
done
