//! What one history record says, apart from where it is kept. Pure; no I/O.
//!
//! One type per job: [`Record`] is what is recorded (the message a hook hands the approval
//! agent, a line of the spool); `history::Row` is a stored row (the record, its id and its
//! place in the chain); `history::ExportLine` is a line of `ana history export`; and
//! [`HashInputV1`] is what a record's hash and MAC cover, versioned so that a field added to the
//! record or the row leaves every existing hash as it was.
//!
//! Layering (the module graph is a DAG; arrows point to what a module uses):
//! `record` → `{webauthn, intent}`; `protocol` → `record`; `ipc` → `protocol`;
//! `history` → `{record, protocol, ipc}`. Nothing below `history` reaches up into it.

use serde::{Deserialize, Serialize};

use crate::closed_set::closed_set;
use crate::webauthn::Proof;

/// What is recorded: one decision. Records are appended by the history, which adds the id and the
/// chain; on the wire (a hook's `record` request) and in the spool it travels as this JSON object.
/// Unknown fields are ignored, so the extra ones clients of this protocol version send (`id`,
/// `prev_hash`, `hash`) are harmless.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub time_ms: u64,
    pub kind: RecordKind,
    pub decision: Outcome,
    pub decided_by: DecidedBy,
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
}

impl Record {
    /// A record of `kind` decided by `decided_by`, its decision the kind's, every other field
    /// empty.
    pub fn new(kind: RecordKind, decided_by: DecidedBy) -> Record {
        Record {
            time_ms: 0,
            kind,
            decision: kind.outcome(),
            decided_by,
            agent: String::new(),
            session: String::new(),
            cwd: String::new(),
            tool: String::new(),
            summary: String::new(),
            rule: None,
            reason: String::new(),
            intent: None,
            key_name: None,
            software_key: false,
            user: String::new(),
            latency_ms: None,
            proof: None,
        }
    }

    /// The bytes a record's hash and MAC cover, in the given version, chained to `prev`.
    pub fn hash_input(&self, version: HashVersion, prev: &str) -> String {
        match version {
            HashVersion::V1 => HashInputV1::of(self, prev).bytes(),
        }
    }
}

/// Which hash input a stored record's hash covers. Stored as a number (`hash_version`, 1 for
/// every record written before the column existed); an unknown number is an error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub enum HashVersion {
    /// [`HashInputV1`].
    #[default]
    V1,
}

impl HashVersion {
    /// The version new records are written with.
    pub const CURRENT: HashVersion = HashVersion::V1;

    pub fn number(self) -> i64 {
        match self {
            HashVersion::V1 => 1,
        }
    }

    pub fn from_number(n: i64) -> Option<HashVersion> {
        match n {
            1 => Some(HashVersion::V1),
            _ => None,
        }
    }

    /// For serde's `skip_serializing_if`.
    pub fn is_v1(&self) -> bool {
        *self == HashVersion::V1
    }
}

impl TryFrom<i64> for HashVersion {
    type Error = String;
    fn try_from(n: i64) -> Result<HashVersion, String> {
        HashVersion::from_number(n).ok_or_else(|| format!("hash version {n} is unknown to this ana"))
    }
}

impl From<HashVersion> for i64 {
    fn from(v: HashVersion) -> i64 {
        v.number()
    }
}

/// Version 1 of what a record's hash and MAC cover: the RFC 8785 canonical JSON of exactly these
/// fields (the record's, and the previous record's hash). Frozen: its bytes are those of every
/// record written so far, so a field added to [`Record`] goes into a new version, never here.
#[derive(Serialize)]
pub struct HashInputV1<'a> {
    agent: &'a str,
    cwd: &'a str,
    decided_by: DecidedBy,
    decision: Outcome,
    intent: &'a Option<String>,
    key_name: &'a Option<String>,
    kind: RecordKind,
    latency_ms: Option<u64>,
    prev_hash: &'a str,
    proof: &'a Option<Proof>,
    reason: &'a str,
    rule: &'a Option<String>,
    session: &'a str,
    software_key: bool,
    summary: &'a str,
    time_ms: u64,
    tool: &'a str,
    user: &'a str,
}

impl<'a> HashInputV1<'a> {
    pub fn of(r: &'a Record, prev_hash: &'a str) -> HashInputV1<'a> {
        // Spelled out, with no `..`: a field added to the record does not compile here until it
        // is left out on purpose.
        let Record { time_ms, kind, decision, decided_by, agent, session, cwd, tool, summary, rule, reason, intent, key_name, software_key, user, latency_ms, proof } = r;
        HashInputV1 {
            agent,
            cwd,
            decided_by: *decided_by,
            decision: *decision,
            intent,
            key_name,
            kind: *kind,
            latency_ms: *latency_ms,
            prev_hash,
            proof,
            reason,
            rule,
            session,
            software_key: *software_key,
            summary,
            time_ms: *time_ms,
            tool,
            user,
        }
    }

    /// The canonical bytes (RFC 8785).
    pub fn bytes(&self) -> String {
        let v = serde_json::to_value(self).expect("a hash input serializes");
        crate::intent::canonical(&v).expect("a hash input holds only integers")
    }
}

