//! The approval prompt: pure state and key handling (`state`), and drawing (`view`); the
//! history browser (`history`).
//! The terminal loop and the connection to the approval agent live in `cmd::prompt`.

pub mod history;
pub mod state;
pub mod view;
