"""RolloutService("postgresql://...") against the server .ci/run starts (SCALEPLAN_TEST_PG_URL): two
service instances on one rollout, concurrent writers, a user deployer. Skipped without a server unless
SCALEPLAN_REQUIRE_PG is set (CI), where a missing server fails."""
import os
import threading
import uuid

import pytest
import scaleplan

URL = os.environ.get("SCALEPLAN_TEST_PG_URL")
if URL is None and os.environ.get("SCALEPLAN_REQUIRE_PG"):
    raise RuntimeError("SCALEPLAN_REQUIRE_PG is set but SCALEPLAN_TEST_PG_URL is not")
pytestmark = pytest.mark.skipif(URL is None, reason="no PostgreSQL server (bash scripts/pg-start)")

CAROL = {"id": "carol", "role": "operations_manager"}
OLGA = {"id": "olga", "role": "operator"}
MONITOR = {"id": "prometheus-bridge", "role": "monitor"}


def at(minute):
    return f"2025-06-02T{minute // 60:02d}:{minute % 60:02d}:00Z"


def window(i, errors=4):
    return {"start": at(5 * i), "end": at(5 * i + 5), "requests": 2000, "errors": errors, "p95_ms": 320}


def plan(region, secs=900):
    return scaleplan.rollout_plan("custom", scope={"kind": "regions", "regions": [region]},
                                  phases=[{"traffic_pct": 10, "min_duration_secs": secs},
                                          {"traffic_pct": 100, "min_duration_secs": secs}])


class Flags:
    name = "flags"

    def __init__(self):
        self.weights = {}
        self.lock = threading.Lock()

    def apply(self, rollout_id, target, traffic_pct, now):
        with self.lock:
            self.weights[(rollout_id, target)] = traffic_pct

    def actual(self, rollout_id, target):
        with self.lock:
            return self.weights.get((rollout_id, target))

    def rollback(self, rollout_id, targets, now):
        self.apply(rollout_id, targets[0], 0, now)
        return now


def test_two_instances_share_a_rollout_and_its_log():
    rid, region = f"R-{uuid.uuid4().hex[:8]}", f"eu-{uuid.uuid4().hex[:8]}"
    flags = Flags()
    a = scaleplan.RolloutService(URL, deployer=flags)
    b = scaleplan.RolloutService(URL, deployer=flags)
    a.create(rid, plan(region), CAROL, at(0))
    out = b.execute(rid, {"kind": "start", "actor": CAROL}, at(0), idempotency_key="start")
    assert (out["state"], out["deployer"]) == ("running", "flags")
    assert a.rollout(rid)["status"] == "running"
    seen = a.rollout(rid)["version"]
    b.execute(rid, {"kind": "pause", "actor": OLGA}, at(1))
    with pytest.raises(scaleplan.ConflictError):
        a.execute(rid, {"kind": "resume", "actor": OLGA}, at(2), expected_version=seen)
    # a rollback with a stale version still gets through, from the other instance
    out = a.execute(rid, {"kind": "rollback", "actor": OLGA}, at(3), expected_version=seen)
    assert out["state"] == "rolled_back"
    assert flags.weights[(rid, region)] == 0
    assert b.verify_audit(rid)["intact"] is True
    assert [e["error"] for e in b.audit(rid) if e["outcome"] == "rejected"] == ["conflict"]


def test_eight_writers_through_two_instances_lose_nothing():
    rid, region = f"R-{uuid.uuid4().hex[:8]}", f"us-{uuid.uuid4().hex[:8]}"
    services = [scaleplan.RolloutService(URL, rollback_secs=600) for _ in range(2)]
    services[0].create(rid, plan(region, secs=86_400), CAROL, at(0))
    services[0].execute(rid, {"kind": "start", "actor": CAROL}, at(0))
    results = []
    lock = threading.Lock()

    def writer(w):
        svc = services[w % 2]
        for k in range(10):
            try:
                if w < 3 and k == 5:
                    name = "rollback"
                    out = svc.execute(rid, {"kind": "rollback", "actor": OLGA}, at(300), idempotency_key="inc-42")
                elif w in (3, 4) and k % 3 == 1:
                    name = "pause"
                    out = svc.execute(rid, {"kind": "pause", "actor": OLGA}, at(300), expected_version=1)
                else:
                    name = "observe"
                    i = 8 * k + w
                    out = svc.observe(rid, at(5 * i + 5), window(i), [at(5 * i + 5)], actor=MONITOR)
                r = (name, "ok", out["replayed"])
            except scaleplan.ScaleplanError as e:
                r = (name, e.code, None)
            with lock:
                results.append(r)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 80
    assert not [r for r in results if r[1] in ("conflict", "storage")]
    rollbacks = [r for r in results if r[0] == "rollback"]
    assert [r[1] for r in rollbacks] == ["ok"] * 3
    assert sorted(r[2] for r in rollbacks) == [False, True, True]
    audit = services[1].audit(rid)
    assert sum(1 for e in audit if e["action"] == "rollback" and e["outcome"] == "accepted") == 1
    assert sum(1 for r in results if r[1] != "ok") == sum(1 for e in audit if e["outcome"] == "rejected")
    assert services[1].verify_audit(rid)["intact"] is True


def test_tls_verifies_the_server_against_the_url_ca():
    """CI passes a TLS URL with a private CA (`sslrootcert`): without the CA the same server is refused
    with a StorageError that says why (its certificate), never reached over an unverified channel."""
    if "sslrootcert=" not in URL:
        pytest.skip("a plain-TCP URL (bash scripts/pg-start exports SCALEPLAN_TEST_PG_TLS_URL)")
    base, query = URL.split("?", 1)
    kept = "&".join(p for p in query.split("&") if not p.startswith("sslrootcert="))
    with pytest.raises(scaleplan.StorageError) as info:
        scaleplan.RolloutService(f"{base}?{kept}")
    assert "certificate" in str(info.value).lower(), str(info.value)
