//! Round 2's findings other than the attack chain (see `system_mode.rs`), one named test each:
//! socket squatting, a peer of another uid, a replayed grant, a replayed nonce across a restart,
//! a rebuilt history chain, a made-up record over the socket, a corrupt history, and memory
//! bounds with a subscriber that never reads.

mod util;

use std::io::Read;
use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};

use ana::history::{ChainError, ExportLine, History, Record};
use ana::ipc::{Client, Expected, IpcError};
use ana::protocol::{DecisionContext, PROTOCOL_VERSION, Request, Response, Role, encode};
use ana::record::{DecidedBy, Outcome, RecordKind};
use util::{Home, answer, bash};

/// A listener that records every byte a client sends it.
fn listening(home: &Home) -> (std::thread::JoinHandle<Vec<u8>>, std::path::PathBuf) {
    let socket = home.paths.socket();
    let listener = UnixListener::bind(&socket).unwrap();
    listener.set_nonblocking(true).unwrap();
    let t = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut got = Vec::new();
        while Instant::now() < deadline {
            if let Ok((mut s, _)) = listener.accept() {
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                let _ = s.read_to_end(&mut got);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        got
    });
    (t, socket)
}

#[test]
fn a_peer_of_another_uid_gets_nothing_not_even_a_hello() {
    let home = Home::new();
    ana::paths::Paths::create_private_dir(&home.paths.runtime).unwrap();
    let (t, socket) = listening(&home);
    // The process on the socket is this one; expecting another uid stands in for a squatter. (The
    // system mode's expectation accepts a directory of root's, so only the peer check is left.)
    if ana::paths::euid() != 0 {
        eprintln!("ignored: needs root (the directory must be root's for only the peer check to be left)");
        return;
    }
    let r = Client::connect_expecting(&socket, Expected::Agent { uid: 4242 }, Role::Cli, Duration::from_secs(2));
    assert!(matches!(r, Err(IpcError::Untrusted(ref m)) if m.contains("not as the approver")), "{:?}", r.err());
    assert!(t.join().unwrap().is_empty(), "the client sent something to an untrusted peer");
}

#[test]
fn a_socket_directory_squatted_by_another_user_is_refused_before_anything_is_sent() {
    use std::os::unix::fs::PermissionsExt;
    if ana::paths::euid() != 0 {
        eprintln!("ignored: needs root to make a directory of another user's");
        return;
    }
    let home = Home::new();
    ana::paths::Paths::create_private_dir(&home.paths.runtime).unwrap();
    let (t, socket) = listening(&home);
    // Another user made the directory first (as with the old /tmp/ana-UID fallback).
    std::os::unix::fs::chown(&home.paths.runtime, Some(65534), Some(65534)).unwrap();
    let r = Client::connect(&socket, Role::Prompt, Duration::from_secs(2));
    assert!(matches!(r, Err(IpcError::Untrusted(ref m)) if m.contains("belongs to uid 65534")), "{:?}", r.err());
    // A directory of ours that others may enter is refused too.
    std::os::unix::fs::chown(&home.paths.runtime, Some(0), Some(0)).unwrap();
    std::fs::set_permissions(&home.paths.runtime, std::fs::Permissions::from_mode(0o777)).unwrap();
    let r = Client::connect(&socket, Role::Prompt, Duration::from_secs(2));
    assert!(matches!(r, Err(IpcError::Untrusted(ref m)) if m.contains("open to others")), "{:?}", r.err());
    assert!(t.join().unwrap().is_empty(), "the client sent something into a squatted directory");
}

#[test]
fn without_a_runtime_directory_the_socket_is_private_and_never_in_tmp() {
    use ana::paths::{Mode, Paths, PlatformDirs};
    // As on macOS, or on Linux without XDG_RUNTIME_DIR (cron, su, a container).
    let dirs = PlatformDirs { home: "/home/dev".into(), config: "/home/dev/.config/ana".into(), data: "/home/dev/.local/share/ana".into(), runtime: None };
    let p = Paths::in_platform_dirs(dirs.clone(), None, Mode::User);
    assert_eq!(p.socket(), std::path::Path::new("/home/dev/.local/share/ana/run/agent.sock"));
    let with_runtime = Paths::in_platform_dirs(PlatformDirs { runtime: Some("/run/user/1000/ana".into()), ..dirs }, None, Mode::User);
    assert_eq!(with_runtime.socket(), std::path::Path::new("/run/user/1000/ana/agent.sock"));
}

