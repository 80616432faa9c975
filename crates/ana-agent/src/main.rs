//! `ana-agent`: the approval agent. `ana agent …` and `ana enroll …` hand over to this binary,
//! which is the only one that links the FIDO2 hardware stack.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use ana::paths::Paths;
use ana_agent::authenticator::Authenticator;
use ana_agent::daemon::{self, Options, Shared};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "ana-agent", version, about = "ana's approval agent")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Backend {
    Usb,
    Nfc,
    /// USB keys through ctap-hid-fido2, for keys the default stack mishandles.
    UsbCtaphid,
    /// The software key: insecure, for tests and the demo only.
    Soft,
}

#[derive(clap::Args, Clone)]
struct RunArgs {
    /// Which authenticator approvals use.
    #[arg(long, value_enum, global = true)]
    authenticator: Option<Backend>,
    /// Return once the agent listens; it keeps running in the background.
    #[arg(long)]
    daemonize: bool,
    /// How long an approval that arrives after the hook stopped waiting stays usable (seconds).
    #[arg(long, default_value_t = 300)]
    grant_ttl: u64,
    /// No desktop notifications (they are on when a desktop session is there).
    #[arg(long)]
    no_notify: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the approval agent (the default).
    Run,
    /// Enroll a key: CTAP2 makeCredential for ana's relying party.
    Enroll {
        #[arg(long, default_value = "security key")]
        name: String,
    },
    /// Stop the running agent.
    Stop,
    /// Show the running agent's state.
    Status,
}

fn default_backend() -> Backend {
    if cfg!(feature = "usb") { Backend::Usb } else { Backend::Nfc }
}

fn open(backend: Backend, paths: &Paths) -> anyhow::Result<Box<dyn Authenticator>> {
    Ok(match backend {
        Backend::Soft => Box::new(ana_agent::soft::SoftKey::open(&paths.data.join("softkey.cbor"))?),
        #[cfg(feature = "usb")]
        Backend::Usb => Box::new(ana_agent::hardware::HardwareKey::new(ana_agent::hardware::Kind::Usb)),
        #[cfg(feature = "nfc")]
        Backend::Nfc => Box::new(ana_agent::hardware::HardwareKey::new(ana_agent::hardware::Kind::Nfc)),
        #[cfg(feature = "ctap-hid-fido2")]
        Backend::UsbCtaphid => Box::new(ana_agent::ctaphid::CtapHidKey::default()),
        #[allow(unreachable_patterns)]
        other => anyhow::bail!("this ana-agent was built without {other:?} support"),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = Paths::current();
    let result = match cli.command.unwrap_or(Command::Run) {
        Command::Run => run(&cli.run, &paths),
        Command::Enroll { name } => enroll(cli.run.authenticator.unwrap_or_else(default_backend), &name, &paths),
        Command::Stop => control(&paths, ana::protocol::Request::Stop),
        Command::Status => control(&paths, ana::protocol::Request::Status),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ana-agent: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn enroll(backend: Backend, name: &str, paths: &Paths) -> anyhow::Result<()> {
    let mut auth = open(backend, paths)?;
    let mut keys = ana::keys::load_user(paths).map_err(anyhow::Error::msg)?;
    let exclude: Vec<Vec<u8>> = keys.iter().map(|k| k.credential_id.clone()).collect();
    if !auth.software() {
        eprintln!("touch your security key to enroll it…");
    }
    let key = match auth.register(name, &exclude) {
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
    println!(
        "enrolled {} ({}, {} attestation, AAGUID {}){}",
        key.name,
        key.transport,
        key.attestation_format,
        key.aaguid,
        if key.software { " — a SOFTWARE key: insecure, for tests and the demo only" } else { "" }
    );
    keys.push(key);
    ana::keys::save_user(paths, &keys)?;
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

fn control(paths: &Paths, req: ana::protocol::Request) -> anyhow::Result<()> {
    let mut c = ana::ipc::Client::connect(&paths.socket(), ana::protocol::Role::Cli, Duration::from_secs(5))?;
    c.send(&req)?;
    let resp = c.recv(std::time::Instant::now() + Duration::from_secs(5))?;
    println!("{}", serde_json::to_string(&resp)?);
    Ok(())
}

fn run(args: &RunArgs, paths: &Paths) -> anyhow::Result<()> {
    let backend = args.authenticator.unwrap_or_else(default_backend);
    let auth = open(backend, paths)?;
    let keys = ana::keys::load(paths).map_err(anyhow::Error::msg)?;
    if args.daemonize {
        let notify = !args.no_notify && ana_agent::notify::available();
        return daemonize(move |ready| serve(auth, keys, paths, args.grant_ttl, notify, ready));
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
        tracing::info!(socket = %paths.socket().display(), authenticator = %auth.describe(), keys = keys.len(), "approval agent listening");
        let shared = Shared::new(auth, keys, Options { paths: paths.clone(), grant_ttl: Duration::from_secs(grant_ttl), notify });
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
                    println!("approval agent started (pid {pid})");
                    Ok(())
                } else {
                    anyhow::bail!("the approval agent did not start")
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
