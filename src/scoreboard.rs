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

use serde::Deserialize;

use crate::defuse::{defused_lines, shown};
use crate::replay::{Recording, read_limited};
use crate::report::Report;
use crate::workshop::ClassCode;

mod by_mission;
mod render;

pub use by_mission::{Cell, Grid, MissionView, MistakeCount, Played, grid};
pub use render::{Format, render, render_by_mission};

/// More files than this in one folder is not a class (the class's folder is refused), or
/// not one student's (that folder is listed as rejected, and the class is ranked).
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
    /// The heartbeats of class play in the folder (of the class, with a code): students
    /// with no report yet, and the missions they abandoned.
    pub beats: Vec<crate::workshop::live::Heartbeat>,
}

/// One player's line in the ranking: their best report per mission, added up.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub rank: usize,
    pub player: String,
    pub passed: usize,
    /// Missions with a report, none of them passed.
    pub failed: usize,
    /// The class's missions with no report from this player, abandoned ones included.
    pub not_played: usize,
    /// Of those, the ones the player's heartbeat says they left before the end.
    pub abandoned: usize,
    pub missions: usize,
    pub stars: u32,
    /// Points of the passed missions only: a failed run counts 0 on the board (its report
    /// keeps its number), so doing nothing never outranks shipping.
    pub points: u64,
    pub downtime_s: u64,
    /// Mean share of users who saw an error, over the player's missions.
    pub users_affected_pct: f64,
}

/// Reads every `*.json` report in `dir` (and one level of sub-folders, one per student) and
/// checks each against its re-simulation. A `*.json` entry that is not a regular file (a
/// symbolic link, a pipe, a folder) and a student's folder that cannot be read or holds
/// more than `MAX_FILES` files are listed as rejected, and the others are ranked.
///
/// # Errors
/// `dir` cannot be read, or holds more than `MAX_FILES` files.
pub fn collect(dir: &Path, code: Option<&ClassCode>) -> Result<Board, String> {
    let found = report_files(dir)?;
    let reports: Vec<&Path> = found
        .iter()
        .filter_map(|f| match f {
            Found::Report { file, .. } => Some(file.as_path()),
            Found::Refused { .. } => None,
        })
        .collect();
    let mut checked = check_all(&reports, code).into_iter();
    let mut board = Board {
        code: code.cloned(),
        beats: class_beats(dir, code),
        ..Board::default()
    };
    for f in found {
        match f {
            Found::Refused { file, why } => board.rejected.push(Rejection { file, why }),
            Found::Report { file, player } => match checked.next() {
                Some(Ok(report)) => board.accepted.push(Entry {
                    player: player_name(&player, &file, &report.mission),
                    file,
                    report,
                }),
                Some(Err(why)) => board.rejected.push(Rejection { file, why }),
                None => board.rejected.push(Rejection {
                    file,
                    why: "not checked (a bug in zerodown)".into(),
                }),
            },
        }
    }
    Ok(board)
}

/// The heartbeats in the class's folder (of the class, with `code`).
fn class_beats(dir: &Path, code: Option<&ClassCode>) -> Vec<crate::workshop::live::Heartbeat> {
    use crate::workshop::live::{Read, read_all};
    let code = code.map(ToString::to_string);
    read_all(dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| match r {
            Read::Beat(b) => Some(*b),
            Read::Unreadable { .. } => None,
        })
        .filter(|b| code.is_none() || b.class == code)
        .collect()
}

/// An entry of the class's folder: a report to check (with the student's sub-folder, or
/// empty for a report directly in the folder), or one refused on sight.
enum Found {
    Report { file: PathBuf, player: String },
    Refused { file: PathBuf, why: String },
}

