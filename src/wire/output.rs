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
    /// Allowed with the tool's input replaced (the command put under `ana run`): the agent runs
    /// the new input without its own prompt.
    Rewrite { reason: String, input: serde_json::Value },
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
/// - A rewrite: `allow` plus each agent's input-rewriting field — Claude Code and Codex
///   `hookSpecificOutput.updatedInput`, Copilot CLI `modifiedArgs`, Gemini CLI
///   `hookSpecificOutput.tool_input`.
pub fn render(agent: Agent, answer: &Answer) -> Rendered {
    let (decision, reason) = match answer {
        Answer::NoOpinion => return Rendered { stdout: String::new(), stderr: String::new(), code: 0 },
        Answer::Rewrite { reason, input } => return render_rewrite(agent, reason, input),
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

fn render_rewrite(agent: Agent, reason: &str, input: &serde_json::Value) -> Rendered {
    let value = match agent {
        Agent::ClaudeCode | Agent::Codex => json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "allow",
            "permissionDecisionReason": reason,
            "updatedInput": input,
        }}),
        Agent::CopilotCli => json!({"permissionDecision": "allow", "permissionDecisionReason": reason, "modifiedArgs": input}),
        Agent::GeminiCli => json!({"decision": "allow", "reason": reason, "hookSpecificOutput": {"hookEventName": "BeforeTool", "tool_input": input}}),
    };
    Rendered { stdout: format!("{value}\n"), stderr: String::new(), code: 0 }
}

/// The tool input of a shell call in `payload`, with its command replaced by `command`; `None`
/// when the call has no command string to replace (an argv array, a malformed payload), which
/// the hook then treats as "cannot run confined".
pub fn with_command(payload: &[u8], command: &str) -> Option<serde_json::Value> {
    let top: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let raw = top.get("tool_input").or_else(|| top.get("toolArgs"))?;
    // Copilot CLI has sent `toolArgs` as a JSON string.
    let mut input = match raw {
        serde_json::Value::String(s) => serde_json::from_str::<serde_json::Value>(s).ok()?,
        v => v.clone(),
    };
    let obj = input.as_object_mut()?;
    let key = ["command", "cmd"].into_iter().find(|k| obj.get(*k).is_some_and(serde_json::Value::is_string))?;
    obj.insert(key.to_owned(), serde_json::Value::String(command.to_owned()));
    Some(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_in_each_agents_field() {
        let input = json!({"command": "ana run -c x", "description": "d"});
        let r = |a| serde_json::from_str::<serde_json::Value>(&render(a, &Answer::Rewrite { reason: "r".into(), input: input.clone() }).stdout).unwrap();
        for a in [Agent::ClaudeCode, Agent::Codex] {
            let v = r(a);
            assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "allow");
            assert_eq!(v["hookSpecificOutput"]["updatedInput"], input);
        }
        assert_eq!(r(Agent::CopilotCli)["modifiedArgs"], input);
        assert_eq!(r(Agent::CopilotCli)["permissionDecision"], "allow");
        assert_eq!(r(Agent::GeminiCli)["hookSpecificOutput"]["tool_input"], input);
        assert_eq!(r(Agent::GeminiCli)["decision"], "allow");
        assert_eq!(render(Agent::GeminiCli, &Answer::Rewrite { reason: "r".into(), input }).code, 0);
    }

    #[test]
    fn the_command_is_replaced_and_everything_else_kept() {
        let claude = br#"{"tool_input":{"command":"python3 -c 1","description":"d","timeout":5}}"#;
        assert_eq!(with_command(claude, "NEW"), Some(json!({"command": "NEW", "description": "d", "timeout": 5})));
        // Copilot CLI has sent `toolArgs` as a JSON string.
        let copilot = br#"{"toolArgs":"{\"command\":\"make\"}"}"#;
        assert_eq!(with_command(copilot, "NEW"), Some(json!({"command": "NEW"})));
        // Codex's argv array cannot be rewritten as a string.
        assert_eq!(with_command(br#"{"tool_input":{"command":["ls"]}}"#, "NEW"), None);
        assert_eq!(with_command(b"not json", "NEW"), None);
    }
}
