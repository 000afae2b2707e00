//! `zerodown replay A.json B.json`: two runs of one mission side by side on one clock, for
//! a class to compare (left A, right B). Each half has its own line of who played it, how
//! it ended and its markers; the clock, pause, speed, `goto`, the markers of both runs and
//! the 10-second steps move both. From 160 columns each half is the play screen's panels;
//! below, the fleet, the charts and the log, which read at 40 columns.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::symbols::Marker as ChartMarker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::console::{Console, Feedback};
use super::game::{Game, NEXT_EVENT_MAX_TICKS};
use super::keymap::{Action, Binding, Ctx};
use super::play::{self, PlayLayout};
use super::{Theme, view};
use crate::replay::{Marker, clock_of, next_marker, parse_goto};
use crate::time::{TICKS_PER_SEC, clock};

/// A half at least this large shows the play screen's panels; smaller, the reduced view.
const FULL_HALF: (u16, u16) = (80, 30);

/// Two replays on one clock.
#[derive(Debug, Clone)]
pub struct Compare {
    /// Left (A) and right (B). Both stand at the same tick; their `paused` and `speed`
    /// are kept the same (A's are read).
    pub runs: [Game; 2],
    /// The `goto` prompt and what the last key did.
    pub console: Console,
    pub filter_open: bool,
    pub confirm_quit: bool,
}

/// What the app does after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Stay; whether anything visible changed.
    Stay(bool),
    Quit,
}

impl Compare {
    /// A and B (replays of the same mission), and what to say first (`note`).
    pub fn new(a: Game, b: Game, note: Feedback) -> Self {
        let mut console = Console::new();
        console.feedback = note;
        Self {
            runs: [a, b],
            console,
            filter_open: false,
            confirm_quit: false,
        }
    }

    /// Where the keyboard is.
    pub fn ctx(&self) -> Ctx {
        if self.confirm_quit {
            Ctx::Confirm
        } else if self.console.open {
            Ctx::Console
        } else if self.filter_open {
            Ctx::Filter
        } else {
            Ctx::Replay
        }
    }

    /// The tick both runs stand at.
    pub fn tick(&self) -> u64 {
        self.runs[0].sim.tick()
    }

    /// Whether the clock runs: not paused, not asking, and a run still going.
    pub fn clock_runs(&self) -> bool {
        !self.confirm_quit
            && !self.console.open
            && !self.runs[0].paused
            && self.runs.iter().any(|g| !g.sim.is_finished())
    }

    /// The clock's speed.
    pub fn speed(&self) -> u32 {
        self.runs[0].speed
    }

