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
    return estimate_call(name, a)


def estimate_call(name, a):
    if name == "estimate":
        catalog = scaleplan.load_catalog((ROOT / a["catalog"]).read_text())
        return scaleplan.estimate(a["request"], catalog)
    if name == "usl_fit":
        return scaleplan.usl_fit(a["concurrency"], a["throughput"])
    if name == "erlang_c":
        return scaleplan.erlang_c(a["arrival_rate"], a["mean_service_time"], a["servers"])
    if name == "min_servers":
        return scaleplan.min_servers(a["arrival_rate"], a["mean_service_time"], a["criterion"], a["value"])
    if name == "cost_totals":
        return scaleplan.cost_totals(a["line_items"], a["currency"])
    if name == "load_catalog":
        return scaleplan.load_catalog(a["text"], a["format"])
    if name == "impact":
        return scaleplan.impact(a["input"])
    if name == "hpa_desired_replicas":
        return scaleplan.hpa_desired_replicas(a["current_replicas"], a["pods"], a["target_utilization_percent"])
    return other_call(name, a)


def other_call(name, a):
    if name == "detect":
        return scaleplan.detect(a["values"], timestamps=a["timestamps"])
    if name == "budget_status":
        return scaleplan.budget_status(a["budget"], a["entries"], a["as_of"])
    if name == "stream_from_json":
        state = json.loads(scaleplan.DetectorStream(a["method"]).to_json())
        state.update(a["set"])
        return scaleplan.DetectorStream.from_json(json.dumps(state))
    if name == "simulate":
        return scaleplan.simulate(a["input"])
    if name == "rollout":
        svc = scaleplan.RolloutService(a.get("store"))
        for step in a["steps"]:
            op = step["op"]
            if op == "create":
                svc.create(step["id"], step["plan"], step["initiator"], step["now"])
            elif op == "execute":
                svc.execute(step["id"], step["command"], step["now"], expected_version=step.get("expected_version"))
            elif op == "observe":
                svc.observe(step["id"], step["now"], step["window"], actor=step["actor"])
            elif op == "report_incident":
                svc.report_incident(step["id"], step["incident"], actor=step["actor"])
            else:
                raise AssertionError(op)
        return None
    raise AssertionError(name)


CASES = fixture("errors.json")["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_error_case(case):
    with pytest.raises(scaleplan.ScaleplanError) as info:
        call(case["call"], case["args"])
    err = info.value
    assert err.code == case["code"], str(err)
    expected = {
        "invalid_input": scaleplan.InvalidInputError,
        "numerical": scaleplan.NumericalError,
        "illegal_transition": scaleplan.IllegalTransitionError,
        "conflict": scaleplan.ConflictError,
        "forbidden": scaleplan.ForbiddenError,
        "not_found": scaleplan.NotFoundError,
        "storage": scaleplan.StorageError,
    }
    assert isinstance(err, expected[case["kind"]]) and isinstance(err, scaleplan.ScaleplanError)
    if case["field"]:
        assert case["field"] in str(err)


def test_bad_option_types_are_type_errors():
    with pytest.raises(TypeError):
        scaleplan.two_proportions("100,10", (100, 10))


def test_a_json_error_says_where_in_the_document():
    budget = {"name": "web", "period": "monthly", "amount": {"amount": "3000.00", "currency": "USD"}}
    entries = [{"date": "2026-06-01", "amount": {"amount": "1.00", "currency": "USD"}, "service": "api"},
               {"date": "2026-06-02", "amount": {"amount": "1.00", "currency": "USD"}}]
    with pytest.raises(scaleplan.ScaleplanError, match=r"in `entries`, at \[0\]: missing field `team`"):
        scaleplan.budget_status(budget, entries, "2026-06-20")


def test_an_error_in_a_dict_names_the_argument_not_a_json_position():
    pods = [{"state": "running", "request_milli": 500, "usage_milli": 450}]
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.hpa_desired_replicas(1, pods, 60)
    msg = str(info.value)
    assert msg.startswith("invalid list: in `pods`, at [0].state: unknown variant `running`"), msg
    assert "line" not in msg and "column" not in msg
    # JSON text the caller wrote keeps its line and column: they point into the caller's text
    with pytest.raises(scaleplan.InvalidInputError) as info:
        scaleplan.hpa_desired_replicas(1, '[{"state": "running",\n "request_milli": 500}]', 60)
    assert "JSON at line 1, column 20" in str(info.value) and "in `pods`" in str(info.value)
