//! A harness for black-box tests of the `ana` binary: a private ANA_HOME and HOME per test,
//! stdin fed from bytes, and the three outputs captured.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    /// The one JSON document on stdout.
    pub fn json(&self) -> serde_json::Value {
        let lines: Vec<&str> = self.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "stdout must be exactly one JSON line: {:?}", self.stdout);
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

/// A scratch environment: `root/ana` is ANA_HOME, `root/home` is HOME.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        std::fs::create_dir_all(dir.path().join("ana/config")).unwrap();
        Env { dir }
    }

    pub fn ana_home(&self) -> PathBuf {
        self.dir.path().join("ana")
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Writes the user's policy file.
    pub fn user_policy(&self, text: &str) -> PathBuf {
        let p = self.ana_home().join("config/policy.toml");
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ana"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", "/home/dev")
            .env("ANA_HOME", self.ana_home())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs `ana ARGS` with `stdin`.
    pub fn run(&self, args: &[&str], stdin: &[u8]) -> Output {
        run(self.command(args), stdin)
    }
}

pub fn run(mut c: Command, stdin: &[u8]) -> Output {
    let mut child = c.spawn().expect("the ana binary runs");
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    // Write from a thread: the hook may stop reading early (oversize input) and answer.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("ana exits");
    let _ = writer.join();
    Output { stdout: String::from_utf8_lossy(&out.stdout).into_owned(), stderr: String::from_utf8_lossy(&out.stderr).into_owned(), code: out.status.code().unwrap_or(-1) }
}

/// The captured payloads in tests/fixtures/payloads.
pub fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/payloads").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A Claude Code–shaped payload for a Bash command.
pub fn bash(command: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "session_id": "s1", "transcript_path": "/dev/null", "cwd": "/home/dev/project",
        "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command}
    }))
    .unwrap()
}
