//! One mission being played: the simulation plus the UI-only state around it (clock speed,
//! pause, selection, console, log filter). Commands reach the sim only through `apply`.
//!
//! `wait` is a script command the sim refuses in play; typed in the console it runs the
//! clock on screen at `WAIT_SPEED` (bounded by its timeout) and stops at the first thing
//! that needs the player: a warning or error (an alert, a guard, a refusal, a stall), the
//! rollout pausing or ending, an objective turning. The story's lines don't stop it: they
//! are in the log. Any key stops it; a condition nothing is moving towards
//! is refused at once (`Sim::wait_refusal`). A script's `wait` keeps its plain meaning.

use crate::command::{Command, Wait, parse_command};
use crate::mission::Mission;
use crate::replay::Marker;
use crate::sim::{Event, Severity, Sim};
use crate::time::{TICKS_PER_SEC, clock};

use super::console::{Console, Feedback, Vocabulary};

/// The clock speeds `+`/`-` step through.
pub const SPEEDS: [u32; 7] = [1, 2, 5, 10, 30, 60, 120];
/// How fast a console `wait` runs the clock (unless the player's speed is faster).
pub const WAIT_SPEED: u32 = 120;
/// `n` runs the clock at most this many ticks (one game minute) looking for an event: a
/// quiet fleet must not eat the player's deadline.
pub const NEXT_EVENT_MAX_TICKS: u64 = 600;
/// An alert flashes in the header for this many ticks after an error or warning.
pub const ALERT_TICKS: u64 = 30;

/// A mission in play.
#[derive(Debug, Clone)]
pub struct Game {
    /// Mission id, e.g. `02-all-at-once`.
    pub id: String,
    pub seed: u64,
    pub sim: Sim,
    pub paused: bool,
    pub speed: u32,
    /// Index of the selected server.
    pub selected: usize,
    pub console: Console,
    pub vocab: Vocabulary,
    /// Log filter (case-insensitive substring); `filter_open` while it is typed.
    pub filter: String,
    pub filter_open: bool,
    /// "abandon the mission? (y/n)" is showing.
    pub confirm_quit: bool,
    /// Which set of charts shows when not all fit.
    pub chart_page: usize,
    /// How many of the mission's hints have been revealed.
    pub hints_shown: usize,
    /// The header flashes an alert until this tick.
    pub alert_until: u64,
    /// Events up to here have been looked at for alerts.
    seen_seq: u64,
    /// A recorded run being watched (`zerodown replay`): its commands apply at their ticks,
    /// and the player's own commands are refused.
    pub playback: Option<Playback>,
    /// A drill plan's automation (blue-green switch, fallback), run after every step however
    /// the clock moves: ticks, `n`, or a console `wait`.
    pub pilot: Option<crate::drill::Pilot>,
    /// A console `wait` running on screen.
    pub waiting: Option<Waiting>,
    /// The last revealed tip is open in a box (`t`); the clock waits while it is.
    pub tip_open: bool,
}

/// A console `wait` in progress: the clock runs at `WAIT_SPEED` until it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub wait: Wait,
    /// The tick it started at.
    pub start: u64,
    /// The rollout's phase and the objectives' marks when it started (or last looked).
    phase: Option<String>,
    met: Vec<bool>,
}

/// The commands of a recorded run, applied as the clock reaches their ticks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Playback {
    /// Where the recording came from, for the header.
    pub label: String,
    /// Who played it and how it ended (`ada · passed ★★☆`), known from the re-run.
    pub about: String,
    /// Where a debrief jumps to (`[`/`]`), in time order.
    pub markers: Vec<Marker>,
    commands: Vec<(u64, Command)>,
    next: usize,
    /// What the last command applied said, for a seek to show as playing on would.
    said: Feedback,
}

impl Playback {
    /// Plays `commands` (tick, command), in order.
    pub fn new(label: &str, commands: Vec<(u64, Command)>) -> Self {
        Self {
            label: label.to_string(),
            about: String::new(),
            markers: Vec::new(),
            commands,
            next: 0,
            said: Feedback::None,
        }
    }

    /// With who played it and how it ended, and its markers.
    #[must_use]
    pub fn about(mut self, about: &str, markers: Vec<Marker>) -> Self {
        self.about = about.to_string();
        self.markers = markers;
        self
    }

    /// What the last command applied said.
    pub fn said(&self) -> &Feedback {
        &self.said
    }

