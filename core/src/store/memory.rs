//! [`MemoryStore`]: everything in one mutex-guarded map; same contract as the SQLite store.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use super::{
    Commit, Committed, DocumentKind, Store, check_version, held, seal_of, sealed_rows, storage,
    to_json, verify_stored,
};
use crate::error::{Error, Result};
use crate::rollout::{
    AuditEvent, AuditKey, AuditRecord, ChainCheck, Decision, Incident, Rollout, Timestamp, Window,
};

#[derive(Default)]
struct Inner {
    rollouts: BTreeMap<String, Rollout>,
    audit: BTreeMap<String, Vec<AuditEvent>>,
    decisions: BTreeMap<String, Vec<Decision>>,
    keys: BTreeMap<(String, String), String>,
    windows: BTreeMap<(String, Timestamp), Window>,
    incidents: BTreeMap<(String, String), Incident>,
    documents: BTreeMap<(DocumentKind, String), String>,
    targets: BTreeMap<String, String>,
    seals: BTreeMap<String, String>,
}

/// An in-process store (lost when dropped). Thread-safe.
///
/// # Example
/// ```
/// use scaleplan::store::{MemoryStore, Store};
/// let store = MemoryStore::new();
/// assert!(store.rollout_ids()?.is_empty());
/// # Ok::<(), scaleplan::Error>(())
/// ```
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
    key: Option<AuditKey>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keys the audit chain (HMAC-SHA256) and seals every rollout with `key` (None: unkeyed).
    pub fn with_audit_key(mut self, key: Option<AuditKey>) -> Self {
        self.key = key;
        self
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>> {
        self.inner
            .lock()
            .map_err(|_| storage("memory store poisoned by a panic in another thread"))
    }
}

fn append(log: &mut Vec<AuditEvent>, id: &str, rec: &AuditRecord, key: Option<&AuditKey>) {
    let prev = log.last().map(|p| (p.seq, p.hash.as_str()));
    let e = AuditEvent::chain_for(id, prev, rec.clone(), key);
    log.push(e);
}

/// Re-seals rollout `id` after a change (keyed stores only), with the commit's decision and answer
/// summed in.
fn reseal(g: &mut Inner, id: &str, key: Option<&AuditKey>, commit: Option<&Commit>) -> Result<()> {
    if key.is_none() {
        return Ok(());
    }
    let Some(r) = g.rollouts.get(id) else {
        return Ok(());
    };
    let state = to_json(r)?;
    let last = g
        .audit
        .get(id)
        .and_then(|l| l.last())
        .map(|e| (e.seq, e.hash.clone()));
    let decision = match commit.and_then(|c| c.decision.as_ref()) {
        Some(d) => Some(to_json(d)?),
        None => None,
    };
    let added = commit.map_or_else(Vec::new, |c| sealed_rows(c, decision.as_deref()));
    let prev = g.seals.get(id).map(String::as_str);
    if let Some(seal) = seal_of(key, id, &state, last.as_ref(), prev, &added) {
        g.seals.insert(id.to_string(), seal);
    }
    Ok(())
}

impl Store for MemoryStore {
    fn create_rollout(&self, rollout: &Rollout, audit: &[AuditRecord]) -> Result<()> {
        let mut g = self.lock()?;
        if g.rollouts.contains_key(&rollout.id) {
            return Err(Error::DuplicateName {
                field: "rollout.id".into(),
                name: rollout.id.clone(),
            });
        }
        g.rollouts.insert(rollout.id.clone(), rollout.clone());
        let log = g.audit.entry(rollout.id.clone()).or_default();
        for rec in audit {
            append(log, &rollout.id, rec, self.key.as_ref());
        }
        reseal(&mut g, &rollout.id, self.key.as_ref(), None)
    }

    fn load_rollout(&self, id: &str) -> Result<Option<Rollout>> {
        Ok(self.lock()?.rollouts.get(id).cloned())
    }

    fn rollout_ids(&self) -> Result<Vec<String>> {
        Ok(self.lock()?.rollouts.keys().cloned().collect())
    }

