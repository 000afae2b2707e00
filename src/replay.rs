//! Replays: a mission, a seed and a command log give the same run again, event for event.
//!
//! The simulation is deterministic, so a run report's `mission`, `seed` and `commands`
//! (every command given, accepted or refused, with its game time) are a complete
//! recording. Re-running them rebuilds the whole report byte for byte: that is how
//! `zerodown replay` plays a run back, how the TUI writes a finished mission's report, and
//! how `zerodown scoreboard` catches a report whose score was edited.
//!
//! Reports are untrusted input (they travel between laptops in a classroom): reading one
//! has limits on size and on the number and length of commands, and every problem is an
//! error naming what and where, never a panic.

use std::path::Path;

use serde::Deserialize;

use crate::command::{Command, parse_command};
use crate::mission::{self, Mission};
use crate::report::Report;
use crate::runner::Run;
use crate::time::TICKS_PER_SEC;

mod markers;
pub use markers::{GOTO_USAGE, Marker, MarkerKind, clock_of, next_marker, parse_goto};

/// A report file larger than this is refused before it is parsed (a 30-minute mission's
/// report is about 1 MB).
pub const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;
/// The limits a recorded run must keep: the game enforces the same ones where commands are
/// typed and recorded.
pub use crate::command::{MAX_COMMAND_CHARS, MAX_COMMANDS};

/// A recorded run: everything needed to play it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// Mission id (a built-in mission, or a file's stem).
    pub mission: String,
    pub seed: u64,
    /// Every command given, in order, with the tick it applied at.
    pub commands: Vec<(u64, Command)>,
}

/// Why a report cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("{0}")]
    Io(String),
    #[error("too large: {bytes} bytes (a report is at most {MAX_REPORT_BYTES})")]
    TooLarge { bytes: u64 },
    #[error("not a run report: {0}")]
    Json(String),
    #[error("{count} commands (a run has at most {MAX_COMMANDS})")]
    TooManyCommands { count: usize },
    #[error("command {index}: {problem}")]
    BadCommand { index: usize, problem: String },
    #[error("mission `{0}`: {1}")]
    Mission(String, String),
}

/// The part of a report a replay needs; other fields are ignored here (and checked by
/// comparing the re-run report with the whole file).
#[derive(Deserialize)]
struct Recorded {
    mission: String,
    seed: u64,
    commands: Vec<RecordedCommand>,
}

#[derive(Deserialize)]
struct RecordedCommand {
    t: f64,
    command: String,
}

impl Recording {
    /// A recording of `commands` given on `mission` with `seed` (e.g. `Sim::command_log`).
    pub fn of(mission: &str, seed: u64, commands: &[(u64, Command)]) -> Self {
        Self {
            mission: mission.to_string(),
            seed,
            commands: commands.to_vec(),
        }
    }

    /// Reads the recording out of a run report's JSON text.
    ///
    /// # Errors
    /// Malformed JSON, a missing field, too many commands, a command that does not parse,
    /// a time that is negative, not on a tick, or earlier than the command before it.
    pub fn from_report_json(text: &str) -> Result<Self, ReplayError> {
        if text.len() as u64 > MAX_REPORT_BYTES {
            return Err(ReplayError::TooLarge {
                bytes: text.len() as u64,
            });
        }
        let recorded: Recorded = serde_json::from_str(text).map_err(|e| {
            if text.contains("\"drill\"") && text.contains("\"rubric\"") {
                ReplayError::Json(
                    "this is a drill report: `zerodown drill --seed N` plays its case again".into(),
                )
            } else {
                ReplayError::Json(e.to_string())
            }
        })?;
        if recorded.commands.len() > MAX_COMMANDS {
            return Err(ReplayError::TooManyCommands {
                count: recorded.commands.len(),
            });
        }
        let mut commands = Vec::with_capacity(recorded.commands.len());
        let mut last = 0;
        for (i, c) in recorded.commands.iter().enumerate() {
            let index = i + 1;
            let bad = |problem: String| ReplayError::BadCommand { index, problem };
            let tick = tick_of(c.t).ok_or_else(|| bad(format!("bad time {}", c.t)))?;
            if tick < last {
                return Err(bad(format!("time {} is before the command before it", c.t)));
            }
            if c.command.chars().count() > MAX_COMMAND_CHARS {
                return Err(bad(format!("longer than {MAX_COMMAND_CHARS} characters")));
            }
            let command = parse_command(&c.command)
                .map_err(|e| bad(format!("`{}`: {e}", c.command.escape_debug())))?;
            if matches!(command, Command::Wait(_)) {
                return Err(bad(
                    "`wait` is a script line, never a recorded command".into()
                ));
            }
            commands.push((tick, command));
            last = tick;
        }
        Ok(Self {
            mission: recorded.mission,
            seed: recorded.seed,
            commands,
        })
    }

