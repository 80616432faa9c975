//! The full approval loop as processes: hook → agent → software key (CTAP2) → verified by the
//! agent and again by the hook → allow; and every way it must end in a deny.

mod util;

use std::time::{Duration, Instant};

use util::{Home, answer, bash};

#[test]
fn approved_on_the_key_the_call_is_allowed() {
    let mut home = Home::new();
    home.start();
    let hook = home.hook("claude-code", &bash("s1", "git push --force origin main"), 30);
    let pending = home.wait_pending(1);
    assert_eq!(pending[0].evaluation.context.rule.as_deref(), Some("git.force-push"));
    assert!(pending[0].software, "the software key is named");
    let out = home.ana(&["approve", "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (decision, reason, code) = answer(hook);
    assert_eq!((decision.as_str(), code), ("allow", 0), "{reason}");
    assert!(reason.contains("SOFTWARE"), "{reason}");
}

/// What you see is what runs: the signed reason names the profile, and the command the agent
/// gets back is the signed one under that profile (a force push may read `~/.ssh`), nothing else.
#[test]
fn an_approved_command_runs_confined_under_its_rules_profile() {
    assert!(ana::confine::landlock::kernel_support().is_available(), "this test needs Landlock");
    let mut home = Home::new();
    home.start();
    let command = "git push --force origin main";
    let hook = home.hook("claude-code", &bash("s1", command), 30);
    let pending = home.wait_pending(1);
    let signed = &pending[0].evaluation.context.intent;
    let reason = signed["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("Once approved it runs confined, profile `git-remote`"), "the signed reason says how it runs: {reason}");
    assert_eq!(signed["command"], command);
    let out = home.ana(&["approve", "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = hook.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let h = &v["hookSpecificOutput"];
    assert_eq!(h["permissionDecision"], "allow", "{v}");
    let line = h["updatedInput"]["command"].as_str().unwrap_or_else(|| panic!("no rewritten command: {v}"));
    let parsed = ana::confine::rewrite::parse_line(line).unwrap_or_else(|| panic!("not a line ana writes: {line}"));
    assert_eq!((parsed.profile.as_str(), parsed.command.as_str()), ("git-remote", command), "{line}");
}

/// An approved command whose rule names no profile (its approved effect lies outside every
/// profile) runs as approved, and its signed reason says nothing about confinement.
#[test]
fn an_approved_command_without_a_profile_runs_as_approved() {
    let mut home = Home::new();
    home.start();
    let hook = home.hook("claude-code", &bash("s1", "kubectl delete namespace staging"), 30);
    let pending = home.wait_pending(1);
    assert!(!pending[0].evaluation.context.intent["reason"].as_str().unwrap_or_default().contains("runs confined"));
    let out = home.ana(&["approve", "--yes"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = hook.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "allow", "{v}");
    assert!(v["hookSpecificOutput"].get("updatedInput").is_none(), "{v}");
}

#[test]
fn denied_by_the_user_the_call_is_denied_with_the_reason() {
    let mut home = Home::new();
    home.start();
    let hook = home.hook("claude-code", &bash("s1", "terraform destroy"), 30);
    home.wait_pending(1);
    let out = home.ana(&["deny", "--reason", "not today"]);
    assert!(out.status.success());
    let (decision, reason, code) = answer(hook);
    assert_eq!((decision.as_str(), code), ("deny", 2));
    assert!(reason.contains("the user denied this: not today"), "{reason}");
}

#[test]
fn nothing_pending_makes_approve_and_deny_fail() {
    let mut home = Home::new();
    home.start();
    assert_eq!(home.ana(&["approve", "--yes"]).status.code(), Some(1));
    assert_eq!(home.ana(&["deny"]).status.code(), Some(1));
}

#[test]
fn a_late_approval_is_a_one_time_grant() {
    let mut home = Home::new();
    home.start();
    let payload = bash("s1", "kubectl delete namespace staging");
    let (decision, reason, _) = answer(home.hook("claude-code", &payload, 2));
    assert_eq!(decision, "deny");
    assert!(reason.contains("approval pending"), "{reason}");
    // The hook has answered; the agent marks the request detached as soon as it reads the
    // hook's goodbye.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let pending = loop {
        let pending = home.wait_pending(1);
        if pending[0].state == ana::protocol::PendingState::Detached || std::time::Instant::now() > deadline {
            break pending;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(pending[0].state, ana::protocol::PendingState::Detached);
    assert!(home.decide(pending[0].id, true).0);
    // The retry passes without a second touch, once.
    let (decision, reason, _) = answer(home.hook("claude-code", &payload, 2));
    assert_eq!(decision, "allow", "{reason}");
    assert!(reason.contains("one-time grant"), "{reason}");
    let (decision, _, _) = answer(home.hook("claude-code", &payload, 2));
    assert_eq!(decision, "deny");
    // A grant is bound to its exact action and session.
    let other_session = bash("s2", "kubectl delete namespace staging");
    let h = home.hook("claude-code", &other_session, 2);
    let (decision, _, _) = answer(h);
    assert_eq!(decision, "deny");
}

#[test]
fn a_hook_that_disconnects_cancels_its_request() {
    let mut home = Home::new();
    home.start();
    let mut hook = home.hook("claude-code", &bash("s1", "git push -f"), 30);
    home.wait_pending(1);
    hook.kill().unwrap();
    hook.wait().unwrap();
    let mut c = home.client(ana::protocol::Role::Prompt);
    c.send(&ana::protocol::Request::Subscribe).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let ana::protocol::Response::Queue { pending } = c.recv(deadline).unwrap()
            && pending.is_empty()
        {
            break;
        }
    }
}

#[test]
fn without_the_agent_a_sensitive_call_is_denied_at_once() {
    let home = Home::new();
    let out = home.agent(&["enroll", "--authenticator", "soft"]);
    assert!(out.status.success());
    let start = Instant::now();
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s1", "git push -f"), 30));
    assert_eq!(decision, "deny");
    assert!(reason.contains("not running") && reason.contains("ana agent --daemonize"), "{reason}");
    assert!(start.elapsed() < Duration::from_secs(20), "denied without waiting for the deadline");
}

#[test]
fn without_an_enrolled_key_a_sensitive_call_is_denied() {
    let mut home = Home::new();
    home.start_agent_only();
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s1", "git push -f"), 30));
    assert_eq!(decision, "deny");
    assert!(reason.contains("ana enroll"), "{reason}");
}

#[test]
fn the_agent_killed_mid_request_ends_in_a_deny() {
    let mut home = Home::new();
    home.start();
    let hook = home.hook("claude-code", &bash("s1", "git push -f"), 30);
    home.wait_pending(1);
    let pid = home.agent_pid();
    // SAFETY: kills the agent process this test started.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "deny", "{reason}");
}

#[test]
fn fifty_concurrent_hooks_are_each_answered_once() {
    let mut home = Home::new();
    home.start();
    let hooks: Vec<_> = (0..50).map(|i| home.hook("claude-code", &bash(&format!("session-{}", i % 7), &format!("git push --force origin branch-{i}")), 60)).collect();
    let pending = home.wait_pending(50);
    let mut expected = std::collections::HashMap::new();
    for p in &pending {
        let approve = p.id % 2 == 0;
        let (ok, msg) = home.decide(p.id, approve);
        assert!(ok, "{msg}");
        expected.insert(p.evaluation.context.summary.clone(), approve);
    }
    for (i, h) in hooks.into_iter().enumerate() {
        let (decision, reason, _) = answer(h);
        let approve = expected[&format!("git push --force origin branch-{i}")];
        assert_eq!(decision, if approve { "allow" } else { "deny" }, "hook {i}: {reason}");
    }
}

#[test]
fn removing_a_key_needs_another_key() {
    let mut home = Home::new();
    home.start();
    // A second credential (a backup key) on the same software token.
    let out = home.agent(&["enroll", "--authenticator", "soft", "--name", "backup key"]);
    assert!(out.status.success());
    // The agent loaded its keys at start: restart it so it knows both.
    let mut c = home.client(ana::protocol::Role::Cli);
    c.send(&ana::protocol::Request::Stop).unwrap();
    let _ = c.recv(Instant::now() + Duration::from_secs(2));
    util::wait_gone(&home.paths.socket());
    home.start_agent_only();

    let mut remover = std::process::Command::new(util::ana_bin());
    remover.args(["keys", "remove", "test key"]);
    home.env(&mut remover);
    let child = remover.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let pending = home.wait_pending(1);
    assert_eq!(pending[0].evaluation.context.rule.as_deref(), Some("ana.keys-remove"));
    let (ok, message) = home.decide(pending[0].id, true);
    assert!(ok, "{message}");
    assert!(message.contains("backup key"), "signed by the other key: {message}");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let keys = ana::keys::load_user(&home.paths).unwrap();
    assert_eq!(keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["backup key"]);
    // The last key goes without an approval (nothing else could give one).
    assert!(home.ana(&["keys", "remove", "backup key"]).status.success());
    assert!(ana::keys::load_user(&home.paths).unwrap().is_empty());
}

#[test]
fn the_plain_prompt_approves_and_denies_from_its_input() {
    use std::io::{BufRead, BufReader, Write};
    let mut home = Home::new();
    home.start();
    let mut prompt = std::process::Command::new(util::ana_bin());
    prompt.args(["approve", "--plain"]);
    home.env(&mut prompt);
    let mut prompt = prompt.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let mut input = prompt.stdin.take().unwrap();
    let mut lines = BufReader::new(prompt.stdout.take().unwrap()).lines();
    let mut wait_for = |text: &str| {
        for line in lines.by_ref() {
            let line = line.unwrap();
            if line.contains(text) {
                return line;
            }
        }
        panic!("the plain prompt never printed {text:?}");
    };
    wait_for("y approves the request shown");
    let hook = home.hook("claude-code", &bash("s1", "git push --force origin main"), 60);
    let shown = wait_for("git push --force origin main");
    assert!(shown.contains("git push --force origin main"));
    wait_for("SOFTWARE");
    writeln!(input, "y").unwrap();
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "allow", "{reason}");
    wait_for("approved with test key");

    let hook = home.hook("claude-code", &bash("s1", "terraform destroy"), 60);
    wait_for("terraform destroy");
    writeln!(input, "n keep the prod state").unwrap();
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "deny");
    assert!(reason.contains("keep the prod state"), "{reason}");
    writeln!(input, "q").unwrap();
    assert!(prompt.wait().unwrap().success());
}

#[test]
fn doctor_sees_the_agent_and_whether_a_key_is_there() {
    let mut home = Home::new();
    home.start();
    let out = home.ana(&["doctor"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ok    approver running"), "{text}");
    assert!(text.contains("ok    a security key is present"), "{text}");
    assert!(text.contains("ok    1 key(s) enrolled"), "{text}");
    // An enrolled software key is a problem, not an "ok": anyone who reads its file approves.
    assert!(text.contains("FAIL  1 SOFTWARE key(s) enrolled"), "{text}");
    assert!(text.contains("user mode: ana protects against an agent's mistakes"), "{text}");
    // The software key is flagged: a real installation must not rely on it.
    assert!(text.contains("FAIL  the approver uses the SOFTWARE key"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}
