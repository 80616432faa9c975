//! `ana doctor`: checks the installation and says how to fix each problem.

use std::os::unix::fs::PermissionsExt;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::action::Agent;
use crate::cli::Scope;
use crate::paths::Paths;

struct Report {
    bad: usize,
}

/// Every line escaped: settings files, paths and errors may hold text an agent wrote.
impl Report {
    fn ok(&self, what: &str) {
        println!("ok    {}", crate::render::escape(what));
    }
    fn bad(&mut self, what: &str, fix: &str) {
        self.bad += 1;
        println!("FAIL  {}\n      fix: {}", crate::render::escape(what), crate::render::escape(fix));
    }
    fn note(&self, what: &str) {
        println!("--    {}", crate::render::escape(what));
    }
}

/// System mode: the trust root and everything around it belong to root or the agent's account,
/// with modes that keep the user out.
fn system_checks(r: &mut Report) {
    use std::os::unix::fs::MetadataExt;
    let settings = match crate::trust::TrustRoot::load(&Paths::resolve(|_| None, crate::paths::Mode::System)) {
        Ok(crate::trust::TrustRoot::System(s)) => s,
        Ok(_) => return,
        Err(e) => {
            r.bad(&format!("the trust root's settings cannot be read: {e}"), "`sudo ana install system`");
            return;
        }
    };
    if settings.allow_software_key {
        r.bad("the trust root lets a SOFTWARE key count (tests and demos only)", "`sudo ana install system` (without --allow-software-key)");
    }
    let lib = crate::install::system::LIB_DIR;
    let checks: [(String, u32, u32, &str); 9] = [
        (crate::paths::SYSTEM_ROOT.into(), 0, 0o022, "root's, writable by root only"),
        (format!("{}/keys.json", crate::paths::SYSTEM_ROOT), 0, 0o022, "root's, writable by root only"),
        (format!("{}/settings.toml", crate::paths::SYSTEM_ROOT), 0, 0o022, "root's, writable by root only"),
        (format!("{lib}/ana"), 0, 0o022, "root's, writable by root only"),
        (format!("{lib}/ana-agent"), 0, 0o022, "root's, writable by root only"),
        (crate::paths::SYSTEM_STATE.into(), settings.agent_uid, 0o077, "the agent account's, private"),
        (crate::paths::SYSTEM_RUNTIME.into(), settings.agent_uid, 0o027, "the agent account's, open to its group only"),
        (crate::paths::SYSTEM_TOUCH.into(), 0, 0o022, "root's, writable by root only"),
        (crate::install::system::CLAUDE_CODE_MANAGED.into(), 0, 0o022, "root's, writable by root only"),
    ];
    for (path, owner, forbidden, what) in checks {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => r.bad(&format!("{path} is a symbolic link"), "`sudo ana install system`"),
            Ok(m) if (m.uid() == owner || (owner != 0 && m.uid() == 0 && path == crate::paths::SYSTEM_RUNTIME)) && m.mode() & forbidden == 0 => r.ok(&format!("{path}: {what}")),
            Ok(m) => r.bad(&format!("{path}: owned by uid {} mode {:o}; it must be {what}", m.uid(), m.mode() & 0o7777), "`sudo ana install system`"),
            Err(e) => r.bad(&format!("{path}: {e}"), "`sudo ana install system`"),
        }
    }
}

