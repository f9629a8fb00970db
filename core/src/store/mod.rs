//! Persistence behind one trait: [`Store`], with [`MemoryStore`] (tests, notebooks), `SqliteStore` (the
//! embedded on-disk default, feature `sqlite`) and `PostgresStore` (one database for many instances on
//! many hosts, feature `postgres`).
//!
//! Every state change is one [`Commit`]: the new rollout state, its audit records (chained by the store),
//! the tick's decision and metric window, and the idempotency key, applied in one transaction after checking
//! the expected version. A writer with a stale version gets `conflict`; a key seen before returns the first
//! outcome and applies nothing. Nothing here assumes a single process: a shared database (PostgreSQL) can
//! implement the same contract.

mod memory;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rollout::{
    AuditEvent, AuditKey, AuditRecord, ChainCheck, Decision, Incident, Rollout, Seal, SealedRow,
    Window,
};

/// Kinds of plain documents a store keeps beside rollouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// An initiative (what is being scaled, by whom).
    Initiative,
    /// An experiment (its JSON, as the significance functions read it).
    Experiment,
    /// A rollout plan.
    Plan,
}

impl DocumentKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Initiative => "initiative",
            DocumentKind::Experiment => "experiment",
            DocumentKind::Plan => "plan",
        }
    }
}

/// One state change, applied atomically.
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    /// The rollout.
    pub rollout_id: String,
    /// The version the change was computed from; the store refuses a new state (`conflict`) if the
    /// rollout moved on. A commit without a state (a refused command's audit record) is appended whatever
    /// the version.
    pub expected_version: u64,
    /// The new state (None: only audit records, e.g. a rejected command).
    pub state: Option<Rollout>,
    /// Audit records, chained by the store in this order.
    pub audit: Vec<AuditRecord>,
    /// The tick's decision.
    pub decision: Option<Decision>,
    /// The tick's metric window.
    pub window: Option<Window>,
    /// Idempotency key: a second commit with it applies nothing and returns the first outcome.
    pub idempotency_key: Option<String>,
    /// What the caller returns for this commit (stored with the key).
    pub outcome: String,
    /// Targets the rollout takes (its start): refused with `target_held` when another rollout holds one.
    pub claim_targets: Vec<String>,
    /// The rollout reached a terminal state: its targets are free again.
    pub release_targets: bool,
}

impl Commit {
    /// A commit of audit records only (a refused command): no state, no version check.
    pub fn audit_only(rollout_id: &str, audit: Vec<AuditRecord>) -> Self {
        Commit {
            rollout_id: rollout_id.to_string(),
            expected_version: 0,
            state: None,
            audit,
            decision: None,
            window: None,
            idempotency_key: None,
            outcome: String::new(),
            claim_targets: Vec::new(),
            release_targets: false,
        }
    }
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// Applied.
    Applied,
    /// The idempotency key was seen before: nothing applied; the first outcome.
    Duplicate {
        /// The outcome stored with the key.
        outcome: String,
    },
}