#[test]
fn a_grant_replayed_from_the_history_export_is_refused() {
    let mut home = Home::new();
    home.start();
    let payload = bash("s1", "kubectl delete namespace staging");
    let (decision, _, _) = answer(home.hook("claude-code", &payload, 2));
    assert_eq!(decision, "deny");
    let pending = home.wait_pending(1);
    assert!(home.decide(pending[0].id, true).0);
    let (decision, reason, _) = answer(home.hook("claude-code", &payload, 2));
    assert_eq!(decision, "allow", "{reason}");
    // The (intent, proof) of the grant, as `ana history export` shows it.
    let export = home.ana(&["history", "export"]);
    let grant: Record = String::from_utf8_lossy(&export.stdout)
        .lines()
        .map(|l| serde_json::from_str::<ExportLine>(l).expect("every export line reads").record)
        .find(|r| r.kind == RecordKind::GrantUse)
        .expect("the grant's use is recorded");
    let intent: serde_json::Value = serde_json::from_str(grant.intent.as_deref().unwrap()).unwrap();
    let proof = grant.proof.unwrap();
    // A fake agent on the socket offers it again, three times.
    let out = home.agent(&["stop"]);
    assert!(out.status.success());
    util::wait_gone(&home.paths.socket());
    for _ in 0..3 {
        let (intent, proof) = (intent.clone(), proof.clone());
        let t = util::fake_agent(&home, PROTOCOL_VERSION, move |_| {
            Some(Response::Decision { decision: true, context: DecisionContext { reason: "sure".into(), proof: Some(proof), granted_intent: Some(intent), decided_by: DecidedBy::Grant } })
        });
        let (decision, reason, _) = answer(home.hook("claude-code", &payload, 5));
        t.join().unwrap();
        std::fs::remove_file(home.paths.socket()).unwrap();
        assert_eq!(decision, "deny", "{reason}");
        assert!(reason.contains("no pending request"), "{reason}");
    }
}

#[test]
fn a_nonce_is_used_once_even_across_a_restart() {
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
    let now = ana::cmd::approval::now_ms();
    let intent = ana::intent::Intent::for_action(&action, serde_json::json!({"command": "git push -f"}), &verdict, "nonce-across-restart-0", now, now + 600_000).unwrap();
    let ask = |home: &Home, wait: bool| {
        let mut c = home.client(Role::Hook);
        c.send(&Request::Evaluate { evaluation: Box::new(ana::cmd::approval::evaluation(&intent, ana::cmd::approval::now_ms() + 60_000)) }).unwrap();
        if wait {
            Some(c.recv(Instant::now() + Duration::from_secs(10)).unwrap())
        } else {
            home.wait_pending(1);
            None
        }
    };
    // First use: queued. Then the agent restarts.
    ask(&home, false);
    assert!(home.agent(&["stop"]).status.success());
    util::wait_gone(&home.paths.socket());
    home.start_agent_only();
    match ask(&home, true) {
        Some(Response::Decision { decision: false, context }) => assert!(context.reason.contains("used before"), "{}", context.reason),
        other => panic!("{other:?}"),
    }
}

/// A history with three records, and the keys.
fn filled() -> (Home, Vec<ana::webauthn::EnrolledKey>) {
    let mut home = Home::new();
    home.start();
    for c in ["rm -rf /srv/a", "rm -rf /srv/b", "rm -rf /srv/c"] {
        answer(home.hook("claude-code", &bash("s", c), 30));
    }
    let keys = ana::keys::load(&home.paths).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while History::open(&home.paths.history_db(), Duration::from_secs(5)).unwrap().list(&Default::default()).unwrap().len() < 3 {
        assert!(Instant::now() < deadline, "the records did not arrive");
        std::thread::sleep(Duration::from_millis(20));
    }
    (home, keys)
}

