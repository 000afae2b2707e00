//! The classroom scoreboard: gathers run reports from a folder, re-simulates every one from
//! its seed and command log, and ranks the players.
//!
//! Nothing a report says about its own score is believed: the game re-runs the recorded
//! commands on the recorded mission and seed (the simulation is deterministic) and compares
//! the whole re-run report with the file. A report whose score, timeline or anything else
//! was edited no longer matches and is rejected, with the first field that differs. So are
//! reports from another game version, of a mission that is not built in, of another class
//! (with `--code`), and hostile files: too large, malformed, or with impossible commands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::defuse::{defused_lines, shown};
use crate::replay::{Recording, read_limited};
use crate::report::Report;
use crate::workshop::ClassCode;

mod render;

pub use render::{Format, render};

/// More files than this in one folder is not a class.
pub const MAX_FILES: usize = 5_000;

/// A report that checked out: re-simulated, and identical to the file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The student's sub-folder, or the file name without the mission.
    pub player: String,
    pub file: PathBuf,
    pub report: Report,
}

/// A report that did not, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub file: PathBuf,
    pub why: String,
}

/// Everything found in the folder.
#[derive(Debug, Clone, Default)]
pub struct Board {
    pub accepted: Vec<Entry>,
    pub rejected: Vec<Rejection>,
    /// The class the reports were checked against, if any.
    pub code: Option<ClassCode>,
}

/// One player's line in the ranking: their best report per mission, added up.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub rank: usize,
    pub player: String,
    pub passed: usize,
    pub missions: usize,
    pub stars: u32,
    pub points: u64,
    pub downtime_s: u64,
    /// Mean share of users who saw an error, over the player's missions.
    pub users_affected_pct: f64,
}

/// Reads every `*.json` report in `dir` (and one level of sub-folders, one per student) and
/// checks each against its re-simulation.
///
/// # Errors
/// `dir` cannot be read, or holds more than `MAX_FILES` reports.
pub fn collect(dir: &Path, code: Option<&ClassCode>) -> Result<Board, String> {
    let files = report_files(dir)?;
    let checked = check_all(&files, code);
    let mut board = Board {
        code: code.cloned(),
        ..Board::default()
    };
    for ((file, player), result) in files.into_iter().zip(checked) {
        match result {
            Ok(report) => board.accepted.push(Entry {
                player: player_name(&player, &file, &report.mission),
                file,
                report,
            }),
            Err(why) => board.rejected.push(Rejection { file, why }),
        }
    }
    Ok(board)
}

/// `(file, folder)` for every report file, sorted by path: the folder is the student's
/// sub-folder, or empty for a report directly in `dir`.
fn report_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut found = Vec::new();
    for entry in sorted_entries(dir)? {
        let Ok(kind) = entry.symlink_metadata().map(|m| m.file_type()) else {
            continue;
        };
        if kind.is_dir() {
            let player = file_name(&entry);
            // A student's folder that cannot be read is that student's problem, not the
            // class's: it is listed as rejected, and the others are ranked.
            match sorted_entries(&entry) {
                Ok(inner) => found.extend(
                    inner
                        .into_iter()
                        .filter(|p| is_report(p))
                        .map(|p| (p, player.clone())),
                ),
                Err(_) => found.push((entry.clone(), player)),
            }
        } else if is_report(&entry) {
            found.push((entry.clone(), String::new()));
        }
        if found.len() > MAX_FILES {
            return Err(format!(
                "{}: more than {MAX_FILES} reports; point the scoreboard at one class's folder",
                dir.display()
            ));
        }
    }
    Ok(found)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// A regular `.json` file (symlinks are not followed: a link to /dev/zero is not a report).
fn is_report(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
        && path.symlink_metadata().is_ok_and(|m| m.is_file())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Re-simulates the files on every core; results in the files' order.
fn check_all(files: &[(PathBuf, String)], code: Option<&ClassCode>) -> Vec<Result<Report, String>> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = files.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|(f, _)| check_guarded(f, code)).collect()))
            .collect();
        handles
            .into_iter()
            .zip(files.chunks(chunk))
            .flat_map(|(h, part)| {
                // Each file is checked under `catch_unwind`: a bug in the game blames one
                // file, never the rest of its chunk.
                h.join().unwrap_or_else(|_| {
                    vec![Err("the check crashed (a bug in zerodown)".to_string()); part.len()]
                })
            })
            .collect()
    })
}

/// `check`, with a panic (a bug in the game) turned into this file's rejection.
fn check_guarded(file: &Path, code: Option<&ClassCode>) -> Result<Report, String> {
    if file.is_dir() {
        return Err("a student's folder that cannot be read".to_string());
    }
    std::panic::catch_unwind(|| check(file, code))
        .unwrap_or_else(|_| Err("the check crashed (a bug in zerodown)".to_string()))
}

/// One file: read it (bounded), re-run it, and compare.
///
/// # Errors
/// Why the report is not accepted, in words for the instructor.
pub fn check(file: &Path, code: Option<&ClassCode>) -> Result<Report, String> {
    let text = read_limited(file).map_err(|e| e.to_string())?;
    check_text(&text, code)
}

/// A report's text against its re-simulation (see `check`).
///
/// # Errors
/// Why the report is not accepted (safe to print: text from the file is defused).
pub fn check_text(text: &str, code: Option<&ClassCode>) -> Result<Report, String> {
    check_json(text, code).map_err(|why| defused_lines(&why))
}

