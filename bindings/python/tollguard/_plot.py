"""plot_timeline(): one account's calls, scores and actions over time (matplotlib, imported on use)."""

import numpy as np

from ._engine import STATUS
from ._errors import Error

_COLORS = {"allow": "tab:green", "alert": "tab:orange", "block": "tab:red"}


def plot_timeline(decisions, account, timezone=None, label="label"):
    """Draws the calls of `account` in replay() output: the score of each call coloured by its action (top),
    and its billed minutes (bottom), with labelled fraud marked by black crosses when a `label` column exists.
    Times are shown in `timezone` (an IANA name; default UTC). Returns a matplotlib Figure (not shown; call
    fig.savefig(...) or display it in a notebook). Needs matplotlib (Debian: python3-matplotlib)."""
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 (optional dependency)
    except ImportError as e:
        raise ImportError("tollguard.plot_timeline needs matplotlib: install python3-matplotlib "
                          "(or pip install matplotlib)") from e
    import pandas as pd  # noqa: PLC0415

    from ._replay import _start_ms  # noqa: PLC0415

    for name in ("start", "account", "action", "score", "duration"):
        if name not in decisions.columns:
            raise Error(STATUS["E_INVALID_ARGUMENT"], f"plot_timeline: missing column {name!r} (run replay() first)")
    rows = decisions[decisions["account"].astype(str) == str(account)]
    if rows.empty:
        raise Error(STATUS["E_INVALID_ARGUMENT"], f"plot_timeline: no calls of account {account!r}")
    t = pd.to_datetime(_start_ms(rows["start"], timezone), unit="ms", utc=True)
    if timezone is not None:
        t = t.tz_convert(timezone)
    order = np.argsort(t.asi8, kind="stable")
    t = t[order]
    rows = rows.iloc[order]
    action = rows["action"].to_numpy(dtype=object)
    minutes = rows["duration"].to_numpy(dtype=np.float64) / 60.0

    fig = Figure(figsize=(11, 5.5), layout="constrained")
    ax_score, ax_calls = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    for name, color in _COLORS.items():
        m = action == name
        if m.any():
            ax_score.scatter(t[m], rows["score"].to_numpy()[m], s=14, c=color, label=f"{name} ({int(m.sum())})")
            ax_calls.vlines(t[m], 0, minutes[m], colors=color, linewidth=1.2)
    if label in rows.columns:
        fraud = pd.to_numeric(rows[label], errors="coerce").fillna(0).to_numpy() != 0
        if fraud.any():
            ax_calls.scatter(t[fraud], minutes[fraud], marker="x", c="black", s=20, zorder=3,
                             label=f"labelled fraud ({int(fraud.sum())})")
            ax_calls.legend(loc="upper left", fontsize="small")
    ax_score.set_ylabel("score")
    ax_score.set_ylim(-20, 1020)
    ax_score.legend(loc="upper left", fontsize="small")
    ax_score.grid(True, alpha=0.3)
    ax_calls.set_ylabel("billed minutes")
    ax_calls.set_xlabel(f"start ({timezone or 'UTC'})")
    ax_calls.grid(True, alpha=0.3)
    fig.suptitle(f"tollguard: account {account}, {len(rows)} calls")
    return fig
