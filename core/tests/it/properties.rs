//! Invariants, by proptest (default 256 cases; PROPTEST_CASES raises it locally).

use proptest::prelude::*;
use scaleplan::significance::*;

fn arm() -> impl Strategy<Value = Proportion> {
    (1u64..2_000_000)
        .prop_flat_map(|n| (Just(n), 0..=n))
        .prop_map(|(n, c)| Proportion::new(n, c).unwrap())
}

fn mean_arm() -> impl Strategy<Value = MeanSummary> {
    (2u64..100_000, -1e3f64..1e3, 1e-3f64..1e4)
        .prop_map(|(n, m, v)| MeanSummary::new(n, m, v).unwrap())
}

fn alt() -> impl Strategy<Value = Alternative> {
    prop_oneof![
        Just(Alternative::TwoSided),
        Just(Alternative::Less),
        Just(Alternative::Greater)
    ]
}

proptest! {
    #[test]
    fn proportions_p_in_unit_interval_and_ci_contains_estimate(c in arm(), t in arm(), a in alt(), alpha in 0.001f64..0.5) {
        let r = two_proportions(&c, &t, &TestOptions { alpha, alternative: a }).unwrap();
        prop_assert!((0.0..=1.0).contains(&r.p_value));
        prop_assert!(r.absolute_ci.contains(r.absolute_effect));
        if let (Some(l), Some(ci)) = (r.relative_lift, r.relative_ci) { prop_assert!(ci.contains(l)); }
    }

    #[test]
    fn batch_equals_scalar_bit_for_bit(arms in prop::collection::vec((arm(), arm()), 1..20), a in alt()) {
        let o = TestOptions { alternative: a, ..Default::default() };
        let col = |f: fn(&(Proportion, Proportion)) -> f64| arms.iter().map(f).collect::<Vec<_>>();
        let b = two_proportions_batch(
            &col(|x| x.0.visitors() as f64),
            &col(|x| x.0.conversions() as f64),
            &col(|x| x.1.visitors() as f64),
            &col(|x| x.1.conversions() as f64),
            &o,
        ).unwrap();
        for (i, (c, t)) in arms.iter().enumerate() {
            let r = two_proportions(c, t, &o).unwrap();
            prop_assert_eq!(b.z[i].to_bits(), r.z.to_bits());
            prop_assert_eq!(b.p_value[i].to_bits(), r.p_value.to_bits());
            prop_assert_eq!(b.absolute_ci_lo[i].to_bits(), r.absolute_ci.lo.to_bits());
            prop_assert_eq!(b.absolute_ci_hi[i].to_bits(), r.absolute_ci.hi.to_bits());
            match r.relative_ci {
                Some(ci) => {
                    prop_assert_eq!(b.relative_ci_lo[i].to_bits(), ci.lo.to_bits());
                    prop_assert_eq!(b.relative_ci_hi[i].to_bits(), ci.hi.to_bits());
                }
                None => prop_assert!(b.relative_lift[i].is_nan() && b.relative_ci_lo[i].is_nan()),
            }
        }
    }

    #[test]
    fn swapping_arms_negates_effect_and_keeps_two_sided_p(c in arm(), t in arm()) {
        let o = TestOptions::default();
        let ab = two_proportions(&c, &t, &o).unwrap();
        let ba = two_proportions(&t, &c, &o).unwrap();
        prop_assert_eq!(ab.absolute_effect, -ba.absolute_effect);
        prop_assert_eq!(ab.z, -ba.z);
        prop_assert!((ab.p_value - ba.p_value).abs() <= 1e-15);
    }

    #[test]
    fn one_sided_p_values_add_to_one(c in arm(), t in arm()) {
        let g = two_proportions(&c, &t, &TestOptions { alternative: Alternative::Greater, ..Default::default() }).unwrap();
        let l = two_proportions(&c, &t, &TestOptions { alternative: Alternative::Less, ..Default::default() }).unwrap();
        prop_assert!((g.p_value + l.p_value - 1.0).abs() < 1e-12 || g.z == 0.0);
    }

    #[test]
    fn welch_invariants(c in mean_arm(), t in mean_arm(), a in alt()) {
        let r = welch(&c, &t, &TestOptions { alternative: a, ..Default::default() }).unwrap();
        prop_assert!((0.0..=1.0).contains(&r.p_value));
        prop_assert!(r.absolute_ci.contains(r.absolute_effect));
        let df_min = (c.n().min(t.n()) - 1) as f64;
        prop_assert!(r.df >= df_min * (1.0 - 1e-9) && r.df <= (c.n() + t.n() - 2) as f64 * (1.0 + 1e-9));
        let s = welch(&t, &c, &TestOptions { alternative: Alternative::TwoSided, ..Default::default() }).unwrap();
        let r2 = welch(&c, &t, &TestOptions::default()).unwrap();
        prop_assert!((s.p_value - r2.p_value).abs() < 1e-12);
        prop_assert_eq!(s.t, -r2.t);
    }

    #[test]
    fn adjusted_p_values_are_valid(p in prop::collection::vec(0.0f64..=1.0, 1..40)) {
        for adj in [holm(&p).unwrap(), benjamini_hochberg(&p).unwrap()] {
            let mut idx: Vec<usize> = (0..p.len()).collect();
            idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
            for w in idx.windows(2) {
                // monotone in the raw p-values
                prop_assert!(adj[w[0]] <= adj[w[1]]);
            }
            for i in 0..p.len() {
                prop_assert!(adj[i] >= p[i] && adj[i] <= 1.0);
            }
        }
        // Holm is at least as conservative as BH.
        let (h, b) = (holm(&p).unwrap(), benjamini_hochberg(&p).unwrap());
        for i in 0..p.len() { prop_assert!(h[i] >= b[i] - 1e-15); }
    }

    #[test]
    fn sequential_p_is_valid_and_monotone_with_previous(est in -1.0f64..1.0, se in 1e-4f64..1.0, n in 10.0f64..1e7, prev in 0.0f64..=1.0) {
        let r = sequential(est, se, n, &SequentialOptions::default(), Some(prev)).unwrap();
        prop_assert!(r.p_value <= prev && (0.0..=1.0).contains(&r.p_value));
        prop_assert!(r.confidence_sequence.contains(est));
        prop_assert_eq!(r.significant, r.p_value < 0.05);
    }

    #[test]
    fn bayes_chance_and_losses(c in arm(), t in arm()) {
        let r = beta_binomial(&c, &t, &BetaPrior::default()).unwrap();
        prop_assert!((0.0..=1.0).contains(&r.chance_to_beat_control));
        prop_assert!(r.expected_loss_treatment >= 0.0 && r.expected_loss_control >= 0.0);
    }
}

