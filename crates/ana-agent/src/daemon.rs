//! The approval agent's server: a Unix socket (peer uid checked), a queue of pending approvals,
//! one authenticator ceremony at a time, and one-time grants for approvals that arrive after the
//! hook stopped waiting.
//!
//! A hook that disconnects without `Detach` cancels its request (its agent gave up on the tool
//! call). A hook that detaches at its deadline leaves the request pending: approving it then
//! makes a one-time grant bound to that exact action, consumed by the retry.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ana::paths::Paths;
use ana::protocol::{encode, DecisionContext, Pending, Request, Response, Role, MAX_FRAME, PROTOCOL_VERSION};
use ana::webauthn::{self, EnrolledKey, Proof};
use serde_json::Value;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{broadcast, mpsc, oneshot, Notify};

use crate::authenticator::{now_ms, Authenticator};
use ana::history::Record;

/// How long the agent waits for another history writer.
const HISTORY_BUSY: Duration = Duration::from_secs(2);

fn record(shared: &Shared, rec: Record) {
    ana::history::record(&shared.opts.paths, rec, HISTORY_BUSY);
}

/// How long a client has to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest a prompt connection may stay silent before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(12 * 3600);

pub struct Options {
    pub paths: Paths,
    /// Show a desktop notification for each new request.
    pub notify: bool,
    /// How long a late approval stays usable by the retry.
    pub grant_ttl: Duration,
}

struct Entry {
    pending: Pending,
    intent: Value,
    challenge: [u8; 32],
    action: [u8; 32],
    uv: bool,
    reply: Option<oneshot::Sender<Response>>,
    detached: bool,
    /// When a detached request is dropped (unix ms).
    expires_ms: u64,
}

struct Grant {
    key_name: Option<String>,
    software_key: bool,
    action: [u8; 32],
    intent: Value,
    proof: Proof,
    expires: Instant,
}

struct State {
    next_id: u64,
    /// Nonces already seen, with their intent's expiry: an evaluation is never taken twice.
    nonces: std::collections::HashMap<String, u64>,
    entries: BTreeMap<u64, Entry>,
    grants: Vec<Grant>,
    keys: Vec<EnrolledKey>,
}

pub struct Shared {
    state: Mutex<State>,
    auth: Arc<Mutex<Box<dyn Authenticator>>>,
    /// Stops the ceremony under way without the authenticator's lock (which the ceremony holds).
    cancel: Option<crate::authenticator::Cancel>,
    describe: String,
    software: bool,
    ceremony: tokio::sync::Mutex<()>,
    queue: broadcast::Sender<Vec<Pending>>,
    stop: Notify,
    opts: Options,
    uid: u32,
}

