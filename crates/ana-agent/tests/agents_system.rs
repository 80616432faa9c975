//! The four real agent CLIs under system mode, as an unprivileged user whose own settings try
//! to turn ana off: Claude Code's `disableAllHooks` with a hook of the user's own that allows
//! everything, Copilot CLI's `disableAllHooks` in its user settings and a user hook file, Gemini
//! CLI's `hooksConfig.enabled: false` with no hooks, Codex's `[features] hooks = false` (and its
//! older name `codex_hooks`); the project's settings say the same where the agent reads them. The
//! managed hook that `sudo ana install system` wrote runs all the same: a forbidden command is
//! denied and does not run, and the model hears why; a sensitive one runs only after the user's
//! `ana approve --yes` and root's `ana touch` (standing in for the finger on the key) — and with
//! `/etc/ana` no longer allowing a software key, the same approval does not count.
//!
//! Like `system_mode.rs` this installs for real (the managed paths are fixed) and uninstalls at
//! the end, also when a step fails; it needs root and says it was skipped without it. The CLIs
//! come from `npm ci --prefix tests/e2e`, installed on first use; the commands the mock model asks
//! for are fakes that only leave a marker.

#[path = "../../../tests/e2e/agents.rs"]
mod agents;
#[path = "../../../tests/e2e/mock.rs"]
mod mock;
mod system;
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use agents::{AGENTS, Agent};
use mock::{Mock, Reply, Seen};
use system::{AGENT, ANA, Cleanup, ensure_account, root, text};

/// The unprivileged user the agent CLIs run as.
const USER: &str = "ana-test-coder";
const HOOK_TIMEOUT: &str = "20";

fn home() -> PathBuf {
    PathBuf::from(format!("/home/{USER}"))
}

/// A command as the user, with the environment a user's session has.
fn user_command(program: &str) -> Command {
    let mut c = system::as_account(USER, program);
    let fakebin = home().join("fakebin");
    c.env("PATH", format!("{}:/usr/local/bin:/usr/bin:/bin", fakebin.display())).env("TMPDIR", home().join("tmp")).env("NO_COLOR", "1").env("TERM", "dumb").current_dir(home().join("project"));
    c
}

fn as_user(program: &str, args: &[&str]) -> Output {
    user_command(program).args(args).stdin(Stdio::null()).output().unwrap()
}

/// Writes `contents` to `path` below the user's home, owned by the user.
fn user_file(path: &str, contents: &str) {
    let p = home().join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, contents).unwrap();
    let o = root("chown", &["-R", &format!("{USER}:{USER}"), &home().display().to_string()]);
    assert!(o.status.success(), "{}", text(&o));
}

/// The agent CLIs, where the user can run them: the checkout's `tests/e2e/node_modules` (made by
/// `npm ci` on first use), or a copy in the user's home when the checkout is out of their reach.
fn clis() -> PathBuf {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    if !e2e.join("node_modules/.bin/codex").exists() {
        let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"]).arg(&e2e).status();
        assert!(status.is_ok_and(|s| s.success()), "`npm ci --prefix tests/e2e` failed: the real-agent tests cannot run (is npm installed?)");
    }
    let modules = e2e.join("node_modules").canonicalize().unwrap();
    if as_user("/usr/bin/test", &["-x", &modules.join(".bin/codex").display().to_string()]).status.success() {
        return modules;
    }
    let copy = home().join("agent-clis");
    let o = root("cp", &["-a", &modules.display().to_string(), &copy.display().to_string()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = root("chown", &["-R", &format!("{USER}:{USER}"), &copy.display().to_string()]);
    assert!(o.status.success(), "{}", text(&o));
    copy
}

/// The user's own settings (and the project's), trying to turn hooks — and so ana — off. Each
/// entry of the list is one way; the forbidden call is tried under each.
fn settings_that_turn_hooks_off(agent: Agent) -> Vec<&'static str> {
    let allow_all = r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}"#;
    match agent {
        Agent::Claude => {
            let mine = serde_json::json!({"disableAllHooks": true, "hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": format!("echo '{allow_all}'")}]}]}}).to_string();
            user_file(".claude/settings.json", &mine);
            user_file("project/.claude/settings.json", &mine);
            user_file("project/.claude/settings.local.json", r#"{"disableAllHooks": true}"#);
            vec!["disableAllHooks in the user's, the project's and the local settings"]
        }
        Agent::Copilot => {
            user_file(".copilot/settings.json", r#"{"disableAllHooks": true}"#);
            let mine = r#"{"version":1,"disableAllHooks":true,"hooks":{"preToolUse":[{"type":"command","bash":"echo '{\"permissionDecision\":\"allow\"}'","timeoutSec":5}]}}"#;
            user_file(".copilot/hooks/mine.json", mine);
            user_file("project/.github/hooks/mine.json", mine);
            vec!["disableAllHooks in the user's settings, the user's and the repository's hook files"]
        }
        Agent::Gemini => {
            let off = r#"{"security":{"auth":{"selectedType":"gemini-api-key"}},"general":{"disableAutoUpdate":true,"disableUpdateNag":true},"telemetry":{"enabled":false},"hooksConfig":{"enabled":false},"hooks":{}}"#;
            user_file(".gemini/settings.json", off);
            user_file("project/.gemini/settings.json", r#"{"hooksConfig":{"enabled":false},"hooks":{}}"#);
            vec!["hooksConfig.enabled false in the user's and the workspace's settings"]
        }
        Agent::Codex => vec!["[features] hooks = false", "[features] codex_hooks = false"],
    }
}

