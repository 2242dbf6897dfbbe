#!/usr/bin/python3
"""Back-test fraud policies on a gen_cdrs.py CSV: tollguard's decisions and three naive baselines.

Usage:
  /usr/bin/python3 tools/cdrgen/backtest.py CDRS.csv [--decisions DECISIONS.csv] [--country JP|US]
                                            [--json OUT.json]

DECISIONS.csv has the generator's columns plus `action` (allow|alert|block) and `score`, one row per
generator row in the same order (the start/account/dialed columns, when present, are checked).

Baselines (computed here from the generator CSV):
  blocklist     block every international call to a country on the operator high-risk list (+7 counts,
                NANP entries by area code) and to +881/+882/+883
  office_hours  block international calls outside Mon-Fri 08:00-19:00 local time (no holiday calendar)
  threshold20   block an account's international calls after 20 international attempts in a local
                calendar day (the counter resets at local midnight), like OpenSIPS fraud_detection
International = the dialled number, parsed with libphonenumber in the home region (JP carrier-selection
codes before 010 stripped), has another country code; from the US, NANP numbers outside
US/CA/PR/VI/GU/MP/AS (the Caribbean) are international.

Figures: share of fraud money let through (cost of fraud rows not blocked / total fraud cost; a blocked
call never connects, so its cost is not incurred), share of legitimate calls blocked, share of legitimate
international calls blocked, alerts (tollguard only), and fraud money let through per fraud scenario.
`evaluate(df)` returns them as a dict for reuse from Python.
"""
import argparse
import json
import os
import re
import sys

import numpy as np
import pandas as pd
import phonenumbers as pn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_HIGH_RISK = os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "data", "operator_high_risk_destinations.csv"))
NANP_DOMESTIC_US = {"US", "CA", "PR", "VI", "GU", "MP", "AS"}
INTL_NETWORKS = {881, 882, 883}
FRAUD_ORDER = ["irsf_burst", "test_call", "holiday_drip", "office_hours_run", "wangiri_callback"]
_JP_CARRIER = re.compile(r"^00(?:1|\d\d)(?=010)")


def home_country(df):
    """JP if every start has offset +09:00, else US (the generator's two homes)."""
    offs = df["start"].str[-6:].unique()
    return "JP" if set(offs) == {"+09:00"} else "US"


def load_high_risk(path=DEFAULT_HIGH_RISK):
    """(non-NANP country codes, NANP area codes) on the operator list."""
    t = pd.read_csv(path, dtype=str, keep_default_na=False)
    ccs, npas = set(), set()
    for c in t["country_code"]:
        if c.startswith("1") and len(c) == 4:
            npas.add(c[1:])
        else:
            ccs.add(int(c))
    return ccs, npas


def parse_dialed(dialed, home):
    """libphonenumber parse of a dialled string in the home region, or None."""
    s = str(dialed).strip()
    if home == "JP":
        s = _JP_CARRIER.sub("", s)
    try:
        return pn.parse(s, home)
    except pn.NumberParseException:
        return None


def classify(dialed, home, high_risk=None):
    """DataFrame (international, blocklisted) per dialled string; unparsable strings are domestic."""
    ccs, npas = high_risk if high_risk is not None else load_high_risk()
    home_cc = 81 if home == "JP" else 1
    uniq = pd.unique(pd.Series(dialed, dtype=str))
    intl, listed = {}, {}
    for s in uniq:
        x = parse_dialed(s, home)
        if x is None:
            intl[s], listed[s] = False, False
            continue
        cc = x.country_code
        nsn = str(x.national_number)
        if cc != home_cc:
            i = True
        elif cc == 1:
            reg = pn.region_code_for_number(x)
            i = reg is not None and reg not in NANP_DOMESTIC_US
        else:
            i = False
        intl[s] = i
        listed[s] = i and (cc in ccs or cc in INTL_NETWORKS or (cc == 1 and nsn[:3] in npas))
    d = pd.Series(dialed, dtype=str)
    return pd.DataFrame({"international": d.map(intl).to_numpy(), "blocklisted": d.map(listed).to_numpy()})


def local_parts(start):
    """(local datetime64 naive, UTC int64 seconds) from ISO 8601 strings with offsets."""
    s = pd.Series(start, dtype=str)
    local = pd.to_datetime(s.str[:19], format="%Y-%m-%dT%H:%M:%S")
    sign = np.where(s.str[-6] == "-", -1, 1)
    off = sign * (s.str[-5:-3].astype(int) * 3600 + s.str[-2:].astype(int) * 60)
    utc = local.astype("int64").to_numpy() // 10**9 - off.to_numpy()
    return local, utc


