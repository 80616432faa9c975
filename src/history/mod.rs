//! The approval history: every approval, denial (by policy, by the user, by timeout), grant and
//! grant use, in SQLite (WAL), each record chained to the one before it by hash so that an edit,
//! a deletion or a reordering shows. Proofs are kept and re-verified offline.
//!
//! The chain is authenticated: each record also carries an HMAC-SHA256 over its hash input with
//! a key beside the database (`history.key`). In system mode the database and the key belong to
//! the approval agent's account, so the user can neither read the key nor rebuild the chain after
//! deleting or adding records: `verify` runs in the agent. In user mode the key is the user's own,
//! so the chain guards against accidents, not against someone who can write the user's files.
//!
//! The same database keeps the approval agent's used nonces (single use across restarts).
//! Only the deny and approve paths write here; the allow path never opens the database.

pub mod time;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::webauthn::{EnrolledKey, Proof};

/// Bumped with every migration.
pub const SCHEMA_VERSION: i64 = 2;
/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record, as stored and as exported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    #[serde(default)]
    pub id: i64,
    pub time_ms: u64,
    /// approval, denial, timeout, grant, grant_use, policy_denial.
    pub kind: String,
    /// allow or deny.
    pub decision: String,
    /// user, policy, timeout, grant or agent.
    pub decided_by: String,
    pub agent: String,
    pub session: String,
    pub cwd: String,
    pub tool: String,
    pub summary: String,
    pub rule: Option<String>,
    pub reason: String,
    /// The canonical intent the key signed (for approvals and grants).
    pub intent: Option<String>,
    pub key_name: Option<String>,
    pub software_key: bool,
    pub user: String,
    pub latency_ms: Option<u64>,
    pub proof: Option<Proof>,
    #[serde(default)]
    pub prev_hash: String,
    #[serde(default)]
    pub hash: String,
    /// HMAC-SHA256 (hex) over the hash input with the history key; `None` for records written
    /// before the chain was authenticated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

impl Record {
    /// What the hash and the MAC cover: the canonical JSON of every field but `id`, `hash` and
    /// `mac`, with `prev_hash` set to `prev`.
    pub fn hash_input(&self, prev: &str) -> String {
        let mut v = serde_json::to_value(self).expect("records serialize");
        if let serde_json::Value::Object(m) = &mut v {
            m.remove("id");
            m.remove("hash");
            m.remove("mac");
            m.insert("prev_hash".into(), prev.into());
        }
        crate::intent::canonical(&v).expect("records hold only integers")
    }

    /// The record's hash: SHA-256 over the previous hash and the canonical JSON of every field
    /// but `id`, `hash` and `mac`.
    pub fn compute_hash(&self, prev: &str) -> String {
        crate::intent::hex(&Sha256::digest(self.hash_input(prev).as_bytes()))
    }

    /// The record's MAC under `key`.
    pub fn compute_mac(&self, key: &HistoryKey, prev: &str) -> String {
        crate::intent::hex(&hmac_sha256(&key.0, self.hash_input(prev).as_bytes()))
    }
}

/// The key that authenticates the chain: 32 random bytes in a file only its owner can read.
#[derive(Clone)]
pub struct HistoryKey([u8; 32]);

impl std::fmt::Debug for HistoryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryKey(…)")
    }
}