    fn commit(&self, c: &Commit) -> Result<Committed> {
        let mut g = self.lock()?;
        let id = c.rollout_id.clone();
        if let Some(key) = &c.idempotency_key
            && let Some(outcome) = g.keys.get(&(id.clone(), key.clone()))
        {
            return Ok(Committed::Duplicate {
                outcome: outcome.clone(),
            });
        }
        let current = g
            .rollouts
            .get(&id)
            .map(|r| r.version)
            .ok_or_else(|| Error::UnknownRollout { id: id.clone() })?;
        check_version(c, current)?;
        for t in &c.claim_targets {
            if let Some(h) = g.targets.get(t)
                && *h != id
            {
                return Err(held(&id, t, h));
            }
        }
        for t in &c.claim_targets {
            g.targets.insert(t.clone(), id.clone());
        }
        if c.release_targets {
            g.targets.retain(|_, h| *h != id);
        }
        if let Some(s) = &c.state {
            g.rollouts.insert(id.clone(), s.clone());
        }
        let log = g.audit.entry(id.clone()).or_default();
        for rec in &c.audit {
            append(log, &id, rec, self.key.as_ref());
        }
        reseal(&mut g, &id, self.key.as_ref(), Some(c))?;
        if let Some(d) = &c.decision {
            g.decisions.entry(id.clone()).or_default().push(d.clone());
        }
        if let Some(w) = &c.window {
            g.windows.insert((id.clone(), w.end), w.clone());
        }
        if let Some(key) = &c.idempotency_key {
            g.keys.insert((id, key.clone()), c.outcome.clone());
        }
        Ok(Committed::Applied)
    }

    fn target_holder(&self, target: &str) -> Result<Option<String>> {
        Ok(self.lock()?.targets.get(target).cloned())
    }

    fn verify_log(&self, rollout_id: &str) -> Result<ChainCheck> {
        let g = self.lock()?;
        let events = g.audit.get(rollout_id).cloned().unwrap_or_default();
        let Some(key) = &self.key else {
            return Ok(crate::rollout::verify(&events));
        };
        let r = g
            .rollouts
            .get(rollout_id)
            .ok_or_else(|| Error::UnknownRollout {
                id: rollout_id.to_string(),
            })?;
        let seal = g.seals.get(rollout_id).map(String::as_str);
        let decisions = g
            .decisions
            .get(rollout_id)
            .map(|ds| {
                ds.iter()
                    .map(|d| Ok((d.version, to_json(d)?)))
                    .collect::<Result<Vec<_>>>()
            })
            .transpose()?
            .unwrap_or_default();
        let answers: Vec<(String, String)> = g
            .keys
            .iter()
            .filter(|((r, _), _)| r == rollout_id)
            .map(|((_, k), o)| (k.clone(), o.clone()))
            .collect();
        Ok(verify_stored(
            key,
            rollout_id,
            &events,
            &to_json(r)?,
            seal,
            &decisions,
            &answers,
        ))
    }

    fn idempotent_outcome(&self, rollout_id: &str, key: &str) -> Result<Option<String>> {
        Ok(self
            .lock()?
            .keys
            .get(&(rollout_id.to_string(), key.to_string()))
            .cloned())
    }

    fn audit(&self, rollout_id: &str) -> Result<Vec<AuditEvent>> {
        Ok(self
            .lock()?
            .audit
            .get(rollout_id)
            .cloned()
            .unwrap_or_default())
    }

    fn decisions(&self, rollout_id: &str) -> Result<Vec<Decision>> {
        Ok(self
            .lock()?
            .decisions
            .get(rollout_id)
            .cloned()
            .unwrap_or_default())
    }

    fn windows(&self, rollout_id: &str) -> Result<Vec<Window>> {
        Ok(self
            .lock()?
            .windows
            .iter()
            .filter(|((id, _), _)| id == rollout_id)
            .map(|(_, w)| w.clone())
            .collect())
    }

    fn put_incident(&self, rollout_id: &str, incident: &Incident) -> Result<()> {
        self.lock()?.incidents.insert(
            (rollout_id.to_string(), incident.id.clone()),
            incident.clone(),
        );
        Ok(())
    }

    fn incidents(&self, rollout_id: &str) -> Result<Vec<Incident>> {
        Ok(self
            .lock()?
            .incidents
            .iter()
            .filter(|((id, _), _)| id == rollout_id)
            .map(|(_, i)| i.clone())
            .collect())
    }

    fn put_document(&self, kind: DocumentKind, id: &str, body: &str) -> Result<()> {
        self.lock()?
            .documents
            .insert((kind, id.to_string()), body.to_string());
        Ok(())
    }

    fn document(&self, kind: DocumentKind, id: &str) -> Result<Option<String>> {
        Ok(self.lock()?.documents.get(&(kind, id.to_string())).cloned())
    }
}
