//! Authenticators behind one trait, and the CTAP2 client path they share.
//!
//! Every backend — USB HID, NFC, and the software key for tests — is a CTAP2 `Token` driven by
//! webauthn-authenticator-rs's `CtapAuthenticator`, so the software key exercises the same
//! client code (getInfo, makeCredential, getAssertion, PIN/UV token handling) as a real key.
//! Calls block (the library runs its own executor inside): run them on a blocking thread.
//!
//! Layering: this module holds what every backend shares (the trait, [`Assertion`], [`AuthError`],
//! [`Cancel`], [`Ui`]) and names no backend; `soft`, `hardware` and `ctaphid` depend on it, never
//! the other way round.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use ana::policy::Level;
use ana::webauthn::{self, EnrolledKey, RP_ID, Transport};
use futures::executor::block_on;
use sha2::{Digest, Sha256};
use webauthn_authenticator_rs::AuthenticatorBackendHashedClientData;
use webauthn_authenticator_rs::ctap2::CtapAuthenticator;
use webauthn_authenticator_rs::ctap2::commands::MakeCredentialResponse;
use webauthn_authenticator_rs::transport::Token;
use webauthn_authenticator_rs::types::{CableRequestType, CableState, EnrollSampleStatus};
use webauthn_authenticator_rs::ui::UiCallback;
use webauthn_rs_proto::{
    AllowCredentials, AuthenticatorSelectionCriteria, PubKeyCredParams, PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions, RelyingParty, User, UserVerificationPolicy,
};

/// Why a USB key that is plugged in cannot be used, and the fix: for this process in user mode,
/// for the approval agent's account in system mode (the udev chain that gives it the keys).
#[cfg(target_os = "linux")]
pub fn usb_obstacle() -> Option<(String, String)> {
    ana::hidraw::explain(ana::trust::key_account().as_ref(), std::path::Path::new(ana::install::system::UDEV_RULE))
}

/// How long a key may take for one ceremony (the user touching it).
pub const CEREMONY_TIMEOUT_MS: u32 = 60_000;

/// One assertion from a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assertion {
    pub credential_id: Vec<u8>,
    pub authenticator_data: Vec<u8>,
    pub signature: Vec<u8>,
}

/// What went wrong; a transport failure is kept apart from the user's refusal.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AuthError {
    #[error("no security key found: plug one in (or hold it to the NFC reader)")]
    NoDevice,
    #[error("the key was not touched in time")]
    Timeout,
    #[error("the key needs its PIN")]
    PinRequired,
    #[error("the key's PIN is blocked after too many wrong tries: reset the key's FIDO application with its vendor's tool (this erases its credentials) and enroll it again")]
    PinBlocked,
    #[error("three wrong PINs in a row: unplug the key and plug it back in before the next try")]
    PinAuthBlocked,
    #[error("this key holds none of the enrolled credentials")]
    NoCredentials,
    #[error("this key is already enrolled")]
    AlreadyEnrolled,
    /// A key is plugged in, but something on this machine keeps it out of reach.
    #[error("a security key is plugged in but cannot be used: {0}")]
    Unreachable(String),
    /// The PIN was wrong; the key says how many tries are left before it locks itself.
    #[error("wrong PIN{}", match .retries { Some(n) => format!(": {n} tries left before the key locks its PIN"), None => String::new() })]
    WrongPin { retries: Option<u32> },
    #[error("the request was cancelled")]
    Cancelled,
    #[error("the key refused: {0}")]
    Refused(String),
    #[error("talking to the key failed: {0}")]
    Transport(String),
}

