//! What you see is what you sign, as properties: for arbitrary tool inputs — every control and
//! invisible character class, huge lines, thousands of lines — the TUI, scrolled through the whole
//! request, and the `--plain` output show every field of the signed intent unambiguously, and no
//! raw control character reaches the terminal.

use ana::action::{Agent, Kind};
use ana::intent::{Body, Intent, Target, ToolCall};
use ana::policy::Level;
use ana::protocol::Pending;
use ana::render::{self, escape, is_hidden, unescape};
use ana::tui::state::{Key, State};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Map, Value};

const NOW: u64 = 1_795_920_000_000;

/// One character from every class the renderer must handle.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range(' ', '~'),
        2 => prop::sample::select(vec!['\n', '\r', '\t', '\u{8}', '\u{1b}', '\0', '\u{7}', '\u{7f}', '\u{85}', '\u{9b}', ' ']),
        2 => prop::sample::select(vec![
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}',
            '\u{061C}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{E0001}', '\u{E0041}', '\u{E007F}',
            '\u{FE0F}', '\u{E0100}', '\u{00A0}', '\u{3000}', '\u{2028}', '\u{2029}', '\u{E000}', '\u{FFFE}',
        ]),
        1 => prop::sample::select(vec!['⟨', '⟩', '⏎', '⇥', '漢', '😀', 'é', '│', '▼']),
        // Zero-width characters that join the grapheme before them only sometimes: combining
        // marks, Hangul vowel and final jamo, emoji modifiers and joiners, a spacing mark.
        1 => prop::sample::select(vec![
            '\u{0301}', '\u{0308}', '\u{20DD}', '\u{1100}', '\u{1168}', '\u{11A8}', '\u{D7B0}', '\u{D7CB}', '\u{AC00}', '\u{1F3FB}', '\u{0903}', '\u{093F}',
            '\u{1F1E6}', '\u{0E31}', '\u{302A}', '\u{3099}', '\u{FF9E}',
        ]),
        1 => any::<char>(),
    ]
}

fn short() -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..40).prop_map(|v| v.into_iter().collect())
}

/// Text that may be huge: one long line, thousands of lines, or long runs of spaces.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(any_char(), 0..200).prop_map(|v| v.into_iter().collect::<String>()),
        1 => (short(), 1000usize..20_000).prop_map(|(s, n)| format!("{s}{}{s}&& git push --force origin main", " ".repeat(n))),
        1 => (short(), 100usize..3000).prop_map(|(s, n)| format!("{s}{}git push --force origin main", "\n".repeat(n))),
        1 => (short(), 200usize..2000).prop_map(|(s, n)| (0..n).map(|i| format!("line {i} {s}\n")).collect::<String>()),
        1 => (short(), 5000usize..30_000).prop_map(|(s, n)| format!("{}{s}", "x".repeat(n))),
    ]
}

fn input() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[a-z_]{1,10}", prop_oneof![3 => text().prop_map(Value::from), 1 => any::<bool>().prop_map(Value::from), 1 => (-1000i64..1000).prop_map(Value::from)]), 0..4)
        .prop_map(|members| Value::Object(members.into_iter().collect::<Map<String, Value>>()))
}

fn intent() -> impl Strategy<Value = Intent> {
    (text(), short(), short(), short(), short(), text(), input()).prop_map(|(command, cwd, session, tool, rule, reason, mut input)| {
        input.as_object_mut().expect("an object").insert("command".into(), command.clone().into());
        Intent {
            body: Body::ToolCall(ToolCall {
                agent: Agent::Codex,
                session,
                cwd: format!("/{cwd}"),
                tool: format!("T{tool}"),
                kind: Kind::Exec,
                target: Target::Command(command),
                input,
                rule: Some(rule),
                reason,
            }),
            level: Level::Presence,
            nonce: "bm9uY2Utbm9uY2Utbm9uY2U".into(),
            created_ms: NOW,
            expires_ms: NOW + 300_000,
        }
    })
}

fn queued(i: &Intent) -> Pending {
    let mut evaluation = ana::cmd::approval::evaluation(i, NOW + 90_000);
    ana::render::vet(&mut evaluation).expect("the hook's own evaluation agrees with its intent");
    Pending { id: 1, evaluation, received_ms: NOW, state: ana::protocol::PendingState::Waiting, authenticator: "USB security key".into(), software: false }
}

/// Every text field of the intent, and whether it is shown line by line (multi-line text) or on
/// one line.
fn fields(i: &Intent) -> Vec<(String, bool)> {
    let t = i.tool_call().expect("a tool call");
    let Target::Command(command) = &t.target else { unreachable!() };
    let mut out = vec![
        (t.session.clone(), false),
        (t.cwd.clone(), false),
        (t.tool.clone(), false),
        (t.rule.clone().unwrap_or_default(), false),
        (t.reason.clone(), false),
        (i.nonce.clone(), false),
        (command.clone(), true),
    ];
    for (k, v) in t.input.as_object().expect("an object") {
        match v {
            Value::String(s) if s == command && s.len() > 1 => {}
            Value::String(s) => out.push((s.clone(), s.contains('\n'))),
            other => out.push((format!("{k}: {other}"), false)),
        }
    }
    out
}

