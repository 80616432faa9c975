//! The blocking client side of the agent protocol (the hook and the CLI). No async runtime.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::protocol::{encode, Request, Response, Role, MAX_FRAME, PROTOCOL_VERSION};

/// Why the agent could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error("the approval agent is not running (no socket at {0})")]
    NotRunning(String),
    #[error("{0} is not the approval agent's socket")]
    NotASocket(String),
    #[error("the approval agent speaks protocol {theirs}, this ana speaks {ours}; restart it (`ana agent stop`, then `ana agent --daemonize`)")]
    Version { theirs: u32, ours: u32 },
    #[error("the approval agent did not answer in time")]
    Timeout,
    #[error("the approval agent closed the connection")]
    Closed,
    #[error("the approval agent sent an invalid message: {0}")]
    Invalid(String),
    #[error("talking to the approval agent failed: {0}")]
    Io(#[from] std::io::Error),
}

/// A connection to the approval agent.
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    /// Connects and exchanges hellos, all within `timeout`.
    pub fn connect(socket: &Path, role: Role, timeout: Duration) -> Result<Client, IpcError> {
        let shown = socket.display().to_string();
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
    pub fn decide(&mut self, id: u64, approve: bool, reason: Option<String>, pin: Option<String>, deadline: Instant) -> Result<(bool, String), IpcError> {
        self.decide_shown(id, approve, reason, pin, None, deadline)
    }

    /// [`Client::decide`] for the request the user was shown: `shown` is its challenge (hex), and
    /// the agent refuses the decision if request `id` is another.
    pub fn decide_shown(&mut self, id: u64, approve: bool, reason: Option<String>, pin: Option<String>, shown: Option<String>, deadline: Instant) -> Result<(bool, String), IpcError> {
        self.send(&Request::Decide { id, approve, reason, pin, shown })?;
        loop {
            if let Response::Decided { id: got, ok, message } = self.recv(deadline)? {
                if got == id {
                    return Ok((ok, message));
                }
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
