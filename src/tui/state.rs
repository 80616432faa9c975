//! The prompt's state and what each key does to it. Pure: no terminal, no socket — so every key
//! is tested as a value.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::intent::Intent;
use crate::protocol::Pending;

/// A key press, independent of the terminal library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Up,
    Down,
    Backspace,
    PageUp,
    PageDown,
    Home,
    End,
    CtrlC,
}

/// What the prompt is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing the optional reason for a deny of request `id`.
    Reason {
        id: u64,
        text: String,
    },
    /// Typing the key's PIN for request `id` (shown masked).
    Pin {
        id: u64,
        text: String,
    },
}

/// What the caller must do after a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    Approve { id: u64, pin: Option<String> },
    Deny { id: u64, reason: Option<String> },
    Quit,
}

#[derive(Clone, Debug)]
pub struct State {
    pub pending: Vec<Pending>,
    pub selected: usize,
    pub mode: Mode,
    pub detail: bool,
    /// The last outcome or error, shown in the status line.
    pub message: Option<String>,
    /// Request ids a decision was sent for and not yet answered.
    pub deciding: Vec<u64>,
    pub now_ms: u64,
    /// When the queue last put a different request in front of the user (unix ms): `y` waits
    /// [`SETTLE_MS`] after that, so that a request swapped in under a keystroke meant for another
    /// is not approved by it.
    pub swapped_at_ms: u64,
    pub color: bool,
    /// The git branch of each request's cwd, read again by the prompt on every tick (cwd →
    /// branch): context, not signed.
    pub branches: std::collections::HashMap<String, String>,
    /// The root of the git work tree holding each request's cwd, read with the branch (cwd →
    /// root): context, not signed.
    pub projects: std::collections::HashMap<String, String>,
    /// The first row of the request's rendering on screen.
    pub scroll: usize,
    /// Set by the view: the rows the request pane shows, and the largest useful `scroll`.
    pub page: Cell<usize>,
    pub max_scroll: Cell<usize>,
    /// Set by the view: the terminal is too small to show a request, so nothing is decided.
    pub too_small: Cell<bool>,
    /// The selected request's wrapped rows, kept while the request, the width and the details
    /// toggle stay the same: a large Write is rendered once, not on every tick.
    pub rows: RefCell<Option<Rows>>,
}

/// Wrapped rows of one request at one width.
#[derive(Clone, Debug)]
pub struct Rows {
    pub id: u64,
    pub received_ms: u64,
    pub width: usize,
    pub detail: bool,
    pub rows: Rc<Vec<crate::render::Line>>,
}

/// How long `y` is held back after the queue put another request in front of the user.
pub const SETTLE_MS: u64 = 1500;

/// Whether the prompt draws in colour (`NO_COLOR` turns it off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    Colour,
    Monochrome,
}

impl State {
    /// An empty prompt drawn with `palette`.
    pub fn new(palette: Palette) -> State {
        State {
            pending: Vec::new(),
            selected: 0,
            mode: Mode::Normal,
            detail: false,
            message: None,
            deciding: Vec::new(),
            now_ms: 0,
            swapped_at_ms: 0,
            color: palette == Palette::Colour,
            branches: Default::default(),
            projects: Default::default(),
            scroll: 0,
            page: Cell::new(10),
            max_scroll: Cell::new(0),
            too_small: Cell::new(false),
            rows: RefCell::new(None),
        }
    }

    pub fn selected(&self) -> Option<&Pending> {
        self.pending.get(self.selected)
    }

    /// Replaces the queue. The selection stays on the same request when it is still there; a new
    /// request never moves it (new ones are appended, older ones stay visible).
    pub fn set_queue(&mut self, pending: Vec<Pending>) {
        let keep = self.selected().map(|p| p.id);
        self.pending = pending;
        self.selected = keep.and_then(|id| self.pending.iter().position(|p| p.id == id)).unwrap_or(0).min(self.pending.len().saturating_sub(1));
        if self.selected().map(|p| p.id) != keep {
            self.scroll = 0;
            if keep.is_some() {
                self.swapped_at_ms = self.now_ms;
            }
        }
        if let Mode::Reason { id, .. } | Mode::Pin { id, .. } = &self.mode
            && !self.pending.iter().any(|p| p.id == *id)
        {
            self.mode = Mode::Normal;
        }
        // A key that asked for its PIN: ask the user for it.
        if self.mode == Mode::Normal
            && let Some(p) = self.pending.iter().find(|p| p.state == crate::protocol::PendingState::Pin && !self.deciding.contains(&p.id))
        {
            self.mode = Mode::Pin { id: p.id, text: String::new() };
        }
    }

