#!/usr/bin/env bash
# The backtest of docs/BACKTEST.md: generates labelled CDRs (tools/cdrgen/gen_cdrs.py) for a JP and a US
# hosted PBX, replays them through the embedded default policy with build/bin/tollguard (as a PBX would:
# start order, ends before later starts, blocked calls never connect, calls cut at max_duration_s), and
# prints the figures beside three naive rules. Usage: tools/backtest.sh [SEED...]   (default: 1 2 3)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=("${@:-1}")
[ $# -eq 0 ] && seeds=(1 2 3)
out=${TG_BACKTEST_DIR:-build/backtest}
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  for c in JP US; do
    tz=Asia/Tokyo; [ "$c" = US ] && tz=America/Chicago
    cdrs="$out/${c}${seed}.csv"
    [ -f "$cdrs" ] || /usr/bin/python3 tools/cdrgen/gen_cdrs.py --country "$c" --weeks 8 --tenants 300 \
      --seed "$seed" --out "$cdrs" 2>/dev/null
    build/bin/tollguard replay --quiet --home-country "$c" --timezone "$tz" "$cdrs" > "$out/${c}${seed}.decisions.csv"
    echo "### $c, seed $seed"
    /usr/bin/python3 tools/cdrgen/backtest.py "$cdrs" --decisions "$out/${c}${seed}.decisions.csv"
    echo
  done
done