    /// The same recording from its start.
    #[must_use]
    pub fn rewound(&self) -> Self {
        Self {
            next: 0,
            said: Feedback::None,
            ..self.clone()
        }
    }

    /// Commands applied so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.commands.len())
    }
}

/// What the console says when the player tries to act during a replay.
pub const WATCHING: &str = "watching a replay: the recording gives the commands (: goto a time, \
     [/] markers, ,/. 10 s back/on, space pauses, n next event)";

impl Game {
    /// Starts `mission` with `seed`, clock running at 1×.
    pub fn new(id: &str, mission: &Mission, seed: u64) -> Self {
        let sim = Sim::new(mission, seed);
        let vocab = Vocabulary {
            versions: sim.versions().iter().map(|v| v.name.clone()).collect(),
            targets: sim
                .servers()
                .iter()
                .map(|s| s.name.clone())
                .chain(mission.fleet.pools.iter().cloned())
                .chain(std::iter::once("all".to_string()))
                .collect(),
        };
        Self {
            id: id.to_string(),
            seed,
            sim,
            paused: false,
            speed: 1,
            selected: 0,
            console: Console::new(),
            vocab,
            filter: String::new(),
            filter_open: false,
            confirm_quit: false,
            chart_page: 0,
            hints_shown: 0,
            alert_until: 0,
            seen_seq: 0,
            playback: None,
            pilot: None,
            waiting: None,
            tip_open: false,
        }
    }

    /// Watches a recorded run of `mission`: `Game::new` with the recording's commands.
    pub fn replay(id: &str, mission: &Mission, seed: u64, playback: Playback) -> Self {
        let mut game = Self::new(id, mission, seed);
        game.playback = Some(playback);
        game.apply_due();
        game
    }

    /// Applies the recording's commands whose tick has come (as `Recording::rerun` does:
    /// after the tick's step, before the next one).
    fn apply_due(&mut self) {
        let Some(p) = self.playback.as_mut() else {
            return;
        };
        while let Some((tick, cmd)) = p.commands.get(p.next) {
            if *tick > self.sim.tick() {
                break;
            }
            let feedback = match self.sim.apply(cmd) {
                Ok(applied) => Feedback::Done(format!("▶ {cmd}: {}", applied.0)),
                Err(why) => Feedback::Refused(format!("▶ {cmd}: {why}")),
            };
            p.said = feedback.clone();
            self.console.feedback = feedback;
            p.next += 1;
        }
    }

    /// One tick of game time. Returns the new events' worst severity, if any.
    pub fn step(&mut self) -> Option<Severity> {
        if self.sim.is_finished() {
            self.waiting = None;
            return None;
        }
        let from = self.sim.events().next_seq();
        self.advance();
        let worst = self.take_new_events();
        if self.waiting.is_some() {
            self.check_wait(from);
        }
        worst
    }

    /// Whether the clock runs: not paused (a console `wait` runs it even so) and not asking
    /// whether to quit.
    pub fn clock_runs(&self) -> bool {
        !self.confirm_quit && !self.tip_open && (!self.paused || self.waiting.is_some())
    }

    /// `t`: reveals the next tip and shows it in its box (the last one again when all are
    /// out).
    pub fn show_tip(&mut self) {
        let n = self.sim.mission().hints.len();
        if n == 0 {
            return;
        }
        if !self.tip_open || self.hints_shown < n {
            self.hints_shown = (self.hints_shown + 1).min(n);
        }
        self.tip_open = true;
    }

    /// The clock's speed now: a console `wait` runs it at `WAIT_SPEED` at least.
    pub fn clock_speed(&self) -> u32 {
        if self.waiting.is_some() {
            self.speed.max(WAIT_SPEED)
        } else {
            self.speed
        }
    }

    /// One tick of the sim, then whatever drives it besides the player: a recording's due
    /// commands, a drill plan's automation.
    fn advance(&mut self) {
        self.sim.step();
        self.apply_due();
        if let Some(p) = self.pilot.as_mut() {
            p.poll(&mut self.sim);
        }
    }

    /// Whether the screen shows `e`: a replay shows everything, live play hides what is known
    /// only looking back (`Event::hindsight`: when the fault reached users).
    pub fn shows(&self, e: &Event) -> bool {
        self.playback.is_some() || !e.hindsight
    }

