#!/usr/bin/python3
"""Generate lib/number/dial_plan_data.inc: the per-region dial-plan facts and the assigned country codes.

Output (committed; regenerate with this script, never edit by hand):
  lib/number/dial_plan_data.inc
    kRegionDialData[]   {iso, cc, trunk prefix, international prefixes}, one row per region
    kCountryCodeData[]  {cc, smallest national number length}, one row per assigned calling code

Source: libphonenumber's metadata as shipped by python3-phonenumbers (Debian).
  - international prefixes: metadata.international_prefix is a regex over digits (e.g. JP '010',
    AU '001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011', BR '00(?:1[245]|2[1-35]|...)').
    It is expanded to its concrete alternatives. When the expansion has more than MAX_PREFIXES
    alternatives or one longer than MAX_PREFIX_LEN digits (CN, UY: '\\d' runs), the region falls back
    to preferred_international_prefix with its '~' (wait for dial tone) removed ('8~10' -> '810').
    Alternatives are written longest first (the order Normalize tries them in).
  - trunk prefix: metadata.national_prefix ('0', NANP '1', RU '8', HU '06', MX '01'; '' when none).
  - assigned calling codes: phonenumbers.COUNTRY_CODE_TO_REGION_CODE, non-geographic ones included
    (800, 808, 870, 878, 881, 882, 883, 888, 979). The smallest national number length of a code is
    the minimum of general_desc.possible_length over all regions sharing it (local-only lengths
    excluded); every one is >= 4 (asserted), so 3-digit service codes (110, 112, 911) never pass.

Usage:
  /usr/bin/python3 tools/gen_dial_plans.py           # regenerate the file
  /usr/bin/python3 tools/gen_dial_plans.py --check   # exit 1 if the committed file is out of date
"""
import argparse
import os
import sys

import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

try:  # Python >= 3.11 keeps the parser here; sre_parse is a deprecated alias.
    import re._parser as sre_parse
    import re._constants as sre_constants
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'lib', 'number', 'dial_plan_data.inc')

# Must match kMaxIntlPrefixes / kMaxIntlPrefixLen in lib/number/normalizer.h.
MAX_PREFIXES = 40
MAX_PREFIX_LEN = 8
EXPANSION_CAP = 4096  # stop expanding a regex once it has this many alternatives


class TooMany(Exception):
    pass


def _class_digits(items):
    """Digits matched by a character class parse ([(LITERAL, c), (RANGE, (a, b)), (CATEGORY, ..)])."""
    out = set()
    negate = False
    for op, av in items:
        if op == sre_constants.NEGATE:
            negate = True
        elif op == sre_constants.LITERAL:
            out.add(chr(av))
        elif op == sre_constants.RANGE:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op == sre_constants.CATEGORY and av == sre_constants.CATEGORY_DIGIT:
            out.update('0123456789')
        else:
            raise ValueError('unsupported class item %r' % ((op, av),))
    if negate:
        out = set('0123456789') - out
    return sorted(out)


def _expand_seq(seq):
    """All strings matched by a parsed sequence, as a list (may raise TooMany)."""
    results = ['']
    for op, av in seq:
        if op == sre_constants.LITERAL:
            alts = [chr(av)]
        elif op == sre_constants.IN:
            alts = _class_digits(av)
        elif op == sre_constants.SUBPATTERN:
            alts = _expand_seq(av[-1])
        elif op == sre_constants.BRANCH:
            alts = []
            for b in av[1]:
                alts.extend(_expand_seq(b))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            lo, hi, sub = av
            if hi > 8:
                raise ValueError('unbounded repeat')
            inner = _expand_seq(sub)
            alts = []
            for n in range(lo, hi + 1):
                cur = ['']
                for _ in range(n):
                    cur = [a + b for a in cur for b in inner]
                    if len(cur) > EXPANSION_CAP:
                        raise TooMany()
                alts.extend(cur)
        else:
            raise ValueError('unsupported regex op %r' % (op,))
        results = [a + b for a in results for b in alts]
        if len(results) > EXPANSION_CAP:
            raise TooMany()
    return results


