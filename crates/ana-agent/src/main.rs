//! `ana-agent`: the approval agent. `ana agent …` and `ana enroll …` hand over to this binary,
//! which is the only one that links the FIDO2 hardware stack.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use std::path::Path;

use ana::cli::{AgentArgs, AgentCommand as Command, AgentRunArgs as RunArgs, AuthenticatorName as Backend};
use ana::paths::{Mode, Paths};
use ana::policy::Level;
use ana_agent::authenticator::Authenticator;
use ana_agent::daemon::{self, Options, Shared};
use clap::FromArgMatches;

/// The command line is `ana agent`'s own (`ana::cli::AgentArgs`): `ana` checks it with the same
/// types before it hands over.
fn parse() -> AgentArgs {
    let matches = ana::cli::agent_command().get_matches();
    AgentArgs::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The authenticators this build can drive.
fn built_in() -> Vec<&'static str> {
    let mut v = vec!["soft"];
    if cfg!(feature = "usb") {
        v.push("usb");
    }
    if cfg!(feature = "nfc") {
        v.push("nfc");
    }
    if cfg!(feature = "ctap-hid-fido2") {
        v.push("usb-ctaphid");
    }
    v
}

fn default_backend() -> Backend {
    if cfg!(feature = "usb") { Backend::Usb } else { Backend::Nfc }
}

fn open(backend: Backend, paths: &Paths, touch_timeout: Duration) -> anyhow::Result<Box<dyn Authenticator>> {
    Ok(match backend {
        Backend::Soft if paths.mode == Mode::System => {
            let gate = ana_agent::soft::TouchGate {
                wanted: paths.runtime.join(ana::cmd::system::TOUCH_WANTED),
                given: Path::new(ana::paths::SYSTEM_TOUCH).join(ana::cmd::system::TOUCH_FILE),
                timeout: touch_timeout,
            };
            Box::new(ana_agent::soft::SoftKey::open(&paths.soft_key())?.with_touch(gate))
        }
        Backend::Soft => Box::new(ana_agent::soft::SoftKey::open(&paths.soft_key())?),
        #[cfg(feature = "usb")]
        Backend::Usb => Box::new(ana_agent::hardware::HardwareKey::new(ana_agent::hardware::Kind::Usb)),
        #[cfg(feature = "nfc")]
        Backend::Nfc => Box::new(ana_agent::hardware::HardwareKey::new(ana_agent::hardware::Kind::Nfc)),
        #[cfg(feature = "ctap-hid-fido2")]
        Backend::UsbCtaphid => Box::new(ana_agent::ctaphid::CtapHidKey::default()),
        #[allow(unreachable_patterns)]
        other => anyhow::bail!("this ana-agent was built without {other:?} support (built in: {}); a macOS build drives only the software key", built_in().join(", ")),
    })
}

