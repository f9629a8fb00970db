//! [`PostgresStore`]: one PostgreSQL database shared by many app instances on many hosts (feature
//! `postgres`). The same schema and semantics as [`super::SqliteStore`]: versions, idempotency keys, an
//! append-only hash-chained audit log (UPDATE, DELETE and TRUNCATE refused by triggers), decisions,
//! windows, incidents, documents and target ownership.
//!
//! * Each commit is one transaction that takes the rollout's row lock first (`SELECT ... FOR UPDATE`),
//!   then looks up the idempotency key (a retry with a key seen before is answered with the first
//!   outcome, never `conflict`), then checks the version, then claims targets
//!   (`INSERT ... ON CONFLICT DO NOTHING`, so two rollouts racing for one target cannot both win).
//! * The schema is created or migrated inside a transaction holding a transaction-scoped advisory lock
//!   (`pg_advisory_xact_lock`), so instances starting together migrate once.
//! * Connections come from a small pool (reads in parallel, never behind one connection); a connection
//!   that failed (a server restart) is dropped, the call returns a `storage` error, and the next call
//!   connects afresh. Nothing acknowledged is lost: an acknowledged commit was committed.
//! * TLS through rustls (ring) unless the URL says `sslmode=disable`; `sslmode=prefer` (the default)
//!   falls back to plain TCP when the server offers no TLS, `sslmode=require` refuses to. The server's
//!   certificate is always verified, hostname included (libpq's `verify-full`; `verify-ca` and
//!   `verify-full` are accepted and mean the same), against the Mozilla roots (webpki-roots) or, with
//!   `sslrootcert=/path/ca.pem` in the URL, against the CA certificates of that PEM file (a private
//!   CA). Unlike libpq, `require` and `prefer` never accept an unverified certificate.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::collections::HashMap;

use postgres::config::SslMode;
use postgres::{Client, Config, NoTls, Statement, Transaction};

use super::{
    Commit, Committed, DocumentKind, Store, check_version, from_json, held, seal_of, sealed_rows,
    storage, to_json, verify_stored,
};
use crate::error::{Error, Result};
use crate::rollout::{
    AuditEvent, AuditKey, AuditRecord, ChainCheck, Decision, Incident, Rollout, Window,
};

/// The key of the advisory lock that serialises schema migrations (any fixed 64-bit number).
const MIGRATION_LOCK: i64 = 0x5ca1_e01a_0000_0001;

/// The schema version this build writes.
const SCHEMA_VERSION: i32 = 2;

/// Version 2: the rollout's seal (keyed stores).
const SCHEMA_V2: &str = "ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS seal TEXT;";

/// Connections kept open for reuse.
const POOL_SIZE: usize = 8;

