//! `ana install` / `ana uninstall`: wire ana into an agent's hook settings, or the approval agent
//! into the user's service manager. Files are changed under a lock, after a backup, through a
//! temporary file that is parsed back before it replaces the original; a file that does not
//! parse is refused and left as it is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::action::Agent;
use crate::cli::{InstallTarget, Scope};
use crate::install::{self, MergeError};
use crate::paths::Paths;

/// Holds an exclusive lock on a file beside the target while it is changed.
/// (The file is held only for its lock.)
struct Lock(#[allow(dead_code)] std::fs::File);

impl Lock {
    /// One lock for every install, in ana's own data directory (not beside the user's files).
    fn take(target: &Path) -> anyhow::Result<Lock> {
        use std::os::fd::AsRawFd;
        let dir = target.parent().context("no parent directory")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let data = Paths::current().data;
        Paths::create_private_dir(&data)?;
        let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(data.join("install.lock"))?;
        // SAFETY: flock on a descriptor this process owns; blocks until the other install is done.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } != 0 {
            anyhow::bail!("locking {}: {}", dir.display(), std::io::Error::last_os_error());
        }
        Ok(Lock(f))
    }
}

/// What kind of text a file holds, to parse it back before it replaces the original.
#[derive(Clone, Copy)]
enum Format {
    Json,
    Toml,
}

/// Rewrites `path` with `change(old text)`. Returns whether anything changed.
fn update(path: &Path, format: Format, change: impl FnOnce(&str) -> Result<String, MergeError>) -> anyhow::Result<bool> {
    let _lock = Lock::take(path)?;
    let old = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let new = change(&old).map_err(|e| anyhow::anyhow!("refusing to change {}: {e}", path.display()))?;
    if new == old {
        return Ok(false);
    }
    match format {
        Format::Json => {
            serde_json::from_str::<serde_json::Value>(&new).with_context(|| format!("the new {} would not parse", path.display()))?;
        }
        Format::Toml => {
            new.parse::<toml_edit::DocumentMut>().with_context(|| format!("the new {} would not parse", path.display()))?;
        }
    }
    if new.trim() == "{}" && !old.is_empty() {
        // Nothing but ana's hook was in it: remove the file install created.
        std::fs::write(PathBuf::from(format!("{}.ana-backup", path.display())), &old)?;
        std::fs::remove_file(path)?;
        return Ok(true);
    }
    write(path, &old, &new)?;
    Ok(true)
}

