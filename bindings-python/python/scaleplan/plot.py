"""Plots of scaleplan results with matplotlib (an optional dependency: ``pip install matplotlib``). Each
function draws on ``ax`` (a new figure's axes by default) and returns the Axes. Drawing only: every
number drawn is the result's own (money as ``Decimal`` is converted to float for the axis only).
"""
from __future__ import annotations

import json
from typing import Any, Sequence

import numpy as np

__all__ = ["forecast", "alerts", "budget", "rollout"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(9, 3.5))
    return ax


def forecast(history: Any, result: Any, *, backtest: dict | None = None, ax=None, label: str = "history"):
    """A series, its forecast and the forecast's band; a backtest's origins and window forecasts.

    Parameters
    ----------
    history : array-like
        The values the forecast was made from.
    result : scaleplan.Forecast
        ``scaleplan.forecast(history, ...)``.
    backtest : dict, optional
        ``scaleplan.backtest(history, ...)``: each window's origin (a dotted line) and forecast (dashed).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np, scaleplan, scaleplan.plot
    >>> y = 100 + np.arange(48.0)
    >>> ax = scaleplan.plot.forecast(y, scaleplan.forecast(y, 12))
    >>> ax.get_title()
    'Forecast: ETS(A,A,N), 95 % interval'
    """
    ax = _axes(ax)
    y = np.asarray(history, dtype=float)
    n, h = len(y), len(result.mean)
    ax.plot(np.arange(n), y, color="0.25", lw=1.2, label=label)
    x = np.arange(n, n + h)
    ax.fill_between(x, result.lower, result.upper, color="#1f77b4", alpha=0.2, label=f"{result.level:g} % band")
    ax.plot(x, result.mean, color="#1f77b4", lw=1.6, label="forecast")
    if backtest is not None:
        for k, w in enumerate(backtest["windows"]):
            c = w["cutoff"]
            ax.axvline(c, color="0.5", ls=":", lw=1)
            ax.plot(np.arange(c, c + len(w["mean"])), w["mean"], color="#ff7f0e", ls="--", lw=1.2,
                    label="backtest" if k == 0 else None)
    ax.set_title(f"Forecast: {result.model}, {result.level:g} % interval")
    ax.set_xlabel("period")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def alerts(values: Any, detection: Any, *, timestamps: Any = None, ax=None):
    """A series with its alerts: each alert's first point marked, its span shaded.

    Parameters
    ----------
    values : array-like
        The series given to ``scaleplan.detect`` (without timestamps, or with timestamps that need no
        sorting or aggregation, so that points and alerts line up).
    detection : scaleplan.Detection
    timestamps : array-like, optional
        The x axis (datetimes or numbers); periods by default.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np, scaleplan, scaleplan.plot
    >>> y = 100 + np.sin(np.arange(3000) / 7.0)
    >>> y[2500] = 130
    >>> scaleplan.plot.alerts(y, scaleplan.detect(y)).get_title()
    '1 alert(s): calibrated'
    """
    ax = _axes(ax)
    y = np.asarray(values, dtype=float)
    x = np.arange(len(y)) if timestamps is None else np.asarray(timestamps)
    ax.plot(x, y, color="0.3", lw=0.9, label="series")
    ax.plot(x, detection.expected[: len(y)], color="#2ca02c", lw=0.8, alpha=0.8, label="expected")
    for k, a in enumerate(detection.alerts):
        i, j = int(a["start_index"]), int(a["end_index"])
        if i >= len(y):
            continue
        ax.axvspan(x[i], x[min(j, len(y) - 1)], color="#d62728", alpha=0.15)
        ax.scatter([x[i]], [y[i]], color="#d62728", s=24, zorder=3, label="alert" if k == 0 else None)
    ax.set_title(f"{len(detection.alerts)} alert(s): {detection.method.split('(')[0]}")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def budget(status: dict, entries: Sequence[dict], *, ax=None):
    """A budget's burn: the cumulative spend of the period by day, the budget, and the projection at the
    run rate to the period's end.

    Parameters
    ----------
    status : dict
        ``scaleplan.budget_status(budget, entries, as_of)``.
    entries : list of dict
        The cost entries given to it (``date``, ``amount``).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import scaleplan, scaleplan.plot
    >>> budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
    >>> entries = [{"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
    ...             "service": "api", "team": "core"} for d in range(1, 21)]
    >>> status = scaleplan.budget_status(budget, entries, "2026-06-20")
    >>> scaleplan.plot.budget(status, entries).get_title()
    'web: 67 % spent, 100 % projected'
    """
    import pandas as pd

    ax = _axes(ax)
    start, end, as_of = (pd.Timestamp(status[k]) for k in ("period_start", "period_end", "as_of"))
    daily: dict = {}
    for e in entries:
        d = pd.Timestamp(e["date"])
        if start <= d <= as_of:
            daily[d] = daily.get(d, 0.0) + float(e["amount"]["amount"])
    days = sorted(daily)
    spent = np.cumsum([daily[d] for d in days])
    currency = status["budget"]["currency"]
    total = float(status["budget"]["amount"])
    ax.step(days, spent, where="post", color="#1f77b4", label="spent")
    ax.axhline(total, color="#d62728", lw=1, label=f"budget {total:,.0f} {currency}")
    ax.plot([as_of, end], [float(status["spent"]["amount"]), float(status["projected"]["amount"])],
            color="#1f77b4", ls="--", label="projected at the run rate")
    ax.set_xlim(start, end)
    ax.set_ylabel(currency)
    ax.set_title(f"{status['name']}: {status['spent_percent']:.0f} % spent, "
                 f"{status['projected_percent']:.0f} % projected")
    ax.legend(loc="upper left", fontsize=8)
    return ax