closed_set! {
    /// What a history record records.
    pub enum RecordKind ("record kind") {
        /// A request approved on a key while its hook waited.
        Approval = "approval",
        /// A request denied: by the user in a prompt, or by the hook when no approval agent ran.
        Denial = "denial",
        /// The hook's deadline passed before anyone decided.
        Timeout = "timeout",
        /// A late approval, kept as a one-time grant for the agent's retry.
        Grant = "grant",
        /// A one-time grant, used by the retry.
        GrantUse = "grant_use",
        /// A call the policy denied.
        PolicyDenial = "policy_denial",
        /// The first key enrolled (trust on first use).
        Enrolment = "enrolment",
        /// A request whose hook went away before anyone decided.
        Cancelled = "cancelled",
    }
}

closed_set! {
    /// A record's decision.
    pub enum Outcome ("decision") {
        Allow = "allow",
        Deny = "deny",
    }
}

closed_set! {
    /// Who (or what) made a recorded decision, in the history and in the approval agent's answer.
    pub enum DecidedBy ("decider") {
        /// The user, in a prompt (and on the key, for an approval).
        User = "user",
        /// The policy, without asking anyone.
        Policy = "policy",
        /// The hook's deadline.
        Timeout = "timeout",
        /// A one-time grant the user made earlier.
        Grant = "grant",
        /// The approval agent (or the hook, when the agent is not there).
        Agent = "agent",
    }
}

/// The sentence `ana history --help` and the README use to list every kind, decision and decider
/// (a test holds the README to it).
pub fn documented_values() -> String {
    format!(
        "Each record has a kind ({}), a decision ({}) and who decided ({}; the table shows the key's name for a decision made on a key).",
        RecordKind::list("or"),
        Outcome::list("or"),
        DecidedBy::list("or")
    )
}

impl RecordKind {
    /// The decision a record of this kind carries.
    pub fn outcome(self) -> Outcome {
        match self {
            RecordKind::Approval | RecordKind::Grant | RecordKind::GrantUse | RecordKind::Enrolment => Outcome::Allow,
            RecordKind::Denial | RecordKind::Timeout | RecordKind::PolicyDenial | RecordKind::Cancelled => Outcome::Deny,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as hooks of this protocol version have sent it (and spooled it), with the chain
    /// fields the history used to share with the wire.
    #[test]
    fn a_record_with_the_old_chain_fields_still_reads() {
        let old = r#"{"id":0,"time_ms":1,"kind":"policy_denial","decision":"deny","decided_by":"policy","agent":"codex","session":"s","cwd":"/","tool":"Bash","summary":"rm -rf /","rule":"fs.delete-root-or-home","reason":"r","intent":null,"key_name":null,"software_key":false,"user":"u","latency_ms":null,"proof":null,"prev_hash":"","hash":""}"#;
        let r: Record = serde_json::from_str(old).unwrap();
        assert_eq!((r.kind, r.decision, r.decided_by), (RecordKind::PolicyDenial, Outcome::Deny, DecidedBy::Policy));
        let bad = old.replace("policy_denial", "approval_by_magic");
        assert!(serde_json::from_str::<Record>(&bad).unwrap_err().to_string().contains("approval_by_magic"));
    }

    #[test]
    fn every_kind_has_its_decision() {
        for k in RecordKind::ALL {
            let expected = if matches!(k, RecordKind::Approval | RecordKind::Grant | RecordKind::GrantUse | RecordKind::Enrolment) { Outcome::Allow } else { Outcome::Deny };
            assert_eq!(k.outcome(), expected, "{k}");
        }
    }
}

/// One line of `ana history export` (and one element of `ana history --json`): the record's
/// fields between its id and its chain fields, as ana has always written them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportLine {
    pub id: i64,
    #[serde(flatten)]
    pub record: Record,
    pub prev_hash: String,
    pub hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Written only when it is not 1, so that every line of a history of v1 records reads as
    /// before.
    #[serde(default, skip_serializing_if = "HashVersion::is_v1")]
    pub hash_version: HashVersion,
}

/// Which records `history::History::list` selects (and `ana history` asks the approval agent
/// for, in system mode).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub since_ms: Option<u64>,
    pub until_ms: Option<u64>,
    pub agent: Option<String>,
    pub session: Option<String>,
    pub decision: Option<Outcome>,
    pub rule: Option<String>,
    pub grep: Option<String>,
    pub limit: Option<usize>,
    /// Only the records of this account (the approval agent sets it for every user but root).
    #[serde(default)]
    pub user: Option<String>,
    /// Only records older than this id (paging, newest first).
    #[serde(default)]
    pub before_id: Option<i64>,
}
