//! `sudo ana install system`, `sudo ana uninstall system` and `sudo ana touch`: system mode,
//! where the trust anchor is out of the reach of the user whose AI agents ana guards.
//!
//! Install (idempotent; it reports each thing it did or found already done): root-owned copies of
//! `ana` and `ana-agent`, the approval agent's account and the client group, `/etc/ana` (trust
//! root: keys, settings, site policy), `/var/lib/ana` (the agent's state), `/run/ana` and
//! `/run/ana-touch`, the systemd unit (or a launchd plist, untested), the udev rule, and each
//! agent's managed hook. Uninstall takes all of that out again; `--purge` also removes the state
//! and the account.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::install::system as files;
use crate::install::{self, MergeError};
use crate::paths::{SYSTEM_ROOT, SYSTEM_RUNTIME, SYSTEM_STATE, SYSTEM_TOUCH};
use crate::trust::{AGENT_USER, CLIENT_GROUP, Settings};

fn require_root(what: &str) -> anyhow::Result<()> {
    if crate::paths::euid() != 0 {
        anyhow::bail!("{what} changes root-owned files: run it with sudo");
    }
    Ok(())
}

/// Runs a command; its failure is an error naming it.
fn run(cmd: &[&str]) -> anyhow::Result<()> {
    let out = Command::new(cmd[0]).args(&cmd[1..]).output().with_context(|| format!("running `{}`", cmd.join(" ")))?;
    if !out.status.success() {
        anyhow::bail!("`{}` failed: {}", cmd.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

/// Runs a command where its failure is only worth a line (a service manager that is not there).
fn try_run(cmd: &[&str]) -> bool {
    match Command::new(cmd[0]).args(&cmd[1..]).output() {
        Ok(o) if o.status.success() => true,
        _ => {
            println!("  (`{}` did not succeed)", cmd.join(" "));
            false
        }
    }
}

/// `getent DB NAME` → the fields of its line.
fn getent(db: &str, name: &str) -> Option<Vec<String>> {
    let out = Command::new("getent").args([db, name]).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().split(':').map(str::to_owned).collect())
}

fn did(what: impl std::fmt::Display) {
    println!("  done     {what}");
}

fn had(what: impl std::fmt::Display) {
    println!("  ok       {what}");
}

/// Writes `content` to `path` (root-owned, `mode`) unless it is there already; reports which.
fn put(path: &Path, content: &[u8], mode: u32) -> anyhow::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content) && std::fs::metadata(path).is_ok_and(|m| m.mode() & 0o7777 == mode && m.uid() == 0) {
        had(path.display());
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = PathBuf::from(format!("{}.ana-tmp-{}", path.display(), std::process::id()));
    std::fs::write(&tmp, content).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
    std::os::unix::fs::chown(&tmp, Some(0), Some(0))?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
    did(format!("wrote {}", path.display()));
    Ok(())
}

/// Merges into a managed file (JSON or TOML text) through `change`, keeping a backup.
fn merge(path: &Path, change: impl FnOnce(&str) -> Result<String, MergeError>) -> anyhow::Result<()> {
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let new = change(&old).map_err(|e| anyhow::anyhow!("refusing to change {}: {e}", path.display()))?;
    if new == old {
        had(path.display());
        return Ok(());
    }
    if !old.is_empty() {
        put(&PathBuf::from(format!("{}.ana-backup", path.display())), old.as_bytes(), 0o644)?;
    }
    put(path, new.as_bytes(), 0o644)
}

/// Takes ana's part out of a managed file; removes the file when nothing else is left.
fn unmerge(path: &Path, change: impl FnOnce(&str) -> Result<String, MergeError>) -> anyhow::Result<()> {
    let Ok(old) = std::fs::read_to_string(path) else { return Ok(()) };
    let new = change(&old).map_err(|e| anyhow::anyhow!("refusing to change {}: {e}", path.display()))?;
    if new.trim().is_empty() || new.trim() == "{}" {
        std::fs::remove_file(path)?;
        did(format!("removed {}", path.display()));
    } else if new != old {
        put(path, new.as_bytes(), 0o644)?;
    }
    Ok(())
}

fn dir(path: &str, mode: u32, uid: u32, gid: u32) -> anyhow::Result<()> {
    let p = Path::new(path);
    let fresh = !p.exists();
    if std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()) {
        anyhow::bail!("{path} exists and is not a directory");
    }
    std::fs::create_dir_all(p).with_context(|| format!("creating {path}"))?;
    let m = std::fs::symlink_metadata(p)?;
    if m.mode() & 0o7777 != mode || m.uid() != uid || m.gid() != gid {
        std::os::unix::fs::chown(p, Some(uid), Some(gid))?;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))?;
        did(format!("{} {path} ({uid}:{gid}, {mode:o})", if fresh { "created" } else { "fixed" }));
    } else {
        had(format!("{path} ({uid}:{gid}, {mode:o})"));
    }
    Ok(())
}