_COLOURS = {"advance": "#2ca02c", "resume": "#17becf", "hold": "0.5", "pause": "#ff7f0e",
            "revert": "#9467bd", "rollback": "#d62728", "complete": "#1f77b4"}


def rollout(simulation: Any, *, ax=None):
    """A rollout's timeline: traffic by decision time, each decision marked by kind, phases labelled.

    Parameters
    ----------
    simulation : dict or str
        ``scaleplan.simulate(...)``'s output (JSON text or its dict), or any dict with ``decisions``
        (``at``, ``decision``, ``phase``, ``traffic_pct``).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import json, scaleplan, scaleplan.plot
    >>> at = lambda m: f"2025-06-02T00:{m:02d}:00Z"
    >>> replay = {"plan": {"phases": [{"traffic_pct": 10, "min_duration_secs": 600},
    ...                               {"traffic_pct": 100, "min_duration_secs": 600}]},
    ...           "rollout": {"id": "R-1", "initiator": "carol"},
    ...           "start": {"phase": 1, "attempt_start": at(0), "state": "running", "version": 0},
    ...           "until": at(15),
    ...           "windows": [{"start": at(m), "end": at(m + 5), "requests": 2000, "errors": 4, "p95_ms": 320}
    ...                       for m in (0, 5, 10)],
    ...           "events": [at(m) for m in (0, 5, 10, 15)]}
    >>> scaleplan.plot.rollout(scaleplan.simulate(json.dumps(replay))).get_title()
    'rollout: 3 decisions, final state running'
    """
    import pandas as pd

    ax = _axes(ax)
    sim = json.loads(simulation) if isinstance(simulation, str) else simulation
    ds = sim["decisions"]
    t = [pd.Timestamp(d["at"]) for d in ds]
    traffic = [d["traffic_pct"] for d in ds]
    ax.step(t, traffic, where="post", color="0.3", lw=1.2)
    seen = set()
    for ti, d in zip(t, ds):
        kind = str(d["decision"].get("action") if isinstance(d["decision"], dict) else d["decision"])
        kind = kind.lower()
        c = next((v for k, v in _COLOURS.items() if k in kind), "0.2")
        ax.scatter([ti], [d["traffic_pct"]], color=c, s=22, zorder=3, label=None if kind in seen else kind)
        seen.add(kind)
    last = None
    for ti, d in zip(t, ds):
        if d["phase"] != last:
            ax.annotate(f"phase {d['phase']}", (ti, d["traffic_pct"]), textcoords="offset points",
                        xytext=(2, 6), fontsize=7)
            last = d["phase"]
    ax.set_ylim(0, 105)
    ax.set_ylabel("traffic %")
    ax.set_title(f"rollout: {len(ds)} decisions, final state {sim.get('final', {}).get('state', '?')}")
    ax.legend(loc="upper left", fontsize=8)
    return ax
