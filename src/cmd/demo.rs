//! `ana demo`: the whole loop on an embedded default, in seconds, leaving nothing behind.
//!
//! A temporary ANA_HOME, the software key (insecure: for the demo only), an approval agent, and
//! payloads captured from each real agent (compiled in) through `ana hook`: allowed calls, a
//! denied one, one approved on the key, one denied by the user, and a late approval that the
//! retry uses once.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::ipc::Client;
use crate::protocol::{Choice, Request, Response, Role};

const CAPTURED: &[(&str, &str, &str)] = &[
    ("claude-code", "Read a project file", include_str!("../../tests/fixtures/payloads/claude-code.Read.json")),
    ("claude-code", "Write a project file", include_str!("../../tests/fixtures/payloads/claude-code.Write.json")),
    ("claude-code", "call an MCP tool", include_str!("../../tests/fixtures/payloads/claude-code.mcp.json")),
    ("copilot-cli", "run `echo … > ~/ran.txt`", include_str!("../../tests/fixtures/payloads/copilot-cli.preToolUse.json")),
    ("gemini-cli", "run `echo … > ~/ran.txt`", include_str!("../../tests/fixtures/payloads/gemini-cli.BeforeTool.json")),
    ("codex", "run `touch ran-marker`", include_str!("../../tests/fixtures/payloads/codex.Bash.json")),
];
const TERRAFORM: &str = include_str!("../../tests/fixtures/payloads/claude-code.Bash.json");

fn bash(command: &str) -> String {
    serde_json::json!({"session_id": "demo-session", "transcript_path": "/dev/null", "cwd": "/home/dev/project", "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": command}}).to_string()
}

struct Demo {
    home: tempfile_dir::Dir,
    ana: std::path::PathBuf,
    interactive: bool,
}

