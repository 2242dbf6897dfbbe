"""tollguard.plot_timeline (skipped without matplotlib)."""

import datetime as dt

import pandas as pd
import pytest

import tollguard
from conftest import MONDAY_10_JST

matplotlib = pytest.importorskip("matplotlib")


def test_plot_timeline(tmp_path):
    rows = [(MONDAY_10_JST + dt.timedelta(minutes=10 * i), "acme" if i % 3 else "beta",
             "+8821234567" if i > 8 else f"03123456{i:02d}", 120 * (i % 4), int(i > 8)) for i in range(15)]
    df = pd.DataFrame(rows, columns=["start", "account", "dialed", "duration", "label"])
    out = tollguard.replay(df)
    fig = tollguard.plot_timeline(out, account="acme", timezone="Asia/Tokyo")
    from matplotlib.figure import Figure
    assert isinstance(fig, Figure)
    score_ax, calls_ax = fig.axes[:2]
    n_acme = int((out["account"] == "acme").sum())
    points = sum(len(c.get_offsets()) for c in score_ax.collections)
    assert points == n_acme
    legend = [t.get_text() for t in score_ax.get_legend().get_texts()]
    assert any(t.startswith("allow") for t in legend)
    assert "acme" in fig._suptitle.get_text()
    fig.savefig(tmp_path / "t.png")
    assert (tmp_path / "t.png").stat().st_size > 1000
    with pytest.raises(tollguard.Error):
        tollguard.plot_timeline(out, account="nobody")