/// The account and group, created when missing.
fn account(user: Option<&str>) -> anyhow::Result<(u32, u32, u32)> {
    if getent("group", CLIENT_GROUP).is_none() {
        run(&["groupadd", "--system", CLIENT_GROUP])?;
        did(format!("created the group {CLIENT_GROUP} (who may reach the approver)"));
    } else {
        had(format!("group {CLIENT_GROUP}"));
    }
    if getent("passwd", AGENT_USER).is_none() {
        let nologin = ["/usr/sbin/nologin", "/sbin/nologin", "/bin/false"].into_iter().find(|p| Path::new(p).exists()).unwrap_or("/bin/false");
        // A group of the account's name left behind (an account removed by hand, an install
        // stopped midway) makes `useradd --user-group` refuse: the account joins it instead.
        let own_group: &[&str] = if getent("group", AGENT_USER).is_some() { &["--gid", AGENT_USER] } else { &["--user-group"] };
        let mut cmd = vec!["useradd", "--system"];
        cmd.extend_from_slice(own_group);
        cmd.extend_from_slice(&["--no-create-home", "--home-dir", SYSTEM_STATE, "--shell", nologin, "--comment", "ana approver", AGENT_USER]);
        run(&cmd)?;
        did(format!("created the system account {AGENT_USER}"));
    } else {
        had(format!("account {AGENT_USER}"));
    }
    let pw = getent("passwd", AGENT_USER).context("the account was not created")?;
    let uid: u32 = pw.get(2).and_then(|v| v.parse().ok()).context("the account's uid")?;
    let gid: u32 = pw.get(3).and_then(|v| v.parse().ok()).context("the account's gid")?;
    let cgid: u32 = getent("group", CLIENT_GROUP).and_then(|g| g.get(2).and_then(|v| v.parse().ok())).context("the client group's gid")?;
    if let Some(u) = user {
        let members = getent("group", CLIENT_GROUP).and_then(|g| g.get(3).cloned()).unwrap_or_default();
        if members.split(',').any(|m| m == u) {
            had(format!("{u} is in {CLIENT_GROUP}"));
        } else {
            run(&["usermod", "-aG", CLIENT_GROUP, u])?;
            did(format!("added {u} to {CLIENT_GROUP} (takes effect at their next login)"));
        }
    }
    Ok((uid, gid, cgid))
}

fn copy_binary(from: &Path, to: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    put(to, &bytes, 0o755)
}

/// Whether the trust root lets a software key count (never by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoftwareKey {
    Refused,
    /// `--allow-software-key`: for tests and demos only.
    Allowed,
}

/// What `uninstall` does with the approval agent's state and account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentState {
    Keep,
    /// `--purge`.
    Remove,
}

