//! `zerodown workshop watch DIR`: the room at a glance, from the students' heartbeats. One
//! line per student — stuck ones first and marked in words, not only in colour — with the
//! mission, the game time, how long since their last command, the hints used, the last
//! command, and the missions finished (✔ passed, ✖ failed) and abandoned.

use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use super::view::fit;
use crate::app::now_unix;
use crate::time::clock;
use crate::workshop::live::{Read, Row, State, read_all, room};

/// What the watch screen shows.
#[derive(Debug, Clone)]
pub struct Room<'a> {
    pub rows: &'a [Row],
    /// The folder watched, for the title.
    pub dir: &'a str,
    /// Heartbeat files that could not be read.
    pub unreadable: usize,
    pub stuck: Duration,
    /// How far the list is scrolled.
    pub scroll: usize,
    pub theme: &'a Theme,
}

/// `2m05s`-style idle time: minutes and seconds.
fn idle(secs: u64) -> String {
    clock(secs as f64)
}

fn state(row: &Row, theme: &Theme) -> (String, Style) {
    match row.state {
        State::Stuck => (format!("⚠ stuck {}", idle(row.idle_s)), theme.bad),
        State::Silent => (format!("? silent {}", idle(row.age_s)), theme.warn),
        State::Playing => ("playing".into(), theme.good),
        State::Between => (row.beat.screen.clone(), theme.text),
        State::Gone => ("quit".into(), theme.dim),
    }
}

/// `✔03 ✖05 ↩07`: finished missions by number, and the abandoned ones.
fn done(row: &Row) -> String {
    let num = |id: &str| id.chars().take(2).collect::<String>();
    let mut parts: Vec<String> = row
        .beat
        .finished
        .iter()
        .map(|f| format!("{}{}", if f.passed { "✔" } else { "✖" }, num(&f.mission)))
        .collect();
    parts.extend(row.beat.abandoned.iter().map(|m| format!("↩{}", num(m))));
    parts.join(" ")
}

/// Column widths: student, mission, state, game time, idle, hints, last command; the
/// missions done take what is left. Below 100 columns the mission is its number.
fn widths(width: u16) -> [usize; 7] {
    if width < 100 {
        [11, 4, 15, 6, 6, 7, 18]
    } else {
        [11, 20, 15, 6, 6, 7, 28]
    }
}
const HEADERS: [&str; 8] = [
    "student",
    "mission",
    "state",
    "time",
    "idle",
    "hints",
    "last command",
    "done",
];

fn cells(row: &Row, theme: &Theme, narrow: bool) -> Vec<(String, Style)> {
    let b = &row.beat;
    let mission = b.mission.clone().unwrap_or_else(|| "—".into());
    let mission = if narrow {
        mission.chars().take(2).collect()
    } else {
        mission
    };
    let (state, style) = state(row, theme);
    vec![
        (
            b.player.clone(),
            if matches!(row.state, State::Stuck | State::Silent) {
                style
            } else {
                theme.text
            },
        ),
        (mission, theme.text),
        (state, style),
        (clock(b.game_time_s as f64), theme.dim),
        (idle(row.idle_s), theme.dim),
        (b.hints_used.to_string(), theme.dim),
        (b.last_command.clone().unwrap_or_default(), theme.accent),
        (done(row), theme.text),
    ]
}

/// One line of cells, each cut to its column (the last to what is left).
fn line(cells: Vec<(String, Style)>, width: u16) -> Line<'static> {
    let mut spans = Vec::new();
    let widths = widths(width);
    for (i, (text, style)) in cells.into_iter().enumerate() {
        let w = widths.get(i).copied();
        let text = match w {
            Some(w) => {
                let cut = fit(Line::raw(text), u16::try_from(w - 1).unwrap_or(u16::MAX));
                let shown: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
                let pad = w.saturating_sub(shown.chars().count());
                format!("{shown}{}", " ".repeat(pad))
            }
            None => text,
        };
        spans.push(Span::styled(text, style));
    }
    fit(Line::from(spans), width)
}

