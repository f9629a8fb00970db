"""The Dask and Spark adapters give the local call's numbers: Dask on a LocalCluster (worker processes,
so results and functions travel by pickle), Spark with PySpark in local[2] mode (Java 17)."""
import os
import shutil

import numpy as np
import pandas as pd
import pytest

import scaleplan
from scaleplan import distributed as sd


def long_frame(n_series=12):
    rng = np.random.default_rng(9)
    frames = []
    for s in range(n_series):
        n = 300 + 20 * s
        y = 50 + 3 * np.sin(np.arange(n) * 2 * np.pi / 24) + rng.normal(0, 0.5, n)
        y[n - 40] += 15
        ds = pd.date_range("2026-03-01", periods=n, freq="h")
        frames.append(pd.DataFrame({"unique_id": f"svc-{s:02d}", "ds": ds, "y": y}))
    return pd.concat(frames, ignore_index=True)


def local_forecasts(df):
    return scaleplan.forecast_many(df.drop(columns="ds"), 12, season_length=24).sort_values(
        ["unique_id", "h"], ignore_index=True)


def local_alerts(df):
    a = scaleplan.detect_many(df)
    a["time"] = a["time"].astype("datetime64[ns]").astype("int64") / 1e9
    return a[["unique_id", *sd._ALERT_COLUMNS]].sort_values(["unique_id", "start_index"], ignore_index=True)


@pytest.fixture(scope="module")
def dask_client():
    if os.environ.get("SCALEPLAN_REQUIRE_SPARK") == "1":  # CI: the adapters' dependencies are required
        import distributed
    else:
        pytest.importorskip("dask.dataframe")
        distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_gives_the_local_numbers(dask_client):
    import dask.dataframe as dd

    df = long_frame()
    ddf = dd.from_pandas(df, npartitions=4)
    got = sd.dask_forecast_many(ddf[["unique_id", "y"]], 12, season_length=24).compute()
    got = got.sort_values(["unique_id", "h"], ignore_index=True)
    pd.testing.assert_frame_equal(got, local_forecasts(df), check_dtype=False)
    alerts = sd.dask_detect_many(ddf).compute().sort_values(["unique_id", "start_index"], ignore_index=True)
    pd.testing.assert_frame_equal(alerts, local_alerts(df), check_dtype=False)
    assert len(alerts) >= 12


def test_results_come_back_from_dask_workers(dask_client):
    y = 100 + np.arange(60.0)
    f = dask_client.submit(scaleplan.forecast, y, 6).result()
    local = scaleplan.forecast(y, 6)
    np.testing.assert_array_equal(f.mean, local.mean)
    np.testing.assert_array_equal(f.upper, local.upper)
    assert f.model == local.model


@pytest.fixture(scope="module")
def spark():
    # CI sets SCALEPLAN_REQUIRE_SPARK=1: there a missing PySpark or Java fails the test instead of skipping
    required = os.environ.get("SCALEPLAN_REQUIRE_SPARK") == "1"
    if not required:
        pytest.importorskip("pyspark")
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            pytest.skip("no Java for PySpark")
    from pyspark.sql import SparkSession

    s = (SparkSession.builder.master("local[2]").appName("scaleplan-test")
         .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false").getOrCreate())
    yield s
    s.stop()


def test_spark_gives_the_local_numbers(spark):
    df = long_frame(6)
    sdf = spark.createDataFrame(df.assign(ds=df["ds"].astype("int64") // 10**9))
    got = sd.spark_forecast_many(sdf, 12, season_length=24).toPandas()
    got = got.sort_values(["unique_id", "h"], ignore_index=True)
    pd.testing.assert_frame_equal(got, local_forecasts(df), check_dtype=False)
    alerts = sd.spark_detect_many(sdf).toPandas().sort_values(["unique_id", "start_index"], ignore_index=True)
    local = scaleplan.detect_many(df.assign(ds=df["ds"].astype("int64") // 10**9))
    local = local[["unique_id", *sd._ALERT_COLUMNS]].sort_values(["unique_id", "start_index"], ignore_index=True)
    pd.testing.assert_frame_equal(alerts, local, check_dtype=False)
