"""Resource estimation through the Python binding: the shared fixtures (Kubernetes, scipy, mpmath) and
the issue's worked example, with money as decimal.Decimal in and out."""
import json
import pickle
from decimal import Decimal

import numpy as np
import pytest
import scaleplan
from conftest import ROOT, fixture

CATALOG = scaleplan.load_catalog((ROOT / "examples/data/catalog.toml").read_text())


def rel(a, b, tol):
    return abs(a - b) <= tol * abs(b)


def test_cost_totals_issue_example_to_the_cent():
    items = [
        {"name": "compute", "quantity": 15, "unit_price": Decimal("160.00"), "kind": "monthly"},
        {"name": "storage GB", "quantity": 50, "unit_price": Decimal("0.50"), "kind": "monthly"},
        {"name": "team hours", "quantity": 40, "unit_price": Decimal("100.00"), "kind": "one_time"},
    ]
    t = scaleplan.cost_totals(items)
    assert t.one_time == Decimal("4000.00") and isinstance(t.one_time, Decimal)
    assert t.monthly == Decimal("2425.00")
    assert t.first_month == Decimal("6425.00")
    assert t.first_year == Decimal("33100.00")
    assert [l["total"] for l in t.line_totals] == [Decimal("2400.00"), Decimal("25.00"), Decimal("4000.00")]
    assert '"first_month":"6425.00"' in t.to_json()
    assert pickle.loads(pickle.dumps(t)).first_month == Decimal("6425.00")


def test_money_floats_are_refused():
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.cost_totals([{"name": "x", "quantity": 1, "unit_price": 0.1, "kind": "monthly"}])
    assert info.value.code == "json" and "floats are not exact" in str(info.value)


def test_estimate_issue_example_with_the_issue_catalog():
    catalog = {"name": "issue", "currency": "USD", "hours_per_month": "800",
               "instances": [{"name": "app", "vcpu": 2, "memory_gib": 8, "hourly": Decimal("0.20")}],
               "storage": [{"name": "ssd", "per_gb_month": Decimal("0.50")}],
               "team_rates": [{"role": "engineer", "hourly": Decimal("100.00")}]}
    req = {"target_users": 50000, "instance_type": "app", "storage": "ssd", "storage_months": 1,
           "demand": {"users": 1000, "peak_rps_per_user": 0.0042, "cpu_seconds_per_request": 0.1,
                      "storage_gb_per_user_month": 0.001},
           "team_hours": [{"role": "engineer", "hours": 40}]}
    e = scaleplan.estimate(req, catalog)
    assert e.configuration["sizing"]["instances"] == 15
    assert (e.totals["one_time"], e.totals["monthly"], e.totals["first_month"]) == (
        Decimal("4000.00"), Decimal("2425.00"), Decimal("6425.00"))
    assert e.range["low"]["totals"]["monthly"] == Decimal("1940.00")
    assert e.range["high"]["totals"]["monthly"] == Decimal("2910.00")
    assert any("half-even" in a for a in e.assumptions)


def test_estimate_with_the_sample_catalog_and_milestones():
    req = {"target_users": 50000, "instance_type": "app.large", "current_instances": 4,
           "demand": {"users": 1000, "peak_rps_per_user": 0.05, "cpu_seconds_per_request": 0.02,
                      "db_connections_per_instance": 20, "cache_gib_per_user": 0.0001},
           "database": {"current": "db.medium"}, "cache": {}}
    e = scaleplan.estimate(req, CATALOG)
    assert e.configuration["database_tier"] == "db.large"
    assert e.configuration["sizing"]["instances"] == 18
    plans = scaleplan.capacity_milestones(req, CATALOG, [{"label": "day 30", "users": 250},
                                                          {"label": "day 90", "users": 1000}])
    assert [p.label for p in plans] == ["day 30", "day 90"]
    assert all(isinstance(p.totals["monthly"], Decimal) for p in plans)


def test_impact_and_phases_and_triggers():
    i = scaleplan.impact({"users": 50000, "baseline_rate": 0.1, "opportunities_per_user_per_year": 12,
                          "lift": {"low": 0.08, "expected": 0.23, "high": 0.38},
                          "value_per_conversion": Decimal("4.50"), "currency": "USD"})
    assert i.expected["annual_value"] == Decimal("62100.00")
    assert scaleplan.growth_phase(1100, "startup").phase == "growth"
    assert scaleplan.growth_phase(950, "growth").transition is None
    cpu = [{"time": 60.0 * m, "value": 21.0} for m in range(61)]
    r = scaleplan.scaling_triggers({"now": 3600, "cpu_percent": cpu, "instances": 10,
                                    "instance_monthly_price": Decimal("140.16")})
    assert r.recommendations[0]["monthly_saving"] == Decimal("981.12")