impl Shared {
    pub fn new(auth: Box<dyn Authenticator>, keys: Vec<EnrolledKey>, opts: Options) -> Arc<Shared> {
        let (queue, _) = broadcast::channel(64);
        Arc::new(Shared {
            describe: auth.describe(),
            software: auth.software(),
            cancel: auth.cancel_handle(),
            auth: Arc::new(Mutex::new(auth)),
            state: Mutex::new(State { next_id: 1, nonces: Default::default(), entries: BTreeMap::new(), grants: Vec::new(), keys }),
            ceremony: tokio::sync::Mutex::new(()),
            queue,
            stop: Notify::new(),
            opts,
            // SAFETY: getuid cannot fail.
            uid: unsafe { libc::getuid() },
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn snapshot(&self) -> Vec<Pending> {
        self.lock().entries.values().map(|e| e.pending.clone()).collect()
    }

    fn publish(&self) {
        let _ = self.queue.send(self.snapshot());
    }
}

/// Accepts connections until `Stop` or ctrl-c.
pub async fn serve(listener: UnixListener, shared: Arc<Shared>) -> anyhow::Result<()> {
    let sweeper = tokio::spawn(sweep(shared.clone()));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                let s = shared.clone();
                tokio::spawn(async move {
                    if let Err(e) = connection(s, stream).await {
                        tracing::debug!("connection ended: {e}");
                    }
                });
            }
            _ = shared.stop.notified() => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    sweeper.abort();
    // A key blinking for a ceremony is told to stop, and the ceremony is given a moment to end:
    // the runtime's timer must outlive it (its transport sleeps on that timer between reads).
    if let Some(c) = &shared.cancel {
        c.cancel();
    }
    let _ = tokio::time::timeout(Duration::from_secs(3), shared.ceremony.lock()).await;
    // Every waiting hook gets an explicit answer.
    let entries = std::mem::take(&mut shared.lock().entries);
    for (_, e) in entries {
        if let Some(tx) = e.reply {
            let _ = tx.send(deny("the approval agent stopped", "agent"));
        }
    }
    Ok(())
}

fn deny(reason: &str, by: &str) -> Response {
    Response::Decision { decision: false, context: DecisionContext { reason: reason.into(), decided_by: by.into(), ..Default::default() } }
}

/// Drops expired grants and detached requests.
async fn sweep(shared: Arc<Shared>) {
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let changed = {
            let mut st = shared.lock();
            let now = Instant::now();
            st.grants.retain(|g| g.expires > now);
            let before = st.entries.len();
            let ms = now_ms();
            st.entries.retain(|_, e| !(e.detached && e.expires_ms <= ms));
            before != st.entries.len()
        };
        if changed {
            shared.publish();
        }
    }
}

async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R, limit: Duration) -> anyhow::Result<Option<Request>> {
    let mut line = Vec::new();
    let n = tokio::time::timeout(limit, r.take(MAX_FRAME as u64 + 1).read_until(b'\n', &mut line)).await.map_err(|_| anyhow::anyhow!("read timed out"))??;
    if n == 0 {
        return Ok(None);
    }
    if line.len() > MAX_FRAME {
        anyhow::bail!("frame too large");
    }
    Ok(Some(serde_json::from_slice(&line)?))
}

async fn connection(shared: Arc<Shared>, stream: UnixStream) -> anyhow::Result<()> {
    let cred = stream.peer_cred()?;
    if cred.uid() != shared.uid {
        tracing::warn!(uid = cred.uid(), "refused a connection from another user");
        return Ok(());
    }
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let role = match read_frame(&mut r, HELLO_TIMEOUT).await? {
        Some(Request::Hello { version, role }) => {
            w.write_all(&encode(&Response::Hello { version: PROTOCOL_VERSION, pid: std::process::id() })).await?;
            if version != PROTOCOL_VERSION {
                anyhow::bail!("client speaks protocol {version}");
            }
            role
        }
        _ => {
            w.write_all(&encode(&Response::Error { message: "say hello first".into() })).await?;
            return Ok(());
        }
    };
    match role {
        Role::Hook => hook_session(shared, r, w).await,
        Role::Prompt | Role::Cli => control_session(shared, r, w).await,
    }
}

