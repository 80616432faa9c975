//! What a directory of the project holds, read from disk when a command sends it whole or hands
//! it to git: secret files (`.env`, private keys, cloud credentials, Terraform state) found by a
//! bounded walk, and whether git's ignore rules keep them out of a commit.
//!
//! A project's files are its own to send (`git push`, `rsync dist/ host:`), but a project also
//! holds the secrets it runs with; a tree sent whole (`tar czf - . | curl -T - …`) or staged
//! whole (`git add -A` after `.env` left `.gitignore`) takes them along.

use std::fs;
use std::path::Path;

/// The most directory entries looked at for one call.
const MAX_ENTRIES: usize = 4000;
/// How deep below the directory the walk goes.
const MAX_DEPTH: usize = 8;
/// The most bytes read of a file to tell whether it holds a secret.
const MAX_PEEK: u64 = 64 * 1024;
/// Directories that hold what tools fetched or built, not the project's own secrets.
const SKIPPED: &[&str] =
    &["node_modules", ".git", "target", "vendor", ".venv", "venv", "__pycache__", ".next", ".cache", ".tox", ".terraform", "dist", "build", ".gradle", ".mypy_cache", ".pytest_cache"];

/// Whether a file named `name` at `path` holds a secret: a `.env` file (not an example of one),
/// a private key, a service account's key, Terraform state, a registry's credentials.
pub fn is_secret_file(path: &Path, name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if secret_by_its_name(&lower) {
        return true;
    }
    let peek = |needles: &[&str]| {
        let Ok(f) = fs::File::open(path) else { return false };
        let mut text = String::new();
        use std::io::Read;
        if f.take(MAX_PEEK).read_to_string(&mut text).is_err() {
            return false;
        }
        needles.iter().any(|n| text.contains(n))
    };
    // (A key file without an extension: `deploy_key`, `signing-key`.)
    let bare_key = !lower.contains('.') && (lower.ends_with("_key") || lower.ends_with("-key"));
    let key_name = [".pem", ".key", ".p8", ".ppk"].iter().any(|e| lower.ends_with(e)) || ssh_key_name(&lower) || bare_key;
    if key_name && !lower.ends_with(".pub") {
        return peek(&["PRIVATE KEY-----", "PuTTY-User-Key-File"]) || (lower.ends_with(".key") && wireguard_key(path));
    }
    // WireGuard's: a key file (`wg genkey > privatekey`), or a configuration holding one.
    if lower.contains("privatekey") || lower.ends_with(".psk") {
        return true;
    }
    if lower.ends_with(".conf") && (lower.starts_with("wg") || path.components().any(|c| c.as_os_str() == "wireguard")) {
        return peek(&["PrivateKey", "PresharedKey"]);
    }
    // Ansible vault's password file.
    if lower.contains("vault_pass") || lower.contains("vault-pass") || lower.contains("vault_password") {
        return true;
    }
    if KEYSTORES.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    // Whatever is kept in a project's `secrets/` folder.
    if path.components().any(|c| matches!(c.as_os_str().to_str(), Some("secrets" | ".secrets"))) {
        return true;
    }
    let key_json = ["credential", "service-account", "service_account", "serviceaccount", "secret", "-sa", "_sa", "sa-", "sa_", "key", "gcp", "adc", "auth", "token"];
    if lower.ends_with(".json") && key_json.iter().any(|k| lower.contains(k)) {
        return peek(&["\"private_key\"", "\"client_secret\"", "\"refresh_token\""]);
    }
    // Android's signing passwords (`storePassword=…` beside the keystore's path).
    if matches!(lower.as_str(), "key.properties" | "keystore.properties" | "signing.properties") {
        return peek(&["storePassword", "keyPassword", "password"]);
    }
    if matches!(lower.as_str(), ".npmrc" | ".pypirc" | ".netrc" | ".yarnrc.yml" | ".dockercfg" | "secrets.yml" | "secrets.yaml" | ".secrets") {
        return peek(&["_authToken", "_auth", "password", "npmAuthToken", "auth\"", "secret", "token"]);
    }
    false
}

