"""tollguard.Engine: check, begin/end, reload, save_state, stats, times, errors."""

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

import tollguard
from conftest import MONDAY_10_JST, SUNDAY_03_JST

S = tollguard.STATUS


def test_check_domestic_sapporo(engine):
    d = engine.check("011-234-5678", account="acme", at=MONDAY_10_JST)
    assert isinstance(d, tollguard.Decision)
    assert (d.action, d.action_code, d.status, d.status_text) == ("allow", 0, 0, "ok")
    assert (d.e164, d.country, d.number_type, d.risk_tier) == ("81112345678", "JP", "FIXED_LINE", 0)
    assert d.rate == pytest.approx(d.rate_micros / 1e6) and d.rate_micros > 0
    assert d.reasons == [] and d.top_reason is None


def test_check_jamaica(engine):
    d = engine.check("+1 876 555 1234", at=MONDAY_10_JST)
    assert (d.e164, d.country, d.number_type) == ("18765551234", "JM", "MOBILE")
    assert "high_risk_country" in d.reasons
    assert d.top_reason in d.reasons
    assert d.risk_tier == 2
    assert set(d.as_dict()) >= {"action", "score", "reasons", "top_reason", "e164", "country", "number_type",
                                "risk_tier", "rate", "rate_micros", "max_duration_s", "status", "status_text"}


def test_malformed_number_is_a_decision_not_an_exception(engine):
    d = engine.check("garbage", at=MONDAY_10_JST)
    assert d.status == S["E_NUMBER_CHARS"] and d.status_name == "number_chars"
    assert d.action == "alert"  # the default policy's treatment of malformed numbers
    assert d.e164 == "" and d.country == "" and d.number_type == "UNKNOWN"
    assert engine.check("", at=MONDAY_10_JST).status == S["E_NUMBER_EMPTY"]
    assert "status=5" in repr(d)


def test_at_forms_are_equivalent(engine):
    night = SUNDAY_03_JST
    utc = night.astimezone(dt.timezone.utc)
    forms = [night, utc, utc.replace(tzinfo=None), pd.Timestamp(night), np.datetime64(utc.replace(tzinfo=None)),
             int(utc.timestamp()), float(utc.timestamp()), "2026-03-01T03:00:00+09:00", "2026-02-28 18:00:00Z",
             "2026-03-01T03:00:00"]  # naive text: the engine's timezone
    decisions = [engine.check("0312345678", at=at) for at in forms]
    assert all("night" in d.reasons for d in decisions)
    assert len({(d.score, tuple(d.reasons)) for d in decisions}) == 1
    assert "night" not in engine.check("0312345678", at=MONDAY_10_JST).reasons


def test_bad_times(engine):
    with pytest.raises(TypeError):
        engine.check("0312345678", at=object())
    with pytest.raises(TypeError):
        engine.check("0312345678", at=True)
    for bad in (1e20, 5, float("nan"), "1999-01-01T00:00:00Z", pd.NaT, "tomorrow"):
        with pytest.raises(tollguard.Error) as e:
            engine.check("0312345678", at=bad)
        assert e.value.status == S["E_TIME"]


def test_wrong_types_and_bad_arguments(engine):
    with pytest.raises(TypeError):
        engine.check(312345678)
    with pytest.raises(TypeError):
        engine.check("0312345678", account=7)
    with pytest.raises(TypeError):
        tollguard.Engine(max_accounts="many")
    with pytest.raises(TypeError):
        tollguard.Engine(home_country=81)
    with pytest.raises(tollguard.Error) as e:
        tollguard.Engine(max_live_calls=-1)
    assert e.value.status == S["E_INVALID_ARGUMENT"]
    with pytest.raises(tollguard.Error) as e:
        engine.check("0312345678", account="")
    assert e.value.status == S["E_ACCOUNT"]
    with pytest.raises(tollguard.Error) as e:
        engine.begin("0312345678", call_id=2**64)
    assert e.value.status == S["E_INVALID_ARGUMENT"]


def test_bad_country_timezone_and_policy_path(tmp_path):
    with pytest.raises(tollguard.Error) as e:
        tollguard.Engine(home_country="XX")
    assert e.value.status == S["E_POLICY"] and "'XX'" in e.value.message
    assert e.value.line == 0 and e.value.column == 0
    with pytest.raises(tollguard.Error) as e:
        tollguard.Engine(timezone="Mars/Olympus")
    assert "Mars/Olympus" in str(e.value)
    with pytest.raises(tollguard.Error) as e:
        tollguard.Engine(policy=tmp_path / "missing.textproto")
    assert e.value.status == S["E_IO"] and e.value.status_name == "io"
    assert "missing.textproto" in e.value.message


