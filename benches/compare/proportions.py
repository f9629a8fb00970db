"""Batch two-proportion z tests over 1,000,000 segments: scaleplan (Python binding) against scipy
(vectorised) and statsmodels (proportions_ztest in a loop, timed on a subsample), measured in one run,
with the outputs checked equal. Prints tests/second and ratios.

Run: python benches/compare/proportions.py   (needs a release build: maturin develop --release)
"""
import time

import numpy as np
import scaleplan
from timing import best_of_interleaved
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

N = 1_000_000
i = np.arange(N)
cv = 1000.0 + (i % 977) * 13.0
rate = 0.02 + (i % 89) * 0.001
cc = np.floor(cv * rate)
tv = cv + (i % 31)
tc = np.floor(tv * rate * (1.0 + (i % 7) * 0.01))


def scipy_vectorised():
    pc, pt = cc / cv, tc / tv
    pooled = (cc + tc) / (cv + tv)
    z = (pt - pc) / np.sqrt(pooled * (1 - pooled) * (1 / cv + 1 / tv))
    return z, 2 * stats.norm.sf(np.abs(z))


(t_sp, ours), (t_sc, (z, p)) = best_of_interleaved(
    [lambda: scaleplan.two_proportions_batch(cv, cc, tv, tc), scipy_vectorised]
)
assert np.allclose(ours["z"], z, rtol=1e-12, atol=0) and np.allclose(ours["p_value"], p, rtol=1e-9, atol=1e-300)

M = 20_000
t0 = time.perf_counter()
for k in range(M):
    zs, ps = proportions_ztest([tc[k], cc[k]], [tv[k], cv[k]])
    assert abs(ps - ours["p_value"][k]) <= 1e-9 * ps + 1e-300
t_sm = (time.perf_counter() - t0) / M * N

S = 200_000
arms = [((cv[k], cc[k]), (tv[k], tc[k])) for k in range(S)]
t0 = time.perf_counter()
for a, b in arms:
    scaleplan.two_proportions(a, b)
t_scalar = (time.perf_counter() - t0) / S
t0 = time.perf_counter()
for a, b in arms:
    pass
t_loop = (time.perf_counter() - t0) / S

print(f"segments: {N:,}")
print(f"scaleplan batch (Python):  {N / t_sp:14,.0f} tests/s")
print(f"scipy vectorised:          {N / t_sc:14,.0f} tests/s   scaleplan / scipy = {t_sc / t_sp:.2f}x")
print(f"statsmodels loop:          {N / t_sm:14,.0f} tests/s   scaleplan / statsmodels = {t_sm / t_sp:,.0f}x")
print(f"scaleplan scalar call:     {1e9 * (t_scalar - t_loop):10.0f} ns per call from Python (loop overhead removed)")
