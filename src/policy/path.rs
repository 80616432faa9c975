//! Lexical path normalization: absolute, no `.` or `..`, `~` expanded. No I/O.

/// Makes `path` absolute against `cwd`, expands a leading `~` to `home`, and removes `.`, `..`
/// and repeated slashes. `..` above the root stays at the root, as the kernel does.
pub fn normalize(path: &str, cwd: &str, home: &str) -> String {
    let (base, rest) = if path == "~" {
        (home, "")
    } else if let Some(rest) = path.strip_prefix("~/") {
        (home, rest)
    } else if path.starts_with('/') {
        ("", path)
    } else {
        (cwd, path)
    };
    // One buffer: components are appended, and `..` truncates back to the previous `/`.
    let mut out = String::with_capacity(base.len() + rest.len() + 1);
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
    let absolute = text.starts_with('/') || text.starts_with('~');
    match (dynamic, absolute, cwd) {
        (true, _, _) | (false, false, None) => (text.to_owned(), true),
        (false, true, _) => (normalize(text, "/", home), false),
        (false, false, Some(c)) => (normalize(text, c, home), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
