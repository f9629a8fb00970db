"""Rollouts from Python: the gating policy's scenarios through simulate (same bytes as Rust), plans, window
status, and RolloutService over memory and a SQLite file (errors as ScaleplanError subclasses)."""
import json

import pytest
import scaleplan
from conftest import fixture

SCENARIOS = fixture("rollout/scenarios.json")
GOLDEN = fixture("rollout/golden.json")


def partial(ctx, expected, actual):
    for k, v in expected.items():
        if k == "reason_codes":
            assert [r["code"] for r in actual["reasons"]] == v, ctx
        else:
            assert actual[k] == v, f"{ctx}.{k}: {actual[k]!r} != {v!r}"


@pytest.mark.parametrize("s", SCENARIOS["scenarios"], ids=[s["name"] for s in SCENARIOS["scenarios"]])
def test_policy_scenario(s):
    text = scaleplan.simulate(json.dumps(s["input"]))
    assert text == GOLDEN[s["name"]]  # the same bytes as Rust
    out = json.loads(text)
    exp = s["expect"]
    for d in exp.get("decisions", []):
        got = next(x for x in out["decisions"] if x["at"] == d["at"])
        partial(f"{s['name']} @ {d['at']}", d, got)
    if "decision_count" in exp:
        assert len(out["decisions"]) == exp["decision_count"]
    if "commands" in exp:
        assert len(out["commands"]) == len(exp["commands"])
        for i, (w, g) in enumerate(zip(exp["commands"], out["commands"])):
            partial(f"command {i}", w, g)
    if "final" in exp:
        partial("final", exp["final"], out["final"])
    for key in ("rollback", "alerts", "evidence_rejections", "audit"):
        if key in exp:
            assert out[key] == exp[key], key


@pytest.mark.parametrize("case", SCENARIOS["errors"], ids=[c["name"] for c in SCENARIOS["errors"]])
def test_invalid_replay(case):
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.simulate(case["input"])
    assert info.value.code == case["code"]
    if case["field"]:
        assert f"`{case['field']}`" in str(info.value)


def test_plans_and_window_status():
    plan = scaleplan.rollout_plan()
    assert [p["traffic_pct"] for p in plan["phases"]] == [10, 25, 50, 100]
    assert [p["min_duration_secs"] for p in plan["phases"]] == [7200, 14400, 21600, 86400]
    custom = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 5, "min_duration_secs": 60},
                                                      {"traffic_pct": 12.5, "min_duration_secs": 60}])
    assert custom["phases"][1]["traffic_pct"] == 12.5
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.validate_plan({"phases": [{"traffic_pct": 50, "min_duration_secs": 0},
                                            {"traffic_pct": 25, "min_duration_secs": 0}]})
    assert info.value.code == "invalid_plan" and "phases[1].traffic_pct" in str(info.value)
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.validate_plan({"phases": [{"traffic_pct": 10, "min_duration_secs": 0,
                                             "gate": {"cpu_percent": 80}}]})
    assert info.value.code == "json" and "cpu_percent" in str(info.value)
    w = {"start": "2025-06-02T00:00:00Z", "end": "2025-06-02T00:05:00Z", "requests": 2000, "errors": 0,
         "p95_ms": 500}
    assert scaleplan.window_status(w) == "good"
    assert scaleplan.window_status(dict(w, p95_ms=500.5)) == "breach"
    assert scaleplan.window_status(dict(w, requests=99)) == "insufficient"
    assert scaleplan.window_status(w, {"p95_limit_ms": 400}) == "breach"


T0 = "2025-06-02T00:"


MONITOR = {"id": "prometheus-bridge", "role": "monitor"}


def at(minute):
    return f"2025-06-02T{minute // 60:02d}:{minute % 60:02d}:00Z"


def window(i, errors=4, p95=320):
    return {"start": at(5 * i), "end": at(5 * i + 5), "requests": 2000, "errors": errors, "p95_ms": p95}


