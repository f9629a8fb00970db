# Type stubs for the compiled module. Checked against the runtime by `python -m mypy.stubtest
# scaleplan._scaleplan --allowlist bindings-python/stubtest-allowlist.txt` in CI (scripts/python-setup).
from typing import Any, Literal, Mapping, Sequence, final

import numpy as np
import numpy.typing as npt

from scaleplan._deployer import Deployer
from scaleplan._types import Actor, RolloutCommand, RolloutIncident, RolloutWindow

__all__ = [
    "BudgetTracker",
    "ConflictError",
    "Detection",
    "DetectorStream",
    "ErlangC",
    "Exhaustion",
    "ForbiddenError",
    "Forecast",
    "GrowthRate",
    "IllegalTransitionError",
    "InternalError",
    "InvalidInputError",
    "NotFoundError",
    "NumericalError",
    "ProportionsResult",
    "Record",
    "RolloutService",
    "ScaleplanError",
    "StorageError",
    "UslFit",
    "WelchResult",
    "__version__",
    "_arm_summary",
    "_backtest_many",
    "_detect_many",
    "_detect_many_alerts",
    "_exhaustion_many",
    "_forecast_many",
    "_record_from_json",
    "_unpickle",
    "assess_readiness",
    "backtest",
    "backtest_schedule",
    "benjamini_hochberg",
    "beta_binomial",
    "beta_binomial_batch",
    "budget_status",
    "canonical_json",
    "capacity_milestones",
    "cost_totals",
    "cuped",
    "detect",
    "erlang_c",
    "estimate",
    "exhaustion",
    "forecast",
    "growth_phase",
    "growth_rate",
    "holm",
    "hpa_desired_replicas",
    "hpa_scale",
    "impact",
    "load_catalog",
    "mde_means",
    "mde_proportions",
    "min_servers",
    "min_servers_batch",
    "normal_means",
    "plan_json",
    "plan_status",
    "predictive_schedule",
    "ratio",
    "regression",
    "rollout_plan",
    "sample_size_means",
    "sample_size_proportions",
    "sample_size_proportions_batch",
    "savings",
    "recommendation_step",
    "scaling_triggers",
    "sequential",
    "sequential_batch",
    "simulate",
    "slo_report",
    "srm",
    "two_proportions",
    "two_proportions_batch",
    "usl_fit",
    "validate_plan",
    "verify_audit",
    "welch",
    "welch_batch",
    "window_status",
]

__version__: str

_Alternative = Literal["two-sided", "less", "greater"]
_Interval = tuple[float, float]
_Column = npt.NDArray[np.float64]
_Document = str | Mapping[str, Any]

class ScaleplanError(ValueError):
    """Base class of every scaleplan error; `.code` is stable (the Rust `Error::code`)."""

    code: str

class InvalidInputError(ScaleplanError): ...
class NumericalError(ScaleplanError): ...
class InternalError(ScaleplanError): ...
class IllegalTransitionError(ScaleplanError): ...
class ConflictError(ScaleplanError): ...
class ForbiddenError(ScaleplanError): ...
class NotFoundError(ScaleplanError): ...
class StorageError(ScaleplanError): ...

