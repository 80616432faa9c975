//! Decisions in each agent's own format.
//!
//! What each agent does with each answer was observed by running the real CLIs (see the README's
//! agent table): "no opinion" must be *no output* (an `allow` would skip the agent's own
//! permission prompt), a deny must block even if one channel is lost, and an `ask` that an agent
//! would treat as "run it" is sent as a deny.

use serde_json::json;

use crate::action::Agent;

/// What the hook tells the agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// No opinion: the agent's own permission flow continues.
    NoOpinion,
    /// Allowed after a verified approval: the agent runs the tool without its own prompt.
    Allow(String),
    /// Blocked, with a reason the model can read and act on.
    Deny(String),
    /// Deferred to the agent's own prompt, where the agent has one that does not fail open.
    Ask(String),
}

/// The exact bytes for stdout and stderr and the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Renders `answer` for `agent`.
///
/// - Claude Code and Codex: `hookSpecificOutput` with `permissionDecision`. A deny also exits 2
///   with the reason on stderr, which both agents treat as a block even if they ignore stdout.
/// - Copilot CLI: one line `{"permissionDecision":…}` and exit 0 (on exit 2 it hides stderr from
///   the model, so the JSON carries the reason).
/// - Gemini CLI: `{"decision":…,"reason":…}`; a deny also exits 2 with the reason on stderr.
/// - `ask`: Codex runs the tool on `ask` and Gemini CLI has no such answer, so both get a deny
///   that says the user must confirm.
pub fn render(agent: Agent, answer: &Answer) -> Rendered {
    let (decision, reason) = match answer {
        Answer::NoOpinion => return Rendered { stdout: String::new(), stderr: String::new(), code: 0 },
        Answer::Allow(r) => ("allow", r.as_str()),
        Answer::Deny(r) => ("deny", r.as_str()),
        Answer::Ask(r) => ("ask", r.as_str()),
    };
    let (decision, reason) = match (agent, decision) {
        (Agent::Codex | Agent::GeminiCli, "ask") => ("deny", format!("{reason} — {} cannot ask the user from a hook, so ana denied it; ask the user to run it themselves", agent.name())),
        _ => (decision, reason.to_owned()),
    };
    let value = match agent {
        Agent::ClaudeCode | Agent::Codex => json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": decision,
            "permissionDecisionReason": reason,
        }}),
        Agent::CopilotCli => json!({"permissionDecision": decision, "permissionDecisionReason": reason}),
        Agent::GeminiCli => json!({"decision": decision, "reason": reason}),
    };
    let mut stdout = value.to_string();
    stdout.push('\n');
    let deny = decision == "deny";
    let code = if deny && agent != Agent::CopilotCli { 2 } else { 0 };
    let stderr = if deny { format!("ana: {reason}\n") } else { String::new() };
    Rendered { stdout, stderr, code }
}
