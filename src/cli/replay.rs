//! `zerodown replay FILE`: watch a recorded run (a run report) in the terminal, at any
//! speed, or check headless (`--check`) that re-running it gives the file back byte for
//! byte.

use std::path::Path;
use std::process::ExitCode;

use crate::defuse::defused_lines as defused;
use crate::replay::Recording;
use crate::report::Report;
use crate::ui::game::SPEEDS;
use crate::ui::{App, Playback, Screen, Settings};

use super::bad_input;

/// Runs `zerodown replay`: 0 the replay matches its file (or was watched), 1 it does not,
/// 2 the file is not a replayable report.
pub fn run(
    file: &Path,
    mission: Option<&str>,
    check: bool,
    speed: u32,
    settings: Settings,
) -> ExitCode {
    let name = file.display();
    let (recording, text) = match Recording::from_file(file) {
        Ok(r) => r,
        Err(e) => return bad_input(&defused(&format!("{name}: {e}"))),
    };
    let loaded = match mission {
        Some(path) => crate::mission::resolve(path)
            .map(|(_, m)| m)
            .map_err(|e| e.to_string()),
        None => recording
            .mission()
            .map_err(|e| format!("{e} (give the mission file with --mission PATH)")),
    };
    let m = match loaded {
        Ok(m) => m,
        Err(e) => return bad_input(&defused(&format!("{name}: {e}"))),
    };
    if let Err(e) = recording.fits(&m) {
        return bad_input(&format!("{name}: {e}"));
    }
    let rerun = recording.rerun(&m);
    let status = compare(&text, &rerun)
        .map(|s| defused(&s))
        .map_err(|s| defused(&s));
    if check {
        return match status {
            Ok(s) => {
                say!("{name}: {s}");
                ExitCode::SUCCESS
            }
            Err(s) => {
                say!("{name}: {s}");
                ExitCode::from(1)
            }
        };
    }
    let label = file
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    let playback = Playback::new(&label, recording.commands.clone());
    let mut app = App::replay(
        settings,
        &recording.mission,
        m,
        recording.seed,
        playback,
        status,
    );
    if let Screen::Play(game) = &mut app.screen {
        // One of the speeds +/- step through, so the player can come back to it.
        game.speed = SPEEDS
            .iter()
            .rev()
            .copied()
            .find(|&s| s <= speed)
            .unwrap_or(1);
    }
    super::run_app(app)
}

/// Whether the re-run report is the file, in words.
fn compare(text: &str, rerun: &Report) -> Result<String, String> {
    let json = rerun.to_json();
    let commands = rerun.commands.len();
    if json == text.trim_end() {
        return Ok(format!(
            "the replay reproduces the report byte for byte ({} s, {})",
            rerun.timeline.last().map_or(0, |e| e.t),
            crate::words::count(commands, "command")
        ));
    }
    match rerun.differs_from(text) {
        Err(e) => Err(format!("not JSON: {e}")),
        Ok(None) => Ok("the replay reproduces the report (the file's formatting differs)".into()),
        Ok(Some((path, said, is))) => Err(format!(
            "the replay differs from the file: {path} says {said}, the replay gives {is}"
        )),
    }
}
