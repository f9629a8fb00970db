//! [`SqliteStore`]: the embedded on-disk store (bundled SQLite, WAL, `synchronous=FULL`). Each commit is one
//! `BEGIN IMMEDIATE` transaction, so concurrent writers (threads or processes on the same file) serialise,
//! and a writer with a stale version gets `conflict`. The audit table refuses UPDATE and DELETE (triggers).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    Commit, Committed, DocumentKind, Store, check_version, from_json, held, seal_of, sealed_rows,
    storage, to_json, verify_stored,
};
use crate::error::{Error, Result};
use crate::rollout::{
    AuditEvent, AuditKey, AuditRecord, ChainCheck, Decision, Incident, Rollout, SealedRow, Window,
};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS rollouts (id TEXT PRIMARY KEY, version INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (rollout_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
    hash TEXT NOT NULL, PRIMARY KEY (rollout_id, seq));
CREATE TABLE IF NOT EXISTS decisions (rollout_id TEXT NOT NULL, version INTEGER NOT NULL,
    decision TEXT NOT NULL, PRIMARY KEY (rollout_id, version));
CREATE TABLE IF NOT EXISTS idempotency (rollout_id TEXT NOT NULL, key TEXT NOT NULL, outcome TEXT NOT NULL,
    PRIMARY KEY (rollout_id, key));
CREATE TABLE IF NOT EXISTS windows (rollout_id TEXT NOT NULL, end_at INTEGER NOT NULL, window TEXT NOT NULL,
    PRIMARY KEY (rollout_id, end_at));
CREATE TABLE IF NOT EXISTS incidents (rollout_id TEXT NOT NULL, id TEXT NOT NULL, incident TEXT NOT NULL,
    PRIMARY KEY (rollout_id, id));
CREATE TABLE IF NOT EXISTS documents (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS targets (target TEXT PRIMARY KEY, rollout_id TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// A store in one SQLite file.
///
/// # Example
/// ```
/// use scaleplan::store::{SqliteStore, Store};
/// let dir = std::env::temp_dir().join(format!("scaleplan-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let store = SqliteStore::open(dir.join("rollouts.db"))?;
/// assert!(store.rollout_ids()?.is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub struct SqliteStore {
    conn: Mutex<Connection>,
    key: Option<AuditKey>,
    /// The file, for the read connections (None: a private in-memory database, read on `conn`).
    path: Option<std::path::PathBuf>,
    readers: Mutex<Vec<Connection>>,
}

/// Idle read connections kept (WAL lets them read while a writer commits).
const READERS: usize = 4;

/// A connection to read on: a pooled reader (returned when dropped) or the writer's.
enum ReadConn<'a> {
    Main(MutexGuard<'a, Connection>),
    Pooled(&'a SqliteStore, Option<Connection>),
}

impl std::ops::Deref for ReadConn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            ReadConn::Main(g) => g,
            ReadConn::Pooled(_, c) => c.as_ref().unwrap_or_else(|| unreachable!("taken on drop")),
        }
    }
}

impl Drop for ReadConn<'_> {
    fn drop(&mut self) {
        if let ReadConn::Pooled(store, c) = self
            && let Some(c) = c.take()
            && let Ok(mut idle) = store.readers.lock()
            && idle.len() < READERS
        {
            idle.push(c);
        }
    }
}

fn db(e: rusqlite::Error) -> Error {
    storage(format!("sqlite: {e}"))
}