const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS rollouts (id TEXT PRIMARY KEY, version BIGINT NOT NULL, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (rollout_id TEXT NOT NULL, seq BIGINT NOT NULL, event TEXT NOT NULL,
    hash TEXT NOT NULL, PRIMARY KEY (rollout_id, seq));
CREATE TABLE IF NOT EXISTS decisions (rollout_id TEXT NOT NULL, version BIGINT NOT NULL,
    decision TEXT NOT NULL, PRIMARY KEY (rollout_id, version));
CREATE TABLE IF NOT EXISTS idempotency (rollout_id TEXT NOT NULL, key TEXT NOT NULL, outcome TEXT NOT NULL,
    PRIMARY KEY (rollout_id, key));
CREATE TABLE IF NOT EXISTS windows (rollout_id TEXT NOT NULL, end_at BIGINT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (rollout_id, end_at));
CREATE TABLE IF NOT EXISTS incidents (rollout_id TEXT NOT NULL, id TEXT NOT NULL, incident TEXT NOT NULL,
    PRIMARY KEY (rollout_id, id));
CREATE TABLE IF NOT EXISTS documents (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS targets (target TEXT PRIMARY KEY, rollout_id TEXT NOT NULL);
CREATE OR REPLACE FUNCTION scaleplan_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
DROP TRIGGER IF EXISTS audit_no_update ON audit;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION scaleplan_audit_append_only();
DROP TRIGGER IF EXISTS audit_no_truncate ON audit;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION scaleplan_audit_append_only();
";

/// A store in a PostgreSQL database.
///
/// # Example
/// ```no_run
/// use scaleplan::store::{PostgresStore, Store};
/// let store = PostgresStore::connect("postgresql://scaleplan@db.internal/rollouts?sslmode=require")?;
/// println!("{} rollouts", store.rollout_ids()?.len());
/// # Ok::<(), scaleplan::Error>(())
/// ```
pub struct PostgresStore {
    config: Config,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    idle: Mutex<Vec<Conn>>,
    key: Option<AuditKey>,
}

/// A pooled connection and the statements prepared on it (one round trip per query instead of two).
struct Conn {
    client: Client,
    prepared: HashMap<&'static str, Statement>,
}

/// The prepared statement for `sql` on this connection (prepared once).
fn prep<C: postgres::GenericClient>(
    c: &mut C,
    prepared: &mut HashMap<&'static str, Statement>,
    sql: &'static str,
) -> Result<Statement> {
    if let Some(st) = prepared.get(sql) {
        return Ok(st.clone());
    }
    let st = c.prepare(sql).map_err(db)?;
    prepared.insert(sql, st.clone());
    Ok(st)
}

fn db(e: postgres::Error) -> Error {
    match e.as_db_error() {
        Some(d) => storage(format!("postgres: {} ({})", d.message(), d.code().code())),
        None => {
            // the causes too: "error performing TLS handshake: invalid peer certificate: UnknownIssuer"
            let mut msg = format!("postgres: {e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                msg.push_str(&format!(": {c}"));
                cause = c.source();
            }
            storage(msg)
        }
    }
}

/// The TLS parameters libpq users write that `tokio-postgres` does not parse, taken out of the URL.
struct TlsOptions {
    /// The URL (or `key=value` string) without them, `verify-ca` / `verify-full` written as `require`.
    url: String,
    /// `sslrootcert`: a PEM file of the CA certificates to trust instead of the Mozilla roots
    /// (`system`, as libpq 16 spells it, keeps the Mozilla roots).
    root_cert: Option<String>,
}

impl TlsOptions {
    fn take(url: &str) -> TlsOptions {
        let mut root_cert = None;
        let mut keep = |k: &str, v: &str| -> Option<String> {
            match (k, v) {
                ("sslrootcert", "system") => None,
                ("sslrootcert", path) => {
                    root_cert = Some(percent_decode(path));
                    None
                }
                ("sslmode", "verify-ca" | "verify-full") => Some("sslmode=require".to_string()),
                _ => Some(format!("{k}={v}")),
            }
        };
        let url = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            match url.split_once('?') {
                Some((base, query)) => {
                    let kept: Vec<String> = query
                        .split('&')
                        .filter(|p| !p.is_empty())
                        .filter_map(|p| {
                            let (k, v) = p.split_once('=').unwrap_or((p, ""));
                            keep(k, v)
                        })
                        .collect();
                    if kept.is_empty() {
                        base.to_string()
                    } else {
                        format!("{base}?{}", kept.join("&"))
                    }
                }
                None => url.to_string(),
            }
        } else {
            url.split_whitespace()
                .filter_map(|p| match p.split_once('=') {
                    Some((k, v)) => keep(k, v),
                    None => Some(p.to_string()),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        TlsOptions { url, root_cert }
    }

    /// The certificates the server's must chain to.
    fn roots(&self) -> Result<rustls::RootCertStore> {
        use rustls::pki_types::{CertificateDer, pem::PemObject};
        let mut roots = rustls::RootCertStore::empty();
        let Some(path) = &self.root_cert else {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            return Ok(roots);
        };
        let bad = |e: &dyn std::fmt::Display| storage(format!("postgres: sslrootcert {path}: {e}"));
        for cert in CertificateDer::pem_file_iter(path).map_err(|e| bad(&e))? {
            roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
        }
        if roots.is_empty() {
            return Err(bad(&"no certificate in the file"));
        }
        Ok(roots)
    }
}

/// `%XX` escapes of a URL parameter decoded (a path with spaces, say); anything else kept as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgresql://user:password@host:port/db?sslmode=...`) and
    /// creates or migrates the schema (once, under an advisory lock, whatever the number of instances
    /// starting).
    ///
    /// # Errors
    /// `storage` if the URL is invalid, the server cannot be reached, or the schema is newer than this
    /// build.
    pub fn connect(url: &str) -> Result<Self> {
        let tls_opts = TlsOptions::take(url);
        let mut config: Config = tls_opts
            .url
            .parse()
            .map_err(|e| storage(format!("postgres: invalid URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        let tls = if config.get_ssl_mode() == SslMode::Disable {
            None
        } else {
            let roots = tls_opts.roots()?;
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let tls = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| storage(format!("postgres: TLS: {e}")))?
                .with_root_certificates(roots)
                .with_no_client_auth();
            Some(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        };
        let store = PostgresStore {
            config,
            tls,
            idle: Mutex::new(Vec::new()),
            key: None,
        };
        store.with_client(migrate)?;
        Ok(store)
    }

    /// Keys the audit chain (HMAC-SHA256) and seals every rollout's row with `key` (None: unkeyed).
    pub fn with_audit_key(mut self, key: Option<AuditKey>) -> Self {
        self.key = key;
        self
    }

    fn open(&self) -> Result<Client> {
        match &self.tls {
            Some(tls) => self.config.connect(tls.clone()),
            None => self.config.connect(NoTls),
        }
        .map_err(db)
    }

    /// Runs `f` on a pooled connection; a connection that failed is dropped rather than returned.
    fn with_conn<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        let pooled = self
            .idle
            .lock()
            .map_err(|_| storage("postgres pool poisoned by a panic in another thread"))?
            .pop();
        let mut conn = match pooled {
            Some(c) if !c.client.is_closed() => c,
            _ => Conn {
                client: self.open()?,
                prepared: HashMap::new(),
            },
        };
        let out = f(&mut conn);
        if !conn.client.is_closed()
            && let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_SIZE
        {
            idle.push(conn);
        }
        out
    }

    fn with_client<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        self.with_conn(|c| f(&mut c.client))
    }

    /// One query on a prepared statement.
    fn query(
        &self,
        sql: &'static str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        self.with_conn(|c| {
            let st = prep(&mut c.client, &mut c.prepared, sql)?;
            c.client.query(&st, params).map_err(db)
        })
    }

    fn transaction<T>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>, &mut HashMap<&'static str, Statement>) -> Result<T>,
    ) -> Result<T> {
        self.with_conn(|c| {
            let mut tx = c.client.transaction().map_err(db)?;
            let out = f(&mut tx, &mut c.prepared)?;
            tx.commit().map_err(db)?;
            Ok(out)
        })
    }

    fn list<T: serde::de::DeserializeOwned>(&self, sql: &'static str, id: &str) -> Result<Vec<T>> {
        self.query(sql, &[&id])?
            .iter()
            .map(|r| from_json(&r.get::<_, String>(0)))
            .collect()
    }
}