/// `sudo ana install system`.
pub fn install(timeout: u32, software_key: SoftwareKey, user: Option<String>) -> anyhow::Result<ExitCode> {
    let allow_software_key = software_key == SoftwareKey::Allowed;
    require_root("`ana install system`")?;
    let user = user.or_else(|| std::env::var("SUDO_USER").ok()).filter(|u| !u.is_empty() && u != "root");
    println!("installing ana in system mode");
    // 1. Root-owned binaries.
    let exe = std::env::current_exe()?.canonicalize()?;
    let agent = super::agent::agent_binary()?.canonicalize()?;
    let lib = Path::new(files::LIB_DIR);
    let ana_bin = lib.join("ana");
    let agent_bin = lib.join("ana-agent");
    if exe != ana_bin {
        copy_binary(&exe, &ana_bin)?;
    }
    if agent != agent_bin {
        copy_binary(&agent, &agent_bin)?;
    }
    let link = Path::new("/usr/local/bin/ana");
    match std::fs::read_link(link) {
        Ok(t) if t == ana_bin => had(link.display()),
        Err(_) if !link.exists() => {
            std::fs::create_dir_all("/usr/local/bin")?;
            std::os::unix::fs::symlink(&ana_bin, link)?;
            did(format!("linked {} → {}", link.display(), ana_bin.display()));
        }
        _ => println!("  note     {} is not ana's link; left as it is (the hooks run {})", link.display(), ana_bin.display()),
    }
    // 2. The account, the group, and the directories.
    let (uid, gid, cgid) = account(user.as_deref())?;
    dir(SYSTEM_ROOT, 0o755, 0, 0)?;
    dir(SYSTEM_STATE, 0o700, uid, gid)?;
    dir(SYSTEM_RUNTIME, 0o750, uid, cgid)?;
    dir(SYSTEM_TOUCH, 0o755, 0, 0)?;
    // 3. The trust root.
    let settings = Settings { allow_software_key, agent_user: AGENT_USER.into(), agent_uid: uid, agent_gid: gid, client_group: CLIENT_GROUP.into(), client_gid: cgid };
    put(&Path::new(SYSTEM_ROOT).join("settings.toml"), settings.to_toml().as_bytes(), 0o644)?;
    let keys = Path::new(SYSTEM_ROOT).join("keys.json");
    if keys.exists() {
        had(keys.display());
    } else {
        // The user's enrolled keys do not carry over: a file the user (and so an agent) could
        // write is no trust root. Enroll again with `sudo ana enroll`.
        put(&keys, b"[]\n", 0o644)?;
    }
    let policy = Path::new(SYSTEM_ROOT).join("policy.toml");
    if !policy.exists() {
        put(&policy, b"# The site policy: rules here apply to every user and cannot be loosened by theirs.\n", 0o644)?;
    } else {
        had(policy.display());
    }
    // 4. The service.
    let ana_s = ana_bin.display().to_string();
    let agent_s = agent_bin.display().to_string();
    if cfg!(target_os = "macos") {
        let plist = files::service(include_str!("../../installers/dev.ana.agent.system.plist"), &agent_s, AGENT_USER, CLIENT_GROUP);
        put(Path::new(files::LAUNCHD_PLIST), plist.as_bytes(), 0o644)?;
        println!("  note     the launchd daemon is untested");
        try_run(&["launchctl", "load", "-w", files::LAUNCHD_PLIST]);
    } else {
        let unit = files::service(include_str!("../../installers/ana-agent-system.service"), &agent_s, AGENT_USER, CLIENT_GROUP);
        put(Path::new(files::SYSTEMD_UNIT), unit.as_bytes(), 0o644)?;
        put(Path::new(files::TMPFILES), files::tmpfiles(AGENT_USER, CLIENT_GROUP).as_bytes(), 0o644)?;
        let rule = files::udev_rule(AGENT_USER);
        let rule_changed = std::fs::read(files::UDEV_RULE).ok().as_deref() != Some(rule.as_bytes());
        put(Path::new(files::UDEV_RULE), rule.as_bytes(), 0o644)?;
        // A running udevd applies the rule to the keys plugged in now (when it is new, or a key is
        // out of the account's reach); `settle` waits for it, so the approval agent started next
        // finds them open to its account. (A control socket left behind by a udevd that exited
        // says nothing: the process is looked for.)
        let blocked = crate::hidraw::scan_for(&settings.key_account()).iter().any(|k| !k.accessible);
        if rule_changed || blocked {
            if !crate::hidraw::udevd_running(Path::new("/proc")) {
                println!("  note     no udev daemon runs: until one does, the approval agent's account cannot open a key plugged in (`ana doctor` says how to fix it)");
            } else if try_run(&["udevadm", "control", "--reload"]) && try_run(&["udevadm", "trigger", "--subsystem-match=hidraw"]) && try_run(&["udevadm", "settle", "--timeout=10"]) {
                did("had udev apply the rule to the keys plugged in");
            }
        }
        if Path::new("/run/systemd/system").exists() {
            try_run(&["systemctl", "daemon-reload"]);
            if try_run(&["systemctl", "enable", "--now", "ana-agent.service"]) {
                did("started ana-agent.service");
            }
        } else {
            println!("  note     no systemd here: start the approver with `sudo ana agent --system --daemonize`");
        }
    }
    // 5. Each agent's managed hook.
    merge(Path::new(files::CLAUDE_CODE_MANAGED), |t| files::claude_code(t, &ana_s, timeout))?;
    merge(Path::new(files::COPILOT_POLICY), |_| Ok(files::copilot_cli(&ana_s, timeout)))?;
    merge(Path::new(files::GEMINI_SYSTEM), |t| files::gemini_cli(t, &ana_s, timeout))?;
    merge(Path::new(files::CODEX_REQUIREMENTS), |t| files::codex_requirements(t, &ana_s, timeout))?;
    println!();
    println!("system mode is installed: the hooks trust only {SYSTEM_ROOT}, the agent on {SYSTEM_RUNTIME} runs as `{AGENT_USER}`.");
    if allow_software_key {
        println!("WARNING: a SOFTWARE key may count ({SYSTEM_ROOT}/settings.toml): for tests and demos only; `sudo ana touch` stands in for the finger.");
    }
    if std::fs::read_to_string(&keys).is_ok_and(|k| k.trim() == "[]") {
        println!("next: enroll a key with `sudo ana enroll` (and a backup key: `sudo ana enroll --name backup`).");
    }
    let _ = install::DEFAULT_TIMEOUT;
    Ok(ExitCode::SUCCESS)
}

