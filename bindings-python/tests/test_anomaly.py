"""Anomaly detection and forecasting through the Python binding: shapes, dtypes, errors, round trips."""
import math

import numpy as np
import pytest

import scaleplan


def test_detect_returns_numpy_arrays_and_one_alert_per_anomaly():
    y = np.full(60, 100.0)
    y[30:34] = 400.0
    d = scaleplan.detect(y, method="baseline_ratio", window=7, ratio=1.5)
    assert d.flags.dtype == np.bool_ and d.scores.dtype == np.float64 and len(d.expected) == 60
    assert d.flags[30] and not d.flags[10]
    assert len(d.alerts) == 1 and d.alerts[0]["kind"] == "spike"
    assert d.alerts[0]["reason"] == "400 is 4.00x the trailing 7-period mean 100 (threshold 1.5x)"
    assert math.isnan(d.expected[0])  # no baseline yet


def test_result_arrays_are_made_once_read_only_and_match_to_dict():
    # An attribute read costs nothing (no copy of a million-point array on every `d.scores[i]`), and
    # the frozen result cannot be changed through its arrays.
    y = np.full(40, 10.0)
    y[25] = 50.0
    d = scaleplan.detect(y, method="robust_z", window=10)
    assert d.scores is d.scores and d.flags is d.flags and d.expected is d.expected
    assert d.alerts is d.alerts and len(d.alerts) == 1 and d.alerts[0]["start_index"] == 25
    for a in (d.flags, d.scores, d.expected):
        assert not a.flags.writeable
        with pytest.raises(ValueError):
            a[0] = a[1]
    whole = d.to_dict()
    assert whole["flags"] == d.flags.tolist() and whole["scores"] == d.scores.tolist()
    assert [None if math.isnan(v) else v for v in d.expected] == whole["expected"]
    assert "flagged=1" in repr(d)
    f = scaleplan.forecast(np.arange(30.0) + 5, 6)
    assert f.mean is f.mean and not f.upper.flags.writeable
    assert f.to_dict()["lower"] == f.lower.tolist()
    e = scaleplan.exhaustion(np.arange(24) * 2.0 + 50, 120.0, 36)
    assert e.forecast is e.forecast and e.forecast.mean.shape == (36,)


def test_auto_finds_the_daily_season_from_datetime64_timestamps():
    t = np.arange("2026-07-01T00", "2026-07-15T00", dtype="datetime64[h]")
    rng = np.random.default_rng(7)
    y = 100 + 50 * np.sin(np.arange(len(t)) * np.pi / 12) + rng.normal(0, 2, len(t))
    y[24 * 10 + 3] += 40
    d = scaleplan.detect(y, timestamps=t)
    assert d.season_length == 24 and d.step == 3600.0
    assert d.flags[24 * 10 + 3]


def test_stream_agrees_with_batch_and_resumes_from_json():
    rng = np.random.default_rng(3)
    y = rng.normal(50, 5, 500)
    y[300] = 120
    batch = scaleplan.detect(y, method="robust_z", window=50)
    s = scaleplan.DetectorStream("robust_z", window=50)
    events = s.extend(y[:250])
    s = scaleplan.DetectorStream.from_json(s.to_json())
    events += s.extend(y[250:])
    opened = [e for e in events if e["event"] == "opened"]
    assert len(opened) == len(batch.alerts)
    assert [e["alert"]["start_index"] for e in opened] == [a["start_index"] for a in batch.alerts]
    # extend refuses an infinity before pushing anything.
    before = s.periods
    with pytest.raises(scaleplan.InvalidInputError) as e:
        s.extend([1.0, float("inf")])
    assert e.value.code == "not_finite" and "values[1]" in str(e.value)
    assert s.periods == before


def test_a_stronger_anomaly_escalates_in_the_refractory_period_in_batch_and_stream():
    # a first incident, then 100 periods later (inside the 288-period refractory period, past the
    # 48-period scale) one far stronger: raised, and explained; a stream resumed between them agrees
    rng = np.random.default_rng(5)
    y = 100 + rng.uniform(-5, 5, 4000)
    y[2000] = 175.0
    y[2100] = 1100.0
    d = scaleplan.detect(y, method="calibrated")
    assert [a["start_index"] for a in d.alerts] == [2000, 2100]
    assert "raised in the refractory period of an earlier alert" in d.alerts[1]["reason"]
    assert "refractory" not in d.alerts[0]["reason"]
    s = scaleplan.DetectorStream("calibrated")
    events = s.extend(y[:2050])
    s = scaleplan.DetectorStream.from_json(s.to_json())
    events += s.extend(y[2050:])
    assert [e["alert"]["start_index"] for e in events if e["event"] == "opened"] == [2000, 2100]
    # a second incident no stronger than the first stays inside the first one's refractory period
    y[2100] = 160.0
    assert [a["start_index"] for a in scaleplan.detect(y, method="calibrated").alerts] == [2000]


