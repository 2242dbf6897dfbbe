"""tollguard replay: ordering, end delivery, output columns, summary, bad rows, --strict."""

import datetime as dt
import random
import re

import pytest

from clihelp import DECISION_COLUMNS, MONDAY_10_JST, by_id, decisions, iso, run, write_cdrs


def traffic(seed=7):
    """Two days of an office's calls, with overlapping long international calls (concurrency) among them."""
    rnd = random.Random(seed)
    rows = []
    t = MONDAY_10_JST
    for i in range(300):
        t += dt.timedelta(seconds=rnd.randint(5, 600))
        account = rnd.choice(["acme", "acme", "beta", "gamma-201"])
        kind = rnd.random()
        if kind < 0.6:
            dialed = f"03{rnd.randint(10**7, 10**8 - 1)}"
        elif kind < 0.8:
            dialed = f"090{rnd.randint(10**7, 10**8 - 1)}"
        else:
            dialed = f"01044207946{rnd.randint(0, 9999):04d}"
        duration = rnd.choice([0, rnd.randint(1, 300), rnd.randint(1800, 7200)])
        rows.append((iso(t), account, dialed, duration, i))
    return rows


def end_of(row):
    return dt.datetime.fromisoformat(row[0]) + dt.timedelta(seconds=row[3])


def test_end_order_input_gives_the_same_decisions_as_start_order(tmp_path):
    rows = traffic()
    in_end_order = sorted(rows, key=end_of)
    assert [r[4] for r in in_end_order] != [r[4] for r in rows]  # the two files really differ in order
    a = run("replay", write_cdrs(tmp_path / "start.csv", rows))
    b = run("replay", write_cdrs(tmp_path / "end.csv", in_end_order))
    assert a.returncode == 0 and b.returncode == 0, (a.stderr, b.stderr)
    da, db = decisions(a.stdout), decisions(b.stdout)
    assert [r["id"] for r in db] == [str(r[4]) for r in in_end_order]  # output in input order
    assert by_id(da) == by_id(db)
    assert len(da) == len(rows)


def test_ends_are_delivered_before_later_starts(tmp_path):
    # Six international calls at 10:00 and six more at 10:01. When the first six last exactly 60 s they have
    # ended (end == start of the next batch counts as before) and the second batch sees no live calls; one
    # second longer and the second batch sees six live calls, which is the default concurrency limit.
    def calls(duration):
        first = [(iso(MONDAY_10_JST), "acme", f"01044207946{i:04d}", duration, i) for i in range(6)]
        second = [(iso(MONDAY_10_JST + dt.timedelta(seconds=60)), "acme", f"01033142278{i:04d}", 60, 6 + i)
                  for i in range(6)]
        return first + second
    ended = decisions(run("replay", write_cdrs(tmp_path / "ended.csv", calls(60))).stdout)
    live = decisions(run("replay", write_cdrs(tmp_path / "live.csv", calls(61))).stdout)
    assert len(ended) == len(live) == 12
    assert not any("concurrency" in r["reasons"] for r in ended)
    assert "concurrency" in live[6]["reasons"]


def test_blocked_calls_are_never_connected(tmp_path):
    rows = [(iso(MONDAY_10_JST + dt.timedelta(seconds=10 * i)), "acme", f"01044207946{i:04d}", 3600, i)
            for i in range(12)]
    p = run("replay", write_cdrs(tmp_path / "c.csv", rows))
    assert p.returncode == 0, p.stderr
    out = decisions(p.stdout)
    blocked = sum(r["action"] == "block" for r in out)
    assert blocked > 0
    # A tg_call_end for a blocked (never live) call would fail with TG_E_UNKNOWN_CALL and be reported.
    assert "engine errors" not in p.stderr
    assert re.search(rf"calls 12, blocked {blocked} ", p.stderr)


