//! Throughput of the policy over the labelled corpora (one core): parse the shell command,
//! derive effects, match every built-in rule. Target: ≥ 200 000 commands/s.
//!
//! cargo bench --bench classify

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use ana::action::{Action, Agent};
use ana::cmd::policy::{payload, Case};
use ana::policy::{Env, Policy};

fn actions() -> Vec<Action> {
    let mut out = Vec::new();
    for file in ["corpus.jsonl", "corpus-extra.jsonl"] {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: Case = serde_json::from_str(line).unwrap();
            let bytes = payload(&case, Agent::ClaudeCode, "/home/dev/project");
            out.push(ana::wire::parse(Agent::ClaudeCode, &bytes, "/home/dev", false).unwrap());
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let actions = actions();
    let policy = Policy { layers: vec![ana::rules::builtin()] };
    let vars = [("ana_config", "/home/dev/.config/ana"), ("ana_data", "/home/dev/.local/share/ana"), ("ana_bin", "/usr/local/bin/ana")];
    let env = Env { home: "/home/dev", project: Some("/home/dev/project"), vars: &vars };
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
    let commands: Vec<&str> = exec.iter().filter_map(|a| match &a.object { ana::action::Object::Command { command } => Some(command.as_str()), _ => None }).collect();
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
