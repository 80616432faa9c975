//! WebAuthn assertions over ana's own challenge: the client data ana builds, and verification of
//! an assertion against enrolled keys (ES256 and EdDSA COSE keys).
//!
//! Used twice for every approval: by the approval agent, and again by the hook, so that a process
//! impersonating the agent on the socket cannot forge an approval. Pure: no I/O.

use base64::Engine;
use coset::{CborSerializable, CoseKey, KeyType, Label, iana};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::policy::Level;

/// ana's relying-party id: every credential ana enrolls is scoped to it.
pub const RP_ID: &str = "ana.localhost";
/// The origin written into client data (ana is its own client, not a browser).
pub const ORIGIN: &str = "https://ana.localhost";

/// base64url without padding.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url, with or without padding.
pub fn unb64(s: &str) -> Result<Vec<u8>, VerifyError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).map_err(|_| VerifyError::Malformed("base64url"))
}

/// The clientDataJSON for an assertion over `challenge`.
pub fn client_data(challenge: &[u8]) -> Vec<u8> {
    format!(r#"{{"type":"webauthn.get","challenge":"{}","origin":"{ORIGIN}","crossOrigin":false}}"#, b64(challenge)).into_bytes()
}

/// Serde helper: bytes as base64url strings.
pub mod b64_bytes {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::b64(v))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        super::unb64(&s).map_err(serde::de::Error::custom)
    }
}

/// An enrolled credential.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledKey {
    #[serde(with = "b64_bytes")]
    pub credential_id: Vec<u8>,
    pub name: String,
    /// The COSE public key.
    #[serde(with = "b64_bytes")]
    pub public_key: Vec<u8>,
    pub aaguid: String,
    pub attestation_format: String,
    pub sign_count: u32,
    pub transport: Transport,
    /// A software key: for tests and the demo only; named as insecure everywhere.
    pub software: bool,
    pub enrolled_at_ms: u64,
    /// User mode: an assertion by a key enrolled before this one over this key's enrolment
    /// (see `keys::endorsement_challenge`); `None` for the first key (trust on first use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<Endorsement>,
    /// Removed: it no longer counts, but stays as a link of the chain of endorsements.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed: bool,
}

crate::closed_set::closed_set! {
    /// How ana reaches a key; stored with each enrolled key.
    pub enum Transport ("key transport") {
        Usb = "usb",
        Nfc = "nfc",
        Platform = "platform",
        /// The software key (tests and the demo only).
        Soft = "soft",
    }
}

/// An enrolled key's approval of a key added after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endorsement {
    /// The endorsing key's credential id.
    #[serde(with = "b64_bytes")]
    pub by: Vec<u8>,
    pub proof: Proof,
}

/// Everything needed to re-check an approval offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    #[serde(with = "b64_bytes")]
    pub credential_id: Vec<u8>,
    #[serde(with = "b64_bytes")]
    pub client_data_json: Vec<u8>,
    #[serde(with = "b64_bytes")]
    pub authenticator_data: Vec<u8>,
    #[serde(with = "b64_bytes")]
    pub signature: Vec<u8>,
}

/// Why an assertion was not accepted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("the assertion is malformed ({0})")]
    Malformed(&'static str),
    #[error("the assertion was made by a key that is not enrolled")]
    UnknownKey,
    #[error("the client data is not for a WebAuthn assertion")]
    WrongType,
    #[error("the assertion is for another action (challenge mismatch)")]
    WrongChallenge,
    #[error("the assertion is for another origin")]
    WrongOrigin,
    #[error("the assertion is for another relying party")]
    WrongRelyingParty,
    #[error("the key did not confirm the user's presence")]
    NoPresence,
    #[error("the rule needs user verification (PIN or biometric), and the key did not verify the user")]
    NoVerification,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the key's public key cannot be used ({0})")]
    BadKey(String),
}

/// The parts of authenticator data ana checks.
#[derive(Debug, PartialEq, Eq)]
pub struct AuthData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
}

pub const FLAG_UP: u8 = 0x01;
pub const FLAG_UV: u8 = 0x04;
pub const FLAG_AT: u8 = 0x40;

pub fn parse_auth_data(a: &[u8]) -> Result<AuthData, VerifyError> {
    if a.len() < 37 {
        return Err(VerifyError::Malformed("authenticator data shorter than 37 bytes"));
    }
    let mut rp_id_hash = [0u8; 32];
    rp_id_hash.copy_from_slice(&a[..32]);
    Ok(AuthData { rp_id_hash, flags: a[32], sign_count: u32::from_be_bytes([a[33], a[34], a[35], a[36]]) })
}

/// (AAGUID, credential id, COSE public key bytes).
pub type Attested = ([u8; 16], Vec<u8>, Vec<u8>);

/// The attested credential in a makeCredential's authenticator data: (AAGUID, credential id,
/// COSE public key bytes).
pub fn attested_credential(a: &[u8]) -> Result<Attested, VerifyError> {
    let ad = parse_auth_data(a)?;
    if ad.flags & FLAG_AT == 0 || a.len() < 55 {
        return Err(VerifyError::Malformed("no attested credential data"));
    }
    let mut aaguid = [0u8; 16];
    aaguid.copy_from_slice(&a[37..53]);
    let len = u16::from_be_bytes([a[53], a[54]]) as usize;
    let id_end = 55 + len;
    let id = a.get(55..id_end).ok_or(VerifyError::Malformed("credential id"))?.to_vec();
    // The COSE key is one CBOR item; extensions may follow it.
    let rest = &a[id_end..];
    let key_len = cbor_item_len(rest).ok_or(VerifyError::Malformed("credential public key"))?;
    Ok((aaguid, id, rest[..key_len].to_vec()))
}

