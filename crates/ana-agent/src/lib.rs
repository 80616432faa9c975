//! ana-agent: the per-user approval agent. The only process that links the FIDO2 hardware stack.
//!
//! - [`authenticator`]: the trait and the CTAP2 client path every backend shares.
//! - [`soft`]: the software key (tests and the demo only), a CTAP2 `Token` in-process.
//! - [`hardware`]: USB HID and NFC keys.
//! - [`daemon`]: the socket server, the approval queue, ceremonies and one-time grants.
//! - [`store`]: the database thread (history, used nonces).

pub mod authenticator;
#[cfg(feature = "ctap-hid-fido2")]
pub mod ctaphid;
pub mod daemon;
#[cfg(any(feature = "usb", feature = "nfc"))]
pub mod hardware;
pub mod log;
pub mod notify;
pub mod soft;
pub mod store;
