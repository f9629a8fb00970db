"""A rollout driving a user-written platform (a class) from two service instances on one database.

The store is PostgreSQL when a URL is given (argument or SCALEPLAN_PG_URL), else a SQLite file; two
RolloutService instances share it as two app servers would. The flag service goes down in the middle:
the rollback is still recorded, the failure is audited, and the next call after the platform returns
re-applies it; the rollback counts as confirmed only when the platform says so.

Run: bash scripts/python-setup && .venv/bin/python examples/python/rollout_platform.py [postgresql://user@host/db]
"""
from __future__ import annotations

import os
import pathlib
import sys
import tempfile
import uuid
from typing import Sequence

import scaleplan


class FlagService:
    """The host's feature-flag platform: one weight per (rollout, target). A real one calls its API."""

    name = "flag-service"

    def __init__(self) -> None:
        self.weights: dict[tuple[str, str], float] = {}
        self.down = False

    def _reachable(self) -> None:
        if self.down:
            raise ConnectionError("flag service: 503 Service Unavailable")

    def apply(self, rollout_id: str, target: str, traffic_pct: float, now: str) -> None:
        self._reachable()
        self.weights[(rollout_id, target)] = traffic_pct

    def actual(self, rollout_id: str, target: str) -> float | None:
        self._reachable()
        return self.weights.get((rollout_id, target))

    def rollback(self, rollout_id: str, targets: Sequence[str], now: str) -> str | None:
        for t in targets:
            self.apply(rollout_id, t, 0.0, now)
        return None  # the platform confirms later, through its webhook (confirm_rollback below)


def at(minute: int) -> str:
    return f"2025-06-02T{minute // 60:02d}:{minute % 60:02d}:00Z"


location = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SCALEPLAN_PG_URL")
tmp = tempfile.TemporaryDirectory()
if location is None:
    location = str(pathlib.Path(tmp.name) / "rollouts.db")
print("store:", "PostgreSQL" if location.startswith("postgres") else "SQLite file")

flags = FlagService()
a = scaleplan.RolloutService(location, deployer=flags)
b = scaleplan.RolloutService(location, deployer=flags)
rid, region = f"checkout-v2-{uuid.uuid4().hex[:6]}", f"eu-west-{uuid.uuid4().hex[:6]}"
carol: scaleplan.Actor = {"id": "carol", "role": "operations_manager"}
olga: scaleplan.Actor = {"id": "olga", "role": "operator"}
monitor: scaleplan.Actor = {"id": "prometheus-bridge", "role": "monitor"}
plan = scaleplan.rollout_plan("custom", scope={"kind": "regions", "regions": [region]},
                              phases=[{"traffic_pct": 10, "min_duration_secs": 900},
                                      {"traffic_pct": 100, "min_duration_secs": 900}])
a.create(rid, plan, carol, at(0))
out = b.execute(rid, {"kind": "start", "actor": carol}, at(0), expected_version=0, idempotency_key="start")
print(f"instance B started {rid}: {out['traffic_pct']}% on {region} ({out['deployer']})")
w: scaleplan.RolloutWindow = {"start": at(0), "end": at(5), "requests": 2000, "errors": 4, "p95_ms": 320}
out = a.observe(rid, at(5), w, [at(5)], actor=monitor)
print("instance A tick:", out["decision"]["decision"])

flags.down = True
try:
    b.execute(rid, {"kind": "rollback", "actor": olga, "reason": "checkout errors"}, at(6), idempotency_key="rb-1")
except scaleplan.StorageError as e:
    print(f"instance B rollback during the outage: [{e.code}] {e}")
p = a.progress(rid, at(7))
print(f"dashboard: {p['state']}, {p['targets'][0]['name']} at {p['targets'][0]['traffic_pct']}%"
      f" (not confirmed), alerts {[x['code'] for x in p['alerts']]}")

flags.down = False
r = a.reconcile(rid, at(8))
print(f"instance A reconciled: {r['status']}, platform at {flags.weights[(rid, region)]}%")
b.execute(rid, {"kind": "confirm_rollback"}, at(9))  # the platform's webhook
rb = a.rollout(rid)["rollback"]
print(f"confirmed {rb['duration_secs']} s after the decision (objective met: {rb['sla_met']})")
for ev in b.audit(rid):
    print(f"  audit {ev['seq']:>2} {ev['actor_id']:<17} {ev['action']:<16} {ev['outcome']:<8} {ev['reason'] or ''}")
print("audit chain:", b.verify_audit(rid))
