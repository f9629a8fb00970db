"""Reference values for scaleplan's regression test and growth rate, from scipy/numpy (not scaleplan).

Run: python testdata/anomaly/make_reference.py > testdata/anomaly/reference.json
Tolerance used by the tests: 1e-9 relative (p-values, U, percentiles, slopes).
"""
import json

import numpy as np
from scipy import stats

rng = np.random.default_rng(20261123)
cases = []
for name, shift, n1, n2, ties in [("shifted", 1.15, 300, 250, False), ("same", 1.0, 200, 200, False),
                                  ("tied", 1.05, 120, 150, True), ("small", 1.3, 12, 9, False)]:
    b = rng.lognormal(mean=5.0, sigma=0.3, size=n1)
    c = rng.lognormal(mean=5.0, sigma=0.3, size=n2) * shift
    if ties:
        b, c = np.round(b / 10) * 10, np.round(c / 10) * 10
    u, p = stats.mannwhitneyu(c, b, alternative="greater", method="asymptotic", use_continuity=True)
    cases.append({"name": name, "baseline": b.tolist(), "current": c.tolist(), "u": float(u), "p_value": float(p),
                  "percentiles": {str(q): [float(np.percentile(b, q)), float(np.percentile(c, q))] for q in (50, 95, 99)}})

growth = []
for ys in ([100, 110, 121, 133], [50, 52, 57, 55, 61, 66, 64, 70, 75, 79], [1000, 980, 1010, 990, 1005, 995]):
    y = np.log(np.array(ys, float))
    r = stats.linregress(np.arange(len(y)), y)
    t = stats.t.ppf(0.975, len(y) - 2)
    growth.append({"values": ys, "rate": float(np.expm1(r.slope)),
                   "ci": [float(np.expm1(r.slope - t * r.stderr)), float(np.expm1(r.slope + t * r.stderr))],
                   "r2": float(r.rvalue ** 2)})

# auto's cut-off on short series: t_nu^-1(1 - 1/(2 budget)) sqrt(1 + pi/(2w)), nu = 0.3675 w (the MAD's
# Gaussian efficiency), and, as an independent check of the approximation, the two-sided rate at which
# |0.6745 (x - median) / MAD| over w iid normal values passes it (numpy, 2,000,000 windows per w).
short = []
sim = np.random.default_rng(20261204)
for budget, w in [(2000, 50), (10000, 50), (10000, 96), (1e6, 50)]:
    cut = float(stats.t.isf(0.5 / budget, 0.3675 * w) * np.sqrt(1 + np.pi / (2 * w)))
    hits = 0
    for _ in range(10):
        win = sim.normal(size=(200_000, w))
        med = np.median(win, axis=1)
        mad = np.median(np.abs(win - med[:, None]), axis=1)
        z = 0.6744897501960817 * (sim.normal(size=200_000) - med) / mad
        hits += int(np.sum(np.abs(z) > cut))
    # too few hits to say (the 1-in-a-million budget): null
    short.append({"budget": budget, "window": w, "cutoff": cut,
                  "simulated_periods_per_alarm": 2_000_000 / hits if hits >= 20 else None})

print(json.dumps({"source": "scipy.stats.mannwhitneyu(current, baseline, alternative='greater', method='asymptotic'), "
                  "numpy.percentile (linear), scipy.stats.linregress on log values with a t(0.975, n-2) interval, "
                  "scipy.stats.t.isf for the short-series cut-off",
                  "tolerance": 1e-9, "regression": cases, "growth": growth, "short_series_cutoff": short}))
