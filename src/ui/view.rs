//! The view: `impl Widget for &App` picks the screen; shared pieces (footer hints from the
//! keymap, popups, the too-small screen) live here. Read-only: nothing here changes state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::keymap::{self, Ctx};
use super::{App, MIN_HEIGHT, MIN_WIDTH, Screen, Theme, debrief, help, menu, play, sandbox};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(&self.theme, area, buf);
            return;
        }
        let ctx = self.ctx();
        match &self.screen {
            Screen::Title => menu::title(self, area, buf),
            Screen::Map => menu::map(self, area, buf),
            Screen::Briefing => menu::briefing(self, area, buf),
            Screen::Play(g) => play::render(g, &self.theme, self.settings.marker, ctx, area, buf),
            Screen::Debrief(d) => debrief::render(d, &self.theme, self.settings.marker, area, buf),
            Screen::Drill(d) => d.render(&self.theme, self.settings.marker, ctx, area, buf),
        }
        if let Some(h) = &self.help {
            help::render(h, &self.theme, area, buf);
        }
    }
}

/// The "enlarge the terminal" screen.
fn too_small(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::styled("zerodown", theme.title),
        Line::raw(""),
        Line::styled(
            format!("enlarge the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT}"),
            theme.warn,
        ),
        Line::styled(format!("(now {}×{})", area.width, area.height), theme.text),
        Line::raw(""),
        Line::styled("Ctrl-C quits", theme.dim),
    ];
    let h = (text.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    Paragraph::new(text)
        .centered()
        .wrap(Wrap { trim: true })
        .render(Rect::new(area.x, y, area.width, h), buf);
}

/// The footer: the current context's keys, from the keymap. When they do not all fit, the
/// last one (how to leave) stays and the ones before it that fit are shown.
pub fn footer(ctx: Ctx, theme: &Theme, area: Rect, buf: &mut Buffer) {
    footer_with(ctx, &|b| b.doc, theme, area, buf);
}

/// How the footer words a key (`""` leaves it out).
pub type KeyDoc<'a> = &'a dyn Fn(&keymap::Binding) -> &'static str;

/// The words of a mission's keys: for free play when `free_play` (the keys that lead back
/// to the missions quit there, and say so), without the hint key when the mission has no
/// hints (sandboxes, drills).
pub fn mission_doc(free_play: bool, has_hints: bool) -> impl Fn(&keymap::Binding) -> &'static str {
    move |b| {
        if b.action == keymap::Action::Hint && !has_hints {
            ""
        } else if free_play {
            sandbox::key_doc(b).unwrap_or_default()
        } else {
            b.doc
        }
    }
}

/// The footer with the keys worded by `doc`.
pub fn footer_with(ctx: Ctx, doc: KeyDoc<'_>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let hints: Vec<_> = keymap::footer(ctx).filter(|b| !doc(b).is_empty()).collect();
    let width = |b: &keymap::Binding| b.label.chars().count() + doc(b).chars().count() + 3;
    let room = usize::from(area.width).saturating_sub(1);
    let last_w = hints.last().map_or(0, |b| width(b));
    let mut used = 0;
    let mut spans = vec![Span::raw(" ")];
    for (i, b) in hints.iter().enumerate() {
        let is_last = i + 1 == hints.len();
        if !is_last && used + width(b) + last_w > room {
            continue;
        }
        used += width(b);
        spans.push(Span::styled(b.label, theme.accent));
        spans.push(Span::styled(format!(" {}  ", doc(b)), theme.dim));
    }
    Line::from(spans).render(area, buf);
}

/// A centered box with a title and one line of text, over whatever is below.
pub fn popup(title: &str, text: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let w = (text.chars().count() as u16 + 4)
        .max(title.chars().count() as u16 + 4)
        .min(area.width);
    let r = area.centered(Constraint::Length(w), Constraint::Length(3));
    Clear.render(r, buf);
    Paragraph::new(Line::styled(text.to_string(), theme.text))
        .centered()
        .block(
            Block::bordered()
                .border_style(theme.bad)
                .title(Span::styled(title.to_string(), theme.bad)),
        )
        .render(r, buf);
}