/// A file that is a secret by its name alone, lower-cased: a `.env` file (not an example of
/// one), Terraform state, a vault token, git's stored credentials.
fn secret_by_its_name(lower: &str) -> bool {
    let env_file = lower == ".env" || (lower.starts_with(".env.") && !["example", "sample", "template", "dist", "defaults", "default", "schema", "tpl"].iter().any(|s| lower.ends_with(s)));
    env_file || lower.ends_with(".tfstate") || lower.ends_with(".tfstate.backup") || lower == ".vault-token" || lower == ".git-credentials"
}

/// Whether the file holds one WireGuard key: 32 bytes in base64, and nothing else.
fn wireguard_key(path: &Path) -> bool {
    use std::io::Read;
    let mut text = String::new();
    let Ok(f) = fs::File::open(path) else { return false };
    if f.take(128).read_to_string(&mut text).is_err() {
        return false;
    }
    is_wireguard_key(&text)
}

/// Whether `text` is one WireGuard key and nothing else: 32 bytes in base64.
pub(crate) fn is_wireguard_key(text: &str) -> bool {
    let t = text.trim();
    t.len() == 44 && t.ends_with('=') && t[..43].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// The names ssh gives private keys (and their `.pub` halves), lower-cased.
fn ssh_key_name(lower: &str) -> bool {
    lower.starts_with("id_rsa") || lower.starts_with("id_ed25519") || lower.starts_with("id_ecdsa") || lower.starts_with("id_dsa")
}

/// Key stores: secret whatever they hold.
const KEYSTORES: [&str; 5] = [".p12", ".pfx", ".jks", ".keystore", ".keytab"];

/// A secret an archive sent or added by name holds (inside a tree, archives are the tree's own
/// business: vendored jars, fixtures): the entry, or why what it holds is unknown.
pub fn archive_secret(path: &Path, name: &str) -> Option<String> {
    archive_kind(&name.to_ascii_lowercase()).or_else(|| sniffed_kind(path)).and_then(|kind| archive_holds_secret(path, kind))
}

/// An archive by what the file starts with, whatever its name says (a `.json` that is a tar.gz).
fn sniffed_kind(path: &Path) -> Option<Archive> {
    use std::io::Read;
    let mut head = [0u8; 512];
    let n = fs::File::open(path).ok()?.read(&mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(&[0x50, 0x4b, 0x03, 0x04]) || head.starts_with(&[0x50, 0x4b, 0x05, 0x06]) {
        Some(Archive::Zip)
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some(Archive::Tar)
    } else if head.starts_with(&[0x1f, 0x8b]) {
        // Compressed: a tar inside, or one compressed file (a log) whose name is not known.
        let mut inner = [0u8; 512];
        let mut d = flate2::read::MultiGzDecoder::new(fs::File::open(path).ok()?);
        d.read_exact(&mut inner).ok()?;
        (&inner[257..262] == b"ustar").then_some(Archive::TarGz)
    } else if [&b"7z\xbc\xaf\x27\x1c"[..], b"Rar!", &[0xfd, b'7', b'z', b'X', b'Z'], b"BZh", &[0x28, 0xb5, 0x2f, 0xfd]].iter().any(|m| head.starts_with(m)) {
        Some(Archive::Other)
    } else {
        None
    }
}

/// How an archive is stored, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Archive {
    Tar,
    TarGz,
    Zip,
    /// A format ana does not read (7z, rar, xz, bzip2, zstd): what it holds is unknown.
    Other,
}

fn archive_kind(lower: &str) -> Option<Archive> {
    if lower.ends_with(".tar") {
        Some(Archive::Tar)
    } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        Some(Archive::TarGz)
    } else if [".zip", ".jar", ".war", ".whl", ".nupkg"].iter().any(|e| lower.ends_with(e)) {
        Some(Archive::Zip)
    } else if [".7z", ".rar", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tzst", ".cpio"].iter().any(|e| lower.ends_with(e)) {
        Some(Archive::Other)
    } else {
        None
    }
}

/// The most of an archive ana reads (decompressed), and of its entries.
const MAX_ARCHIVE_BYTES: u64 = 64 << 20;
const MAX_ARCHIVE_ENTRIES: usize = 20_000;