impl HistoryKey {
    /// Reads the key at `file`; `Ok(None)` when there is none.
    pub fn load(file: &Path) -> std::io::Result<Option<HistoryKey>> {
        match std::fs::read(file) {
            Ok(b) => <[u8; 32]>::try_from(b.as_slice()).map(|k| Some(HistoryKey(k))).map_err(|_| std::io::Error::other(format!("{}: not a history key (32 bytes)", file.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Reads the key at `file`, making one (mode 0600) when there is none.
    pub fn load_or_create(file: &Path) -> std::io::Result<HistoryKey> {
        if let Some(k) = HistoryKey::load(file)? {
            return Ok(k);
        }
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| std::io::Error::other(e.to_string()))?;
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(dir) = file.parent() {
            crate::paths::Paths::create_private_dir(dir)?;
        }
        // create_new: two first writers do not overwrite each other's key.
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file) {
            Ok(mut f) => {
                f.write_all(&k)?;
                f.sync_all()?;
                Ok(HistoryKey(k))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => HistoryKey::load(file)?.ok_or_else(|| std::io::Error::other("the history key vanished")),
            Err(e) => Err(e),
        }
    }
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let (mut ipad, mut opad) = ([0x36u8; BLOCK], [0x5cu8; BLOCK]);
    for i in 0..BLOCK {
        ipad[i] ^= k[i];
        opad[i] ^= k[i];
    }
    let inner = Sha256::new().chain_update(ipad).chain_update(message).finalize();
    Sha256::new().chain_update(opad).chain_update(inner).finalize().into()
}

impl Record {
    /// A record of `action` with the common fields filled in.
    pub fn of(action: &crate::action::Action, kind: &str, decision: &str, decided_by: &str, rule: Option<String>, reason: &str) -> Record {
        Record {
            time_ms: crate::history::time::now_ms(),
            kind: kind.into(),
            decision: decision.into(),
            decided_by: decided_by.into(),
            agent: action.agent.name().into(),
            session: action.session.clone(),
            cwd: action.cwd.clone(),
            tool: action.tool.clone(),
            summary: action.summary(),
            rule,
            reason: reason.into(),
            user: user_name(),
            ..Record::default()
        }
    }

    /// A record from an approval request as the agent sees it.
    /// Every field comes from the typed intent, never from display text beside it; an intent
    /// that does not read leaves them empty (its canonical form is still kept).
    pub fn of_evaluation(e: &crate::protocol::Evaluation, kind: &str, decision: &str, decided_by: &str, reason: &str) -> Record {
        let intent = &e.context.intent;
        let typed = crate::intent::Intent::from_value(intent).ok();
        let call = typed.as_ref().and_then(|i| i.tool_call());
        Record {
            time_ms: crate::history::time::now_ms(),
            kind: kind.into(),
            decision: decision.into(),
            decided_by: decided_by.into(),
            agent: typed.as_ref().map(|i| crate::render::requester(i).to_owned()).unwrap_or_default(),
            session: call.map(|c| c.session.clone()).unwrap_or_default(),
            cwd: call.map(|c| c.cwd.clone()).unwrap_or_default(),
            tool: call.map(|c| c.tool.clone()).unwrap_or_default(),
            summary: typed.as_ref().map(crate::render::summary).unwrap_or_else(|| "(an intent ana cannot read)".into()),
            rule: typed.as_ref().and_then(|i| i.rule().map(str::to_owned)),
            reason: reason.into(),
            intent: crate::intent::canonical(intent).ok(),
            user: user_name(),
            ..Record::default()
        }
    }
}

/// Records `rec` from a hook: handed to the approval agent when it runs (one socket write), else
/// appended to the spool (one write), which the next opening of the database imports and
/// chains. The deny path never opens the database. A failed record never changes a decision.
pub fn record_from_hook(paths: &crate::paths::Paths, rec: Record, busy: Duration) {
    use crate::protocol::{Request, Role};
    if paths.socket().exists()
        && let Ok(mut c) = crate::ipc::Client::connect(&paths.socket(), Role::Cli, busy)
        && c.send(&Request::Record { record: rec.clone() }).is_ok()
    {
        return;
    }
    if paths.mode == crate::paths::Mode::System {
        // The history is the approval agent's: without it, the denial goes unrecorded (the call
        // is denied either way).
        eprintln!("ana: the approver is not reachable; this denial is not in the history");
        return;
    }
    if spool(paths, &rec).is_err() {
        record(paths, rec, busy);
    }
}

/// The file hooks append records to while the approval agent is down.
pub fn spool_path(db: &Path) -> std::path::PathBuf {
    db.with_file_name("history-spool.jsonl")
}

fn spool(paths: &crate::paths::Paths, rec: &Record) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut line = serde_json::to_vec(rec).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let _ = crate::paths::Paths::create_private_dir(&paths.data);
    let mut f = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(spool_path(&paths.history_db()))?;
    // One write: appends from concurrent hooks do not interleave.
    f.write_all(&line)
}

/// Appends `rec` to the history under `paths`, waiting at most `busy` for other writers.
pub fn try_record(paths: &crate::paths::Paths, rec: Record, busy: Duration) -> Result<Record, String> {
    History::open_for_writing(&paths.history_db(), busy).and_then(|mut h| h.append(rec)).map_err(|e| format!("{}: {e}", paths.history_db().display()))
}

/// As [`try_record`], for a record of a denial: errors are reported on stderr and otherwise
/// ignored (the call is denied either way).
pub fn record(paths: &crate::paths::Paths, rec: Record, busy: Duration) {
    if let Err(e) = try_record(paths, rec, busy) {
        eprintln!("ana: could not record in the history ({e})");
    }
}

/// The user's name, for records.
pub fn user_name() -> String {
    std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| {
        // SAFETY: getuid cannot fail.
        format!("uid {}", unsafe { libc::getuid() })
    })
}

pub struct History {
    conn: Connection,
    key: Option<HistoryKey>,
}

const COLUMNS: &str = "id, time_ms, kind, decision, decided_by, agent, session, cwd, tool, summary, rule, reason, intent, key_name, software_key, user, latency_ms, proof, prev_hash, hash, mac";

/// The SQL condition and its arguments for `f` (everything but the limit).
fn where_clause(f: &Filter) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
    let mut sql = String::from("1=1");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    if let Some(v) = f.since_ms {
        sql.push_str(" AND time_ms >= ?");
        args.push(Box::new(v as i64));
    }
    if let Some(v) = f.until_ms {
        sql.push_str(" AND time_ms < ?");
        args.push(Box::new(v as i64));
    }
    for (col, v) in [("agent", &f.agent), ("session", &f.session), ("decision", &f.decision), ("rule", &f.rule)] {
        if let Some(v) = v {
            sql.push_str(&format!(" AND {col} = ?"));
            args.push(Box::new(v.clone()));
        }
    }
    if let Some(g) = &f.grep {
        sql.push_str(" AND (summary LIKE ? ESCAPE '\\' OR reason LIKE ? ESCAPE '\\' OR cwd LIKE ? ESCAPE '\\')");
        let pat = format!("%{}%", g.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        for _ in 0..3 {
            args.push(Box::new(pat.clone()));
        }
    }
    (sql, args)
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<Record> {
    let proof: Option<String> = r.get(17)?;
    Ok(Record {
        id: r.get(0)?,
        time_ms: r.get::<_, i64>(1)? as u64,
        kind: r.get(2)?,
        decision: r.get(3)?,
        decided_by: r.get(4)?,
        agent: r.get(5)?,
        session: r.get(6)?,
        cwd: r.get(7)?,
        tool: r.get(8)?,
        summary: r.get(9)?,
        rule: r.get(10)?,
        reason: r.get(11)?,
        intent: r.get(12)?,
        key_name: r.get(13)?,
        software_key: r.get(14)?,
        user: r.get(15)?,
        latency_ms: r.get::<_, Option<i64>>(16)?.map(|v| v as u64),
        proof: proof.and_then(|p| serde_json::from_str(&p).ok()),
        prev_hash: r.get(18)?,
        hash: r.get(19)?,
        mac: r.get(20)?,
    })
}

/// Filters for `list`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub since_ms: Option<u64>,
    pub until_ms: Option<u64>,
    pub agent: Option<String>,
    pub session: Option<String>,
    pub decision: Option<String>,
    pub rule: Option<String>,
    pub grep: Option<String>,
    pub limit: Option<usize>,
}

/// Why the history does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChainError {
    #[error("record {id}: its content does not match its hash (edited)")]
    Edited { id: i64 },
    #[error("record {id}: it does not follow the record before it (a record was deleted or reordered)")]
    Broken { id: i64 },
    #[error("record {id}: its proof does not verify ({why})")]
    BadProof { id: i64, why: String },
    #[error("record {id}: its MAC does not match (written or rebuilt without the history key)")]
    BadMac { id: i64 },
}

/// The history key beside the database at `db`.
pub fn key_path(db: &Path) -> std::path::PathBuf {
    db.with_file_name("history.key")
}

impl History {
    /// Opens the history at `path` to append to it: as [`History::open`], with the history key
    /// (made on first use).
    pub fn open_for_writing(path: &Path, busy: Duration) -> rusqlite::Result<History> {
        let key = HistoryKey::load_or_create(&key_path(path)).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let mut h = History::open_inner(path, busy)?;
        h.key = Some(key);
        h.import_spool(&spool_path(path))?;
        Ok(h)
    }

