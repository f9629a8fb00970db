//! `simulate`: replays the gating policy over recorded evidence (a back-test), taking and returning the JSON
//! of the policy spec's "Replay format" section. It runs [`super::machine::apply`], the code the live
//! service runs, tick by tick.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audit::{AuditEvent, AuditKind, Outcome, PhaseState};
use super::gate::{Incident, Window};
use super::machine::{
    Command, Context, Decision, Observation, RollbackRecord, Rollout, Status, apply, rejection,
    validate_window,
};
use super::plan::RolloutPlan;
use super::policy::{Actor, GatePolicy};
use crate::error::{Error, Result};
use crate::time::{Pct, Timestamp};

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
    Error::InvalidReplay {
        field: field.into(),
        message: message.into(),
    }
}

fn read<T: DeserializeOwned>(v: &Value, path: &str) -> Result<T> {
    T::deserialize(v).map_err(|e| invalid(path, e.to_string()))
}

fn read_list<T: DeserializeOwned>(v: Option<&Value>, path: &str) -> Result<Vec<T>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, x)| read(x, &format!("{path}[{i}]")))
            .collect(),
        Some(_) => Err(invalid(path, "must be a list")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayRollout {
    #[serde(default = "default_id")]
    id: String,
    #[serde(default)]
    initiator: Option<String>,
}

fn default_id() -> String {
    "rollout".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayStart {
    phase: usize,
    attempt_start: Timestamp,
    state: Status,
    #[serde(default)]
    version: u64,
    #[serde(default)]
    spike_at: Option<Timestamp>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum ReplayCommandKind {
    Pause,
    Resume,
    Rollback,
    Approve,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayCommand {
    at: Timestamp,
    actor: Actor,
    kind: ReplayCommandKind,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    rollout_id: Option<String>,
    #[serde(default)]
    plan_revision: Option<u64>,
    #[serde(default)]
    target_phase: Option<usize>,
    #[serde(default)]
    expected_version: Option<u64>,
}

/// A parsed and validated replay input.
#[derive(Debug, Clone)]
pub struct Replay {
    initial: Rollout,
    ticks: i64,
    until: Timestamp,
    windows: BTreeMap<Timestamp, Window>,
    late: Vec<Window>,
    events: Vec<Timestamp>,
    incidents: Vec<Incident>,
    commands: Vec<(Timestamp, Command, Option<u64>)>,
    confirmed_at: Option<Timestamp>,
}

/// One command as applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommandResult {
    /// When.
    pub at: Timestamp,
    /// `pause`, `resume`, `rollback` or `approve`.
    pub kind: &'static str,
    /// Who.
    pub actor_id: String,
    /// Accepted or rejected.
    pub outcome: Outcome,
    /// The error code of a rejection.
    pub error: Option<&'static str>,
    /// The version after it.
    pub version: u64,
}

/// A window refused as evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRejection {
    /// Its start.
    pub window_start: Timestamp,
    /// Its end (the tick it missed).
    pub window_end: Timestamp,
    /// When it arrived.
    pub received_at: Timestamp,
    /// `late_evidence`.
    pub error: &'static str,
}

/// An audit entry as the replay prints it (the stored log adds the reason and the hash chain).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayAudit {
    /// 1-based position.
    pub seq: u64,
    /// When.
    pub at: Timestamp,
    /// Who: `system`, `deployer` or a user.
    pub actor_id: String,
    /// Transition or command.
    pub kind: AuditKind,
    /// The decision, the command, or `confirm_rollback`.
    pub action: String,
    /// Accepted or rejected.
    pub outcome: Outcome,
    /// The error code of a rejection.
    pub error: Option<String>,
    /// Before.
    pub before: PhaseState,
    /// After.
    pub after: PhaseState,
}

/// An operational alert raised by the replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// When.
    pub at: Timestamp,
    /// `rollback_overdue` or `rollback_sla_breached`.
    pub code: &'static str,
}