    /// The events logged since `from` that the screen shows.
    pub fn news(&self, from: u64) -> impl Iterator<Item = &Event> {
        self.sim.events().since(from).filter(|e| self.shows(e))
    }

    fn take_new_events(&mut self) -> Option<Severity> {
        let worst = self.news(self.seen_seq).map(|e| e.severity).max();
        self.seen_seq = self.sim.events().next_seq();
        if worst.is_some_and(|s| s >= Severity::Warn) {
            self.alert_until = self.sim.tick() + ALERT_TICKS;
        }
        worst
    }

    /// Whether the header's alert is showing now (it blinks every half second).
    pub fn alert_on(&self) -> bool {
        let t = self.sim.tick();
        // A raised alert (outage or burn rate) stays up until it clears, like a pager.
        (t < self.alert_until || self.sim.alert_raised()) && (t / 5).is_multiple_of(2)
    }

    /// `F`: once everything is settled, the rest of the mission is simulated at once (the
    /// fleet keeps serving; the score is what running it out would give, because it is).
    pub fn finish_now(&mut self) {
        if let Some(why) = self.sim.unsettled() {
            self.console.feedback = Feedback::Refused(format!("not yet: {why}"));
            return;
        }
        let start = self.sim.tick();
        while !self.sim.is_finished() {
            self.step();
        }
        let skipped = clock((self.sim.tick() - start) as f64 / TICKS_PER_SEC as f64);
        self.console.feedback = Feedback::Done(format!(
            "finished now: the last {skipped} simulated at once"
        ));
    }

    /// `n`: runs the clock until something is logged (at most `NEXT_EVENT_MAX_TICKS`).
    pub fn next_event(&mut self) {
        let from = self.sim.events().next_seq();
        let start = self.sim.tick();
        for _ in 0..NEXT_EVENT_MAX_TICKS {
            if self.sim.is_finished() {
                break;
            }
            self.step();
            if self.news(from).next().is_some() {
                break;
            }
        }
        let skipped = clock((self.sim.tick() - start) as f64 / TICKS_PER_SEC as f64);
        let first = self.news(from).next().map(|e| e.text.clone());
        self.console.feedback = match first {
            Some(text) => Feedback::Done(format!("skipped {skipped} to: {text}")),
            None => Feedback::Done(format!("skipped {skipped}: nothing happened")),
        };
    }

    /// The next faster (or slower) speed of `SPEEDS`.
    pub fn change_speed(&mut self, faster: bool) {
        self.speed = if faster {
            SPEEDS
                .iter()
                .copied()
                .find(|&s| s > self.speed)
                .unwrap_or(self.speed)
        } else {
            SPEEDS
                .iter()
                .rev()
                .copied()
                .find(|&s| s < self.speed)
                .unwrap_or(self.speed)
        };
    }

    /// Runs the console line: parse, then speed/wait here, everything else through the sim
    /// (in a replay: a `goto` only).
    pub fn run_line(&mut self, line: &str) {
        if self.playback.is_some() {
            self.goto_line(line);
            return;
        }
        let command = match parse_command(line) {
            Ok(c) => c,
            Err(e) => {
                self.console.feedback = Feedback::Invalid(e);
                return;
            }
        };
        self.console.open = false;
        self.console.clear();
        let from = self.sim.events().next_seq();
        self.console.feedback = match &command {
            Command::Wait(w) => self.start_wait(w),
            _ => match self.sim.apply(&command) {
                Ok(applied) => {
                    if let Command::Speed(n) = command {
                        self.speed = n.max(1);
                    }
                    self.done(from, applied.0)
                }
                Err(why) => Feedback::Refused(why.to_string()),
            },
        };
        self.take_new_events();
    }

    /// A hotkey's command, straight to the sim; the console line says what happened or
    /// why it was refused.
    pub fn run_command(&mut self, command: &Command) {
        if self.playback.is_some() {
            self.console.feedback = Feedback::Refused(WATCHING.into());
            return;
        }
        let from = self.sim.events().next_seq();
        self.console.feedback = match self.sim.apply(command) {
            Ok(applied) => self.done(from, applied.0),
            Err(why) => Feedback::Refused(why.to_string()),
        };
        self.take_new_events();
    }

    /// What an applied command says: marked as a warning (not a green tick) when the sim
    /// logged it as one (an abort, a rollback).
    fn done(&self, from: u64, text: String) -> Feedback {
        if self.news(from).any(|e| e.severity >= Severity::Warn) {
            Feedback::Warned(text)
        } else {
            Feedback::Done(text)
        }
    }