async fn hook_session(shared: Arc<Shared>, mut r: BufReader<tokio::net::unix::OwnedReadHalf>, mut w: tokio::net::unix::OwnedWriteHalf) -> anyhow::Result<()> {
    let Some(Request::Evaluate { evaluation }) = read_frame(&mut r, HELLO_TIMEOUT).await? else {
        w.write_all(&encode(&Response::Error { message: "expected an evaluation".into() })).await?;
        return Ok(());
    };
    let intent = evaluation.context.intent.clone();
    let answer = |resp: Response| encode(&resp);
    let (challenge, action) = match (ana::intent::challenge(&intent), ana::intent::action_digest(&intent)) {
        (Ok(c), Ok(a)) => (c, a),
        _ => {
            w.write_all(&answer(deny("the intent has no canonical form", "agent"))).await?;
            return Ok(());
        }
    };
    let expires_ms = intent.get("expires_at").and_then(Value::as_u64).unwrap_or(0);
    if expires_ms <= now_ms() {
        w.write_all(&answer(deny("the request had already expired", "agent"))).await?;
        return Ok(());
    }
    let nonce = intent.get("nonce").and_then(Value::as_str).unwrap_or("").to_owned();
    let replayed = {
        let mut st = shared.lock();
        let ms = now_ms();
        st.nonces.retain(|_, exp| *exp > ms);
        nonce.len() < 16 || st.nonces.insert(nonce, expires_ms).is_some()
    };
    if replayed {
        w.write_all(&answer(deny("the request's nonce is missing or was used before", "agent"))).await?;
        return Ok(());
    }
    let uv = evaluation.context.level == "verification";
    // A late approval of this exact action, waiting for its retry: use it once.
    let grant = {
        let mut st = shared.lock();
        let now = Instant::now();
        match st.grants.iter().position(|g| g.action == action && g.expires > now) {
            Some(i) => Some(st.grants.remove(i)),
            None => None,
        }
    };
    if let Some(g) = grant {
        tracing::info!(summary = %evaluation.context.summary, "one-time grant used");
        let mut rec = Record::of_evaluation(&evaluation, "grant_use", "allow", "grant", "a late approval, used once by the retry");
        rec.intent = ana::intent::canonical(&g.intent).ok();
        rec.proof = Some(g.proof.clone());
        rec.key_name = g.key_name.clone();
        rec.software_key = g.software_key;
        record(&shared, rec);
        let resp = Response::Decision {
            decision: true,
            context: DecisionContext { reason: "approved earlier on the security key (one-time grant)".into(), proof: Some(g.proof), granted_intent: Some(g.intent), decided_by: "grant".into() },
        };
        w.write_all(&answer(resp)).await?;
        return Ok(());
    }
    if shared.lock().keys.is_empty() {
        w.write_all(&answer(deny("no security key is enrolled; ask the user to run `ana enroll`", "agent"))).await?;
        return Ok(());
    }
    let (tx, rx) = oneshot::channel();
    let id = {
        let mut st = shared.lock();
        let id = st.next_id;
        st.next_id += 1;
        let pending = Pending { id, evaluation: evaluation.clone(), received_ms: now_ms(), state: "waiting".into(), authenticator: shared.describe.clone(), software: shared.software };
        st.entries.insert(id, Entry { pending, intent, challenge, action, uv, reply: Some(tx), detached: false, expires_ms });
        id
    };
    tracing::info!(id, summary = %evaluation.context.summary, "approval requested");
    if shared.opts.notify {
        if let Some(p) = shared.lock().entries.get(&id).map(|e| e.pending.clone()) {
            crate::notify::show(&p);
        }
    }
    shared.publish();
    let wait = Duration::from_millis(evaluation.context.deadline_ms.saturating_sub(now_ms())) + Duration::from_secs(5);
    tokio::select! {
        reply = rx => {
            if let Ok(resp) = reply {
                w.write_all(&answer(resp)).await?;
            }
        }
        frame = read_frame(&mut r, wait) => {
            let detached = matches!(frame, Ok(Some(Request::Detach)));
            let mut st = shared.lock();
            let mut rec = None;
            if detached {
                if let Some(e) = st.entries.get_mut(&id) {
                    e.detached = true;
                    e.reply = None;
                    e.pending.state = "detached".into();
                    rec = Some(Record::of_evaluation(&e.pending.evaluation, "timeout", "deny", "timeout", "the hook's deadline passed before the user decided; a late approval becomes a one-time grant"));
                }
                tracing::info!(id, "hook stopped waiting; an approval now becomes a one-time grant");
            } else if let Some(e) = st.entries.remove(&id) {
                // The hook went away: its agent no longer wants this call. A key blinking for it
                // is told to stop.
                if e.pending.state == "touch"
                    && let Some(c) = &shared.cancel
                {
                    c.cancel();
                }
                rec = Some(Record::of_evaluation(&e.pending.evaluation, "cancelled", "deny", "agent", "the agent's hook went away before a decision"));
                tracing::info!(id, "hook disconnected; request cancelled");
            }
            drop(st);
            if let Some(r) = rec {
                record(&shared, r);
            }
            shared.publish();
        }
    }
    Ok(())
}