/// The length of the CBOR data item at the start of `b`.
fn cbor_item_len(b: &[u8]) -> Option<usize> {
    let (major, info) = (b.first()? >> 5, b.first()? & 0x1f);
    let (arg, head) = match info {
        0..=23 => (info as u64, 1),
        24 => (*b.get(1)? as u64, 2),
        25 => (u16::from_be_bytes([*b.get(1)?, *b.get(2)?]) as u64, 3),
        26 => (u32::from_be_bytes(b.get(1..5)?.try_into().ok()?) as u64, 5),
        27 => (u64::from_be_bytes(b.get(1..9)?.try_into().ok()?), 9),
        _ => return None,
    };
    match major {
        0 | 1 | 7 => Some(head),
        2 | 3 => Some(head + usize::try_from(arg).ok()?).filter(|&n| n <= b.len()),
        4 | 5 => {
            let items = if major == 5 { arg.checked_mul(2)? } else { arg };
            let mut at = head;
            for _ in 0..items {
                at += cbor_item_len(b.get(at..)?)?;
            }
            Some(at)
        }
        6 => Some(head + cbor_item_len(b.get(head..)?)?),
        _ => None,
    }
}

/// Checks `proof` against the enrolled `keys`: client data type, challenge and origin; the
/// relying party; user presence (and user verification at [`Level::Verification`]); the signature over
/// `authenticatorData ‖ SHA-256(clientDataJSON)`. Returns the key and the sign count; the caller
/// that keeps state checks that the count rises.
pub fn verify<'k>(proof: &Proof, challenge: &[u8], keys: &'k [EnrolledKey], level: Level) -> Result<(&'k EnrolledKey, u32), VerifyError> {
    let key = keys.iter().find(|k| k.credential_id == proof.credential_id).ok_or(VerifyError::UnknownKey)?;
    #[derive(Deserialize)]
    struct ClientData {
        #[serde(rename = "type")]
        kind: String,
        challenge: String,
        origin: String,
        #[serde(rename = "crossOrigin", default)]
        cross_origin: bool,
    }
    let cd: ClientData = serde_json::from_slice(&proof.client_data_json).map_err(|_| VerifyError::Malformed("client data JSON"))?;
    if cd.kind != "webauthn.get" {
        return Err(VerifyError::WrongType);
    }
    if unb64(&cd.challenge)? != challenge {
        return Err(VerifyError::WrongChallenge);
    }
    if cd.origin.trim_end_matches('/') != ORIGIN || cd.cross_origin {
        return Err(VerifyError::WrongOrigin);
    }
    let ad = parse_auth_data(&proof.authenticator_data)?;
    if ad.rp_id_hash != <[u8; 32]>::from(Sha256::digest(RP_ID.as_bytes())) {
        return Err(VerifyError::WrongRelyingParty);
    }
    if ad.flags & FLAG_UP == 0 {
        return Err(VerifyError::NoPresence);
    }
    if level == Level::Verification && ad.flags & FLAG_UV == 0 {
        return Err(VerifyError::NoVerification);
    }
    let mut signed = proof.authenticator_data.clone();
    signed.extend_from_slice(&Sha256::digest(&proof.client_data_json));
    verify_signature(&key.public_key, &signed, &proof.signature)?;
    Ok((key, ad.sign_count))
}

fn verify_signature(cose: &[u8], message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
    let key = CoseKey::from_slice(cose).map_err(|e| VerifyError::BadKey(format!("{e:?}")))?;
    let param = |label: i64| key.params.iter().find(|(l, _)| *l == Label::Int(label)).and_then(|(_, v)| v.as_bytes().cloned());
    match key.kty {
        KeyType::Assigned(iana::KeyType::EC2) => {
            use p256::ecdsa::signature::Verifier;
            let (x, y) = (param(-2).ok_or(VerifyError::BadKey("no x".into()))?, param(-3).ok_or(VerifyError::BadKey("no y".into()))?);
            if x.len() != 32 || y.len() != 32 {
                return Err(VerifyError::BadKey("not a P-256 point".into()));
            }
            let mut sec1 = vec![0x04];
            sec1.extend_from_slice(&x);
            sec1.extend_from_slice(&y);
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).map_err(|e| VerifyError::BadKey(e.to_string()))?;
            let sig = p256::ecdsa::Signature::from_der(signature).map_err(|_| VerifyError::BadSignature)?;
            vk.verify(message, &sig).map_err(|_| VerifyError::BadSignature)
        }
        KeyType::Assigned(iana::KeyType::OKP) => {
            let x = param(-2).ok_or(VerifyError::BadKey("no x".into()))?;
            let x: [u8; 32] = x.try_into().map_err(|_| VerifyError::BadKey("not an Ed25519 key".into()))?;
            let vk = ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|e| VerifyError::BadKey(e.to_string()))?;
            let sig: [u8; 64] = signature.try_into().map_err(|_| VerifyError::BadSignature)?;
            vk.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&sig)).map_err(|_| VerifyError::BadSignature)
        }
        other => Err(VerifyError::BadKey(format!("unsupported key type {other:?}"))),
    }
}