impl SqliteStore {
    /// Opens (or creates) the database at `path`: WAL journal, full fsync at commit, 5 s busy timeout.
    ///
    /// # Errors
    /// `storage` if the file cannot be opened or is not a scaleplan database.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let conn = Connection::open(path.as_ref()).map_err(db)?;
        let mut store = Self::init(conn)?;
        store.path = Some(path.as_ref().to_path_buf());
        Ok(store)
    }

    /// A private in-memory database (for tests).
    ///
    /// # Errors
    /// `storage`.
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory().map_err(db)?)
    }

    fn init(conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(db)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        // files written before seals existed gain the column
        let has_seal: bool = conn
            .prepare("SELECT 1 FROM pragma_table_info('rollouts') WHERE name = 'seal'")
            .and_then(|mut st| st.exists([]))
            .map_err(db)?;
        if !has_seal {
            conn.execute_batch("ALTER TABLE rollouts ADD COLUMN seal TEXT")
                .map_err(db)?;
        }
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            key: None,
            path: None,
            readers: Mutex::new(Vec::new()),
        })
    }

    /// A connection for a read: reads run in parallel with each other and with a commit (WAL).
    fn read(&self) -> Result<ReadConn<'_>> {
        let Some(path) = &self.path else {
            return Ok(ReadConn::Main(self.lock()?));
        };
        let pooled = self
            .readers
            .lock()
            .map_err(|_| storage("sqlite readers poisoned by a panic in another thread"))?
            .pop();
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open(path).map_err(db)?;
                c.busy_timeout(std::time::Duration::from_secs(5))
                    .map_err(db)?;
                c
            }
        };
        Ok(ReadConn::Pooled(self, Some(conn)))
    }

    /// Keys the audit chain (HMAC-SHA256) and seals every rollout's row with `key` (None: unkeyed).
    pub fn with_audit_key(mut self, key: Option<AuditKey>) -> Self {
        self.key = key;
        self
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| storage("sqlite connection poisoned by a panic in another thread"))
    }
}

/// Appends `records` to `id`'s chain; returns the chain's last (seq, hash).
fn append_audit(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    records: &[AuditRecord],
    key: Option<&AuditKey>,
) -> Result<Option<(u64, String)>> {
    let mut last: Option<(u64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit WHERE rollout_id = ?1 ORDER BY seq DESC LIMIT 1",
            params![id],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?)),
        )
        .optional()
        .map_err(db)?;
    for rec in records {
        let e = AuditEvent::chain_for(
            id,
            last.as_ref().map(|(s, h)| (*s, h.as_str())),
            rec.clone(),
            key,
        );
        tx.execute(
            "INSERT INTO audit (rollout_id, seq, event, hash) VALUES (?1, ?2, ?3, ?4)",
            params![id, e.seq as i64, to_json(&e)?, e.hash],
        )
        .map_err(db)?;
        last = Some((e.seq, e.hash));
    }
    Ok(last)
}

