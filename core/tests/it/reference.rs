//! Every `testdata/significance` fixture, at its own tolerance.

use scaleplan::significance::*;
use serde_json::Value;

use crate::tolerance::{check, fixture};

fn opts(c: &Value) -> TestOptions {
    TestOptions {
        alpha: c["alpha"].as_f64().unwrap(),
        alternative: c["alternative"]
            .as_str()
            .map_or(Ok(Alternative::TwoSided), str::parse)
            .unwrap(),
    }
}

fn interval(
    name: &str,
    field: &str,
    actual: Option<Interval>,
    expected: &Value,
    rel: f64,
    abs: f64,
) {
    if expected.is_null() {
        assert!(actual.is_none(), "{name}: {field} should be None");
        return;
    }
    let a = actual.unwrap_or_else(|| panic!("{name}: {field} missing"));
    check(
        name,
        &format!("{field}.lo"),
        Some(a.lo),
        &expected["lo"],
        rel,
        abs,
    );
    check(
        name,
        &format!("{field}.hi"),
        Some(a.hi),
        &expected["hi"],
        rel,
        abs,
    );
}

#[test]
fn proportions_match_statsmodels() {
    let (rel, abs, cases) = fixture("proportions.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let arm: Proportion = serde_json::from_value(c["control"].clone()).unwrap();
        let t: Proportion = serde_json::from_value(c["treatment"].clone()).unwrap();
        let r = two_proportions(&arm, &t, &opts(c)).unwrap();
        let e = &c["expected"];
        check(name, "z", Some(r.z), &e["z"], rel, abs);
        check(name, "p_value", Some(r.p_value), &e["p_value"], rel, abs);
        effects(
            name,
            e,
            (rel, abs),
            (r.absolute_effect, r.absolute_ci),
            (r.relative_lift, r.relative_ci),
        );
        // The batch form gives the same numbers.
        let f = |a: &Proportion| (a.visitors() as f64, a.conversions() as f64);
        let b = two_proportions_batch(&[f(&arm).0], &[f(&arm).1], &[f(&t).0], &[f(&t).1], &opts(c))
            .unwrap();
        assert_eq!(b.z[0], r.z, "{name}: batch z");
        assert_eq!(b.p_value[0], r.p_value, "{name}: batch p");
    }
}

/// The four effect fields every frequentist test reports: absolute effect and interval, relative lift and
/// interval.
fn effects(
    name: &str,
    e: &Value,
    (rel, abs): (f64, f64),
    (effect, ci): (f64, Interval),
    (lift, lift_ci): (Option<f64>, Option<Interval>),
) {
    check(
        name,
        "absolute_effect",
        Some(effect),
        &e["absolute_effect"],
        rel,
        abs,
    );
    interval(name, "absolute_ci", Some(ci), &e["absolute_ci"], rel, abs);
    check(name, "relative_lift", lift, &e["relative_lift"], rel, abs);
    interval(name, "relative_ci", lift_ci, &e["relative_ci"], rel, abs);
}

#[test]
fn welch_matches_scipy() {
    let (rel, abs, cases) = fixture("welch.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let ctl: MeanSummary = serde_json::from_value(c["control"].clone()).unwrap();
        let trt: MeanSummary = serde_json::from_value(c["treatment"].clone()).unwrap();
        let r = welch(&ctl, &trt, &opts(c)).unwrap();
        let e = &c["expected"];
        check(name, "t", Some(r.t), &e["t"], rel, abs);
        check(name, "df", Some(r.df), &e["df"], rel, abs);
        check(name, "p_value", Some(r.p_value), &e["p_value"], rel, abs);
        effects(
            name,
            e,
            (rel, abs),
            (r.absolute_effect, r.absolute_ci),
            (r.relative_lift, r.relative_ci),
        );
    }
}

