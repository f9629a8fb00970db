"""The Python boundary: money is told from text by the core's schema, numpy scalars and whole floats are
numbers, and any other object is a typed error naming where it was and its Python type."""
import copy
import decimal
import json
import pickle

import numpy as np
import pytest
import scaleplan
from conftest import ROOT

EXPERIMENT = json.loads((ROOT / "examples/data/experiment.json").read_text())
POLICY = json.loads((ROOT / "examples/data/policy.json").read_text())


def test_a_name_that_looks_like_a_number_stays_a_string():
    e = copy.deepcopy(EXPERIMENT)
    e["name"] = "2024"
    r = scaleplan.assess_readiness(e, POLICY)
    assert r.experiment == "2024" and type(r.experiment) is str
    assert r.to_dict()["experiment"] == "2024"
    # The same after pickling (Dask, multiprocessing).
    again = pickle.loads(pickle.dumps(r))
    assert again.experiment == "2024" and again.to_json() == r.to_json()


def test_money_is_decimal_by_its_field_and_to_dict_is_a_copy():
    recs = scaleplan.savings(
        [{"id": "2025", "units": 10, "unit_monthly_cost": {"amount": "70.00", "currency": "USD"},
          "utilisation": [12, 15, 18, 14, 16, 13, 17], "observed_days": 30, "reserved_discount": "0.30"}],
        {"as_of": "2026-07-01"})
    rec = recs[0]
    assert rec["monthly_saving"]["amount"] == decimal.Decimal("490.00")
    assert type(rec["resource"] if "resource" in rec else rec["id"]) is str


def test_record_to_dict_is_a_fresh_copy():
    r = scaleplan.assess_readiness(EXPERIMENT, POLICY)
    d = r.to_dict()
    d["reasons"].clear()
    assert len(r.reasons) == 5 and len(r.to_dict()["reasons"]) == 5


def test_numpy_scalars_and_whole_floats_are_numbers():
    e = copy.deepcopy(EXPERIMENT)
    m = e["metrics"][0]
    m["control"] = {"visitors": np.int64(48000), "conversions": np.int32(4800)}
    m["treatment"] = {"visitors": 48500.0, "conversions": np.float64(5965.0)}
    e["runtime_days"] = np.float32(21.0)
    e["assignment"]["control_units"] = np.uint64(48000)
    p = dict(POLICY, srm_check=np.bool_(True), alpha=np.float64(0.05))
    r = scaleplan.assess_readiness(e, p)
    assert r.to_json() == scaleplan.assess_readiness(EXPERIMENT, POLICY).to_json()
    # A numpy array inside a document is its list.
    pods = [{"state": "ready", "request_milli": np.float64(1000), "usage_milli": u} for u in np.array([300.0, 500, 700])]
    assert scaleplan.hpa_desired_replicas(np.int64(3), pods, np.int64(30)).desired_replicas == 5


def test_a_fractional_float_is_still_refused_as_money_and_as_a_count():
    e = copy.deepcopy(EXPERIMENT)
    e["metrics"][0]["control"]["visitors"] = 48000.5
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.assess_readiness(e, POLICY)
    assert err.value.code == "json"
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.savings(
            [{"id": "web", "units": 10, "unit_monthly_cost": {"amount": 70.5, "currency": "USD"},
              "utilisation": [12, 15], "observed_days": 30}], {"as_of": "2026-07-01"})
    assert err.value.code == "json" and "floats are not exact" in str(err.value)


def test_any_other_object_is_wrong_type_naming_the_field_and_type():
    e = copy.deepcopy(EXPERIMENT)
    e["metrics"][1]["control"]["sum_x"] = object()
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.assess_readiness(e, POLICY)
    assert err.value.code == "wrong_type"
    assert str(err.value) == ("`metrics[1].control.sum_x` must be a number, a string, a bool, None, a list or a dict, "
                              "got a value of type `object`")
    e = copy.deepcopy(EXPERIMENT)
    e["metrics"][0]["control"]["visitors"] = {1, 2}
    with pytest.raises(scaleplan.ScaleplanError) as err:
        scaleplan.assess_readiness(e, POLICY)
    assert err.value.code == "wrong_type" and "`set`" in str(err.value)
    # NaN cannot be written as JSON: a not_finite error naming the field.
    e = copy.deepcopy(EXPERIMENT)
    e["runtime_days"] = float("nan")
    with pytest.raises(scaleplan.InvalidInputError) as err:
        scaleplan.assess_readiness(e, POLICY)
    assert err.value.code == "not_finite" and "`runtime_days`" in str(err.value)


def test_a_dataframe_is_taken_where_records_are():
    """A frame of cost entries, SLO windows or line items: one record per row, missing cells as None."""
    import pandas as pd

    budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
    rows = [{"date": f"2026-06-{d:02d}", "amount": {"amount": "100.00", "currency": "USD"},
             "service": "api", "team": "core"} for d in range(1, 21)]
    assert scaleplan.budget_status(budget, pd.DataFrame(rows), "2026-06-20") == \
        scaleplan.budget_status(budget, rows, "2026-06-20")
    t0 = pd.Timestamp("2025-06-01", tz="UTC")
    windows = pd.DataFrame({"start": t0 + pd.to_timedelta(range(48), unit="h"),
                            "end": t0 + pd.to_timedelta(range(1, 49), unit="h"),
                            "requests": 1000, "errors": [0] * 47 + [5], "p95_ms": 250.0})
    z = "%Y-%m-%dT%H:%M:%SZ"
    as_records = [{**r, "start": r["start"].strftime(z), "end": r["end"].strftime(z)}
                  for r in windows.to_dict("records")]
    assert scaleplan.slo_report(windows) == scaleplan.slo_report(as_records)
    # an incident still open: NaT in the frame is None in the record
    incidents = pd.DataFrame({"id": ["INC-1"], "severity": ["P2"], "opened_at": [t0],
                              "resolved_at": [pd.NaT]})
    r = scaleplan.slo_report(windows, incidents=incidents)
    assert r == scaleplan.slo_report(as_records, incidents=[
        {"id": "INC-1", "severity": "P2", "opened_at": "2025-06-01T00:00:00Z", "resolved_at": None}])
    # an aware time in another zone is the instant it names
    berlin = windows.assign(start=windows["start"].dt.tz_convert("Europe/Berlin"),
                            end=windows["end"].dt.tz_convert("Europe/Berlin"))
    assert scaleplan.slo_report(berlin) == scaleplan.slo_report(as_records)
    pl = pytest.importorskip("polars")
    items = pl.DataFrame({"name": ["compute", "team hours"], "quantity": [15, 40],
                          "unit_price": ["160.00", "100.00"], "kind": ["monthly", "one_time"]})
    assert scaleplan.cost_totals(items).first_year == scaleplan.cost_totals(items.to_dicts()).first_year
