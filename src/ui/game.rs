//! One mission being played: the simulation plus the UI-only state around it (clock speed,
//! pause, selection, console, log filter). Commands reach the sim only through `apply`.
//!
//! `wait` is a script command the sim refuses in play; here it fast-forwards the clock
//! (bounded by its timeout, and stopping at the first error) so a script's lines can be
//! typed in the console as they are.

use crate::command::{Command, Wait, parse_command};
use crate::mission::Mission;
use crate::sim::{Severity, Sim};
use crate::time::{TICKS_PER_SEC, clock};

use super::console::{Console, Feedback, Vocabulary};

/// The clock speeds `+`/`-` step through.
pub const SPEEDS: [u32; 5] = [1, 2, 5, 10, 30];
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
}

/// The commands of a recorded run, applied as the clock reaches their ticks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Playback {
    /// Where the recording came from, for the header.
    pub label: String,
    commands: Vec<(u64, Command)>,
    next: usize,
}

impl Playback {
    /// Plays `commands` (tick, command), in order.
    pub fn new(label: &str, commands: Vec<(u64, Command)>) -> Self {
        Self {
            label: label.to_string(),
            commands,
            next: 0,
        }
    }

    /// The same recording from its start.
    #[must_use]
    pub fn rewound(&self) -> Self {
        Self {
            next: 0,
            ..self.clone()
        }
    }

    /// Commands applied so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.commands.len())
    }
}

/// What the console says when the player tries to act during a replay.
pub const WATCHING: &str =
    "watching a replay: the recording gives the commands (space pauses, +/- speed, n next event)";

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
            self.console.feedback = feedback;
            p.next += 1;
        }
    }

    /// One tick of game time. Returns the new events' worst severity, if any.
    pub fn step(&mut self) -> Option<Severity> {
        if self.sim.is_finished() {
            return None;
        }
        self.advance();
        self.take_new_events()
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

    fn take_new_events(&mut self) -> Option<Severity> {
        let worst = self
            .sim
            .events()
            .since(self.seen_seq)
            .map(|e| e.severity)
            .max();
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
            if self.sim.events().next_seq() > from {
                break;
            }
        }
        let skipped = clock((self.sim.tick() - start) as f64 / TICKS_PER_SEC as f64);
        self.console.feedback = match self.sim.events().since(from).next() {
            Some(e) => Feedback::Done(format!("skipped {skipped} to: {}", e.text)),
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

    /// Runs the console line: parse, then speed/wait here, everything else through the sim.
    pub fn run_line(&mut self, line: &str) {
        if self.playback.is_some() {
            self.console.feedback = Feedback::Refused(WATCHING.into());
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
        self.console.input.clear();
        self.console.feedback = match &command {
            Command::Wait(w) => Feedback::Done(self.wait(w)),
            _ => match self.sim.apply(&command) {
                Ok(applied) => {
                    if let Command::Speed(n) = command {
                        self.speed = n.max(1);
                    }
                    Feedback::Done(applied.0)
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
        self.console.feedback = match self.sim.apply(command) {
            Ok(applied) => Feedback::Done(applied.0),
            Err(why) => Feedback::Refused(why.to_string()),
        };
        self.take_new_events();
    }

    /// Fast-forwards for a `wait`; stops early at an error so the player can react.
    fn wait(&mut self, w: &Wait) -> String {
        let start = self.sim.tick();
        let (limit, cond) = match w {
            Wait::For(d) => (d.ticks(), None),
            Wait::Until { cond, timeout } => (timeout.ticks(), Some(cond)),
        };
        let mut stopped = None;
        while self.sim.tick() - start < limit && !self.sim.is_finished() {
            if cond.is_some_and(|c| self.sim.holds(c)) {
                break;
            }
            let from = self.sim.events().next_seq();
            self.advance();
            if let Some(e) = self
                .sim
                .events()
                .since(from)
                .find(|e| e.severity == Severity::Error)
            {
                stopped = Some(e.text.clone());
                break;
            }
        }
        let secs = (self.sim.tick() - start) / TICKS_PER_SEC;
        match (stopped, cond) {
            (Some(why), _) => format!("stopped waiting after {secs} s: {why}"),
            (None, Some(c)) if self.sim.holds(c) => format!("waited {secs} s until {c}"),
            (None, Some(c)) if !self.sim.is_finished() => {
                format!("gave up after {secs} s: {c} still not true")
            }
            _ => format!("waited {secs} s"),
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
        assert_eq!(g.speed, 30);
        g.change_speed(false);
        assert_eq!(g.speed, 10);
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
        assert!(matches!(&g.console.feedback, Feedback::Done(t) if t.starts_with("waited")));
        assert!(g.sim.tick() > 0);
        g.run_line("speed 10");
        assert_eq!(g.speed, 10);
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
