//! The play screen: header, fleet, traffic, charts, objectives, log, console and footer.
//! `Layout` is computed from the area alone, so the mouse hit-test and the view agree.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use super::console::Feedback;
use super::fleet::{self, Grid};
use super::game::Game;
use super::keymap::Action;
use super::plot::{self, CHARTS};
use super::{Theme, view};
use crate::sim::{Severity, VersionId};
use crate::time::{TICKS_PER_SEC, clock};

/// Where each panel goes.
#[derive(Debug, Clone, Copy)]
pub struct PlayLayout {
    pub header: Rect,
    pub fleet: Rect,
    pub objectives: Rect,
    pub traffic: Rect,
    pub charts: Rect,
    pub log: Rect,
    pub console: Rect,
    pub footer: Rect,
}

impl PlayLayout {
    pub fn new(area: Rect, game: &Game) -> Self {
        let [header, body, console, footer] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ]));
        let log_h = (body.height / 4).clamp(5, 14);
        let [top, log] = body.layout(&Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(log_h),
        ]));
        let left_w = (area.width * 2 / 5).clamp(36, 64);
        let [left, right] = top.layout(&Layout::horizontal([
            Constraint::Length(left_w),
            Constraint::Fill(1),
        ]));
        let servers = game.sim.servers();
        let sample = servers.first().map_or("web-01", |s| s.name.as_str());
        let fleet_h = fleet::wanted_height(
            servers.len(),
            left_w.saturating_sub(2),
            sample,
            top.height.saturating_sub(6),
        );
        let [fleet, objectives] = left.layout(&Layout::vertical([
            Constraint::Length(fleet_h),
            Constraint::Fill(1),
        ]));
        let traffic_h = game.sim.versions().len() as u16 + 2;
        let [traffic, charts] = right.layout(&Layout::vertical([
            Constraint::Length(traffic_h),
            Constraint::Fill(1),
        ]));
        Self {
            header,
            fleet,
            objectives,
            traffic,
            charts,
            log,
            console,
            footer,
        }
    }

    /// The fleet grid as drawn.
    pub fn grid(&self, game: &Game) -> Grid {
        let servers = game.sim.servers();
        let sample = servers.first().map_or("web-01", |s| s.name.as_str());
        Grid::new(
            Block::bordered().inner(self.fleet),
            servers.len(),
            sample,
            game.selected,
        )
    }
}

/// Play-screen actions. Returns whether anything visible changed.
pub fn update(g: &mut Game, action: Action, size: (u16, u16)) -> bool {
    let area = Rect::new(0, 0, size.0, size.1);
    match action {
        Action::Tick => {
            if g.paused {
                return false;
            }
            g.step();
        }
        Action::TogglePause => g.paused = !g.paused,
        Action::Faster => g.change_speed(true),
        Action::Slower => g.change_speed(false),
        Action::NextEvent => g.next_event(),
        Action::OpenConsole => g.console.open(),
        Action::OpenFilter => g.filter_open = true,
        Action::AskQuit => g.confirm_quit = true,
        Action::No => g.confirm_quit = false,
        Action::NextCharts => g.chart_page += 1,
        Action::Hint => g.hints_shown = (g.hints_shown + 1).min(g.sim.mission().hints.len()),
        Action::Left | Action::Right | Action::Up | Action::Down => {
            let cols = PlayLayout::new(area, g).grid(g).cols;
            let (dx, dy) = match action {
                Action::Left => (-1, 0),
                Action::Right => (1, 0),
                Action::Up => (0, -1),
                _ => (0, 1),
            };
            g.move_selection(dx, dy, cols);
        }
        Action::Click(x, y) => {
            let grid = PlayLayout::new(area, g).grid(g);
            match grid.hit(x, y, g.sim.servers().len()) {
                Some(i) => g.selected = i,
                None => return false,
            }
        }
        Action::Input(c) if g.console.open => g.console.push(c),
        Action::Input(c) if g.filter_open => g.filter.push(c),
        Action::Backspace if g.console.open => g.console.backspace(),
        Action::Backspace if g.filter_open => {
            g.filter.pop();
        }
        Action::Complete => g.console.complete(&g.vocab),
        Action::HistoryPrev => g.console.history_prev(),
        Action::HistoryNext => g.console.history_next(),
        Action::Confirm if g.console.open => {
            let line = g.console.take();
            if line.is_empty() {
                g.console.cancel();
            } else {
                g.run_line(&line);
            }
        }
        Action::Confirm => g.filter_open = false,
        Action::Back if g.console.open => g.console.cancel(),
        Action::Back => {
            g.filter.clear();
            g.filter_open = false;
        }
        _ => return false,
    }
    true
}