fn write_seal(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    key: Option<&AuditKey>,
    state_json: &str,
    last: Option<&(u64, String)>,
    prev: Option<&str>,
    added: &[SealedRow<'_>],
) -> Result<()> {
    if let Some(seal) = seal_of(key, id, state_json, last, prev, added) {
        tx.execute(
            "UPDATE rollouts SET seal = ?2 WHERE id = ?1",
            params![id, seal],
        )
        .map_err(db)?;
    }
    Ok(())
}

/// [`Store::verify_log`] of a keyed store, on one connection (inside the caller's read transaction).
fn verify_keyed(conn: &Connection, key: &AuditKey, rollout_id: &str) -> Result<ChainCheck> {
    let events: Vec<AuditEvent> = list(
        conn,
        "SELECT event FROM audit WHERE rollout_id = ?1 ORDER BY seq",
        rollout_id,
    )?;
    let row: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT state, seal FROM rollouts WHERE id = ?1",
            params![rollout_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(db)?;
    let (state, seal) = row.ok_or_else(|| Error::UnknownRollout {
        id: rollout_id.to_string(),
    })?;
    let mut st = conn
        .prepare("SELECT version, decision FROM decisions WHERE rollout_id = ?1")
        .map_err(db)?;
    let decisions = st
        .query_map(params![rollout_id], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
        })
        .map_err(db)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(db)?;
    let mut st = conn
        .prepare("SELECT key, outcome FROM idempotency WHERE rollout_id = ?1")
        .map_err(db)?;
    let answers = st
        .query_map(params![rollout_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(db)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(db)?;
    Ok(verify_stored(
        key,
        rollout_id,
        &events,
        &state,
        seal.as_deref(),
        &decisions,
        &answers,
    ))
}

fn list<T: serde::de::DeserializeOwned>(conn: &Connection, sql: &str, id: &str) -> Result<Vec<T>> {
    let mut st = conn.prepare(sql).map_err(db)?;
    let rows = st
        .query_map(params![id], |r| r.get::<_, String>(0))
        .map_err(db)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(from_json(&row.map_err(db)?)?);
    }
    Ok(out)
}

impl Store for SqliteStore {
    fn create_rollout(&self, rollout: &Rollout, audit: &[AuditRecord]) -> Result<()> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT version FROM rollouts WHERE id = ?1",
                params![rollout.id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        if exists.is_some() {
            return Err(Error::DuplicateName {
                field: "rollout.id".into(),
                name: rollout.id.clone(),
            });
        }
        let state = to_json(rollout)?;
        tx.execute(
            "INSERT INTO rollouts (id, version, state) VALUES (?1, ?2, ?3)",
            params![rollout.id, rollout.version as i64, state],
        )
        .map_err(db)?;
        let last = append_audit(&tx, &rollout.id, audit, self.key.as_ref())?;
        write_seal(
            &tx,
            &rollout.id,
            self.key.as_ref(),
            &state,
            last.as_ref(),
            None,
            &[],
        )?;
        tx.commit().map_err(db)
    }

    fn load_rollout(&self, id: &str) -> Result<Option<Rollout>> {
        let conn = self.read()?;
        let s: Option<String> = conn
            .query_row(
                "SELECT state FROM rollouts WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        s.map(|s| from_json(&s)).transpose()
    }

    fn rollout_ids(&self) -> Result<Vec<String>> {
        let conn = self.read()?;
        let mut st = conn
            .prepare("SELECT id FROM rollouts ORDER BY id")
            .map_err(db)?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).map_err(db)?;
        rows.collect::<std::result::Result<Vec<_>, _>>().map_err(db)
    }

    fn commit(&self, c: &Commit) -> Result<Committed> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        let id = c.rollout_id.as_str();
        if let Some(key) = &c.idempotency_key {
            let seen: Option<String> = tx
                .query_row(
                    "SELECT outcome FROM idempotency WHERE rollout_id = ?1 AND key = ?2",
                    params![id, key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db)?;
            if let Some(outcome) = seen {
                return Ok(Committed::Duplicate { outcome });
            }
        }
        let (current, mut state, prev_seal): (i64, String, Option<String>) = tx
            .query_row(
                "SELECT version, state, seal FROM rollouts WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(db)?
            .ok_or_else(|| Error::UnknownRollout { id: id.to_string() })?;
        check_version(c, current as u64)?;
        for t in &c.claim_targets {
            let holder: Option<String> = tx
                .query_row(
                    "SELECT rollout_id FROM targets WHERE target = ?1",
                    params![t],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db)?;
            match holder {
                Some(h) if h != id => return Err(held(id, t, &h)),
                Some(_) => {}
                None => {
                    tx.execute(
                        "INSERT INTO targets (target, rollout_id) VALUES (?1, ?2)",
                        params![t, id],
                    )
                    .map_err(db)?;
                }
            }
        }
        if c.release_targets {
            tx.execute("DELETE FROM targets WHERE rollout_id = ?1", params![id])
                .map_err(db)?;
        }
        if let Some(s) = &c.state {
            state = to_json(s)?;
            tx.execute(
                "UPDATE rollouts SET version = ?2, state = ?3 WHERE id = ?1",
                params![id, s.version as i64, state],
            )
            .map_err(db)?;
        }
        let last = append_audit(&tx, id, &c.audit, self.key.as_ref())?;
        let decision = match &c.decision {
            Some(d) => Some(to_json(d)?),
            None => None,
        };
        write_seal(
            &tx,
            id,
            self.key.as_ref(),
            &state,
            last.as_ref(),
            prev_seal.as_deref(),
            &sealed_rows(c, decision.as_deref()),
        )?;
        if let (Some(d), Some(json)) = (&c.decision, &decision) {
            tx.execute(
                "INSERT INTO decisions (rollout_id, version, decision) VALUES (?1, ?2, ?3)",
                params![id, d.version as i64, json],
            )
            .map_err(db)?;
        }
        if let Some(w) = &c.window {
            tx.execute(
                "INSERT OR REPLACE INTO windows (rollout_id, end_at, window) VALUES (?1, ?2, ?3)",
                params![id, w.end.unix(), to_json(w)?],
            )
            .map_err(db)?;
        }
        if let Some(key) = &c.idempotency_key {
            tx.execute(
                "INSERT INTO idempotency (rollout_id, key, outcome) VALUES (?1, ?2, ?3)",
                params![id, key, c.outcome],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(Committed::Applied)
    }

    fn target_holder(&self, target: &str) -> Result<Option<String>> {
        self.read()?
            .query_row(
                "SELECT rollout_id FROM targets WHERE target = ?1",
                params![target],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)
    }

    fn verify_log(&self, rollout_id: &str) -> Result<ChainCheck> {
        let Some(key) = &self.key else {
            return Ok(crate::rollout::verify(&self.audit(rollout_id)?));
        };
        // one read transaction: the log, state, seal and rows as of one commit
        let conn = self.read()?;
        conn.execute_batch("BEGIN DEFERRED").map_err(db)?;
        let out = verify_keyed(&conn, key, rollout_id);
        conn.execute_batch("COMMIT").map_err(db)?;
        out
    }

    fn idempotent_outcome(&self, rollout_id: &str, key: &str) -> Result<Option<String>> {
        self.read()?
            .query_row(
                "SELECT outcome FROM idempotency WHERE rollout_id = ?1 AND key = ?2",
                params![rollout_id, key],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)
    }

    fn audit(&self, rollout_id: &str) -> Result<Vec<AuditEvent>> {
        list(
            &*self.read()?,
            "SELECT event FROM audit WHERE rollout_id = ?1 ORDER BY seq",
            rollout_id,
        )
    }

    fn decisions(&self, rollout_id: &str) -> Result<Vec<Decision>> {
        list(
            &*self.read()?,
            "SELECT decision FROM decisions WHERE rollout_id = ?1 ORDER BY version",
            rollout_id,
        )
    }

    fn windows(&self, rollout_id: &str) -> Result<Vec<Window>> {
        list(
            &*self.read()?,
            "SELECT window FROM windows WHERE rollout_id = ?1 ORDER BY end_at",
            rollout_id,
        )
    }

    fn latest_window(&self, rollout_id: &str) -> Result<Option<Window>> {
        let s: Option<String> = self
            .read()?
            .query_row(
                "SELECT window FROM windows WHERE rollout_id = ?1 ORDER BY end_at DESC LIMIT 1",
                params![rollout_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        s.map(|s| from_json(&s)).transpose()
    }

    fn decisions_page(
        &self,
        rollout_id: &str,
        limit: usize,
        before: Option<u64>,
    ) -> Result<Vec<Decision>> {
        let conn = self.read()?;
        let mut st = conn
            .prepare(
                "SELECT decision FROM decisions WHERE rollout_id = ?1 AND version < ?2
                 ORDER BY version DESC LIMIT ?3",
            )
            .map_err(db)?;
        let before = before.map_or(i64::MAX, |b| b.min(i64::MAX as u64) as i64);
        let limit = limit.min(i64::MAX as usize) as i64;
        let rows = st
            .query_map(params![rollout_id, before, limit], |r| {
                r.get::<_, String>(0)
            })
            .map_err(db)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(from_json(&row.map_err(db)?)?);
        }
        Ok(out)
    }

    fn put_incident(&self, rollout_id: &str, incident: &Incident) -> Result<()> {
        self.lock()?
            .execute(
                "INSERT OR REPLACE INTO incidents (rollout_id, id, incident) VALUES (?1, ?2, ?3)",
                params![rollout_id, incident.id, to_json(incident)?],
            )
            .map_err(db)?;
        Ok(())
    }

    fn incidents(&self, rollout_id: &str) -> Result<Vec<Incident>> {
        list(
            &*self.read()?,
            "SELECT incident FROM incidents WHERE rollout_id = ?1 ORDER BY id",
            rollout_id,
        )
    }

    fn put_document(&self, kind: DocumentKind, id: &str, body: &str) -> Result<()> {
        self.lock()?
            .execute(
                "INSERT OR REPLACE INTO documents (kind, id, body) VALUES (?1, ?2, ?3)",
                params![kind.as_str(), id, body],
            )
            .map_err(db)?;
        Ok(())
    }

    fn document(&self, kind: DocumentKind, id: &str) -> Result<Option<String>> {
        self.read()?
            .query_row(
                "SELECT body FROM documents WHERE kind = ?1 AND id = ?2",
                params![kind.as_str(), id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)
    }
}
