#!/usr/bin/env python3
"""Prints the docs/PERFORMANCE.md tables from a bench/run_full.sh output folder.

usage: python3 bench/summarize.py OUT_DIR
"""
import json
import os
import re
import sys


def load_results(out, name="results.json"):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return {}, {}
    with open(path) as f:
        data = json.load(f)
    return {b["name"]: b for b in data["benchmarks"]}, data.get("context", {})


def latency_rows(res, label):
    """Rows of the latency table: cold, hot, two-phase, under host work, the naive baseline, the lean prototype."""
    out = []

    def g(name, key):
        return res.get(name, {}).get(key)

    def f(v):
        return "n/a" if v is None else f"{v:,.0f}"

    for name, what in (("BM_Decision_Cold/real_time/threads:1", "cold"),
                       ("BM_Decision_Hot/real_time/threads:1", "hot"),
                       ("BM_Decision_Cold_TwoPhase/real_time/threads:1", "cold, hint one call ahead"),
                       ("BM_Decision_HostWork/host_kib:0/real_time", "host work 0 KiB: no hint / hinted"),
                       ("BM_Decision_HostWork/host_kib:16/real_time", "host work 16 KiB: no hint / hinted"),
                       ("BM_Decision_HostWork/host_kib:256/real_time", "host work 256 KiB: no hint / hinted"),
                       ("BM_Baseline_Naive_Cold/real_time/threads:1", "naive baseline, cold"),
                       ("BM_Prototype_Lean_Cold/real_time/threads:1", "lean prototype (issue 6), cold"),
                       ("BM_Prototype_Lean_Hot/real_time/threads:1", "lean prototype (issue 6), hot")):
        if name not in res:
            continue
        cells = f"{f(g(name, 'p50_ns'))} / {f(g(name, 'p99_ns'))} / {f(g(name, 'p999_ns'))}"
        if g(name, "p50_ns_hinted") is not None:
            cells += (f" — hinted {f(g(name, 'p50_ns_hinted'))} / {f(g(name, 'p99_ns_hinted'))} / "
                      f"{f(g(name, 'p999_ns_hinted'))} (hint {f(g(name, 'p50_ns_prefetch'))})")
        out.append(f"| {label} | {what} | {cells} |")
    return out


def callgrind_totals(path):
    events, totals = None, None
    for line in open(path):
        if line.startswith("events:"):
            events = line.split()[1:]
        elif line.startswith("totals:"):
            totals = [int(x) for x in line.split()[1:]]
    return dict(zip(events, totals)) if events and totals else {}


def strace_calls(path):
    try:
        for line in open(path):
            if line.strip().endswith("total"):
                parts = line.split()
                return int(parts[3]) if len(parts) >= 5 else int(parts[2])
    except OSError:
        pass
    return None


