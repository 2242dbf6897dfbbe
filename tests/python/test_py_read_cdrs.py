"""tollguard.read_cdrs: CSV and Asterisk Master.csv, bad rows, strict."""

import pandas as pd
import pytest

import tollguard

S = tollguard.STATUS

CSV = (
    "Start,Account,dialed,duration,label,cost,note\r\n"
    "2026-03-02T10:00:00+09:00,acme,0312345678,60,0,0.03,\"a, b\"\r\n"
    "2026-03-02 01:01:00Z,acme,0312345678,x,0,0.03,bad duration\r\n"
    "1772413320,beta,+1 876 555 1234,120,1,1.20,\"say \"\"hi\"\"\"\r\n"
)

MASTER = (
    '"acme","201","0312345678","from-internal","""Desk"" <201>","SIP/201-1","SIP/t-2","Dial","SIP/t/03,60",'
    '"2026-03-02 10:15:03","2026-03-02 10:15:10","2026-03-02 10:20:10",307,300,"ANSWERED","DOCUMENTATION",'
    '"1772414103.1",""\n'
    '"","202","0101876555123","from-internal","x","SIP/202-1","","Dial","",'
    '"2026-03-02 23:59:59","","2026-03-03 00:00:30",31,0,"NO ANSWER","DOCUMENTATION","1772414104.2","vip"\n'
    '"acme","201","031"\n'
)


def test_read_csv(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CSV, newline="")
    with pytest.warns(RuntimeWarning, match="line 3"):
        df = tollguard.read_cdrs(path)
    assert list(df.columns) == ["start", "account", "dialed", "duration", "label", "cost", "note"]
    assert len(df) == 2
    assert df["start"].tolist() == [pd.Timestamp("2026-03-02T01:00:00Z"), pd.Timestamp(1772413320, unit="s", tz="UTC")]
    assert df["duration"].tolist() == [60, 120] and df["duration"].dtype.kind == "i"
    assert df["label"].tolist() == [0, 1] and df["cost"].tolist() == [0.03, 1.2]
    assert df["note"].tolist() == ["a, b", 'say "hi"']
    assert df.attrs["bad_count"] == 1
    assert df.attrs["bad_rows"][0][0] == 3 and "bad duration 'x'" in df.attrs["bad_rows"][0][1]


def test_read_csv_strict_and_errors(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CSV, newline="")
    with pytest.raises(tollguard.Error) as e:
        tollguard.read_cdrs(path, strict=True)
    assert e.value.line == 3 and e.value.status == S["E_INVALID_ARGUMENT"]
    with pytest.raises(tollguard.Error) as e:
        tollguard.read_cdrs(tmp_path / "none.csv")
    assert e.value.status == S["E_IO"]
    (tmp_path / "h.csv").write_text("when,account,dialed,duration\n")
    with pytest.raises(tollguard.Error) as e:
        tollguard.read_cdrs(tmp_path / "h.csv")
    assert "start" in e.value.message
    with pytest.raises(tollguard.Error):
        tollguard.read_cdrs(path, format="xml")
    with pytest.raises(TypeError):
        tollguard.read_cdrs(42)


def test_read_asterisk(tmp_path):
    path = tmp_path / "Master.csv"
    path.write_text(MASTER)
    with pytest.raises(tollguard.Error) as e:
        tollguard.read_cdrs(path, format="asterisk")
    assert "timezone" in e.value.message
    with pytest.warns(RuntimeWarning, match="line 3"):
        df = tollguard.read_cdrs(path, format="asterisk", timezone="Asia/Tokyo")
    assert list(df.columns[:4]) == ["start", "account", "dialed", "duration"]
    assert {"start_local", "total_duration", "billsec", "clid", "uniqueid", "userfield"} <= set(df.columns)
    assert df["start"].tolist() == [pd.Timestamp("2026-03-02T01:15:03Z"), pd.Timestamp("2026-03-02T14:59:59Z")]
    assert df["account"].tolist() == ["acme", "202"]  # src when accountcode is empty
    assert df["dialed"].tolist() == ["0312345678", "0101876555123"]
    assert df["duration"].tolist() == [300, 0]  # billsec
    assert df["total_duration"].tolist() == [307, 31]
    assert df["clid"][0] == '"Desk" <201>' and df["userfield"][1] == "vip"
    out = tollguard.replay(df, timezone="Asia/Tokyo")
    assert out["country"].tolist() == ["JP", "JM"]


def test_read_asterisk_utc_and_dst(tmp_path):
    path = tmp_path / "Master.csv"
    path.write_text(MASTER.split("\n")[0] + "\n")
    df = tollguard.read_cdrs(path, format="asterisk", timezone="UTC")
    assert df["start"][0] == pd.Timestamp("2026-03-02T10:15:03Z")
    # New York: 2026-03-08 02:30 does not exist (clocks go forward): read as 03:30 EDT = 07:30Z;
    # 2026-11-01 01:30 happens twice: the first (EDT, 05:30Z).
    lines = [MASTER.split("\n")[0].replace("2026-03-02 10:15:03", t) for t in ("2026-03-08 02:30:00", "2026-11-01 01:30:00", "2026-07-01 12:00:00")]
    path.write_text("\n".join(lines) + "\n")
    df = tollguard.read_cdrs(path, format="asterisk", timezone="America/New_York")
    assert df["start"].tolist() == [pd.Timestamp("2026-03-08T07:30:00Z"), pd.Timestamp("2026-11-01T05:30:00Z"),
                                    pd.Timestamp("2026-07-01T16:00:00Z")]
