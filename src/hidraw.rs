//! USB security keys as Linux sees them: FIDO HID devices under `/sys/class/hidraw`, found by
//! reading sysfs directly (no libudev), and whether they may be opened — a key whose node no udev
//! rule opened is invisible to every USB backend, which then says "no key".
//!
//! Two views: this process (user mode: the user's agent opens the key), and system mode's
//! approval-agent account, judged from the node's owner, group, mode and POSIX ACL, since
//! `ana doctor` runs as the user. For the account, the obstacle names the step of the udev chain
//! that is missing (the rule, the daemon, udev's record of the device, its FIDO mark).
//!
//! Used by `ana doctor` and by the approval agent to explain a key it cannot reach. Reads only;
//! it never opens a device for more than a permission check, so it cannot disturb a ceremony.

use std::os::unix::fs::MetadataExt;
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
    /// Whoever the scan was for may open the node for reading and writing.
    pub accessible: bool,
    /// The device number from sysfs (`MAJOR:MINOR`), which names udev's record of it.
    pub devnum: String,
    /// The node's owner, group and mode, where it could be read.
    pub owner: Option<(u32, u32, u32)>,
}

/// An account that must reach the keys: system mode's approval agent, with the groups it runs
/// with (the client group and its own, which the udev rule names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub gids: Vec<u32>,
    /// The group the udev rule gives the keys to.
    pub key_group: String,
}

/// One entry of a POSIX access ACL (`system.posix_acl_access`, the kernel's xattr format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AclEntry {
    pub tag: u16,
    pub perm: u16,
    pub id: u32,
}

const ACL_USER: u16 = 0x02;
const ACL_GROUP_OBJ: u16 = 0x04;
const ACL_GROUP: u16 = 0x08;
const ACL_MASK: u16 = 0x10;
const ACL_OTHER: u16 = 0x20;
const READ_WRITE: u32 = 0o6;

/// Parses the kernel's ACL xattr: a version (2), then 8-byte entries (tag, perm, id; little
/// endian). `None` for anything else.
pub fn parse_acl(b: &[u8]) -> Option<Vec<AclEntry>> {
    if b.len() < 4 || !(b.len() - 4).is_multiple_of(8) || u32::from_le_bytes(b[..4].try_into().ok()?) != 2 {
        return None;
    }
    Some(b[4..].chunks_exact(8).map(|e| AclEntry { tag: u16::from_le_bytes([e[0], e[1]]), perm: u16::from_le_bytes([e[2], e[3]]), id: u32::from_le_bytes([e[4], e[5], e[6], e[7]]) }).collect())
}

/// Whether `uid` with `gids` may read and write a file of `owner`:`group` with `mode` and an
/// access ACL, by the kernel's rules (acl(5), "access check algorithm"). Not for root.
pub fn may_read_write(owner: u32, group: u32, mode: u32, acl: &[AclEntry], uid: u32, gids: &[u32]) -> bool {
    let rw = |bits: u32| bits & READ_WRITE == READ_WRITE;
    if uid == owner {
        return rw(mode >> 6);
    }
    if acl.iter().any(|e| e.tag == ACL_USER || e.tag == ACL_GROUP) {
        let mask = acl.iter().find(|e| e.tag == ACL_MASK).map_or(0o7, |e| u32::from(e.perm));
        if let Some(e) = acl.iter().find(|e| e.tag == ACL_USER && e.id == uid) {
            return rw(u32::from(e.perm) & mask);
        }
        let groups: Vec<&AclEntry> = acl.iter().filter(|e| (e.tag == ACL_GROUP_OBJ && gids.contains(&group)) || (e.tag == ACL_GROUP && gids.contains(&e.id))).collect();
        if !groups.is_empty() {
            return groups.iter().any(|e| rw(u32::from(e.perm) & mask));
        }
        return acl.iter().find(|e| e.tag == ACL_OTHER).is_some_and(|e| rw(u32::from(e.perm)));
    }
    if gids.contains(&group) { rw(mode >> 3) } else { rw(mode) }
}