def main():
    out = sys.argv[1]
    res, ctx = load_results(out)
    n = int(open(os.path.join(out, "profile_decisions.txt")).read())

    def get(name, key):
        b = res.get(name)
        if b is None:
            return None
        if key == "real_time":
            return b["real_time"]
        return b.get(key)

    cold1 = "BM_Decision_Cold/real_time/threads:1"
    cold2 = "BM_Decision_Cold/real_time/threads:2"
    hot1 = "BM_Decision_Hot/real_time/threads:1"
    hot2 = "BM_Decision_Hot/real_time/threads:2"
    naive1 = "BM_Baseline_Naive_Cold/real_time/threads:1"
    cg = {s: callgrind_totals(os.path.join(out, f"callgrind.{s}.out")) for s in ("cold", "hot")}
    per = {s: {k: v / n for k, v in t.items()} for s, t in cg.items()}
    s0, s1 = strace_calls(os.path.join(out, "strace.0.txt")), strace_calls(os.path.join(out, f"strace.{n}.txt"))

    def fmt(v, unit="", digits=0):
        if v is None:
            return "n/a"
        return f"{v:,.{digits}f}{unit}"

    rows = []

    def row(target, figure, value, ok):
        rows.append((target, figure, value, "met" if ok else "**missed**" if ok is not None else "—"))

    def le(v, limit):
        return None if v is None else v <= limit

    def ge(v, limit):
        return None if v is None else v >= limit

    c50, c99, c999 = get(cold1, "p50_ns"), get(cold1, "p99_ns"), get(cold1, "p999_ns")
    h50, h99 = get(hot1, "p50_ns"), get(hot1, "p99_ns")
    row("Cold p50 ≤ 250 ns", "BM_Decision_Cold/1 p50_ns", fmt(c50, " ns"), le(c50, 250))
    row("Cold p99 ≤ 600 ns", "BM_Decision_Cold/1 p99_ns", fmt(c99, " ns"), le(c99, 600))
    row("Cold p99.9 ≤ 1 µs", "BM_Decision_Cold/1 p999_ns", fmt(c999, " ns"), le(c999, 1000))
    row("Hot p50 ≤ 100 ns", "BM_Decision_Hot/1 p50_ns", fmt(h50, " ns"), le(h50, 100))
    row("Hot p99 ≤ 400 ns", "BM_Decision_Hot/1 p99_ns", fmt(h99, " ns"), le(h99, 400))
    n50 = get(naive1, "p50_ns")
    speedup = n50 / c50 if n50 and c50 else None
    row("≥ 10× faster than naive (median, cold)", "naive p50 / engine p50", fmt(speedup, "×", 1) +
        f" ({fmt(n50, ' ns')} vs {fmt(c50, ' ns')})", ge(speedup, 10))
    ir = per["cold"].get("Ir")
    ll = (per["cold"].get("DLmr", 0) + per["cold"].get("DLmw", 0) + per["cold"].get("ILmr", 0)) if per["cold"] else None
    row("≤ 600 instructions per cold decision", "callgrind Ir of begin+end / N", fmt(ir), le(ir, 600))
    row("≤ 3 DRAM misses per cold decision", "callgrind LL misses (32 MB LL) / N", fmt(ll, "", 1), le(ll, 3))
    hir = per["hot"].get("Ir")
    hll = (per["hot"].get("DLmr", 0) + per["hot"].get("DLmw", 0)) if per["hot"] else None
    row("(hot, for reference)", "callgrind Ir, LL misses / N (hot)", f"{fmt(hir)} / {fmt(hll, '', 1)}", None)
    allocs = get(cold1, "allocs_per_call")
    row("No allocation on the hot path", "operator new per call (cold)", fmt(allocs, "", 6), le(allocs, 0))
    sc = None if s0 is None or s1 is None else (s1 - s0) / n
    row("No syscall on the hot path", "strace: (syscalls(N) − syscalls(0)) / N", fmt(sc, "", 4), le(sc, 0.001))
    for label, a, b in (("hot", hot1, hot2), ("cold", cold1, cold2)):
        t1, t2 = get(a, "calls_per_s"), get(b, "calls_per_s")
        sp = t2 / t1 if t1 and t2 else None
        row(f"2 threads ≥ 1.8× one thread ({label})", "calls_per_s ratio", fmt(sp, "×", 2) +
            f" ({fmt(t1)} → {fmt(t2)}/s)", ge(sp, 1.8))
    bpp = get("BM_Lookup/zipf:0/prefetch:0", "bytes_per_prefix")
    row("≤ 48 B per prefix (stretch 24)", "PrefixTable::memory_bytes / entries", fmt(bpp, " B", 1), le(bpp, 48))
    bpa, rss = get(cold1, "bytes_per_account"), get(cold1, "rss_per_account")
    row("≤ 512 B per active account", "(stats.memory_bytes − table) / accounts; RSS growth / account",
        f"{fmt(bpa, ' B')}; {fmt(rss, ' B')}", le(max(bpa or 0, rss or 0) if bpa else None, 512))
    l0, l1 = get("BM_Load_1M/direct:0/real_time", "real_time"), get("BM_Load_1M/direct:1/real_time", "real_time")
    row("1M-row rate deck loaded ≤ 250 ms", "BM_Load_1M direct:1 (read + loaders + Build)", fmt(l1, " ms"), le(l1, 250))
    row("(whole tg_engine_create)", "BM_Load_1M direct:0", fmt(l0, " ms"), None)
    for arg, label in ((0, "hot"), (1, "cold")):
        name = f"BM_Reload_UnderLoad/cold:{arg}/iterations:1/real_time"
        r = get(name, "p99_ratio")
        row(f"Reader p99 during reload ≤ 1.1× idle ({label})", "p99_reload / p99_idle",
            fmt(r, "×", 2) + f" ({fmt(get(name, 'p99_ns_idle'), ' ns')} → {fmt(get(name, 'p99_ns_reload'), ' ns')}, "
            f"{fmt(get(name, 'reloads'))} reloads of {fmt(get(name, 'reload_ms'), ' ms')})", le(r, 1.1))
    d0 = get("BM_Decision_Cold/real_time/threads:1", "p50_ns")
    d1 = get("BM_Decision_Cold_TwoPhase/real_time/threads:1", "p50_ns")
    dp = get("BM_Decision_Cold_TwoPhase/real_time/threads:1", "p50_ns_prefetch")
    row("Two-phase API (documented either way)",
        "cold decision p50 without / with tg_engine_prefetch one call ahead (the hint's own p50)",
        f"{fmt(d0, ' ns')} / {fmt(d1, ' ns')} ({fmt(dp, ' ns')})", None)
    p0, p1 = get("BM_Lookup/zipf:0/prefetch:0", "p50_ns"), get("BM_Lookup/zipf:0/prefetch:1", "p50_ns")
    row("(prefix table alone)", "BM_Lookup uniform p50 without / with Prefetch 4 calls ahead",
        f"{fmt(p0, ' ns')} / {fmt(p1, ' ns')}", None)

    print("| Target (issue 6) | Measured as | Result | |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    pre, _ = load_results(out, "results_preallocated.json")
    print("| Store | Stream | p50 / p99 / p99.9 ns |")
    print("|---|---|---|")
    for line in latency_rows(res, "lazy (default)") + latency_rows(pre, "preallocated"):
        print(line)
    print()
    print("| Benchmark | Time/iter | p50 | p99 | p99.9 | calls/s | other |")
    print("|---|---|---|---|---|---|---|")
    skip = {"name", "run_name", "run_type", "repetitions", "repetition_index", "threads", "iterations", "real_time",
            "cpu_time", "time_unit", "family_index", "per_family_instance_index", "p50_ns", "p99_ns", "p999_ns",
            "calls_per_s", "aggregate_name"}
    for name, b in res.items():
        other = ", ".join(f"{k}={v:.4g}" for k, v in b.items() if k not in skip and isinstance(v, (int, float)))
        print(f"| {name} | {b['real_time']:.4g} {b['time_unit']} | {fmt(b.get('p50_ns'))} | {fmt(b.get('p99_ns'))} | "
              f"{fmt(b.get('p999_ns'))} | {fmt(b.get('calls_per_s'))} | {other} |")


if __name__ == "__main__":
    main()
