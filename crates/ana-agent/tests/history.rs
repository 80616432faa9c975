//! The history: verification catches an edited field, a deleted record, a swapped pair and a
//! forged proof; concurrent writers lose nothing; a writer killed mid-write leaves it verifiable.

mod util;

use std::time::Duration;

use ana::history::{ChainError, Filter, History, Record};
use ana::webauthn::{Proof, client_data};
use ana_agent::authenticator::Authenticator;
use ana_agent::soft::SoftKey;
use sha2::{Digest, Sha256};
use util::{Home, answer, bash};

fn history(home: &Home) -> History {
    History::open(&home.paths.history_db(), Duration::from_secs(5)).unwrap()
}

/// Three real records: a policy denial, an approval with its proof, a user denial.
fn filled() -> (Home, Vec<ana::webauthn::EnrolledKey>) {
    let mut home = Home::new();
    home.start();
    answer(home.hook("claude-code", &bash("s", "rm -rf /"), 30));
    let h = home.hook("claude-code", &bash("s", "git push -f"), 30);
    let p = home.wait_pending(1);
    assert!(home.decide(p[0].id, true).0);
    answer(h);
    let h = home.hook("claude-code", &bash("s", "terraform destroy"), 30);
    let p = home.wait_pending(1);
    home.decide(p[0].id, false);
    answer(h);
    let keys = ana::keys::load(&home.paths).unwrap();
    (home, keys)
}

#[test]
fn every_decision_is_recorded_and_verifies() {
    let (home, keys) = filled();
    let h = history(&home);
    let all = h.list(&Filter::default()).unwrap();
    let kinds: Vec<&str> = all.iter().rev().map(|r| r.record.kind.as_str()).collect();
    // Enrolling the first key is recorded too (trust on first use).
    assert_eq!(kinds, ["enrolment", "policy_denial", "approval", "denial"]);
    let approval = &all[1].record;
    assert!(approval.proof.is_some() && approval.intent.is_some() && approval.software_key);
    assert_eq!(approval.rule.as_deref(), Some("git.force-push"));
    assert_eq!(h.verify(&keys).unwrap(), Ok(4));
}

#[test]
fn an_edited_field_is_caught() {
    let (home, keys) = filled();
    let h = history(&home);
    h.connection().execute("UPDATE records SET summary = 'ls' WHERE id = 2", []).unwrap();
    assert_eq!(h.verify(&keys).unwrap(), Err(ChainError::Edited { id: 2 }));
}

#[test]
fn a_deleted_record_is_caught() {
    let (home, keys) = filled();
    let h = history(&home);
    h.connection().execute("DELETE FROM records WHERE id = 2", []).unwrap();
    assert_eq!(h.verify(&keys).unwrap(), Err(ChainError::Broken { id: 3 }));
}

#[test]
fn a_swapped_pair_is_caught() {
    let (home, keys) = filled();
    let h = history(&home);
    h.connection().execute_batch("UPDATE records SET id = 100 WHERE id = 1; UPDATE records SET id = 1 WHERE id = 2; UPDATE records SET id = 2 WHERE id = 100;").unwrap();
    assert!(matches!(h.verify(&keys).unwrap(), Err(ChainError::Broken { id: 1 })));
}

#[test]
fn a_forged_proof_is_caught_even_with_a_consistent_chain() {
    let (home, keys) = filled();
    let mut h = history(&home);
    // Someone with write access appends a well-chained "approval" signed by a key that is not
    // enrolled: the chain holds, the proof does not.
    let dir = tempfile::tempdir().unwrap();
    let mut rogue = SoftKey::open(&dir.path().join("rogue.cbor")).unwrap();
    let cred = rogue.register("rogue", &[]).unwrap().credential_id;
    let intent = r#"{"command":"git push -f","type":"agent_tool_call"}"#;
    let cd = client_data(&Sha256::digest(intent.as_bytes()));
    let a = rogue.assert(Sha256::digest(&cd).into(), &[cred], ana::policy::Level::Presence).unwrap();
    let forged = Record {
        time_ms: 1,
        summary: "git push -f".into(),
        intent: Some(intent.into()),
        proof: Some(Proof { credential_id: a.credential_id, client_data_json: cd, authenticator_data: a.authenticator_data, signature: a.signature }),
        ..Record::new(ana::record::RecordKind::Approval, ana::record::DecidedBy::User)
    };
    let id = h.append(forged).unwrap().id;
    assert!(matches!(h.verify(&keys).unwrap(), Err(ChainError::BadProof { id: bad, .. }) if bad == id));
}

#[test]
fn twenty_concurrent_writers_lose_nothing() {
    let home = Home::new();
    let hooks: Vec<_> = (0..20).map(|i| home.hook("claude-code", &bash(&format!("s{i}"), &format!("rm -rf /srv/{i}")), 30)).collect();
    for h in hooks {
        assert_eq!(answer(h).0, "deny");
    }
    let h = history(&home);
    let all = h.list(&Filter::default()).unwrap();
    assert_eq!(all.len(), 20);
    assert_eq!(h.verify(&[]).unwrap(), Ok(20));
}

#[test]
fn writers_killed_mid_write_leave_a_verifiable_history() {
    let home = Home::new();
    let mut hooks: Vec<_> = (0..30).map(|i| home.hook("claude-code", &bash(&format!("s{i}"), &format!("rm -rf /srv/{i}")), 30)).collect();
    // Kill every third writer at once, wherever it is.
    for h in hooks.iter_mut().step_by(3) {
        // SAFETY: kills a child this test started.
        unsafe { libc::kill(h.id() as i32, libc::SIGKILL) };
    }
    for h in hooks {
        let _ = h.wait_with_output();
    }
    let h = history(&home);
    let n = h.list(&Filter::default()).unwrap().len();
    assert!((20..=30).contains(&n), "{n} records");
    assert_eq!(h.verify(&[]).unwrap(), Ok(n));
}

#[test]
fn the_cli_lists_filters_shows_exports_and_prunes() {
    let (home, _) = filled();
    let out = home.ana(&["history"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("git.force-push") && text.contains("approval") && text.contains("(SOFTWARE)"), "{text}");
    let out = home.ana(&["history", "--decision", "deny", "--json"]);
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.len(), 2);
    assert!(v.iter().all(|r| r["decision"] == "deny"));
    let out = home.ana(&["history", "--grep", "terraform", "--json"]);
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.len(), 1);
    // Record 1 is the first key's enrolment; 3 is the approval.
    let out = home.ana(&["history", "show", "3"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("verifies against enrolled key test key"), "{text}");
    let out = home.ana(&["history", "export"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
    let out = home.ana(&["history", "stats"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("4 records") && text.contains("median time to approve"), "{text}");
    assert!(home.ana(&["history", "verify"]).status.success());
    // Prune everything before the approval; what remains still verifies.
    let approval_time = ana::time::format(history(&home).get(3).unwrap().unwrap().record.time_ms).replace(' ', "T");
    assert!(home.ana(&["history", "prune", "--before", &approval_time]).status.success());
    let out = home.ana(&["history", "verify"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    // And tampering after the prune is still caught.
    history(&home).connection().execute("UPDATE records SET reason = 'x' WHERE id = 4", []).unwrap();
    let out = home.ana(&["history", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("record 4"));
}
