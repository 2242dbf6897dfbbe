"""tollguard.replay on DataFrames and paths: ordering, columns, engine reuse, bad input, same as the CLI."""

import csv
import datetime as dt
import io
import os
import random
import subprocess

import numpy as np
import pandas as pd
import pytest

import tollguard
from conftest import MONDAY_10_JST

S = tollguard.STATUS
COLS = list(tollguard.DECISION_COLUMNS)


def frame(n=250, seed=5, burst=True):
    """n calls of three accounts, and (burst) ten overlapping hour-long calls to London by acme."""
    rnd = random.Random(seed)
    t = MONDAY_10_JST
    rows = []
    if burst:
        for k in range(10):
            rows.append({"id": n + k, "start": pd.Timestamp(t + dt.timedelta(minutes=30, seconds=20 * k)),
                         "account": "acme", "dialed": f"0104420794{k:06d}", "duration": 3600, "note": "burst"})
    for i in range(n):
        t += dt.timedelta(seconds=rnd.randint(5, 900))
        kind = rnd.random()
        dialed = (f"03{rnd.randint(10**7, 10**8 - 1)}" if kind < 0.6 else
                  f"090{rnd.randint(10**7, 10**8 - 1)}" if kind < 0.8 else
                  f"01044207946{rnd.randint(0, 9999):04d}")
        rows.append({"id": i, "start": pd.Timestamp(t), "account": rnd.choice(["acme", "beta", "gamma"]),
                     "dialed": dialed, "duration": rnd.choice([0, rnd.randint(1, 300), rnd.randint(1800, 7200)]),
                     "note": f"n{i}"})
    df = pd.DataFrame(rows)
    df["start"] = df["start"].dt.tz_convert("Asia/Tokyo")
    return df


def test_replay_dataframe_columns_and_order():
    df = frame()
    out = tollguard.replay(df)
    assert list(out.columns) == list(df.columns) + COLS
    assert len(out) == len(df) and (out["id"].to_numpy() == df["id"].to_numpy()).all()
    assert set(out["action"]) <= {"allow", "alert", "block"}
    assert out["score"].between(0, 1000).all()
    assert (out.loc[out["dialed"].str.startswith("03"), "country"] == "JP").all()
    assert (out.loc[out["dialed"].str.startswith("01044"), "country"] == "GB").all()
    assert out["rate"].dtype == np.float64 and (out["rate"] > 0).any()
    assert out.attrs["replay"]["calls"] == len(df)
    assert "e164" not in df.columns  # the input is not modified


def test_end_order_gives_the_same_decisions():
    df = frame()
    ends = df["start"] + pd.to_timedelta(df["duration"], unit="s")
    shuffled = df.iloc[np.argsort(ends.to_numpy(), kind="stable")].reset_index(drop=True)
    assert not (shuffled["id"].to_numpy() == df["id"].to_numpy()).all()
    a = tollguard.replay(df).set_index("id")[COLS]
    b = tollguard.replay(shuffled).set_index("id")[COLS].loc[a.index]
    pd.testing.assert_frame_equal(a, b)
    assert a["reasons"].str.contains("concurrency").any()  # the order of ends mattered


def test_start_column_forms_agree():
    df = frame(60)
    ref = tollguard.replay(df)[COLS]
    forms = {
        "utc datetime64": df["start"].dt.tz_convert("UTC"),
        "naive datetime64 (UTC)": df["start"].dt.tz_convert("UTC").dt.tz_localize(None),
        "unix int": df["start"].astype("int64") // 10**9,
        "unix float": df["start"].astype("int64") / 1e9,
        "iso text": df["start"].map(lambda t: t.isoformat()),
        "datetime objects": pd.Series(list(df["start"].dt.to_pydatetime()), dtype=object),
    }
    for name, start in forms.items():
        other = tollguard.replay(df.assign(start=start))[COLS]
        pd.testing.assert_frame_equal(ref, other, obj=name)


def test_engine_reuse_keeps_history_and_options_are_used():
    df = frame(40, burst=False)
    with tollguard.Engine() as e:
        first = tollguard.replay(df, engine=e)
        again = tollguard.replay(df.assign(start=df["start"] + pd.Timedelta(days=10)), engine=e)
        assert e.stats()["decisions"] == 80
        assert e.stats()["live_calls"] == 0
    assert first["reasons"].str.contains("new_account").any()
    assert not again["reasons"].str.contains("new_account").any()
    us = tollguard.replay(df, home_country="US", timezone="America/New_York")
    assert (us.loc[df["dialed"].str.startswith("03"), "country"] != "JP").all()


def test_replay_state_is_saved(tmp_path):
    df = frame(30)
    state = tmp_path / "r.state"
    tollguard.replay(df, state=str(state))
    assert state.exists()
    with tollguard.Engine(state=str(state)) as e:
        assert e.stats()["accounts"] == df["account"].nunique()


def test_replay_bad_input():
    df = frame(5, burst=False)
    with pytest.raises(tollguard.Error) as e:
        tollguard.replay(df.drop(columns=["dialed"]))
    assert e.value.status == S["E_INVALID_ARGUMENT"] and "dialed" in e.value.message
    with pytest.raises(tollguard.Error) as e:
        tollguard.replay(df.assign(account=["a", "", "b", "c", "d"]))
    assert e.value.status == S["E_ACCOUNT"] and "row 1" in e.value.message
    with pytest.raises(tollguard.Error) as e:
        tollguard.replay(df.assign(start=[df["start"][0], pd.NaT, df["start"][2], df["start"][3], df["start"][4]]))
    assert e.value.status == S["E_TIME"]
    with pytest.raises(tollguard.Error) as e:
        tollguard.replay(df.assign(start=["2026-03-02T10:00:00+09:00", "soon", "x", "y", "z"]))
    assert e.value.status == S["E_TIME"] and "'soon'" in e.value.message
    with pytest.raises(tollguard.Error) as e:
        tollguard.replay(df.assign(duration=[1, 2, -3, 4, 5]))
    assert e.value.status == S["E_INVALID_ARGUMENT"]
    with pytest.raises(TypeError):
        tollguard.replay(df.assign(dialed=[b"x", 1.5j, "a", "b", "c"]))
    with pytest.raises(TypeError):
        tollguard.replay([1, 2, 3])
    with pytest.raises(TypeError):
        tollguard.replay(df, engine="no")
    # malformed numbers are decisions, not errors
    out = tollguard.replay(df.assign(dialed=["garbage", "", "0312345678", None, "+"]))
    assert list(out["e164"])[:3] == ["", "", "81312345678"] and out["action"][0] == "alert"


def test_replay_path_matches_the_cli(tmp_path):
    df = frame(120)
    path = tmp_path / "cdrs.csv"
    df.assign(start=df["start"].map(lambda t: t.isoformat())).to_csv(path, index=False)
    out = tollguard.replay(path)
    assert list(out.columns) == list(df.columns) + COLS
    assert str(out["start"].dtype) == "datetime64[ns, UTC]"
    cli = os.environ.get("TOLLGUARD_CLI")
    if not cli:
        pytest.skip("TOLLGUARD_CLI not set")
    p = subprocess.run([cli, "replay", "--quiet", str(path)], capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert [r["action"] for r in rows] == list(out["action"])
    assert [int(r["score"]) for r in rows] == list(out["score"])
    assert [r["reasons"] for r in rows] == list(out["reasons"])
    assert [r["e164"] for r in rows] == list(out["e164"])
    assert [float(r["rate"]) for r in rows] == list(out["rate"])
