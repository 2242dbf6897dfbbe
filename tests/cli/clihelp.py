"""Helpers of the command line tests: run build/bin/tollguard, write CDR files, read decisions CSVs."""

import csv
import datetime as dt
import io
import os
import subprocess

import pytest

JST = dt.timezone(dt.timedelta(hours=9))
#: Monday 2026-03-02 10:00 in Tokyo: office hours on a working day.
MONDAY_10_JST = dt.datetime(2026, 3, 2, 10, 0, tzinfo=JST)
DECISION_COLUMNS = ["action", "score", "reasons", "e164", "country", "number_type", "risk_tier", "rate", "max_duration_s"]
SOURCE_DIR = os.environ.get("TG_SOURCE_DIR", os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..")))


def cli_path():
    path = os.environ.get("TOLLGUARD_CLI", "")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("set TOLLGUARD_CLI to the built tollguard binary (ctest does)")
    return path


def run(*args, stdin=None):
    """Runs the CLI; returns the CompletedProcess with stdout / stderr decoded as UTF-8, line ends untouched."""
    p = subprocess.run([cli_path(), *map(str, args)], input=None if stdin is None else stdin.encode(),
                       capture_output=True, timeout=120)
    p.stdout = p.stdout.decode()
    p.stderr = p.stderr.decode()
    return p


def iso(t):
    return t.isoformat()


def write_cdrs(path, rows, columns=("start", "account", "dialed", "duration", "id"), newline="\n"):
    """Writes rows (tuples in `columns` order) as a CSV with a header."""
    with open(path, "w", newline="") as f:
        f.write(",".join(columns) + newline)
        for r in rows:
            f.write(",".join(str(v) for v in r) + newline)
    return path


def decisions(stdout):
    """The rows of a decisions CSV as dicts."""
    return list(csv.DictReader(io.StringIO(stdout, newline="")))


def by_id(rows):
    return {r["id"]: {c: r[c] for c in DECISION_COLUMNS} for r in rows}
