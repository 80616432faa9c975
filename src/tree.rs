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
    let env_file = lower == ".env" || (lower.starts_with(".env.") && !["example", "sample", "template", "dist", "defaults", "default", "schema", "tpl"].iter().any(|s| lower.ends_with(s)));
    if env_file || lower.ends_with(".tfstate") || lower.ends_with(".tfstate.backup") || lower == ".vault-token" || lower == ".git-credentials" {
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
    let key_name = [".pem", ".key", ".p8", ".ppk"].iter().any(|e| lower.ends_with(e))
        || lower.starts_with("id_rsa")
        || lower.starts_with("id_ed25519")
        || lower.starts_with("id_ecdsa")
        || lower.starts_with("id_dsa");
    if key_name && !lower.ends_with(".pub") {
        return peek(&["PRIVATE KEY-----", "PuTTY-User-Key-File"]);
    }
    if [".p12", ".pfx", ".jks", ".keystore"].iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    if lower.ends_with(".json") && (lower.contains("credential") || lower.contains("service-account") || lower.contains("serviceaccount") || lower.contains("secret")) {
        return peek(&["\"private_key\"", "\"client_secret\"", "\"refresh_token\""]);
    }
    if matches!(lower.as_str(), ".npmrc" | ".pypirc" | ".netrc" | ".yarnrc.yml" | ".dockercfg" | "secrets.yml" | "secrets.yaml" | ".secrets") {
        return peek(&["_authToken", "_auth", "password", "npmAuthToken", "auth\"", "secret", "token"]);
    }
    false
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
        return Ok((!(git && ignored(&stack, rel, false)) && is_secret_file(root, name)).then(|| dir.to_owned()));
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