def expand(pattern):
    """Concrete digit strings matched by a metadata regex, or None when there are too many."""
    try:
        alts = _expand_seq(sre_parse.parse(pattern))
    except TooMany:
        return None
    for a in alts:
        assert a.isdigit(), (pattern, a)
    return sorted(set(alts), key=lambda s: (-len(s), s))


def intl_prefixes(md):
    """(prefixes longest first, how they were obtained) for one region."""
    if not md.international_prefix:
        return ['00'], 'no metadata: ITU default 00'
    alts = expand(md.international_prefix)
    if alts is not None and len(alts) <= MAX_PREFIXES and all(len(a) <= MAX_PREFIX_LEN for a in alts):
        return alts, None
    pref = (md.preferred_international_prefix or '').replace('~', '')
    if not pref.isdigit() or len(pref) > MAX_PREFIX_LEN:
        raise SystemExit('%s: international prefix %r does not fit and has no usable preferred prefix %r'
                         % (md.id, md.international_prefix, md.preferred_international_prefix))
    return [pref], 'fallback to preferred (regex %s)' % md.international_prefix


def region_rows():
    rows = []
    for iso in sorted(phonenumbers.SUPPORTED_REGIONS):
        md = PhoneMetadata.metadata_for_region(iso)
        prefixes, note = intl_prefixes(md)
        trunk = md.national_prefix or ''
        assert trunk.isdigit() or trunk == '', (iso, trunk)
        assert len(trunk) <= 3, (iso, trunk)
        rows.append((iso, str(md.country_code), trunk, prefixes, note))
    return rows


def country_code_rows():
    rows = []
    for cc, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        lengths = set()
        for r in regions:
            if r == '001':
                md = PhoneMetadata.metadata_for_nongeo_region(cc)
            else:
                md = PhoneMetadata.metadata_for_region(r)
            lengths |= set(l for l in md.general_desc.possible_length if l > 0)
        assert lengths, cc
        assert 1 <= len(str(cc)) <= 3, cc
        min_len = min(lengths)
        assert min_len >= 4, (cc, min_len)
        rows.append((cc, min_len, ','.join(regions)))
    return rows


def render():
    lines = [
        '// GENERATED by tools/gen_dial_plans.py from libphonenumber %s metadata (python3-phonenumbers).'
        % phonenumbers.__version__,
        '// Do not edit. Regenerate: /usr/bin/python3 tools/gen_dial_plans.py',
        '// Included by lib/number/metadata.cc inside its namespace, which defines RegionDialData and CountryCodeData.',
        '',
        '// {iso, cc, trunk prefix, international prefixes (space separated, longest first)}',
        'inline constexpr RegionDialData kRegionDialData[] = {',
    ]
    for iso, cc, trunk, prefixes, note in region_rows():
        row = '    {"%s", "%s", "%s", "%s"},' % (iso, cc, trunk, ' '.join(prefixes))
        if note:
            row += '  // ' + note
        lines.append(row)
    lines += [
        '};',
        '',
        '// {assigned country calling code, smallest national number length}  // regions',
        'inline constexpr CountryCodeData kCountryCodeData[] = {',
    ]
    for cc, min_len, regions in country_code_rows():
        lines.append('    {%d, %d},  // %s' % (cc, min_len, regions))
    lines += ['};', '']
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true', help='fail if the committed file differs')
    args = ap.parse_args()
    text = render()
    if args.check:
        with open(OUT, encoding='utf-8') as f:
            if f.read() != text:
                print('%s is out of date; run tools/gen_dial_plans.py' % OUT, file=sys.stderr)
                return 1
        print('%s is up to date' % OUT)
        return 0
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    print('wrote %s' % OUT)
    return 0


if __name__ == '__main__':
    sys.exit(main())