    /// Starts a console `wait`, or says at once why it would never end.
    fn start_wait(&mut self, w: &Wait) -> Feedback {
        if let Wait::Until { cond, .. } = w {
            if self.sim.holds(cond) {
                return Feedback::Done(format!("{cond} already holds: nothing to wait for"));
            }
            if let Some(why) = self.sim.wait_refusal(cond) {
                return Feedback::Refused(format!(
                    "`{}` would never end: {why}",
                    Command::Wait(w.clone())
                ));
            }
        }
        self.waiting = Some(Waiting {
            wait: w.clone(),
            start: self.sim.tick(),
            phase: self.rollout_phase(),
            met: self.objectives_met(),
        });
        Feedback::Done(format!(
            "{} — running at {}×, any key stops",
            Command::Wait(w.clone()),
            self.clock_speed()
        ))
    }

    /// Stops the console `wait` (a key was pressed).
    pub fn cancel_wait(&mut self) {
        if let Some(w) = self.waiting.take() {
            let secs = (self.sim.tick() - w.start) / TICKS_PER_SEC;
            self.console.feedback = Feedback::Done(format!(
                "stopped waiting after {secs} s (a key was pressed)"
            ));
        }
    }

    fn rollout_phase(&self) -> Option<String> {
        self.sim.rollout().map(|r| format!("{:?}", r.phase))
    }

    fn objectives_met(&self) -> Vec<bool> {
        self.sim
            .outcome()
            .objectives
            .iter()
            .map(|o| o.met)
            .collect()
    }

    /// After a tick of a console `wait`: ends it when its condition holds, its time is up,
    /// or something needs the player (events since `from`, the rollout's phase, an
    /// objective's mark, looked at once a game second).
    fn check_wait(&mut self, from: u64) {
        let Some(w) = self.waiting.as_ref() else {
            return;
        };
        let elapsed = self.sim.tick() - w.start;
        let secs = elapsed / TICKS_PER_SEC;
        let (limit, cond) = match &w.wait {
            Wait::For(d) => (d.ticks(), None),
            Wait::Until { cond, timeout } => (timeout.ticks(), Some(cond)),
        };
        let needs_player = self.news(from).find(|e| e.severity >= Severity::Warn);
        let ended = if let Some(c) = cond.filter(|c| self.sim.holds(c)) {
            Some(format!("waited {secs} s until {c}"))
        } else if let Some(e) = needs_player {
            Some(format!("stopped waiting after {secs} s: {}", e.text))
        } else if self.rollout_phase() != w.phase {
            let status = self.sim.rollout_status().unwrap_or_default();
            Some(format!(
                "stopped waiting after {secs} s: the rollout changed: {status}"
            ))
        } else if self.sim.is_finished() {
            Some(format!("waited {secs} s: the mission is over"))
        } else if elapsed >= limit {
            Some(match cond {
                Some(c) => format!("gave up after {secs} s: {c} still not true"),
                None => format!("waited {secs} s"),
            })
        } else if self.sim.tick().is_multiple_of(TICKS_PER_SEC) && self.objectives_met() != w.met {
            Some(format!(
                "stopped waiting after {secs} s: an objective changed (see Objectives)"
            ))
        } else {
            None
        };
        if let Some(text) = ended {
            self.waiting = None;
            self.console.feedback = Feedback::Done(text);
        }
    }

    /// Runs a console `wait` to its end at once (tests; the screen runs it tick by tick).
    #[cfg(test)]
    pub fn finish_wait(&mut self) {
        while self.waiting.is_some() {
            self.step();
        }
    }

