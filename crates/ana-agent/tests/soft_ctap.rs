//! The software key through the CTAP2 client path: makeCredential, getAssertion, and ana's own
//! verification of the result.

use ana::policy::Level;
use ana::webauthn::{Proof, VerifyError, client_data, verify};
use ana_agent::authenticator::Authenticator;
use ana_agent::soft::SoftKey;
use sha2::{Digest, Sha256};

fn assertion(key: &mut SoftKey, challenge: &[u8], allow: &[Vec<u8>], level: Level) -> Proof {
    let cd = client_data(challenge);
    let hash: [u8; 32] = Sha256::digest(&cd).into();
    let a = key.assert(hash, allow, level).expect("the soft key signs");
    Proof { credential_id: a.credential_id, client_data_json: cd, authenticator_data: a.authenticator_data, signature: a.signature }
}

#[test]
fn enroll_assert_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut key = SoftKey::open(&dir.path().join("soft.cbor")).unwrap();
    let enrolled = key.register("test key", &[]).unwrap();
    assert!(enrolled.software);
    assert_eq!(enrolled.attestation_format, "packed");
    assert!(!enrolled.credential_id.is_empty());
    let keys = vec![enrolled.clone()];

    let intent = serde_json::json!({"type": "agent_tool_call", "command": "git push --force", "nonce": "n1", "created_at": 1, "expires_at": 2});
    let challenge = ana::intent::challenge(&intent).unwrap();
    let proof = assertion(&mut key, &challenge, std::slice::from_ref(&enrolled.credential_id), Level::Presence);
    let (k, count1) = verify(&proof, &challenge, &keys, Level::Presence).expect("verifies");
    assert_eq!(k.credential_id, enrolled.credential_id);

    // Another action's challenge does not verify.
    let other = ana::intent::challenge(&serde_json::json!({"type": "agent_tool_call", "command": "ls"})).unwrap();
    assert_eq!(verify(&proof, &other, &keys, Level::Presence).unwrap_err(), VerifyError::WrongChallenge);

    // A tampered signature, authenticator data or client data does not verify.
    let mut bad = proof.clone();
    let last = bad.signature.len() - 2;
    bad.signature[last] ^= 1;
    assert!(verify(&bad, &challenge, &keys, Level::Presence).is_err());
    let mut bad = proof.clone();
    bad.authenticator_data[34] ^= 1;
    assert_eq!(verify(&bad, &challenge, &keys, Level::Presence).unwrap_err(), VerifyError::BadSignature);

    // A key that is not enrolled is refused.
    let mut other_key = SoftKey::open(&dir.path().join("other.cbor")).unwrap();
    let other_enrolled = other_key.register("other", &[]).unwrap();
    let foreign = assertion(&mut other_key, &challenge, std::slice::from_ref(&other_enrolled.credential_id), Level::Presence);
    assert_eq!(verify(&foreign, &challenge, &keys, Level::Presence).unwrap_err(), VerifyError::UnknownKey);

    // The key counts, and its state survives a reopen.
    drop(key);
    let mut key = SoftKey::open(&dir.path().join("soft.cbor")).unwrap();
    let proof2 = assertion(&mut key, &challenge, std::slice::from_ref(&enrolled.credential_id), Level::Verification);
    let (_, count2) = verify(&proof2, &challenge, &keys, Level::Verification).expect("verifies with UV");
    assert!(count2 > count1, "sign count rises: {count1} → {count2}");
}
