//! The live class view: while a student plays a class (`play --code … --reports DIR`), the
//! game writes a small heartbeat file, `DIR/<name>.heartbeat`, every few seconds — the
//! mission, the game time, the last command and when it was typed, the hints used, the
//! outcome so far, the missions finished and abandoned — replaced atomically, so a reader
//! never sees half a file. `zerodown workshop watch DIR` reads them (polling: it works over
//! a shared folder, with no server) and shows the room, stuck students first.
//!
//! A heartbeat is JSON with a `.heartbeat` extension, so the scoreboard (which reads
//! `*.json`) never mistakes one for a report.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The extension of heartbeat files.
pub const EXTENSION: &str = "heartbeat";
/// How often the game writes its heartbeat.
pub const EVERY: Duration = Duration::from_secs(3);
/// A heartbeat older than this, of a student still playing, means the game is gone (a
/// closed laptop, a killed terminal).
pub const SILENT_AFTER: Duration = Duration::from_secs(30);
/// The most a heartbeat file may take; a larger one is not read.
pub const MAX_BYTES: u64 = 64 * 1024;
/// The most heartbeat files read from one folder.
pub const MAX_FILES: usize = crate::scoreboard::MAX_FILES;

/// What one student's game says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Heartbeat {
    pub game_version: String,
    pub player: String,
    /// The class code played, if any.
    #[serde(default)]
    pub class: Option<String>,
    /// `map`, `briefing`, `playing`, `debrief` or `quit`.
    pub screen: String,
    /// The mission on screen (or last played).
    #[serde(default)]
    pub mission: Option<String>,
    #[serde(default)]
    pub game_time_s: u64,
    /// Commands given in this mission so far.
    #[serde(default)]
    pub commands: usize,
    #[serde(default)]
    pub last_command: Option<String>,
    #[serde(default)]
    pub hints_used: usize,
    /// `playing`, or the finished mission's `passed`/`failed`.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub finished: Vec<Finished>,
    /// Missions left before they ended (and not finished since).
    #[serde(default)]
    pub abandoned: Vec<String>,
    /// Wall clock (seconds since 1970) when the file was written.
    #[serde(default)]
    pub updated_unix: u64,
    /// Wall clock of the last command (or of the mission's start, before any).
    #[serde(default)]
    pub last_command_unix: u64,
}

/// A mission a student finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finished {
    pub mission: String,
    pub passed: bool,
    pub stars: u8,
}

impl Heartbeat {
    /// Reads a heartbeat's text. Every text in it is made safe to print (no control
    /// characters or escape sequences reach the instructor's terminal).
    ///
    /// # Errors
    /// Not a heartbeat: the JSON error, with its line and column.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut beat: Self = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let safe = |s: &mut String| *s = crate::defuse::shown(s);
        for s in [
            &mut beat.player,
            &mut beat.screen,
            &mut beat.outcome,
            &mut beat.game_version,
        ] {
            safe(s);
        }
        for s in [&mut beat.class, &mut beat.mission, &mut beat.last_command]
            .into_iter()
            .flatten()
        {
            safe(s);
        }
        beat.abandoned.iter_mut().for_each(safe);
        beat.finished.iter_mut().for_each(|f| safe(&mut f.mission));
        Ok(beat)
    }

    /// The file this student's heartbeat goes to in `dir`.
    pub fn path(dir: &Path, player: &str) -> PathBuf {
        dir.join(format!("{player}.{EXTENSION}"))
    }
}

/// Writes heartbeats for the game: stamps the wall clock, and keeps when the last command
/// was given (the game itself counts commands and knows no wall clock).
#[derive(Debug, Clone)]
pub struct Pulse {
    path: PathBuf,
    /// (mission, commands) at the last beat, and when that count last changed.
    seen: Option<(Option<String>, usize)>,
    last_command_unix: u64,
}

impl Pulse {
    pub fn new(dir: &Path, player: &str) -> Self {
        Self {
            path: Heartbeat::path(dir, player),
            seen: None,
            last_command_unix: 0,
        }
    }

    /// Writes `beat` at wall-clock time `now_unix`. A failed write is dropped: the watch
    /// view shows the student as silent, and the game goes on.
    pub fn beat(&mut self, mut beat: Heartbeat, now_unix: u64) {
        let key = (beat.mission.clone(), beat.commands);
        if self.seen.as_ref() != Some(&key) {
            self.seen = Some(key);
            self.last_command_unix = now_unix;
        }
        beat.updated_unix = now_unix;
        beat.last_command_unix = self.last_command_unix;
        if let Ok(json) = serde_json::to_string_pretty(&beat) {
            let _ = crate::progress::write_atomic(&self.path, &json);
        }
    }
}

/// A heartbeat as read, or why it could not be.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Beat(Box<Heartbeat>),
    Unreadable { file: PathBuf, why: String },
}

