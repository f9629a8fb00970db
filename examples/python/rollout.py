"""Back-test a gating policy on recorded metrics, then run a rollout through the embedded SQLite store.

Run: bash scripts/python-setup && .venv/bin/python examples/python/rollout.py
"""
from __future__ import annotations

import json
import pathlib
import tempfile
from typing import Any

import scaleplan


def at(minute: int) -> str:
    return f"2025-06-02T{minute // 60:02d}:{minute % 60:02d}:00Z"


def window(i: int, errors: int = 4, p95_ms: float = 320) -> scaleplan.RolloutWindow:
    return {"start": at(5 * i), "end": at(5 * i + 5), "requests": 2000, "errors": errors, "p95_ms": p95_ms}


# 1. Back-test: would a stricter latency limit (400 ms) have paused last week's rollout?
recorded = [window(i, p95_ms=420 if i == 7 else 320) for i in range(24)]
replay = {
    "plan": scaleplan.rollout_plan("gradual"),
    "policy": {"p95_limit_ms": 400},
    "start": {"phase": 1, "attempt_start": at(0), "state": "running"},
    "until": at(120),
    "windows": recorded,
    "events": [w["end"] for w in recorded],
}
out = json.loads(scaleplan.simulate(json.dumps(replay)))
for d in out["decisions"]:
    if d["decision"] != "hold":
        print(f"{d['at']}  {d['decision']:<10} {[r['code'] for r in d['reasons']]}")
print("final:", out["final"]["state"], "at", out["final"]["traffic_pct"], "%")

# 2. Live: a short plan through the service, state in a SQLite file.
carol: scaleplan.Actor = {"id": "carol", "role": "operations_manager"}
monitor: scaleplan.Actor = {"id": "prometheus-bridge", "role": "monitor"}
with tempfile.TemporaryDirectory() as tmp:
    db = str(pathlib.Path(tmp) / "rollouts.db")
    svc = scaleplan.RolloutService(db, rollback_secs=40)
    plan = scaleplan.rollout_plan("custom", phases=[{"traffic_pct": 10, "min_duration_secs": 900},
                                                    {"traffic_pct": 100, "min_duration_secs": 900}])
    svc.create("R-7", plan, carol, at(0))
    svc.execute("R-7", {"kind": "start", "actor": carol}, at(0), idempotency_key="start-R-7")
    for i in range(6):
        res = svc.observe("R-7", at(5 * i + 5), window(i, errors=100 if i == 4 else 4), [at(5 * i + 5)], actor=monitor)
        decision = res["decision"]
        print(f"{decision['at']}  {decision['decision']:<10} traffic {res['traffic_pct']}%  state {res['state']}")
        if res["state"] == "rolled_back":
            rb = res["rollback"]
            print(f"rollback confirmed by the {res['deployer']} platform in {rb['duration_secs']} s"
                  f" (objective met: {rb['sla_met']})")
            break
    try:
        svc.execute("R-7", {"kind": "resume", "actor": {"id": "olga", "role": "operator"}}, at(40))
    except scaleplan.IllegalTransitionError as e:
        print(f"refused [{e.code}]: {e}")
    print("audit chain:", scaleplan.RolloutService(db).verify_audit("R-7"))