    /// Both runs' markers, in time order, each with the name of whose it is.
    fn markers(&self) -> Vec<(usize, Marker)> {
        let mut all: Vec<(usize, Marker)> = self
            .runs
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.markers().iter().map(move |m| (i, *m)))
            .collect();
        all.sort_by_key(|(i, m)| (m.tick, *i));
        all
    }

    /// Applies a key or a tick (`size`: the terminal's, for the fleet grids' columns).
    pub fn update(&mut self, action: Action, size: (u16, u16)) -> Next {
        if self.confirm_quit {
            return match action {
                Action::Yes => Next::Quit,
                Action::No | Action::Back => {
                    self.confirm_quit = false;
                    Next::Stay(true)
                }
                _ => Next::Stay(false),
            };
        }
        if self.console.open || self.filter_open {
            self.type_key(action);
            return Next::Stay(true);
        }
        match action {
            Action::Tick if self.clock_runs() => self.both(|g| {
                g.step();
            }),
            Action::TogglePause => {
                let paused = !self.runs[0].paused;
                self.both(|g| g.paused = paused);
            }
            Action::Faster | Action::Slower => {
                self.both(|g| g.change_speed(action == Action::Faster));
            }
            Action::NextEvent => self.next_event(),
            Action::NextMarker | Action::PrevMarker => {
                self.jump_to_marker(action == Action::NextMarker);
            }
            Action::StepForward | Action::StepBack => {
                self.both(|g| g.step_clock(action == Action::StepForward));
                self.console.feedback = Feedback::None;
            }
            Action::OpenConsole => {
                self.console.open();
                self.console.set_input("goto ");
            }
            Action::OpenFilter => self.filter_open = true,
            Action::Up | Action::Down | Action::Left | Action::Right => {
                self.select(action, Rect::new(0, 0, size.0, size.1));
            }
            Action::AskQuit => self.confirm_quit = true,
            _ => return Next::Stay(false),
        }
        Next::Stay(true)
    }

    /// Arrows move the selected server of both runs (the same fleet), so their details
    /// compare.
    fn select(&mut self, action: Action, area: Rect) {
        let (dx, dy) = match action {
            Action::Left => (-1, 0),
            Action::Right => (1, 0),
            Action::Up => (0, -1),
            _ => (0, 1),
        };
        let panels = self.layout(area).1;
        for (g, (_, l)) in self.runs.iter_mut().zip(panels) {
            let cols = l.grid(g).cols;
            g.move_selection(dx, dy, cols);
        }
    }

    /// Where everything goes: the header, console and footer rows, then each run's line of
    /// who and markers and its panels (the same rows for both, so they line up).
    fn layout(&self, area: Rect) -> ([Rect; 3], [(Rect, PlayLayout); 2]) {
        let console_h = play::console_height(&self.console, area.width);
        let [header, body, console, footer] = area.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(console_h),
            Constraint::Length(1),
        ]));
        let halves: [Rect; 2] = body.layout(&Layout::horizontal([
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        let about_h = self
            .runs
            .iter()
            .filter_map(|g| g.playback.as_ref())
            .map(|p| play::markers::height(p, halves[0].width))
            .max()
            .unwrap_or(0);
        let panels = [0, 1].map(|i| {
            let (g, half) = (&self.runs[i], halves[i]);
            let [about, body] = half.layout(&Layout::vertical([
                Constraint::Length(about_h),
                Constraint::Fill(1),
            ]));
            let layout = if body.width >= FULL_HALF.0 && body.height >= FULL_HALF.1 {
                PlayLayout::body(body, g)
            } else {
                PlayLayout::reduced(body, g)
            };
            (about, layout)
        });
        ([header, console, footer], panels)
    }

    /// `f` on both runs.
    fn both(&mut self, f: impl FnMut(&mut Game)) {
        self.runs.iter_mut().for_each(f);
    }

    /// A key while the goto prompt or the log filter (both runs') is being typed.
    fn type_key(&mut self, action: Action) {
        match action {
            Action::Input(c) if self.console.open => self.console.push(c),
            Action::Backspace if self.console.open => self.console.backspace(),
            Action::Edit(e) if self.console.open => self.console.edit(e),
            Action::HistoryPrev => self.console.history_prev(),
            Action::HistoryNext => self.console.history_next(),
            Action::Confirm if self.console.open => {
                let line = self.console.take();
                self.console.open = false;
                self.console.clear();
                match parse_goto(&line) {
                    Ok(tick) => self.seek(tick),
                    Err(why) => self.console.feedback = Feedback::Refused(why),
                }
            }
            Action::Back if self.console.open => self.console.cancel(),
            Action::Input(c) => self.both(|g| g.filter.push(c)),
            Action::Backspace => self.both(|g| {
                g.filter.pop();
            }),
            Action::Confirm => self.filter_open = false,
            Action::Back => {
                self.both(|g| g.filter.clear());
                self.filter_open = false;
            }
            _ => {}
        }
    }

    /// Both runs to `tick` (paused).
    fn seek(&mut self, tick: u64) {
        self.both(|g| g.seek(tick));
        self.console.feedback = Feedback::Done(format!("at {}", clock_of(self.tick())));
    }

    /// `[`/`]` over both runs' markers, saying whose marker it is.
    fn jump_to_marker(&mut self, forward: bool) {
        let all = self.markers();
        let ticks: Vec<Marker> = all.iter().map(|(_, m)| *m).collect();
        let Some(to) = next_marker(&ticks, self.tick(), forward) else {
            self.runs[0].say_no_marker(forward, ticks.is_empty());
            self.console.feedback = std::mem::take(&mut self.runs[0].console.feedback);
            return;
        };
        self.both(|g| g.seek(to.tick));
        let said: Vec<String> = all
            .iter()
            .filter(|(_, m)| m.tick == to.tick)
            .map(|(i, m)| format!("{}: {}", self.who(*i), m.text()))
            .collect();
        self.console.feedback = Feedback::Done(said.join(" · "));
    }

    /// `A ada` / `B bob`.
    fn who(&self, i: usize) -> String {
        let side = if i == 0 { "A" } else { "B" };
        let name = self.runs[i]
            .playback
            .as_ref()
            .and_then(|p| p.about.split(" · ").next())
            .unwrap_or_default();
        format!("{side} {name}")
    }

    /// `n`: both clocks run until either run logs something (at most a game minute).
    fn next_event(&mut self) {
        let from = self.runs.each_ref().map(|g| g.sim.events().next_seq());
        let start = self.tick();
        for _ in 0..NEXT_EVENT_MAX_TICKS {
            if self.runs.iter().all(|g| g.sim.is_finished()) {
                break;
            }
            self.both(|g| {
                g.step();
            });
            if self
                .runs
                .iter()
                .zip(from)
                .any(|(g, f)| g.news(f).next().is_some())
            {
                break;
            }
        }
        let skipped = clock((self.tick() - start) as f64 / TICKS_PER_SEC as f64);
        let first = (0..2).find_map(|i| {
            let g = &self.runs[i];
            g.news(from[i])
                .next()
                .map(|e| format!("{}: {}", self.who(i), e.text))
        });
        self.console.feedback = Feedback::Done(match first {
            Some(text) => format!("skipped {skipped} to {text}"),
            None => format!("skipped {skipped}: nothing happened"),
        });
    }

    /// Draws the screen.
    pub fn render(
        &self,
        theme: &Theme,
        marker: ChartMarker,
        ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
    ) {
        let ([header, console, footer], panels) = self.layout(area);
        self.header(theme, ctx == Ctx::Help, header, buf);
        for (g, (about, layout)) in self.runs.iter().zip(panels) {
            if let Some(p) = &g.playback {
                play::replay_lines(p, g.sim.tick(), theme, about, buf);
            }
            play::panels(g, theme, marker, &layout, buf);
        }
        play::console_line(&self.console, true, theme, console, buf);
        view::footer_with(ctx, &key_doc, theme, footer, buf);
        if self.confirm_quit {
            view::popup(
                " leave the replay? (y/n) ",
                "y quits · n keeps watching",
                theme,
                area,
                buf,
            );
        }
    }

    /// The one header: side by side, the mission, the clock, and the seeds.
    fn header(&self, theme: &Theme, help_open: bool, area: Rect, buf: &mut Buffer) {
        let [a, b] = &self.runs;
        let m = a.sim.mission();
        let seeds = if a.seed == b.seed {
            format!("seed {}", a.seed)
        } else {
            format!("seeds {} ≠ {}", a.seed, b.seed)
        };
        let mut spans = vec![
            Span::styled(" ⏵ REPLAY A|B ·", theme.warn.add_modifier(Modifier::BOLD)),
            Span::styled(format!(" {} ", m.title), theme.title),
            Span::raw(" "),
            play::clock_span(a, theme, help_open),
            Span::styled(
                format!(" {} / {}", clock(a.sim.time_s()), clock(m.duration.secs())),
                theme.text,
            ),
            Span::styled(format!("  {seeds}"), theme.dim),
        ];
        if self.runs.iter().all(|g| g.sim.is_finished()) {
            spans.push(Span::styled("  ⏹ both runs ended", theme.accent));
        }
        view::fit(Line::from(spans), area.width).render(area, buf);
    }
}

/// How the footer words a key here: leaving quits.
fn key_doc(b: &Binding) -> &'static str {
    match b.action {
        Action::AskQuit => "quit",
        _ => b.doc,
    }
}