    /// Moves the selection by `dx` columns and `dy` rows of a grid `cols` wide.
    pub fn move_selection(&mut self, dx: i32, dy: i32, cols: usize) {
        let n = self.sim.servers().len();
        if n == 0 {
            return;
        }
        let step = dx.unsigned_abs() as usize + dy.unsigned_abs() as usize * cols.max(1);
        self.selected = if dx < 0 || dy < 0 {
            self.selected.saturating_sub(step)
        } else {
            (self.selected + step).min(n - 1)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mission::{builtin, load_str};

    fn game() -> Game {
        let (id, src) = builtin()[0];
        let m = load_str(src, id).expect("builtin mission loads");
        Game::new(id, &m, m.seed)
    }

    #[test]
    fn speed_steps_and_saturates() {
        let mut g = game();
        g.change_speed(false);
        assert_eq!(g.speed, 1);
        for _ in 0..9 {
            g.change_speed(true);
        }
        assert_eq!(g.speed, 120);
        g.change_speed(false);
        assert_eq!(g.speed, 60);
    }

    #[test]
    fn console_lines_reach_the_sim_or_say_why_not() {
        let mut g = game();
        g.run_line("drain web-01");
        assert_eq!(g.console.feedback, Feedback::Done("draining web-01".into()));
        g.run_line("deploy v9 web-01");
        assert!(matches!(&g.console.feedback, Feedback::Refused(r) if r.contains("v9")));
        g.run_line("dpeloy v2 web-01");
        assert!(matches!(&g.console.feedback, Feedback::Invalid(e) if e.column == 0));
        g.run_line("wait until drained web-01");
        assert!(g.waiting.is_some(), "{:?}", g.console.feedback);
        assert_eq!(
            g.sim.tick(),
            0,
            "a console wait runs on screen, not at once"
        );
        g.finish_wait();
        assert!(matches!(&g.console.feedback, Feedback::Done(t) if t.starts_with("waited")));
        assert!(g.sim.tick() > 0);
        g.run_line("speed 10");
        assert_eq!(g.speed, 10);
    }

    /// Issue 13 item 1: `wait until drained web-01` with nothing draining jumped the clock
    /// ten minutes; `wait until ready green` with no green pool lost mission 06.
    #[test]
    fn a_wait_that_could_never_end_is_refused_at_once() {
        let mut g = game();
        g.paused = true;
        for (line, says) in [
            ("wait until drained web-01", "nothing is draining web-01"),
            ("wait until ready green", "green"),
            ("wait until all-on v2", "nothing is moving servers to v2"),
            ("wait until all-on v9", "no version v9"),
            ("wait until stopped", "no rollout is running"),
        ] {
            g.run_line(line);
            assert!(
                matches!(&g.console.feedback, Feedback::Refused(t) if t.contains(says)),
                "{line}: {:?}",
                g.console.feedback
            );
            assert!(g.waiting.is_none());
            assert_eq!(g.sim.tick(), 0, "{line} moved the clock");
        }
    }

    #[test]
    fn a_console_wait_runs_the_paused_clock_fast_and_any_key_stops_it() {
        let mut g = game();
        g.paused = true;
        g.run_line("wait 5m");
        assert!(g.clock_runs());
        assert_eq!(g.clock_speed(), WAIT_SPEED);
        for _ in 0..20 {
            super::super::play::update(&mut g, crate::ui::keymap::Action::Tick, (120, 40));
        }
        assert_eq!(g.sim.tick(), 20);
        super::super::play::update(&mut g, crate::ui::keymap::Action::StopWait, (120, 40));
        assert!(g.waiting.is_none());
        assert!(!g.clock_runs(), "back to paused");
        assert!(
            matches!(&g.console.feedback, Feedback::Done(t) if t == "stopped waiting after 2 s (a key was pressed)"),
            "{:?}",
            g.console.feedback
        );
    }

    #[test]
    fn a_console_wait_stops_at_what_needs_the_player() {
        // The story speaks at 0:03 and 3:00: a wait runs on through it.
        let mut g = game();
        g.run_line("wait 4m");
        g.finish_wait();
        assert!(
            matches!(&g.console.feedback, Feedback::Done(t) if t == "waited 240 s"),
            "{:?}",
            g.console.feedback
        );
        // The only server installing: users fail, and the wait stops there.
        g.run_line("deploy v2 web-01");
        g.run_line("wait 5m");
        g.finish_wait();
        assert!(
            matches!(&g.console.feedback, Feedback::Done(t) if t.starts_with("stopped waiting after")),
            "{:?}",
            g.console.feedback
        );
        assert!(
            g.sim.tick() < 2400 + 600,
            "stopped long before the 5 minutes"
        );
    }

    #[test]
    fn next_event_stops_at_an_event() {
        let mut g = game();
        g.run_line("drain web-01");
        let before = g.sim.events().next_seq();
        g.next_event();
        assert!(g.sim.events().next_seq() > before);
        assert!(g.sim.tick() < NEXT_EVENT_MAX_TICKS);
    }
}
