"""Notebook-style: a quarter of hourly usage with a daily cycle, the anomalies scaleplan finds in it, and
a two-week forecast with its 95 % band, plotted with matplotlib.

Run: python examples/python/cost_watch.py [out.png]     (writes target/cost_watch.png by default)
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import scaleplan

# %% Hourly requests per second for 12 weeks: daily and weekly cycles, growth, noise, two incidents.
hours = np.arange("2026-05-04T00", "2026-07-27T00", dtype="datetime64[h]")
t = np.arange(len(hours))
rng = np.random.default_rng(2026)
daily = 1 + 0.35 * np.sin(2 * np.pi * (t % 24 - 6) / 24)
weekly = np.where((t // 24) % 7 >= 5, 0.8, 1.0)
rps = (800 + 0.5 * t) * daily * weekly + rng.normal(0, 15, len(t))
rps[24 * 40 + 14] += 450          # a retry storm
rps[24 * 61 + 3: 24 * 61 + 7] *= 0.4  # a regional outage
rps[24 * 20 + 5] = np.nan         # a lost scrape

# %% Detect: the default detector needs no tuning; it finds the daily season from the timestamps.
d = scaleplan.detect(rps, timestamps=hours)
print(d)
for a in d.alerts:
    when = np.datetime64(int(a["time"]), "s")
    print(f"  {a['severity']:8} {a['kind']:5} {when}  {a['reason']}")

# %% Forecast two weeks ahead with the weekly season (168 hours), from the history with the anomalies
# replaced by their expected values and the lost scrape by the same hour a day earlier: an outage left
# in pulls the model choice toward a level that follows every jump (the backtest below shows it).
history = rps.copy()
history[d.flags] = d.expected[d.flags]
gap = np.isnan(history)
history[gap] = history[np.flatnonzero(gap) - 24]
f = scaleplan.forecast(history, 24 * 14, season_length=168)
print(f, f.notes)
future = hours[-1] + np.arange(1, 24 * 14 + 1).astype("timedelta64[h]")

# %% Would that forecast have been right? Two one-week origins at the end of the history, against the
# seasonal-naive benchmark (last week again).
b = scaleplan.backtest(history, 168, season_length=168, windows=2)
print(b["summary"])

# %% When does the peak reach the fleet's capacity of 1,500 rps?
e = scaleplan.exhaustion(history, 1500.0, 24 * 14, season_length=168)
print(e.reason)

# %% Plot.
fig, ax = plt.subplots(figsize=(12, 4.5))
ax.plot(hours, rps, lw=0.6, color="#4a6fa5", label="requests/s")
ax.scatter(hours[d.flags], rps[d.flags], color="#d62728", s=18, zorder=3, label="anomaly")
ax.plot(future, f.mean, color="#2ca02c", lw=0.8, label=f"forecast {f.model}")
ax.fill_between(future, f.lower, f.upper, color="#2ca02c", alpha=0.2, label=f"{f.level:.0f}% band")
ax.axhline(1500, color="grey", ls="--", lw=0.8, label="capacity")
ax.set_ylabel("requests/s")
ax.legend(loc="upper left", ncol=3, fontsize=8)
out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/cost_watch.png")
out.parent.mkdir(parents=True, exist_ok=True)
fig.tight_layout()
fig.savefig(out, dpi=110)
print(f"wrote {out}")
