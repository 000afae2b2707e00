//! The tracker's "Fidelity" issue: where the strategies used to differ from the real systems'
//! documented rules (CodeDeploy, Kubernetes, Argo Rollouts, Flagger). Each test runs a script
//! headless and reads counts over time from the report's timeline and events.

mod common;

use common::{Spec, run_text};
use zerodown::report::Report;

fn event_times(r: &Report, needle: &str) -> Vec<f64> {
    r.events
        .iter()
        .filter(|e| e.text.contains(needle))
        .map(|e| e.t)
        .collect()
}

fn v2_servers(m: &zerodown::report::TimelineEntry) -> u32 {
    m.by_version.get("v2").map_or(0, |v| v.servers)
}

/// CodeDeploy: `max-unavailable=5%` on 10 servers keeps ceil(10 × 95 %) = 10 healthy, so no
/// server may go; the deployment is refused with the reason, and the fleet never dips.
#[test]
fn a_minimum_healthy_that_leaves_no_room_is_refused() {
    let mission = Spec::fleet(10, 400.0).lasting("2m").mission();
    let r = run_text(
        &mission,
        "wait 5s\nrolling v2 max-unavailable=5%\nwait 1m",
        1,
    );
    let refused = event_times(&r, "keeps ceil(10 × 95%) = 10 healthy");
    assert_eq!(refused.len(), 1, "{:?}", r.events);
    assert!(
        r.events
            .iter()
            .any(|e| e.text.contains("allow at least 10% or give batch=1")),
        "{:?}",
        r.events
    );
    for m in &r.timeline {
        assert_eq!((m.in_service, v2_servers(m)), (10, 0), "t={}", m.t);
    }
    // 10 % leaves one server of room: accepted, one at a time.
    let r = run_text(
        &mission,
        "wait 5s\nrolling v2 max-unavailable=10%\nwait 1m",
        1,
    );
    assert!(r.timeline.iter().all(|m| m.in_service >= 9));
    assert!(r.timeline.iter().any(|m| v2_servers(m) > 0));
}

/// Kubernetes defaults `maxSurge` and `maxUnavailable` to 25 % each: `surge=25%` alone runs
/// with unavailable 25 % (10 servers: at most 13, at least 8 available).
#[test]
fn a_surge_bound_alone_takes_the_other_at_its_default() {
    let mission = Spec::fleet(10, 400.0).lasting("6m").mission();
    let r = run_text(
        &mission,
        "wait 5s\nrolling v2 surge=25%\nwait until all-on v2",
        1,
    );
    assert!(
        event_times(&r, "at most 13 servers, at least 8 available").len() == 1,
        "{:?}",
        r.events
    );
    for m in &r.timeline {
        assert!(
            m.servers <= 13 && m.in_service >= 8,
            "t={} {}/{}",
            m.t,
            m.in_service,
            m.servers
        );
    }
    assert!(r.timeline.iter().any(|m| m.servers > 10));
    assert!(r.timeline.iter().any(|m| m.in_service < 10));
    let last = r.timeline.last().expect("timeline");
    assert_eq!((last.servers, v2_servers(last)), (10, 10));
    // `unavailable=0` alone: surge 25 % (3), never below 10 available.
    let r = run_text(
        &mission,
        "wait 5s\nrolling v2 unavailable=0\nwait until all-on v2",
        1,
    );
    assert!(
        r.timeline
            .iter()
            .all(|m| m.servers <= 13 && m.in_service >= 10)
    );
    assert_eq!(v2_servers(r.timeline.last().expect("timeline")), 10);
    // Both 0 is turned into unavailable 1, and the event says so.
    let r = run_text(
        &mission,
        "wait 5s\nrolling v2 surge=0 unavailable=0\nwait 10s",
        1,
    );
    assert_eq!(
        event_times(&r, "both 0 could never move: unavailable 1").len(),
        1,
        "{:?}",
        r.events
    );
}

