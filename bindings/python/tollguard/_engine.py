"""Engine and Decision: one engine of the C library, and what it decided about one call."""

import datetime as _dt
import math
import numbers
import os
import warnings

import numpy as np

from . import _tollguard
from ._errors import Error, status_name

STATUS = dict(_tollguard.STATUS)
_S = STATUS
_NUMBER_ERRORS = frozenset(range(_S["E_NUMBER_EMPTY"], _S["E_NUMBER_TOO_SHORT"] + 1))
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MS = _dt.timedelta(milliseconds=1)

#: Reason names in bit order (tg_reason_name).
REASONS = tuple(_tollguard.reason_name(bit) for bit in range(_tollguard.REASON_COUNT))


def reason_names(mask):
    """Names of the reason bits set in `mask`, in bit order."""
    names = []
    bit = 0
    mask = int(mask)
    while mask:
        if mask & 1:
            names.append(_tollguard.reason_name(bit) or f"bit{bit}")
        mask >>= 1
        bit += 1
    return names


def to_unix_ms(at, name="at", timezone=None):
    """Unix milliseconds of `at`: None (now, 0 for the C API), a datetime or pandas Timestamp (aware; naive is
    UTC), a numpy datetime64 (UTC), Unix seconds (int or float), or an ISO 8601 string (without an offset it is
    local in `timezone`). Raises TypeError for another type and tollguard.Error (status E_TIME) for a time
    outside 2000-01-01 .. 2200-01-01."""
    if at is None:
        return 0
    if isinstance(at, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a datetime, Unix seconds or None, not bool")
    if isinstance(at, numbers.Integral):
        ms = int(at) * 1000
    elif isinstance(at, numbers.Real):
        seconds = float(at)
        if not math.isfinite(seconds):
            raise Error(_S["E_TIME"], f"{name}: {seconds} is not a time")
        ms = round(seconds * 1000)
    elif isinstance(at, _dt.datetime):  # also pandas.Timestamp
        if at.tzinfo is None or at.utcoffset() is None:
            at = at.replace(tzinfo=_dt.timezone.utc)
        ms = (at - _EPOCH) // _MS
    elif isinstance(at, np.datetime64):
        if np.isnat(at):
            raise Error(_S["E_TIME"], f"{name}: NaT is not a time")
        ms = int(at.astype("datetime64[ms]").astype(np.int64))
    elif isinstance(at, str):
        values, bad, message = _tollguard.parse_starts(np.array([at], dtype=object), timezone)
        if bad >= 0:
            raise Error(_S["E_TIME"], f"{name}: {message}")
        ms = int(values[0])
    elif type(at).__name__ == "NaTType":
        raise Error(_S["E_TIME"], f"{name}: NaT is not a time")
    else:
        raise TypeError(f"{name}: expected a datetime, pandas Timestamp, Unix seconds, ISO string or None, "
                        f"not {type(at).__name__}")
    if not _tollguard.MIN_TIME_MS <= ms <= _tollguard.MAX_TIME_MS:
        raise Error(_S["E_TIME"], f"{name}: {at!r} is outside 2000-01-01 .. 2200-01-01")
    return ms


def _text(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str{' or None' if allow_none else ''}, not {type(value).__name__}")
    if "\0" in value:
        raise Error(_S["E_INVALID_ARGUMENT"], f"{name}: contains a NUL character")
    return value


def _uint(value, name, bits):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected int, not {type(value).__name__}")
    value = int(value)
    if not 0 <= value < 1 << bits:
        raise Error(_S["E_INVALID_ARGUMENT"], f"{name}: {value} is out of range (0 .. 2**{bits}-1)")
    return value


class Decision:
    """What the engine decided about one call: the fields of the C struct tg_decision, with names.

    action: "allow", "alert" or "block" (action_code: the TG_ACTION_* int); score 0..1000; reasons: names of
    every reason that fired, top_reason the one that weighed most (None when none fired); e164: normalized
    digits without '+'; country: ISO 3166 alpha-2 ("001" non-geographic, "" unknown); number_type: name
    ("MOBILE"); risk_tier 0..3; rate: per-minute rate (rate_micros in millionths); max_duration_s (0: no cap);
    status: the tg_status of the call (0 ok; a number error such as 5 "number_chars" keeps the policy's
    treatment of invalid numbers in action/score), status_text its text.
    """

    __slots__ = ("status", "action_code", "score", "_top", "_mask", "e164", "country", "_type", "risk_tier",
                 "max_duration_s", "rate_micros")

    def __init__(self, fields):
        (self.status, self.action_code, self.score, self._top, self._mask, self.e164, self.country, self._type,
         self.risk_tier, self.max_duration_s, self.rate_micros) = fields

    @property
    def action(self):
        return _tollguard.action_name(self.action_code)

    @property
    def reasons(self):
        return reason_names(self._mask)

    @property
    def reasons_mask(self):
        return self._mask

    @property
    def top_reason(self):
        return _tollguard.reason_name(self._top) if self._top >= 0 else None

    @property
    def number_type(self):
        return _tollguard.number_type_name(self._type)

    @property
    def number_type_code(self):
        return self._type

    @property
    def rate(self):
        return self.rate_micros / 1e6

    @property
    def status_text(self):
        return _tollguard.status_string(self.status)

    @property
    def status_name(self):
        return status_name(self.status)

    def as_dict(self):
        return {k: getattr(self, k) for k in (
            "action", "action_code", "score", "reasons", "top_reason", "e164", "country", "number_type",
            "risk_tier", "rate", "rate_micros", "max_duration_s", "status", "status_text")}

    def __repr__(self):
        extra = "" if self.status == 0 else f", status={self.status} ({self.status_name})"
        return (f"Decision(action={self.action!r}, score={self.score}, reasons={self.reasons!r}, "
                f"e164={self.e164!r}, country={self.country!r}, number_type={self.number_type!r}, "
                f"risk_tier={self.risk_tier}, rate={self.rate}{extra})")


class Engine:
    """A tollguard engine (tg_engine_create). Arguments as tg_engine_options; None means the policy's value:

    home_country: ISO 3166 alpha-2 code of the dial plan ("JP"); timezone: IANA zone of accounts without one;
    policy: path of a policy file (None: the policy embedded in the library); state: path of the state
    snapshot, loaded now when the file exists (a corrupt one is a RuntimeWarning and the engine starts empty,
    unless the policy says fail_closed) and the default of save_state(); max_accounts, max_live_calls: 0 for
    the policy's limits. Raises tollguard.Error (with .status, .line, .column, .message) when the engine cannot
    be created. Thread-safe like the C engine; close() (or a with block) frees it.
    """

    def __init__(self, home_country=None, timezone=None, policy=None, state=None, max_accounts=0,
                 max_live_calls=0):
        self.home_country = _text(home_country, "home_country", allow_none=True)
        self.timezone = _text(timezone, "timezone", allow_none=True)
        self.policy = _text(policy, "policy", allow_none=True)
        self.state = _text(state, "state", allow_none=True)
        self._e = _tollguard.Engine(self.home_country, self.timezone, self.policy, self.state,
                                    _uint(max_accounts, "max_accounts", 32),
                                    _uint(max_live_calls, "max_live_calls", 32))
        if self._e.warning:
            warnings.warn(f"tollguard: {self._e.warning}", RuntimeWarning, stacklevel=2)

    def _decision(self, fields, dialed):
        status = fields[0]
        if status in _NUMBER_ERRORS or status in (_S["OK"], _S["E_CAPACITY"]):
            return Decision(fields)
        raise Error(status, f"{_tollguard.status_string(status)} (dialed {dialed!r})")

    def check(self, dialed, account="default", at=None):
        """Decides a call without recording it (tg_engine_score). `at`: see to_unix_ms (None: now).
        A malformed number is not an exception: the Decision carries its status and the policy's action."""
        dialed = _text(dialed, "dialed")
        account = _text(account, "account")
        fields = self._e.score(account, dialed, to_unix_ms(at, timezone=self.timezone))
        return self._decision(fields, dialed)

    def begin(self, dialed, account="default", call_id=0, at=None):
        """Decides a call and records the attempt (tg_call_begin). When the action is not block and call_id is
        not 0 the call is live until end(call_id, ...). Status E_CAPACITY (15): the live-call table is full; the
        decision is still made."""
        dialed = _text(dialed, "dialed")
        account = _text(account, "account")
        call_id = _uint(call_id, "call_id", 64)
        fields = self._e.begin(account, dialed, to_unix_ms(at, timezone=self.timezone), call_id)
        return self._decision(fields, dialed)

    def end(self, call_id, billed_seconds, at=None):
        """Ends a live call and books billed_seconds at its rate (tg_call_end). Returns the status: 0, or
        E_TIME (14) when the end was before the start or the billed time longer than the call (the call is
        still ended, billing clamped). Raises tollguard.Error for a call id that is not live (E_UNKNOWN_CALL)."""
        call_id = _uint(call_id, "call_id", 64)
        billed = _uint(billed_seconds, "billed_seconds", 31)
        status = self._e.end(call_id, to_unix_ms(at, timezone=self.timezone), billed)
        if status not in (_S["OK"], _S["E_TIME"]):
            raise Error(status, f"end({call_id}): {_tollguard.status_string(status)}")
        return status

    def reload(self, policy=None):
        """Replaces the policy (tg_engine_reload; None: reload the current one). On error the old policy stays
        in force and tollguard.Error says where."""
        policy = _text(policy, "policy", allow_none=True)
        self._e.reload(policy)
        if policy is not None:
            self.policy = policy

    def save_state(self, path=None):
        """Writes the account state crash-safely (tg_engine_save_state; None: the engine's state path)."""
        self._e.save_state(_text(path, "path", allow_none=True))

    def stats(self):
        """Counters (tg_engine_get_stats) as a dict: accounts, live_calls, decisions, blocked, alerted, evicted,
        prefixes, policy_version, memory_bytes."""
        return self._e.stats()

    def close(self):
        """Frees the engine; later calls raise tollguard.Error. Safe to call twice."""
        self._e.close()

    @property
    def closed(self):
        return self._e.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        opts = ", ".join(f"{k}={v!r}" for k, v in (("home_country", self.home_country), ("timezone", self.timezone),
                                                  ("policy", self.policy), ("state", self.state)) if v is not None)
        return f"tollguard.Engine({opts}){' (closed)' if self.closed else ''}"