def test_usl_matches_scipy_fixture():
    fx = fixture("estimate/usl.json")
    tol = fx["tolerance"]
    for c in fx["cases"]:
        f = scaleplan.usl_fit(np.array(c["concurrency"]), c["throughput"])
        e = c["expected"]
        assert rel(f.lambda_, e["lambda"], tol["coefficients_rel"]), c["name"]
        assert rel(f.sigma, e["sigma"], tol["coefficients_rel"]), c["name"]
        assert rel(f.kappa, e["kappa"], tol["coefficients_rel"]), c["name"]
        assert f.at_bound == e["at_bound"], c["name"]
        for k in ("lambda", "sigma", "kappa"):
            if e["std_errors"][k] is None:
                assert f.std_errors[k] is None and f.intervals[k] is None, (c["name"], k)
            else:
                assert rel(f.std_errors[k], e["std_errors"][k], tol["std_errors_rel"]), (c["name"], k)
                assert f.intervals[k]["lo"] < f.__getattribute__(k if k != "lambda" else "lambda_") < f.intervals[k]["hi"]
        assert json.loads(f.to_json())["lambda"] == f.lambda_
    f = scaleplan.usl_fit([1, 18, 36, 72, 108, 144, 216], [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2])
    assert round(f.peak_concurrency) == 97 and f.past_peak_warning(150) is not None
    assert f.throughput(1) == pytest.approx(f.lambda_)


def test_erlang_c_matches_mpmath_fixture():
    fx = fixture("estimate/erlang_c.json")
    tol = fx["tolerance"]["rel"]
    for c in fx["cases"]:
        q = scaleplan.erlang_c(c["arrival_rate"], c["mean_service_time"], c["servers"], c["answer_time"])
        for k in ("offered_load", "utilization", "p_wait", "mean_wait", "service_level"):
            assert rel(getattr(q, k), c["expected"][k], tol), (c["name"], k)
        assert rel(q.wait_percentile(0.95) + 1e-300, c["expected"]["wait_percentile_95"] + 1e-300, tol), c["name"]
    for c in fx["min_servers"]:
        q = scaleplan.min_servers(c["arrival_rate"], c["mean_service_time"], c["criterion"], c["value"], c.get("answer_time"))
        assert q.servers == c["expected_servers"], c["name"]
    counts = scaleplan.min_servers_batch(np.array([50.0, 100.0]), 0.05, "service_level_at_least", 0.8, 0.02)
    assert counts.dtype == np.int64 and counts.tolist()[1] == 7
    with pytest.raises(scaleplan.InvalidInputError, match=r"arrival_rates\[1\]"):
        scaleplan.min_servers_batch([50.0, -1.0], 0.05, "p_wait_at_most", 0.2)


def test_hpa_matches_kubernetes_fixtures():
    for c in fixture("estimate/hpa_kubernetes.json")["cases"]:
        r = scaleplan.hpa_desired_replicas(c["current_replicas"], c["pods"], c["target_utilization_percent"], c["tolerance"])
        assert (r.desired_replicas, r.utilization_percent) == (c["expected_replicas"], c["expected_utilization"]), c["name"]
    decision, state = scaleplan.hpa_scale({"min_replicas": 2, "max_replicas": 40}, 0.0, 10, 50)
    assert (decision.replicas, decision.limit) == (20, "ScaleUpLimit")
    decision, state = scaleplan.hpa_scale({"min_replicas": 2, "max_replicas": 40}, 16.0, 20, 50, state)
    assert decision.replicas == 40
    decision, _ = scaleplan.hpa_scale({"min_replicas": 2, "max_replicas": 40}, 60.0, 40, 3, json.dumps(state))
    assert decision.replicas == 40  # the 300 s scale-down window


def test_catalog_errors_are_typed():
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.load_catalog("name = 'x'\ncurrency = 'ABC'\n")
    assert info.value.code == "unknown_currency"
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.estimate({"target_users": 10, "instance_type": "nope", "demand": {"users": 1, "peak_rps_per_user": 1,
                                                                                  "cpu_seconds_per_request": 1}}, CATALOG)
    assert info.value.code == "unknown_resource" and "app.small" in str(info.value)
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.load_catalog("{}", "yaml")
    assert info.value.code == "unknown_variant"
