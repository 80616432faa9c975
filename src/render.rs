//! The one renderer of what an approval signs, for every surface: the TUI, `ana approve --plain`
//! and `--yes`, desktop notifications, `ana history`, `ana explain`.
//!
//! It reads only a typed [`Intent`] — never display text a client supplied beside it — and shows
//! every field of it, every byte visible or visibly escaped:
//!
//! - control characters, escape sequences, `\r`, backspace: `⟨ESC⟩`, `⟨CR⟩`, `⟨BS⟩`, `⟨U+0007⟩`;
//! - bidi overrides and isolates, zero-width and other invisible or format characters, tag
//!   characters, variation selectors, unusual spaces, private-use code points: `⟨U+202E⟩`;
//! - a newline inside one-line text: `⏎`; a tab: `⇥`;
//! - a run of 8 or more spaces, or spaces that end a line: `⟨6000 spaces⟩`;
//! - the marker characters themselves, when the text holds them: `⟨U+27E8⟩`, `⟨U+23CE⟩`, `⟨U+21E5⟩`.
//!
//! So the rendering is unambiguous ([`unescape`] inverts [`escape`]) and holds no character a
//! terminal would act on. Nothing is cut: surfaces that must be short ([`one_line`]) say how much
//! is left out and where to see it. Pure: no terminal, no I/O.

use std::fmt::Write as _;

use serde_json::Value;

use crate::intent::{Body, Intent, Target, ToolCall};
use crate::policy::Level;

/// How a span is meant to look; each surface maps tones to its own styles (or none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Text,
    Label,
    /// The object of the action: the command, the paths, the URL.
    Strong,
    /// The rule and why.
    Rule,
    Added,
    Removed,
    /// An escaped character or a marker the renderer added.
    Escape,
    /// Not signed: observed by the prompt now.
    Context,
    Warning,
    Dim,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
}

/// One logical line. When a surface wraps it, continuation rows start at column `indent`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub spans: Vec<Span>,
    pub indent: usize,
}

impl Line {
    fn new(indent: usize) -> Line {
        Line { spans: Vec::new(), indent }
    }

    fn push(&mut self, text: impl Into<String>, tone: Tone) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.tone == tone => last.text.push_str(&text),
            _ => self.spans.push(Span { text, tone }),
        }
    }

    /// The line's text, without styles.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// A rendering: its lines, and how many control or invisible characters the text held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    pub lines: Vec<Line>,
    /// Control, format and other invisible characters found (each shown as `⟨…⟩`).
    pub hidden: usize,
}

impl View {
    /// The lines as plain text, one per line.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            out.push_str(&l.text());
            out.push('\n');
        }
        out
    }
}

/// The width of the label column.
pub const LABEL: usize = 9;
/// A run of this many spaces or more is shown as a count.
const SPACE_RUN: usize = 8;

/// Whether `c` is invisible, a control or format character, or otherwise misleading on a terminal
/// (and so is shown as an escape): its width or whether it shows at all depends on the terminal.
pub fn is_hidden(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(u,
            0x00AD | 0x034F | 0x061C | 0x0600..=0x0605 | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
            | 0x115F | 0x1160 | 0x1680 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
            | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F
            | 0x2800 | 0x3000 | 0x3164 | 0xFFA0 | 0x00A0
            // Halfwidth (semi-)voiced sound marks: grapheme extenders that terminals draw in a
            // cell of their own, so their width depends on the terminal.
            | 0xFF9E | 0xFF9F
            | 0xFE00..=0xFE0F | 0xFEFF | 0xFFF9..=0xFFFB | 0xFDD0..=0xFDEF
            | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
            | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
        || (u & 0xFFFE) == 0xFFFE
}

/// The markers the renderer writes; a text that holds one has it escaped.
const MARKERS: [char; 3] = ['⟨', '⏎', '⇥'];

fn named(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\u{b}' => "VT",
        '\u{c}' => "FF",
        '\r' => "CR",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        _ => return None,
    })
}

/// Counts and escapes, span by span.
struct Writer<'a> {
    line: &'a mut Line,
    hidden: &'a mut usize,
}

