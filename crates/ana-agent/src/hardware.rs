//! USB HID and NFC security keys, through the same CTAP2 client path as the software key.
//!
//! Each ceremony enumerates the keys afresh (a key may be unplugged between approvals) and uses
//! the first one found. With no key present, the error says so; the prompt shows it.

use futures::executor::block_on;
use webauthn_authenticator_rs::transport::Transport;

use crate::authenticator::{ctap_assert, ctap_register, Assertion, AuthError, Authenticator, Ui};
use ana::webauthn::EnrolledKey;

/// Which transport to look for keys on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    #[cfg(feature = "usb")]
    Usb,
    #[cfg(feature = "nfc")]
    Nfc,
}

pub struct HardwareKey {
    kind: Kind,
    ui: Ui,
}

impl HardwareKey {
    pub fn new(kind: Kind) -> HardwareKey {
        HardwareKey { kind, ui: Ui::default() }
    }

}

fn transport_err(e: webauthn_authenticator_rs::error::WebauthnCError) -> AuthError {
    AuthError::Transport(format!("{e:?}"))
}

impl Authenticator for HardwareKey {
    fn describe(&self) -> String {
        match self.kind {
            #[cfg(feature = "usb")]
            Kind::Usb => "USB security key".into(),
            #[cfg(feature = "nfc")]
            Kind::Nfc => "NFC security key".into(),
        }
    }

    fn software(&self) -> bool {
        false
    }

    fn present(&mut self) -> Option<bool> {
        match self.kind {
            #[cfg(feature = "usb")]
            Kind::Usb => {
                let t = block_on(webauthn_authenticator_rs::usb::USBTransport::new()).ok()?;
                Some(!block_on(t.tokens()).ok()?.is_empty())
            }
            #[cfg(feature = "nfc")]
            Kind::Nfc => {
                let t = webauthn_authenticator_rs::nfc::NFCTransport::new(pcsc::Scope::User).ok()?;
                Some(!block_on(t.tokens()).ok()?.is_empty())
            }
        }
    }

    fn transport(&self) -> &'static str {
        match self.kind {
            #[cfg(feature = "usb")]
            Kind::Usb => "usb",
            #[cfg(feature = "nfc")]
            Kind::Nfc => "nfc",
        }
    }

    fn register(&mut self, name: &str, exclude: &[Vec<u8>]) -> Result<EnrolledKey, AuthError> {
        match self.kind {
            #[cfg(feature = "usb")]
            Kind::Usb => {
                let t = block_on(webauthn_authenticator_rs::usb::USBTransport::new()).map_err(transport_err)?;
                let token = block_on(t.tokens()).map_err(transport_err)?.into_iter().next().ok_or(AuthError::NoDevice)?;
                ctap_register(token, &self.ui, name, exclude, "usb", false)
            }
            #[cfg(feature = "nfc")]
            Kind::Nfc => {
                let t = webauthn_authenticator_rs::nfc::NFCTransport::new(pcsc::Scope::User).map_err(transport_err)?;
                let token = block_on(t.tokens()).map_err(transport_err)?.into_iter().next().ok_or(AuthError::NoDevice)?;
                ctap_register(token, &self.ui, name, exclude, "nfc", false)
            }
        }
    }

    fn set_pin(&mut self, pin: Option<String>) {
        if let Ok(mut p) = self.ui.pin.lock() {
            *p = pin;
        }
    }

    fn assert(&mut self, client_data_hash: [u8; 32], allow: &[Vec<u8>], uv: bool) -> Result<Assertion, AuthError> {
        match self.kind {
            #[cfg(feature = "usb")]
            Kind::Usb => {
                let t = block_on(webauthn_authenticator_rs::usb::USBTransport::new()).map_err(transport_err)?;
                let token = block_on(t.tokens()).map_err(transport_err)?.into_iter().next().ok_or(AuthError::NoDevice)?;
                ctap_assert(token, &self.ui, client_data_hash, allow, uv)
            }
            #[cfg(feature = "nfc")]
            Kind::Nfc => {
                let t = webauthn_authenticator_rs::nfc::NFCTransport::new(pcsc::Scope::User).map_err(transport_err)?;
                let token = block_on(t.tokens()).map_err(transport_err)?.into_iter().next().ok_or(AuthError::NoDevice)?;
                ctap_assert(token, &self.ui, client_data_hash, allow, uv)
            }
        }
    }
}
