//! The lessons, played through script text: all at once is an outage even for a good
//! release, a broken release to everyone is a long one, a drained rolling update is
//! invisible, and skipping the drain logs users out. Every level's reference solution
//! passes with three stars on seeds 1..=10 (large fleets in a test of their own, so the
//! two run in parallel), and its naive mistake fails or scores at most one
//! star, fewer points than the solution, and breaks the objectives its lesson is about.

mod common;

use common::{Spec, builtin, read, run_level, run_text};
use zerodown::command::parse_script;
use zerodown::report::Report;
use zerodown::runner::run_script;

/// Twenty servers at 1 200 rps (60 %), v2 with `v2` fields, 8 minutes.
fn twenty(v2: &str) -> zerodown::mission::Mission {
    let mut spec = Spec::fleet(20, 1200.0).v2(v2);
    spec.duration = "8m".into();
    spec.noise = true;
    spec.mission()
}

/// Ten batches of two: with `drain` each batch is drained before its deploy.
fn two_at_a_time(drain: bool) -> String {
    let mut lines = vec!["wait 10s".to_string()];
    for i in (1..=20).step_by(2) {
        let batch = format!("web-{i:02},web-{:02}", i + 1);
        if drain {
            lines.push(format!("drain {batch}\nwait until drained {batch}"));
        }
        lines.push(format!("deploy v2 {batch}\nwait until ready {batch}"));
    }
    lines.join("\n")
}

const ALL_AT_ONCE: &str = "wait 10s\ndeploy v2 all\nwait 2m\n";

#[test]
fn a_broken_release_to_everyone_is_a_long_outage() {
    for v2 in ["errors: 1.0", "fails_to_start: true"] {
        let r = run_text(&twenty(v2), ALL_AT_ONCE, 1);
        assert_eq!(r.outcome, "failed", "{v2}");
        assert!(
            r.score.downtime_s > 20,
            "{v2}: downtime {}",
            r.score.downtime_s
        );
        assert!(r.score.availability < 0.5, "{v2}: {}", r.score.availability);
        assert_eq!((r.stars, r.grade.as_str()), (0, "F"), "{v2}");
    }
}

#[test]
fn a_good_release_to_everyone_at_once_is_still_an_outage() {
    let r = run_text(&twenty(""), ALL_AT_ONCE, 1);
    assert_eq!(r.outcome, "failed");
    // Install, boot and health checks (~35 s) with no server in service.
    assert!(r.score.downtime_s >= 30, "downtime {}", r.score.downtime_s);
    assert!(
        r.timeline
            .iter()
            .any(|e| e.in_service == 0 && e.error_rate == 1.0)
    );
    let last = r.timeline.last().expect("a timeline");
    assert_eq!(
        last.by_version["v2"].in_service, 20,
        "it did converge, late"
    );
}

#[test]
fn a_drained_rolling_update_is_invisible() {
    let r = run_text(&twenty(""), &two_at_a_time(true), 1);
    let s = &r.score;
    assert_eq!(
        (s.downtime_s, s.failed_requests, s.sessions_lost),
        (0, 0, 0),
        "{s:?}"
    );
    assert_eq!((r.outcome.as_str(), r.stars), ("passed", 3), "{s:?}");
    assert!(
        r.timeline.iter().all(|e| e.in_service >= 18),
        "at most two out at a time"
    );
    assert!(
        s.rollout_s.is_some_and(|t| t < 420.0),
        "rollout {:?}",
        s.rollout_s
    );
}

#[test]
fn deploying_without_draining_fails_in_flight_requests() {
    let drained = run_text(&twenty(""), &two_at_a_time(true), 1);
    let r = run_text(&twenty(""), &two_at_a_time(false), 1);
    // Stateless sessions: no one is logged out, but every stopped server fails what it
    // held and what the balancer keeps sending it until its checks fail.
    assert_eq!(r.score.sessions_lost, 0);
    assert!(r.score.failed_requests > 0);
    assert!(r.score.users_affected_pct > drained.score.users_affected_pct);
    assert!(r.events.iter().any(|e| e.text.contains("still in traffic")));
}

/// Twenty servers whose sessions live in memory (so routing is sticky).
fn twenty_in_memory() -> zerodown::mission::Mission {
    let mut spec = Spec::fleet(20, 1200.0).in_memory("");
    spec.duration = "8m".into();
    spec.noise = true;
    spec.mission()
}

