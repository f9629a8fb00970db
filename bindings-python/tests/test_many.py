"""Many series from one long frame (unique_id, ds, y): pandas and polars in, one long pandas frame out,
each series' numbers exactly those of the one-series call."""
import numpy as np
import pandas as pd
import pytest

import scaleplan


def long_frame(n_series=30, tz=None):
    rng = np.random.default_rng(5)
    frames = []
    for s in range(n_series):
        n = 400 + 13 * s
        y = 100 + s + 5 * np.sin(np.arange(n) * 2 * np.pi / 24) + rng.normal(0, 1, n)
        y[n - 30] += 40
        ds = pd.date_range("2026-01-01", periods=n, freq="h", tz=tz)
        frames.append(pd.DataFrame({"unique_id": f"web-{s:02d}", "ds": ds, "y": y}))
    # rows of the series interleaved, as a query result might give them
    return pd.concat(frames).sample(frac=1.0, random_state=1).sort_values("ds", kind="stable")


def per_series(df):
    for uid, g in df.groupby("unique_id", sort=True):
        yield uid, g


def test_detect_many_is_detect_per_series():
    df = long_frame()
    out = scaleplan.detect_many(df)
    assert list(out.columns[:2]) == ["unique_id", "id"]
    want = []
    for uid, g in per_series(df):
        d = scaleplan.detect(g["y"].to_numpy(), timestamps=g["ds"])
        want += [(uid, a["start_index"], a["score"]) for a in d.alerts]
    assert list(zip(out["unique_id"], out["start_index"], out["score"])) == want
    assert pd.api.types.is_datetime64_any_dtype(out["time"])
    # every planted spike found
    assert set(out["unique_id"]) == {f"web-{s:02d}" for s in range(30)}
    assert scaleplan.detect_many(df, n_jobs=1).equals(out)


def test_rows_grouped_out_of_id_order_or_split_are_sorted_first():
    rng = np.random.default_rng(2)
    y = {k: 10 + rng.normal(0, 1, 300) for k in "abc"}
    for k in y:
        y[k][250] += 30
    want = scaleplan.detect_many(pd.DataFrame({"unique_id": np.repeat(list("abc"), 300),
                                               "y": np.concatenate([y[k] for k in "abc"])}), time_col=None)
    assert want["unique_id"].tolist() == list("abc")
    # grouped but in the order c, a, b; and a split in two blocks around b and c
    grouped = pd.DataFrame({"unique_id": np.repeat(list("cab"), 300),
                            "y": np.concatenate([y[k] for k in "cab"])})
    split = pd.DataFrame({"unique_id": ["a"] * 150 + ["b"] * 300 + ["c"] * 300 + ["a"] * 150,
                          "y": np.concatenate([y["a"][:150], y["b"], y["c"], y["a"][150:]])})
    for df in (grouped, split):
        assert scaleplan.detect_many(df, time_col=None).equals(want)


def test_detect_many_keeps_a_time_zone_and_takes_polars():
    pl = pytest.importorskip("polars")
    df = long_frame(5, tz="Europe/Paris")
    out = scaleplan.detect_many(df)
    assert str(out["time"].dt.tz) == "Europe/Paris"
    naive = long_frame(5)
    a = scaleplan.detect_many(naive)
    b = scaleplan.detect_many(pl.from_pandas(naive))
    assert a["start_index"].tolist() == b["start_index"].tolist()
    assert a["time"].tolist() == b["time"].tolist()


def test_forecast_many_is_forecast_per_series_with_future_ds():
    df = long_frame(8)
    f = scaleplan.forecast_many(df, 12, season_length=24)
    assert list(f.columns) == ["unique_id", "ds", "h", "mean", "lower", "upper", "model"]
    assert len(f) == 8 * 12
    for uid, g in per_series(df):
        one = scaleplan.forecast(g["y"].to_numpy(), 12, season_length=24)
        rows = f[f["unique_id"] == uid]
        np.testing.assert_array_equal(rows["mean"].to_numpy(), one.mean)
        np.testing.assert_array_equal(rows["upper"].to_numpy(), one.upper)
        assert rows["ds"].iloc[0] == g["ds"].iloc[-1] + pd.Timedelta(hours=1)
        assert (rows["model"] == one.model).all()


def test_backtest_and_exhaustion_many():
    df = long_frame(4)
    b = scaleplan.backtest_many(df, 24, season_length=24, windows=2)
    assert len(b) == 4 * 2 and {"unique_id", "window", "smape"} <= set(b.columns)
    for uid, g in per_series(df):
        one = scaleplan.backtest(g["y"].to_numpy(), 24, season_length=24, windows=2)
        assert b[b["unique_id"] == uid]["smape"].tolist() == [w["accuracy"]["smape"] for w in one["windows"]]
    e = scaleplan.exhaustion_many(df, 110.0, 48, season_length=24)
    for uid, g in per_series(df):
        one = scaleplan.exhaustion(g["y"].to_numpy(), 110.0, 48, season_length=24)
        row = e[e["unique_id"] == uid].iloc[0]
        assert (None if pd.isna(row["period"]) else row["period"]) == one.period


def test_errors_name_the_series_and_the_argument():
    df = long_frame(6)
    df.loc[df["unique_id"] == "web-04", "y"] = np.inf
    with pytest.raises(scaleplan.InvalidInputError, match="series 'web-04'"):
        scaleplan.forecast_many(df, 6)
    with pytest.raises(scaleplan.InvalidInputError, match="no column 'value'"):
        scaleplan.detect_many(df, value_col="value")
    with pytest.raises(ValueError, match="n_jobs"):
        scaleplan.detect_many(long_frame(2), n_jobs=0)
    with pytest.raises(scaleplan.ScaleplanError, match="offsets"):
        scaleplan._scaleplan._forecast_many(np.ones(10), [0, 12], 3)


def test_values_and_offsets_are_a_panel_too():
    """The arrays form (values end to end, the offsets where each series starts): the same numbers as the
    frame, series named by their place; the core checks the offsets the caller gave."""
    df = long_frame(5).sort_values(["unique_id", "ds"], kind="stable")
    sizes = df.groupby("unique_id", sort=True).size().to_numpy()
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    values, ds = df["y"].to_numpy(), df["ds"].to_numpy()
    a = scaleplan.detect_many((values, offsets, ds))
    b = scaleplan.detect_many(df)
    assert a["unique_id"].tolist() == b["unique_id"].map(lambda u: int(u[-2:])).tolist()
    assert a["start_index"].tolist() == b["start_index"].tolist()
    assert a["time"].tolist() == b["time"].tolist()  # datetime64 timestamps give datetimes back
    f = scaleplan.forecast_many((values, offsets), 6, season_length=24)
    g = scaleplan.forecast_many(df, 6, season_length=24)
    np.testing.assert_array_equal(f["mean"].to_numpy(), g["mean"].to_numpy())
    assert "ds" not in f.columns and f["unique_id"].tolist()[:6] == [0] * 6
    e = scaleplan.exhaustion_many((values, offsets), 110.0, 48, season_length=24)
    assert e["period"].tolist() == scaleplan.exhaustion_many(df, 110.0, 48, season_length=24)["period"].tolist()
    for bad in ([1, *offsets[1:]], [*offsets[:-1], len(values) + 1]):
        with pytest.raises(scaleplan.ScaleplanError, match="offsets"):
            scaleplan.detect_many((values, np.array(bad)), progress=False)
    with pytest.raises(scaleplan.InvalidInputError, match="a panel is"):
        scaleplan.forecast_many((values,), 6)
