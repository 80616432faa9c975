//! Disk and flash devices: which words of a command name one (`/dev/sdb`, `of=/dev/mmcblk0`,
//! `--drive=/dev/disk/by-id/…`), and which programs only look at one. A device given to any
//! other program may be written: fail closed (`disk.device-unmodelled`). Nothing here does I/O.

use super::super::shell::{Cmd, Word};

/// Character devices and kernel files under `/dev` that hold no disk's data.
const NOT_DISKS: &[&str] = &[
    "null",
    "zero",
    "full",
    "random",
    "urandom",
    "tty",
    "pts",
    "ptmx",
    "console",
    "stdin",
    "stdout",
    "stderr",
    "fd",
    "shm",
    "mqueue",
    "hugepages",
    "serial",
    "input",
    "snd",
    "dri",
    "video",
    "media",
    "v4l",
    "bus",
    "usb",
    "hidraw",
    "i2c-",
    "spidev",
    "gpiochip",
    "iio",
    "net",
    "tun",
    "kvm",
    "vhost",
    "fuse",
    "log",
    "rtc",
    "hwrng",
    "cpu",
    "char",
    "uinput",
    "uhid",
    "vfio",
    "vcs",
    "cuse",
    "autofs",
    "userfaultfd",
    "ttyUSB",
    "ttyACM",
    "ttyS",
    "ttyAMA",
    "ttyGS",
    "cu.",
    "tty.",
    "nvidia",
    "dxg",
    "dma_heap",
    "udmabuf",
    "bsg",
];

/// Whether `path` names a disk, a partition or a flash device (`/dev/sdb1`, `/dev/nvme0n1`,
/// `/dev/mmcblk0`, `/dev/mtd0`, `/dev/mapper/x`, `/dev/vg0/lv`, `/dev/disk/by-id/…`): anything
/// under `/dev` but the terminals, streams and other character devices known to hold no data.
pub fn is_device(path: &str) -> bool {
    let path = path.trim_start_matches('"');
    let Some(rest) = path.strip_prefix("/dev/").or_else(|| path.strip_prefix("//dev/")) else { return false };
    let rest = rest.trim_start_matches('/');
    !rest.is_empty() && !NOT_DISKS.iter().any(|n| rest.starts_with(n))
}

/// The device a word names: the word itself, or the value after an `=` (`of=/dev/sdb`,
/// `--device=/dev/sdb`, `file=/dev/sdb,format=raw`).
fn names_device(w: &Word) -> bool {
    let t = w.text.as_str();
    // (A kernel command line, `-append 'root=/dev/vda console=ttyAMA0'`, names the guest's.)
    if t.contains(' ') && !t.starts_with("/dev/") {
        return false;
    }
    is_device(t) || t.match_indices("=/dev/").any(|(at, _)| is_device(t[at + 1..].split(',').next().unwrap_or(""))) || t.contains(",/dev/") && t.split(',').any(is_device)
}

/// Whether `c` gives a disk device to a program that may change it: any program but the few
/// that only look (`lsblk`, `blkid`, `smartctl`, `fdisk -l`, `e2fsck -n`, `dd if=/dev/sdb`).
/// Formatters and raw writes have rules of their own; they are counted here too.
pub fn device_unmodelled(c: &Cmd) -> bool {
    let args = c.args();
    if !args.iter().any(names_device) {
        return false;
    }
    !only_looks(c)
}

