//! The JSON run report: the contract between the simulation, tests, grading and classrooms.
//!
//! Field names and order follow DESIGN §6. Floats are rounded to fixed decimals so that a
//! report reads well and compares byte for byte between runs.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::sim::{Event, Outcome, Score, SecondMetrics, Sim};
use crate::time::TICKS_PER_SEC;

pub mod compare;
mod timeline;

pub use timeline::Timeline;

/// A whole run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub game_version: String,
    pub mission: String,
    pub seed: u64,
    pub outcome: String,
    pub grade: String,
    pub stars: u8,
    pub score: Score,
    pub objectives: Vec<ObjectiveEntry>,
    pub timeline: Vec<TimelineEntry>,
    /// Game-seconds per timeline entry: 1 (and left out of the JSON) unless the run was so
    /// long that its seconds had to be merged to keep the report readable (`Timeline`).
    #[serde(skip_serializing_if = "is_one")]
    pub timeline_step_s: u64,
    pub events: Vec<EventEntry>,
    pub commands: Vec<CommandEntry>,
    /// The order the debrief shows each quiz question's choices in (indices into the
    /// mission file's `choices`), drawn from the seed; absent with no quiz, and in reports
    /// written before it existed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quiz_order: crate::quiz::Order,
}

/// One objective.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ObjectiveEntry {
    pub text: String,
    pub met: bool,
    /// Why it was missed, when the objective can say more than its text (a release ticket).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// One game-second.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineEntry {
    pub t: u64,
    pub arrived: u64,
    pub ok: u64,
    pub failed: u64,
    pub in_flight: u64,
    pub error_rate: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub cpu_avg: f64,
    pub cpu_max: f64,
    pub mem_avg: f64,
    pub servers: u32,
    pub in_service: u32,
    pub by_version: BTreeMap<String, VersionEntry>,
}

/// One version within a second.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VersionEntry {
    pub servers: u32,
    pub in_service: u32,
    pub arrived: u64,
    pub ok: u64,
    pub failed: u64,
    pub p99_ms: f64,
    /// Mirrored traffic (shadow or preview): not user requests.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
}

/// One log line.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventEntry {
    pub t: f64,
    pub severity: String,
    pub text: String,
}

/// One command given, accepted or refused (a refusal's reason is in the events).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommandEntry {
    pub t: f64,
    pub command: String,
}

pub use crate::num::round;

/// Optional fields added to the report after its format was shared: a file without them
/// still checks (see `Report::differs_from`).
const ADDED_FIELDS: &[&str] = &["quiz_order"];

impl TimelineEntry {
    /// The report form of a second's metrics.
    pub fn from_metrics(m: &SecondMetrics, sim: &Sim) -> Self {
        let mut by_version = BTreeMap::new();
        for (shadow, list) in [(false, &m.by_version), (true, &m.shadow_by_version)] {
            for (i, v) in list.iter().enumerate() {
                if v.servers == 0 && v.arrived == 0 {
                    continue;
                }
                let mut name = sim.versions()[i].name.clone();
                if shadow && by_version.contains_key(&name) {
                    name.push_str(" (shadow)");
                }
                let entry = VersionEntry {
                    servers: v.servers,
                    in_service: v.in_service,
                    arrived: v.arrived,
                    ok: v.ok,
                    failed: v.failed,
                    p99_ms: round(v.p99_ms, 1),
                    shadow,
                };
                by_version.insert(name, entry);
            }
        }
        Self {
            t: m.t,
            arrived: m.arrived,
            ok: m.ok,
            failed: m.failed,
            in_flight: m.in_flight,
            error_rate: round(m.error_rate(), 5),
            p50_ms: round(m.p50_ms, 1),
            p95_ms: round(m.p95_ms, 1),
            p99_ms: round(m.p99_ms, 1),
            cpu_avg: round(m.cpu_avg, 4),
            cpu_max: round(m.cpu_max, 4),
            mem_avg: round(m.mem_avg, 4),
            servers: m.servers,
            in_service: m.in_service,
            by_version,
        }
    }
}

impl EventEntry {
    /// The report form of an event.
    pub fn from_event(e: &Event) -> Self {
        Self {
            t: ticks_to_s(e.tick),
            severity: e.severity.as_str().to_string(),
            text: e.text.clone(),
        }
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(n: &u64) -> bool {
    *n == 1
}

fn ticks_to_s(tick: u64) -> f64 {
    round(tick as f64 / TICKS_PER_SEC as f64, 1)
}

impl Report {
    /// Builds the report of a finished run from its collected timeline and events.
    pub fn build(
        mission_id: &str,
        seed: u64,
        sim: &Sim,
        timeline: Timeline,
        events: Vec<EventEntry>,
    ) -> Self {
        let (timeline, timeline_step_s) = timeline.finish();
        let Outcome {
            passed,
            grade,
            stars,
            score: s,
            objectives,
        } = sim.outcome();
        Self {
            game_version: env!("CARGO_PKG_VERSION").to_string(),
            mission: mission_id.to_string(),
            seed,
            outcome: if passed { "passed" } else { "failed" }.to_string(),
            grade: grade.as_str().to_string(),
            stars,
            score: s.rounded(),
            objectives: objectives
                .into_iter()
                .map(|o| ObjectiveEntry {
                    text: o.text,
                    met: o.met,
                    why: o.why,
                })
                .collect(),
            timeline,
            timeline_step_s,
            events,
            commands: sim
                .command_log()
                .iter()
                .map(|(tick, c)| CommandEntry {
                    t: ticks_to_s(*tick),
                    command: c.to_string(),
                })
                .collect(),
            quiz_order: crate::quiz::order(mission_id, seed, &sim.mission().quiz),
        }
    }

    /// The first place the report file `text` differs from this report, read as a stream
    /// (`compare`): the file is never built into a tree. The fields added after a report
    /// format was first shared (`quiz_order`) may be missing from the file, so a report
    /// written before them still checks.
    ///
    /// # Errors
    /// The text is not JSON, or names a key twice in one object.
    pub fn differs_from(&self, text: &str) -> Result<Option<compare::Difference>, String> {
        let expected = serde_json::to_value(self).map_err(|e| e.to_string())?;
        compare::first_difference_in(text, &expected, ADDED_FIELDS)
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