/// Creates or migrates the schema in one transaction under the migration lock.
fn migrate(c: &mut Client) -> Result<()> {
    let mut tx = c.transaction().map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS scaleplan_schema (version INT NOT NULL)")
        .map_err(db)?;
    let current: Option<i32> = tx
        .query_opt("SELECT max(version) FROM scaleplan_schema", &[])
        .map_err(db)?
        .and_then(|r| r.get(0));
    match current {
        Some(v) if v > SCHEMA_VERSION => {
            return Err(storage(format!(
                "postgres: the schema is at version {v}, newer than this build ({SCHEMA_VERSION}): upgrade scaleplan"
            )));
        }
        Some(v) if v == SCHEMA_VERSION => {}
        _ => {
            tx.batch_execute(SCHEMA_V1).map_err(db)?;
            tx.batch_execute(SCHEMA_V2).map_err(db)?;
            tx.execute("DELETE FROM scaleplan_schema", &[])
                .map_err(db)?;
            tx.execute(
                "INSERT INTO scaleplan_schema (version) VALUES ($1)",
                &[&SCHEMA_VERSION],
            )
            .map_err(db)?;
        }
    }
    tx.commit().map_err(db)
}

/// Appends `records` to `id`'s chain; returns the chain's last (seq, hash).
type Prepared = HashMap<&'static str, Statement>;