async fn control_session(shared: Arc<Shared>, mut r: BufReader<tokio::net::unix::OwnedReadHalf>, mut w: tokio::net::unix::OwnedWriteHalf) -> anyhow::Result<()> {
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Response>();
    let writer = tokio::spawn(async move {
        while let Some(msg) = out_rx.recv().await {
            if w.write_all(&encode(&msg)).await.is_err() {
                break;
            }
        }
    });
    let mut forward: Option<tokio::task::JoinHandle<()>> = None;
    while let Some(req) = read_frame(&mut r, IDLE_TIMEOUT).await? {
        match req {
            Request::Subscribe => {
                let _ = out_tx.send(Response::Queue { pending: shared.snapshot() });
                let mut rx = shared.queue.subscribe();
                let tx = out_tx.clone();
                forward.get_or_insert_with(|| {
                    tokio::spawn(async move {
                        loop {
                            match rx.recv().await {
                                Ok(pending) => {
                                    if tx.send(Response::Queue { pending }).is_err() {
                                        break;
                                    }
                                }
                                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                                Err(_) => break,
                            }
                        }
                    })
                });
            }
            Request::Decide { id, approve, reason, pin } => {
                let resp = if approve {
                    match approve_request(&shared, id, pin).await {
                        Ok(message) => Response::Decided { id, ok: true, message },
                        Err(message) => Response::Decided { id, ok: false, message },
                    }
                } else {
                    deny_request(&shared, id, reason)
                };
                let _ = out_tx.send(resp);
            }
            Request::Status => {
                // Enumerating devices needs no touch; a ceremony under way holds the key, so ask
                // only when none is.
                let key_present = match shared.ceremony.try_lock() {
                    Ok(_guard) => {
                        let auth = shared.auth.clone();
                        tokio::task::spawn_blocking(move || auth.lock().unwrap_or_else(|p| p.into_inner()).present()).await.ok().flatten()
                    }
                    Err(_) => Some(true),
                };
                let st = shared.lock();
                let _ = out_tx.send(Response::Status {
                    key_present,
                    pid: std::process::id(),
                    version: PROTOCOL_VERSION,
                    pending: st.entries.len(),
                    grants: st.grants.len(),
                    authenticator: shared.describe.clone(),
                    software: shared.software,
                    keys: st.keys.len(),
                });
            }
            Request::Record { record: rec } => record(&shared, rec),
            Request::Stop => {
                let _ = out_tx.send(Response::Decided { id: 0, ok: true, message: "stopping".into() });
                shared.stop.notify_one();
            }
            other => {
                let _ = out_tx.send(Response::Error { message: format!("unexpected {other:?}") });
            }
        }
    }
    if let Some(f) = forward {
        f.abort();
    }
    drop(out_tx);
    let _ = writer.await;
    Ok(())
}

fn deny_request(shared: &Shared, id: u64, reason: Option<String>) -> Response {
    let entry = shared.lock().entries.remove(&id);
    let Some(entry) = entry else { return Response::Decided { id, ok: false, message: format!("no pending request {id}") } };
    let reason = match reason.filter(|r| !r.trim().is_empty()) {
        Some(r) => format!("the user denied this: {r}"),
        None => "the user denied this".into(),
    };
    let mut rec = Record::of_evaluation(&entry.pending.evaluation, "denial", "deny", "user", &reason);
    rec.latency_ms = Some(now_ms().saturating_sub(entry.pending.received_ms));
    record(shared, rec);
    if let Some(tx) = entry.reply {
        let _ = tx.send(deny(&reason, "user"));
    }
    tracing::info!(id, "denied by the user");
    shared.publish();
    Response::Decided { id, ok: true, message: "denied".into() }
}

fn set_state(shared: &Shared, id: u64, state: &str) {
    if let Some(e) = shared.lock().entries.get_mut(&id) {
        e.pending.state = state.into();
    }
    shared.publish();
}

