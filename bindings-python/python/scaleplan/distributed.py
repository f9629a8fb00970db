"""Many series beyond one machine: Dask and Spark adapters for :func:`scaleplan.forecast_many` and
:func:`scaleplan.detect_many`. Each worker runs the local call on the series it holds (whole series per
partition or group), so the numbers are the local call's; the adapters only place the series and name
the output columns. ``dask[dataframe]`` and ``pyspark`` are optional dependencies.
"""
from __future__ import annotations

from typing import Any

from . import frames

__all__ = ["dask_forecast_many", "dask_detect_many", "spark_forecast_many", "spark_detect_many"]

# The columns (and their pandas dtypes) of detect_many's alert rows that the adapters keep.
_ALERT_COLUMNS = {
    "kind": "object",
    "severity": "object",
    "start_index": "int64",
    "end_index": "int64",
    "time": "float64",
    "observed": "float64",
    "expected": "float64",
    "score": "float64",
    "reason": "object",
}


def _alerts(pdf, id_col: str, time_col: str | None, value_col: str, method: str, params: dict):
    import pandas as pd

    # times stay numbers (seconds) here: Spark's and Dask's schemas are fixed before the data are seen
    out = frames.detect_many(pdf, id_col=id_col, time_col=time_col, value_col=value_col, method=method,
                             n_jobs=1, progress=False, **params)
    if out.empty:
        return pd.DataFrame({id_col: pd.Series(dtype="object"),
                             **{c: pd.Series(dtype=t) for c, t in _ALERT_COLUMNS.items()}})
    if pd.api.types.is_datetime64_any_dtype(out["time"]):
        t = out["time"]
        if t.dt.tz is not None:
            t = t.dt.tz_convert("UTC").dt.tz_localize(None)
        out["time"] = t.astype("datetime64[ns]").astype("int64") / 1e9
    out = out[[id_col, *_ALERT_COLUMNS]]
    return out.astype({c: t for c, t in _ALERT_COLUMNS.items() if t != "object"})


def _forecasts(pdf, h: int, id_col: str, value_col: str, kwargs: dict):
    return frames.forecast_many(pdf, h, id_col=id_col, time_col=None, value_col=value_col, n_jobs=1,
                                progress=False, **kwargs)


def dask_forecast_many(ddf: Any, h: int, season_length: int | None = None, level: float = 95.0, *,
                       id_col: str = "unique_id", value_col: str = "y", **kwargs: Any):
    """:func:`scaleplan.forecast_many` on a ``dask.dataframe``, one partition of whole series per task.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        ``id_col`` and ``value_col``, in time order within a series; it is shuffled by ``id_col`` first
        so that each series lies in one partition.
    h, season_length, level, **kwargs
        As :func:`scaleplan.forecast_many` (``model``, ``thorough``).

    Returns
    -------
    dask.dataframe.DataFrame
        ``unique_id``, ``h``, ``mean``, ``lower``, ``upper``, ``model`` (lazy: ``.compute()``).

    Examples
    --------
    >>> import dask.dataframe as dd, numpy as np, pandas as pd, scaleplan.distributed as sd
    >>> df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 36), "y": np.r_[np.arange(36.0) + 10, np.full(36, 5.0)]})
    >>> f = sd.dask_forecast_many(dd.from_pandas(df, npartitions=2), 3).compute()
    >>> sorted(f["unique_id"].unique().tolist()), len(f)
    (['a', 'b'], 6)
    """
    import pandas as pd

    meta = pd.DataFrame({id_col: pd.Series(dtype="object"), "h": pd.Series(dtype="int64"),
                         "mean": pd.Series(dtype="float64"), "lower": pd.Series(dtype="float64"),
                         "upper": pd.Series(dtype="float64"), "model": pd.Series(dtype="object")})
    kw = {"season_length": season_length, "level": level, **kwargs}
    return ddf.shuffle(on=id_col).map_partitions(_forecasts, h, id_col, value_col, kw, meta=meta)