/// Storage for rollouts and everything around them. Implementations are synchronous and thread-safe.
pub trait Store: Send + Sync {
    /// Stores a new rollout with its first audit records.
    ///
    /// # Errors
    /// `duplicate_name` if the id exists; `storage`.
    fn create_rollout(&self, rollout: &Rollout, audit: &[AuditRecord]) -> Result<()>;
    /// The rollout with this id.
    ///
    /// # Errors
    /// `storage`.
    fn load_rollout(&self, id: &str) -> Result<Option<Rollout>>;
    /// Every rollout id, sorted.
    ///
    /// # Errors
    /// `storage`.
    fn rollout_ids(&self) -> Result<Vec<String>>;
    /// Applies a [`Commit`] in one transaction, in this order: the rollout's row (locked), the idempotency
    /// key (a key seen before answers with its first outcome, never `conflict`), the version, the targets.
    ///
    /// # Errors
    /// `unknown_rollout`, `conflict` (stale `expected_version`), `target_held`, `storage`.
    fn commit(&self, commit: &Commit) -> Result<Committed>;
    /// The active rollout holding `target`, if any.
    ///
    /// # Errors
    /// `storage`.
    fn target_holder(&self, target: &str) -> Result<Option<String>>;
    /// Checks the rollout's audit log: the keyed chain and the seal over state and chain head when the
    /// store has an audit key ([`crate::rollout::verify_sealed`]), the unkeyed chain otherwise
    /// ([`crate::rollout::verify`]).
    ///
    /// # Errors
    /// `unknown_rollout`, `storage`.
    fn verify_log(&self, rollout_id: &str) -> Result<ChainCheck> {
        Ok(crate::rollout::verify(&self.audit(rollout_id)?))
    }
    /// The outcome stored with an idempotency key.
    ///
    /// # Errors
    /// `storage`.
    fn idempotent_outcome(&self, rollout_id: &str, key: &str) -> Result<Option<String>>;
    /// The rollout's audit log, in order.
    ///
    /// # Errors
    /// `storage`.
    fn audit(&self, rollout_id: &str) -> Result<Vec<AuditEvent>>;
    /// The rollout's decision log, in order.
    ///
    /// # Errors
    /// `storage`.
    fn decisions(&self, rollout_id: &str) -> Result<Vec<Decision>>;
    /// The metric windows observed, by end.
    ///
    /// # Errors
    /// `storage`.
    fn windows(&self, rollout_id: &str) -> Result<Vec<Window>>;
    /// The latest metric window (what a dashboard shows), without reading the others.
    ///
    /// # Errors
    /// `storage`.
    fn latest_window(&self, rollout_id: &str) -> Result<Option<Window>> {
        Ok(self.windows(rollout_id)?.pop())
    }
    /// One page of the decision log, newest first: at most `limit` decisions with a version below
    /// `before` (all versions when None). The next page is `before` = the last one's version.
    ///
    /// # Errors
    /// `storage`.
    fn decisions_page(
        &self,
        rollout_id: &str,
        limit: usize,
        before: Option<u64>,
    ) -> Result<Vec<Decision>> {
        let mut all = self.decisions(rollout_id)?;
        all.retain(|d| before.is_none_or(|b| d.version < b));
        all.reverse();
        all.truncate(limit);
        Ok(all)
    }
    /// Inserts or updates an incident (by id).
    ///
    /// # Errors
    /// `storage`.
    fn put_incident(&self, rollout_id: &str, incident: &Incident) -> Result<()>;
    /// The rollout's incidents.
    ///
    /// # Errors
    /// `storage`.
    fn incidents(&self, rollout_id: &str) -> Result<Vec<Incident>>;
    /// Inserts or replaces a JSON document.
    ///
    /// # Errors
    /// `storage`.
    fn put_document(&self, kind: DocumentKind, id: &str, body: &str) -> Result<()>;
    /// A JSON document.
    ///
    /// # Errors
    /// `storage`.
    fn document(&self, kind: DocumentKind, id: &str) -> Result<Option<String>>;
}

/// The seal of a rollout's row, when the store has a key: the chain at `last`, and the rows of the
/// previous seal (`prev_seal`, as stored) with `added` summed in.
pub(crate) fn seal_of(
    key: Option<&AuditKey>,
    id: &str,
    state_json: &str,
    last: Option<&(u64, String)>,
    prev_seal: Option<&str>,
    added: &[SealedRow<'_>],
) -> Option<String> {
    let k = key?;
    let (events, head) = match last {
        Some((seq, hash)) => (*seq, hash.as_str()),
        None => (0, crate::rollout::GENESIS_HASH),
    };
    let mut rows = prev_seal
        .and_then(|s| serde_json::from_str::<Seal>(s).ok())
        .map(|s| s.rows)
        .unwrap_or_default();
    for r in added {
        rows.add(k, id, r);
    }
    serde_json::to_string(&Seal::with_rows(k, state_json, events, head, rows)).ok()
}

/// The rows a commit adds to the seal: its decision (as `decision_json`, the stored text) and its
/// idempotency answer.
pub(crate) fn sealed_rows<'a>(c: &'a Commit, decision_json: Option<&'a str>) -> Vec<SealedRow<'a>> {
    let mut rows = Vec::with_capacity(2);
    if let (Some(d), Some(json)) = (&c.decision, decision_json) {
        rows.push(SealedRow::Decision {
            version: d.version,
            json,
        });
    }
    if let Some(k) = &c.idempotency_key {
        rows.push(SealedRow::Answer {
            key: k,
            outcome: &c.outcome,
        });
    }
    rows
}

/// Verifies a keyed log against the stored state, decisions, answers and seal (`seal_json` as stored;
/// `decisions` as (version, stored JSON), `answers` as (key, outcome)).
pub(crate) fn verify_stored(
    key: &AuditKey,
    id: &str,
    events: &[AuditEvent],
    state_json: &str,
    seal_json: Option<&str>,
    decisions: &[(u64, String)],
    answers: &[(String, String)],
) -> ChainCheck {
    let seal: Option<Seal> = seal_json.and_then(|s| serde_json::from_str(s).ok());
    let rows: Vec<SealedRow<'_>> = decisions
        .iter()
        .map(|(version, json)| SealedRow::Decision {
            version: *version,
            json,
        })
        .chain(
            answers
                .iter()
                .map(|(k, outcome)| SealedRow::Answer { key: k, outcome }),
        )
        .collect();
    crate::rollout::verify_sealed(events, id, key, state_json, seal.as_ref(), &rows)
}

/// The error for a target another rollout holds.
pub(crate) fn held(rollout: &str, target: &str, holder: &str) -> Error {
    Error::TargetHeld {
        rollout: rollout.to_string(),
        target: target.to_string(),
        holder: holder.to_string(),
    }
}

pub(crate) fn storage(e: impl std::fmt::Display) -> Error {
    Error::Storage {
        message: e.to_string(),
    }
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(storage)
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| storage(format!("corrupt row: {e}")))
}

