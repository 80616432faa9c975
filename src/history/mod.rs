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
//!
//! Types: a [`Record`] (what is recorded, also the wire and spool form) is appended and comes
//! back as a [`Row`] (with its id, chain fields and [`HashVersion`]); `ana history export` writes
//! [`ExportLine`]s; the hash covers the record's versioned hash input (`record::HashInputV1`).
//! Layering: `history` uses `record`, `protocol` and `ipc` (a hook hands its denials to the
//! approval agent); none of them uses `history`.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::record::{DecidedBy, RecordKind};
pub use crate::record::{ExportLine, Filter, HashVersion, Record};
use crate::webauthn::EnrolledKey;

/// Bumped with every migration.
pub const SCHEMA_VERSION: i64 = 3;
/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The records table's columns, in the order [`Row`] reads and writes them: the one list every
/// statement is built from (a test holds it to the migrated table).
const COLUMNS: [&str; 22] = [
    "id",
    "time_ms",
    "kind",
    "decision",
    "decided_by",
    "agent",
    "session",
    "cwd",
    "tool",
    "summary",
    "rule",
    "reason",
    "intent",
    "key_name",
    "software_key",
    "user",
    "latency_ms",
    "proof",
    "prev_hash",
    "hash",
    "mac",
    "hash_version",
];

/// One stored record: the record, where it sits in the chain, and what its hash covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: i64,
    pub record: Record,
    /// Which hash input the hash and the MAC cover.
    pub hash_version: HashVersion,
    pub prev_hash: String,
    pub hash: String,
    /// HMAC-SHA256 (hex) over the hash input with the history key; `None` for records written
    /// before the chain was authenticated.
    pub mac: Option<String>,
}

impl Row {
    /// What the hash and the MAC cover, with the previous hash `prev`.
    pub fn hash_input(&self, prev: &str) -> String {
        self.record.hash_input(self.hash_version, prev)
    }

    /// The record's hash: SHA-256 over its hash input.
    pub fn compute_hash(&self, prev: &str) -> String {
        crate::intent::hex(&Sha256::digest(self.hash_input(prev).as_bytes()))
    }

    /// The record's MAC under `key`.
    pub fn compute_mac(&self, key: &HistoryKey, prev: &str) -> String {
        crate::intent::hex(&hmac_sha256(&key.0, self.hash_input(prev).as_bytes()))
    }

    /// Reads a row selected with [`COLUMNS`]. A value outside its closed set or a proof that
    /// does not parse is an error.
    fn read(r: &rusqlite::Row) -> rusqlite::Result<Row> {
        let proof: Option<String> = r.get(17)?;
        Ok(Row {
            id: r.get(0)?,
            record: Record {
                time_ms: r.get::<_, i64>(1)? as u64,
                kind: text(r, 2)?,
                decision: text(r, 3)?,
                decided_by: text(r, 4)?,
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
                proof: proof.map(|p| serde_json::from_str(&p).map_err(|e| rusqlite::Error::FromSqlConversionFailure(17, rusqlite::types::Type::Text, Box::new(e)))).transpose()?,
            },
            prev_hash: r.get(18)?,
            hash: r.get(19)?,
            mac: r.get(20)?,
            hash_version: {
                let v: i64 = r.get(21)?;
                HashVersion::from_number(v).ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(21, rusqlite::types::Type::Integer, format!("hash version {v} is unknown to this ana").into()))?
            },
        })
    }

    /// The values of every column but `id`, in [`COLUMNS`] order.
    fn values(&self) -> [Box<dyn rusqlite::ToSql + '_>; 21] {
        let r = &self.record;
        let proof = r.proof.as_ref().map(|p| serde_json::to_string(p).expect("proofs serialize"));
        [
            Box::new(r.time_ms as i64),
            Box::new(r.kind.as_str()),
            Box::new(r.decision.as_str()),
            Box::new(r.decided_by.as_str()),
            Box::new(&r.agent),
            Box::new(&r.session),
            Box::new(&r.cwd),
            Box::new(&r.tool),
            Box::new(&r.summary),
            Box::new(&r.rule),
            Box::new(&r.reason),
            Box::new(&r.intent),
            Box::new(&r.key_name),
            Box::new(r.software_key),
            Box::new(&r.user),
            Box::new(r.latency_ms.map(|v| v as i64)),
            Box::new(proof),
            Box::new(&self.prev_hash),
            Box::new(&self.hash),
            Box::new(&self.mac),
            Box::new(self.hash_version.number()),
        ]
    }
}