/// The entry of an archive that is a secret by its name (`.env`, a private key's name, a
/// Terraform state…), or why the archive cannot be read through within bounds (then what it
/// holds is unknown, which is not cleared).
fn archive_holds_secret(path: &Path, kind: Archive) -> Option<String> {
    let names = match kind {
        Archive::Tar => fs::File::open(path).ok().and_then(tar_names),
        Archive::TarGz => fs::File::open(path).ok().and_then(|f| tar_names(flate2::read::MultiGzDecoder::new(f))),
        Archive::Zip => zip_names(path),
        Archive::Other => None,
    };
    match names {
        // An archive inside is not opened: what it holds is unknown.
        Some(names) => names.into_iter().find(|n| secret_by_name(n) || archive_kind(&n.to_ascii_lowercase()).is_some()),
        None => Some("contents ana cannot read through".to_owned()),
    }
}

/// A file that holds a secret by its name alone, anywhere in a path (an archive's entry).
fn secret_by_name(entry: &str) -> bool {
    // (What is inside cannot be peeked at: a key's name, `.netrc`, `.pypirc` count as they are.)
    let name = entry.trim_end_matches('/').rsplit('/').next().unwrap_or(entry).to_ascii_lowercase();
    secret_by_its_name(&name)
        || matches!(name.as_str(), ".netrc" | ".pgpass" | ".pypirc")
        || (ssh_key_name(&name) && !name.ends_with(".pub"))
        || KEYSTORES.iter().chain(&[".ppk"]).any(|e| name.ends_with(e))
        || (name == "credentials" && entry.contains(".aws/"))
}

/// The entry names of a tar stream (GNU long names and POSIX prefixes included); `None` when it
/// is not one, or is larger than ana reads.
fn tar_names(r: impl std::io::Read) -> Option<Vec<String>> {
    use std::io::Read;
    let mut r = r.take(MAX_ARCHIVE_BYTES + 1);
    let mut out = Vec::new();
    let mut block = [0u8; 512];
    let mut long_name: Option<String> = None;
    let mut read_total: u64 = 0;
    loop {
        if r.read_exact(&mut block).is_err() {
            // A stream cut short: what follows is unknown.
            return None;
        }
        read_total += 512;
        if block.iter().all(|&b| b == 0) {
            return Some(out);
        }
        let field = |a: usize, b: usize| -> String { String::from_utf8_lossy(&block[a..b]).trim_end_matches('\0').to_owned() };
        let size_text = field(124, 136);
        let size = u64::from_str_radix(size_text.trim().trim_end_matches('\0'), 8).ok()?;
        let kind = block[156];
        let padded = size.div_ceil(512) * 512;
        if read_total + padded > MAX_ARCHIVE_BYTES || out.len() >= MAX_ARCHIVE_ENTRIES {
            return None;
        }
        if kind == b'L' {
            // GNU: the next entry's name is this entry's data.
            let mut data = vec![0u8; padded as usize];
            r.read_exact(&mut data).ok()?;
            read_total += padded;
            long_name = Some(String::from_utf8_lossy(&data[..size as usize]).trim_end_matches('\0').to_owned());
            continue;
        }
        let prefix = if &block[257..262] == b"ustar" { field(345, 500) } else { String::new() };
        let name = long_name.take().unwrap_or_else(|| if prefix.is_empty() { field(0, 100) } else { format!("{prefix}/{}", field(0, 100)) });
        if kind != b'x' && kind != b'g' {
            out.push(name);
        }
        std::io::copy(&mut (&mut r).take(padded), &mut std::io::sink()).ok()?;
        read_total += padded;
    }
}

