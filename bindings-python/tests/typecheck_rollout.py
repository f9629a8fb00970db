"""Checked (never run) by `mypy --strict` in CI: the stub lets a strict user write rollout commands
without casts, and rejects a misspelt kind, a missing field or an unknown role. Each `type: ignore`
below must be needed (`--strict` warns about unused ones)."""
from __future__ import annotations

import scaleplan

svc = scaleplan.RolloutService()
carol: scaleplan.Actor = {"id": "carol", "role": "operations_manager"}
monitor: scaleplan.Actor = {"id": "prometheus-bridge", "role": "monitor"}
svc.execute("R-1", {"kind": "start", "actor": carol}, "2025-06-02T00:00:00Z")
svc.execute("R-1", {"kind": "rollback", "actor": carol, "reason": "errors"}, "2025-06-02T00:01:00Z",
            idempotency_key="rb-1")
svc.execute("R-1", '{"kind": "confirm_rollback"}', "2025-06-02T00:02:00Z")
window: scaleplan.RolloutWindow = {"start": "2025-06-02T00:00:00Z", "end": "2025-06-02T00:05:00Z",
                                   "requests": 2000, "errors": 4, "p95_ms": 320.0}
svc.observe("R-1", "2025-06-02T00:05:00Z", window, actor=monitor)

svc.execute("R-1", {"kind": "rolback", "actor": carol}, "2025-06-02T00:06:00Z")  # type: ignore[arg-type]
svc.execute("R-1", {"kind": "approve", "actor": carol, "rollout_id": "R-1", "plan_revision": 1},  # type: ignore[arg-type]
            "2025-06-02T00:06:00Z")
boss: scaleplan.Actor = {"id": "al", "role": "boss"}  # type: ignore[typeddict-item]
svc.observe("R-1", "2025-06-02T00:10:00Z", window)  # type: ignore[call-arg]
