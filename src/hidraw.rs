//! USB security keys as Linux sees them: FIDO HID devices under `/sys/class/hidraw`, found by
//! reading sysfs directly (no libudev), and whether this user may open them — a key whose node
//! no udev rule opened to the user is invisible to every USB backend, which then says "no key".
//!
//! Used by `ana doctor` and by the approval agent to explain a key it cannot reach. Reads only;
//! it never opens a device for more than a permission check, so it cannot disturb a ceremony.

use std::path::{Path, PathBuf};

/// The FIDO Alliance's HID usage page and the CTAPHID usage (CTAP 2.1 §11.2.8.1).
const FIDO_USAGE_PAGE: u32 = 0xF1D0;
const FIDO_USAGE_CTAPHID: u32 = 0x01;

/// One FIDO HID device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HidKey {
    /// `/dev/hidrawN`.
    pub node: PathBuf,
    /// The product name the device reports (`HID_NAME`).
    pub name: String,
    /// On the USB bus (bus 0003); Bluetooth or virtual devices have other bus numbers.
    pub usb: bool,
    /// This process may open the node for reading and writing.
    pub accessible: bool,
}

/// Whether a HID report descriptor declares the FIDO usage (an application collection on usage
/// page 0xF1D0, usage 1). Short items only; a long item ends the walk.
pub fn is_fido_descriptor(d: &[u8]) -> bool {
    let mut page = 0u32;
    let mut i = 0;
    while i < d.len() {
        let prefix = d[i];
        if prefix == 0xFE {
            return false;
        }
        let size = match prefix & 0x03 {
            3 => 4,
            n => n as usize,
        };
        let Some(data) = d.get(i + 1..i + 1 + size) else { return false };
        let value = data.iter().rev().fold(0u32, |v, b| v << 8 | u32::from(*b));
        match prefix & 0xFC {
            // Usage Page (global)
            0x04 => page = value,
            // Usage (local): a 4-byte usage carries its own page.
            0x08 => {
                let (p, u) = if size == 4 { (value >> 16, value & 0xFFFF) } else { (page, value) };
                if p == FIDO_USAGE_PAGE && u == FIDO_USAGE_CTAPHID {
                    return true;
                }
            }
            _ => {}
        }
        i += 1 + size;
    }
    false
}

/// Every FIDO HID device under `sys` (normally `/sys`), with its node in `dev` (`/dev`).
pub fn scan_in(sys: &Path, dev: &Path) -> Vec<HidKey> {
    let Ok(entries) = std::fs::read_dir(sys.join("class/hidraw")) else { return Vec::new() };
    let mut keys: Vec<HidKey> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let base = e.path();
            let descriptor = std::fs::read(base.join("device/report_descriptor")).ok()?;
            if !is_fido_descriptor(&descriptor) {
                return None;
            }
            let uevent = std::fs::read_to_string(base.join("device/uevent")).unwrap_or_default();
            let field = |k: &str| uevent.lines().find_map(|l| l.strip_prefix(k)).unwrap_or("").to_owned();
            let node = dev.join(e.file_name());
            Some(HidKey { accessible: std::fs::OpenOptions::new().read(true).write(true).open(&node).is_ok(), usb: field("HID_ID=").starts_with("0003:"), name: field("HID_NAME="), node })
        })
        .collect();
    keys.sort_by(|a, b| a.node.cmp(&b.node));
    keys
}

/// Every FIDO HID device on this machine.
pub fn scan() -> Vec<HidKey> {
    scan_in(Path::new("/sys"), Path::new("/dev"))
}

/// A key that is plugged in but out of this user's reach, and how to fix it; `None` if every key
/// present may be used (or none is there).
pub fn obstacle(keys: &[HidKey]) -> Option<(String, &'static str)> {
    let k = keys.iter().find(|k| !k.accessible)?;
    Some((
        format!("{} ({}) is a security key, but you may not open it (no udev rule gives it to you)", k.node.display(), k.name),
        "install your distribution's udev rules for FIDO keys (systemd 244 or later tags them for the logged-in user; otherwise libfido2's 70-u2f.rules), then unplug and replug the key; an approver running under its own account needs a rule for that account",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A YubiKey 5's FIDO interface descriptor.
    const FIDO: &str = "06d0f10901a1010920150026ff007508954081020921150026ff00750895409102c0";
    /// A keyboard.
    const KEYBOARD: &str = "05010906a101050719e029e7150025017501950881029501750881010507190029ff150025ff750895068100c0";

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn the_fido_usage_is_found_and_a_keyboard_is_not() {
        assert!(is_fido_descriptor(&hex(FIDO)));
        assert!(!is_fido_descriptor(&hex(KEYBOARD)));
        // A 4-byte usage names its page itself.
        assert!(is_fido_descriptor(&hex("0b0100d0f1a101c0")));
        // Truncated or long items end the walk without a match.
        assert!(!is_fido_descriptor(&hex("06d0")));
        assert!(!is_fido_descriptor(&hex("fe020000")));
        assert!(!is_fido_descriptor(&[]));
    }

    #[test]
    fn a_sysfs_tree_yields_its_fido_devices_and_their_obstacles() {
        let t = tempfile::tempdir().unwrap();
        let (sys, dev) = (t.path().join("sys"), t.path().join("dev"));
        for (n, desc, id) in [("hidraw0", KEYBOARD, "0003:000046D:0000C31C"), ("hidraw1", FIDO, "0003:00001050:00000407"), ("hidraw2", FIDO, "0005:00001050:00000407")] {
            let d = sys.join("class/hidraw").join(n);
            std::fs::create_dir_all(d.join("device")).unwrap();
            std::fs::write(d.join("device/report_descriptor"), hex(desc)).unwrap();
            std::fs::write(d.join("device/uevent"), format!("DRIVER=hid-generic\nHID_ID={id}\nHID_NAME=Yubico YubiKey OTP+FIDO+CCID\n")).unwrap();
        }
        std::fs::create_dir_all(&dev).unwrap();
        std::fs::write(dev.join("hidraw1"), b"").unwrap();
        let keys = scan_in(&sys, &dev);
        assert_eq!(keys.iter().map(|k| k.node.file_name().unwrap().to_str().unwrap()).collect::<Vec<_>>(), ["hidraw1", "hidraw2"]);
        assert!(keys[0].usb && !keys[1].usb);
        assert_eq!(keys[0].name, "Yubico YubiKey OTP+FIDO+CCID");
        assert!(keys[0].accessible && !keys[1].accessible);
        assert!(obstacle(&keys).unwrap().0.contains("hidraw2"), "the node that cannot be opened is named");
        assert!(obstacle(&keys[..1]).is_none());
        assert!(scan_in(&t.path().join("nothing"), &dev).is_empty());
    }
}
