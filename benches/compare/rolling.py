"""The rolling detectors against the pandas computations a user would otherwise write, in the same run:
same outputs (to 1e-9 relative) and the speed ratio.

Run: python benches/compare/rolling.py [--n N] [--json OUT]
  (needs pandas: pip install -r benches/compare/requirements.txt)

| scaleplan (Python batch API)                         | pandas                                              |
|------------------------------------------------------|-----------------------------------------------------|
| detect(x, method="baseline_ratio", window=288)       | x / x.rolling(288, min_periods=144).mean().shift(1) |
| detect(x, method="robust_z", window=50)  (expected)  | x.rolling(50, min_periods=10).median().shift(1)     |
| detect(x, method="ewma", target=, sigma=) (scores)   | ewm(alpha=0.2, adjust=False) from the target, over the Montgomery limit width |

scaleplan does more per point than pandas here (flags, scores, expected values, critical marks and the
alerts with their explanations); pandas computes the one rolling statistic and the ratio. Times are the
best of 3 runs on a series of N points (default 2,000,000) with 1 % missing values (NaN).
"""

import argparse
import json
import time

import numpy as np
import pandas as pd

import scaleplan


def best(f, runs=3):
    t = float("inf")
    out = None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - t0)
    return t, out


def close(a, b, rtol=1e-9):
    a, b = np.asarray(a, float), np.asarray(b, float)
    both = ~np.isnan(a) & ~np.isnan(b)
    same_nan = bool(np.array_equal(np.isnan(a), np.isnan(b)))
    err = float(np.max(np.abs(a[both] - b[both]) / np.maximum(1.0, np.abs(b[both])))) if both.any() else 0.0
    return same_nan and err <= rtol, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2_000_000)
    ap.add_argument("--json")
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    x = 100.0 + rng.normal(0, 5, args.n)
    x[rng.choice(args.n, args.n // 100, replace=False)] = np.nan
    s = pd.Series(x)
    rows = []

    # Rolling mean of 288 (a day of 5-minute points) and the ratio to it.
    t_pd, ratio_pd = best(lambda: s / s.rolling(288, min_periods=144).mean().shift(1))
    t_sp, d = best(lambda: scaleplan.detect(x, method="baseline_ratio", window=288))
    base_pd = s.rolling(288, min_periods=144).mean().shift(1).to_numpy()
    ok, err = close(d.expected, base_pd)
    ratio_ok = np.isnan(x) | np.isnan(base_pd) | (np.abs(np.asarray(d.scores) - ratio_pd.to_numpy()) <= 1e-9)
    rows.append(("rolling mean 288 + ratio", t_pd, t_sp, ok and bool(ratio_ok.all()), err))

    # Rolling median of 50 (the robust z's expected value).
    t_pd, med_pd = best(lambda: s.rolling(50, min_periods=10).median().shift(1), runs=1)
    t_sp, d = best(lambda: scaleplan.detect(x, method="robust_z", window=50), runs=1)
    ok, err = close(d.expected, med_pd.to_numpy())
    rows.append(("rolling median 50 (+ MAD in scaleplan)", t_pd, t_sp, ok, err))

    # EWMA chart with a known target and sigma, on the series without gaps.
    y = np.where(np.isnan(x), 100.0, x)
    lam, mu, sigma = 0.2, 100.0, 5.0

    def pandas_ewma():
        z = pd.Series(np.concatenate([[mu], y])).ewm(alpha=lam, adjust=False).mean().to_numpy()[1:]
        t = np.arange(1, len(y) + 1)
        width = sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        return (z - mu) / width

    t_pd, z_pd = best(pandas_ewma)
    t_sp, d = best(lambda: scaleplan.detect(y, method="ewma", **{"lambda": lam, "target": mu, "sigma": sigma}))
    ok, err = close(d.scores, z_pd)
    rows.append(("EWMA chart (lambda 0.2)", t_pd, t_sp, ok, err))

    print(f"{args.n:,} points, best of 3 (median: 1 run)")
    print(f"{'computation':42} {'pandas M pts/s':>15} {'scaleplan M pts/s':>18} {'ratio':>7}  same outputs (max rel. err)")
    out = []
    for name, tp, ts, ok, err in rows:
        print(f"{name:42} {args.n / tp / 1e6:15.1f} {args.n / ts / 1e6:18.1f} {tp / ts:7.2f}  {ok} ({err:.1e})")
        out.append({"computation": name, "pandas_mpts": args.n / tp / 1e6, "scaleplan_mpts": args.n / ts / 1e6,
                    "ratio": tp / ts, "same": ok, "max_rel_err": err})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    if not all(r[3] for r in rows):
        raise SystemExit("outputs differ from pandas")


if __name__ == "__main__":
    main()
