//! The headless runner: a mission, a seed and a script in, a run report out. No terminal.
//!
//! Script commands apply at the tick where the script reaches them; `wait` lines advance
//! game time; after the last line the mission runs on to its end, because the fleet keeps
//! serving (and a slow defect may still show).

use crate::command::{Command, Script, Wait};
use crate::mission::Mission;
use crate::report::{EventEntry, Report, TimelineEntry};
use crate::sim::Sim;
use crate::time::TICKS_PER_SEC;

/// A run in progress that collects everything the report needs.
pub struct Run {
    pub sim: Sim,
    timeline: Vec<TimelineEntry>,
    events: Vec<EventEntry>,
    next_event: u64,
}

impl Run {
    /// Starts a run of `mission` with `seed`.
    pub fn new(mission: &Mission, seed: u64) -> Self {
        Self {
            sim: Sim::new(mission, seed),
            timeline: Vec::new(),
            events: Vec::new(),
            next_event: 0,
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
            self.timeline
                .push(TimelineEntry::from_metrics(m, &self.sim));
        }
        self.collect_events();
        true
    }

    fn collect_events(&mut self) {
        let log = self.sim.events();
        self.events
            .extend(log.since(self.next_event).map(EventEntry::from_event));
        self.next_event = log.next_seq();
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
                let _ = self.sim.apply(cmd);
            }
        }
        self.collect_events();
    }

    /// Runs to the end of the mission and builds the report.
    pub fn finish(mut self, mission_id: &str, seed: u64) -> Report {
        while self.step() {}
        Report::build(mission_id, seed, &self.sim, self.timeline, self.events)
    }
}

/// Runs `script` on `mission` with `seed` and returns the report.
pub fn run_script(mission: &Mission, mission_id: &str, script: &Script, seed: u64) -> Report {
    let mut run = Run::new(mission, seed);
    for line in &script.lines {
        if run.sim.is_finished() {
            let note = format!("script line {} comes after the mission ended", line.line);
            let _ = run.sim.apply(&Command::Note(note));
            break;
        }
        run.command(&line.command);
    }
    run.collect_events();
    run.finish(mission_id, seed)
}