/// A FIDO2 authenticator ana can enroll and ask for assertions.
pub trait Authenticator: Send {
    /// For prompts and records, e.g. "software key (INSECURE, tests and demo only)".
    fn describe(&self) -> String;
    /// A software key: never a default, named as insecure everywhere.
    fn software(&self) -> bool;
    /// How the key is reached.
    fn transport(&self) -> Transport;
    /// CTAP2 makeCredential for ana's relying party.
    fn register(&mut self, name: &str, exclude: &[Vec<u8>]) -> Result<EnrolledKey, AuthError>;
    /// CTAP2 getAssertion over `client_data_hash`, for one of the `allow` credentials; at
    /// [`Level::Verification`],
    /// user verification (PIN or biometric) is required.
    fn assert(&mut self, client_data_hash: [u8; 32], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError>;
    /// The PIN the next ceremony may use (entered in the prompt); used once, then forgotten.
    fn set_pin(&mut self, pin: Option<String>);

    /// What the next ceremony approves, in one line (for a backend that shows it, such as the
    /// software key's `sudo ana touch`).
    fn set_context(&mut self, _summary: &str) {}

    /// Whether a key is there now, found without a ceremony (no touch); `None` if unknown.
    fn present(&mut self) -> Option<bool> {
        None
    }

    /// A handle that stops the ceremony under way (the key is sent CTAPHID CANCEL and stops
    /// blinking), usable while the ceremony holds the authenticator; `None` if the backend has
    /// no way to stop one.
    fn cancel_handle(&self) -> Option<Cancel> {
        None
    }

    /// getAssertion over `client_data_json`: by default over its SHA-256 through
    /// [`Authenticator::assert`]; a backend that must be given the clientDataJSON itself rather
    /// than its hash (ctap-hid-fido2) overrides this.
    fn assert_client_data(&mut self, client_data_json: &[u8], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError> {
        let hash: [u8; 32] = Sha256::digest(client_data_json).into();
        self.assert(hash, allow, level)
    }
}

/// getAssertion over `client_data_json` with whichever form `auth` takes (see
/// [`Authenticator::assert_client_data`]).
pub fn assert_over(auth: &mut dyn Authenticator, client_data_json: &[u8], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError> {
    auth.assert_client_data(client_data_json, allow, level)
}

/// Stops a ceremony from another thread: the transport sees the flag between two reads from the
/// key (at least every keepalive, ~100 ms) and sends the key CTAPHID CANCEL.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// A new ceremony starts uncancelled.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Relays the key's requests (touch, PIN) to whoever is showing the prompt.
#[derive(Debug, Default)]
pub struct Ui {
    /// A PIN entered in the prompt for the current ceremony; taken once, never logged.
    pub pin: Mutex<Option<String>>,
    /// Set while the key waits for a touch.
    pub touch: AtomicBool,
    /// Set when the key asked for a PIN and none was there: the ceremony ends "PIN needed"
    /// (the library reports it as a cancellation).
    pub pin_missing: AtomicBool,
}

impl UiCallback for Ui {
    fn request_pin(&self) -> Option<String> {
        let pin = self.pin.lock().ok().and_then(|mut p| p.take());
        self.pin_missing.store(pin.is_none(), Ordering::SeqCst);
        pin
    }
    fn request_touch(&self) {
        // Called on every keepalive (ten times a second while the key blinks): say it once.
        if !self.touch.swap(true, Ordering::SeqCst) {
            tracing::info!("touch the security key to approve");
        }
    }
    fn processing(&self) {
        self.touch.store(false, Ordering::SeqCst);
    }
    fn fingerprint_enrollment_feedback(&self, _: u32, _: Option<EnrollSampleStatus>) {}
    fn cable_qr_code(&self, _: CableRequestType, _: String) {}
    fn dismiss_qr_code(&self) {}
    fn cable_status_update(&self, _: CableState) {}
}

/// The library's error as ana's. `ui` tells a PIN the key asked for and did not get (reported
/// by the library as `Cancelled`) apart from a cancellation.
pub fn map_err(e: webauthn_authenticator_rs::error::WebauthnCError, ui: &Ui) -> AuthError {
    use webauthn_authenticator_rs::error::{CtapError, WebauthnCError as E};
    match e {
        E::Cancelled if ui.pin_missing.swap(false, Ordering::SeqCst) => AuthError::PinRequired,
        E::NoSelectedToken | E::Internal => AuthError::NoDevice,
        E::Cancelled | E::Ctap(CtapError::Ctap2KeepAliveCancel) => AuthError::Cancelled,
        E::UserVerificationRequired | E::Ctap(CtapError::Ctap2PUATRequired | CtapError::Ctap2PinAuthInvalid) => AuthError::PinRequired,
        E::Ctap(CtapError::Ctap2PinInvalid) => AuthError::WrongPin { retries: None },
        E::Ctap(CtapError::Ctap2PinBlocked) => AuthError::PinBlocked,
        E::Ctap(CtapError::Ctap2PinAuthBlocked) => AuthError::PinAuthBlocked,
        E::Ctap(CtapError::Ctap2ActionTimeout | CtapError::Ctap2UserActionTimeout) => AuthError::Timeout,
        E::Ctap(CtapError::Ctap2OperationDenied | CtapError::Ctap2NotAllowed) => AuthError::Refused("the user or the key denied it".into()),
        E::Ctap(CtapError::Ctap2NoCredentials) => AuthError::NoCredentials,
        E::Ctap(CtapError::Ctap2CredentialExcluded) => AuthError::AlreadyEnrolled,
        other => AuthError::Transport(format!("{other:?}")),
    }
}

/// A device that is there but did not answer CTAP2 getInfo (the library says only `None`). It
/// was reported as "no security key found", which sent the user looking for a key that was
/// plugged in all along.
fn no_get_info() -> AuthError {
    AuthError::Transport("the key did not answer CTAP2 getInfo: a U2F-only key cannot be used, and a FIDO2 key may need unplugging and replugging".into())
}

/// makeCredential through the CTAP2 client path on `token`; a key reached over
/// [`Transport::Soft`] is enrolled as a software key.
pub fn ctap_register<T: Token>(token: T, ui: &Ui, name: &str, exclude: &[Vec<u8>], transport: Transport) -> Result<EnrolledKey, AuthError> {
    ui.pin_missing.store(false, Ordering::SeqCst);
    let mut auth = block_on(CtapAuthenticator::new(token, ui)).ok_or_else(no_get_info)?;
    let mut user_id = vec![0u8; 16];
    getrandom::fill(&mut user_id).map_err(|e| AuthError::Transport(e.to_string()))?;
    let mut challenge = [0u8; 32];
    getrandom::fill(&mut challenge).map_err(|e| AuthError::Transport(e.to_string()))?;
    let client_data = format!(r#"{{"type":"webauthn.create","challenge":"{}","origin":"{}"}}"#, webauthn::b64(&challenge), webauthn::ORIGIN);
    let options = PublicKeyCredentialCreationOptions {
        rp: RelyingParty { name: "ana".into(), id: RP_ID.into() },
        user: User { id: user_id, name: name.into(), display_name: name.into() },
        challenge: challenge.to_vec(),
        pub_key_cred_params: vec![PubKeyCredParams { type_: "public-key".into(), alg: -7 }, PubKeyCredParams { type_: "public-key".into(), alg: -8 }],
        timeout: Some(CEREMONY_TIMEOUT_MS),
        exclude_credentials: Some(exclude.iter().map(|id| webauthn_rs_proto::PublicKeyCredentialDescriptor { type_: "public-key".into(), id: id.clone(), transports: None }).collect()),
        authenticator_selection: Some(AuthenticatorSelectionCriteria {
            authenticator_attachment: None,
            resident_key: None,
            require_resident_key: false,
            user_verification: UserVerificationPolicy::Discouraged_DO_NOT_USE,
        }),
        hints: None,
        attestation: None,
        attestation_formats: None,
        extensions: None,
    };
    let hash = Sha256::digest(client_data.as_bytes()).to_vec();
    let reg = auth.perform_register(hash, options, CEREMONY_TIMEOUT_MS).map_err(|e| map_err(e, ui))?;
    let ao: MakeCredentialResponse = serde_cbor_2::from_slice(&reg.response.attestation_object).map_err(|e| AuthError::Transport(format!("attestation object: {e}")))?;
    let auth_data = match ao.auth_data {
        Some(serde_cbor_2::Value::Bytes(b)) => b,
        _ => return Err(AuthError::Transport("no authenticator data in the attestation".into())),
    };
    let (aaguid, credential_id, public_key) = webauthn::attested_credential(&auth_data).map_err(|e| AuthError::Transport(e.to_string()))?;
    let sign_count = webauthn::parse_auth_data(&auth_data).map_err(|e| AuthError::Transport(e.to_string()))?.sign_count;
    Ok(EnrolledKey {
        credential_id,
        name: name.into(),
        public_key,
        aaguid: ana::intent::hex(&aaguid),
        attestation_format: ao.fmt.unwrap_or_else(|| "none".into()),
        sign_count,
        transport,
        software: transport == Transport::Soft,
        enrolled_at_ms: now_ms(),
        endorsement: None,
        removed: false,
    })
}

/// getAssertion through the CTAP2 client path on `token`.
pub fn ctap_assert<T: Token>(token: T, ui: &Ui, client_data_hash: [u8; 32], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError> {
    ui.pin_missing.store(false, Ordering::SeqCst);
    let mut auth = block_on(CtapAuthenticator::new(token, ui)).ok_or_else(no_get_info)?;
    let options = PublicKeyCredentialRequestOptions {
        challenge: Vec::new(),
        timeout: Some(CEREMONY_TIMEOUT_MS),
        rp_id: RP_ID.into(),
        allow_credentials: allow.iter().map(|id| AllowCredentials { type_: "public-key".into(), id: id.clone(), transports: None }).collect(),
        // A key with neither PIN nor built-in UV fails `Preferred`; presence-only rules must not ask.
        user_verification: match level {
            Level::Verification => UserVerificationPolicy::Required,
            Level::Presence => UserVerificationPolicy::Discouraged_DO_NOT_USE,
        },
        hints: None,
        extensions: None,
    };
    let cred = auth.perform_auth(client_data_hash.to_vec(), options, CEREMONY_TIMEOUT_MS).map_err(|e| map_err(e, ui))?;
    Ok(Assertion { credential_id: cred.raw_id, authenticator_data: cred.response.authenticator_data, signature: cred.response.signature })
}

pub use ana::time::now_ms;