/// Every heartbeat in `dir` and its sub-folders (one level, one per student), sorted by
/// path; bounded in number and size.
///
/// # Errors
/// `dir` cannot be read.
pub fn read_all(dir: &Path) -> Result<Vec<Read>, String> {
    let mut files = Vec::new();
    collect(dir, &mut files, true).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.sort();
    files.truncate(MAX_FILES);
    Ok(files.into_iter().map(|f| read_one(&f)).collect())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>, descend: bool) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten().take(MAX_FILES + 1) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && descend {
            let _ = collect(&path, files, false);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == EXTENSION) {
            files.push(path);
        }
    }
    Ok(())
}

fn read_one(file: &Path) -> Read {
    let parsed = crate::textfile::read_text(file, MAX_BYTES)
        .map_err(|e| e.to_string())
        .and_then(|text| Heartbeat::parse(&text));
    match parsed {
        Ok(beat) => Read::Beat(Box::new(beat)),
        Err(why) => Read::Unreadable {
            file: file.to_path_buf(),
            why,
        },
    }
}

/// How a student is doing, as the watch view says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// Playing, and no command for longer than the stuck limit.
    Stuck,
    /// Still playing, but the game stopped writing (closed laptop, killed terminal).
    Silent,
    Playing,
    /// Between missions: map, briefing or debrief.
    Between,
    /// The game was quit.
    Gone,
}

/// One row of the room.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub beat: Heartbeat,
    pub state: State,
    /// Seconds since the last command (or the mission's start).
    pub idle_s: u64,
    /// Seconds since the file was written.
    pub age_s: u64,
}

/// The room at `now_unix`: stuck students first, then silent, playing, between missions,
/// and those who quit; by name within each. `stuck` is how long without a command counts as
/// stuck. Heartbeats of another class are left out when `class` is given.
pub fn room(beats: &[Read], now_unix: u64, stuck: Duration, class: Option<&str>) -> Vec<Row> {
    let mut rows: Vec<Row> = beats
        .iter()
        .filter_map(|r| match r {
            Read::Beat(b) => Some(b.as_ref()),
            Read::Unreadable { .. } => None,
        })
        .filter(|b| class.is_none_or(|c| b.class.as_deref() == Some(c)))
        .map(|beat| {
            let idle_s = now_unix.saturating_sub(beat.last_command_unix);
            let age_s = now_unix.saturating_sub(beat.updated_unix);
            let state = match beat.screen.as_str() {
                "quit" => State::Gone,
                "playing" if age_s > SILENT_AFTER.as_secs() => State::Silent,
                "playing" if idle_s > stuck.as_secs() => State::Stuck,
                "playing" => State::Playing,
                _ => State::Between,
            };
            Row {
                beat: beat.clone(),
                state,
                idle_s,
                age_s,
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.state, &a.beat.player).cmp(&(b.state, &b.beat.player)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(player: &str, screen: &str, updated: u64, last_command: u64) -> Read {
        Read::Beat(Box::new(Heartbeat {
            player: player.into(),
            screen: screen.into(),
            updated_unix: updated,
            last_command_unix: last_command,
            ..Heartbeat::default()
        }))
    }

    #[test]
    fn stuck_students_come_first_and_silent_games_are_told_apart() {
        let now = 10_000;
        let beats = [
            beat("ada", "playing", now - 2, now - 20),
            beat("bob", "playing", now - 1, now - 400),
            beat("cy", "playing", now - 120, now - 130),
            beat("dan", "debrief", now - 2, now - 900),
            beat("eve", "quit", now - 500, now - 600),
        ];
        let rows = room(&beats, now, Duration::from_mins(3), None);
        let order: Vec<(&str, State)> = rows
            .iter()
            .map(|r| (r.beat.player.as_str(), r.state))
            .collect();
        assert_eq!(
            order,
            [
                ("bob", State::Stuck),
                ("cy", State::Silent),
                ("ada", State::Playing),
                ("dan", State::Between),
                ("eve", State::Gone),
            ]
        );
        assert_eq!(rows[0].idle_s, 400);
    }

    #[test]
    fn the_pulse_keeps_when_the_last_command_was_given() {
        let dir = std::env::temp_dir().join(format!("zerodown-pulse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let mut pulse = Pulse::new(&dir, "ada");
        let playing = |commands| Heartbeat {
            player: "ada".into(),
            screen: "playing".into(),
            mission: Some("07-canary".into()),
            commands,
            ..Heartbeat::default()
        };
        pulse.beat(playing(0), 100);
        pulse.beat(playing(1), 103);
        pulse.beat(playing(1), 106);
        let read = read_all(&dir).expect("read");
        let _ = std::fs::remove_dir_all(&dir);
        let [Read::Beat(b)] = read.as_slice() else {
            panic!("one heartbeat: {read:?}")
        };
        assert_eq!((b.updated_unix, b.last_command_unix), (106, 103));
    }
}
