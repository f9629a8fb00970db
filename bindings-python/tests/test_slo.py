"""slo_report: the SRE workbook's numbers (99.9 % over 30 days allows 43.2 minutes; a 14.4 burn rate for
an hour spends 2 % of it), the objectives' verdicts with evidence, and typed errors. Same cases as
core/tests/it/slo.rs, derived by hand from the workbook's definitions."""
from datetime import datetime, timedelta, timezone

import pytest
import scaleplan

T0 = datetime(2025, 6, 1, tzinfo=timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def month(errors, p95=lambda h: 250.0):
    return [{"start": iso(T0 + timedelta(hours=h)), "end": iso(T0 + timedelta(hours=h + 1)),
             "requests": 100_000, "errors": errors(h), "p95_ms": p95(h)} for h in range(720)]


def test_the_workbook_budget_and_burn_rates():
    r = scaleplan.slo_report(month(lambda h: 1_440 if h == 719 else 0), {"availability_pct": 99.9})
    (p,) = r["periods"]
    assert p["budget"]["total_minutes"] == pytest.approx(43.2, rel=1e-12)
    assert p["budget"]["consumed"] == pytest.approx(0.02, rel=1e-12)
    assert [b["burn_long"] for b in p["burn_rates"]] == [14.4, 2.4, 0.6, 0.2]
    assert not any(b["firing"] for b in p["burn_rates"])
    assert p["met"] is True


def test_objectives_say_why():
    incidents = [{"id": "INC-1", "severity": "P1", "opened_at": iso(T0 + timedelta(hours=10)),
                  "resolved_at": iso(T0 + timedelta(hours=10, minutes=30))},
                 {"id": "INC-2", "severity": "P2", "opened_at": iso(T0 + timedelta(hours=100)),
                  "resolved_at": iso(T0 + timedelta(hours=101, minutes=30))}]
    r = scaleplan.slo_report(month(lambda h: 300, lambda h: 400.0 if h < 10 else 250.0), incidents=incidents)
    (p,) = r["periods"]
    checks = {c["objective"]: c for c in p["objectives"]}
    assert checks["availability"]["status"] == "met"
    assert checks["error_budget"]["status"] == "missed"
    assert "40.0 % of the error budget remains" in checks["error_budget"]["evidence"]
    assert checks["p95_latency"]["status"] == "missed"
    assert p["incidents"]["mttr_secs"] == 3600.0
    assert checks["mttr"]["status"] == "met"
    assert p["met"] is False


def test_daily_series():
    r = scaleplan.slo_report(month(lambda h: 1_440 if h == 719 else 0), {"availability_pct": 99.9},
                             {"length_secs": 86_400})
    assert len(r["periods"]) == 30
    assert r["periods"][-1]["budget"]["consumed"] == pytest.approx(0.6, rel=1e-12)


def test_bad_input_is_typed():
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.slo_report([])
    assert e.value.code == "empty_input"
    w = month(lambda h: 0)
    w[3]["errors"] = 200_000
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.slo_report(w)
    assert e.value.code == "invalid_window" and "windows[3].errors" in str(e.value)
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.slo_report(month(lambda h: 0), {"availability_pct": 100})
    assert e.value.code == "out_of_range"


def test_plan_status():
    day = lambda d: iso(T0 + timedelta(days=d))  # noqa: E731
    plan = {"milestones": [{"name": "day 60", "due": day(60),
                            "criteria": [{"metric": "concurrent_users", "target": 25_000},
                                         {"metric": "p95_ms", "target": 300}]}]}
    obs = [{"at": day(d), "metric": "concurrent_users", "value": 4_000 + 300 * d} for d in range(0, 41, 10)]
    obs.append({"at": day(40), "metric": "p95_ms", "value": 280})
    s = scaleplan.plan_status(plan, obs, day(40))
    (m,) = s["milestones"]
    assert m["state"] == "at_risk"
    assert m["criteria"][0]["projected"] == pytest.approx(22_000)
    assert m["criteria"][1]["state"] == "met"
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.plan_status({"milestones": []}, [], day(0))
    assert e.value.code == "empty_input"
