"""Erlang C reference values by the factorial form in 60-digit arithmetic (mpmath), independent of the
Erlang-B recursion scaleplan uses. Run: python testdata/estimate/generate_erlang.py
Tolerance used by the Rust and binding tests: 1e-11 relative (p_wait, mean_wait, service_level,
wait_percentile); server counts exact."""
import json
import pathlib

from mpmath import mp, mpf, factorial, exp, log

mp.dps = 60


def erlang_c(a, c):
    a = mpf(a)
    top = a**c / factorial(c) * c / (c - a)
    bottom = sum(a**k / factorial(k) for k in range(c)) + top
    return top / bottom


def metrics(lam, s, c, t=None):
    lam, s = mpf(lam), mpf(s)
    a = lam * s
    pw = erlang_c(a, c)
    out = {"offered_load": float(a), "utilization": float(a / c), "p_wait": float(pw),
           "mean_wait": float(pw * s / (c - a))}
    if t is not None:
        out["service_level"] = float(1 - pw * exp(-(c - a) * mpf(t) / s))
    out["wait_percentile_95"] = float(0 if mpf("0.95") <= 1 - pw else s / (c - a) * log(pw / (1 - mpf("0.95"))))
    return out


def min_servers(lam, s, criterion, value, t=None):
    lam, s = mpf(lam), mpf(s)
    a = lam * s
    c = int(mp.floor(a)) + 1
    while True:
        pw = erlang_c(a, c)
        if criterion == "p_wait_at_most":
            ok = pw <= value
        elif criterion == "service_level_at_least":
            ok = 1 - pw * exp(-(c - a) * mpf(t) / s) >= value
        else:
            w = 0 if mpf(value) <= 1 - pw else s / (c - a) * log(pw / (1 - mpf(value)))
            ok = w <= t
        if ok:
            return c
        c += 1


cases = [
    {"name": "small-one-server", "arrival_rate": 0.5, "mean_service_time": 1.0, "servers": 1, "answer_time": 0.5},
    {"name": "call-centre-textbook", "arrival_rate": 100.0, "mean_service_time": 0.05, "servers": 7, "answer_time": 0.02},
    {"name": "medium", "arrival_rate": 10.0, "mean_service_time": 1.0, "servers": 12, "answer_time": 0.2},
    {"name": "heavy-traffic", "arrival_rate": 95.0, "mean_service_time": 1.0, "servers": 100, "answer_time": 0.1},
    {"name": "large-load-factorial-overflows", "arrival_rate": 1000.0, "mean_service_time": 1.0, "servers": 1050, "answer_time": 0.01},
    {"name": "very-large-load", "arrival_rate": 25000.0, "mean_service_time": 0.2, "servers": 5100, "answer_time": 0.01},
]
for c in cases:
    c["expected"] = metrics(c["arrival_rate"], c["mean_service_time"], c["servers"], c["answer_time"])

searches = [
    {"name": "service-level-80-in-20ms", "arrival_rate": 100.0, "mean_service_time": 0.05, "criterion": "service_level_at_least", "value": 0.8, "answer_time": 0.02},
    {"name": "p-wait-at-most-5pct", "arrival_rate": 10.0, "mean_service_time": 1.0, "criterion": "p_wait_at_most", "value": 0.05, "answer_time": None},
    {"name": "p95-wait-at-most-10ms", "arrival_rate": 400.0, "mean_service_time": 0.25, "criterion": "wait_percentile_at_most", "value": 0.95, "answer_time": 0.01},
    {"name": "large-service-level-90-in-50ms", "arrival_rate": 2000.0, "mean_service_time": 0.5, "criterion": "service_level_at_least", "value": 0.9, "answer_time": 0.05},
]
for s in searches:
    s["expected_servers"] = min_servers(s["arrival_rate"], s["mean_service_time"], s["criterion"], s["value"], s["answer_time"])

doc = {"source": "mpmath 60-digit factorial form of Erlang C (generate_erlang.py)", "tolerance": {"rel": 1e-11},
       "cases": cases, "min_servers": searches}
pathlib.Path(__file__).with_name("erlang_c.json").write_text(json.dumps(doc, indent=1) + "\n")
print(json.dumps(doc, indent=1)[:1500])