def baselines(df, home=None, high_risk=None):
    """Adds international/blocklisted columns and returns {name: boolean blocked array}."""
    home = home or home_country(df)
    if "international" not in df or "blocklisted" not in df:
        c = classify(df["dialed"].to_numpy(), home, high_risk)
        df["international"] = c["international"].to_numpy()
        df["blocklisted"] = c["blocklisted"].to_numpy()
    intl = df["international"].to_numpy(bool)
    local, utc = local_parts(df["start"])
    office = (local.dt.dayofweek < 5) & (local.dt.hour >= 8) & (local.dt.hour < 19)
    # threshold: in start order per account and local date, block intl attempts after the 20th
    order = np.lexsort((np.arange(len(df)), utc))
    key = pd.DataFrame({"a": df["account"].to_numpy()[order], "d": local.dt.date.to_numpy()[order],
                        "i": intl[order].astype(int)})
    cum = key.groupby(["a", "d"], sort=False)["i"].cumsum().to_numpy()
    thr = np.zeros(len(df), bool)
    thr[order] = (key["i"].to_numpy() == 1) & (cum > 20)
    return {"blocklist": df["blocklisted"].to_numpy(bool),
            "office_hours": intl & ~office.to_numpy(),
            "threshold20": thr}


def evaluate(df, label="label", cost="cost", action="action", scenario="scenario",
             international="international", blocked=None, max_duration="max_duration_s", duration="duration"):
    """Metrics of one policy on labelled CDRs.

    df: the generator's rows with `action` (allow|alert|block) or a boolean column / array given as
    `blocked`; `international` (bool) is computed from `dialed` and `start` when absent.
    Returns a dict: fraud_cost, fraud_cost_through, fraud_money_through (share), fraud_calls,
    fraud_calls_blocked, legit_calls, legit_blocked, legit_blocked_share, legit_intl_calls,
    legit_intl_blocked, legit_intl_blocked_share, alerts, alerts_legit, alerts_fraud,
    per_scenario {scenario: {cost, through, share}}.
    When the decisions carry `max_duration_s` (the cap tollguard sets; the PBX cuts the call there), a call
    let through costs its cost x min(1, max_duration_s / duration); legit_cut counts legitimate calls cut.
    """
    if blocked is None:
        blk = df[action].astype(str).str.lower().eq("block").to_numpy()
        alert = df[action].astype(str).str.lower().eq("alert").to_numpy()
    else:
        blk = (df[blocked] if isinstance(blocked, str) else pd.Series(blocked)).to_numpy(bool)
        alert = None
    if international not in df:
        home = home_country(df)
        intl = classify(df["dialed"].to_numpy(), home)["international"].to_numpy(bool)
    else:
        intl = df[international].to_numpy(bool)
    y = df[label].to_numpy().astype(int) == 1
    c_full = df[cost].to_numpy(float)
    fc = float(c_full[y].sum())
    cut = np.zeros(len(df), bool)
    c = c_full
    if max_duration in df and duration in df:
        md = df[max_duration].fillna(0).to_numpy(float)
        du = df[duration].to_numpy(float)
        cut = (md > 0) & (du > md)
        c = np.where(cut, c_full * md / np.maximum(du, 1), c_full)
    through = float(c[y & ~blk].sum())
    out = {
        "fraud_cost": round(fc, 4), "fraud_cost_through": round(through, 4),
        "fraud_money_through": through / fc if fc > 0 else float("nan"),
        "fraud_calls": int(y.sum()), "fraud_calls_blocked": int((y & blk).sum()),
        "legit_calls": int((~y).sum()), "legit_blocked": int((~y & blk).sum()),
        "legit_blocked_share": float((~y & blk).sum() / max(1, (~y).sum())),
        "legit_intl_calls": int((~y & intl).sum()), "legit_intl_blocked": int((~y & intl & blk).sum()),
        "legit_intl_blocked_share": float((~y & intl & blk).sum() / max(1, (~y & intl).sum())),
        "legit_cut": int((~y & ~blk & cut).sum()),
        "alerts": None if alert is None else int(alert.sum()),
        "alerts_legit": None if alert is None else int((alert & ~y).sum()),
        "alerts_fraud": None if alert is None else int((alert & y).sum()),
        "per_scenario": {},
    }
    if scenario in df:
        sc = df[scenario].to_numpy()
        for s in sorted(set(sc[y]), key=lambda s: (FRAUD_ORDER + [s]).index(s)):
            m = y & (sc == s)
            tot = float(c[m].sum())
            thr = float(c[m & ~blk].sum())
            out["per_scenario"][s] = {"cost": round(tot, 4), "through": round(thr, 4),
                                      "share": thr / tot if tot > 0 else float("nan"),
                                      "calls": int(m.sum()), "calls_blocked": int((m & blk).sum())}
    return out


def _pct(x):
    return "n/a" if x is None or x != x else "%.1f%%" % (100 * x) if x >= 0.001 or x == 0 else "%.2f%%" % (100 * x)