fn main() -> ExitCode {
    let cli = parse();
    let run_args = cli.run_args();
    let command = cli.command.unwrap_or(Command::Run(run_args.clone()));
    if run_args.system
        && matches!(command, Command::Run(_))
        && let Err(e) = become_system_agent()
    {
        eprintln!("ana-agent: {e:#}");
        return ExitCode::from(1);
    }
    let paths = Paths::current();
    let result = match command {
        Command::Run(_) => run(&run_args, &paths),
        Command::Enroll(e) => enroll(e.authenticator.unwrap_or_else(default_backend), &e.name, &paths, Duration::from_secs(e.touch_timeout)),
        Command::Stop { json } => stop(&paths, json),
        Command::Status { json } => status(&paths, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ana agent: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// System mode: checks the trust root, and, started as root, prepares the runtime and state
/// directories and becomes the approval agent's account (the client group as its group). Run by
/// that account already (a service manager's `User=`), it only checks.
fn become_system_agent() -> anyhow::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if !ana::paths::system_mode_installed() {
        anyhow::bail!("system mode is not installed ({} is missing or not root's): `sudo ana install system`", ana::paths::SYSTEM_ROOT);
    }
    let root = ana::trust::TrustRoot::load(&Paths::resolve(|_| None, Mode::System)).map_err(anyhow::Error::msg)?;
    let ana::trust::TrustRoot::System(s) = root else { unreachable!("loaded in system mode") };
    let uid = ana::paths::euid();
    if uid == s.agent_uid {
        return Ok(());
    }
    if uid != 0 {
        anyhow::bail!("the system approver runs as `{}`; start it as root (`sudo ana agent --system --daemonize`) or through its service", s.agent_user);
    }
    let make = |dir: &str, mode: u32, owner: u32, group: u32| -> anyhow::Result<()> {
        std::fs::create_dir_all(dir)?;
        let m = std::fs::symlink_metadata(dir)?;
        if !m.is_dir() {
            anyhow::bail!("{dir} is not a directory");
        }
        if m.uid() != owner || m.gid() != group || m.mode() & 0o7777 != mode {
            std::os::unix::fs::chown(dir, Some(owner), Some(group))?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode))?;
        }
        Ok(())
    };
    make(ana::paths::SYSTEM_RUNTIME, 0o750, s.agent_uid, s.client_gid)?;
    make(ana::paths::SYSTEM_STATE, 0o700, s.agent_uid, s.agent_gid)?;
    make(ana::paths::SYSTEM_TOUCH, 0o755, 0, 0)?;
    // SAFETY: plain system calls on this single-threaded process (no runtime yet); each result is
    // checked, and the uid is verified after.
    unsafe {
        // The client group (the socket's), and the account's own (the udev rule gives it the keys).
        let groups = [s.client_gid as libc::gid_t, s.agent_gid as libc::gid_t];
        if libc::setgroups(2, groups.as_ptr()) != 0 || libc::setgid(s.client_gid) != 0 || libc::setuid(s.agent_uid) != 0 {
            anyhow::bail!("dropping to `{}`: {}", s.agent_user, std::io::Error::last_os_error());
        }
        if libc::getuid() != s.agent_uid || libc::geteuid() != s.agent_uid || libc::setuid(0) == 0 {
            anyhow::bail!("could not drop root for `{}`", s.agent_user);
        }
        libc::umask(0o077);
        std::env::set_var("HOME", ana::paths::SYSTEM_STATE);
    }
    Ok(())
}

fn enroll(backend: Backend, name: &str, paths: &Paths, touch_timeout: Duration) -> anyhow::Result<()> {
    if paths.mode == Mode::System {
        return enroll_system(backend, name, paths, touch_timeout);
    }
    let mut auth = open(backend, paths, touch_timeout)?;
    let mut all = ana::keys::load_user_file(paths).map_err(anyhow::Error::msg)?;
    let active = ana::keys::check_chain(&all).map_err(anyhow::Error::msg)?;
    // Keys are removed and chosen by name: two of one name would be ambiguous.
    if active.iter().any(|k| k.name == name) {
        anyhow::bail!("a key named `{}` is enrolled already; choose another name (`ana enroll --name backup`)", ana::render::escape(name));
    }
    let exclude: Vec<Vec<u8>> = all.iter().map(|k| k.credential_id.clone()).collect();
    if !auth.software() {
        eprintln!("touch your security key to enroll it…");
    }
    let mut key = match auth.register(name, &exclude) {
        // A key with a PIN wants it for makeCredential: ask on the terminal, once.
        Err(ana_agent::authenticator::AuthError::PinRequired) if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            let pin = read_pin("the key needs its PIN: ")?;
            auth.set_pin(Some(pin));
            eprintln!("touch your security key…");
            auth.register(name, &exclude)
        }
        other => other,
    }
    .map_err(|e| anyhow::anyhow!("enrolment failed: {e}"))?;
    if active.is_empty() {
        // The first key is trusted on first use, and that is recorded.
        let rec = ana::history::Record {
            time_ms: ana_agent::authenticator::now_ms(),
            tool: "ana enroll".into(),
            summary: format!("enrolled the first key `{}` (trust on first use)", key.name),
            reason: "no key was enrolled, so none could approve this one".into(),
            key_name: Some(key.name.clone()),
            software_key: key.software,
            user: ana::history::user_name(),
            ..ana::history::Record::new(ana::record::RecordKind::Enrolment, ana::record::DecidedBy::User)
        };
        if let Err(e) = ana::history::try_record(paths, rec, Duration::from_secs(2)) {
            anyhow::bail!("the enrolment could not be recorded in the history ({e}); nothing was enrolled");
        }
    } else {
        // Adding a key needs an approval from a key already enrolled.
        let challenge = ana::keys::endorsement_challenge(&key);
        let client_data = ana::webauthn::client_data(&challenge);
        let allow: Vec<Vec<u8>> = active.iter().map(|k| k.credential_id.clone()).collect();
        eprintln!("adding a key needs an approval from one already enrolled ({}): touch it…", active.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join(", "));
        let a = ana_agent::authenticator::assert_over(&mut *auth, &client_data, &allow, Level::Presence).map_err(|e| anyhow::anyhow!("not enrolled: an enrolled key did not approve it ({e})"))?;
        let proof = ana::webauthn::Proof { credential_id: a.credential_id, client_data_json: client_data, authenticator_data: a.authenticator_data, signature: a.signature };
        ana::webauthn::verify(&proof, &challenge, &active, Level::Presence).map_err(|e| anyhow::anyhow!("not enrolled: the approval did not verify ({e})"))?;
        key.endorsement = Some(ana::webauthn::Endorsement { by: proof.credential_id.clone(), proof });
    }
    println!(
        "enrolled {} ({}, {} attestation, AAGUID {}){}",
        key.name,
        key.transport,
        key.attestation_format,
        key.aaguid,
        if key.software { " — a SOFTWARE key: insecure, for tests and the demo only" } else { "" }
    );
    all.push(key);
    ana::keys::save_user_file(paths, &all)?;
    Ok(())
}