/// The rollout at the end of the replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinalState {
    /// Phase.
    pub phase: usize,
    /// Traffic.
    pub traffic_pct: Pct,
    /// State.
    pub state: Status,
    /// Version.
    pub version: u64,
    /// Start of the current attempt.
    pub attempt_start: Timestamp,
    /// Start of the clean stretch.
    pub clean_since: Timestamp,
}

/// The replay's output, key for key the spec's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayOutput {
    /// One per tick.
    pub decisions: Vec<Decision>,
    /// One per command.
    pub commands: Vec<CommandResult>,
    /// Windows that missed their tick.
    pub evidence_rejections: Vec<EvidenceRejection>,
    /// The audit log.
    pub audit: Vec<ReplayAudit>,
    /// Alerts, in time order.
    pub alerts: Vec<Alert>,
    /// The rollback, if one was decided.
    pub rollback: Option<RollbackRecord>,
    /// The end state.
    #[serde(rename = "final")]
    pub final_state: FinalState,
}

/// The longest replay, in ticks: 366 days of 5-minute windows (the output holds one decision per tick,
/// about 30 MB at this length). Found by the `replay_json` fuzz target, which timed out on a 3-year replay.
pub const MAX_TICKS: i64 = 105_408;

const KEYS: [&str; 10] = [
    "plan",
    "policy",
    "rollout",
    "start",
    "until",
    "windows",
    "events",
    "incidents",
    "commands",
    "rollback_confirmed_at",
];

impl Replay {
    /// Reads and validates a replay input.
    ///
    /// # Errors
    /// `json` for malformed JSON; `invalid_replay` naming the field for anything else (unknown keys,
    /// misaligned windows, `errors > requests`, a paused start without its data, …).
    pub fn parse(input: &str) -> Result<Replay> {
        let v: Value = crate::json::from_str::<Value>(input).map_err(|e| match e {
            Error::Json {
                line,
                column,
                message,
                ..
            } => Error::Json {
                what: "replay",
                line,
                column,
                message,
            },
            other => other,
        })?;
        let Value::Object(obj) = &v else {
            return Err(invalid("", "the replay input must be a JSON object"));
        };
        if let Some(k) = obj.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(invalid(
                k.as_str(),
                format!("unknown key (expected one of {})", KEYS.join(", ")),
            ));
        }
        let need = |k: &str| obj.get(k).ok_or_else(|| invalid(k, "is required"));
        let plan: RolloutPlan = read(need("plan")?, "plan")?;
        plan.validate().map_err(|e| match e {
            Error::InvalidPlan { field, message } => invalid(format!("plan.{field}"), message),
            other => other,
        })?;
        let policy: GatePolicy = match obj.get("policy") {
            None | Some(Value::Null) => GatePolicy::default(),
            Some(p) => read(p, "policy")?,
        };
        policy.validate().map_err(|e| {
            let msg = e.to_string();
            match e {
                Error::OutOfRange { field, .. } | Error::NotFinite { field, .. } => {
                    invalid(format!("policy.{field}"), msg)
                }
                other => other,
            }
        })?;
        let rollout: ReplayRollout = match obj.get("rollout") {
            None | Some(Value::Null) => ReplayRollout {
                id: default_id(),
                initiator: None,
            },
            Some(r) => read(r, "rollout")?,
        };
        let start: ReplayStart = read(need("start")?, "start")?;
        let until: Timestamp = read(need("until")?, "until")?;
        let n = plan.phases.len();
        let first = (start.attempt_start.unix().div_euclid(policy.window) + 1) * policy.window;
        let ticks = if until.unix() < first {
            0
        } else {
            (until.unix() - first) / policy.window + 1
        };
        if ticks > MAX_TICKS {
            return Err(invalid(
                "until",
                format!(
                    "the replay spans {ticks} ticks of {} s; at most {MAX_TICKS} (366 days of 5-minute windows)",
                    policy.window
                ),
            ));
        }
        match start.state {
            Status::Ready | Status::RollingBack | Status::RolledBack | Status::Completed => {
                return Err(invalid(
                    "start.state",
                    format!("a replay cannot start {}", start.state.as_str()),
                ));
            }
            Status::PausedRevertedToBaseline if start.phase != 0 => {
                return Err(invalid(
                    "start.phase",
                    "paused_reverted_to_baseline is at phase 0",
                ));
            }
            Status::PausedRevertedToBaseline => {}
            _ if start.phase < 1 || start.phase > n => {
                return Err(invalid(
                    "start.phase",
                    format!("must be in 1..={n}, got {}", start.phase),
                ));
            }
            _ => {}
        }
        match (start.state, start.spike_at) {
            (Status::PausedLatencySpike, None) => {
                return Err(invalid(
                    "start.spike_at",
                    "paused_latency_spike needs spike_at",
                ));
            }
            (s, Some(_)) if s != Status::PausedLatencySpike => {
                return Err(invalid(
                    "start.spike_at",
                    "only a paused_latency_spike start has spike_at",
                ));
            }
            _ => {}
        }
        let mut initial = Rollout::new(
            rollout.id,
            rollout.initiator,
            plan,
            policy.clone(),
            start.attempt_start,
        )?;
        initial.phase = start.phase;
        initial.status = start.state;
        initial.spike_at = start.spike_at;
        initial.version = start.version;
        initial.started_at = Some(start.attempt_start);

