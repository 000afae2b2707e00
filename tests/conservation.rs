//! Conservation: every request that arrives is answered, failed or still in flight, every
//! second of every run; per-version counts never exceed the fleet's; one entry per second.

mod common;

use common::{Spec, run_level, run_text};
use zerodown::mission::builtin;
use zerodown::report::Report;

/// Checks the report contract of DESIGN §6 on one run's timeline.
fn assert_conserved(name: &str, r: &Report, duration_s: u64) {
    assert_eq!(
        r.timeline.len() as u64,
        duration_s,
        "{name}: one entry per second"
    );
    let mut in_flight = 0u64;
    for (i, e) in r.timeline.iter().enumerate() {
        assert_eq!(e.t, i as u64 + 1, "{name}: t counts 1..=duration");
        let expected = (in_flight + e.arrived).checked_sub(e.ok + e.failed);
        assert_eq!(
            Some(e.in_flight),
            expected,
            "{name} t={}: in_flight {} + arrived {} - ok {} - failed {}",
            e.t,
            in_flight,
            e.arrived,
            e.ok,
            e.failed
        );
        in_flight = e.in_flight;
        // Mirrored requests (shadow, preview) are not user requests: only live entries
        // add up to the users' counts; servers of every entry add up to the fleet.
        let live = |f: fn(&zerodown::report::VersionEntry) -> u64| -> u64 {
            e.by_version.values().filter(|v| !v.shadow).map(f).sum()
        };
        let sum = |f: fn(&zerodown::report::VersionEntry) -> u64| -> u64 {
            e.by_version.values().map(f).sum()
        };
        assert!(
            live(|v| v.arrived) <= e.arrived,
            "{name} t={}: arrived",
            e.t
        );
        assert!(live(|v| v.ok) <= e.ok, "{name} t={}: ok", e.t);
        assert!(live(|v| v.failed) <= e.failed, "{name} t={}: failed", e.t);
        assert_eq!(
            sum(|v| u64::from(v.servers)),
            u64::from(e.servers),
            "{name} t={}",
            e.t
        );
        assert_eq!(
            sum(|v| u64::from(v.in_service)),
            u64::from(e.in_service),
            "{name} t={}",
            e.t
        );
        assert!(e.in_service <= e.servers, "{name} t={}", e.t);
    }
    let total: u64 = r.timeline.iter().map(|e| e.arrived).sum();
    let failed: u64 = r.timeline.iter().map(|e| e.failed).sum();
    assert_eq!(
        r.score.total_requests, total,
        "{name}: score counts the timeline"
    );
    assert_eq!(
        r.score.failed_requests, failed,
        "{name}: score counts the timeline"
    );
}

#[test]
fn every_level_run_conserves_requests() {
    assert!(!builtin().is_empty());
    for (id, _) in builtin() {
        let secs = common::builtin(id).duration.secs() as u64;
        for dir in ["solutions", "mistakes"] {
            let r = run_level(id, dir);
            assert_conserved(&format!("{dir}/{id}"), &r, secs);
        }
    }
}

/// Overload timeouts, a deploy without draining (sessions lost) and OOM kills in one run.
#[test]
fn a_run_with_timeouts_and_oom_kills_conserves_requests() {
    let mut spec = Spec::fleet(10, 900.0)
        .v2("leak_mb_per_min: 900.0")
        .with_fleet("memory_limit_mb: 1024.0, sessions: InMemory, sticky: true,");
    spec.noise = true;
    spec.duration = "4m".into();
    let script = "\
        wait 5s
        drain web-01..web-04        # 6 × 100 rps left for 900 rps: queues grow, timeouts
        wait 30s
        undrain web-01..web-04
        wait 20s
        deploy v2 web-01..web-05    # no drain: in-flight requests fail, sessions are lost
        wait 150s                   # v2 leaks to the limit and is OOM-killed, restarts
    ";
    let r = run_text(&spec.mission(), script, 5);
    assert_conserved("timeouts+oom", &r, 240);
    // The run really went through what it is meant to cover.
    let overload = r.timeline[20..35]
        .iter()
        .any(|e| e.failed > 100 && e.in_service == 6 && e.servers == 10);
    assert!(overload, "timeouts while 6 servers serve");
    let ooms = r.events.iter().filter(|e| e.text.contains("OOM")).count();
    assert!(ooms >= 5, "OOM kills: {ooms}");
    assert!(r.score.sessions_lost > 0);
}
