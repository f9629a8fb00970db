//! `slo_report` against the SRE workbook's worked numbers (Beyer et al., "The Site Reliability
//! Workbook", 2018, ch. 2 "Implementing SLOs" and ch. 5 "Alerting on SLOs"): a 99.9 % objective over
//! 30 days allows 43.2 minutes; a burn rate of 14.4 for one hour spends 2 % of that budget, 6 for six
//! hours 5 %, 1 for three days 10 %. Every expected number below is derived by hand from those
//! definitions (stated beside it), not by the code under test.

use scaleplan::rollout::{Incident, Timestamp, Window};
use scaleplan::slo::{SloObjectives, SloPeriod, Status, slo_report};

const HOUR: i64 = 3_600;
const DAYS_30: i64 = 30 * 86_400;

/// Hourly windows over 30 days from the epoch, 100,000 requests each, `errors(h)` errors in hour `h`.
fn month(errors: impl Fn(i64) -> u64, p95: impl Fn(i64) -> f64) -> Vec<Window> {
    (0..720)
        .map(|h| {
            Window::new(
                Timestamp::from_unix(h * HOUR),
                Timestamp::from_unix((h + 1) * HOUR),
                100_000,
                errors(h),
                Some(p95(h)),
            )
        })
        .collect()
}

fn three_nines() -> SloObjectives {
    SloObjectives {
        availability_pct: 99.9,
        ..SloObjectives::default()
    }
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: {got} vs {want}"
    );
}

#[test]
fn the_workbook_budget_and_burn_rates() {
    let period = SloPeriod::default();
    // no errors at all: 43.2 minutes (0.1 % of 43,200), all of it left
    let clean = month(|_| 0, |_| 250.0);
    let r = slo_report(&clean, &[], &three_nines(), &period).unwrap();
    assert_eq!(r.periods.len(), 1);
    let p = &r.periods[0];
    assert!(p.complete && p.met);
    close(p.budget.total_minutes, 43.2, "budget minutes");
    close(p.budget.remaining, 1.0, "remaining");
    // the last hour at burn rate 14.4 (1.44 % errors): 14.4 x 1 h / 720 h = 2 % of the budget
    let page = month(|h| if h == 719 { 1_440 } else { 0 }, |_| 250.0);
    let p = &slo_report(&page, &[], &three_nines(), &period)
        .unwrap()
        .periods[0];
    close(p.budget.consumed, 0.02, "14.4 for 1 h");
    close(p.budget.consumed_minutes, 0.864, "2 % of 43.2 min");
    close(p.budget.remaining_minutes, 42.336, "the rest");
    // burn rates at the end of that hour: 1 h 14.4 (not above the 14.4 threshold: no page), 6 h 2.4,
    // 1 d 0.6, 3 d 0.2; the 5 min, 30 min, 2 h and 6 h short windows see the bad hour's share
    let b = &p.burn_rates;
    let longs: Vec<f64> = b.iter().map(|x| x.burn_long).collect();
    assert_eq!(longs, vec![14.4, 2.4, 0.6, 0.2]);
    assert!(b.iter().all(|x| !x.firing));
    // six hours at burn rate 6 (0.6 % errors): 6 x 6 / 720 = 5 %; the 6 h / 30 min pair is at its
    // threshold exactly and does not fire
    let ticket = month(|h| if h >= 714 { 600 } else { 0 }, |_| 250.0);
    let p = &slo_report(&ticket, &[], &three_nines(), &period)
        .unwrap()
        .periods[0];
    close(p.budget.consumed, 0.05, "6 for 6 h");
    assert_eq!(p.burn_rates[1].burn_long, 6.0);
    assert!(!p.burn_rates[1].firing);
    // three days at burn rate 1 (0.1 % errors): 72 / 720 = 10 %
    let slow = month(|h| if h >= 648 { 100 } else { 0 }, |_| 250.0);
    let p = &slo_report(&slow, &[], &three_nines(), &period)
        .unwrap()
        .periods[0];
    close(p.budget.consumed, 0.10, "1 for 3 d");
    assert_eq!(p.burn_rates[3].burn_long, 1.0);
    // one more error per hour in the last hour of the six: 601 > 600, the 6 h pair fires
    let fire = month(
        |h| {
            if h >= 714 {
                if h == 719 { 700 } else { 600 }
            } else {
                0
            }
        },
        |_| 250.0,
    );
    let p = &slo_report(&fire, &[], &three_nines(), &period)
        .unwrap()
        .periods[0];
    assert!(p.burn_rates[1].firing, "{:?}", p.burn_rates[1]);
}

