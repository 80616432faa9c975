//! The hook never dies silently: text that would overflow a parser's stack is refused before it
//! is parsed, and a crash that happens anyway (stack overflow, segmentation fault, abort) still
//! answers deny in the agent's own format. Gemini CLI and Codex run the command when a hook dies.

mod util;

use ana::action::Agent;
use ana::cmd::hook::{crash_deny, crash_reason};
use ana::wire::{Answer, render};
use rstest::rstest;
use util::Env;

/// One Bash-like call in `agent`'s own payload shape.
fn payload(agent: &str, command: &str) -> Vec<u8> {
    let v = match agent {
        "codex" => {
            serde_json::json!({"session_id":"s","turn_id":"t","cwd":"/home/dev/project","hook_event_name":"PreToolUse","model":"m","tool_name":"Bash","tool_input":{"command":command},"tool_use_id":"c"})
        }
        "copilot-cli" => serde_json::json!({"sessionId":"s","timestamp":1,"cwd":"/home/dev/project","toolName":"bash","toolArgs":{"command":command}}),
        "gemini-cli" => serde_json::json!({"session_id":"s","cwd":"/home/dev/project","hook_event_name":"BeforeTool","tool_name":"run_shell_command","tool_input":{"command":command}}),
        _ => serde_json::json!({"session_id":"s","transcript_path":"/t","cwd":"/home/dev/project","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":command}}),
    };
    serde_json::to_vec(&v).unwrap()
}

/// The decision and reason as `agent` reads them, and the exit code.
fn decision(agent: &str, out: &util::Output) -> (String, String) {
    assert_ne!(out.code, 134, "{agent}: the hook aborted: {}", out.stderr);
    let v = out.json();
    let (d, r) = match agent {
        "claude-code" | "codex" => (&v["hookSpecificOutput"]["permissionDecision"], &v["hookSpecificOutput"]["permissionDecisionReason"]),
        "copilot-cli" => (&v["permissionDecision"], &v["permissionDecisionReason"]),
        _ => (&v["decision"], &v["reason"]),
    };
    let code = if agent == "copilot-cli" { 0 } else { 2 };
    assert_eq!(out.code, code, "{agent}: exit code; stderr: {}", out.stderr);
    (d.as_str().unwrap_or_default().to_owned(), r.as_str().unwrap_or_default().to_owned())
}

const AGENTS: [&str; 4] = ["claude-code", "copilot-cli", "gemini-cli", "codex"];

#[rstest]
#[case::braces({ let n = 1500; format!("{}rm -rf ~{}", "{ ".repeat(n), "; }".repeat(n)) })]
#[case::subshells({ let n = 1500; format!("{}rm -rf ~{}", "(".repeat(n), ")".repeat(n)) })]
#[case::substitutions({ let n = 1500; format!("echo {}x{} ; rm -rf ~", "$(echo ".repeat(n), ")".repeat(n)) })]
#[case::heredoc_substitutions({ let n = 3000; format!("cat <<EOF\n{}x{}\nEOF\nrm -rf ~", "$(echo ".repeat(n), ")".repeat(n)) })]
#[case::heredoc_parameters({ let n = 3000; format!("cat <<EOF\n{}x{}\nEOF\nrm -rf ~", "${x:-".repeat(n), "}".repeat(n)) })]
#[case::ifs({ let n = 1500; format!("{}rm -rf ~{}", "if true; then ".repeat(n), "; fi".repeat(n)) })]
#[case::nested_shells({ let mut s = "rm -rf ~".to_owned(); for _ in 0..12 { s = format!("sh -c {}", ana::policy::shell::quote(&s)); } s })]
fn deep_nesting_is_blocked_in_every_format(#[case] command: String) {
    let env = Env::new();
    for agent in AGENTS {
        let out = env.run(&["hook", "--agent", agent], &payload(agent, &command));
        let (d, reason) = decision(agent, &out);
        assert_eq!(d, "deny", "{agent}: {}", out.stdout);
        assert!(!reason.contains("crashed"), "{agent}: refused before parsing, not by the last resort: {reason}");
    }
}

#[rstest]
#[case::segmentation_fault("segv")]
#[case::abort("abort")]
#[case::stack_overflow("overflow")]
fn a_crash_answers_deny_in_every_format(#[case] how: &str) {
    if !cfg!(debug_assertions) {
        // The crash switch exists in debug builds only; say so rather than pass silently.
        panic!("run this test against a debug build (`cargo test`, not `--release`)");
    }
    let env = Env::new();
    for agent in AGENTS {
        let mut c = env.command(&["hook", "--agent", agent]);
        c.env("ANA_HOOK_TEST_CRASH", how);
        let out = util::run(c, &payload(agent, "ls"));
        let (d, reason) = decision(agent, &out);
        assert_eq!(d, "deny", "{agent} ({how}): {}", out.stdout);
        assert_eq!(reason, crash_reason(), "{agent} ({how})");
    }
}

#[test]
fn the_crash_answers_are_what_render_writes() {
    for agent in Agent::ALL {
        assert_eq!(crash_deny(Some(agent)), render(agent, &Answer::Deny(crash_reason().into())), "{}", agent.name());
    }
}
