//! Messages between the hook, the prompts and the approval agent: newline-delimited JSON on a
//! Unix socket, a hello exchange with a hand-bumped version, and a frame size cap.
//!
//! Evaluation requests and answers follow the OpenID AuthZEN Access Evaluation shape
//! (`subject`, `action`, `resource`, `context` → `decision`, `context`). No I/O here.
//!
//! Every fixed set of values on the wire is an enum ([`PendingState`], [`Choice`],
//! [`crate::record::DecidedBy`], [`crate::policy::Level`]); an unknown value makes the message
//! invalid. Layering: this module uses `record`, `webauthn` and `policy` (all pure); `ipc` and
//! `history` use it, never the other way round.

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
    /// What the key must do: `presence` or `verification` (the wire text is the level's name).
    #[serde(with = "level_text")]
    pub level: crate::policy::Level,
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
    pub state: PendingState,
    /// The authenticator that will be asked, e.g. "software key (INSECURE, tests only)".
    pub authenticator: String,
    pub software: bool,
}

crate::closed_set::closed_set! {
    /// Where a pending request stands.
    pub enum PendingState ("pending state") {
        /// In the queue, waiting for a decision.
        Waiting = "waiting",
        /// Approved in a prompt; the key is blinking for a touch.
        Touch = "touch",
        /// The key asked for its PIN; the prompt asks for it.
        Pin = "pin",
        /// The key answered; the approval agent verifies the assertion.
        Verifying = "verifying",
        /// The hook gave up waiting; an approval now becomes a one-time grant.
        Detached = "detached",
    }
}

impl PendingState {
    /// Whether a prompt may decide the request now (no ceremony is under way for it).
    pub fn decidable(self) -> bool {
        matches!(self, PendingState::Waiting | PendingState::Detached)
    }

    /// Whether the key is being driven for it (a second decision must wait).
    pub fn in_ceremony(self) -> bool {
        matches!(self, PendingState::Touch | PendingState::Verifying)
    }
}

/// A prompt's answer to one pending request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Approve it (the key is then asked to sign).
    Approve,
    /// Deny it.
    Deny,
}

/// [`Choice`] as the wire has always carried it: `"approve": true` or `false`.
mod choice_wire {
    use super::Choice;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &Choice, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*c == Choice::Approve)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Choice, D::Error> {
        Ok(if bool::deserialize(d)? { Choice::Approve } else { Choice::Deny })
    }
}

/// The wire text of a [`crate::policy::Level`] (its name, `presence` or `verification`); any
/// other text is an error.
mod level_text {
    use crate::policy::Level;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(level: &Level, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(level.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        let text = String::deserialize(d)?;
        [Level::Presence, Level::Verification]
            .into_iter()
            .find(|l| l.name() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a known level (expected one of: presence, verification)")))
    }
}

/// Client → agent.
// One request is decoded per frame and dropped once answered; none is kept in bulk, so the size
// of the largest variant (an evaluation) costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    Hello {
        version: u32,
        role: Role,
    },
    /// From a hook: approve this, or say no.
    Evaluate {
        /// Boxed: it is by far the largest message.
        evaluation: Box<Evaluation>,
    },
    /// From a hook at its deadline: stop waiting, keep the request for a late approval.
    Detach,
    /// From a prompt: send the queue now and on every change.
    Subscribe,
    /// From a prompt or `ana approve`/`ana deny`.
    Decide {
        id: u64,
        /// On the wire `"approve": true` or `false`.
        #[serde(rename = "approve", with = "choice_wire")]
        choice: Choice,
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
    /// System mode, from a user's `ana history`: the records `filter` selects, newest first —
    /// only the asking user's own (root and the agent's account see every user's). One page at
    /// a time: the answer says where the next one starts.
    History {
        filter: Box<crate::record::Filter>,
    },
    /// From a hook: a decision it made alone (a policy denial), for the history. The agent owns
    /// the database, so the hook's deny path stays a socket write instead of a database open.
    Record {
        record: Box<crate::record::Record>,
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
    /// One page of a `History` request: the records (as `ana history export` writes them), how
    /// many the filter selects in all, and the id to ask below for the next page (`None`: done).
    History {
        lines: Vec<crate::record::ExportLine>,
        total: u64,
        next_before: Option<i64>,
    },
    Error {
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionContext {
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Proof>,
    /// The intent the proof signs, when it is an earlier request's (a one-time grant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_intent: Option<Value>,
    /// Who decided; required (an answer without it is invalid).
    pub decided_by: crate::record::DecidedBy,
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

    /// Messages as this protocol version has always written them read back to the same values
    /// and are written again byte for byte.
    #[test]
    fn the_wire_text_of_states_deciders_and_levels_is_unchanged() {
        let decision = r#"{"type":"decision","decision":false,"context":{"reason":"no","decided_by":"timeout"}}"#;
        let r: Response = serde_json::from_str(decision).unwrap();
        assert!(matches!(&r, Response::Decision { context, .. } if context.decided_by == crate::record::DecidedBy::Timeout));
        assert_eq!(serde_json::to_string(&r).unwrap(), decision);
        for (state, text) in PendingState::ALL.iter().zip(["waiting", "touch", "pin", "verifying", "detached"]) {
            assert_eq!(serde_json::to_value(state).unwrap(), text);
        }
        let context = r#"{"intent":{},"rule":null,"reason":"r","level":"verification","summary":"s","deadline_ms":1,"detail":null}"#;
        let c: EvaluationContext = serde_json::from_str(context).unwrap();
        assert_eq!(c.level, crate::policy::Level::Verification);
        assert_eq!(serde_json::to_string(&c).unwrap(), context);
    }

    #[test]
    fn a_choice_is_the_approve_flag_on_the_wire() {
        for (choice, text) in [(Choice::Approve, r#"{"type":"decide","id":3,"approve":true,"reason":null}"#), (Choice::Deny, r#"{"type":"decide","id":3,"approve":false,"reason":null}"#)] {
            let req = Request::Decide { id: 3, choice, reason: None, pin: None, shown: None };
            assert_eq!(serde_json::to_string(&req).unwrap(), text);
            assert_eq!(serde_json::from_str::<Request>(text).unwrap(), req);
        }
        assert!(serde_json::from_str::<Request>(r#"{"type":"decide","id":3,"approve":"yes"}"#).is_err());
    }

    #[test]
    fn an_unknown_state_decider_or_level_is_an_invalid_message() {
        let e = serde_json::from_str::<Response>(r#"{"type":"decision","decision":true,"context":{"reason":"","decided_by":"someone"}}"#).unwrap_err();
        assert!(e.to_string().contains("someone"), "{e}");
        // An answer that does not say who decided is invalid too, not decided by nobody.
        assert!(serde_json::from_str::<Response>(r#"{"type":"decision","decision":true,"context":{"reason":""}}"#).is_err());
        let level = r#"{"intent":{},"rule":null,"reason":"r","level":"Presence","summary":"s","deadline_ms":1}"#;
        assert!(serde_json::from_str::<EvaluationContext>(level).unwrap_err().to_string().contains("not a known level"));
        assert!(serde_json::from_value::<PendingState>("sleeping".into()).is_err());
    }
}
