"""The pandas workflow: an experiment from per-user rows, its readiness as a table, then three services'
hourly CPU as one long frame (statsforecast's `unique_id`, `ds`, `y`) through detect_many,
forecast_many and exhaustion_many, and a rollout's decisions as a DataFrame.

Run: python examples/python/pandas_workflow.py
"""
import pathlib

import numpy as np
import pandas as pd
import scaleplan

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
rng = np.random.default_rng(7)

# 1. One row per user: arm, converted, page load. experiment_from_frame sums them in the core.
n = 40_000
users = pd.DataFrame({"arm": np.where(rng.random(n) < 0.5, "control", "treatment")})
users["converted"] = (rng.random(n) < np.where(users["arm"] == "treatment", 0.115, 0.10)).astype(int)
users["load_ms"] = rng.normal(820, 250, n)
exp = scaleplan.experiment_from_frame(users, arm="arm", runtime_days=21, name="one-click checkout", metrics={
    "conversion": {"kind": "proportion", "conversions": "converted"},
    "page_load_ms": {"kind": "mean", "value": "load_ms", "direction": "decrease"}})
ready = scaleplan.assess_readiness(exp, (DATA / "policy.json").read_text())
print("ready to scale:", ready.ready)
print(ready.to_pandas()[["rule", "passed", "message"]].to_string(index=False))

# 2. Three services' hourly CPU over eight weeks, one long frame; api has one incident.
ds = pd.date_range("2026-09-01", periods=24 * 56, freq="h", tz="Europe/Berlin")
frames = []
for sid, level, growth in (("api", 40.0, 0.004), ("batch", 25.0, 0.0), ("search", 55.0, 0.002)):
    hour = np.arange(len(ds))
    y = level * (1 + growth) ** (hour / 24) + 8 * np.sin(2 * np.pi * hour / 24) + rng.normal(0, 1, len(ds))
    if sid == "api":
        y[1100:1104] += 30
    frames.append(pd.DataFrame({"unique_id": sid, "ds": ds, "y": y}))
df = pd.concat(frames, ignore_index=True)

alerts = scaleplan.detect_many(df, progress=False)
print(f"\n{len(alerts)} alert(s):")
print(alerts[["unique_id", "time", "observed", "expected"]].to_string(index=False))
# the planted incident and nothing else
assert alerts["unique_id"].tolist() == ["api"] and alerts["time"].iloc[0] == ds[1100], alerts
fc = scaleplan.forecast_many(df, 48, season_length=24, progress=False)
print("\nforecast, last hour ahead per service:")
print(fc.groupby("unique_id").tail(1)[["unique_id", "ds", "mean", "lower", "upper"]].to_string(index=False))
ex = scaleplan.exhaustion_many(df, capacity=80.0, horizon=24 * 60, season_length=24, progress=False)
print("\nhours until 80 % CPU:")
print(ex.to_string(index=False))

# 3. A rollout's decisions and audit log as DataFrames.
svc = scaleplan.RolloutService()
plan = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 10, "min_duration_secs": 900},
                                                {"traffic_pct": 100, "min_duration_secs": 900}])
carol, monitor = {"id": "carol", "role": "operations_manager"}, {"id": "bridge", "role": "monitor"}
svc.create("R-1", plan, carol, "2026-10-27T00:00:00Z")
svc.execute("R-1", {"kind": "start", "actor": carol}, "2026-10-27T00:00:00Z")
for i in range(4):
    start, end = f"2026-10-27T00:{5 * i:02d}:00Z", f"2026-10-27T00:{5 * i + 5:02d}:00Z"
    svc.observe("R-1", end, {"start": start, "end": end, "requests": 2000, "errors": 3, "p95_ms": 310},
                [end], actor=monitor)  # the window, and the analytics events seen since the last tick
print("\ndecisions:")
print(scaleplan.to_pandas(svc.decisions("R-1"))[["at", "decision", "traffic_pct", "reason_codes"]]
      .to_string(index=False))
assert scaleplan.to_pandas(svc.decisions("R-1"))["traffic_pct"].iloc[-1] == 100
