//! Plain scripts: the part of the shell language agents write most — words, single-quoted and
//! plain double-quoted strings, `~`, globs, `|`, `&&`, `||`, `;` and file redirections — split
//! without the parser.
//!
//! Anything outside that subset (expansions, escapes, braces, substitutions, heredocs, compound
//! commands, assignments, reserved words, comments, background jobs, non-ASCII text) gives `None`
//! and goes to brush-parser. Inside it, the result is exactly what the parser and the walker
//! produce; a property test holds the two paths to that.

use super::{Redirect, Word};

/// One simple command: its words after quote removal, and its file redirections in order.
#[derive(Debug, Default)]
pub struct Simple {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// A pipeline's stages.
pub type Pipeline = Vec<Simple>;

const RESERVED: &[&str] = &["if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done", "in", "function", "time", "coproc", "[[", "]]", "{", "}", "!"];

/// The pipelines of `text`, in order (`&&`, `||` and `;` only sequence them), when it is a plain
/// script; `home` expands a leading `~`.
pub fn split(text: &str, home: &str) -> Option<Vec<Pipeline>> {
    let mut lx = Lexer { b: text.as_bytes(), text, i: 0, home };
    let mut out: Vec<Pipeline> = Vec::new();
    let mut pipeline: Pipeline = Vec::new();
    let mut cur = Simple { words: Vec::with_capacity(4), redirects: Vec::new() };
    // The last operator was `&&` or `||`, which a command must follow.
    let mut and_or = false;
    loop {
        lx.blanks();
        let Some(&c) = lx.b.get(lx.i) else {
            // The end: after `;` or a command, never after `|`, `&&` or `||`.
            if cur.words.is_empty() && cur.redirects.is_empty() {
                if !pipeline.is_empty() || out.is_empty() || and_or {
                    return None;
                }
            } else {
                pipeline.push(cur);
                out.push(pipeline);
            }
            return Some(out);
        };
        match c {
            b'|' | b'&' | b';' => {
                if cur.words.is_empty() && cur.redirects.is_empty() {
                    return None;
                }
                let next = lx.b.get(lx.i + 1).copied();
                let len = match (c, next) {
                    (b'|', Some(b'|')) | (b'&', Some(b'&')) => 2,
                    (b'|', Some(b'&')) | (b'&', _) | (b';', Some(b';' | b'&')) => return None,
                    _ => 1,
                };
                pipeline.push(std::mem::replace(&mut cur, Simple { words: Vec::with_capacity(4), redirects: Vec::new() }));
                if !(c == b'|' && len == 1) {
                    out.push(std::mem::take(&mut pipeline));
                }
                and_or = len == 2;
                lx.i += len;
            }
            b'<' | b'>' => lx.redirect(&mut cur)?,
            _ => {
                let start = lx.i;
                let w = lx.word()?;
                if matches!(lx.b.get(lx.i), Some(b'<' | b'>')) && lx.text[start..lx.i].bytes().all(|b| b.is_ascii_digit()) {
                    // `2>file`: a descriptor number, not a word.
                    lx.redirect(&mut cur)?;
                    continue;
                }
                if cur.words.is_empty() && (w.text.contains('=') || RESERVED.contains(&w.text.as_str())) {
                    return None;
                }
                cur.words.push(w);
            }
        }
    }
}

struct Lexer<'t> {
    b: &'t [u8],
    text: &'t str,
    i: usize,
    home: &'t str,
}