impl Writer<'_> {
    /// Writes one line of text (no `\n` in it) in `tone`, escaping as the module says.
    fn text(&mut self, s: &str, tone: Tone) {
        let mut plain = String::new();
        let (mut base, mut marks) = (false, 0u8);
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == ' ' {
                let run = s[i..].bytes().take_while(|b| *b == b' ').count();
                let at_end = i + run == s.len();
                if run >= SPACE_RUN || at_end {
                    self.line.push(std::mem::take(&mut plain), tone);
                    self.line.push(format!("⟨{run} space{}⟩", if run == 1 { "" } else { "s" }), Tone::Escape);
                } else {
                    plain.extend(std::iter::repeat_n(' ', run));
                }
                for _ in 1..run {
                    chars.next();
                }
                base = false;
                continue;
            }
            // A zero-width character (a combining mark) shows only on the character before it, and
            // only when it joins that character's grapheme: a terminal (and the TUI's buffer) drops
            // a zero-width grapheme of its own, such as a Hangul vowel jamo after a Latin letter.
            // Alone, after a space, not joining, or stacked more than two deep, it is escaped.
            let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            let lone_mark = width == 0 && !is_hidden(c) && !(base && marks < 2 && joins(&plain, c));
            let esc = if lone_mark {
                *self.hidden += 1;
                Some(format!("⟨U+{:04X}⟩", c as u32))
            } else if c == '\t' {
                Some("⇥".to_owned())
            } else if c == '\n' {
                Some("⏎".to_owned())
            } else if is_hidden(c) || MARKERS.contains(&c) {
                if is_hidden(c) {
                    *self.hidden += 1;
                }
                Some(match named(c) {
                    Some(n) => format!("⟨{n}⟩"),
                    None => format!("⟨U+{:04X}⟩", c as u32),
                })
            } else {
                None
            };
            match esc {
                Some(e) => {
                    self.line.push(std::mem::take(&mut plain), tone);
                    self.line.push(e, Tone::Escape);
                    base = false;
                }
                None if width == 0 => {
                    plain.push(c);
                    marks += 1;
                }
                None => {
                    plain.push(c);
                    base = true;
                    marks = 0;
                }
            }
        }
        self.line.push(plain, tone);
    }
}

/// Whether `c` continues the grapheme `plain` ends with (rather than starting one of its own).
fn joins(plain: &str, c: char) -> bool {
    use unicode_segmentation::UnicodeSegmentation as _;
    let Some(last) = plain.graphemes(true).next_back() else { return false };
    let mut g = String::with_capacity(last.len() + c.len_utf8());
    g.push_str(last);
    g.push(c);
    g.graphemes(true).nth(1).is_none()
}

/// `s` on one line, every character visible (see the module's rules); `\n` is `⏎`.
pub fn escape(s: &str) -> String {
    let mut line = Line::new(0);
    let mut hidden = 0;
    Writer { line: &mut line, hidden: &mut hidden }.text(s, Tone::Text);
    line.text()
}

