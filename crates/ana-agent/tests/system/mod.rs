//! What the system-mode tests share: commands as root and as an unprivileged account, the
//! accounts themselves, waiting on the system approval agent's queue, the human's approval, and
//! undoing the install when a test ends (also when a step fails).
//!
//! Each test installs system mode for real (the managed paths are fixed), so it needs root and
//! leaves a machine that already has system mode alone ([`may_install`]).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ana::protocol::{PendingState, Request, Response, Role};

/// Where `ana install system` puts the binaries.
pub const ANA: &str = "/usr/local/lib/ana/ana";
pub const AGENT: &str = "/usr/local/lib/ana/ana-agent";

/// An output's status and both streams, for an assertion's message.
pub fn text(o: &Output) -> String {
    format!("status {:?}\nstdout:\n{}\nstderr:\n{}", o.status.code(), String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Runs `cmd ARGS` as root (this process), with no `ANA_HOME`.
pub fn root(cmd: &str, args: &[&str]) -> Output {
    try_root(cmd, args).unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

pub fn try_root(cmd: &str, args: &[&str]) -> std::io::Result<Output> {
    Command::new(cmd).args(args).env_remove("ANA_HOME").stdin(Stdio::null()).output()
}

/// Whether this test may install system mode: it runs as root, and system mode is not installed
/// already (a machine that has it is left alone). Says why not, so the skip shows in the output.
pub fn may_install(needs: &str) -> bool {
    if ana::paths::euid() != 0 {
        eprintln!("ignored: needs root ({needs})");
        return false;
    }
    if Path::new(ana::paths::SYSTEM_ROOT).exists() {
        eprintln!("ignored: system mode is already installed on this machine; not replacing it");
        return false;
    }
    true
}

/// Creates `user`, with a home directory in `/home`, unless the account exists.
pub fn ensure_account(user: &str) {
    if root("getent", &["passwd", user]).stdout.is_empty() {
        let o = root("useradd", &["--create-home", "--shell", "/bin/sh", user]);
        assert!(o.status.success(), "useradd {user}: {}", text(&o));
    }
}

/// `program` as `user` (through `runuser`), in a clean environment of `PATH`, `HOME` and `USER`;
/// the caller adds what the user's session would set.
pub fn as_account(user: &str, program: &str) -> Command {
    let mut c = Command::new("/usr/sbin/runuser");
    c.args(["-u", user, "--", program]);
    c.env_clear().env("PATH", "/usr/local/bin:/usr/bin:/bin").env("HOME", format!("/home/{user}")).env("USER", user);
    c
}

/// Waits until the system agent's queue holds a request in `state` (other than `except`);
/// returns its id.
pub fn wait_state(state: PendingState, except: Option<u64>) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut c = ana::ipc::Client::connect(Path::new("/run/ana/agent.sock"), Role::Prompt, Duration::from_secs(5)).expect("root reaches the system agent");
    c.send(&Request::Subscribe).unwrap();
    loop {
        if let Response::Queue { pending } = c.recv(deadline).expect("queue updates arrive")
            && let Some(p) = pending.iter().find(|p| p.state == state && Some(p.id) != except)
        {
            return p.id;
        }
    }
}

/// The human's approval of the request that waits: the user's `approve` (which runs
/// `ana approve --yes ID`, given the id) and, at the same time, root's touch (`ana touch`,
/// standing in for the finger on the key). Returns both outputs, approve's first.
pub fn human_approves(approve: impl FnOnce(u64) -> Output + Send + 'static) -> (Output, Output) {
    let id = wait_state(PendingState::Waiting, None);
    let approved = std::thread::spawn(move || approve(id));
    let touched = root(ANA, &["touch", "--wait", "20"]);
    (approved.join().unwrap(), touched)
}

/// Undoes everything when dropped, also when a step fails: stops the system agent, uninstalls
/// system mode (`--purge`), removes the test's accounts.
pub struct Cleanup {
    pub accounts: &'static [&'static str],
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if Path::new(AGENT).exists() {
            let _ = try_root(AGENT, &["stop"]);
        }
        let _ = try_root(crate::util::ana_bin().to_str().unwrap(), &["uninstall", "system", "--purge"]);
        for user in self.accounts {
            let _ = try_root("userdel", &["-r", user]);
        }
    }
}