/// Stops a running system agent (as root, over its socket).
fn stop_agent() {
    use crate::protocol::{Request, Role};
    let socket = Path::new(SYSTEM_RUNTIME).join("agent.sock");
    if let Ok(mut c) = crate::ipc::Client::connect(&socket, Role::Cli, Duration::from_secs(3))
        && c.send(&Request::Stop).is_ok()
    {
        let _ = c.recv(Instant::now() + Duration::from_secs(3));
        let deadline = Instant::now() + Duration::from_secs(10);
        while socket.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        did("stopped the approver");
    }
}

/// `sudo ana uninstall system`.
pub fn uninstall(state: AgentState) -> anyhow::Result<ExitCode> {
    let purge = state == AgentState::Remove;
    require_root("`ana uninstall system`")?;
    println!("removing ana's system mode");
    if Path::new("/run/systemd/system").exists() && Path::new(files::SYSTEMD_UNIT).exists() {
        try_run(&["systemctl", "disable", "--now", "ana-agent.service"]);
    }
    if cfg!(target_os = "macos") && Path::new(files::LAUNCHD_PLIST).exists() {
        try_run(&["launchctl", "unload", "-w", files::LAUNCHD_PLIST]);
    }
    stop_agent();
    unmerge(Path::new(files::CLAUDE_CODE_MANAGED), files::claude_code_remove)?;
    unmerge(Path::new(files::GEMINI_SYSTEM), files::gemini_cli_remove)?;
    unmerge(Path::new(files::CODEX_REQUIREMENTS), files::codex_requirements_remove)?;
    for f in [files::COPILOT_POLICY, files::SYSTEMD_UNIT, files::TMPFILES, files::UDEV_RULE, files::LAUNCHD_PLIST] {
        if std::fs::remove_file(f).is_ok() {
            did(format!("removed {f}"));
        }
    }
    // The enrolled keys are kept beside the state, so that a reinstall can bring them back.
    let keys = Path::new(SYSTEM_ROOT).join("keys.json");
    if keys.exists() && Path::new(SYSTEM_STATE).is_dir() && !purge {
        std::fs::copy(&keys, Path::new(SYSTEM_STATE).join("etc-ana-keys.json.bak"))?;
        did(format!("kept a copy of the enrolled keys in {SYSTEM_STATE}/etc-ana-keys.json.bak"));
    }
    for d in [SYSTEM_ROOT, SYSTEM_RUNTIME, SYSTEM_TOUCH, files::LIB_DIR] {
        if std::fs::remove_dir_all(d).is_ok() {
            did(format!("removed {d}"));
        }
    }
    if std::fs::read_link("/usr/local/bin/ana").is_ok_and(|t| t == Path::new(files::LIB_DIR).join("ana")) {
        std::fs::remove_file("/usr/local/bin/ana")?;
        did("removed /usr/local/bin/ana");
    }
    if purge {
        if std::fs::remove_dir_all(SYSTEM_STATE).is_ok() {
            did(format!("removed {SYSTEM_STATE} (history, its key, used nonces)"));
        }
        if getent("passwd", AGENT_USER).is_some() && try_run(&["userdel", AGENT_USER]) {
            did(format!("removed the account {AGENT_USER}"));
        }
        if getent("group", CLIENT_GROUP).is_some() && try_run(&["groupdel", CLIENT_GROUP]) {
            did(format!("removed the group {CLIENT_GROUP}"));
        }
    } else {
        println!("  kept     {SYSTEM_STATE} and the account `{AGENT_USER}` (`--purge` removes them)");
    }
    println!("system mode is removed; ana is back in user mode");
    Ok(ExitCode::SUCCESS)
}

