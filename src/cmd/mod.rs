//! One module per subcommand; `run` dispatches and maps errors to exit codes.

pub mod approval;
pub mod check;
pub mod explain;
pub mod hook;
pub mod policy;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, PolicyCommand};

/// Parses the command line and runs the subcommand.
pub fn run(args: Vec<std::ffi::OsString>) -> ExitCode {
    let cli = Cli::parse_from(args);
    let result = match cli.command {
        Command::Hook { .. } => unreachable!("main hands `hook` to cmd::hook before clap runs"),
        Command::Check { agent, json } => check::run(agent.map(|a| a.agent()), json),
        Command::Explain { command, cwd, json } => explain::run(&command, cwd, json),
        Command::Policy { command } => match command {
            PolicyCommand::Check { file } => policy::check(file.as_deref()),
            PolicyCommand::Show { full } => policy::show(full),
            PolicyCommand::Test { file, agent, cwd } => policy::test(&file, agent.agent(), &cwd),
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ana: {e:#}");
            ExitCode::from(1)
        }
    }
}
