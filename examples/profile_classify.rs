//! Classifies the labelled corpora N times (default 20): a steady loop for profilers. On a shared,
//! noisy machine, instruction counts are the measure that does not drift:
//!
//!     cargo build --release --example profile_classify
//!     valgrind --tool=callgrind target/release/examples/profile_classify 10
//!
//! (subtract a run with N = 0 for the set-up; `profile_classify 10 shell` runs only the shell
//! analysis). `cargo bench --bench classify` gives the rate.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use ana::policy::Policy;

fn main() {
    let actions = corpus::actions();
    let policy = Policy { layers: vec![ana::rules::builtin()] };
    let env = corpus::env();
    let n: usize = std::env::args().nth(1).map_or(20, |s| s.parse().expect("a number of passes"));
    // `shell` as a second argument: only the shell analysis of the Bash calls.
    if std::env::args().nth(2).as_deref() == Some("shell") {
        let commands: Vec<&str> = actions
            .iter()
            .filter_map(|a| match &a.object {
                ana::action::Object::Command { command } => Some(command.as_str()),
                _ => None,
            })
            .collect();
        for _ in 0..n {
            for c in &commands {
                std::hint::black_box(ana::policy::shell::analyze(c, "/home/dev/project", "/home/dev"));
            }
        }
        return;
    }
    for _ in 0..n {
        for a in &actions {
            std::hint::black_box(policy.verdict(a, &env));
        }
    }
}