/// Backs up `path` (when it has content), then replaces it atomically, keeping its mode.
fn write(path: &Path, old: &str, new: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    if !old.is_empty() {
        let backup = PathBuf::from(format!("{}.ana-backup", path.display()));
        std::fs::write(&backup, old).with_context(|| format!("writing the backup {}", backup.display()))?;
    }
    let mode = std::fs::metadata(path).map(|m| m.permissions().mode()).unwrap_or(0o600);
    let tmp = PathBuf::from(format!("{}.ana-tmp-{}", path.display(), std::process::id()));
    let mut f = std::fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    f.write_all(new.as_bytes())?;
    f.sync_all()?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
    std::fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

fn report(path: &Path, changed: bool, what: &str) {
    if changed {
        println!("{what} {}", path.display());
    } else {
        println!("{} already up to date", path.display());
    }
}

fn ana_path() -> anyhow::Result<String> {
    let exe = std::env::current_exe().context("finding this binary")?;
    Ok(exe.canonicalize().unwrap_or(exe).display().to_string())
}

/// The settings file each agent reads for `scope`.
pub fn settings_file(agent: Agent, scope: Scope, paths: &Paths) -> anyhow::Result<PathBuf> {
    let home = PathBuf::from(&paths.home);
    let cwd = std::env::current_dir()?;
    Ok(match (agent, scope) {
        (Agent::ClaudeCode, Scope::User) => home.join(".claude/settings.json"),
        (Agent::ClaudeCode, Scope::Project) => cwd.join(".claude/settings.json"),
        (Agent::ClaudeCode, Scope::Local) => cwd.join(".claude/settings.local.json"),
        (Agent::CopilotCli, Scope::User) => home.join(".copilot/hooks/ana.json"),
        (Agent::CopilotCli, Scope::Project) => cwd.join(".github/hooks/ana.json"),
        (Agent::GeminiCli, Scope::User) => home.join(".gemini/settings.json"),
        (Agent::GeminiCli, Scope::Project) => cwd.join(".gemini/settings.json"),
        (Agent::Codex, Scope::User) => codex_home(paths).join("hooks.json"),
        (Agent::Codex, Scope::Project) => cwd.join(".codex/hooks.json"),
        (a, s) => anyhow::bail!("{} has no {s:?} scope", a.name()),
    })
}

fn codex_home(paths: &Paths) -> PathBuf {
    std::env::var_os("CODEX_HOME").filter(|v| !v.is_empty()).map_or_else(|| Path::new(&paths.home).join(".codex"), PathBuf::from)
}

pub fn install(target: InstallTarget, scope: Scope, timeout: u32) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let ana = ana_path()?;
    if !(5..=3600).contains(&timeout) {
        anyhow::bail!("--timeout {timeout}: give between 5 and 3600 seconds (long enough to touch a key)");
    }
    match target {
        InstallTarget::Service => return service(Change::Install),
        InstallTarget::System => return super::system::install(timeout, super::system::SoftwareKey::Refused, None),
        InstallTarget::Agent(agent) => {
            let file = settings_file(agent, scope, &paths)?;
            match agent {
                Agent::ClaudeCode => report(&file, update(&file, Format::Json, |t| install::claude_code(t, &ana, timeout))?, "installed the PreToolUse hook in"),
                Agent::GeminiCli => report(&file, update(&file, Format::Json, |t| install::gemini_cli(t, &ana, timeout))?, "installed the BeforeTool hook in"),
                Agent::CopilotCli => report(&file, update(&file, Format::Json, |_| Ok(install::copilot_cli(&ana, timeout)))?, "installed the preToolUse hook as"),
                Agent::Codex => {
                    let mut entry = None;
                    let changed = update(&file, Format::Json, |t| {
                        let (text, group, handler) = install::codex_hooks(t, &ana, timeout)?;
                        entry = Some((group, handler));
                        Ok(text)
                    })?;
                    report(&file, changed, "installed the PreToolUse hook in");
                    let (group, handler) = entry.context("the hooks file was not read")?;
                    let hooks_file = file.display().to_string();
                    let key = install::codex_trust_key(&hooks_file, group);
                    let hash = install::codex_trust_hash(&handler, None);
                    let config = file.with_file_name("config.toml");
                    let changed = update(&config, Format::Toml, |t| install::codex_config(t, &hooks_file, &key, Some(&hash)))?;
                    report(&config, changed, "recorded the hook's trust (Codex skips untrusted hooks) in");
                }
            }
            println!("the hook answers within {timeout} s, the agent's timeout for it; restart {} to load it", agent.name());
            if paths.mode == crate::paths::Mode::User {
                println!(
                    "note: this is user mode — it protects against an agent's mistakes, not against an agent set on getting around ana (it can write your files); `sudo ana install system` puts the trust anchor out of its reach"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn uninstall(target: InstallTarget, scope: Scope) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    match target {
        InstallTarget::Service => return service(Change::Uninstall),
        InstallTarget::System => return super::system::uninstall(super::system::AgentState::Keep),
        InstallTarget::Agent(agent) => {
            let file = settings_file(agent, scope, &paths)?;
            if !file.exists() {
                println!("{} does not exist; nothing to remove", file.display());
                return Ok(ExitCode::SUCCESS);
            }
            match agent {
                Agent::ClaudeCode => report(&file, update(&file, Format::Json, install::claude_code_remove)?, "removed ana's hook from"),
                Agent::GeminiCli => report(&file, update(&file, Format::Json, install::gemini_cli_remove)?, "removed ana's hook from"),
                Agent::CopilotCli => {
                    let _lock = Lock::take(&file)?;
                    let text = std::fs::read_to_string(&file)?;
                    if !text.contains("\"copilot-cli\"") {
                        anyhow::bail!("{} was not written by ana; left as it is", file.display());
                    }
                    std::fs::remove_file(&file)?;
                    println!("removed {}", file.display());
                }
                Agent::Codex => {
                    let text = std::fs::read_to_string(&file)?;
                    let group =
                        serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["hooks"]["PreToolUse"].as_array()?.iter().position(|g| g.to_string().contains("hook --agent codex")));
                    report(&file, update(&file, Format::Json, install::codex_hooks_remove)?, "removed ana's hook from");
                    if let Some(group) = group {
                        let hooks_file = file.display().to_string();
                        let key = install::codex_trust_key(&hooks_file, group);
                        let config = file.with_file_name("config.toml");
                        if config.exists() {
                            report(&config, update(&config, Format::Toml, |t| install::codex_config(t, &hooks_file, &key, None))?, "removed the hook's trust from");
                        }
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `service` puts the approval agent's unit in place or takes it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Install,
    Uninstall,
}

/// The systemd user unit (Linux) or launchd agent (macOS) for `ana agent`.
fn service(change: Change) -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let agent = super::agent::agent_binary()?.display().to_string();
    let (file, template) = if cfg!(target_os = "macos") {
        (Path::new(&paths.home).join("Library/LaunchAgents/dev.ana.agent.plist"), include_str!("../../installers/dev.ana.agent.plist"))
    } else {
        (Path::new(&paths.home).join(".config/systemd/user/ana-agent.service"), include_str!("../../installers/ana-agent.service"))
    };
    let run = |cmd: &[&str]| match std::process::Command::new(cmd[0]).args(&cmd[1..]).status() {
        Ok(s) if s.success() => true,
        Ok(_) | Err(_) => {
            println!("  (`{}` did not succeed: run it yourself once a user session is available)", cmd.join(" "));
            false
        }
    };
    if change == Change::Install {
        let unit = template.replace("@ANA_AGENT@", &agent);
        std::fs::create_dir_all(file.parent().context("no parent")?)?;
        let old = std::fs::read_to_string(&file).unwrap_or_default();
        if old != unit {
            write(&file, &old, &unit)?;
        }
        report(&file, old != unit, "wrote");
        if cfg!(target_os = "macos") {
            run(&["launchctl", "load", "-w", &file.display().to_string()]);
        } else {
            run(&["systemctl", "--user", "daemon-reload"]);
            run(&["systemctl", "--user", "enable", "--now", "ana-agent.service"]);
        }
    } else {
        if cfg!(target_os = "macos") {
            run(&["launchctl", "unload", "-w", &file.display().to_string()]);
        } else {
            run(&["systemctl", "--user", "disable", "--now", "ana-agent.service"]);
        }
        if file.exists() {
            std::fs::remove_file(&file)?;
            println!("removed {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
