//! Every captured payload parses into the right Action, and each agent's answers render exactly.

use ana::action::{Agent, Kind, Object};
use ana::wire::{Answer, parse, render};
use rstest::rstest;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/payloads/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[rstest]
#[case::claude_bash(Agent::ClaudeCode, "claude-code.Bash.json", Kind::Exec, "terraform apply -auto-approve")]
#[case::claude_edit(Agent::ClaudeCode, "claude-code.Edit.json", Kind::Edit, "/home/dev/project/existing.txt")]
#[case::claude_read(Agent::ClaudeCode, "claude-code.Read.json", Kind::Read, "/home/dev/project/existing.txt")]
#[case::claude_write(Agent::ClaudeCode, "claude-code.Write.json", Kind::Write, "/home/dev/project/new.txt")]
#[case::claude_webfetch(Agent::ClaudeCode, "claude-code.WebFetch.json", Kind::Fetch, "https://example.com/")]
#[case::claude_websearch(Agent::ClaudeCode, "claude-code.WebSearch.json", Kind::Fetch, "search:terraform")]
#[case::claude_mcp(Agent::ClaudeCode, "claude-code.mcp.json", Kind::Mcp, "testsrv/echo")]
#[case::codex_bash(Agent::Codex, "codex.Bash.json", Kind::Exec, "touch /home/dev/project/ran-marker")]
#[case::copilot_camel(Agent::CopilotCli, "copilot-cli.preToolUse.json", Kind::Exec, "echo E2E-RAN > /home/dev/ran.txt")]
#[case::copilot_pascal(Agent::CopilotCli, "copilot-cli.PreToolUse.json", Kind::Exec, "echo E2E-RAN > /home/dev/ran.txt")]
#[case::gemini(Agent::GeminiCli, "gemini-cli.BeforeTool.json", Kind::Exec, "echo GEMINI-RAN > /home/dev/ran.txt")]
fn captured_payloads_parse(#[case] agent: Agent, #[case] file: &str, #[case] kind: Kind, #[case] object: &str) {
    let a = parse(agent, &fixture(file), "/home/dev", true).unwrap();
    assert_eq!(a.agent, agent);
    assert_eq!(a.kind, kind);
    assert_eq!(a.cwd, "/home/dev/project");
    assert!(!a.session.is_empty());
    let got = match &a.object {
        Object::Command { command } => command.clone(),
        Object::Files { paths, .. } => paths.join(" "),
        Object::Url { url } => url.clone(),
        Object::Mcp { server, tool, .. } => format!("{server}/{tool}"),
        Object::Raw { .. } => String::new(),
    };
    assert_eq!(got, object);
}

#[test]
fn relative_and_dotted_paths_are_normalized() {
    let p = br#"{"session_id":"s","cwd":"/home/dev/project/src","tool_name":"Write","tool_input":{"file_path":"../../.bashrc","content":"x"}}"#;
    let a = parse(Agent::ClaudeCode, p, "/home/dev", true).unwrap();
    assert_eq!(a.object, Object::Files { paths: vec!["/home/dev/.bashrc".into()], spelled: Vec::new(), content: Some("x".into()), old: None, pattern: None });
}

#[test]
fn codex_apply_patch_touches_every_file() {
    let p = serde_json::json!({"session_id":"s","cwd":"/home/dev/project","tool_name":"apply_patch","tool_input":{"input":"*** Begin Patch\n*** Update File: src/a.rs\n@@\n-a\n+b\n*** Add File: /home/dev/.bashrc\n+x\n*** End Patch"}});
    let a = parse(Agent::Codex, &serde_json::to_vec(&p).unwrap(), "/home/dev", true).unwrap();
    let Object::Files { paths, .. } = a.object else { panic!() };
    assert_eq!(paths, vec!["/home/dev/project/src/a.rs", "/home/dev/.bashrc"]);
}