/// Draws the play screen.
pub fn render(
    g: &Game,
    theme: &Theme,
    marker: Marker,
    ctx: super::Ctx,
    area: Rect,
    buf: &mut Buffer,
) {
    let l = PlayLayout::new(area, g);
    header(g, theme, l.header, buf);
    fleet::render(g, theme, l.fleet, buf);
    objectives(g, theme, l.objectives, buf);
    traffic(g, theme, l.traffic, buf);
    charts(g, theme, marker, l.charts, buf);
    log(g, theme, l.log, buf);
    console_line(g, theme, l.console, buf);
    footer(g, theme, ctx, l.footer, buf);
    if g.confirm_quit {
        view::popup(
            " abandon the mission? (y/n) ",
            "y abandons and goes back to the missions · n keeps playing",
            theme,
            area,
            buf,
        );
    }
}

fn header(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let m = g.sim.mission();
    let score = g.sim.score();
    let left = (100.0 - score.error_budget_used_pct).clamp(0.0, 100.0);
    let bar_w = if area.width >= 120 { 10 } else { 5 };
    let filled = ((left / 100.0) * f64::from(bar_w)).round() as usize;
    let bar = "▰".repeat(filled) + &"▱".repeat(bar_w as usize - filled);
    let clock_span = if g.paused {
        Span::styled("⏸ paused", theme.warn.add_modifier(Modifier::REVERSED))
    } else {
        Span::styled(format!("▶ {}×", g.speed), theme.accent)
    };
    let mut spans = vec![
        Span::styled(" zerodown", theme.accent.add_modifier(Modifier::BOLD)),
        Span::styled(format!(" · {} ", m.title), theme.title),
        Span::raw("  "),
        clock_span,
        Span::styled(
            format!("  {} / {}", clock(g.sim.time_s()), clock(m.duration.secs())),
            theme.text,
        ),
    ];
    if let Some(d) = m.deadline.filter(|_| area.width >= 100) {
        spans.push(Span::styled(
            format!("  deadline {}", clock(d.secs())),
            theme.dim,
        ));
    }
    spans.push(Span::styled(
        format!("  SLO {:.1}%", m.slo.target * 100.0),
        theme.text,
    ));
    spans.push(Span::styled("  budget ", theme.text));
    spans.push(Span::styled(
        format!("{bar} {left:.0}%"),
        theme.budget(left),
    ));
    if g.alert_on() {
        spans.push(Span::styled(
            "  ⚠ ALERT ",
            theme.bad.add_modifier(Modifier::REVERSED),
        ));
    }
    Line::from(spans).render(area, buf);
}

