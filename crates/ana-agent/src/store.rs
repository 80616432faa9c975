//! The approval agent's database work, off the async runtime: one thread owns the one SQLite
//! connection (history, used nonces) and takes jobs from a bounded channel. A held lock or a slow
//! disk delays only the answer to the job that waits for it, never the runtime; a job that
//! cannot be done fails, and the caller fails closed (an approval that cannot be recorded is
//! denied).

use std::path::PathBuf;
use std::time::Duration;

use ana::history::{ChainError, Filter, History, Record, Row};
use ana::webauthn::EnrolledKey;
use tokio::sync::{mpsc, oneshot};

/// How long SQLite waits for another writer.
const BUSY: Duration = Duration::from_secs(2);
/// How long a caller waits for its job (queueing included).
const JOB_TIMEOUT: Duration = Duration::from_secs(10);
/// Jobs waiting at most; past that, new jobs fail at once.
const QUEUE: usize = 1024;

enum Job {
    Append(Box<Record>, Option<oneshot::Sender<Result<Row, String>>>),
    UseNonce { nonce: String, expires_ms: u64, reply: oneshot::Sender<Result<bool, String>> },
    Verify { keys: Vec<EnrolledKey>, reply: oneshot::Sender<Result<Result<usize, ChainError>, String>> },
    List { filter: Filter, reply: oneshot::Sender<Result<(Vec<Row>, u64), String>> },
}

/// A handle on the database thread.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Job>,
}

impl Store {
    /// Starts the thread for the history at `db`. The database is opened on first use and again
    /// after a failure, so a database repaired while the agent runs is picked up.
    pub fn start(db: PathBuf) -> Store {
        let (tx, mut rx) = mpsc::channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("ana-store".into())
            .spawn(move || {
                let mut history: Option<History> = None;
                while let Some(job) = rx.blocking_recv() {
                    let h = match history.as_mut() {
                        Some(h) => Ok(h),
                        None => History::open_for_writing(&db, BUSY).map(|h| history.insert(h)).map_err(|e| format!("the history at {} cannot be opened: {e}", db.display())),
                    };
                    let failed = match (job, h) {
                        (Job::Append(rec, reply), Ok(h)) => {
                            let r = h.append(*rec).map_err(|e| format!("the history at {} cannot be written: {e}", db.display()));
                            let failed = r.is_err();
                            if let Err(e) = &r {
                                tracing::error!("{e}");
                            }
                            if let Some(reply) = reply {
                                let _ = reply.send(r);
                            }
                            failed
                        }
                        (Job::UseNonce { nonce, expires_ms, reply }, Ok(h)) => {
                            let r = h.use_nonce(&nonce, expires_ms, crate::authenticator::now_ms()).map_err(|e| format!("the used nonces cannot be recorded: {e}"));
                            let failed = r.is_err();
                            let _ = reply.send(r);
                            failed
                        }
                        (Job::Verify { keys, reply }, Ok(h)) => {
                            let r = h.verify(&keys).map_err(|e| format!("the history cannot be read: {e}"));
                            let failed = r.is_err();
                            let _ = reply.send(r);
                            failed
                        }
                        (Job::List { filter, reply }, Ok(h)) => {
                            let r =
                                h.list(&filter).and_then(|rows| h.count(&Filter { limit: None, before_id: None, ..filter }).map(|n| (rows, n))).map_err(|e| format!("the history cannot be read: {e}"));
                            let failed = r.is_err();
                            let _ = reply.send(r);
                            failed
                        }
                        (job, Err(e)) => {
                            tracing::error!("{e}");
                            match job {
                                Job::Append(_, Some(reply)) => drop(reply.send(Err(e))),
                                Job::Append(_, None) => {}
                                Job::UseNonce { reply, .. } => drop(reply.send(Err(e))),
                                Job::Verify { reply, .. } => drop(reply.send(Err(e))),
                                Job::List { reply, .. } => drop(reply.send(Err(e))),
                            }
                            true
                        }
                    };
                    if failed {
                        // Reopen next time: the file may have been repaired or replaced.
                        history = None;
                    }
                }
            })
            .expect("spawning the database thread");
        Store { tx }
    }

    async fn ask<T>(&self, job: impl FnOnce(oneshot::Sender<Result<T, String>>) -> Job) -> Result<T, String> {
        let (reply, rx) = oneshot::channel();
        self.tx.try_send(job(reply)).map_err(|_| "the history is overloaded or stopped".to_owned())?;
        match tokio::time::timeout(JOB_TIMEOUT, rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err("the history thread stopped".into()),
            Err(_) => Err("the history did not answer in time".into()),
        }
    }

    /// Appends `rec` and waits until it is written.
    pub async fn append(&self, rec: Record) -> Result<Row, String> {
        self.ask(|reply| Job::Append(Box::new(rec), Some(reply))).await
    }

    /// Appends `rec` without waiting (for denials: the answer does not depend on it).
    pub fn append_later(&self, rec: Record) {
        if self.tx.try_send(Job::Append(Box::new(rec), None)).is_err() {
            tracing::error!("the history is overloaded; a record of a denial was dropped");
        }
    }

    /// Marks `nonce` used until `expires_ms`: `Ok(true)` when it was fresh.
    pub async fn use_nonce(&self, nonce: String, expires_ms: u64) -> Result<bool, String> {
        self.ask(|reply| Job::UseNonce { nonce, expires_ms, reply }).await
    }

    /// The records `filter` selects, newest first, and how many it selects in all.
    pub async fn list(&self, filter: Filter) -> Result<(Vec<Row>, u64), String> {
        self.ask(|reply| Job::List { filter, reply }).await
    }

    /// Verifies the chain, its MACs and every proof.
    pub async fn verify(&self, keys: Vec<EnrolledKey>) -> Result<Result<usize, ChainError>, String> {
        self.ask(|reply| Job::Verify { keys, reply }).await
    }
}