/// Whether `c` only reads the devices it names.
fn only_looks(c: &Cmd) -> bool {
    let args = c.args();
    let flags = || args.iter().filter(|w| w.text.starts_with('-')).map(|w| w.text.as_str());
    // A short flag alone or in a cluster (`-wsv`).
    let letter = |l: char| args.iter().any(|w| w.text.starts_with('-') && !w.text.starts_with("--") && w.text[1..].contains(l));
    let has = |names: &[&str]| args.iter().any(|w| names.contains(&w.text.as_str()) || names.iter().any(|n| n.starts_with("--") && w.text.starts_with(&format!("{n}="))));
    let first = args.iter().find(|w| !w.text.starts_with('-')).map(|w| w.text.as_str());
    // The formatters, `dd`, `shred` and ZFS have rules of their own, which name what they do
    // (`dd if=/dev/sdb` reads, its `of=` is a file effect): not this rule's to judge.
    const OWN_RULES: &[&str] =
        &["sfdisk", "fdisk", "gdisk", "sgdisk", "parted", "cfdisk", "mkfs", "mke2fs", "mkswap", "mkdosfs", "mkntfs", "cryptsetup", "blkdiscard", "wipefs", "diskutil", "dd", "shred", "zpool", "zfs"];
    if OWN_RULES.contains(&c.program.as_str()) {
        return true;
    }
    match c.program.as_str() {
        "lsblk" | "blkid" | "findmnt" | "df" | "du" | "ls" | "stat" | "file" | "udevadm" | "smartctl" | "lsof" | "fuser" | "dumpe2fs" | "xfs_info" | "isoinfo" | "eject" | "mount" | "umount"
        | "udisksctl" | "cmp" | "sha256sum" | "sha1sum" | "sha512sum" | "md5sum" | "b2sum" | "cksum" | "hexdump" | "hd" | "xxd" | "od" | "strings" | "head" | "tail" | "cat" | "less" | "more"
        | "pv" | "wc" | "realpath" | "readlink" | "test" | "[" | "[[" | "echo" | "printf" | "kpartx" | "partprobe" | "pvs" | "vgs" | "lvs" | "pvdisplay" | "vgdisplay" | "lvdisplay" | "pvscan"
        | "vgscan" | "lvscan" | "lsscsi" | "sginfo" | "sg_inq" | "sg_readcap" | "fatlabel" | "exfatlabel" | "ntfslabel" | "e2label" | "swaplabel" | "sync" | "grep" | "rg" | "sudo" | "whoami"
        | "iostat" | "iotop" | "dmesg" | "journalctl" | "partx" => {
            let changes = (c.program == "partx" && has(&["-a", "--add", "-d", "--delete", "-u", "--update"])) || (c.program == "udisksctl" && matches!(first, Some("loop-delete")));
            !changes
        }
        // Attaching and detaching images; a disk given to it is mapped anew.
        "losetup" | "qemu-nbd" => !args.iter().any(|w| names_device(w) && !w.text.contains("/dev/loop") && !w.text.contains("/dev/nbd")),
        p if p.starts_with("mkfs.") || p.starts_with("fsck.") && has(&["-n"]) => true,
        "fsck" | "e2fsck" | "xfs_repair" | "btrfsck" | "dosfsck" => has(&["-n", "--no-modify"]) && !has(&["-y", "-p", "-a", "-f", "-L"]),
        "tune2fs" => flags().all(|f| f == "-l"),
        "debugfs" => !has(&["-w"]) && !args.iter().any(|w| w.text.contains("-w")),
        "badblocks" => !letter('w') && !letter('n') && !has(&["-w", "-n"]),
        "blockdev" => flags().all(|f| f.starts_with("--get") || f == "--report" || f == "-v"),
        "hdparm" => {
            flags().all(|f| matches!(f, "-I" | "-i" | "-g" | "-t" | "-T" | "-C" | "-H" | "-r" | "-W" | "-a" | "-A" | "-B" | "-M" | "-Q" | "-N" | "--direct" | "-tT"))
                && !args.iter().any(|w| w.text.chars().next().is_some_and(|c| c.is_ascii_digit()))
        }
        "mdadm" => {
            has(&["--detail", "-D", "--examine", "-E", "--query", "-Q", "--assemble", "-A", "--scan"])
                && !has(&["--zero-superblock", "--create", "-C", "--grow", "-G", "--fail", "-f", "--remove", "-r", "--add", "-a", "--stop", "-S", "--manage"])
        }
        "nvme" => matches!(
            first,
            Some(
                "list"
                    | "id-ctrl"
                    | "id-ns"
                    | "smart-log"
                    | "error-log"
                    | "fw-log"
                    | "get-log"
                    | "show-regs"
                    | "list-subsys"
                    | "list-ns"
                    | "get-feature"
                    | "effects-log"
                    | "self-test-log"
                    | "ocp"
                    | "intel"
                    | "help"
                    | "version"
            )
        ),
        "btrfs" => {
            matches!(first, Some("filesystem" | "fi" | "device" | "dev" | "inspect-internal" | "inspect"))
                && args.iter().any(|w| matches!(w.text.as_str(), "show" | "stats" | "usage" | "df" | "dump-super" | "dump-tree"))
        }
        "qemu-img" => matches!(first, Some("info" | "check" | "compare" | "map" | "measure")) && !has(&["-r"]),
        _ => false,
    }
}