def test_columns_quoting_crlf_and_time_forms(tmp_path):
    t = MONDAY_10_JST.astimezone(dt.timezone.utc)
    path = tmp_path / "q.csv"
    with open(path, "w", newline="") as f:
        f.write("id,start,note,account,dialed,duration\r\n")
        f.write(f'1,{t:%Y-%m-%dT%H:%M:%S}Z,"a, b",acme,0112345678,60\r\n')
        f.write(f'2,{t:%Y-%m-%d %H:%M:%S}Z,"say ""hi""","ac,me",+1 876 555 1234,0\r\n')
        f.write(f'3,{int(t.timestamp())}.5,"multi\r\nline",acme,"03 1234 5678",10\r\n')
    p = run("replay", path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.split("\n")
    assert lines[0] == "id,start,note,account,dialed,duration," + ",".join(DECISION_COLUMNS)
    assert lines[1].startswith(f'1,{t:%Y-%m-%dT%H:%M:%S}Z,"a, b",acme,0112345678,60,allow,')
    assert lines[2].startswith(f'2,{t:%Y-%m-%d %H:%M:%S}Z,"say ""hi""","ac,me",+1 876 555 1234,0,')
    out = decisions(p.stdout)
    assert [r["id"] for r in out] == ["1", "2", "3"]
    assert out[0]["e164"] == "81112345678" and out[0]["country"] == "JP" and out[0]["rate"] == "0.03"
    assert out[1]["account"] == "ac,me" and out[1]["country"] == "JM" and "high_risk_country" in out[1]["reasons"]
    assert out[2]["note"] == "multi\r\nline" and out[2]["e164"] == "81312345678"


def test_summary_with_labels_matches_the_decisions(tmp_path):
    rows = [r + (1 if r[2].startswith("010") and r[3] > 1000 else 0, round(r[3] / 60 * 0.5, 4))
            for r in traffic(seed=3)]
    path = write_cdrs(tmp_path / "l.csv", rows, ("start", "account", "dialed", "duration", "id", "label", "cost"))
    p = run("replay", path)
    assert p.returncode == 0, p.stderr
    out = decisions(p.stdout)
    blocked = sum(r["action"] == "block" for r in out)
    alerted = sum(r["action"] == "alert" for r in out)
    assert re.search(rf"calls {len(rows)}, blocked {blocked} \(.*alerted {alerted} ", p.stderr), p.stderr
    def billed(r):  # a call let through is cut at max_duration_s
        cap = int(r["max_duration_s"])
        return min(int(r["duration"]), cap) if cap > 0 else int(r["duration"])

    at_risk = sum(float(r["rate"]) * billed(r) / 60 for r in out if r["action"] != "block")
    assert f"money at risk (rate x duration of calls let through): {at_risk:.2f}" in p.stderr
    fraud = [r for r in out if r["label"] == "1"]
    through = sum(float(r["cost"]) * (billed(r) / int(r["duration"]) if int(r["duration"]) else 1)
                  for r in fraud if r["action"] != "block")
    total = sum(float(r["cost"]) for r in fraud)
    assert fraud
    assert f"fraud money let through {through:.2f} of {total:.2f}" in p.stderr
    legit_blocked = sum(r["label"] == "0" and r["action"] == "block" for r in out)
    assert f"legitimate calls blocked {legit_blocked} of {len(out) - len(fraud)} " in p.stderr


def test_stdin_and_missing_header_column(tmp_path):
    rows = traffic()[:5]
    text = "start,account,dialed,duration,id\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)
    p = run("replay", "-", stdin=text)
    assert p.returncode == 0 and len(decisions(p.stdout)) == 5
    p = run("replay", "-", stdin="start,account,number,duration\n")
    assert p.returncode == 1
    assert "<stdin>: line 1: header row lacks column(s): dialed" in p.stderr
    p = run("replay", tmp_path / "nope.csv")
    assert p.returncode == 1 and "cannot open" in p.stderr


BAD = """start,account,dialed,duration
2026-03-02T10:00:00+09:00,acme,0112345678,60
2026-03-02T10:01:00,acme,0112345678,60
2026-03-02T10:02:00+09:00,acme,0112345678,-5
2026-03-02T10:03:00+09:00,acme,0112345678

2026-03-02T10:04:00+09:00,,0112345678,60
1999-12-31T10:04:00+09:00,acme,0112345678,60
2026-03-02T10:05:00+09:00,acme,0112345678,60
"""


def test_bad_rows_are_reported_skipped_and_counted(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    p = run("replay", path)
    assert p.returncode == 0, p.stderr
    assert len(decisions(p.stdout)) == 2
    expected = [(3, "start time has no UTC offset"), (4, "bad duration '-5'"), (5, "expected 4 fields"),
                (7, "empty account"), (8, "out of range")]
    for line, text in expected:
        assert re.search(rf"^{re.escape(str(path))}:{line}: .*{re.escape(text)}", p.stderr, re.M), (line, p.stderr)
    assert "5 bad rows skipped" in p.stderr


def test_naive_times_are_read_in_the_timezone(tmp_path):
    def replay_one(start, zone):
        path = tmp_path / "one.csv"
        path.write_text(f"start,account,dialed,duration\n{start},acme,0112345678,60\n")
        out = decisions(run("replay", "--timezone", zone, path).stdout)
        assert len(out) == 1
        return {c: out[0][c] for c in DECISION_COLUMNS}

    # --timezone is both the zone of naive times and the accounts' zone (office hours, night).
    assert replay_one("2026-03-02T10:01:00", "Asia/Tokyo") == replay_one("2026-03-02T10:01:00+09:00", "Asia/Tokyo")
    assert replay_one("2026-03-02T10:01:00", "UTC") == replay_one("2026-03-02T10:01:00Z", "UTC")
    night = replay_one("2026-03-02T10:01:00+09:00", "UTC")  # 01:01 UTC
    assert "night" in night["reasons"]
    assert "night" not in replay_one("2026-03-02T10:01:00", "UTC")["reasons"]
    p = run("replay", "--timezone", "Mars/Olympus", tmp_path / "one.csv")
    assert p.returncode == 1 and "Mars/Olympus" in p.stderr


def test_strict_stops_at_the_first_bad_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    p = run("replay", "--strict", path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert f"{path}:3: bad start time" in p.stderr
    assert f"{path}:4:" not in p.stderr
    assert "--strict" in p.stderr


@pytest.mark.parametrize("policy", ["missing.textproto"])
def test_replay_with_unusable_policy_exits_1(tmp_path, policy):
    p = run("replay", "--policy", tmp_path / policy, "-", stdin="start,account,dialed,duration\n")
    assert p.returncode == 1
    assert "cannot open" in p.stderr


def _stderr_on_a_terminal(*args):
    """Runs the CLI with stderr on a pseudo-terminal; returns what it wrote there."""
    import os
    import pty
    import subprocess

    from clihelp import cli_path
    master, slave = pty.openpty()
    try:
        subprocess.run([cli_path(), *map(str, args)], stdout=subprocess.DEVNULL, stderr=slave, timeout=60, check=True)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other side is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode()


def test_progress_line_only_on_a_terminal(tmp_path):
    path = write_cdrs(tmp_path / "p.csv", traffic()[:3])
    tty = _stderr_on_a_terminal("replay", path)
    assert "\rreplay 3/3 rows" in tty
    assert "calls 3" in tty
    quiet = _stderr_on_a_terminal("replay", "--quiet", path)
    assert "replay 3/3" not in quiet and "calls 3" not in quiet
    piped = run("replay", path)
    assert "\r" not in piped.stderr and "calls 3" in piped.stderr


def test_bundled_sample_replays():
    import os

    from clihelp import SOURCE_DIR
    path = os.path.join(SOURCE_DIR, "examples", "data", "sample_cdrs_jp.csv")
    if not os.path.exists(path):
        pytest.skip("examples/data/sample_cdrs_jp.csv not present")
    with open(path) as f:
        n = sum(1 for _ in f) - 1
    p = run("replay", path)
    assert p.returncode == 0, p.stderr
    out = decisions(p.stdout)
    assert len(out) == n
    assert f"calls {n}, blocked " in p.stderr and "0 bad rows skipped" in p.stderr
    assert "fraud money let through" in p.stderr and "by the cost column" in p.stderr
    assert {r["action"] for r in out} == {"allow", "alert", "block"}