fn objectives(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let m = g.sim.mission();
    let outcome = g.sim.outcome();
    let s = &outcome.score;
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(
            format!(" OBJECTIVES · {} points ", s.points),
            theme.title,
        ));
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("downtime {} s", s.downtime_s),
            if s.downtime_s > 0 {
                theme.bad
            } else {
                theme.good
            },
        ),
        Span::styled(
            format!(" · budget {:.0}%", s.error_budget_used_pct),
            theme.budget(100.0 - s.error_budget_used_pct),
        ),
        Span::styled(
            format!(" · users hit {:.1}%", s.users_affected_pct),
            theme.text,
        ),
    ])];
    for o in &outcome.objectives {
        let (glyph, style) = if o.met {
            ("✔", theme.good)
        } else {
            ("○", theme.dim)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{glyph} "), style),
            Span::styled(o.text.clone(), theme.text),
        ]));
    }
    if let Some(d) = m.deadline {
        let left = d.secs() - g.sim.time_s();
        let text = if left > 0.0 {
            format!("deadline {} · {} left", clock(d.secs()), clock(left))
        } else {
            format!("deadline {} passed", clock(d.secs()))
        };
        lines.push(Line::styled(
            text,
            if left > 60.0 { theme.dim } else { theme.warn },
        ));
    }
    // Score and objectives never wrap (all of them stay visible at 80×24, truncated if
    // need be); the narrator and the tips below wrap into what is left.
    let inner = block.inner(area);
    block.render(area, buf);
    let fixed = lines.len() as u16;
    let [top, rest] = inner.layout(&Layout::vertical([
        Constraint::Length(fixed),
        Constraint::Fill(1),
    ]));
    Paragraph::new(lines).render(top, buf);
    let mut lines = Vec::new();
    if let Some(e) = g
        .sim
        .events()
        .iter()
        .rev()
        .find(|e| e.text.starts_with("» "))
    {
        lines.push(Line::styled(
            e.text.clone(),
            theme.accent.add_modifier(Modifier::ITALIC),
        ));
    }
    for (i, h) in m.hints.iter().take(g.hints_shown).enumerate() {
        lines.push(Line::styled(format!("tip {}: {h}", i + 1), theme.warn));
    }
    if g.hints_shown == 0 && !m.hints.is_empty() {
        lines.push(Line::styled("t shows a tip", theme.dim));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(rest, buf);
}