/// Whether a formatter or partitioner is only asked to show what a disk holds (`sfdisk -d`,
/// `sgdisk -p`, `parted /dev/sdb print`, `cryptsetup luksDump`, `wipefs` without `-a`).
pub fn formatter_only_reads(c: &Cmd) -> bool {
    let args = c.args();
    let words: Vec<&str> = args.iter().map(|w| w.text.as_str()).collect();
    if args.iter().any(|w| w.dynamic) {
        return false;
    }
    let flags_in = |allowed: &[&str]| words.iter().filter(|w| w.starts_with('-')).all(|w| allowed.contains(w) || allowed.iter().any(|a| a.starts_with("--") && w.starts_with(&format!("{a}="))));
    let any_flag = words.iter().any(|w| w.starts_with('-'));
    let positional: Vec<&str> = words.iter().copied().filter(|w| !w.starts_with('-')).collect();
    match c.program.as_str() {
        "sfdisk" => {
            any_flag
                && flags_in(&[
                    "-d",
                    "--dump",
                    "-l",
                    "--list",
                    "-J",
                    "--json",
                    "-s",
                    "--show-size",
                    "-V",
                    "--verify",
                    "-g",
                    "--show-geometry",
                    "-T",
                    "--list-types",
                    "-F",
                    "--list-free",
                    "-q",
                    "--quiet",
                    "-r",
                    "--raw",
                    "-b",
                    "--bytes",
                ])
        }
        "sgdisk" | "gdisk" => {
            any_flag
                && flags_in(&[
                    "-p",
                    "--print",
                    "-i",
                    "--info",
                    "-v",
                    "--verify",
                    "-O",
                    "--print-mbr",
                    "-F",
                    "--first-aligned-in-largest",
                    "-E",
                    "--end-of-largest",
                    "-f",
                    "--first-in-largest",
                    "-L",
                    "--list-types",
                    "-D",
                    "--display-alignment",
                ])
        }
        "parted" => {
            // Words after the device: only showing ones.
            let after: Vec<&str> = positional.iter().copied().skip(1).collect();
            flags_in(&["-s", "--script", "-m", "--machine", "-l", "--list", "-j", "--json"])
                && (words.contains(&"-l")
                    || words.contains(&"--list")
                    || (!after.is_empty()
                        && after.iter().all(|w| {
                            matches!(
                                *w,
                                "print" | "p" | "unit" | "s" | "B" | "kB" | "MB" | "GB" | "TB" | "KiB" | "MiB" | "GiB" | "TiB" | "%" | "cyl" | "chs" | "compact" | "free" | "list" | "all" | "help"
                            )
                        })))
        }
        "cryptsetup" => {
            matches!(positional.first().copied(), Some("luksDump" | "status" | "isLuks" | "open" | "luksOpen" | "close" | "luksClose" | "tcryptDump" | "bitlkDump" | "fvault2Dump" | "benchmark"))
                && !words.iter().any(|w| w.starts_with("--dump-master-key") || w.starts_with("--dump-volume-key"))
        }
        "wipefs" => {
            flags_in(&["-n", "--no-act", "-J", "--json", "-O", "--output", "-i", "--noheadings", "-p", "--parsable", "-q", "--quiet", "-a", "--all"])
                && (words.contains(&"-n") || words.contains(&"--no-act") || !words.iter().any(|w| matches!(*w, "-a" | "--all")))
        }
        _ => false,
    }
}

/// Whether every file a formatter or partitioner is given is a disk image, not a device
/// (`mkfs.ext4 -F out/rootfs.ext4`, `sgdisk -n 1:0:0 disk.img`): no word names a device or is
/// computed, and `is_file` says each path it names is an ordinary file (or none yet, which it
/// cannot be a device either).
pub fn formats_image_only(c: &Cmd, is_file: impl Fn(&str) -> bool) -> bool {
    let args = c.args();
    // (A loop device is the image a `losetup` made of a file.)
    let loop_device = |w: &Word| w.text.strip_prefix("/dev/loop").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'p'));
    if args.iter().any(|w| w.dynamic || w.glob || (names_device(w) && !loop_device(w))) {
        return false;
    }
    let images: Vec<&Word> = args.iter().filter(|w| !w.text.starts_with('-') && (looks_like_image(&w.text) || loop_device(w))).collect();
    !images.is_empty() && images.iter().all(|w| is_file(&w.text))
}

