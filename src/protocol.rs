//! Messages between the hook, the prompts and the approval agent: newline-delimited JSON on a
//! Unix socket, a hello exchange with a hand-bumped version, and a frame size cap.
//!
//! Evaluation requests and answers follow the OpenID AuthZEN Access Evaluation shape
//! (`subject`, `action`, `resource`, `context` → `decision`, `context`). No I/O here.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::webauthn::Proof;

/// Bumped by hand on every incompatible change; checked on every connection.
pub const PROTOCOL_VERSION: u32 = 2;
/// The largest frame a client reads from the agent (a queue of at most [`MAX_QUEUE_BYTES`]
/// fits).
pub const MAX_FRAME: usize = 8 * 1024 * 1024;
/// The largest frame the agent reads from a client.
pub const MAX_REQUEST_FRAME: usize = 3 * 1024 * 1024;
/// The largest evaluation (encoded) the agent queues; a larger one is denied as too large to
/// show and approve.
pub const MAX_EVALUATION: usize = 2 * 1024 * 1024;
/// How many requests may wait at once; more are denied at once.
pub const MAX_PENDING: usize = 64;
/// How many bytes the waiting requests may take together (the queue frame stays below
/// [`MAX_FRAME`]); a request that would pass it is denied at once.
pub const MAX_QUEUE_BYTES: usize = 6 * 1024 * 1024;
/// How many bytes of display detail an evaluation carries; longer strings in it are cut, and
/// say so.
pub const MAX_DETAIL: usize = 64 * 1024;

/// Who is connecting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Hook,
    Prompt,
    Cli,
}

/// AuthZEN's subject, action and resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub properties: Value,
}

/// An AuthZEN access evaluation request for one approval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub subject: Entity,
    pub action: Entity,
    pub resource: Entity,
    pub context: EvaluationContext,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationContext {
    /// The intent (RFC 9396 authorization details) whose canonical bytes the key signs.
    pub intent: Value,
    pub rule: Option<String>,
    pub reason: String,
    /// presence or verification.
    pub level: String,
    /// A one-line description, derived from the intent (`render::summary`). The approval agent
    /// refuses a request whose summary disagrees with its intent and sets it itself; prompts
    /// render the intent, never this.
    pub summary: String,
    /// When the hook stops waiting (unix ms).
    pub deadline_ms: u64,
    /// Unused: the approval agent clears it. Prompts render the intent, which holds the whole tool
    /// input (a Write's content, an Edit's old and new text). Kept for the wire format.
    #[serde(default)]
    pub detail: Value,
    /// Credentials (base64url) that must not sign this approval (removing a key takes another).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_credentials: Vec<String>,
    /// Where the call came from (the agent's process, tty, tmux pane), as the hook observed it.
    /// Context, not signed: prompts label it so. Absent from older hooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Box<crate::origin::Origin>>,
}

/// One request as prompts see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub id: u64,
    pub evaluation: Evaluation,
    pub received_ms: u64,
    /// waiting, touch (the key is blinking), verifying, or detached (the hook gave up waiting;
    /// an approval now becomes a one-time grant).
    pub state: String,
    /// The authenticator that will be asked, e.g. "software key (INSECURE, tests only)".
    pub authenticator: String,
    pub software: bool,
}

/// Client → agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    Hello {
        version: u32,
        role: Role,
    },
    /// From a hook: approve this, or say no.
    Evaluate {
        evaluation: Evaluation,
    },
    /// From a hook at its deadline: stop waiting, keep the request for a late approval.
    Detach,
    /// From a prompt: send the queue now and on every change.
    Subscribe,
    /// From a prompt or `ana approve`/`ana deny`.
    Decide {
        id: u64,
        approve: bool,
        #[serde(default)]
        reason: Option<String>,
        /// The key's PIN for this ceremony, when the key asked for one. Never logged or stored.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pin: Option<String>,
        /// The challenge (SHA-256 of the canonical intent, hex) of the request the prompt showed:
        /// the decision applies to that request only, never to another that took its id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shown: Option<String>,
    },
    Status,
    Stop,
    /// Verify the history (its chain, MACs and proofs) where the history key is readable: in
    /// the approval agent.
    Verify,
    /// From a hook: a decision it made alone (a policy denial), for the history. The agent owns
    /// the database, so the hook's deny path stays a socket write instead of a database open.
    Record {
        record: crate::history::Record,
    },
}