/// Codex's user configuration with `feature` (e.g. `hooks = false`) in its `[features]`.
fn codex_config(feature: &str) {
    user_file(
        ".codex/config.toml",
        &format!(
            "model = \"mock-model\"\nmodel_provider = \"mock\"\napproval_policy = \"never\"\nsandbox_mode = \"danger-full-access\"\ncheck_for_update_on_startup = false\n\n[model_providers.mock]\nname = \"mock\"\nbase_url = \"http://127.0.0.1:1/v1\"\nwire_api = \"responses\"\nenv_key = \"MOCK_API_KEY\"\n\n[analytics]\nenabled = false\n\n[features]\nplugins = false\n{feature}\n"
        ),
    );
}

/// A model that asks for `command` once, then finishes.
fn script(command: &str) -> Arc<mock::Script> {
    let command = command.to_owned();
    Arc::new(move |seen: &Seen, results: usize| {
        let has_tools = ["\"tools\"", "\"functionDeclarations\"", "\"function_declarations\""].iter().any(|k| seen.body.contains(k));
        match results {
            0 if has_tools => Reply::Tool(command.clone()),
            _ if !has_tools => Reply::Text("ok".into()),
            _ => Reply::Text("done".into()),
        }
    })
}

/// Runs the agent's CLI once, as the user, against `mock`; returns what it printed.
fn run(agent: Agent, clis: &Path, mock: &Mock) -> String {
    let base = format!("http://127.0.0.1:{}", mock.port);
    let mut c = user_command(&clis.join(".bin").join(agent.bin()).display().to_string());
    agent.offline_run(&mut c, &base, &home().join(".codex"), &home().join("project"));
    let mut child = c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn ran(prog: &str) -> String {
    std::fs::read_to_string(home().join("project/.markers").join(prog)).unwrap_or_default()
}

/// The human's approval: the user's `ana approve --yes ID` and root's touch. Returns both outputs.
fn approve_as_human() -> (Output, Output) {
    system::human_approves(|id| as_user(ANA, &["approve", "--yes", &id.to_string()]))
}

fn install(ana: &str, allow_software_key: bool) {
    let mut args = vec!["install", "system", "--user", USER, "--timeout", HOOK_TIMEOUT];
    if allow_software_key {
        args.push("--allow-software-key");
    }
    let o = root(ana, &args);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn managed_hooks_hold_in_the_real_agents_when_the_user_turns_hooks_off() {
    if !system::may_install("creates an account and installs system mode") {
        return;
    }
    let _cleanup = Cleanup { accounts: &[USER] };
    ensure_account(USER);
    for prog in ["terraform", "mkfs.ext4"] {
        user_file(&format!("fakebin/{prog}"), &format!("#!/bin/sh\nmkdir -p {0} && echo \"$*\" >> {0}/{prog}\n", home().join("project/.markers").display()));
        assert!(root("chmod", &["+x", &home().join("fakebin").join(prog).display().to_string()]).status.success());
    }
    user_file("tmp/.keep", "");
    user_file("project/README.md", "a project\n");
    let clis = clis();
    let ana = util::ana_bin();
    let ana = ana.to_str().unwrap();
    install(ana, true);
    let o = root(AGENT, &["enroll", "--authenticator", "soft", "--name", "test soft key"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = root(AGENT, &["--system", "--daemonize", "--authenticator", "soft", "--touch-timeout", "10"]);
    assert!(o.status.success(), "{}", text(&o));
    let fake = |prog: &str| home().join("fakebin").join(prog).display().to_string();

    for agent in AGENTS {
        let started = Instant::now();
        // Forbidden: denied although the user turned hooks off, not run, and the model hears why.
        for way in settings_that_turn_hooks_off(agent) {
            if let Agent::Codex = agent {
                codex_config(way.trim_start_matches("[features] "));
            }
            let m = Mock::start(agent.api(), script(&format!("{} /dev/sdz", fake("mkfs.ext4"))));
            let out = run(agent, &clis, &m);
            assert_eq!(ran("mkfs.ext4"), "", "{} ({way}): a forbidden command ran under system mode:\n{out}", agent.name());
            assert!(m.bodies().contains("disk.format"), "{} ({way}): the managed hook did not answer (the model never heard ana's reason):\n{out}\n{}", agent.name(), m.bodies());
        }

        // Sensitive: runs after the human's approval with the software key /etc/ana allows.
        let command = format!("{} apply -target=module.{}", fake("terraform"), agent.bin());
        let m = Mock::start(agent.api(), script(&command));
        let human = std::thread::spawn(approve_as_human);
        let out = run(agent, &clis, &m);
        let (approved, touched) = human.join().unwrap();
        assert!(approved.status.success() && touched.status.success(), "{}: approve {}\ntouch {}", agent.name(), text(&approved), text(&touched));
        assert!(ran("terraform").contains(&format!("module.{}", agent.bin())), "{}: the approved command did not run:\n{out}", agent.name());
        eprintln!("{}: managed hook held, approval ran, in {:.1} s", agent.name(), started.elapsed().as_secs_f64());
    }

    // /etc/ana no longer allows a software key: the same gesture does not count, for any agent.
    install(ana, false);
    for agent in AGENTS {
        let command = format!("{} destroy -target=module.{}", fake("terraform"), agent.bin());
        let m = Mock::start(agent.api(), script(&command));
        let human = std::thread::spawn(approve_as_human);
        let out = run(agent, &clis, &m);
        let _ = human.join().unwrap();
        assert!(!ran("terraform").contains(&format!("destroy -target=module.{}", agent.bin())), "{}: a software-key approval counted although /etc/ana does not allow it:\n{out}", agent.name());
        assert!(m.bodies().to_lowercase().contains("software key"), "{}: the model was not told why:\n{}", agent.name(), m.bodies());
    }
}