def test_detector_errors_are_typed():
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.detect([1.0, float("inf")])
    assert e.value.code == "not_finite"
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.detect([1.0, 2.0], method="robust_z", window=0)
    assert e.value.code == "out_of_range"
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.detect([1.0, 2.0], method="nope")
    assert e.value.code == "json"
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.detect([1.0, 2.0, 3.0, 4.0], timestamps=[0.0, 60.0, 120.0, 6.0e6])
    assert e.value.code == "invalid_timestamps"


def test_regression_and_budget():
    base = np.linspace(100, 150, 200)
    r = scaleplan.regression(base, base * 1.2)
    assert r["regressed"] and r["p_value"] < 1e-6
    budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
    entries = [{"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
                "service": "api", "team": "core"} for d in range(1, 21)]
    s = scaleplan.budget_status(budget, entries, "2026-06-20")
    assert str(s["spent"]["amount"]) == "2000.00"
    assert [a["threshold"] for a in s["alerts"] if a["kind"] == "threshold"] == [50]


def test_forecast_growth_exhaustion_and_savings():
    t = np.arange(72)
    y = (1000 + 10 * t) * (1 + 0.2 * np.sin(2 * np.pi * t / 12))
    f = scaleplan.forecast(y, 12, season_length=12)
    assert f.model.startswith("ETS(") and f.mean.shape == (12,)
    assert np.all(f.lower <= f.mean) and np.all(f.mean <= f.upper)
    assert f.season_length != 12 or f.params["initial_season"] in ("first_seasons", "whole_series")
    assert scaleplan.forecast(np.arange(30.0) + 5, 6).params["initial_season"] is None
    naive = scaleplan.forecast(y, 12, season_length=12, model="seasonal_naive")
    assert naive.model == "SeasonalNaive(12)" and naive.mean[0] == y[-12]
    g = scaleplan.growth_rate([100, 110, 121, 133])
    assert abs(g.rate - 0.0997) < 1e-3 and g.ci[0] < g.rate < g.ci[1] and g.confidence > 0.99
    e = scaleplan.exhaustion(np.arange(24) * 2.0 + 50, 120.0, 36)
    assert e.period == 12 and e.upper_period is not None and e.upper_period <= 12
    assert scaleplan.exhaustion(np.full(24, 10.0) + np.arange(24) % 2, 1e6, 12).period is None
    recs = scaleplan.savings(
        [{"id": "web", "units": 10, "unit_monthly_cost": {"amount": "70.00", "currency": "USD"},
          "utilisation": [12, 15, 18, 14, 16, 13, 17], "observed_days": 30, "reserved_discount": "0.30"}],
        {"as_of": "2026-07-01"})
    assert [str(r["monthly_saving"]["amount"]) for r in recs] == ["490.00", "63.00"]
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.forecast([1.0], 3)
    assert err.value.code == "too_few_observations"


def test_budget_tracker_records_alerts_once_and_resumes_from_json():
    budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
    t = scaleplan.BudgetTracker(budget)
    fired = []
    for d in range(1, 21):
        if d == 10:
            t = scaleplan.BudgetTracker.from_json(t.to_json())
        fired += t.record({"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
                           "service": "api", "team": "core"})
    assert [a["threshold"] for a in fired if a["kind"] == "threshold"] == [50]
    s = t.status("2026-06-20")
    assert str(s["spent"]["amount"]) == "2000.00"
    with pytest.raises(scaleplan.ScaleplanError) as err:
        t.record({"date": "2026-06-19", "amount": {"amount": "1.00", "currency": "USD"},
                  "service": "api", "team": "core"})
    assert err.value.code == "invalid_timestamps"
    with pytest.raises(scaleplan.ScaleplanError) as err:
        t.record({"date": "2026-06-21", "amount": {"amount": "1.00", "currency": "EUR"},
                  "service": "api", "team": "core"})
    assert err.value.code == "currency_mismatch"
    edited = t.to_json().replace('"3000.00"', '"0"')
    with pytest.raises(scaleplan.ScaleplanError):
        scaleplan.BudgetTracker.from_json(edited)


