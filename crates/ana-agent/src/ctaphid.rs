//! An alternative USB backend through ctap-hid-fido2, for keys webauthn-authenticator-rs
//! mishandles (`--authenticator usb-ctaphid`).
//!
//! ctap-hid-fido2 hashes the "challenge" it is given into the client-data hash; ana gives it the
//! whole clientDataJSON, so the hash the key signs is SHA-256(clientDataJSON) as WebAuthn wants.
//! The caller passes that JSON through `assert_client_data`; `assert` with a bare hash is refused.

use ctap_hid_fido2::LibCfg;
use ctap_hid_fido2::fidokey::{GetAssertionArgsBuilder, MakeCredentialArgsBuilder};

use crate::authenticator::{Assertion, AuthError, Authenticator, now_ms};
use ana::policy::Level;
use ana::webauthn::{self, EnrolledKey, RP_ID, Transport};

#[derive(Default)]
pub struct CtapHidKey {
    pin: Option<String>,
}

/// Every FIDO key present, opened. ctap-hid-fido2's own factory refuses to choose between
/// several ("Multiple FIDO devices found"), so each is opened by its path.
fn devices() -> Result<Vec<ctap_hid_fido2::FidoKeyHid>, AuthError> {
    let cfg = LibCfg::init();
    let found = ctap_hid_fido2::get_fidokey_devices();
    if found.is_empty() {
        #[cfg(target_os = "linux")]
        if let Some((what, fix)) = crate::authenticator::usb_obstacle() {
            return Err(AuthError::Unreachable(format!("{what}; {fix}")));
        }
        return Err(AuthError::NoDevice);
    }
    let mut opened = Vec::new();
    let mut last = AuthError::NoDevice;
    for d in found {
        match ctap_hid_fido2::FidoKeyHid::new(&[d.param], &cfg) {
            Ok(k) => opened.push(k),
            Err(e) => last = AuthError::Transport(e.to_string()),
        }
    }
    if opened.is_empty() { Err(last) } else { Ok(opened) }
}

/// The CTAP status in one of ctap-hid-fido2's error texts ("… err = 0x31 CTAP2_ERR_PIN_INVALID …").
fn ctap_status(message: &str) -> Option<u8> {
    let at = message.find(" CTAP")?;
    let code = message[..at].rsplit(' ').next()?.strip_prefix("0x")?;
    u8::from_str_radix(code, 16).ok()
}

fn map(e: anyhow::Error) -> AuthError {
    let m = e.to_string();
    match ctap_status(&m) {
        Some(0x36 | 0x33 | 0x35) => AuthError::PinRequired,
        Some(0x31) => AuthError::WrongPin { retries: None },
        Some(0x32) => AuthError::PinBlocked,
        Some(0x34) => AuthError::PinAuthBlocked,
        Some(0x2E) => AuthError::NoCredentials,
        Some(0x19) => AuthError::AlreadyEnrolled,
        Some(0x27 | 0x30) => AuthError::Refused("the user or the key denied it".into()),
        Some(0x2D) => AuthError::Cancelled,
        Some(0x2F | 0x3A) => AuthError::Timeout,
        _ if m.to_ascii_lowercase().contains("timeout") => AuthError::Timeout,
        _ => AuthError::Transport(m),
    }
}

impl Authenticator for CtapHidKey {
    fn describe(&self) -> String {
        "USB security key (ctap-hid-fido2)".into()
    }

    fn software(&self) -> bool {
        false
    }

    fn transport(&self) -> Transport {
        Transport::Usb
    }

    fn set_pin(&mut self, pin: Option<String>) {
        self.pin = pin;
    }

    fn present(&mut self) -> Option<bool> {
        Some(!ctap_hid_fido2::get_fidokey_devices().is_empty())
    }

    fn register(&mut self, name: &str, exclude: &[Vec<u8>]) -> Result<EnrolledKey, AuthError> {
        let mut challenge = [0u8; 32];
        getrandom::fill(&mut challenge).map_err(|e| AuthError::Transport(e.to_string()))?;
        let client_data = format!(r#"{{"type":"webauthn.create","challenge":"{}","origin":"{}"}}"#, webauthn::b64(&challenge), webauthn::ORIGIN);
        let pin = self.pin.take();
        let mut last = AuthError::NoDevice;
        // The first key not enrolled yet; an enrolled one refuses (after its touch).
        for dev in devices()? {
            let mut b = MakeCredentialArgsBuilder::new(RP_ID, client_data.as_bytes());
            for id in exclude {
                b = b.exclude_authenticator(id);
            }
            b = match &pin {
                Some(p) => b.pin(p),
                None => b.without_pin_and_uv(),
            };
            let att = match dev.make_credential_with_args(&b.build()).map_err(map) {
                Ok(att) => att,
                Err(AuthError::AlreadyEnrolled) => {
                    last = AuthError::AlreadyEnrolled;
                    continue;
                }
                Err(AuthError::WrongPin { .. }) => {
                    return Err(AuthError::WrongPin { retries: dev.get_pin_retries().ok().and_then(|n| u32::try_from(n).ok()) });
                }
                Err(e) => return Err(e),
            };
            let (aaguid, credential_id, public_key) = webauthn::attested_credential(&att.auth_data).map_err(|e| AuthError::Transport(e.to_string()))?;
            return Ok(EnrolledKey {
                credential_id,
                name: name.into(),
                public_key,
                aaguid: ana::intent::hex(&aaguid),
                attestation_format: att.fmt,
                sign_count: att.sign_count,
                transport: Transport::Usb,
                software: false,
                enrolled_at_ms: now_ms(),
                endorsement: None,
                removed: false,
            });
        }
        Err(last)
    }

    fn assert(&mut self, _client_data_hash: [u8; 32], _allow: &[Vec<u8>], _level: Level) -> Result<Assertion, AuthError> {
        Err(AuthError::Transport("ctap-hid-fido2 signs client data, not a hash: use assert_client_data".into()))
    }

    /// getAssertion for the exact `client_data_json` (see the module's note).
    fn assert_client_data(&mut self, client_data_json: &[u8], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError> {
        let pin = self.pin.take();
        if level == Level::Verification && pin.is_none() {
            // Without a PIN the key would sign with presence only, and the answer would not verify.
            return Err(AuthError::PinRequired);
        }
        let mut last = AuthError::NoCredentials;
        // Each key in turn; one holding none of the credentials answers at once.
        for dev in devices()? {
            for id in allow {
                let mut b = GetAssertionArgsBuilder::new(RP_ID, client_data_json).credential_id(id);
                b = match &pin {
                    Some(p) => b.pin(p),
                    None => b.without_pin_and_uv(),
                };
                match dev.get_assertion_with_args(&b.build()).map_err(map) {
                    Ok(mut found) if !found.is_empty() => {
                        let a = found.remove(0);
                        return Ok(Assertion { credential_id: a.credential_id, authenticator_data: a.auth_data, signature: a.signature });
                    }
                    Ok(_) | Err(AuthError::NoCredentials) => {}
                    Err(AuthError::WrongPin { .. }) => {
                        let retries = dev.get_pin_retries().ok().and_then(|n| u32::try_from(n).ok());
                        return Err(AuthError::WrongPin { retries });
                    }
                    Err(e) => last = e,
                }
            }
            if last != AuthError::NoCredentials {
                return Err(last);
            }
        }
        Err(last)
    }
}