    /// Reads a report file (refusing one over `MAX_REPORT_BYTES` before reading it).
    ///
    /// # Errors
    /// The file cannot be read, is too large, or is not a replayable report.
    pub fn from_file(path: &Path) -> Result<(Self, String), ReplayError> {
        let text = read_limited(path)?;
        Ok((Self::from_report_json(&text)?, text))
    }

    /// The recorded mission: a built-in id, and nothing else. A report travels between
    /// laptops, so a path in it is never opened (`"mission": "/etc/shadow"`); a run of a
    /// mission file is replayed with the file the player names (`--mission PATH`).
    ///
    /// # Errors
    /// Not a built-in mission id.
    pub fn mission(&self) -> Result<Mission, ReplayError> {
        let Some((id, source)) = mission::builtin()
            .iter()
            .find(|(id, _)| *id == self.mission)
        else {
            return Err(ReplayError::Mission(
                crate::defuse::shown(&self.mission),
                "not a built-in mission".into(),
            ));
        };
        mission::load_str(source, &format!("levels/{id}.ron")).map_err(|e| {
            let e = crate::defuse::defused_lines(&e.to_string());
            ReplayError::Mission(crate::defuse::shown(&self.mission), e)
        })
    }

    /// Checks the commands fit in `mission` (none after its end).
    ///
    /// # Errors
    /// The first command recorded after the mission's end.
    pub fn fits(&self, mission: &Mission) -> Result<(), ReplayError> {
        let end = mission.duration.ticks();
        match self.commands.iter().position(|(t, _)| *t > end) {
            Some(i) => Err(ReplayError::BadCommand {
                index: i + 1,
                problem: "recorded after the mission's end".into(),
            }),
            None => Ok(()),
        }
    }

    /// Plays the recording on `mission` headless and builds the report.
    pub fn rerun(&self, mission: &Mission) -> Report {
        self.rerun_marked(mission).0
    }

    /// `rerun`, and the run's markers (fault visible, first alert, reaction, restore) for
    /// a replay to jump between.
    pub fn rerun_marked(&self, mission: &Mission) -> (Report, Vec<Marker>) {
        let mut run = Run::new(mission, self.seed);
        let mut watch = markers::Watch::default();
        for (tick, command) in &self.commands {
            while run.sim.tick() < *tick && run.step() {
                watch.tick(&run.sim);
            }
            run.command(command);
        }
        while run.step() {
            watch.tick(&run.sim);
        }
        let markers = watch.markers(&run.sim);
        (run.finish(&self.mission, self.seed), markers)
    }
}

/// Reads a report file: a regular file of at most `MAX_REPORT_BYTES`, as UTF-8.
///
/// # Errors
/// The file cannot be opened, is not a regular file, is too large, or is not UTF-8.
pub fn read_limited(path: &Path) -> Result<String, ReplayError> {
    crate::textfile::read_text(path, MAX_REPORT_BYTES).map_err(|e| match e {
        crate::textfile::ReadError::TooLarge { .. } => ReplayError::TooLarge {
            bytes: std::fs::metadata(path).map_or(MAX_REPORT_BYTES + 1, |m| m.len()),
        },
        other => ReplayError::Io(other.to_string()),
    })
}

/// The tick of a report time (seconds with one decimal), if it is one.
fn tick_of(t: f64) -> Option<u64> {
    let ticks = t * TICKS_PER_SEC as f64;
    let whole = ticks.round();
    // Reports print times to 0.1 s: anything else was not written by the game.
    if !t.is_finite() || t < 0.0 || (ticks - whole).abs() > 1e-6 || whole > 1e12 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(whole as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_must_be_on_a_tick() {
        assert_eq!(tick_of(0.0), Some(0));
        assert_eq!(tick_of(12.3), Some(123));
        assert_eq!(tick_of(12.34), None);
        assert_eq!(tick_of(-1.0), None);
        assert_eq!(tick_of(f64::NAN), None);
        assert_eq!(tick_of(1e300), None);
    }

    #[test]
    fn hostile_reports_are_refused_with_a_reason() {
        let cases = [
            ("not json", "not a run report"),
            (r#"{"mission":"x"}"#, "missing field"),
            (
                r#"{"mission":"x","seed":1,"commands":[{"t":1.0,"command":"dpeloy v2 all"}]}"#,
                "command 1",
            ),
            (
                r#"{"mission":"x","seed":1,"commands":[{"t":2.0,"command":"pause"},{"t":1.0,"command":"pause"}]}"#,
                "before the command before it",
            ),
            (
                r#"{"mission":"x","seed":1,"commands":[{"t":1.0,"command":"wait 10s"}]}"#,
                "script line",
            ),
            (
                r#"{"mission":"x","seed":-1,"commands":[]}"#,
                "not a run report",
            ),
        ];
        for (text, why) in cases {
            let e = Recording::from_report_json(text).expect_err(text);
            assert!(e.to_string().contains(why), "{text}: {e}");
        }
        let deep = "[".repeat(100_000);
        assert!(Recording::from_report_json(&deep).is_err());
    }
}
