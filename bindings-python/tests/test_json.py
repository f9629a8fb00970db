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
