//! The blocking client side of the agent protocol (the hook and the CLI). No async runtime.
//! Uses `protocol` (and `paths`, `trust`); `history` uses it to hand a hook's denials to the
//! approval agent, so it never uses `history`.
//!
//! Before it sends a byte (a PIN above all), the client checks whom it talks to: the socket's
//! directory must belong to the expected owner and be writable by nobody else (so no one else
//! could have put the socket there), and the peer's uid (`SO_PEERCRED`) must be the approval
//! agent's — the user in user mode, the agent's own account in system mode.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::protocol::{Choice, MAX_FRAME, PROTOCOL_VERSION, Request, Response, Role, encode};

/// Why the agent could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error("the approver is not running (no socket at {0})")]
    NotRunning(String),
    #[error("{0} is not the approver's socket")]
    NotASocket(String),
    #[error("the approver speaks protocol {theirs}, this ana speaks {ours}; restart it (`ana agent stop`, then `ana agent --daemonize`)")]
    Version { theirs: u32, ours: u32 },
    #[error("the approver did not answer in time")]
    Timeout,
    #[error("the approver closed the connection")]
    Closed,
    #[error("the approver sent an invalid message: {0}")]
    Invalid(String),
    #[error("{0}; refusing to talk to it")]
    Untrusted(String),
    #[error("talking to the approver failed: {0}")]
    Io(#[from] std::io::Error),
}

/// A connection to the approval agent.
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

/// Who must be on the other end of a socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// User mode: the socket's directory is ours and private; the peer is us.
    SameUser { uid: u32 },
    /// System mode: the directory belongs to root or the agent's account and nobody else can
    /// write it; the peer is the agent's account.
    Agent { uid: u32 },
}

impl Expected {
    /// What to expect of `socket`: the system agent's when it is in the system runtime
    /// directory (its account read from the root-owned settings), else the user's own.
    pub fn for_socket(socket: &Path) -> Result<Expected, IpcError> {
        if socket.parent() == Some(Path::new(crate::paths::SYSTEM_RUNTIME)) {
            let paths = crate::paths::Paths::resolve(|_| None, crate::paths::Mode::System);
            return match crate::trust::TrustRoot::load(&paths) {
                Ok(root) => Ok(Expected::Agent { uid: root.agent_uid() }),
                Err(e) => Err(IpcError::Untrusted(format!("the trust root's settings cannot be read ({e})"))),
            };
        }
        Ok(Expected::SameUser { uid: crate::paths::euid() })
    }

    /// Checks the socket's directory.
    pub fn check_dir(self, dir: &Path) -> Result<(), IpcError> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(dir).map_err(|_| IpcError::NotRunning(dir.display().to_string()))?;
        let shown = dir.display();
        if !m.is_dir() {
            return Err(IpcError::Untrusted(format!("{shown} is not a directory")));
        }
        match self {
            Expected::SameUser { uid } => {
                if m.uid() != uid {
                    return Err(IpcError::Untrusted(format!("{shown} belongs to uid {}, not to you (uid {uid}): someone else may have created it", m.uid())));
                }
                if m.mode() & 0o077 != 0 {
                    return Err(IpcError::Untrusted(format!("{shown} is open to others (mode {:o}); `chmod 700 {shown}`", m.mode() & 0o777)));
                }
            }
            Expected::Agent { uid } => {
                if m.uid() != 0 && m.uid() != uid {
                    return Err(IpcError::Untrusted(format!("{shown} belongs to uid {}, neither root nor the approver's account", m.uid())));
                }
                if m.mode() & 0o022 != 0 {
                    return Err(IpcError::Untrusted(format!("{shown} is writable by others (mode {:o})", m.mode() & 0o777)));
                }
            }
        }
        Ok(())
    }

    /// Checks the peer's uid.
    pub fn check_peer(self, peer: u32) -> Result<(), IpcError> {
        let uid = match self {
            Expected::SameUser { uid } | Expected::Agent { uid } => uid,
        };
        if peer != uid {
            return Err(IpcError::Untrusted(format!("the process on the socket runs as uid {peer}, not as the approver (uid {uid})")));
        }
        Ok(())
    }
}