def test_recommendation_lifecycle_steps():
    recs = scaleplan.savings(
        [{"id": "web", "units": 10, "unit_monthly_cost": {"amount": "70.00", "currency": "USD"},
          "utilisation": [12, 15, 18, 14, 16, 13, 17], "observed_days": 30, "reserved_discount": "0.30"}],
        {"as_of": "2026-07-01"})
    r = scaleplan.recommendation_step(recs[0], "approve", "2026-07-01", "lead")
    assert r["status"] == "approved" and recs[0]["status"] == "pending"
    r = scaleplan.recommendation_step(r, "implement", "2026-07-03", "sre")
    assert r["status"] == "implemented" and [h["actor"] for h in r["history"]][-2:] == ["lead", "sre"]
    with pytest.raises(scaleplan.IllegalTransitionError) as err:
        scaleplan.recommendation_step(r, "reject", "2026-07-04", "cfo")
    assert err.value.code == "illegal_transition"
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.recommendation_step(recs[0], "undo", "2026-07-01")
    assert err.value.code == "unknown_variant"
    expired = scaleplan.recommendation_step(recs[0], "expire", recs[0]["expires"])
    assert expired["status"] == "expired"


def test_backtest_matches_statsforecast_cross_validation():
    # testdata/forecast/backtest.json: statsforecast cross_validation + utilsforecast losses (1e-9).
    import json
    from conftest import ROOT

    fx = json.loads((ROOT / "testdata/forecast/backtest.json").read_text())
    for case in fx["cases"]:
        b = scaleplan.backtest(np.array(case["values"]), case["horizon"], case["season_length"],
                               windows=case["windows"], step=case["step"], model="seasonal_naive")
        assert [w["cutoff"] for w in b["windows"]] == [e["cutoff"] for e in case["expected"]]
        for w, e in zip(b["windows"], case["expected"]):
            np.testing.assert_allclose(w["mean"], e["mean"], rtol=1e-9)
            np.testing.assert_allclose(w["upper"], e["upper"], rtol=1e-9)
            assert abs(w["accuracy"]["smape"] - e["smape"]) <= 1e-9 * e["smape"]
            assert abs(w["accuracy"]["mase"] - e["mase"]) <= 1e-9 * e["mase"]
            assert w["accuracy"]["coverage"] == pytest.approx(e["coverage"], rel=1e-12)
    t = np.arange(96)
    y = (500 + 3 * t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12))
    b = scaleplan.backtest(y, 12, 12)
    assert b["step"] == 12 and [w["cutoff"] for w in b["windows"]] == [60, 72, 84]
    assert all(w["model"].startswith("ETS(") for w in b["windows"])
    assert b["accuracy"]["mase"] < b["benchmark"]["mase"] and "beats the seasonal-naive" in b["summary"]
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.backtest(y, 12, 12, windows=0)
    assert err.value.code == "out_of_range"
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.backtest(y[:30], 12, 12, windows=3)
    assert err.value.code == "too_few_observations"


def test_auto_takes_the_alert_budget():
    rng = np.random.default_rng(3)
    x = 50 + rng.normal(0, 1, 3000)
    d = scaleplan.detect(x, expected_false_alarms_per=2000)
    assert "expected_false_alarms_per=2000" in d.method
    assert "expected_false_alarms_per=10000" in scaleplan.detect(x).method
    # short series: the fixed rule's cut-off allows for the 50-value window's own error, to two decimals
    # (scipy: t.isf(0.00025, 0.3675 * 50) * sqrt(1 + pi / 100) = 4.2808)
    assert scaleplan.detect(x[:500], expected_false_alarms_per=2000).method.startswith(
        "robust_z(window=50, threshold=4.28"
    )
    assert scaleplan.detect(x[:500]).method.startswith("robust_z(window=50, threshold=5.02")
    # and keeps the budget on Gaussian noise: 400 series of 1,100 periods, about 42 alerts expected
    noise = 100 + rng.normal(0, 1, (400, 1100))
    alerts = scaleplan.detect_many((noise.ravel(), np.arange(0, noise.size + 1, 1100)), progress=False)
    assert 20 <= len(alerts) <= 85
    with pytest.raises(scaleplan.InvalidInputError, match="expected_false_alarms_per"):
        scaleplan.detect(x, expected_false_alarms_per=5)
