//! The `ana` binary: the hook's fast path, then the general command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The hook runs before every tool call: skip clap (~130 µs) and go straight to it.
    if args.get(1).is_some_and(|a| a == "hook") {
        ana::cmd::hook::main(&args[2..]);
    }
    // So does `run`, which starts every confined command.
    if args.get(1).is_some_and(|a| a == "run") {
        ana::cmd::run::main(&args[2..]);
    }
    ana::cmd::run(args)
}
