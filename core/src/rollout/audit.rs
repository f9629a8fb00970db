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
    /// The rollout whose log this is, inside the hashed content (a log copied to another rollout fails
    /// [`verify_sealed`]). Empty in events written before it existed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rollout_id: String,
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
    #[serde(skip_serializing_if = "str::is_empty")]
    rollout_id: &'a str,
    #[serde(flatten)]
    record: &'a AuditRecord,
    prev_hash: &'a str,
}

/// A secret the host supplies (from its secret store) to key the audit chain: with it every event's
/// hash is an HMAC-SHA256 (`hmac-sha256:<hex>`), so that no one without the key can re-chain an edited
/// log or forge an append, and the rollout's row carries a [`Seal`] over its state and the chain head.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(Vec<u8>);

impl AuditKey {
    /// A key of at least 16 bytes.
    ///
    /// # Errors
    /// `out_of_range` for a shorter key.
    pub fn new(bytes: impl Into<Vec<u8>>) -> crate::Result<Self> {
        let b = bytes.into();
        if b.len() < 16 {
            return Err(crate::Error::OutOfRange {
                field: "audit_key".into(),
                value: b.len() as f64,
                allowed: "at least 16 bytes",
            });
        }
        Ok(AuditKey(b))
    }

    fn mac(&self, parts: &[&[u8]]) -> String {
        use hmac::{Hmac, Mac};
        // HMAC takes keys of any length: new_from_slice cannot fail for Hmac<Sha256>
        let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        for p in parts {
            m.update(p);
        }
        let hex: String = m
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("hmac-sha256:{hex}")
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey(<{} bytes>)", self.0.len())
    }
}

fn digest(
    seq: u64,
    rollout_id: &str,
    record: &AuditRecord,
    prev_hash: &str,
    key: Option<&AuditKey>,
) -> String {
    let body = serde_json::to_vec(&Hashed {
        seq,
        rollout_id,
        record,
        prev_hash,
    })
    .unwrap_or_default();
    if let Some(k) = key {
        return k.mac(&[&body]);
    }
    let out = Sha256::digest(&body);
    let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// What the rollout's row carries beside its state when the chain is keyed: the number of events, the
/// chain head, and an HMAC over the state JSON, the count and the head. Editing the state, cutting the
/// log's tail or splicing in another rollout's log breaks it without the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// Events in the log.
    pub events: u64,
    /// The last event's hash (the genesis hash for an empty log).
    pub head: String,
    /// `hmac-sha256:` over the state JSON, `events` and `head`.
    pub mac: String,
}

impl Seal {
    /// The seal of `state_json` with the chain at (`events`, `head`).
    pub fn new(key: &AuditKey, state_json: &str, events: u64, head: &str) -> Seal {
        let mac = key.mac(&[
            b"scaleplan-seal-v1\0",
            state_json.as_bytes(),
            b"\0",
            events.to_string().as_bytes(),
            b"\0",
            head.as_bytes(),
        ]);
        Seal {
            events,
            head: head.to_string(),
            mac,
        }
    }
}

impl AuditEvent {
    /// Chains `record` after `prev` (or as the first event), unkeyed and without a rollout id (the form
    /// of logs written before keys).
    pub fn chain(prev: Option<&AuditEvent>, record: AuditRecord) -> AuditEvent {
        AuditEvent::chain_after(prev.map(|p| (p.seq, p.hash.as_str())), record)
    }

    /// Chains `record` after the event with sequence number and hash `prev`, unkeyed, without a rollout id.
    pub fn chain_after(prev: Option<(u64, &str)>, record: AuditRecord) -> AuditEvent {
        AuditEvent::chain_for("", prev, record, None)
    }

