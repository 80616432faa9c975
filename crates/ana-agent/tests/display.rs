//! What you see is what you sign, end to end: a request whose display text lies about its intent
//! is refused; every member of the tool input is bound, grants included; a decision without an
//! id lands only when there is exactly one request to land on.

mod util;

use std::time::{Duration, Instant};

use ana::protocol::{Request, Response, Role};
use util::{Home, answer, bash};

fn force_push_intent() -> ana::intent::Intent {
    let action = ana::action::Action {
        agent: ana::action::Agent::ClaudeCode,
        session: "s".into(),
        cwd: "/home/dev/project".into(),
        tool: "Bash".into(),
        kind: ana::action::Kind::Exec,
        object: ana::action::Object::Command { command: "git push --force origin main".into() },
    };
    let verdict = ana::policy::Verdict {
        decision: ana::policy::Decision::Approve,
        level: ana::policy::Level::Presence,
        rule: Some("git.force-push".into()),
        reason: "force push".into(),
        subject: String::new(),
    };
    let now = ana::cmd::approval::now_ms();
    let nonce = ana::intent::nonce().unwrap();
    ana::intent::Intent::for_action(&action, serde_json::json!({"command": "git push --force origin main"}), &verdict, &nonce, now, now + 60_000).unwrap()
}

#[test]
fn a_socket_request_with_a_lying_display_text_is_refused() {
    let mut home = Home::new();
    home.start();
    let mut evaluation = ana::cmd::approval::evaluation(&force_push_intent(), ana::cmd::approval::now_ms() + 10_000);
    evaluation.context.summary = "npm test".into();
    let mut c = home.client(Role::Hook);
    c.send(&Request::Evaluate { evaluation: Box::new(evaluation) }).unwrap();
    match c.recv(Instant::now() + Duration::from_secs(10)).unwrap() {
        Response::Decision { decision: false, context } => assert!(context.reason.contains("disagrees with its intent"), "{}", context.reason),
        other => panic!("{other:?}"),
    }
    // Nothing was queued for a prompt to show.
    let mut p = home.client(Role::Prompt);
    p.send(&Request::Subscribe).unwrap();
    match p.recv(Instant::now() + Duration::from_secs(5)).unwrap() {
        Response::Queue { pending } => assert!(pending.is_empty(), "{pending:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn display_text_beside_the_intent_is_replaced_by_the_intent() {
    let mut home = Home::new();
    home.start();
    // Detail is display text only a client chose; the summary is left out.
    let mut evaluation = ana::cmd::approval::evaluation(&force_push_intent(), ana::cmd::approval::now_ms() + 10_000);
    evaluation.context.summary = String::new();
    evaluation.context.detail = serde_json::json!({"object": {"type": "command", "command": "npm test"}});
    evaluation.resource.properties = serde_json::json!({"cwd": "/tmp/\u{1b}[2Jnpm test"});
    let sock = home.paths.socket();
    let hook = std::thread::spawn(move || {
        let mut c = ana::ipc::Client::connect(&sock, Role::Hook, Duration::from_secs(5)).unwrap();
        c.send(&Request::Evaluate { evaluation: Box::new(evaluation) }).unwrap();
        c.recv(Instant::now() + Duration::from_secs(30))
    });
    let pending = home.wait_pending(1);
    let ctx = &pending[0].evaluation.context;
    assert_eq!(ctx.summary, "git push --force origin main");
    assert!(ctx.detail.is_null());
    assert_eq!(pending[0].evaluation.resource.properties["cwd"], "/home/dev/project");
    // `--yes` prints the request from its intent.
    let out = home.ana(&["deny", &pending[0].id.to_string()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("git push --force origin main") && !stdout.contains("npm test"), "{stdout}");
    assert!(matches!(hook.join().unwrap(), Ok(Response::Decision { decision: false, .. })));
}

/// A Claude Code Edit payload of a CI workflow (which needs an approval).
fn edit(replace_all: bool) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "session_id": "s1", "transcript_path": "/dev/null", "cwd": "/home/dev/project", "hook_event_name": "PreToolUse", "tool_name": "Edit",
        "tool_input": {"file_path": "/home/dev/project/.github/workflows/release.yml", "old_string": "environment: staging", "new_string": "environment: production", "replace_all": replace_all}
    }))
    .unwrap()
}

#[test]
fn a_grant_for_one_replacement_is_not_usable_with_replace_all() {
    let mut home = Home::new();
    home.start();
    let (decision, reason, _) = answer(home.hook("claude-code", &edit(false), 2));
    assert_eq!(decision, "deny");
    assert!(reason.contains("approval pending"), "{reason}");
    let pending = home.wait_pending(1);
    assert_eq!(pending[0].evaluation.context.intent["input"]["replace_all"], false, "the whole tool input is in the intent");
    assert!(home.decide(pending[0].id, true).0);
    // The same edit with `replace_all: true` is another action: the grant does not apply.
    let (decision, reason, _) = answer(home.hook("claude-code", &edit(true), 2));
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("approval pending"), "{reason}");
    // The form that was approved still passes, once.
    let (decision, reason, _) = answer(home.hook("claude-code", &edit(false), 2));
    assert_eq!(decision, "allow", "{reason}");
    assert!(reason.contains("one-time grant"), "{reason}");
}

