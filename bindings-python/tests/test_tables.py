"""Results as tables (to_pandas, to_polars) and Jupyter's HTML view: every row is the result's own,
times as datetimes, money as Decimal."""
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scaleplan

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def detection():
    y = 100 + np.random.default_rng(1).normal(0, 1, 2000)
    y[1500] += 20
    t = pd.date_range("2026-05-01", periods=2000, freq="5min")
    return scaleplan.detect(y, timestamps=t)


def test_a_detection_is_its_alerts_with_datetimes():
    d = detection()
    df = d.to_pandas()
    assert len(df) == len(d.alerts) and df["start_index"].tolist() == [a["start_index"] for a in d.alerts]
    assert str(df["time"].dt.tz) == "UTC"
    assert df["time"].iloc[0] == pd.Timestamp("2026-05-01", tz="UTC") + pd.Timedelta(minutes=5 * 1500)
    html = d._repr_html_()
    assert "<table" in html and "calibrated" in html and "alert(s)" in html
    assert scaleplan.to_pandas(d).equals(df)


def test_a_forecast_is_its_periods_and_bands():
    f = scaleplan.forecast(100 + np.arange(48.0), 6)
    df = f.to_pandas()
    assert df["h"].tolist() == [1, 2, 3, 4, 5, 6]
    np.testing.assert_array_equal(df["upper"].to_numpy(), f.upper)
    assert "Forecast" in f._repr_html_() and f.model in f._repr_html_()
    e = scaleplan.exhaustion(100 + np.arange(48.0), 150.0, 12)
    assert e.to_pandas().equals(e.forecast.to_pandas())


def test_records_readiness_and_estimate():
    ready = scaleplan.assess_readiness((DATA / "experiment.json").read_text(), (DATA / "policy.json").read_text())
    df = ready.to_pandas()
    assert df["rule"].tolist() == [r["rule"] for r in ready.reasons]
    assert "ready to scale" in ready._repr_html_()
    catalog = scaleplan.load_catalog((DATA / "catalog.toml").read_text())
    est = scaleplan.estimate(json.loads((DATA / "estimate.json").read_text())["request"], catalog)
    items = est.to_pandas()
    assert isinstance(items["unit_price"].iloc[0], Decimal)
    assert items["name"].tolist() == [i["name"] for i in est.line_items]
    assert "Estimate" in est._repr_html_()


def test_a_backtest_dict_and_polars():
    y = 100 + 5 * np.sin(np.arange(120) * np.pi / 6)
    b = scaleplan.backtest(y, 12, season_length=12, windows=2)
    df = scaleplan.to_pandas(b)
    assert df["smape"].tolist() == [w["accuracy"]["smape"] for w in b["windows"]]
    pl = pytest.importorskip("polars")
    f = scaleplan.forecast(y, 6)
    p = f.to_polars()
    assert isinstance(p, pl.DataFrame) and p["mean"].to_list() == f.mean.tolist()
    catalog = scaleplan.load_catalog((DATA / "catalog.toml").read_text())
    est = scaleplan.estimate(json.loads((DATA / "estimate.json").read_text())["request"], catalog)
    assert est.to_polars()["unit_price"].dtype == pl.Decimal or str(est.to_polars()["unit_price"].dtype).startswith("Decimal")
    with pytest.raises(TypeError, match="scaleplan result"):
        scaleplan.to_pandas(3)


def test_reprs_are_python_not_rust():
    e = scaleplan.exhaustion(100 + np.arange(48.0), 120.0, 24)
    assert repr(e) == "Exhaustion(period=1, upper_period=1)"
    never = scaleplan.exhaustion(100 + np.arange(48.0), 1e9, 6)
    assert repr(never) == "Exhaustion(period=None, upper_period=None)"


def test_rollout_decisions_and_audit_as_tables():
    import test_rollout as ro

    svc = scaleplan.RolloutService(None, rollback_secs=90)
    svc.create("R-1", ro.SHORT, ro.CAROL, ro.at(0))
    svc.execute("R-1", {"kind": "start", "actor": ro.CAROL}, ro.at(0))
    for i in range(3):
        svc.observe("R-1", ro.at(5 * i + 5), ro.window(i), [ro.at(5 * i + 5)], actor=ro.MONITOR)
    decisions = svc.decisions("R-1")
    d = scaleplan.to_pandas(decisions)
    assert len(d) == len(decisions) and d["version"].tolist() == [x["version"] for x in decisions]
    assert str(d["at"].dtype) == "datetime64[ns, UTC]"
    assert d["at"].iloc[0] == pd.Timestamp("2025-06-02T00:05:00Z")
    assert d["reason_codes"].iloc[0] == "min_duration_not_elapsed,insufficient_windows"
    assert d["decision"].tolist() == [x["decision"] for x in decisions]
    events = svc.audit("R-1")
    a = scaleplan.to_pandas(events)
    assert a["seq"].tolist() == list(range(1, len(events) + 1))
    assert a["after_state"].tolist() == [e["after"]["state"] for e in events]
    assert a["before_phase"].tolist() == [e["before"]["phase"] for e in events]
    assert a["hash"].tolist() == [e["hash"] for e in events]
    pl = pytest.importorskip("polars")
    p = scaleplan.to_polars(events)
    assert p["action"].to_list() == [e["action"] for e in events]
    assert p["at"].dtype.is_temporal()
    with pytest.raises(TypeError, match="scaleplan result"):
        scaleplan.to_pandas([1, 2])
