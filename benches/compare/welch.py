"""Batch and scalar Welch tests from summary statistics: scaleplan (Python binding) against scipy's
`ttest_ind_from_stats(equal_var=False)`, vectorised over the same rows and called one at a time, measured
in one run with the outputs checked equal (t to 1e-12, p-values to 1e-9 relative). Prints rows/second
and the ratios. scaleplan also computes the absolute and relative intervals (a Student t quantile per
row) that scipy's call does not, so the ratio is conservative.

Two row sets: "large arms" (1,000 to 1,000,000 units per arm, df from about 2,000 to 2,000,000, as in
product experiments) and "small arms" (5 to 500 units, df from about 8 to 1,000).

`welch_batch` spreads batches of 2,048 rows or more over the machine's cores (rayon); scipy's call is
single-threaded. `RAYON_NUM_THREADS=1` measures scaleplan on one core (CI runs both).

Run: python benches/compare/welch.py [--rows 10000] [--json out.json]   (a release build gives meaningful
ratios: maturin develop --release)
"""
import argparse
import json

import numpy as np
import scaleplan
from timing import best_of_interleaved
from scipy import stats

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=10_000)
ap.add_argument("--json")
args = ap.parse_args()


def rows(n, lo, hi, seed):
    rng = np.random.default_rng(seed)
    cn = np.floor(np.exp(rng.uniform(np.log(lo), np.log(hi), n)))
    tn = np.floor(cn * rng.uniform(0.8, 1.25, n)) + 2
    cm = rng.uniform(1.0, 100.0, n)
    tm = cm * rng.uniform(0.95, 1.05, n)
    cv = (cm * rng.uniform(0.2, 2.0, n)) ** 2
    tv = cv * rng.uniform(0.5, 2.0, n)
    return cn, cm, cv, tn, tm, tv


import os

report = {"threads": int(os.environ.get("RAYON_NUM_THREADS") or os.cpu_count() or 1)}
for label, (lo, hi), seed in [("large arms", (1_000, 1_000_000), 1), ("small arms", (5, 500), 2)]:
    cn, cm, cv, tn, tm, tv = rows(args.rows, lo, hi, seed)

    def ours():
        return scaleplan.welch_batch(cn, cm, cv, tn, tm, tv)

    def scipy_vectorised():
        return stats.ttest_ind_from_stats(tm, np.sqrt(tv), tn, cm, np.sqrt(cv), cn, equal_var=False)

    (t_sp, r), (t_sc, s) = best_of_interleaved([ours, scipy_vectorised])
    assert np.allclose(r["t"], s.statistic, rtol=1e-12, atol=0), label
    assert np.allclose(r["p_value"], s.pvalue, rtol=1e-9, atol=1e-300), label

    k = min(2_000, args.rows)
    arms = [((float(cn[i]), float(cm[i]), float(cv[i])), (float(tn[i]), float(tm[i]), float(tv[i])))
            for i in range(k)]
    scal = [(float(tm[i]), float(np.sqrt(tv[i])), float(tn[i]), float(cm[i]), float(np.sqrt(cv[i])), float(cn[i]))
            for i in range(k)]

    def ours_scalar():
        for c, t in arms:
            scaleplan.welch(c, t)

    def scipy_scalar():
        for a in scal:
            stats.ttest_ind_from_stats(*a, equal_var=False)

    (t_os, _), (t_ss, _) = best_of_interleaved([ours_scalar, scipy_scalar], repeat=3)
    report[label] = {
        "rows": args.rows,
        "scaleplan_batch_rows_per_s": args.rows / t_sp,
        "scipy_vectorised_rows_per_s": args.rows / t_sc,
        "batch_ratio": t_sc / t_sp,
        "scaleplan_scalar_us": 1e6 * t_os / k,
        "scipy_scalar_us": 1e6 * t_ss / k,
        "scalar_ratio": t_ss / t_os,
    }
    print(f"{label} ({report['threads']} thread(s)): {args.rows:,} rows, df {r['df'].min():,.0f} to {r['df'].max():,.0f}")
    print(f"  welch_batch:           {args.rows / t_sp:14,.0f} rows/s")
    print(f"  scipy vectorised:      {args.rows / t_sc:14,.0f} rows/s   scaleplan / scipy = {t_sc / t_sp:.2f}x")
    print(f"  welch (scalar call):   {1e6 * t_os / k:10.2f} us    scipy ttest_ind_from_stats call {1e6 * t_ss / k:.2f} us"
          f"   scaleplan / scipy = {t_ss / t_os:.1f}x")

if args.json:
    with open(args.json, "w") as fh:
        json.dump(report, fh, indent=1)
