//! Structural limits checked before a script reaches the parser, so that no text an agent sends
//! can make the parser or the walker recurse without bound (1 500 nested `{ … }` overflowed the
//! stack). A script over a limit is not parsed: it gets a fact, and the rules ask for approval.
//!
//! The scan is one pass over the bytes with a small state machine that knows quotes, escapes,
//! `$(`, `${`, backquotes and the reserved words that open and close compound commands. It is
//! deliberately rough where roughness only over-counts (heredoc bodies, `case` patterns); what it
//! must never do is under-count real nesting, so a closing token only closes what it opened.

use super::super::schema::fact;

/// The largest script that is parsed at all.
pub const MAX_SCRIPT_BYTES: usize = 1 << 20;
/// The deepest nesting of groups, subshells, substitutions and compound commands parsed.
pub const MAX_NESTING: usize = 64;
/// The most operators (`;`, `&&`, `||`, `|`, `&`, newlines) in one script.
pub const MAX_OPERATORS: usize = 20_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `(`, `$(`, `$((`: closed by `)`.
    Paren,
    /// `{`, `${`: closed by `}`.
    Brace,
    /// Inside double quotes: closed by `"`.
    Double,
    /// A reserved word (`if`, `while`, `until`, `for`, `case`, `select`): closed by `fi`, `done`
    /// or `esac`.
    Word(&'static str),
}

/// The fact for a script that is over a limit, or `None`.
pub fn check(text: &str) -> Option<u64> {
    if text.len() > MAX_SCRIPT_BYTES {
        return Some(fact::TOO_BIG);
    }
    scan(text, Vec::new())
}

/// Scans `text` starting inside `stack` (a heredoc body whose expansions run is scanned as if in
/// double quotes).
fn scan(text: &str, mut stack: Vec<Open>) -> Option<u64> {
    let b = text.as_bytes();
    let mut operators = 0usize;
    let mut i = 0;
    // At the start of a word in command position (for reserved words).
    let mut word_start = true;
    // Heredoc delimiters whose bodies start at the next newline, and whether the body's
    // expansions run (an unquoted delimiter).
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    while i < b.len() {
        let c = b[i];
        let in_double = stack.last() == Some(&Open::Double);
        if in_double {
            match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'$' if matches!(b.get(i + 1), Some(b'(')) => {
                    stack.push(Open::Paren);
                    i += 1;
                }
                b'$' if matches!(b.get(i + 1), Some(b'{')) => {
                    stack.push(Open::Brace);
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            if stack.len() > MAX_NESTING {
                return Some(fact::TOO_DEEP);
            }
            continue;
        }
        match c {
            b'\\' => {
                i += 2;
                word_start = false;
                continue;
            }
            b'\'' => {
                // To the closing quote; an unclosed one is the parser's to reject.
                i = b[i + 1..].iter().position(|&q| q == b'\'').map_or(b.len(), |p| i + 2 + p);
                word_start = false;
                continue;
            }
            b'"' => stack.push(Open::Double),
            b'(' => stack.push(Open::Paren),
            b'{' => stack.push(Open::Brace),
            b')' => close(&mut stack, Open::Paren),
            b'}' => close(&mut stack, Open::Brace),
            b'#' if word_start => {
                // A comment, to the end of the line.
                i = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') && b.get(i + 2) != Some(&b'<') => {
                let (delim, end) = heredoc_delimiter(b, i + 2);
                // An empty delimiter (`<< ''`) sends the parser's tokenizer into a loop that
                // grows without bound: never given to it.
                if delim.is_empty() {
                    return Some(fact::UNPARSABLE);
                }
                let expands = !text[i + 2..end].contains(['\'', '"', '\\']);
                heredocs.push((delim, expands));
                i = end;
                word_start = false;
                continue;
            }
            b'\n' if !heredocs.is_empty() => {
                // The bodies follow, one after another; their text is not shell.
                i += 1;
                for (delim, expands) in std::mem::take(&mut heredocs) {
                    let start = i;
                    loop {
                        let end = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
                        let line = &text[i..end];
                        i = (end + 1).min(b.len());
                        if line.trim_start_matches('\t') == delim || end >= b.len() {
                            break;
                        }
                    }
                    if expands {
                        let mut inner = stack.clone();
                        inner.push(Open::Double);
                        // The body's `"` are text, not quotes: only expansions nest in it.
                        let body = text[start..i].replace('"', " ");
                        if let Some(f) = scan(&body, inner) {
                            return Some(f);
                        }
                    }
                }
                operators += 1;
                word_start = true;
                continue;
            }
            b';' | b'&' | b'|' | b'\n' => operators += 1,
            b'`' => operators += 1,
            _ => {}
        }
        if word_start && c.is_ascii_lowercase() {
            let end = b[i..].iter().position(|&x| !x.is_ascii_lowercase()).map_or(b.len(), |p| i + p);
            let ends_word = matches!(b.get(end), None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')' | b'('));
            if ends_word {
                match &text[i..end] {
                    "if" => stack.push(Open::Word("fi")),
                    "while" | "until" | "for" | "select" => stack.push(Open::Word("done")),
                    "case" => stack.push(Open::Word("esac")),
                    w @ ("fi" | "done" | "esac") => {
                        if let Some(pos) = stack.iter().rposition(|o| *o == Open::Word(close_word(w)))
                            && pos == stack.len() - 1
                        {
                            stack.pop();
                        }
                    }
                    _ => {}
                }
            }
            i = end;
            word_start = false;
            if stack.len() > MAX_NESTING {
                return Some(fact::TOO_DEEP);
            }
            continue;
        }
        word_start = matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'{' | b'}' | b'`');
        if stack.len() > MAX_NESTING {
            return Some(fact::TOO_DEEP);
        }
        if operators > MAX_OPERATORS {
            return Some(fact::TOO_BIG);
        }
        i += 1;
    }
    None
}

