//! Paths resolved the way the kernel walks them: component by component, a symbolic link
//! replaced by its target before a following `..` is applied, `/proc/*/cwd` and `/proc/*/root`
//! understood, `~` and `~user` expanded. Links on disk are not read here (no I/O): the links
//! this module knows are those a script made before (see [`Link`]); the caller resolves the
//! rest with the spelling kept ([`has_dot_dot_after_name`]).

/// A symbolic link made earlier in the same script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Where the link is: absolute and normalized. Empty when that is not known, which makes
    /// every path that goes up through a directory (`dir/..`) unknown.
    pub at: String,
    /// Where it leads, absolute and normalized; `None` when only known at run time.
    pub to: Option<String>,
}

/// The expansion of a leading `~` or `~user`, and the rest of the path.
fn tilde<'p>(path: &'p str, home: &'p str) -> Option<(std::borrow::Cow<'p, str>, &'p str)> {
    let rest = path.strip_prefix('~')?;
    let (user, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let base: std::borrow::Cow<str> = match user {
        "" => home.into(),
        "root" => "/root".into(),
        u if u.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) && !u.starts_with('.') => format!("/home/{u}").into(),
        _ => return None,
    };
    Some((base, tail))
}

/// Makes `path` absolute against `cwd`, expands a leading `~` (or `~user`) to `home`, and
/// removes `.`, `..` and repeated slashes. `..` above the root stays at the root, as the kernel
/// does. `/proc/self/cwd` (and `/proc/PID/cwd`) is taken as `cwd`, `/proc/self/root` as `/`.
pub fn normalize(path: &str, cwd: &str, home: &str) -> String {
    if !(super::glob::has_text(path, "/proc/") || path.starts_with("proc/") && cwd == "/") {
        return lexical(path, cwd, home);
    }
    resolve_links(path, cwd, home, &[]).unwrap_or_else(|| lexical(path, cwd, home))
}

