"""Typed shapes of the rollout documents, for a strict type checker: a misspelt command ``kind``, a
missing field or an unknown role fails ``mypy --strict``. Typing only (the core validates every
document at run time and names what is wrong)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence, TypedDict, Union

if TYPE_CHECKING:  # annotations only (postponed): Python 3.9 and 3.10 have no typing.NotRequired
    from typing_extensions import NotRequired

Role = Literal["viewer", "monitor", "operator", "operations_manager", "approver", "admin"]


class Actor(TypedDict):
    """Who issues a command; ids are compared trimmed and lower-cased."""

    id: str
    role: Role


class RolloutWindow(TypedDict):
    """One metric window (5-minute, wall-clock aligned by default)."""

    start: str
    end: str
    requests: int
    errors: int
    p95_ms: float | None
    control_requests: NotRequired[int]
    control_errors: NotRequired[int]


class RolloutIncident(TypedDict):
    """An incident; blocking iff its severity is one of the policy's ``blocking_severities``."""

    id: str
    severity: str
    opened_at: str
    resolved_at: str | None


class StartCommand(TypedDict):
    kind: Literal["start"]
    actor: Actor


class PauseCommand(TypedDict):
    kind: Literal["pause"]
    actor: Actor
    reason: NotRequired[str | None]


class ResumeCommand(TypedDict):
    kind: Literal["resume"]
    actor: Actor


class RollbackCommand(TypedDict):
    kind: Literal["rollback"]
    actor: Actor
    reason: NotRequired[str | None]


class AbortCommand(TypedDict):
    kind: Literal["abort"]
    actor: Actor
    reason: NotRequired[str | None]


class ApproveCommand(TypedDict):
    kind: Literal["approve"]
    actor: Actor
    rollout_id: str
    plan_revision: int
    target_phase: int


class ObserveCommand(TypedDict):
    kind: Literal["observe"]
    actor: Actor
    window: NotRequired[RolloutWindow | None]
    events: NotRequired[Sequence[str]]


class ConfirmRollbackCommand(TypedDict):
    kind: Literal["confirm_rollback"]


RolloutCommand = Union[
    StartCommand,
    PauseCommand,
    ResumeCommand,
    RollbackCommand,
    AbortCommand,
    ApproveCommand,
    ObserveCommand,
    ConfirmRollbackCommand,
]
