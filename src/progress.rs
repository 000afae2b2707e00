//! Saved progress: the best result of every mission, the rank it adds up to, and which
//! missions are open. Pure data here; reading and writing `progress.json` is `store`'s job
//! (the only file I/O), so the rules below are tested without a disk.
//!
//! Nothing here simulates anything or draws anything. Time is a sequence counter
//! (`last_played_seq`), never the wall clock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::defuse::{defused, shown};

mod store;

pub use store::{HOME_ENV, Loaded, Store, StoreError, write_atomic};

/// The file format version this game writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// An imported or loaded file larger than this is refused unread (a save is a few KiB).
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Everything saved between games.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// `FORMAT_VERSION` of the writer.
    pub version: u32,
    /// Mission id → its record. Missions never finished are absent.
    #[serde(default)]
    pub missions: BTreeMap<String, MissionRecord>,
    /// The mission finished most recently.
    #[serde(default)]
    pub last_mission: Option<String>,
}

/// The best of every finished run of one mission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissionRecord {
    /// Most stars of any run (0–3; 0 unless passed).
    pub best_stars: u8,
    /// Most points of any run, passed or not.
    pub best_points: u32,
    /// Passed at least once.
    pub passed: bool,
    /// Finished runs (abandoned runs do not count).
    pub attempts: u32,
    /// Order of play: higher is more recent (a counter, not a time).
    pub last_played_seq: u64,
}

/// The result of one finished run, as the debrief knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunResult {
    pub passed: bool,
    pub stars: u8,
    pub points: u32,
}

/// The story's ranks, lowest first: what a player of that rank can be trusted with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Beginner,
    Intermediate,
    Advanced,
    Pro,
}

impl Rank {
    /// Every rank, lowest first.
    pub const ALL: [Rank; 4] = [
        Rank::Beginner,
        Rank::Intermediate,
        Rank::Advanced,
        Rank::Pro,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rank::Beginner => "Beginner",
            Rank::Intermediate => "Intermediate",
            Rank::Advanced => "Advanced",
            Rank::Pro => "Pro",
        }
    }

    /// What the rank means in the story.
    pub fn skill(self) -> &'static str {
        match self {
            Rank::Beginner => "deploy an app",
            Rank::Intermediate => "deploy a system",
            Rank::Advanced => "debug a failed deploy",
            Rank::Pro => "design release architecture",
        }
    }

    /// Stars needed for this rank when `max` stars exist: 0, ¼, ½ and ¾ of `max`, rounded
    /// up (16 missions: 0, 12, 24, 36 of 48). Proportional, so the ladder stays the same
    /// shape as missions are added; Pro asks for three stars on most of the campaign.
    pub fn threshold(self, max: u32) -> u32 {
        let quarters = match self {
            Rank::Beginner => 0,
            Rank::Intermediate => 1,
            Rank::Advanced => 2,
            Rank::Pro => 3,
        };
        (max * quarters).div_ceil(4)
    }

    /// The rank `total` of `max` stars earns (Beginner when there is nothing to earn).
    pub fn for_stars(total: u32, max: u32) -> Rank {
        if max == 0 {
            return Rank::Beginner;
        }
        Rank::ALL
            .into_iter()
            .rev()
            .find(|r| total >= r.threshold(max))
            .unwrap_or(Rank::Beginner)
    }

    /// The next rank and the stars still missing for it.
    pub fn next(total: u32, max: u32) -> Option<(Rank, u32)> {
        let now = Rank::for_stars(total, max);
        Rank::ALL
            .into_iter()
            .find(|r| *r > now && max > 0)
            .map(|r| (r, r.threshold(max).saturating_sub(total)))
    }
}

/// Whether a mission can be started from the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Open,
    /// Locked until this mission (the one before it) has been passed.
    Locked {
        after: String,
    },
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            missions: BTreeMap::new(),
            last_mission: None,
        }
    }
}

impl Progress {
    /// The record of `id`, if it was ever finished.
    pub fn get(&self, id: &str) -> Option<&MissionRecord> {
        self.missions.get(id)
    }

    /// Whether `id` has been passed.
    pub fn passed(&self, id: &str) -> bool {
        self.get(id).is_some_and(|r| r.passed)
    }

    /// Records a finished run: one more attempt, the best stars and points kept.
    pub fn record(&mut self, id: &str, run: RunResult) {
        let seq = self.next_seq();
        let r = self.missions.entry(id.to_string()).or_default();
        r.attempts = r.attempts.saturating_add(1);
        r.passed |= run.passed;
        if run.passed {
            r.best_stars = r.best_stars.max(run.stars.min(3));
        }
        r.best_points = r.best_points.max(run.points);
        r.last_played_seq = seq;
        self.last_mission = Some(id.to_string());
    }

