//! An alternative USB backend through ctap-hid-fido2, for keys webauthn-authenticator-rs
//! mishandles (`--authenticator usb-ctaphid`).
//!
//! ctap-hid-fido2 hashes the "challenge" it is given into the client-data hash; ana gives it the
//! whole clientDataJSON, so the hash the key signs is SHA-256(clientDataJSON) as WebAuthn wants.
//! The caller passes that JSON through `assert_client_data`; `assert` with a bare hash is refused.

use ctap_hid_fido2::fidokey::{GetAssertionArgsBuilder, MakeCredentialArgsBuilder};
use ctap_hid_fido2::{FidoKeyHidFactory, LibCfg};

use crate::authenticator::{now_ms, Assertion, AuthError, Authenticator};
use ana::webauthn::{self, EnrolledKey, RP_ID};

#[derive(Default)]
pub struct CtapHidKey {
    pin: Option<String>,
}

fn device() -> Result<ctap_hid_fido2::FidoKeyHid, AuthError> {
    FidoKeyHidFactory::create(&LibCfg::init()).map_err(|e| {
        let m = e.to_string();
        if m.contains("not found") { AuthError::NoDevice } else { AuthError::Transport(m) }
    })
}

fn map(e: anyhow::Error) -> AuthError {
    let m = e.to_string();
    if m.contains("PIN") || m.contains("0x36") || m.contains("0x31") {
        AuthError::PinRequired
    } else if m.contains("0x2E") || m.to_ascii_lowercase().contains("no credentials") {
        AuthError::Refused("this key holds none of the enrolled credentials".into())
    } else if m.contains("0x27") || m.to_ascii_lowercase().contains("denied") {
        AuthError::Refused("the user or the key denied it".into())
    } else if m.to_ascii_lowercase().contains("timeout") {
        AuthError::Timeout
    } else {
        AuthError::Transport(m)
    }
}

impl CtapHidKey {
    /// getAssertion for the exact `client_data_json` (see the module's note).
    pub fn assert_client_data(&mut self, client_data_json: &[u8], allow: &[Vec<u8>], uv: bool) -> Result<Assertion, AuthError> {
        let dev = device()?;
        let pin = self.pin.take();
        let mut last = AuthError::Refused("no enrolled credential".into());
        for id in allow {
            let mut b = GetAssertionArgsBuilder::new(RP_ID, client_data_json).credential_id(id);
            b = match (&pin, uv) {
                (Some(p), _) => b.pin(p),
                (None, false) => b.without_pin_and_uv(),
                (None, true) => b,
            };
            match dev.get_assertion_with_args(&b.build()) {
                Ok(mut found) if !found.is_empty() => {
                    let a = found.remove(0);
                    return Ok(Assertion { credential_id: a.credential_id, authenticator_data: a.auth_data, signature: a.signature });
                }
                Ok(_) => {}
                Err(e) => last = map(e),
            }
        }
        Err(last)
    }
}

impl Authenticator for CtapHidKey {
    fn describe(&self) -> String {
        "USB security key (ctap-hid-fido2)".into()
    }

    fn software(&self) -> bool {
        false
    }

    fn transport(&self) -> &'static str {
        "usb"
    }

    fn set_pin(&mut self, pin: Option<String>) {
        self.pin = pin;
    }

    fn present(&mut self) -> Option<bool> {
        match device() {
            Ok(_) => Some(true),
            Err(AuthError::NoDevice) => Some(false),
            Err(_) => None,
        }
    }

    fn register(&mut self, name: &str, exclude: &[Vec<u8>]) -> Result<EnrolledKey, AuthError> {
        let dev = device()?;
        let mut challenge = [0u8; 32];
        getrandom::fill(&mut challenge).map_err(|e| AuthError::Transport(e.to_string()))?;
        let client_data = format!(r#"{{"type":"webauthn.create","challenge":"{}","origin":"{}"}}"#, webauthn::b64(&challenge), webauthn::ORIGIN);
        let pin = self.pin.take();
        let mut b = MakeCredentialArgsBuilder::new(RP_ID, client_data.as_bytes());
        for id in exclude {
            b = b.exclude_authenticator(id);
        }
        b = match &pin {
            Some(p) => b.pin(p),
            None => b.without_pin_and_uv(),
        };
        let att = dev.make_credential_with_args(&b.build()).map_err(map)?;
        let (aaguid, credential_id, public_key) = webauthn::attested_credential(&att.auth_data).map_err(|e| AuthError::Transport(e.to_string()))?;
        Ok(EnrolledKey {
            credential_id,
            name: name.into(),
            public_key,
            aaguid: ana::intent::hex(&aaguid),
            attestation_format: att.fmt,
            sign_count: att.sign_count,
            transport: "usb".into(),
            software: false,
            enrolled_at_ms: now_ms(),
            endorsement: None,
            removed: false,
        })
    }

    fn assert(&mut self, _client_data_hash: [u8; 32], _allow: &[Vec<u8>], _uv: bool) -> Result<Assertion, AuthError> {
        Err(AuthError::Transport("ctap-hid-fido2 signs client data, not a hash: use assert_client_data".into()))
    }

    fn client_data_signer(&mut self) -> Option<&mut CtapHidKey> {
        Some(self)
    }
}