        let mut windows = BTreeMap::new();
        let mut late = Vec::new();
        let listed: Vec<Window> = read_list(obj.get("windows"), "windows")?;
        let mut starts: BTreeMap<Timestamp, usize> = BTreeMap::new();
        for (i, w) in listed.into_iter().enumerate() {
            validate_window(&w, &policy).map_err(|e| match e {
                Error::InvalidWindow { field, message } => {
                    invalid(format!("windows[{i}].{field}"), message)
                }
                other => other,
            })?;
            if w.received_at.is_some_and(|r| r > w.end) {
                if w.end > start.attempt_start && w.end <= until {
                    late.push(w);
                }
                continue;
            }
            if let Some(j) = starts.insert(w.start, i) {
                return Err(invalid(
                    format!("windows[{i}].start"),
                    format!("windows[{j}] has the same start {}", w.start),
                ));
            }
            windows.insert(w.end, w);
        }
        late.sort_by_key(|w| w.end);
        let mut events: Vec<Timestamp> = read_list(obj.get("events"), "events")?;
        events.sort_unstable();
        let incidents: Vec<Incident> = read_list(obj.get("incidents"), "incidents")?;
        for (i, inc) in incidents.iter().enumerate() {
            if inc.resolved_at.is_some_and(|r| r < inc.opened_at) {
                return Err(invalid(
                    format!("incidents[{i}].resolved_at"),
                    "is before opened_at",
                ));
            }
        }
        let listed: Vec<ReplayCommand> = read_list(obj.get("commands"), "commands")?;
        let mut commands = Vec::with_capacity(listed.len());
        for (i, c) in listed.into_iter().enumerate() {
            let field = |f: &str| format!("commands[{i}].{f}");
            let approve = c.kind == ReplayCommandKind::Approve;
            if !approve
                && (c.rollout_id.is_some() || c.plan_revision.is_some() || c.target_phase.is_some())
            {
                return Err(invalid(
                    field("kind"),
                    "rollout_id, plan_revision and target_phase belong to approve only",
                ));
            }
            if approve && c.reason.is_some() {
                return Err(invalid(field("reason"), "approve takes no reason"));
            }
            let cmd = match c.kind {
                ReplayCommandKind::Pause => Command::Pause {
                    actor: c.actor,
                    reason: c.reason,
                },
                ReplayCommandKind::Resume => {
                    if c.reason.is_some() {
                        return Err(invalid(field("reason"), "resume takes no reason"));
                    }
                    Command::Resume { actor: c.actor }
                }
                ReplayCommandKind::Rollback => Command::Rollback {
                    actor: c.actor,
                    reason: c.reason,
                },
                ReplayCommandKind::Approve => Command::Approve {
                    actor: c.actor,
                    rollout_id: c
                        .rollout_id
                        .ok_or_else(|| invalid(field("rollout_id"), "approve needs it"))?,
                    plan_revision: c
                        .plan_revision
                        .ok_or_else(|| invalid(field("plan_revision"), "approve needs it"))?,
                    target_phase: c
                        .target_phase
                        .ok_or_else(|| invalid(field("target_phase"), "approve needs it"))?,
                },
            };
            if c.at <= until {
                commands.push((c.at, cmd, c.expected_version));
            }
        }
        commands.sort_by_key(|c| c.0);
        let confirmed_at: Option<Timestamp> = match obj.get("rollback_confirmed_at") {
            None | Some(Value::Null) => None,
            Some(v) => Some(read(v, "rollback_confirmed_at")?),
        };
        Ok(Replay {
            initial,
            ticks,
            until,
            windows,
            late,
            events,
            incidents,
            commands,
            confirmed_at: confirmed_at.filter(|&c| c <= until),
        })
    }

    fn incidents_at(&self, t: Timestamp) -> Vec<Incident> {
        self.incidents
            .iter()
            .filter_map(|i| i.as_known_at(t))
            .collect()
    }

    /// Runs the replay: commands, then the confirmation, then the tick at each instant.
    ///
    /// # Errors
    /// None for a parsed replay in practice; a machine error would be a bug and is returned as is.
    pub fn run(&self) -> Result<ReplayOutput> {
        let mut s = self.initial.clone();
        let w = s.policy.window;
        let mut tick = Timestamp::from_unix((s.attempt_start.unix().div_euclid(w) + 1) * w);
        let mut ticks_left = self.ticks;
        let mut decisions = Vec::new();
        let mut results = Vec::new();
        let mut log: Vec<AuditEvent> = Vec::new();
        let mut ci = 0usize;
        let mut confirmation = self.confirmed_at;
        let mut prev_tick: Option<Timestamp> = None;
        let append = |log: &mut Vec<AuditEvent>, rec| {
            let e = AuditEvent::chain(log.last(), rec);
            log.push(e);
        };
        loop {
            let next_tick = (!s.status.is_terminal() && ticks_left > 0).then_some(tick);
            let next_cmd = self.commands.get(ci).map(|c| c.0);
            let Some(now) = [next_tick, next_cmd, confirmation]
                .into_iter()
                .flatten()
                .min()
            else {
                break;
            };
            while let Some((at, cmd, expected)) = self.commands.get(ci).filter(|c| c.0 == now) {
                ci += 1;
                let incidents = self.incidents_at(*at);
                let ctx = Context {
                    now: *at,
                    incidents: &incidents,
                    expected_version: *expected,
                };
                let (outcome, error) = match apply(&s, cmd, &ctx) {
                    Ok(applied) => {
                        s = applied.state;
                        for rec in applied.audit {
                            append(&mut log, rec);
                        }
                        (Outcome::Accepted, None)
                    }
                    Err(e) => {
                        append(&mut log, rejection(&s, cmd, *at, &e));
                        (Outcome::Rejected, Some(e.code()))
                    }
                };
                results.push(CommandResult {
                    at: *at,
                    kind: cmd.name(),
                    actor_id: cmd.actor().map(|a| a.id.clone()).unwrap_or_default(),
                    outcome,
                    error,
                    version: s.version,
                });
            }
            let confirm = |s: &mut Rollout, log: &mut Vec<AuditEvent>| -> Result<bool> {
                let decided = s.rollback.as_ref().map(|r| r.decided_at);
                if s.status == Status::RollingBack && decided.is_some_and(|d| d <= now) {
                    let applied = apply(s, &Command::ConfirmRollback, &Context::at(now))?;
                    *s = applied.state;
                    for rec in applied.audit {
                        append(log, rec);
                    }
                    return Ok(true);
                }
                Ok(false)
            };
            let confirming = confirmation == Some(now);
            if confirming && confirm(&mut s, &mut log)? {
                confirmation = None;
            }
            if next_tick == Some(now) && !s.status.is_terminal() {
                let window = self.windows.get(&now).cloned();
                let lo = prev_tick.map_or(0, |p| self.events.partition_point(|&e| e <= p));
                let hi = self.events.partition_point(|&e| e <= now);
                let incidents = self.incidents_at(now);
                let obs = Command::Observe {
                    actor: None,
                    observation: Observation {
                        window,
                        events: self.events[lo..hi].to_vec(),
                    },
                };
                let ctx = Context {
                    now,
                    incidents: &incidents,
                    expected_version: None,
                };
                let applied = apply(&s, &obs, &ctx)?;
                s = applied.state;
                for rec in applied.audit {
                    append(&mut log, rec);
                }
                if let Some(d) = applied.decision {
                    decisions.push(d);
                }
                prev_tick = Some(now);
                tick = tick.plus(w);
                ticks_left -= 1;
            }
            if confirming {
                // a rollback decided by this very tick is confirmed at the same instant
                confirm(&mut s, &mut log)?;
                confirmation = None;
            }
        }
        let mut alerts = Vec::new();
        if let Some(rb) = &s.rollback {
            let due = rb.decided_at.plus(s.policy.rollback_sla);
            if rb.confirmed_at.is_none_or(|c| c > due) && due <= self.until {
                alerts.push(Alert {
                    at: due,
                    code: "rollback_overdue",
                });
            }
            if let (Some(false), Some(c)) = (rb.sla_met, rb.confirmed_at) {
                alerts.push(Alert {
                    at: c,
                    code: "rollback_sla_breached",
                });
            }
        }
        alerts.sort_by_key(|a| a.at);
        let audit = log
            .into_iter()
            .map(|e| ReplayAudit {
                seq: e.seq,
                at: e.record.at,
                actor_id: e.record.actor_id,
                kind: e.record.kind,
                action: e.record.action,
                outcome: e.record.outcome,
                error: e.record.error,
                before: e.record.before,
                after: e.record.after,
            })
            .collect();
        let evidence_rejections = self
            .late
            .iter()
            .map(|w| EvidenceRejection {
                window_start: w.start,
                window_end: w.end,
                received_at: w.received_at.unwrap_or(w.end),
                error: "late_evidence",
            })
            .collect();
        Ok(ReplayOutput {
            decisions,
            commands: results,
            evidence_rejections,
            audit,
            alerts,
            // the spec's replay format: the timing only (the targets' earlier traffic is the service's)
            rollback: s.rollback.clone().map(|mut rb| {
                rb.from.clear();
                rb
            }),
            final_state: FinalState {
                phase: s.phase,
                traffic_pct: s.traffic(),
                state: s.status,
                version: s.version,
                attempt_start: s.attempt_start,
                clean_since: s.clean_since,
            },
        })
    }
}