/// What the folder holds, sorted by path.
fn report_files(dir: &Path) -> Result<Vec<Found>, String> {
    let entries = sorted_entries(dir).map_err(|e| {
        if e == TOO_MANY {
            format!(
                "{}: more than {MAX_FILES} files; point the scoreboard at one class's folder",
                dir.display()
            )
        } else {
            format!("{}: {e}", dir.display())
        }
    })?;
    let mut found = Vec::new();
    for entry in entries {
        let Ok(kind) = entry.symlink_metadata().map(|m| m.file_type()) else {
            continue;
        };
        if kind.is_dir() && !is_named_report(&entry) {
            student_files(&entry, &mut found);
        } else if kind.is_symlink() || is_named_report(&entry) {
            found.push(classify(entry, kind, String::new()));
        }
    }
    Ok(found)
}

/// The reports in a student's folder; the folder itself is refused (and the class is
/// ranked) when it cannot be read or holds more than `MAX_FILES` files.
fn student_files(folder: &Path, found: &mut Vec<Found>) {
    let player = file_name(folder);
    match sorted_entries(folder) {
        Ok(inner) => {
            for p in inner {
                if !is_named_report(&p) {
                    continue;
                }
                if let Ok(kind) = p.symlink_metadata().map(|m| m.file_type()) {
                    found.push(classify(p, kind, player.clone()));
                }
            }
        }
        Err(e) => found.push(Found::Refused {
            file: folder.to_path_buf(),
            why: if e == TOO_MANY {
                format!("a student's folder with more than {MAX_FILES} files")
            } else {
                format!("a student's folder that cannot be read: {e}")
            },
        }),
    }
}

/// A regular file is a report to check; anything else named like one is refused, never
/// followed or opened (a link to /dev/zero, a pipe that never ends).
fn classify(file: PathBuf, kind: std::fs::FileType, player: String) -> Found {
    let why = if kind.is_file() {
        return Found::Report { file, player };
    } else if kind.is_symlink() {
        "a symbolic link: not followed (copy the report itself into the folder)"
    } else if kind.is_dir() {
        "a folder named like a report"
    } else {
        "not a regular file (a pipe, socket or device)"
    };
    Found::Refused {
        file,
        why: why.to_string(),
    }
}

/// `sorted_entries`' error for a folder with more than `MAX_FILES` entries.
const TOO_MANY: &str = "too many files";

/// The folder's entries sorted, reading no more than `MAX_FILES` + 1 of them.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        if let Ok(e) = e {
            entries.push(e.path());
        }
        if entries.len() > MAX_FILES {
            return Err(TOO_MANY.to_string());
        }
    }
    entries.sort();
    Ok(entries)
}

/// Named `*.json`.
fn is_named_report(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Re-simulates the files on every core; results in the files' order.
fn check_all(files: &[&Path], code: Option<&ClassCode>) -> Vec<Result<Report, String>> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = files.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|f| check_guarded(f, code)).collect()))
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

/// The one field read before anything else.
#[derive(Deserialize)]
struct Header {
    game_version: Option<String>,
}

