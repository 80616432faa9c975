//! A history written before the record types were split (tests/fixtures/history-v1: schema 2,
//! hash input v1) still verifies, migrates, and exports byte for byte as it did.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ana::history::{ExportLine, Filter, HashVersion, History};
use ana::record::{DecidedBy, RecordKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history-v1").join(name)
}

/// A private copy of the fixture (opening a history migrates it and writes its WAL).
fn copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for f in ["history.db", "history.key"] {
        std::fs::copy(fixture(f), dir.path().join(f)).unwrap();
    }
    let db = dir.path().join("history.db");
    (dir, db)
}

#[test]
fn an_old_chain_verifies_with_its_macs() {
    let (_dir, db) = copy();
    let h = History::open(&db, Duration::from_secs(5)).unwrap();
    assert!(h.authenticated(), "the fixture's history key is read");
    assert_eq!(h.verify(&[]).unwrap(), Ok(7));
    let version: i64 = h.connection().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, ana::history::SCHEMA_VERSION);
    assert!(h.list(&Filter::default()).unwrap().iter().all(|r| r.hash_version == HashVersion::V1));
}

#[test]
fn every_old_record_hashes_the_same_bytes() {
    let (_dir, db) = copy();
    let h = History::open(&db, Duration::from_secs(5)).unwrap();
    let mut rows = h.list(&Filter::default()).unwrap();
    rows.reverse();
    let inputs: Vec<String> = rows.iter().map(|r| r.hash_input(&r.prev_hash)).collect();
    let expected = std::fs::read_to_string(fixture("hash-inputs-v1.txt")).unwrap();
    assert_eq!(inputs, expected.lines().collect::<Vec<_>>());
    for r in &rows {
        assert_eq!(r.compute_hash(&r.prev_hash), r.hash, "record {}", r.id);
    }
}

#[test]
fn an_old_history_exports_byte_for_byte() {
    let (_dir, db) = copy();
    let h = History::open(&db, Duration::from_secs(5)).unwrap();
    let mut rows = h.list(&Filter::default()).unwrap();
    rows.reverse();
    let mut out = String::new();
    for r in rows {
        out.push_str(&serde_json::to_string(&ExportLine::from(r)).unwrap());
        out.push('\n');
    }
    let expected = std::fs::read_to_string(fixture("export.jsonl")).unwrap();
    assert_eq!(out, expected);
    // And each exported line reads back to the same line.
    for line in expected.lines() {
        let back: ExportLine = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), line);
    }
}

#[test]
fn a_migrated_history_takes_new_records_and_still_verifies() {
    let (_dir, db) = copy();
    let mut h = History::open_for_writing(&db, Duration::from_secs(5)).unwrap();
    let row = h.append(ana::history::Record { summary: "rm -rf ~".into(), time_ms: 1_767_000_007_000, ..ana::history::Record::new(RecordKind::PolicyDenial, DecidedBy::Policy) }).unwrap();
    assert_eq!(row.id, 8);
    assert_eq!(row.hash_version, HashVersion::CURRENT);
    assert_eq!(h.verify(&[]).unwrap(), Ok(8));
    // An edit of an old record still shows.
    h.connection().execute("UPDATE records SET reason = 'x' WHERE id = 3", []).unwrap();
    assert_eq!(h.verify(&[]).unwrap(), Err(ana::history::ChainError::Edited { id: 3 }));
}
