//! Measured, not written: the reference solution and the naive mistake played headless on
//! the mission's seed, so the notes quote what the game really scores today.
//!
//! Built-in missions use the scripts embedded in the binary; a mission file given by path
//! uses `solutions/<stem>.txt` and `mistakes/<stem>.txt` beside it, when they exist.

use std::path::{Path, PathBuf};

use crate::command::parse_script;
use crate::mission::{Mission, mistake_script, solution_script};
use crate::report::Report;
use crate::runner::run_script;

/// One script played to the end.
#[derive(Debug, Clone)]
pub struct Play {
    /// "reference solution" or "the mistake".
    pub name: &'static str,
    /// The script as a student would find it (`levels/mistakes/07-canary.txt`).
    pub file: String,
    /// The script itself, for `--answers`.
    pub text: String,
    pub report: Report,
}

/// Where a mission's reference scripts come from.
#[derive(Debug, Clone)]
pub enum Scripts {
    /// Embedded with a built-in mission.
    Builtin,
    /// Beside a mission file: the directory it lives in.
    Beside(PathBuf),
}

/// Plays the solution and the mistake that exist for `id`, on `seed`. A script that does
/// not parse is bad input: every problem as `file:line:col: message`.
pub fn measure(
    id: &str,
    mission: &Mission,
    scripts: &Scripts,
    seed: u64,
) -> Result<Vec<Play>, String> {
    let mut plays = Vec::new();
    for (name, dir) in [
        ("reference solution", "solutions"),
        ("the mistake", "mistakes"),
    ] {
        let Some((file, text)) = find(id, dir, scripts)? else {
            continue;
        };
        let script = parse_script(&text).map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("{file}:{}:{}: {}", e.line, e.column, e.message))
                .collect();
            lines.join("\n")
        })?;
        let report = run_script(mission, id, &script, seed);
        plays.push(Play {
            name,
            file,
            text,
            report,
        });
    }
    Ok(plays)
}

/// The script's display name and text, if the mission has one.
fn find(id: &str, dir: &str, scripts: &Scripts) -> Result<Option<(String, String)>, String> {
    match scripts {
        Scripts::Builtin => {
            let text = if dir == "solutions" {
                solution_script(id)
            } else {
                mistake_script(id)
            };
            Ok(text.map(|t| (format!("levels/{dir}/{id}.txt"), t.to_string())))
        }
        Scripts::Beside(base) => {
            let path = base.join(dir).join(format!("{id}.txt"));
            read_if_present(&path)
        }
    }
}

fn read_if_present(path: &Path) -> Result<Option<(String, String)>, String> {
    let name = path.display().to_string();
    if !path.exists() {
        return Ok(None);
    }
    crate::textfile::read_text(path, crate::textfile::MAX_SOURCE_BYTES)
        .map(|text| Some((name.clone(), text)))
        .map_err(|e| format!("{name}: {e}"))
}