#[test]
fn a_drain_keeps_requests_but_not_in_memory_sessions() {
    let drained = run_text(&twenty_in_memory(), &two_at_a_time(true), 1);
    let raw = run_text(&twenty_in_memory(), &two_at_a_time(false), 1);
    // 1 200 rps / 0.5 per user = 2 400 users, 120 a server: every server leaves the
    // balancer once, drained or not.
    common::assert_drain_keeps_requests_not_sessions(&drained, &raw, 2000, 500);
}

fn assert_three_stars(id: &str, r: &Report) {
    assert_eq!(
        (r.outcome.as_str(), r.stars),
        ("passed", 3),
        "solutions/{id}.txt (seed {}): {:?} {:?}",
        r.seed,
        r.score,
        r.objectives
    );
}

/// What each mistake must break: objectives (by the start of their text in the report) that
/// the naive play leaves unmet, because they are the mission's lesson. A mission that is not
/// listed is still checked for failing or at most one star.
const MISTAKE_BREAKS: &[(&str, &[&str])] = &[
    ("01-one-server", &["at most 100% of the error budget"]),
    ("02-all-at-once", &["downtime at most"]),
    ("03-rolling-by-hand", &["downtime at most"]),
    (
        "04-rolling-at-peak",
        &["downtime at most", "at most 50% of the error budget"],
    ),
    (
        "05-bad-build",
        &[
            "react to a fault",
            "any user impact restored",
            "no server left on a stopped release",
        ],
    ),
    ("06-blue-green", &["any user impact restored"]),
    (
        "07-canary",
        &["no server left on a stopped release", "downtime at most"],
    ),
    (
        "08-slow-poison",
        &["no server left on a stopped release", "downtime at most"],
    ),
    (
        "09-shadow",
        &["no server left on a stopped release", "downtime at most"],
    ),
    ("10-mixed-versions", &["downtime at most"]),
    ("11-migration", &["no damaged data"]),
    (
        "15-monitoring",
        &["react to a fault", "no server left on a stopped release"],
    ),
    (
        "16-interview",
        &[
            "no server left on a stopped release",
            "react to a fault within 1m",
        ],
    ),
];

#[test]
fn every_level_has_a_three_star_solution_and_a_failing_mistake() {
    let ids: Vec<&str> = zerodown::mission::builtin()
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert!(ids.len() >= 2, "levels: {ids:?}");
    for id in ids {
        let solution = run_level(id, "solutions");
        assert_three_stars(id, &solution);
        let m = run_level(id, "mistakes");
        assert!(
            m.outcome == "failed" || m.stars <= 1,
            "mistakes/{id}.txt should not do well: {} {} stars {:?}",
            m.outcome,
            m.stars,
            m.score
        );
        // A failed run's points are not counted (the board and the debrief say so).
        let counted = if m.outcome == "passed" {
            m.score.points
        } else {
            0
        };
        assert!(
            counted < solution.score.points,
            "mistakes/{id}.txt: {} points, the solution {}",
            m.score.points,
            solution.score.points
        );
        let breaks = MISTAKE_BREAKS
            .iter()
            .find(|(k, _)| *k == id)
            .map_or(&[][..], |(_, b)| *b);
        for text in breaks {
            let objective = m
                .objectives
                .iter()
                .find(|o| o.text.starts_with(text))
                .unwrap_or_else(|| panic!("{id}: no objective `{text}…`: {:?}", m.objectives));
            assert!(
                !objective.met,
                "mistakes/{id}.txt should break `{}`: {:?}",
                objective.text, m.objectives
            );
        }
    }
}

/// Every solution replays on seeds 1..=10: the reference play does not depend on a lucky
/// seed. Large fleets (the 100-server interview) get their own test so the two run in
/// parallel.
const SMALL_FLEET: u32 = 30;

fn solutions_on_ten_seeds(large: bool) {
    for (id, _) in zerodown::mission::builtin() {
        let mission = builtin(id);
        if (mission.fleet.servers > SMALL_FLEET) != large {
            continue;
        }
        let script = parse_script(&read(&format!("levels/solutions/{id}.txt")))
            .unwrap_or_else(|e| panic!("{id}: {e:?}"));
        for seed in 1..=10 {
            assert_three_stars(id, &run_script(&mission, id, &script, seed));
        }
    }
}

#[test]
fn solutions_pass_with_three_stars_on_ten_seeds() {
    solutions_on_ten_seeds(false);
}

#[test]
fn large_fleet_solutions_pass_with_three_stars_on_ten_seeds() {
    solutions_on_ten_seeds(true);
}
