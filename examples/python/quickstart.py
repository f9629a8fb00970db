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

# Scale-up estimate: money is decimal.Decimal in and out
import json  # noqa: E402
from decimal import Decimal  # noqa: E402

catalog = scaleplan.load_catalog((DATA / "catalog.toml").read_text())
request = json.loads((DATA / "estimate.json").read_text())["request"]
if r.relative_lift is not None and r.relative_ci is not None:
    request["lift"] = {"low": r.relative_ci[0], "expected": r.relative_lift, "high": r.relative_ci[1]}
est = scaleplan.estimate(request, catalog)
for line in est.totals["line_totals"]:
    print(f"  {line['name']:<46} {line['total']:>10} {est.currency}")
monthly: Decimal = est.totals["monthly"]
print(f"one-time {est.totals['one_time']}, monthly {monthly}, first year {est.totals['first_year']} {est.currency}")
print(f"monthly range {est.range['low']['totals']['monthly']} .. {est.range['high']['totals']['monthly']}")
value = scaleplan.impact({"users": 50000, "baseline_rate": 0.10, "opportunities_per_user_per_year": 12,
                          "lift": request.get("lift", {"low": 0, "expected": 0, "high": 0}),
                          "value_per_conversion": Decimal("12.00"), "currency": "USD"})
print(f"annual value {value.low['annual_value']} / {value.expected['annual_value']} / {value.high['annual_value']} USD")
servers = scaleplan.min_servers(2460, 0.025, "wait_percentile_at_most", 0.95, 0.010)
print(f"Erlang C: {servers.servers} cores keep p95 wait under 10 ms (P(wait) = {servers.p_wait:.3f})")
