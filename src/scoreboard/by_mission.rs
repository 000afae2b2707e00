//! The class by mission (`zerodown scoreboard DIR --by-mission`): a student × mission grid
//! of each student's best attempt, what it missed and how fast it detected and restored;
//! and per mission, how many students made each of the facilitator notes' common mistakes
//! (in any of their attempts), recognised by the rule each mistake breaks (`Mistake.seen`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Board, best_attempts, board_points, missions, standings};
use crate::mission::Mistake;
use crate::report::Report;

/// The whole view.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// In the order of the ranking.
    pub players: Vec<String>,
    pub missions: Vec<MissionView>,
}

/// One mission of the class.
#[derive(Debug, Clone)]
pub struct MissionView {
    pub id: String,
    /// One per player, in `Grid::players`' order.
    pub cells: Vec<Cell>,
    /// The notes' mistakes, each with the students who made it.
    pub mistakes: Vec<MistakeCount>,
}

/// A student's result in a mission.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No report.
    NotPlayed,
    /// No report, and the student's heartbeat says they left it before it ended.
    Abandoned,
    /// The best attempt.
    Played(Box<Played>),
}

/// A student's best attempt at a mission, and what all their attempts showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    pub outcome: String,
    pub stars: u8,
    /// Points on the board (0 for a failed run).
    pub points: u64,
    /// The objectives the best attempt missed.
    pub missed: Vec<String>,
    pub mttd_s: Option<f64>,
    pub mttr_s: Option<f64>,
    pub downtime_s: u64,
    pub users_affected_pct: f64,
    pub attempts: usize,
    /// The notes' mistakes seen in any attempt, by their `what`.
    pub mistakes: Vec<String>,
    pub file: PathBuf,
}

/// A common mistake and the students who made it.
#[derive(Debug, Clone, PartialEq)]
pub struct MistakeCount {
    pub what: String,
    pub players: Vec<String>,
    /// Whether the mission's notes say how to recognise it (`seen`).
    pub recognised: bool,
}

impl MissionView {
    /// Students with a report of this mission, and how many of them passed.
    pub fn played_passed(&self) -> (usize, usize) {
        let played: Vec<&Played> = self
            .cells
            .iter()
            .filter_map(|c| match c {
                Cell::Played(p) => Some(p.as_ref()),
                Cell::NotPlayed | Cell::Abandoned => None,
            })
            .collect();
        let passed = played.iter().filter(|p| p.outcome == "passed").count();
        (played.len(), passed)
    }
}

/// The grid of `board`; its heartbeats add the students who have no report yet and the
/// missions they abandoned.
pub fn grid(board: &Board) -> Grid {
    let mut players: Vec<String> = standings(board).into_iter().map(|s| s.player).collect();
    for b in &board.beats {
        if !players.contains(&b.player) {
            players.push(b.player.clone());
        }
    }
    let best = best_attempts(board);
    let mut attempts: BTreeMap<(&str, &str), Vec<&Report>> = BTreeMap::new();
    for e in &board.accepted {
        attempts
            .entry((e.player.as_str(), e.report.mission.as_str()))
            .or_default()
            .push(&e.report);
    }
    let missions = missions(board)
        .into_iter()
        .map(|id| {
            let notes = notes_mistakes(&id);
            let cells: Vec<Cell> = players
                .iter()
                .map(|player| {
                    let key = (player.clone(), id.clone());
                    let Some(entry) = best.get(&key) else {
                        return if board.left(player, &id) {
                            Cell::Abandoned
                        } else {
                            Cell::NotPlayed
                        };
                    };
                    let tries = attempts
                        .get(&(player.as_str(), id.as_str()))
                        .map_or(&[][..], Vec::as_slice);
                    Cell::Played(Box::new(played(entry, tries, &notes)))
                })
                .collect();
            let mistakes = notes
                .iter()
                .map(|m| MistakeCount {
                    what: m.what.clone(),
                    players: players
                        .iter()
                        .zip(&cells)
                        .filter(
                            |(_, c)| matches!(c, Cell::Played(p) if p.mistakes.contains(&m.what)),
                        )
                        .map(|(p, _)| p.clone())
                        .collect(),
                    recognised: m.seen.is_some(),
                })
                .collect();
            MissionView {
                id,
                cells,
                mistakes,
            }
        })
        .collect();
    Grid { players, missions }
}

fn played(entry: &super::Entry, tries: &[&Report], notes: &[Mistake]) -> Played {
    let r = &entry.report;
    Played {
        outcome: r.outcome.clone(),
        stars: r.stars,
        points: board_points(r),
        missed: r
            .objectives
            .iter()
            .filter(|o| !o.met)
            .map(|o| o.text.clone())
            .collect(),
        mttd_s: r.score.mttd_s,
        mttr_s: r.score.mttr_s,
        downtime_s: r.score.downtime_s,
        users_affected_pct: r.score.users_affected_pct,
        attempts: tries.len(),
        mistakes: notes
            .iter()
            .filter(|m| {
                m.seen
                    .as_ref()
                    .is_some_and(|s| tries.iter().any(|r| s.seen_in(r)))
            })
            .map(|m| m.what.clone())
            .collect(),
        file: entry.file.clone(),
    }
}

/// The common mistakes of a built-in mission's notes (none for a mission that has none).
fn notes_mistakes(id: &str) -> Vec<Mistake> {
    crate::mission::builtin()
        .iter()
        .find(|(b, _)| *b == id)
        .and_then(|(_, source)| crate::mission::load_str(source, id).ok())
        .and_then(|m| m.facilitator)
        .map(|f| f.mistakes)
        .unwrap_or_default()
}
