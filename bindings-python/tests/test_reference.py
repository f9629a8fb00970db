"""The shared scipy/statsmodels fixtures, through the Python binding, at each fixture's tolerance."""
import numpy as np
import scaleplan
from conftest import close, fixture


def check_ci(actual, expected, tol):
    if expected is None:
        assert actual is None
        return
    lo, hi = actual if isinstance(actual, tuple) else (actual["lo"], actual["hi"])
    assert close(lo, expected["lo"], tol) and close(hi, expected["hi"], tol), (actual, expected)


def test_proportions():
    fx = fixture("significance/proportions.json")
    for c in fx["cases"]:
        ctl, trt = c["control"], c["treatment"]
        r = scaleplan.two_proportions((ctl["visitors"], ctl["conversions"]), (trt["visitors"], trt["conversions"]),
                                      alpha=c["alpha"], alternative=c["alternative"])
        e = c["expected"]
        for k in ("z", "p_value", "absolute_effect", "relative_lift"):
            assert close(getattr(r, k), e[k], fx["tolerance"]), (c["name"], k)
        check_ci(r.absolute_ci, e["absolute_ci"], fx["tolerance"])
        check_ci(r.relative_ci, e["relative_ci"], fx["tolerance"])


def test_welch():
    fx = fixture("significance/welch.json")
    for c in fx["cases"]:
        arm = lambda a: (a["n"], a["mean"], a["variance"])
        r = scaleplan.welch(arm(c["control"]), arm(c["treatment"]), alpha=c["alpha"], alternative=c["alternative"])
        for k in ("t", "df", "p_value", "absolute_effect"):
            assert close(getattr(r, k), c["expected"][k], fx["tolerance"]), (c["name"], k)
        check_ci(r.absolute_ci, c["expected"]["absolute_ci"], fx["tolerance"])


def test_srm_correction_power_sequential_bayes():
    fx = fixture("significance/srm.json")
    for c in fx["cases"]:
        r = scaleplan.srm(c["observed"], c["expected_weights"], threshold=c["threshold"])
        assert close(r.p_value, c["expected"]["p_value"], fx["tolerance"]) and r.mismatch == c["expected"]["mismatch"]
    fx = fixture("significance/correction.json")
    for c in fx["cases"]:
        for got, key in ((scaleplan.holm(c["p_values"]), "holm"), (scaleplan.benjamini_hochberg(np.array(c["p_values"])), "benjamini_hochberg")):
            assert isinstance(got, np.ndarray)
            assert all(close(g, e, fx["tolerance"]) for g, e in zip(got, c["expected"][key]))
    fx = fixture("significance/power.json")
    for c in fx["cases"]["proportions"]:
        n = scaleplan.sample_size_proportions(c["baseline_rate"], c["mde"], alpha=c["alpha"], power=c["power"],
                                              relative=c["relative"], alternative=c["alternative"])
        assert close(n, c["expected"]["n_per_arm"], fx["tolerance"]), c["name"]
    fx = fixture("significance/sequential.json")
    for c in fx["cases"]:
        r = scaleplan.sequential(c["estimate"], c["std_error"], c["sample_size"], alpha=c["alpha"],
                                 tuning_sample_size=c["tuning_sample_size"])
        assert close(r.p_value, c["expected"]["p_value"], fx["tolerance"]), c["name"]
        check_ci(r.confidence_sequence, c["expected"]["confidence_sequence"], fx["tolerance"])
    fx = fixture("significance/bayes.json")
    for c in fx["cases"]:
        arm = lambda a: (a["visitors"], a["conversions"])
        r = scaleplan.beta_binomial(arm(c["control"]), arm(c["treatment"]), prior_alpha=c["prior"]["alpha"], prior_beta=c["prior"]["beta"])
        assert close(r.chance_to_beat_control, c["expected"]["chance_to_beat_control"], fx["tolerance"]), c["name"]


def test_ratio_and_cuped():
    fx = fixture("significance/ratio.json")
    for c in fx["cases"]:
        r = scaleplan.ratio(c["control"], c["treatment"])
        assert close(r.z, c["expected"]["z"], fx["tolerance"]) and close(r.p_value, c["expected"]["p_value"], fx["tolerance"])
    fx = fixture("significance/cuped.json")
    for c in fx["cases"]:
        if c["kind"] != "mean":
            continue
        r = scaleplan.cuped(c["control"], c["treatment"])
        assert close(r.theta, c["expected"]["theta"], fx["tolerance"])
        assert close(r.adjusted["p_value"], c["expected"]["p_value"], fx["tolerance"])


def test_batch_matches_scalar_and_returns_numpy():
    fx = fixture("significance/proportions.json")
    cases = fx["cases"]
    cols = [np.array([c[arm][k] for c in cases], dtype=float) for arm, k in
            (("control", "visitors"), ("control", "conversions"), ("treatment", "visitors"), ("treatment", "conversions"))]
    b = scaleplan.two_proportions_batch(*cols)
    assert set(b) >= {"z", "p_value", "absolute_ci_lo", "relative_lift"}
    for i, c in enumerate(cases):
        r = scaleplan.two_proportions((c["control"]["visitors"], c["control"]["conversions"]),
                                      (c["treatment"]["visitors"], c["treatment"]["conversions"]))
        assert b["z"][i] == r.z and b["p_value"][i] == r.p_value
        if r.relative_lift is None:
            assert np.isnan(b["relative_lift"][i])
    # int arrays and lists are accepted (one copy to float64)
    ints = scaleplan.two_proportions_batch([1000, 500], np.array([100, 50]), [1000, 500], [130, 45])
    assert ints["p_value"].dtype == np.float64 and len(ints["p_value"]) == 2
