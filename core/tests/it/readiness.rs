//! The readiness flag on the committed sample experiment, and each rule failing on its own.

use scaleplan::json;
use scaleplan::significance::*;

fn sample() -> (Experiment, ReadinessPolicy) {
    let dir = format!("{}/../examples/data", env!("CARGO_MANIFEST_DIR"));
    let e = json::from_str(&std::fs::read_to_string(format!("{dir}/experiment.json")).unwrap())
        .unwrap();
    let p =
        json::from_str(&std::fs::read_to_string(format!("{dir}/policy.json")).unwrap()).unwrap();
    (e, p)
}

fn failing(r: &Readiness) -> Vec<&str> {
    r.reasons
        .iter()
        .filter(|x| !x.passed)
        .map(|x| x.rule.as_str())
        .collect()
}

#[test]
fn sample_experiment_is_ready() {
    let (e, p) = sample();
    let r = assess_readiness(&e, &p).unwrap();
    assert!(r.ready, "{:#?}", r.reasons);
    assert_eq!(r.reasons.len(), 5);
    let primary = &r.verdicts[0];
    assert_eq!(
        (primary.role, primary.verdict),
        (MetricRole::Primary, Verdict::Win)
    );
    assert!((primary.relative_lift.unwrap() - (5965.0 / 48500.0 / 0.1 - 1.0)).abs() < 1e-12);
    let guard = r
        .verdicts
        .iter()
        .find(|v| v.metric == "page_load_ms")
        .unwrap();
    assert_eq!(guard.verdict, Verdict::Pass);
    assert!(guard.adjusted_p_value.is_none());
}

#[test]
fn each_rule_fails_with_its_numbers() {
    let (e, p) = sample();
    // SRM: 2,000 extra treatment units of a 50/50 split.
    let mut e2 = e.clone();
    e2.assignment.treatment_units = 50_500;
    let r = assess_readiness(&e2, &p).unwrap();
    assert_eq!(failing(&r), ["sample_ratio"]);
    assert!(r.reasons[0].observed < 0.001);
    // Runtime.
    let mut e3 = e.clone();
    e3.runtime_days = 5.0;
    let r = assess_readiness(&e3, &p).unwrap();
    assert_eq!(failing(&r), ["min_runtime"]);
    assert_eq!((r.reasons[2].observed, r.reasons[2].threshold), (5.0, 14.0));
    // Sample size.
    let p4 = ReadinessPolicy {
        min_sample_per_arm: 60_000,
        ..p.clone()
    };
    assert_eq!(failing(&assess_readiness(&e, &p4).unwrap()), ["min_sample"]);
    // Guardrail with a tight margin: +0.73% page load against a 0.1% margin.
    let mut p5 = p.clone();
    p5.guardrails[0].max_relative_regression = 0.001;
    let r = assess_readiness(&e, &p5).unwrap();
    assert_eq!(failing(&r), ["guardrail"]);
    assert!(
        r.reasons[4].message.contains("exceeds"),
        "{}",
        r.reasons[4].message
    );
    // Primary not significant.
    let mut e6 = e.clone();
    e6.metrics[0] = json::from_str(
        r#"{"name": "conversion", "kind": "proportion", "control": {"visitors": 48000, "conversions": 4800},
            "treatment": {"visitors": 48500, "conversions": 4870}}"#,
    )
    .unwrap();
    let r = assess_readiness(&e6, &p).unwrap();
    assert_eq!(failing(&r), ["primary_metric"]);
    assert_eq!(r.verdicts[0].verdict, Verdict::Inconclusive);
}

#[test]
fn sequential_mode_is_more_conservative() {
    let (e, p) = sample();
    let fixed = assess_readiness(&e, &p).unwrap();
    let seq = assess_readiness(
        &e,
        &ReadinessPolicy {
            sequential: Some(SequentialOptions::default()),
            ..p
        },
    )
    .unwrap();
    let (a, b) = (&fixed.verdicts[0], &seq.verdicts[0]);
    assert!(b.p_value > a.p_value);
    assert!(b.absolute_ci.hi - b.absolute_ci.lo > a.absolute_ci.hi - a.absolute_ci.lo);
    assert!(seq.ready);
}
