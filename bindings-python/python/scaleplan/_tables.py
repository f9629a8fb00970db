"""Results as tables: ``to_pandas()``, ``to_polars()`` and the HTML view Jupyter shows (``_repr_html_``).
Conversion only: every number is the core's, every row one the result holds; times in seconds become
datetimes (UTC), money stays ``decimal.Decimal``.
"""
from __future__ import annotations

import html
from typing import Any

import numpy as np

__all__ = ["to_pandas", "to_polars"]

_TIME_FIELDS = ("time", "end", "peak_time")
# RFC 3339 text fields of the rollout log (decisions, audit events, progress).
_ISO_FIELDS = ("at", "start", "end", "opened_at", "resolved_at", "started_at", "eta", "window_end")


def _log_frame(rows: list):
    """Decisions or audit events (a list of dicts) as one row each: nested states flattened
    (``before_phase``, ``after_state``), the reasons' codes as ``reason_codes``, RFC 3339 times as UTC
    datetimes."""
    import pandas as pd

    flat = []
    for r in rows:
        out = {}
        for k, v in r.items():
            if isinstance(v, dict):
                for k2, v2 in v.items():
                    out[f"{k}_{k2}"] = v2
            else:
                out[k] = v
            if k == "reasons" and isinstance(v, list):
                out["reason_codes"] = ",".join(str(x.get("code", "")) for x in v if isinstance(x, dict))
        flat.append(out)
    df = pd.DataFrame(flat)
    for c in df.columns:
        if c in _ISO_FIELDS or c.endswith("_at") or c.endswith("_since"):
            if df[c].map(lambda x: x is None or isinstance(x, str)).all():
                df[c] = pd.to_datetime(df[c], utc=True, format="ISO8601")
    return df


def _rows_frame(rows: list, seconds: bool = False):
    import pandas as pd

    df = pd.DataFrame(rows)
    if seconds:
        for c in _TIME_FIELDS:
            if c in df:
                df[c] = pd.to_datetime(df[c], unit="s", utc=True)
    return df


def _record_rows(kind: str, d: dict):
    """The table a record is: the list its rows are in, or its scalar fields as one row."""
    table = {
        "Readiness": "reasons",
        "ResourceEstimate": "line_items",
        "CostTotals": "line_items",
        "TriggerReport": "triggers",
        "MilestonePlan": "milestones",
    }.get(kind)
    if table is not None and isinstance(d.get(table), list):
        return d[table]
    lists = [v for v in d.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    if len(lists) == 1:
        return lists[0]
    return [{k: v for k, v in d.items() if not isinstance(v, (list, dict))}]


def to_pandas(result: Any):
    """A scaleplan result as a pandas DataFrame.

    Parameters
    ----------
    result
        A ``Detection`` (one row per alert), ``Forecast`` (``h``, ``mean``, ``lower``, ``upper``), a
        ``Record`` (a readiness result: its reasons; an estimate: its line items, with ``Decimal``
        columns; other records: the rows they hold), or a dict from ``backtest`` (one row per window) or
        ``budget_status``, or a list of dicts: ``RolloutService.decisions()`` and ``.audit()`` (one row
        per decision or event, nested states flattened to ``before_state`` ..., ``reason_codes``, times
        as UTC datetimes).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    TypeError
        For an object that is not a scaleplan result.

    Examples
    --------
    >>> import numpy as np, scaleplan
    >>> f = scaleplan.forecast(np.arange(24.0) + 10, 3)
    >>> list(scaleplan.to_pandas(f).columns)
    ['h', 'mean', 'lower', 'upper']
    """
    import pandas as pd

    name = type(result).__name__
    if name == "Detection":
        return _rows_frame(result.alerts, seconds=result.step is not None)
    if name == "Forecast":
        h = len(result.mean)
        return pd.DataFrame(
            {"h": np.arange(1, h + 1), "mean": result.mean, "lower": result.lower, "upper": result.upper}
        )
    if name == "Exhaustion":
        return to_pandas(result.forecast)
    if name == "Record":
        return _rows_frame(_record_rows(result.kind, result.to_dict()))
    if isinstance(result, dict):
        if "windows" in result and "horizon" in result:  # a backtest
            rows = [
                {
                    "window": k,
                    "cutoff": w["cutoff"],
                    "model": w["model"],
                    **w["accuracy"],
                    **{f"benchmark_{a}": b for a, b in w["benchmark"].items()},
                }
                for k, w in enumerate(result["windows"])
            ]
            return pd.DataFrame(rows)
        lists = [v for v in result.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1:
            return pd.DataFrame(lists[0])
        return pd.DataFrame([{k: v for k, v in result.items() if not isinstance(v, (list, dict))}])
    if isinstance(result, list) and all(isinstance(r, dict) for r in result):
        return _log_frame(result)
    raise TypeError(f"to_pandas takes a scaleplan result, got {name}")


def to_polars(result: Any):
    """A scaleplan result as a polars DataFrame: the columns of :func:`to_pandas` (``Decimal`` money
    as polars decimals, datetimes as datetimes).

    Parameters
    ----------
    result
        As :func:`to_pandas`.

    Returns
    -------
    polars.DataFrame

    Examples
    --------
    >>> import numpy as np, scaleplan
    >>> f = scaleplan.forecast(np.arange(24.0) + 10, 3)
    >>> scaleplan.to_polars(f).columns
    ['h', 'mean', 'lower', 'upper']
    """
    import polars as pl

    df = to_pandas(result)
    return pl.DataFrame({c: df[c].tolist() for c in df.columns})


def _table_html(df, limit: int = 10) -> str:
    if df.empty:
        return "<p><em>none</em></p>"
    more = "" if len(df) <= limit else f"<p>… {len(df) - limit} more rows: <code>to_pandas()</code></p>"
    return df.head(limit).to_html(index=False, border=0) + more


def repr_html(result: Any) -> str:
    """The summary Jupyter shows for a result."""
    name = type(result).__name__
    esc = html.escape
    if name == "Detection":
        head = (f"<b>Detection</b>: {esc(result.method)}; {len(result.flags)} points, "
                f"{len(result.alerts)} alert(s), {result.missing} missing")
        cols = [c for c in ("time", "kind", "severity", "observed", "expected", "score", "reason")]
        df = to_pandas(result)
        return f"<div>{head}{_table_html(df[[c for c in cols if c in df]] if not df.empty else df)}</div>"
    if name == "Forecast":
        head = f"<b>Forecast</b>: {esc(result.model)}, {len(result.mean)} periods, {result.level:g} % interval"
        return f"<div>{head}{_table_html(to_pandas(result), 12)}</div>"
    if name == "Record":
        d = result.to_dict()
        if result.kind == "Readiness":
            verdict = "ready to scale" if d["ready"] else "not ready to scale"
            head = f"<b>Readiness</b>: <b>{verdict}</b>"
            return f"<div>{head}{_table_html(to_pandas(result), 20)}</div>"
        if result.kind == "ResourceEstimate":
            totals = d.get("totals", {})
            parts = ", ".join(f"{esc(str(k))} {esc(str(v))}" for k, v in totals.items()
                              if not isinstance(v, (list, dict)))
            head = (f"<b>Estimate</b>: {d.get('original_users')} → {d.get('target_users')} users, "
                    f"{esc(str(d.get('currency')))}; {parts}")
            return f"<div>{head}{_table_html(to_pandas(result), 20)}</div>"
        return f"<div><b>{esc(result.kind)}</b>{_table_html(to_pandas(result))}</div>"
    return f"<pre>{esc(repr(result))}</pre>"
