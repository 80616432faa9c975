//! What must end in a deny: anything on the socket that is not a fresh signature from an enrolled
//! key over the hook's own intent; every fault, before the hook's deadline.

mod util;

use std::time::{Duration, Instant};

use ana::protocol::{DecisionContext, PROTOCOL_VERSION, Request, Response};
use ana::webauthn::{Proof, client_data};
use ana_agent::authenticator::Authenticator;
use ana_agent::soft::SoftKey;
use sha2::{Digest, Sha256};
use util::{Home, answer, bash, fake_agent};

/// Signs `intent`'s challenge with `key`.
fn sign(key: &mut SoftKey, cred: &[u8], intent: &serde_json::Value) -> Proof {
    let challenge = ana::intent::challenge(intent).unwrap();
    let cd = client_data(&challenge);
    let a = key.assert(Sha256::digest(&cd).into(), &[cred.to_vec()], ana::policy::Level::Presence).unwrap();
    Proof { credential_id: a.credential_id, client_data_json: cd, authenticator_data: a.authenticator_data, signature: a.signature }
}

/// Enrolls a software key straight into keys.json (no agent): the attacker below has its private
/// key, as anyone does with a software key — which is why it is for tests only.
fn enrolled_key(home: &Home, file: &str) -> (SoftKey, Vec<u8>) {
    let mut key = SoftKey::open(&home.dir.path().join(file)).unwrap();
    let k = key.register("enrolled", &[]).unwrap();
    let mut keys = ana::keys::load_user(&home.paths).unwrap();
    keys.push(k.clone());
    ana::keys::save_user(&home.paths, &keys).unwrap();
    (key, k.credential_id)
}

fn approve(proof: Proof, granted: Option<serde_json::Value>) -> Response {
    Response::Decision { decision: true, context: DecisionContext { reason: "sure".into(), proof: Some(proof), granted_intent: granted, decided_by: ana::record::DecidedBy::User } }
}

#[test]
fn a_fake_agent_signing_with_an_unenrolled_key_is_refused() {
    let home = Home::new();
    let _ = enrolled_key(&home, "real.cbor");
    let mut rogue = SoftKey::open(&home.dir.path().join("rogue.cbor")).unwrap();
    let rogue_cred = rogue.register("rogue", &[]).unwrap().credential_id;
    let t = fake_agent(&home, PROTOCOL_VERSION, move |intent| Some(approve(sign(&mut rogue, &rogue_cred, &intent), None)));
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 10));
    t.join().unwrap();
    assert_eq!(decision, "deny");
    assert!(reason.contains("not enrolled"), "{reason}");
}

#[test]
fn a_replayed_assertion_for_another_intent_is_refused() {
    let home = Home::new();
    let (mut key, cred) = enrolled_key(&home, "real.cbor");
    // A genuine signature by the enrolled key, made for an earlier request.
    let earlier = serde_json::json!({"type": "agent_tool_call", "command": "git push -f", "nonce": "an-earlier-nonce-0000", "expires_at": 1});
    let old_proof = sign(&mut key, &cred, &earlier);
    let t = fake_agent(&home, PROTOCOL_VERSION, move |_| Some(approve(old_proof, None)));
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 10));
    t.join().unwrap();
    assert_eq!(decision, "deny");
    assert!(reason.contains("challenge mismatch"), "{reason}");
}

#[test]
fn a_tampered_intent_is_refused() {
    let home = Home::new();
    let (mut key, cred) = enrolled_key(&home, "real.cbor");
    // The agent shows the user a harmless command, but the key signs what the user saw.
    let t = fake_agent(&home, PROTOCOL_VERSION, move |mut intent| {
        intent["command"] = "git push origin feature".into();
        Some(approve(sign(&mut key, &cred, &intent), None))
    });
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push --force origin main"), 10));
    t.join().unwrap();
    assert_eq!(decision, "deny");
    assert!(reason.contains("challenge mismatch"), "{reason}");
}

#[test]
fn a_grant_for_another_action_or_an_expired_one_is_refused() {
    for (command, expired) in [("git push -f origin other", false), ("git push -f", true)] {
        let home = Home::new();
        let (mut key, cred) = enrolled_key(&home, "real.cbor");
        let t = fake_agent(&home, PROTOCOL_VERSION, move |intent| {
            let mut granted = intent.clone();
            granted["command"] = command.into();
            granted["nonce"] = "granted-nonce-0000000".into();
            if expired {
                granted["expires_at"] = 1.into();
            }
            Some(approve(sign(&mut key, &cred, &granted), Some(granted)))
        });
        let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 10));
        t.join().unwrap();
        assert_eq!(decision, "deny", "{command}");
        assert!(reason.contains("another or expired action"), "{reason}");
    }
}

#[test]
fn an_approval_without_a_signature_is_refused() {
    let home = Home::new();
    let _ = enrolled_key(&home, "real.cbor");
    let t = fake_agent(&home, PROTOCOL_VERSION, |_| {
        Some(Response::Decision { decision: true, context: DecisionContext { reason: String::new(), proof: None, granted_intent: None, decided_by: ana::record::DecidedBy::User } })
    });
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 10));
    t.join().unwrap();
    assert_eq!(decision, "deny");
    assert!(reason.contains("without a signature"), "{reason}");
}

