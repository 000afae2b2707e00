//! Physics of the fleet through the sim API: load and latency, overload and timeouts,
//! slow tails, memory leaks and OOM kills, crash loops, shallow and deep health checks.

mod common;

use common::{Spec, apply, step_secs};
use zerodown::sim::{SecondMetrics, ServerState, Sim};

/// v1 and v2 sort by name: v2 is index 1 in `by_version`.
const V2: usize = 1;

fn last(sim: &Sim) -> SecondMetrics {
    sim.history().last().cloned().expect("at least one second")
}

/// Steps one second at a time for `secs`, returning each second's metrics.
fn seconds(sim: &mut Sim, secs: u64) -> Vec<SecondMetrics> {
    (0..secs)
        .map(|_| {
            step_secs(sim, 1);
            last(sim)
        })
        .collect()
}

/// 20 × 100 rps at `rps`, warmed up 10 s, then web-01..web-08 drained:
/// (the second before the drain, the 60 seconds after it).
fn drain_eight_of_twenty(rps: f64) -> (SecondMetrics, Vec<SecondMetrics>) {
    let mut sim = Sim::new(&Spec::fleet(20, rps).mission(), 1);
    step_secs(&mut sim, 10);
    let before = last(&sim);
    apply(&mut sim, "drain web-01..web-08");
    (before, seconds(&mut sim, 60))
}

#[test]
fn draining_at_high_load_overloads_the_rest() {
    let (before, after) = drain_eight_of_twenty(1700.0);
    assert_eq!((before.failed, before.in_service), (0, 20));
    assert!(before.p99_ms < 600.0, "85 % CPU: p99 {}", before.p99_ms);
    // 12 servers × 100 rps for 1 700 rps: queues grow for a few seconds before anyone
    // waits out the 5 s timeout …
    assert!(
        after[..5]
            .iter()
            .all(|m| m.failed == 0 && m.in_service == 12)
    );
    assert!(
        after[4].p99_ms > 5.0 * before.p99_ms,
        "p99 {}",
        after[4].p99_ms
    );
    // … then the excess times out: the 12 complete their 1 200, the other 500 fail.
    for m in &after[30..] {
        assert_eq!((m.ok, m.failed), (1200, 500), "t={}", m.t);
        // The slowest completions waited about the timeout (p99 is capped there: a request
        // waiting longer fails instead of completing).
        assert!(
            m.p99_ms > 8.0 * before.p99_ms && m.p99_ms <= 5000.0,
            "t={} p99 {}",
            m.t,
            m.p99_ms
        );
    }
}

#[test]
fn draining_at_low_load_is_harmless() {
    let (before, after) = drain_eight_of_twenty(600.0);
    for m in &after {
        assert_eq!((m.ok, m.failed, m.in_service), (600, 0, 12), "t={}", m.t);
        // 12 servers at 50 % CPU: a little slower than 20 at 30 %, nothing more.
        assert!(
            m.p99_ms < 1.15 * before.p99_ms,
            "p99 {} → {}",
            before.p99_ms,
            m.p99_ms
        );
        assert!(
            m.p50_ms < 1.15 * before.p50_ms,
            "p50 {} → {}",
            before.p50_ms,
            m.p50_ms
        );
    }
}

#[test]
fn no_percentile_exceeds_the_timeout() {
    let (_, after) = drain_eight_of_twenty(1700.0);
    for m in &after {
        assert!(
            m.p99_ms <= 5000.0,
            "t={} p99 {} ms > 5 s timeout",
            m.t,
            m.p99_ms
        );
    }
}

/// Steady state before, and 90 s after deploying the tailed v2 on `targets` (warm by then).
fn tail_on(targets: &str) -> (SecondMetrics, SecondMetrics) {
    let spec = Spec::fleet(20, 1000.0).v2("tail: (share: 0.05, factor: 10.0)");
    let mut sim = Sim::new(&spec.mission(), 1);
    step_secs(&mut sim, 10);
    let before = last(&sim);
    apply(&mut sim, &format!("deploy v2 {targets}"));
    step_secs(&mut sim, 90);
    let after = last(&sim);
    assert_eq!((after.in_service, after.failed), (20, 0));
    (before, after)
}

#[test]
fn a_slow_tail_moves_p99_not_p50() {
    let (before, after) = tail_on("all");
    let (p50, p99) = (after.p50_ms / before.p50_ms, after.p99_ms / before.p99_ms);
    assert!(p99 > 3.0, "p99 {} → {} ms", before.p99_ms, after.p99_ms);
    assert!(p50 < 1.15, "p50 {} → {} ms", before.p50_ms, after.p50_ms);
}