/// The inverse of [`escape`] (for tests and tools): `None` when `s` is not an escaper's output.
pub fn unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '⏎' => out.push('\n'),
            '⇥' => out.push('\t'),
            '⟨' => {
                let end = rest.find('⟩')?;
                let inner = &rest[..end];
                rest = &rest[end + '⟩'.len_utf8()..];
                if let Some(hex) = inner.strip_prefix("U+") {
                    out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                } else if let Some(n) = inner.strip_suffix(" spaces").or_else(|| inner.strip_suffix(" space")) {
                    out.extend(std::iter::repeat_n(' ', n.parse().ok()?));
                } else {
                    let c = ['\0', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\r', '\u{1b}', '\u{7f}'].into_iter().find(|c| named(*c) == Some(inner))?;
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// `s` escaped onto one line and cut to at most `max` characters (when `max` leaves room for the
/// marker), saying how much was left out.
pub fn one_line(s: &str, max: usize) -> String {
    let e = escape(s);
    let n = e.chars().count();
    if n <= max {
        return e;
    }
    let marker = "… (+ more)".chars().count() + n.to_string().len();
    let keep: String = e.chars().take(max.saturating_sub(marker)).collect();
    format!("{keep}… (+{} more)", n - keep.chars().count())
}

/// The one-line summary of what an intent approves, unescaped: the daemon compares it with what a
/// client claims, records keep it, and surfaces show it through [`one_line`].
pub fn summary(intent: &Intent) -> String {
    match &intent.body {
        Body::ToolCall(t) => match &t.target {
            Target::Command(c) => c.clone(),
            Target::Files(p) => format!("{} {}", t.kind.name(), p.join(" ")),
            Target::Url(u) => format!("{} {u}", t.tool),
            Target::Mcp { server, tool } => format!("mcp {server}/{tool}"),
            Target::Input => t.tool.clone(),
        },
        Body::KeyRemoval { name, .. } => format!("remove the enrolled key `{name}`"),
    }
}

/// Who asks, for titles: the agent's name, or "you" for `ana keys remove`.
pub fn requester(intent: &Intent) -> &'static str {
    match &intent.body {
        Body::ToolCall(t) => t.agent.name(),
        Body::KeyRemoval { .. } => "you (ana keys remove)",
    }
}

/// The signed level in words.
pub fn level(level: Level) -> &'static str {
    match level {
        Level::Presence => "a touch of your key (user presence)",
        Level::Verification => "your key's PIN or biometric (user verification)",
    }
}

struct Builder {
    lines: Vec<Line>,
    hidden: usize,
}

impl Builder {
    fn line(&mut self, label: &str) -> &mut Line {
        let mut l = Line::new(LABEL);
        if !label.is_empty() || !self.lines.is_empty() {
            l.push(format!("{label:<LABEL$}"), Tone::Label);
        }
        self.lines.push(l);
        self.lines.last_mut().expect("just pushed")
    }

    /// A labelled one-line value, escaped.
    fn field(&mut self, label: &str, value: &str, tone: Tone) {
        let mut hidden = 0;
        let line = self.line(label);
        Writer { line, hidden: &mut hidden }.text(value, tone);
        self.hidden += hidden;
    }

    /// Appends to the last line.
    fn more(&mut self, value: &str, tone: Tone) {
        let mut hidden = 0;
        let line = self.lines.last_mut().expect("a line to add to");
        Writer { line, hidden: &mut hidden }.text(value, tone);
        self.hidden += hidden;
    }

    fn marker(&mut self, text: &str, tone: Tone) {
        self.lines.last_mut().expect("a line to add to").push(text, tone);
    }

    /// Multi-line text: each line under the label column, `⏎` where a newline was.
    fn command(&mut self, label: &str, text: &str) {
        let parts: Vec<&str> = text.split('\n').collect();
        for (i, part) in parts.iter().enumerate() {
            self.field(if i == 0 { label } else { "" }, part, Tone::Strong);
            if i + 1 < parts.len() {
                self.marker("⏎", Tone::Escape);
            }
        }
    }

    /// A block of text with line numbers, whole.
    fn block(&mut self, indent: usize, text: &str, tone: Tone) {
        let mut parts: Vec<&str> = text.split('\n').collect();
        let ends_with_newline = parts.len() > 1 && parts.last() == Some(&"");
        if ends_with_newline {
            parts.pop();
        }
        let width = parts.len().to_string().len().max(3);
        for (i, part) in parts.iter().enumerate() {
            let mut line = Line::new(indent + width + 3);
            line.push(" ".repeat(indent), Tone::Text);
            line.push(format!("{:>width$} │ ", i + 1), Tone::Dim);
            let mut hidden = 0;
            Writer { line: &mut line, hidden: &mut hidden }.text(part, tone);
            self.hidden += hidden;
            self.lines.push(line);
        }
        let mut end = Line::new(indent);
        end.push(" ".repeat(indent), Tone::Text);
        end.push(format!("{:>width$} └ {}", "", if ends_with_newline { "end (the text ends with a newline)" } else { "end (no newline at the end)" }), Tone::Dim);
        self.lines.push(end);
    }

    /// One member of the tool input, flattened to a path (`edits[0].old_string`).
    fn input(&mut self, path: &str, v: &Value, same_as_target: &dyn Fn(&str) -> bool) {
        let label = "";
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, x) in m {
                    let key = if path.is_empty() { key_path(k, true) } else { format!("{path}{}", key_path(k, false)) };
                    self.input(&key, x, same_as_target);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                for (i, x) in a.iter().enumerate() {
                    self.input(&format!("{path}[{i}]"), x, same_as_target);
                }
            }
            Value::String(s) => {
                let tone = tone_of(path);
                self.field(label, path, Tone::Label);
                self.marker(": ", Tone::Label);
                if same_as_target(s) {
                    self.marker("(the same text as above)", Tone::Dim);
                } else if s.contains('\n') {
                    let n = s.split('\n').count() - usize::from(s.ends_with('\n'));
                    self.marker(&format!("{n} lines, {} bytes", s.len()), Tone::Dim);
                    self.block(LABEL + 2, s, tone);
                } else {
                    self.marker("\"", Tone::Dim);
                    self.more(s, tone);
                    self.marker("\"", Tone::Dim);
                }
            }
            other => {
                self.field(label, if path.is_empty() { "(the whole input)" } else { path }, Tone::Label);
                self.marker(": ", Tone::Label);
                let text = crate::intent::canonical(other).unwrap_or_else(|e| e);
                self.more(&text, Tone::Strong);
            }
        }
    }
}

