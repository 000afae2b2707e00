//! Free play: a `Sandbox( .. )` file, or the fleet `zerodown sandbox` builds from flags.
//!
//! A sandbox is a mission without a lesson: the same fleet, traffic, versions, database and
//! pipeline sections (the same types, so the same validator and the same `file:line:col`
//! problems), but every one of them optional, no objectives, stars, hints or quiz, a long
//! duration and every command unlocked. `Sandbox::into_mission` turns it into a `Mission`
//! flagged `sandbox`, which is all the sim, the runner and the UI ever see.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::model::{Database, Fleet, Mission, Pipeline, Slo, Start, Traffic, Version};
use super::validate::known_commands;
use crate::time::Dur;

/// How long a sandbox runs unless it says otherwise.
pub const DEFAULT_DURATION: Dur = Dur::from_secs(3600);

/// Capacity of the external session store the default fleet has (and `--sessions external`
/// adds when a fleet has none), in requests per second: enough never to be the bottleneck
/// of a fleet the size of the campaign's.
pub const DEFAULT_STORE_RPS: f64 = 20_000.0;

/// The default fleet: 20 servers of 100 req/s with an external session store on offer.
const DEFAULT_FLEET: &str = "(servers: 20, capacity_rps: 100.0, session_store_rps: Some(20000.0))";
/// 60 % of the default fleet's capacity: room to take a few servers out.
const DEFAULT_TRAFFIC: &str = "(base_rps: 1200.0)";
/// v1 runs, v2 is a healthy release, v3 a bad one whose errors show after a minute.
const DEFAULT_VERSIONS: &str = r#"{"v1": (), "v2": (), "v3": (errors: 0.05, onset_after: "1m")}"#;

/// A free-play fleet, as written in a `Sandbox( .. )` file. Every field is optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sandbox {
    /// Shown on the briefing and the play screen (default "Your fleet").
    #[serde(default = "default_title")]
    pub title: String,
    /// A note shown before play (what this fleet is for).
    #[serde(default)]
    pub briefing: String,
    #[serde(default = "default_fleet")]
    pub fleet: Fleet,
    #[serde(default = "default_traffic")]
    pub traffic: Traffic,
    #[serde(default = "default_versions")]
    pub versions: BTreeMap<String, Version>,
    /// What runs at the start; default: the first version by name.
    #[serde(default)]
    pub start: Option<Start>,
    #[serde(default)]
    pub database: Database,
    #[serde(default)]
    pub slo: Slo,
    #[serde(default = "default_duration")]
    pub duration: Dur,
    #[serde(default)]
    pub pipeline: Option<Pipeline>,
    #[serde(default = "default_seed")]
    pub seed: u64,
}

impl Default for Sandbox {
    /// The fleet `zerodown sandbox` starts without a file or flags.
    fn default() -> Self {
        builtin("Sandbox()")
    }
}

impl Sandbox {
    /// The mission the sim plays: this fleet, free play.
    pub fn into_mission(self) -> Mission {
        let start = self.start.unwrap_or_else(|| Start {
            version: self.versions.keys().next().cloned().unwrap_or_default(),
        });
        // Parsed rather than written as a struct literal, so a field added to `Mission`
        // later takes its default here too.
        let mut m: Mission = builtin(
            r#"Mission(title: "", fleet: (servers: 1, capacity_rps: 1.0), traffic: (base_rps: 0.0),
               versions: {}, start: (version: ""), duration: "1h", objectives: [],
               stars: (two: 850, three: 950))"#,
        );
        m.title = self.title;
        m.briefing = self.briefing;
        m.fleet = self.fleet;
        m.traffic = self.traffic;
        m.versions = self.versions;
        m.start = start;
        m.database = self.database;
        m.slo = self.slo;
        m.duration = self.duration;
        m.pipeline = self.pipeline;
        m.seed = self.seed;
        free_play(&mut m);
        m
    }
}

/// Makes `mission` free play: every command unlocked, nothing to achieve (so nothing to
/// pass, fail or record) and no quiz. A campaign mission played this way keeps its fleet,
/// story and hints.
pub fn free_play(mission: &mut Mission) {
    mission.sandbox = true;
    mission.unlocks = known_commands().into_iter().map(String::from).collect();
    mission.objectives.clear();
    mission.deadline = None;
    mission.quiz.clear();
}

/// Parses a RON text written in this file.
fn builtin<T: DeserializeOwned>(text: &str) -> T {
    ron::from_str(text).expect("invariant: the built-in sandbox defaults are valid RON")
}

fn default_title() -> String {
    "Your fleet".to_string()
}
fn default_fleet() -> Fleet {
    builtin(DEFAULT_FLEET)
}
fn default_traffic() -> Traffic {
    builtin(DEFAULT_TRAFFIC)
}
fn default_versions() -> BTreeMap<String, Version> {
    builtin(DEFAULT_VERSIONS)
}
fn default_duration() -> Dur {
    DEFAULT_DURATION
}
fn default_seed() -> u64 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mission::validate;

    #[test]
    fn the_default_sandbox_is_a_valid_free_play_mission() {
        let m = Sandbox::default().into_mission();
        assert_eq!(validate(&m), vec![]);
        assert!(m.sandbox);
        assert_eq!(m.fleet.servers, 20);
        assert_eq!(m.start.version, "v1");
        assert_eq!(m.versions.keys().collect::<Vec<_>>(), ["v1", "v2", "v3"]);
        assert!(m.versions["v3"].errors > 0.0, "v3 carries a defect");
        assert_eq!(m.versions["v2"], Version::default(), "v2 is healthy");
        assert_eq!(m.duration, DEFAULT_DURATION);
        assert_eq!(m.unlocks.len(), known_commands().len());
        assert!(m.objectives.is_empty());
        assert_eq!(m.fleet.session_store_rps, Some(DEFAULT_STORE_RPS));
    }

    #[test]
    fn start_defaults_to_the_first_version_by_name() {
        let sandbox = Sandbox {
            versions: builtin(r#"{"b": (), "a": ()}"#),
            ..Sandbox::default()
        };
        assert_eq!(sandbox.into_mission().start.version, "a");
    }
}
