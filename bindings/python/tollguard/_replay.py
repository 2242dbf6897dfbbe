"""replay() and read_cdrs(): CDR exports through the engine, the loop in C++ (tools/replay) with the GIL
released."""

import os
import warnings

import numpy as np

from . import _tollguard
from ._engine import STATUS, Engine, _text
from ._errors import Error

#: Columns replay() adds to the input, in order (the command line's decision columns).
DECISION_COLUMNS = ("action", "score", "reasons", "e164", "country", "number_type", "risk_tier", "rate", "max_duration_s")
_REQUIRED = ("start", "account", "dialed", "duration")
_ASTERISK_RENAMES = {"start": "start_local", "duration": "total_duration"}


def _pandas():
    import pandas  # noqa: PLC0415 (imported on use: `import tollguard` stays light)
    return pandas


def _start_ms(col, timezone):
    """Unix ms of a start column: datetime64 (naive = UTC), tz-aware datetimes, Unix seconds, or ISO 8601
    strings (parsed by the same code as the command line; without an offset local in `timezone`)."""
    pd = _pandas()
    dtype = col.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or np.issubdtype(dtype, np.datetime64):
        values = col.to_numpy(dtype="datetime64[ns]") if not isinstance(dtype, pd.DatetimeTZDtype) else \
            col.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
        if np.isnat(values).any():
            raise Error(STATUS["E_TIME"], f"start: missing time (NaT) at row {int(np.argmax(np.isnat(values)))}")
        return values.view(np.int64) // 1_000_000
    if dtype.kind in "iuf":
        seconds = col.to_numpy(dtype=np.float64) if dtype.kind == "f" else col.to_numpy(dtype=np.int64)
        if dtype.kind == "f":
            if not np.isfinite(seconds).all():
                raise Error(STATUS["E_TIME"], f"start: missing time at row {int(np.argmax(~np.isfinite(seconds)))}")
            return np.round(seconds * 1000.0).astype(np.int64)
        return seconds * 1000
    values = col.to_numpy(dtype=object)
    try:
        ms, bad, message = _tollguard.parse_starts(values, timezone)
    except TypeError:  # datetime objects, mixed: let pandas convert them
        return _start_ms(pd.to_datetime(col, utc=True), timezone)
    if bad >= 0:
        raise Error(STATUS["E_TIME"], f"start at row {bad}: {message}")
    return ms


def _strings(col):
    if col.dtype == object:
        return col.to_numpy()
    return col.astype(str).to_numpy(dtype=object)


def _durations(col):
    if col.dtype.kind in "iu":
        return col.to_numpy(dtype=np.int64)
    if col.dtype.kind == "f":
        values = col.to_numpy(dtype=np.float64)
        if not np.isfinite(values).all():
            raise Error(STATUS["E_INVALID_ARGUMENT"],
                        f"duration: missing value at row {int(np.argmax(~np.isfinite(values)))}")
        return np.round(values).astype(np.int64)
    pd = _pandas()
    try:
        return _durations(pd.to_numeric(col))
    except (ValueError, TypeError) as e:
        raise Error(STATUS["E_INVALID_ARGUMENT"], f"duration: expected billed seconds ({e})") from None