/// A word that names a disk image file (`rootfs.ext4`, `out/disk.img`, `sd.wic`).
fn looks_like_image(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    [
        ".img",
        ".ext4",
        ".ext3",
        ".ext2",
        ".vfat",
        ".fat",
        ".fat32",
        ".iso",
        ".raw",
        ".bin",
        ".wic",
        ".sdcard",
        ".squashfs",
        ".ubi",
        ".ubifs",
        ".hdd",
        ".disk",
        ".btrfs",
        ".xfs",
        ".f2fs",
        ".dmg",
        ".vhd",
        ".luks",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(line: &str) -> Cmd {
        let argv: Vec<Word> = line.split(' ').map(Word::lit).collect();
        Cmd { program: argv[0].text.clone(), argv, ..Cmd::default() }
    }

    #[test]
    fn devices_are_told_from_other_files_under_dev() {
        for d in ["/dev/sdb", "/dev/sdb1", "/dev/nvme0n1p2", "/dev/mmcblk0", "/dev/mtd0", "/dev/mtdblock3", "/dev/mapper/crypt", "/dev/vg0/data", "/dev/disk/by-id/usb-x", "/dev/md0", "/dev/mem"] {
            assert!(is_device(d), "{d}");
        }
        for d in ["/dev/null", "/dev/ttyUSB0", "/dev/ttyACM1", "/dev/serial/by-id/x", "/dev/stdout", "/dev/urandom", "/dev/fd/3", "/dev/shm/x", "/dev/i2c-1", "dev/sdb", "./sdb"] {
            assert!(!is_device(d), "{d}");
        }
    }

    #[test]
    fn a_device_given_to_a_program_that_may_change_it() {
        for line in [
            "bmaptool copy img.wic.gz /dev/sdb",
            "nvme format /dev/nvme0n1",
            "e2fsck -y /dev/sda2",
            "resize2fs /dev/sda2",
            "flash_erase /dev/mtd0 0 0",
            "qemu-img convert -O raw x.qcow2 /dev/sdb",
            "qemu-system-x86_64 -drive file=/dev/sdb,format=raw",
            "tune2fs -O ^has_journal /dev/sda1",
            "mdadm --zero-superblock /dev/sdb1",
            "balena local flash x.img --drive=/dev/sdc",
            "badblocks -w /dev/sdb",
            "badblocks -wsv /dev/sdb",
            "losetup -fP /dev/sdb",
            "hdparm --security-erase p /dev/sda",
        ] {
            assert!(device_unmodelled(&cmd(line)), "{line}");
        }
        for line in [
            "lsblk /dev/sdb",
            "smartctl -a /dev/nvme0",
            "e2fsck -n /dev/sda2",
            "tune2fs -l /dev/sda1",
            "hdparm -I /dev/sda",
            "nvme smart-log /dev/nvme0",
            "mdadm --detail /dev/md0",
            "picocom -b 115200 /dev/ttyUSB0",
            "mount /dev/sdb1 /mnt",
            "make flash",
            "losetup -fP --show out/disk.img",
            "udisksctl power-off -b /dev/sdb",
        ] {
            assert!(!device_unmodelled(&cmd(line)), "{line}");
        }
    }

    #[test]
    fn a_formatter_given_only_image_files() {
        let file = |_: &str| true;
        assert!(formats_image_only(&cmd("mkfs.ext4 -F -L rootfs out/rootfs.ext4"), file));
        assert!(formats_image_only(&cmd("sgdisk -n 1:2048:+256M -t 1:ef00 out/disk.img"), file));
        assert!(!formats_image_only(&cmd("mkfs.ext4 /dev/sdb1"), file));
        assert!(!formats_image_only(&cmd("mkfs.ext4 out/rootfs.ext4"), |_: &str| false));
        assert!(!formats_image_only(&cmd("parted -s rootfs mklabel gpt"), file));
        assert!(formats_image_only(&cmd("mkfs.ext4 /dev/loop0p2"), file));
        assert!(!formats_image_only(&cmd("mkfs.ext4 /dev/loop-control"), file));
    }

    #[test]
    fn a_formatter_that_only_shows() {
        for line in ["sfdisk -d /dev/sda", "sgdisk -p /dev/sda", "parted -s /dev/sdb unit MiB print", "parted -l", "cryptsetup luksDump /dev/sdb2", "wipefs /dev/sdb", "wipefs -n -a /dev/sdb"] {
            assert!(formatter_only_reads(&cmd(line)), "{line}");
        }
        for line in ["sfdisk /dev/sda", "sgdisk -p -Z /dev/sda", "parted -s /dev/sdb mklabel gpt print", "cryptsetup luksFormat /dev/sdb2", "wipefs -a /dev/sdb", "sfdisk --delete /dev/sda 1"] {
            assert!(!formatter_only_reads(&cmd(line)), "{line}");
        }
    }
}