    /// Opens (creating and migrating) the history at `path`, with the history key when this
    /// process can read it (made when missing, if the database is this process's own). `busy`
    /// bounds how long a writer waits for another.
    pub fn open(path: &Path, busy: Duration) -> rusqlite::Result<History> {
        use std::os::unix::fs::MetadataExt;
        let mut h = History::open_inner(path, busy)?;
        let own = std::fs::metadata(path).is_ok_and(|m| m.uid() == crate::paths::euid());
        h.key = if own { HistoryKey::load_or_create(&key_path(path)).ok() } else { HistoryKey::load(&key_path(path)).ok().flatten() };
        if h.key.is_some() {
            h.import_spool(&spool_path(path))?;
        }
        Ok(h)
    }

    /// Whether this handle holds the history key (so that `verify` checks every MAC).
    pub fn authenticated(&self) -> bool {
        self.key.is_some()
    }

    fn open_inner(path: &Path, busy: Duration) -> rusqlite::Result<History> {
        let created = !path.exists();
        if created && let Some(dir) = path.parent() {
            let _ = crate::paths::Paths::create_private_dir(dir);
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(busy)?;
        // Short-lived writers (hooks) must not checkpoint and delete the WAL on close: the next
        // one would recreate it. The agent and `ana history` checkpoint as usual.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        if created {
            // WAL is a property of the file: set once.
            conn.pragma_update(None, "journal_mode", "WAL")?;
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        let h = History { conn, key: None };
        h.migrate()?;
        Ok(h)
    }

    /// Chains the records hooks spooled while the approval agent was down.
    fn import_spool(&mut self, spool: &Path) -> rusqlite::Result<()> {
        if !std::fs::metadata(spool).is_ok_and(|m| m.len() > 0) {
            return Ok(());
        }
        // Take the spool away first, so hooks appending meanwhile start a new one.
        let taken = spool.with_extension(format!("importing-{}", std::process::id()));
        if std::fs::rename(spool, &taken).is_err() {
            return Ok(());
        }
        let text = std::fs::read_to_string(&taken).unwrap_or_default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match serde_json::from_str::<Record>(line) {
                Ok(rec) => {
                    self.append(rec)?;
                }
                Err(e) => eprintln!("ana: skipped a damaged spooled history record: {e}"),
            }
        }
        let _ = std::fs::remove_file(&taken);
        Ok(())
    }

