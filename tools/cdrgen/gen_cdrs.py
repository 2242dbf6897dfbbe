#!/usr/bin/python3
"""Labelled synthetic CDRs of a hosted PBX, for tuning and back-testing tollguard.

Usage:
  /usr/bin/python3 tools/cdrgen/gen_cdrs.py --country JP --weeks 8 --tenants 300 --seed 1 --out jp.csv

Output: CSV `start,account,dialed,duration,label,scenario,cost`, one row per call ATTEMPT, rows sorted
by END time (start + ring + billed duration) as real PBX exports are; a replayer must re-sort by `start`
(stable) to see calls in the order a policy decides them. `start` is local ISO 8601 with the tenant's UTC
offset (US tenants cross a DST change when the window does). `duration` is billed seconds, 0 = not
answered. `label` 1 = fraud. `cost` = rate per minute x duration/60 (per-second billing), in an abstract
currency unit (read it as USD).

Rate model (deterministic: the same destination always has the same rate, whatever --seed):
  home JP  fixed 0.02 same area code / 0.03 other area, mobile 090/080/070 0.10, Navi Dial 0570 0.10,
           toll free 0120/0800 0.
  home US  any 1+10-digit number in US/CA/PR/VI/GU/MP/AS 0.02 (NANP fixed and mobile are one type),
           toll free 0.
  other NANP regions (the Caribbean: JM 876, VG 284, GD 473, DO 809/829/849, BB, BM, ...): 0.20-0.50.
  ordinary international, per country (tier table RATE_TIERS below, position in the tier by a hash of
           the ISO code): cheap 0.02-0.05, mid 0.05-0.15, high 0.15-0.30; mobile numbers x1.5, max 0.30.
  IRSF ranges (blocks of 100 numbers ...00-...99 leased from IPRN providers; libphonenumber type
           PREMIUM_RATE or an ordinary fixed/mobile block in a high-cost country): 0.50-3.00 per block
           (log-uniform by a hash of the block), except NANP Caribbean blocks, which keep 0.20-0.50.
  +881/+882/+883 (satellite / international networks): 2-10 per block; +870 Inmarsat (legit ships) 3-8.

Destinations: every number is valid for libphonenumber (python3-phonenumbers is_valid_number) and of the
intended region and type: domestic numbers from real JP area codes / NANP area codes, foreign ones by
varying the trailing digits of libphonenumber's example number for (region, type).

Dialling formats (per tenant, the SAME distribution for legitimate and attack calls, so the format carries
no label signal): JP national `0...`, international `010`+CC..., 15% of tenants put a carrier-selection
code (`001`, `0033`, `0041`, `0061`) before `010`; US national 10 or 11 (`1`+10) digits, international
`011`+CC...; NANP Caribbean as `1`+10 digits (from JP `0101`+...); 30% of tenants send 5-30% of calls as
`+E164`. No outside-line access digit (the PBX strips it before export).

Tenants: t0000..tNNNN (names carry no label signal); ~20% of tenants with >=3 users are exported per
extension (`t0042-203`). Kinds: office (Mon-Fri, 8/9-18/19, a 1-2% trickle on weekends and holidays),
shop (Mon-Sat), small office (some evening and weekend work), and 24/7 hotels, call centres,
logistics. JP: national holidays, Dec 29-Jan 3 closure, Obon (Aug 13-16) at 35%; US: federal holidays (major ones closed + day after Thanksgiving; MLK, Presidents, Juneteenth,
Columbus, Veterans, Dec 24-31 at 50%). Poisson arrivals on an hour-of-day profile, lognormal durations
(median ~2-3 min), 15-30% unanswered per tenant, 30% of unanswered calls retried within 2-20 min, a
Zipf-weighted set of regular contacts; international for ~30% of tenants to a small stable set of
countries (hotels: guests call 20-30 countries), with intl calls shifted towards hours that overlap the
destination's office hours; 2.5% of international calls reach companies' shared-cost/UAN lines and
0.3% foreign premium-rate lines (label 0, priced like premium).

Scenarios. Counts are for 300 tenants and scale with --tenants (at least 1 each); --attacks and
--anomalies override them. Legitimate (label 0):
  normal             ordinary traffic
  campaign      (5)  a tenant makes 200-600 calls in one day to distinct domestic numbers (1-3 days)
  highrisk_trader (4) calls 2-4 countries on the operator high-risk list every working day, 8-22/day
  night_intl    (5)  regular weekday-night calls across time zones (JP->US/Europe, US->Asia)
  conference_fanout (4) 10-20 calls from one account within 90 s to 3-6 countries, 2-4 times
  first_new_country (8) first ever call(s) to an ordinary new country after the history period
  weekend_worker (10) someone works 1-3 weekend/holiday days (3-15 calls, some in the evening)
  maritime_satellite (2) a shipping firm calls ships on +8816 (Iridium) / +870 (Inmarsat) any hour
Fraud (label 1), only after --attack-after-weeks (default 3) of history, each on a distinct tenant not
used by a legitimate anomaly:
  irsf_burst    (6)  weekend or holiday-eve night: 5-30 concurrent channels, back-to-back 10-60 min calls for 2-14 h
                     to 1-2 IRSF blocks, half of the bursts stepping through the block (...01, ...02)
  test_call          1-3 short calls to the same block 30 min-24 h before 70% of bursts and 50% of runs
  holiday_drip  (3)  one call every 5-20 min through the longest holiday (else a weekend) to 1-2 numbers
  office_hours_run (3) 10-50 calls on a working day in office hours, 1-3 channels, to a country the
                     tenant never called
  wangiri_callback (4) 3-8 extensions of one tenant each call back one Wangiri number once (short calls);
                     events hit 1-2 tenants with the same number
Attack destinations: IRSF blocks drawn by group, JP home: 25% premium-rate blocks in listed countries,
30% ordinary blocks in listed countries, 20% +881/+882/+883, 25% countries/ranges on no list (GB/AT/LI
premium, Pacific islands, Sao Tome, Mauritania, ..., NANP Caribbean not listed: VG/GD/DO/TC/...). US home:
20% / 30% / 15% / 35% with the unlisted group mostly NANP Caribbean. Answer rate of IRSF numbers 80%.
A compromised extension is drawn half uniformly, half weighted towards rarely used extensions. IRSF block
numbers never occur in legitimate traffic.
"""
import argparse
import datetime as dt
import math
import os
import sys
import time
import zlib
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import phonenumbers as pn
from phonenumbers import PhoneNumberType as PNT
from phonenumbers import timezone as pn_tz

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_HIGH_RISK = os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "data", "operator_high_risk_destinations.csv"))

LEGIT_SCENARIOS = ["normal", "campaign", "highrisk_trader", "night_intl", "conference_fanout",
                   "first_new_country", "weekend_worker", "maritime_satellite"]
FRAUD_SCENARIOS = ["irsf_burst", "test_call", "holiday_drip", "office_hours_run", "wangiri_callback"]
SCENARIOS = LEGIT_SCENARIOS + FRAUD_SCENARIOS
SID = {s: i for i, s in enumerate(SCENARIOS)}

BASE_ANOMALIES = {"campaign": 5, "highrisk_trader": 4, "night_intl": 5, "conference_fanout": 4,
                  "first_new_country": 8, "weekend_worker": 10, "maritime_satellite": 2}
BASE_ATTACKS = {"irsf_burst": 6, "holiday_drip": 3, "office_hours_run": 3, "wangiri_callback": 4}

NANP_DOMESTIC_US = {"US", "CA", "PR", "VI", "GU", "MP", "AS"}

# ----------------------------------------------------------------------------------------- rates
RATE_TIERS = {
    "cheap": "US CA CN HK SG KR TW GB DE FR IT ES NL BE SE CH AU NZ IE DK NO FI AT PT PL IL IN TH MY "
             "JP LU MX BR PR",
    "mid": "RU KZ TR VN PH ID AE SA ZA AR CL CO PE EG LT LV EE CZ HU RO GR UA BY RS SI HR BG SK MA TN "
           "DZ PK BD LK NP MN KH MM LA EC VE UY PY BO GT SV HN NI CR PA QA KW BH OM JO LB IS MT CY "
           "AL BA ME MK XK MD GE AM AZ UZ KG MO BN NG KE GH",
}
TIER_RANGE = {"cheap": (0.02, 0.05), "mid": (0.05, 0.15), "high": (0.15, 0.30)}
TIER_OF = {r: t for t, s in RATE_TIERS.items() for r in s.split()}


def _u(key):
    """Deterministic uniform [0,1) from a string."""
    return zlib.crc32(key.encode()) / 4294967296.0


def intl_rate(region, is_mobile):
    if pn.country_code_for_region(region) == 1 and region not in NANP_DOMESTIC_US:
        return round(0.20 + 0.30 * _u("nanp" + region), 4)
    lo, hi = TIER_RANGE[TIER_OF.get(region, "high")]
    r = lo + (hi - lo) * _u("tier" + region)
    if is_mobile:
        r = min(0.30, r * 1.5)
    return round(r, 4)