/// The node's access ACL, if it has one (none, or a file system without ACLs: empty).
fn access_acl(node: &Path) -> Vec<AclEntry> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(node.as_os_str().as_bytes()) else { return Vec::new() };
    let mut buf = [0u8; 1024];
    // SAFETY: both strings are NUL-terminated; the buffer's length is passed with it.
    #[cfg(target_os = "linux")]
    let n = unsafe { libc::getxattr(path.as_ptr(), c"system.posix_acl_access".as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    // Elsewhere (macOS: no hidraw, no POSIX ACL xattr) there is no ACL to read.
    #[cfg(not(target_os = "linux"))]
    let n: isize = {
        let _ = (&path, &mut buf);
        0
    };
    if n <= 0 {
        return Vec::new();
    }
    parse_acl(&buf[..n as usize]).unwrap_or_default()
}

/// Whether `account` may open `node` for reading and writing.
pub fn account_may_open(node: &Path, account: &Account) -> bool {
    match std::fs::metadata(node) {
        Ok(m) => may_read_write(m.uid(), m.gid(), m.mode(), &access_acl(node), account.uid, &account.gids),
        Err(_) => false,
    }
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

/// Every FIDO HID device under `sys` (normally `/sys`), with its node in `dev` (`/dev`), and
/// whether this process may open it.
pub fn scan_in(sys: &Path, dev: &Path) -> Vec<HidKey> {
    scan_with(sys, dev, |node| std::fs::OpenOptions::new().read(true).write(true).open(node).is_ok())
}

fn scan_with(sys: &Path, dev: &Path, may_open: impl Fn(&Path) -> bool) -> Vec<HidKey> {
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
            let devnum = std::fs::read_to_string(base.join("dev")).unwrap_or_default().trim().to_owned();
            let owner = std::fs::metadata(&node).ok().map(|m| (m.uid(), m.gid(), m.mode() & 0o7777));
            Some(HidKey { accessible: may_open(&node), usb: field("HID_ID=").starts_with("0003:"), name: field("HID_NAME="), node, devnum, owner })
        })
        .collect();
    keys.sort_by(|a, b| a.node.cmp(&b.node));
    keys
}

/// Every FIDO HID device on this machine, and whether this process may open it.
pub fn scan() -> Vec<HidKey> {
    scan_in(Path::new("/sys"), Path::new("/dev"))
}

/// Every FIDO HID device on this machine, and whether `account` may open it.
pub fn scan_for(account: &Account) -> Vec<HidKey> {
    scan_with(Path::new("/sys"), Path::new("/dev"), |node| account_may_open(node, account))
}

/// What the udev chain shows about a node: the rule that gives keys to the agent's account, the
/// daemon that applies it, udev's record of the device and its FIDO mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Udev {
    pub rule_installed: bool,
    pub daemon_running: bool,
    /// `/run/udev/data`.
    pub database: PathBuf,
}

/// What udev recorded about one device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdevRecord {
    /// udev has not processed the device (no record).
    Missing,
    /// udev processed it, without `ID_FIDO_TOKEN=1` (no `fido_id`: eudev, or systemd before 244).
    NotFido,
    /// udev knows it for a FIDO key.
    Fido,
}

impl Udev {
    /// This machine: `rule` is system mode's rule file.
    pub fn here(rule: &Path) -> Udev {
        Udev { rule_installed: rule.is_file(), daemon_running: udevd_running(Path::new("/proc")), database: PathBuf::from("/run/udev/data") }
    }

    pub fn record(&self, key: &HidKey) -> UdevRecord {
        match std::fs::read_to_string(self.database.join(format!("c{}", key.devnum))) {
            Err(_) => UdevRecord::Missing,
            Ok(t) if t.lines().any(|l| l == "E:ID_FIDO_TOKEN=1") => UdevRecord::Fido,
            Ok(_) => UdevRecord::NotFido,
        }
    }
}

/// Whether a udev daemon runs (systemd-udevd, or eudev's udevd): its process name in `proc`.
pub fn udevd_running(proc: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(proc) else { return false };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .any(|e| std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| matches!(c.trim(), "systemd-udevd" | "udevd")))
}

/// A node's owner, group and mode as `root:ana 660`, by name where /etc names them.
fn describe_owner(owner: Option<(u32, u32, u32)>) -> String {
    let Some((uid, gid, mode)) = owner else { return "its owner cannot be read".into() };
    let name = |file: &str, id: u32| {
        std::fs::read_to_string(file)
            .ok()
            .and_then(|t| {
                t.lines().find_map(|l| {
                    let f: Vec<&str> = l.split(':').collect();
                    (f.len() > 2 && f[2] == id.to_string()).then(|| f[0].to_owned())
                })
            })
            .unwrap_or_else(|| id.to_string())
    };
    format!("{}:{} {mode:o}", name("/etc/passwd", uid), name("/etc/group", gid))
}

/// A key that is plugged in but out of this user's reach, and how to fix it; `None` if every key
/// present may be used (or none is there).
pub fn obstacle(keys: &[HidKey]) -> Option<(String, String)> {
    let k = keys.iter().find(|k| !k.accessible)?;
    Some((
        format!("{} ({}) is a security key, but you may not open it (no udev rule gives it to you)", k.node.display(), k.name),
        "install your distribution's udev rules for FIDO keys (systemd 244 or later tags them for the logged-in user; otherwise libfido2's 70-u2f.rules), then unplug and replug the key; an approver running under its own account needs a rule for that account".into(),
    ))
}