    fn migrate(&self) -> rusqlite::Result<()> {
        let version = |c: &Connection| -> rusqlite::Result<i64> { c.pragma_query_value(None, "user_version", |r| r.get(0)) };
        if version(&self.conn)? >= SCHEMA_VERSION {
            return Ok(());
        }
        // Under the write lock, and looked at again there: another process may have migrated
        // while this one waited.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let step = || -> rusqlite::Result<()> {
            let v = version(&self.conn)?;
            if v < 1 {
                self.conn.execute_batch(
                    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                     CREATE TABLE IF NOT EXISTS records (
                       id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, kind TEXT NOT NULL, decision TEXT NOT NULL,
                       decided_by TEXT NOT NULL, agent TEXT NOT NULL, session TEXT NOT NULL, cwd TEXT NOT NULL,
                       tool TEXT NOT NULL, summary TEXT NOT NULL, rule TEXT, reason TEXT NOT NULL, intent TEXT,
                       key_name TEXT, software_key INTEGER NOT NULL, user TEXT NOT NULL, latency_ms INTEGER,
                       proof TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
                     CREATE INDEX IF NOT EXISTS records_time ON records(time_ms);
                     CREATE INDEX IF NOT EXISTS records_agent ON records(agent, time_ms);
                     CREATE INDEX IF NOT EXISTS records_session ON records(session);
                     CREATE INDEX IF NOT EXISTS records_rule ON records(rule);
                     PRAGMA user_version = 1;",
                )?;
            }
            if v < 2 {
                // Records from here on carry a MAC; the ones before stay verifiable by hash only.
                self.conn.execute_batch(
                    "ALTER TABLE records ADD COLUMN mac TEXT;
                     CREATE TABLE IF NOT EXISTS used_nonces (nonce TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL);
                     INSERT OR REPLACE INTO meta (key, value) VALUES ('mac_from', (SELECT COALESCE(MAX(id), 0) + 1 FROM records));
                     PRAGMA user_version = 2;",
                )?;
            }
            Ok(())
        };
        match step() {
            Ok(()) => self.conn.execute_batch("COMMIT"),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Marks `nonce` as used until `expires_ms`. `Ok(true)` when it was fresh, `Ok(false)` when it
    /// was used before (a replay). Expired entries are pruned on the way.
    pub fn use_nonce(&mut self, nonce: &str, expires_ms: u64, now_ms: u64) -> rusqlite::Result<bool> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM used_nonces WHERE expires_ms <= ?1", [now_ms as i64])?;
        let n = tx.execute("INSERT OR IGNORE INTO used_nonces (nonce, expires_ms) VALUES (?1, ?2)", params![nonce, expires_ms as i64])?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Appends a record, chained to the last one and authenticated with the history key.
    /// Concurrent writers serialize on the database's write lock. Without the key it fails: an
    /// unauthenticated record would not verify.
    pub fn append(&mut self, mut rec: Record) -> rusqlite::Result<Record> {
        let Some(key) = self.key.clone() else {
            return Err(rusqlite::Error::InvalidParameterName("the history key is not available to this process".into()));
        };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let last: Option<String> = tx.query_row("SELECT hash FROM records ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).optional()?;
        let prev = match last {
            Some(h) => h,
            None => tx.query_row("SELECT value FROM meta WHERE key = 'anchor'", [], |r| r.get(0)).optional()?.unwrap_or_else(|| GENESIS.into()),
        };
        rec.prev_hash = prev.clone();
        rec.hash = rec.compute_hash(&prev);
        rec.mac = Some(rec.compute_mac(&key, &prev));
        let proof = rec.proof.as_ref().map(|p| serde_json::to_string(p).expect("proofs serialize"));
        tx.execute(
            "INSERT INTO records (time_ms, kind, decision, decided_by, agent, session, cwd, tool, summary, rule, reason, intent, key_name, software_key, user, latency_ms, proof, prev_hash, hash, mac)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            params![
                rec.time_ms as i64,
                rec.kind,
                rec.decision,
                rec.decided_by,
                rec.agent,
                rec.session,
                rec.cwd,
                rec.tool,
                rec.summary,
                rec.rule,
                rec.reason,
                rec.intent,
                rec.key_name,
                rec.software_key,
                rec.user,
                rec.latency_ms.map(|v| v as i64),
                proof,
                rec.prev_hash,
                rec.hash,
                rec.mac
            ],
        )?;
        rec.id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(rec)
    }

    /// Records newest first.
    /// The records `f` selects, newest first, at most `f.limit`.
    pub fn list(&self, f: &Filter) -> rusqlite::Result<Vec<Record>> {
        let (cond, args) = where_clause(f);
        let mut sql = format!("SELECT {COLUMNS} FROM records WHERE {cond} ORDER BY id DESC");
        if let Some(l) = f.limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter().map(|b| b.as_ref())), row)?;
        rows.collect()
    }