CAROL = {"id": "carol", "role": "operations_manager"}
OLGA = {"id": "olga", "role": "operator"}
SHORT = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 10, "min_duration_secs": 900},
                                                 {"traffic_pct": 100, "min_duration_secs": 900}])


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_service_flow(kind, tmp_path):
    path = str(tmp_path / "rollouts.db") if kind == "sqlite" else None
    svc = scaleplan.RolloutService(path, rollback_secs=90)
    svc.create("R-1", SHORT, CAROL, at(0))
    with pytest.raises(scaleplan.ForbiddenError) as info:
        svc.execute("R-1", {"kind": "start", "actor": OLGA}, at(0))
    assert info.value.code == "forbidden"
    out = svc.execute("R-1", {"kind": "start", "actor": CAROL}, at(0), expected_version=0,
                      idempotency_key="start")
    assert (out["state"], out["traffic_pct"], out["version"]) == ("running", 10, 1)
    assert svc.deployed_traffic("R-1", "all") == 10.0
    again = svc.execute("R-1", {"kind": "start", "actor": CAROL}, at(0), idempotency_key="start")
    assert again["replayed"] is True
    with pytest.raises(scaleplan.ConflictError):
        svc.execute("R-1", {"kind": "resume", "actor": OLGA}, at(1), expected_version=0)
    for i in range(3):
        out = svc.observe("R-1", at(5 * i + 5), window(i), [at(5 * i + 5)], actor=MONITOR)
    assert out["decision"]["decision"] == "advance" and out["traffic_pct"] == 100
    with pytest.raises(scaleplan.ConflictError) as info:
        svc.observe("R-1", at(10), window(1), actor=MONITOR)
    assert info.value.code == "late_evidence"
    svc.report_incident("R-1", {"id": "INC-1", "severity": "P1", "opened_at": at(16), "resolved_at": None}, actor=MONITOR)
    out = svc.observe("R-1", at(20), window(3), actor=MONITOR)
    assert out["state"] == "paused_incident"
    with pytest.raises(scaleplan.IllegalTransitionError) as info:
        svc.execute("R-1", {"kind": "resume", "actor": OLGA}, at(21))
    assert info.value.code == "incident_still_open"
    out = svc.observe("R-1", at(25), window(4, errors=200), actor=MONITOR)
    assert out["decision"]["decision"] == "rollback"
    assert out["state"] == "rolled_back"
    assert out["rollback"]["duration_secs"] == 90 and out["rollback"]["sla_met"] is True
    assert svc.deployed_traffic("R-1", "all") == 0.0
    progress = svc.progress("R-1", at(30))
    assert progress["targets"][0]["status"] == "rolled_back"
    assert svc.verify_audit("R-1")["intact"] is True
    events = svc.audit("R-1")
    assert scaleplan.verify_audit(events)["intact"] is True
    events[2]["actor_id"] = "mallory"
    assert scaleplan.verify_audit(events)["broken_at"] == 3
    assert len(svc.decisions("R-1")) == 5
    page = svc.decisions("R-1", limit=2)
    assert [d["version"] for d in page] == [d["version"] for d in svc.decisions("R-1")][::-1][:2]
    older = svc.decisions("R-1", limit=10, before=page[-1]["version"])
    assert len(older) == 3 and older[0]["version"] < page[-1]["version"]
    with pytest.raises(scaleplan.NotFoundError):
        svc.rollout("nope")
    if path:  # reopen the file: the same state and log
        again = scaleplan.RolloutService(path)
        assert again.rollout_ids() == ["R-1"]
        assert again.rollout("R-1")["status"] == "rolled_back"
        assert len(again.audit("R-1")) == len(svc.audit("R-1"))


def test_bad_time_is_a_typed_error():
    svc = scaleplan.RolloutService()
    with pytest.raises(scaleplan.InvalidInputError) as info:
        svc.create("R-1", SHORT, CAROL, "yesterday")
    assert info.value.code == "invalid_replay" and "`now`" in str(info.value)


def test_a_keyed_store_seals_its_log(tmp_path):
    path = str(tmp_path / "keyed.db")
    svc = scaleplan.RolloutService(path, audit_key=b"host secret from the vault")
    svc.create("R-1", SHORT, CAROL, at(0))
    svc.execute("R-1", {"kind": "start", "actor": CAROL}, at(0))
    assert svc.verify_audit("R-1")["intact"] is True
    assert all(e["hash"].startswith("hmac-sha256:") and e["rollout_id"] == "R-1" for e in svc.audit("R-1"))
    # opened without the key, the keyed events do not verify as a plain chain
    assert scaleplan.RolloutService(path).verify_audit("R-1")["intact"] is False
    with pytest.raises(scaleplan.InvalidInputError):
        scaleplan.RolloutService(audit_key="short")