#[test]
fn a_deleted_record_with_a_rebuilt_chain_is_caught() {
    let (home, keys) = filled();
    let h = History::open(&home.paths.history_db(), Duration::from_secs(5)).unwrap();
    let c = h.connection();
    // Delete the middle record and rebuild the hash chain, as anyone can (SHA-256 needs no key).
    c.execute("DELETE FROM records WHERE id = 2", []).unwrap();
    let mut prev = ana::history::GENESIS.to_owned();
    for mut r in h.list(&Default::default()).unwrap().into_iter().rev() {
        let hash = r.compute_hash(&prev);
        c.execute(&format!("UPDATE records SET prev_hash = '{prev}', hash = '{hash}' WHERE id = {}", r.id), []).unwrap();
        r.prev_hash = prev.clone();
        prev = hash;
    }
    assert!(matches!(h.verify(&keys).unwrap(), Err(ChainError::BadMac { id: 3 })), "{:?}", h.verify(&keys).unwrap());
}

#[test]
fn a_made_up_approval_over_the_socket_is_not_recorded() {
    let (home, _) = filled();
    let mut c = home.client(Role::Cli);
    let made_up = Record { summary: "git push --force origin main".into(), key_name: Some("test key".into()), ..Record::new(RecordKind::Approval, DecidedBy::User) };
    c.send(&Request::Record { record: Box::new(made_up) }).unwrap();
    // A denial sent after it is recorded: once it is there, the made-up one would have been too.
    let denial = Record { summary: "marker".into(), user: "someone else".into(), ..Record::new(RecordKind::PolicyDenial, DecidedBy::Policy) };
    c.send(&Request::Record { record: Box::new(denial) }).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let all = loop {
        let all = History::open(&home.paths.history_db(), Duration::from_secs(5)).unwrap().list(&Default::default()).unwrap();
        if all.iter().any(|r| r.record.summary == "marker") {
            break all;
        }
        assert!(Instant::now() < deadline, "the denial was not recorded");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(all.iter().all(|r| r.record.kind != RecordKind::Approval && (r.record.decision == Outcome::Deny || r.record.kind == RecordKind::Enrolment)), "{all:?}");
    let marker = all.iter().find(|r| r.record.summary == "marker").unwrap();
    assert_ne!(marker.record.user, "someone else", "the agent names the user from the connection");
}

#[test]
fn a_corrupt_history_denies_at_once_with_the_reason() {
    let mut home = Home::new();
    let out = home.agent(&["enroll", "--authenticator", "soft", "--name", "test key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in ["history.db", "history.db-wal", "history.db-shm"] {
        let _ = std::fs::remove_file(home.paths.data.join(f));
    }
    std::fs::write(home.paths.history_db(), b"this is not a database, and it is larger than a header would be: ".repeat(64)).unwrap();
    home.start_agent_only();
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push --force origin main"), 30));
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("history") && reason.contains("cannot"), "{reason}");
}

#[test]
fn a_held_history_lock_fails_the_approval_closed_and_stalls_nothing_else() {
    let mut home = Home::new();
    home.start();
    let h = home.hook("claude-code", &bash("s", "git push --force origin main"), 60);
    let p = home.wait_pending(1);
    // Another process holds the database's write lock.
    let holder = History::open(&home.paths.history_db(), Duration::from_secs(5)).unwrap();
    holder.connection().execute_batch("BEGIN EXCLUSIVE").unwrap();
    // The agent still answers (its database work is on its own thread)…
    assert!(home.agent_pid() > 0);
    // … and the approval, which cannot be recorded, does not count.
    let (ok, message) = home.decide(p[0].id, true);
    assert!(!ok, "{message}");
    assert!(message.contains("could not be recorded"), "{message}");
    let (decision, reason, _) = answer(h);
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("could not be recorded"), "{reason}");
    holder.connection().execute_batch("ROLLBACK").unwrap();
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.split_whitespace().next()?.parse().ok()).unwrap()
}