pub fn run() -> anyhow::Result<ExitCode> {
    let paths = Paths::current();
    let mut r = Report { bad: 0 };
    let exe = std::env::current_exe()?.canonicalize()?;
    match paths.mode {
        crate::paths::Mode::System => {
            r.ok("system mode: the trust root (/etc/ana), the approver's account and its state are out of your user's reach");
            system_checks(&mut r);
        }
        crate::paths::Mode::User => r.note("user mode: ana protects against an agent's mistakes, not against an agent set on getting around it (it can write your files); `sudo ana install system` moves the trust anchor out of its reach"),
    }

    let on_path = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).any(|d| d.join("ana").canonicalize().is_ok_and(|p| p == exe));
    if on_path {
        r.ok("ana is on PATH")
    } else {
        r.bad("this ana is not the one on PATH", "put it on PATH (installers/install.sh copies it to ~/.local/bin)")
    }

    for agent in Agent::ALL {
        let Ok(file) = super::install::settings_file(agent, Scope::User, &paths) else { continue };
        let Ok(text) = std::fs::read_to_string(&file) else {
            r.note(&format!("{}: no hook installed ({} absent) — `ana install {}` if you use it", agent.name(), file.display(), agent.name()));
            continue;
        };
        let marker = format!("hook --agent {}", agent.name());
        let v: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                r.bad(&format!("{}: {} does not parse ({e}); the agent ignores it and runs without the guard", agent.name(), file.display()), "fix the JSON, then `ana install` again");
                continue;
            }
        };
        // Every form `ana install` writes: a `command` string, or `exec` + `args` (Copilot CLI).
        let handler = find_handler(&v, &marker);
        if handler.is_none() {
            r.note(&format!("{}: no ana hook in {} — `ana install {}` if you use it", agent.name(), file.display(), agent.name()));
            continue;
        }
        let command = handler
            .as_ref()
            .map(|h| {
                h["command"].as_str().map(str::to_owned).unwrap_or_else(|| {
                    format!("{} {}", h["exec"].as_str().unwrap_or(""), h["args"].as_array().map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(" ")).unwrap_or_default())
                })
            })
            .unwrap_or_default();
        let points_here = command.split_whitespace().next().is_some_and(|b| std::path::Path::new(b.trim_matches('\'')).canonicalize().is_ok_and(|p| p == exe));
        let hook_timeout = command.split_whitespace().skip_while(|w| *w != "--timeout").nth(1).and_then(|t| t.parse::<u64>().ok());
        let agent_timeout = handler.as_ref().and_then(|h| h.get("timeout").or_else(|| h.get("timeoutSec")).and_then(|t| t.as_u64())).map(|t| if agent == Agent::GeminiCli { t / 1000 } else { t });
        if !points_here {
            r.bad(&format!("{}: the hook runs `{command}`, not this ana", agent.name()), &format!("`ana install {}`", agent.name()));
        } else if hook_timeout.is_none() || hook_timeout != agent_timeout {
            r.bad(
                &format!("{}: the hook's --timeout ({hook_timeout:?}) and the agent's ({agent_timeout:?}) disagree; past the agent's, the call runs unguarded", agent.name()),
                &format!("`ana install {}`", agent.name()),
            );
        } else {
            r.ok(&format!("{}: hook installed in {} (timeout {} s)", agent.name(), file.display(), hook_timeout.unwrap_or(0)));
        }
    }

    let key_account = match paths.mode {
        crate::paths::Mode::System => crate::trust::key_account(),
        crate::paths::Mode::User => None,
    };
    let usb = match &key_account {
        Some(a) => crate::hidraw::scan_for(a),
        None => crate::hidraw::scan(),
    };
    let usb_blocked = usb.iter().any(|k| !k.accessible);
    match crate::ipc::Client::connect(&paths.socket(), crate::protocol::Role::Cli, Duration::from_secs(2)) {
        Ok(mut c) => {
            let _ = c.send(&crate::protocol::Request::Status);
            match c.recv(Instant::now() + Duration::from_secs(2)) {
                Ok(crate::protocol::Response::Status { pid, authenticator, software, key_present, .. }) => {
                    r.ok(&format!("approver running (pid {pid}, protocol {}, {authenticator})", crate::protocol::PROTOCOL_VERSION));
                    match key_present {
                        Some(true) => r.ok("a security key is present"),
                        // Plugged in but out of the agent's reach: the USB check below says why.
                        Some(false) if usb_blocked => r.note("the approval agent finds no security key it may open (see the USB check below)"),
                        Some(false) => r.bad("no security key is plugged in (or in range of the NFC reader)", "plug in your key; approvals wait for it"),
                        None => r.note("the approver cannot tell whether a key is present without asking for a touch"),
                    }
                    if software {
                        r.bad("the approver uses the SOFTWARE key", "restart it with a hardware key: `ana agent stop`, then `ana agent --daemonize`");
                    }
                }
                _ => r.bad("the approver did not answer its status", "`ana agent stop`, then `ana agent --daemonize`"),
            }
        }
        Err(e) => r.bad(&format!("approver: {e}"), "`ana agent --daemonize`, or `ana install service` to start it with your session"),
    }
    agent_log(&paths, &r);

    usb_keys(&mut r, &usb, key_account.as_ref());

    match crate::keys::load(&paths) {
        Ok(k) if k.is_empty() => r.bad("no security key enrolled", "`ana enroll` (and a second, backup key: `ana enroll --name backup`)"),
        Ok(k) => {
            let soft = k.iter().filter(|k| k.software).count();
            r.ok(&format!("{} key(s) enrolled", k.len()));
            if soft > 0 {
                r.bad(
                    &format!("{soft} SOFTWARE key(s) enrolled: their private key is a file, so whoever can read it approves without a human (tests and demos only)"),
                    "`ana keys remove NAME` for each software key",
                );
            }
            if k.len() == 1 {
                r.note("only one key enrolled: if you lose it, nothing can be approved — enroll a backup key");
            }
        }
        Err(e) => r.bad(&format!("enrolled keys cannot be read: {e}"), "restore keys.json from a backup or enroll again"),
    }

    let cwd = std::env::current_dir()?.display().to_string();
    match crate::rules::load(&paths, crate::paths::project_root(&cwd, &paths.home).as_deref()) {
        Ok(_) => r.ok("policy valid (every layer that applies here)"),
        Err(e) => r.bad(&format!("policy: {e} — the hook denies every call until it is fixed"), "`ana policy check`, then fix the file it names"),
    }
    match crate::confine::support() {
        crate::confine::Support::Landlock { abi } => {
            // Apply the default profile for real, in a child, so a ruleset the kernel refuses shows here.
            let tried = std::process::Command::new(&exe).args(["run", "--", "true"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).output();
            match tried {
                Ok(o) if o.status.success() => {
                    r.ok(&format!("confinement: Landlock ABI {abi}; every shell command ana lets run runs confined (`ana run --explain` lists the areas)"));
                    match git_held(&exe) {
                        Ok(()) => r.ok("confinement: a repository's .git/config and .git/hooks are held read-only (a mount namespace of the command's own)"),
                        Err(why) => r.note(&format!("confinement: a repository's .git/config and .git/hooks are not held here ({why}): a confined command can change them")),
                    }
                }
                Ok(o) => r.bad(
                    &format!("confinement: Landlock ABI {abi}, but `ana run` failed: {}", String::from_utf8_lossy(&o.stderr).trim()),
                    "check `ana run --explain` and your policy's [[profile]] tables",
                ),
                Err(e) => r.bad(&format!("confinement: cannot start `ana run`: {e}"), "reinstall ana"),
            }
        }
        crate::confine::Support::Unavailable(why) => {
            r.note(&format!("confinement unavailable ({why}): allowed commands run unconfined, and code ana cannot see into (calls under `confine` rules) need approval instead"))
        }
    }

    if paths.mode == crate::paths::Mode::System {
        r.note("the history belongs to the approver: `ana history verify` asks it");
    } else if paths.history_db().exists() {
        let keys = crate::keys::load(&paths).unwrap_or_default();
        match crate::history::History::open(&paths.history_db(), Duration::from_secs(2)).and_then(|h| h.verify(&keys)) {
            Ok(Ok(n)) => r.ok(&format!("history verifies ({n} records)")),
            Ok(Err(e)) => r.bad(&format!("history does not verify: {e}"), "`ana history show` that record; the history was changed outside ana"),
            Err(e) => r.bad(&format!("history cannot be read: {e}"), "check the permissions of the data directory"),
        }
    } else {
        r.note("no history yet");
    }

    // User mode's own directories; system mode's (group-readable by design) are checked above
    // against the modes the install gives them.
    let own = if paths.mode == crate::paths::Mode::User { vec![(&paths.runtime, "runtime directory"), (&paths.data, "data directory")] } else { Vec::new() };
    for (dir, what) in own {
        if let Ok(m) = std::fs::metadata(dir) {
            if m.permissions().mode() & 0o077 != 0 {
                r.bad(&format!("{what} {} is readable by others ({:o})", dir.display(), m.permissions().mode() & 0o777), &format!("chmod 700 {}", dir.display()));
            } else {
                r.ok(&format!("{what} {} is private", dir.display()));
            }
        }
    }
    if let Ok(m) = std::fs::symlink_metadata(paths.socket())
        && paths.mode == crate::paths::Mode::User
        && m.permissions().mode() & 0o077 != 0
    {
        r.bad("the agent's socket is open to others", "restart the agent (`ana agent stop`, `ana agent --daemonize`)");
    }

    println!();
    if r.bad == 0 {
        println!("everything checks out");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s)", r.bad);
        Ok(ExitCode::from(1))
    }
}

