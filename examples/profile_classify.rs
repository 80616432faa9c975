//! Classifies the labelled corpora N times (default 20): a steady loop for profilers. On a shared,
//! noisy machine, instruction counts are the measure that does not drift:
//!
//!     cargo build --release --example profile_classify
//!     valgrind --tool=callgrind target/release/examples/profile_classify 10
//!
//! (subtract a run with N = 0 for the set-up). `cargo bench --bench classify` gives the rate.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use ana::policy::Policy;

fn main() {
    let actions = corpus::actions();
    let policy = Policy { layers: vec![ana::rules::builtin()] };
    let env = corpus::env();
    let n: usize = std::env::args().nth(1).map_or(20, |s| s.parse().expect("a number of passes"));
    for _ in 0..n {
        for a in &actions {
            std::hint::black_box(policy.verdict(a, &env));
        }
    }
}
