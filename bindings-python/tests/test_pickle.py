"""Every typed result pickles and comes back equal (Dask, Ray and multiprocessing return results by pickle),
NaN and None fields included; the pickle is the core's JSON, the one the three languages share."""
import math
import pickle

import numpy as np
import pytest

import scaleplan


def same(a, b):
    """Equal attribute by attribute: arrays bit for bit (NaN where NaN), the rest by ==."""
    assert type(a) is type(b)
    names = [n for n in dir(a) if not n.startswith("_") and not callable(getattr(a, n))]
    assert names
    for n in names:
        x, y = getattr(a, n), getattr(b, n)
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)
            assert x.dtype == y.dtype
        elif isinstance(x, float) and math.isnan(x):
            assert math.isnan(y)
        elif hasattr(x, "to_json") or type(x).__module__ == "scaleplan":
            same(x, y)
        else:
            assert x == y, n


def results():
    rng = np.random.default_rng(2)
    series = 100 + rng.normal(0, 1, 600)
    series[500] += 30
    months = 100 * 1.01 ** np.arange(48) * (1 + 0.1 * np.sin(np.arange(48) * np.pi / 6))
    return {
        "ProportionsResult": scaleplan.two_proportions((10_000, 500), (10_000, 560)),
        # a zero control rate: no relative lift (None)
        "ProportionsResult, no lift": scaleplan.two_proportions((1_000, 0), (1_000, 3)),
        "WelchResult": scaleplan.welch((1_000, 10.0, 2.0), (1_000, 10.3, 2.2)),
        "Detection": scaleplan.detect(series),  # expected is NaN in the warm-up
        "Forecast": scaleplan.forecast(months, 12, season_length=12),
        "GrowthRate": scaleplan.growth_rate(months),
        "Exhaustion": scaleplan.exhaustion(months, 200.0, 60, season_length=12),
        "Exhaustion, never": scaleplan.exhaustion(months, 1e9, 12, season_length=12),
        "UslFit": scaleplan.usl_fit([1, 2, 4, 8, 16], [100, 190, 340, 520, 640]),
        "ErlangC": scaleplan.erlang_c(10.0, 0.5, 7, 0.2),
    }


@pytest.mark.parametrize("name", list(results()))
def test_results_pickle_and_come_back_equal(name):
    r = results()[name]
    again = pickle.loads(pickle.dumps(r))
    same(r, again)
    if hasattr(r, "to_json"):
        assert again.to_json() == r.to_json()


def test_a_detection_keeps_its_nan_and_alerts_through_pickle():
    d = results()["Detection"]
    again = pickle.loads(pickle.dumps(d, protocol=pickle.HIGHEST_PROTOCOL))
    assert np.isnan(d.expected[0]) and np.isnan(again.expected[0])
    assert again.alerts == d.alerts and 500 in [a["start_index"] for a in again.alerts]
    assert not again.expected.flags.writeable


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no scaleplan result class"):
        scaleplan._scaleplan._unpickle("Nope", "{}")


def test_a_misaligned_array_is_copied_not_refused():
    # what a Dask worker receives: a float64 array over a buffer that is not 8-byte aligned
    buf = bytearray(8 * 50 + 1)
    y = np.ndarray(50, dtype=np.float64, buffer=memoryview(buf)[1:])
    y[:] = 100 + np.arange(50.0)
    assert not y.flags.aligned
    np.testing.assert_array_equal(scaleplan.forecast(y, 3).mean, scaleplan.forecast(np.array(y), 3).mean)


@pytest.mark.parametrize("make", [
    lambda: scaleplan.two_proportions((100, 120), (100, 10)),
    lambda: scaleplan.forecast([1.0], 3),
    lambda: scaleplan.RolloutService().rollout("nope"),
], ids=["invalid_input", "too_few_observations", "not_found"])
def test_errors_pickle_with_their_class_code_and_message(make):
    with pytest.raises(scaleplan.ScaleplanError) as info:
        make()
    e = info.value
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is type(e) and isinstance(back, scaleplan.ScaleplanError)
    assert back.code == e.code and str(back) == str(e)
