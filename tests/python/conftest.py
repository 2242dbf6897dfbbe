"""Fixtures of the Python binding tests. Run: PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python"""

import datetime as dt
import os

import pytest

JST = dt.timezone(dt.timedelta(hours=9))
MONDAY_10_JST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=JST)   # office hours on a working day
SUNDAY_03_JST = dt.datetime(2026, 3, 1, 3, 0, tzinfo=JST)    # night, weekend
SOURCE_DIR = os.environ.get("TG_SOURCE_DIR", os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..")))
BROKEN_POLICY = 'name: "broken"\nrisk {\n  high_rate: "abc"\n}\n'


@pytest.fixture
def engine():
    import tollguard
    with tollguard.Engine(home_country="JP", timezone="Asia/Tokyo") as e:
        yield e


@pytest.fixture
def broken_policy(tmp_path):
    path = tmp_path / "broken.textproto"
    path.write_text(BROKEN_POLICY)
    return path
