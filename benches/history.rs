//! History store: one append (chained, WAL) and a filtered list over 100 000 records.
//! Targets: insert median ≤ 1 ms; filtered list over 100 000 records ≤ 100 ms.
//!
//! cargo bench --bench history

use std::time::Duration;

use ana::history::{Filter, History, Record};
use ana::record::{DecidedBy, Outcome, RecordKind};
use criterion::{Criterion, criterion_group, criterion_main};

fn record(i: u64) -> Record {
    let agents = ["claude-code", "copilot-cli", "gemini-cli", "codex"];
    Record {
        time_ms: 1_795_000_000_000 + i * 1000,
        agent: agents[(i % 4) as usize].into(),
        session: format!("session-{}", i % 50),
        cwd: "/home/dev/project".into(),
        tool: "Bash".into(),
        summary: format!("git push --force origin branch-{i}"),
        rule: Some(if i.is_multiple_of(2) { "git.force-push" } else { "fs.delete-root-or-home" }.into()),
        reason: "needs the user's approval".into(),
        user: "dev".into(),
        ..if i.is_multiple_of(3) { Record::new(RecordKind::Approval, DecidedBy::User) } else { Record::new(RecordKind::PolicyDenial, DecidedBy::Policy) }
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut h = History::open(&dir.path().join("history.db"), Duration::from_secs(5)).unwrap();
    let mut i = 0;
    c.bench_function("history/append", |b| {
        b.iter(|| {
            i += 1;
            h.append(record(i)).unwrap()
        })
    });

    let dir = tempfile::tempdir().unwrap();
    let mut big = History::open(&dir.path().join("history.db"), Duration::from_secs(5)).unwrap();
    for i in 0..100_000 {
        big.append(record(i)).unwrap();
    }
    let filter =
        Filter { agent: Some("codex".into()), decision: Some(Outcome::Deny), rule: Some("fs.delete-root-or-home".into()), grep: Some("branch-9".into()), limit: Some(50), ..Filter::default() };
    c.bench_function("history/list-filtered-100k", |b| b.iter(|| big.list(&filter).unwrap()));
    let recent = Filter { since_ms: Some(1_795_000_000_000 + 99_000 * 1000), ..Filter::default() };
    c.bench_function("history/list-since-100k", |b| b.iter(|| big.list(&recent).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