fn append_audit(
    tx: &mut Transaction<'_>,
    p: &mut Prepared,
    id: &str,
    records: &[AuditRecord],
    key: Option<&AuditKey>,
) -> Result<Option<(u64, String)>> {
    if records.is_empty() && key.is_none() {
        return Ok(None);
    }
    let st = prep(
        tx,
        p,
        "SELECT seq, hash FROM audit WHERE rollout_id = $1 ORDER BY seq DESC LIMIT 1",
    )?;
    let mut last: Option<(u64, String)> = tx
        .query_opt(&st, &[&id])
        .map_err(db)?
        .map(|r| (r.get::<_, i64>(0) as u64, r.get::<_, String>(1)));
    let insert = prep(
        tx,
        p,
        "INSERT INTO audit (rollout_id, seq, event, hash) VALUES ($1, $2, $3, $4)",
    )?;
    for rec in records {
        let e = AuditEvent::chain_for(
            id,
            last.as_ref().map(|(s, h)| (*s, h.as_str())),
            rec.clone(),
            key,
        );
        tx.execute(&insert, &[&id, &(e.seq as i64), &to_json(&e)?, &e.hash])
            .map_err(db)?;
        last = Some((e.seq, e.hash));
    }
    Ok(last)
}

/// Stores `seal` (from [`seal_of`]; None for an unkeyed store) on rollout `id`'s row.
fn write_seal(
    tx: &mut Transaction<'_>,
    p: &mut Prepared,
    id: &str,
    seal: Option<String>,
) -> Result<()> {
    if let Some(seal) = seal {
        let st = prep(tx, p, "UPDATE rollouts SET seal = $2 WHERE id = $1")?;
        tx.execute(&st, &[&id, &seal]).map_err(db)?;
    }
    Ok(())
}

impl Store for PostgresStore {
    fn create_rollout(&self, rollout: &Rollout, audit: &[AuditRecord]) -> Result<()> {
        let key = self.key.as_ref();
        self.transaction(|tx, p| {
            let state = to_json(rollout)?;
            let n = tx
                .execute(
                    "INSERT INTO rollouts (id, version, state) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                    &[&rollout.id, &(rollout.version as i64), &state],
                )
                .map_err(db)?;
            if n == 0 {
                return Err(Error::DuplicateName {
                    field: "rollout.id".into(),
                    name: rollout.id.clone(),
                });
            }
            let last = append_audit(tx, p, &rollout.id, audit, key)?;
            let seal = seal_of(key, &rollout.id, &state, last.as_ref(), None, &[]);
            write_seal(tx, p, &rollout.id, seal)
        })
    }

    fn load_rollout(&self, id: &str) -> Result<Option<Rollout>> {
        self.query("SELECT state FROM rollouts WHERE id = $1", &[&id])?
            .first()
            .map(|r| from_json(&r.get::<_, String>(0)))
            .transpose()
    }

    fn rollout_ids(&self) -> Result<Vec<String>> {
        self.with_client(|c| {
            Ok(c.query("SELECT id FROM rollouts ORDER BY id", &[])
                .map_err(db)?
                .iter()
                .map(|r| r.get(0))
                .collect())
        })
    }

