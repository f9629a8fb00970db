"""testdata/errors.json: the same error cases as the Rust and Node suites, as exceptions with `.code`."""
import json
import pytest
import scaleplan
from conftest import ROOT, fixture, num


def doc(v):
    if isinstance(v, str) and v.endswith(".json"):
        return (ROOT / v).read_text()
    return v


def call(name, a):
    opts = {k: num(a[k]) for k in ("alpha", "alternative") if k in a}
    if name == "two_proportions":
        return scaleplan.two_proportions(tuple(map(num, a["control"])), tuple(map(num, a["treatment"])), **opts)
    if name == "welch":
        return scaleplan.welch(tuple(map(num, a["control"])), tuple(map(num, a["treatment"])), **opts)
    if name == "srm":
        return scaleplan.srm([num(x) for x in a["observed"]], [num(x) for x in a["expected_weights"]])
    if name in ("holm", "benjamini_hochberg"):
        return getattr(scaleplan, name)([num(x) for x in a["p_values"]])
    if name == "sample_size_proportions":
        return scaleplan.sample_size_proportions(a["baseline_rate"], a["mde"], **({"power": a["power"]} if "power" in a else {}))
    if name == "two_proportions_batch":
        return scaleplan.two_proportions_batch(a["control_visitors"], a["control_conversions"], a["treatment_visitors"], a["treatment_conversions"])
    if name == "assess_readiness":
        return scaleplan.assess_readiness(doc(a["experiment"]), doc(a["policy"]))
    if name == "sequential":
        return scaleplan.sequential(a["estimate"], a["std_error"], a["sample_size"])
    raise AssertionError(name)


CASES = fixture("errors.json")["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_error_case(case):
    with pytest.raises(scaleplan.ScaleplanError) as info:
        call(case["call"], case["args"])
    err = info.value
    assert err.code == case["code"], str(err)
    expected = {"invalid_input": scaleplan.InvalidInputError, "numerical": scaleplan.NumericalError}
    assert isinstance(err, expected[case["kind"]]) and isinstance(err, ValueError)
    if case["field"]:
        assert case["field"] in str(err)


def test_bad_option_types_are_type_errors():
    with pytest.raises(TypeError):
        scaleplan.two_proportions("100,10", (100, 10))
