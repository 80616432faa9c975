//! The interactive history browser (`ana history` on a terminal): the records as a list that
//! filters as you type, and one record whole — exactly what `ana history show ID` prints, its
//! proof verified — on Enter.
//!
//! Pure state and key handling ([`Browser::key`]) plus drawing ([`render`]); the terminal loop
//! and the database live in `cmd::history`. It reads only [`Entry`] values (one per record,
//! already escaped), never the database's types.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::state::Key;

/// One record as the list shows it: every text already escaped onto one line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub time: String,
    pub agent: String,
    pub kind: String,
    pub decision: String,
    /// Who decided: the key's name, or user, policy, timeout, grant, agent.
    pub who: String,
    pub rule: String,
    pub what: String,
    /// The reason, matched by the filter but not shown in the list.
    pub reason: String,
}

impl Entry {
    /// The text the filter searches, lower-cased.
    fn haystack(&self) -> String {
        format!("#{} {} {} {} {} {} {} {} {}", self.id, self.time, self.agent, self.kind, self.decision, self.who, self.rule, self.what, self.reason).to_lowercase()
    }
}

/// What the caller must do after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Load record `id` and give its lines to [`Browser::show`].
    Show(i64),
    Quit,
}

/// One record on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub id: i64,
    pub lines: Vec<String>,
    pub scroll: usize,
}

#[derive(Clone, Debug)]
pub struct Browser {
    entries: Vec<Entry>,
    haystacks: Vec<String>,
    /// What the user typed.
    pub query: String,
    /// Indices into `entries` of the records the query matches, newest first.
    pub matches: Vec<usize>,
    /// The selected row among `matches`.
    pub selected: usize,
    /// The record on screen, when one is.
    pub shown: Option<Shown>,
    /// How many records match the command line's filters in all (the list may hold fewer).
    pub total: u64,
    /// The zone the times are in ("local time (CET)", "UTC").
    pub zone: String,
    pub color: bool,
    /// Set by the view: rows the record pane shows, and the largest useful scroll.
    pub page: std::cell::Cell<usize>,
    pub max_scroll: std::cell::Cell<usize>,
}

impl Browser {
    pub fn new(entries: Vec<Entry>, total: u64, zone: String, color: bool) -> Browser {
        let haystacks = entries.iter().map(Entry::haystack).collect();
        let mut b = Browser {
            matches: Vec::new(),
            entries,
            haystacks,
            query: String::new(),
            selected: 0,
            shown: None,
            total,
            zone,
            color,
            page: std::cell::Cell::new(10),
            max_scroll: std::cell::Cell::new(0),
        };
        b.refilter();
        b
    }

    /// The records the query matches: every word of it, anywhere in the record, any case.
    fn refilter(&mut self) {
        let keep = self.selected_entry().map(|e| e.id);
        let words: Vec<String> = self.query.to_lowercase().split_whitespace().map(str::to_owned).collect();
        self.matches = self.haystacks.iter().enumerate().filter(|(_, h)| words.iter().all(|w| h.contains(w.as_str()))).map(|(i, _)| i).collect();
        // The selection stays on the same record while it still matches.
        self.selected = keep.and_then(|id| self.matches.iter().position(|i| self.entries[*i].id == id)).unwrap_or(0);
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.matches.get(self.selected).map(|i| &self.entries[*i])
    }

    /// Puts record `id` on screen, as `ana history show ID` prints it.
    pub fn show(&mut self, id: i64, lines: Vec<String>) {
        self.shown = Some(Shown { id, lines, scroll: 0 });
    }

    pub fn key(&mut self, key: Key) -> Effect {
        if key == Key::CtrlC {
            return Effect::Quit;
        }
        let page = self.page.get().max(1);
        if let Some(s) = &mut self.shown {
            let max = self.max_scroll.get();
            match key {
                Key::Esc | Key::Char('q') | Key::Backspace | Key::Enter => self.shown = None,
                Key::Down | Key::Char('j') => s.scroll = (s.scroll + 1).min(max),
                Key::Up | Key::Char('k') => s.scroll = s.scroll.saturating_sub(1),
                Key::PageDown | Key::Char(' ') => s.scroll = (s.scroll + page).min(max),
                Key::PageUp | Key::Char('b') => s.scroll = s.scroll.saturating_sub(page),
                Key::Home | Key::Char('g') => s.scroll = 0,
                Key::End | Key::Char('G') => s.scroll = max,
                _ => {}
            }
            return Effect::None;
        }
        match key {
            Key::Esc => Effect::Quit,
            // `q` quits while nothing is typed; after that it is part of the filter.
            Key::Char('q') if self.query.is_empty() => Effect::Quit,
            Key::Enter => self.selected_entry().map_or(Effect::None, |e| Effect::Show(e.id)),
            Key::Up => {
                self.selected = self.selected.saturating_sub(1);
                Effect::None
            }
            Key::Down => {
                self.selected = (self.selected + 1).min(self.matches.len().saturating_sub(1));
                Effect::None
            }
            Key::PageUp => {
                self.selected = self.selected.saturating_sub(page);
                Effect::None
            }
            Key::PageDown => {
                self.selected = (self.selected + page).min(self.matches.len().saturating_sub(1));
                Effect::None
            }
            Key::Home => {
                self.selected = 0;
                Effect::None
            }
            Key::End => {
                self.selected = self.matches.len().saturating_sub(1);
                Effect::None
            }
            Key::Backspace => {
                self.query.pop();
                self.refilter();
                Effect::None
            }
            Key::Char(c) if !c.is_control() => {
                if self.query.chars().count() < 200 {
                    self.query.push(c);
                    self.refilter();
                }
                Effect::None
            }
            _ => Effect::None,
        }
    }
}