fn connect(paths: &Paths) -> anyhow::Result<ana::ipc::Client> {
    Ok(ana::ipc::Client::connect(&paths.socket(), ana::protocol::Role::Cli, Duration::from_secs(5))?)
}

fn status(paths: &Paths, json: bool) -> anyhow::Result<()> {
    use ana::protocol::{Request, Response};
    let mut c = connect(paths)?;
    c.send(&Request::Status)?;
    let resp = c.recv(std::time::Instant::now() + Duration::from_secs(10))?;
    if json {
        println!("{}", serde_json::to_string(&resp)?);
        return Ok(());
    }
    let Response::Status { pid, version, pending, grants, authenticator, software, keys, key_present, started_ms } = resp else {
        anyhow::bail!("the approver answered status with {resp:?}");
    };
    let since = started_ms.map(|ms| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
        format!(" for {}", ana::time::human_duration(Duration::from_millis(now.saturating_sub(ms))))
    });
    println!("approver running (pid {pid}){}, protocol {version}", since.unwrap_or_default());
    println!("  socket         {}", paths.socket().display());
    println!("  authenticator  {authenticator}{}", if software && !authenticator.contains("INSECURE") { " (SOFTWARE key: insecure)" } else { "" });
    println!(
        "  key            {}",
        match key_present {
            Some(true) => "present",
            Some(false) => "not found — plug in your security key",
            None => "cannot tell without a ceremony",
        }
    );
    println!("  enrolled keys  {keys}");
    println!("  pending        {pending}");
    println!("  grants         {grants} (late approvals waiting for the agent's retry)");
    Ok(())
}

fn stop(paths: &Paths, json: bool) -> anyhow::Result<()> {
    let mut c = connect(paths)?;
    c.send(&ana::protocol::Request::Stop)?;
    let resp = c.recv(std::time::Instant::now() + Duration::from_secs(5))?;
    if json {
        println!("{}", serde_json::to_string(&resp)?);
        return Ok(());
    }
    match resp {
        ana::protocol::Response::Decided { ok: true, .. } => println!("approver stopped"),
        other => anyhow::bail!("the approver did not stop: {other:?}"),
    }
    Ok(())
}