    /// Chains `record` into rollout `rollout_id`'s log after `prev`, keyed when `key` is given (what the
    /// stores write).
    pub fn chain_for(
        rollout_id: &str,
        prev: Option<(u64, &str)>,
        record: AuditRecord,
        key: Option<&AuditKey>,
    ) -> AuditEvent {
        let (seq, prev_hash) = match prev {
            Some((seq, hash)) => (seq + 1, hash.to_string()),
            None => (1, GENESIS_HASH.to_string()),
        };
        let hash = digest(seq, rollout_id, &record, &prev_hash, key);
        AuditEvent {
            seq,
            rollout_id: rollout_id.to_string(),
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
        } else if e.hash.starts_with("hmac-sha256:") {
            // a keyed event: only `verify_sealed` with the key can check it
            Some("a keyed event (hmac-sha256): verify it with the key".to_string())
        } else if digest(e.seq, &e.rollout_id, &e.record, &e.prev_hash, None) != e.hash {
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

/// Checks a rollout's keyed log and its seal, as the store holds them: every event in sequence, linked,
/// carrying `rollout_id` and an HMAC made with `key`; and the seal's count, head and MAC matching the
/// log and the stored state. Detects an edited, inserted, deleted or reordered event, a fully
/// re-chained log and a forged append (both need the key), a cut tail, another rollout's log copied in,
/// and an edited state. It cannot detect an older copy of the whole database (state, log and seal
/// consistent as of then): compare `events` / the head with a copy kept elsewhere for that. Decisions,
/// windows and idempotency keys are not covered.
///
/// # Example
/// ```
/// use scaleplan::rollout::*;
/// let key = AuditKey::new(b"a host secret of 16+ bytes".to_vec())?;
/// let side = PhaseState { phase: 0, state: Status::Ready };
/// let rec = AuditRecord { at: Timestamp::from_unix(0), actor_id: "carol".into(), kind: AuditKind::Command,
///     action: "create".into(), outcome: Outcome::Accepted, error: None, before: side, after: side, reason: None };
/// let e = AuditEvent::chain_for("R-1", None, rec, Some(&key));
/// let seal = Seal::new(&key, "{}", 1, &e.hash);
/// assert!(verify_sealed(&[e.clone()], "R-1", &key, "{}", Some(&seal)).intact);
/// assert!(!verify_sealed(&[e.clone()], "R-2", &key, "{}", Some(&seal)).intact); // another rollout's log
/// assert!(!verify_sealed(&[], "R-1", &key, "{}", Some(&seal)).intact); // a cut tail
/// assert!(!verify_sealed(&[e], "R-1", &key, "{\"edited\":1}", Some(&seal)).intact); // an edited state
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn verify_sealed(
    events: &[AuditEvent],
    rollout_id: &str,
    key: &AuditKey,
    state_json: &str,
    seal: Option<&Seal>,
) -> ChainCheck {
    let fail = |at: Option<u64>, p: String| ChainCheck {
        intact: false,
        events: events.len(),
        broken_at: at,
        problem: Some(p),
    };
    let mut prev_hash = GENESIS_HASH.to_string();
    for (i, e) in events.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        let problem = if e.seq != expected_seq {
            Some(format!(
                "sequence number {} where {expected_seq} was expected",
                e.seq
            ))
        } else if e.rollout_id != rollout_id {
            Some(format!(
                "an event of rollout `{}` in the log of `{rollout_id}`",
                e.rollout_id
            ))
        } else if e.prev_hash != prev_hash {
            Some("does not link to the previous event's hash".to_string())
        } else if digest(e.seq, &e.rollout_id, &e.record, &e.prev_hash, Some(key)) != e.hash {
            Some("content does not match its keyed hash (edited, re-chained or forged)".to_string())
        } else {
            None
        };
        if let Some(p) = problem {
            return fail(Some(e.seq), p);
        }
        prev_hash = e.hash.clone();
    }
    let Some(seal) = seal else {
        return fail(None, "the rollout has no seal".into());
    };
    if seal.events != events.len() as u64 || seal.head != prev_hash {
        return fail(
            None,
            format!(
                "the seal records {} events ending in {}, the log has {} ending in {}",
                seal.events,
                seal.head,
                events.len(),
                prev_hash
            ),
        );
    }
    if Seal::new(key, state_json, seal.events, &seal.head).mac != seal.mac {
        return fail(
            None,
            "the stored state does not match its seal (edited)".into(),
        );
    }
    ChainCheck {
        intact: true,
        events: events.len(),
        broken_at: None,
        problem: None,
    }
}