#[test]
fn objectives_are_judged_with_their_evidence() {
    // 0.3 % errors every hour against the plan's 99.5 %: availability 99.7 % met, error rate met,
    // budget 60 % spent (0.3 / 0.5) so 40 % left: the "at least half left" objective is missed
    let w = month(|_| 300, |h| if h < 10 { 400.0 } else { 250.0 });
    let incidents = vec![
        Incident {
            id: "INC-1".into(),
            severity: "P1".into(),
            opened_at: Timestamp::from_unix(10 * HOUR),
            resolved_at: Some(Timestamp::from_unix(10 * HOUR + 1_800)),
        },
        Incident {
            id: "INC-2".into(),
            severity: "P2".into(),
            opened_at: Timestamp::from_unix(100 * HOUR),
            resolved_at: Some(Timestamp::from_unix(100 * HOUR + 5_400)),
        },
    ];
    let r = slo_report(
        &w,
        &incidents,
        &SloObjectives::default(),
        &SloPeriod::default(),
    )
    .unwrap();
    let p = &r.periods[0];
    let status = |name: &str| {
        let c = p.objectives.iter().find(|c| c.objective == name).unwrap();
        (c.status, c.evidence.clone())
    };
    close(p.availability_pct, 99.7, "availability");
    assert_eq!(status("availability").0, Status::Met);
    assert_eq!(status("error_rate").0, Status::Met);
    close(p.budget.remaining, 0.4, "budget left");
    let (s, why) = status("error_budget");
    assert_eq!(s, Status::Missed);
    assert!(why.contains("40.0 % of the error budget remains"), "{why}");
    // 710 of 720 windows under 300 ms: 98.61 % < 99 %
    assert_eq!((p.latency_windows, p.latency_windows_met), (720, 710));
    let (s, why) = status("p95_latency");
    assert_eq!(s, Status::Missed);
    assert!(why.contains("710 of 720 windows"), "{why}");
    // MTTR (30 + 90) / 2 = 60 min: met at the one-hour ceiling; MTBF (30 d - 2 h) / 2
    assert_eq!(p.incidents.mttr_secs, Some(3_600.0));
    assert_eq!(p.incidents.mtbf_secs, Some((DAYS_30 - 7_200) as f64 / 2.0));
    assert_eq!(status("mttr").0, Status::Met);
    assert!(!p.met);
}

#[test]
fn daily_periods_make_a_dashboard_series() {
    let w = month(|h| if h == 719 { 1_440 } else { 0 }, |_| 250.0);
    let day = SloPeriod {
        length_secs: 86_400,
        start: None,
    };
    let r = slo_report(&w, &[], &three_nines(), &day).unwrap();
    assert_eq!(r.periods.len(), 30);
    // a day's budget is 0.1 % of 1,440 min = 1.44 min; the bad hour spends 14.4 / 24 = 60 % of the last
    close(r.periods[29].budget.total_minutes, 1.44, "daily budget");
    close(r.periods[29].budget.consumed, 0.6, "last day");
    assert!(r.periods[..29].iter().all(|p| p.budget.consumed == 0.0));
    // a partial last period says so
    let r = slo_report(&w[..700], &[], &three_nines(), &day).unwrap();
    assert!(!r.periods.last().unwrap().complete);
    // no incident: MTTR has no data, which is not a miss
    let c = r.periods[0]
        .objectives
        .iter()
        .find(|c| c.objective == "mttr")
        .unwrap();
    assert_eq!(c.status, Status::NoData);
}

#[test]
fn bad_input_is_a_typed_error() {
    let w = month(|_| 0, |_| 250.0);
    let p = SloPeriod::default();
    let code = |w: &[Window], o: &SloObjectives, p: &SloPeriod| {
        slo_report(w, &[], o, p).unwrap_err().code()
    };
    assert_eq!(code(&[], &three_nines(), &p), "empty_input");
    let mut bad = w.clone();
    bad[3].errors = bad[3].requests + 1;
    assert_eq!(code(&bad, &three_nines(), &p), "invalid_window");
    let mut overlap = w.clone();
    overlap[5].start = Timestamp::from_unix(4 * HOUR + 60);
    let e = slo_report(&overlap, &[], &three_nines(), &p).unwrap_err();
    assert_eq!(e.code(), "invalid_window");
    assert!(e.to_string().contains("overlaps windows[4]"), "{e}");
    for a in [100.0, 0.0, f64::NAN, 99.999_999_9] {
        let o = SloObjectives {
            availability_pct: a,
            ..SloObjectives::default()
        };
        let c = code(&w, &o, &p);
        assert!(c == "out_of_range" || c == "not_finite", "{a}: {c}");
    }
    // five nines are fine
    let o = SloObjectives {
        availability_pct: 99.999,
        ..SloObjectives::default()
    };
    let r = slo_report(&w, &[], &o, &p).unwrap();
    close(
        r.periods[0].budget.total_minutes,
        0.432,
        "five nines over 30 days",
    );
    let zero = SloPeriod {
        length_secs: 0,
        start: None,
    };
    assert_eq!(code(&w, &three_nines(), &zero), "out_of_range");
    let late = Incident {
        id: "INC-9".into(),
        severity: "P1".into(),
        opened_at: Timestamp::from_unix(600),
        resolved_at: Some(Timestamp::from_unix(300)),
    };
    assert_eq!(
        slo_report(&w, &[late], &three_nines(), &p)
            .unwrap_err()
            .code(),
        "invalid_incident"
    );
}