/// System mode: a key the approval agent's account may not open (`keys` scanned for it), and the
/// step of the udev chain to fix — the rule, the daemon, udev's record, the FIDO mark, or a rule
/// applied before ana's was there.
pub fn account_obstacle(keys: &[HidKey], account: &Account, udev: &Udev, rule: &Path) -> Option<(String, String)> {
    let k = keys.iter().find(|k| !k.accessible)?;
    let node = k.node.display();
    let what = format!("{node} ({}) is a security key, but the approval agent's account `{}` may not open it ({})", k.name, account.name, describe_owner(k.owner));
    let by_hand = format!("`sudo chgrp {} {node} && sudo chmod 0660 {node}` (until the key is replugged)", account.key_group);
    let fix = if !udev.rule_installed {
        format!("`sudo ana install system` writes the udev rule {} (and has udev apply it); then, if the key is still out of reach, unplug and replug it", rule.display())
    } else if !udev.daemon_running {
        format!(
            "no udev daemon runs here, so nothing applied {}: start it (`sudo systemctl start systemd-udevd`, or `sudo /lib/systemd/systemd-udevd --daemon`), then `sudo udevadm trigger --subsystem-match=hidraw`; or by hand {by_hand}",
            rule.display()
        )
    } else {
        match udev.record(k) {
            UdevRecord::Missing => format!("udev has no record of {node}: `sudo udevadm trigger --subsystem-match=hidraw && sudo udevadm settle`, or unplug and replug the key"),
            UdevRecord::NotFido => format!(
                "udev does not mark {node} as a FIDO key (ID_FIDO_TOKEN comes from systemd 244's fido_id; eudev and older udev lack it), so {} does not match it: add a rule for the key's vendor and product (`udevadm info {node}`; libfido2's 70-u2f.rules lists them) with GROUP=\"{}\", MODE=\"0660\"; or by hand {by_hand}",
                rule.display(),
                account.key_group
            ),
            UdevRecord::Fido => "udev handled the key before ana's rule was there, or a later rule changes it: `sudo udevadm control --reload && sudo udevadm trigger --subsystem-match=hidraw`, or unplug and replug the key".into(),
        }
    };
    Some((what, fix))
}

