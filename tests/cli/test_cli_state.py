"""tollguard replay --state FILE: the account history survives between runs."""

import datetime as dt

from clihelp import DECISION_COLUMNS, MONDAY_10_JST, decisions, iso, run, write_cdrs


def history():
    """Ten working days of an office calling Tokyo and London, then two more days."""
    rows = []
    i = 0
    for day in range(14):
        t0 = MONDAY_10_JST + dt.timedelta(days=day)
        if t0.weekday() >= 5:
            continue
        for k in range(6):
            dialed = f"0335{(day * 10 + k):06d}" if k < 5 else f"01044207946{day:04d}"
            rows.append((iso(t0 + dt.timedelta(minutes=37 * k)), "acme", dialed, 90, i))
            i += 1
    return rows


def strip(rows):
    return [{c: r[c] for c in DECISION_COLUMNS} for r in rows]


def test_state_round_trip(tmp_path):
    rows = history()
    first, second = rows[:-12], rows[-12:]
    full = decisions(run("replay", write_cdrs(tmp_path / "all.csv", rows)).stdout)

    state = tmp_path / "acme.state"
    p1 = run("replay", "--state", state, write_cdrs(tmp_path / "first.csv", first))
    assert p1.returncode == 0, p1.stderr
    assert state.exists() and state.stat().st_size > 0
    p2 = run("replay", "--state", state, write_cdrs(tmp_path / "second.csv", second))
    assert p2.returncode == 0, p2.stderr
    resumed = decisions(p2.stdout)
    fresh = decisions(run("replay", tmp_path / "second.csv").stdout)

    assert strip(resumed) == strip(full[-12:])
    assert strip(fresh) != strip(resumed)  # without the state the account looks new
    assert any("new_account" in r["reasons"] for r in fresh)
    assert not any("new_account" in r["reasons"] for r in resumed)


def test_corrupt_state_is_a_warning(tmp_path):
    state = tmp_path / "junk.state"
    state.write_bytes(b"this is not a tollguard state snapshot" * 10)
    p = run("replay", "--state", state, write_cdrs(tmp_path / "a.csv", history()[:3]))
    assert p.returncode == 0, p.stderr
    assert "tollguard: warning:" in p.stderr
    assert len(decisions(p.stdout)) == 3
