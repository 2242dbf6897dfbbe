#!/bin/sh
# A/B of two builds of the benchmark: alternates them ROUNDS times on the single-thread decision
# benchmarks, so that both see the same machine (its speed drifts by 10-15 % within an hour).
#   bench/ab.sh OLD_BIN NEW_BIN [ROUNDS]     (world size: TG_BENCH_* variables, bench/world.h)
# Prints one line per run: binary, then p50 / p99 ns of BM_Decision_Hot and BM_Decision_Cold.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OLD_BIN NEW_BIN [ROUNDS]" >&2; exit 2; }
rounds=${3:-3}
i=0
while [ "$i" -lt "$rounds" ]; do
  for bin in "$1" "$2"; do
    "$bin" --benchmark_filter='BM_Decision_(Cold|Hot)/real_time/threads:1' --benchmark_min_time=2 \
      --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sys.argv[1], " ".join("%s p50 %d p99 %d" % (b["name"].split("/")[0].replace("BM_Decision_", ""),
      b.get("p50_ns", 0), b.get("p99_ns", 0)) for b in d["benchmarks"]))' "$bin"
  done
  i=$((i + 1))
done