/// The entry names of a zip file, from its central directory (no entry is decompressed).
fn zip_names(path: &Path) -> Option<Vec<String>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    if len > 4 * MAX_ARCHIVE_BYTES {
        return None;
    }
    // The end record is in the last 22 bytes, or before a comment of up to 64 KiB.
    let tail_len = len.min(22 + 65_535);
    f.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    f.read_exact(&mut tail).ok()?;
    let at = (0..tail.len().saturating_sub(21)).rev().find(|&i| tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])?;
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as u64;
    let count = u16_at(&tail, at + 10);
    let (cd_size, cd_offset) = (u32_at(&tail, at + 12), u32_at(&tail, at + 16));
    // (A zip64 archive marks these as 0xFFFF…: not read.)
    if count == 0xFFFF || cd_offset == 0xFFFF_FFFF || count > MAX_ARCHIVE_ENTRIES || cd_offset + cd_size > len {
        return None;
    }
    f.seek(SeekFrom::Start(cd_offset)).ok()?;
    let mut cd = vec![0u8; cd_size as usize];
    f.read_exact(&mut cd).ok()?;
    let mut out = Vec::with_capacity(count);
    let mut i = 0;
    for _ in 0..count {
        if i + 46 > cd.len() || cd[i..i + 4] != [0x50, 0x4b, 0x01, 0x02] {
            return None;
        }
        let (n, e, c) = (u16_at(&cd, i + 28), u16_at(&cd, i + 30), u16_at(&cd, i + 32));
        let name = cd.get(i + 46..i + 46 + n)?;
        out.push(String::from_utf8_lossy(name).into_owned());
        i += 46 + n + e + c;
    }
    Some(out)
}

/// git's ignore rules of one file, read the way git reads them (last match wins, `!` re-includes,
/// a `/` anywhere but the end anchors the pattern to the file's directory).
#[derive(Clone)]
pub struct Ignore {
    /// The directory the rules apply below, relative to the walk's root ("" for the root).
    base: String,
    rules: Vec<(String, bool, bool, bool)>, // (pattern, negated, anchored, directories only)
}

impl Ignore {
    pub fn parse(base: &str, text: &str) -> Ignore {
        let mut rules = Vec::new();
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (negated, p) = match line.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, line.strip_prefix('\\').unwrap_or(line)),
            };
            let (dir_only, p) = match p.strip_suffix('/') {
                Some(p) => (true, p),
                None => (false, p),
            };
            let anchored = p.contains('/');
            let p = p.trim_start_matches('/');
            if !p.is_empty() {
                rules.push((p.to_owned(), negated, anchored, dir_only));
            }
        }
        Ignore { base: base.to_owned(), rules }
    }

    /// `Some(true)` ignored, `Some(false)` re-included, `None` no rule speaks of `rel` (a path
    /// relative to the walk's root).
    fn decide(&self, rel: &str, is_dir: bool) -> Option<bool> {
        let rel = if self.base.is_empty() { rel } else { rel.strip_prefix(self.base.as_str())?.strip_prefix('/')? };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let mut out = None;
        for (p, negated, anchored, dir_only) in &self.rules {
            if *dir_only && !is_dir {
                continue;
            }
            let hit = if *anchored { glob_match(p, rel) } else { glob_match(p, name) };
            if hit {
                out = Some(!negated);
            }
        }
        out
    }
}

/// A gitignore glob: `*` and `?` within a component, `**` across them, `[…]` classes.
fn glob_match(p: &str, s: &str) -> bool {
    let pat = p.replace("**/", "\u{1}").replace("/**", "\u{2}").replace("**", "\u{3}");
    fn go(p: &[char], s: &[char]) -> bool {
        match p.first() {
            None => s.is_empty(),
            Some('\u{1}') => (0..=s.len()).any(|i| (i == 0 || s[i - 1] == '/') && go(&p[1..], &s[i..])),
            Some('\u{2}') => s.is_empty() || s[0] == '/',
            Some('\u{3}') => (0..=s.len()).any(|i| go(&p[1..], &s[i..])),
            Some('*') => (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != '/').any(|i| go(&p[1..], &s[i..])),
            Some('?') => !s.is_empty() && s[0] != '/' && go(&p[1..], &s[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|&c| c == ']') else { return !s.is_empty() && s[0] == '[' && go(&p[1..], &s[1..]) };
                let class = &p[1..end];
                let (neg, class) = match class.first() {
                    Some('!') | Some('^') => (true, &class[1..]),
                    _ => (false, class),
                };
                let Some(&c) = s.first() else { return false };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != neg && go(&p[end + 1..], &s[1..])
            }
            Some(&c) => !s.is_empty() && s[0] == c && go(&p[1..], &s[1..]),
        }
    }
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}

/// Whether the ignore rules in `stack` (outermost first) ignore `rel`.
fn ignored(stack: &[Ignore], rel: &str, is_dir: bool) -> bool {
    let mut out = false;
    for ig in stack {
        if let Some(d) = ig.decide(rel, is_dir) {
            out = d;
        }
    }
    out
}

