//! Hardware backends. Without a key (as on CI), each must say clearly that no key was found —
//! never hang, never panic. With a key, `ANA_TEST_HARDWARE=1 cargo test -p ana-agent --test
//! hardware -- --ignored` enrolls it and makes one assertion (touch the key twice; see the
//! README's manual procedure).

use ana::webauthn::{Proof, client_data, verify};
use ana_agent::authenticator::{AuthError, Authenticator, assert_over};

fn keys_present() -> bool {
    std::fs::read_dir("/dev").map(|d| d.filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().starts_with("hidraw"))).unwrap_or(false)
}

#[test]
#[allow(clippy::vec_init_then_push)] // each push depends on a feature
fn without_a_key_every_usb_backend_says_so() {
    if keys_present() {
        eprintln!("a HID device is present: this test is for machines without one");
        return;
    }
    let mut backends: Vec<Box<dyn Authenticator>> = Vec::new();
    #[cfg(feature = "usb")]
    backends.push(Box::new(ana_agent::hardware::HardwareKey::new(ana_agent::hardware::Kind::Usb)));
    #[cfg(feature = "ctap-hid-fido2")]
    backends.push(Box::new(ana_agent::ctaphid::CtapHidKey::default()));
    assert!(!backends.is_empty());
    for mut b in backends {
        let err = assert_over(&mut *b, b"{}", &[vec![1, 2, 3]], ana::policy::Level::Presence).unwrap_err();
        assert!(matches!(err, AuthError::NoDevice | AuthError::Transport(_)), "{}: {err:?}", b.describe());
        assert!(b.register("k", &[]).is_err(), "{}", b.describe());
        assert!(!b.software());
    }
}

#[test]
#[ignore = "needs a FIDO2 key: ANA_TEST_HARDWARE=1 cargo test -p ana-agent --test hardware -- --ignored"]
fn a_real_key_enrolls_and_signs_the_challenge() {
    assert_eq!(std::env::var("ANA_TEST_HARDWARE").as_deref(), Ok("1"), "set ANA_TEST_HARDWARE=1 with a key plugged in");
    #[cfg(feature = "usb")]
    {
        let mut key = ana_agent::hardware::HardwareKey::new(ana_agent::hardware::Kind::Usb);
        eprintln!("touch the key to enroll…");
        let enrolled = key.register("hardware test", &[]).expect("enrolment");
        let challenge = ana::intent::challenge(&serde_json::json!({"type": "agent_tool_call", "command": "git push --force"})).unwrap();
        let cd = client_data(&challenge);
        eprintln!("touch the key to sign…");
        let a = assert_over(&mut key, &cd, std::slice::from_ref(&enrolled.credential_id), ana::policy::Level::Presence).expect("assertion");
        let proof = Proof { credential_id: a.credential_id, client_data_json: cd, authenticator_data: a.authenticator_data, signature: a.signature };
        verify(&proof, &challenge, &[enrolled], ana::policy::Level::Presence).expect("the key's signature verifies");
    }
}