/// Runs the ceremony for request `id`: the key signs the intent's challenge, the assertion is
/// verified, and the hook (or, if it stopped waiting, a one-time grant) gets the proof.
async fn approve_request(shared: &Arc<Shared>, id: u64, pin: Option<String>) -> Result<String, String> {
    let _one_at_a_time = shared.ceremony.lock().await;
    let (challenge, uv, keys) = {
        let st = shared.lock();
        let e = st.entries.get(&id).ok_or_else(|| format!("no pending request {id}"))?;
        let excluded = &e.pending.evaluation.context.exclude_credentials;
        let keys: Vec<EnrolledKey> = st.keys.iter().filter(|k| !excluded.contains(&webauthn::b64(&k.credential_id))).cloned().collect();
        if keys.is_empty() {
            return Err("no other enrolled key may approve this".into());
        }
        (e.challenge, e.uv, keys)
    };
    set_state(shared, id, "touch");
    let auth = shared.auth.clone();
    let allow: Vec<Vec<u8>> = keys.iter().map(|k| k.credential_id.clone()).collect();
    let client_data = webauthn::client_data(&challenge);
    let cd = client_data.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut a = auth.lock().unwrap_or_else(|p| p.into_inner());
        a.set_pin(pin);
        let r = crate::authenticator::assert_over(&mut **a, &cd, &allow, uv);
        a.set_pin(None);
        r
    })
        .await
        .map_err(|e| format!("the ceremony failed: {e}"))?;
    let assertion = match result {
        Ok(a) => a,
        Err(e) => {
            // A prompt that sees "PIN needed" asks for it and approves again with it.
            use crate::authenticator::AuthError;
            set_state(shared, id, if matches!(e, AuthError::PinRequired | AuthError::WrongPin { .. }) { "pin" } else { "waiting" });
            return Err(e.to_string());
        }
    };
    set_state(shared, id, "verifying");
    let proof = Proof { credential_id: assertion.credential_id, client_data_json: client_data, authenticator_data: assertion.authenticator_data, signature: assertion.signature };
    let (key_name, software_key, count) = match webauthn::verify(&proof, &challenge, &keys, uv) {
        Ok((k, c)) => (k.name.clone(), k.software, c),
        Err(e) => {
            set_state(shared, id, "waiting");
            return Err(format!("the key's answer did not verify: {e}"));
        }
    };
    let mut st = shared.lock();
    // The signature counter must rise where the key keeps one (a clone would repeat it).
    if let Some(k) = st.keys.iter_mut().find(|k| k.credential_id == proof.credential_id) {
        if (count != 0 || k.sign_count != 0) && count <= k.sign_count {
            let message = format!("the key's signature counter did not rise ({} → {count}): it may be cloned", k.sign_count);
            drop(st);
            set_state(shared, id, "waiting");
            return Err(message);
        }
        k.sign_count = count;
    }
    let keys_now = st.keys.clone();
    let Some(entry) = st.entries.remove(&id) else {
        return Err("the request was cancelled while the key was signing".into());
    };
    let message = format!("approved with {key_name}");
    let mut rec = Record::of_evaluation(&entry.pending.evaluation, if entry.reply.is_some() { "approval" } else { "grant" }, "allow", "user", &message);
    rec.proof = Some(proof.clone());
    rec.key_name = Some(key_name.clone());
    rec.software_key = software_key;
    rec.latency_ms = Some(now_ms().saturating_sub(entry.pending.received_ms));
    match entry.reply {
        Some(tx) => {
            let _ = tx.send(Response::Decision { decision: true, context: DecisionContext { reason: message.clone(), proof: Some(proof), granted_intent: None, decided_by: "user".into() } });
        }
        None => st.grants.push(Grant { key_name: Some(key_name.clone()), software_key, action: entry.action, intent: entry.intent, proof, expires: Instant::now() + shared.opts.grant_ttl }),
    }
    drop(st);
    record(shared, rec);
    persist_sign_counts(&shared.opts.paths, &keys_now);
    tracing::info!(id, "{message}");
    shared.publish();
    Ok(message)
}

fn persist_sign_counts(paths: &Paths, keys: &[EnrolledKey]) {
    if let Ok(mut user) = ana::keys::load_user(paths) {
        for k in user.iter_mut() {
            if let Some(n) = keys.iter().find(|n| n.credential_id == k.credential_id) {
                k.sign_count = n.sign_count;
            }
        }
        if let Err(e) = ana::keys::save_user(paths, &user) {
            tracing::warn!("could not save sign counts: {e}");
        }
    }
}

/// Prepares the runtime directory (0700, ours) and binds the socket (0600). A stale socket from a
/// dead agent is replaced; a live one is an error.
pub fn bind(paths: &Paths) -> anyhow::Result<UnixListener> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = &paths.runtime;
    Paths::create_private_dir(dir)?;
    let meta = std::fs::metadata(dir)?;
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    if meta.uid() != uid {
        anyhow::bail!("{} belongs to another user", dir.display());
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let socket = paths.socket();
    if socket.exists() {
        if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
            anyhow::bail!("an approval agent is already running on {}", socket.display());
        }
        std::fs::remove_file(&socket)?;
    }
    let listener = UnixListener::bind(&socket)?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}
