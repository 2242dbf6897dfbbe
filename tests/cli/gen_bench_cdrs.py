#!/usr/bin/python3
"""Quick synthetic CDRs for replay benchmarks (not for tuning: use tools/cdrgen/gen_cdrs.py for that).

Usage: /usr/bin/python3 tests/cli/gen_bench_cdrs.py --rows 1000000 --out /tmp/bench.csv [--seed 1]

Writes `start,account,dialed,duration,label,cost` in call-END order as real exports are: Japanese PBX
tenants t0000..t2999 over eight weeks from 2026-03-02, JP fixed/mobile/toll-free numbers, 10% international
(010 + country code), 5% in +E.164 form, 25% unanswered (duration 0); label is 1 for a small share of
calls to premium and satellite ranges. Deterministic for a given --seed.
"""
import argparse

import numpy as np

START = np.datetime64("2026-03-02T00:00:00")
JST = np.timedelta64(9, "h")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    n = a.rows

    start_s = rng.integers(0, 8 * 7 * 86400, n)
    answered = rng.random(n) >= 0.25
    duration = np.where(answered, np.clip(rng.lognormal(4.8, 1.0, n), 1, 7200).astype(np.int64), 0)
    ring = rng.integers(3, 30, n)
    order = np.argsort(start_s + ring + duration, kind="stable")  # end order
    start_s, duration = start_s[order], duration[order]

    local = (START + start_s.astype("timedelta64[s]")).astype("datetime64[s]")
    start_text = np.datetime_as_string(local, unit="s")
    account = rng.integers(0, 3000, n)

    kind = rng.random(n)
    digits = rng.integers(0, 10**8, n)
    intl_cc = np.array(["1", "44", "49", "86", "82", "63", "66", "33", "1876", "8816"])
    intl_pick = rng.integers(0, len(intl_cc), n)
    plus = rng.random(n) < 0.05
    label = np.zeros(n, dtype=np.int64)
    lines = ["start,account,dialed,duration,label,cost\n"]
    for i in range(n):
        k = kind[i]
        d = digits[i]
        if k < 0.55:
            num, rate = f"03{d:08d}", 0.03
            e164 = "813" + f"{d:08d}"
        elif k < 0.80:
            num, rate = f"090{d:08d}", 0.15
            e164 = "8190" + f"{d:08d}"
        elif k < 0.90:
            num, rate = f"0120{d % 10**6:06d}", 0.0
            e164 = "81120" + f"{d % 10**6:06d}"
        else:
            cc = intl_cc[intl_pick[i]]
            num, rate = f"010{cc}{d:08d}", 0.1
            e164 = cc + f"{d:08d}"
            if cc == "8816":
                rate = 5.0
                label[i] = 1 if d % 4 == 0 else 0
        if plus[i]:
            num = "+" + e164
        cost = rate * duration[i] / 60.0
        lines.append(f"{start_text[i]}+09:00,t{account[i]:04d},{num},{duration[i]},{label[i]},{cost:.4f}\n")
    with open(a.out, "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
