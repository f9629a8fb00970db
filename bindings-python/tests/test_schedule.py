"""predictive_schedule / backtest_schedule: the hand-derived cases of core/tests/it/schedule.rs (100 req/s
at night, 700 from 09:00 to 17:00, 0.01 CPU-s per request, linear model at 70 % of 2 vCPU: 1 and 5
instances at $0.10 an hour, seasonal-naive forecast at its median, 5 minutes of pre-warm and delay),
from a pandas Series with an hourly DatetimeIndex."""
from decimal import Decimal

import pandas as pd
import pytest
import scaleplan

CATALOG = scaleplan.load_catalog(
    '{"name": "demo", "currency": "USD", "instances": [{"name": "app.large", "vcpu": 2, "memory_gib": 8, '
    '"hourly": "0.10"}]}', "json")
OPTIONS = {"instance_type": "app.large", "cpu_seconds_per_request": 0.01, "forecast_model": "seasonal_naive",
           "quantile": 0.5}
MODEL = {"model": "linear"}


def load(days):
    idx = pd.date_range("1970-01-01", periods=24 * days, freq="h", tz="UTC")
    return pd.Series([700.0 if 9 <= h % 24 < 17 else 100.0 for h in range(24 * days)], index=idx)


def test_schedule_from_a_series():
    s = scaleplan.predictive_schedule(load(3), None, MODEL, CATALOG, OPTIONS)
    assert len(s["steps"]) == 48
    assert [(a["at"], a["from"], a["to"]) for a in s["actions"]] == [
        ("1970-01-04T08:55:00Z", 1, 5), ("1970-01-04T17:05:00Z", 5, 1),
        ("1970-01-05T08:55:00Z", 1, 5), ("1970-01-05T17:05:00Z", 5, 1)]
    assert s["cost"]["amount"] == Decimal("11.35")
    assert s["reactive_cost"]["amount"] == Decimal("11.275")
    assert s["static_peak_cost"]["amount"] == Decimal("24")
    assert s["reactive_short_periods"] == 2
    only = scaleplan.predictive_schedule(load(3), None, MODEL, CATALOG, {**OPTIONS, "mode": "forecast_only"})
    assert only["actions"] == [] and only["steps"][9]["needed"] == 5


def test_backtest():
    b = scaleplan.backtest_schedule(load(10), None, MODEL, CATALOG, OPTIONS, days=3)
    assert (b["periods"], b["predictive_short_periods"], b["reactive_short_periods"]) == (72, 0, 3)
    assert b["static_peak_cost"]["amount"] == Decimal("36")


def test_errors():
    y = load(3)
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.predictive_schedule(y.to_numpy(), None, MODEL, CATALOG, OPTIONS)
    assert e.value.code == "empty_input"
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.predictive_schedule(y, None, MODEL, CATALOG, {**OPTIONS, "instance_type": "app.huge"})
    assert e.value.code == "unknown_resource"
    with pytest.raises(scaleplan.InvalidInputError) as e:
        scaleplan.predictive_schedule(y.to_numpy(), [0.5] * len(y), MODEL, CATALOG, OPTIONS)
    assert e.value.code == "invalid_timestamps"