/// Why a key that is plugged in cannot be used: for this process (user mode), or for system
/// mode's approval-agent `account`, with `rule` the rule that should give it the keys.
pub fn explain(account: Option<&Account>, rule: &Path) -> Option<(String, String)> {
    match account {
        None => obstacle(&scan()),
        Some(a) => account_obstacle(&scan_for(a), a, &Udev::here(rule), rule),
    }
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
            std::fs::write(d.join("dev"), format!("243:{}\n", &n[6..])).unwrap();
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
        assert_eq!(keys[0].devnum, "243:1", "udev's record is found by the device number");
        assert!(keys[0].owner.is_some() && keys[1].owner.is_none());
    }

    /// An ACL as the kernel stores it: version 2, then (tag, perm, id) entries.
    fn acl(entries: &[(u16, u16, u32)]) -> Vec<u8> {
        let mut b = 2u32.to_le_bytes().to_vec();
        for (tag, perm, id) in entries {
            b.extend(tag.to_le_bytes());
            b.extend(perm.to_le_bytes());
            b.extend(id.to_le_bytes());
        }
        b
    }

    #[test]
    fn acl_xattrs_parse_and_anything_else_is_refused() {
        let e = parse_acl(&acl(&[(1, 6, u32::MAX), (2, 6, 990), (4, 0, u32::MAX), (0x10, 6, u32::MAX), (0x20, 0, u32::MAX)])).unwrap();
        assert_eq!(e.len(), 5);
        assert_eq!(e[1], AclEntry { tag: ACL_USER, perm: 6, id: 990 });
        assert!(parse_acl(&[]).is_none());
        assert!(parse_acl(&acl(&[(1, 6, 0)])[..9]).is_none(), "a truncated entry");
        let mut v1 = acl(&[(1, 6, 0)]);
        v1[0] = 1;
        assert!(parse_acl(&v1).is_none(), "another version");
    }

    /// ACL entries: (tag, perm, id).
    type Entries<'a> = &'a [(u16, u16, u32)];

    /// (what, owner, group, mode, ACL, may the agent (uid 990, groups 991 and 990) open it)
    #[test]
    fn who_may_open_a_node_by_owner_group_mode_and_acl() {
        let (uid, gids) = (990, [991, 990]);
        let none: Entries = &[];
        let cases: &[(&str, u32, u32, u32, Entries, bool)] = &[
            ("devtmpfs' default: root's alone", 0, 0, 0o600, none, false),
            ("the rule applied: the account's group, 0660", 0, 990, 0o660, none, true),
            ("the account's group but 0640", 0, 990, 0o640, none, false),
            ("the client group, 0660", 0, 991, 0o660, none, true),
            ("another group, open to others", 0, 5, 0o666, none, true),
            ("another group, 0660", 0, 5, 0o660, none, false),
            ("the account owns it", 990, 0, 0o600, none, true),
            ("uaccess gave the seat's user an ACL: not the account", 0, 0, 0o660, &[(1, 6, 0), (2, 6, 1000), (4, 0, 0), (0x10, 6, 0), (0x20, 0, 0)], false),
            ("an ACL for the account", 0, 0, 0o660, &[(1, 6, 0), (2, 6, 990), (4, 0, 0), (0x10, 6, 0), (0x20, 0, 0)], true),
            ("an ACL for the account, masked to read", 0, 0, 0o640, &[(1, 6, 0), (2, 6, 990), (4, 0, 0), (0x10, 4, 0), (0x20, 0, 0)], false),
            ("an ACL for its group", 0, 0, 0o660, &[(1, 6, 0), (4, 0, 0), (8, 6, 990), (0x10, 6, 0), (0x20, 0, 0)], true),
            ("a group entry that matches and refuses wins over others", 0, 0, 0o664, &[(1, 6, 0), (4, 0, 0), (8, 0, 991), (0x10, 6, 0), (0x20, 6, 0)], false),
            ("a bare ACL (no named entries) is the mode", 0, 990, 0o660, &[(1, 6, 0), (4, 6, 0), (0x20, 0, 0)], true),
        ];
        for (what, owner, group, mode, entries, want) in cases {
            let e = parse_acl(&acl(entries)).unwrap();
            assert_eq!(may_read_write(*owner, *group, *mode, &e, uid, &gids), *want, "{what}");
        }
    }

    fn key(devnum: &str) -> HidKey {
        HidKey { node: PathBuf::from("/dev/hidraw0"), name: "ana virtual key A".into(), usb: true, accessible: false, devnum: devnum.into(), owner: Some((0, 0, 0o600)) }
    }

    fn account() -> Account {
        Account { name: "ana".into(), uid: 990, gids: vec![991, 990], key_group: "ana".into() }
    }

    #[test]
    fn the_account_obstacle_names_the_missing_step_of_the_udev_chain() {
        let t = tempfile::tempdir().unwrap();
        let db = t.path().join("data");
        std::fs::create_dir_all(&db).unwrap();
        std::fs::write(db.join("c243:1"), "I:1234\nE:ID_FIDO_TOKEN=1\nE:ID_SECURITY_TOKEN=1\nG:security-device\n").unwrap();
        std::fs::write(db.join("c243:2"), "I:1234\nE:ID_INPUT=1\n").unwrap();
        let rule = Path::new("/etc/udev/rules.d/70-ana-fido.rules");
        let udev = |rule_installed, daemon_running| Udev { rule_installed, daemon_running, database: db.clone() };
        let fix = |k: &HidKey, u: &Udev| account_obstacle(std::slice::from_ref(k), &account(), u, rule).unwrap().1;

        let (what, _) = account_obstacle(&[key("243:1")], &account(), &udev(true, true), rule).unwrap();
        assert!(what.contains("/dev/hidraw0") && what.contains("account `ana` may not open it") && what.contains(":"), "{what}");
        assert!(fix(&key("243:1"), &udev(false, true)).contains("`sudo ana install system` writes the udev rule"));
        let no_daemon = fix(&key("243:1"), &udev(true, false));
        assert!(no_daemon.contains("no udev daemon runs") && no_daemon.contains("sudo chgrp ana /dev/hidraw0"), "{no_daemon}");
        assert!(fix(&key("243:9"), &udev(true, true)).contains("udev has no record of /dev/hidraw0"));
        assert!(fix(&key("243:2"), &udev(true, true)).contains("does not mark /dev/hidraw0 as a FIDO key"));
        assert!(fix(&key("243:1"), &udev(true, true)).contains("udevadm control --reload"));
        let mut open = key("243:1");
        open.accessible = true;
        assert!(account_obstacle(&[open], &account(), &udev(false, false), rule).is_none(), "a key the account may open is no obstacle");
    }

    #[test]
    fn udevd_is_found_by_its_process_name() {
        let t = tempfile::tempdir().unwrap();
        for (pid, comm) in [("1", "init"), ("77", "bash"), ("self", "systemd-udevd")] {
            std::fs::create_dir_all(t.path().join(pid)).unwrap();
            std::fs::write(t.path().join(pid).join("comm"), format!("{comm}\n")).unwrap();
        }
        assert!(!udevd_running(t.path()), "only numbered entries are processes");
        for comm in ["systemd-udevd", "udevd"] {
            std::fs::create_dir_all(t.path().join("412")).unwrap();
            std::fs::write(t.path().join("412/comm"), format!("{comm}\n")).unwrap();
            assert!(udevd_running(t.path()), "{comm}");
        }
        assert!(!udevd_running(&t.path().join("absent")));
    }
}
