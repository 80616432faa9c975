//! One module per subcommand; `run` dispatches and maps errors to exit codes.

pub mod agent;
pub mod approval;
pub mod check;
pub mod decide;
pub mod demo;
pub mod doctor;
pub mod explain;
pub mod history;
pub mod hook;
pub mod install;
pub mod keys;
pub mod man;
pub mod policy;
pub mod policy_edit;
pub mod prompt;
pub mod run;
pub mod system;

use std::process::ExitCode;

use clap::Parser;

/// The exit-code policy of every `ana` command except `hook` (whose exit codes are each agent's
/// protocol). Documented in `ana --help` and the man page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// It worked; `ana check`: the call is allowed.
    Success = 0,
    /// A "no": a deny, nothing pending, a decision that did not go through, a check that found
    /// problems (`doctor`, `history verify`, `policy check`).
    No = 1,
    /// The command line was wrong.
    Usage = 2,
    /// ana could not do it: the approval agent unreachable, a file unreadable, an internal error.
    Failure = 3,
    /// `ana check`: the call needs an approval on the key.
    Approve = 4,
    /// `ana check`: the call is deferred to the agent's own prompt.
    Ask = 5,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

use crate::cli::{Cli, Command, KeysCommand, PolicyCommand};

/// Parses the command line and runs the subcommand.
pub fn run(args: Vec<std::ffi::OsString>) -> ExitCode {
    // A closed stdout (`ana history list | head`) ends the process quietly, as in C tools, rather
    // than in a panic on the next write. The hook never gets here (it answers on its own terms).
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse_from(&args);
    let result = match cli.command {
        Command::Hook { .. } => unreachable!("main hands `hook` to cmd::hook before clap runs"),
        Command::Run { .. } => unreachable!("main hands `run` to cmd::run before clap runs"),
        Command::Check { agent, json } => check::run(agent.map(|a| a.agent()), json),
        Command::Explain { command, cwd, json } => explain::run(&command, cwd, json),
        Command::Policy { command } => match command {
            PolicyCommand::Check { file, layer } => policy::check(file.as_deref(), layer.map(crate::cli::LayerName::layer)),
            PolicyCommand::Edit { layer } => policy_edit::edit(layer.layer()),
            PolicyCommand::Show { full } => policy::show(full),
            PolicyCommand::Test { file, agent, cwd } => policy::test(&file, agent.agent(), &cwd),
        },
        // clap has checked them with the approver's own types (`cli::AgentArgs`, `EnrollArgs`);
        // `ana-agent` gets them exactly as typed. `hook` and `run` aside, `ana` takes no option
        // before its subcommand, so they are everything after it.
        Command::Agent(_) => agent::exec(&forwarded(&args, None)),
        Command::Enroll(_) => agent::exec(&forwarded(&args, Some("enroll"))),
        Command::Keys { command: KeysCommand::List } => keys::list(),
        Command::Keys { command: KeysCommand::Remove { key } } => keys::remove(&key),
        Command::Approve { yes: true, id, .. } => decide::run(id, crate::protocol::Choice::Approve, None),
        Command::Approve { plain: true, .. } => prompt::run_plain(),
        Command::Approve { .. } => {
            // The full-screen prompt needs a terminal that can draw it.
            use std::io::IsTerminal;
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb" || t.is_empty());
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() || dumb {
                eprintln!("ana: {}: using the line-mode prompt (`ana approve --plain`)", if dumb { "TERM=dumb" } else { "not a terminal" });
                prompt::run_plain()
            } else {
                prompt::run_tui()
            }
        }
        Command::Deny { id, reason } => decide::run(id, crate::protocol::Choice::Deny, reason),
        Command::Demo => demo::run(),
        Command::History { command, filter } => history::run(command, filter),
        Command::Install { target: crate::cli::InstallTarget::System, timeout, allow_software_key, user, .. } => {
            system::install(timeout, if allow_software_key { system::SoftwareKey::Allowed } else { system::SoftwareKey::Refused }, user)
        }
        Command::Install { target, scope, timeout, .. } => install::install(target, scope, timeout),
        Command::Uninstall { target: crate::cli::InstallTarget::System, purge, .. } => system::uninstall(if purge { system::AgentState::Remove } else { system::AgentState::Keep }),
        Command::Uninstall { target, scope, .. } => install::uninstall(target, scope),
        Command::Touch { wait } => system::touch(std::time::Duration::from_secs(wait)),
        Command::Doctor => doctor::run(),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "ana", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { dir } => man::run(dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Errors name paths and messages an agent may have written: every byte visible.
            eprintln!("ana: {}", crate::render::escape(&format!("{e:#}")));
            Exit::Failure.into()
        }
    }
}

/// The arguments after `ana`'s subcommand word, for `ana-agent` (behind `first`, when given).
fn forwarded(args: &[std::ffi::OsString], first: Option<&str>) -> Vec<std::ffi::OsString> {
    first.map(std::ffi::OsString::from).into_iter().chain(args.iter().skip(2).cloned()).collect()
}
