"""A user-written deployer (a class, plain or async) driving the rollout service: every call names the
rollout; a platform failure is the typed `deploy` error, recorded in the audit and decision logs and
retried on the next call; a rollback is confirmed only by the platform."""
import asyncio

import pytest
import scaleplan

CAROL = {"id": "carol", "role": "operations_manager"}
OLGA = {"id": "olga", "role": "operator"}
MONITOR = {"id": "prometheus-bridge", "role": "monitor"}
PLAN = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 10, "min_duration_secs": 900},
                                                {"traffic_pct": 100, "min_duration_secs": 900}])


def at(minute):
    return f"2025-06-02T{minute // 60:02d}:{minute % 60:02d}:00Z"


class FlagService:
    """A feature-flag platform in memory: one weight per (rollout, target); can be down."""

    name = "flags"

    def __init__(self):
        self.weights = {}
        self.down = False
        self.calls = []

    def _check(self):
        if self.down:
            raise ConnectionError("flag service unreachable")

    def apply(self, rollout_id, target, traffic_pct, now):
        self._check()
        self.calls.append(("apply", rollout_id, target, traffic_pct))
        self.weights[(rollout_id, target)] = traffic_pct

    def actual(self, rollout_id, target):
        self._check()
        return self.weights.get((rollout_id, target))

    def rollback(self, rollout_id, targets, now):
        self._check()
        for t in targets:
            self.weights[(rollout_id, t)] = 0
        return None  # confirmed later by the platform's webhook


class AsyncFlagService(FlagService):
    name = "async-flags"

    async def apply(self, rollout_id, target, traffic_pct, now):
        await asyncio.sleep(0)
        return FlagService.apply(self, rollout_id, target, traffic_pct, now)

    async def actual(self, rollout_id, target):
        await asyncio.sleep(0)
        return FlagService.actual(self, rollout_id, target)

    async def rollback(self, rollout_id, targets, now):
        await asyncio.sleep(0)
        FlagService.rollback(self, rollout_id, targets, now)
        return now  # confirmed synchronously


def test_the_protocol_is_runtime_checkable():
    assert isinstance(FlagService(), scaleplan.Deployer)


@pytest.mark.parametrize("cls", [FlagService, AsyncFlagService])
def test_a_user_deployer_moves_traffic_and_a_failure_is_recorded_and_retried(cls, tmp_path):
    flags = cls()
    svc = scaleplan.RolloutService(str(tmp_path / "r.db"), deployer=flags)
    assert svc.deployer_name == cls.name
    svc.create("R-1", PLAN, CAROL, at(0))
    out = svc.execute("R-1", {"kind": "start", "actor": CAROL}, at(0))
    assert out["deployer"] == cls.name
    assert flags.weights == {("R-1", "all"): 10.0}
    flags.down = True
    with pytest.raises(scaleplan.StorageError) as info:
        svc.execute("R-1", {"kind": "rollback", "actor": OLGA}, at(1), idempotency_key="rb")
    assert info.value.code == "deploy"
    assert "flag service unreachable" in str(info.value)
    state = svc.rollout("R-1")
    assert state["status"] == "rolling_back"
    assert state["platform_error"]["deployer"] == cls.name
    p = svc.progress("R-1", at(2))
    assert (p["targets"][0]["status"], p["targets"][0]["traffic_pct"]) == ("rolling_back", 10)
    assert [a["code"] for a in p["alerts"]] == ["deploy_failed"]
    failed = [e for e in svc.audit("R-1") if e["kind"] == "deploy"]
    assert failed and failed[0]["outcome"] == "failed" and failed[0]["error"] == "deploy"
    assert svc.decisions("R-1")[-1]["decision"] == "deploy_failed"
    flags.down = False
    r = svc.reconcile("R-1", at(3))
    assert flags.weights[("R-1", "all")] == 0
    if cls is AsyncFlagService:
        assert r["status"] == "rolled_back"
    else:
        assert r["status"] == "rolling_back"  # waits for the platform's confirmation
        svc.execute("R-1", {"kind": "confirm_rollback"}, at(4))
        assert svc.rollout("R-1")["status"] == "rolled_back"
    assert svc.verify_audit("R-1")["intact"] is True


def test_a_deployer_answer_of_the_wrong_shape_is_a_deploy_error():
    class Broken(FlagService):
        def actual(self, rollout_id, target):
            return "ten percent"

    svc = scaleplan.RolloutService(deployer=Broken())
    svc.create("R-1", PLAN, CAROL, at(0))
    with pytest.raises(scaleplan.StorageError) as info:
        svc.execute("R-1", {"kind": "start", "actor": CAROL}, at(0))
    assert info.value.code == "deploy"
    assert "flags.actual answered" in str(info.value)
    with pytest.raises(scaleplan.StorageError):
        svc.deployed_traffic("R-1", "all")


def test_targets_belong_to_one_active_rollout():
    svc = scaleplan.RolloutService(deployer=FlagService())
    for rid in ("A", "B"):
        svc.create(rid, PLAN, CAROL, at(0))
    svc.execute("A", {"kind": "start", "actor": CAROL}, at(0))
    with pytest.raises(scaleplan.ConflictError) as info:
        svc.execute("B", {"kind": "start", "actor": CAROL}, at(0))
    assert info.value.code == "target_held" and "`A`" in str(info.value)
    assert svc.audit("B")[-1]["error"] == "target_held"


def test_four_eyes_and_roles_use_normalised_ids():
    svc = scaleplan.RolloutService(approval_thresholds={"max_users": 1000})
    svc.create("R-1", PLAN, CAROL, at(0))  # no target_users: the threshold applies
    for spelling in ("Carol", "carol ", " CAROL"):
        with pytest.raises(scaleplan.ForbiddenError) as info:
            svc.execute("R-1", {"kind": "approve", "actor": {"id": spelling, "role": "admin"},
                                "rollout_id": "R-1", "plan_revision": 1, "target_phase": 1}, at(1))
        assert info.value.code == "self_approval_forbidden"
    with pytest.raises(scaleplan.ForbiddenError):
        svc.observe("R-1", at(5), None, actor={"id": "vic", "role": "viewer"})
    with pytest.raises(scaleplan.InvalidInputError) as info:
        svc.create("R-2", PLAN, {"id": "  ", "role": "admin"}, at(0))
    assert info.value.code == "invalid_actor"
    with pytest.raises(scaleplan.ForbiddenError):
        svc.create("R-2", PLAN, {"id": "vic", "role": "viewer"}, at(0))
