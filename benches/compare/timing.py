"""Timing shared by the comparison scripts."""
import time


def best_of_interleaved(fs, repeat=15):
    """Best time of each function over `repeat` rounds, the functions alternating within a round so
    that machine noise (other tenants, frequency changes) hits both alike."""
    times = [[] for _ in fs]
    outs = [None] * len(fs)
    for _ in range(repeat):
        for k, f in enumerate(fs):
            t0 = time.perf_counter()
            outs[k] = f()
            times[k].append(time.perf_counter() - t0)
    return [(min(t), o) for t, o in zip(times, outs)]
