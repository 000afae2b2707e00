//! Classroom play: where each finished mission's report goes, under whose name.
//!
//! The report is rebuilt by replaying the game's command log headless (the sim is
//! deterministic), so it is exactly the report `zerodown scoreboard` will re-simulate and
//! accept, with the whole timeline however long the mission ran.

use std::path::{Path, PathBuf};

use crate::progress::write_atomic;
use crate::replay::Recording;
use crate::workshop::live::{Finished, Heartbeat, Pulse};

use super::{App, Game, Screen};

/// What class play tells the watch view: the heartbeat's writer and the missions finished
/// and abandoned so far.
#[derive(Debug, Clone)]
pub struct Live {
    pulse: Pulse,
    finished: Vec<Finished>,
    abandoned: Vec<String>,
}

impl Live {
    pub fn new(reports: &Reports) -> Self {
        Self {
            pulse: Pulse::new(&reports.dir, &reports.player),
            finished: Vec::new(),
            abandoned: Vec::new(),
        }
    }

    /// A mission ended: it is no longer abandoned, whatever happened before.
    pub fn finished(&mut self, mission: &str, passed: bool, stars: u8) {
        self.abandoned.retain(|m| m != mission);
        self.finished.push(Finished {
            mission: mission.to_string(),
            passed,
            stars,
        });
    }

    /// A mission left before it ended.
    pub fn abandoned(&mut self, mission: &str) {
        let done = self.finished.iter().any(|f| f.mission == mission);
        if !done && !self.abandoned.iter().any(|m| m == mission) {
            self.abandoned.push(mission.to_string());
        }
    }
}

impl App {
    /// What the game says about itself in class play (`None` without `--reports`).
    pub fn heartbeat(&self) -> Option<Heartbeat> {
        let (live, reports) = (self.live.as_ref()?, self.reports.as_ref()?);
        let mut beat = Heartbeat {
            game_version: env!("CARGO_PKG_VERSION").into(),
            player: reports.player.clone(),
            class: self.class.as_ref().map(ToString::to_string),
            finished: live.finished.clone(),
            abandoned: live.abandoned.clone(),
            ..Heartbeat::default()
        };
        let game = match &self.screen {
            Screen::Play(g) => Some(g.as_ref()),
            Screen::Debrief(d) => Some(&d.game),
            _ => None,
        };
        beat.screen = match &self.screen {
            _ if self.should_quit => "quit",
            Screen::Play(_) => "playing",
            Screen::Debrief(_) => "debrief",
            Screen::Briefing => "briefing",
            _ => "map",
        }
        .into();
        if let Some(g) = game {
            let log = g.sim.command_log();
            beat.mission = Some(g.id.clone());
            beat.game_time_s = g.sim.tick() / crate::time::TICKS_PER_SEC;
            beat.commands = log.len();
            beat.last_command = log.last().map(|(_, c)| c.to_string());
            beat.hints_used = g.hints_shown;
        }
        beat.outcome = match &self.screen {
            Screen::Debrief(d) if d.outcome.passed => "passed".into(),
            Screen::Debrief(_) => "failed".into(),
            Screen::Play(_) if self.should_quit => "abandoned".into(),
            Screen::Play(_) => "playing".into(),
            _ => String::new(),
        };
        if let (Screen::Play(g), true) = (&self.screen, self.should_quit)
            && !beat.abandoned.contains(&g.id)
        {
            beat.abandoned.push(g.id.clone());
        }
        Some(beat)
    }

    /// Writes the heartbeat at wall-clock `now_unix` (class play only).
    pub fn beat(&mut self, now_unix: u64) {
        if let Some(beat) = self.heartbeat()
            && let Some(live) = &mut self.live
        {
            live.pulse.beat(beat, now_unix);
        }
    }
}

/// A folder for reports and the player's name in the file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reports {
    pub dir: PathBuf,
    pub player: String,
}

impl Reports {
    /// Reports of `player` (made safe for a file name) into `dir`.
    pub fn new(dir: &Path, player: &str) -> Self {
        Self {
            dir: dir.to_path_buf(),
            player: file_safe(player),
        }
    }

    /// Checks the folder can take reports: makes it, and writes and removes a probe file.
    ///
    /// # Errors
    /// The folder cannot be made or written to; the message names it.
    pub fn ready(&self) -> Result<(), String> {
        let dir = &self.dir;
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let probe = dir.join(format!(".zerodown-probe-{}", std::process::id()));
        write_atomic(&probe, "").map_err(|e| format!("{}: cannot write: {e}", dir.display()))?;
        let _ = std::fs::remove_file(&probe);
        Ok(())
    }

    /// Writes the finished `game`'s report as `<player>-<mission>.json` (`-2`, `-3`… when
    /// the mission was played before: nothing is overwritten). Returns the path.
    ///
    /// # Errors
    /// The folder cannot be made or the file written; the message names the path.
    pub fn save(&self, game: &Game) -> Result<PathBuf, String> {
        let report =
            Recording::of(&game.id, game.seed, game.sim.command_log()).rerun(game.sim.mission());
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("report not saved: {}: {e}", self.dir.display()))?;
        let stem = format!("{}-{}", self.player, file_safe(&game.id));
        let path = (1..=10_000)
            .map(|n| {
                let name = if n == 1 {
                    format!("{stem}.json")
                } else {
                    format!("{stem}-{n}.json")
                };
                self.dir.join(name)
            })
            .find(|p| !p.exists())
            .unwrap_or_else(|| self.dir.join(format!("{stem}.json")));
        write_atomic(&path, &report.to_json())
            .map_err(|e| format!("report not saved: {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// Letters, digits, `-` and `_` only (anything else becomes `_`), at most 40 characters;
/// never empty.
pub fn file_safe(name: &str) -> String {
    let safe: String = name
        .trim()
        .chars()
        .take(40)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() {
        "player".into()
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_safe_for_files() {
        assert_eq!(file_safe("Ada Lovelace"), "Ada_Lovelace");
        assert_eq!(file_safe("../../etc"), "______etc");
        assert_eq!(file_safe("  "), "player");
        assert_eq!(file_safe("zoë"), "zoë");
    }
}