def test_broken_policy_has_line_and_column(broken_policy):
    with pytest.raises(tollguard.Error) as e:
        tollguard.Engine(policy=str(broken_policy))
    err = e.value
    assert (err.status, err.line, err.column) == (S["E_POLICY"], 3, 14)
    assert err.message.startswith(f"{broken_policy}:3:14:")
    assert isinstance(err, Exception) and err.args[0] == S["E_POLICY"]


def test_begin_end_and_stats(engine):
    s0 = engine.stats()
    assert s0["live_calls"] == 0 and s0["decisions"] == 0 and s0["prefixes"] > 1000
    d = engine.begin("0312345678", account="acme", call_id=41, at=MONDAY_10_JST)
    assert d.action == "allow"
    s1 = engine.stats()
    assert (s1["live_calls"], s1["decisions"], s1["accounts"]) == (1, 1, 1)
    assert engine.end(41, 60, at=MONDAY_10_JST + dt.timedelta(seconds=60)) == S["OK"]
    assert engine.stats()["live_calls"] == 0
    with pytest.raises(tollguard.Error) as e:
        engine.end(41, 60)
    assert e.value.status == S["E_UNKNOWN_CALL"]
    # billed longer than the call: ended anyway, status E_TIME
    engine.begin("0312345679", account="acme", call_id=42, at=MONDAY_10_JST)
    assert engine.end(42, 600, at=MONDAY_10_JST + dt.timedelta(seconds=10)) == S["E_TIME"]
    assert engine.stats()["live_calls"] == 0


def test_blocked_call_never_becomes_live(engine):
    d = engine.begin("+8821234567", account="acme", call_id=7, at=SUNDAY_03_JST)
    assert d.action == "block" and "intl_network" in d.reasons
    s = engine.stats()
    assert s["blocked"] == 1 and s["live_calls"] == 0
    with pytest.raises(tollguard.Error):
        engine.end(7, 10, at=SUNDAY_03_JST + dt.timedelta(seconds=10))


def test_reload(engine, broken_policy, tmp_path):
    v = engine.stats()["policy_version"]
    with pytest.raises(tollguard.Error) as e:
        engine.reload(broken_policy)
    assert e.value.line == 3
    assert engine.stats()["policy_version"] == v  # the old policy stays
    good = tmp_path / "good.textproto"
    good.write_text('name: "small"\nhome_country: "JP"\ntimezone: "Asia/Tokyo"\nprofiles { name: "default" }\n')
    engine.reload(good)
    assert engine.stats()["policy_version"] == v + 1
    assert engine.policy == str(good)


def test_save_and_load_state(tmp_path):
    with tollguard.Engine() as e:
        with pytest.raises(tollguard.Error) as err:
            e.save_state()  # no state path
        assert err.value.status == S["E_INVALID_ARGUMENT"]
        for i in range(3):
            e.begin(f"031234567{i}", account=f"acct{i}", at=MONDAY_10_JST)
        e.save_state(tmp_path / "s.state")
    assert (tmp_path / "s.state").stat().st_size > 0
    with tollguard.Engine(state=tmp_path / "s.state") as e:
        assert e.stats()["accounts"] == 3
        e.begin("0312345670", account="acct9", at=MONDAY_10_JST)
        e.save_state()  # to its own state path
    with tollguard.Engine(state=str(tmp_path / "s.state")) as e:
        assert e.stats()["accounts"] == 4


def test_corrupt_state_warns(tmp_path):
    path = tmp_path / "junk.state"
    path.write_bytes(b"junk" * 100)
    with pytest.warns(RuntimeWarning, match="tollguard"):
        e = tollguard.Engine(state=path)
    assert e.stats()["accounts"] == 0
    e.close()


def test_closed_engine_raises():
    e = tollguard.Engine()
    e.close()
    assert e.closed
    with pytest.raises(tollguard.Error) as err:
        e.check("0312345678")
    assert "closed" in err.value.message
    e.close()  # twice is fine


def test_names_and_versions():
    assert tollguard.REASONS[0] == "deny_list" and "high_risk_country" in tollguard.REASONS
    assert tollguard.reason_names((1 << 2) | (1 << 7)) == ["high_risk_country", "night"]
    assert tollguard.library_version() == tollguard.__version__
    assert tollguard.status_name(S["E_POLICY"]) == "policy"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(tollguard.Engine(home_country="JP")).startswith("tollguard.Engine(home_country='JP'")
