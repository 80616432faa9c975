//! A small glob matcher: `*`, `**` (paths), `?`, `[abc]`, `{a,b}`. Nothing is compiled; matching
//! walks the pattern directly, so a rule costs nothing until it is tried.

/// Matches `text` against `pattern`. In `path` mode `*` and `?` stop at `/` and `**` crosses it;
/// otherwise `*` matches anything. `nocase` folds ASCII case.
pub fn matches(pattern: &str, text: &str, path: bool, nocase: bool) -> bool {
    // Most tries fail on the first byte: reject those before any scan.
    if let (Some(&p0), Some(&t0)) = (pattern.as_bytes().first(), text.as_bytes().first()) {
        if !matches!(p0, b'*' | b'?' | b'[' | b'{' | b'\\') && !eq(p0, t0, nocase) {
            return false;
        }
    }
    // Most patterns are plain names: compare them directly.
    if !pattern.bytes().any(|b| matches!(b, b'*' | b'?' | b'[' | b'{' | b'\\')) {
        return if nocase { pattern.eq_ignore_ascii_case(text) } else { pattern == text };
    }
    // Cheap rejections before the walk: the literal text before the first wildcard must start
    // the text, the literal text after the last one must end it (`**/` may match nothing, so a
    // suffix starting with `/` after `**` is not required), and the longest literal run must
    // appear somewhere.
    if !pattern.contains('{') {
        let b = pattern.as_bytes();
        let first = b.iter().position(|&c| matches!(c, b'*' | b'?' | b'[' | b'\\')).unwrap_or(b.len());
        let last = b.iter().rposition(|&c| matches!(c, b'*' | b'?' | b']' | b'\\')).map_or(0, |i| i + 1);
        let (prefix, suffix) = (&pattern[..first], &pattern[last..]);
        let starts = text.len() >= prefix.len() && (if nocase { text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()) } else { text.starts_with(prefix) });
        if !starts {
            return false;
        }
        let optional = suffix.starts_with('/') && pattern[..last].ends_with("**");
        let ends = text.len() >= suffix.len() && (if nocase { text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes()) } else { text.ends_with(suffix) });
        if !ends && !optional {
            return false;
        }
    }
    if !nocase {
        let longest = pattern.split(|c| matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | ',' | '\\')).max_by_key(|s| s.len()).unwrap_or("");
        if longest.len() >= 3 && !pattern.contains('{') && !text.contains(longest) {
            return false;
        }
    }
    if let Some(open) = pattern.bytes().position(|b| b == b'{') {
        if let Some(close_rel) = pattern.as_bytes()[open..].iter().position(|&b| b == b'}') {
            let close = open + close_rel;
            let (head, body, tail) = (&pattern[..open], &pattern[open + 1..close], &pattern[close + 1..]);
            return body.split(',').any(|alt| matches(&format!("{head}{alt}{tail}"), text, path, nocase));
        }
    }
    m(pattern.as_bytes(), text.as_bytes(), path, nocase)
}

fn eq(a: u8, b: u8, nocase: bool) -> bool {
    if nocase { a.eq_ignore_ascii_case(&b) } else { a == b }
}

fn m(p: &[u8], t: &[u8], path: bool, nocase: bool) -> bool {
    let (mut pi, mut ti) = (0, 0);
    // Backtracking points for the last `*` (single-segment in path mode).
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' if path && p.get(pi + 1) == Some(&b'*') => {
                    // `**`: any number of characters including `/`. `**/` may also match nothing.
                    let mut rest = &p[pi + 2..];
                    if rest.first() == Some(&b'/') {
                        rest = &rest[1..];
                        if m(rest, &t[ti..], path, nocase) {
                            return true;
                        }
                    }
                    return (ti..=t.len()).any(|k| m(rest, &t[k..], path, nocase));
                }
                b'*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                b'?' if !(path && t[ti] == b'/') => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, len)) = class(&p[pi..], t[ti], nocase) {
                        if matched && !(path && t[ti] == b'/') {
                            pi += len;
                            ti += 1;
                            continue;
                        }
                    } else if eq(b'[', t[ti], nocase) {
                        pi += 1;
                        ti += 1;
                        continue;
                    }
                }
                b'\\' if pi + 1 < p.len() && eq(p[pi + 1], t[ti], nocase) => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c != b'?' && c != b'\\' && eq(c, t[ti], nocase) => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) if !(path && t[st] == b'/') => {
                star = Some((sp, st + 1));
                pi = sp + 1;
                ti = st + 1;
            }
            _ => return false,
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// Matches one byte against a `[...]` class at the start of `p`; returns (matched, pattern length).
fn class(p: &[u8], c: u8, nocase: bool) -> Option<(bool, usize)> {
    let end = p.iter().skip(2).position(|&b| b == b']')? + 2;
    let body = &p[1..end];
    let (negate, body) = match body.first() {
        Some(b'!' | b'^') => (true, &body[1..]),
        _ => (false, body),
    };
    let mut hit = false;
    let mut i = 0;
    while i < body.len() {
        if i + 2 < body.len() && body[i + 1] == b'-' {
            let (lo, hi) = (body[i], body[i + 2]);
            hit |= (lo..=hi).contains(&c) || (nocase && (lo..=hi).contains(&c.to_ascii_lowercase()));
            i += 3;
        } else {
            hit |= eq(body[i], c, nocase);
            i += 1;
        }
    }
    Some((hit != negate, end + 1))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn text_mode() {
        assert!(matches("+*", "+refs/heads/main", false, false));
        assert!(matches("delete-*", "delete-bucket", false, false));
        assert!(!matches("delete-*", "list-buckets", false, false));
        assert!(matches("mkfs*", "mkfs.ext4", false, false));
        assert!(matches("*delete*", "DELETE_REPOSITORY", false, true));
        assert!(matches("{a,b}c", "bc", false, false));
        assert!(matches("of=/dev/[sh]d*", "of=/dev/sda", false, false));
    }

    #[test]
    fn path_mode() {
        assert!(matches("/home/dev/.ssh/**", "/home/dev/.ssh/id_rsa", true, false));
        assert!(matches("/home/dev/.ssh/**", "/home/dev/.ssh", true, false) == false);
        assert!(matches("**/.env", "/home/dev/project/.env", true, false));
        assert!(!matches("**/.env", "/home/dev/project/.env.example", true, false));
        assert!(matches("/home/dev/.claude/settings*.json", "/home/dev/.claude/settings.local.json", true, false));
        assert!(!matches("/etc/*", "/etc/a/b", true, false));
        assert!(matches("/etc/**", "/etc/a/b", true, false));
        assert!(matches("**/.git/hooks/**", "/p/.git/hooks/pre-commit", true, false));
    }
}
