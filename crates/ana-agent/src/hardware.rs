//! USB HID and NFC security keys, through the same CTAP2 client path as the software key.
//!
//! Each ceremony enumerates the keys afresh (a key may be unplugged between approvals, or plugged
//! in after the agent started). With several keys present, an assertion goes to each in turn
//! until one holds an allowed credential, and an enrolment to the first key not enrolled yet.
//! A ceremony can be stopped from another thread ([`Cancel`]): the key is sent CTAPHID CANCEL
//! and stops blinking. With no key present, the error says so, and names what keeps a key that
//! is plugged in out of reach (no udev, no permission) when that is the case.

use futures::executor::block_on;
use futures::future::{Either, select};
use webauthn_authenticator_rs::error::WebauthnCError;
use webauthn_authenticator_rs::transport::{Token, Transport};
use webauthn_authenticator_rs::ui::UiCallback;
use webauthn_rs_proto::AuthenticatorTransport;

use crate::authenticator::{Assertion, AuthError, Authenticator, Cancel, Ui, ctap_assert, ctap_register};
use ana::policy::Level;
use ana::webauthn::{EnrolledKey, Transport as KeyTransport};

/// How often a ceremony under way looks at its cancel flag.
const CANCEL_POLL: std::time::Duration = std::time::Duration::from_millis(50);

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
    cancel: Cancel,
}

impl HardwareKey {
    pub fn new(kind: Kind) -> HardwareKey {
        HardwareKey { kind, ui: Ui::default(), cancel: Cancel::default() }
    }

    /// Runs `each` on the keys present, in turn, until one answers other than `skip` says.
    fn each_key<R>(&mut self, skip: fn(&AuthError) -> bool, each: impl Fn(&Ui, Cancel, AnyToken) -> Result<R, AuthError>) -> Result<R, AuthError> {
        self.cancel.reset();
        let ui = &self.ui;
        let cancel = self.cancel.clone();
        let kind = self.kind;
        with_timer(move || {
            let tokens = tokens(kind)?;
            if tokens.is_empty() {
                return Err(no_device(kind));
            }
            let mut last = AuthError::NoDevice;
            for token in tokens {
                if cancel.is_cancelled() {
                    return Err(AuthError::Cancelled);
                }
                match each(ui, cancel.clone(), token) {
                    Err(e) if skip(&e) => last = e,
                    other => return other,
                }
            }
            Err(last)
        })?
    }
}

/// One key, of either transport.
enum AnyToken {
    #[cfg(feature = "usb")]
    Usb(webauthn_authenticator_rs::usb::USBToken),
    #[cfg(feature = "nfc")]
    Nfc(webauthn_authenticator_rs::nfc::NFCCard),
}

fn transport_err(e: WebauthnCError) -> AuthError {
    AuthError::Transport(format!("{e:?}"))
}

fn tokens(kind: Kind) -> Result<Vec<AnyToken>, AuthError> {
    Ok(match kind {
        #[cfg(feature = "usb")]
        Kind::Usb => {
            let t = block_on(webauthn_authenticator_rs::usb::USBTransport::new()).map_err(transport_err)?;
            block_on(t.tokens()).map_err(transport_err)?.into_iter().map(AnyToken::Usb).collect()
        }
        #[cfg(feature = "nfc")]
        Kind::Nfc => {
            let t = webauthn_authenticator_rs::nfc::NFCTransport::new(pcsc::Scope::User).map_err(transport_err)?;
            block_on(t.tokens()).map_err(transport_err)?.into_iter().map(AnyToken::Nfc).collect()
        }
    })
}

/// "No key" — or, for USB on Linux, why a key that is plugged in was not found.
fn no_device(kind: Kind) -> AuthError {
    #[cfg(all(feature = "usb", target_os = "linux"))]
    if kind == Kind::Usb
        && let Some((what, fix)) = crate::authenticator::usb_obstacle()
    {
        return AuthError::Unreachable(format!("{what}; {fix}"));
    }
    let _ = kind;
    AuthError::NoDevice
}