impl From<Row> for ExportLine {
    fn from(r: Row) -> ExportLine {
        ExportLine { id: r.id, record: r.record, prev_hash: r.prev_hash, hash: r.hash, mac: r.mac, hash_version: r.hash_version }
    }
}

impl From<ExportLine> for Row {
    fn from(l: ExportLine) -> Row {
        Row { id: l.id, record: l.record, hash_version: l.hash_version, prev_hash: l.prev_hash, hash: l.hash, mac: l.mac }
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
    pub fn of(action: &crate::action::Action, kind: RecordKind, decided_by: DecidedBy, rule: Option<String>, reason: &str) -> Record {
        Record {
            time_ms: crate::time::now_ms(),
            agent: action.agent.name().into(),
            session: action.session.clone(),
            cwd: action.cwd.clone(),
            tool: action.tool.clone(),
            summary: action.summary(),
            rule,
            reason: reason.into(),
            user: user_name(),
            ..Record::new(kind, decided_by)
        }
    }

    /// A record from an approval request as the agent sees it.
    /// Every field comes from the typed intent, never from display text beside it; an intent
    /// that does not read leaves them empty (its canonical form is still kept).
    pub fn of_evaluation(e: &crate::protocol::Evaluation, kind: RecordKind, decided_by: DecidedBy, reason: &str) -> Record {
        let intent = &e.context.intent;
        let typed = crate::intent::Intent::from_value(intent).ok();
        let call = typed.as_ref().and_then(|i| i.tool_call());
        Record {
            time_ms: crate::time::now_ms(),
            agent: typed.as_ref().map(|i| crate::render::requester(i).to_owned()).unwrap_or_default(),
            session: call.map(|c| c.session.clone()).unwrap_or_default(),
            cwd: call.map(|c| c.cwd.clone()).unwrap_or_default(),
            tool: call.map(|c| c.tool.clone()).unwrap_or_default(),
            summary: typed.as_ref().map(crate::render::summary).unwrap_or_else(|| "(an intent ana cannot read)".into()),
            rule: typed.as_ref().and_then(|i| i.rule().map(str::to_owned)),
            reason: reason.into(),
            intent: crate::intent::canonical(intent).ok(),
            user: user_name(),
            ..Record::new(kind, decided_by)
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
        && c.send(&Request::Record { record: Box::new(rec.clone()) }).is_ok()
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
pub fn try_record(paths: &crate::paths::Paths, rec: Record, busy: Duration) -> Result<Row, String> {
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
    for (col, v) in [("agent", &f.agent), ("session", &f.session), ("decision", &f.decision.map(|d| d.as_str().to_owned())), ("rule", &f.rule)] {
        if let Some(v) = v {
            sql.push_str(&format!(" AND {col} = ?"));
            args.push(Box::new(v.clone()));
        }
    }
    if let Some(u) = &f.user {
        sql.push_str(" AND user = ?");
        args.push(Box::new(u.clone()));
    }
    if let Some(b) = f.before_id {
        sql.push_str(" AND id < ?");
        args.push(Box::new(b));
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

/// Column `i` of `r`, a value of a closed set; a text outside the set is an error.
fn text<T: std::str::FromStr<Err = crate::closed_set::UnknownValue>>(r: &rusqlite::Row, i: usize) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    s.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
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
    #[error("record {id}: it cannot be read ({why}): edited")]
    Unreadable { id: i64, why: String },
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
            if v < 3 {
                // Which hash input each record's hash covers; every record before is version 1.
                self.conn.execute_batch(
                    "ALTER TABLE records ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
                     PRAGMA user_version = 3;",
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
    pub fn append(&mut self, rec: Record) -> rusqlite::Result<Row> {
        let Some(key) = self.key.clone() else {
            return Err(rusqlite::Error::InvalidParameterName("the history key is not available to this process".into()));
        };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let last: Option<String> = tx.query_row("SELECT hash FROM records ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).optional()?;
        let prev = match last {
            Some(h) => h,
            None => tx.query_row("SELECT value FROM meta WHERE key = 'anchor'", [], |r| r.get(0)).optional()?.unwrap_or_else(|| GENESIS.into()),
        };
        let mut row = Row { id: 0, record: rec, hash_version: HashVersion::CURRENT, prev_hash: prev, hash: String::new(), mac: None };
        row.hash = row.compute_hash(&row.prev_hash);
        row.mac = Some(row.compute_mac(&key, &row.prev_hash));
        let placeholders: Vec<String> = (1..COLUMNS.len()).map(|i| format!("?{i}")).collect();
        tx.execute(&format!("INSERT INTO records ({}) VALUES ({})", COLUMNS[1..].join(", "), placeholders.join(", ")), rusqlite::params_from_iter(row.values().iter().map(|b| b.as_ref())))?;
        row.id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(row)
    }

    /// The records `f` selects, newest first, at most `f.limit`.
    pub fn list(&self, f: &Filter) -> rusqlite::Result<Vec<Row>> {
        let (cond, args) = where_clause(f);
        let mut sql = format!("SELECT {} FROM records WHERE {cond} ORDER BY id DESC", COLUMNS.join(", "));
        if let Some(l) = f.limit {
            sql.push_str(&format!(" LIMIT {l}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter().map(|b| b.as_ref())), Row::read)?;
        rows.collect()
    }

    /// How many records `f` selects, ignoring its limit ("showing 50 of 1 234").
    pub fn count(&self, f: &Filter) -> rusqlite::Result<u64> {
        let (cond, args) = where_clause(f);
        self.conn.query_row(&format!("SELECT COUNT(*) FROM records WHERE {cond}"), rusqlite::params_from_iter(args.iter().map(|b| b.as_ref())), |r| r.get::<_, i64>(0)).map(|n| n as u64)
    }

    /// Record `id`, if there is one.
    pub fn get(&self, id: i64) -> rusqlite::Result<Option<Row>> {
        self.conn.query_row(&format!("SELECT {} FROM records WHERE id = ?1", COLUMNS.join(", ")), [id], Row::read).optional()
    }

    /// Re-checks the chain, every MAC (when this handle holds the history key, see
    /// [`History::authenticated`]) and every proof against `keys`. Returns the number of records
    /// checked, or the first bad record.
    pub fn verify(&self, keys: &[EnrolledKey]) -> rusqlite::Result<Result<usize, ChainError>> {
        let anchor: Option<String> = self.conn.query_row("SELECT value FROM meta WHERE key = 'anchor'", [], |r| r.get(0)).optional()?;
        let mac_from: i64 = self.conn.query_row("SELECT value FROM meta WHERE key = 'mac_from'", [], |r| r.get::<_, String>(0)).optional()?.and_then(|v| v.parse().ok()).unwrap_or(1);
        let mut prev = anchor.unwrap_or_else(|| GENESIS.into());
        let mut stmt = self.conn.prepare(&format!("SELECT {} FROM records ORDER BY id", COLUMNS.join(", ")))?;
        let mut n = 0;
        for read in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, Row::read(r))))? {
            let (id, rec) = read?;
            let rec = match rec {
                Ok(rec) => rec,
                // A value outside its closed set, or a proof that does not parse: not what was
                // written.
                Err(e) => return Ok(Err(ChainError::Unreadable { id, why: e.to_string() })),
            };
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
            if let (Some(proof), Some(intent)) = (&rec.record.proof, &rec.record.intent) {
                let challenge: [u8; 32] = Sha256::digest(intent.as_bytes()).into();
                let level = crate::intent::signed_level(intent).unwrap_or(crate::policy::Level::Presence);
                if let Err(e) = crate::webauthn::verify(proof, &challenge, keys, level) {
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

    fn temp_history() -> (tempfile::TempDir, History) {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open_for_writing(&dir.path().join("history.db"), Duration::from_secs(5)).unwrap();
        (dir, h)
    }

    #[test]
    fn a_value_outside_its_closed_set_is_an_error_not_a_default() {
        let (_dir, mut h) = temp_history();
        h.append(Record { summary: "rm -rf /".into(), ..Record::new(RecordKind::PolicyDenial, DecidedBy::Policy) }).unwrap();
        assert_eq!(h.list(&Filter::default()).unwrap()[0].record.kind, RecordKind::PolicyDenial);
        h.connection().execute("UPDATE records SET kind = 'approval ' WHERE id = 1", []).unwrap();
        let e = h.list(&Filter::default()).unwrap_err().to_string();
        assert!(e.contains("`approval ` is not a known record kind"), "{e}");
        match h.verify(&[]).unwrap() {
            Err(ChainError::Unreadable { id: 1, why }) => assert!(why.contains("record kind"), "{why}"),
            other => panic!("{other:?}"),
        }
        h.connection().execute("UPDATE records SET kind = 'policy_denial', decided_by = 'nobody' WHERE id = 1", []).unwrap();
        assert!(h.list(&Filter::default()).unwrap_err().to_string().contains("`nobody` is not a known decider"));
        h.connection().execute("UPDATE records SET decided_by = 'policy', proof = '{' WHERE id = 1", []).unwrap();
        assert!(matches!(h.verify(&[]).unwrap(), Err(ChainError::Unreadable { id: 1, .. })));
    }

    #[test]
    fn the_decision_filter_selects_by_the_stored_text() {
        let (_dir, mut h) = temp_history();
        h.append(Record::new(RecordKind::PolicyDenial, DecidedBy::Policy)).unwrap();
        h.append(Record::new(RecordKind::Enrolment, DecidedBy::User)).unwrap();
        let only = |d| h.list(&Filter { decision: Some(d), ..Filter::default() }).unwrap().iter().map(|r| r.record.kind).collect::<Vec<_>>();
        assert_eq!(only(crate::record::Outcome::Deny), [RecordKind::PolicyDenial]);
        assert_eq!(only(crate::record::Outcome::Allow), [RecordKind::Enrolment]);
    }

    #[test]
    fn the_column_list_is_the_migrated_table() {
        let (_dir, h) = temp_history();
        let mut stmt = h.connection().prepare("SELECT name FROM pragma_table_info('records') ORDER BY cid").unwrap();
        let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(names, COLUMNS);
    }

    #[test]
    fn a_row_reads_back_as_written() {
        let (_dir, mut h) = temp_history();
        let rec = Record {
            time_ms: 7,
            agent: "a".into(),
            session: "s".into(),
            cwd: "c".into(),
            tool: "t".into(),
            summary: "w".into(),
            rule: Some("r".into()),
            reason: "why".into(),
            intent: Some("{}".into()),
            key_name: Some("k".into()),
            software_key: true,
            user: "u".into(),
            latency_ms: Some(9),
            proof: Some(crate::webauthn::Proof { credential_id: vec![1], client_data_json: vec![2], authenticator_data: vec![3], signature: vec![4] }),
            ..Record::new(RecordKind::GrantUse, DecidedBy::Grant)
        };
        let written = h.append(rec.clone()).unwrap();
        assert_eq!(written.record, rec);
        assert_eq!(h.get(written.id).unwrap(), Some(written));
    }
}
