//! A harness for the approval tests: a private ANA_HOME, the two binaries, a running agent with
//! the software key, and hooks run as processes.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ana::ipc::Client;
use ana::paths::Paths;
use ana::protocol::{Pending, Request, Response, Role, encode};

pub fn agent_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ana-agent"))
}

/// `ana`, built beside `ana-agent` by `cargo test --workspace`.
pub fn ana_bin() -> PathBuf {
    let p = agent_bin().with_file_name("ana");
    assert!(p.exists(), "{} is missing: run the tests with `cargo test --workspace`", p.display());
    p
}

pub struct Home {
    pub dir: tempfile::TempDir,
    pub paths: Paths,
    agent_running: bool,
}

impl Home {
    pub fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().display().to_string();
        let paths = Paths::from_env(|k| match k {
            "ANA_HOME" => Some(root.clone()),
            "HOME" => Some("/home/dev".into()),
            _ => None,
        });
        Home { dir, paths, agent_running: false }
    }

    pub fn env(&self, c: &mut Command) {
        c.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("HOME", "/home/dev").env("ANA_HOME", self.dir.path());
    }

    pub fn agent(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::new(agent_bin());
        c.args(args);
        self.env(&mut c);
        c.stdin(Stdio::null()).output().unwrap()
    }

    pub fn ana(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::new(ana_bin());
        c.args(args);
        self.env(&mut c);
        c.stdin(Stdio::null()).output().unwrap()
    }

    /// Enrolls the software key and starts the agent with it.
    pub fn start(&mut self) -> &mut Self {
        let out = self.ana(&["enroll", "--authenticator", "soft", "--name", "test key"]);
        assert!(out.status.success(), "enroll: {}", String::from_utf8_lossy(&out.stderr));
        self.start_agent_only()
    }

    pub fn start_agent_only(&mut self) -> &mut Self {
        let out = self.ana(&["agent", "--authenticator", "soft", "--daemonize"]);
        assert!(out.status.success(), "start: {}", String::from_utf8_lossy(&out.stderr));
        self.agent_running = true;
        self
    }

    pub fn client(&self, role: Role) -> Client {
        Client::connect(&self.paths.socket(), role, Duration::from_secs(5)).expect("the agent answers")
    }

    /// Runs `ana hook` in the background with `payload`.
    pub fn hook(&self, agent: &str, payload: &[u8], timeout: u32) -> Child {
        let mut c = Command::new(ana_bin());
        c.args(["hook", "--agent", agent, "--timeout", &timeout.to_string()]);
        self.env(&mut c);
        let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(payload).unwrap();
        child
    }

    /// Waits for the queue to hold `n` requests in a decidable state; returns them.
    pub fn wait_pending(&self, n: usize) -> Vec<Pending> {
        let mut c = self.client(Role::Prompt);
        c.send(&Request::Subscribe).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Response::Queue { pending } = c.recv(deadline).expect("queue updates arrive") {
                let ready: Vec<Pending> = pending.into_iter().filter(|p| p.state.decidable()).collect();
                if ready.len() >= n {
                    return ready;
                }
            }
        }
    }

    /// Decides request `id` and returns the agent's message.
    pub fn decide(&self, id: u64, approve: bool) -> (bool, String) {
        let mut c = self.client(Role::Cli);
        c.send(&Request::Decide { id, choice: if approve { ana::protocol::Choice::Approve } else { ana::protocol::Choice::Deny }, reason: Some("test".into()), pin: None, shown: None }).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Response::Decided { id: got, ok, message } = c.recv(deadline).unwrap()
                && got == id
            {
                return (ok, message);
            }
        }
    }

    pub fn agent_pid(&self) -> u32 {
        let mut c = self.client(Role::Cli);
        c.send(&Request::Status).unwrap();
        match c.recv(Instant::now() + Duration::from_secs(5)).unwrap() {
            Response::Status { pid, .. } => pid,
            other => panic!("{other:?}"),
        }
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        if self.agent_running
            && let Ok(mut c) = Client::connect(&self.paths.socket(), Role::Cli, Duration::from_secs(2))
        {
            let _ = c.send(&Request::Stop);
            let _ = c.recv(Instant::now() + Duration::from_secs(2));
        }
    }
}

/// A Claude Code Bash payload.
pub fn bash(session: &str, command: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"session_id": session, "transcript_path": "/dev/null", "cwd": "/home/dev/project", "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command}})).unwrap()
}

/// The hook's answer: (decision, reason, exit code).
pub fn answer(child: Child) -> (String, String, i32) {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let code = out.status.code().unwrap_or(-1);
    if stdout.trim().is_empty() {
        return ("none".into(), String::new(), code);
    }
    assert_eq!(stdout.trim().lines().count(), 1, "exactly one answer: {stdout}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let h = &v["hookSpecificOutput"];
    (h["permissionDecision"].as_str().unwrap_or("?").to_owned(), h["permissionDecisionReason"].as_str().unwrap_or("").to_owned(), code)
}

pub fn wait_gone(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while path.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A fake approval agent on `home`'s socket, for one connection: answers the hello with
/// `version`, reads the hook's evaluation and answers with what `respond` returns for its intent
/// (`None`: holds the connection until the hook gives up). A hook that never connects fails the
/// test (after 30 s) rather than hanging it.
pub fn fake_agent(home: &Home, version: u32, respond: impl FnOnce(serde_json::Value) -> Option<Response> + Send + 'static) -> JoinHandle<()> {
    Paths::create_private_dir(&home.paths.runtime).unwrap();
    let listener = UnixListener::bind(home.paths.socket()).unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => panic!("no hook connected to the fake agent: {e}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut r = BufReader::new(stream.try_clone().unwrap());
        let mut w = stream;
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        w.write_all(&encode(&Response::Hello { version, pid: 1 })).unwrap();
        line.clear();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let Ok(Request::Evaluate { evaluation }) = serde_json::from_str(&line) else { panic!("the hook sent no evaluation: {line}") };
        match respond(evaluation.context.intent) {
            Some(resp) => w.write_all(&encode(&resp)).unwrap(),
            // Hang: hold the connection until the hook gives up.
            None => {
                let mut rest = String::new();
                let _ = r.read_line(&mut rest);
            }
        }
    })
}
