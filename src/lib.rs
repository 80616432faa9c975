//! ana — Agent Native Authorization.
//!
//! - [`action`]: the agent-independent description of one tool call.
//! - [`wire`]: each agent's hook JSON in and out.
//! - [`policy`]: shell parsing, rules and the verdict; pure, no I/O.
//! - [`rules`]: loading the policy layers (built-in packs, system, user, project).
//! - [`guard`]: classifying an action on this machine; [`ondisk`]: files a command runs, read.
//! - [`intent`]: what an approval signs (RFC 9396 shape, RFC 8785 bytes).
//! - [`origin`]: where a call came from (the agent's process, tty, tmux pane): context, not signed.
//! - [`render`]: the one rendering of an intent, for every surface; every byte visible.
//! - [`webauthn`]: assertions over ana's challenge, verified against enrolled keys.
//! - [`paths`]: every path ana uses, and which mode (user or system) applies.
//! - [`hidraw`]: USB security keys as Linux sees them (sysfs), for `ana doctor` and the agent.
//! - [`time`]: dates for the history and the prompts, without a date library.
//! - [`trust`]: the trust root's settings (system mode).
//! - [`record`]: what a history record says (its kinds, decisions, deciders); [`history`] keeps them.
//! - [`protocol`] and [`ipc`]: the messages between hooks, prompts and the approval agent, and
//!   the blocking client.
//! - [`closed_set`]: enums whose values have one fixed text on the wire and in the database.
//! - [`cli`] and [`cmd`]: the command line.

pub mod action;
pub mod cli;
pub mod closed_set;
pub mod cmd;
pub mod confine;
pub mod guard;
pub mod hidraw;
pub mod history;
pub mod install;
pub mod intent;
pub mod ipc;
pub mod keys;
pub mod ondisk;
pub mod origin;
pub mod paths;
pub mod policy;
pub mod protocol;
pub mod record;
pub mod render;
pub mod rules;
pub mod time;
pub mod tree;
pub mod trust;
pub mod tui;
pub mod webauthn;
pub mod wire;