#[rstest]
#[case::claude_none(Agent::ClaudeCode, Answer::NoOpinion, "", 0)]
#[case::claude_deny(Agent::ClaudeCode, Answer::Deny("r".into()), r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"r"}}"#, 2)]
#[case::claude_allow(Agent::ClaudeCode, Answer::Allow("r".into()), r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"r"}}"#, 0)]
#[case::claude_ask(Agent::ClaudeCode, Answer::Ask("r".into()), r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"r"}}"#, 0)]
#[case::codex_none(Agent::Codex, Answer::NoOpinion, "", 0)]
#[case::codex_deny(Agent::Codex, Answer::Deny("r".into()), r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"r"}}"#, 2)]
#[case::codex_allow(Agent::Codex, Answer::Allow("r".into()), r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"r"}}"#, 0)]
#[case::copilot_none(Agent::CopilotCli, Answer::NoOpinion, "", 0)]
#[case::copilot_deny(Agent::CopilotCli, Answer::Deny("r".into()), r#"{"permissionDecision":"deny","permissionDecisionReason":"r"}"#, 0)]
#[case::copilot_allow(Agent::CopilotCli, Answer::Allow("r".into()), r#"{"permissionDecision":"allow","permissionDecisionReason":"r"}"#, 0)]
#[case::copilot_ask(Agent::CopilotCli, Answer::Ask("r".into()), r#"{"permissionDecision":"ask","permissionDecisionReason":"r"}"#, 0)]
#[case::gemini_none(Agent::GeminiCli, Answer::NoOpinion, "", 0)]
#[case::gemini_deny(Agent::GeminiCli, Answer::Deny("r".into()), r#"{"decision":"deny","reason":"r"}"#, 2)]
#[case::gemini_allow(Agent::GeminiCli, Answer::Allow("r".into()), r#"{"decision":"allow","reason":"r"}"#, 0)]
fn answers_render(#[case] agent: Agent, #[case] answer: Answer, #[case] stdout: &str, #[case] code: i32) {
    let r = render(agent, &answer);
    assert_eq!(r.stdout.trim_end(), stdout);
    assert_eq!(r.code, code);
    if !stdout.is_empty() {
        assert!(r.stdout.ends_with('\n') && r.stdout.matches('\n').count() == 1, "exactly one line");
    }
}

#[rstest]
#[case::codex(Agent::Codex)]
#[case::gemini(Agent::GeminiCli)]
fn ask_is_a_deny_where_ask_would_run_the_tool(#[case] agent: Agent) {
    let r = render(agent, &Answer::Ask("confirm".into()));
    assert!(r.stdout.contains("\"deny\""), "{}", r.stdout);
    assert_eq!(r.code, 2);
}

/// The watchdog's constant answers are exactly what `render` would write.
#[test]
fn deadline_denies_match_render() {
    use ana::cmd::hook::{deadline_deny, deadline_reason, universal_deny};
    for agent in Agent::ALL {
        assert_eq!(deadline_deny(Some(agent)), render(agent, &Answer::Deny(deadline_reason().into())), "{}", agent.name());
    }
    assert_eq!(deadline_deny(None), universal_deny(deadline_reason()));
}

/// A tool argument nested past the JSON reader's limit cannot be read, so the call is refused
/// (read as nothing, a token inside it went out), however large the payload is.
#[test]
fn an_argument_nested_past_what_is_read_is_refused() {
    for pad in [0, 70_000] {
        let mut v = serde_json::json!("ghp_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5N");
        for _ in 0..130 {
            v = serde_json::json!([v]);
        }
        let p = serde_json::json!({"session_id": "s", "cwd": "/home/dev/project", "tool_name": "mcp__notes__create", "tool_input": {"pad": "a".repeat(pad), "body": v}});
        let e = parse(Agent::ClaudeCode, &serde_json::to_vec(&p).unwrap(), "/home/dev", false).unwrap_err();
        assert!(e.to_string().contains("tool_input.body"), "{e}");
    }
}
