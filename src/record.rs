//! What one history record says, apart from where it is kept: its closed sets (kind, decision,
//! who decided). Pure; no I/O.
//!
//! Layering (the module graph is a DAG; arrows point to what a module uses):
//! `record` → `{webauthn, intent}`; `protocol` → `record`; `ipc` → `protocol`;
//! `history` → `{record, protocol, ipc}`. Nothing below `history` reaches up into it.

use crate::closed_set::closed_set;

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
