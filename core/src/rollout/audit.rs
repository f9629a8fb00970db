//! The audit log: one event per transition and per command (accepted or rejected), append-only and
//! hash-chained (each event carries the SHA-256 of the previous one), with [`verify`] to detect any edit,
//! insertion or deletion.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::machine::Status;
use super::timestamp::Timestamp;

/// Phase and state on one side of an audited change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseState {
    /// Phase number (0 is the baseline).
    pub phase: usize,
    /// State.
    pub state: Status,
}

/// A transition taken by the policy (or confirmed by the deployer), or a command from a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A tick changed phase or state (actor `system`), or the deployer confirmed a rollback.
    Transition,
    /// A command, accepted or rejected.
    Command,
    /// A call to the platform that failed (outcome `failed`), or the first success after failures.
    Deploy,
}

/// Whether a command was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Applied.
    Accepted,
    /// Refused; nothing but the audit log changed.
    Rejected,
    /// A platform call failed; the service retries it.
    Failed,
}

/// An audit event before it is chained: what the state machine emits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When.
    pub at: Timestamp,
    /// Who: a user id, `system` or `deployer`.
    pub actor_id: String,
    /// Transition or command.
    pub kind: AuditKind,
    /// The decision (`advance`, `rollback`, …), the command (`pause`, `approve`, …) or `confirm_rollback`.
    pub action: String,
    /// Accepted or rejected.
    pub outcome: Outcome,
    /// The error code of a rejection.
    pub error: Option<String>,
    /// Phase and state before.
    pub before: PhaseState,
    /// Phase and state after (equal to `before` for a rejection).
    pub after: PhaseState,
    /// Why: the command's free-text reason, the first reason code of a decision, or the error message.
    pub reason: Option<String>,
}

/// A chained audit event, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// 1-based position in the rollout's log.
    pub seq: u64,
    /// The record.
    #[serde(flatten)]
    pub record: AuditRecord,
    /// Hash of the previous event ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// `sha256:` and the SHA-256 (hex) of this event's canonical JSON without `hash`.
    pub hash: String,
}

/// The `prev_hash` of a log's first event. Hashes are written `sha256:<64 hex digits>`: self-describing,
/// and never mistaken for a number (Python reads every decimal-looking string as a `Decimal`).
pub const GENESIS_HASH: &str =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Serialize)]
struct Hashed<'a> {
    seq: u64,
    #[serde(flatten)]
    record: &'a AuditRecord,
    prev_hash: &'a str,
}

fn digest(seq: u64, record: &AuditRecord, prev_hash: &str) -> String {
    let body = serde_json::to_vec(&Hashed {
        seq,
        record,
        prev_hash,
    })
    .unwrap_or_default();
    let out = Sha256::digest(&body);
    let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl AuditEvent {
    /// Chains `record` after `prev` (or as the first event).
    pub fn chain(prev: Option<&AuditEvent>, record: AuditRecord) -> AuditEvent {
        AuditEvent::chain_after(prev.map(|p| (p.seq, p.hash.as_str())), record)
    }

    /// Chains `record` after the event with sequence number and hash `prev` (what a store reads back).
    pub fn chain_after(prev: Option<(u64, &str)>, record: AuditRecord) -> AuditEvent {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash.to_string()),
            None => (1, GENESIS_HASH.to_string()),
        };
        let hash = digest(seq, &record, &prev_hash);
        AuditEvent {
            seq,
            record,
            prev_hash,
            hash,
        }
    }
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCheck {
    /// True iff every event is in sequence, links to its predecessor and hashes to its `hash`.
    pub intact: bool,
    /// Events checked.
    pub events: usize,
    /// Sequence number of the first bad event.
    pub broken_at: Option<u64>,
    /// What is wrong there.
    pub problem: Option<String>,
}

/// Checks a rollout's audit log: sequence numbers 1, 2, 3, …, each `prev_hash` equal to the previous
/// event's `hash`, and each `hash` recomputed from the event. An edited field, an inserted or deleted event
/// breaks it; a truncated tail is detected by comparing `events` with the rollout's expected count.
///
/// # Example
/// ```
/// use scaleplan::rollout::{verify, AuditEvent, AuditKind, AuditRecord, Outcome, PhaseState, Status, Timestamp};
/// let side = PhaseState { phase: 1, state: Status::Running };
/// let rec = AuditRecord { at: Timestamp::from_unix(0), actor_id: "bob".into(), kind: AuditKind::Command,
///     action: "pause".into(), outcome: Outcome::Rejected, error: Some("forbidden".into()),
///     before: side, after: side, reason: None };
/// let a = AuditEvent::chain(None, rec.clone());
/// let b = AuditEvent::chain(Some(&a), rec);
/// assert!(verify(&[a.clone(), b.clone()]).intact);
/// let mut edited = b.clone();
/// edited.record.actor_id = "mallory".into();
/// assert_eq!(verify(&[a.clone(), edited]).broken_at, Some(2));
/// assert_eq!(verify(&[b]).broken_at, Some(2)); // the first event was deleted
/// ```
pub fn verify(events: &[AuditEvent]) -> ChainCheck {
    let mut prev_hash = GENESIS_HASH.to_string();
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        let problem = if e.seq != expected_seq {
            Some(format!(
                "sequence number {} where {expected_seq} was expected",
                e.seq
            ))
        } else if e.prev_hash != prev_hash {
            Some("does not link to the previous event's hash".to_string())
        } else if digest(e.seq, &e.record, &e.prev_hash) != e.hash {
            Some("content does not match its hash (edited)".to_string())
        } else {
            None
        };
        if let Some(p) = problem {
            return ChainCheck {
                intact: false,
                events: events.len(),
                broken_at: Some(e.seq),
                problem: Some(p),
            };
        }
        prev_hash = e.hash.clone();
    }
    ChainCheck {
        intact: true,
        events: events.len(),
        broken_at: None,
        problem: None,
    }
}
