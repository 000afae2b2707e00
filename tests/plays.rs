//! Every mission holds against plays its author did not write (`levels/plays/<id>/`):
//! `pro-*.txt` are other sound strategies a senior SRE would accept and must pass;
//! `naive-*.txt` dodge or miss the lesson (doing nothing, stopping before the fault shows,
//! skipping the bad release, too-large batches, the facilitator notes' mistakes) and must
//! fail or earn at most one star. Each runs on the five seeds below, whose faults differ
//! (`vary_faults`), so no play tuned to one seed's clock holds everywhere by luck.

mod common;

use std::path::Path;

use common::{builtin, crate_path};
use zerodown::command::parse_script;
use zerodown::runner::run_script;

const SEEDS: [u64; 5] = [1, 2, 3, 11, 42];

/// The plays of one mission: (file name, script text), sorted by name.
fn plays(id: &str) -> Vec<(String, String)> {
    let dir = crate_path(&format!("levels/plays/{id}"));
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = file_name(&p);
            let text = std::fs::read_to_string(&p).expect("a play");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Runs every play of `id` on every seed; returns the lines that break the lesson.
fn broken(id: &str) -> Vec<String> {
    let mission = builtin(id);
    let list = plays(id);
    let pros = list.iter().filter(|(n, _)| n.starts_with("pro-")).count();
    let naives = list.iter().filter(|(n, _)| n.starts_with("naive-")).count();
    assert!(
        pros >= 3 && naives >= 3,
        "{id}: {pros} pro and {naives} naive plays"
    );
    let mut out = Vec::new();
    for (name, text) in &list {
        let script = parse_script(text).unwrap_or_else(|e| panic!("{id}/{name}: {e:?}"));
        for seed in SEEDS {
            let r = run_script(&mission, id, &script, seed);
            let passed = r.outcome == "passed";
            let missed: Vec<&str> = r
                .objectives
                .iter()
                .filter(|o| !o.met)
                .map(|o| o.text.as_str())
                .collect();
            let wrong = if name.starts_with("pro-") {
                !passed
            } else {
                passed && r.stars > 1
            };
            if wrong {
                out.push(format!(
                    "{id}/{name} seed {seed}: {} {}★ {} points, missed {missed:?}",
                    r.outcome, r.stars, r.score.points
                ));
            }
        }
    }
    out
}

fn holds(ids: &[&str]) {
    let failures: Vec<String> = ids.iter().flat_map(|id| broken(id)).collect();
    assert!(
        failures.is_empty(),
        "the lesson breaks:\n{}",
        failures.join("\n")
    );
}

#[test]
fn chapter_1_holds_against_its_plays() {
    holds(&["01-one-server", "02-all-at-once", "03-rolling-by-hand"]);
}

#[test]
fn mission_04_holds_against_its_plays() {
    holds(&["04-rolling-at-peak"]);
}

#[test]
fn missions_05_and_06_hold_against_their_plays() {
    holds(&["05-bad-build", "06-blue-green"]);
}

#[test]
fn missions_07_and_08_hold_against_their_plays() {
    holds(&["07-canary", "08-slow-poison"]);
}

#[test]
fn missions_09_to_11_hold_against_their_plays() {
    holds(&["09-shadow", "10-mixed-versions", "11-migration"]);
}

#[test]
fn missions_12_to_14_hold_against_their_plays() {
    holds(&["12-sessions", "13-health-checks", "14-pipeline"]);
}

#[test]
fn missions_15_and_16_hold_against_their_plays() {
    holds(&["15-monitoring", "16-interview"]);
}

#[test]
fn every_mission_has_its_corpus() {
    for (id, _) in zerodown::mission::builtin() {
        let dir = crate_path(&format!("levels/plays/{id}"));
        assert!(dir.is_dir(), "{id} has no plays in levels/plays/{id}");
    }
}