/// The uid of the process on the other end of `stream`.
pub fn peer_uid(stream: &UnixStream) -> std::io::Result<u32> {
    use std::os::fd::AsRawFd;
    #[cfg(target_os = "linux")]
    {
        let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
        let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
        // SAFETY: getsockopt writes at most `len` bytes into `cred`, a ucred.
        let rc = unsafe { libc::getsockopt(stream.as_raw_fd(), libc::SOL_SOCKET, libc::SO_PEERCRED, (&mut cred as *mut libc::ucred).cast(), &mut len) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(cred.uid)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let (mut uid, mut gid) = (0, 0);
        // SAFETY: getpeereid writes two ids.
        if unsafe { libc::getpeereid(stream.as_raw_fd(), &mut uid, &mut gid) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(uid)
    }
}

impl Client {
    /// Connects and exchanges hellos, all within `timeout`. Before sending anything it checks the
    /// socket's directory and the peer (see [`Expected::for_socket`]).
    pub fn connect(socket: &Path, role: Role, timeout: Duration) -> Result<Client, IpcError> {
        Client::connect_expecting(socket, Expected::for_socket(socket)?, role, timeout)
    }

    /// As [`Client::connect`], with the expectations given.
    pub fn connect_expecting(socket: &Path, expected: Expected, role: Role, timeout: Duration) -> Result<Client, IpcError> {
        let shown = socket.display().to_string();
        expected.check_dir(socket.parent().unwrap_or(Path::new("/")))?;
        match std::fs::symlink_metadata(socket) {
            Err(_) => return Err(IpcError::NotRunning(shown)),
            Ok(m) => {
                use std::os::unix::fs::FileTypeExt;
                if !m.file_type().is_socket() {
                    return Err(IpcError::NotASocket(shown));
                }
            }
        }
        let stream = UnixStream::connect(socket).map_err(|e| match e.kind() {
            std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound => IpcError::NotRunning(shown.clone()),
            _ => IpcError::Io(e),
        })?;
        expected.check_peer(peer_uid(&stream)?)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        let writer = stream.try_clone()?;
        let mut c = Client { reader: BufReader::new(stream), writer };
        c.send(&Request::Hello { version: PROTOCOL_VERSION, role })?;
        match c.recv(Instant::now() + timeout)? {
            Response::Hello { version, .. } if version == PROTOCOL_VERSION => Ok(c),
            Response::Hello { version, .. } => Err(IpcError::Version { theirs: version, ours: PROTOCOL_VERSION }),
            Response::Error { message } => Err(IpcError::Invalid(message)),
            other => Err(IpcError::Invalid(format!("expected hello, got {other:?}"))),
        }
    }

    /// Decides request `id` and waits (until `deadline`) for the agent's outcome: whether it
    /// went through, and the agent's message.
    pub fn decide(&mut self, id: u64, choice: Choice, reason: Option<String>, pin: Option<String>, deadline: Instant) -> Result<(bool, String), IpcError> {
        self.decide_shown(id, choice, reason, pin, None, deadline)
    }

    /// [`Client::decide`] for the request the user was shown: `shown` is its challenge (hex), and
    /// the agent refuses the decision if request `id` is another.
    pub fn decide_shown(&mut self, id: u64, choice: Choice, reason: Option<String>, pin: Option<String>, shown: Option<String>, deadline: Instant) -> Result<(bool, String), IpcError> {
        self.send(&Request::Decide { id, choice, reason, pin, shown })?;
        loop {
            if let Response::Decided { id: got, ok, message } = self.recv(deadline)?
                && got == id
            {
                return Ok((ok, message));
            }
        }
    }

    pub fn send(&mut self, req: &Request) -> Result<(), IpcError> {
        self.writer.write_all(&encode(req))?;
        Ok(())
    }

    /// Reads one message, waiting until `deadline` at the latest.
    pub fn recv(&mut self, deadline: Instant) -> Result<Response, IpcError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(IpcError::Timeout);
        }
        self.reader.get_ref().set_read_timeout(Some(left))?;
        let mut line = Vec::new();
        let n = (&mut self.reader).take(MAX_FRAME as u64 + 1).read_until(b'\n', &mut line).map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => IpcError::Timeout,
            _ => IpcError::Io(e),
        })?;
        if n == 0 {
            return Err(IpcError::Closed);
        }
        if line.len() > MAX_FRAME {
            return Err(IpcError::Invalid("a frame larger than the limit".into()));
        }
        serde_json::from_slice(&line).map_err(|e| IpcError::Invalid(e.to_string()))
    }
}
