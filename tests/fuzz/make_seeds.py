#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses (tests/fuzz/corpus/<harness>/seed_*).

Deterministic; rerun after a harness's input format changes. Files the fuzzers add later (found by
tools/reliability.sh, minimized) live beside the seeds under other names and are left alone.

Usage: tests/fuzz/make_seeds.py --lib build/lib/libtollguard.so
(the library makes the real state snapshots that seed the snapshot harness).
"""
import argparse
import ctypes
import os
import struct
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def write(harness, name, data):
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed_" + name), "wb") as f:
        f.write(data)


# ----------------------------------------------------------------------------------------------- normalize
def normalize_seeds():
    # byte 0: country (JP US GB DE FR AU BR) + 7 * pbx-variant
    cases = [
        (0, "jp_domestic", "03-1234-5678"), (0, "jp_intl", "010 44 20 7946 0000"), (0, "jp_sapporo", "011-123-4567"),
        (0, "jp_carrier", "001 010 1 212 555 0100"), (0, "jp_kddi", "001 1 212 555 0100"), (0, "jp_0044", "0044 20 7946 0000"),
        (0, "jp_mobile", "090-1234-5678"), (0, "jp_short", "110"), (0, "sip", "sip:+81312345678@pbx.example;user=phone"),
        (0, "tel_context", "tel:3-1234-5678;phone-context=+81"), (0, "percent", "sip:%2B44%20909%20879%200000@x"),
        (0, "plus_letters", "+1-800-FLOWERS"), (0, "empty", ""), (0, "long", "1" * 40), (0, "unassigned", "+999123456"),
        (1, "us_nanp", "1 (212) 555-0100"), (1, "us_10", "2125550100"), (1, "us_intl", "011 44 20 7946 0000"),
        (1, "us_911", "911"), (1, "us_jamaica", "1-876-555-0123"), (8, "us_pbx_local", "9 555 0100"),
        (8, "us_pbx_intl", "9 011 81 3 1234 5678"), (7, "jp_pbx", "0 03 1234 5678"), (2, "gb", "020 7946 0000"),
        (2, "gb_premium", "0909 879 0000"), (3, "de", "030 123456"), (4, "fr", "01 23 45 67 89"), (5, "au", "0011 81 3 1234 5678"),
        (5, "au_000", "000"), (6, "br_carrier", "0021 1 212 555 0100"), (6, "br", "(11) 91234-5678"),
        (0, "sat", "+882 16 1234 5678"), (0, "nul_bytes", "03\x001234\x005678"),
    ]
    for sel, name, s in cases:
        write("normalize", name, bytes([sel]) + s.encode())


# ----------------------------------------------------------------------------------------------- policy
def policy_seeds():
    with open(os.path.join(ROOT, "lib/policy/default_policy.textproto")) as f:
        write("policy", "default", f.read())
    seeds = {
        "empty": "",
        "country_us": 'home_country: "US" timezone: "America/New_York" outside_line: "9" local_area_code: "212"\n',
        "tables": 'tables { rate_deck: "rates.csv" overrides: "overrides.csv" override { prefix: "4420" action: BLOCK set_tier: true risk_tier: 0 rate: 0.5 } }\n',
        "no_default_table": 'tables { no_default_table: true rate_deck: "rates.csv" }\n',
        "bad_csv": 'tables { rate_deck: "bad.csv" }\n',
        "missing_csv": 'tables { overrides: "nope.csv" }\n',
        "profiles": ('profiles { name: "default" alert_score: 300 block_score: 500 }\n'
                     'profiles { name: "24x7" hours { always_open: true } weights { night: 0 } }\n'
                     'profiles { name: "night" hours { start_hour: 20 end_hour: 24 weekdays: [6, 7] night_start_hour: 1 night_end_hour: 5 } }\n'
                     'accounts { prefix: "hotel-" profile: "24x7" timezone: "Europe/London" }\n'
                     'accounts { name: "nightshift" profile: "night" }\n'),
        "no_defaults": 'no_defaults: true\nname: "bare"\nprofiles { name: "default" }\n',
        "risk": ('risk { high_risk_countries: ["CU", "JM"] high_risk_tier: 3 intl_network_codes: ["881"] '
                 'high_risk_rate_multiplier: 2.5 high_rate: 1.5 types { type: "MOBILE" tier: 2 domestic_tier: 1 '
                 'international_rate: 0.3 domestic_rate: 0.1 } }\n'),
        "thresholds": ('profiles { name: "default" thresholds { attempts_1m: 1.5 attempts_10m: 0 concurrent_calls: 1 '
                       'sweep_length: 2 learn_min_days: 0 unusual_volume_factor: 0.5 } budget { spend_per_hour: 0.01 '
                       'spend_per_day: 1e6 max_call_cost: 3 max_call_duration_s: 10 } }\n'),
        "limits_state": 'limits { max_accounts: 1 max_live_calls: 1 idle_days: 1 }\nstate { fail_closed: true }\ninvalid_numbers { malformed: BLOCK short_code: ALERT }\n',
        "holidays": 'holidays: ["2026-12-31", "2027-01-04"]\n',
        "bad_holiday": 'holidays: ["2026-02-30"]\n',
        "bad_syntax": 'profiles { name: "default" alert_score: "high" }\n',
        "bad_range": 'profiles { name: "default" hours { start_hour: 25 } }\n',
        "bad_zone": 'timezone: "Mars/Olympus"\n',
        "bad_country": 'home_country: "ZZ"\n',
        "dup_profile": 'profiles { name: "x" } profiles { name: "x" }\n',
        "bad_account": 'accounts { name: "a" prefix: "b" }\n',
        "unknown_field": 'no_such_field: 1\n',
        "bad_override": 'tables { override { prefix: "+44" } }\n',
        "bad_type": 'risk { types { type: "SATELLITE" } }\n',
        "comment_utf8": '# コメント\nname: "東京"\n',
    }
    for name, text in seeds.items():
        write("policy", name, text)


# ----------------------------------------------------------------------------------------------- tables
def tables_seeds():
    with open(os.path.join(ROOT, "lib/destination/data/default_table.csv")) as f:
        head = "".join(f.readlines()[:60])
    write("tables", "range_head", bytes([0]) + head.encode())
    write("tables", "range_head_us", bytes([0 | 8]) + head.encode())
    write("tables", "rate_deck", bytes([1 | 4]) + b"prefix,description,rate\n+44 20,London,0.02\n44-7,UK mobile,0.12\n"
          b"8821,Thuraya,9.50\n1876,Jamaica,0.35\n\"81\",\"Japan, fixed\",0.03\r\n# comment\n\n")
    write("tables", "rate_deck_bad", bytes([1]) + b"prefix,description,rate\n44,UK,-1\n")
    write("tables", "rate_deck_nan", bytes([1]) + b"44,UK,nan\n45,DK,inf\n46,SE,1e400\n")
    write("tables", "overrides", bytes([2 | 4 | 16]) + b"prefix,action,risk_tier,note\n881,block,3,satellite\n8190,alert,,\n"
          b"32,,1,\n4420,ALLOW,0,\"quoted, note\"\n")
    write("tables", "overrides_bad", bytes([2]) + b"881,deny,3\n")
    write("tables", "all_three", bytes([3 | 4]) + b"44,GB,FIXED_LINE\n449,GB,PREMIUM_RATE\n")
    write("tables", "quotes", bytes([0]) + b"\"81\",\"JP\",\"FIXED_LINE\"\n\"8\"\"1\",JP,MOBILE\n")
    write("tables", "unterminated", bytes([1]) + b"44,\"UK,0.1\n45,DK,0.2\n")
    write("tables", "long_prefix", bytes([0]) + b"1234567890123456,US,MOBILE\n")
    write("tables", "nested", bytes([3 | 24]) + b"4,GB,FIXED_LINE\n44,GB,MOBILE\n441,GB,UNKNOWN\n4412,GB,VOIP\n44123,001,PAGER\n")


# ----------------------------------------------------------------------------------------------- snapshot
class TgStr(ctypes.Structure):
    _fields_ = [("data", ctypes.c_char_p), ("len", ctypes.c_size_t)]


class TgOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("policy_path", ctypes.c_char_p), ("home_country", ctypes.c_char_p),
                ("timezone", ctypes.c_char_p), ("state_path", ctypes.c_char_p), ("max_accounts", ctypes.c_uint32),
                ("max_live_calls", ctypes.c_uint32)]


class TgCall(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("account", TgStr), ("dialed", TgStr), ("start_unix_ms", ctypes.c_int64),
                ("call_id", ctypes.c_uint64)]


class TgDecision(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("action", ctypes.c_int32), ("score", ctypes.c_int32),
                ("top_reason", ctypes.c_int32), ("reasons", ctypes.c_uint64), ("e164", ctypes.c_char * 16),
                ("country", ctypes.c_char * 4), ("number_type", ctypes.c_int32), ("risk_tier", ctypes.c_int32),
                ("max_duration_s", ctypes.c_int32), ("rate_micros", ctypes.c_int64)]


def make_snapshot(lib, path):
    """A real snapshot: 3 accounts with history, one live call."""
    tg = ctypes.CDLL(lib)
    opts = TgOptions(ctypes.sizeof(TgOptions), None, b"JP", b"Asia/Tokyo", None, 0, 0)
    eng = ctypes.c_void_p()
    assert tg.tg_engine_create(ctypes.byref(opts), ctypes.byref(eng), None) == 0
    t0 = 1795482000000
    for i, (acct, num) in enumerate([(b"acme", b"010 32 2 555 1234"), (b"acme", b"0312345678"), (b"hotel-1", b"+44 909 879 0000"),
                                     (b"trunk", b"010 1 212 555 0100"), (b"trunk", b"010 1 212 555 0101")]):
        c = TgCall(ctypes.sizeof(TgCall), TgStr(acct, len(acct)), TgStr(num, len(num)), t0 - 86400000 * (5 - i), 100 + i)
        d = TgDecision()
        d.struct_size = ctypes.sizeof(TgDecision)
        tg.tg_call_begin(eng, ctypes.byref(c), ctypes.byref(d))
        if i != 4:
            tg.tg_call_end(eng, ctypes.c_uint64(100 + i), ctypes.c_int64(t0 - 86400000 * (5 - i) + 300000), ctypes.c_int32(240))
    assert tg.tg_engine_save_state(eng, path.encode(), None) == 0
    tg.tg_engine_destroy(eng)
    with open(path, "rb") as f:
        return f.read()


def snapshot_seeds(lib):
    with tempfile.TemporaryDirectory() as d:
        snap = make_snapshot(lib, os.path.join(d, "seed.state"))
    magic, fmt, rver, rsize, lsize, nacc, nlive = struct.unpack_from("<8sIIIIQQ", snap, 0)
    assert magic == b"TGSTATE\n" and nlive == 1, (magic, nlive)
    body = snap[40:-8]
    records = [body[i * rsize:(i + 1) * rsize] for i in range(nacc)]
    live = body[nacc * rsize:]
    write("snapshot", "raw_valid", b"\x00" + snap)
    write("snapshot", "raw_truncated", b"\x00" + snap[:-20])
    write("snapshot", "raw_bad_magic", b"\x00" + b"TGSTATX\n" + snap[8:])
    write("snapshot", "raw_bad_version", b"\x00" + snap[:8] + struct.pack("<I", 99) + snap[12:])
    write("snapshot", "raw_flipped", b"\x00" + snap[:100] + bytes([snap[100] ^ 0x5A]) + snap[101:])
    write("snapshot", "raw_huge_counts", b"\x00" + snap[:24] + struct.pack("<QQ", 2**62, 2**62) + snap[40:])
    write("snapshot", "raw_empty", b"\x00")
    # Fixed mode: byte 1 = live-call count, then 8 records (the real ones, zero-padded), then live entries.
    recs = b"".join(records) + b"\x00" * (8 - len(records)) * rsize
    write("snapshot", "fixed_real", b"\x01\x01" + recs + live)
    write("snapshot", "fixed_zero", b"\x01\x00")
    write("snapshot", "fixed_ff", b"\x01\x04" + b"\xff" * (8 * rsize + 4 * lsize))
    write("snapshot", "fixed_real_x3", b"\x01\x03" + records[0] * 8 + live * 3)
    # Patched mode (byte 0 = 2): a real snapshot made by the harness, a few bytes changed:
    # n, then n x (region: even records / odd live, bit 1 set / xor; offset u16 BE; value), then decisions.
    import random
    rnd = random.Random(7)

    def patched(name, patches, tail=b""):
        b = bytearray([2, len(patches)])
        for sel, off, val in patches:
            b += bytes([sel]) + struct.pack(">H", off) + bytes([val])
        write("snapshot", "patched_" + name, bytes(b) + tail)

    patched("none", [], bytes(range(40)))
    patched("few", [(0, 0x10, 0xFF), (2, 0x100, 0x7F), (1, 0x08, 0x01)])
    patched("live", [(1, 0x20, 0x80), (3, 0x48, 0x03), (1, 0x60, 0xFF)])
    patched("many", [(rnd.randrange(4), rnd.randrange(65536), rnd.randrange(256)) for _ in range(16)], bytes(64))
    patched("set_ff", [(2, o, 0xFF) for o in range(64, 64 + 16)])


# ----------------------------------------------------------------------------------------------- c_api
ACCOUNTS = 6
DIALED = 16


class Ops:
    """Encodes operations the way c_api_fuzz.cc reads them: op byte % 9 is the operation, >= 128 engine 1."""

    def __init__(self, engine=0):
        self.b = bytearray()
        self.base = 135 if engine else 0  # 135 % 9 == 0

    def op(self, n):
        self.b += bytes([self.base + n])

    def time(self, kind="day", minutes=0, raw=0):
        if kind == "now":
            self.b += bytes([0])
        elif kind == "min":
            self.b += bytes([1, raw])
        elif kind == "max":
            self.b += bytes([2, raw])
        elif kind == "raw":
            self.b += bytes([3]) + struct.pack(">q", raw)
        else:
            self.b += bytes([4]) + struct.pack(">h", minutes)

    def id(self, kind="small", n=1):
        if kind == "zero":
            self.b += bytes([0])
        elif kind == "live":
            self.b += bytes([1, n])
        elif kind == "raw":
            self.b += bytes([2]) + struct.pack(">Q", n)
        else:
            self.b += bytes([3, (n - 1) % 96])

    def call(self, op, account=0, dialed=0, minutes=0, id_kind="small", n=1, variant=0, time_kind="day", raw_time=0,
             account_bytes=None, dialed_bytes=None, tenant=0, tenant_bytes=None, dialed_pad=None):
        self.op(op)
        if account_bytes is None:
            self.b += bytes([account])
        else:
            self.b += bytes([200, len(account_bytes)]) + account_bytes
        if dialed_bytes is None:
            self.b += bytes([dialed])
        elif dialed_pad is None:
            self.b += bytes([160, len(dialed_bytes)]) + dialed_bytes
        else:  # dialed_bytes + dialed_pad // 4 '1's
            self.b += bytes([161, len(dialed_bytes)]) + dialed_bytes + bytes([dialed_pad])
        self.time(time_kind, minutes, raw_time)
        self.id(id_kind, n)
        if tenant_bytes is None:
            self.b += bytes([tenant])  # < 200: none; 200..229: a known name
        else:
            self.b += bytes([230, len(tenant_bytes)]) + tenant_bytes
        self.b += bytes([variant])
        return self

    def begin(self, **kw):
        return self.call(0, **kw)

    def score(self, **kw):
        return self.call(3, **kw)

    def end(self, id_kind="live", n=0, minutes=5, billed=60):
        self.op(5)
        self.id(id_kind, n)
        self.time("day", minutes)
        self.b += bytes([0, billed & 0xFF])
        return self

    def reload(self, k):
        self.op(7)
        self.b += bytes([k])
        return self

    def stats(self):
        self.op(8)
        return self


def c_api_seeds():
    o = Ops().begin(account=0, dialed=0, n=1).stats().end(n=0).stats()
    write("c_api", "lifecycle", o.b)
    o = Ops()
    for i in range(6):
        o.begin(account=0, dialed=3, n=2 + i, minutes=i)
    o.score(account=0, dialed=3).stats()
    for _ in range(6):
        o.end(n=0)
    write("c_api", "premium_burst", o.b)
    write("c_api", "duplicate_id", Ops().begin(n=7).begin(n=7, dialed=2).stats().end(n=0).end(id_kind="small", n=7).b)
    for k in range(6):  # one reload per input counts
        o = Ops(engine=1).begin(account=k % ACCOUNTS, dialed=k, n=10 + k).reload(k).score(account=1, dialed=k + 1)
        o.begin(account=5, dialed=3, n=11 + k).stats().end(n=0).end(n=0)
        write("c_api", "reload_%d" % k, o.b)
    o = Ops(engine=1)
    for i in range(20):
        o.begin(account=i % ACCOUNTS, dialed=i % DIALED, n=i + 1, minutes=i).score(account=i % ACCOUNTS, dialed=i % DIALED)
    o.stats()
    write("c_api", "engine1_mix", o.b)
    o = Ops()
    for v in range(240, 256):
        o.begin(variant=v, n=60 + v % 8)
        o.b += bytes([70 if v % 2 else 1, 1])  # a size, and which tail word is non-zero
    write("c_api", "struct_sizes", o.b)
    o = Ops().begin(dialed_bytes=b"0312345678" + b" " * 240, dialed_pad=255, n=3).score(dialed_bytes=b"1" * 255, dialed_pad=8)
    o.begin(dialed_bytes=b"1" * 255, dialed_pad=255, time_kind="raw", raw_time=5, n=4)
    write("c_api", "overlong_dialed", o.b)
    o = Ops().begin(tenant=205, n=5).begin(tenant_bytes=b"acme", n=6).score(tenant_bytes=b"t" * 255)
    o.b += bytes([0, 0, 0, 4, 0, 0, 3, 1, 231, 255]) + b"t" * 255 + bytes([255, 0])  # a tenant over 256 bytes
    o.stats().end(n=0).end(n=0)
    write("c_api", "tenants", o.b)
    o = Ops()
    for kind, raw in [("now", 0), ("min", 0), ("min", 1), ("max", 1), ("max", 2), ("raw", -2**63), ("raw", 2**63 - 1)]:
        o.begin(time_kind=kind, raw_time=raw, n=20)
    o.end(id_kind="small", n=20).end(id_kind="zero")
    write("c_api", "times", o.b)
    write("c_api", "accounts", Ops().begin(account_bytes=b"x" * 255).begin(account_bytes=b"").begin(account_bytes=b"\x00\xff\xfe")
          .score(dialed_bytes=b"1" * 255).score(dialed_bytes=b"\xe3\x80\x80+81 3 1234 5678").b)
    o = Ops()
    for i in range(70):
        o.begin(account=i % ACCOUNTS, dialed=i % DIALED, n=i + 1, minutes=i)
    o.stats()
    write("c_api", "capacity", o.b)
    o = Ops()
    for i in range(150):
        o.begin(account_bytes=b"acct%d" % i, dialed=0, minutes=i, id_kind="zero")
    o.stats()
    write("c_api", "eviction", o.b)
    o = Ops()
    for i in range(12):
        o.begin(account=2, dialed_bytes=b"010 1 212 555 %04d" % i, n=30 + i, minutes=i)
        o.end(n=0, minutes=i + 3, billed=120)
    write("c_api", "sweep", o.b)


# ----------------------------------------------------------------------------------------------- cdr
def cdr_seeds():
    csv = ("start,account,dialed,duration,label,cost\n"
           "2026-03-02T09:15:03+09:00,acme,03-1234-5678,60,legit,0.3\n"
           "2026-03-02 09:16:00Z,acme,010 44 20 7946 0000,120.5,,\n"
           "1772410503,\"hotel, room 12\",\"+1 876 555 0123\",0,fraud,\"1,5\"\n"
           "1772410503.25,trunk,011-123-4567,7,,\n")
    write("cdr", "csv", bytes([0]) + csv.encode())
    write("cdr", "csv_naive_tokyo", bytes([2]) + b"start,account,dialed,duration\n2026-03-02 09:15:03,a,110,0\n2026-03-08 02:30:00,b,0312345678,5\n")
    write("cdr", "csv_naive_ny_dst", bytes([4]) + b"Start,Account,Dialed,Duration\n2026-03-08 02:30:00,a,2125550100,3\n2026-11-01 01:30:00,a,2125550100,3\n")
    write("cdr", "csv_bom_crlf", bytes([0]) + b"\xef\xbb\xbfstart,account,dialed,duration\r\n2026-03-02T00:00:00Z,a,1,1\r\n")
    write("cdr", "csv_bad_rows", bytes([0]) + b"start,account,dialed,duration\nx,a,1,1\n2026-03-02T00:00:00Z,,1,1\n"
          b"1999-12-31T23:59:59Z,a,1,1\n2026-03-02T00:00:00Z,a,1,-1\n2026-03-02T00:00:00Z,a,1\n\"unterminated,a,1,1\n")
    write("cdr", "csv_strict", bytes([8]) + b"start,account,dialed,duration\n2026-03-02T00:00:00Z,a,1,x\n2026-03-02T00:00:00Z,a,1,1\n")
    write("cdr", "csv_bad_header", bytes([0]) + b"when,who,what\n1,2,3\n")
    write("cdr", "csv_empty", bytes([0]))
    ast = ('"acme","201","0312345678","from-internal","""Alice"" <201>","SIP/201-0001","SIP/trunk-0002","Dial",'
           '"SIP/trunk/0312345678,60","2026-03-02 09:15:03","2026-03-02 09:15:10","2026-03-02 09:16:10",67,60,'
           '"ANSWERED","DOCUMENTATION","1772410503.1","","","1772410503.1",1\n'
           '"","202","010442079460000","from-internal","","SIP/202-0003","","Dial","","2026-03-02 23:59:59","",'
           '"2026-03-03 00:00:30",31,0,"NO ANSWER","DOCUMENTATION"\n')
    write("cdr", "asterisk_tokyo", bytes([1 | 2]) + ast.encode())
    write("cdr", "asterisk_utc_offset", bytes([1 | 6]) + ast.encode())
    write("cdr", "asterisk_no_zone", bytes([1]) + ast.encode())
    write("cdr", "asterisk_short", bytes([1 | 2]) + b'"a","1","2"\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True, help="path to libtollguard.so (for real state snapshots)")
    args = ap.parse_args()
    normalize_seeds()
    policy_seeds()
    tables_seeds()
    snapshot_seeds(os.path.abspath(args.lib))
    c_api_seeds()
    cdr_seeds()
    for h in sorted(os.listdir(CORPUS)):
        print(f"{h}: {len(os.listdir(os.path.join(CORPUS, h)))} files")


if __name__ == "__main__":
    main()
