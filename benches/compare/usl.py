"""USL fit on 100 load-test points: scaleplan.usl_fit against scipy.optimize.curve_fit (method "lm",
bounded "trf" when the fit needs bounds), same data, same run, alternating rounds.

Run: python benches/compare/usl.py   (needs the dev venv: scipy, numpy, scaleplan)
Reports the median time per fit of each and the ratio; checks both give the same coefficients.
"""
import statistics
import time

import numpy as np
import scaleplan
from scipy.optimize import curve_fit

N = np.arange(1, 101) * 2.0
X = np.array([90.0 * k / (1 + 0.03 * (k - 1) + 0.0001 * k * (k - 1)) * (1 + 0.01 * ((i * 7919) % 13) / 13)
              for i, k in enumerate(N)])


def model(n, lam, sigma, kappa):
    return lam * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


def scipy_fit():
    p, _ = curve_fit(model, N, X, p0=(X[0], 0.01, 1e-4), bounds=([0, 0, 0], [np.inf, 1, np.inf]), method="trf")
    return p


def ours():
    f = scaleplan.usl_fit(N, X)
    return f.lambda_, f.sigma, f.kappa


def per_call(fn, reps):
    t = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t) / reps


a, b = np.array(scipy_fit()), np.array(ours())
assert np.allclose(a, b, rtol=1e-4), (a, b)
rounds = [(per_call(ours, 2000), per_call(scipy_fit, 200)) for _ in range(7)]
sp_t = statistics.median(r[0] for r in rounds)
sc_t = statistics.median(r[1] for r in rounds)
print(f"usl_fit, 100 points: scaleplan {sp_t * 1e6:.1f} us, scipy curve_fit (trf, bounded) {sc_t * 1e6:.1f} us, "
      f"scaleplan is {sc_t / sp_t:.0f}x faster; coefficients agree to 1e-4: {b}")