    /// The outcome of a decision sent earlier.
    pub fn decided(&mut self, id: u64, message: String) {
        self.deciding.retain(|d| *d != id);
        self.message = Some(message);
    }

    fn select(&mut self, i: usize) {
        if i != self.selected {
            self.scroll = 0;
        }
        self.selected = i;
    }

    /// The challenge (hex) of request `id` as this prompt shows it: a decision names it, so that
    /// it applies to this request and no other.
    pub fn shown(&self, id: u64) -> Option<String> {
        let p = self.pending.iter().find(|p| p.id == id)?;
        Some(crate::intent::hex(&crate::intent::challenge(&p.evaluation.context.intent).ok()?))
    }

    pub fn key(&mut self, key: Key) -> Effect {
        match (&mut self.mode, key) {
            (_, Key::CtrlC) => Effect::Quit,
            (Mode::Reason { id, text }, Key::Enter) => {
                let (id, text) = (*id, std::mem::take(text));
                self.mode = Mode::Normal;
                self.deciding.push(id);
                Effect::Deny { id, reason: (!text.trim().is_empty()).then_some(text) }
            }
            (Mode::Pin { id, text }, Key::Enter) => {
                let (id, pin) = (*id, std::mem::take(text));
                self.mode = Mode::Normal;
                self.deciding.push(id);
                Effect::Approve { id, pin: Some(pin) }
            }
            (Mode::Reason { .. } | Mode::Pin { .. }, Key::Esc) => {
                self.mode = Mode::Normal;
                Effect::None
            }
            (Mode::Reason { text, .. } | Mode::Pin { text, .. }, Key::Backspace) => {
                text.pop();
                Effect::None
            }
            (Mode::Reason { text, .. }, Key::Char(c)) => {
                if text.chars().count() < 500 {
                    text.push(c);
                }
                Effect::None
            }
            (Mode::Pin { text, .. }, Key::Char(c)) => {
                if text.chars().count() < 63 {
                    text.push(c);
                }
                Effect::None
            }
            (Mode::Reason { .. } | Mode::Pin { .. }, _) => Effect::None,
            (Mode::Normal, Key::Char('q')) | (Mode::Normal, Key::Esc) => Effect::Quit,
            (Mode::Normal, Key::Up | Key::Char('k')) => {
                self.select(self.selected.saturating_sub(1));
                Effect::None
            }
            (Mode::Normal, Key::Down | Key::Char('j')) => {
                self.select((self.selected + 1).min(self.pending.len().saturating_sub(1)));
                Effect::None
            }
            (Mode::Normal, Key::PageDown | Key::Char(' ')) => {
                self.scroll = self.scroll.saturating_add(self.page.get().max(1)).min(self.max_scroll.get());
                Effect::None
            }
            (Mode::Normal, Key::PageUp | Key::Char('b')) => {
                self.scroll = self.scroll.min(self.max_scroll.get()).saturating_sub(self.page.get().max(1));
                Effect::None
            }
            (Mode::Normal, Key::Home | Key::Char('g')) => {
                self.scroll = 0;
                Effect::None
            }
            (Mode::Normal, Key::End | Key::Char('G')) => {
                self.scroll = self.max_scroll.get();
                Effect::None
            }
            (Mode::Normal, Key::Char('d')) => {
                self.detail = !self.detail;
                Effect::None
            }
            (Mode::Normal, Key::Char('y' | 'n') | Key::Enter) if self.too_small.get() => {
                self.message = Some("the terminal is too small to show the request: enlarge it first".into());
                Effect::None
            }
            (Mode::Normal, Key::Char('y') | Key::Enter) => match self.selected() {
                Some(p) if Intent::from_value(&p.evaluation.context.intent).is_err() => {
                    self.message = Some(format!("#{} cannot be shown as what it asks, so it cannot be approved: deny it with n", p.id));
                    Effect::None
                }
                Some(p) if self.swapped_at_ms > 0 && self.now_ms.saturating_sub(self.swapped_at_ms) < SETTLE_MS => {
                    self.message = Some(format!("#{} has just taken the place of the request you were looking at: read it, then press y again", p.id));
                    Effect::None
                }
                Some(p) if !self.deciding.contains(&p.id) && !p.state.in_ceremony() => {
                    let id = p.id;
                    self.deciding.push(id);
                    self.message = None;
                    Effect::Approve { id, pin: None }
                }
                _ => Effect::None,
            },
            (Mode::Normal, Key::Char('n')) => {
                if let Some(p) = self.selected()
                    && !self.deciding.contains(&p.id)
                {
                    self.mode = Mode::Reason { id: p.id, text: String::new() };
                }
                Effect::None
            }
            (Mode::Normal, _) => Effect::None,
        }
    }
}
