"""One JSON: the canonical bytes from Python equal the committed ones Rust produces (and Node checks)."""
import pickle
import scaleplan
from conftest import ROOT

EXPERIMENT = (ROOT / "examples/data/experiment.json").read_text()
POLICY = (ROOT / "examples/data/policy.json").read_text()


def canonical(name):
    return (ROOT / "testdata/json" / name).read_text().rstrip("\n")


def test_experiment_policy_and_readiness_bytes():
    assert scaleplan.canonical_json("experiment", EXPERIMENT) == canonical("experiment.canonical.json")
    assert scaleplan.canonical_json("policy", POLICY) == canonical("policy.canonical.json")
    r = scaleplan.assess_readiness(EXPERIMENT, POLICY)
    assert r.to_json() == canonical("readiness.canonical.json")


def test_readiness_from_dicts_and_pickle():
    import json
    r = scaleplan.assess_readiness(json.loads(EXPERIMENT), json.loads(POLICY))
    assert r.ready is True and r.kind == "Readiness"
    assert [x["rule"] for x in r.reasons] == ["sample_ratio", "min_sample", "min_runtime", "primary_metric", "guardrail"]
    assert r.verdicts[0]["verdict"] == "win"
    again = pickle.loads(pickle.dumps(r))
    assert again.to_json() == r.to_json()
    assert scaleplan.two_proportions((100, 10), (100, 12)).to_dict()["alternative"] == "two-sided"


def _loads_with_decimals(text):
    """json.loads with the binding's one rule: a plain decimal string becomes a decimal.Decimal."""
    import decimal
    import json
    import re

    plain = re.compile(r"-?[0-9]+(\.[0-9]+)?")

    def walk(v):
        if isinstance(v, str) and plain.fullmatch(v):
            return decimal.Decimal(v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(json.loads(text))


def test_dicts_equal_their_canonical_json_read_back():
    # to_dict builds Python objects straight from the core value; it must give what json.loads of the
    # canonical JSON gives (same keys in the same order, same values and types, null for NaN).
    import numpy as np

    results = [
        scaleplan.two_proportions((48000, 4800), (48500, 5965)),
        scaleplan.two_proportions((100, 0), (100, 0)),
        scaleplan.welch((50, 10.0, 2.0), (60, 10.5, 2.5), alternative="greater"),
        scaleplan.usl_fit(np.array([1.0, 2, 4, 8, 16, 32]), np.array([100.0, 190, 340, 520, 600, 560])),
        scaleplan.erlang_c(9.5, 1.0, 12, answer_time=0.5),
    ]
    for r in results:
        d = r.to_dict()
        want = _loads_with_decimals(r.to_json())
        assert d == want
        assert list(d) == list(want)
        assert [type(v) for v in d.values()] == [type(v) for v in want.values()]
    # Money comes back as Decimal, exactly.
    recs = scaleplan.savings(
        [{"id": "web", "units": 10, "unit_monthly_cost": {"amount": "70.00", "currency": "USD"},
          "utilisation": [12, 15, 18, 14, 16, 13, 17], "observed_days": 30, "reserved_discount": "0.30"}],
        {"as_of": "2026-07-01"})
    import decimal
    assert recs[0]["monthly_saving"]["amount"] == decimal.Decimal("490.00")
    assert str(recs[0]["monthly_saving"]["amount"]) == "490.00"