def irsf_rate(block, group, region):
    if group == "sat":
        return round(math.exp(math.log(2.0) + (math.log(10.0) - math.log(2.0)) * _u("sat" + block)), 4)
    if region and pn.country_code_for_region(region) == 1:
        return round(0.20 + 0.30 * _u("nanp" + region), 4)
    return round(math.exp(math.log(0.5) + (math.log(3.0) - math.log(0.5)) * _u("irsf" + block)), 4)


# -------------------------------------------------------------------------------------- calendar
def nth_weekday(y, m, wd, n):
    """n-th (1-based) weekday wd (Mon=0) of month m; n=-1 for the last."""
    if n > 0:
        d = dt.date(y, m, 1)
        d += dt.timedelta((wd - d.weekday()) % 7)
        return d + dt.timedelta(7 * (n - 1))
    d = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(1)
    return d - dt.timedelta((d.weekday() - wd) % 7)


def jp_holidays(y):
    """Japanese national holidays (rules in force since 2020, 2020/2021 Olympic moves ignored)."""
    h = {dt.date(y, 1, 1), dt.date(y, 2, 11), dt.date(y, 2, 23), dt.date(y, 4, 29), dt.date(y, 5, 3),
         dt.date(y, 5, 4), dt.date(y, 5, 5), dt.date(y, 8, 11), dt.date(y, 11, 3), dt.date(y, 11, 23),
         nth_weekday(y, 1, 0, 2), nth_weekday(y, 7, 0, 3), nth_weekday(y, 9, 0, 3),
         nth_weekday(y, 10, 0, 2)}
    k = y - 1980
    h.add(dt.date(y, 3, int(20.8431 + 0.242194 * k - k // 4)))
    h.add(dt.date(y, 9, int(23.2488 + 0.242194 * k - k // 4)))
    for d in sorted(h):  # substitute holidays
        if d.weekday() == 6:
            s = d + dt.timedelta(1)
            while s in h:
                s += dt.timedelta(1)
            h.add(s)
    for d in sorted(h):  # citizens' holiday between two holidays
        m = d + dt.timedelta(1)
        if m not in h and (d + dt.timedelta(2)) in h and m.weekday() != 6:
            h.add(m)
    return h


def us_holidays(y):
    """Returns (closed, light): federal holidays most businesses close on, and those at 50%."""
    def observed(d):
        return d - dt.timedelta(1) if d.weekday() == 5 else d + dt.timedelta(1) if d.weekday() == 6 else d
    thanks = nth_weekday(y, 11, 3, 4)
    closed = {observed(dt.date(y, 1, 1)), nth_weekday(y, 5, 0, -1), observed(dt.date(y, 7, 4)),
              nth_weekday(y, 9, 0, 1), thanks, thanks + dt.timedelta(1), observed(dt.date(y, 12, 25)),
              observed(dt.date(y + 1, 1, 1))}
    light = {nth_weekday(y, 1, 0, 3), nth_weekday(y, 2, 0, 3), observed(dt.date(y, 6, 19)),
             nth_weekday(y, 10, 0, 2), observed(dt.date(y, 11, 11))}
    light |= {dt.date(y, 12, d) for d in range(24, 32)}
    return closed, light - closed


class Calendar:
    """Per day of the window: kind in work/light/sat/sun/hol and activity factors per tenant kind."""

    def __init__(self, country, start, days):
        self.dates = [start + dt.timedelta(d) for d in range(days)]
        years = {d.year for d in self.dates} | {self.dates[-1].year + 1}
        hol, light = set(), set()
        for y in years:
            if country == "JP":
                hol |= jp_holidays(y)
                hol |= {dt.date(y, 12, d) for d in (29, 30, 31)} | {dt.date(y, 1, d) for d in (2, 3)}
                light |= {dt.date(y, 8, d) for d in (13, 14, 15, 16)}
            else:
                c, l = us_holidays(y)
                hol |= c
                light |= l
        self.kind = []
        for d in self.dates:
            if d in hol:
                self.kind.append("hol")
            elif d.weekday() == 5:
                self.kind.append("sat")
            elif d.weekday() == 6:
                self.kind.append("sun")
            elif d in light:
                self.kind.append("light")
            else:
                self.kind.append("work")
        lf = 0.35 if country == "JP" else 0.5
        table = {  # tenant kind -> day kind -> factor
            "office": {"work": 1.0, "light": lf, "sat": 0.02, "sun": 0.01, "hol": 0.01},
            "small": {"work": 1.0, "light": lf, "sat": 0.08, "sun": 0.04, "hol": 0.04},
            "shop": {"work": 1.0, "light": 0.7, "sat": 0.8, "sun": 0.0, "hol": 0.3},
            "hotel": {"work": 1.0, "light": 1.0, "sat": 1.1, "sun": 1.0, "hol": 1.1},
            "callcenter": {"work": 1.0, "light": 0.8, "sat": 0.5, "sun": 0.35, "hol": 0.4},
            "logistics": {"work": 1.0, "light": 0.8, "sat": 0.6, "sun": 0.4, "hol": 0.5},
        }
        self.factor = {k: np.array([v[x] for x in self.kind]) for k, v in table.items()}
        self.nonworking = np.array([k in ("hol", "sat", "sun") for k in self.kind])
        self.workday = np.array([k == "work" for k in self.kind])


# --------------------------------------------------------------------------------------- numbers
JP_CITIES = [  # (area code without trunk 0, weight as a home city, weight as a called city)
    ("3", 45, 30), ("6", 15, 12), ("52", 7, 7), ("45", 6, 6), ("11", 5, 5), ("92", 5, 5),
    ("22", 3, 3), ("82", 3, 3), ("75", 2, 3), ("78", 2, 3), ("48", 2, 3), ("43", 1, 3), ("44", 1, 2),
    ("25", 1, 2), ("54", 0.5, 2), ("53", 0.5, 1.5), ("96", 0.5, 1.5), ("86", 0.5, 1.5),
    ("99", 0.5, 1), ("98", 0.5, 1), ("76", 0.5, 1), ("89", 0.3, 1), ("93", 0.3, 1), ("28", 0.3, 1),
    ("58", 0.2, 1), ("26", 0.2, 1), ("87", 0.2, 1), ("97", 0.2, 1), ("95", 0.2, 1), ("17", 0.1, 0.5),
    ("18", 0.1, 0.5), ("19", 0.1, 0.5)]
US_METROS = {  # tz -> [(metro, [NPAs], weight)]
    "America/New_York": [("nyc", ["212", "646", "718", "917", "347", "516", "914"], 5),
                         ("bos", ["617", "781", "857"], 2), ("atl", ["404", "678", "770"], 2),
                         ("mia", ["305", "786", "954"], 2), ("phl", ["215", "267", "610"], 1.5),
                         ("dc", ["202", "703", "301"], 1.5)],
    "America/Chicago": [("chi", ["312", "773", "872", "847", "630"], 4),
                        ("dal", ["214", "972", "469"], 2.5), ("hou", ["713", "281", "832"], 2.5),
                        ("msp", ["612", "651"], 1)],
    "America/Los_Angeles": [("la", ["213", "310", "323", "818", "626", "714"], 4),
                            ("sf", ["415", "650", "510", "408"], 3), ("sea", ["206", "425"], 1.5),
                            ("pdx", ["503", "971"], 0.7)],
}
US_OTHER_NPAS = ["602", "702", "303", "615", "704", "313", "216", "412", "314", "816", "317", "614",
                 "504", "801", "919", "813", "407", "210", "512", "916"]
CA_NPAS = ["416", "647", "514", "604", "403", "613"]

T_NAME = {PNT.FIXED_LINE: "FIX", PNT.MOBILE: "MOB", PNT.FIXED_LINE_OR_MOBILE: "FOM", PNT.TOLL_FREE: "TF",
          PNT.PREMIUM_RATE: "PRM", PNT.SHARED_COST: "SC", PNT.VOIP: "VOIP", PNT.UAN: "UAN",
          PNT.PERSONAL_NUMBER: "PN", PNT.PAGER: "PG", PNT.VOICEMAIL: "VM", PNT.UNKNOWN: "UNK"}


def check_number(e164, region=None, types=None):
    """libphonenumber type name if e164 (digits) is valid, of `region` and of one of `types`."""
    try:
        x = pn.parse("+" + e164)
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(x):
        return None
    if region and pn.region_code_for_number(x) != region:
        return None
    t = pn.number_type(x)
    if types and t not in types:
        return None
    return T_NAME.get(t, "UNK")


def e164_of(x):
    return pn.format_number(x, pn.PhoneNumberFormat.E164)[1:]


class Numbers:
    """Registry of destinations (id -> E.164 digits, region, type, rate) and pools of valid numbers."""

    def __init__(self, home, rng):
        self.home, self.rng = home, rng
        self.cc = "81" if home == "JP" else "1"
        self.e164, self.region, self.ntype, self.rate, self.domestic, self.group = [], [], [], [], [], []
        self.index = {}
        self.area = {}  # JP fixed-line destination id -> area code (local vs long-distance rate)
        self.irsf_blocks = set()
        self.pools = {}

    def add(self, e164, region, ntype, rate, domestic, group="legit"):
        i = self.index.get(e164)
        if i is not None:
            return i
        i = len(self.e164)
        self.index[e164] = i
        self.e164.append(e164)
        self.region.append(region)
        self.ntype.append(ntype)
        self.rate.append(rate)
        self.domestic.append(domestic)
        self.group.append(group)
        return i

    def _fill(self, key, gen, n, tries, region, types, rate_fn, domestic, group="legit"):
        ids, seen = [], set()
        for _ in range(tries):
            if len(ids) >= n:
                break
            e = gen()
            if e in seen or e[:-2] in self.irsf_blocks:
                continue
            seen.add(e)
            t = check_number(e, region, types)
            if t is None:
                continue
            if e in self.index and self.group[self.index[e]] != group:
                continue
            ids.append(self.add(e, region, t, rate_fn(t, e), domestic, group))
        self.pools[key] = np.array(ids, dtype=np.int64)
        return self.pools[key]

    def _digits(self, n):
        return "".join(map(str, self.rng.integers(0, 10, n)))

    # ---- domestic pools
    def jp_fixed(self, area, home_area=None):
        key = ("jpfix", area)
        if key not in self.pools:
            sub = 9 - len(area)
            ids = self._fill(key, lambda: "81" + area + str(self.rng.integers(2, 10)) + self._digits(sub - 1),
                             400, 4000, "JP", {PNT.FIXED_LINE}, lambda t, e: 0.03, True)
            for i in ids:
                self.area[int(i)] = area
        return self.pools[key]

    def jp_pool(self, kind):
        key = ("jp", kind)
        if key in self.pools:
            return self.pools[key]
        if kind == "mobile":
            gen = lambda: "81" + ["90", "80", "70"][self.rng.integers(0, 3)] + self._digits(8)
            return self._fill(key, gen, 12000, 40000, "JP", {PNT.MOBILE}, lambda t, e: 0.10, True)
        if kind == "tollfree":
            gen = lambda: ("81120" + self._digits(6)) if self.rng.random() < 0.7 else ("81800" + self._digits(7))
            return self._fill(key, gen, 1500, 8000, "JP", {PNT.TOLL_FREE}, lambda t, e: 0.0, True)
        if kind == "navi":
            gen = lambda: "81570" + self._digits(6)
            return self._fill(key, gen, 800, 5000, "JP", {PNT.UAN, PNT.SHARED_COST}, lambda t, e: 0.10, True)
        raise KeyError(kind)

    def us_npa(self, npa):
        key = ("npa", npa)
        if key not in self.pools:
            region = "CA" if npa in CA_NPAS else "US"
            gen = lambda: "1" + npa + str(self.rng.integers(2, 10)) + self._digits(6)
            self._fill(key, gen, 400, 4000, region, {PNT.FIXED_LINE_OR_MOBILE, PNT.FIXED_LINE, PNT.MOBILE},
                       lambda t, e: 0.02, True)
        return self.pools[key]

    def us_tollfree(self):
        key = ("us", "tollfree")
        if key not in self.pools:
            npas = ["800", "888", "877", "866", "855", "844", "833"]
            gen = lambda: "1" + npas[self.rng.integers(0, len(npas))] + str(self.rng.integers(2, 10)) + self._digits(6)
            self._fill(key, gen, 1500, 8000, "US", {PNT.TOLL_FREE}, lambda t, e: 0.0, True)
        return self.pools[key]

    # ---- foreign pools
    def sample_valid(self, region, kind, tries=200):
        """One valid number of (region, kind), not registered: the seed of an IRSF block."""
        spec = self._foreign_spec(region, kind)
        if spec is None:
            return None
        gen, types = spec
        for _ in range(tries):
            e = gen()
            if check_number(e, region, types):
                return e
        return None

    def foreign(self, region, kind, n=250):
        """kind: fixed | mobile | premium. Varies the trailing digits of libphonenumber's example."""
        key = ("f", region, kind)
        if key in self.pools:
            return self.pools[key]
        spec = self._foreign_spec(region, kind)
        if spec is None:
            self.pools[key] = np.zeros(0, dtype=np.int64)
            return self.pools[key]
        gen, types = spec
        domestic = self.home == "US" and region in NANP_DOMESTIC_US
        if domestic:
            rate_fn = lambda t, e: 0.02
        elif kind == "premium":  # a legitimate call to a foreign premium line costs like one
            rate_fn = lambda t, e: irsf_rate(e[:-2], "irsf", region)
        else:
            rate_fn = lambda t, e: intl_rate(region, t in ("MOB", "SC", "UAN"))
        return self._fill(key, gen, n, 12 * n, region, types, rate_fn, domestic)

    def _foreign_spec(self, region, kind):
        want = {"fixed": PNT.FIXED_LINE, "mobile": PNT.MOBILE, "premium": PNT.PREMIUM_RATE,
                "shared": PNT.SHARED_COST}[kind]
        ex = pn.example_number_for_type(region, want)
        if ex is None and kind == "shared":
            ex = pn.example_number_for_type(region, PNT.UAN)
        if ex is None and kind == "mobile":
            ex = pn.example_number_for_type(region, PNT.FIXED_LINE)
        if ex is None:
            return None
        types = {"fixed": {PNT.FIXED_LINE, PNT.FIXED_LINE_OR_MOBILE},
                 "mobile": {PNT.MOBILE, PNT.FIXED_LINE_OR_MOBILE},
                 "premium": {PNT.PREMIUM_RATE}, "shared": {PNT.SHARED_COST, PNT.UAN}}[kind]
        if kind == "mobile" and pn.number_type(ex) in (PNT.FIXED_LINE,):
            types = {PNT.FIXED_LINE, PNT.FIXED_LINE_OR_MOBILE}
        base = e164_of(ex)
        cc = str(ex.country_code)
        nsn = base[len(cc):]
        maxk = max(2, min(6, len(nsn) - 2))

        mink = min(4, maxk)  # keep numbers away from the example's own (…1234567-like) block

        def gen():
            k = int(self.rng.integers(mink, maxk + 1))
            return cc + nsn[:-k] + self._digits(k)
        return gen, types

    def satellite_legit(self):
        """+8816 Iridium and +870 Inmarsat numbers that ships use (not IRSF blocks)."""
        key = ("sat", "legit")
        if key not in self.pools:
            ids = []
            for _ in range(400):
                if len(ids) >= 40:
                    break
                if self.rng.random() < 0.5:
                    e, rate = "8816" + self._digits(8), None
                else:
                    e, rate = "8707" + str(self.rng.integers(6, 9)) + self._digits(7), None
                if e[:-2] in self.irsf_blocks or check_number(e) is None:
                    continue
                blk = e[:-2]
                rate = irsf_rate(blk, "sat", None) if e.startswith("881") else \
                    round(3.0 + 5.0 * _u("inm" + blk), 4)
                ids.append(self.add(e, "001", check_number(e), rate, False, "legit"))
            self.pools[key] = np.array(ids, dtype=np.int64)
        return self.pools[key]

    def arrays(self):
        return (np.array(self.e164, dtype=object), np.array(self.region, dtype=object),
                np.array(self.ntype, dtype=object), np.array(self.rate, dtype=np.float64),
                np.array(self.domestic, dtype=bool))


# ------------------------------------------------------------------------------------ IRSF blocks
IRSF_ORDINARY_LISTED = ("CU SO GN SL LR GM TD CD GW SC AC TL PG SB KI VU CK WS LV LT EE BY AZ GE KG YE MV "
                        "AL RS BA ME XK TN MA DZ SN CI TG BJ CM GQ GA CG AO UG BI MZ ZM MG ZW NA LS KM "
                        "AW GY EC SR RU KZ JM BB AI BM DM").split()
IRSF_UNLISTED_PRM = ["GB", "AT", "LI"]
IRSF_UNLISTED_ORD = ["NR", "TV", "NU", "TK", "ST", "FK", "MR", "ML", "BF", "SH"]
NANP_UNLISTED = ["VG", "GD", "DO", "TC", "AG", "KN", "LC", "VC", "MS"]
SAT_BASES = [("8816", 8), ("8817", 8), ("8818", 8), ("8819", 8), ("88213", 5), ("882342", 4),
             ("88239", 8), ("8835100", 5), ("883210", 7), ("8833701", 8)]


class Irsf:
    """IRSF number blocks (100 numbers each, only the valid ones kept) grouped for attack sampling."""

    def __init__(self, nums, rng, listed):
        self.nums, self.rng = nums, rng
        self.blocks = {"listed_prm": [], "listed_ord": [], "sat": [], "unlisted": [], "nanp": []}
        listed_regions = sorted(r for r in listed if pn.country_code_for_region(r) != 1)
        prm_listed = [r for r in listed_regions if pn.example_number_for_type(r, PNT.PREMIUM_RATE)]
        ord_listed = [r for r in IRSF_ORDINARY_LISTED if r in listed]
        for r in rng.permutation(prm_listed)[:14]:
            self._block(r, "premium", "listed_prm")
        for r in rng.permutation([x for x in ord_listed if pn.country_code_for_region(x) != 1])[:16]:
            self._block(r, ["fixed", "mobile"][rng.integers(0, 2)], "listed_ord")
        for r in [x for x in ord_listed if pn.country_code_for_region(x) == 1]:
            self._block(r, "mobile", "listed_ord", nanp=True)
        for base, k in SAT_BASES:
            self._sat(base, k)
        for r in IRSF_UNLISTED_PRM:
            self._block(r, "premium", "unlisted")
        for r in IRSF_UNLISTED_ORD:
            self._block(r, ["fixed", "mobile"][rng.integers(0, 2)], "unlisted")
        for r in NANP_UNLISTED:
            self._block(r, ["fixed", "mobile"][rng.integers(0, 2)], "unlisted", nanp=True)

    def _register(self, blk, region, group, nanp):
        valid = []
        for i in range(100):
            e = blk + "%02d" % i
            t = check_number(e)
            if t is not None and e not in self.nums.index:
                valid.append((e, t))
        if len(valid) < 30:
            return
        rate = irsf_rate(blk, "sat" if group == "sat" else "irsf", region)
        ids = [self.nums.add(e, region, t, rate, False, "irsf") for e, t in valid]
        self.nums.irsf_blocks.add(blk)
        b = {"block": blk, "region": region, "ids": np.array(ids), "rate": rate, "group": group,
             "nanp": nanp}
        self.blocks[group].append(b)
        if nanp:
            self.blocks["nanp"].append(b)

    def _block(self, region, kind, group, nanp=False):
        e = self.nums.sample_valid(region, kind)
        if e is not None:
            self._register(e[:-2], region, group, nanp)

    def _sat(self, base, k):
        for _ in range(50):
            e = base + self.nums._digits(k)
            if check_number(e):
                self._register(e[:-2], "001", "sat", False)
                return

    def pick(self, home, purpose, exclude_regions=()):
        if purpose == "wangiri":
            if home == "US":
                groups, w = ["nanp", "listed_ord", "unlisted"], [0.7, 0.2, 0.1]
            else:
                groups, w = ["listed_ord", "unlisted"], [0.7, 0.3]
        elif home == "US":
            groups, w = ["listed_prm", "listed_ord", "sat", "unlisted"], [0.20, 0.30, 0.15, 0.35]
        else:
            groups, w = ["listed_prm", "listed_ord", "sat", "unlisted"], [0.25, 0.30, 0.20, 0.25]
        for _ in range(100):
            g = groups[self.rng.choice(len(groups), p=np.array(w) / sum(w))]
            cands = [b for b in self.blocks[g] if b["region"] not in exclude_regions]
            if purpose == "wangiri":
                cands = [b for b in cands if self.nums.ntype[b["ids"][0]] != "PRM"]
            if home == "US" and g == "unlisted" and self.rng.random() < 0.7:
                cands = [b for b in cands if b["nanp"]] or cands
            if cands:
                return cands[self.rng.integers(0, len(cands))]
        raise RuntimeError("no IRSF block available")


# --------------------------------------------------------------------------------------- tenants
JP_INTL = {"US": 20, "CN": 18, "KR": 10, "TW": 8, "HK": 6, "SG": 5, "TH": 5, "VN": 5, "PH": 4, "GB": 4,
           "DE": 4, "FR": 3, "AU": 3, "IN": 3, "ID": 3, "MY": 3, "IT": 2, "CA": 2, "NL": 2, "ES": 1.5,
           "CH": 1.2, "BE": 1, "SE": 0.8, "PL": 0.6, "MX": 1, "BR": 1, "RU": 0.8, "TR": 0.5, "IL": 0.5,
           "AE": 1, "NZ": 1, "MN": 0.3, "KH": 0.3, "MM": 0.5, "BD": 0.3, "LK": 0.3, "NP": 0.5}
US_INTL = {"MX": 15, "IN": 10, "CN": 8, "PH": 6, "GB": 6, "DE": 4, "FR": 3, "JP": 3, "KR": 3, "BR": 3,
           "CO": 3, "DO": 3, "JM": 1.5, "SV": 2, "GT": 2, "HN": 1.5, "VN": 2, "NG": 1.5, "IL": 1.5,
           "IT": 2, "ES": 1.5, "AU": 1, "PL": 1, "RU": 0.5, "TR": 0.5, "IE": 1, "NL": 1, "CH": 0.8,
           "SE": 0.5, "BE": 0.5, "PK": 1, "PE": 1, "EC": 0.8, "HT": 1, "TT": 0.8, "BS": 0.5}
JP_HOTEL = ["US", "CN", "KR", "TW", "HK", "AU", "GB", "FR", "DE", "TH", "SG", "CA", "IT", "ES", "PH",
            "VN", "IN", "MY", "ID", "NL", "CH", "SE", "MX", "BR", "NZ", "IL", "RU", "AE"]
US_HOTEL = ["MX", "CA", "GB", "DE", "FR", "JP", "CN", "KR", "IN", "BR", "IT", "ES", "AU", "NL", "IE",
            "IL", "CO", "AR", "CH", "SE", "DO", "JM", "PH", "TW", "PL"]
TRADER_JP = ["BE", "MX", "TR", "IL", "LV", "ES", "CH", "PL", "SE", "RU", "LT", "EE", "KZ", "MA", "RS",
             "SI", "CL", "EC"]
TRADER_US = ["MX", "IL", "TR", "BE", "ES", "CH", "PL", "SE", "LV", "RU", "CL", "EC", "JM", "BB", "BM"]
NEW_COUNTRY_POOL = ["DE", "FR", "GB", "AU", "IT", "NL", "SG", "NZ", "IE", "DK", "AT", "FI", "NO", "PT",
                    "CA", "US", "JP", "KR", "TW", "HK"]
CONF_EXTRA = ["US", "GB", "DE", "FR", "SG", "IN", "CN", "ES", "CH", "BE", "SE", "PL", "IL", "MX", "NL"]
NIGHT_JP = ["US", "US", "US", "GB", "DE", "FR", "NL", "CA", "BR"]
NIGHT_US = ["JP", "CN", "IN", "AU", "KR", "SG", "PH", "HK"]

KINDS = [("office", 0.62), ("shop", 0.12), ("small", 0.12), ("hotel", 0.04), ("callcenter", 0.04),
         ("logistics", 0.06)]


def hour_profile(kind, s, e, country):
    w = np.zeros(24)
    if kind == "office":
        w[s:e] = 1.0
        w[s + 1:s + 3] = 1.3
        w[14:17] = 1.2
        if country == "JP":
            w[12] = 0.45
        w[s - 1] = 0.08
        w[e] = 0.15
        w[e + 1] = 0.06
        w[min(23, e + 2)] = 0.03
    elif kind == "shop":
        w[s:e] = 1.0
        w[e] = 0.1
    elif kind == "small":
        w[8] = 0.5
        w[9:18] = 1.0
        w[18:21] = 0.6
        w[21] = 0.3
        w[7] = 0.2
    elif kind == "hotel":
        w[:] = 0.6
        w[0:6] = 0.1
        w[7:10] = 0.9
        w[18:24] = 1.0
    elif kind == "callcenter":
        w[:] = 0.12
        w[8:22] = 1.0
    else:  # logistics
        w[:] = 0.3
        w[6:20] = 1.0
    return w / w.sum()


class Tenant:
    pass


def tz_offset_hours(tzname, when):
    return ZoneInfo(tzname).utcoffset(dt.datetime.combine(when, dt.time(12))).total_seconds() / 3600


def region_offset(region, when, cache={}):
    if region not in cache:
        ex = pn.example_number_for_type(region, PNT.FIXED_LINE) or pn.example_number_for_region(region)
        tzs = pn_tz.time_zones_for_number(ex) if ex else ()
        tzs = [t for t in tzs if t != "Etc/Unknown"] or ["UTC"]
        cache[region] = tz_offset_hours(tzs[0], when)
    return cache[region]


def overlap_hours(home_off, dest_off, s, e, night=False):
    """Home-local hours whose destination-local time is 9:00-17:59. night=True: those outside s..e."""
    hours = sorted({int((d + home_off - dest_off) % 24) for d in range(9, 18)})
    if night:
        return [h for h in hours if (h >= e or h < 3)]
    return [h for h in hours if s <= h < e]


# ------------------------------------------------------------------------------------ generator
class Generator:
    def __init__(self, args):
        self.a = args
        self.rng = np.random.default_rng(args.seed)
        self.home = args.country
        self.cal = Calendar(self.home, args.start, 7 * args.weeks)
        self.D = len(self.cal.dates)
        self.day_epoch = np.array([(d - dt.date(1970, 1, 1)).days * 86400 for d in self.cal.dates],
                                  dtype=np.int64)
        self.mid = self.cal.dates[self.D // 2]
        self.nums = Numbers(self.home, self.rng)
        self.listed = load_listed(args.high_risk)
        self.irsf = Irsf(self.nums, self.rng, {r for r, _ in self.listed})
        self.accounts = []
        self.rows = {k: [] for k in ("acct", "tenant", "t", "ring", "dur", "dest", "label", "scen")}
        self.make_tenants()

    # ---------------------------------------------------------------- helpers
    def emit(self, tenant, acct, t, ring, dur, dest, label, scen):
        n = len(t)
        if n == 0:
            return
        R = self.rows
        R["acct"].append(np.broadcast_to(np.asarray(acct, dtype=np.int64), (n,)).copy())
        R["tenant"].append(np.full(n, tenant.idx, dtype=np.int64))
        R["t"].append(np.asarray(t, dtype=np.int64))
        R["ring"].append(np.asarray(ring, dtype=np.int64))
        R["dur"].append(np.asarray(dur, dtype=np.int64))
        R["dest"].append(np.broadcast_to(np.asarray(dest, dtype=np.int64), (n,)).copy())
        R["label"].append(np.full(n, label, dtype=np.int8))
        R["scen"].append(np.full(n, SID[scen], dtype=np.int8))

    def answer(self, n, p_ans, median, sigma=1.0, lo=3, hi=7200):
        rng = self.rng
        ans = rng.random(n) < p_ans
        dur = np.clip(np.round(np.exp(np.log(median) + sigma * rng.standard_normal(n))), lo, hi)
        dur = np.where(ans, dur, 0).astype(np.int64)
        ring_ans = rng.integers(3, 21, n)
        ring_no = np.where(rng.random(n) < 0.8, rng.integers(15, 46, n), rng.integers(0, 5, n))
        return np.where(ans, ring_ans, ring_no), dur

    def pick_acct(self, T, n):
        return np.asarray(T.accounts)[self.rng.choice(len(T.accounts), n, p=T.user_w)]

    def scale(self, base, override):
        out = {}
        f = self.a.tenants / 300.0
        for k, v in base.items():
            out[k] = override[k] if k in override else max(1, int(round(v * f)))
        return out

    # ---------------------------------------------------------------- tenants
    def make_tenants(self):
        rng, home = self.rng, self.home
        self.tenants = []
        for i in range(self.a.tenants):
            T = Tenant()
            T.idx, T.name = i, "t%04d" % i
            T.kind = KINDS[rng.choice(len(KINDS), p=[k[1] for k in KINDS])][0]
            T.users = int({"office": np.clip(np.exp(np.log(8) + 0.8 * rng.standard_normal()), 2, 50),
                           "shop": rng.integers(1, 9), "small": rng.integers(1, 4),
                           "hotel": rng.integers(10, 51), "callcenter": rng.integers(10, 51),
                           "logistics": rng.integers(5, 31)}[T.kind])
            T.cpud = rng.gamma(4.0, {"office": 3.0, "shop": 2.5, "small": 3.5, "hotel": 1.0,
                                     "callcenter": 5.0, "logistics": 3.0}[T.kind] / 4.0)
            T.s = int(rng.choice([8, 9], p=[0.4, 0.6])) if T.kind != "shop" else int(rng.choice([9, 10]))
            T.e = int(rng.choice([18, 19], p=[0.55, 0.45])) if T.kind != "shop" else int(rng.choice([18, 19, 20]))
            T.p_ans = rng.uniform(0.70, 0.85)
            if home == "JP":
                T.tz = "Asia/Tokyo"
                T.area = JP_CITIES[rng.choice(len(JP_CITIES), p=_norm([c[1] for c in JP_CITIES]))][0]
                T.carrier = ["001", "0033", "0041", "0061"][rng.integers(0, 4)] if rng.random() < 0.15 else ""
                T.carrier_share = rng.uniform(0.5, 1.0)
                T.p11 = 0.0
            else:
                T.tz = ["America/New_York", "America/Chicago", "America/Los_Angeles"][
                    rng.choice(3, p=[0.5, 0.3, 0.2])]
                metros = US_METROS[T.tz]
                T.metro = metros[rng.choice(len(metros), p=_norm([m[2] for m in metros]))]
                T.carrier, T.carrier_share = "", 0.0
                T.p11 = float(rng.choice([1.0, 0.0, 0.5], p=[0.45, 0.35, 0.2]))
            T.plus_share = rng.uniform(0.05, 0.30) if rng.random() < 0.30 else 0.0
            T.home_off = tz_offset_hours(T.tz, self.mid)
            T.profile = hour_profile(T.kind, T.s, T.e, home)
            # accounts
            T.ext = T.users >= 3 and rng.random() < 0.20
            if T.ext:
                names = ["%s-%d" % (T.name, 200 + k + 1) for k in range(T.users)]
            else:
                names = [T.name]
            T.accounts = []
            for nm in names:
                T.accounts.append(len(self.accounts))
                self.accounts.append(nm)
            w = np.exp(0.8 * rng.standard_normal(len(T.accounts)))
            T.user_w = w / w.sum()
            # domestic contacts and the "new numbers" pool
            T.dom_contacts = self.domestic_numbers(T, int(min(300, 10 + 6 * T.users)))
            T.dom_new = self.domestic_numbers(T, 1500)
            T.zipf = _norm(1.0 / np.arange(1, len(T.dom_contacts) + 1) ** 1.1)
            # international
            p_intl = {"office": 0.35, "shop": 0.10, "small": 0.25, "hotel": 1.0, "callcenter": 0.10,
                      "logistics": 0.40}[T.kind]
            T.intl = {}
            T.intl_share = 0.0
            if rng.random() < p_intl:
                if T.kind == "hotel":
                    lst = JP_HOTEL if home == "JP" else US_HOTEL
                    k = int(rng.integers(18, len(lst) + 1))
                    regs = list(rng.choice(lst, k, replace=False))
                    T.intl_share = rng.uniform(0.08, 0.15)
                else:
                    pop = JP_INTL if home == "JP" else US_INTL
                    regs = list(rng.choice(list(pop), int(rng.integers(1, 6)), replace=False,
                                           p=_norm(list(pop.values()))))
                    T.intl_share = float(np.clip(np.exp(np.log(0.05) + 0.7 * rng.standard_normal()), 0.01, 0.25))
                for r in regs:
                    self.add_intl_country(T, r, 1.0 / (1 + len(T.intl)) ** 0.8,
                                          n_contacts=int(rng.integers(2, 11)),
                                          p_mobile=0.6 if T.kind == "hotel" else 0.3)
            T.role = None
            self.tenants.append(T)

    def add_intl_country(self, T, r, weight, n_contacts, p_mobile=0.3):
        rng = self.rng
        fix, mob = self.nums.foreign(r, "fixed"), self.nums.foreign(r, "mobile")
        allnum = np.concatenate([fix, mob])
        if len(allnum) == 0:
            return
        nm = int(rng.binomial(n_contacts, p_mobile))
        c = []
        if len(mob):
            c += list(rng.choice(mob, min(nm, len(mob)), replace=False))
        if len(fix):
            c += list(rng.choice(fix, min(n_contacts - nm, len(fix)), replace=False))
        hours = overlap_hours(T.home_off, region_offset(r, self.mid), T.s, T.e)
        T.intl[r] = {"w": weight, "contacts": np.array(c or list(allnum[:1]), dtype=np.int64),
                     "pool": allnum, "hours": hours}

    def domestic_numbers(self, T, n):
        rng, nums = self.rng, self.nums
        out = []
        if self.home == "JP":
            kinds = rng.choice(4, n, p=[0.56, 0.36, 0.05, 0.03])
            for k, cnt in zip(*np.unique(kinds, return_counts=True)):
                if k == 0:
                    same = rng.random(cnt) < 0.55
                    areas = [JP_CITIES[j][0] for j in rng.choice(len(JP_CITIES), cnt,
                                                                  p=_norm([c[2] for c in JP_CITIES]))]
                    for s_, a in zip(same, areas):
                        pool = nums.jp_fixed(T.area if s_ else a)
                        out.append(pool[rng.integers(0, len(pool))])
                else:
                    pool = nums.jp_pool(["", "mobile", "tollfree", "navi"][k])
                    out += list(pool[rng.integers(0, len(pool), cnt)])
        else:
            kinds = rng.choice(3, n, p=[0.55, 0.38, 0.07])
            all_npas = [x for m in US_METROS.values() for mm in m for x in mm[1]] + US_OTHER_NPAS + CA_NPAS
            for k in kinds:
                if k == 0:
                    pool = nums.us_npa(T.metro[1][rng.integers(0, len(T.metro[1]))])
                elif k == 1:
                    pool = nums.us_npa(all_npas[rng.integers(0, len(all_npas))])
                else:
                    pool = nums.us_tollfree()
                out.append(pool[rng.integers(0, len(pool))])
        out = np.array(out, dtype=np.int64)
        rng.shuffle(out)
        return out

    # ---------------------------------------------------------------- normal traffic
    def normal(self, T):
        rng = self.rng
        fac = self.cal.factor[T.kind] * rng.gamma(8.0, 1 / 8.0, self.D)
        counts = rng.poisson(T.users * T.cpud * fac)
        n = int(counts.sum())
        if n == 0:
            return
        day = np.repeat(np.arange(self.D), counts)
        hour = rng.choice(24, n, p=T.profile)
        dest = np.empty(n, dtype=np.int64)
        is_intl = rng.random(n) < T.intl_share if T.intl else np.zeros(n, bool)
        nd = int((~is_intl).sum())
        reg = rng.random(nd) < 0.65
        dd = np.where(reg, T.dom_contacts[rng.choice(len(T.dom_contacts), nd, p=T.zipf)],
                      T.dom_new[rng.integers(0, len(T.dom_new), nd)])
        dest[~is_intl] = dd
        med = np.full(n, 130.0)
        if is_intl.any():
            regs = list(T.intl)
            which = rng.choice(len(regs), int(is_intl.sum()), p=_norm([T.intl[r]["w"] for r in regs]))
            idx = np.flatnonzero(is_intl)
            for j, r in enumerate(regs):
                sel = idx[which == j]
                if len(sel) == 0:
                    continue
                c = T.intl[r]
                contact = rng.random(len(sel)) < 0.85
                dest[sel] = np.where(contact, c["contacts"][rng.integers(0, len(c["contacts"]), len(sel))],
                                     c["pool"][rng.integers(0, len(c["pool"]), len(sel))])
                # a few calls go to companies' shared-cost / UAN lines, very few to premium lines
                u = rng.random(len(sel))
                for kind, lo, hi in (("shared", 0.0, 0.025), ("premium", 0.025, 0.028)):
                    pool = self.nums.foreign(r, kind, n=60)
                    m = (u >= lo) & (u < hi)
                    if len(pool) and m.any():
                        dest[sel[m]] = pool[rng.integers(0, len(pool), int(m.sum()))]
                if c["hours"] and T.kind not in ("hotel",):
                    shift = rng.random(len(sel)) < 0.7
                    hour[sel[shift]] = rng.choice(c["hours"], int(shift.sum()))
            med[is_intl] = 200.0
        t = self.day_epoch[day] + hour * 3600 + rng.integers(0, 3600, n)
        ring, dur = self.answer(n, T.p_ans, 1.0)
        dur = np.where(dur > 0, np.clip(np.round(med * np.exp(1.0 * rng.standard_normal(n))), 3, 7200), 0)
        acct = self.pick_acct(T, n)
        self.emit(T, acct, t, ring, dur, dest, 0, "normal")
        # retries of unanswered calls
        rt = (dur == 0) & (rng.random(n) < 0.30)
        m = int(rt.sum())
        if m:
            ring2, dur2 = self.answer(m, T.p_ans, 130.0)
            self.emit(T, acct[rt], t[rt] + ring[rt] + rng.integers(120, 1200, m), ring2, dur2, dest[rt],
                      0, "normal")

    # ---------------------------------------------------------------- legitimate anomalies
    def campaign(self, T):
        rng = self.rng
        days = rng.choice(np.flatnonzero(self.cal.workday), int(rng.integers(1, 4)), replace=False)
        agents = list(rng.choice(T.accounts, min(len(T.accounts), int(rng.integers(1, 6))), replace=False))
        fresh = self.domestic_numbers(T, 2500)
        fresh = np.unique(fresh)
        rng.shuffle(fresh)
        used = 0
        for d in days:
            target = int(rng.integers(200, 601))
            per = int(math.ceil(target / len(agents)))
            for a in agents:
                n = per
                ring, dur = self.answer(n, 0.55, 50.0, 0.8, 3, 900)
                gaps = rng.integers(5, 41, n)
                start = self.day_epoch[d] + T.s * 3600 + int(rng.integers(0, 1800))
                span = ring + dur + gaps
                t = start + np.concatenate([[0], np.cumsum(span)[:-1]])
                t = np.where(t - self.day_epoch[d] >= 12 * 3600, t + 3600, t) if self.home == "JP" else t
                keep = t < self.day_epoch[d] + (T.e + 1) * 3600
                k = int(keep.sum())
                dest = fresh[(used + np.arange(k)) % len(fresh)]
                used += k
                self.emit(T, a, t[keep], ring[keep], dur[keep], dest, 0, "campaign")

    def trader(self, T):
        rng = self.rng
        lst = TRADER_JP if self.home == "JP" else TRADER_US
        lst = [r for r in lst if r in {x for x, _ in self.listed}]
        regs = list(rng.choice(lst, int(rng.integers(2, 5)), replace=False))
        m = rng.uniform(8, 22)
        for r in regs:
            self.add_intl_country(T, r, 0.0, int(rng.integers(3, 13)))
        for d in np.flatnonzero(self.cal.workday):
            n = int(rng.poisson(m))
            if n == 0:
                continue
            which = rng.choice(len(regs), n)
            for j, r in enumerate(regs):
                k = int((which == j).sum())
                if k == 0:
                    continue
                c = T.intl[r]
                hrs = c["hours"] or list(range(T.s, T.e))
                t = self.day_epoch[d] + rng.choice(hrs, k) * 3600 + rng.integers(0, 3600, k)
                ring, dur = self.answer(k, 0.8, 240.0)
                self.emit(T, self.pick_acct(T, k), t, ring, dur,
                          c["contacts"][rng.integers(0, len(c["contacts"]), k)], 0, "highrisk_trader")

    def night_intl(self, T):
        rng = self.rng
        lst = NIGHT_JP if self.home == "JP" else NIGHT_US
        regs = list(dict.fromkeys(rng.choice(lst, int(rng.integers(1, 4)))))
        if self.home == "JP" and "US" not in regs and rng.random() < 0.7:
            regs.append("US")
        plan = []
        for r in regs:
            self.add_intl_country(T, r, 0.0, int(rng.integers(2, 7)))
            hrs = overlap_hours(T.home_off, region_offset(r, self.mid), T.s, T.e, night=True)
            if hrs:
                plan.append((r, hrs))
        if not plan:
            return
        callers = list(rng.choice(T.accounts, min(len(T.accounts), int(rng.integers(1, 4))), replace=False))
        p_night = rng.uniform(0.5, 0.9)
        for d in np.flatnonzero(self.cal.workday):
            if rng.random() > p_night:
                continue
            r, hrs = plan[rng.integers(0, len(plan))]
            k = int(rng.integers(1, 7))
            h = rng.choice(hrs, k)
            h = np.where(h < 6, h + 24, h)  # after midnight belongs to the same night session
            t = self.day_epoch[d] + h * 3600 + rng.integers(0, 3600, k)
            ring, dur = self.answer(k, 0.8, 480.0)
            c = T.intl[r]["contacts"]
            self.emit(T, np.asarray(callers)[rng.integers(0, len(callers), k)], t, ring, dur,
                      c[rng.integers(0, len(c), k)], 0, "night_intl")

    def conference(self, T):
        rng = self.rng
        own = list(T.intl)
        extra = [r for r in CONF_EXTRA if r not in own and r != self.home]
        org = T.accounts[rng.choice(len(T.accounts), p=T.user_w)]
        days = rng.choice(np.flatnonzero(self.cal.workday), int(rng.integers(2, 5)), replace=False)
        for d in days:
            regs = own[:2] + list(rng.choice(extra, int(rng.integers(2, 5)), replace=False))
            k = int(rng.integers(10, 21))
            L = rng.uniform(30, 90) * 60
            t0 = self.day_epoch[d] + int(rng.integers(T.s + 1, T.e - 1)) * 3600 + int(rng.integers(0, 3600))
            off = np.sort(rng.integers(0, 91, k))
            dests = []
            for j in range(k):
                r = regs[j % len(regs)]
                pool = np.concatenate([self.nums.foreign(r, "fixed"), self.nums.foreign(r, "mobile")])
                dests.append(pool[rng.integers(0, len(pool))])
            ans = rng.random(k) < 0.9
            ring = np.where(ans, rng.integers(3, 15, k), rng.integers(20, 45, k))
            dur = np.where(ans, np.maximum(60, L - off + rng.normal(0, 120, k)).round(), 0)
            self.emit(T, org, t0 + off, ring, dur, np.array(dests), 0, "conference_fanout")

    def first_new_country(self, T):
        rng = self.rng
        cands = [r for r in NEW_COUNTRY_POOL if r not in T.intl and r != self.home and
                 not (self.home == "US" and r == "CA")]
        r = cands[rng.integers(0, len(cands))]
        days = [d for d in np.flatnonzero(self.cal.workday) if d >= self.attack_day]
        if not days:
            return
        d = days[rng.integers(0, len(days))]
        self.add_intl_country(T, r, 0.0, 2)
        c = T.intl.pop(r)  # not part of the tenant's normal traffic afterwards
        k = int(rng.integers(1, 5))
        hrs = c["hours"] or list(range(T.s, T.e))
        t = self.day_epoch[d] + np.sort(rng.choice(hrs, k)) * 3600 + rng.integers(0, 3600, k)
        ring, dur = self.answer(k, 0.8, 240.0)
        self.emit(T, T.accounts[rng.choice(len(T.accounts), p=T.user_w)], t, ring, dur,
                  c["contacts"][rng.integers(0, len(c["contacts"]), k)], 0, "first_new_country")

    def weekend_worker(self, T):
        rng = self.rng
        days = np.flatnonzero(self.cal.nonworking)
        if len(days) == 0:
            return
        who = T.accounts[rng.choice(len(T.accounts), p=T.user_w)]
        for d in rng.choice(days, min(len(days), int(rng.integers(1, 4))), replace=False):
            k = int(rng.integers(3, 16))
            evening = rng.random(k) < 0.3
            h = np.where(evening, rng.integers(19, 23, k), rng.integers(10, 18, k))
            t = self.day_epoch[d] + h * 3600 + rng.integers(0, 3600, k)
            dest = T.dom_contacts[rng.choice(len(T.dom_contacts), k, p=T.zipf)]
            if T.intl:
                regs = list(T.intl)
                for j in np.flatnonzero(rng.random(k) < min(0.5, 2 * T.intl_share)):
                    c = T.intl[regs[rng.integers(0, len(regs))]]["contacts"]
                    dest[j] = c[rng.integers(0, len(c))]
            ring, dur = self.answer(k, T.p_ans, 150.0)
            self.emit(T, who, t, ring, dur, dest, 0, "weekend_worker")

    def maritime(self, T):
        rng = self.rng
        pool = self.nums.satellite_legit()
        ships = rng.choice(pool, min(len(pool), int(rng.integers(3, 7))), replace=False)
        per_week = rng.uniform(2, 6)
        for d in range(self.D):
            k = int(rng.poisson(per_week / 7))
            if k == 0:
                continue
            t = self.day_epoch[d] + rng.integers(6 * 3600, 24 * 3600, k)
            ring, dur = self.answer(k, 0.75, 180.0, 0.8, 10, 1800)
            self.emit(T, self.pick_acct(T, k), t, ring, dur, ships[rng.integers(0, len(ships), k)], 0,
                      "maritime_satellite")

    # ---------------------------------------------------------------- attacks
    def attack_acct(self, T):
        if len(T.accounts) == 1:
            return T.accounts[0]
        # a compromised extension is more often a rarely used one
        w = 0.5 * _norm(1.0 / T.user_w) + 0.5 / len(T.accounts)
        return T.accounts[self.rng.choice(len(T.accounts), p=w)]

    def test_calls(self, T, acct, blk, t_attack):
        rng = self.rng
        k = int(rng.integers(1, 4))
        t0 = t_attack - int(rng.integers(1800, 86400))
        if t0 < self.day_epoch[self.attack_day]:  # keep the history period clean
            t0 = t_attack - int(rng.integers(1800, max(1801, t_attack - self.day_epoch[self.attack_day])))
        t = t0 + np.concatenate([[0], np.cumsum(rng.integers(60, 900, k - 1))]).astype(np.int64)
        ans = rng.random(k) < 0.75
        dur = np.where(ans, rng.integers(5, 41, k), 0)
        ring = np.where(ans, rng.integers(2, 10, k), rng.integers(10, 30, k))
        num = blk["ids"][rng.integers(0, len(blk["ids"]))]
        self.emit(T, acct, t, ring, dur, num, 1, "test_call")

    def irsf_calls(self, n, p_ans, med_min, lo_min, hi_min):
        rng = self.rng
        ans = rng.random(n) < p_ans
        dur = np.clip(np.exp(np.log(med_min * 60) + 0.5 * rng.standard_normal(n)), lo_min * 60, hi_min * 60)
        dur = np.where(ans, dur.round(), 0).astype(np.int64)
        ring = np.where(ans, rng.integers(2, 12, n), rng.integers(5, 31, n))
        return ring, dur

    def irsf_burst(self, T):
        rng = self.rng
        cands = [d for d in range(self.attack_day, self.D)
                 if self.cal.dates[d].weekday() in (4, 5) or
                 (d + 1 < self.D and self.cal.nonworking[d + 1] and not self.cal.nonworking[d])]
        if not cands:
            return
        d = cands[rng.integers(0, len(cands))]
        t0 = self.day_epoch[d] + int(rng.integers(20 * 3600, 28 * 3600))
        length = int(np.clip(np.exp(np.log(6 * 3600) + 0.5 * rng.standard_normal()), 2 * 3600, 14 * 3600))
        end = min(t0 + length, self.day_epoch[-1] + 86400)
        C = int(rng.integers(5, 31))
        blocks = [self.irsf.pick(self.home, "burst")]
        if rng.random() < 0.4:
            blocks.append(self.irsf.pick(self.home, "burst"))
        accts = [self.attack_acct(T)]
        if len(T.accounts) > 1 and rng.random() < 0.3:
            accts.append(self.attack_acct(T))
        if rng.random() < 0.7:
            self.test_calls(T, accts[0], blocks[0], t0)
        ts, rings, durs, acs = [], [], [], []
        for ch in range(C):
            t = t0 + int(rng.integers(0, 900))
            a = accts[ch % len(accts)]
            while t < end:
                ring, dur = self.irsf_calls(1, 0.8, 25, 10, 60)
                ts.append(t)
                rings.append(ring[0])
                durs.append(dur[0])
                acs.append(a)
                t += int(ring[0] + dur[0] + rng.integers(1, 21))
        ts = np.array(ts, dtype=np.int64)
        order = np.argsort(ts, kind="stable")
        n = len(ts)
        blk_of = rng.integers(0, len(blocks), n)
        dest = np.empty(n, dtype=np.int64)
        for j, b in enumerate(blocks):
            sel = order[blk_of[order] == j]
            ids = b["ids"]
            if rng.random() < 0.5:  # stepping through the range ...01, ...02
                k0 = int(rng.integers(0, len(ids)))
                dest[sel] = ids[(k0 + np.arange(len(sel))) % len(ids)]
            else:
                sub = rng.choice(ids, min(len(ids), int(rng.integers(3, 16))), replace=False)
                dest[sel] = sub[rng.integers(0, len(sub), len(sel))]
        self.emit(T, np.array(acs), ts, np.array(rings), np.array(durs), dest, 1, "irsf_burst")

    def holiday_drip(self, T):
        rng = self.rng
        nw = self.cal.nonworking
        runs, d = [], self.attack_day
        while d < self.D:
            if nw[d]:
                e = d
                while e + 1 < self.D and nw[e + 1]:
                    e += 1
                runs.append((d, e))
                d = e + 1
            else:
                d += 1
        if not runs:
            return
        best = max(e - s for s, e in runs)
        long_runs = [r for r in runs if r[1] - r[0] == best]
        s, e = long_runs[rng.integers(0, len(long_runs))]
        t = self.day_epoch[s] - int(rng.integers(0, 5 * 3600))  # from the eve
        if t < self.day_epoch[self.attack_day]:
            t = int(self.day_epoch[self.attack_day]) + int(rng.integers(0, 3 * 3600))
        stop = self.day_epoch[e] + 86400 + int(rng.integers(0, 6 * 3600))
        stop = t + int((stop - t) * rng.uniform(0.6, 1.0))
        blk = self.irsf.pick(self.home, "drip")
        nums_ = rng.choice(blk["ids"], int(rng.integers(1, 3)), replace=False)
        acct = self.attack_acct(T)
        ts, rings, durs = [], [], []
        while t < stop:
            gap = int(rng.integers(5 * 60, 20 * 60 + 1))
            ans = rng.random() < 0.85
            dur = int(rng.integers(60, max(61, min(gap - 60, 12 * 60)))) if ans else 0
            ring = int(rng.integers(2, 12)) if ans else int(rng.integers(5, 31))
            ts.append(t)
            rings.append(ring)
            durs.append(dur)
            t += gap
        n = len(ts)
        self.emit(T, acct, np.array(ts), np.array(rings), np.array(durs),
                  nums_[np.arange(n) % len(nums_)], 1, "holiday_drip")

    def office_run(self, T):
        rng = self.rng
        days = [d for d in np.flatnonzero(self.cal.workday) if d >= self.attack_day]
        if not days:
            return
        d = days[rng.integers(0, len(days))]
        blk = self.irsf.pick(self.home, "run", exclude_regions=set(T.intl))
        acct = self.attack_acct(T)
        t0 = self.day_epoch[d] + T.s * 3600 + int(rng.integers(1800, 4 * 3600))
        if rng.random() < 0.5:
            self.test_calls(T, acct, blk, t0)
        N = int(rng.integers(10, 51))
        C = int(rng.integers(1, 4))
        ts, rings, durs = [], [], []
        for ch in range(C):
            t = t0 + int(rng.integers(0, 600))
            for _ in range(int(math.ceil(N / C))):
                ring, dur = self.irsf_calls(1, 0.8, 6, 1, 30)
                ts.append(t)
                rings.append(ring[0])
                durs.append(dur[0])
                t += int(ring[0] + dur[0] + rng.integers(10, 121))
        ids = rng.choice(blk["ids"], min(len(blk["ids"]), int(rng.integers(1, 10))), replace=False)
        n = len(ts)
        self.emit(T, acct, np.array(ts), np.array(rings), np.array(durs),
                  ids[rng.integers(0, len(ids), n)], 1, "office_hours_run")

    def wangiri(self, Ts):
        rng = self.rng
        blk = self.irsf.pick(self.home, "wangiri")
        num = blk["ids"][rng.integers(0, len(blk["ids"]))]
        days = [d for d in np.flatnonzero(self.cal.workday) if d >= self.attack_day]
        if not days:
            return
        d = days[rng.integers(0, len(days))]
        for T in Ts:
            t_missed = self.day_epoch[d] + int(rng.integers(T.s * 3600, (T.e - 2) * 3600))
            k = min(len(T.accounts), int(rng.integers(3, 9)))
            who = rng.choice(T.accounts, k, replace=False)
            t = t_missed + rng.exponential(40 * 60, k).astype(np.int64) + 30
            ans = rng.random(k) < 0.6
            dur = np.where(ans, rng.integers(20, 121, k), 0)
            ring = np.where(ans, rng.integers(2, 8, k), rng.integers(10, 40, k))
            self.emit(T, who, t, ring, dur, num, 1, "wangiri_callback")

    # ---------------------------------------------------------------- orchestration
    def run(self):
        a, rng = self.a, self.rng
        self.attack_day = 7 * a.attack_after_weeks
        for T in self.tenants:
            self.normal(T)
        anomalies = self.scale(BASE_ANOMALIES, a.anomalies)
        attacks = self.scale(BASE_ATTACKS, a.attacks) if self.attack_day < self.D else {}
        free = list(rng.permutation(len(self.tenants)))

        def take(pred, n):
            got = [i for i in free if pred(self.tenants[i])][:n]
            for i in got:
                free.remove(i)
            return [self.tenants[i] for i in got]
        office = lambda T: T.kind in ("office", "small", "shop")
        self.assigned = {}
        plan = [
            ("campaign", lambda T: T.kind in ("office", "callcenter") and T.users >= 3, self.campaign),
            ("highrisk_trader", lambda T: T.kind == "office" and T.users >= 2, self.trader),
            ("night_intl", lambda T: T.kind in ("office", "small"), self.night_intl),
            ("conference_fanout", lambda T: T.kind == "office" and T.users >= 5, self.conference),
            ("first_new_country", lambda T: T.kind != "hotel", self.first_new_country),
            ("weekend_worker", office, self.weekend_worker),
            ("maritime_satellite", lambda T: T.kind in ("logistics", "office"), self.maritime),
        ]
        for name, pred, fn in plan:
            for T in take(pred, anomalies.get(name, 0)):
                T.role = name
                fn(T)
        if attacks:
            for T in take(lambda T: True, attacks.get("irsf_burst", 0)):
                T.role = "irsf_burst"
                self.irsf_burst(T)
            for T in take(lambda T: True, attacks.get("holiday_drip", 0)):
                T.role = "holiday_drip"
                self.holiday_drip(T)
            for T in take(lambda T: True, attacks.get("office_hours_run", 0)):
                T.role = "office_hours_run"
                self.office_run(T)
            wt = take(lambda T: T.ext and len(T.accounts) >= 3, attacks.get("wangiri_callback", 0))
            while wt:
                g = int(rng.integers(1, 3))
                for T in wt[:g]:
                    T.role = "wangiri_callback"
                self.wangiri(wt[:g])
                wt = wt[g:]
        elif self.attack_day >= self.D:
            print("gen_cdrs: window shorter than --attack-after-weeks: no attacks", file=sys.stderr)
        return self.frame()

    def frame(self):
        R = {k: np.concatenate(v) for k, v in self.rows.items()}
        e164, region, ntype, rate, domestic = self.nums.arrays()
        n = len(R["t"])
        rng = self.rng
        # local wall clock -> UTC per time zone
        utc = np.empty(n, dtype=np.int64)
        tz_of_tenant = np.array([T.tz for T in self.tenants], dtype=object)
        tz_row = tz_of_tenant[R["tenant"]]
        local_str = np.empty(n, dtype=object)
        for tz in sorted(set(tz_row)):
            m = tz_row == tz
            idx = pd.to_datetime(R["t"][m], unit="s").tz_localize(
                tz, ambiguous=np.ones(int(m.sum()), dtype=bool), nonexistent="shift_forward")
            u = idx.asi8 // 10**9
            utc[m] = u
            loc = idx.tz_localize(None).asi8 // 10**9
            off = (loc - u) // 60
            s = np.datetime_as_string(loc.astype("datetime64[s]"), unit="s")
            offs = {o: "%s%02d:%02d" % ("+" if o >= 0 else "-", abs(o) // 60, abs(o) % 60) for o in set(off.tolist())}
            local_str[m] = [a + offs[o] for a, o in zip(s.tolist(), off.tolist())]
        end = utc + R["ring"] + R["dur"]
        # dialled string per the tenant's habits
        ten = self.tenants
        plus = rng.random(n) < np.array([T.plus_share for T in ten])[R["tenant"]]
        carr_p = np.array([T.carrier_share if T.carrier else 0.0 for T in ten])[R["tenant"]]
        use_carr = rng.random(n) < carr_p
        carr = np.array([T.carrier for T in ten], dtype=object)[R["tenant"]]
        p11 = np.array([T.p11 for T in ten])[R["tenant"]]
        d164 = e164[R["dest"]]
        ddom = domestic[R["dest"]]
        dreg = region[R["dest"]]
        u11 = rng.random(n)
        dialed = np.empty(n, dtype=object)
        if self.home == "JP":
            for i in range(n):
                e = d164[i]
                if plus[i]:
                    dialed[i] = "+" + e
                elif ddom[i]:
                    dialed[i] = "0" + e[2:]
                else:
                    dialed[i] = (carr[i] if use_carr[i] else "") + "010" + e
        else:
            for i in range(n):
                e = d164[i]
                if plus[i]:
                    dialed[i] = "+" + e
                elif e[0] == "1":  # NANP: domestic and Caribbean alike
                    dialed[i] = e if (u11[i] < p11[i] or not ddom[i] and u11[i] < 0.8) else e[1:]
                else:
                    dialed[i] = "011" + e
        r = rate[R["dest"]]
        if self.nums.area:  # JP fixed line in the caller's own area code: local rate
            dest_area = np.array([self.nums.area.get(i, "") for i in range(len(e164))], dtype=object)
            ten_area = np.array([getattr(T, "area", "-") for T in ten], dtype=object)
            r = np.where(dest_area[R["dest"]] == ten_area[R["tenant"]], 0.02, r)
        cost = np.round(r * R["dur"] / 60.0, 4)
        acc_names = np.array(self.accounts, dtype=object)
        df = pd.DataFrame({"start": local_str, "account": acc_names[R["acct"]], "dialed": dialed,
                           "duration": R["dur"], "label": R["label"],
                           "scenario": np.array(SCENARIOS, dtype=object)[R["scen"]], "cost": cost})
        order = np.lexsort((R["acct"], utc, end))
        df = df.iloc[order].reset_index(drop=True)
        meta = pd.DataFrame({"utc": utc[order], "end": end[order], "region": dreg[order],
                             "ntype": ntype[R["dest"]][order], "tenant": R["tenant"][order]})
        return df, meta


def _norm(w):
    w = np.asarray(w, dtype=float)
    return w / w.sum()


def load_listed(path):
    if not os.path.exists(path):
        sys.exit("gen_cdrs: high-risk list not found: %s (use --high-risk)" % path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [(r.iso2, r.country_code) for r in df.itertuples()]


def parse_counts(s):
    out = {}
    for part in filter(None, (s or "").split(",")):
        k, v = part.split("=")
        out[k.strip()] = int(v)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--country", choices=["JP", "US"], required=True)
    p.add_argument("--weeks", type=int, default=8)
    p.add_argument("--tenants", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", type=dt.date.fromisoformat, default=None,
                   help="first day (default: JP 2026-04-06, covering Golden Week; US 2026-10-05, "
                        "covering the DST change and Thanksgiving)")
    p.add_argument("--attack-after-weeks", type=int, default=3)
    p.add_argument("--attacks", type=parse_counts, default={},
                   help="override attack counts, e.g. irsf_burst=1,holiday_drip=0")
    p.add_argument("--anomalies", type=parse_counts, default={},
                   help="override legitimate-anomaly counts, e.g. campaign=2")
    p.add_argument("--high-risk", default=DEFAULT_HIGH_RISK)
    p.add_argument("--out", required=True)
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    if a.start is None:
        a.start = dt.date(2026, 4, 6) if a.country == "JP" else dt.date(2026, 10, 5)
    for k in a.attacks:
        if k not in BASE_ATTACKS:
            p.error("unknown attack %s" % k)
    for k in a.anomalies:
        if k not in BASE_ANOMALIES:
            p.error("unknown anomaly %s" % k)
    t0 = time.time()
    g = Generator(a)
    df, meta = g.run()
    df.to_csv(a.out, index=False, float_format="%.4f")
    if not a.quiet:
        fr = df[df.label == 1]
        print("gen_cdrs: %d rows, %d fraud (cost %.2f of %.2f total), %d accounts, %.1f s -> %s"
              % (len(df), len(fr), fr.cost.sum(), df.cost.sum(), df.account.nunique(),
                 time.time() - t0, a.out), file=sys.stderr)
        roles = {}
        for T in g.tenants:
            if T.role:
                roles.setdefault(T.role, []).append(T.name)
        for k, v in roles.items():
            print("  %-20s %s" % (k, " ".join(v)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