/// A blue-green on a fleet whose pool is not called `blue` (the sandbox's `web`): `switch
/// blue` and `delete blue` name the live side, and a miss suggests the real names.
#[test]
fn blue_names_the_live_side_of_a_blue_green_whatever_its_pool_is_called() {
    let mission = Spec::fleet(4, 200.0).lasting("5m").mission();
    let script = "wait 5s\nbluegreen v2\nwait until ready green\nswitch green\nwait 5s\n\
                  switch bleu\nswitch blue\nwait 5s\nswitch green\nwait 5s\ndelete blue\nwait 30s";
    let r = run_text(&mission, script, 1);
    assert!(
        !r.events
            .iter()
            .any(|e| e.text.contains("no server or pool `blue`")),
        "{:?}",
        r.events
    );
    assert_eq!(
        event_times(&r, "all traffic → web again").len(),
        1,
        "{:?}",
        r.events
    );
    assert_eq!(
        event_times(
            &r,
            "no server or pool `bleu` (did you mean `web` or `green`?)"
        )
        .len(),
        1,
        "{:?}",
        r.events
    );
    assert_eq!(event_times(&r, "web deleted").len(), 1, "{:?}", r.events);
    let last = r.timeline.last().expect("timeline");
    assert_eq!((last.servers, v2_servers(last)), (4, 4));
}