/// The cheap checks first, and none builds the file into a tree: it is a JSON object, of
/// this game version (a typed read that skips the rest), its recording reads (typed, with
/// limits), its mission is built in, of the class; then the re-run, compared with the file
/// as a stream (`compare`). A file's size was checked before it was read.
fn check_json(text: &str, code: Option<&ClassCode>) -> Result<Report, String> {
    if !text.trim_start().starts_with('{') {
        return Err("not a run report: a report is a JSON object, `{ … }`".into());
    }
    let header: Header =
        serde_json::from_str(text).map_err(|e| format!("not a run report: {e}"))?;
    let ours = env!("CARGO_PKG_VERSION");
    match header.game_version.as_deref() {
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
    match report.differs_from(text) {
        Ok(None) => Ok(report),
        Ok(Some((path, said, is))) => Err(format!(
            "edited: {path} says {said}, the re-simulation gives {is}"
        )),
        Err(e) => Err(format!("not a run report: {e}")),
    }
}

/// A report's points on the board: a failed run counts 0.
pub fn board_points(r: &Report) -> u64 {
    if r.outcome == "passed" {
        u64::from(r.score.points)
    } else {
        0
    }
}

/// Each player's best attempt per mission (a pass before a fail, then more stars, then
/// more points), keyed by (player, mission).
pub fn best_attempts(board: &Board) -> BTreeMap<(String, String), &Entry> {
    let mut best: BTreeMap<(String, String), &Entry> = BTreeMap::new();
    let order = |r: &Report| (r.outcome == "passed", r.stars, r.score.points);
    for e in &board.accepted {
        let key = (e.player.clone(), e.report.mission.clone());
        let better = best
            .get(&key)
            .is_none_or(|b| order(&e.report) > order(&b.report));
        if better {
            best.insert(key, e);
        }
    }
    best
}

/// The runs `zerodown scoreboard --casts` records: for each mission, the best passed run
/// of each of its `n` best players (more stars, then more points, then name), with the
/// place (1 to `n`), by mission id.
pub fn top_passed(board: &Board, n: usize) -> Vec<(usize, &Entry)> {
    let mut passed: Vec<&Entry> = best_attempts(board)
        .into_values()
        .filter(|e| e.report.outcome == "passed")
        .collect();
    passed.sort_by(|a, b| {
        a.report
            .mission
            .cmp(&b.report.mission)
            .then(b.report.stars.cmp(&a.report.stars))
            .then(b.report.score.points.cmp(&a.report.score.points))
            .then(a.player.cmp(&b.player))
    });
    passed
        .chunk_by(|a, b| a.report.mission == b.report.mission)
        .flat_map(|mission| mission.iter().take(n).enumerate().map(|(i, e)| (i + 1, *e)))
        .collect()
}

/// The class's missions in its order, or without a code every mission reported, sorted.
pub fn missions(board: &Board) -> Vec<String> {
    board.code.as_ref().map_or_else(
        || {
            let mut all: Vec<String> = board
                .accepted
                .iter()
                .map(|e| e.report.mission.clone())
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        },
        |c| c.missions.clone(),
    )
}

/// The ranking: each player's best attempt per mission (`best_attempts`), ranked by
/// missions passed, then stars, then the points of passed missions, then less downtime,
/// then name.
pub fn standings(board: &Board) -> Vec<Standing> {
    let best = best_attempts(board);
    let mut by_player: BTreeMap<String, Vec<&Report>> = BTreeMap::new();
    for ((player, _), e) in best {
        by_player.entry(player).or_default().push(&e.report);
    }
    let class_missions = missions(board);
    let missions = class_missions.len();
    let mut rows: Vec<Standing> = by_player
        .into_iter()
        .map(|(player, reports)| Standing {
            rank: 0,
            passed: reports.iter().filter(|r| r.outcome == "passed").count(),
            failed: reports.iter().filter(|r| r.outcome != "passed").count(),
            not_played: missions.saturating_sub(reports.len()),
            abandoned: abandoned(board, &player, &class_missions, &reports),
            missions,
            stars: reports.iter().map(|r| u32::from(r.stars)).sum(),
            points: reports.iter().map(|r| board_points(r)).sum(),
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
        (b.passed, b.stars, b.points, a.downtime_s, &a.player).cmp(&(
            a.passed,
            a.stars,
            a.points,
            b.downtime_s,
            &b.player,
        ))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i + 1;
    }
    rows
}

/// The class's missions `player` has no report of and their heartbeat says they left.
fn abandoned(board: &Board, player: &str, missions: &[String], reports: &[&Report]) -> usize {
    missions
        .iter()
        .filter(|m| !reports.iter().any(|r| &r.mission == *m))
        .filter(|m| board.left(player, m))
        .count()
}

impl Board {
    /// Whether `player`'s heartbeat says they left `mission` before it ended.
    pub fn left(&self, player: &str, mission: &str) -> bool {
        self.beats
            .iter()
            .any(|b| b.player == player && b.abandoned.iter().any(|m| m == mission))
    }
}

/// The player a report belongs to: its folder, or its file name without the mission
/// (`alice-07-canary.json` → `alice`).
pub(crate) fn player_name(folder: &str, file: &Path, mission: &str) -> String {
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