/// A member name as a path step: bare when it is a plain word, else `["…"]`.
fn key_path(k: &str, first: bool) -> String {
    let plain = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    match (plain, first) {
        (true, true) => k.to_owned(),
        (true, false) => format!(".{k}"),
        (false, _) => format!("[\"{k}\"]"),
    }
}

/// Old text in red, new text in green, everything else plain.
fn tone_of(path: &str) -> Tone {
    let last = path.rsplit(['.', '[']).next().unwrap_or(path);
    if last.starts_with("old") {
        Tone::Removed
    } else if last.starts_with("new") || matches!(last, "content" | "file_text" | "source" | "patch" | "input") {
        Tone::Added
    } else {
        Tone::Text
    }
}

/// Everything an intent signs, field by field, whole: the same lines on every surface.
pub fn intent(i: &Intent) -> View {
    let mut b = Builder { lines: Vec::new(), hidden: 0 };
    match &i.body {
        Body::ToolCall(t) => tool_call(&mut b, t, i.level),
        Body::KeyRemoval { credential, name } => {
            b.field("removes", "the enrolled key ", Tone::Text);
            b.marker("\"", Tone::Dim);
            b.more(name, Tone::Strong);
            b.marker("\"", Tone::Dim);
            b.field("id", credential, Tone::Text);
            b.field("rule", "ana.keys-remove", Tone::Rule);
            b.more(" — removing a key needs another enrolled key", Tone::Text);
            b.field("level", level(i.level), Tone::Text);
        }
    }
    b.field("valid", &format!("from {} to {} UTC (nonce {})", crate::time::format(i.created_ms), crate::time::format(i.expires_ms), i.nonce), Tone::Dim);
    let mut lines = Vec::new();
    if b.hidden > 0 {
        let mut w = Line::new(2);
        w.push(format!("⚠ this request holds {} control or invisible character{}: each is shown as ⟨…⟩", b.hidden, if b.hidden == 1 { "" } else { "s" }), Tone::Warning);
        lines.push(w);
    }
    if let Some(Target::Command(c)) = i.tool_call().map(|t| &t.target) {
        let n = c.split('\n').count();
        if n > 1 {
            let mut w = Line::new(2);
            w.push(format!("⚠ the command is {n} lines long: read all of them"), Tone::Warning);
            lines.push(w);
        }
    }
    if let Some(w) = lookalikes(i) {
        lines.push(w);
    }
    lines.append(&mut b.lines);
    View { lines, hidden: b.hidden }
}

