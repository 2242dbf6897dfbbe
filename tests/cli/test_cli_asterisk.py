"""tollguard replay --format asterisk: Asterisk cdr_csv Master.csv (no header, local PBX times)."""

import datetime as dt

from clihelp import DECISION_COLUMNS, MONDAY_10_JST, decisions, run

ASTERISK_COLUMNS = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata",
                    "start", "answer", "end", "duration", "billsec", "disposition", "amaflags", "uniqueid",
                    "userfield"]


def master_csv_line(accountcode, src, dst, start, billsec, ring=7, with_ids=True):
    answer = start + dt.timedelta(seconds=ring) if billsec else None
    end = start + dt.timedelta(seconds=ring + billsec)
    fmt = "%Y-%m-%d %H:%M:%S"
    fields = [f'"{accountcode}"', f'"{src}"', f'"{dst}"', '"from-internal"', f'"""Desk {src}"" <{src}>"',
              f'"SIP/{src}-0000001a"', '"SIP/trunk-0000001b"', '"Dial"', f'"SIP/trunk/{dst},60,tT"',
              f'"{start.strftime(fmt)}"', f'"{answer.strftime(fmt) if answer else ""}"', f'"{end.strftime(fmt)}"',
              str(ring + billsec), str(billsec), '"ANSWERED"' if billsec else '"NO ANSWER"', '"DOCUMENTATION"']
    if with_ids:
        fields += [f'"{int(start.timestamp())}.{billsec}"', '""']
    return ",".join(fields)


def calls():
    """(accountcode, src, dst, local start, billsec); local times are Tokyo wall-clock times."""
    t = MONDAY_10_JST.replace(tzinfo=None)
    return [
        ("acme", "201", "0112345678", t, 120),
        ("", "202", "0101876555123", t + dt.timedelta(minutes=1), 300),  # no accountcode: account = src
        ("acme", "203", "09012345678", t + dt.timedelta(minutes=2), 0),
        ("acme", "201", "0120444444", t + dt.timedelta(hours=12), 60),  # 22:00 local: night
    ]


def test_asterisk_master_csv_matches_the_same_calls_as_csv(tmp_path):
    master = tmp_path / "Master.csv"
    rows = calls()
    # Master.csv is written when calls END; the third row is short, so put it first.
    order = [2, 0, 1, 3]
    master.write_text("\n".join(master_csv_line(*rows[i]) for i in order) + "\n")
    p = run("replay", "--format", "asterisk", "--timezone", "Asia/Tokyo", master)
    assert p.returncode == 0, p.stderr
    header = p.stdout.split("\n")[0].split(",")
    assert header == ASTERISK_COLUMNS + DECISION_COLUMNS
    ast = decisions(p.stdout)
    assert [r["dst"] for r in ast] == [rows[i][2] for i in order]
    assert ast[0]["clid"] == '"Desk 203" <203>'

    # The same calls as an ISO CSV with explicit +09:00 offsets give the same decisions.
    csv_path = tmp_path / "same.csv"
    with open(csv_path, "w") as f:
        f.write("start,account,dialed,duration\n")
        for i in order:
            acc, src, dst, start, billsec = rows[i]
            f.write(f"{start.isoformat()}+09:00,{acc or src},{dst},{billsec}\n")
    ref = decisions(run("replay", "--timezone", "Asia/Tokyo", csv_path).stdout)
    assert [{c: r[c] for c in DECISION_COLUMNS} for r in ast] == [{c: r[c] for c in DECISION_COLUMNS} for r in ref]
    assert ast[2]["country"] == "JM"
    assert "night" in ast[3]["reasons"]


def test_asterisk_needs_timezone_and_counts_bad_rows(tmp_path):
    master = tmp_path / "Master.csv"
    good = [master_csv_line(*c) for c in calls()]
    short = '"acme","201","0112345678","from-internal"'
    bad_time = good[0].replace('"2026-03-02 10:00:00"', '"02/03/2026 10:00"', 1)
    assert bad_time != good[0]
    no_account = master_csv_line("", "", "0112345678", MONDAY_10_JST.replace(tzinfo=None), 5)
    old_style = master_csv_line("acme", "201", "0112345678", MONDAY_10_JST.replace(tzinfo=None), 5, with_ids=False)
    master.write_text("\n".join([good[0], short, bad_time, no_account, old_style, good[1]]) + "\n")

    p = run("replay", "--format", "asterisk", master)
    assert p.returncode == 2 and "--timezone" in p.stderr

    p = run("replay", "--format", "asterisk", "--timezone", "Asia/Tokyo", master)
    assert p.returncode == 0, p.stderr
    assert f"{master}:2: expected at least 14 Asterisk cdr_csv fields, found 4" in p.stderr
    assert f"{master}:3: bad start time '02/03/2026 10:00'" in p.stderr
    assert f"{master}:4: no accountcode and no src" in p.stderr
    assert "3 bad rows skipped" in p.stderr
    out = decisions(p.stdout)
    assert len(out) == 3
    assert out[1]["uniqueid"] == "" and out[1]["action"] in ("allow", "alert", "block")  # short row padded

    p = run("replay", "--format", "asterisk", "--timezone", "Asia/Tokyo", "--strict", master)
    assert p.returncode == 1 and f"{master}:2:" in p.stderr and f"{master}:3:" not in p.stderr