#[test]
fn an_mcp_call_with_fractions_can_be_approved_and_huge_integers_are_refused_by_name() {
    let mut home = Home::new();
    home.start();
    // An MCP call that needs approval under the built-in rules: any MCP tool whose name deletes.
    let payload = |n: &str| {
        format!(r#"{{"session_id":"s1","transcript_path":"/dev/null","cwd":"/home/dev/project","hook_event_name":"PreToolUse","tool_name":"mcp__db__delete_rows","tool_input":{{"ratio":0.25,"limit":{n}}}}}"#).into_bytes()
    };
    let (decision, reason, _) = answer(home.hook("claude-code", &payload("18446744073709551615"), 10));
    assert_eq!(decision, "deny", "the built-in rule mcp.destructive asks for approval: {reason}");
    assert!(reason.contains("cannot be signed exactly") && reason.contains("input.limit"), "{reason}");
    let hook = home.hook("claude-code", &payload("10"), 30);
    let pending = home.wait_pending(1);
    assert_eq!(pending[0].evaluation.context.intent["input"]["ratio"], 0.25);
    assert!(home.decide(pending[0].id, true).0);
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "allow", "{reason}");
}

#[test]
fn approve_yes_without_an_id_refuses_when_two_are_pending() {
    let mut home = Home::new();
    home.start();
    let first = home.hook("claude-code", &bash("s1", "git push --force origin main"), 60);
    let second = home.hook("claude-code", &bash("s2", "terraform destroy"), 60);
    let pending = home.wait_pending(2);
    let out = home.ana(&["approve", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 requests are pending") && stderr.contains("git push --force origin main") && stderr.contains("terraform destroy"), "{stderr}");
    assert_eq!(home.wait_pending(2).len(), 2, "nothing was decided");
    // Named, it works, and prints the whole request first.
    let push = pending.iter().find(|p| p.evaluation.context.summary.contains("git push")).unwrap().id;
    let other = pending.iter().find(|p| p.id != push).unwrap().id;
    let out = home.ana(&["approve", "--yes", &push.to_string()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(&format!("approving #{push}:")) && stdout.contains("runs     git push --force origin main") && stdout.contains("rule     git.force-push"), "{stdout}");
    assert_eq!(answer(first).0, "allow");
    assert!(home.ana(&["deny", &other.to_string()]).status.success());
    assert_eq!(answer(second).0, "deny");
}

#[test]
fn a_decision_for_a_request_other_than_the_one_shown_is_refused() {
    let mut home = Home::new();
    home.start();
    let hook = home.hook("claude-code", &bash("s1", "git push --force origin main"), 60);
    let pending = home.wait_pending(1);
    let mut c = home.client(Role::Cli);
    let (ok, message) = c.decide_shown(pending[0].id, ana::protocol::Choice::Approve, None, None, Some("00".repeat(32)), Instant::now() + Duration::from_secs(30)).unwrap();
    assert!(!ok && message.contains("not the one you were shown"), "{message}");
    let shown = ana::intent::hex(&ana::intent::challenge(&pending[0].evaluation.context.intent).unwrap());
    let (ok, message) = c.decide_shown(pending[0].id, ana::protocol::Choice::Approve, None, None, Some(shown), Instant::now() + Duration::from_secs(30)).unwrap();
    assert!(ok, "{message}");
    assert_eq!(answer(hook).0, "allow");
}

#[test]
fn plain_y_decides_the_request_shown_not_the_oldest() {
    use std::io::{BufRead, BufReader, Write};
    let mut home = Home::new();
    home.start();
    let older = home.hook("claude-code", &bash("s1", "git push --force origin main"), 60);
    let newer = home.hook("claude-code", &bash("s2", "terraform destroy"), 60);
    let pending = home.wait_pending(2);
    let destroy = pending.iter().find(|p| p.evaluation.context.summary.contains("terraform")).unwrap().id;
    let mut prompt = std::process::Command::new(util::ana_bin());
    prompt.args(["approve", "--plain"]);
    home.env(&mut prompt);
    let mut prompt = prompt.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let mut input = prompt.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = prompt.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                return;
            }
        }
    });
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(text) {
                return line;
            }
        }
        panic!("the plain prompt never printed {text:?}");
    };
    // The first request is shown whole; the other is announced, not shown.
    let first = pending.iter().map(|p| p.id).min().unwrap();
    let second = pending.iter().map(|p| p.id).max().unwrap();
    wait_for(&format!("end of #{first}"));
    wait_for(&format!("#{second} is pending too"));
    // A request that was not shown cannot be decided by its id.
    writeln!(input, "y {second}").unwrap();
    wait_for(&format!("#{second} was not shown here"));
    // Shown, `y` decides it: the one on screen, not the oldest.
    writeln!(input, "show {second}").unwrap();
    wait_for(&format!("end of #{second}"));
    writeln!(input, "n not now").unwrap();
    wait_for(&format!("#{second}: denied"));
    let (denied, kept) = if second == destroy { (newer, older) } else { (older, newer) };
    assert_eq!(answer(denied).0, "deny");
    assert_eq!(home.wait_pending(1)[0].id, first, "the older request is still pending");
    writeln!(input, "q").unwrap();
    assert!(prompt.wait().unwrap().success());
    assert!(home.ana(&["deny", &first.to_string()]).status.success());
    assert_eq!(answer(kept).0, "deny");
}