    /// Adds `other`'s results (another game's, saved on the same file): per mission the best
    /// stars and points, passed if either passed, the larger attempt count and latest play.
    /// `other`'s last mission wins, as the one being saved now. Attempts both games made on
    /// the same mission since they loaded count once.
    pub fn merge(&mut self, other: &Progress) {
        for (id, theirs) in &other.missions {
            let r = self.missions.entry(id.clone()).or_default();
            r.best_stars = r.best_stars.max(theirs.best_stars);
            r.best_points = r.best_points.max(theirs.best_points);
            r.passed |= theirs.passed;
            r.attempts = r.attempts.max(theirs.attempts);
            r.last_played_seq = r.last_played_seq.max(theirs.last_played_seq);
        }
        if other.last_mission.is_some() {
            self.last_mission.clone_from(&other.last_mission);
        }
        self.version = FORMAT_VERSION;
    }

    fn next_seq(&self) -> u64 {
        self.missions
            .values()
            .map(|r| r.last_played_seq)
            .max()
            .map_or(1, |s| s + 1)
    }

    /// Stars earned on the missions in `ids` (others, e.g. from a newer campaign, don't count).
    pub fn total_stars<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> u32 {
        ids.into_iter()
            .filter_map(|id| self.get(id))
            .map(|r| u32::from(r.best_stars))
            .sum()
    }

    /// The rank earned on the missions in `ids` (three stars each at most).
    pub fn rank(&self, ids: &[&str]) -> Rank {
        Rank::for_stars(self.total_stars(ids.iter().copied()), 3 * ids.len() as u32)
    }

    /// Lock state of each mission of `ids`, in the order given. Missions unlock in id order:
    /// the first is open, each next one when the one before it has been passed.
    pub fn access(&self, ids: &[&str]) -> Vec<Access> {
        let mut sorted: Vec<&str> = ids.to_vec();
        sorted.sort_unstable();
        ids.iter()
            .map(|id| {
                let pos = sorted.iter().position(|s| s == id).unwrap_or(0);
                match pos.checked_sub(1).map(|p| sorted[p]) {
                    Some(before) if !self.passed(before) => Access::Locked {
                        after: before.to_string(),
                    },
                    _ => Access::Open,
                }
            })
            .collect()
    }

    /// Index in `ids` of the mission to continue with: the first open one (in id order) not
    /// passed yet; `None` when every mission is passed.
    pub fn continue_at(&self, ids: &[&str]) -> Option<usize> {
        let access = self.access(ids);
        (0..ids.len())
            .filter(|&i| access[i] == Access::Open && !self.passed(ids[i]))
            .min_by_key(|&i| ids[i])
    }