#[test]
fn a_protocol_version_mismatch_is_a_deny() {
    let home = Home::new();
    let _ = enrolled_key(&home, "real.cbor");
    let t = fake_agent(&home, PROTOCOL_VERSION + 98, |_| None);
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 10));
    t.join().unwrap();
    assert_eq!(decision, "deny");
    assert!(reason.contains("protocol"), "{reason}");
}

#[test]
fn a_hung_agent_gets_a_deny_before_the_deadline() {
    let home = Home::new();
    let _ = enrolled_key(&home, "real.cbor");
    let t = fake_agent(&home, PROTOCOL_VERSION, |_| None);
    let start = Instant::now();
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 6));
    // Not a timing assertion (this machine is shared): a bound that only catches a hang.
    assert!(start.elapsed() < Duration::from_secs(60), "the hook hung");
    t.join().unwrap();
    assert_eq!(decision, "deny");
    // The hook's own deadline path answered (it detaches, then says "pending"), not the watchdog.
    assert!(reason.contains("approval pending"), "{reason}");
}

#[test]
fn a_regular_file_in_place_of_the_socket_is_a_deny() {
    let home = Home::new();
    let _ = enrolled_key(&home, "real.cbor");
    ana::paths::Paths::create_private_dir(&home.paths.runtime).unwrap();
    std::fs::write(home.paths.socket(), b"not a socket").unwrap();
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push -f"), 10));
    assert_eq!(decision, "deny");
    assert!(reason.contains("not the approver's socket"), "{reason}");
}

#[test]
fn an_expired_or_replayed_request_is_refused_by_the_agent() {
    let mut home = Home::new();
    home.start();
    let action = ana::action::Action {
        agent: ana::action::Agent::ClaudeCode,
        session: "s".into(),
        cwd: "/home/dev/project".into(),
        tool: "Bash".into(),
        kind: ana::action::Kind::Exec,
        object: ana::action::Object::Command { command: "git push -f".into() },
    };
    let verdict = ana::policy::Verdict { decision: ana::policy::Decision::Approve, level: ana::policy::Level::Presence, rule: Some("git.force-push".into()), reason: "r".into(), subject: "s".into() };
    let ask = |intent: ana::intent::Intent| {
        let mut c = home.client(ana::protocol::Role::Hook);
        c.send(&Request::Evaluate { evaluation: Box::new(ana::cmd::approval::evaluation(&intent, ana::cmd::approval::now_ms() + 3000)) }).unwrap();
        c.recv(Instant::now() + Duration::from_secs(10)).unwrap()
    };
    let now = ana::cmd::approval::now_ms();
    let input = serde_json::json!({"command": "git push -f"});
    let expired = ana::intent::Intent::for_action(&action, input.clone(), &verdict, "nonce-expired-00000000", now - 10_000, now - 5_000).unwrap();
    match ask(expired) {
        Response::Decision { decision: false, context } => assert!(context.reason.contains("expired"), "{}", context.reason),
        other => panic!("{other:?}"),
    }
    let fresh = ana::intent::Intent::for_action(&action, input, &verdict, "nonce-used-twice-000000", now, now + 60_000).unwrap();
    let first = std::thread::spawn({
        let fresh = fresh.clone();
        let home_sock = home.paths.socket();
        move || {
            let mut c = ana::ipc::Client::connect(&home_sock, ana::protocol::Role::Hook, Duration::from_secs(5)).unwrap();
            c.send(&Request::Evaluate { evaluation: Box::new(ana::cmd::approval::evaluation(&fresh, ana::cmd::approval::now_ms() + 2000)) }).unwrap();
            let _ = c.recv(Instant::now() + Duration::from_secs(2));
        }
    });
    home.wait_pending(1);
    match ask(fresh) {
        Response::Decision { decision: false, context } => assert!(context.reason.contains("used before"), "{}", context.reason),
        other => panic!("{other:?}"),
    }
    first.join().unwrap();
}

#[test]
fn a_connection_from_another_user_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // SAFETY: getuid cannot fail.
    if unsafe { libc::getuid() } != 0 {
        eprintln!("needs root to act as another user; skipped");
        return;
    }
    let mut home = Home::new();
    home.start();
    // Open the directory and the socket to everyone, so that only the peer-uid check is left.
    for (p, mode) in [(home.dir.path().to_path_buf(), 0o755), (home.paths.runtime.clone(), 0o755), (home.paths.socket(), 0o777)] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let script = format!(
        "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect('{}')\ns.settimeout(5)\ntry:\n  s.sendall(b'{{\"type\":\"hello\",\"version\":{},\"role\":\"cli\"}}\\n')\n  data=s.recv(4096)\nexcept OSError:\n  data=b''\nsys.stdout.write(repr(data))\n",
        home.paths.socket().display(),
        PROTOCOL_VERSION
    );
    let out = std::process::Command::new("python3").args(["-c", &script]).uid(65534).gid(65534).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Private again, so that the harness (whose client refuses an open directory) can stop it.
    std::fs::set_permissions(&home.paths.runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout, "b''", "the agent closed the connection without a hello");
}