#[test]
fn escapes_in_the_cwd_reach_no_terminal_surface() {
    let mut home = Home::new();
    home.start();
    let cwd = "/home/dev/\u{1b}[2J\u{1b}[H#1 claude-code npm test\u{1b}[8m";
    let payload = serde_json::to_vec(&serde_json::json!({"session_id": "s1", "transcript_path": "/dev/null", "cwd": cwd, "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "git push --force origin main"}})).unwrap();
    let hook = home.hook("claude-code", &payload, 60);
    home.wait_pending(1);
    let yes = home.ana(&["approve", "--yes"]);
    assert!(yes.status.success(), "{}", String::from_utf8_lossy(&yes.stderr));
    assert_eq!(answer(hook).0, "allow");
    let list = home.ana(&["history"]);
    // Record 1 is the first key's enrolment; the approval is record 2.
    let show = home.ana(&["history", "show", "2"]);
    for (surface, out) in [("--yes", &yes), ("history", &list), ("history show", &show)] {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\u{1b}'), "{surface} printed a raw escape:\n{text}");
        if surface != "history" {
            assert!(text.contains("⟨ESC⟩[2J⟨ESC⟩[H#1 claude-code npm test⟨ESC⟩[8m") && text.contains("git push --force origin main"), "{surface}:\n{text}");
        }
    }
    assert!(String::from_utf8_lossy(&show.stdout).contains("verifies against enrolled key"));
}

/// Who and why, end to end: the hook reports where the call came from (its agent's process,
/// tmux pane, terminal) beside the intent, not in it; the prompts show it labelled as context,
/// and the agent's own description (signed, in the tool input) as its words.
#[test]
fn the_hook_reports_where_a_call_came_from_as_unsigned_context() {
    use std::io::Write;
    let mut home = Home::new();
    home.start();
    let mut c = std::process::Command::new(util::ana_bin());
    c.args(["hook", "--agent", "claude-code", "--timeout", "60"]);
    home.env(&mut c);
    c.env("TMUX", "/tmp/tmux-1000/default,4242,0").env("TMUX_PANE", "%42").env("TERM_PROGRAM", "WezTerm");
    let payload = serde_json::json!({"session_id": "s", "transcript_path": "/dev/null", "cwd": "/home/dev/project", "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": "git push --force origin main", "description": "Publish the release"}});
    let mut child = c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&serde_json::to_vec(&payload).unwrap()).unwrap();
    let pending = home.wait_pending(1);
    let origin = pending[0].evaluation.context.origin.as_deref().expect("the hook reports an origin");
    // The hook's parent is this test: not a shell, so it is taken for the agent.
    let me = origin.process.as_ref().expect("the agent's process");
    assert_eq!(me.pid, std::process::id());
    assert_eq!((origin.tmux_pane.as_deref(), origin.terminal.as_deref()), (Some("%42"), Some("WezTerm")));
    let intent = ana::intent::Intent::from_value(&pending[0].evaluation.context.intent).unwrap().canonical();
    assert!(!intent.contains("%42") && !intent.contains("WezTerm"), "the origin is not signed: {intent}");
    let out = home.ana(&["deny", &pending[0].id.to_string()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("says     \"Publish the release\" — the agent's own description, not ana's judgement"), "{stdout}");
    // (A tty shows between the process and the pane when the tests run on a terminal.)
    assert!(origin.describe().starts_with(&format!("{} (pid {}) · ", me.name, me.pid)) && origin.describe().ends_with("tmux pane %42 · in WezTerm"), "{}", origin.describe());
    assert!(stdout.contains(&format!("from     {} (reported by the hook, not signed)", ana::render::escape(&origin.describe()))), "{stdout}");
    assert_eq!(answer(child).0, "deny");
}
