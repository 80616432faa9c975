//! Throughput of the policy over the labelled corpora (one core): parse the shell command,
//! derive effects, match every built-in rule. Target: ≥ 200 000 commands/s.
//!
//! cargo bench --bench classify

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use ana::action::Action;
use ana::policy::Policy;

fn bench(c: &mut Criterion) {
    let actions = corpus::actions();
    let policy = Policy { layers: vec![ana::rules::builtin()] };
    let env = corpus::env();
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(actions.len() as u64));
    g.bench_function("corpus", |b| {
        b.iter(|| {
            for a in &actions {
                std::hint::black_box(policy.verdict(a, &env));
            }
        })
    });
    let exec: Vec<&Action> = actions.iter().filter(|a| a.kind == ana::action::Kind::Exec).collect();
    g.throughput(Throughput::Elements(exec.len() as u64));
    g.bench_function("shell-commands", |b| {
        b.iter(|| {
            for a in &exec {
                std::hint::black_box(policy.verdict(a, &env));
            }
        })
    });
    let commands: Vec<&str> = exec
        .iter()
        .filter_map(|a| match &a.object {
            ana::action::Object::Command { command } => Some(command.as_str()),
            _ => None,
        })
        .collect();
    g.bench_function("shell-analysis-only", |b| {
        b.iter(|| {
            for c in &commands {
                std::hint::black_box(ana::policy::shell::analyze(c, "/home/dev/project", "/home/dev"));
            }
        })
    });
    g.bench_function("load-builtin-packs", |b| b.iter(|| std::hint::black_box(ana::rules::builtin())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
