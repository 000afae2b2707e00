//! The play screen: header, fleet, traffic, charts, objectives, log, console and footer.
//! `Layout` is computed from the area alone, so the mouse hit-test and the view agree.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget};

use super::console::Feedback;
use super::fleet::{self, Grid};
use super::game::Game;
use super::keymap::Action;
use super::{Theme, view};
use crate::command::Command;
use crate::time::clock;

mod charts;
mod console_line;
mod log;
pub mod markers;
mod objectives;
mod rollout;
mod traffic;

pub use console_line::{console_height, console_line};

/// Where each panel goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlayLayout {
    pub header: Rect,
    /// A replay's line(s) of who, how it ended and its markers (no rows otherwise).
    pub replay: Rect,
    pub fleet: Rect,
    pub objectives: Rect,
    pub traffic: Rect,
    /// The rollout panel, in whichever column has room (none when the mission has no
    /// rollout commands).
    pub rollout: Option<Rect>,
    pub charts: Rect,
    pub log: Rect,
    pub console: Rect,
    pub footer: Rect,
}

impl PlayLayout {
    pub fn new(area: Rect, game: &Game) -> Self {
        let console_h = console_height(&game.console, area.width);
        let replay_h = game
            .playback
            .as_ref()
            .map_or(0, |p| markers::height(p, area.width));
        let [header, replay, body, console, footer] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(replay_h),
            Constraint::Fill(1),
            Constraint::Length(console_h),
            Constraint::Length(1),
        ]));
        Self {
            header,
            replay,
            console,
            footer,
            ..Self::body(body, game)
        }
    }

    /// The panels alone, in `body` (a side-by-side replay lays out each run so).
    pub fn body(body: Rect, game: &Game) -> Self {
        let area = body;
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
        let sample = fleet::sample_name(servers);
        let fleet_h = fleet::wanted_height(
            servers.len(),
            left_w.saturating_sub(2),
            sample,
            top.height.saturating_sub(6),
        );
        let traffic_h = traffic::wanted_height(&game.sim);
        let objectives_h = game.sim.mission().objectives.len() as u16 + 5;
        // The rollout panel goes under the fleet when the objectives keep their lines
        // there, else above the charts (which page with `c` when they lose room).
        let (left_rollout, right_rollout) = if rollout::wanted(&game.sim) {
            let h = rollout::wanted_height(&game.sim, left.width, 8);
            if left.height >= fleet_h + h + objectives_h {
                (h, 0)
            } else {
                (0, rollout::wanted_height(&game.sim, right.width, 6))
            }
        } else {
            (0, 0)
        };
        let [fleet, left_ro, objectives] = left.layout(&Layout::vertical([
            Constraint::Length(fleet_h),
            Constraint::Length(left_rollout),
            Constraint::Fill(1),
        ]));
        let [traffic, right_ro, charts] = right.layout(&Layout::vertical([
            Constraint::Length(traffic_h),
            Constraint::Length(right_rollout),
            Constraint::Fill(1),
        ]));
        let rollout = if left_rollout > 0 {
            Some(left_ro)
        } else if right_rollout > 0 {
            Some(right_ro)
        } else {
            None
        };
        Self {
            fleet,
            objectives,
            traffic,
            rollout,
            charts,
            log,
            ..Self::default()
        }
    }

    /// The fleet, the charts and the log only, in `body` (half of a side-by-side replay on
    /// a small terminal): what a class compares, readable at 40 columns.
    pub fn reduced(body: Rect, game: &Game) -> Self {
        let servers = game.sim.servers();
        let fleet_h = fleet::wanted_height(
            servers.len(),
            body.width.saturating_sub(2),
            fleet::sample_name(servers),
            body.height / 3,
        );
        let log_h = (body.height / 3).clamp(4, 12);
        let [fleet, charts, log] = body.layout(&Layout::vertical([
            Constraint::Length(fleet_h),
            Constraint::Fill(1),
            Constraint::Length(log_h),
        ]));
        Self {
            fleet,
            charts,
            log,
            ..Self::default()
        }
    }

    /// The fleet grid as drawn.
    pub fn grid(&self, game: &Game) -> Grid {
        let servers = game.sim.servers();
        let sample = fleet::sample_name(servers);
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
    // A console `wait` runs until any key (a click still selects).
    if g.waiting.is_some() && !matches!(action, Action::Tick | Action::Click(..)) {
        g.cancel_wait();
        return true;
    }
    match action {
        Action::Tick => {
            if !g.clock_runs() {
                return false;
            }
            g.step();
        }
        Action::TogglePause => g.paused = !g.paused,
        Action::Faster => g.change_speed(true),
        Action::Slower => g.change_speed(false),
        Action::NextEvent => g.next_event(),
        Action::OpenConsole if g.playback.is_some() => open_goto(g),
        Action::OpenConsole => g.console.open(),
        Action::NextMarker | Action::PrevMarker if g.playback.is_some() => {
            g.jump_to_marker(action == Action::NextMarker, None);
        }
        Action::StepForward | Action::StepBack if g.playback.is_some() => {
            g.step_clock(action == Action::StepForward);
        }
        Action::OpenFilter => g.filter_open = true,
        Action::AskQuit => g.confirm_quit = true,
        Action::No => g.confirm_quit = false,
        Action::NextCharts => {
            let charts = PlayLayout::new(area, g).charts;
            g.console.feedback = Feedback::Done(charts::next_page(g, charts));
        }
        Action::FinishNow => g.finish_now(),
        Action::Promote => g.run_command(&Command::Promote { full: false }),
        Action::Abort => g.run_command(&Command::Abort),
        Action::Rollback => g.run_command(&Command::Rollback),
        Action::Hint => g.show_tip(),
        Action::Back if g.tip_open => g.tip_open = false,
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
        Action::Edit(e) if g.console.open => g.console.edit(e),
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

/// A replay's `:`: the console, as a prompt that takes `goto TIME` only.
pub fn open_goto(g: &mut Game) {
    g.console.open();
    g.console.set_input("goto ");
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
    header(g, theme, ctx == super::Ctx::Help, l.header, buf);
    if let Some(p) = &g.playback {
        replay_lines(p, g.sim.tick(), theme, l.replay, buf);
    }
    panels(g, theme, marker, &l, buf);
    console_line(&g.console, g.playback.is_some(), theme, l.console, buf);
    footer(g, theme, ctx, l.footer, buf);
    if g.tip_open {
        tip_box(g, theme, area, buf);
    }
    if g.confirm_quit {
        let (title, text) = if g.sim.mission().sandbox {
            (" leave free play? (y/n) ", "y quits · n keeps playing")
        } else {
            (
                " abandon the mission? (y/n) ",
                "y abandons and goes back to the missions · n keeps playing",
            )
        };
        view::popup(title, text, theme, area, buf);
    }
}

/// The panels of `l`: fleet, objectives, traffic, rollout, charts and log.
pub fn panels(g: &Game, theme: &Theme, marker: Marker, l: &PlayLayout, buf: &mut Buffer) {
    fleet::render(g, theme, l.fleet, buf);
    // A reduced layout has no objectives or traffic.
    if !l.objectives.is_empty() {
        objectives::render(g, theme, l.objectives, buf);
    }
    if !l.traffic.is_empty() {
        traffic::render(g, theme, l.traffic, buf);
    }
    if let Some(r) = l.rollout {
        rollout::render(g, theme, r, buf);
    }
    charts::render(g, theme, marker, l.charts, buf);
    log::render(g, theme, l.log, buf);
}

/// A replay's who, outcome and markers (`markers::lines`) in `area`.
pub fn replay_lines(p: &super::Playback, now: u64, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let lines = markers::lines(p, now, theme, area.width);
    for (line, y) in lines.iter().zip(area.y..area.bottom()) {
        buf.set_line(area.x, y, line, area.width);
    }
}

/// The revealed tip in a box over the play screen, wrapped to fit (any size from 80×24).
fn tip_box(g: &Game, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let hints = &g.sim.mission().hints;
    let Some(text) = g.hints_shown.checked_sub(1).and_then(|i| hints.get(i)) else {
        return;
    };
    let w = area.width.saturating_sub(6).min(72);
    let mut lines: Vec<Line> = view::wrap(text, usize::from(w.saturating_sub(4)))
        .into_iter()
        .map(|l| Line::styled(l, theme.text))
        .collect();
    lines.push(Line::raw(""));
    let next = if g.hints_shown < hints.len() {
        "t next tip · Esc back to the game (the clock waits)"
    } else {
        "that is the last tip · Esc back to the game (the clock waits)"
    };
    lines.push(view::fit(
        Line::styled(next, theme.dim),
        w.saturating_sub(4),
    ));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = area.centered(Constraint::Length(w), Constraint::Length(h));
    Clear.render(r, buf);
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .border_style(theme.warn)
                .padding(Padding::horizontal(1))
                .title(Span::styled(
                    format!(" TIP {} of {} ", g.hints_shown, hints.len()),
                    theme.warn,
                )),
        )
        .render(r, buf);
}

/// The header; `help_open`: the help overlay stops the clock, so it reads paused.
fn header(g: &Game, theme: &Theme, help_open: bool, area: Rect, buf: &mut Buffer) {
    let m = g.sim.mission();
    let score = g.sim.score();
    // The budget spent, the same figure as the objectives panel, the debrief and the report.
    // It is this mission's window's budget (not a 30-day one): the label says so.
    let spent = score.error_budget_used_pct;
    let left = (100.0 - spent).clamp(0.0, 100.0);
    // Below 100 columns: no brand, no bar, single spaces, so the alert still fits at 80.
    let wide = area.width >= 100;
    let gap = if wide { "  " } else { " " };
    let clock_span = clock_span(g, theme, help_open);
    let mut spans = match &g.playback {
        Some(_) => vec![Span::styled(
            " ⏵ REPLAY ·",
            theme.warn.add_modifier(Modifier::BOLD),
        )],
        None if wide => vec![Span::styled(
            " zerodown ·",
            theme.accent.add_modifier(Modifier::BOLD),
        )],
        None => Vec::new(),
    };
    let title_at = spans.len();
    spans.extend([
        Span::styled(format!(" {} ", m.title), theme.title),
        Span::raw(gap),
        clock_span,
        Span::styled(
            format!(
                "{gap}{} / {}",
                clock(g.sim.time_s()),
                clock(m.duration.secs())
            ),
            theme.text,
        ),
    ]);
    if let Some(d) = m.deadline.filter(|_| area.width >= 100) {
        spans.push(Span::styled(
            format!("  deadline {}", clock(d.secs())),
            theme.dim,
        ));
    }
    spans.push(Span::styled(
        format!("{gap}SLO {:.1}%", m.slo.target * 100.0),
        theme.text,
    ));
    spans.push(Span::styled(format!("{gap}window budget "), theme.text));
    let figure = if wide {
        let bar_w = if area.width >= 120 { 10 } else { 5 };
        let filled = ((left / 100.0) * f64::from(bar_w)).round() as usize;
        let bar = "▰".repeat(filled) + &"▱".repeat(bar_w as usize - filled);
        format!("{bar} {spent:.0}% spent")
    } else {
        format!("{spent:.0}% spent")
    };
    spans.push(Span::styled(figure, theme.budget(left)));
    if g.alert_on() {
        spans.push(Span::raw(gap));
        spans.push(Span::styled(
            "⚠ ALERT ",
            theme.bad.add_modifier(Modifier::REVERSED),
        ));
    }
    // The mission's title gives way (ending in `…`) so the clock, the budget and the alert
    // always show.
    let others: usize = spans
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != title_at)
        .map(|(_, s)| view::width(&s.content))
        .sum();
    let room = usize::from(area.width).saturating_sub(others + 1);
    let title = spans[title_at].clone();
    if view::width(&title.content) > room {
        let cut = view::fit(Line::from(title.clone()), room.saturating_sub(1) as u16);
        let text: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
        spans[title_at] = Span::styled(format!("{text} "), title.style);
    }
    view::fit(Line::from(spans), area.width).render(area, buf);
}

/// How the clock runs: waiting, paused (also while help is open) or its speed.
pub fn clock_span(g: &Game, theme: &Theme, help_open: bool) -> Span<'static> {
    if g.waiting.is_some() && !help_open {
        Span::styled(
            format!("⏩ waiting {}×", g.clock_speed()),
            theme.warn.add_modifier(Modifier::REVERSED),
        )
    } else if g.paused || help_open || g.tip_open {
        Span::styled("⏸ paused", theme.warn.add_modifier(Modifier::REVERSED))
    } else {
        Span::styled(format!("▶ {}×", g.speed), theme.accent)
    }
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
        _ => {
            let m = g.sim.mission();
            let base = view::mission_doc(m.sandbox, !m.hints.is_empty());
            // The rollout keys only where the mission allows the command they give.
            let doc = |b: &crate::ui::keymap::Binding| {
                let command = match b.action {
                    Action::Promote => Some("promote"),
                    Action::Abort => Some("abort"),
                    Action::Rollback => Some("rollback"),
                    _ => None,
                };
                if command.is_some_and(|c| !g.sim.allows(c)) {
                    ""
                } else {
                    base(b)
                }
            };
            view::footer_with(ctx, &doc, theme, area, buf);
        }
    }
}