    /// How many records `f` selects, ignoring its limit ("showing 50 of 1 234").
    pub fn count(&self, f: &Filter) -> rusqlite::Result<u64> {
        let (cond, args) = where_clause(f);
        self.conn.query_row(&format!("SELECT COUNT(*) FROM records WHERE {cond}"), rusqlite::params_from_iter(args.iter().map(|b| b.as_ref())), |r| r.get::<_, i64>(0)).map(|n| n as u64)
    }

    pub fn get(&self, id: i64) -> rusqlite::Result<Option<Record>> {
        self.conn.query_row(&format!("SELECT {COLUMNS} FROM records WHERE id = ?1"), [id], row).optional()
    }

    /// Re-checks the chain, every MAC (when this handle holds the history key, see
    /// [`History::authenticated`]) and every proof against `keys`. Returns the number of records
    /// checked, or the first bad record.
    pub fn verify(&self, keys: &[EnrolledKey]) -> rusqlite::Result<Result<usize, ChainError>> {
        let anchor: Option<String> = self.conn.query_row("SELECT value FROM meta WHERE key = 'anchor'", [], |r| r.get(0)).optional()?;
        let mac_from: i64 = self.conn.query_row("SELECT value FROM meta WHERE key = 'mac_from'", [], |r| r.get::<_, String>(0)).optional()?.and_then(|v| v.parse().ok()).unwrap_or(1);
        let mut prev = anchor.unwrap_or_else(|| GENESIS.into());
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS} FROM records ORDER BY id"))?;
        let mut n = 0;
        for rec in stmt.query_map([], row)? {
            let rec = rec?;
            if rec.prev_hash != prev {
                return Ok(Err(ChainError::Broken { id: rec.id }));
            }
            if rec.compute_hash(&prev) != rec.hash {
                return Ok(Err(ChainError::Edited { id: rec.id }));
            }
            if let Some(key) = &self.key {
                // Before `mac_from` the records predate the MAC; from there on every one needs it.
                let needs = rec.id >= mac_from || rec.mac.is_some();
                if needs && rec.mac.as_deref() != Some(rec.compute_mac(key, &prev).as_str()) {
                    return Ok(Err(ChainError::BadMac { id: rec.id }));
                }
            }
            if let (Some(proof), Some(intent)) = (&rec.proof, &rec.intent) {
                let challenge: [u8; 32] = Sha256::digest(intent.as_bytes()).into();
                let uv = crate::intent::signed_level(intent) == Some(crate::policy::Level::Verification);
                if let Err(e) = crate::webauthn::verify(proof, &challenge, keys, uv) {
                    return Ok(Err(ChainError::BadProof { id: rec.id, why: e.to_string() }));
                }
            }
            prev = rec.hash;
            n += 1;
        }
        Ok(Ok(n))
    }

    /// Deletes records before `before_ms`, keeping the rest verifiable: the last deleted record's
    /// hash becomes the chain's anchor.
    pub fn prune(&mut self, before_ms: u64) -> rusqlite::Result<usize> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let last: Option<(i64, String)> = tx.query_row("SELECT id, hash FROM records WHERE time_ms < ?1 ORDER BY id DESC LIMIT 1", [before_ms as i64], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        let Some((last_id, last_hash)) = last else { return Ok(0) };
        let n = tx.execute("DELETE FROM records WHERE id <= ?1", [last_id])?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('anchor', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [last_hash])?;
        tx.commit()?;
        Ok(n)
    }

    /// Direct SQL access, for tests that tamper with the database.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_rfc4231() {
        // Test cases 1 and 6 (a key longer than the block).
        let mac = hmac_sha256(&[0x0b; 20], b"Hi There");
        assert_eq!(crate::intent::hex(&mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        let mac = hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(crate::intent::hex(&mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }
}