/// USB keys as the system shows them, apart from the agent's view: a key the agent cannot reach
/// (no udev, no permission) is named with the fix. In system mode the keys must be open to the
/// approval agent's account, not to the user running doctor, and the udev rule must be there.
fn usb_keys(r: &mut Report, keys: &[crate::hidraw::HidKey], account: Option<&crate::hidraw::Account>) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let listed = || keys.iter().map(|k| format!("{} ({})", k.node.display(), k.name)).collect::<Vec<_>>().join(", ");
    let Some(account) = account else {
        match crate::hidraw::obstacle(keys) {
            Some((what, fix)) => r.bad(&what, &fix),
            None if keys.is_empty() => r.note("no USB security key in /sys/class/hidraw"),
            None => r.ok(&format!("USB security key(s) ready: {}", listed())),
        }
        return;
    };
    let rule = std::path::Path::new(crate::install::system::UDEV_RULE);
    let udev = crate::hidraw::Udev::here(rule);
    match crate::hidraw::account_obstacle(keys, account, &udev, rule) {
        Some((what, fix)) => r.bad(&what, &fix),
        None if keys.is_empty() => {
            r.note("no USB security key in /sys/class/hidraw");
            if !udev.rule_installed {
                r.bad(&format!("the udev rule {} is missing: a key plugged in will be out of the approval agent's reach", rule.display()), "`sudo ana install system`");
            }
        }
        None => r.ok(&format!("USB security key(s) ready for the approval agent's account `{}`: {}", account.name, listed())),
    }
}

