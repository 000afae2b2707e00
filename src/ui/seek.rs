//! Moving a replay's clock like a video: to a time (`:goto 1:10`), to the next or previous
//! marker (`]`/`[`), ten game seconds back or on (`,`/`.`). Forward runs the sim on; back
//! re-simulates from the start to the target tick (a 50-minute mission re-runs in about
//! 0.15 s), so a seek lands on the very frame playing forward to that tick shows. A seek
//! pauses the clock, so the class looks at the moment it asked for.

use super::console::Feedback;
use super::game::{Game, Playback};
use crate::replay::{Marker, clock_of, next_marker, parse_goto};
use crate::time::TICKS_PER_SEC;

/// How far `,`/`.` move the clock.
pub const STEP_TICKS: u64 = 10 * TICKS_PER_SEC;

impl Game {
    /// Sends a replay's clock to `tick` (at most the mission's end) and pauses it: forward by
    /// running on, back by playing the recording again from the start. The console line
    /// then says what playing forward to `tick` would have left there.
    pub fn seek(&mut self, tick: u64) {
        let target = tick.min(self.sim.mission().duration.ticks());
        if target < self.sim.tick() {
            self.restart();
        }
        while self.sim.tick() < target && !self.sim.is_finished() {
            self.step();
        }
        self.paused = true;
        self.console.feedback = self
            .playback
            .as_ref()
            .map(|p| p.said().clone())
            .unwrap_or_default();
    }

    /// `[`/`]`: to the previous or next of `markers` (the replay's own unless given, as a
    /// side-by-side replay gives both runs'), or says there is none.
    pub fn jump_to_marker(&mut self, forward: bool, markers: Option<&[Marker]>) {
        let own = self.markers().to_vec();
        let markers = markers.unwrap_or(&own);
        match next_marker(markers, self.sim.tick(), forward) {
            Some(m) => self.seek(m.tick),
            None => self.say_no_marker(forward, markers.is_empty()),
        }
    }

    /// What a jump with no marker that way says.
    pub fn say_no_marker(&mut self, forward: bool, none_at_all: bool) {
        let text = if none_at_all {
            "this run has no markers (no fault, alert or restore)".to_string()
        } else if forward {
            format!("no marker after {}", clock_of(self.sim.tick()))
        } else {
            format!("no marker before {}", clock_of(self.sim.tick()))
        };
        self.console.feedback = Feedback::Done(text);
    }

    /// `,`/`.`: `STEP_TICKS` back or on.
    pub fn step_clock(&mut self, forward: bool) {
        let now = self.sim.tick();
        self.seek(if forward {
            now + STEP_TICKS
        } else {
            now.saturating_sub(STEP_TICKS)
        });
    }

    /// A replay's console line: `goto TIME`, or why that is all it takes.
    pub fn goto_line(&mut self, line: &str) {
        self.console.open = false;
        self.console.clear();
        match parse_goto(line) {
            Ok(tick) => self.seek(tick),
            Err(why) => self.console.feedback = Feedback::Refused(why),
        }
    }

    /// The replay's markers (none outside a replay).
    pub fn markers(&self) -> &[Marker] {
        self.playback.as_ref().map_or(&[], |p| p.markers.as_slice())
    }

    /// The same replay from its start, at the same speed (the debrief's "watch again").
    #[must_use]
    pub fn rewound(&self) -> Game {
        let playback = self
            .playback
            .as_ref()
            .map(Playback::rewound)
            .unwrap_or_default();
        let mut fresh = Game::replay(&self.id, self.sim.mission(), self.seed, playback);
        fresh.speed = self.speed;
        fresh
    }

    /// The same replay at its start; what only changes how it looks carries over.
    fn restart(&mut self) {
        let mut fresh = self.rewound();
        fresh.selected = self.selected;
        fresh.chart_page = self.chart_page;
        fresh.filter = std::mem::take(&mut self.filter);
        fresh.console = std::mem::take(&mut self.console);
        *self = fresh;
    }
}