/// Runs `f` where tokio's timer works. webauthn-authenticator-rs's USB transport sleeps on tokio's
/// timer after each KEEPALIVE (0.6.2, `usb/mod.rs`, `transmit_raw`), and a key sends KEEPALIVEs
/// all the while it blinks for a touch: outside a runtime that sleep panicked ("there is no
/// reactor running") — `ana enroll --authenticator usb` did, at the key's first blink. In the
/// approval agent, ceremonies run on its runtime's blocking pool, whose timer the runtime drives;
/// elsewhere a small runtime is driven by a thread of its own for the length of `f`.
fn with_timer<R>(f: impl FnOnce() -> R) -> Result<R, AuthError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Ok(f());
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().map_err(|e| AuthError::Transport(format!("a timer for the key's keepalives: {e}")))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    /// Ends the timer's thread however `f` ends (a panic included), so the scope can close.
    struct Stop(Option<tokio::sync::oneshot::Sender<()>>);
    impl Drop for Stop {
        fn drop(&mut self) {
            if let Some(s) = self.0.take() {
                let _ = s.send(());
            }
        }
    }
    let rt = &rt;
    std::thread::scope(|s| {
        s.spawn(move || rt.block_on(async move { drop(stopped.await) }));
        let _stop = Stop(Some(stop));
        let _context = rt.enter();
        Ok(f())
    })
}

/// A key whose exchanges end when its [`Cancel`] is set: the exchange under way is dropped
/// between two reads from the key (the library sleeps 100 ms after each KEEPALIVE, which is
/// when the flag is seen), and the key is sent CTAPHID CANCEL so that it stops blinking.
#[derive(Debug)]
struct Cancellable<T: Token> {
    inner: T,
    cancel: Cancel,
}

#[async_trait::async_trait]
impl<T: Token> Token for Cancellable<T> {
    type Id = T::Id;

    fn has_button(&self) -> bool {
        self.inner.has_button()
    }

    fn get_transport(&self) -> AuthenticatorTransport {
        self.inner.get_transport()
    }

    async fn transmit_raw<U: UiCallback>(&mut self, cbor: &[u8], ui: &U) -> Result<Vec<u8>, WebauthnCError> {
        let Cancellable { inner, cancel } = self;
        if cancel.is_cancelled() {
            return Err(WebauthnCError::Cancelled);
        }
        {
            let exchange = inner.transmit_raw(cbor, ui);
            let watch = async {
                while !cancel.is_cancelled() {
                    tokio::time::sleep(CANCEL_POLL).await;
                }
            };
            futures::pin_mut!(exchange, watch);
            if let Either::Left((answer, _)) = select(exchange, watch).await {
                return answer;
            }
        }
        tracing::info!("ceremony cancelled: telling the key to stop");
        let _ = inner.cancel().await;
        Err(WebauthnCError::Cancelled)
    }

    async fn cancel(&mut self) -> Result<(), WebauthnCError> {
        self.inner.cancel().await
    }

    async fn init(&mut self) -> Result<(), WebauthnCError> {
        self.inner.init().await
    }

    async fn close(&mut self) -> Result<(), WebauthnCError> {
        self.inner.close().await
    }
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
        Some(!tokens(self.kind).ok()?.is_empty())
    }

    fn transport(&self) -> KeyTransport {
        match self.kind {
            #[cfg(feature = "usb")]
            Kind::Usb => KeyTransport::Usb,
            #[cfg(feature = "nfc")]
            Kind::Nfc => KeyTransport::Nfc,
        }
    }

    fn register(&mut self, name: &str, exclude: &[Vec<u8>]) -> Result<EnrolledKey, AuthError> {
        let transport = self.transport();
        // A key already enrolled refuses (after its touch); the next one is asked.
        let r = self.each_key(
            |e| *e == AuthError::AlreadyEnrolled,
            |ui, cancel, token| match token {
                #[cfg(feature = "usb")]
                AnyToken::Usb(t) => ctap_register(Cancellable { inner: t, cancel }, ui, name, exclude, transport),
                #[cfg(feature = "nfc")]
                AnyToken::Nfc(t) => ctap_register(Cancellable { inner: t, cancel }, ui, name, exclude, transport),
            },
        );
        match r {
            Err(AuthError::WrongPin { .. }) => Err(AuthError::WrongPin { retries: self.pin_retries() }),
            other => other,
        }
    }

    fn set_pin(&mut self, pin: Option<String>) {
        if let Ok(mut p) = self.ui.pin.lock() {
            *p = pin;
        }
    }

    fn assert(&mut self, client_data_hash: [u8; 32], allow: &[Vec<u8>], level: Level) -> Result<Assertion, AuthError> {
        // A key holding none of the allowed credentials answers at once; the next one is asked.
        let r = self.each_key(
            |e| *e == AuthError::NoCredentials,
            |ui, cancel, token| match token {
                #[cfg(feature = "usb")]
                AnyToken::Usb(t) => ctap_assert(Cancellable { inner: t, cancel }, ui, client_data_hash, allow, level),
                #[cfg(feature = "nfc")]
                AnyToken::Nfc(t) => ctap_assert(Cancellable { inner: t, cancel }, ui, client_data_hash, allow, level),
            },
        );
        match r {
            Err(AuthError::WrongPin { .. }) => Err(AuthError::WrongPin { retries: self.pin_retries() }),
            other => other,
        }
    }

    fn cancel_handle(&self) -> Option<Cancel> {
        Some(self.cancel.clone())
    }
}