/// How a walk treats git's ignore rules.
pub enum Rules<'a> {
    /// Every file counts (a tree sent whole).
    None,
    /// Every file but those the patterns exclude (`rsync --exclude .env`, `zip -x .env`), read
    /// as ignore patterns.
    Excluding(Vec<Ignore>),
    /// Files git would ignore do not count (a tree staged whole). `outer` are the rules from
    /// outside the tree (`.git/info/exclude`, the user's global file); the `.gitignore` files in
    /// the tree are read as the walk meets them, except that `replaced` stands for the text of
    /// the one at that relative path.
    Git { outer: Vec<Ignore>, replaced: Option<(&'a str, &'a str)> },
}

/// The first secret file below `dir` (a file itself counts), as a path, within the walk's bounds.
/// `Err` with the path where the walk stopped when the tree is larger than it reads.
pub fn secrets_in(dir: &str, rules: &Rules) -> Result<Option<String>, String> {
    secrets_in_repo(dir, dir, rules)
}

/// [`secrets_in`] for `dir` inside the repository at `repo`: with git's rules, the `.gitignore`
/// files of the directories between them apply too, with paths relative to the repository.
pub fn secrets_in_repo(repo: &str, dir: &str, rules: &Rules) -> Result<Option<String>, String> {
    let rel = dir.strip_prefix(repo).map(|r| r.trim_start_matches('/')).unwrap_or("");
    let root = Path::new(dir);
    let Ok(meta) = fs::symlink_metadata(root) else { return Ok(None) };
    let mut stack: Vec<Ignore> = match rules {
        Rules::Git { outer, .. } => outer.clone(),
        Rules::Excluding(patterns) => patterns.clone(),
        Rules::None => Vec::new(),
    };
    let git = matches!(rules, Rules::Git { .. });
    if git {
        // The ignore files of the directories above `dir`, outermost first.
        let mut above = String::new();
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        for (k, part) in std::iter::once("").chain(parts.iter().copied()).enumerate() {
            if k > 0 {
                if !above.is_empty() {
                    above.push('/');
                }
                above.push_str(part);
            }
            if k == parts.len() && meta.is_dir() {
                break;
            }
            if let Some(t) = ignore_file(rules, &above, &Path::new(repo).join(&above)) {
                stack.push(Ignore::parse(&above, &t));
            }
        }
    }
    if meta.is_file() {
        let name = root.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if git && ignored(&stack, rel, false) {
            return Ok(None);
        }
        return Ok(if is_secret_file(root, name) { Some(dir.to_owned()) } else { archive_secret(root, name).map(|inside| format!("{inside} (inside the archive)")) });
    }
    if !meta.is_dir() || (git && !rel.is_empty() && ignored(&stack, rel, true)) {
        return Ok(None);
    }
    let mut seen = 0;
    walk(root, rel, 0, rules, &mut stack, &mut seen)
}

/// The text of the `.gitignore` in `dir` (at `rel` in the repository) as git's `rules` see it:
/// the replacement an edit would leave, or what is on disk; `None` without git's rules or file.
fn ignore_file(rules: &Rules, rel: &str, dir: &Path) -> Option<String> {
    let Rules::Git { replaced, .. } = rules else { return None };
    let here = if rel.is_empty() { ".gitignore".to_owned() } else { format!("{rel}/.gitignore") };
    match replaced {
        Some((at, text)) if *at == here => Some((*text).to_owned()),
        _ => fs::read_to_string(dir.join(".gitignore")).ok(),
    }
}