/// The plain lexical form, for when a link's target is unknown: only used as a spelling.
fn lexical(path: &str, cwd: &str, home: &str) -> String {
    let t = tilde(path, home);
    let (base, rest): (&str, &str) = match &t {
        Some((b, r)) => (b, r),
        None if path.starts_with('/') => ("", path),
        None => (cwd, path),
    };
    let mut out = String::with_capacity(base.len() + rest.len() + 1);
    // Most paths are already in normal form (`src/main.rs` under a normalized cwd): joined as
    // they are, without taking them apart.
    if is_plain(base) && is_plain(rest) {
        for part in [base, rest] {
            let part = part.trim_matches('/');
            if !part.is_empty() {
                out.push('/');
                out.push_str(part);
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        return out;
    }
    for part in base.split('/').chain(rest.split('/')) {
        match part {
            "" | "." => {}
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            p => {
                out.push('/');
                out.push_str(p);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Whether splitting `s` at `/` gives no `.`, `..` or empty component, except at its two ends:
/// joining it needs no more than trimming the slashes around it.
fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    let mut start = 0;
    for i in 0..=b.len() {
        if i == b.len() || b[i] == b'/' {
            let part = &b[start..i];
            let inner = start != 0 && i != b.len();
            if (part.is_empty() && inner) || part == b"." || part == b".." {
                return false;
            }
            start = i + 1;
        }
    }
    true
}

/// How many links one path may go through, as Linux's `MAXSYMLINKS`.
const MAX_LINKS: usize = 40;

/// [`normalize`] that also follows `links`: `None` when the path goes through a link whose
/// target (or place) is not known, or through more links than the kernel follows.
pub fn resolve_links(path: &str, cwd: &str, home: &str, links: &[Link]) -> Option<String> {
    if links.is_empty() && !super::glob::has_text(path, "proc") {
        return Some(lexical(path, cwd, home));
    }
    let t = tilde(path, home);
    let (base, rest): (&str, &str) = match &t {
        Some((b, r)) => (b, r),
        None if path.starts_with('/') => ("", path),
        None => (cwd, path),
    };
    let unknown_link = links.iter().any(|l| l.at.is_empty());
    // One buffer: components are appended, and `..` truncates back to the previous `/`.
    let mut out = String::with_capacity(base.len() + rest.len() + 1);
    let mut followed = 0;
    let mut parts: Vec<&str> = base.split('/').chain(rest.split('/')).rev().collect();
    while let Some(part) = parts.pop() {
        match part {
            "" | "." => {}
            ".." => {
                if unknown_link && out.len() > 1 {
                    return None;
                }
                out.truncate(out.rfind('/').unwrap_or(0));
            }
            p => {
                out.push('/');
                out.push_str(p);
                // The kernel's magic links: a process's working directory and root.
                if let Some(tail) = out.strip_prefix("/proc/") {
                    let mut it = tail.split('/');
                    if let (Some(pid), Some(kind), None) = (it.next(), it.next(), it.next()) {
                        let process = pid == "self" || pid == "thread-self" || (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
                        match kind {
                            "cwd" if process => {
                                out.clear();
                                parts.extend(cwd.split('/').rev());
                                continue;
                            }
                            "root" if process => {
                                out.clear();
                                continue;
                            }
                            _ => {}
                        }
                    }
                }
                if let Some(link) = links.iter().find(|l| l.at == out) {
                    followed += 1;
                    if followed > MAX_LINKS {
                        return None;
                    }
                    let to = link.to.as_deref()?;
                    out.clear();
                    parts.extend(to.split('/').rev());
                }
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Whether `path` goes up (`..`) after naming a directory: then a link on disk among the named
/// directories changes where it leads, and only the file system can tell.
pub fn has_dot_dot_after_name(path: &str) -> bool {
    // Byte by byte: most paths have no `..` at all, and splitting costs more than looking.
    let b = path.as_bytes();
    let mut named = false;
    let mut start = 0;
    for i in 0..=b.len() {
        if i == b.len() || b[i] == b'/' {
            match &b[start..i] {
                b"" | b"." => {}
                b".." if named => return true,
                b".." => {}
                _ => named = true,
            }
            start = i + 1;
        }
    }
    false
}

/// The absolute spelling of `path` (against `cwd`, `~` expanded, nothing removed) when it goes up
/// after naming a directory ([`has_dot_dot_after_name`]): where a link on disk may take it
/// elsewhere than [`normalize`] says. `None` for every other path.
pub fn spelling(path: &str, cwd: &str, home: &str) -> Option<String> {
    if !has_dot_dot_after_name(path) {
        return None;
    }
    Some(match tilde(path, home) {
        Some((base, rest)) => format!("{base}/{rest}"),
        None if path.starts_with('/') => path.to_owned(),
        None => format!("{cwd}/{path}"),
    })
}

/// True when `path` is `dir` or below it. Both must be normalized.
pub fn is_within(path: &str, dir: &str) -> bool {
    if dir == "/" {
        return true;
    }
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Resolves a path as a command sees it: absolute or `~` paths on their own, relative ones
/// against `cwd`. Returns the path and whether it is dynamic (only known when the command runs:
/// `dynamic` already, or relative to an unknown directory), in which case it keeps its spelling.
pub fn resolve(text: &str, dynamic: bool, cwd: Option<&str>, home: &str) -> (String, bool) {
    resolve_through(text, dynamic, cwd, home, &[])
}

/// [`resolve`] through the links a script made before: a path through a link whose target is
/// not known is dynamic.
pub fn resolve_through(text: &str, dynamic: bool, cwd: Option<&str>, home: &str, links: &[Link]) -> (String, bool) {
    let absolute = text.starts_with('/') || text.starts_with('~');
    // `/proc/self/cwd/…` needs the working directory even when written absolute.
    let cwd_needed = text.starts_with("/proc/");
    match (dynamic, absolute, cwd) {
        (true, _, _) | (false, false, None) => (text.to_owned(), true),
        (false, true, None) if cwd_needed => match resolve_links(text, "/proc/<unknown cwd>", home, links) {
            Some(p) if !p.starts_with("/proc/<unknown cwd>") => (p, false),
            _ => (text.to_owned(), true),
        },
        (false, true, _) => match resolve_links(text, cwd.unwrap_or("/"), home, links) {
            Some(p) => (p, false),
            None => (text.to_owned(), true),
        },
        (false, false, Some(c)) => match resolve_links(text, c, home, links) {
            Some(p) => (p, false),
            None => (text.to_owned(), true),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `lexical` as it was before its shortcut for paths already in normal form: every component
    /// taken apart.
    fn lexical_walk(path: &str, cwd: &str, home: &str) -> String {
        let t = tilde(path, home);
        let (base, rest): (&str, &str) = match &t {
            Some((b, r)) => (b, r),
            None if path.starts_with('/') => ("", path),
            None => (cwd, path),
        };
        let mut out = String::new();
        for part in base.split('/').chain(rest.split('/')) {
            match part {
                "" | "." => {}
                ".." => out.truncate(out.rfind('/').unwrap_or(0)),
                p => {
                    out.push('/');
                    out.push_str(p);
                }
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Joining a path already in normal form as it is gives what walking its components does.
        #[test]
        fn plain_paths_join_as_the_walk_does(path in "(~|/|~/|\\.\\./|\\./)?([a-z.]{0,3}/{0,2}){0,5}", cwd in "/?([a-z.]{0,3}/{0,2}){0,4}") {
            prop_assert_eq!(lexical(&path, &cwd, "/home/dev"), lexical_walk(&path, &cwd, "/home/dev"));
        }
    }

    #[test]
    fn plain_paths() {
        for p in ["", "/", "a", "/a/b", "a/b/", "/a/b/", "...", "a/.../b", ".a/b."] {
            assert!(is_plain(p), "{p}");
        }
        for p in [".", "..", "a/./b", "a/../b", "a//b", "./a", "a/..", "//a/..", "/a//b/"] {
            assert!(!is_plain(p), "{p}");
        }
    }

    #[test]
    fn normalizes() {
        let c = "/home/dev/project";
        let h = "/home/dev";
        assert_eq!(normalize("a/../b/./c", c, h), "/home/dev/project/b/c");
        assert_eq!(normalize("../../..", c, h), "/");
        assert_eq!(normalize("../../../../..", c, h), "/");
        assert_eq!(normalize("~", c, h), "/home/dev");
        assert_eq!(normalize("~/.ssh//id_rsa", c, h), "/home/dev/.ssh/id_rsa");
        assert_eq!(normalize("/etc/", c, h), "/etc");
        assert_eq!(normalize(".", c, h), c);
    }

    /// The plain form: join, split, drop `.` and `..`, join again.
    fn reference(path: &str, cwd: &str, home: &str) -> String {
        let joined = if path == "~" {
            home.to_owned()
        } else if let Some(rest) = path.strip_prefix("~/") {
            format!("{home}/{rest}")
        } else if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("{cwd}/{path}")
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        if parts.is_empty() { "/".into() } else { parts.iter().map(|p| format!("/{p}")).collect() }
    }

    proptest::proptest! {
        #[test]
        fn normalizes_as_the_plain_form(parts in proptest::collection::vec(proptest::sample::select(vec!["a", "bc", ".", "..", "", "~", "/", "x.y"]), 0..8), cwd in proptest::sample::select(vec!["/", "/p", "/p/q/r"])) {
            let path = parts.join("/");
            proptest::prop_assert_eq!(normalize(&path, cwd, "/h/u"), reference(&path, cwd, "/h/u"), "{:?} in {}", path, cwd);
        }
    }

    #[test]
    fn follows_links_before_dot_dot() {
        let links = [Link { at: "/p/lnk".into(), to: Some("/h/.config".into()) }];
        assert_eq!(resolve_links("lnk/../.bashrc", "/p", "/h", &links).as_deref(), Some("/h/.bashrc"));
        assert_eq!(resolve_links("/p/lnk/x", "/", "/h", &links).as_deref(), Some("/h/.config/x"));
        assert_eq!(resolve_links("lnk2/../x", "/p", "/h", &links).as_deref(), Some("/p/x"));
        let unknown = [Link { at: "/p/lnk".into(), to: None }];
        assert_eq!(resolve_links("lnk/../x", "/p", "/h", &unknown), None);
        let looped = [Link { at: "/a".into(), to: Some("/b".into()) }, Link { at: "/b".into(), to: Some("/a".into()) }];
        assert_eq!(resolve_links("/a/x", "/", "/h", &looped), None);
    }

    #[test]
    fn proc_magic_links_and_tilde_users() {
        assert_eq!(normalize("/proc/self/cwd/../.aws/credentials", "/home/dev/project", "/home/dev"), "/home/dev/.aws/credentials");
        assert_eq!(normalize("/proc/1234/root/etc/shadow", "/p", "/h"), "/etc/shadow");
        assert_eq!(normalize("/proc/thread-self/cwd/x", "/p", "/h"), "/p/x");
        assert_eq!(normalize("/proc/self/status", "/p", "/h"), "/proc/self/status");
        assert_eq!(normalize("~root/.ssh/id_rsa", "/p", "/h"), "/root/.ssh/id_rsa");
        assert_eq!(normalize("~alice/.bashrc", "/p", "/h"), "/home/alice/.bashrc");
        assert_eq!(normalize("//etc//passwd", "/p", "/h"), "/etc/passwd");
        assert!(has_dot_dot_after_name("lnk/../x"));
        assert!(!has_dot_dot_after_name("../x"));
        assert_eq!(spelling("lnk/../x", "/p", "/h").as_deref(), Some("/p/lnk/../x"));
        assert_eq!(spelling("~/l/../.bashrc", "/p", "/h").as_deref(), Some("/h/l/../.bashrc"));
        assert_eq!(spelling("/a/b/../c", "/p", "/h").as_deref(), Some("/a/b/../c"));
        assert_eq!(spelling("../x", "/p", "/h"), None);
        assert_eq!(spelling("/a/b/c", "/p", "/h"), None);
    }

    #[test]
    fn within() {
        assert!(is_within("/home/dev/project/x", "/home/dev/project"));
        assert!(is_within("/home/dev/project", "/home/dev/project"));
        assert!(!is_within("/home/dev/project2", "/home/dev/project"));
        assert!(is_within("/x", "/"));
    }

    #[test]
    fn resolves_like_the_command_would() {
        assert_eq!(resolve("../x", false, Some("/p/sub"), "/h"), ("/p/x".into(), false));
        assert_eq!(resolve("~/x/./y", false, None, "/h"), ("/h/x/y".into(), false));
        assert_eq!(resolve("/a//b/..", false, None, "/h"), ("/a".into(), false));
        assert_eq!(resolve("x", false, None, "/h"), ("x".into(), true), "relative to an unknown directory");
        assert_eq!(resolve("$D/x", true, Some("/p"), "/h"), ("$D/x".into(), true));
    }
}