/// `welch_batch` over the scipy cases tiled to 5,000 rows (so that it runs in parallel chunks): every row
/// as the fixture, and the first bad row (by index, not by which chunk finished first) is the error.
#[test]
fn welch_batch_matches_scipy_in_parallel() {
    let (rel, abs, cases) = fixture("welch.json");
    let mut groups: std::collections::BTreeMap<String, Vec<&Value>> = Default::default();
    for c in cases.as_array().unwrap() {
        groups
            .entry(format!("{}/{}", c["alpha"], c["alternative"]))
            .or_default()
            .push(c);
    }
    for group in groups.values() {
        let rows: Vec<&Value> = group.iter().cycle().take(5_000).copied().collect();
        let col = |arm: &str, f: &str| -> Vec<f64> {
            rows.iter().map(|c| c[arm][f].as_f64().unwrap()).collect()
        };
        let (cn, cm, cv) = (
            col("control", "n"),
            col("control", "mean"),
            col("control", "variance"),
        );
        let (tn, tm, tv) = (
            col("treatment", "n"),
            col("treatment", "mean"),
            col("treatment", "variance"),
        );
        let b = welch_batch(&cn, &cm, &cv, &tn, &tm, &tv, &opts(rows[0])).unwrap();
        assert_eq!(b.t.len(), 5_000);
        for (i, c) in rows.iter().enumerate() {
            let (name, e) = (c["name"].as_str().unwrap(), &c["expected"]);
            check(name, "t", Some(b.t[i]), &e["t"], rel, abs);
            check(name, "df", Some(b.df[i]), &e["df"], rel, abs);
            check(name, "p_value", Some(b.p_value[i]), &e["p_value"], rel, abs);
            let ci = Interval {
                lo: b.absolute_ci_lo[i],
                hi: b.absolute_ci_hi[i],
            };
            let lift = Some(b.relative_lift[i]).filter(|v| !v.is_nan());
            let lift_ci = lift.map(|_| Interval {
                lo: b.relative_ci_lo[i],
                hi: b.relative_ci_hi[i],
            });
            effects(
                name,
                e,
                (rel, abs),
                (b.absolute_effect[i], ci),
                (lift, lift_ci),
            );
        }
        let mut bad = cv.clone();
        bad[4_500] = -1.0;
        bad[3_000] = f64::NAN;
        let err = welch_batch(&cn, &cm, &bad, &tn, &tm, &tv, &opts(rows[0])).unwrap_err();
        assert_eq!(err.code(), "not_finite");
        assert!(err.to_string().contains("control[3000]"), "{err}");
    }
}

#[test]
fn ratio_matches_delta_method() {
    let (rel, abs, cases) = fixture("ratio.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let ctl: RatioSummary = serde_json::from_value(c["control"].clone()).unwrap();
        let trt: RatioSummary = serde_json::from_value(c["treatment"].clone()).unwrap();
        let r = ratio(&ctl, &trt, &opts(c)).unwrap();
        let e = &c["expected"];
        check(
            name,
            "control_ratio",
            Some(r.control_ratio),
            &e["control_ratio"],
            rel,
            abs,
        );
        check(name, "z", Some(r.z), &e["z"], rel, abs);
        check(name, "p_value", Some(r.p_value), &e["p_value"], rel, abs);
        interval(
            name,
            "absolute_ci",
            Some(r.absolute_ci),
            &e["absolute_ci"],
            rel,
            abs,
        );
        interval(
            name,
            "relative_ci",
            r.relative_ci,
            &e["relative_ci"],
            rel,
            abs,
        );
    }
}

#[test]
fn cuped_matches_scipy_on_adjusted_data() {
    let (rel, abs, cases) = fixture("cuped.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let arm = |v: &Value| {
            if c["kind"] == "proportion" {
                CupedArm::from_proportion(
                    v["n"].as_u64().unwrap(),
                    v["conversions"].as_u64().unwrap(),
                    v["covariate_mean"].as_f64().unwrap(),
                    v["covariate_variance"].as_f64().unwrap(),
                    v["covariance"].as_f64().unwrap(),
                )
                .unwrap()
            } else {
                let mut v = v.clone();
                v.as_object_mut().unwrap().remove("conversions");
                serde_json::from_value(v).unwrap()
            }
        };
        let r = cuped(
            &arm(&c["control"]),
            &arm(&c["treatment"]),
            &TestOptions::default(),
        )
        .unwrap();
        let e = &c["expected"];
        check(name, "theta", Some(r.theta), &e["theta"], rel, abs);
        check(
            name,
            "variance_reduction",
            Some(r.variance_reduction),
            &e["variance_reduction"],
            rel,
            abs,
        );
        check(name, "t", Some(r.adjusted.t), &e["t"], rel, abs);
        check(name, "df", Some(r.adjusted.df), &e["df"], rel, abs);
        check(
            name,
            "p_value",
            Some(r.adjusted.p_value),
            &e["p_value"],
            rel,
            abs,
        );
        check(
            name,
            "absolute_effect",
            Some(r.adjusted.absolute_effect),
            &e["absolute_effect"],
            rel,
            abs,
        );
        interval(
            name,
            "absolute_ci",
            Some(r.adjusted.absolute_ci),
            &e["absolute_ci"],
            rel,
            abs,
        );
        check(
            name,
            "unadjusted_t",
            Some(r.unadjusted.t),
            &e["unadjusted_t"],
            rel,
            abs,
        );
        check(
            name,
            "unadjusted_p_value",
            Some(r.unadjusted.p_value),
            &e["unadjusted_p_value"],
            rel,
            abs,
        );
    }
}

#[test]
fn srm_matches_scipy_chisquare() {
    let (rel, abs, cases) = fixture("srm.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let obs: Vec<f64> = serde_json::from_value(c["observed"].clone()).unwrap();
        let w: Vec<f64> = serde_json::from_value(c["expected_weights"].clone()).unwrap();
        let r = srm(
            &obs,
            &w,
            &SrmOptions {
                threshold: c["threshold"].as_f64().unwrap(),
            },
        )
        .unwrap();
        check(name, "chi2", Some(r.chi2), &c["expected"]["chi2"], rel, abs);
        check(
            name,
            "p_value",
            Some(r.p_value),
            &c["expected"]["p_value"],
            rel,
            abs,
        );
        assert_eq!(
            r.mismatch,
            c["expected"]["mismatch"].as_bool().unwrap(),
            "{name}: mismatch"
        );
    }
}