/// A private temporary directory removed on drop (no extra dependency for one directory).
mod tempfile_dir {
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> std::io::Result<Dir> {
            let mut r = [0u8; 6];
            getrandom::fill(&mut r).map_err(std::io::Error::other)?;
            let p = std::env::temp_dir().join(format!("ana-demo-{}", crate::intent::hex(&r)));
            crate::paths::Paths::create_private_dir(&p)?;
            Ok(Dir(p))
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Demo {
    fn env(&self, c: &mut Command) {
        c.env("ANA_HOME", &self.home.0).env("HOME", "/home/dev").env_remove("XDG_CONFIG_HOME").env_remove("CLAUDECODE");
    }

    fn paths(&self) -> crate::paths::Paths {
        let root = self.home.0.display().to_string();
        crate::paths::Paths::from_env(|k| match k {
            "ANA_HOME" => Some(root.clone()),
            "HOME" => Some("/home/dev".into()),
            _ => None,
        })
    }

    /// Runs `ana ARGS` in the demo's home, as a user would type it.
    fn ana_cmd(&self, args: &[&str]) -> anyhow::Result<String> {
        let mut c = Command::new(&self.ana);
        c.args(args);
        self.env(&mut c);
        let out = c.stdin(Stdio::null()).output()?;
        if !out.status.success() {
            anyhow::bail!("ana {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// The hook's deadline for a call the user is asked about: a person may read as long as
    /// they need (Claude Code's own default hook timeout is ten minutes); a tour that decides by
    /// itself needs seconds.
    fn ask_timeout(&self) -> u32 {
        if self.interactive { 600 } else { 30 }
    }

    fn spawn_hook(&self, agent: &str, payload: &str, timeout: u32) -> anyhow::Result<std::process::Child> {
        let mut c = Command::new(&self.ana);
        c.args(["hook", "--agent", agent, "--timeout", &timeout.to_string()]);
        self.env(&mut c);
        let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn()?;
        child.stdin.take().expect("piped").write_all(payload.as_bytes())?;
        Ok(child)
    }

    fn finish_hook(child: std::process::Child) -> anyhow::Result<String> {
        let out = child.wait_with_output()?;
        let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if text.is_empty() {
            return Ok("no opinion: the agent's own permission flow goes on (allowed)".into());
        }
        let v: serde_json::Value = serde_json::from_str(&text)?;
        let (d, r) = match v.get("hookSpecificOutput") {
            Some(h) => (h["permissionDecision"].clone(), h["permissionDecisionReason"].clone()),
            None if v.get("permissionDecision").is_some() => (v["permissionDecision"].clone(), v["permissionDecisionReason"].clone()),
            None => (v["decision"].clone(), v["reason"].clone()),
        };
        Ok(format!("{}: {}", d.as_str().unwrap_or("?").to_uppercase(), crate::action::one_line(r.as_str().unwrap_or(""), usize::MAX)))
    }

    /// Waits (on the agent's queue events) until a request is pending, then decides it.
    fn decide(&self, suggested: Choice, reason: Option<&str>) -> anyhow::Result<String> {
        let paths = self.paths();
        let mut c = Client::connect(&paths.socket(), Role::Prompt, Duration::from_secs(5))?;
        c.send(&Request::Subscribe)?;
        let deadline = Instant::now() + Duration::from_secs(20);
        let pending = loop {
            if let Response::Queue { pending } = c.recv(deadline)?
                && let Some(p) = pending.into_iter().find(|p| p.state.decidable())
            {
                break p;
            }
        };
        let ctx = &pending.evaluation.context;
        println!("   pending #{}: {} wants `{}`", pending.id, pending.evaluation.subject.id.as_deref().unwrap_or("?"), ctx.summary);
        println!("     rule {}: {}", ctx.rule.as_deref().unwrap_or("-"), ctx.reason);
        println!("     key: {}", pending.authenticator);
        let left = (pending.evaluation.context.deadline_ms.saturating_sub(crate::time::now_ms())) / 1000;
        let approve = suggested == Choice::Approve;
        let choice = if self.interactive {
            println!("     the hook waits {} more (it answers before its agent's deadline)", crate::time::human_duration(Duration::from_secs(left)));
            print!("     approve it? [y/n] (the tour suggests {}) ", if approve { "y" } else { "n" });
            std::io::stdout().flush()?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            match line.trim() {
                "" => suggested,
                a if a.eq_ignore_ascii_case("y") || a.eq_ignore_ascii_case("yes") => Choice::Approve,
                _ => Choice::Deny,
            }
        } else {
            println!("     the user {}", if approve { "approves (y)" } else { "denies (n)" });
            suggested
        };
        // However long the person took, the ceremony itself gets its own time.
        Ok(c.decide(pending.id, choice, reason.map(str::to_owned), None, Instant::now() + Duration::from_secs(60))?.1)
    }
}

pub fn run() -> anyhow::Result<ExitCode> {
    let ana = std::env::current_exe()?;
    // Fail before the tour starts when the approval agent's binary is missing.
    super::agent::agent_binary()?;
    let demo = Demo { home: tempfile_dir::Dir::new()?, ana, interactive: std::io::stdin().is_terminal() && std::io::stdout().is_terminal() };
    println!("ana demo — a temporary home at {}", demo.home.0.display());
    println!("with the SOFTWARE key: insecure, for tests and this demo only; use `ana enroll` with a real key.\n");
    let result = tour(&demo);
    let stopped = stop(&demo);
    result?;
    stopped?;
    println!("\nstopped the approver and removed the temporary home.");
    Ok(ExitCode::SUCCESS)
}

fn tour(demo: &Demo) -> anyhow::Result<()> {
    println!("1. enrol the software key (CTAP2 makeCredential through the same client path as a real key)");
    println!("   $ ana enroll --authenticator soft --name 'demo key'");
    println!("   {}", demo.ana_cmd(&["enroll", "--authenticator", "soft", "--name", "demo key"])?);
    println!("2. start the approver");
    println!("   $ ana agent --daemonize");
    println!("   {}\n", demo.ana_cmd(&["agent", "--daemonize"])?);

    println!("3. captured tool calls from each agent, through `ana hook`:");
    for (agent, what, payload) in CAPTURED {
        let out = Demo::finish_hook(demo.spawn_hook(agent, payload, 30)?)?;
        println!("   {agent:<12} {what:<28} → {out}");
    }
    let out = Demo::finish_hook(demo.spawn_hook("claude-code", &bash("cd / && rm -rf *"), 30)?)?;
    println!("   {:<12} {:<28} → {out}\n", "claude-code", "run `cd / && rm -rf *`");

    println!("4. an approval on the key: claude-code wants to run `terraform apply -auto-approve`");
    let hook = demo.spawn_hook("claude-code", TERRAFORM, demo.ask_timeout())?;
    println!("   {}", demo.decide(Choice::Approve, None)?);
    println!("   the hook answers → {}\n", Demo::finish_hook(hook)?);

    println!("5. a denial by the user: `git push --force origin main`");
    let hook = demo.spawn_hook("claude-code", &bash("git push --force origin main"), demo.ask_timeout())?;
    println!("   {}", demo.decide(Choice::Deny, Some("not on main, please"))?);
    println!("   the hook answers → {}\n", Demo::finish_hook(hook)?);

    println!("6. a late approval: the hook's deadline (2 s) passes before the user decides");
    let payload = bash("kubectl delete namespace staging");
    let out = Demo::finish_hook(demo.spawn_hook("claude-code", &payload, 2)?)?;
    println!("   the hook answers in time → {out}");
    println!("   {}", demo.decide(Choice::Approve, None)?);
    println!("   the agent retries the same call → {}", Demo::finish_hook(demo.spawn_hook("claude-code", &payload, 2)?)?);
    println!("   and once more (the grant was used once) → {}", Demo::finish_hook(demo.spawn_hook("claude-code", &payload, 2)?)?);

    println!("\n7. the history: every decision, chained by hash, approvals with their proof (`ana history`)");
    for args in [&["history"][..], &["history", "verify"][..]] {
        let mut c = Command::new(&demo.ana);
        c.args(args);
        demo.env(&mut c);
        let out = c.stdin(Stdio::null()).output()?;
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            println!("   {line}");
        }
        if !out.status.success() {
            anyhow::bail!("`ana {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        }
    }
    Ok(())
}

fn stop(demo: &Demo) -> anyhow::Result<()> {
    let paths = demo.paths();
    let socket = paths.socket();
    if let Ok(mut c) = Client::connect(&socket, Role::Cli, Duration::from_secs(2)) {
        c.send(&Request::Stop)?;
        let _ = c.recv(Instant::now() + Duration::from_secs(2));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while Path::new(&socket).exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}
