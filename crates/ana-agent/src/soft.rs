//! The software key, for tests and the demo only: webauthn-authenticator-rs's `SoftToken` behind
//! a CTAP2 `Token`, so that the same CTAP2 client path a hardware key takes runs in-process
//! (CBOR commands in, CBOR responses out). Its private keys sit in a file in plaintext: it is
//! never a default, and every prompt and record names it as insecure.
//!
//! In system mode the file belongs to the approval agent's account (the user cannot read it), a
//! software key counts only where `/etc/ana` allows it, and its "user presence" is a touch only
//! root can give: the key announces the ceremony in the agent's runtime directory and waits for
//! `sudo ana touch` to answer it in a directory only root can write ([`TouchGate`]). Without the
//! touch it times out like an untouched key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde_cbor_2::Value;
use webauthn_authenticator_rs::AuthenticatorBackendHashedClientData;
use webauthn_authenticator_rs::ctap2::commands::{GetAssertionRequest, GetAssertionResponse, MakeCredentialRequest, MakeCredentialResponse};
use webauthn_authenticator_rs::error::WebauthnCError;
use webauthn_authenticator_rs::softtoken::SoftToken;
use webauthn_authenticator_rs::transport::Token;
use webauthn_authenticator_rs::ui::UiCallback;
use webauthn_rs_proto::{AuthenticatorTransport, PublicKeyCredentialCreationOptions, PublicKeyCredentialRequestOptions, UserVerificationPolicy};

use crate::authenticator::{Assertion, AuthError, Authenticator, Ui, ctap_assert, ctap_register};
use ana::policy::Level;
use ana::webauthn::{EnrolledKey, Transport};

/// CTAP status codes the wrapper answers with.
const CTAP2_OK: u8 = 0x00;
const CTAP1_ERR_INVALID_COMMAND: u8 = 0x01;
const CTAP2_ERR_INVALID_CBOR: u8 = 0x12;
const CTAP2_ERR_NO_CREDENTIALS: u8 = 0x2e;
const CTAP2_ERR_OPERATION_DENIED: u8 = 0x27;

/// A `SoftToken` that speaks CTAP2 CBOR.
pub struct SoftCtapToken<'s> {
    pub soft: &'s mut SoftToken,
}

impl std::fmt::Debug for SoftCtapToken<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SoftCtapToken")
    }
}