fn traffic(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let last = g.sim.history().last();
    let total = last.map_or(0, |m| m.arrived);
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(
            format!(" TRAFFIC {total} req/s · demand {:.0} ", g.sim.demand_rps()),
            theme.title,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let label_w = 4 + g
        .sim
        .versions()
        .iter()
        .map(|v| v.name.chars().count())
        .max()
        .unwrap_or(2) as u16;
    let bar_w = inner.width.saturating_sub(label_w + 24).max(4);
    for (i, (v, y)) in g
        .sim
        .versions()
        .iter()
        .zip(inner.y..inner.bottom())
        .enumerate()
    {
        let id = VersionId(i as u16);
        let vs = last
            .and_then(|m| m.by_version.get(i))
            .copied()
            .unwrap_or_default();
        let share = if total > 0 {
            vs.arrived as f64 / total as f64
        } else {
            0.0
        };
        let filled = (share * f64::from(bar_w)).round() as usize;
        let line = Line::from(vec![
            Span::styled(
                format!(
                    "{} {:<w$} ",
                    Theme::version_glyph(id),
                    v.name,
                    w = label_w as usize - 3
                ),
                theme.version(id),
            ),
            Span::styled("█".repeat(filled), theme.version(id)),
            Span::styled(
                "░".repeat(bar_w as usize - filled.min(bar_w as usize)),
                theme.dim,
            ),
            Span::styled(format!(" {:>3.0}%", share * 100.0), theme.text),
            Span::styled(
                format!("  {}/{} in service", vs.in_service, vs.servers),
                theme.dim,
            ),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
    }
}

fn charts(g: &Game, theme: &Theme, marker: Marker, area: Rect, buf: &mut Buffer) {
    let cols = (area.width / 36).max(1);
    let rows = (area.height / 6).max(1);
    let slots = usize::from(cols * rows).min(CHARTS.len());
    let shown = usize::from(cols).min(slots);
    let rows_used = slots.div_ceil(shown) as u16;
    let secs = if area.width >= 100 { 300 } else { 120 };
    let row_areas = area.layout_vec(&Layout::vertical(vec![
        Constraint::Fill(1);
        rows_used as usize
    ]));
    for (r, row) in row_areas.iter().enumerate() {
        let in_row = shown.min(slots - r * shown);
        let cells = row.layout_vec(&Layout::horizontal(vec![Constraint::Fill(1); in_row]));
        for (c, cell) in cells.iter().enumerate() {
            let kind = CHARTS[(g.chart_page * slots + r * shown + c) % CHARTS.len()];
            plot::render(kind, &g.sim, theme, marker, secs, *cell, buf);
        }
    }
}

fn log(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let filter = g.filter.to_lowercase();
    let title_right = if g.filter_open {
        Span::styled(
            format!(" /{}▏ ", g.filter),
            theme.accent.add_modifier(Modifier::REVERSED),
        )
    } else if g.filter.is_empty() {
        Span::styled(" / filter ", theme.dim)
    } else {
        Span::styled(format!(" filter: {} ", g.filter), theme.accent)
    };
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(" LOG ", theme.title))
        .title(Line::from(title_right).right_aligned());
    let rows = block.inner(area).height as usize;
    let mut events: Vec<_> = g
        .sim
        .events()
        .iter()
        .rev()
        .filter(|e| filter.is_empty() || e.text.to_lowercase().contains(&filter))
        .take(rows)
        .collect();
    events.reverse();
    let lines: Vec<Line> = events
        .iter()
        .map(|e| {
            let style = if e.text.starts_with("» ") {
                theme.accent.add_modifier(Modifier::ITALIC)
            } else {
                theme.severity(e.severity)
            };
            Line::from(vec![
                Span::styled(
                    format!("{:>5} ", clock(e.tick as f64 / TICKS_PER_SEC as f64)),
                    theme.dim,
                ),
                Span::styled(
                    format!("{} ", e.severity.glyph()),
                    theme.severity(e.severity),
                ),
                Span::styled(
                    e.text.clone(),
                    if e.severity == Severity::Info {
                        style
                    } else {
                        theme.severity(e.severity)
                    },
                ),
            ])
        })
        .collect();
    Paragraph::new(lines).block(block).render(area, buf);
}

fn console_line(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let c = &g.console;
    let line = if c.open {
        let mut spans = vec![Span::styled(":", theme.accent)];
        let bad_col = match &c.feedback {
            Feedback::Invalid(e) => Some(e.column),
            _ => None,
        };
        let chars: Vec<char> = c.input.chars().collect();
        for (i, ch) in chars.iter().enumerate() {
            let style = if bad_col == Some(i) {
                theme
                    .bad
                    .add_modifier(Modifier::UNDERLINED | Modifier::REVERSED)
            } else {
                theme.text
            };
            spans.push(Span::styled(ch.to_string(), style));
        }
        if bad_col.is_some_and(|col| col >= chars.len()) {
            spans.push(Span::styled(
                " ",
                theme.bad.add_modifier(Modifier::REVERSED),
            ));
        }
        spans.push(Span::styled("▏", theme.accent));
        Line::from(spans)
    } else {
        match &c.feedback {
            Feedback::Done(t) => Line::from(vec![
                Span::styled("✔ ", theme.good),
                Span::styled(t.clone(), theme.text),
            ]),
            Feedback::Refused(t) => Line::from(vec![
                Span::styled("✖ refused: ", theme.bad),
                Span::styled(t.clone(), theme.text),
            ]),
            _ => Line::styled(
                ": type a command — try  drain web-01  (Tab completes, ? lists them)",
                theme.dim,
            ),
        }
    };
    line.render(area, buf);
}

fn footer(g: &Game, theme: &Theme, ctx: super::Ctx, area: Rect, buf: &mut Buffer) {
    match &g.console.feedback {
        Feedback::Invalid(e) if g.console.open => {
            let caret = " ".repeat(e.column + 1) + "^ ";
            let mut text = e.message.clone();
            if let Some(s) = &e.suggestion {
                text = format!("{text} — did you mean `{s}`?");
            }
            Line::from(vec![
                Span::styled(caret, theme.bad),
                Span::styled(text, theme.bad),
            ])
            .render(area, buf);
        }
        Feedback::Candidates(list) if g.console.open => {
            let text = if list.is_empty() {
                "no completion here".to_string()
            } else {
                list.join("  ")
            };
            Line::styled(format!(" {text}"), theme.accent).render(area, buf);
        }
        _ => view::footer(ctx, theme, area, buf),
    }
}
