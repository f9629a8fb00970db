"""Real exports into detect: pandas indexes (naive and timezone-aware), datetime objects, repeated
timestamps, clock steps backwards, calendar months; and the calibrated detector's explanation."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

import scaleplan


def test_a_series_datetimeindex_is_used_as_the_timestamps():
    idx = pd.date_range("2026-01-01", periods=60, freq="5min")
    s = pd.Series(np.full(60, 10.0), index=idx)
    s.iloc[40] = 50.0
    d = scaleplan.detect(s, method="baseline_ratio")
    assert d.step == 300.0
    assert d.alerts[0]["time"] == pytest.approx(idx[40].timestamp())
    # with a gap in the index, the gap is missing periods
    d = scaleplan.detect(s.drop(idx[10:13]), method="baseline_ratio")
    assert d.missing == 3


def test_timezone_aware_times_are_utc():
    idx = pd.date_range("2026-03-28", periods=96, freq="h", tz="Europe/Paris")
    naive = idx.tz_convert("UTC").tz_localize(None)
    x = np.full(96, 10.0)
    x[80] = 40.0
    a = scaleplan.detect(x, timestamps=idx, method="baseline_ratio")
    b = scaleplan.detect(x, timestamps=naive, method="baseline_ratio")
    assert a.step == b.step == 3600.0
    assert a.alerts[0]["time"] == b.alerts[0]["time"] == pytest.approx(idx[80].timestamp())
    # an aware Series of times, and datetime objects
    c = scaleplan.detect(x, timestamps=pd.Series(idx), method="baseline_ratio")
    objs = [t.to_pydatetime() for t in idx]
    e = scaleplan.detect(x, timestamps=objs, method="baseline_ratio")
    assert c.alerts[0]["time"] == e.alerts[0]["time"] == a.alerts[0]["time"]
    assert isinstance(objs[0], dt.datetime)


def test_repeated_and_backward_timestamps_are_combined_and_sorted():
    t = np.arange(40) * 300.0
    t[[20, 21]] = t[[21, 20]]
    t = np.insert(t, 26, t[25])
    x = np.full(41, 10.0)
    x[31] = 50.0
    d = scaleplan.detect(x, timestamps=t, method="baseline_ratio")
    assert d.ingest == {
        "grid": "seconds",
        "out_of_order": 1,
        "aggregated": 1,
        "aggregate": "mean",
        "periods": 40,
    }
    assert np.flatnonzero(d.flags).tolist() == [31]
    s = scaleplan.detect(x, timestamps=t, method="baseline_ratio", aggregate="sum")
    assert s.ingest["aggregate"] == "sum" and s.flags[25] and s.flags[26]
    with pytest.raises(scaleplan.ScaleplanError) as e:
        scaleplan.detect(x, timestamps=t, aggregate="median")
    assert e.value.code == "unknown_variant"
    with pytest.raises(scaleplan.ScaleplanError) as e:
        scaleplan.detect([1.0, 2.0], timestamps=[0.0, float("nan")])
    assert e.value.code == "not_finite"


@pytest.mark.parametrize("freq", ["MS", "ME", "QS"])
def test_calendar_months_and_quarters(freq):
    idx = pd.date_range("2020-01-01", periods=36, freq=freq)
    s = pd.Series(np.linspace(100, 200, 36), index=idx)
    d = scaleplan.detect(s)
    assert d.ingest["grid"] == ("quarter" if freq == "QS" else "month")
    assert d.ingest["periods"] == 36 and d.missing == 0


def test_the_calibrated_default_explains_its_threshold():
    rng = np.random.default_rng(4)
    x = 100 + rng.normal(0, 1, 5000)
    x[4000] += 12
    d = scaleplan.detect(x)
    assert d.method.startswith("calibrated")
    firsts = [a["start_index"] for a in d.alerts]
    # the alert budget: about one false alarm per 10,000 periods, so none expected here
    assert firsts == [4000]
    a = d.alerts[0]
    assert "calibrated threshold" in a["reason"] and "one false alarm per 10000 periods" in a["reason"]
    # the stream gives the same alerts
    st = scaleplan.DetectorStream()
    events = [st.push(v) for v in x]
    opened = [e["alert"]["start_index"] for e in events if e and e["event"] == "opened"]
    assert opened == firsts
    # heavy tails (Student t, 3 df) learnt as such: the spike is found, at most a few false alarms
    t3 = 100 + rng.standard_t(3, 5000)
    t3[4000] += 80
    d = scaleplan.detect(t3)
    assert 4000 in [a["start_index"] for a in d.alerts] and len(d.alerts) <= 3


def test_a_stream_takes_an_export_point_by_point_as_the_batch_form_does():
    rng = np.random.default_rng(8)
    t, v = [], []
    for i in range(3000):
        base = 1.7e9 + 300.0 * i
        x = 100 + rng.normal(0, 1) + (15 if i == 2500 else 0)
        if i % 97 == 0:  # a repeated export
            t.append(base)
            v.append(x + 0.5)
        if i % 101 == 0:  # a clock step backwards within the period
            t += [base + 120.0, base]
            v += [x - 0.5, x]
            continue
        t.append(base)
        v.append(x)
    t, v = np.array(t), np.array(v)
    batch = scaleplan.detect(v, timestamps=t, method="calibrated", season_length=None, aggregate="max")
    st = scaleplan.DetectorStream("calibrated", aggregate="max", step=300.0)
    events = [e for ti, x in zip(t, v) for e in st.push_at(ti, x)] + st.flush()
    opened = [e["alert"]["time"] for e in events if e["event"] == "opened"]
    assert opened == [a["time"] for a in batch.alerts]
    assert 1.7e9 + 300.0 * 2500 in opened
    assert st.ingest == {
        "aggregated": batch.ingest["aggregated"],
        "out_of_order": batch.ingest["out_of_order"],
        "late": 0,
    }
    # a point for a period already scored is counted, not an error
    assert st.push_at(t[0], 1.0) == [] and st.ingest["late"] == 1
    # the open period survives a save
    st2 = scaleplan.DetectorStream.from_json(st.to_json())
    assert st2.ingest == st.ingest
    with pytest.raises(scaleplan.InvalidInputError, match="step"):
        scaleplan.DetectorStream("calibrated", step=0.0)
    with pytest.raises(scaleplan.ScaleplanError, match="aggregate"):
        scaleplan.DetectorStream("calibrated", aggregate="median")