/// Reads a line from the terminal on stdin without echoing it.
fn read_pin(prompt: &str) -> anyhow::Result<String> {
    let fd = 0;
    // SAFETY: termios is plain data filled by tcgetattr on a terminal fd, restored below.
    let saved = unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            anyhow::bail!("reading the PIN: {}", std::io::Error::last_os_error());
        }
        let saved = t;
        t.c_lflag &= !libc::ECHO;
        libc::tcsetattr(fd, libc::TCSANOW, &t);
        saved
    };
    // The prompt only once echo is off: a PIN typed at the prompt's first sight is not shown.
    eprint!("{prompt}");
    let mut line = String::new();
    let read = std::io::stdin().read_line(&mut line);
    // SAFETY: restores the settings read above.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
    eprintln!();
    read?;
    let pin = line.trim_end_matches(['\r', '\n']).to_owned();
    if pin.is_empty() {
        anyhow::bail!("no PIN given");
    }
    Ok(pin)
}

/// System mode: only root enrolls, into /etc/ana (the public parts). A software key only where the
/// trust root allows one; its file stays the approval agent's.
fn enroll_system(backend: Backend, name: &str, paths: &Paths, touch_timeout: Duration) -> anyhow::Result<()> {
    if ana::paths::euid() != 0 {
        anyhow::bail!("in system mode only root enrolls keys: `sudo ana enroll`");
    }
    let root = ana::trust::TrustRoot::load(paths).map_err(anyhow::Error::msg)?;
    if backend == Backend::Soft && !root.allows_software_key() {
        anyhow::bail!("this machine's trust root does not allow a software key (`sudo ana install system --allow-software-key`, for tests and demos only)");
    }
    let mut auth = open(backend, paths, touch_timeout)?;
    if backend == Backend::Soft {
        // The key file belongs to the approval agent's account, unreadable by the user.
        if let ana::trust::TrustRoot::System(s) = &root {
            std::os::unix::fs::chown(paths.soft_key(), Some(s.agent_uid), Some(s.agent_gid))?;
        }
    }
    let mut keys = ana::keys::load(paths).map_err(anyhow::Error::msg)?;
    if keys.iter().any(|k| k.name == name) {
        anyhow::bail!("a key named `{}` is enrolled already; choose another name", ana::render::escape(name));
    }
    let exclude: Vec<Vec<u8>> = keys.iter().map(|k| k.credential_id.clone()).collect();
    if !auth.software() {
        eprintln!("touch your security key to enroll it…");
    }
    let key = auth.register(name, &exclude).map_err(|e| anyhow::anyhow!("enrolment failed: {e}"))?;
    if let (true, ana::trust::TrustRoot::System(s)) = (backend == Backend::Soft, &root) {
        std::os::unix::fs::chown(paths.soft_key(), Some(s.agent_uid), Some(s.agent_gid))?;
    }
    println!("enrolled {} into {} ({}){}", key.name, ana::keys::system_file(paths).display(), key.transport, if key.software { " — a SOFTWARE key: insecure, for tests and demos only" } else { "" });
    keys.push(key);
    ana::keys::save_system(paths, &keys)?;
    println!("a running approver uses it from its next request; to start one: `sudo ana agent --system --daemonize` (or its service)");
    Ok(())
}

fn run(args: &RunArgs, paths: &Paths) -> anyhow::Result<()> {
    if args.system && paths.mode != Mode::System {
        anyhow::bail!("system mode is not installed: `sudo ana install system`");
    }
    if paths.mode == Mode::System && !args.system {
        anyhow::bail!("this machine is in system mode: the approver runs as its own account (`sudo ana agent --system --daemonize`, or its service)");
    }
    let mut keys = ana::keys::load(paths).map_err(anyhow::Error::msg)?;
    let backend = match args.authenticator {
        Some(b) => b,
        // Only software keys are enrolled: driving USB could never approve anything.
        None if !keys.is_empty() && keys.iter().all(|k| k.software) => {
            eprintln!("ana agent: only software keys are enrolled, so approvals use the software key (insecure: tests and the demo only); enroll a security key with `ana enroll`");
            Backend::Soft
        }
        None => default_backend(),
    };
    if let (Some(b), false) = (args.authenticator, keys.is_empty()) {
        let soft = keys.iter().filter(|k| k.software).count();
        if b == Backend::Soft && soft == 0 {
            eprintln!("ana agent: warning: no software key is enrolled, so the software key can approve nothing; enroll one with `ana enroll --authenticator soft` or start without --authenticator");
        } else if b != Backend::Soft && soft == keys.len() {
            eprintln!("ana agent: warning: only software keys are enrolled, so {b:?} can approve nothing; enroll a security key with `ana enroll`");
        }
    }
    let auth = open(backend, paths, Duration::from_secs(args.touch_timeout))?;
    if paths.mode == Mode::System {
        // Sign counters are the agent's own state (the keys file is root's).
        if let Ok(bytes) = std::fs::read(paths.state.join("sign-counts.json")) {
            let counts: std::collections::BTreeMap<String, u32> = serde_json::from_slice(&bytes).unwrap_or_default();
            for k in keys.iter_mut() {
                if let Some(c) = counts.get(&ana::webauthn::b64(&k.credential_id)) {
                    k.sign_count = k.sign_count.max(*c);
                }
            }
        }
    }
    if args.daemonize {
        let notify = !args.no_notify && ana_agent::notify::available();
        return daemonize(move |ready| {
            ana_agent::log::to_file(&paths.state);
            serve(auth, keys, paths, args.grant_ttl, notify, ready)
        });
    }
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_env("ANA_LOG").unwrap_or_else(|_| "info".into())).with_writer(std::io::stderr).init();
    let notify = !args.no_notify && ana_agent::notify::available();
    serve(auth, keys, paths, args.grant_ttl, notify, Box::new(|| {}))
}