    /// Parses and validates a saved or imported file; every problem at once.
    pub fn from_json(text: &str) -> Result<Progress, Vec<String>> {
        let p: Progress = serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with "at line L column C": say it once, first.
            let msg = e.to_string();
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m);
            // serde repeats an unknown key or a bad value raw: defused, like every id below.
            vec![format!(
                "line {}, column {}: {}",
                e.line(),
                e.column().max(1),
                defused(msg)
            )]
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Pretty JSON, one field a line (the file format).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .expect("invariant: plain structs and string keys always serialize");
        s.push('\n');
        s
    }

    /// Checks what the types cannot: every problem at once.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.version != FORMAT_VERSION {
            problems.push(format!(
                "version {}: this game reads version {FORMAT_VERSION}",
                self.version
            ));
        }
        for (id, r) in &self.missions {
            let valid = is_mission_id(id);
            // Ids come from the file: every message quotes them defused and cut.
            let id = &shown(id);
            if !valid {
                problems.push(format!(
                    "mission id {id:?}: letters, digits, `-` and `_` only, at most 64"
                ));
            }
            if r.best_stars > 3 {
                problems.push(format!("{id}: best_stars {} (at most 3)", r.best_stars));
            }
            if r.best_stars > 0 && !r.passed {
                problems.push(format!("{id}: stars without a pass"));
            }
            if r.attempts == 0 && (r.passed || r.best_points > 0) {
                problems.push(format!("{id}: a result without an attempt"));
            }
        }
        if let Some(last) = &self.last_mission
            && !self.missions.contains_key(last)
        {
            problems.push(format!("last_mission {:?} has no record", shown(last)));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn is_mission_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 3] = ["01-one", "02-two", "03-three"];

    fn run(passed: bool, stars: u8, points: u32) -> RunResult {
        RunResult {
            passed,
            stars,
            points,
        }
    }

    #[test]
    fn recording_keeps_the_best() {
        let mut p = Progress::default();
        p.record("02-two", run(true, 3, 900));
        p.record("02-two", run(true, 1, 400));
        p.record("02-two", run(false, 0, 950));
        let r = p.get("02-two").expect("recorded");
        assert_eq!((r.best_stars, r.best_points), (3, 950));
        assert!(r.passed, "a failed run does not undo a pass");
        assert_eq!(r.attempts, 3);
        assert_eq!(r.last_played_seq, 3);
        p.record("01-one", run(false, 0, 10));
        assert_eq!(
            p.get("01-one").map(|r| (r.passed, r.best_stars)),
            Some((false, 0))
        );
        assert_eq!(p.get("01-one").map(|r| r.last_played_seq), Some(4));
        assert_eq!(p.last_mission.as_deref(), Some("01-one"));
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn rank_thresholds_are_quarters_of_the_stars_present() {
        let max = 48;
        assert_eq!(Rank::ALL.map(|r| r.threshold(max)), [0, 12, 24, 36]);
        assert_eq!(Rank::for_stars(0, max), Rank::Beginner);
        assert_eq!(Rank::for_stars(11, max), Rank::Beginner);
        assert_eq!(Rank::for_stars(12, max), Rank::Intermediate);
        assert_eq!(Rank::for_stars(35, max), Rank::Advanced);
        assert_eq!(Rank::for_stars(48, max), Rank::Pro);
        assert_eq!(Rank::next(30, max), Some((Rank::Pro, 6)));
        assert_eq!(Rank::next(48, max), None);
        // Two missions (6 stars): 0, 2, 3, 5; and nothing to earn is Beginner, not Pro.
        assert_eq!(Rank::ALL.map(|r| r.threshold(6)), [0, 2, 3, 5]);
        assert_eq!(Rank::for_stars(0, 0), Rank::Beginner);
        assert_eq!(Rank::Pro.skill(), "design release architecture");
    }

    #[test]
    fn rank_counts_only_missions_present() {
        let mut p = Progress::default();
        p.record("99-gone", run(true, 3, 1000));
        assert_eq!(p.rank(&IDS), Rank::Beginner);
        // Nine stars: 0, 3, 5 and 7 for the four ranks.
        p.record("01-one", run(true, 3, 1000));
        assert_eq!(p.rank(&IDS), Rank::Intermediate, "3 of 9 ≥ ¼");
        p.record("02-two", run(true, 3, 1000));
        assert_eq!(p.rank(&IDS), Rank::Advanced, "6 of 9 ≥ ½");
        p.record("03-three", run(true, 1, 1000));
        assert_eq!(p.rank(&IDS), Rank::Pro, "7 of 9 ≥ ¾");
    }

    #[test]
    fn missions_unlock_in_id_order() {
        let mut p = Progress::default();
        // Given out of order: the order is the ids', not the list's.
        let ids = ["03-three", "01-one", "02-two"];
        let locked = |after: &str| Access::Locked {
            after: after.to_string(),
        };
        assert_eq!(
            p.access(&ids),
            [locked("02-two"), Access::Open, locked("01-one")]
        );
        assert_eq!(p.continue_at(&ids), Some(1));
        p.record("01-one", run(false, 0, 100));
        assert_eq!(p.access(&ids)[2], locked("01-one"), "failing opens nothing");
        p.record("01-one", run(true, 1, 500));
        assert_eq!(
            p.access(&ids),
            [locked("02-two"), Access::Open, Access::Open]
        );
        assert_eq!(p.continue_at(&ids), Some(2));
        p.record("02-two", run(true, 2, 500));
        p.record("03-three", run(true, 2, 500));
        assert!(p.access(&ids).iter().all(|a| *a == Access::Open));
        assert_eq!(p.continue_at(&ids), None);
    }

    #[test]
    fn json_round_trips_and_bad_files_say_every_problem() {
        let mut p = Progress::default();
        p.record("02-two", run(true, 2, 700));
        assert_eq!(Progress::from_json(&p.to_json()), Ok(p));
        let bad = r#"{"version": 2, "missions": {"x y": {"best_stars": 5, "best_points": 1,
            "passed": false, "attempts": 0, "last_played_seq": 1}}, "last_mission": "z"}"#;
        let problems = Progress::from_json(bad).expect_err("invalid");
        assert_eq!(problems.len(), 6, "{problems:?}");
        let syntax = Progress::from_json("{\"version\": 1,").expect_err("truncated");
        assert!(syntax[0].starts_with("line 1, column"), "{syntax:?}");
        let unknown = Progress::from_json(r#"{"version": 1, "cheat": true}"#);
        assert!(unknown.is_err());
    }
}
