//! Model-based property test of the rollout state machine over random command sequences: traffic never
//! rises without a passing gate or an accepted command, every change of phase or state has exactly one
//! audit event, refusals change nothing, rollback is reachable from every non-terminal state, terminal
//! states absorb, and replaying the same inputs reproduces the decision log.

use proptest::prelude::*;
use scaleplan::rollout::{
    Actor, Command, Context, Decision, DecisionKind, GatePolicy, Incident, Observation, Pct,
    PhaseSpec, Role, Rollout, RolloutPlan, Scope, Status, Timestamp, WaveMode, Window, apply,
    rejection,
};

#[derive(Debug, Clone)]
enum Op {
    Tick {
        errors: u64,
        requests: u64,
        p95: f64,
        missing: bool,
        event: bool,
    },
    Pause(Role),
    Resume(Role),
    Rollback(Role),
    Approve {
        target: usize,
        by_initiator: bool,
        revision: u64,
    },
    Incident {
        open: bool,
    },
    Confirm,
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Viewer),
        Just(Role::Operator),
        Just(Role::OperationsManager),
        Just(Role::Approver),
        Just(Role::Admin)
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0u64..60, prop_oneof![Just(30u64), Just(2000u64)], prop_oneof![Just(320.0), Just(500.0), Just(501.0), Just(900.0)], proptest::bool::weighted(0.1), proptest::bool::weighted(0.9))
            .prop_map(|(errors, requests, p95, missing, event)| Op::Tick { errors: errors.min(requests), requests, p95, missing, event }),
        1 => role().prop_map(Op::Pause),
        1 => role().prop_map(Op::Resume),
        1 => role().prop_map(Op::Rollback),
        1 => (0usize..5, proptest::bool::weighted(0.2), 0u64..3).prop_map(|(target, by_initiator, revision)| Op::Approve { target, by_initiator, revision }),
        1 => any::<bool>().prop_map(|open| Op::Incident { open }),
        1 => Just(Op::Confirm),
    ]
}

fn start() -> Rollout {
    let t0 = Timestamp::parse("2025-06-02T00:00:00Z").unwrap();
    let mut phases = vec![
        PhaseSpec::new(Pct::from_hundredths(1000), 600),
        PhaseSpec::new(Pct::from_hundredths(5000), 600),
        PhaseSpec::new(Pct::FULL, 900),
    ];
    phases[1].requires_approval = true;
    let plan = RolloutPlan::custom(phases, Scope::AllRegions, WaveMode::Sequential).unwrap();
    let r = Rollout::new("R-1", Some("carol".into()), plan, GatePolicy::default(), t0).unwrap();
    apply(
        &r,
        &Command::Start {
            actor: Actor::new("carol", Role::OperationsManager),
        },
        &Context::at(t0),
    )
    .unwrap()
    .state
}

/// Runs the ops; returns the decision log. Checks the invariants after every step.
fn run(ops: &[Op]) -> Vec<Decision> {
    let mut s = start();
    let t0 = s.attempt_start;
    let mut k: i64 = 0; // ticks so far
    let mut incidents: Vec<Incident> = Vec::new();
    let mut decisions = Vec::new();
    for op in ops {
        let now_tick = t0.plus(300 * (k + 1));
        let now_cmd = t0.plus(300 * k + 60);
        let (cmd, now) = match op {
            Op::Tick {
                errors,
                requests,
                p95,
                missing,
                event,
            } => {
                let w = Window::new(t0.plus(300 * k), now_tick, *requests, *errors, Some(*p95));
                let obs = Observation {
                    window: (!missing).then_some(w),
                    events: if *event { vec![now_tick] } else { vec![] },
                };
                k += 1;
                (
                    Command::Observe {
                        actor: None,
                        observation: obs,
                    },
                    now_tick,
                )
            }
            Op::Pause(r) => (
                Command::Pause {
                    actor: Actor::new("olga", *r),
                    reason: None,
                },
                now_cmd,
            ),
            Op::Resume(r) => (
                Command::Resume {
                    actor: Actor::new("olga", *r),
                },
                now_cmd,
            ),
            Op::Rollback(r) => (
                Command::Rollback {
                    actor: Actor::new("olga", *r),
                    reason: None,
                },
                now_cmd,
            ),
            Op::Approve {
                target,
                by_initiator,
                revision,
            } => (
                Command::Approve {
                    actor: Actor::new(
                        if *by_initiator { "carol" } else { "alice" },
                        Role::Approver,
                    ),
                    rollout_id: "R-1".into(),
                    plan_revision: *revision,
                    target_phase: *target,
                },
                now_cmd,
            ),
            Op::Incident { open } => {
                if *open {
                    incidents.push(Incident {
                        id: format!("INC-{}", incidents.len()),
                        severity: "P1".into(),
                        opened_at: now_cmd,
                        resolved_at: None,
                    });
                } else if let Some(i) = incidents.iter_mut().find(|i| i.resolved_at.is_none()) {
                    i.resolved_at = Some(now_cmd);
                }
                continue;
            }
            Op::Confirm => (Command::ConfirmRollback, now_cmd),
        };
        let ctx = Context {
            now,
            incidents: &incidents,
            expected_version: None,
        };
        // rollback is reachable from every non-terminal state
        if !s.status.is_terminal() && s.status != Status::RollingBack {
            let rb = apply(
                &s,
                &Command::Rollback {
                    actor: Actor::new("op", Role::Operator),
                    reason: None,
                },
                &ctx,
            );
            assert!(
                rb.is_ok(),
                "rollback refused in {:?}: {:?}",
                s.status,
                rb.err()
            );
        }
        let before = s.clone();
        match apply(&s, &cmd, &ctx) {
            Err(e) => {
                // a refusal changes nothing (the caller keeps the old state); terminal states absorb
                assert!(!e.code().is_empty());
                let _ = rejection(&s, &cmd, now, &e);
            }
            Ok(out) => {
                assert!(
                    !before.status.is_terminal(),
                    "a terminal state accepted {}",
                    cmd.name()
                );
                let after = out.state;
                assert_eq!(after.version, before.version + 1);
                let changed = before.phase_state() != after.phase_state();
                match &cmd {
                    Command::Observe { .. } => {
                        let d = out.decision.clone().unwrap();
                        assert_eq!(out.audit.len(), usize::from(changed));
                        if after.traffic() > before.traffic() {
                            assert_eq!(d.decision, DecisionKind::Advance);
                            assert_eq!(d.reasons[0].code(), "criteria_met");
                        }
                        decisions.push(d);
                    }
                    _ => {
                        assert_eq!(out.audit.len(), 1);
                        if after.traffic() > before.traffic() {
                            assert!(
                                matches!(cmd, Command::Resume { .. }),
                                "{} raised traffic",
                                cmd.name()
                            );
                            assert_eq!(before.status, Status::PausedRevertedToBaseline);
                        }
                    }
                }
                for a in &out.audit {
                    assert_eq!(
                        (a.before, a.after),
                        (before.phase_state(), after.phase_state())
                    );
                }
                if after.traffic() < before.traffic() {
                    assert!(
                        matches!(
                            after.status,
                            Status::RollingBack
                                | Status::PausedReverted
                                | Status::PausedRevertedToBaseline
                        ) || after.wave > before.wave
                    );
                }
                s = after;
            }
        }
    }
    decisions
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn machine_invariants_hold_on_random_sequences(ops in proptest::collection::vec(op(), 1..120)) {
        let first = run(&ops);
        let second = run(&ops);
        prop_assert_eq!(first, second);
    }
}