#[test]
fn always_valid_under_continuous_monitoring() {
    // A/A test, looked at after every batch of 200 users per arm, 100 looks, 400 seeded runs: the share
    // of runs ever declared significant must stay below alpha (the fixed-horizon z test, peeked at the
    // same way, exceeds it several times over).
    let mut state: u64 = 0x5eed;
    let mut uniform = move || {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    };
    let (runs, looks, batch, rate) = (400, 100, 200u64, 0.1);
    let (mut seq_hits, mut naive_hits) = (0, 0);
    for _ in 0..runs {
        let (mut cc, mut tc, mut n) = (0u64, 0u64, 0u64);
        let (mut seq_hit, mut naive_hit) = (false, false);
        let mut prev = None;
        for _ in 0..looks {
            for _ in 0..batch {
                cc += u64::from(uniform() < rate);
                tc += u64::from(uniform() < rate);
            }
            n += batch;
            let (c, t) = (
                Proportion::new(n, cc).unwrap(),
                Proportion::new(n, tc).unwrap(),
            );
            let z = two_proportions(&c, &t, &TestOptions::default()).unwrap();
            naive_hit |= z.p_value < 0.05;
            let (pc, pt) = (c.rate(), t.rate());
            let se = (pc * (1.0 - pc) / n as f64 + pt * (1.0 - pt) / n as f64).sqrt();
            if se > 0.0 {
                let s = sequential(
                    pt - pc,
                    se,
                    2.0 * n as f64,
                    &SequentialOptions::default(),
                    prev,
                )
                .unwrap();
                prev = Some(s.p_value);
                seq_hit |= s.significant;
            }
        }
        seq_hits += usize::from(seq_hit);
        naive_hits += usize::from(naive_hit);
    }
    let (seq_rate, naive_rate) = (
        seq_hits as f64 / runs as f64,
        naive_hits as f64 / runs as f64,
    );
    assert!(
        seq_rate <= 0.05,
        "sequential false-positive rate {seq_rate}"
    );
    assert!(
        naive_rate > 0.15,
        "peeking at a fixed-horizon test should inflate errors, got {naive_rate}"
    );
}

