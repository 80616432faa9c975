//! Whole-process cost of an approval with the software key, the human excluded: a prompt
//! approves each request the moment it appears. Reports the median `ana hook` wall time for an
//! approved call, for an allowed call (no approval), their difference, and the agent's idle RSS.
//!
//! cargo bench -p ana-agent --bench approval        (needs `cargo build --release --workspace`)
//!
//! With `ANA_BENCH_SYSTEM=1`, as root, on a machine without system mode: the same in system mode
//! (a real `ana install system --allow-software-key`, the agent as its own account, the bench
//! giving root's touch the moment the software key asks for it), uninstalled at the end.
//!
//! Targets: approval overhead median ≤ 5 ms; agent idle RSS ≤ 15 MiB.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ana::ipc::Client;
use ana::paths::Paths;
use ana::protocol::{Request, Response, Role};

fn bins() -> (PathBuf, PathBuf) {
    let dir = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf();
    let (ana, agent) = (dir.join("ana"), dir.join("ana-agent"));
    assert!(ana.exists() && agent.exists(), "build first: cargo build --release --workspace");
    (ana, agent)
}

fn payload(command: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"session_id": "bench", "transcript_path": "/dev/null", "cwd": "/home/dev/project", "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command}})).unwrap()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize = std::env::var("ANA_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let (ana, agent) = bins();
    let system = std::env::var("ANA_BENCH_SYSTEM").is_ok_and(|v| v == "1");
    let home = std::env::temp_dir().join(format!("ana-approval-bench-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let env = |c: &mut Command| {
        c.env("ANA_HOME", &home).env("HOME", "/home/dev");
    };
    let setup: Vec<Vec<&str>> = if system {
        assert!(!ana::paths::system_mode_installed(), "system mode is already installed here");
        let ok = Command::new(&ana).args(["install", "system", "--allow-software-key"]).stdout(Stdio::null()).status().unwrap().success();
        assert!(ok, "ana install system (as root)");
        vec![vec!["enroll", "--authenticator", "soft"], vec!["--system", "--authenticator", "soft", "--daemonize", "--touch-timeout", "30"]]
    } else {
        vec![vec!["enroll", "--authenticator", "soft"], vec!["--authenticator", "soft", "--daemonize"]]
    };
    for args in setup {
        let mut c = Command::new(&agent);
        c.args(&args);
        env(&mut c);
        assert!(c.stdout(Stdio::null()).status().unwrap().success(), "{args:?}");
    }
    let root = home.display().to_string();
    let paths = Paths::from_env(|k| match k {
        "ANA_HOME" => Some(root.clone()),
        _ => None,
    });
    if system {
        // Root's touch, given as soon as the software key asks (the human's finger, at once).
        std::thread::spawn(|| {
            let wanted = std::path::Path::new(ana::paths::SYSTEM_RUNTIME).join(ana::cmd::system::TOUCH_WANTED);
            let given = std::path::Path::new(ana::paths::SYSTEM_TOUCH).join(ana::cmd::system::TOUCH_FILE);
            let mut last = String::new();
            loop {
                if let Ok(t) = std::fs::read_to_string(&wanted)
                    && let Some(id) = serde_json::from_str::<serde_json::Value>(&t).ok().and_then(|v| v["ceremony"].as_str().map(str::to_owned))
                    && id != last
                {
                    let tmp = given.with_extension("tmp");
                    std::fs::write(&tmp, &id).unwrap();
                    std::fs::rename(&tmp, &given).unwrap();
                    last = id;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        });
    }
    // The agent's idle memory.
    let pid = {
        let mut c = Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5)).unwrap();
        c.send(&Request::Status).unwrap();
        match c.recv(Instant::now() + Duration::from_secs(5)).unwrap() {
            Response::Status { pid, .. } => pid,
            other => panic!("{other:?}"),
        }
    };
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmRSS"))
        .map(|l| l.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() / 1024.0)
        .unwrap();

    // A prompt that approves every request as soon as it appears.
    let sock = paths.socket();
    std::thread::spawn(move || {
        let mut c = Client::connect(&sock, Role::Prompt, Duration::from_secs(5)).unwrap();
        c.send(&Request::Subscribe).unwrap();
        let mut decided = std::collections::HashSet::new();
        loop {
            let Ok(resp) = c.recv(Instant::now() + Duration::from_secs(600)) else { return };
            if let Response::Queue { pending } = resp {
                for p in pending.into_iter().filter(|p| p.state == ana::protocol::PendingState::Waiting && decided.insert(p.id)) {
                    c.send(&Request::Decide { id: p.id, choice: ana::protocol::Choice::Approve, reason: None, pin: None, shown: None }).unwrap();
                }
            }
        }
    });
    let run = |input: &[u8]| -> (f64, String) {
        let start = Instant::now();
        let mut c = Command::new(&ana);
        c.args(["hook", "--agent", "claude-code", "--timeout", "30"]);
        env(&mut c);
        let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        (start.elapsed().as_secs_f64() * 1e3, String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (approve_in, allow_in) = (payload("git push --force origin main"), payload("git status"));
    let (mut approved, mut allowed) = (Vec::new(), Vec::new());
    for i in 0..runs + 10 {
        let (t, out) = run(&approve_in);
        assert!(out.contains("\"allow\""), "run {i}: {out}");
        let (u, out) = run(&allow_in);
        assert!(out.is_empty());
        if i >= 10 {
            approved.push(t);
            allowed.push(u);
        }
    }
    let (ma, mu) = (median(&mut approved), median(&mut allowed));
    println!("{runs} runs each, alternating, {} mode", if system { "system" } else { "user" });
    println!("approved call (soft key, verified by agent and hook): median {ma:.2} ms");
    println!("allowed call (no approval):                           median {mu:.2} ms");
    println!("approval overhead: {:.2} ms (target ≤ 5 ms)", ma - mu);
    println!("agent idle RSS: {rss:.1} MiB (target ≤ 15 MiB)");
    let mut c = Client::connect(&paths.socket(), Role::Cli, Duration::from_secs(5)).unwrap();
    let _ = c.send(&Request::Stop);
    let _ = c.recv(Instant::now() + Duration::from_secs(2));
    let _ = std::fs::remove_dir_all(&home);
    if system {
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new(&ana).args(["uninstall", "system", "--purge"]).stdout(Stdio::null()).status();
    }
}
