"""scaleplan.plot: a forecast with its band and backtest origins, a series with its alerts, a budget's burn
and a rollout's timeline, saved as PNG files.

Run: python examples/python/plots.py [out_dir]     (writes target/plots/*.png by default)
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np

import scaleplan
import scaleplan.plot

out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/plots")
out.mkdir(parents=True, exist_ok=True)
ROOT = Path(__file__).resolve().parents[2]

# %% Monthly demand: forecast 12 months with the 95 % band, and two backtest origins.
t = np.arange(96)
demand = (1000 + 12 * t) * (1 + 0.15 * np.sin(2 * np.pi * t / 12))
f = scaleplan.forecast(demand, 12, season_length=12)
b = scaleplan.backtest(demand, 12, season_length=12, windows=2)
scaleplan.plot.forecast(demand, f, backtest=b).figure.savefig(out / "forecast.png", dpi=110)

# %% Five-minute latency with one incident: the calibrated default's alert.
rng = np.random.default_rng(7)
latency = 120 + rng.normal(0, 4, 3000)
latency[2400:2412] += 60
d = scaleplan.detect(latency)
scaleplan.plot.alerts(latency, d).figure.savefig(out / "alerts.png", dpi=110)

# %% A monthly budget, twenty days in.
budget = {"name": "checkout", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
entries = [{"date": f"2026-06-{day:02d}", "amount": {"amount": f"{90 + 3 * day}.00", "currency": "USD"},
            "service": "api", "team": "core"} for day in range(1, 21)]
status = scaleplan.budget_status(budget, entries, "2026-06-20")
scaleplan.plot.budget(status, entries).figure.savefig(out / "budget.png", dpi=110)

# %% A rollout that pauses on a latency spike, recovers and resumes (the policy spec's scenario).
scenarios = json.loads((ROOT / "testdata" / "rollout" / "scenarios.json").read_text())["scenarios"]
s = next(x for x in scenarios if x["name"] == "latency_spike_recovers_and_resumes")
sim = scaleplan.simulate(json.dumps(s["input"]))
scaleplan.plot.rollout(sim).figure.savefig(out / "rollout.png", dpi=110)

for name in ("forecast", "alerts", "budget", "rollout"):
    p = out / f"{name}.png"
    assert p.stat().st_size > 5000, p
    print(f"wrote {p} ({p.stat().st_size} bytes)")
