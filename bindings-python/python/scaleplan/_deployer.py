"""The `Deployer` protocol: what `RolloutService(deployer=...)` calls to move traffic on a real platform
(a feature-flag service, a service mesh, a load balancer).

Typing and plumbing only: no rules live here (the service's semantics are the Rust core's). Methods may
be plain or ``async def``; a raised exception (or an answer of the wrong shape) is the core's ``deploy``
error, which the service records in the audit and decision logs and retries on its next call. Calls
repeat after failures, so make them idempotent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Awaitable, Protocol, Sequence, TypeVar, Union, runtime_checkable

T = TypeVar("T")
MaybeAwaitable = Union[T, Awaitable[T]]


@runtime_checkable
class Deployer(Protocol):
    """A platform the rollout service drives. Every call names the rollout, so that the platform keeps
    one flag or weight per rollout. ``name`` (optional attribute) is how outcomes and the dashboard
    name the platform (default: the class name)."""

    def apply(self, rollout_id: str, target: str, traffic_pct: float, now: str) -> MaybeAwaitable[Any]:
        """Sets the rollout's share of traffic (percent) on ``target``; raise when the platform refuses."""
        ...

    def actual(self, rollout_id: str, target: str) -> MaybeAwaitable[float | None]:
        """The traffic (percent) the platform reports for the rollout on ``target``; None: never deployed."""
        ...

    def rollback(self, rollout_id: str, targets: Sequence[str], now: str) -> MaybeAwaitable[str | None]:
        """Moves the rollout to 0 % on every target. Returns the RFC 3339 time the platform confirmed 0 %,
        or None when it confirms later (then call ``execute(id, {"kind": "confirm_rollback"}, at)``, or a
        later call asks again)."""
        ...


def _await(awaitable: Awaitable[T]) -> T:
    """Runs an ``async def`` deployer method to completion: in a fresh event loop, or on a helper thread
    when this thread already runs one (a notebook)."""

    async def main() -> T:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()