fn cbor_map(bytes: &[u8]) -> Option<BTreeMap<u32, Value>> {
    match serde_cbor_2::from_slice::<Value>(bytes).ok()? {
        Value::Map(m) => m
            .into_iter()
            .map(|(k, v)| match k {
                Value::Integer(i) => u32::try_from(i).ok().map(|k| (k, v)),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The `options` map of a CTAP2 request (key `n`), which the crate's decoders drop.
fn option(raw: &BTreeMap<u32, Value>, key: u32, name: &str) -> Option<bool> {
    match raw.get(&key)? {
        Value::Map(m) => m.iter().find_map(|(k, v)| match (k, v) {
            (Value::Text(t), Value::Bool(b)) if t == name => Some(*b),
            _ => None,
        }),
        _ => None,
    }
}

fn respond(status: u8, body: Option<BTreeMap<u32, Value>>) -> Vec<u8> {
    let mut out = vec![status];
    if let Some(b) = body {
        let map: BTreeMap<Value, Value> = b.into_iter().map(|(k, v)| (Value::Integer(k.into()), v)).collect();
        out.extend(serde_cbor_2::to_vec(&Value::Map(map)).expect("CBOR values serialize"));
    }
    out
}

impl SoftCtapToken<'_> {
    fn dispatch(&mut self, cbor: &[u8]) -> Vec<u8> {
        let Some((&cmd, body)) = cbor.split_first() else { return respond(CTAP1_ERR_INVALID_COMMAND, None) };
        match cmd {
            // authenticatorGetInfo
            0x04 => {
                // The soft key is made with `falsify_uv`: advertise built-in UV so the client
                // asks for it (as it would of a key with a fingerprint reader).
                let mut info = self.soft.get_info();
                info.options.get_or_insert_with(BTreeMap::new).insert("uv".into(), true);
                respond(CTAP2_OK, Some(info.into()))
            }
            // authenticatorMakeCredential
            0x01 => {
                let Some(raw) = cbor_map(body) else { return respond(CTAP2_ERR_INVALID_CBOR, None) };
                let uv = option(&raw, 0x07, "uv").unwrap_or(false);
                let Ok(req) = MakeCredentialRequest::try_from(raw) else { return respond(CTAP2_ERR_INVALID_CBOR, None) };
                let options = PublicKeyCredentialCreationOptions {
                    rp: req.rp,
                    user: req.user,
                    challenge: Vec::new(),
                    pub_key_cred_params: req.pub_key_cred_params,
                    timeout: None,
                    exclude_credentials: Some(req.exclude_list),
                    authenticator_selection: Some(webauthn_rs_proto::AuthenticatorSelectionCriteria {
                        authenticator_attachment: None,
                        resident_key: None,
                        require_resident_key: false,
                        user_verification: if uv { UserVerificationPolicy::Required } else { UserVerificationPolicy::Discouraged_DO_NOT_USE },
                    }),
                    hints: None,
                    attestation: None,
                    attestation_formats: None,
                    extensions: None,
                };
                match self.soft.perform_register(req.client_data_hash, options, 10_000) {
                    Ok(reg) => match serde_cbor_2::from_slice::<MakeCredentialResponse>(&reg.response.attestation_object) {
                        Ok(resp) => respond(CTAP2_OK, Some(resp.into())),
                        Err(_) => respond(CTAP2_ERR_INVALID_CBOR, None),
                    },
                    Err(_) => respond(CTAP2_ERR_OPERATION_DENIED, None),
                }
            }
            // authenticatorGetAssertion
            0x02 => {
                let Some(raw) = cbor_map(body) else { return respond(CTAP2_ERR_INVALID_CBOR, None) };
                let uv = option(&raw, 0x05, "uv").unwrap_or(false);
                let Ok(req) = GetAssertionRequest::try_from(raw) else { return respond(CTAP2_ERR_INVALID_CBOR, None) };
                let options = PublicKeyCredentialRequestOptions {
                    challenge: Vec::new(),
                    timeout: None,
                    rp_id: req.rp_id,
                    allow_credentials: req.allow_list,
                    user_verification: if uv { UserVerificationPolicy::Required } else { UserVerificationPolicy::Discouraged_DO_NOT_USE },
                    hints: None,
                    extensions: None,
                };
                match self.soft.perform_auth(req.client_data_hash, options, 10_000) {
                    Ok(cred) => {
                        let resp = GetAssertionResponse {
                            credential: Some(webauthn_rs_proto::PublicKeyCredentialDescriptor { type_: "public-key".into(), id: cred.raw_id.clone(), transports: None }),
                            auth_data: Some(cred.response.authenticator_data),
                            signature: Some(cred.response.signature),
                            number_of_credentials: None,
                            user_selected: None,
                            large_blob_key: None,
                        };
                        respond(CTAP2_OK, Some(resp.into()))
                    }
                    Err(_) => respond(CTAP2_ERR_NO_CREDENTIALS, None),
                }
            }
            _ => respond(CTAP1_ERR_INVALID_COMMAND, None),
        }
    }
}

#[async_trait]
impl Token for SoftCtapToken<'_> {
    type Id = ();

    fn has_button(&self) -> bool {
        false
    }

    fn get_transport(&self) -> AuthenticatorTransport {
        AuthenticatorTransport::Internal
    }

    async fn transmit_raw<U: UiCallback>(&mut self, cbor: &[u8], _ui: &U) -> Result<Vec<u8>, WebauthnCError> {
        let resp = self.dispatch(cbor);
        match resp[0] {
            CTAP2_OK => Ok(resp[1..].to_vec()),
            status => Err(WebauthnCError::Ctap(status.into())),
        }
    }

    async fn cancel(&mut self) -> Result<(), WebauthnCError> {
        Ok(())
    }

    async fn init(&mut self) -> Result<(), WebauthnCError> {
        Ok(())
    }

    async fn close(&mut self) -> Result<(), WebauthnCError> {
        Ok(())
    }
}

/// Where the software key asks for a touch and where root gives it (system mode).
#[derive(Clone, Debug)]
pub struct TouchGate {
    /// Written by the key while it waits: `{"ceremony": …, "summary": …}` (the agent's runtime
    /// directory).
    pub wanted: PathBuf,
    /// Written by `sudo ana touch` with the ceremony's id, in a directory only root can write.
    pub given: PathBuf,
    /// How long the key waits for the touch.
    pub timeout: std::time::Duration,
}

impl TouchGate {
    /// The touch for `ceremony`, if root gave it: the file and its directory are root's, and
    /// nobody else can write either.
    fn given(&self, ceremony: &str) -> bool {
        use std::os::unix::fs::MetadataExt;
        let trusted = |m: &std::fs::Metadata| m.uid() == 0 && m.mode() & 0o022 == 0;
        let dir_ok = self.given.parent().and_then(|d| std::fs::symlink_metadata(d).ok()).is_some_and(|m| m.is_dir() && trusted(&m));
        let file_ok = std::fs::symlink_metadata(&self.given).is_ok_and(|m| m.is_file() && trusted(&m));
        dir_ok && file_ok && std::fs::read_to_string(&self.given).is_ok_and(|t| t.trim() == ceremony)
    }

    /// Announces the ceremony and waits for root's touch.
    fn wait(&self, client_data_hash: &[u8; 32], summary: &str) -> Result<(), AuthError> {
        let ceremony = ana::intent::hex(client_data_hash);
        let note = serde_json::json!({"ceremony": ceremony, "summary": summary, "since_ms": crate::authenticator::now_ms()});
        ana::keys::write_private(&self.wanted, note.to_string().as_bytes()).map_err(|e| AuthError::Transport(format!("{}: {e}", self.wanted.display())))?;
        let deadline = std::time::Instant::now() + self.timeout;
        tracing::info!(ceremony = %ceremony, "the software key waits for `sudo ana touch`");
        let result = loop {
            if self.given(&ceremony) {
                break Ok(());
            }
            if std::time::Instant::now() >= deadline {
                break Err(AuthError::Timeout);
            }
            // A short poll: this is a test key, and its latency is measured against a real one.
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        let _ = std::fs::remove_file(&self.wanted);
        result
    }
}

/// The software key, its state kept in a file (created on first use, mode 0600).
pub struct SoftKey {
    soft: SoftToken,
    file: PathBuf,
    ui: Ui,
    touch: Option<TouchGate>,
    context: String,
}

impl SoftKey {
    /// Opens the key stored at `file`, or makes a new one there.
    pub fn open(file: &Path) -> anyhow::Result<SoftKey> {
        let soft = match std::fs::read(file) {
            Ok(bytes) => SoftToken::from_cbor(&bytes).map_err(|e| anyhow::anyhow!("{}: not a software key ({e:?})", file.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // `true`: the soft key claims user verification, so `verification` rules can be
                // exercised in tests. It is a test key.
                let (soft, _cert) = SoftToken::new(true).map_err(|e| anyhow::anyhow!("creating a software key: {e:?}"))?;
                soft
            }
            Err(e) => return Err(anyhow::anyhow!("{}: {e}", file.display())),
        };
        let key = SoftKey { soft, file: file.to_owned(), ui: Ui::default(), touch: None, context: String::new() };
        key.save()?;
        Ok(key)
    }

    /// Makes every assertion wait for root's touch (system mode).
    pub fn with_touch(mut self, gate: TouchGate) -> SoftKey {
        self.touch = Some(gate);
        self
    }

    fn save(&self) -> anyhow::Result<()> {
        let bytes = self.soft.to_cbor().map_err(|e| anyhow::anyhow!("saving the software key: {e:?}"))?;
        ana::keys::write_private(&self.file, &bytes)?;
        Ok(())
    }
}

impl Authenticator for SoftKey {
    fn describe(&self) -> String {
        "software key (INSECURE: tests and demo only)".into()
    }

    fn software(&self) -> bool {
        true
    }

    fn present(&mut self) -> Option<bool> {
        Some(true)
    }

    fn transport(&self) -> Transport {
        Transport::Soft
    }

    fn register(&mut self, name: &str, exclude: &[Vec<u8>]) -> Result<EnrolledKey, AuthError> {
        let r = ctap_register(SoftCtapToken { soft: &mut self.soft }, &self.ui, name, exclude, Transport::Soft);
        self.save().map_err(|e| AuthError::Transport(e.to_string()))?;
        r
    }

    fn set_pin(&mut self, pin: Option<String>) {
        if let Ok(mut p) = self.ui.pin.lock() {
            *p = pin;
        }
    }

    fn set_context(&mut self, summary: &str) {
        self.context = summary.to_owned();
    }

    fn assert(&mut self, client_data_hash: [u8; 32], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError> {
        // A credential enrolled since this agent started (`sudo ana enroll --authenticator soft`
        // writes the same file) is in the file, as a hardware key would hold it itself.
        if let Ok(bytes) = std::fs::read(&self.file)
            && let Ok(fresh) = SoftToken::from_cbor(&bytes)
        {
            self.soft = fresh;
        }
        if let Some(gate) = &self.touch {
            gate.wait(&client_data_hash, &self.context)?;
        }
        let r = ctap_assert(SoftCtapToken { soft: &mut self.soft }, &self.ui, client_data_hash, allow, level);
        self.save().map_err(|e| AuthError::Transport(e.to_string()))?;
        r
    }
}