#[test]
fn a_subscriber_that_never_reads_holds_no_backlog_and_a_large_queue_still_reaches_prompts() {
    let mut home = Home::new();
    home.start();
    let pid = home.agent_pid();
    // A subscriber that never reads.
    let mut silent = home.client(Role::Prompt);
    silent.send(&Request::Subscribe).unwrap();
    // Twenty-two requests of ~240 KB each (the signed intent holds the tool input, and the
    // command is in it twice): a queue larger than the old 4 MiB frame limit, within the 6 MiB
    // the agent lets wait at once.
    let filler = "x".repeat(60_000);
    let hooks: Vec<_> = (0..22).map(|i| home.hook("claude-code", &bash("s", &format!("git push --force origin b{i} # {filler}")), 900)).collect();
    let pending = wait_pending_long(&home, 22);
    let frame = encode(&Response::Queue { pending: pending.clone() });
    assert!(frame.len() > 4 * 1024 * 1024, "the queue is only {} bytes", frame.len());
    // The agent stays small (it grew to 774 MB before), and a prompt still reads the queue.
    let rss = rss_kib(pid);
    eprintln!("agent RSS with a {} byte queue and a silent subscriber: {rss} KiB", frame.len());
    assert!(rss < 200 * 1024, "the agent holds {rss} KiB");
    for p in &pending {
        assert!(home.decide(p.id, false).0);
    }
    for h in hooks {
        assert_eq!(answer(h).0, "deny");
    }
    // The silent subscriber was sent the latest queue only (or was dropped): what it finally
    // reads is a few frames, not one per change (81 changes happened).
    let mut frames = 0;
    while silent.recv(Instant::now() + Duration::from_secs(5)).is_ok() {
        frames += 1;
    }
    assert!(frames < 5, "it was sent {frames} queue updates, not the latest only");
}

/// As `Home::wait_pending`, with room for a loaded machine (40 hooks, 5 MB of queue).
fn wait_pending_long(home: &Home, n: usize) -> Vec<ana::protocol::Pending> {
    let mut c = home.client(Role::Prompt);
    c.send(&Request::Subscribe).unwrap();
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if let Response::Queue { pending } = c.recv(deadline).expect("queue updates arrive")
            // A hook that gave up waiting leaves its request detached, still in the queue: on a
            // slow machine the first of 40 hooks may detach before the last one arrives.
            && pending.iter().filter(|p| p.state.decidable()).count() >= n
        {
            return pending;
        }
    }
}

#[test]
fn user_mode_a_software_key_cannot_enroll_itself_beside_another_key() {
    use ana_agent::authenticator::Authenticator;
    let home = Home::new();
    // The only enrolled key is another token's (standing in for a hardware key).
    let mut other = ana_agent::soft::SoftKey::open(&home.dir.path().join("hardware-standin.cbor")).unwrap();
    let k = other.register("hardware key", &[]).unwrap();
    ana::keys::save_user(&home.paths, &[k]).unwrap();
    // The agent's move: enroll a software key of its own.
    let out = home.agent(&["enroll", "--authenticator", "soft", "--name", "backup"]);
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("an enrolled key did not approve it"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(ana::keys::load(&home.paths).unwrap().len(), 1);
}

#[test]
fn user_mode_a_key_written_into_the_keys_file_does_not_count() {
    use ana_agent::authenticator::Authenticator;
    let mut home = Home::new();
    home.start();
    // Appended straight into keys.json, with no approval from the enrolled key.
    let mut rogue = ana_agent::soft::SoftKey::open(&home.dir.path().join("rogue.cbor")).unwrap();
    let mut all = ana::keys::load_user_file(&home.paths).unwrap();
    all.push(rogue.register("rogue", &[]).unwrap());
    ana::keys::save_user_file(&home.paths, &all).unwrap();
    let err = ana::keys::load(&home.paths).unwrap_err();
    assert!(err.contains("without an approval"), "{err}");
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s", "git push --force origin main"), 10));
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("cannot be read"), "{reason}");
}

#[test]
fn each_ceremony_is_announced_to_subscribers_before_the_key_signs() {
    let mut home = Home::new();
    home.start();
    let mut watcher = home.client(Role::Prompt);
    watcher.send(&Request::Subscribe).unwrap();
    let h = home.hook("claude-code", &bash("s", "git push --force origin main"), 60);
    let p = home.wait_pending(1);
    assert!(home.decide(p[0].id, true).0);
    assert_eq!(answer(h).0, "allow");
    let challenge = ana::intent::hex(&ana::intent::challenge(&p[0].evaluation.context.intent).unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Response::Ceremony { id, challenge: c, software, .. } = watcher.recv(deadline).expect("the ceremony is announced") {
            assert_eq!((id, c.as_str(), software), (p[0].id, challenge.as_str(), true));
            break;
        }
    }
}