#[test]
fn a_slow_tail_on_half_the_fleet_shows_in_its_version() {
    let (before, after) = tail_on("web-01..web-10");
    assert!(
        after.p99_ms > 2.0 * before.p99_ms,
        "p99 {} → {}",
        before.p99_ms,
        after.p99_ms
    );
    assert!(
        after.p50_ms < 1.15 * before.p50_ms,
        "p50 {} → {}",
        before.p50_ms,
        after.p50_ms
    );
    let (v1, v2) = (&after.by_version[0], &after.by_version[V2]);
    assert!(
        v2.p99_ms > 3.0 * v1.p99_ms,
        "v1 p99 {} v2 p99 {}",
        v1.p99_ms,
        v2.p99_ms
    );
    assert!(
        v1.p99_ms < 1.15 * before.p99_ms,
        "v1 keeps its p99: {}",
        v1.p99_ms
    );
}

/// web-01 drained and given v2; returns the sim once v2 is in service there.
fn v2_on_web01(spec: &Spec) -> Sim {
    let mut sim = Sim::new(&spec.mission(), 1);
    apply(&mut sim, "drain web-01");
    step_secs(&mut sim, 1);
    apply(&mut sim, "deploy v2 web-01");
    sim
}

fn in_service(sim: &Sim) -> bool {
    sim.servers()[0].state() == ServerState::InService
}

#[test]
fn a_leak_grows_memory_until_an_oom_kill_then_it_runs_again() {
    let spec = Spec::fleet(4, 200.0)
        .v2("leak_mb_per_min: 600.0")
        .with_fleet("memory_limit_mb: 1024.0, base_memory_mb: 512.0,");
    let mut sim = v2_on_web01(&spec);
    let mut waited = 0;
    while !sim.servers()[0].process.is_running() {
        step_secs(&mut sim, 1);
        waited += 1;
        assert!(waited < 60, "v2 never started");
    }
    // 512 MB more at 10 MB/s: killed about 51 s into its run, memory rising all along.
    let mut mem = vec![];
    while sim.events().iter().all(|e| !e.text.contains("OOM")) {
        mem.push(last(&sim).by_version[V2].mem_avg);
        step_secs(&mut sim, 1);
        assert!(mem.len() < 70, "no OOM kill after {} s", mem.len());
    }
    assert!(
        (50..=53).contains(&mem.len()),
        "killed after {} s",
        mem.len()
    );
    // Dead, but still in traffic until the balancer's health checks notice.
    assert_eq!(sim.servers()[0].state(), ServerState::Failing);
    assert!(mem.windows(2).all(|w| w[1] > w[0]), "memory rises: {mem:?}");
    assert!(
        *mem.last().expect("seconds") > 0.95,
        "near the limit: {mem:?}"
    );
    let oom = sim
        .events()
        .iter()
        .find(|e| e.text.contains("OOM"))
        .expect("the OOM event");
    assert!(
        oom.text.starts_with("web-01 (v2) OOM-killed at 1024 MB"),
        "{}",
        oom.text
    );
    assert!(!sim.servers()[0].process.is_running());
    // Back-off 10 s, boot 10 s, health checks: in service again, memory back at base.
    step_secs(&mut sim, 30);
    assert!(in_service(&sim), "{:?}", sim.servers()[0].state());
    assert!(
        sim.servers()[0].memory_mb < 700.0,
        "{}",
        sim.servers()[0].memory_mb
    );
}

#[test]
fn a_version_that_fails_to_start_crash_loops_with_growing_back_off() {
    let mut sim = v2_on_web01(&Spec::fleet(4, 200.0).v2("fails_to_start: true"));
    for m in seconds(&mut sim, 420) {
        assert_eq!(
            (m.by_version[V2].in_service, m.by_version[V2].arrived),
            (0, 0)
        );
        assert_eq!(m.failed, 0, "drained first: users feel nothing");
    }
    let crashes: Vec<(u64, u64)> = sim
        .events()
        .iter()
        .filter(|e| e.text.contains("web-01 v2 exited at start"))
        .map(|e| {
            let secs = e.text.rsplit("restart in ").next().expect("back-off");
            (
                e.tick / 10,
                secs.trim_end_matches('s').parse().expect("a number"),
            )
        })
        .collect();
    let backoffs: Vec<u64> = crashes.iter().map(|c| c.1).collect();
    assert_eq!(backoffs, [10, 20, 40, 80, 160, 300]);
    // Between crashes: the back-off, then a 10 s boot.
    let gaps: Vec<u64> = crashes.windows(2).map(|w| w[1].0 - w[0].0).collect();
    assert_eq!(gaps, [20, 30, 50, 90, 170]);
    assert!(
        !sim.events()
            .iter()
            .any(|e| e.text.contains("passed health checks"))
    );
}

