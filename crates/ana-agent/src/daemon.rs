//! The approval agent's server: a Unix socket (peer uid checked), a queue of pending approvals,
//! one authenticator ceremony at a time, and one-time grants for approvals that arrive after the
//! hook stopped waiting.
//!
//! A hook that disconnects without `Detach` cancels its request (its agent gave up on the tool
//! call). A hook that detaches at its deadline leaves the request pending: approving it then
//! makes a one-time grant bound to that exact action, consumed by the retry.
//!
//! Bounds: frames from clients ([`MAX_REQUEST_FRAME`]), queued requests ([`MAX_PENDING`], each at
//! most [`MAX_EVALUATION`]), and per connection one queue snapshot (shared, the latest only) plus
//! a few answers; a subscriber that does not read within [`WRITE_TIMEOUT`] is dropped. Database
//! work runs on its own thread ([`crate::store`]); a nonce is used once, across restarts; an
//! approval that cannot be recorded is denied.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ana::paths::{Mode, Paths};
use ana::protocol::{Choice, DecisionContext, MAX_EVALUATION, MAX_PENDING, MAX_QUEUE_BYTES, MAX_REQUEST_FRAME, PROTOCOL_VERSION, Pending, PendingState, Request, Response, Role, encode};
use ana::record::{DecidedBy, Outcome, RecordKind};
use ana::trust::TrustRoot;
use ana::webauthn::{self, EnrolledKey, Proof};
use serde_json::Value;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{Notify, broadcast, mpsc, oneshot, watch};

use crate::authenticator::{Authenticator, now_ms};
use crate::store::Store;
use ana::history::Record;

/// Records a denial before going on (the call is denied either way: a failure is logged).
async fn record(shared: &Shared, rec: Record) {
    if let Err(e) = shared.store.append(rec).await {
        tracing::error!("a denial could not be recorded: {e}");
    }
}

/// How long one frame may take to reach a client before the connection is dropped (a
/// subscriber that stopped reading).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Answers waiting for one control connection; a client that lets more pile up is dropped.
const OUT_QUEUE: usize = 32;

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
    /// The trust root (user or system mode).
    pub trust: TrustRoot,
}

struct Entry {
    pending: Pending,
    intent: Value,
    challenge: [u8; 32],
    action: [u8; 32],
    /// What the key must do for it.
    level: ana::policy::Level,
    reply: Option<oneshot::Sender<Response>>,
    detached: bool,
    /// When a detached request is dropped (unix ms).
    expires_ms: u64,
    /// Who asked (the hook's uid): only that user (or root) may decide it.
    peer_uid: u32,
    /// Its encoded size, counted against the queue's bound.
    size: usize,
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
    entries: BTreeMap<u64, Entry>,
    grants: Vec<Grant>,
    keys: Vec<EnrolledKey>,
    /// The request whose ceremony holds the key right now.
    ceremony: Option<u64>,
}

pub struct Shared {
    state: Mutex<State>,
    auth: Arc<Mutex<Box<dyn Authenticator>>>,
    /// Stops the ceremony under way without the authenticator's lock (which the ceremony holds).
    cancel: Option<crate::authenticator::Cancel>,
    describe: String,
    software: bool,
    ceremony: tokio::sync::Mutex<()>,
    /// The latest queue; subscribers see only the latest, and only what is theirs to see.
    queue: watch::Sender<Arc<QueueView>>,
    /// The whole queue for the desktop notifier (only when notifications are on).
    notices: watch::Sender<Arc<Vec<Pending>>>,
    /// Ceremony announcements (the request's user, the encoded `Ceremony` frame) for
    /// subscribers; a lagging one skips.
    ceremonies: broadcast::Sender<(u32, Arc<Vec<u8>>)>,
    store: Store,
    stop: Notify,
    opts: Options,
    uid: u32,
}

