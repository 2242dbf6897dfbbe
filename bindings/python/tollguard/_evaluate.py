"""evaluate(): back-test figures of a replay's decisions against labels."""

import math

import numpy as np

from ._engine import STATUS
from ._errors import Error

_FRAUD = {"1", "true", "yes", "y", "t", "fraud"}
_LEGIT = {"0", "false", "no", "n", "f", "legit", "legitimate"}


def _labels(col):
    """1 fraud, 0 legitimate, -1 unlabelled (missing or unrecognized) for each row."""
    if col.dtype.kind in "biuf":
        v = col.to_numpy(dtype=np.float64)
        out = np.where(v != 0, 1, 0)
        out[~np.isfinite(v)] = -1
        return out
    text = col.astype(str).str.strip().str.lower().to_numpy()
    out = np.full(len(text), -1)
    out[np.isin(text, list(_FRAUD))] = 1
    out[np.isin(text, list(_LEGIT))] = 0
    return out


def _share(part, whole):
    return part / whole if whole else math.nan


def evaluate(decisions, label="label", cost=None, home_country=None):
    """Back-test figures of replay() output against a label column (1 / true / "fraud" = fraud, 0 / false /
    "legit" = legitimate; other values and NaN are unlabelled and left out of the label figures).

    cost: the money of each call — a column name, or None for the `cost` column when there is one, else
    rate x duration / 60 (rate per minute, duration in billed seconds). "Let through" means not blocked (an
    alert does not stop a call). International: country is neither the home country nor empty; home_country
    defaults to decisions.attrs["home_country"] (set by replay(home_country=...)), else the most frequent
    country of the legitimate calls.

    Returns a dict: calls, labelled, fraud_calls, legit_calls, blocked, alerted, allowed, fraud_blocked,
    fraud_alerted, fraud_let_through, fraud_money, fraud_money_let_through, fraud_money_let_through_share,
    legit_blocked, legit_blocked_share, legit_alerted, legit_intl_calls, legit_intl_blocked,
    legit_intl_blocked_share, alerts, alerts_on_fraud, alert_precision, money_at_risk (money of all calls let
    through), cost_basis, home_country. Shares are fractions (0..1), NaN when their denominator is 0.
    """
    for name in ("action", "country", label):
        if name not in decisions.columns:
            raise Error(STATUS["E_INVALID_ARGUMENT"], f"evaluate: missing column {name!r} (run replay() first)")
    if cost is None:
        cost = "cost" if "cost" in decisions.columns else None
    if cost is not None:
        if cost not in decisions.columns:
            raise Error(STATUS["E_INVALID_ARGUMENT"], f"evaluate: missing cost column {cost!r}")
        money = decisions[cost].to_numpy(dtype=np.float64)
        basis = cost
    else:
        for name in ("rate", "duration"):
            if name not in decisions.columns:
                raise Error(STATUS["E_INVALID_ARGUMENT"], f"evaluate: missing column {name!r}")
        money = decisions["rate"].to_numpy(dtype=np.float64) * decisions["duration"].to_numpy(dtype=np.float64) / 60.0
        basis = "rate x duration"
    money = np.nan_to_num(money, nan=0.0)
    full_money = money
    if "max_duration_s" in decisions.columns and "duration" in decisions.columns:
        # A call let through is cut at max_duration_s (the PBX enforces the cap): it costs that share.
        cap = decisions["max_duration_s"].fillna(0).to_numpy(dtype=np.float64)
        dur = decisions["duration"].to_numpy(dtype=np.float64)
        cut = (cap > 0) & (dur > cap)
        money = np.where(cut, money * cap / np.maximum(dur, 1.0), money)

    lab = _labels(decisions[label])
    action = decisions["action"].to_numpy(dtype=object)
    blocked = action == "block"
    alerted = action == "alert"
    through = ~blocked
    fraud = lab == 1
    legit = lab == 0
    country = decisions["country"].fillna("").astype(str).to_numpy(dtype=object)
    if home_country is None:
        home_country = decisions.attrs.get("home_country")
    if home_country is None:
        known = country[legit & (country != "")]
        if len(known):
            values, counts = np.unique(known.astype(str), return_counts=True)
            home_country = str(values[np.argmax(counts)])
    intl = (country != "") & (country != (home_country or ""))

    fraud_money = float(full_money[fraud].sum())
    fraud_through = float(money[fraud & through].sum())
    n_legit = int(legit.sum())
    legit_blocked = int((legit & blocked).sum())
    legit_intl = int((legit & intl).sum())
    legit_intl_blocked = int((legit & intl & blocked).sum())
    alerts = int(alerted.sum())
    alerts_on_fraud = int((alerted & fraud).sum())
    return {
        "calls": int(len(decisions)),
        "labelled": int((lab >= 0).sum()),
        "fraud_calls": int(fraud.sum()),
        "legit_calls": n_legit,
        "blocked": int(blocked.sum()),
        "alerted": alerts,
        "allowed": int((action == "allow").sum()),
        "fraud_blocked": int((fraud & blocked).sum()),
        "fraud_alerted": int((fraud & alerted).sum()),
        "fraud_let_through": int((fraud & through).sum()),
        "fraud_money": fraud_money,
        "fraud_money_let_through": fraud_through,
        "fraud_money_let_through_share": _share(fraud_through, fraud_money),
        "legit_blocked": legit_blocked,
        "legit_blocked_share": _share(legit_blocked, n_legit),
        "legit_alerted": int((legit & alerted).sum()),
        "legit_intl_calls": legit_intl,
        "legit_intl_blocked": legit_intl_blocked,
        "legit_intl_blocked_share": _share(legit_intl_blocked, legit_intl),
        "alerts": alerts,
        "alerts_on_fraud": alerts_on_fraud,
        "alert_precision": _share(alerts_on_fraud, int((alerted & (lab >= 0)).sum())),
        "money_at_risk": float(money[through].sum()),
        "cost_basis": basis,
        "home_country": home_country,
    }