fn walk(dir: &Path, rel: &str, depth: usize, rules: &Rules, stack: &mut Vec<Ignore>, seen: &mut usize) -> Result<Option<String>, String> {
    let pushed = ignore_file(rules, rel, dir).map(|t| stack.push(Ignore::parse(rel, &t))).is_some();
    let result = (|| {
        let Ok(entries) = fs::read_dir(dir) else { return Ok(None) };
        let mut subdirs = Vec::new();
        for e in entries.flatten() {
            *seen += 1;
            if *seen > MAX_ENTRIES {
                return Err(dir.display().to_string());
            }
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let Ok(ft) = e.file_type() else { continue };
            let child = if rel.is_empty() { name.to_owned() } else { format!("{rel}/{name}") };
            let is_dir = ft.is_dir();
            if !matches!(rules, Rules::None) && ignored(stack, &child, is_dir) {
                continue;
            }
            if is_dir {
                if !SKIPPED.contains(&name) {
                    subdirs.push((e.path(), child));
                }
            } else if ft.is_file() && is_secret_file(&e.path(), name) {
                return Ok(Some(e.path().display().to_string()));
            }
        }
        if depth < MAX_DEPTH {
            for (path, child) in subdirs {
                if let Some(found) = walk(&path, &child, depth + 1, rules, stack, seen)? {
                    return Ok(Some(found));
                }
            }
        }
        Ok(None)
    })();
    if pushed {
        stack.pop();
    }
    result
}