@final
class ProportionsResult:
    @property
    def control_rate(self) -> float: ...
    @property
    def treatment_rate(self) -> float: ...
    @property
    def z(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def absolute_effect(self) -> float: ...
    @property
    def absolute_ci(self) -> _Interval: ...
    @property
    def relative_lift(self) -> float | None: ...
    @property
    def relative_ci(self) -> _Interval | None: ...
    @property
    def alpha(self) -> float: ...
    @property
    def alternative(self) -> _Alternative: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class WelchResult:
    @property
    def control_mean(self) -> float: ...
    @property
    def treatment_mean(self) -> float: ...
    @property
    def t(self) -> float: ...
    @property
    def df(self) -> float: ...
    @property
    def p_value(self) -> float: ...
    @property
    def absolute_effect(self) -> float: ...
    @property
    def absolute_ci(self) -> _Interval: ...
    @property
    def relative_lift(self) -> float | None: ...
    @property
    def relative_ci(self) -> _Interval | None: ...
    @property
    def alpha(self) -> float: ...
    @property
    def alternative(self) -> _Alternative: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Record:
    """A result without a dedicated class: attribute access over its canonical JSON."""

    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def _repr_html_(self) -> str: ...

    @property
    def kind(self) -> str: ...
    def __getattr__(self, name: str) -> Any: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

def _record_from_json(kind: str, json: str, data: Any) -> Record: ...
def _unpickle(kind: str, json: str) -> Any: ...
def _arm_summary(kind: str, a: npt.ArrayLike, b: npt.ArrayLike | None = None) -> dict[str, Any]: ...
def _detect_many(
    values: npt.ArrayLike,
    offsets: Sequence[int],
    timestamps: Any | None = None,
    method: str = "auto",
    n_jobs: int | None = None,
    **params: Any,
) -> list[Detection]: ...
def _detect_many_alerts(
    values: npt.ArrayLike,
    offsets: Sequence[int],
    timestamps: Any | None = None,
    method: str = "auto",
    n_jobs: int | None = None,
    **params: Any,
) -> dict[str, Any]: ...
def _forecast_many(
    values: npt.ArrayLike,
    offsets: Sequence[int],
    horizon: int,
    season_length: int | None = None,
    level: float = 95.0,
    *,
    model: str = "auto",
    thorough: bool = False,
    n_jobs: int | None = None,
) -> list[Forecast]: ...
def _backtest_many(
    values: npt.ArrayLike,
    offsets: Sequence[int],
    horizon: int,
    season_length: int | None = None,
    level: float = 95.0,
    *,
    windows: int = 3,
    step: int | None = None,
    model: str = "auto",
    thorough: bool = False,
    n_jobs: int | None = None,
) -> list[dict[str, Any]]: ...
def _exhaustion_many(
    values: npt.ArrayLike,
    offsets: Sequence[int],
    capacity: float,
    horizon: int,
    season_length: int | None = None,
    *,
    n_jobs: int | None = None,
) -> list[Exhaustion]: ...
def two_proportions(
    control: tuple[float, float],
    treatment: tuple[float, float],
    *,
    alpha: float | None = None,
    alternative: _Alternative | None = None,
) -> ProportionsResult: ...
def welch(
    control: tuple[float, float, float],
    treatment: tuple[float, float, float],
    *,
    alpha: float | None = None,
    alternative: _Alternative | None = None,
) -> WelchResult: ...
def ratio(
    control: _Document,
    treatment: _Document,
    *,
    alpha: float | None = None,
    alternative: _Alternative | None = None,
) -> Record: ...
def cuped(
    control: _Document,
    treatment: _Document,
    *,
    alpha: float | None = None,
    alternative: _Alternative | None = None,
) -> Record: ...
def srm(
    observed_counts: npt.ArrayLike,
    expected_weights: npt.ArrayLike,
    *,
    threshold: float | None = None,
) -> Record: ...
def holm(p_values: npt.ArrayLike) -> _Column: ...
def benjamini_hochberg(p_values: npt.ArrayLike) -> _Column: ...
def sequential(
    estimate: float,
    std_error: float,
    sample_size: float,
    *,
    alpha: float | None = None,
    tuning_sample_size: float | None = None,
    previous_p_value: float | None = None,
) -> Record: ...
def beta_binomial(
    control: tuple[float, float],
    treatment: tuple[float, float],
    *,
    prior_alpha: float | None = None,
    prior_beta: float | None = None,
) -> Record: ...
def normal_means(
    control: tuple[float, float, float],
    treatment: tuple[float, float, float],
    *,
    prior_mean: float | None = None,
    prior_variance: float | None = None,
) -> Record: ...
def sample_size_proportions(
    baseline_rate: float,
    mde: float,
    *,
    alpha: float | None = None,
    power: float | None = None,
    relative: bool | None = None,
    alternative: _Alternative | None = None,
) -> float: ...
def mde_proportions(
    baseline_rate: float,
    n_per_arm: float,
    *,
    alpha: float | None = None,
    power: float | None = None,
    relative: bool | None = None,
    alternative: _Alternative | None = None,
) -> float: ...
def sample_size_means(
    std_dev: float,
    baseline_mean: float,
    mde: float,
    *,
    alpha: float | None = None,
    power: float | None = None,
    relative: bool | None = None,
    alternative: _Alternative | None = None,
) -> float: ...
def mde_means(
    std_dev: float,
    baseline_mean: float,
    n_per_arm: float,
    *,
    alpha: float | None = None,
    power: float | None = None,
    relative: bool | None = None,
    alternative: _Alternative | None = None,
) -> float: ...
def assess_readiness(experiment: _Document, policy: _Document) -> Record: ...
def canonical_json(
    kind: Literal["experiment", "policy", "readiness"], document: _Document
) -> str: ...
def two_proportions_batch(
    control_visitors: npt.ArrayLike,
    control_conversions: npt.ArrayLike,
    treatment_visitors: npt.ArrayLike,
    treatment_conversions: npt.ArrayLike,
    *,
    alpha: float | None = None,
    alternative: _Alternative | None = None,
) -> dict[str, _Column]: ...
def welch_batch(
    control_n: npt.ArrayLike,
    control_mean: npt.ArrayLike,
    control_variance: npt.ArrayLike,
    treatment_n: npt.ArrayLike,
    treatment_mean: npt.ArrayLike,
    treatment_variance: npt.ArrayLike,
    *,
    alpha: float | None = None,
    alternative: _Alternative | None = None,
) -> dict[str, _Column]: ...
def sequential_batch(
    estimate: npt.ArrayLike,
    std_error: npt.ArrayLike,
    sample_size: npt.ArrayLike,
    *,
    alpha: float | None = None,
    tuning_sample_size: float | None = None,
) -> _Column: ...
def beta_binomial_batch(
    control_visitors: npt.ArrayLike,
    control_conversions: npt.ArrayLike,
    treatment_visitors: npt.ArrayLike,
    treatment_conversions: npt.ArrayLike,
    *,
    prior_alpha: float | None = None,
    prior_beta: float | None = None,
) -> _Column: ...
def sample_size_proportions_batch(
    baseline_rate: npt.ArrayLike,
    mde: npt.ArrayLike,
    *,
    alpha: float | None = None,
    power: float | None = None,
    relative: bool | None = None,
    alternative: _Alternative | None = None,
) -> _Column: ...

# ---- resource estimation (money in and out as decimal.Decimal; floats are refused for money) ----

_Criterion = Literal["service_level_at_least", "p_wait_at_most", "wait_percentile_at_most"]
_Documents = str | Sequence[Mapping[str, Any]]

@final
class UslFit:
    """A fitted Universal Scalability Law model."""

    @property
    def lambda_(self) -> float: ...
    @property
    def sigma(self) -> float: ...
    @property
    def kappa(self) -> float: ...
    @property
    def peak_concurrency(self) -> float | None: ...
    @property
    def peak_throughput(self) -> float | None: ...
    @property
    def r_squared(self) -> float: ...
    @property
    def residual_std_error(self) -> float | None: ...
    @property
    def at_bound(self) -> list[Literal["lambda", "sigma", "kappa"]]:
        """Coefficients the fit holds on a bound (``["kappa"]`` for contention-only scaling)."""
    @property
    def std_errors(self) -> dict[str, float | None]:
        """Standard errors keyed ``lambda``, ``sigma``, ``kappa``; None on a bound or with 3 points."""
    @property
    def intervals(self) -> dict[str, dict[str, float] | None]:
        """95% t intervals (``{"lo", "hi"}``) keyed by coefficient; None where the standard error is."""
    @property
    def df(self) -> int: ...
    def throughput(self, n: float) -> float: ...
    def past_peak_warning(self, target: float) -> str | None: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class ErlangC:
    """M/M/c queue metrics."""

    @property
    def arrival_rate(self) -> float: ...
    @property
    def mean_service_time(self) -> float: ...
    @property
    def servers(self) -> int: ...
    @property
    def offered_load(self) -> float: ...
    @property
    def utilization(self) -> float: ...
    @property
    def p_wait(self) -> float: ...
    @property
    def mean_wait(self) -> float: ...
    @property
    def mean_queue_length(self) -> float: ...
    @property
    def service_level(self) -> float | None: ...
    @property
    def answer_time(self) -> float | None: ...
    def wait_percentile(self, p: float) -> float: ...
    def service_level_at(self, t: float) -> float: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

def cost_totals(line_items: _Documents, currency: str = "USD") -> Record: ...
def usl_fit(concurrency: npt.ArrayLike, throughput: npt.ArrayLike) -> UslFit: ...
def erlang_c(
    arrival_rate: float,
    mean_service_time: float,
    servers: float,
    answer_time: float | None = None,
) -> ErlangC: ...
def min_servers(
    arrival_rate: float,
    mean_service_time: float,
    criterion: _Criterion,
    value: float,
    answer_time: float | None = None,
) -> ErlangC: ...
def min_servers_batch(
    arrival_rates: npt.ArrayLike,
    mean_service_time: float,
    criterion: _Criterion,
    value: float,
    answer_time: float | None = None,
) -> npt.NDArray[np.int64]: ...
def hpa_desired_replicas(
    current_replicas: float,
    pods: _Documents,
    target_utilization_percent: float,
    tolerance: float | Mapping[str, float] | None = None,
) -> Record:
    """The Kubernetes HPA replica rule (``replica_calculator.go``).

    ``tolerance`` is one number for both directions or ``{"scale_up": ..., "scale_down": ...}``
    (Kubernetes 1.33's configurable tolerance); None takes the default, 0.1 both ways.
    """
def hpa_scale(
    behavior: _Document,
    now: float,
    current_replicas: float,
    recommended_replicas: float,
    state: _Document | None = None,
) -> tuple[Record, dict[str, Any]]: ...
def load_catalog(text: str, format: Literal["toml", "json"] = "toml") -> Record: ...
def estimate(request: _Document, catalog: _Document | Record) -> Record: ...
def capacity_milestones(
    request: _Document, catalog: _Document | Record, milestones: _Documents
) -> list[Record]: ...
def impact(input: _Document) -> Record: ...
def growth_phase(
    users: float, active: str | None = None, plan: _Document | None = None
) -> Record: ...
def scaling_triggers(input: _Document, rules: _Document | None = None) -> Record: ...

# --- rollouts -------------------------------------------------------------------------------------
_Strategy = Literal["gradual", "immediate", "custom"]

def simulate(input: str) -> str:
    """Replays the gating policy over recorded evidence (the policy spec's replay JSON in and out)."""

def rollout_plan(
    strategy: _Strategy = "gradual",
    *,
    phases: _Documents | None = None,
    scope: _Document | None = None,
    waves: Literal["sequential", "parallel"] = "sequential",
) -> dict[str, Any]: ...
def validate_plan(plan: _Document) -> dict[str, Any]: ...
def plan_json(plan: _Document) -> str: ...
def window_status(
    window: _Document, policy: _Document | None = None
) -> Literal["good", "breach", "insufficient"]: ...
def verify_audit(events: Sequence[Mapping[str, Any]]) -> dict[str, Any]: ...
@final
class RolloutService:
    """Rollouts through the embedded store (None: memory; a path: SQLite) and a deployer (the host's
    own, or a simulated platform)."""

    def __new__(
        cls,
        path: str | None = None,
        *,
        deployer: Deployer | None = None,
        rollback_secs: int = 60,
        approval_thresholds: _Document | None = None,
        audit_key: bytes | str | None = None,
    ) -> RolloutService: ...
    @property
    def deployer_name(self) -> str: ...
    def create(
        self,
        id: str,
        plan: _Document,
        initiator: Actor,
        now: str,
        policy: _Document | None = None,
    ) -> dict[str, Any]: ...
    def execute(
        self,
        id: str,
        command: RolloutCommand | str,
        now: str,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]: ...
    def observe(
        self,
        id: str,
        now: str,
        window: RolloutWindow | None = None,
        events: Sequence[str] | None = None,
        *,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]: ...
    def report_incident(self, id: str, incident: RolloutIncident, *, actor: Actor) -> None: ...
    def rollout(self, id: str) -> dict[str, Any]: ...
    def rollout_ids(self) -> list[str]: ...
    def progress(self, id: str, now: str) -> dict[str, Any]: ...
    def audit(self, id: str) -> list[dict[str, Any]]: ...
    def decisions(
        self, id: str, *, limit: int | None = None, before: int | None = None
    ) -> list[dict[str, Any]]: ...
    def verify_audit(self, id: str) -> dict[str, Any]: ...
    def reconcile(self, id: str, now: str) -> dict[str, Any]: ...
    def deployed_traffic(self, rollout_id: str, target: str) -> float | None: ...

# --- anomaly detection and forecasting -------------------------------------------------------------

@final
class Detection:
    """The result of `detect`: read-only arrays aligned with the input (made once), and the alerts."""

    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def _repr_html_(self) -> str: ...

    @property
    def flags(self) -> npt.NDArray[np.bool_]: ...
    @property
    def scores(self) -> npt.NDArray[np.float64]: ...
    @property
    def expected(self) -> npt.NDArray[np.float64]: ...
    @property
    def alerts(self) -> list[dict[str, Any]]: ...
    @property
    def method(self) -> str: ...
    @property
    def season_length(self) -> int | None: ...
    @property
    def missing(self) -> int: ...
    @property
    def step(self) -> float | None: ...
    @property
    def ingest(self) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...

def detect(
    values: npt.ArrayLike,
    timestamps: npt.ArrayLike | None = None,
    method: str = "auto",
    **params: Any,
) -> Detection: ...

@final
class DetectorStream:
    """A streaming detector with serialisable state."""

    def __new__(cls, method: str = "auto", **params: Any) -> DetectorStream: ...
    def push(self, value: float) -> dict[str, Any] | None: ...
    def push_at(self, time: float, value: float) -> list[dict[str, Any]]: ...
    def flush(self) -> list[dict[str, Any]]: ...
    @property
    def ingest(self) -> dict[str, int]: ...
    def extend(self, values: npt.ArrayLike) -> list[dict[str, Any]]: ...
    @property
    def open_alert(self) -> dict[str, Any] | None: ...
    @property
    def periods(self) -> int: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> DetectorStream: ...

def regression(
    baseline: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    percentiles: Sequence[float] | None = None,
    tolerance: float | None = None,
    alpha: float | None = None,
) -> dict[str, Any]: ...
def budget_status(budget: Any, entries: Any, as_of: str) -> dict[str, Any]: ...
def predictive_schedule(
    history: npt.ArrayLike,
    timestamps: Any | None,
    model: Mapping[str, Any],
    catalog: Any,
    options: Mapping[str, Any],
) -> dict[str, Any]: ...
def backtest_schedule(
    history: npt.ArrayLike,
    timestamps: Any | None,
    model: Mapping[str, Any],
    catalog: Any,
    options: Mapping[str, Any],
    days: int | None = None,
) -> dict[str, Any]: ...
def plan_status(
    plan: Mapping[str, Any], observations: Sequence[Mapping[str, Any]], as_of: str
) -> dict[str, Any]: ...
def slo_report(
    windows: Sequence[Mapping[str, Any]],
    objectives: Mapping[str, Any] | None = None,
    period: Mapping[str, Any] | None = None,
    incidents: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]: ...
@final
class BudgetTracker:
    """A budget followed entry by entry, with serialisable state."""

    def __new__(cls, budget: Any) -> BudgetTracker: ...
    def record(self, entry: Any) -> list[dict[str, Any]]: ...
    def status(self, as_of: str) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> BudgetTracker: ...


@final
class Forecast:
    """A forecast with its interval (read-only arrays) and the model it used."""

    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def _repr_html_(self) -> str: ...

    @property
    def mean(self) -> npt.NDArray[np.float64]: ...
    @property
    def lower(self) -> npt.NDArray[np.float64]: ...
    @property
    def upper(self) -> npt.NDArray[np.float64]: ...
    @property
    def model(self) -> str: ...
    @property
    def level(self) -> float: ...
    @property
    def season_length(self) -> int | None: ...
    @property
    def aicc(self) -> float | None: ...
    @property
    def sigma(self) -> float: ...
    @property
    def params(self) -> dict[str, Any] | None: ...
    @property
    def candidates(self) -> list[dict[str, Any]]: ...
    @property
    def notes(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

def forecast(
    values: npt.ArrayLike,
    horizon: int,
    season_length: int | None = None,
    level: float = 95.0,
    *,
    model: str = "auto",
    thorough: bool = False,
) -> Forecast: ...
def backtest(
    values: npt.ArrayLike,
    horizon: int,
    season_length: int | None = None,
    level: float = 95.0,
    *,
    windows: int = 3,
    step: int | None = None,
    model: str = "auto",
    thorough: bool = False,
) -> dict[str, Any]: ...

@final
class GrowthRate:
    """A compound growth rate per period."""

    @property
    def rate(self) -> float: ...
    @property
    def ci(self) -> tuple[float, float]: ...
    @property
    def confidence(self) -> float: ...
    @property
    def confidence_label(self) -> str: ...
    @property
    def projections(self) -> list[dict[str, Any]]: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

def growth_rate(values: npt.ArrayLike) -> GrowthRate: ...

@final
class Exhaustion:
    """When a capacity runs out."""

    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...
    def _repr_html_(self) -> str: ...

    @property
    def period(self) -> int | None: ...
    @property
    def upper_period(self) -> int | None: ...
    @property
    def already_exceeded(self) -> bool: ...
    @property
    def capacity(self) -> float: ...
    @property
    def forecast(self) -> Forecast: ...
    @property
    def reason(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

def exhaustion(
    values: npt.ArrayLike, capacity: float, horizon: int, season_length: int | None = None
) -> Exhaustion: ...
def savings(resources: Any, options: Any) -> list[dict[str, Any]]: ...
def recommendation_step(recommendation: Any, step: str, date: str, actor: str = "") -> dict[str, Any]: ...
