//! System mode, black-box, as root: a real `ana install system` (with the software key allowed,
//! `sudo ana touch` standing in for the finger), an approval agent running as its own account,
//! and an unprivileged user standing in for the AI agent. Every step of the attack chain of
//! round 2 ends in a deny or a permission error, and the force push never becomes allowed —
//! while the user's own `ana approve --yes` plus root's `ana touch` allows it.
//!
//! The managed paths are fixed (/etc/ana, /run/ana, /var/lib/ana, /etc/claude-code, …), so this
//! installs for real and uninstalls (`--purge`) at the end, even when a step fails. Needs root;
//! without it the test says it was skipped. It leaves a machine that already has system mode
//! alone.

mod system;
mod util;

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Output, Stdio};

use ana::protocol::PendingState;
use system::{AGENT, ANA, Cleanup, ensure_account, root, text, wait_state};

/// The unprivileged user standing in for the AI agent.
const USER: &str = "ana-test-agent";
/// Another user of the machine, also allowed to reach the approval agent.
const OTHER: &str = "ana-test-other";

/// Runs `args` as the test user, with an environment the user controls (an AI agent sets what it
/// likes, `ANA_HOME` and `XDG_RUNTIME_DIR` included).
fn as_user(args: &[&str], stdin: Option<&[u8]>) -> Output {
    as_account(USER, args, stdin)
}