/// What the software key leaves in the agent's runtime directory while it waits for a touch.
pub const TOUCH_WANTED: &str = "touch-wanted";
/// What `sudo ana touch` writes (in the root-only directory).
pub const TOUCH_FILE: &str = "touch";

/// `sudo ana touch`: the human's finger for the software key in system mode. Waits (up to
/// `wait`) for a ceremony that wants a touch, then gives it — only root can write the touch.
pub fn touch(wait: Duration) -> anyhow::Result<ExitCode> {
    require_root("`ana touch`")?;
    let wanted = Path::new(SYSTEM_RUNTIME).join(TOUCH_WANTED);
    let root = crate::trust::TrustRoot::load(&crate::paths::Paths::resolve(|_| None, crate::paths::Mode::System)).map_err(anyhow::Error::msg)?;
    let deadline = Instant::now() + wait;
    let ceremony = loop {
        if let Ok(m) = std::fs::symlink_metadata(&wanted)
            && m.uid() == root.agent_uid()
            && m.is_file()
            && let Ok(text) = std::fs::read_to_string(&wanted)
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
        {
            break v;
        }
        if Instant::now() >= deadline {
            println!("no ceremony is waiting for a touch");
            return Ok(ExitCode::from(1));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let id = ceremony.get("ceremony").and_then(serde_json::Value::as_str).context("a malformed touch request")?;
    put(&Path::new(SYSTEM_TOUCH).join(TOUCH_FILE), id.as_bytes(), 0o644)?;
    // Like a real key, the touch is for the one ceremony under way (the agent runs one at a
    // time); what it signs is what the prompt showed. The summary comes from the agent's
    // account: escaped, never raw on root's terminal.
    let summary = ceremony.get("summary").and_then(serde_json::Value::as_str).unwrap_or("(the ceremony under way)");
    println!("touched for: {}", crate::render::one_line(summary, 200));
    Ok(ExitCode::SUCCESS)
}