/// web-01 on v2 with a broken database config, under a `depth` health check, 60 s later.
fn broken_db(depth: &str) -> (Sim, Vec<SecondMetrics>) {
    let spec = Spec::fleet(4, 200.0)
        .v2("broken_db_config: true")
        .with_fleet(&format!("health: (depth: {depth}),"));
    let mut sim = v2_on_web01(&spec);
    step_secs(&mut sim, 60);
    let tail = seconds(&mut sim, 20);
    (sim, tail)
}

#[test]
fn a_shallow_check_keeps_a_broken_db_config_in_traffic() {
    let (sim, tail) = broken_db("Shallow");
    assert!(in_service(&sim), "{:?}", sim.servers()[0].state());
    for m in &tail {
        let v2 = &m.by_version[V2];
        assert!(v2.arrived >= 45, "a quarter of 200 rps: {}", v2.arrived);
        assert_eq!(
            (v2.ok, v2.failed),
            (0, v2.arrived),
            "t={}: every request fails",
            m.t
        );
    }
}

#[test]
fn a_deep_check_keeps_a_broken_db_config_out_of_traffic() {
    let (sim, tail) = broken_db("Deep");
    assert_eq!(sim.servers()[0].state(), ServerState::Unhealthy);
    assert!(
        sim.servers()[0].process.is_running(),
        "running, only out of traffic"
    );
    for m in &tail {
        assert_eq!(
            (m.by_version[V2].arrived, m.failed, m.ok),
            (0, 0, 200),
            "t={}",
            m.t
        );
    }
}

/// 20 servers at 1 000 rps whose readiness check has `depth`, with the database away from
/// 1:00 to 1:30 (1 % of requests need it): each second's metrics until 2:30.
fn through_a_database_blip(depth: &str) -> Vec<SecondMetrics> {
    let mut m = Spec::fleet(20, 1000.0)
        .with_fleet(&format!("health: (depth: {depth}),"))
        .mission();
    m.database.blip = Some(zerodown::mission::Blip {
        at: zerodown::time::Dur::from_secs(60),
        lasts: zerodown::time::Dur::from_secs(30),
        errors: 0.01,
    });
    let mut sim = Sim::new(&m, 1);
    seconds(&mut sim, 150)
}

#[test]
fn a_database_blip_takes_a_deep_readiness_fleet_out_of_traffic() {
    let deep = through_a_database_blip("Deep");
    // Every server fails the same check at once: after three failed checks (15 s) nobody is
    // in service and the balancer answers 503 until the database is back and checks pass.
    let out: Vec<_> = deep.iter().filter(|m| m.in_service == 0).collect();
    assert!(
        out.len() >= 10,
        "{} seconds with no server in service",
        out.len()
    );
    // (The first such second still served part of its requests before the last left.)
    for m in &out[1..] {
        assert!(
            m.failed >= m.arrived && (60..110).contains(&m.t),
            "t={} failed {} of {}",
            m.t,
            m.failed,
            m.arrived
        );
    }
    assert_eq!(
        deep.last().map(|m| m.in_service),
        Some(20),
        "back after the blip"
    );
    // Shallow readiness keeps every server in; only the requests that need the database
    // fail while it is away.
    let shallow = through_a_database_blip("Shallow");
    assert!(shallow.iter().all(|m| m.in_service == 20));
    let during: Vec<_> = shallow.iter().filter(|m| (62..89).contains(&m.t)).collect();
    for m in during {
        let rate = m.failed as f64 / m.arrived.max(1) as f64;
        assert!(rate < 0.03, "t={} error rate {rate}", m.t);
    }
}

#[test]
fn a_startup_check_keeps_a_broken_db_config_from_ever_going_ready() {
    let m = Spec::fleet(10, 500.0)
        .v2("broken_db_config: true")
        .with_fleet("health: (startup: true),")
        .mission();
    let mut sim = Sim::new(&m, 1);
    step_secs(&mut sim, 5);
    apply(&mut sim, "drain web-01");
    step_secs(&mut sim, 30);
    apply(&mut sim, "deploy v2 web-01");
    let after = seconds(&mut sim, 120);
    assert!(after.iter().all(|m| m.in_service == 9 && m.failed == 0));
    let refused = sim
        .events()
        .iter()
        .filter(|e| e.text.contains("failed startup check"))
        .count();
    assert!(refused >= 2, "crash-loops on its startup check: {refused}");
}