fn serve(auth: Box<dyn Authenticator>, keys: Vec<ana::webauthn::EnrolledKey>, paths: &Paths, grant_ttl: u64, notify: bool, ready: Box<dyn FnOnce()>) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = daemon::bind(paths)?;
        if auth.software() {
            tracing::warn!("using the SOFTWARE key: approvals are not protected by hardware (tests and demo only)");
        }
        tracing::info!(socket = %paths.socket().display(), authenticator = %auth.describe(), keys = keys.len(), "approver listening");
        let trust = ana::trust::TrustRoot::load(paths).map_err(anyhow::Error::msg)?;
        if auth.software() && !trust.allows_software_key() {
            anyhow::bail!("this machine's trust root (/etc/ana/settings.toml) does not allow a software key");
        }
        let shared = Shared::new(auth, keys, Options { paths: paths.clone(), grant_ttl: Duration::from_secs(grant_ttl), notify, trust });
        ready();
        daemon::serve(listener, shared).await
    })?;
    let _ = std::fs::remove_file(paths.socket());
    Ok(())
}

/// Forks; the child becomes the agent and acknowledges on a pipe once it listens; the parent
/// waits for that acknowledgement (or the child's failure) and returns.
fn daemonize(child: impl FnOnce(Box<dyn FnOnce()>) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut fds = [0; 2];
    // SAFETY: pipe fills two fds; fork duplicates this single-threaded process (no runtime yet).
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            anyhow::bail!("pipe: {}", std::io::Error::last_os_error());
        }
        match libc::fork() {
            -1 => anyhow::bail!("fork: {}", std::io::Error::last_os_error()),
            0 => {
                libc::close(fds[0]);
                libc::setsid();
                let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
                libc::dup2(null, 0);
                libc::dup2(null, 1);
                let mut ack = std::fs::File::from_raw_fd_checked(fds[1]);
                let result = child(Box::new(move || {
                    let _ = ack.write_all(b"ready\n");
                    let _ = libc::dup2(null, 2);
                }));
                if let Err(e) = &result {
                    eprintln!("ana-agent: {e:#}");
                }
                std::process::exit(if result.is_ok() { 0 } else { 1 });
            }
            pid => {
                libc::close(fds[1]);
                let mut f = std::fs::File::from_raw_fd_checked(fds[0]);
                let mut buf = String::new();
                let _ = f.read_to_string(&mut buf);
                if buf.starts_with("ready") {
                    println!("approver started (pid {pid})");
                    Ok(())
                } else {
                    anyhow::bail!("the approver did not start")
                }
            }
        }
    }
}

trait FromRawFdChecked {
    fn from_raw_fd_checked(fd: i32) -> Self;
}

impl FromRawFdChecked for std::fs::File {
    fn from_raw_fd_checked(fd: i32) -> Self {
        use std::os::fd::FromRawFd;
        // SAFETY: `fd` is a pipe end this process owns and hands over exactly once.
        unsafe { std::fs::File::from_raw_fd(fd) }
    }
}
