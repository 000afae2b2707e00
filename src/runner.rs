//! The headless runner: a mission, a seed and a script in, a run report out. No terminal.
//!
//! Script commands apply at the tick where the script reaches them; `wait` lines advance
//! game time; after the last line the mission runs on to its end, because the fleet keeps
//! serving (and a slow defect may still show).

use crate::command::{Command, Script, Wait};
use crate::mission::Mission;
use crate::report::{EventEntry, Report, Timeline, TimelineEntry};
use crate::sim::Sim;
use crate::time::TICKS_PER_SEC;

/// The most a report's timeline and commands take together (pretty JSON): beyond it the
/// timeline's seconds are merged (`report::Timeline`). With the events' share and the
/// score, a report of any run stays well under `replay::MAX_REPORT_BYTES` (16 MiB), which
/// the scoreboard and `replay` read.
pub const MAX_TIMELINE_BYTES: usize = 10 << 20;
/// The most a report's events take; later events are counted in one last line instead.
pub const MAX_EVENT_BYTES: usize = 2 << 20;

/// A script line the game did not carry out: a refused command, or a wait that timed out.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Game seconds.
    pub t: f64,
    /// The script's line (0 when the command came from elsewhere).
    pub line: usize,
    pub command: String,
    pub why: String,
}

/// A run in progress that collects everything the report needs.
pub struct Run {
    pub sim: Sim,
    /// The commands the game refused, and the waits that timed out, in order.
    pub refused: Vec<Refusal>,
    /// The script line being run, for `refused`.
    line: usize,
    timeline: Timeline,
    events: Vec<EventEntry>,
    next_event: u64,
    /// What the kept events take in the report, and how many more were not kept.
    event_bytes: usize,
    events_left_out: usize,
    /// What the recorded commands take in the report, and how many of them are counted.
    command_bytes: usize,
    commands_counted: usize,
}

impl Run {
    /// Starts a run of `mission` with `seed`.
    pub fn new(mission: &Mission, seed: u64) -> Self {
        Self {
            sim: Sim::new(mission, seed),
            refused: Vec::new(),
            line: 0,
            timeline: Timeline::default(),
            events: Vec::new(),
            next_event: 0,
            event_bytes: 0,
            events_left_out: 0,
            command_bytes: 0,
            commands_counted: 0,
        }
    }

    /// Advances one tick, collecting the finished second and new events. False at the end.
    pub fn step(&mut self) -> bool {
        if self.sim.is_finished() {
            return false;
        }
        self.sim.step();
        if self.sim.tick().is_multiple_of(TICKS_PER_SEC)
            && let Some(m) = self.sim.history().last()
        {
            let second = TimelineEntry::from_metrics(m, &self.sim);
            self.count_commands();
            let room = MAX_TIMELINE_BYTES.saturating_sub(self.command_bytes);
            self.timeline.push(second, room);
        }
        self.collect_events();
        true
    }

    fn collect_events(&mut self) {
        let log = self.sim.events();
        for event in log.since(self.next_event) {
            let entry = EventEntry::from_event(event);
            let bytes = 64 + json_len(&entry.text);
            if self.events_left_out == 0 && self.event_bytes + bytes <= MAX_EVENT_BYTES {
                self.event_bytes += bytes;
                self.events.push(entry);
            } else {
                self.events_left_out += 1;
            }
        }
        self.next_event = log.next_seq();
    }

    /// Adds the commands recorded since the last count to `command_bytes`.
    fn count_commands(&mut self) {
        let log = self.sim.command_log();
        for (_, command) in log.iter().skip(self.commands_counted) {
            self.command_bytes += 48 + json_len(&command.to_string());
        }
        self.commands_counted = log.len();
    }

    /// Runs one script command: waits advance time, everything else goes to the sim.
    pub fn command(&mut self, cmd: &Command) {
        match cmd {
            Command::Wait(Wait::For(d)) => {
                for _ in 0..d.ticks() {
                    if !self.step() {
                        break;
                    }
                }
            }
            Command::Wait(Wait::Until { cond, timeout }) => {
                let mut left = timeout.ticks();
                while !self.sim.holds(cond) {
                    if left == 0 {
                        self.refuse(cmd, format!("timed out after {timeout}"));
                        // Through the command log, so a replay of the report repeats it.
                        let note = Command::Note(format!("script: `{cmd}` timed out"));
                        let _ = self.sim.apply(&note);
                        break;
                    }
                    if !self.step() {
                        break;
                    }
                    left -= 1;
                }
            }
            _ => {
                // A refusal is logged by the sim as an event; the script goes on.
                if let Err(why) = self.sim.apply(cmd) {
                    self.refuse(cmd, why.to_string());
                }
            }
        }
        self.collect_events();
    }

    fn refuse(&mut self, cmd: &Command, why: String) {
        self.refused.push(Refusal {
            t: self.sim.tick() as f64 / TICKS_PER_SEC as f64,
            line: self.line,
            command: cmd.to_string(),
            why,
        });
    }

    /// Runs to the end of the mission and builds the report.
    pub fn finish(mut self, mission_id: &str, seed: u64) -> Report {
        while self.step() {}
        if self.events_left_out > 0 {
            let text = format!(
                "{} more events are not in this report (it keeps {} MiB of them)",
                self.events_left_out,
                MAX_EVENT_BYTES >> 20
            );
            self.events.push(EventEntry {
                t: crate::num::round(self.sim.tick() as f64 / TICKS_PER_SEC as f64, 1),
                severity: "warn".into(),
                text,
            });
        }
        Report::build(mission_id, seed, &self.sim, self.timeline, self.events)
    }
}

/// The length of `text` as a JSON string (quotes and escapes included).
fn json_len(text: &str) -> usize {
    serde_json::to_string(text).map_or(text.len() * 6 + 2, |s| s.len())
}

/// Runs `script` on `mission` with `seed` and returns the report.
pub fn run_script(mission: &Mission, mission_id: &str, script: &Script, seed: u64) -> Report {
    run_script_noting(mission, mission_id, script, seed).0
}

/// `run_script`, with the script lines the game did not carry out (refused, timed out, or
/// after the mission ended).
pub fn run_script_noting(
    mission: &Mission,
    mission_id: &str,
    script: &Script,
    seed: u64,
) -> (Report, Vec<Refusal>) {
    let mut run = Run::new(mission, seed);
    for line in &script.lines {
        run.line = line.line;
        if run.sim.is_finished() {
            run.refuse(&line.command, "the mission had already ended".into());
            let note = format!("script line {} comes after the mission ended", line.line);
            let _ = run.sim.apply(&Command::Note(note));
            break;
        }
        run.command(&line.command);
    }
    run.collect_events();
    let refused = std::mem::take(&mut run.refused);
    (run.finish(mission_id, seed), refused)
}