impl Shared {
    pub fn new(auth: Box<dyn Authenticator>, keys: Vec<EnrolledKey>, opts: Options) -> Arc<Shared> {
        // A prompt that subscribes before any request arrives is told the queue is empty.
        let (queue, _) = watch::channel(Arc::new(QueueView { all: encode(&Response::Queue { pending: Vec::new() }), entries: Vec::new() }));
        Arc::new(Shared {
            describe: auth.describe(),
            software: auth.software(),
            cancel: auth.cancel_handle(),
            auth: Arc::new(Mutex::new(auth)),
            state: Mutex::new(State { next_id: 1, entries: BTreeMap::new(), grants: Vec::new(), keys, ceremony: None }),
            ceremony: tokio::sync::Mutex::new(()),
            queue,
            notices: watch::channel(Arc::new(Vec::new())).0,
            ceremonies: broadcast::channel(16).0,
            store: Store::start(opts.paths.history_db()),
            stop: Notify::new(),
            opts,
            // SAFETY: getuid cannot fail.
            uid: unsafe { libc::getuid() },
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn publish(&self) {
        let entries: Vec<(u32, Pending)> = self.lock().entries.values().map(|e| (e.peer_uid, e.pending.clone())).collect();
        let all = encode(&Response::Queue { pending: entries.iter().map(|(_, p)| p.clone()).collect() });
        if self.opts.notify {
            self.notices.send_replace(Arc::new(entries.iter().map(|(_, p)| p.clone()).collect()));
        }
        self.queue.send_replace(Arc::new(QueueView { all, entries }));
    }

    /// Whether `peer` sees every user's requests (root, and the agent's own account); anyone
    /// else sees only their own.
    fn sees_all(&self, peer: u32) -> bool {
        peer == 0 || peer == self.uid
    }

    /// Whether `peer` may decide the request `entry` (its own, or root's say).
    fn may_decide(&self, peer: u32, entry: &Entry) -> bool {
        peer == entry.peer_uid || peer == 0 || peer == self.uid
    }
}

/// The name of the account `uid`, for records; the number when it has none.
pub fn account_name(uid: u32) -> String {
    let mut buf = vec![0u8; 4096];
    // SAFETY: getpwuid_r writes into `pw` and `buf` (of the given length) only; the name is copied
    // out before `buf` goes away.
    unsafe {
        let mut pw: libc::passwd = std::mem::zeroed();
        let mut out: *mut libc::passwd = std::ptr::null_mut();
        if libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr().cast(), buf.len(), &mut out) == 0 && !out.is_null() && !pw.pw_name.is_null() {
            return std::ffi::CStr::from_ptr(pw.pw_name).to_string_lossy().into_owned();
        }
    }
    format!("uid {uid}")
}

/// When this approval agent started (unix ms), for `ana agent status`.
pub static STARTED_MS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

/// Accepts connections until `Stop` or ctrl-c.
pub async fn serve(listener: UnixListener, shared: Arc<Shared>) -> anyhow::Result<()> {
    let _ = STARTED_MS.set(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64));
    raise_fd_limit();
    let sweeper = tokio::spawn(sweep(shared.clone()));
    // One notice per pending request, for as long as it is pending. The notifier reads the queue
    // and nothing else: it cannot decide a request.
    let notifier = shared.opts.notify.then(|| {
        let (stop, stopped) = oneshot::channel();
        (stop, tokio::spawn(crate::notify::run(shared.notices.subscribe(), Arc::new(crate::notify::open_prompt), stopped)))
    });
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of descriptors (or another passing error): the agent keeps serving
                    // the connections it has, and tries again shortly.
                    Err(e) => {
                        tracing::warn!("accepting a connection failed: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let Some(slot) = stream.peer_cred().ok().and_then(|c| Slot::take(c.uid())) else {
                    tracing::warn!("refused a connection: its user holds {MAX_CONNECTIONS_PER_USER} already");
                    continue;
                };
                let s = shared.clone();
                tokio::spawn(async move {
                    let _slot = slot;
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
    // Every notice is taken off the screen (bounded: a hung notification server does not hold
    // the agent).
    if let Some((stop, task)) = notifier {
        let _ = stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(2), task).await;
    }
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
            let _ = tx.send(deny("the approver stopped", DecidedBy::Agent));
        }
    }
    Ok(())
}

/// How many connections one user may hold open at once: far more than their agents' hooks and
/// prompts need, and far fewer than the descriptors the agent has (a user opening idle
/// connections without end must not make it fail for everyone).
pub const MAX_CONNECTIONS_PER_USER: usize = 256;

static CONNECTIONS: std::sync::Mutex<BTreeMap<u32, usize>> = std::sync::Mutex::new(BTreeMap::new());

/// One user's open connection, counted while it lives.
struct Slot(u32);

impl Slot {
    fn take(uid: u32) -> Option<Slot> {
        let mut m = CONNECTIONS.lock().unwrap_or_else(|p| p.into_inner());
        let n = m.entry(uid).or_default();
        if *n >= MAX_CONNECTIONS_PER_USER {
            return None;
        }
        *n += 1;
        Some(Slot(uid))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut m = CONNECTIONS.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = m.get_mut(&self.0) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.0);
            }
        }
    }
}

/// Raises the soft limit on open descriptors to the hard limit (at most 65 536).
fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit on this process with a valid rlimit value.
    unsafe {
        let mut r: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 && r.rlim_cur < r.rlim_max {
            r.rlim_cur = r.rlim_max.min(65_536);
            libc::setrlimit(libc::RLIMIT_NOFILE, &r);
        }
    }
}

fn deny(reason: &str, by: DecidedBy) -> Response {
    Response::Decision { decision: false, context: DecisionContext { reason: reason.into(), proof: None, granted_intent: None, decided_by: by } }
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
    let n = tokio::time::timeout(limit, r.take(MAX_REQUEST_FRAME as u64 + 1).read_until(b'\n', &mut line)).await.map_err(|_| anyhow::anyhow!("read timed out"))??;
    if n == 0 {
        return Ok(None);
    }
    if line.len() > MAX_REQUEST_FRAME {
        anyhow::bail!("frame too large");
    }
    Ok(Some(serde_json::from_slice(&line)?))
}