def replay(data, *, engine=None, format="csv", strict=False, **engine_options):
    """Replays CDRs through an engine and returns the input rows with the decision columns
    action, score, reasons (';'-joined names), e164, country, number_type, risk_tier, rate (per minute).

    data: a pandas DataFrame with columns start, account, dialed, duration (billed seconds; other columns are
    kept), or the path of a CDR file (read with read_cdrs(path, format=..., strict=...)). start may be
    datetime64 (naive = UTC), tz-aware, Unix seconds or ISO 8601 strings.
    engine: an existing tollguard.Engine to use (its history carries over); otherwise a new one is made from
    engine_options (home_country, timezone, policy, state, max_accounts, max_live_calls) and closed at the
    end, after saving the state when `state` is given.
    Rows are replayed in start order, ends delivered before later starts, blocked calls never connected
    (see tools/replay/replay.h); the result is in input order. Counts are in result.attrs["replay"].
    """
    pd = _pandas()
    if engine is not None and not isinstance(engine, Engine):
        raise TypeError(f"replay: engine must be a tollguard.Engine, not {type(engine).__name__}")
    if engine is not None and engine_options:
        raise TypeError("replay: pass either engine= or engine options, not both")
    timezone = engine_options.get("timezone") if engine is None else engine.timezone
    if isinstance(data, (str, os.PathLike)):
        df = read_cdrs(data, format=format, timezone=timezone, strict=strict)
    elif isinstance(data, pd.DataFrame):
        df = data
    else:
        raise TypeError(f"replay: expected a DataFrame or a path, not {type(data).__name__}")
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise Error(STATUS["E_INVALID_ARGUMENT"], f"replay: missing column(s) {', '.join(missing)}")

    start = _start_ms(df["start"], timezone)
    account = _strings(df["account"])
    dialed = _strings(df["dialed"])
    duration = _durations(df["duration"])

    own = engine is None
    eng = Engine(**engine_options) if own else engine
    try:
        res = eng._e.replay(start, account, dialed, duration)
        if own and eng.state is not None:
            eng.save_state()
    finally:
        if own:
            eng.close()
    out = df.copy(deep=False)
    for name in DECISION_COLUMNS:
        out[name] = res[name]
    out.attrs = dict(df.attrs)
    out.attrs["replay"] = res["counts"]
    if eng.home_country is not None:
        out.attrs["home_country"] = eng.home_country
    return out


def read_cdrs(path, format="csv", timezone=None, strict=False):
    """Reads a CDR file into a DataFrame with the same reader as `tollguard replay`.

    format="csv": a header row with start, account, dialed, duration (names matched case-insensitively and
    returned in lower case) and any other columns (kept as str; label and cost become numbers when they
    parse). start becomes datetime64[ns, UTC]; ISO times without an offset are local in `timezone`.
    format="asterisk": an Asterisk cdr_csv Master.csv (no header); the result starts with start (UTC, from the
    local start in `timezone`, required), account (accountcode, or src when empty), dialed (dst), duration
    (billsec), followed by the Asterisk columns (its own start and duration renamed start_local and
    total_duration).
    Bad rows are skipped with a warning; their (line, message) pairs are in df.attrs["bad_rows"] and their
    number in df.attrs["bad_count"]. strict=True raises tollguard.Error at the first (with .line).
    """
    pd = _pandas()
    path = _text(path, "path")
    format = _text(format, "format")
    timezone = _text(timezone, "timezone", allow_none=True)
    r = _tollguard.read_cdrs(path, format, timezone, bool(strict))
    columns = list(r["columns"])
    values = r["values"]
    start = pd.to_datetime(r["start_ms"], unit="ms", utc=True)
    if format == "csv":
        canonical = {"start", "account", "dialed", "duration", "label", "cost"}
        seen = set()
        for i, name in enumerate(columns):
            low = name.strip().lower()
            if low in canonical and low not in seen:
                columns[i] = low
                seen.add(low)
        df = pd.DataFrame(dict(enumerate(values)), copy=False)
        df.columns = columns
        df["start"] = start
        df["duration"] = r["duration"]
        for name in ("label", "cost"):
            if name in df.columns:
                try:
                    df[name] = pd.to_numeric(df[name])
                except (ValueError, TypeError):
                    pass
    else:
        columns = [_ASTERISK_RENAMES.get(c, c) for c in columns]
        front = {"start": start, "account": r["account"], "dialed": r["dialed"], "duration": r["duration"]}
        rest = pd.DataFrame(dict(enumerate(values)), copy=False)
        rest.columns = columns
        for name in ("total_duration", "billsec"):
            if name in rest.columns:
                rest[name] = pd.to_numeric(rest[name], errors="coerce").astype("Int64")
        df = pd.concat([pd.DataFrame(front), rest], axis=1)
    df.attrs["bad_rows"] = list(r["bad_rows"])
    df.attrs["bad_count"] = int(r["bad_count"])
    df.attrs["source"] = path
    if r["bad_count"]:
        line, message = r["bad_rows"][0]
        warnings.warn(f"{path}: {r['bad_count']} bad row(s) skipped; the first, line {line}: {message}",
                      RuntimeWarning, stacklevel=2)
    return df