#[test]
fn corrections_match_statsmodels() {
    let (rel, abs, cases) = fixture("correction.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let p: Vec<f64> = serde_json::from_value(c["p_values"].clone()).unwrap();
        for (method, got) in [
            ("holm", holm(&p).unwrap()),
            ("benjamini_hochberg", benjamini_hochberg(&p).unwrap()),
        ] {
            for (i, g) in got.iter().enumerate() {
                check(
                    name,
                    &format!("{method}[{i}]"),
                    Some(*g),
                    &c["expected"][method][i],
                    rel,
                    abs,
                );
            }
        }
    }
}

#[test]
fn sequential_matches_mixture_quadrature() {
    let (rel, abs, cases) = fixture("sequential.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let o = SequentialOptions {
            alpha: c["alpha"].as_f64().unwrap(),
            tuning_sample_size: c["tuning_sample_size"].as_f64().unwrap(),
        };
        let f = |k: &str| c[k].as_f64().unwrap();
        let r = sequential(f("estimate"), f("std_error"), f("sample_size"), &o, None).unwrap();
        let e = &c["expected"];
        check(name, "p_value", Some(r.p_value), &e["p_value"], rel, abs);
        check(
            name,
            "log_likelihood_ratio",
            Some(r.log_likelihood_ratio),
            &e["log_likelihood_ratio"],
            rel,
            abs,
        );
        check(
            name,
            "mixing_variance",
            Some(r.mixing_variance),
            &e["mixing_variance"],
            rel,
            abs,
        );
        interval(
            name,
            "confidence_sequence",
            Some(r.confidence_sequence),
            &e["confidence_sequence"],
            rel,
            abs,
        );
        assert_eq!(
            r.significant,
            e["significant"].as_bool().unwrap(),
            "{name}: significant"
        );
    }
}

#[test]
fn beta_binomial_matches_scipy_quadrature() {
    let (rel, abs, cases) = fixture("bayes.json");
    for c in cases.as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let ctl: Proportion = serde_json::from_value(c["control"].clone()).unwrap();
        let trt: Proportion = serde_json::from_value(c["treatment"].clone()).unwrap();
        let prior: BetaPrior = serde_json::from_value(c["prior"].clone()).unwrap();
        let r = beta_binomial(&ctl, &trt, &prior).unwrap();
        let e = &c["expected"];
        check(
            name,
            "chance_to_beat_control",
            Some(r.chance_to_beat_control),
            &e["chance_to_beat_control"],
            rel,
            abs,
        );
        check(
            name,
            "expected_loss_treatment",
            Some(r.expected_loss_treatment),
            &e["expected_loss_treatment"],
            rel,
            abs,
        );
        check(
            name,
            "expected_loss_control",
            Some(r.expected_loss_control),
            &e["expected_loss_control"],
            rel,
            abs,
        );
        check(
            name,
            "difference_mean",
            Some(r.difference_mean),
            &e["difference_mean"],
            rel,
            abs,
        );
    }
}

#[test]
fn power_matches_statsmodels() {
    let (rel, abs, cases) = fixture("power.json");
    for c in cases["proportions"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let o = PowerOptions {
            alpha: c["alpha"].as_f64().unwrap(),
            power: c["power"].as_f64().unwrap(),
            relative: c["relative"].as_bool().unwrap(),
            alternative: c["alternative"].as_str().unwrap().parse().unwrap(),
        };
        let n = sample_size_proportions(
            c["baseline_rate"].as_f64().unwrap(),
            c["mde"].as_f64().unwrap(),
            &o,
        )
        .unwrap();
        check(
            name,
            "n_per_arm",
            Some(n),
            &c["expected"]["n_per_arm"],
            rel,
            abs,
        );
        let back = &c["expected"]["mde_for_ceil_n"];
        if !back.is_null() {
            let m = mde_proportions(
                c["baseline_rate"].as_f64().unwrap(),
                back["n_per_arm"].as_f64().unwrap(),
                &o,
            )
            .unwrap();
            check(name, "mde", Some(m), &back["mde"], rel, abs);
        }
    }
    for c in cases["means"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let o = PowerOptions {
            relative: c["relative"].as_bool().unwrap(),
            ..PowerOptions::default()
        };
        let f = |k: &str| c[k].as_f64().unwrap();
        let n = sample_size_means(f("std_dev"), f("baseline_mean"), f("mde"), &o).unwrap();
        check(
            name,
            "n_per_arm",
            Some(n),
            &c["expected"]["n_per_arm"],
            rel,
            abs,
        );
    }
}