/// Writes one frame, or fails if the client does not take it within [`WRITE_TIMEOUT`].
async fn write_frame<W: tokio::io::AsyncWrite + Unpin>(w: &mut W, frame: &[u8]) -> anyhow::Result<()> {
    tokio::time::timeout(WRITE_TIMEOUT, w.write_all(frame)).await.map_err(|_| anyhow::anyhow!("the client stopped reading"))??;
    Ok(())
}

/// Whether `peer` may talk to this agent: in user mode only the user (the agent's own uid); in
/// system mode anyone the socket's permissions let through (members of the client group), root,
/// and the agent's account.
fn peer_allowed(shared: &Shared, peer: u32) -> bool {
    match shared.opts.paths.mode {
        Mode::User => peer == shared.uid,
        Mode::System => true,
    }
}

async fn connection(shared: Arc<Shared>, stream: UnixStream) -> anyhow::Result<()> {
    let cred = stream.peer_cred()?;
    let peer = cred.uid();
    if !peer_allowed(&shared, peer) {
        tracing::warn!(uid = peer, "refused a connection from another user");
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
        Role::Hook => hook_session(shared, peer, r, w).await,
        Role::Prompt | Role::Cli => control_session(shared, peer, r, w).await,
    }
}

async fn hook_session(shared: Arc<Shared>, peer: u32, mut r: BufReader<tokio::net::unix::OwnedReadHalf>, mut w: tokio::net::unix::OwnedWriteHalf) -> anyhow::Result<()> {
    let Some(Request::Evaluate { mut evaluation }) = read_frame(&mut r, HELLO_TIMEOUT).await? else {
        w.write_all(&encode(&Response::Error { message: "expected an evaluation".into() })).await?;
        return Ok(());
    };
    let answer = |resp: Response| encode(&resp);
    // What the prompts show is derived from the intent the key signs; a request whose display
    // text disagrees with it is refused.
    let checked = match ana::render::vet(&mut evaluation) {
        Ok(i) => i,
        Err(why) => {
            w.write_all(&answer(deny(&why, DecidedBy::Agent))).await?;
            return Ok(());
        }
    };
    // Bounded before it is queued: the display detail is cut (saying so), and a request that is
    // still too large to show is refused rather than queued.
    ana::protocol::bound_detail(&mut evaluation.context.detail, ana::protocol::MAX_DETAIL);
    let size = encode(&evaluation).len();
    if size > MAX_EVALUATION {
        w.write_all(&answer(deny("the request is too large to show and approve; split it into smaller calls", DecidedBy::Agent))).await?;
        return Ok(());
    }
    if shared.software && !shared.opts.trust.allows_software_key() {
        w.write_all(&answer(deny("the approver runs with a software key, which this machine's trust root does not allow", DecidedBy::Agent))).await?;
        return Ok(());
    }
    let intent = evaluation.context.intent.clone();
    let (challenge, action) = match (ana::intent::challenge(&intent), ana::intent::action_digest(&intent)) {
        (Ok(c), Ok(a)) => (c, a),
        _ => {
            w.write_all(&answer(deny("the intent has no canonical form", DecidedBy::Agent))).await?;
            return Ok(());
        }
    };
    let expires_ms = intent.get("expires_at").and_then(Value::as_u64).unwrap_or(0);
    if expires_ms <= now_ms() {
        w.write_all(&answer(deny("the request had already expired", DecidedBy::Agent))).await?;
        return Ok(());
    }
    let nonce = intent.get("nonce").and_then(Value::as_str).unwrap_or("").to_owned();
    // Each nonce is taken once, recorded in the agent's own state (it survives a restart).
    let fresh = if nonce.len() < 16 { Ok(false) } else { shared.store.use_nonce(nonce, expires_ms).await };
    match fresh {
        Ok(true) => {}
        Ok(false) => {
            w.write_all(&answer(deny("the request's nonce is missing or was used before", DecidedBy::Agent))).await?;
            return Ok(());
        }
        Err(e) => {
            w.write_all(&answer(deny(&format!("the approver cannot record the request's nonce ({e})"), DecidedBy::Agent))).await?;
            return Ok(());
        }
    }
    let level = checked.level;
    if level == ana::policy::Level::Verification && shared.software {
        let reason = "its rule needs the user verified on the key (PIN or biometric), and this approver runs with a software key, which cannot verify anyone";
        w.write_all(&answer(deny(reason, DecidedBy::Agent))).await?;
        return Ok(());
    }
    // A late approval of this exact action, waiting for its retry: use it once.
    let grant = {
        let mut st = shared.lock();
        let now = Instant::now();
        st.grants.iter().position(|g| g.action == action && g.expires > now).map(|i| st.grants.remove(i))
    };
    if let Some(g) = grant {
        tracing::info!(summary = %ana::render::one_line(&evaluation.context.summary, 200), "one-time grant used");
        let mut rec = Record::of_evaluation(&evaluation, RecordKind::GrantUse, DecidedBy::Grant, "a late approval, used once by the retry");
        rec.intent = ana::intent::canonical(&g.intent).ok();
        rec.proof = Some(g.proof.clone());
        rec.key_name = g.key_name.clone();
        rec.software_key = g.software_key;
        rec.user = account_name(peer);
        // No record, no approval.
        if let Err(e) = shared.store.append(rec).await {
            w.write_all(&answer(deny(&format!("the approval could not be recorded in the history ({e})"), DecidedBy::Agent))).await?;
            return Ok(());
        }
        let resp = Response::Decision {
            decision: true,
            context: DecisionContext { reason: "approved earlier on the security key (one-time grant)".into(), proof: Some(g.proof), granted_intent: Some(g.intent), decided_by: DecidedBy::Grant },
        };
        w.write_all(&answer(resp)).await?;
        return Ok(());
    }
    refresh_keys(&shared);
    if shared.lock().keys.is_empty() {
        w.write_all(&answer(deny("no security key is enrolled; ask the user to run `ana enroll`", DecidedBy::Agent))).await?;
        return Ok(());
    }
    let (tx, rx) = oneshot::channel();
    let full = {
        let mut st = shared.lock();
        let over = |st: &State| st.entries.len() >= MAX_PENDING || st.entries.values().map(|e| e.size).sum::<usize>() + size > MAX_QUEUE_BYTES;
        // A full queue first gives up this user's oldest detached requests (their hooks are gone;
        // only a late approval was left to them): a flood of calls left pending cannot keep the
        // user's next real request from reaching the prompt.
        let mut evicted = 0;
        while over(&st) {
            let Some(oldest) = st.entries.iter().find(|(_, e)| e.detached && e.peer_uid == peer).map(|(id, _)| *id) else { break };
            st.entries.remove(&oldest);
            evicted += 1;
        }
        if evicted > 0 {
            tracing::warn!(evicted, uid = peer, "the queue was full: dropped this user's oldest requests left pending");
        }
        over(&st)
    };
    if full {
        w.write_all(&answer(deny("too many requests already wait for the user; this one is refused until they are decided", DecidedBy::Agent))).await?;
        return Ok(());
    }
    let id = {
        let mut st = shared.lock();
        let id = st.next_id;
        st.next_id += 1;
        let pending = Pending { id, evaluation: (*evaluation).clone(), received_ms: now_ms(), state: PendingState::Waiting, authenticator: shared.describe.clone(), software: shared.software };
        st.entries.insert(id, Entry { pending, intent, challenge, action, level, reply: Some(tx), detached: false, expires_ms, peer_uid: peer, size });
        id
    };
    tracing::info!(id, summary = %ana::render::one_line(&evaluation.context.summary, 200), "approval requested");
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
            let rec = {
            let mut st = shared.lock();
            let mut rec = None;
            if detached {
                if let Some(e) = st.entries.get_mut(&id) {
                    e.detached = true;
                    e.reply = None;
                    e.pending.state = PendingState::Detached;
                    rec = Some(Record::of_evaluation(&e.pending.evaluation, RecordKind::Timeout, DecidedBy::Timeout, "the hook's deadline passed before the user decided; a late approval becomes a one-time grant"));
                }
                tracing::info!(id, "hook stopped waiting; an approval now becomes a one-time grant");
            } else if let Some(e) = st.entries.remove(&id) {
                // The hook went away: its agent no longer wants this call. A key blinking for it
                // is told to stop.
                if e.pending.state == PendingState::Touch
                    && let Some(c) = &shared.cancel
                {
                    c.cancel();
                }
                rec = Some(Record::of_evaluation(&e.pending.evaluation, RecordKind::Cancelled, DecidedBy::Agent, "the agent's hook went away before a decision"));
                tracing::info!(id, "hook disconnected; request cancelled");
            }
            rec
            };
            if let Some(mut r) = rec {
                r.user = account_name(peer);
                record(&shared, r).await;
            }
            shared.publish();
        }
    }
    Ok(())
}