fn as_account(user: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = user_command(user, args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(b) = stdin {
        input.write_all(b).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// `args` as `user`, with `ANA_HOME` and `XDG_RUNTIME_DIR` pointing into the user's own files.
fn user_command(user: &str, args: &[&str]) -> std::process::Command {
    let mut c = system::as_account(user, args[0]);
    c.args(&args[1..]).env("ANA_HOME", format!("/home/{user}/evil")).env("XDG_RUNTIME_DIR", format!("/home/{user}/evil/run"));
    c
}

/// Starts a hook as the user (in the background) for `command`.
fn hook_as_user(command: &str, timeout: u32) -> std::process::Child {
    // The call comes from the user's own directory (one they can read, as a real session's is).
    let payload = serde_json::to_vec(&serde_json::json!({"session_id": "system-mode", "transcript_path": "/dev/null", "cwd": format!("/home/{USER}"), "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command}})).unwrap();
    let timeout = timeout.to_string();
    let mut child = user_command(USER, &[ANA, "hook", "--agent", "claude-code", "--timeout", &timeout]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&payload).unwrap();
    child
}

/// The user's own raw client (`nc -U` in Python): hello, then `frames`, printing every answer.
fn raw_client_as_user(frames: &[serde_json::Value], read_secs: u32) -> String {
    raw_client_as(USER, frames, read_secs)
}

fn raw_client_as(user: &str, frames: &[serde_json::Value], read_secs: u32) -> String {
    let mut script = String::from("import socket,sys,json,time\ns=socket.socket(socket.AF_UNIX)\ns.connect('/run/ana/agent.sock')\n");
    script.push_str(&format!("s.sendall(b'{{\"type\":\"hello\",\"version\":{},\"role\":\"cli\"}}\\n')\n", ana::protocol::PROTOCOL_VERSION));
    for f in frames {
        script.push_str(&format!("s.sendall({:?}.encode()+b'\\n')\n", f.to_string()));
    }
    script.push_str(&format!(
        "s.settimeout({read_secs})\nout=b''\ntry:\n  while True:\n    d=s.recv(65536)\n    if not d: break\n    out+=d\nexcept Exception:\n  pass\nsys.stdout.write(out.decode(errors='replace'))\n"
    ));
    let o = as_account(user, &["/usr/bin/python3", "-c", &script], None);
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

/// A force push as the user, approved by the human: the user's `ana approve --yes` and root's
/// touch. Returns the hook, answered.
fn human_approves_a_force_push() -> std::process::Child {
    let hook = hook_as_user("git push --force origin main", 40);
    let (approved, touched) = system::human_approves(|id| as_user(&[ANA, "approve", "--yes", &id.to_string()], None));
    assert!(touched.status.success(), "{}", text(&touched));
    assert!(approved.status.success(), "{}", text(&approved));
    hook
}

#[test]
fn system_mode_attack_chain_ends_in_deny_and_only_the_human_approves() {
    if !system::may_install("creates accounts and installs system mode") {
        return;
    }
    let _cleanup = Cleanup { accounts: &[USER, OTHER] };
    ensure_account(USER);
    let ana = util::ana_bin();
    let ana = ana.to_str().unwrap();

    // Install, twice: the second run changes nothing.
    let first = root(ana, &["install", "system", "--allow-software-key", "--user", USER]);
    assert!(first.status.success(), "{}", text(&first));
    let again = root(ana, &["install", "system", "--allow-software-key", "--user", USER]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(!String::from_utf8_lossy(&again.stdout).contains("  done "), "not idempotent:\n{}", text(&again));
    for u in [USER, OTHER] {
        ensure_account(u);
    }
    assert!(root("usermod", &["-aG", "ana-users", OTHER]).status.success());
    let managed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string("/etc/claude-code/managed-settings.json").unwrap()).unwrap();
    assert_eq!(managed["allowManagedHooksOnly"], true);
    assert!(Path::new("/etc/github-copilot/policy.d/ana.json").exists());
    let gemini: serde_json::Value = serde_json::from_str(&std::fs::read_to_string("/etc/gemini-cli/settings.json").unwrap()).unwrap();
    assert_eq!(gemini["hooksConfig"]["enabled"], true);
    assert!(std::fs::read_to_string("/etc/codex/requirements.toml").unwrap().contains("allow_managed_hooks_only = true"));
    if Path::new("/usr/bin/systemd-analyze").exists() {
        let v = root("systemd-analyze", &["verify", "--man=no", "/etc/systemd/system/ana-agent.service"]);
        assert!(v.status.success(), "systemd-analyze verify: {}", text(&v));
    }

    // Root enrolls the software key (allowed here, for the test) into /etc/ana, and starts the agent.
    let enrolled = root(AGENT, &["enroll", "--authenticator", "soft", "--name", "test soft key"]);
    assert!(enrolled.status.success(), "{}", text(&enrolled));
    let started = root(AGENT, &["--system", "--daemonize", "--authenticator", "soft", "--touch-timeout", "3"]);
    assert!(started.status.success(), "{}", text(&started));
    let pw = String::from_utf8_lossy(&root("getent", &["passwd", "ana"]).stdout).into_owned();
    let agent_uid: u32 = pw.split(':').nth(2).unwrap().parse().unwrap();
    let soft = std::fs::metadata("/var/lib/ana/softkey.cbor").unwrap();
    assert_eq!((soft.uid(), soft.mode() & 0o777), (agent_uid, 0o600), "the software key belongs to the agent's account, 0600");

    // 1. The user enrolls a software key of their own: refused, and a keys file of their own
    //    (where user mode would look) does not count.
    let o = as_user(&[AGENT, "enroll", "--authenticator", "soft", "--name", "backup"], None);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only root enrolls"), "{}", text(&o));
    let o = as_user(&["/bin/sh", "-c", "mkdir -p ~/evil/data ~/.local/share/ana && cp /etc/ana/keys.json ~/evil/data/keys.json && cp /etc/ana/keys.json ~/.local/share/ana/keys.json"], None);
    assert!(o.status.success(), "{}", text(&o));
    // 2. … replaces the enrolled keys, through a link or directly: permission denied.
    for cmd in ["ln -sf ~/evil/data/keys.json /etc/ana/keys.json", "cp ~/evil/data/keys.json /etc/ana/keys.json", "ln -s /etc/ana ~/evil/r && echo [] > ~/evil/r/keys.json"] {
        let o = as_user(&["/bin/sh", "-c", cmd], None);
        assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("ermission denied"), "{cmd}: {}", text(&o));
    }
    // 3. … stops or restarts the approval agent: refused.
    let o = as_user(&[AGENT, "stop"], None);
    assert!(!o.status.success(), "stop: {}", text(&o));
    for args in [&[AGENT, "--authenticator", "soft", "--daemonize"][..], &[AGENT, "--system", "--authenticator", "soft", "--daemonize"][..]] {
        let o = as_user(args, None);
        assert!(!o.status.success(), "{args:?}: {}", text(&o));
    }
    assert!(root(AGENT, &["status"]).status.success(), "the system agent still runs");
    // 4. … reads the software key or the history: permission denied.
    for f in ["/var/lib/ana/softkey.cbor", "/var/lib/ana/history.key", "/var/lib/ana/history.db"] {
        let o = as_user(&["/bin/cat", f], None);
        assert!(!o.status.success(), "{f} is readable by the user");
    }
    // 5a. … loosens the policy in a file of their own: in system mode it may only tighten.
    let o = as_user(
        &[
            "/bin/sh",
            "-c",
            "mkdir -p ~/.config/ana && printf '[[rule]]\\nid = \"mine\"\\nprogram = [\"git\"]\\ndecision = \"allow\"\\ndescription = \"mine\"\\n' > ~/.config/ana/policy.toml && cat ~/.config/ana/policy.toml",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let (decision, reason, _) = util::answer(hook_as_user("git push --force origin main", 12));
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("may only tighten"), "the user's rule must be read, and refused for loosening: {reason}");
    let o = as_user(&["/bin/sh", "-c", "rm ~/.config/ana/policy.toml"], None);
    assert!(o.status.success(), "{}", text(&o));
    // 5. The force push waits; the user's own decide over the socket (nc -U) gets no touch.
    let hook = hook_as_user("git push --force origin main", 12);
    let id = wait_state(PendingState::Waiting, None);
    // Another member of the clients' group sees none of it: not the command, not the ceremony.
    let other = raw_client_as(OTHER, &[serde_json::json!({"type": "subscribe"})], 2);
    assert!(other.contains("\"type\":\"queue\"") && !other.contains("git push") && !other.contains(&format!("\"id\":{id}")), "{other}");
    // While that decide holds the key for the force push, the human approving another request of
    // theirs is refused and told which request waits — their touch can never go to the force push.
    let other_hook = hook_as_user("kubectl delete namespace staging", 12);
    let theirs = wait_state(PendingState::Waiting, Some(id));
    let armed = std::thread::spawn(move || raw_client_as_user(&[serde_json::json!({"type": "decide", "id": id, "approve": true})], 8));
    assert_eq!(wait_state(PendingState::Touch, None), id);
    let o = as_user(&[ANA, "approve", "--yes", &theirs.to_string()], None);
    let said = text(&o);
    assert!(!o.status.success() && said.contains(&format!("the key is busy: request {id}")) && said.contains("git push --force origin main"), "{said}");
    let out = armed.join().unwrap();
    assert!(out.contains("\"ok\":false") && out.contains("not touched"), "{out}");
    let (decision, reason, _) = util::answer(hook);
    assert_eq!(decision, "deny", "{reason}");
    let (decision, reason, _) = util::answer(other_hook);
    assert_eq!(decision, "deny", "{reason}");
    // A record of a made-up approval over the socket is refused.
    let fake = serde_json::json!({"type": "record", "record": {"time_ms": 1, "kind": "approval", "decision": "allow", "decided_by": "user", "agent": "claude-code", "session": "s", "cwd": "/", "tool": "Bash", "summary": "git push --force origin main", "rule": null, "reason": "approved", "intent": null, "key_name": "test soft key", "software_key": true, "user": USER, "latency_ms": 1, "proof": null}});
    raw_client_as_user(&[fake], 1);
    // `ana history verify` as the user asks the agent, which holds the key.
    let o = as_user(&[ANA, "history", "verify"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("MACs"), "{}", text(&o));
    // The user's doctor reports system mode.
    let o = as_user(&[ANA, "doctor"], None);
    assert!(String::from_utf8_lossy(&o.stdout).contains("system mode"), "{}", text(&o));

    // 6. The human: `ana approve --yes` as the user, and root's touch. Now it is allowed.
    let (decision, reason, _) = util::answer(human_approves_a_force_push());
    assert_eq!(decision, "allow", "{reason}");
    assert!(reason.contains("SOFTWARE"), "the approval says it was a software key: {reason}");

    // The user reads their history through the agent (the database is not theirs to open); another
    // user sees none of it.
    let o = as_user(&[ANA, "history"], None);
    let listing = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success() && listing.contains("git push --force origin main") && listing.contains("approval"), "{}", text(&o));
    let o = as_user(&[ANA, "history", "export"], None);
    let lines: Vec<ana::history::ExportLine> = String::from_utf8_lossy(&o.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!lines.is_empty() && lines.iter().all(|l| l.record.user == USER), "{}", text(&o));
    let approval = lines.iter().rev().find(|l| l.record.kind == ana::record::RecordKind::Approval).expect("the approval is recorded");
    let o = as_user(&[ANA, "history", "show", &approval.id.to_string()], None);
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("verifies against enrolled key"), "{}", text(&o));
    let o = as_account(OTHER, &[ANA, "history"], None);
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("no records"), "{}", text(&o));
    let o = as_account(OTHER, &[ANA, "history", "show", &approval.id.to_string()], None);
    assert!(!o.status.success() && !String::from_utf8_lossy(&o.stdout).contains("git push"), "{}", text(&o));
    let o = root(ana, &["history", "export"]);
    assert!(String::from_utf8_lossy(&o.stdout).lines().count() >= lines.len(), "root reads every record: {}", text(&o));

    // Root removes the key: the running agent stops accepting it at once, no restart. Root
    // enrolls another: the running agent uses it from the next request.
    let o = root(ana, &["keys", "remove", "test soft key"]);
    assert!(o.status.success(), "{}", text(&o));
    let (decision, reason, _) = util::answer(hook_as_user("git push --force origin main", 12));
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.to_lowercase().contains("no security key is enrolled"), "{reason}");
    let o = root(AGENT, &["enroll", "--authenticator", "soft", "--name", "second soft key"]);
    assert!(o.status.success(), "{}", text(&o));
    let (decision, reason, _) = util::answer(human_approves_a_force_push());
    assert_eq!(decision, "allow", "{reason}");
    assert!(reason.contains("second soft key"), "{reason}");

    // Uninstall takes it all out; ana is back in user mode.
    let _ = root(AGENT, &["stop"]);
    let o = root(ana, &["uninstall", "system", "--purge"]);
    assert!(o.status.success(), "{}", text(&o));
    for p in ["/etc/ana", "/run/ana", "/etc/github-copilot/policy.d/ana.json", "/usr/local/lib/ana", "/etc/systemd/system/ana-agent.service"] {
        assert!(!Path::new(p).exists(), "{p} is left");
    }
    assert!(!ana::paths::system_mode_installed());
}