fn check_json(text: &str, code: Option<&ClassCode>) -> Result<Report, String> {
    let claimed: Value =
        serde_json::from_str(text).map_err(|e| format!("not a run report: {e}"))?;
    let ours = env!("CARGO_PKG_VERSION");
    match claimed.get("game_version").and_then(Value::as_str) {
        Some(v) if v == ours => {}
        Some(v) => {
            return Err(format!(
                "made with zerodown {}, this is {ours}: it can only be checked by the same version",
                shown(v)
            ));
        }
        None => return Err("not a run report: no game_version".into()),
    }
    let recording = Recording::from_report_json(text).map_err(|e| e.to_string())?;
    let mission = recording.mission().map_err(|e| e.to_string())?;
    if let Some(code) = code {
        if !code.has(&recording.mission) {
            return Err(format!(
                "mission {} is not one of this class's",
                recording.mission
            ));
        }
        if recording.seed != u64::from(code.seed) {
            return Err(format!(
                "played with seed {}, the class uses {}",
                recording.seed, code.seed
            ));
        }
    }
    recording.fits(&mission).map_err(|e| e.to_string())?;
    let report = recording.rerun(&mission);
    let rerun = report.to_value_like(&claimed)?;
    match first_difference(&claimed, &rerun, "") {
        None => Ok(report),
        Some((path, said, is)) => Err(format!(
            "edited: {path} says {said}, the re-simulation gives {is}"
        )),
    }
}

/// The first place two JSON values differ: (path, left, right), values shortened.
pub(crate) fn first_difference(
    said: &Value,
    is: &Value,
    path: &str,
) -> Option<(String, String, String)> {
    let at = |p: &str| {
        if p.is_empty() {
            "the report".to_string()
        } else {
            p.to_string()
        }
    };
    match (said, is) {
        (Value::Object(left), Value::Object(right)) => {
            for (k, vb) in right {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match left.get(k) {
                    Some(va) => {
                        if let Some(d) = first_difference(va, vb, &p) {
                            return Some(d);
                        }
                    }
                    None => return Some((p, "nothing".into(), shown(&vb.to_string()))),
                }
            }
            left.keys().find(|k| !right.contains_key(*k)).map(|k| {
                (
                    format!("{}{}", prefix(path), shown(k)),
                    "a field".into(),
                    "none".into(),
                )
            })
        }
        (Value::Array(left), Value::Array(right)) => {
            for (i, (va, vb)) in left.iter().zip(right).enumerate() {
                if let Some(d) = first_difference(va, vb, &format!("{path}[{i}]")) {
                    return Some(d);
                }
            }
            (left.len() != right.len()).then(|| {
                (
                    at(path),
                    format!("{} entries", left.len()),
                    format!("{} entries", right.len()),
                )
            })
        }
        _ if said == is => None,
        _ => Some((at(path), shown(&said.to_string()), shown(&is.to_string()))),
    }
}

fn prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    }
}

/// The ranking: best report per player and mission, summed; ties broken by stars, then
/// less downtime, then name.
pub fn standings(board: &Board) -> Vec<Standing> {
    let mut best: BTreeMap<(String, String), &Report> = BTreeMap::new();
    for e in &board.accepted {
        let key = (e.player.clone(), e.report.mission.clone());
        let better = best
            .get(&key)
            .is_none_or(|b| (e.report.score.points, e.report.stars) > (b.score.points, b.stars));
        if better {
            best.insert(key, &e.report);
        }
    }
    let mut by_player: BTreeMap<String, Vec<&Report>> = BTreeMap::new();
    for ((player, _), r) in best {
        by_player.entry(player).or_default().push(r);
    }
    let missions = board.code.as_ref().map_or_else(
        || {
            let mut all: Vec<&str> = board
                .accepted
                .iter()
                .map(|e| e.report.mission.as_str())
                .collect();
            all.sort_unstable();
            all.dedup();
            all.len()
        },
        |c| c.missions.len(),
    );
    let mut rows: Vec<Standing> = by_player
        .into_iter()
        .map(|(player, reports)| Standing {
            rank: 0,
            passed: reports.iter().filter(|r| r.outcome == "passed").count(),
            missions,
            stars: reports.iter().map(|r| u32::from(r.stars)).sum(),
            points: reports.iter().map(|r| u64::from(r.score.points)).sum(),
            downtime_s: reports.iter().map(|r| r.score.downtime_s).sum(),
            users_affected_pct: reports
                .iter()
                .map(|r| r.score.users_affected_pct)
                .sum::<f64>()
                / reports.len() as f64,
            player,
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.points, b.stars, a.downtime_s, &a.player).cmp(&(
            a.points,
            a.stars,
            b.downtime_s,
            &b.player,
        ))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    rows
}

/// The player a report belongs to: its folder, or its file name without the mission
/// (`alice-07-canary.json` → `alice`).
fn player_name(folder: &str, file: &Path, mission: &str) -> String {
    if !folder.is_empty() {
        return shown(folder);
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `alice-07-canary.json`, or `alice-07-canary-2.json` for a second try.
    let name = stem
        .find(mission)
        .map(|at| stem[..at].trim_end_matches(['-', '_', '.', ' ']))
        .filter(|s| !s.is_empty())
        .unwrap_or(&stem);
    shown(name)
}