/// Checks a commit against the current version (a commit without a state has nothing to check).
pub(crate) fn check_version(commit: &Commit, current: u64) -> Result<()> {
    if commit.state.is_some() && current != commit.expected_version {
        return Err(Error::Conflict {
            rollout: commit.rollout_id.clone(),
            expected: commit.expected_version,
            found: current,
        });
    }
    Ok(())
}

/// A boxed store is a store (the bindings choose memory or SQLite at run time).
impl<S: Store + ?Sized> Store for Box<S> {
    fn create_rollout(&self, rollout: &Rollout, audit: &[AuditRecord]) -> Result<()> {
        (**self).create_rollout(rollout, audit)
    }
    fn load_rollout(&self, id: &str) -> Result<Option<Rollout>> {
        (**self).load_rollout(id)
    }
    fn rollout_ids(&self) -> Result<Vec<String>> {
        (**self).rollout_ids()
    }
    fn commit(&self, commit: &Commit) -> Result<Committed> {
        (**self).commit(commit)
    }
    fn target_holder(&self, target: &str) -> Result<Option<String>> {
        (**self).target_holder(target)
    }
    fn idempotent_outcome(&self, rollout_id: &str, key: &str) -> Result<Option<String>> {
        (**self).idempotent_outcome(rollout_id, key)
    }
    fn verify_log(&self, rollout_id: &str) -> Result<ChainCheck> {
        (**self).verify_log(rollout_id)
    }
    fn audit(&self, rollout_id: &str) -> Result<Vec<AuditEvent>> {
        (**self).audit(rollout_id)
    }
    fn decisions(&self, rollout_id: &str) -> Result<Vec<Decision>> {
        (**self).decisions(rollout_id)
    }
    fn windows(&self, rollout_id: &str) -> Result<Vec<Window>> {
        (**self).windows(rollout_id)
    }
    fn latest_window(&self, rollout_id: &str) -> Result<Option<Window>> {
        (**self).latest_window(rollout_id)
    }
    fn decisions_page(
        &self,
        rollout_id: &str,
        limit: usize,
        before: Option<u64>,
    ) -> Result<Vec<Decision>> {
        (**self).decisions_page(rollout_id, limit, before)
    }
    fn put_incident(&self, rollout_id: &str, incident: &Incident) -> Result<()> {
        (**self).put_incident(rollout_id, incident)
    }
    fn incidents(&self, rollout_id: &str) -> Result<Vec<Incident>> {
        (**self).incidents(rollout_id)
    }
    fn put_document(&self, kind: DocumentKind, id: &str, body: &str) -> Result<()> {
        (**self).put_document(kind, id, body)
    }
    fn document(&self, kind: DocumentKind, id: &str) -> Result<Option<String>> {
        (**self).document(kind, id)
    }
}

/// Opens a store: `None` or `":memory:"` is a [`MemoryStore`], a `postgresql://` (or `postgres://`) URL
/// is a `PostgresStore` (feature `postgres`), anything else is a `SqliteStore` file (created if missing).
///
/// # Errors
/// `storage` if the file cannot be opened.
///
/// # Example
/// ```
/// let store = scaleplan::store::open(None)?;
/// assert!(store.rollout_ids()?.is_empty());
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub fn open(path: Option<&str>) -> Result<Box<dyn Store>> {
    open_keyed(path, None)
}

/// [`open`] with an audit key: the log is HMAC-chained and every rollout's row sealed (see
/// [`crate::rollout::verify_sealed`]). A store written without a key cannot be opened with one (its
/// events would not verify) and the other way round.
///
/// # Errors
/// `storage`.
pub fn open_keyed(path: Option<&str>, key: Option<AuditKey>) -> Result<Box<dyn Store>> {
    match path {
        None | Some(":memory:") => Ok(Box::new(MemoryStore::new().with_audit_key(key))),
        #[cfg(feature = "postgres")]
        Some(url) if url.starts_with("postgresql://") || url.starts_with("postgres://") => {
            Ok(Box::new(PostgresStore::connect(url)?.with_audit_key(key)))
        }
        #[cfg(not(feature = "postgres"))]
        Some(url) if url.starts_with("postgresql://") || url.starts_with("postgres://") => {
            Err(storage(format!(
                "`{}`: this build has no PostgreSQL store (feature `postgres`)",
                url.split('@').next_back().unwrap_or("postgresql")
            )))
        }
        #[cfg(feature = "sqlite")]
        Some(p) => Ok(Box::new(SqliteStore::open(p)?.with_audit_key(key))),
        #[cfg(not(feature = "sqlite"))]
        Some(p) => Err(storage(format!(
            "`{p}`: this build has no SQLite store (feature `sqlite`)"
        ))),
    }
}
