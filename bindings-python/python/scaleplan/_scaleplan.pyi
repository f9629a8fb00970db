# Type stubs for the compiled module. Checked against the runtime by `python -m mypy.stubtest
# scaleplan._scaleplan --allowlist bindings-python/stubtest-allowlist.txt` in CI (scripts/python-setup).
from typing import Any, Literal, Mapping, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "ScaleplanError",
    "InvalidInputError",
    "NumericalError",
    "InternalError",
    "ProportionsResult",
    "WelchResult",
    "Record",
    "_record_from_json",
    "two_proportions",
    "welch",
    "ratio",
    "cuped",
    "srm",
    "holm",
    "benjamini_hochberg",
    "sequential",
    "beta_binomial",
    "normal_means",
    "sample_size_proportions",
    "mde_proportions",
    "sample_size_means",
    "mde_means",
    "assess_readiness",
    "canonical_json",
    "two_proportions_batch",
    "welch_batch",
    "sequential_batch",
    "beta_binomial_batch",
    "sample_size_proportions_batch",
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

    @property
    def kind(self) -> str: ...
    def __getattr__(self, name: str) -> Any: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

def _record_from_json(kind: str, json: str) -> Record: ...
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
