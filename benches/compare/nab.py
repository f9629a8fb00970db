#!/usr/bin/env python3
"""scaleplan's detectors on the Numenta Anomaly Benchmark, development half (testdata/nab-dev, or
--nab), scored with the independent scorer shipped with the data (nab_score.py, which reproduces NAB's
published scores exactly). What is scored is what an operator receives: the first point of each alert.

Prints, per detector: the standard, reward_low_FP_rate and reward_low_FN_rate scores, alerts per 10,000
points (all files, and the worst real file: all alerts, and false ones, outside every labelled
window), alerts on the artificialNoAnomaly files, the share of
labelled windows found and the median delay (fraction of the window). Then the default detector's time
on the whole half through Python, beside pandas' rolling median and MAD of the same window in the same
run. With --floor S, exits 1 when the default's standard score is below S (a quality floor).

The default is untuned: no parameter is chosen per file. Published detectors on this half (README of
the data): ARTime 78.06, Numenta HTM 71.21, Random Cut Forest 52.00, S-H-ESD 46.39, windowed Gaussian
36.71, random 19.54.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

import scaleplan

HERE = os.path.dirname(os.path.abspath(__file__))
# the development half, vendored with NAB's MIT licence (testdata/nab-dev/LICENSE.txt)
DEFAULT_NAB = os.path.normpath(os.path.join(HERE, "..", "..", "testdata", "nab-dev"))

DETECTORS = {
    "auto (default)": {"method": "auto"},
    "calibrated": {"method": "calibrated"},
    "robust_z": {"method": "robust_z"},
    "ewma": {"method": "ewma"},
    "baseline_ratio": {"method": "baseline_ratio"},
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nab", default=os.environ.get("SCALEPLAN_NAB_DIR", DEFAULT_NAB))
    ap.add_argument("--floor", type=float, default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    sys.path.insert(0, args.nab)
    import nab_score as ns

    corpus = ns.Corpus(
        data_dir=os.path.join(args.nab, "data"),
        windows_path=os.path.join(args.nab, "labels", "combined_windows.json"),
    )
    profiles = ns.load_profiles(os.path.join(args.nab, "config", "profiles.json"))
    series = {}
    for k in corpus.files:
        ts, v = corpus.series(k)
        # the timestamps as exported (repeated, backwards, irregular): scaleplan places them itself
        series[k] = (np.array([t.timestamp() for t in ts]), np.asarray(v, float), ts)
    points = sum(len(v) for _, v, _ in series.values())
    out = {"files": len(series), "points": points, "detectors": {}}
    print(f"NAB development half: {len(series)} files, {points} points")
    print(f"{'detector':16} {'standard':>9} {'low_FP':>7} {'low_FN':>7} {'alerts/10k':>10} "
          f"{'worst real':>10} {'worst FA':>8} {'no-anomaly':>10} {'windows':>8} {'delay':>6}")
    for name, spec in DETECTORS.items():
        params = {k: v for k, v in spec.items() if k != "method"}
        flags, rates, noanom, total = {}, {}, 0, 0
        for k, (t, v, _) in series.items():
            d = scaleplan.detect(v, timestamps=t, method=spec["method"], **params)
            fl = np.zeros(len(v), int)
            for a in d.alerts:
                fl[int(a["start_index"])] = 1
            flags[k] = fl.tolist()
            rates[k] = len(d.alerts) / len(v) * 10_000
            total += len(d.alerts)
            if k.startswith("artificialNoAnomaly"):
                noanom += len(d.alerts)
        res = {p: ns.score_corpus(corpus, flags, profiles[p]) for p in profiles}
        std = res["standard"]
        worst = max(r for k, r in rates.items() if k.startswith("real"))
        # false alerts: first points outside every labelled window (after NAB's probationary period)
        per = ns.score_corpus(corpus, flags, profiles["standard"], per_file=True)["per_file"]
        worst_fa = max(per[k]["fp_rows"] / len(series[k][1]) * 10_000 for k in per if k.startswith("real"))
        row = {
            "standard": std["normalized"],
            "reward_low_FP_rate": res["reward_low_FP_rate"]["normalized"],
            "reward_low_FN_rate": res["reward_low_FN_rate"]["normalized"],
            "alerts_per_10k": total / points * 10_000,
            "worst_real_file_alerts_per_10k": worst,
            "worst_real_file_false_alerts_per_10k": worst_fa,
            "no_anomaly_alerts": noanom,
            "windows_found": std["window_recall"],
            "median_delay": std["median_rel_delay"],
        }
        out["detectors"][name] = row
        print(f"{name:16} {row['standard']:9.1f} {row['reward_low_FP_rate']:7.1f} "
              f"{row['reward_low_FN_rate']:7.1f} {row['alerts_per_10k']:10.2f} {worst:10.1f} {worst_fa:8.1f} "
              f"{noanom:10d} {row['windows_found']:8.2f} {row['median_delay'] or float('nan'):6.2f}")
    # speed: the default on the whole half, beside pandas' rolling median + MAD of the same window
    import pandas as pd

    def run_default():
        for t, v, _ in series.values():
            scaleplan.detect(v, timestamps=t)

    def run_pandas():
        for _, v, _ in series.values():
            s = pd.Series(v)
            med = s.rolling(144, min_periods=36).median()
            (s - med).abs().rolling(144, min_periods=36).median()

    def best(f, reps=3):
        ts = []
        for _ in range(reps):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
        return min(ts)

    a, b = best(run_default), best(run_pandas)
    out["seconds_default"] = a
    out["seconds_pandas_rolling_median_mad"] = b
    print(f"default detector on {points} points: {a:.3f} s; pandas rolling median + MAD (window 144): "
          f"{b:.3f} s; ratio pandas/scaleplan {b / a:.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    if args.floor is not None:
        got = out["detectors"]["auto (default)"]["standard"]
        if got < args.floor:
            print(f"FAIL: default standard score {got:.1f} below the floor {args.floor}")
            return 1
        print(f"ok: default standard score {got:.1f} >= floor {args.floor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