def markdown(results, df):
    y = df["label"].to_numpy() == 1
    lines = []
    lines.append("| policy | fraud money let through | legit calls blocked | legit intl calls blocked "
                 "| alerts (legit / fraud) |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        al = "-" if r["alerts"] is None else "%d (%d / %d)" % (r["alerts"], r["alerts_legit"], r["alerts_fraud"])
        lines.append("| %s | %s (%.0f of %.0f) | %s (%d) | %s (%d of %d) | %s |" % (
            name, _pct(r["fraud_money_through"]), r["fraud_cost_through"], r["fraud_cost"],
            _pct(r["legit_blocked_share"]), r["legit_blocked"], _pct(r["legit_intl_blocked_share"]),
            r["legit_intl_blocked"], r["legit_intl_calls"], al))
    scen = [s for s in FRAUD_ORDER if s in set(df.loc[y, "scenario"])]
    scen += sorted(set(df.loc[y, "scenario"]) - set(scen))
    lines.append("")
    lines.append("Fraud money let through per scenario (scenario's share of all fraud money in brackets):")
    lines.append("")
    first = next(iter(results.values()))
    fc = first["fraud_cost"] or 1.0
    lines.append("| policy | " + " | ".join("%s (%.1f%%)" % (s, 100 * first["per_scenario"][s]["cost"] / fc)
                                            for s in scen) + " |")
    lines.append("| --- |" + " ---: |" * len(scen))
    for name, r in results.items():
        lines.append("| %s | " % name + " | ".join(_pct(r["per_scenario"][s]["share"]) for s in scen) + " |")
    return "\n".join(lines)


def incidents(df, blocked):
    """Markdown: one row per attack (tenant = account up to '-', scenario), fraud money let through
    per policy. blocked: {policy: boolean array}."""
    y = df["label"].to_numpy() == 1
    f = df.loc[y, ["start", "account", "scenario", "cost"]].copy()
    f["tenant"] = f["account"].str.split("-").str[0]
    _, utc = local_parts(f["start"])
    f["utc"] = utc
    names = list(blocked)
    for n in names:
        f[n] = np.where(blocked[n][y], 0.0, f["cost"].to_numpy())
    f = f.sort_values("utc", kind="stable")
    g = f.groupby(["tenant", "scenario"]).agg(first=("start", "first"), t=("utc", "min"),
                                               calls=("cost", "size"), money=("cost", "sum"),
                                               **{n: (n, "sum") for n in names})
    g = g.sort_values("t")
    lines = ["| tenant | scenario | first attempt | attempts | money | " +
             " | ".join("through: " + n for n in names) + " |",
             "| --- | --- | --- | ---: | ---: |" + " ---: |" * len(names)]
    for (t, sc), r in g.iterrows():
        lines.append("| %s | %s | %s | %d | %.0f | " % (t, sc, r["first"], r["calls"], r["money"]) +
                     " | ".join("%.0f" % r[n] for n in names) + " |")
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("cdrs")
    p.add_argument("--decisions", help="generator columns + action, score; same rows, same order")
    p.add_argument("--country", choices=["JP", "US"], help="home country (default: from the offsets)")
    p.add_argument("--high-risk", default=DEFAULT_HIGH_RISK)
    p.add_argument("--json", help="also write the metrics as JSON here")
    p.add_argument("--incidents", action="store_true", help="also print one row per attack")
    a = p.parse_args(argv)
    df = pd.read_csv(a.cdrs, dtype={"dialed": str, "account": str, "scenario": str})
    home = a.country or home_country(df)
    hr = load_high_risk(a.high_risk)
    base = baselines(df, home, hr)
    results = {}
    if a.decisions:
        dec = pd.read_csv(a.decisions, dtype={"dialed": str, "account": str, "action": str})
        if len(dec) != len(df):
            sys.exit("backtest: %s has %d rows, %s has %d" % (a.decisions, len(dec), a.cdrs, len(df)))
        for col in ("start", "account", "dialed"):
            if col in dec and not (dec[col].astype(str).to_numpy() == df[col].astype(str).to_numpy()).all():
                sys.exit("backtest: column %s of %s does not match %s row by row" % (col, a.decisions, a.cdrs))
        bad = set(dec["action"].str.lower().unique()) - {"allow", "alert", "block"}
        if bad:
            sys.exit("backtest: unknown actions %s" % sorted(bad))
        d = df.copy()
        d["action"] = dec["action"].to_numpy()
        results["tollguard"] = evaluate(d)
        tg_blocked = d["action"].str.lower().eq("block").to_numpy()
    for name, blk in base.items():
        results[name] = evaluate(df, blocked=blk)
    y = df["label"].to_numpy() == 1
    print("%s: %s, %d rows (%d fraud, %d legit of which %d international), fraud money %.2f, "
          "legit money %.2f\n" % (os.path.basename(a.cdrs), home, len(df), y.sum(), (~y).sum(),
                                  (df["international"] & ~y).sum(), df.loc[y, "cost"].sum(),
                                  df.loc[~y, "cost"].sum()))
    print(markdown(results, df))
    if a.incidents:
        blocked = {"tollguard": tg_blocked} if a.decisions else {}
        blocked.update(base)
        print("\nPer attack (money let through):\n")
        print(incidents(df, blocked))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
