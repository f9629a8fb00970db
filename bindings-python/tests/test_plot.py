"""scaleplan.plot: each plot draws the result's own numbers on the Axes it returns, and saves."""
import json

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import scaleplan  # noqa: E402
import scaleplan.plot  # noqa: E402
from conftest import fixture  # noqa: E402


def test_forecast_with_band_and_backtest_origins(tmp_path):
    y = 100 + 10 * np.sin(np.arange(96) * np.pi / 6) + np.arange(96)
    f = scaleplan.forecast(y, 12, season_length=12)
    b = scaleplan.backtest(y, 12, season_length=12, windows=2)
    ax = scaleplan.plot.forecast(y, f, backtest=b)
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    np.testing.assert_array_equal(lines["forecast"].get_ydata(), f.mean)
    assert [ln.get_xdata()[0] for ln in ax.get_lines() if ln.get_linestyle() == ":"] == [
        w["cutoff"] for w in b["windows"]
    ]
    ax.figure.savefig(tmp_path / "f.png")
    assert (tmp_path / "f.png").stat().st_size > 1000


def test_alerts_marked_at_their_first_point():
    y = 100 + np.random.default_rng(3).normal(0, 1, 1500)
    y[1200] += 25
    d = scaleplan.detect(y)
    ax = scaleplan.plot.alerts(y, d)
    pts = np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    assert [tuple(p) for p in pts] == [(a["start_index"], y[a["start_index"]]) for a in d.alerts]


def test_budget_burn_down():
    budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
    entries = [{"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
                "service": "api", "team": "core"} for d in range(1, 21)]
    s = scaleplan.budget_status(budget, entries, "2026-06-20")
    ax = scaleplan.plot.budget(s, entries)
    spent = ax.get_lines()[0].get_ydata()
    assert spent[-1] == 2000.0 and ax.get_lines()[2].get_ydata()[-1] == float(s["projected"]["amount"])
    assert "67 % spent" in ax.get_title()


def test_rollout_timeline():
    s = next(x for x in fixture("rollout/scenarios.json")["scenarios"] if x["name"] == "latency_spike_recovers_and_resumes")
    sim = scaleplan.simulate(json.dumps(s["input"]))
    ax = scaleplan.plot.rollout(sim)
    out = json.loads(sim)
    assert list(ax.get_lines()[0].get_ydata()) == [d["traffic_pct"] for d in out["decisions"]]
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"pause", "resume", "advance"} <= labels
