//! Each agent's hook JSON in and out.
//!
//! `parse` turns the bytes an agent wrote on the hook's stdin into an [`Action`]; `render` turns a
//! decision into the exact bytes and exit code that agent understands. Unknown fields are
//! tolerated; anything missing, mistyped or malformed is a [`WireError`], which the hook turns into
//! a deny. No I/O here.

mod input;
mod output;

pub use input::{MAX_PAYLOAD_BYTES, detect_agent, parse, tool_input};
pub use output::{Answer, Rendered, render, with_command};

/// Why a payload could not be understood. Every variant ends in a deny.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WireError {
    #[error("the hook payload is empty")]
    Empty,
    #[error("the hook payload is larger than {MAX_PAYLOAD_BYTES} bytes")]
    TooLarge,
    #[error("the hook payload is not valid JSON: {0}")]
    Json(String),
    #[error("the hook payload is not a JSON object")]
    NotAnObject,
    #[error("the hook payload has no usable `{0}`")]
    Missing(&'static str),
    #[error("the hook payload's `{0}` has the wrong type")]
    WrongType(&'static str),
    #[error("the hook payload's `cwd` is not an absolute path")]
    RelativeCwd,
    #[error("could not tell which agent sent this payload; run `ana hook --agent NAME`")]
    UnknownAgent,
}