/// What a control connection's writer sends: an answer, or the queue from now on.
enum Out {
    Frame(Vec<u8>),
    Subscribe,
}

/// The queue as published: encoded whole once (for root and the agent's account), and by user
/// (each other subscriber gets a frame of their own requests only, so one user never learns what
/// another's agent asked for).
struct QueueView {
    all: Vec<u8>,
    entries: Vec<(u32, Pending)>,
}

impl QueueView {
    fn frame_for(&self, peer: u32, sees_all: bool) -> Arc<Vec<u8>> {
        if sees_all {
            return Arc::new(self.all.clone());
        }
        let pending = self.entries.iter().filter(|(uid, _)| *uid == peer).map(|(_, p)| p.clone()).collect();
        Arc::new(encode(&Response::Queue { pending }))
    }
}

async fn control_session(shared: Arc<Shared>, peer: u32, mut r: BufReader<tokio::net::unix::OwnedReadHalf>, mut w: tokio::net::unix::OwnedWriteHalf) -> anyhow::Result<()> {
    let (out_tx, mut out_rx) = mpsc::channel::<Out>(OUT_QUEUE);
    let queue = shared.queue.subscribe();
    let ceremonies = shared.ceremonies.clone();
    let sees_all = shared.sees_all(peer);
    // One writer per connection: answers as they come, and (once subscribed) the latest queue.
    // A client that does not take a frame within WRITE_TIMEOUT is dropped.
    let writer = tokio::spawn(async move {
        let mut sub: Option<watch::Receiver<Arc<QueueView>>> = None;
        let mut cer: Option<broadcast::Receiver<(u32, Arc<Vec<u8>>)>> = None;
        let mut queue = Some(queue);
        loop {
            let frame: Arc<Vec<u8>> = tokio::select! {
                m = out_rx.recv() => match m {
                    Some(Out::Frame(f)) => Arc::new(f),
                    Some(Out::Subscribe) => {
                        let Some(mut rx) = queue.take().or_else(|| sub.take()) else { continue };
                        let now = rx.borrow_and_update().frame_for(peer, sees_all);
                        sub = Some(rx);
                        cer = Some(ceremonies.subscribe());
                        now
                    }
                    None => break,
                },
                changed = async { sub.as_mut().expect("guarded by the condition").changed().await }, if sub.is_some() => {
                    if changed.is_err() {
                        break;
                    }
                    sub.as_mut().expect("guarded by the condition").borrow_and_update().frame_for(peer, sees_all)
                }
                c = async { cer.as_mut().expect("guarded by the condition").recv().await }, if cer.is_some() => match c {
                    Ok((uid, frame)) if sees_all || uid == peer => frame,
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            };
            if let Err(e) = write_frame(&mut w, &frame).await {
                tracing::info!("dropped a client: {e}");
                break;
            }
        }
    });
    let send = |resp: Response| out_tx.try_send(Out::Frame(encode(&resp))).is_ok();
    while let Some(req) = read_frame(&mut r, IDLE_TIMEOUT).await? {
        let delivered = match req {
            Request::Subscribe => out_tx.try_send(Out::Subscribe).is_ok(),
            Request::Decide { id, choice, reason, pin, shown } => {
                let allowed = shared.lock().entries.get(&id).map(|e| shared.may_decide(peer, e));
                let resp = if allowed == Some(false) {
                    Response::Decided { id, ok: false, message: format!("request {id} is another user's to decide") }
                } else if let Err(message) = is_shown(&shared, id, shown.as_deref()) {
                    Response::Decided { id, ok: false, message }
                } else if choice == Choice::Approve {
                    match approve_request(&shared, peer, id, pin).await {
                        Ok(message) => Response::Decided { id, ok: true, message },
                        Err(message) => Response::Decided { id, ok: false, message },
                    }
                } else {
                    deny_request(&shared, id, reason).await
                };
                send(resp)
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
                let resp = {
                    let st = shared.lock();
                    // Another user's requests are not this one's business, not even their number.
                    let all = shared.sees_all(peer);
                    Response::Status {
                        key_present,
                        pid: std::process::id(),
                        version: PROTOCOL_VERSION,
                        pending: st.entries.values().filter(|e| all || e.peer_uid == peer).count(),
                        grants: st.grants.len(),
                        authenticator: shared.describe.clone(),
                        software: shared.software,
                        keys: st.keys.len(),
                        started_ms: STARTED_MS.get().copied(),
                    }
                };
                send(resp)
            }
            Request::Record { record: rec } => {
                match client_record(*rec, peer) {
                    Ok(rec) => record(&shared, rec).await,
                    Err(why) => tracing::warn!(uid = peer, "refused a record from a client: {why}"),
                }
                true
            }
            Request::Verify => {
                let keys = shared.lock().keys.clone();
                let resp = match shared.store.verify(keys).await {
                    Ok(Ok(n)) => Response::Verified { records: n, error: None, authenticated: true },
                    Ok(Err(e)) => Response::Verified { records: 0, error: Some(e.to_string()), authenticated: true },
                    Err(e) => Response::Error { message: e },
                };
                send(resp)
            }
            Request::History { mut filter } => {
                // Every user but root and the agent's own account sees their own records only.
                if !shared.sees_all(peer) {
                    filter.user = Some(account_name(peer));
                }
                filter.limit = Some(filter.limit.unwrap_or(HISTORY_PAGE).min(HISTORY_PAGE));
                let resp = match shared.store.list(*filter).await {
                    Ok((rows, total)) => history_page(rows, total),
                    Err(e) => Response::Error { message: e },
                };
                send(resp)
            }
            Request::Stop if peer == 0 || peer == shared.uid => {
                let sent = send(Response::Decided { id: 0, ok: true, message: "stopping".into() });
                shared.stop.notify_one();
                sent
            }
            Request::Stop => send(Response::Error { message: "only root (or the approver's account) may stop the system approver".into() }),
            other => send(Response::Error { message: format!("unexpected {other:?}") }),
        };
        if !delivered {
            tracing::info!(uid = peer, "dropped a client that does not read its answers");
            break;
        }
    }
    drop(out_tx);
    let _ = writer.await;
    Ok(())
}

/// Whether request `id` is the one the prompt showed (`shown`: its challenge, hex).
fn is_shown(shared: &Shared, id: u64, shown: Option<&str>) -> Result<(), String> {
    let Some(shown) = shown else { return Ok(()) };
    match shared.lock().entries.get(&id) {
        Some(e) if ana::intent::hex(&e.challenge) == shown => Ok(()),
        Some(_) => Err(format!("request {id} is not the one you were shown; look again")),
        None => Err(format!("no pending request {id}")),
    }
}

/// A record a client (a hook) hands in: only what a hook decides alone — a denial — is taken,
/// with nothing that claims an approval, a key or a proof, and with the user set from the
/// connection, not from the message. (A client must never add a made-up approval.)
fn client_record(mut rec: Record, peer: u32) -> Result<Record, &'static str> {
    if rec.decision != Outcome::Deny || !matches!(rec.kind, RecordKind::PolicyDenial | RecordKind::Denial) || !matches!(rec.decided_by, DecidedBy::Policy | DecidedBy::Agent) {
        return Err("only denials may be recorded by a client");
    }
    if rec.proof.is_some() || rec.key_name.is_some() || rec.software_key || rec.intent.is_some() {
        return Err("a client's record carries no proof, key or intent");
    }
    rec.user = account_name(peer);
    rec.time_ms = now_ms();
    Ok(rec)
}

