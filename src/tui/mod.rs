//! The approval prompt: pure state and key handling (`state`), and drawing (`view`).
//! The terminal loop and the connection to the approval agent live in `cmd::prompt`.

pub mod state;
pub mod view;