impl HardwareKey {
    /// The PIN tries left, asked of the first key that answers (CTAP2 clientPIN getPINRetries).
    fn pin_retries(&mut self) -> Option<u32> {
        use webauthn_authenticator_rs::ctap2::commands::{ClientPinRequest, ClientPinSubCommand};
        let request = ClientPinRequest { pin_uv_protocol: Some(1), sub_command: ClientPinSubCommand::GetPinRetries, ..Default::default() };
        self.each_key(
            |_| true,
            |ui, _, token| {
                let answer = match token {
                    #[cfg(feature = "usb")]
                    AnyToken::Usb(mut t) => block_on(async {
                        t.init().await?;
                        t.transmit(request.clone(), ui).await
                    }),
                    #[cfg(feature = "nfc")]
                    AnyToken::Nfc(mut t) => block_on(async {
                        t.init().await?;
                        t.transmit(request.clone(), ui).await
                    }),
                };
                answer.ok().and_then(|r| r.pin_retries).ok_or(AuthError::NoDevice)
            },
        )
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A key that blinks forever: each exchange waits as a key does for a touch, sleeping on
    /// tokio's timer between keepalives as the USB transport does.
    #[derive(Debug, Default)]
    struct Blinking {
        told_to_stop: Arc<AtomicBool>,
    }

    #[async_trait::async_trait]
    impl Token for Blinking {
        type Id = ();
        fn get_transport(&self) -> AuthenticatorTransport {
            AuthenticatorTransport::Usb
        }
        async fn transmit_raw<U: UiCallback>(&mut self, _: &[u8], ui: &U) -> Result<Vec<u8>, WebauthnCError> {
            loop {
                ui.request_touch();
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
        async fn cancel(&mut self) -> Result<(), WebauthnCError> {
            self.told_to_stop.store(true, Ordering::SeqCst);
            Ok(())
        }
        async fn init(&mut self) -> Result<(), WebauthnCError> {
            Ok(())
        }
        async fn close(&mut self) -> Result<(), WebauthnCError> {
            Ok(())
        }
    }

    #[test]
    fn the_library_s_keepalive_sleep_works_outside_a_runtime() {
        // `ana enroll` has no runtime of its own; this panicked before `with_timer`.
        with_timer(|| block_on(tokio::time::sleep(std::time::Duration::from_millis(20)))).unwrap();
    }

    #[test]
    fn a_cancelled_ceremony_ends_and_the_key_is_told_to_stop() {
        let cancel = Cancel::default();
        let told = Arc::new(AtomicBool::new(false));
        let mut key = Cancellable { inner: Blinking { told_to_stop: told.clone() }, cancel: cancel.clone() };
        let ui = Ui::default();
        let canceller = {
            let cancel = cancel.clone();
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(300));
                cancel.cancel();
            })
        };
        let r = with_timer(|| block_on(key.transmit_raw(&[0x02], &ui))).unwrap();
        canceller.join().unwrap();
        assert!(matches!(r, Err(WebauthnCError::Cancelled)), "{r:?}");
        assert!(told.load(Ordering::SeqCst), "the key got CTAPHID CANCEL");
        assert!(ui.touch.load(Ordering::SeqCst), "the key had asked for a touch");
        // A cancelled flag stops the next exchange before it reaches the key.
        let r = with_timer(|| block_on(key.transmit_raw(&[0x04], &ui))).unwrap();
        assert!(matches!(r, Err(WebauthnCError::Cancelled)));
    }
}