async fn deny_request(shared: &Shared, id: u64, reason: Option<String>) -> Response {
    let entry = shared.lock().entries.remove(&id);
    let Some(entry) = entry else { return Response::Decided { id, ok: false, message: format!("no pending request {id}") } };
    let reason = match reason.filter(|r| !r.trim().is_empty()) {
        Some(r) => format!("the user denied this: {r}"),
        None => "the user denied this".into(),
    };
    let mut rec = Record::of_evaluation(&entry.pending.evaluation, RecordKind::Denial, DecidedBy::User, &reason);
    rec.user = account_name(entry.peer_uid);
    rec.latency_ms = Some(now_ms().saturating_sub(entry.pending.received_ms));
    record(shared, rec).await;
    if let Some(tx) = entry.reply {
        let _ = tx.send(deny(&reason, DecidedBy::User));
    }
    tracing::info!(id, "denied by the user");
    shared.publish();
    Response::Decided { id, ok: true, message: "denied".into() }
}

fn set_state(shared: &Shared, id: u64, state: PendingState) {
    if let Some(e) = shared.lock().entries.get_mut(&id) {
        e.pending.state = state;
    }
    shared.publish();
}

/// At most this many records in one `History` answer.
const HISTORY_PAGE: usize = 500;
/// And at most this many bytes of them (a page stays well inside a frame).
const HISTORY_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// One page of history: as many of `rows` (newest first) as fit, and where the next page starts.
fn history_page(rows: Vec<ana::history::Row>, total: u64) -> Response {
    let full = rows.len() == HISTORY_PAGE;
    let mut lines = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let line = ana::history::ExportLine::from(row);
        bytes += serde_json::to_vec(&line).map_or(0, |b| b.len());
        if bytes > HISTORY_PAGE_BYTES && !lines.is_empty() {
            let next_before = lines.last().map(|l: &ana::history::ExportLine| l.id);
            return Response::History { lines, total, next_before };
        }
        lines.push(line);
    }
    let next_before = if full { lines.last().map(|l| l.id) } else { None };
    Response::History { lines, total, next_before }
}