def dask_detect_many(ddf: Any, *, id_col: str = "unique_id", time_col: str | None = "ds",
                     value_col: str = "y", method: str = "auto", **params: Any):
    """:func:`scaleplan.detect_many` on a ``dask.dataframe``, one partition of whole series per task.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        ``id_col``, ``time_col`` (optional) and ``value_col``; shuffled by ``id_col`` first.
    method, **params
        As :func:`scaleplan.detect`.

    Returns
    -------
    dask.dataframe.DataFrame
        One row per alert: ``unique_id``, ``kind``, ``severity``, ``start_index``, ``end_index``,
        ``time`` (seconds since the epoch when ``ds`` holds datetimes), ``observed``, ``expected``,
        ``score``, ``reason``.

    Examples
    --------
    >>> import dask.dataframe as dd, numpy as np, pandas as pd, scaleplan.distributed as sd
    >>> y = np.full(600, 10.0); y[450] = 90
    >>> df = pd.DataFrame({"unique_id": ["a"] * 300 + ["b"] * 300, "y": y})
    >>> a = sd.dask_detect_many(dd.from_pandas(df, npartitions=2), time_col=None,
    ...                         method="baseline_ratio", window=7).compute()
    >>> a[["unique_id", "start_index"]].values.tolist()
    [['b', 150]]
    """
    import pandas as pd

    meta = pd.DataFrame({id_col: pd.Series(dtype="object"),
                         **{c: pd.Series(dtype=t) for c, t in _ALERT_COLUMNS.items()}})
    return ddf.shuffle(on=id_col).map_partitions(_alerts, id_col, time_col, value_col, method, params,
                                                 meta=meta)


def spark_forecast_many(sdf: Any, h: int, season_length: int | None = None, level: float = 95.0, *,
                        id_col: str = "unique_id", value_col: str = "y", order_col: str | None = "ds",
                        **kwargs: Any):
    """:func:`scaleplan.forecast_many` on a Spark DataFrame: ``groupBy(id_col).applyInPandas``.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        ``id_col``, ``value_col`` and ``order_col`` (the time order within a series: Spark keeps none).
    h, season_length, level, **kwargs
        As :func:`scaleplan.forecast_many`.

    Returns
    -------
    pyspark.sql.DataFrame
        ``unique_id`` (string), ``h``, ``mean``, ``lower``, ``upper``, ``model``.

    Examples
    --------
    >>> from pyspark.sql import SparkSession                               # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()      # doctest: +SKIP
    >>> sdf = spark.createDataFrame(df)           # unique_id, ds, y        # doctest: +SKIP
    >>> sd.spark_forecast_many(sdf, 12, season_length=12).toPandas()       # doctest: +SKIP
    """
    kw = {"season_length": season_length, "level": level, **kwargs}

    def one(pdf):
        if order_col is not None:
            pdf = pdf.sort_values(order_col, kind="stable")
        pdf = pdf.assign(**{id_col: pdf[id_col].astype(str)})
        return _forecasts(pdf, h, id_col, value_col, kw)

    schema = f"{id_col} string, h long, mean double, lower double, upper double, model string"
    return sdf.groupBy(id_col).applyInPandas(one, schema=schema)


def spark_detect_many(sdf: Any, *, id_col: str = "unique_id", time_col: str | None = "ds",
                      value_col: str = "y", method: str = "auto", **params: Any):
    """:func:`scaleplan.detect_many` on a Spark DataFrame: ``groupBy(id_col).applyInPandas``.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        ``id_col``, ``time_col`` (optional; the points' times, in any order) and ``value_col``.
    method, **params
        As :func:`scaleplan.detect`.

    Returns
    -------
    pyspark.sql.DataFrame
        The columns of :func:`dask_detect_many`, ``unique_id`` as a string.

    Examples
    --------
    >>> sdf = spark.createDataFrame(df)           # unique_id, ds, y        # doctest: +SKIP
    >>> sd.spark_detect_many(sdf).toPandas()      # one row per alert      # doctest: +SKIP
    """
    def one(pdf):
        pdf = pdf.assign(**{id_col: pdf[id_col].astype(str)})
        return _alerts(pdf, id_col, time_col, value_col, method, params)

    types = {"object": "string", "int64": "long", "float64": "double"}
    schema = ", ".join([f"{id_col} string", *(f"{c} {types[t]}" for c, t in _ALERT_COLUMNS.items())])
    return sdf.groupBy(id_col).applyInPandas(one, schema=schema)