/// Whether `shown` holds `field` unambiguously: escaped whole, or (multi-line text) each of its
/// lines escaped.
fn holds(shown: &str, field: &str, multi_line: bool) -> bool {
    if multi_line { field.split('\n').all(|line| shown.contains(&escape(line))) } else { shown.contains(&escape(field)) }
}

fn no_raw_controls(text: &str) -> Result<(), TestCaseError> {
    match text.chars().find(|c| *c != '\n' && is_hidden(*c)) {
        Some(c) => Err(TestCaseError::fail(format!("a raw {c:?} is on screen"))),
        None => Ok(()),
    }
}

/// The rows of the request pane, scrolled through from top to bottom: row index → its text
/// without whitespace (wide characters take two cells).
fn scrolled(p: &Pending, width: u16, height: u16) -> Result<(Vec<Option<String>>, String), TestCaseError> {
    let mut s = State::new(ana::tui::state::Palette::Colour);
    s.now_ms = NOW;
    s.set_queue(vec![p.clone()]);
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let mut seen: Vec<Option<String>> = Vec::new();
    let mut everything = String::new();
    loop {
        // A full redraw: the test backend keeps the cell after a wide character from the frame
        // before, which a terminal covers with the glyph.
        t.clear().expect("clears");
        t.draw(|f| ana::tui::view::render(f, &s)).expect("draws");
        let buf = t.backend().buffer();
        let top = s.scroll.min(s.max_scroll.get());
        // The pane lies between its title row and the next bottom border.
        let line = |y: u16| (0..width).map(|x| buf[(x, y)].symbol()).collect::<String>();
        let title = (0..height).find(|y| line(*y).starts_with("┌ request #")).ok_or_else(|| TestCaseError::fail("no request pane"))?;
        let bottom = (title + 1..height).find(|y| line(*y).starts_with('└')).ok_or_else(|| TestCaseError::fail("no bottom border"))?;
        let (top_row, rows) = (title + 1, (bottom - title - 1) as usize);
        for r in 0..rows {
            let row: String = (1..width - 1).map(|x| buf[(x, top_row + r as u16)].symbol()).collect();
            everything.push_str(&row);
            everything.push('\n');
            let at = top + r;
            if seen.len() <= at {
                seen.resize(at + 1, None);
            }
            seen[at] = Some(row.chars().filter(|c| !c.is_whitespace()).collect());
        }
        for y in 0..height {
            let all: String = (0..width).map(|x| buf[(x, y)].symbol()).collect();
            no_raw_controls(&all)?;
        }
        s.key(Key::PageDown);
        if s.scroll.min(s.max_scroll.get()) == top {
            return Ok((seen, everything));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn escaping_is_visible_and_unambiguous(s in text()) {
        let e = escape(&s);
        prop_assert!(!e.contains('\n'));
        no_raw_controls(&e)?;
        prop_assert_eq!(unescape(&e), Some(s));
    }

    #[test]
    fn plain_output_shows_every_signed_field(i in intent()) {
        let p = queued(&i);
        let shown = ana::cmd::prompt::plain_lines(&p, None, NOW).join("\n");
        no_raw_controls(&shown)?;
        for (field, multi_line) in fields(&i) {
            prop_assert!(holds(&shown, &field, multi_line), "{:?} is not shown", field);
        }
        let view = render::intent(&i);
        if view.hidden > 0 {
            prop_assert!(shown.contains("control or invisible character"), "the hidden characters are not announced");
        }
    }

    #[test]
    fn scrolling_the_tui_reaches_every_row_of_the_rendering(i in intent(), width in 40u16..140) {
        let p = queued(&i);
        let height = 24;
        let (seen, _) = scrolled(&p, width, height)?;
        let s = State::new(ana::tui::state::Palette::Colour);
        let expected = render::wrap(&ana::tui::view::request_lines(&s, &p), width as usize - 2);
        // A request shorter than the pane leaves blank rows below it, and nothing else.
        for (n, row) in seen.iter().enumerate().skip(expected.len()) {
            prop_assert!(row.as_deref().is_none_or(str::is_empty), "row {} past the end holds {:?}", n, row);
        }
        for (n, row) in expected.iter().enumerate() {
            let want: String = row.text().chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(seen.get(n).cloned().flatten(), Some(want), "row {} never reached the screen", n);
        }
        // The fields are all there once the wrapping is undone.
        let unwrapped: String = seen.iter().flatten().map(String::as_str).collect();
        for (field, multi_line) in fields(&i) {
            let parts: Vec<String> = if multi_line { field.split('\n').map(escape).collect() } else { vec![escape(&field)] };
            for part in parts {
                let part: String = part.chars().filter(|c| !c.is_whitespace()).collect();
                prop_assert!(unwrapped.contains(&part), "{:?} is not on any screen", part);
            }
        }
    }
}