/// The delimiter word of a heredoc starting at `i` (after `<<`), quotes removed, and where the
/// word ends.
fn heredoc_delimiter(b: &[u8], mut i: usize) -> (String, usize) {
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    let mut delim = Vec::new();
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
            b'\'' | b'"' | b'\\' => {}
            c => delim.push(c),
        }
        i += 1;
    }
    (String::from_utf8_lossy(&delim).into_owned(), i)
}

fn close_word(w: &str) -> &'static str {
    match w {
        "fi" => "fi",
        "done" => "done",
        _ => "esac",
    }
}

/// Closes the innermost `what` if it is on top; a stray closer closes nothing.
fn close(stack: &mut Vec<Open>, what: Open) {
    if stack.last() == Some(&what) {
        stack.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_scripts_pass() {
        for s in [
            "ls -la",
            "for f in *.rs; do if [ -f \"$f\" ]; then echo \"$(wc -l < \"$f\")\"; fi; done",
            "cat > x.json <<'EOF'\n{\"a\": {\"b\": [1, 2, {\"c\": 3}]}}\nEOF",
            "echo ')))))' && { ls; }",
            "case $x in a) echo a;; b) echo b;; esac",
        ] {
            assert_eq!(check(s), None, "{s}");
        }
    }

    #[test]
    fn deep_nesting_is_caught() {
        let n = 1500;
        let braces = format!("{}rm -rf ~{}", "{ ".repeat(n), "; }".repeat(n));
        assert_eq!(check(&braces), Some(fact::TOO_DEEP));
        let parens = format!("{}rm -rf ~{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(check(&parens), Some(fact::TOO_DEEP));
        let subst = format!("echo {}x{}", "$(echo ".repeat(n), ")".repeat(n));
        assert_eq!(check(&subst), Some(fact::TOO_DEEP));
        let quoted = format!("echo {}x{}", "\"$(echo ".repeat(n), ")\"".repeat(n));
        assert_eq!(check(&quoted), Some(fact::TOO_DEEP));
        let ifs = format!("{}rm -rf ~{}", "if true; then ".repeat(n), "; fi".repeat(n));
        assert_eq!(check(&ifs), Some(fact::TOO_DEEP));
        let whiles = format!("{}rm -rf ~{}", "while true; do ".repeat(n), "; done".repeat(n));
        assert_eq!(check(&whiles), Some(fact::TOO_DEEP));
    }

    #[test]
    fn closers_in_quotes_do_not_hide_nesting() {
        let n = 200;
        let s = format!("{}echo ')}}' \"}})\" rm -rf ~{}", "{ ".repeat(n), "; }".repeat(n));
        assert_eq!(check(&s), Some(fact::TOO_DEEP));
    }

    #[test]
    fn an_empty_heredoc_delimiter_is_not_parsed() {
        for t in ["a << '' b ", "cat <<\"\" x ", "cat <<-'' ", "cat <<"] {
            assert_eq!(check(t), Some(fact::UNPARSABLE), "{t:?}");
        }
        assert_eq!(check("cat <<'EOF'\nx\nEOF\n"), None);
    }

    #[test]
    fn closers_in_heredocs_and_comments_do_not_hide_nesting() {
        let step = format!("{}cat <<'EOF'\n{}\nEOF\n# {}\n", "{ ".repeat(40), "}".repeat(40), "}".repeat(40));
        let s = format!("{}rm -rf ~", step.repeat(40));
        assert_eq!(check(&s), Some(fact::TOO_DEEP));
    }

    #[test]
    fn expansions_in_heredoc_bodies_count() {
        let n = 200;
        let s = format!("cat <<EOF\n{}x{}\nEOF", "$(echo ".repeat(n), ")".repeat(n));
        assert_eq!(check(&s), Some(fact::TOO_DEEP));
        let s = format!("cat <<EOF\n{}x{}\nEOF", "${x:-".repeat(n), "}".repeat(n));
        assert_eq!(check(&s), Some(fact::TOO_DEEP));
        let quoted = format!("cat <<'EOF'\n{}x{}\nEOF", "$(echo ".repeat(n), ")".repeat(n));
        assert_eq!(check(&quoted), None, "a quoted delimiter: the body is text");
    }

    #[test]
    fn size_and_operators() {
        assert_eq!(check(&"x".repeat(MAX_SCRIPT_BYTES + 1)), Some(fact::TOO_BIG));
        assert_eq!(check(&"a && ".repeat(MAX_OPERATORS / 2 + 10)), Some(fact::TOO_BIG));
    }
}

#[cfg(test)]
mod stack {
    /// The worst nesting the limits let through, at every script level ana follows, walks on a
    /// stack no larger than the hook's main thread's (8 MiB), in a debug build.
    #[test]
    fn the_deepest_accepted_script_fits_the_stack() {
        let n = super::MAX_NESTING - 2;
        let mut s = "rm -rf ~".to_owned();
        for level in 0..super::super::MAX_DEPTH {
            let (open, close) = if level % 2 == 0 { ("{ ", " ; }") } else { ("( ", " )") };
            s = format!("{}sh -c {}{}", open.repeat(n), super::super::quote(&s), close.repeat(n));
        }
        let t = std::thread::Builder::new().stack_size(8 << 20).spawn(move || super::super::analyze(&s, "/p", "/h")).unwrap();
        let cmds = t.join().unwrap();
        assert!(cmds.iter().any(|c| c.program == "rm" && c.depth == super::super::MAX_DEPTH), "{:?}", cmds.iter().map(|c| (&c.program, c.depth, c.facts)).collect::<Vec<_>>());
    }
}
