//! ana — Agent Native Authorization.
//!
//! - [`action`]: the agent-independent description of one tool call.
//! - [`wire`]: each agent's hook JSON in and out.
//! - [`policy`]: shell parsing, rules and the verdict; pure, no I/O.
//! - [`rules`]: loading the policy layers (built-in packs, system, user, project).
//! - [`guard`]: classifying an action on this machine.
//! - [`paths`]: every path ana uses.
//! - [`cli`] and [`cmd`]: the command line.

pub mod action;
pub mod cli;
pub mod cmd;
pub mod guard;
pub mod paths;
pub mod policy;
pub mod rules;
pub mod wire;