/// A user rule: `terraform` needs the user verified on the key (PIN or biometric).
fn terraform_needs_user_verification(home: &Home) {
    let policy = home.paths.user_policy();
    std::fs::create_dir_all(policy.parent().unwrap()).unwrap();
    let rule = "[[rule]]\nid = \"test.verified\"\nprogram = [\"terraform\"]\ndecision = \"approve\"\nlevel = \"verification\"\ndescription = \"infrastructure changes need the key PIN\"\n";
    std::fs::write(&policy, rule).unwrap();
}

#[test]
fn a_software_key_cannot_stand_for_user_verification() {
    let mut home = Home::new();
    terraform_needs_user_verification(&home);
    home.start();
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s1", "terraform apply"), 5));
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("software key, which cannot verify anyone"), "{reason}");
    // A rule at `presence` still takes the software key's touch.
    let payload = bash("s2", "kubectl delete namespace staging");
    let hook = home.hook("claude-code", &payload, 10);
    let pending = home.wait_pending(1);
    assert!(home.decide(pending[0].id, true).0);
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "allow", "{reason}");
}

#[test]
fn a_flood_of_requests_left_pending_does_not_keep_the_next_real_one_from_the_prompt() {
    let mut home = Home::new();
    home.start();
    // The agent leaves a full queue of requests pending (each hook gives up at its deadline).
    let hooks: Vec<_> = (0..ana::protocol::MAX_PENDING).map(|i| home.hook("claude-code", &bash("flood", &format!("kubectl delete namespace flood{i}")), 2)).collect();
    for h in hooks {
        let (decision, reason, _) = answer(h);
        assert_eq!(decision, "deny", "{reason}");
    }
    assert_eq!(home.wait_pending(ana::protocol::MAX_PENDING).len(), ana::protocol::MAX_PENDING, "the flood fills the queue");
    // The user's next request still reaches the prompt, and their approval lets it through.
    let hook = home.hook("claude-code", &bash("real", "kubectl delete namespace staging"), 20);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let id = loop {
        let all = home.wait_pending(1);
        if let Some(p) = all.iter().find(|p| p.evaluation.context.summary.ends_with("namespace staging") && p.state == ana::protocol::PendingState::Waiting) {
            break p.id;
        }
        assert!(std::time::Instant::now() < deadline, "the real request never reached the queue");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(home.decide(id, true).0);
    let (decision, reason, _) = answer(hook);
    assert_eq!(decision, "allow", "{reason}");
}

/// The hook's own check, with a fake agent on the socket that signs with the enrolled software
/// key and sets the user-verified flag (user mode: the agent can read that key): a `verification`
/// rule is still not satisfied.
#[test]
fn the_hook_refuses_a_software_key_for_user_verification_even_from_a_forged_agent() {
    use ana_agent::authenticator::Authenticator;
    let home = Home::new();
    terraform_needs_user_verification(&home);
    let out = home.ana(&["enroll", "--authenticator", "soft", "--name", "test key"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let soft = home.paths.soft_key();
    let allow: Vec<Vec<u8>> = ana::keys::load(&home.paths).unwrap().into_iter().map(|k| k.credential_id).collect();
    let agent = util::fake_agent(&home, PROTOCOL_VERSION, move |intent| {
        let challenge = ana::intent::challenge(&intent).unwrap();
        let cd = ana::webauthn::client_data(&challenge);
        let hash: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&cd).into();
        let mut key = ana_agent::soft::SoftKey::open(&soft).unwrap();
        let a = key.assert(hash, &allow, ana::policy::Level::Verification).expect("the software key signs, claiming user verification");
        let proof = ana::webauthn::Proof { credential_id: a.credential_id, client_data_json: cd, authenticator_data: a.authenticator_data, signature: a.signature };
        Some(Response::Decision { decision: true, context: DecisionContext { reason: "verified, honest".into(), proof: Some(proof), granted_intent: None, decided_by: DecidedBy::User } })
    });
    let (decision, reason, _) = answer(home.hook("claude-code", &bash("s1", "terraform apply"), 5));
    agent.join().unwrap();
    assert_eq!(decision, "deny", "{reason}");
    assert!(reason.contains("software key, which cannot verify anyone"), "{reason}");
}
