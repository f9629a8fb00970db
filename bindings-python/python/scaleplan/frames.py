"""Many series from one long frame, as statsforecast names it (``unique_id``, ``ds``, ``y``): pandas or
polars in, one long pandas frame out. The frame is only cut into a panel (values end to end and the
offsets where each series starts) and the results put back in rows: every series is computed by the core
(``scaleplan._scaleplan._detect_many`` and friends), in parallel over the machine's cores with the GIL
released.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from . import _scaleplan

__all__ = ["detect_many", "forecast_many", "backtest_many", "exhaustion_many", "experiment_from_frame"]


def _column(df: Any, name: str) -> np.ndarray:
    try:
        col = df[name]
    except Exception as e:  # pandas KeyError, polars ColumnNotFoundError
        raise _scaleplan.InvalidInputError(
            f"the frame has no column {name!r} (columns: {list(df.columns)})"
        ) from e
    return col.to_numpy()


def _arrays(panel: tuple):
    """`(values, offsets)` or `(values, offsets, timestamps)`: the series' ids are their places."""
    if len(panel) not in (2, 3):
        raise _scaleplan.InvalidInputError(
            f"a panel is (values, offsets) or (values, offsets, timestamps), got a tuple of {len(panel)}"
        )
    values = np.ascontiguousarray(panel[0], dtype=np.float64)
    offsets = np.asarray(panel[1], dtype=np.int64)
    times = None
    if len(panel) == 3 and panel[2] is not None:
        t = np.asarray(panel[2])
        times = (t.astype("datetime64[ns]").astype(np.int64) / 1e9 if np.issubdtype(t.dtype, np.datetime64)
                 else np.asarray(t, dtype=np.float64))
    return np.arange(max(len(offsets) - 1, 0)), values, offsets, times, None


def _has_datetimes(df: Any, time_col: str | None) -> bool:
    """Whether the panel's times are datetimes (so that results carry datetimes back)."""
    if isinstance(df, tuple):
        return len(df) == 3 and df[2] is not None and np.issubdtype(np.asarray(df[2]).dtype, np.datetime64)
    return time_col is not None and time_col in df.columns and _is_datetime(df[time_col])


def _panel(df: Any, id_col: str, time_col: str | None, value_col: str):
    """ids in order, the values end to end, the offsets, the timestamps (or None) and whether they were
    datetimes with a time zone. A tuple is already a panel: `(values, offsets[, timestamps])`."""
    if isinstance(df, tuple):
        return _arrays(df)
    ids = _column(df, id_col)
    # rows already grouped in id order (a frame sorted by id, as statsforecast's are) need no gather
    change = _changes(ids)
    order = None if _ascending(ids, change) else np.argsort(ids, kind="stable")
    if order is not None:
        ids = ids[order]
        change = _changes(ids)
    raw_values = _column(df, value_col)
    values = np.ascontiguousarray(raw_values if order is None else raw_values[order], dtype=np.float64)
    starts = np.concatenate(([0], change)) if len(ids) else np.array([], dtype=np.int64)
    offsets = np.concatenate((starts, [len(ids)])).astype(np.int64)
    times = None
    tz = None
    if time_col is not None and time_col in df.columns:
        raw = df[time_col]
        tz = getattr(getattr(raw, "dt", None), "tz", None)
        if tz is not None:  # pandas, timezone-aware: to UTC seconds
            raw = raw.dt.tz_convert("UTC").dt.tz_localize(None)
        t = raw.to_numpy()
        t = t if order is None else t[order]
        if np.issubdtype(t.dtype, np.datetime64):
            times = t.astype("datetime64[ns]").astype(np.int64) / 1e9
        else:
            times = np.asarray(t, dtype=np.float64)
    return ids[starts], values, offsets, times, tz


def _changes(ids: np.ndarray) -> np.ndarray:
    """The rows where the id differs from the row before (one comparison per row)."""
    return np.flatnonzero(ids[1:] != ids[:-1]) + 1


def _ascending(ids: np.ndarray, change: np.ndarray) -> bool:
    """Whether the ids never decrease (so each series' rows are together, in id order): equal between
    the changes, so only the rows where the id changes are compared (a comparison per series, not per
    row: string ids compare slowly)."""
    try:
        return bool(np.all(ids[change] > ids[change - 1]))
    except TypeError:  # ids that do not compare: sorting decides (and says so)
        return False


