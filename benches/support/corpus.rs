//! The labelled corpora as actions, and the machine they are classified on: shared by the
//! `classify` bench and the `profile_classify` example.

use ana::action::{Action, Agent};
use ana::cmd::policy::{Case, payload};

/// Every case of tests/fixtures/corpus*.jsonl, as Claude Code would send it. `ANA_BENCH_FIXTURES`
/// names another directory holding the two files (another version's corpora, to compare two
/// versions of ana on the same calls).
pub fn actions() -> Vec<Action> {
    let mut out = Vec::new();
    let dir = std::env::var("ANA_BENCH_FIXTURES").unwrap_or_else(|_| format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR")));
    for file in ["corpus.jsonl", "corpus-extra.jsonl"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap_or_else(|e| panic!("{dir}/{file}: {e}"));
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: Case = serde_json::from_str(line).unwrap();
            let bytes = payload(&case, Agent::ClaudeCode, "/home/dev/project");
            out.push(ana::wire::parse(Agent::ClaudeCode, &bytes, "/home/dev", false).unwrap());
        }
    }
    out
}

pub const VARS: [(&str, &str); 3] = [("ana_config", "/home/dev/.config/ana"), ("ana_data", "/home/dev/.local/share/ana"), ("ana_bin", "/usr/local/bin/ana")];

pub fn env() -> ana::policy::Env<'static> {
    ana::policy::Env { home: "/home/dev", project: Some("/home/dev/project"), vars: &VARS, resolve: None }
}