mod estimate_props {
    use proptest::prelude::*;
    use scaleplan::estimate::*;

    proptest! {
        /// A metric oscillating inside the HPA's tolerance band never changes the replica count, neither in
        /// the raw rule nor through the behaviour (stabilisation and rate limits) over a long run.
        #[test]
        fn hpa_never_flaps_inside_the_tolerance_band(
            replicas in 1u64..60,
            target in 20u32..90,
            tolerance in 0.02f64..0.3,
            wiggles in proptest::collection::vec(0.0f64..1.0, 1..80),
        ) {
            let behavior = HpaBehavior::new(1, 200);
            let mut state = HpaState::default();
            for (k, w) in wiggles.iter().enumerate() {
                // An integer utilisation (Kubernetes' unit) u with |u / target - 1| < tol.
                let t = f64::from(target);
                let (lo, hi) = ((t * (1.0 - tolerance)).floor() + 1.0, (t * (1.0 + tolerance)).ceil() - 1.0);
                let u = (lo + (w * (hi - lo + 1.0)).floor()).min(hi);
                let usage = 10.0 * u;
                let target = t;
                let pods = vec![Pod { state: PodState::Ready, request_milli: 1000.0, usage_milli: Some(usage) }; replicas as usize];
                let r = hpa_desired_replicas(replicas, &pods, target, tolerance).unwrap();
                prop_assert_eq!(r.desired_replicas, replicas, "{}", r.reason);
                let d = state.step(&behavior, 15.0 * k as f64, replicas as u32, r.desired_replicas as u32).unwrap();
                prop_assert_eq!(u64::from(d.replicas), replicas);
            }
        }

        /// Users hovering inside the hysteresis band of any boundary cause at most one phase transition,
        /// and exactly one phase is active at every step.
        #[test]
        fn growth_phases_never_flap_at_a_boundary(
            boundary in 1usize..4,
            start in 0usize..4,
            hover in proptest::collection::vec(-0.999f64..0.999, 1..100),
        ) {
            let plan = GrowthPlan::default();
            let b = plan.phases[boundary].min_users;
            let h = plan.hysteresis;
            let mut active = plan.phases[start].name.clone();
            let mut transitions = 0;
            for x in hover {
                let users = b * (1.0 + x * h);
                let r = plan.recommend(Some(&active), users).unwrap();
                prop_assert_eq!(plan.phases.iter().filter(|p| p.name == r.phase).count(), 1);
                if let Some(t) = r.transition {
                    prop_assert_eq!(&t.from, &active);
                    transitions += 1;
                }
                active = r.phase;
            }
            prop_assert!(transitions <= 1, "{} transitions", transitions);
        }

        /// Estimates are monotone in demand: more users never need fewer instances or cost less.
        #[test]
        fn estimate_is_monotone_in_target_users(a in 1_000.0f64..200_000.0, b in 1_000.0f64..200_000.0) {
            let catalog = PriceCatalog::from_json(r#"{"name": "p", "currency": "USD",
                "instances": [{"name": "app", "vcpu": 4, "memory_gib": 16, "hourly": "0.192"}]}"#).unwrap();
            let req = |users: f64| {
                let mut r: EstimateRequest = scaleplan::json::from_str(r#"{"target_users": 1000, "instance_type": "app",
                    "demand": {"users": 1000, "peak_rps_per_user": 0.03, "cpu_seconds_per_request": 0.015}}"#).unwrap();
                r.target_users = users;
                r
            };
            let (lo, hi) = (a.min(b), a.max(b));
            let (x, y) = (estimate(&req(lo), &catalog).unwrap(), estimate(&req(hi), &catalog).unwrap());
            prop_assert!(x.configuration.sizing.instances <= y.configuration.sizing.instances);
            prop_assert!(x.totals.monthly <= y.totals.monthly);
            prop_assert!(y.range.low.totals.monthly <= y.range.expected.totals.monthly);
            prop_assert!(y.range.expected.totals.monthly <= y.range.high.totals.monthly);
        }
    }
}
