"""Quickstart: is the one-click checkout ready to scale? (python examples/python/quickstart.py)"""
import pathlib

import numpy as np
import scaleplan

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"

r = scaleplan.two_proportions((48000, 4800), (48500, 5965))
if r.relative_lift is not None and r.relative_ci is not None:  # None when the control rate is 0
    lo, hi = r.relative_ci
    print(f"conversion lift {r.relative_lift:+.1%}, 95% CI [{lo:+.1%}, {hi:+.1%}], p = {r.p_value:.2e}")

ready = scaleplan.assess_readiness((DATA / "experiment.json").read_text(), (DATA / "policy.json").read_text())
print("ready to scale:", ready.ready)
for reason in ready.reasons:
    print(f"  [{'pass' if reason['passed'] else 'FAIL'}] {reason['rule']}: {reason['message']}")

# Batch: 3 segments at once, numpy in, numpy out
b = scaleplan.two_proportions_batch(np.array([1000, 2000, 500.0]), np.array([100, 210, 40.0]),
                                    np.array([1000, 2000, 500.0]), np.array([130, 205, 61.0]))
print("segment p-values:", np.round(b["p_value"], 4))
print("sample size per arm for +10% on 10%:", int(np.ceil(scaleplan.sample_size_proportions(0.10, 0.10))))