/// Agent → client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    Hello {
        version: u32,
        pid: u32,
    },
    /// AuthZEN's answer. With `decision: true`, `context.proof` carries the assertion.
    Decision {
        decision: bool,
        context: DecisionContext,
    },
    /// The whole queue, sent to subscribers on every change.
    Queue {
        pending: Vec<Pending>,
    },
    /// The outcome of a `Decide`.
    Decided {
        id: u64,
        ok: bool,
        message: String,
    },
    Status {
        pid: u32,
        version: u32,
        pending: usize,
        grants: usize,
        authenticator: String,
        software: bool,
        keys: usize,
        /// Whether a key is plugged in (or in range) now; `None` when the agent cannot tell
        /// without a ceremony.
        #[serde(default)]
        key_present: Option<bool>,
        /// When the agent started (unix ms).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        started_ms: Option<u64>,
    },
    /// To subscribers, before the approval agent drives the key: this request's intent (its
    /// challenge) is what the key is about to sign.
    Ceremony {
        id: u64,
        /// SHA-256 of the canonical intent (hex): the WebAuthn challenge.
        challenge: String,
        summary: String,
        authenticator: String,
        software: bool,
    },
    /// The outcome of a `Verify`: how many records verified, or the first bad one.
    Verified {
        records: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// Whether the MACs were checked (the agent holds the history key).
        authenticated: bool,
    },
    Error {
        message: String,
    },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionContext {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// The intent the proof signs, when it is an earlier request's (a one-time grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_intent: Option<Value>,
    /// user, timeout, policy or agent.
    #[serde(default)]
    pub decided_by: String,
}

/// Bounds `detail` (display only, never signed) to about `budget` bytes: strings are cut, each cut
/// saying how much was left out, until the whole fits. Returns whether anything was cut.
pub fn bound_detail(detail: &mut Value, budget: usize) -> bool {
    let size = |v: &Value| serde_json::to_vec(v).map_or(usize::MAX, |b| b.len());
    if size(detail) <= budget {
        return false;
    }
    // Cut every string longer than `keep` until it fits, halving `keep` each round.
    let mut keep = budget / 2;
    while size(detail) > budget && keep >= 16 {
        cut_strings(detail, keep);
        keep /= 2;
    }
    if size(detail) > budget {
        *detail = Value::String(format!("[the detail is too large to show ({} bytes); the intent above is what the key signs]", size(detail)));
    }
    true
}

fn cut_strings(v: &mut Value, keep: usize) {
    match v {
        Value::String(s) if s.len() > keep => {
            let mut end = keep;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            let left = s.len() - end;
            s.truncate(end);
            s.push_str(&format!("…[{left} more bytes not shown]"));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| cut_strings(x, keep)),
        Value::Object(m) => m.values_mut().for_each(|x| cut_strings(x, keep)),
        _ => {}
    }
}

/// Encodes a message as one line.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec(msg).expect("protocol messages serialize");
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_detail_fits_and_says_what_was_cut() {
        let mut d = serde_json::json!({"object": {"content": "x".repeat(200_000), "path": "/a"}, "subject": "write /a"});
        assert!(bound_detail(&mut d, 4096));
        let text = serde_json::to_string(&d).unwrap();
        assert!(text.len() <= 4096, "{}", text.len());
        assert!(text.contains("more bytes not shown"), "{text}");
        assert_eq!(d["object"]["path"], "/a");
        let mut small = serde_json::json!({"a": "b"});
        assert!(!bound_detail(&mut small, 4096));
    }
}