impl Widget for &Room<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let stuck = self.rows.iter().filter(|r| r.state == State::Stuck).count();
        let playing = self
            .rows
            .iter()
            .filter(|r| matches!(r.state, State::Playing | State::Stuck))
            .count();
        let mut lines = vec![
            fit(
                Line::styled(format!("zerodown · watching {}", self.dir), t.title),
                area.width,
            ),
            fit(
                Line::styled(
                    format!(
                        "{} · {playing} playing · {stuck} stuck (no command for {}) · refreshes every second",
                        crate::words::count(self.rows.len(), "student"),
                        idle(self.stuck.as_secs())
                    ),
                    if stuck > 0 { t.warn } else { t.dim },
                ),
                area.width,
            ),
            Line::raw(""),
            line(
                HEADERS
                    .iter()
                    .map(|h| match *h {
                        "mission" if area.width < 100 => ("no.".to_string(), t.dim),
                        h => (h.to_string(), t.dim),
                    })
                    .collect(),
                area.width,
            ),
        ];
        if self.rows.is_empty() {
            lines.push(fit(
                Line::styled(
                    "no heartbeats yet: students run `zerodown play --code CODE --reports <this folder>`",
                    t.dim,
                ),
                area.width,
            ));
        }
        let room = usize::from(area.height).saturating_sub(lines.len() + 2);
        for row in self.rows.iter().skip(self.scroll).take(room) {
            lines.push(line(cells(row, t, area.width < 100), area.width));
        }
        let left = self.rows.len().saturating_sub(self.scroll + room);
        let mut foot = String::from("q quit · ↑/↓ scroll · ✔ passed ✖ failed ↩ abandoned");
        if left > 0 {
            foot = format!("↓ {left} more · {foot}");
        }
        if self.unreadable > 0 {
            foot = format!(
                "{} unreadable · {foot}",
                crate::words::count(self.unreadable, "heartbeat file")
            );
        }
        for (i, l) in lines.into_iter().enumerate() {
            let y = area.y + u16::try_from(i).unwrap_or(u16::MAX);
            if y >= area.bottom() {
                break;
            }
            l.render(Rect::new(area.x, y, area.width, 1), buf);
        }
        if area.height > 0 {
            let y = area.bottom() - 1;
            fit(Line::styled(foot, t.dim), area.width)
                .render(Rect::new(area.x, y, area.width, 1), buf);
        }
    }
}

/// The watch screen until q, Esc or Ctrl-C: the folder is read again every second.
///
/// # Errors
/// The terminal cannot be used.
pub fn run(
    dir: &std::path::Path,
    class: Option<&str>,
    stuck: Duration,
    settings: &super::Settings,
) -> std::io::Result<()> {
    let theme = &settings.theme();
    let mut terminal = ratatui::try_init()?;
    let shown = dir.display().to_string();
    let mut scroll = 0usize;
    let result = loop {
        let reads = read_all(dir).unwrap_or_default();
        let unreadable = reads
            .iter()
            .filter(|r| matches!(r, Read::Unreadable { .. }))
            .count();
        let rows = room(&reads, now_unix(), stuck, class);
        scroll = scroll.min(rows.len().saturating_sub(1));
        let view = Room {
            rows: &rows,
            dir: &shown,
            unreadable,
            stuck,
            scroll,
            theme,
        };
        let drawn = terminal.draw(|f| {
            f.render_widget(&view, f.area());
            super::view::settle(f.buffer_mut(), settings, theme);
        });
        if let Err(e) = drawn {
            break Err(e);
        }
        match event::poll(Duration::from_secs(1)) {
            Ok(false) => {}
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) => match k.code {
                    KeyCode::Char('q') | KeyCode::Esc => break Ok(()),
                    KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                        break Ok(());
                    }
                    KeyCode::Down | KeyCode::Char('j') => scroll += 1,
                    KeyCode::Up | KeyCode::Char('k') => scroll = scroll.saturating_sub(1),
                    _ => {}
                },
                Ok(_) => {}
                Err(e) => break Err(e),
            },
            Err(e) => break Err(e),
        }
    };
    ratatui::restore();
    result
}
