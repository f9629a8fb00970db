//! The audit log: one event per transition and per command (accepted or rejected), append-only and
//! hash-chained (each event carries the SHA-256 of the previous one), with [`verify`] to detect any edit,
//! insertion or deletion.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::machine::Status;
use crate::time::Timestamp;

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
        format!("hmac-sha256:{}", hex(&self.mac_bytes(parts)))
    }

    fn mac_bytes(&self, parts: &[&[u8]]) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        // HMAC takes keys of any length: new_from_slice cannot fail for Hmac<Sha256>
        let Ok(mut m) = <Hmac<Sha256> as Mac>::new_from_slice(&self.0) else {
            return [0; 32];
        };
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A row beside the log that the seal covers: a stored decision, or the answer stored with an
/// idempotency key (what a retry is told).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedRow<'a> {
    /// A tick's decision, as its JSON is stored.
    Decision {
        /// The version the decision was made at (its key in the table).
        version: u64,
        /// The stored JSON.
        json: &'a str,
    },
    /// An idempotency key and the outcome stored with it.
    Answer {
        /// The key.
        key: &'a str,
        /// The stored outcome.
        outcome: &'a str,
    },
}

/// A keyed multiset hash of a rollout's [`SealedRow`]s: their count and the sum, modulo 2^256, of one
/// HMAC-SHA256 per row over the rollout id and the row. This is Clarke et al.'s MSet-Add-Hash
/// ("Incremental multiset hash functions and their application to memory integrity checking",
/// ASIACRYPT 2003): adding a row costs one HMAC whatever the table's size, the order of the rows does not
/// matter, and without the key no one can edit, add or remove a row and keep the sum.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RowSum {
    /// Rows covered.
    pub rows: u64,
    /// The sum, 64 hex digits (little-endian bytes); empty for no rows.
    pub sum: String,
}

impl RowSum {
    /// The sum of `rows` of rollout `rollout_id`.
    pub fn of(key: &AuditKey, rollout_id: &str, rows: &[SealedRow<'_>]) -> RowSum {
        let mut r = RowSum::default();
        for row in rows {
            r.add(key, rollout_id, row);
        }
        r
    }

    /// Adds one row.
    pub fn add(&mut self, key: &AuditKey, rollout_id: &str, row: &SealedRow<'_>) {
        let m = match row {
            SealedRow::Decision { version, json } => key.mac_bytes(&[
                b"scaleplan-decision-v1\0",
                rollout_id.as_bytes(),
                b"\0",
                version.to_string().as_bytes(),
                b"\0",
                json.as_bytes(),
            ]),
            SealedRow::Answer { key: k, outcome } => key.mac_bytes(&[
                b"scaleplan-answer-v1\0",
                rollout_id.as_bytes(),
                b"\0",
                k.as_bytes(),
                b"\0",
                outcome.as_bytes(),
            ]),
        };
        let mut acc = [0u8; 32];
        for (i, pair) in self.sum.as_bytes().chunks(2).take(32).enumerate() {
            acc[i] = std::str::from_utf8(pair)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0);
        }
        let mut carry = 0u16;
        for (a, b) in acc.iter_mut().zip(m) {
            let v = u16::from(*a) + u16::from(b) + carry;
            *a = (v & 0xff) as u8;
            carry = v >> 8;
        }
        self.rows += 1;
        self.sum = hex(&acc);
    }
}

/// What the rollout's row carries beside its state when the chain is keyed: the number of events, the
/// chain head, the [`RowSum`] of its decisions and idempotency answers, and an HMAC over the state JSON
/// and all of these. Editing the state, a decision or a stored answer, cutting the log's tail or splicing
/// in another rollout's log or rows breaks it without the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// Events in the log.
    pub events: u64,
    /// The last event's hash (the genesis hash for an empty log).
    pub head: String,
    /// The decisions and idempotency answers covered (a seal written before they were covered reads
    /// as none, and so fails against a table that has rows).
    #[serde(default)]
    pub rows: RowSum,
    /// `hmac-sha256:` over the state JSON, `events`, `head` and `rows`.
    pub mac: String,
}

impl Seal {
    /// The seal of `state_json` with the chain at (`events`, `head`) and no decisions or answers.
    pub fn new(key: &AuditKey, state_json: &str, events: u64, head: &str) -> Seal {
        Seal::with_rows(key, state_json, events, head, RowSum::default())
    }

    /// The seal of `state_json` with the chain at (`events`, `head`) and the rows summed in `rows`.
    pub fn with_rows(
        key: &AuditKey,
        state_json: &str,
        events: u64,
        head: &str,
        rows: RowSum,
    ) -> Seal {
        let mac = key.mac(&[
            b"scaleplan-seal-v2\0",
            state_json.as_bytes(),
            b"\0",
            events.to_string().as_bytes(),
            b"\0",
            head.as_bytes(),
            b"\0",
            rows.rows.to_string().as_bytes(),
            b"\0",
            rows.sum.as_bytes(),
        ]);
        Seal {
            events,
            head: head.to_string(),
            rows,
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
/// an edited state, and an edited, added or removed decision or idempotency answer (`rows`, as stored).
/// It cannot detect an older copy of the whole database (state, log, rows and seal consistent as of
/// then): compare `events` / the head with a copy kept elsewhere for that. Metric windows and incidents
/// are evidence the gate re-reads, not sealed.
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
/// assert!(verify_sealed(&[e.clone()], "R-1", &key, "{}", Some(&seal), &[]).intact);
/// assert!(!verify_sealed(&[e.clone()], "R-2", &key, "{}", Some(&seal), &[]).intact); // another rollout's log
/// assert!(!verify_sealed(&[], "R-1", &key, "{}", Some(&seal), &[]).intact); // a cut tail
/// assert!(!verify_sealed(&[e.clone()], "R-1", &key, "{\"edited\":1}", Some(&seal), &[]).intact); // an edited state
/// let forged = [SealedRow::Answer { key: "k-1", outcome: "applied" }];
/// assert!(!verify_sealed(&[e], "R-1", &key, "{}", Some(&seal), &forged).intact); // a row added
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn verify_sealed(
    events: &[AuditEvent],
    rollout_id: &str,
    key: &AuditKey,
    state_json: &str,
    seal: Option<&Seal>,
    rows: &[SealedRow<'_>],
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
    let sum = RowSum::of(key, rollout_id, rows);
    if sum != seal.rows {
        return fail(
            None,
            format!(
                "the decisions and idempotency answers ({} rows) do not match the seal's {} rows \
                 (a row edited, added or removed)",
                sum.rows, seal.rows.rows
            ),
        );
    }
    if Seal::with_rows(key, state_json, seal.events, &seal.head, sum).mac != seal.mac {
        return fail(
            None,
            "the stored state (or the seal's counts) does not match its MAC (edited)".into(),
        );
    }
    ChainCheck {
        intact: true,
        events: events.len(),
        broken_at: None,
        problem: None,
    }
}
