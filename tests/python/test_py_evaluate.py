"""tollguard.evaluate on a hand-made labelled frame (figures computed by hand)."""

import math

import pandas as pd
import pytest

import tollguard

#      action   country label cost  rate duration
ROWS = [
    ("block", "JM", 1, 10.0, 0.6, 600),   # fraud stopped
    ("alert", "JM", 1, 4.0, 0.6, 400),    # fraud alerted, let through
    ("allow", "001", 1, 6.0, 2.0, 180),   # fraud let through
    ("allow", "JP", 0, 0.5, 0.03, 1000),
    ("block", "GB", 0, 0.2, 0.1, 120),    # legitimate international blocked
    ("alert", "JP", 0, 0.1, 0.03, 200),
    ("allow", "US", 0, 0.3, 0.1, 180),    # legitimate international
    ("allow", "JP", None, 9.0, 0.03, 60), # unlabelled
]


def decisions():
    return pd.DataFrame(ROWS, columns=["action", "country", "label", "cost", "rate", "duration"])


def test_evaluate_with_cost_column():
    r = tollguard.evaluate(decisions(), home_country="JP")
    assert (r["calls"], r["labelled"], r["fraud_calls"], r["legit_calls"]) == (8, 7, 3, 4)
    assert (r["blocked"], r["alerted"], r["allowed"]) == (2, 2, 4)
    assert (r["fraud_blocked"], r["fraud_alerted"], r["fraud_let_through"]) == (1, 1, 2)
    assert r["fraud_money"] == pytest.approx(20.0)
    assert r["fraud_money_let_through"] == pytest.approx(10.0)
    assert r["fraud_money_let_through_share"] == pytest.approx(0.5)
    assert (r["legit_blocked"], r["legit_alerted"]) == (1, 1)
    assert r["legit_blocked_share"] == pytest.approx(0.25)
    assert (r["legit_intl_calls"], r["legit_intl_blocked"]) == (2, 1)
    assert r["legit_intl_blocked_share"] == pytest.approx(0.5)
    assert (r["alerts"], r["alerts_on_fraud"]) == (2, 1)
    assert r["alert_precision"] == pytest.approx(0.5)
    assert r["money_at_risk"] == pytest.approx(4.0 + 6.0 + 0.5 + 0.1 + 0.3 + 9.0)
    assert r["cost_basis"] == "cost"


def test_evaluate_by_rate_and_duration_and_default_home():
    r = tollguard.evaluate(decisions().drop(columns=["cost"]))
    assert r["cost_basis"] == "rate x duration"
    assert r["home_country"] == "JP"  # most frequent country of the legitimate calls
    assert r["fraud_money"] == pytest.approx(0.6 * 10 + 0.6 * 400 / 60 + 2.0 * 3)  # 16.0
    assert r["fraud_money_let_through"] == pytest.approx(4.0 + 6.0)
    assert r["fraud_money_let_through_share"] == pytest.approx(10.0 / 16.0)


def test_evaluate_labels_as_text_and_explicit_cost():
    df = decisions()
    df["label"] = ["fraud", "TRUE", "1", "legit", "0", "no", "false", "?"]
    df["billed"] = df["cost"] * 2
    r = tollguard.evaluate(df, cost="billed", home_country="JP")
    assert (r["fraud_calls"], r["legit_calls"], r["labelled"]) == (3, 4, 7)
    assert r["fraud_money"] == pytest.approx(40.0)


def test_evaluate_empty_denominators_and_errors():
    df = decisions()
    df = df[df["label"] == 0]
    r = tollguard.evaluate(df, home_country="JP")
    assert r["fraud_calls"] == 0 and math.isnan(r["fraud_money_let_through_share"])
    with pytest.raises(tollguard.Error):
        tollguard.evaluate(df.drop(columns=["label"]))
    with pytest.raises(tollguard.Error):
        tollguard.evaluate(df, cost="nope")