    fn commit(&self, c: &Commit) -> Result<Committed> {
        let id = c.rollout_id.as_str();
        let key = self.key.as_ref();
        self.transaction(|tx, p| {
            // 1. the row lock: every writer of this rollout waits here
            let (current, mut state, prev_seal): (i64, String, Option<String>) = {
                let st = prep(tx, p, "SELECT version, state, seal FROM rollouts WHERE id = $1 FOR UPDATE")?;
                tx.query_opt(&st, &[&id])
            }
                .map_err(db)?
                .map(|r| (r.get(0), r.get(1), r.get(2)))
                .ok_or_else(|| Error::UnknownRollout { id: id.to_string() })?;
            // 2. the idempotency key: a retry gets the first outcome, never `conflict`
            if let Some(key) = &c.idempotency_key
                && let Some(row) = {
                let st = prep(tx, p, "SELECT outcome FROM idempotency WHERE rollout_id = $1 AND key = $2")?;
                tx.query_opt(&st, &[&id, key])
            }
                    .map_err(db)?
            {
                return Ok(Committed::Duplicate {
                    outcome: row.get(0),
                });
            }
            // 3. the version
            check_version(c, current as u64)?;
            // 4. targets
            for t in &c.claim_targets {
                let claimed = {
                let st = prep(tx, p, "INSERT INTO targets (target, rollout_id) VALUES ($1, $2) ON CONFLICT (target) DO NOTHING")?;
                tx.execute(&st, &[t, &id])
            }
                    .map_err(db)?;
                if claimed == 0 {
                    let holder: String = {
                let st = prep(tx, p, "SELECT rollout_id FROM targets WHERE target = $1")?;
                tx.query_one(&st, &[t])
            }
                        .map_err(db)?
                        .get(0);
                    if holder != id {
                        return Err(held(id, t, &holder));
                    }
                }
            }
            if c.release_targets {
                {
                let st = prep(tx, p, "DELETE FROM targets WHERE rollout_id = $1")?;
                tx.execute(&st, &[&id])
            }
                    .map_err(db)?;
            }
            if let Some(s) = &c.state {
                state = to_json(s)?;
                {
                let st = prep(tx, p, "UPDATE rollouts SET version = $2, state = $3 WHERE id = $1")?;
                tx.execute(&st, &[&id, &(s.version as i64), &state])
            }
                .map_err(db)?;
            }
            let last = append_audit(tx, p, id, &c.audit, key)?;
            let decision = match &c.decision {
                Some(d) => Some(to_json(d)?),
                None => None,
            };
            let added = sealed_rows(c, decision.as_deref());
            let seal = seal_of(key, id, &state, last.as_ref(), prev_seal.as_deref(), &added);
            write_seal(tx, p, id, seal)?;
            if let (Some(d), Some(json)) = (&c.decision, &decision) {
                {
                let st = prep(tx, p, "INSERT INTO decisions (rollout_id, version, decision) VALUES ($1, $2, $3)")?;
                tx.execute(&st, &[&id, &(d.version as i64), json])
            }
                .map_err(db)?;
            }
            if let Some(w) = &c.window {
                {
                let st = prep(tx, p, "INSERT INTO windows (rollout_id, end_at, body) VALUES ($1, $2, $3)
                     ON CONFLICT (rollout_id, end_at) DO UPDATE SET body = EXCLUDED.body")?;
                tx.execute(&st, &[&id, &w.end.unix(), &to_json(w)?])
            }
                .map_err(db)?;
            }
            if let Some(key) = &c.idempotency_key {
                {
                let st = prep(tx, p, "INSERT INTO idempotency (rollout_id, key, outcome) VALUES ($1, $2, $3)")?;
                tx.execute(&st, &[&id, key, &c.outcome])
            }
                .map_err(db)?;
            }
            Ok(Committed::Applied)
        })
    }

    fn target_holder(&self, target: &str) -> Result<Option<String>> {
        self.with_client(|c| {
            Ok(c.query_opt(
                "SELECT rollout_id FROM targets WHERE target = $1",
                &[&target],
            )
            .map_err(db)?
            .map(|r| r.get(0)))
        })
    }

    fn verify_log(&self, rollout_id: &str) -> Result<ChainCheck> {
        let Some(key) = &self.key else {
            return Ok(crate::rollout::verify(&self.audit(rollout_id)?));
        };
        // one snapshot: the log, state, seal and rows as of one commit
        self.transaction(|tx, _| {
            tx.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .map_err(db)?;
            let events = tx
                .query(
                    "SELECT event FROM audit WHERE rollout_id = $1 ORDER BY seq",
                    &[&rollout_id],
                )
                .map_err(db)?
                .iter()
                .map(|r| from_json::<AuditEvent>(&r.get::<_, String>(0)))
                .collect::<Result<Vec<_>>>()?;
            let (state, seal): (String, Option<String>) = tx
                .query_opt(
                    "SELECT state, seal FROM rollouts WHERE id = $1",
                    &[&rollout_id],
                )
                .map_err(db)?
                .map(|r| (r.get(0), r.get(1)))
                .ok_or_else(|| Error::UnknownRollout {
                    id: rollout_id.to_string(),
                })?;
            let decisions: Vec<(u64, String)> = tx
                .query(
                    "SELECT version, decision FROM decisions WHERE rollout_id = $1",
                    &[&rollout_id],
                )
                .map_err(db)?
                .iter()
                .map(|r| (r.get::<_, i64>(0) as u64, r.get(1)))
                .collect();
            let answers: Vec<(String, String)> = tx
                .query(
                    "SELECT key, outcome FROM idempotency WHERE rollout_id = $1",
                    &[&rollout_id],
                )
                .map_err(db)?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            Ok(verify_stored(
                key,
                rollout_id,
                &events,
                &state,
                seal.as_deref(),
                &decisions,
                &answers,
            ))
        })
    }

    fn idempotent_outcome(&self, rollout_id: &str, key: &str) -> Result<Option<String>> {
        self.with_client(|c| {
            Ok(c.query_opt(
                "SELECT outcome FROM idempotency WHERE rollout_id = $1 AND key = $2",
                &[&rollout_id, &key],
            )
            .map_err(db)?
            .map(|r| r.get(0)))
        })
    }

    fn audit(&self, rollout_id: &str) -> Result<Vec<AuditEvent>> {
        self.list(
            "SELECT event FROM audit WHERE rollout_id = $1 ORDER BY seq",
            rollout_id,
        )
    }

    fn decisions(&self, rollout_id: &str) -> Result<Vec<Decision>> {
        self.list(
            "SELECT decision FROM decisions WHERE rollout_id = $1 ORDER BY version",
            rollout_id,
        )
    }

    fn windows(&self, rollout_id: &str) -> Result<Vec<Window>> {
        self.list(
            "SELECT body FROM windows WHERE rollout_id = $1 ORDER BY end_at",
            rollout_id,
        )
    }

    fn latest_window(&self, rollout_id: &str) -> Result<Option<Window>> {
        self.with_client(|c| {
            c.query_opt(
                "SELECT body FROM windows WHERE rollout_id = $1 ORDER BY end_at DESC LIMIT 1",
                &[&rollout_id],
            )
            .map_err(db)?
            .map(|r| from_json(&r.get::<_, String>(0)))
            .transpose()
        })
    }

    fn decisions_page(
        &self,
        rollout_id: &str,
        limit: usize,
        before: Option<u64>,
    ) -> Result<Vec<Decision>> {
        let before = before.map_or(i64::MAX, |b| b.min(i64::MAX as u64) as i64);
        let limit = limit.min(i64::MAX as usize) as i64;
        self.with_client(|c| {
            c.query(
                "SELECT decision FROM decisions WHERE rollout_id = $1 AND version < $2
                 ORDER BY version DESC LIMIT $3",
                &[&rollout_id, &before, &limit],
            )
            .map_err(db)?
            .iter()
            .map(|r| from_json(&r.get::<_, String>(0)))
            .collect()
        })
    }

    fn put_incident(&self, rollout_id: &str, incident: &Incident) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO incidents (rollout_id, id, incident) VALUES ($1, $2, $3)
                 ON CONFLICT (rollout_id, id) DO UPDATE SET incident = EXCLUDED.incident",
                &[&rollout_id, &incident.id, &to_json(incident)?],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn incidents(&self, rollout_id: &str) -> Result<Vec<Incident>> {
        self.list(
            "SELECT incident FROM incidents WHERE rollout_id = $1 ORDER BY id",
            rollout_id,
        )
    }

    fn put_document(&self, kind: DocumentKind, id: &str, body: &str) -> Result<()> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO documents (kind, id, body) VALUES ($1, $2, $3)
                 ON CONFLICT (kind, id) DO UPDATE SET body = EXCLUDED.body",
                &[&kind.as_str(), &id, &body],
            )
            .map_err(db)?;
            Ok(())
        })
    }

    fn document(&self, kind: DocumentKind, id: &str) -> Result<Option<String>> {
        self.with_client(|c| {
            Ok(c.query_opt(
                "SELECT body FROM documents WHERE kind = $1 AND id = $2",
                &[&kind.as_str(), &id],
            )
            .map_err(db)?
            .map(|r| r.get(0)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_are_taken_out_of_the_url() {
        let t = TlsOptions::take(
            "postgresql://u@h:5432/db?sslmode=verify-full&sslrootcert=/etc/my%20ca.pem&application_name=x",
        );
        assert_eq!(
            t.url,
            "postgresql://u@h:5432/db?sslmode=require&application_name=x"
        );
        assert_eq!(t.root_cert.as_deref(), Some("/etc/my ca.pem"));
        let t = TlsOptions::take("postgres://u@h/db?sslrootcert=system");
        assert_eq!((t.url.as_str(), t.root_cert), ("postgres://u@h/db", None));
        let t = TlsOptions::take("host=h user=u sslmode=verify-ca sslrootcert=/ca.pem");
        assert_eq!(t.url, "host=h user=u sslmode=require");
        assert_eq!(t.root_cert.as_deref(), Some("/ca.pem"));
        let t = TlsOptions::take("postgresql://u@h/db");
        assert_eq!((t.url.as_str(), t.root_cert), ("postgresql://u@h/db", None));
        let err = TlsOptions {
            url: String::new(),
            root_cert: Some("/nonexistent.pem".into()),
        }
        .roots()
        .unwrap_err();
        assert!(
            err.to_string().contains("sslrootcert /nonexistent.pem"),
            "{err}"
        );
    }
}