/// Reads the enrolled keys again, so that `sudo ana enroll` and `sudo ana keys remove` take
/// effect without a restart (a removed key stops counting at once). The signature counters seen
/// so far are kept (the higher of file and memory). A file that does not read leaves the keys
/// as they were, with a warning.
fn refresh_keys(shared: &Shared) {
    match ana::keys::load(&shared.opts.paths) {
        Ok(mut fresh) => {
            let mut st = shared.lock();
            for k in &mut fresh {
                if let Some(old) = st.keys.iter().find(|o| o.credential_id == k.credential_id) {
                    k.sign_count = k.sign_count.max(old.sign_count);
                }
            }
            if fresh.len() != st.keys.len() || fresh.iter().zip(&st.keys).any(|(a, b)| a.credential_id != b.credential_id) {
                tracing::info!(keys = fresh.len(), "the enrolled keys changed; using them from now on");
            }
            st.keys = fresh;
        }
        Err(e) => tracing::warn!(error = %e, "the enrolled keys could not be read again; keeping the ones loaded before"),
    }
}

/// Runs the ceremony for request `id`: the key signs the intent's challenge, the assertion is
/// verified, and the hook (or, if it stopped waiting, a one-time grant) gets the proof.
///
/// One ceremony at a time, and a decision never waits behind another request's ceremony: a touch
/// goes to the ceremony under way, so the human approving request A while the key waits for B
/// (approved from somewhere else, perhaps by the coding agent over the socket) would sign B. Such a
/// decision is refused, naming B (to its own user), so the human can deny it instead.
async fn approve_request(shared: &Arc<Shared>, peer: u32, id: u64, pin: Option<String>) -> Result<String, String> {
    let Ok(_one_at_a_time) = shared.ceremony.try_lock() else {
        let st = shared.lock();
        let busy = st.ceremony.and_then(|b| st.entries.get(&b).map(|e| (b, e)));
        return Err(match busy {
            Some((b, _)) if b == id => format!("request {id} is already waiting for a touch of the key"),
            Some((b, e)) if shared.may_decide(peer, e) => format!(
                "the key is busy: request {b} ({}) waits for a touch, approved elsewhere than in this decision. Do NOT touch the key unless you approved {b} yourself; if you did not, deny it (`ana deny {b}`), then approve {id} again",
                ana::render::one_line(&e.pending.evaluation.context.summary, 120)
            ),
            _ => "the key is busy with another ceremony; approve again when it is done".into(),
        });
    };
    shared.lock().ceremony = Some(id);
    struct Clear<'a>(&'a Shared);
    impl Drop for Clear<'_> {
        fn drop(&mut self) {
            self.0.lock().ceremony = None;
        }
    }
    let _clear = Clear(shared);
    refresh_keys(shared);
    let (challenge, level, keys, summary) = {
        let st = shared.lock();
        let e = st.entries.get(&id).ok_or_else(|| format!("no pending request {id}"))?;
        let excluded = &e.pending.evaluation.context.exclude_credentials;
        let keys: Vec<EnrolledKey> = st.keys.iter().filter(|k| !excluded.contains(&webauthn::b64(&k.credential_id))).cloned().collect();
        if keys.is_empty() {
            return Err("no other enrolled key may approve this".into());
        }
        (e.challenge, e.level, keys, e.pending.evaluation.context.summary.clone())
    };
    // Announced before the key is driven: what it will sign, for whoever watches the log.
    tracing::info!(id, challenge = %ana::intent::hex(&challenge), summary = %summary, software = shared.software, "ceremony: the key is asked to sign this request's intent");
    let owner = shared.lock().entries.get(&id).map_or(0, |e| e.peer_uid);
    let _ = shared.ceremonies.send((
        owner,
        Arc::new(encode(&Response::Ceremony { id, challenge: ana::intent::hex(&challenge), summary: summary.clone(), authenticator: shared.describe.clone(), software: shared.software })),
    ));
    set_state(shared, id, PendingState::Touch);
    let auth = shared.auth.clone();
    let allow: Vec<Vec<u8>> = keys.iter().map(|k| k.credential_id.clone()).collect();
    let client_data = webauthn::client_data(&challenge);
    let cd = client_data.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut a = auth.lock().unwrap_or_else(|p| p.into_inner());
        a.set_pin(pin);
        a.set_context(&summary);
        let r = crate::authenticator::assert_over(&mut **a, &cd, &allow, level);
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
            set_state(shared, id, if matches!(e, AuthError::PinRequired | AuthError::WrongPin { .. }) { PendingState::Pin } else { PendingState::Waiting });
            return Err(e.to_string());
        }
    };
    set_state(shared, id, PendingState::Verifying);
    let proof = Proof { credential_id: assertion.credential_id, client_data_json: client_data, authenticator_data: assertion.authenticator_data, signature: assertion.signature };
    let (key_name, software_key, count) = match webauthn::verify(&proof, &challenge, &keys, level) {
        Ok((k, c)) => (k.name.clone(), k.software, c),
        Err(e) => {
            set_state(shared, id, PendingState::Waiting);
            return Err(format!("the key's answer did not verify: {e}"));
        }
    };
    let taken = {
        let mut st = shared.lock();
        // The signature counter must rise where the key keeps one (a clone would repeat it).
        let mut refused = None;
        if let Some(k) = st.keys.iter_mut().find(|k| k.credential_id == proof.credential_id) {
            if (count != 0 || k.sign_count != 0) && count <= k.sign_count {
                refused = Some(format!("the key's signature counter did not rise ({} → {count}): it may be cloned", k.sign_count));
            } else {
                k.sign_count = count;
            }
        }
        match refused {
            Some(m) => Err(Some(m)),
            None => {
                let keys_now = st.keys.clone();
                st.entries.remove(&id).map(|e| (e, keys_now)).ok_or(None)
            }
        }
    };
    let (entry, keys_now) = match taken {
        Ok(t) => t,
        Err(Some(message)) => {
            set_state(shared, id, PendingState::Waiting);
            return Err(message);
        }
        Err(None) => return Err("the request was cancelled while the key was signing".into()),
    };
    let message = format!("approved with {key_name}{}", if software_key { " (a SOFTWARE key: tests and demos only)" } else { "" });
    let mut rec = Record::of_evaluation(&entry.pending.evaluation, if entry.reply.is_some() { RecordKind::Approval } else { RecordKind::Grant }, DecidedBy::User, &message);
    rec.proof = Some(proof.clone());
    rec.key_name = Some(key_name.clone());
    rec.software_key = software_key;
    rec.latency_ms = Some(now_ms().saturating_sub(entry.pending.received_ms));
    rec.user = account_name(entry.peer_uid);
    // No record, no approval: the hook gets a deny with the reason.
    if let Err(e) = shared.store.append(rec).await {
        let why = format!("the approval could not be recorded in the history ({e}), so it does not count");
        if let Some(tx) = entry.reply {
            let _ = tx.send(deny(&why, DecidedBy::Agent));
        }
        shared.publish();
        return Err(why);
    }
    match entry.reply {
        Some(tx) => {
            let _ = tx.send(Response::Decision { decision: true, context: DecisionContext { reason: message.clone(), proof: Some(proof), granted_intent: None, decided_by: DecidedBy::User } });
        }
        None => shared.lock().grants.push(Grant { key_name: Some(key_name.clone()), software_key, action: entry.action, intent: entry.intent, proof, expires: Instant::now() + shared.opts.grant_ttl }),
    }
    persist_sign_counts(&shared.opts.paths, &keys_now);
    tracing::info!(id, "{message}");
    shared.publish();
    Ok(message)
}