/// Argo scales an aborted green down after `abortScaleDownDelaySeconds` (30 s): after
/// `switch blue` the double cost ends on its own, with an event; `delete green` still
/// removes it at once.
#[test]
fn an_aborted_green_scales_down_after_the_delay() {
    let mission = Spec::fleet(4, 200.0)
        .with_fleet(r#"pools: ["blue"],"#)
        .lasting("5m")
        .mission();
    let script = "wait 5s\nbluegreen v2\nwait until ready green\nswitch green\nwait 5s\n\
                  switch blue\nwait 1m";
    let r = run_text(&mission, script, 1);
    let back = event_times(&r, "all traffic → blue again")[0];
    let down = event_times(&r, "aborted green scaled down after 30s");
    assert_eq!(down.len(), 1, "{:?}", r.events);
    assert!(
        (down[0] - back - 30.0).abs() <= 1.0,
        "back {back}, down {down:?}"
    );
    let at = |t: f64| r.timeline.iter().find(|m| m.t as f64 >= t).expect("t");
    assert_eq!(at(back + 20.0).servers, 8);
    // Retired servers drain first; by 30 s after the scale-down they are gone.
    assert_eq!(
        (at(down[0] + 30.0).servers, v2_servers(at(down[0] + 30.0))),
        (4, 0)
    );
    // `delete green` at once still works, and no scale-down event follows it.
    let now = format!("{}\ndelete green", script.trim_end_matches("\nwait 1m"));
    let r = run_text(&mission, &format!("{now}\nwait 1m"), 1);
    assert_eq!(event_times(&r, "green deleted").len(), 1, "{:?}", r.events);
    assert!(event_times(&r, "scaled down after 30s").is_empty());
}

/// Argo's basic canary (no traffic router): the fleet stays at its size, plus at most
/// `maxSurge` (25 %: 3 of 10) while moving; the canary gets the closest whole number of
/// servers to the weight, stable the rest; promotion ends with 10 servers on v2.
#[test]
fn a_canary_without_weights_keeps_the_fleet_at_its_size() {
    for (steps, k) in [("90,100", 9), ("75,100", 8), ("10,50,100", 1)] {
        let mission = Spec::fleet(10, 400.0)
            .with_fleet("balancer: ServerCount,")
            .lasting("10m")
            .mission();
        let script = format!(
            "wait 5s\ncanary v2 steps={steps} interval=30s analysis=off\nwait until all-on v2"
        );
        let r = run_text(&mission, &script, 1);
        for m in &r.timeline {
            assert!(m.servers <= 13, "{steps}: t={} {} servers", m.t, m.servers);
            assert!(
                m.in_service >= 10,
                "{steps}: t={} {} in service",
                m.t,
                m.in_service
            );
            assert_eq!(m.failed, 0, "{steps}: t={}", m.t);
        }
        // The first step holds k canary servers and 10 − k stable ones.
        let held = r
            .timeline
            .iter()
            .find(|m| v2_servers(m) == k && m.servers == 10);
        let held = held.unwrap_or_else(|| panic!("{steps}: never {k} + {}", 10 - k));
        assert_eq!(held.by_version.get("v1").map_or(0, |v| v.servers), 10 - k);
        let last = r.timeline.last().expect("timeline");
        assert_eq!((last.servers, v2_servers(last)), (10, 10), "{steps}");
        assert_eq!(
            event_times(&r, &format!("({k} canary + {} stable)", 10 - k)).len(),
            1,
            "{steps}: {:?}",
            r.events
        );
    }
}

/// Argo takes the analysis' first measurement at its start unless `initialDelay` is set;
/// `initial-delay=20s` measures 20 s in (here catching a failing canary 100 s before the end
/// of its 2-minute step); without it the first measurement comes at once, finds the canary
/// barely started and says so, and the verdict comes an interval later.
#[test]
fn the_first_analysis_comes_at_the_start_or_after_the_initial_delay() {
    let mission = Spec::fleet(10, 500.0)
        .v2("errors: 1.0")
        .lasting("5m")
        .mission();
    let run = |extra: &str| {
        let script = format!("wait 5s\ncanary v2 steps=10,100 interval=2m{extra}\nwait 3m");
        run_text(&mission, &script, 1)
    };
    let r = run(" initial-delay=20s");
    let watching = event_times(&r, "canary at 10% asked")[0];
    let failed = event_times(&r, "analysis failed");
    assert_eq!(failed.len(), 1, "{:?}", r.events);
    assert!(
        (failed[0] - watching - 20.0).abs() <= 1.0,
        "{watching} {failed:?}"
    );
    assert!(
        r.commands
            .iter()
            .any(|c| c.command == "canary v2 steps=10,100 interval=2m initial-delay=20s"),
        "{:?}",
        r.commands
    );
    let r = run("");
    let watching = event_times(&r, "canary at 10% asked")[0];
    let first = event_times(&r, "analysis' first measurement at the start");
    assert_eq!(first.len(), 1, "{:?}", r.events);
    assert!(first[0] - watching <= 1.0, "{watching} {first:?}");
    // One second of traffic is no evidence: the verdict comes at the next measurement.
    let failed = event_times(&r, "analysis failed");
    assert!(
        (failed[0] - watching - 120.0).abs() <= 1.0,
        "{watching} {failed:?}"
    );
}

/// An abort of a canary without weights takes its servers out of traffic at once and starts
/// the stable servers it had taken, so the fleet returns to its size on the old version (the
/// canary's servers scale down 30 s later). Argo's basic canary rolls back as a rolling update
/// instead; ARCHITECTURE.md says why the game does not.
#[test]
fn an_aborted_canary_without_weights_brings_stable_back_to_full_size() {
    let mission = Spec::fleet(10, 300.0)
        .with_fleet("balancer: ServerCount,")
        .lasting("5m")
        .mission();
    let script =
        "wait 5s\ncanary v2 steps=50,100 interval=2m analysis=off\nwait 90s\nabort\nwait 2m";
    let r = run_text(&mission, script, 1);
    let aborted = event_times(&r, "■ aborted")[0];
    let at = |t: f64| r.timeline.iter().find(|m| m.t as f64 >= t).expect("t");
    let v1 = |m: &zerodown::report::TimelineEntry| m.by_version.get("v1").map_or(0, |v| v.servers);
    let before = at(aborted - 1.0);
    assert_eq!((v2_servers(before), v1(before)), (5, 5));
    assert_eq!(
        event_times(&r, "5 stable servers start to bring it back to 10").len(),
        1,
        "{:?}",
        r.events
    );
    let last = r.timeline.last().expect("timeline");
    assert_eq!(
        (last.servers, last.in_service, v1(last), v2_servers(last)),
        (10, 10, 10, 0)
    );
    assert_eq!(r.score.failed_requests, 0);
}

/// The rollout panel's status line shows a canary's server counts when there are no weights.
#[test]
fn the_rollout_status_shows_a_canary_s_server_counts() {
    let mission = Spec::fleet(10, 400.0)
        .with_fleet("balancer: ServerCount,")
        .lasting("10m")
        .mission();
    let mut sim = zerodown::sim::Sim::new(&mission, 1);
    common::apply(&mut sim, "canary v2 steps=90,100 interval=5m analysis=off");
    common::step_secs(&mut sim, 240);
    let line = sim.rollout_status().expect("a rollout");
    assert!(
        line.contains("servers 9 canary + 1 stable (want 9 + 1)"),
        "{line}"
    );
}
