"""DetectorStream.extend through the Python binding: points per second, and alert events returned.

Run: python benches/compare/stream_extend.py [--n N]   (a release build: maturin develop --release)

The series is the one benches/compare/stream_extend.mjs builds for Node (the same generator, so the
two print comparable figures): 100 + 8.66 x (a sum of 4 uniforms - 2), about N(100, 5), every 100th
point missing (NaN). Best of 3 runs, each on a fresh stream. The EWMA chart at L = 3 raises a noise
alert about every 560 points, so its figure includes building a few thousand event dicts; the others
raise none and run at the kernels' speed.
"""

import argparse
import time

import numpy as np

import scaleplan

DETECTORS = [
    ("threshold", {"threshold": 150.0, "duration": 3}),
    ("baseline_ratio", {"window": 288}),
    ("ewma", {"lambda": 0.2, "target": 100.0, "sigma": 5.0}),
    ("robust_z", {"window": 50}),
]


def series(n: int) -> np.ndarray:
    """Uniforms from a 32-bit integer hash of the index (lowbias32), as the Node script, four a point."""
    with np.errstate(over="ignore"):
        h = np.arange(4 * n, dtype=np.uint32)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x7FEB352D)
        h ^= h >> np.uint32(15)
        h *= np.uint32(0x846CA68B)
        h ^= h >> np.uint32(16)
    u = h / 4294967296.0
    x = 100.0 + 8.66 * (u.reshape(n, 4).sum(axis=1) - 2.0)
    x[99::100] = np.nan
    return x


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2_000_000)
    args = ap.parse_args()
    x = series(args.n)
    print(f"DetectorStream.extend, {args.n:,} points, best of 3")
    for name, params in DETECTORS:
        best, events = float("inf"), 0
        for _ in range(3):
            s = scaleplan.DetectorStream(name, **params)
            t = time.perf_counter()
            events = len(s.extend(x))
            best = min(best, time.perf_counter() - t)
        print(f"{name:16} {args.n / best / 1e6:8.1f} M points/s  {events:7} events")


if __name__ == "__main__":
    main()