def _time_column(seconds: Any, tz: Any, datetimes: bool):
    import pandas as pd

    if not datetimes:
        return seconds
    t = pd.to_datetime(np.asarray(seconds, dtype=np.float64), unit="s")
    return t.tz_localize("UTC").tz_convert(tz) if tz is not None else t


def _in_notebook() -> bool:
    shell = getattr(builtins, "get_ipython", None)
    return shell is not None and type(shell()).__name__ == "ZMQInteractiveShell"


def _chunks(n: int, progress: bool | None, what: str):
    """Series ranges to compute, one core call each, under a tqdm bar when asked (default: in a notebook,
    for more than 200 series, if tqdm is installed)."""
    show = progress if progress is not None else (_in_notebook() and n > 200)
    bar = None
    if show:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=n, desc=what, unit="series")
        except ImportError:
            bar = None
    size = n if bar is None else max(64, -(-n // 20))
    for a in range(0, n, size):
        b = min(n, a + size)
        yield a, b
        if bar is not None:
            bar.update(b - a)
    if bar is not None:
        bar.close()


def _run(call, what: str, ids, values, offsets, times, progress):
    """The core call on chunks of series; the results, and each result's first row in the frame."""
    out = []
    for a, b in _chunks(len(ids), progress, what):
        # the panel's own ends, so that the core checks the offsets the caller gave
        lo = 0 if a == 0 else offsets[a]
        hi = len(values) if b == len(ids) else offsets[b]
        sub = offsets[a : b + 1] - lo
        t = None if times is None else times[lo:hi]
        try:
            out += call(values[lo:hi], sub.tolist(), t)
        except _scaleplan.ScaleplanError as e:
            # name the series by its id, not by its place in the chunk
            msg = str(e)
            for k in range(b - a - 1, -1, -1):
                msg = msg.replace(f"series[{k}]", f"series {ids[a + k]!r}")
            raise type(e)(msg) from e
    return out


def detect_many(
    df: Any,
    *,
    id_col: str = "unique_id",
    time_col: str | None = "ds",
    value_col: str = "y",
    method: str = "auto",
    n_jobs: int | None = -1,
    progress: bool | None = None,
    **params: Any,
):
    """Anomaly detection on every series of a long frame, in parallel.

    Parameters
    ----------
    df : pandas.DataFrame, polars.DataFrame or tuple
        One row per point: ``id_col`` (the series), ``time_col`` (datetimes, tz-aware kept, or numbers;
        optional) and ``value_col``.
        Or a panel as arrays: ``(values, offsets)`` or ``(values, offsets, timestamps)``, series ``i``
        being ``values[offsets[i]:offsets[i + 1]]`` (its ``unique_id`` in the result is ``i``).
    method, **params
        As :func:`scaleplan.detect` (``auto`` chooses per series), including ``aggregate`` and
        ``cooldown``.
    n_jobs : int, default -1
        Threads: -1 (or None) for every core.
    progress : bool, optional
        A tqdm bar (default: in a notebook, for more than 200 series, when tqdm is installed).

    Returns
    -------
    pandas.DataFrame
        One row per alert: ``unique_id`` then the alert's fields (``time``, ``end`` and ``peak_time`` as
        datetimes when ``ds`` holds datetimes), in series order.

    Raises
    ------
    scaleplan.ScaleplanError
        The first failing series' error, naming its id (``series 'web-3': values[12] ...``).

    Examples
    --------
    >>> import pandas as pd, numpy as np, scaleplan
    >>> y = np.r_[np.full(300, 10.0), np.full(300, 10.0)]; y[450] = 90
    >>> df = pd.DataFrame({"unique_id": ["a"] * 300 + ["b"] * 300, "y": y})
    >>> scaleplan.detect_many(df, method="baseline_ratio", window=7)[["unique_id", "start_index"]].values.tolist()
    [['b', 150]]
    """
    import pandas as pd

    ids, values, offsets, times, tz = _panel(df, id_col, time_col, value_col)
    datetimes = times is not None and _has_datetimes(df, time_col)

    # the alerts come back as columns, one entry per alert; each chunk's series are numbered from 0
    chunks = []

    def call(v, o, t):
        chunks.append(_scaleplan._detect_many_alerts(v, o, t, method, n_jobs, **params))
        return [len(o) - 1]

    starts = np.cumsum([0] + _run(call, "detect", ids, values, offsets, times, progress))
    if len(chunks) == 1:  # one core call (no progress bar): its columns as they are
        cols = dict(chunks[0])
        series = cols.pop("series")
    else:
        cols = {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]} if chunks else {}
        series = np.concatenate([c["series"] + s for c, s in zip(chunks, starts)]) if chunks else np.array([], int)
        cols.pop("series", None)
    out = pd.DataFrame({id_col: ids[series] if len(ids) else np.array([], dtype=object), **cols})
    for c in ("time", "end", "peak_time"):
        if c in out:
            out[c] = _time_column(out[c], tz, datetimes)
    return out


def _is_datetime(col: Any) -> bool:
    dtype = getattr(col, "dtype", None)
    if dtype is None:
        return False
    try:
        return np.issubdtype(np.dtype(dtype), np.datetime64)
    except TypeError:  # pandas DatetimeTZDtype, polars Datetime
        return "datetime" in str(dtype).lower()


def _future(ds_last: Any, h: int, freq: Any):
    import pandas as pd

    return pd.date_range(ds_last, periods=h + 1, freq=freq)[1:]


def forecast_many(
    df: Any,
    h: int,
    season_length: int | None = None,
    level: float = 95.0,
    *,
    id_col: str = "unique_id",
    time_col: str | None = "ds",
    value_col: str = "y",
    model: str = "auto",
    thorough: bool = False,
    freq: Any = None,
    n_jobs: int | None = -1,
    progress: bool | None = None,
):
    """Forecasts of every series of a long frame, in parallel.

    Parameters
    ----------
    df : pandas.DataFrame, polars.DataFrame or tuple
        One row per period: ``id_col``, ``time_col`` (optional) and ``value_col``, in time order within a
        series.
        Or a panel as arrays: ``(values, offsets)`` or ``(values, offsets, timestamps)``, series ``i``
        being ``values[offsets[i]:offsets[i + 1]]`` (its ``unique_id`` in the result is ``i``).
    h : int
        Periods ahead.
    season_length, level, model, thorough
        As :func:`scaleplan.forecast`.
    freq : str, optional
        A pandas frequency (``"MS"``, ``"h"``) for the future ``ds``; by default inferred from the first
        series' datetimes; no ``ds`` column when there is none.
    n_jobs, progress
        As :func:`detect_many`.

    Returns
    -------
    pandas.DataFrame
        ``unique_id``, ``ds`` (when known), ``h`` (1 to h), ``mean``, ``lower``, ``upper``, ``model``.

    Raises
    ------
    scaleplan.ScaleplanError
        The first failing series' error, naming its id.

    Examples
    --------
    >>> import pandas as pd, numpy as np, scaleplan
    >>> df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 36), "y": np.r_[np.arange(36.0) + 10, np.full(36, 5.0)]})
    >>> f = scaleplan.forecast_many(df, 3)
    >>> f.shape, list(f.columns)
    ((6, 6), ['unique_id', 'h', 'mean', 'lower', 'upper', 'model'])
    """
    import pandas as pd

    ids, values, offsets, times, tz = _panel(df, id_col, time_col, value_col)

    def call(v, o, _t):
        return _scaleplan._forecast_many(
            v, o, h, season_length, level, model=model, thorough=thorough, n_jobs=n_jobs
        )

    results = _run(call, "forecast", ids, values, offsets, None, progress)
    n = len(ids)
    out = {id_col: np.repeat(ids, h)}
    datetimes = times is not None and _has_datetimes(df, time_col)
    if datetimes and n:
        last = pd.to_datetime(times[offsets[1:] - 1], unit="s")
        if freq is None:
            first = pd.to_datetime(times[offsets[0] : offsets[1]], unit="s")
            freq = pd.infer_freq(first) if len(first) >= 3 else None
        if freq is not None:
            ds = np.concatenate([_future(x, h, freq).values for x in last])
            ds = pd.to_datetime(ds)
            out[time_col] = ds.tz_localize("UTC").tz_convert(tz) if tz is not None else ds
    out["h"] = np.tile(np.arange(1, h + 1), n)
    out["mean"] = np.concatenate([f.mean for f in results]) if n else np.array([])
    out["lower"] = np.concatenate([f.lower for f in results]) if n else np.array([])
    out["upper"] = np.concatenate([f.upper for f in results]) if n else np.array([])
    out["model"] = np.repeat([f.model for f in results], h)
    return pd.DataFrame(out)


def backtest_many(
    df: Any,
    h: int,
    season_length: int | None = None,
    level: float = 95.0,
    *,
    windows: int = 3,
    step: int | None = None,
    id_col: str = "unique_id",
    value_col: str = "y",
    model: str = "auto",
    thorough: bool = False,
    n_jobs: int | None = -1,
    progress: bool | None = None,
):
    """Rolling-origin backtests of every series of a long frame, in parallel.

    Parameters
    ----------
    df : pandas.DataFrame, polars.DataFrame or tuple
        ``id_col`` and ``value_col``, in time order within a series.
        Or a panel as arrays: ``(values, offsets)`` or ``(values, offsets, timestamps)``, series ``i``
        being ``values[offsets[i]:offsets[i + 1]]`` (its ``unique_id`` in the result is ``i``).
    h, season_length, level, windows, step, model, thorough
        As :func:`scaleplan.backtest`.
    n_jobs, progress
        As :func:`detect_many`.

    Returns
    -------
    pandas.DataFrame
        One row per series and window: ``unique_id``, ``window`` (0 first), ``cutoff``, ``model``, the
        window's ``smape``, ``mase`` and ``coverage``, and the seasonal-naive benchmark's
        (``benchmark_smape`` ...), as :func:`scaleplan.backtest` gives them.

    Raises
    ------
    scaleplan.ScaleplanError
        The first failing series' error, naming its id.

    Examples
    --------
    >>> import pandas as pd, numpy as np, scaleplan
    >>> t = np.arange(60.0)
    >>> df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 60), "y": np.r_[10 + t, 50 + 0.5 * t]})
    >>> b = scaleplan.backtest_many(df, 6, windows=2)
    >>> b[["unique_id", "window", "cutoff", "model"]].values.tolist()
    [['a', 0, 48, 'ETS(A,A,N)'], ['a', 1, 54, 'ETS(A,A,N)'], ['b', 0, 48, 'ETS(A,A,N)'], ['b', 1, 54, 'ETS(A,A,N)']]
    """
    import pandas as pd

    ids, values, offsets, _, _ = _panel(df, id_col, None, value_col)

    def call(v, o, _t):
        return _scaleplan._backtest_many(
            v, o, h, season_length, level, windows=windows, step=step, model=model,
            thorough=thorough, n_jobs=n_jobs,
        )

    results = _run(call, "backtest", ids, values, offsets, None, progress)
    rows = []
    for uid, b in zip(ids, results):
        for k, w in enumerate(b["windows"]):
            rows.append(
                {
                    id_col: uid,
                    "window": k,
                    "cutoff": w["cutoff"],
                    "model": w["model"],
                    **w["accuracy"],
                    **{f"benchmark_{key}": val for key, val in w["benchmark"].items()},
                }
            )
    return pd.DataFrame(rows)


def exhaustion_many(
    df: Any,
    capacity: float,
    horizon: int,
    season_length: int | None = None,
    *,
    id_col: str = "unique_id",
    value_col: str = "y",
    n_jobs: int | None = -1,
    progress: bool | None = None,
):
    """When each series of a long frame reaches ``capacity``, in parallel.

    Parameters
    ----------
    df : pandas.DataFrame, polars.DataFrame or tuple
        ``id_col`` and ``value_col``, in time order within a series.
        Or a panel as arrays: ``(values, offsets)`` or ``(values, offsets, timestamps)``, series ``i``
        being ``values[offsets[i]:offsets[i + 1]]`` (its ``unique_id`` in the result is ``i``).
    capacity, horizon, season_length
        As :func:`scaleplan.exhaustion`.
    n_jobs, progress
        As :func:`detect_many`.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``unique_id``, ``period`` and ``upper_period`` (1-based periods ahead, or
        missing when not within the horizon), ``model``.

    Raises
    ------
    scaleplan.ScaleplanError
        The first failing series' error, naming its id.

    Examples
    --------
    >>> import pandas as pd, numpy as np, scaleplan
    >>> t = np.arange(48.0)
    >>> df = pd.DataFrame({"unique_id": np.repeat(["api", "db"], 48), "y": np.r_[50 + 2 * t, np.full(48, 40.0)]})
    >>> scaleplan.exhaustion_many(df, capacity=200.0, horizon=36)[["unique_id", "period"]].values.tolist()
    [['api', 28], ['db', <NA>]]
    """
    import pandas as pd

    ids, values, offsets, _, _ = _panel(df, id_col, None, value_col)

    def call(v, o, _t):
        return _scaleplan._exhaustion_many(v, o, capacity, horizon, season_length, n_jobs=n_jobs)

    results = _run(call, "exhaustion", ids, values, offsets, None, progress)
    return pd.DataFrame(
        {
            id_col: ids,
            "period": pd.array([e.period for e in results], dtype="Int64"),
            "upper_period": pd.array([e.upper_period for e in results], dtype="Int64"),
            "model": [e.forecast.model for e in results],
        }
    )


def experiment_from_frame(
    df: Any,
    *,
    arm: str,
    metrics: dict,
    control: Any = "control",
    treatment: Any = "treatment",
    name: str = "experiment",
    runtime_days: float,
    treatment_share: float | None = None,
    units: str | None = None,
) -> dict:
    """An experiment (the JSON ``assess_readiness`` takes) from a table of rows: one per unit (user), or
    aggregated (one per day or segment, with counts).

    Parameters
    ----------
    df : pandas.DataFrame or polars.DataFrame
        The rows; ``arm`` names the column that holds each row's arm.
    arm : str
        The arm column.
    metrics : dict
        Metric name to its columns: ``{"kind": "proportion", "conversions": "converted"}`` (one row per
        visitor; ``"visitors": "sessions"`` for aggregated rows), ``{"kind": "mean", "value": "load_ms"}``
        (per-unit values) or ``{"kind": "ratio", "numerator": "revenue", "denominator": "sessions"}``
        (per-unit sums); each may add ``"direction": "decrease"`` (default: increase).
    control, treatment : default "control", "treatment"
        The arm column's values for the two arms.
    name, runtime_days
        The experiment's name and the days it has run.
    treatment_share : float, optional
        The configured split (the core's default, 0.5, when not given).
    units : str, optional
        A column of units per row for the assignment counts (aggregated rows); by default each row is one
        unit.

    Returns
    -------
    dict
        The experiment, ready for :func:`scaleplan.assess_readiness` (or ``json.dumps``).

    Raises
    ------
    scaleplan.ScaleplanError
        A bad row, named by metric, arm and column (``conversion.treatment.conversions[12]: ...``), or an
        arm with no rows.

    Examples
    --------
    >>> import pandas as pd, scaleplan
    >>> df = pd.DataFrame({"arm": ["control"] * 4 + ["treatment"] * 4, "converted": [1, 0, 0, 0, 1, 1, 0, 0]})
    >>> e = scaleplan.experiment_from_frame(df, arm="arm", runtime_days=14,
    ...     metrics={"conversion": {"kind": "proportion", "conversions": "converted"}})
    >>> e["metrics"][0]["treatment"], e["assignment"]
    ({'visitors': 4, 'conversions': 2}, {'control_units': 4, 'treatment_units': 4})
    """
    labels = _column(df, arm)
    masks = {"control": labels == control, "treatment": labels == treatment}
    for which, m in masks.items():
        if not m.any():
            raise _scaleplan.InvalidInputError(
                f"no row has {arm} == {control if which == 'control' else treatment!r} (the {which} arm)"
            )
    roles = {"proportion": ("conversions", "visitors"), "mean": ("value", None),
             "ratio": ("numerator", "denominator")}
    out_metrics = []
    for metric, spec in metrics.items():
        spec = dict(spec)
        kind = spec.pop("kind", None)
        if kind not in roles:
            raise _scaleplan.InvalidInputError(
                f"metric {metric!r}: kind must be proportion, mean or ratio, got {kind!r}")
        direction = spec.pop("direction", None)
        first, second = roles[kind]
        cols = (spec.pop(first, None), spec.pop(second, None) if second else None)
        if cols[0] is None or (kind == "ratio" and cols[1] is None) or spec:
            raise _scaleplan.InvalidInputError(
                f"metric {metric!r} ({kind}) takes the columns {first!r}"
                + (f" and {second!r}" if second else "") + (f"; unknown keys {sorted(spec)}" if spec else ""))
        entry = {"name": metric, "kind": kind}
        if direction is not None:
            entry["direction"] = direction
        for which, m in masks.items():
            a = np.asarray(_column(df, cols[0])[m], dtype=np.float64)
            b = None if cols[1] is None else np.asarray(_column(df, cols[1])[m], dtype=np.float64)
            try:
                entry[which] = _scaleplan._arm_summary(kind, a, b)
            except _scaleplan.ScaleplanError as e:
                raise type(e)(f"{metric}.{which}.{e}") from e
        out_metrics.append(entry)
    assignment = {}
    for which, m in masks.items():
        n = int(m.sum()) if units is None else int(np.asarray(_column(df, units)[m], dtype=np.float64).sum())
        assignment[f"{which}_units"] = n
    if treatment_share is not None:
        assignment["treatment_share"] = treatment_share
    return {"name": name, "runtime_days": runtime_days, "assignment": assignment, "metrics": out_metrics}