fn find_handler(v: &serde_json::Value, marker: &str) -> Option<serde_json::Value> {
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        match x {
            serde_json::Value::Object(m) => {
                let cmd = m.get("command").and_then(|c| c.as_str()).unwrap_or("");
                let args = m.get("args").and_then(|a| a.as_array()).map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(" ")).unwrap_or_default();
                if cmd.contains(marker) || args.contains(marker) {
                    return Some(x.clone());
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    None
}

/// The approval agent's last warnings and errors, from the log it writes when it runs in the
/// background (`agent.log` in its state directory; under systemd, the journal).
fn agent_log(paths: &Paths, r: &Report) {
    let file = paths.state.join("agent.log");
    let text = match std::fs::read(&file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(256 * 1024)..]).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            r.note(&format!("the approver's log ({}) is its account's; `sudo tail {}` or `journalctl -u ana-agent`", file.display(), file.display()));
            return;
        }
        Err(_) => return,
    };
    let problems: Vec<&str> = text.lines().filter(|l| l.contains(" WARN ") || l.contains(" ERROR ")).collect();
    if problems.is_empty() {
        r.ok(&format!("the approver's log has no warnings or errors ({})", file.display()));
        return;
    }
    r.note(&format!("the approver's last warnings and errors ({}):", file.display()));
    for l in problems.iter().rev().take(5).rev() {
        println!("        {}", crate::render::one_line(l, 200));
    }
}

/// Whether `ana run` holds a repository's `.git/config` here: a confined append to it, in a
/// scratch repository, must fail and change nothing.
fn git_held(exe: &std::path::Path) -> Result<(), String> {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("ana-doctor-{}", nonce.iter().map(|b| format!("{b:02x}")).collect::<String>()));
    let config = dir.join(".git/config");
    let result = (|| {
        std::fs::create_dir_all(dir.join(".git/hooks")).map_err(|e| e.to_string())?;
        std::fs::write(&config, "[core]\n").map_err(|e| e.to_string())?;
        let project = dir.to_str().ok_or("a temp directory that is not UTF-8")?;
        let out = std::process::Command::new(exe)
            .args(["run", "--resolved", "--project", project, "-c", "echo '[x]' >> .git/config"])
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
            .map_err(|e| e.to_string())?;
        let after = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
        match (out.status.success(), after == "[core]\n") {
            (false, true) => Ok(()),
            _ => Err("no mount namespace could be made: user namespaces are turned off or restricted".to_owned()),
        }
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
