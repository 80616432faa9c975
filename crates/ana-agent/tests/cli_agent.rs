//! The approval agent's commands exactly as the README writes them, typed through `ana` (never
//! `ana-agent` directly): `ana enroll`, `ana agent --daemonize` and its other forms,
//! `ana agent status` (human and `--json`), `ana agent stop`, and the help text.

mod util;

use util::Home;

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn readme_daemonize_status_stop() {
    let h = Home::new();
    let out = h.ana(&["enroll", "--authenticator", "soft", "--name", "demo key"]);
    assert!(out.status.success(), "{}", text(&out));
    // As the README writes it: no --authenticator. Only a software key is enrolled, so the agent
    // must use it (and say so) rather than drive USB, where nothing could approve.
    let out = h.ana(&["agent", "--daemonize"]);
    assert!(out.status.success(), "ana agent --daemonize: {}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("approver started (pid "), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only software keys are enrolled"), "{}", text(&out));

    let out = h.ana(&["agent", "status"]);
    assert!(out.status.success(), "{}", text(&out));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.starts_with("approver running (pid "), "{s}");
    for field in ["socket", "authenticator  software key", "enrolled keys  1", "pending        0", "grants"] {
        assert!(s.contains(field), "status lacks {field:?}:\n{s}");
    }
    assert!(!s.contains("{\""), "status prints no raw protocol JSON:\n{s}");

    let out = h.ana(&["agent", "status", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["type"], "status");
    assert_eq!(v["keys"], 1);
    assert_eq!(v["software"], true);

    // Daemonized, it logs to its state directory, and doctor shows the warnings.
    let log = std::fs::read_to_string(h.paths.state.join("agent.log")).expect("the daemonized agent writes agent.log");
    assert!(log.contains("WARN") && log.contains("SOFTWARE key"), "{log}");
    let out = h.ana(&["doctor"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("last warnings and errors"), "{}", text(&out));

    let sock = h.paths.socket();
    let out = h.ana(&["agent", "stop"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "approver stopped");
    util::wait_gone(&sock);
    let out = h.ana(&["agent", "status"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("not running"), "{}", text(&out));
}

#[test]
fn daemonize_with_explicit_subcommand_and_authenticator() {
    let h = Home::new();
    assert!(h.ana(&["enroll", "--authenticator", "soft"]).status.success());
    for args in [&["agent", "run", "--daemonize", "--authenticator", "soft"][..], &["agent", "--authenticator", "soft", "--daemonize"][..]] {
        let out = h.ana(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        let sock = h.paths.socket();
        assert!(h.ana(&["agent", "stop"]).status.success());
        util::wait_gone(&sock);
    }
}

#[test]
fn help_names_ana_not_ana_agent() {
    let h = Home::new();
    for args in [&["agent", "--help"][..], &["agent", "status", "--help"][..], &["enroll", "--help"][..]] {
        let out = h.ana(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        let s = String::from_utf8_lossy(&out.stdout);
        assert!(s.contains(&format!("Usage: ana {}", args[0])), "{args:?}:\n{s}");
        assert!(!s.contains("ana-agent"), "{args:?} names the internal binary:\n{s}");
    }
}

#[test]
fn history_says_how_many_it_shows_and_prune_can_dry_run() {
    let mut h = Home::new();
    h.start();
    let count = |h: &Home| {
        let out = h.ana(&["history", "--json", "--limit", "1000"]);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).ok().and_then(|v| v.as_array().map(Vec::len)).unwrap_or(0)
    };
    // Enrolling the first key is itself recorded.
    let before = count(&h);
    for cmd in ["rm -rf /", "rm -rf ~", "mkfs.ext4 /dev/sda"] {
        let (decision, _, _) = util::answer(h.hook("claude-code", &util::bash("s1", cmd), 10));
        assert_eq!(decision, "deny", "{cmd}");
    }
    // The agent records the hooks' denials; wait until all three are in.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while count(&h) < before + 3 {
        assert!(std::time::Instant::now() < deadline, "{} records", count(&h));
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let total = before + 3;
    let out = h.ana(&["history", "--limit", "2"]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", text(&out));
    assert!(s.contains(&format!("showing the newest 2 of {total} records")), "{s}");
    assert!(s.lines().next().unwrap().contains("TIME (UTC"), "the header names the zone: {s}");
    let out = h.ana(&["history", "prune", "--before", "now", "--dry-run"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("would prune {total} records")), "{}", text(&out));
    assert_eq!(count(&h), total, "a dry run deletes nothing");
}

/// A client that opens connections without end does not take the approval agent down: past
/// the per-user cap they are closed at once, and once they go, everything works (found by an
/// outside review: 1 500 idle connections exhausted the agent's descriptors and it exited).
#[test]
fn a_connection_flood_does_not_kill_the_agent() {
    let mut h = Home::new();
    h.start();
    let pid = h.agent_pid();
    let socket = h.paths.socket();
    let flood: Vec<std::os::unix::net::UnixStream> = (0..400).filter_map(|_| std::os::unix::net::UnixStream::connect(&socket).ok()).collect();
    assert!(flood.len() >= 300, "{} connections", flood.len());
    drop(flood);
    // The refused and the dropped connections are gone; the agent is the same process.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let out = h.ana(&["agent", "status", "--json"]);
        if out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["pid"], pid, "the same agent answers");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the agent no longer answers: {}", text(&out));
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn two_keys_of_one_name_are_refused() {
    let h = Home::new();
    assert!(h.ana(&["enroll", "--authenticator", "soft", "--name", "desk"]).status.success());
    let out = h.ana(&["enroll", "--authenticator", "soft", "--name", "desk"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("enrolled already"), "{}", text(&out));
}

/// `ana agent …` and the `ana-agent` binary it hands over to read one command line (the shared
/// `ana::cli::AgentArgs`): the same help for every command (the binary adds only `--version`), and
/// the same refusal of an unknown flag, as usage errors.
#[test]
fn ana_agent_and_its_binary_share_one_command_line() {
    let h = Home::new();
    for args in [&["--help"][..], &["run", "--help"][..], &["status", "--help"][..], &["stop", "--help"][..]] {
        let through_ana = h.ana(&[&["agent"][..], args].concat());
        let direct = std::process::Command::new(util::agent_bin()).args(args).output().unwrap();
        assert!(through_ana.status.success() && direct.status.success(), "{args:?}: {}{}", text(&through_ana), text(&direct));
        let direct = String::from_utf8_lossy(&direct.stdout).replace("  -V, --version\n          Print version\n\n", "").replace("  -V, --version  Print version\n", "");
        assert_eq!(String::from_utf8_lossy(&through_ana.stdout), direct, "{args:?}");
    }
    let out = h.ana(&["agent", "status", "--daemonize"]);
    assert_eq!(out.status.code(), Some(2), "a run flag after `status` is a usage error: {}", text(&out));
    let out = h.ana(&["enroll", "--authenticator", "bluetooth"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("possible values: usb, nfc, usb-ctaphid, soft"), "{}", text(&out));
}