/// A warning when the object (command, paths, URL, MCP names) holds visible non-ASCII characters,
/// which may look like ASCII ones (`gіt` with a Cyrillic і, a homoglyph domain): each is named.
fn lookalikes(i: &Intent) -> Option<Line> {
    let t = i.tool_call()?;
    let texts: Vec<&str> = match &t.target {
        Target::Command(c) => vec![c],
        Target::Files(p) => p.iter().map(String::as_str).collect(),
        Target::Url(u) => vec![u],
        Target::Mcp { server, tool } => vec![server, tool],
        Target::Input => Vec::new(),
    };
    let mut found: Vec<char> = Vec::new();
    for c in texts.iter().flat_map(|t| t.chars()).filter(|c| !c.is_ascii() && !is_hidden(*c) && !MARKERS.contains(c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    if found.is_empty() {
        return None;
    }
    let named: Vec<String> = found
        .iter()
        .take(8)
        .map(|c| match unicode_width::UnicodeWidthChar::width(*c) {
            // A combining mark is named, not drawn: alone it would sit on the space before it.
            Some(0) | None => format!("U+{:04X}", *c as u32),
            _ => format!("{c} U+{:04X}", *c as u32),
        })
        .collect();
    let more = if found.len() > 8 { format!(" and {} more", found.len() - 8) } else { String::new() };
    let mut w = Line::new(2);
    w.push(format!("⚠ non-ASCII characters in what it acts on, which may look like others: {}{more}", named.join(", ")), Tone::Warning);
    Some(w)
}

fn tool_call(b: &mut Builder, t: &ToolCall, level_of: Level) {
    b.field("who", t.agent.name(), Tone::Strong);
    b.marker(" · session ", Tone::Dim);
    b.more(&t.session, Tone::Text);
    let said = description(t);
    if let Some(d) = said {
        b.field("says", "", Tone::Text);
        b.marker("\"", Tone::Dim);
        b.more(d, Tone::Text);
        b.marker("\"", Tone::Dim);
        b.marker(" — the agent's own description, not ana's judgement", Tone::Dim);
    }
    b.field("where", &t.cwd, Tone::Text);
    b.field("tool", &t.tool, Tone::Text);
    b.marker(&format!(" ({})", t.kind.name()), Tone::Dim);
    b.field("rule", t.rule.as_deref().unwrap_or("-"), Tone::Rule);
    b.field("why", &t.reason, Tone::Text);
    b.field("level", level(level_of), Tone::Text);
    let target_text: Option<&str> = match &t.target {
        Target::Command(c) => {
            b.command("runs", c);
            Some(c)
        }
        Target::Files(paths) => {
            for (n, p) in paths.iter().enumerate() {
                b.field(if n == 0 { if paths.len() == 1 { "file" } else { "files" } } else { "" }, p, Tone::Strong);
            }
            if paths.is_empty() {
                b.field("files", "(none)", Tone::Dim);
            }
            None
        }
        Target::Url(u) => {
            b.field("fetch", u, Tone::Strong);
            Some(u)
        }
        Target::Mcp { server, tool } => {
            b.field("mcp", server, Tone::Strong);
            b.marker(" / ", Tone::Dim);
            b.more(tool, Tone::Strong);
            None
        }
        Target::Input => None,
    };
    let same = |s: &str| (target_text.is_some_and(|t| t == s) || said == Some(s)) && s.len() > 1;
    match &t.input {
        Value::Object(m) if m.is_empty() => b.field("input", "{} (empty)", Tone::Dim),
        Value::Array(a) if a.is_empty() => b.field("input", "[] (empty)", Tone::Dim),
        v => {
            let start = b.lines.len();
            b.input("", v, &same);
            // The first input line carries the label.
            if let Some(s) = b.lines.get_mut(start).and_then(|l| l.spans.first_mut())
                && s.tone == Tone::Label
                && s.text.starts_with(&" ".repeat(LABEL))
            {
                s.text.replace_range(..LABEL, &format!("{:<LABEL$}", "input"));
            }
        }
    }
}

/// The agent's own description of a shell call, from the signed tool input: Claude Code's and
/// Copilot CLI's Bash `description`, Gemini CLI's `run_shell_command` `description`. `None` when
/// the input carries none (Codex sends only the command), and for every other kind of tool,
/// where a `description` member is the tool's own data (an MCP tool's issue text), not the
/// agent's account of the call.
pub fn description(t: &ToolCall) -> Option<&str> {
    if t.kind != crate::action::Kind::Exec {
        return None;
    }
    t.input.get("description").and_then(Value::as_str).filter(|d| !d.trim().is_empty())
}

/// The approval agent's check of a request before anyone sees it: the intent must read as a typed
/// [`Intent`], and what the client says beside it (level, rule, reason, summary) must agree with
/// it; then every display member is derived from the intent, so no surface can show text the
/// client chose. `Err` says why the request is refused.
pub fn vet(e: &mut crate::protocol::Evaluation) -> Result<Intent, String> {
    let intent = Intent::from_value(&e.context.intent).map_err(|err| format!("the request cannot be shown as what it asks: {err}"))?;
    crate::intent::canonical(&e.context.intent).map_err(|err| format!("the request has no canonical form: {err}"))?;
    let c = &mut e.context;
    let claimed_summary = std::mem::take(&mut c.summary);
    let derived = summary(&intent);
    let mut disagree = Vec::new();
    if c.level != intent.level {
        disagree.push("level");
    }
    if c.rule.as_deref() != intent.rule() {
        disagree.push("rule");
    }
    if let Some(t) = intent.tool_call()
        && c.reason != t.reason
    {
        disagree.push("reason");
    }
    if !claimed_summary.is_empty() && claimed_summary != derived {
        disagree.push("summary");
    }
    if !disagree.is_empty() {
        return Err(format!("the request's display text disagrees with its intent ({}): refused", disagree.join(", ")));
    }
    c.summary = derived.clone();
    c.detail = Value::Null;
    // Context from the hook (not signed): kept, bounded, and labelled as such where shown.
    if let Some(o) = &mut c.origin {
        o.bound();
    }
    c.deadline_ms = c.deadline_ms.min(intent.expires_ms);
    e.subject.id = Some(requester(&intent).to_owned());
    e.resource.id = Some(derived);
    if let Some(t) = intent.tool_call() {
        e.subject.properties = serde_json::json!({"session": t.session});
        e.action.properties = serde_json::json!({"tool": t.tool});
        e.resource.properties = serde_json::json!({"cwd": t.cwd});
    }
    Ok(intent)
}

/// A line of context: something the prompt observed, which the key does not sign.
pub fn context(text: &str) -> Line {
    labelled_context("context", text, " (not signed)")
}

/// A line of context under `label`, escaped, ending in `note` (which says who observed it and
/// that it is not signed).
pub fn labelled_context(label: &str, text: &str, note: &str) -> Line {
    let mut l = Line::new(LABEL);
    l.push(format!("{label:<LABEL$}"), Tone::Label);
    let mut hidden = 0;
    Writer { line: &mut l, hidden: &mut hidden }.text(text, Tone::Context);
    l.push(note, Tone::Dim);
    l
}

/// The origin of a request, as its hook reported it: context, not signed.
pub fn origin(o: &crate::origin::Origin) -> Option<Line> {
    (!o.is_empty()).then(|| labelled_context("from", &o.describe(), " (reported by the hook, not signed)"))
}

/// JSON, pretty-printed, each line escaped: the exact intent, for the details view.
pub fn json(v: &Value) -> Vec<Line> {
    let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
    pretty
        .lines()
        .map(|l| {
            let mut line = Line::new(4);
            let mut hidden = 0;
            Writer { line: &mut line, hidden: &mut hidden }.text(l, Tone::Dim);
            line
        })
        .collect()
}

/// A JSON intent that is not one ana can read (an old record, a malformed request): the error,
/// then the JSON itself, escaped.
pub fn unreadable(v: &Value, why: &str) -> View {
    let mut w = Line::new(2);
    w.push(format!("⚠ {}", escape(why)), Tone::Warning);
    let mut lines = vec![w];
    lines.extend(json(v));
    View { lines, hidden: 0 }
}

/// The width `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `lines` hard-wrapped at `cols` columns; continuation rows start at each line's indent.
pub fn wrap(lines: &[Line], cols: usize) -> Vec<Line> {
    let cols = cols.max(8);
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let indent = if l.indent * 2 > cols { 0 } else { l.indent };
        let mut row = Line::new(indent);
        let mut used = 0;
        for s in &l.spans {
            let mut chunk = String::new();
            for c in s.text.chars() {
                let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if used + w > cols && used > indent {
                    row.push(std::mem::take(&mut chunk), s.tone);
                    out.push(std::mem::replace(&mut row, Line::new(indent)));
                    row.push(" ".repeat(indent), Tone::Text);
                    used = indent;
                }
                chunk.push(c);
                used += w;
            }
            row.push(chunk, s.tone);
        }
        out.push(row);
    }
    out
}

/// Writes `lines` as plain text into `out`.
pub fn write_plain(out: &mut String, lines: &[Line]) {
    for l in lines {
        let _ = writeln!(out, "{}", l.text());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_class_is_visible() {
        assert_eq!(escape("a\u{1b}[31mb"), "a⟨ESC⟩[31mb");
        assert_eq!(escape("x\ry\u{8}"), "x⟨CR⟩y⟨BS⟩");
        assert_eq!(escape("rm\u{202E}fr- "), "rm⟨U+202E⟩fr-⟨1 space⟩");
        assert_eq!(escape("a\u{200B}b\u{FEFF}\u{E0041}\u{FE0F}"), "a⟨U+200B⟩b⟨U+FEFF⟩⟨U+E0041⟩⟨U+FE0F⟩");
        assert_eq!(escape("a\nb\tc"), "a⏎b⇥c");
        assert_eq!(escape(&format!("ls{}&& x", " ".repeat(6000))), "ls⟨6000 spaces⟩&& x");
        assert_eq!(escape("⟨ESC⟩"), "⟨U+27E8⟩ESC⟩");
        assert_eq!(escape("\u{85}\u{9b}"), "⟨U+0085⟩⟨U+009B⟩");
        // Combining marks show on their base character; alone or stacked deep, they are escaped.
        assert_eq!(escape("e\u{301} \u{301}x\u{301}\u{302}\u{303}"), "e\u{301} ⟨U+0301⟩x\u{301}\u{302}⟨U+0303⟩");
        // A zero-width character that starts a grapheme of its own would vanish on a terminal.
        assert_eq!(escape("T\u{1168}(exec)"), "T⟨U+1168⟩(exec)");
        assert_eq!(escape("\u{1100}\u{1168}\u{11A8}"), "\u{1100}\u{1168}\u{11A8}");
        assert_eq!(escape("\u{FF76}\u{FF9E}"), "\u{FF76}⟨U+FF9E⟩");
    }

    #[test]
    fn unescape_inverts_escape() {
        for s in ["", "plain", "a\u{1b}[2J\r\n\u{202E}x⟨ESC⟩⏎⇥\t   ", "   ", &" ".repeat(9), "\u{0}\u{7f}\u{E0000}"] {
            assert_eq!(unescape(&escape(s)).as_deref(), Some(s), "{s:?}");
        }
    }

    #[test]
    fn one_line_says_what_it_left_out() {
        assert_eq!(one_line("abcdef", 10), "abcdef");
        assert_eq!(one_line("abcdefghijklmnop", 15), "abc… (+13 more)");
        assert_eq!(one_line("abcdefghijklmnop", 15).chars().count(), 15);
    }

    fn evaluation() -> (Intent, crate::protocol::Evaluation) {
        let i = Intent {
            body: Body::ToolCall(ToolCall {
                agent: crate::action::Agent::Codex,
                session: "s".into(),
                cwd: "/p".into(),
                tool: "Bash".into(),
                kind: crate::action::Kind::Exec,
                target: Target::Command("git push -f".into()),
                input: serde_json::json!({"command": "git push -f"}),
                rule: Some("git.force-push".into()),
                reason: "force push".into(),
            }),
            level: Level::Verification,
            nonce: "n".into(),
            created_ms: 1,
            expires_ms: 2,
        };
        let e = crate::cmd::approval::evaluation(&i, 10);
        (i, e)
    }

    #[test]
    fn vet_refuses_display_text_that_disagrees_and_derives_the_rest() {
        let (i, e) = evaluation();
        let mut ok = e.clone();
        assert_eq!(vet(&mut ok).unwrap(), i);
        assert_eq!(ok.context.deadline_ms, 2, "the time left is clamped to the intent's expiry");
        for (field, lie) in [("level", 0), ("rule", 1), ("reason", 2), ("summary", 3)] {
            let mut bad = e.clone();
            match lie {
                0 => bad.context.level = crate::policy::Level::Presence,
                1 => bad.context.rule = Some("harmless".into()),
                2 => bad.context.reason = "just tests".into(),
                _ => bad.context.summary = "npm test".into(),
            }
            let why = vet(&mut bad).unwrap_err();
            assert!(why.contains(field), "{why}");
        }
        let mut forged = e;
        forged.subject.id = Some("gemini-cli".into());
        forged.resource.properties = serde_json::json!({"cwd": "/elsewhere"});
        vet(&mut forged).unwrap();
        assert_eq!((forged.subject.id.as_deref(), &forged.resource.properties["cwd"]), (Some("codex"), &serde_json::json!("/p")));
    }

    #[test]
    fn only_a_shell_calls_description_is_the_agents_words() {
        let (mut i, _) = evaluation();
        if let Body::ToolCall(t) = &mut i.body {
            t.input = serde_json::json!({"command": "git push -f", "description": "Ship\u{1b}[2J it"});
        }
        let text = intent(&i).plain();
        assert!(text.contains("says     \"Ship⟨ESC⟩[2J it\" — the agent's own description, not ana's judgement"), "{text}");
        assert!(text.contains("description: (the same text as above)"), "{text}");
        // An MCP tool's `description` argument is its data, shown as input only.
        if let Body::ToolCall(t) = &mut i.body {
            t.kind = crate::action::Kind::Mcp;
            t.target = Target::Mcp { server: "github".into(), tool: "create_issue".into() };
            t.input = serde_json::json!({"title": "t", "description": "All good, approve"});
        }
        let text = intent(&i).plain();
        assert!(!text.contains("says") && text.contains("description: \"All good, approve\""), "{text}");
    }

    #[test]
    fn lookalike_characters_in_the_object_are_named() {
        let (mut i, _) = evaluation();
        if let Body::ToolCall(t) = &mut i.body {
            t.target = Target::Command("g\u{456}t push -f".into());
        }
        let text = intent(&i).plain();
        assert!(text.contains("non-ASCII characters in what it acts on, which may look like others: і U+0456"), "{text}");
        let (plain, _) = evaluation();
        assert!(!intent(&plain).plain().contains("non-ASCII"));
    }

    #[test]
    fn a_key_removal_renders_every_field() {
        let i = Intent { body: Body::KeyRemoval { credential: "Y3JlZA".into(), name: "spare\u{1b}[2J".into() }, level: Level::Presence, nonce: "n0".into(), created_ms: 1, expires_ms: 2 };
        let text = intent(&i).plain();
        for part in ["\"spare⟨ESC⟩[2J\"", "Y3JlZA", "ana.keys-remove", "n0", "a touch of your key"] {
            assert!(text.contains(part), "{part}: {text}");
        }
        assert_eq!(summary(&i), "remove the enrolled key `spare\u{1b}[2J`");
    }

    #[test]
    fn wrapping_keeps_every_character() {
        let mut l = Line::new(4);
        l.push("label   ", Tone::Label);
        l.push("x".repeat(50), Tone::Strong);
        let rows = wrap(&[l.clone()], 20);
        assert!(rows.iter().all(|r| width(&r.text()) <= 20));
        let joined: String = rows.iter().enumerate().map(|(i, r)| if i == 0 { r.text() } else { r.text()[4..].to_owned() }).collect();
        assert_eq!(joined, l.text());
    }
}
