"""Minimum detection quality of the default detector on the evaluation harness's labelled series.

The harness is benches/compare/anomaly_eval.py (seeded series, event-based scoring); its full run (20
seeds) is committed in benches/compare/results/anomaly_eval.md. Here 6 seeds per scenario; the floors
sit about 0.1 under what those seeds give (auto: precision 0.82, recall 0.75 overall with the
short-series cut-off that allows for the window's error; 0.69 and 0.85 with the old cut-off of 4; see the
results file), so a regression in a
detector or in the season choice fails, while the floors are not a tuning target.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benches" / "compare"))

import anomaly_eval  # noqa: E402


@pytest.fixture(scope="module")
def results():
    return anomaly_eval.evaluate(range(6))


def test_default_detector_overall(results):
    auto = results["all"]["auto"]
    assert auto["recall"] >= 0.65
    assert auto["precision"] >= 0.7
    assert auto["delay"] <= 1.5
    # measured 0.91 over these seeds (2.8 with the old cut-off of 4)
    assert results["all_clean"]["auto"]["false_alarms_per_1000"] <= 2.0


@pytest.mark.parametrize(
    "scenario, recall, precision",
    [
        ("noise", 0.87, 0.88),
        ("trend", 0.82, 0.83),
        ("daily", 0.8, 0.85),
        ("weekly", 0.4, 0.9),  # the first anomaly falls in the 8-week warm-up of a 7-day season
        ("missing", 0.75, 0.85),
        ("counts", 0.7, 0.45),
        ("heavy_tails", 0.9, 0.55),
        # 1,680 hourly periods: `auto` is `calibrated` here (with the weekly season), which raises one
        # alert per refractory period (288 periods, 12 days at an hourly step) on this scenario's dense
        # planted events: few events found (11 %), most of its alerts true (80 %).
        ("day_week", 0.1, 0.75),
        # one 2.5x spike in a quarter of daily costs: half fall in the 4-week warm-up of the weekly
        # season (0.5 found, every alert true)
        ("cost_spike", 0.4, 0.9),
    ],
)
def test_default_detector_per_scenario(results, scenario, recall, precision):
    auto = results[scenario]["auto"]
    assert auto["recall"] >= recall, auto
    assert auto["precision"] >= precision, auto


def test_auto_finds_the_true_season():
    import scaleplan

    for scenario, season in [("daily", 24), ("weekly", 7), ("counts", 24), ("missing", 24), ("noise", None),
                             ("day_week", 168), ("clean_day_week", 168), ("cost_spike", 7),
                             ("clean_tourism", 12)]:
        for seed in range(3):
            s = anomaly_eval.make_series(scenario, seed)
            # the season finder behind `auto` on short series and `seasonal_esd`
            found = scaleplan.detect(s.values, s.timestamps, method="seasonal_esd").season_length
            assert found == season, (scenario, seed)


def test_a_weekend_dip_is_a_season_not_an_anomaly(results):
    # Hourly traffic with a daily cycle and a weekend dip: the day's autocorrelation is the higher, but
    # the week's profile explains clearly more, so auto takes the week and flags no weekend.
    assert results["clean_day_week"]["auto"]["false_alarms_per_1000"] <= 1.0


def test_the_real_data_lessons(results):
    # A quarter of daily costs with a weekly pattern: no weekend is an alert (measured 0), and the one
    # spike keeps the season (see test_auto_finds_the_true_season).
    assert results["clean_cost_spike"]["auto"]["false_alarms_per_1000"] <= 1.0
    # 19 years of monthly tourism demand with compound growth: growth is not an alert (measured 0 per
    # 1,000 months over these 6 seeds, 0.22 over 20; 2.9 with the old short-series cut-off of 4).
    assert results["clean_tourism"]["auto"]["false_alarms_per_1000"] <= 1.0


def test_batch_seasonal_esd_holds_up(results):
    esd = results["all"]["seasonal_esd"]
    assert esd["recall"] >= 0.8 and esd["precision"] >= 0.65


def test_labels_are_where_the_anomalies_are():
    s = anomaly_eval.make_series("noise", 0)
    clean = anomaly_eval.make_series("clean_noise", 0)
    assert clean.events == []
    kinds = sorted(e.kind for e in s.events)
    assert kinds == ["dip", "level_shift", "spike", "spike", "spike", "variance"]
    events = sorted(s.events, key=lambda e: e.start)
    assert events[0].start >= 200 and all(a.end < b.start for a, b in zip(events, events[1:]))
    # The same base course: identical before the first anomaly, then the injected change.
    diff = s.values - clean.values
    assert (diff[: events[0].start] == 0).all()
    shift = next(e.start for e in events if e.kind == "level_shift")
    checked = 0
    for e in events:
        if e.kind in ("spike", "dip") and e.start < shift:
            assert diff[e.start - 1] == 0 and diff[e.start + 1] == 0
            assert (diff[e.start] >= 30.0) if e.kind == "spike" else (diff[e.start] <= -30.0)
            checked += 1
    assert checked >= 1