impl Lexer<'_> {
    fn blanks(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// One word, up to a blank or an operator.
    fn word(&mut self) -> Option<Word> {
        // Sized once for the text up to the next blank or operator: most words are that run.
        let rest = &self.b[self.i..];
        let end = rest.iter().position(|&c| class(c) & STOP != 0).unwrap_or(rest.len());
        let tilde = if rest.first() == Some(&b'~') { self.home.len() } else { 0 };
        let mut w = Word { text: String::with_capacity(end + tilde), dynamic: false, glob: false };
        if self.b[self.i] == b'~' {
            // Only `~` and `~/…` are expanded here; `~user`, `~+` and `~-` take the parser.
            if !matches!(self.b.get(self.i + 1), None | Some(b'/' | b' ' | b'\t' | b'|' | b'&' | b';' | b'<' | b'>')) {
                return None;
            }
            w.text.push_str(self.home);
            self.i += 1;
        }
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' | b'\t' | b'|' | b'&' | b';' | b'<' | b'>' => break,
                b'\'' => {
                    let len = self.b[self.i + 1..].iter().position(|&q| q == b'\'')?;
                    let body = &self.text[self.i + 1..self.i + 1 + len];
                    if !body.bytes().all(printable) {
                        return None;
                    }
                    w.text.push_str(body);
                    self.i += len + 2;
                }
                b'"' => {
                    let len = self.b[self.i + 1..].iter().position(|&q| q == b'"')?;
                    let body = &self.text[self.i + 1..self.i + 1 + len];
                    if !body.bytes().all(|b| printable(b) && !matches!(b, b'$' | b'`' | b'\\' | b'!')) {
                        return None;
                    }
                    w.text.push_str(body);
                    self.i += len + 2;
                }
                c if class(c) & UNQUOTED != 0 => {
                    let start = self.i;
                    let mut seen = 0;
                    while let Some(&c) = self.b.get(self.i)
                        && class(c) & UNQUOTED != 0
                    {
                        seen |= class(c);
                        self.i += 1;
                    }
                    w.glob |= seen & GLOB != 0;
                    w.text.push_str(&self.text[start..self.i]);
                }
                // `$`, `` ` ``, `\`, `{`, `}`, `(`, `)`, `#`, `!`, newlines, non-ASCII, ….
                _ => return None,
            }
        }
        Some(w)
    }

    /// A file redirection at `<` or `>`: `>`, `>>` and `<` add a target; `>&N` and `<&N` only
    /// duplicate a descriptor and add nothing.
    fn redirect(&mut self, cur: &mut Simple) -> Option<()> {
        let write = self.b[self.i] == b'>';
        self.i += 1;
        let mut append = false;
        match (write, self.b.get(self.i)) {
            (true, Some(b'>')) => {
                self.i += 1;
                append = true;
            }
            (_, Some(b'&')) => {
                self.i += 1;
                let start = self.i;
                while matches!(self.b.get(self.i), Some(b'0'..=b'9' | b'-')) {
                    self.i += 1;
                }
                let ends = matches!(self.b.get(self.i), None | Some(b' ' | b'\t' | b'|' | b'&' | b';'));
                return (self.i > start && ends).then_some(());
            }
            (_, Some(b'<' | b'>' | b'|' | b'(')) => return None,
            _ => {}
        }
        self.blanks();
        let start = self.i;
        if matches!(self.b.get(self.i), None | Some(b'|' | b'&' | b';' | b'<' | b'>')) {
            return None;
        }
        let target = self.word()?;
        if start == self.i {
            return None;
        }
        cur.redirects.push(Redirect { write, append, target });
        Some(())
    }
}

/// A byte an unquoted word may hold here.
const UNQUOTED: u8 = 1;
/// `*`, `?` and `[`, which make a word a glob.
const GLOB: u8 = 2;
/// A blank or an operator, which ends a word.
const STOP: u8 = 4;

/// What a byte is to the lexer: a table, as this is asked for every byte.
fn class(c: u8) -> u8 {
    const TABLE: [u8; 256] = {
        let mut t = [0; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'+' | b'@' | b'%' | b'^' | b'~' | b']' | b'*' | b'?' | b'[') {
                t[c] |= UNQUOTED;
            }
            if matches!(b, b'*' | b'?' | b'[') {
                t[c] |= GLOB;
            }
            if matches!(b, b' ' | b'\t' | b'|' | b'&' | b';' | b'<' | b'>') {
                t[c] |= STOP;
            }
            c += 1;
        }
        t
    };
    TABLE[c as usize]
}

fn printable(b: u8) -> bool {
    b == b' ' || b == b'\t' || b.is_ascii_graphic()
}