mod plan {
    use scaleplan::rollout::Timestamp;
    use scaleplan::slo::{
        Criterion, PlanMetric, PlanMilestone, PlanObservation, PlanState, ScalePlan, plan_status,
    };

    fn day(d: i64) -> Timestamp {
        Timestamp::from_unix(86_400 * d)
    }

    /// The 30/60/90 plan of the seed: 10,000 / 25,000 / 50,000 concurrent users, p95 under 300 ms,
    /// availability 99.5 %, half the error budget left.
    fn plan() -> ScalePlan {
        let m = |name: &str, d: i64, users: f64| PlanMilestone {
            name: name.into(),
            due: day(d),
            criteria: vec![
                Criterion {
                    metric: PlanMetric::ConcurrentUsers,
                    target: users,
                },
                Criterion {
                    metric: PlanMetric::P95Ms,
                    target: 300.0,
                },
                Criterion {
                    metric: PlanMetric::AvailabilityPct,
                    target: 99.5,
                },
                Criterion {
                    metric: PlanMetric::ErrorBudgetRemaining,
                    target: 0.5,
                },
            ],
        };
        ScalePlan {
            milestones: vec![
                m("day 90", 90, 50_000.0),
                m("day 30", 30, 10_000.0),
                m("day 60", 60, 25_000.0),
            ],
        }
    }

    fn obs(d: i64, metric: PlanMetric, value: f64) -> PlanObservation {
        PlanObservation {
            at: day(d),
            metric,
            value,
        }
    }

    #[test]
    fn met_on_track_at_risk_and_missed() {
        use PlanMetric::*;
        // users: 4,000 on day 0, +300 a day (hand: 13,000 on day 30, 22,000 by day 60, 31,000 by 90)
        let mut o: Vec<PlanObservation> = (0..=40)
            .step_by(10)
            .map(|d| obs(d, ConcurrentUsers, 4_000.0 + 300.0 * d as f64))
            .collect();
        o.push(obs(40, P95Ms, 280.0));
        o.push(obs(40, AvailabilityPct, 99.7));
        o.push(obs(25, ErrorBudgetRemaining, 0.3)); // by day 30 the budget was below half
        o.push(obs(40, ErrorBudgetRemaining, 0.8));
        o.push(obs(45, ConcurrentUsers, 1e9)); // after as_of: ignored
        let s = plan_status(&plan(), &o, day(40)).unwrap();
        let names: Vec<&str> = s.milestones.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["day 30", "day 60", "day 90"]);
        let d30 = &s.milestones[0];
        // day 30: users met (13,000 on day 30 >= 10,000); p95 and availability not measured by day 30: missed;
        // budget 0.3 < 0.5 on day 25, the latest by day 30: missed
        assert_eq!(d30.criteria[0].state, PlanState::Met);
        assert_eq!(d30.criteria[1].state, PlanState::Missed);
        assert_eq!(d30.criteria[3].state, PlanState::Missed);
        assert!(
            d30.criteria[3]
                .evidence
                .contains("short of error_budget_remaining >= 0.5")
        );
        assert_eq!(d30.state, PlanState::Missed);
        // day 60: the line through (0, 4000) .. (40, 16000) is 300 a day: 22,000 on day 60 < 25,000
        let d60 = &s.milestones[1];
        assert_eq!(d60.criteria[0].state, PlanState::AtRisk);
        assert!((d60.criteria[0].projected.unwrap() - 22_000.0).abs() < 1e-6);
        assert_eq!(d60.criteria[1].state, PlanState::Met);
        assert_eq!(d60.criteria[3].state, PlanState::Met);
        assert_eq!(d60.state, PlanState::AtRisk);
        // a faster ramp: 600 a day from 4,000 reaches 40,000 by day 60: on track for 25,000
        let fast: Vec<PlanObservation> = (0..=20)
            .step_by(10)
            .map(|d| obs(d, ConcurrentUsers, 4_000.0 + 600.0 * d as f64))
            .collect();
        let s = plan_status(&plan(), &fast, day(20)).unwrap();
        assert_eq!(s.milestones[1].criteria[0].state, PlanState::OnTrack);
        assert_eq!(s.milestones[1].criteria[1].state, PlanState::AtRisk); // no p95 yet: nothing to project
    }

    #[test]
    fn bad_plans_are_typed_errors() {
        let empty = ScalePlan { milestones: vec![] };
        assert_eq!(
            plan_status(&empty, &[], day(0)).unwrap_err().code(),
            "empty_input"
        );
        let nan = [obs(1, PlanMetric::P95Ms, f64::NAN)];
        assert_eq!(
            plan_status(&plan(), &nan, day(2)).unwrap_err().code(),
            "not_finite"
        );
    }
}
