"""experiment_from_frame: an experiment from per-unit or aggregated rows, its summaries equal to pandas'
own aggregates (sum, mean, var with ddof=1), and readiness on it equal to readiness on the hand JSON."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scaleplan

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"


def units():
    rng = np.random.default_rng(12)
    n = 6000
    arm = np.where(rng.random(n) < 0.5, "control", "treatment")
    lift = np.where(arm == "treatment", 0.02, 0.0)
    return pd.DataFrame({
        "arm": arm,
        "converted": (rng.random(n) < 0.10 + lift).astype(int),
        "load_ms": rng.normal(820, 250, n),
        "revenue": rng.gamma(2.0, 6.0, n),
        "sessions": rng.integers(1, 6, n).astype(float),
    })


def test_per_unit_rows_give_pandas_aggregates():
    df = units()
    e = scaleplan.experiment_from_frame(df, arm="arm", runtime_days=21, name="checkout", metrics={
        "conversion": {"kind": "proportion", "conversions": "converted"},
        "page_load_ms": {"kind": "mean", "value": "load_ms", "direction": "decrease"},
        "revenue_per_session": {"kind": "ratio", "numerator": "revenue", "denominator": "sessions"},
    })
    g = df.groupby("arm")
    conv, load, rps = e["metrics"]
    for a in ("control", "treatment"):
        rows = g.get_group(a)
        assert conv[a] == {"visitors": len(rows), "conversions": int(rows["converted"].sum())}
        assert load[a]["n"] == len(rows)
        assert load[a]["mean"] == pytest.approx(rows["load_ms"].mean(), rel=1e-13)
        assert load[a]["variance"] == pytest.approx(rows["load_ms"].var(ddof=1), rel=1e-12)
        assert rps[a]["sum_xy"] == pytest.approx((rows["revenue"] * rows["sessions"]).sum(), rel=1e-12)
        assert rps[a]["sum_y2"] == pytest.approx((rows["sessions"] ** 2).sum(), rel=1e-12)
        assert e["assignment"][f"{a}_units"] == len(rows)
    assert load["direction"] == "decrease" and "treatment_share" not in e["assignment"]
    policy = (DATA / "policy.json").read_text()
    r = scaleplan.assess_readiness(json.dumps(e), policy)
    assert r.experiment == "checkout" and isinstance(r.ready, bool)


def test_aggregated_rows_per_day_and_segment():
    hand = json.loads((DATA / "experiment.json").read_text())
    c, t = hand["metrics"][0]["control"], hand["metrics"][0]["treatment"]
    # the hand experiment's conversion counts split over three days x two segments
    rows = []
    for a, tot in (("A", c), ("B", t)):
        v = np.array([tot["visitors"] // 6] * 5 + [tot["visitors"] - 5 * (tot["visitors"] // 6)])
        k = np.array([tot["conversions"] // 6] * 5 + [tot["conversions"] - 5 * (tot["conversions"] // 6)])
        for i in range(6):
            rows.append({"variant": a, "day": i // 2, "segment": i % 2, "visitors": v[i], "orders": k[i]})
    df = pd.DataFrame(rows)
    e = scaleplan.experiment_from_frame(df, arm="variant", control="A", treatment="B", runtime_days=21,
                                        units="visitors", treatment_share=0.5, metrics={
        "conversion": {"kind": "proportion", "conversions": "orders", "visitors": "visitors"}})
    assert e["metrics"][0]["control"] == c and e["metrics"][0]["treatment"] == t
    assert e["assignment"] == {"control_units": c["visitors"], "treatment_units": t["visitors"], "treatment_share": 0.5}


def test_bad_rows_and_specs_are_named():
    df = units()
    df["converted"] = df["converted"].astype(float)
    df.loc[7, "converted"] = 2.5
    bad = df.index[df["arm"] == df.loc[7, "arm"]].get_loc(7)
    with pytest.raises(scaleplan.InvalidInputError, match=rf"conversion\.{df.loc[7, 'arm']}\..*conversions\[{bad}\]"):
        scaleplan.experiment_from_frame(df, arm="arm", runtime_days=7, metrics={
            "conversion": {"kind": "proportion", "conversions": "converted"}})
    with pytest.raises(scaleplan.InvalidInputError, match="the treatment arm"):
        scaleplan.experiment_from_frame(df, arm="arm", treatment="B", runtime_days=7, metrics={})
    with pytest.raises(scaleplan.InvalidInputError, match="takes the columns 'numerator' and 'denominator'"):
        scaleplan.experiment_from_frame(df, arm="arm", runtime_days=7, metrics={
            "rps": {"kind": "ratio", "numerator": "revenue"}})
    with pytest.raises(scaleplan.InvalidInputError, match="no column 'nope'"):
        scaleplan.experiment_from_frame(df, arm="nope", runtime_days=7, metrics={})