fn style(b: &Browser, color: Color) -> Style {
    if b.color { Style::default().fg(color) } else { Style::default() }
}

/// `s` cut to `width` columns with `…`, padded to it.
fn cell(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let cut = crate::render::width(s) > width;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + usize::from(cut) > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if cut && width > 0 {
        out.push('…');
        used += 1;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

fn row(b: &Browser, e: &Entry, selected: bool, cols: usize) -> Line<'static> {
    let decision = match e.decision.as_str() {
        "deny" => style(b, Color::Red).add_modifier(Modifier::BOLD),
        "allow" => style(b, Color::Green).add_modifier(Modifier::BOLD),
        _ => Style::default(),
    };
    let fixed = 2 + 7 + 20 + 13 + 7 + 24;
    let what = cols.saturating_sub(fixed).max(8);
    let mut l = Line::from(vec![
        Span::raw(if selected { "▶ " } else { "  " }),
        Span::styled(format!("{:>6} ", e.id), style(b, Color::Cyan)),
        Span::raw(format!("{} ", cell(&e.time, 19))),
        Span::raw(format!("{} ", cell(&e.agent, 12))),
        Span::styled(format!("{} ", cell(&e.decision, 6)), decision),
        Span::styled(format!("{} ", cell(&e.rule, 23)), style(b, Color::Yellow)),
        Span::raw(cell(&e.what, what)),
    ]);
    if selected {
        l = l.style(Style::default().add_modifier(Modifier::REVERSED));
    }
    l
}

pub fn render(f: &mut Frame, b: &Browser) {
    let area = f.area();
    let [top, main, help] = Layout::vertical([Constraint::Length(3), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let count = if (b.entries.len() as u64) < b.total { format!("{} newest of {} records", b.entries.len(), b.total) } else { format!("{} records", b.entries.len()) };
    let filter = Line::from(vec![
        Span::styled("filter: ", style(b, Color::Gray).add_modifier(Modifier::BOLD)),
        Span::raw(crate::render::escape(&b.query)),
        Span::raw("▏"),
        Span::styled(format!("   {} of {count} match · times in {}", b.matches.len(), b.zone), style(b, Color::DarkGray)),
    ]);
    f.render_widget(Paragraph::new(filter).block(Block::default().borders(Borders::ALL).title(" ana history ")), top);

    let inner_h = main.height.saturating_sub(2) as usize;
    let inner_w = main.width.saturating_sub(2) as usize;
    b.page.set(inner_h.max(1));
    if let Some(s) = &b.shown {
        // Wrapped here, so that the scroll position counts rows on screen and nothing is cut.
        let lines: Vec<crate::render::Line> =
            s.lines.iter().map(|l| crate::render::Line { spans: vec![crate::render::Span { text: l.clone(), tone: crate::render::Tone::Text }], indent: 4 }).collect();
        let rows = crate::render::wrap(&lines, inner_w);
        let total = rows.len();
        b.max_scroll.set(total.saturating_sub(inner_h));
        let top_line = s.scroll.min(total.saturating_sub(inner_h));
        let bottom = (top_line + inner_h).min(total);
        let body: Vec<Line> = rows[top_line..bottom].iter().map(|l| Line::from(l.text())).collect();
        let mut block = Block::default().borders(Borders::ALL).title(format!(" record {} — as `ana history show {}` prints it ", s.id, s.id));
        if bottom < total {
            block = block.title_bottom(Line::from(Span::styled(format!(" ▼ {} more lines (PgDn/space) ", total - bottom), style(b, Color::Yellow))));
        }
        if top_line > 0 {
            block = block.title(Line::from(Span::styled(format!(" ▲ {top_line} above "), style(b, Color::Yellow))).right_aligned());
        }
        f.render_widget(Paragraph::new(body).block(block), main);
        f.render_widget(Paragraph::new("↑↓ PgUp/PgDn scroll   q/Esc/Enter back to the list   ctrl-c quit").style(style(b, Color::Gray)), help);
        return;
    }
    // The list, as a window that always holds the selection.
    let first = (b.selected + 1).saturating_sub(inner_h);
    let last = (first + inner_h).min(b.matches.len());
    let mut rows = Vec::new();
    if b.matches.is_empty() {
        rows.push(Line::from(Span::styled(if b.entries.is_empty() { "no records" } else { "no record matches the filter" }, style(b, Color::Gray))));
    }
    for (n, i) in b.matches.iter().enumerate().take(last).skip(first) {
        rows.push(row(b, &b.entries[*i], n == b.selected, inner_w));
    }
    let mut block = Block::default().borders(Borders::ALL).title(format!(" {:>7} {} {} {} {} WHAT ", "ID", cell("TIME", 19), cell("AGENT", 12), cell("RESULT", 6), cell("RULE", 23)));
    if first > 0 || last < b.matches.len() {
        block = block.title_bottom(Line::from(Span::styled(format!(" ▲ {first} above · ▼ {} below ", b.matches.len() - last), style(b, Color::Yellow))));
    }
    f.render_widget(Paragraph::new(rows).block(block), main);
    f.render_widget(Paragraph::new("type to filter   ↑↓ select   Enter the record and its proof   Esc quit (q: with an empty filter)").style(style(b, Color::Gray)), help);
}