fn persist_sign_counts(paths: &Paths, keys: &[EnrolledKey]) {
    if paths.mode == Mode::System {
        // The keys are root's (/etc/ana); the counters are the agent's own state.
        let counts: BTreeMap<String, u32> = keys.iter().map(|k| (webauthn::b64(&k.credential_id), k.sign_count)).collect();
        let bytes = serde_json::to_vec(&counts).expect("maps serialize");
        if let Err(e) = ana::keys::write_private(&paths.state.join("sign-counts.json"), &bytes) {
            tracing::warn!("could not save sign counts: {e}");
        }
        return;
    }
    if let Ok(mut user) = ana::keys::load_user_file(paths) {
        for k in user.iter_mut() {
            if let Some(n) = keys.iter().find(|n| n.credential_id == k.credential_id) {
                k.sign_count = n.sign_count;
            }
        }
        if let Err(e) = ana::keys::save_user_file(paths, &user) {
            tracing::warn!("could not save sign counts: {e}");
        }
    }
}

/// Prepares the runtime directory and binds the socket. User mode: the directory is ours, 0700,
/// the socket 0600. System mode: the directory was made by root (`ana install system`, the
/// service manager, or `sudo ana agent --system`), belongs to root or this account, and nobody
/// else may write it; the socket is 0660 for the client group. A stale socket from a dead agent
/// is replaced; a live one is an error.
pub fn bind(paths: &Paths) -> anyhow::Result<UnixListener> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = &paths.runtime;
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    let socket_mode = match paths.mode {
        Mode::User => {
            Paths::create_private_dir(dir)?;
            let meta = std::fs::symlink_metadata(dir)?;
            if meta.uid() != uid || !meta.is_dir() {
                anyhow::bail!("{} belongs to another user", dir.display());
            }
            if meta.mode() & 0o077 != 0 {
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            }
            0o600
        }
        Mode::System => {
            let meta = std::fs::symlink_metadata(dir).map_err(|e| anyhow::anyhow!("{}: {e} — it is made by `sudo ana install system` (or `sudo ana agent --system`)", dir.display()))?;
            if !meta.is_dir() || (meta.uid() != 0 && meta.uid() != uid) || meta.mode() & 0o022 != 0 {
                anyhow::bail!("{} must be a directory of root's or this account's that nobody else can write", dir.display());
            }
            0o660
        }
    };
    let socket = paths.socket();
    if socket.exists() {
        if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
            anyhow::bail!("an approver is already running on {}", socket.display());
        }
        std::fs::remove_file(&socket)?;
    }
    let listener = UnixListener::bind(&socket)?;
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(socket_mode))?;
    Ok(listener)
}