/// Replays the gating policy over recorded windows, events, incidents and commands, and returns the
/// decision log, command outcomes, audit log, alerts and final state as JSON (the policy spec's "Replay
/// format"). The same bytes come out of Rust, Python (`scaleplan.simulate`) and Node (`simulate`).
///
/// # Errors
/// `json` for malformed JSON, `invalid_replay` naming the field for any other invalid input.
///
/// # Example
/// ```
/// let input = r#"{"plan": {"revision": 1, "phases": [{"traffic_pct": 10, "min_duration_secs": 600},
///   {"traffic_pct": 100, "min_duration_secs": 0}]},
///   "start": {"phase": 1, "attempt_start": "2025-06-02T00:00:00Z", "state": "running"},
///   "until": "2025-06-02T00:10:00Z",
///   "windows": [{"start": "2025-06-02T00:00:00Z", "end": "2025-06-02T00:05:00Z", "requests": 2000,
///     "errors": 40, "p95_ms": 320}]}"#;
/// let out: serde_json::Value = serde_json::from_str(&scaleplan::rollout::simulate(input)?).unwrap();
/// assert_eq!(out["decisions"][0]["decision"], "rollback"); // 40 / 2000 is exactly 2 %
/// assert_eq!(out["final"]["state"], "rolling_back");
/// assert_eq!(out["decisions"].as_array().unwrap().len(), 2);
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn simulate(input: &str) -> Result<String> {
    let out = Replay::parse(input)?.run()?;
    crate::json::to_string(&out)
}