/// The ignore rules from outside a repository's tree: `.git/info/exclude` and the user's global
/// file (`core.excludesFile`'s default place).
pub fn outer_rules(repo: &str, home: &str) -> Vec<Ignore> {
    let mut out = Vec::new();
    let xdg = std::env::var("XDG_CONFIG_HOME").ok().filter(|x| x.starts_with('/')).unwrap_or_else(|| format!("{home}/.config"));
    for f in [format!("{xdg}/git/ignore"), format!("{repo}/.git/info/exclude")] {
        if let Ok(t) = fs::read_to_string(&f) {
            out.push(Ignore::parse("", &t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_patterns_as_git_reads_them() {
        let ig = Ignore::parse("", "node_modules/\n.env\n*.pem\n!public.pem\n/build\nsecrets/**\n");
        let stack = [ig];
        assert!(ignored(&stack, ".env", false));
        assert!(ignored(&stack, "sub/.env", false));
        assert!(!ignored(&stack, ".env.example", false));
        assert!(ignored(&stack, "certs/a.pem", false));
        assert!(!ignored(&stack, "certs/public.pem", false));
        assert!(ignored(&stack, "node_modules", true));
        assert!(!ignored(&stack, "node_modules", false));
        assert!(ignored(&stack, "build", true));
        assert!(!ignored(&stack, "src/build", true));
        assert!(ignored(&stack, "secrets/x/y", false));
    }

    /// Keys without the usual names are told by name and content: a WireGuard key or
    /// configuration, a deploy key without an extension, an Ansible vault password; a public
    /// half, a `.conf` without a key and source code named after keys are not.
    #[test]
    fn vpn_deploy_and_vault_keys_are_secrets() {
        let dir = std::env::temp_dir().join(format!("ana-keys-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("wireguard")).unwrap();
        let put = |name: &str, text: &str| {
            let p = dir.join(name);
            fs::write(&p, text).unwrap();
            is_secret_file(&p, p.file_name().unwrap().to_str().unwrap())
        };
        let wg = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n";
        assert!(put("wg0.key", wg));
        assert!(put("privatekey", wg));
        assert!(put("wireguard/home.conf", "[Interface]\nPrivateKey = x\n"));
        assert!(put("wg1.conf", "[Interface]\nPrivateKey = x\n"));
        assert!(put("deploy_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"));
        assert!(put(".vault_pass", "hunter2\n"));
        assert!(!put("server.key", "not a key\n"));
        assert!(!put("deploy_key.pub", "ssh-ed25519 AAAA x\n"));
        assert!(!put("wg2.conf", "[Interface]\nAddress = 10.0.0.1/24\n"));
        assert!(!put("public_key", "ssh-ed25519 AAAA x\n"));
        assert!(!put("auth_key.go", "package auth\n"));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// An archive is judged by the names of what it holds: tar (plain and gzip, GNU long names)
    /// and zip; one ana cannot read through is not cleared.
    #[test]
    fn archives_are_judged_by_what_they_hold() {
        let dir = std::env::temp_dir().join(format!("ana-archive-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("site/sub")).unwrap();
        fs::write(dir.join("site/index.html"), "<p>hi</p>\n").unwrap();
        let tar = |name: &str, args: &[&str]| {
            let ok = std::process::Command::new("tar").args(args).arg(dir.join(name)).arg("-C").arg(dir.join("site")).arg(".").status().is_ok_and(|s| s.success());
            assert!(ok, "tar {name}");
            archive_secret(&dir.join(name), name).is_some()
        };
        assert!(!tar("clean.tgz", &["czf"]));
        assert!(!tar("clean.tar", &["cf"]));
        fs::write(dir.join(format!("site/sub/{}", "a".repeat(120))), "x").unwrap();
        fs::write(dir.join("site/sub/.env"), "TOKEN=x\n").unwrap();
        assert!(tar("leak.tgz", &["czf"]));
        assert!(tar("leak.tar", &["--format=gnu", "-cf"]));
        assert!(tar("leak-posix.tar", &["--format=posix", "-cf"]));
        // zip, written by hand: one stored entry and its central directory.
        let zip = |entry: &str| -> Vec<u8> {
            let n = entry.len() as u16;
            let mut local = vec![0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            local.extend_from_slice(&n.to_le_bytes());
            local.extend_from_slice(&[0, 0]);
            local.extend_from_slice(entry.as_bytes());
            let mut cd = vec![0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            cd.extend_from_slice(&n.to_le_bytes());
            cd.extend_from_slice(&[0; 16]);
            cd.extend_from_slice(entry.as_bytes());
            let mut out = local.clone();
            let cd_at = out.len() as u32;
            out.extend_from_slice(&cd);
            out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
            out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
            out.extend_from_slice(&cd_at.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out
        };
        fs::write(dir.join("ok.zip"), zip("site/index.html")).unwrap();
        fs::write(dir.join("bad.zip"), zip("deploy/id_ed25519")).unwrap();
        assert_eq!(archive_secret(&dir.join("ok.zip"), "ok.zip"), None);
        assert_eq!(archive_secret(&dir.join("bad.zip"), "bad.zip").as_deref(), Some("deploy/id_ed25519"));
        // Inside a tree, an archive is not opened.
        assert!(!is_secret_file(&dir.join("bad.zip"), "bad.zip"));
        // Not an archive after all, or a format ana does not read: unknown.
        fs::write(dir.join("junk.tgz"), "not gzip").unwrap();
        assert!(archive_secret(&dir.join("junk.tgz"), "junk.tgz").is_some());
        assert!(archive_secret(&dir.join("x.7z"), "x.7z").is_some());
        // Named as something else, it is still read; a compressed file that is not a tar is not
        // an archive.
        fs::copy(dir.join("leak.tgz"), dir.join("report.json")).unwrap();
        assert!(archive_secret(&dir.join("report.json"), "report.json").is_some());
        fs::copy(dir.join("clean.tgz"), dir.join("clean.json")).unwrap();
        assert_eq!(archive_secret(&dir.join("clean.json"), "clean.json"), None);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, "a log line\n".repeat(100).as_bytes()).unwrap();
        fs::write(dir.join("app.log.gz"), gz.finish().unwrap()).unwrap();
        assert_eq!(archive_secret(&dir.join("app.log.gz"), "app.log.gz"), None);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn secret_files_are_told_by_name_and_what_they_hold() {
        let dir = std::env::temp_dir().join(format!("ana-tree-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("tests/fixtures")).unwrap();
        fs::write(dir.join(".env.example"), "KEY=\n").unwrap();
        fs::write(dir.join("tests/fixtures/cert.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
        let d = dir.display().to_string();
        assert_eq!(secrets_in(&d, &Rules::None), Ok(None));
        fs::write(dir.join("tests/fixtures/key.pem"), "-----BEGIN PRIVATE KEY-----\n").unwrap();
        assert!(secrets_in(&d, &Rules::None).unwrap().unwrap().ends_with("key.pem"));
        fs::write(dir.join(".gitignore"), "*.pem\n").unwrap();
        assert_eq!(secrets_in(&d, &Rules::Git { outer: Vec::new(), replaced: None }), Ok(None));
        fs::write(dir.join(".env"), "TOKEN=x\n").unwrap();
        assert!(secrets_in(&d, &Rules::Git { outer: Vec::new(), replaced: None }).unwrap().unwrap().ends_with(".env"));
        // The ignore file as an edit would leave it.
        assert_eq!(secrets_in(&d, &Rules::Git { outer: Vec::new(), replaced: Some((".gitignore", "*.pem\n.env\n")) }), Ok(None));
        let _ = fs::remove_dir_all(&dir);
    }
}
