//! The mission a drill plays, the traffic's peak, and the dashboards measured on a short
//! run of the untouched fleet.

use std::collections::BTreeMap;

use super::{
    Baseline, CAPACITY_RPS, DURATION, FIX, NEW, OLD, PROGRESS_DEADLINE, SERVICE_MS, round_to,
};
use crate::mission::{
    Balancer, CheckDepth, Database, Fleet, HealthCheck, Mission, Narration, Objective, Slo, Stars,
    Start, Timings, Traffic, Trigger, Version,
};
use crate::sim::{Sim, TrafficSource};
use crate::time::{Dur, TICKS_PER_SEC};

/// Game-seconds the dashboards are measured over before the release.
const BASELINE_SECONDS: u64 = 20;

/// The traffic's highest rate over the drill (each second sampled, spikes included).
pub(super) fn peak(traffic: &Traffic) -> f64 {
    let source = TrafficSource::new(traffic, DURATION.secs());
    (0..=DURATION.millis() / 1000)
        .map(|t| source.rate(t as f64))
        .fold(0.0, f64::max)
}

/// The mission of a drill.
pub(super) fn mission(
    seed: u64,
    servers: u32,
    balancer: Balancer,
    timings: Timings,
    traffic: Traffic,
    v2: &Version,
) -> Mission {
    let mut versions = BTreeMap::new();
    versions.insert(OLD.to_string(), Version::default());
    versions.insert(NEW.to_string(), v2.clone());
    versions.insert(FIX.to_string(), Version::default());
    Mission {
        title: format!("Drill {seed}"),
        chapter: 0,
        briefing: String::new(),
        facilitator: None,
        sandbox: false,
        concept: "Deploy an update to a live fleet safely: expose it gradually, check its health, watch it against the old version, and have a way back that triggers itself.".to_string(),
        fleet: Fleet {
            servers,
            capacity_rps: CAPACITY_RPS,
            prefix: "web".to_string(),
            service_ms: SERVICE_MS,
            timeout: Dur::from_secs(5),
            pools: vec!["web".to_string()],
            timings,
            health: HealthCheck {
                period: Dur::from_secs(5),
                failure_threshold: 3,
                success_threshold: 2,
                depth: CheckDepth::Shallow,
                liveness: None,
                startup: false,
            },
            base_memory_mb: 512.0,
            memory_limit_mb: 2048.0,
            balancer,
            scale_down_delay: Dur::from_secs(180),
            progress_deadline: PROGRESS_DEADLINE,
            sessions: crate::mission::Sessions::Stateless,
            session_store_rps: None,
            sticky: false,
            slow_start: Dur::default(),
        },
        traffic,
        versions,
        start: Start {
            version: OLD.to_string(),
        },
        database: Database::default(),
        unlocks: [
            "rolling",
            "bluegreen",
            "switch",
            "delete",
            "canary",
            "weight",
            "promote",
            "abort",
            "retry",
            "rollback",
            "shadow",
            "guard",
            "guards",
            "unguard",
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect(),
        slo: Slo {
            target: 0.999,
            outage_error_rate: 0.05,
            latency_ms: 1000.0,
            latency_target: 0.99,
        },
        duration: DURATION,
        deadline: None,
        releases: Vec::new(),
        vary_faults: false,
        fault_kinds: std::collections::BTreeMap::new(),
        host_failure: None,
        objectives: vec![
            Objective::DowntimeAtMost(Dur::default()),
            Objective::ErrorBudgetAtMost(50.0),
        ],
        stars: Stars {
            two: 800,
            three: 900,
        },
        hints: Vec::new(),
        debrief: String::new(),
        quiz: Vec::new(),
        narration: vec![Narration {
            when: Trigger::At(Dur::from_secs(2)),
            say: "Your plan is live. Watch it, and step in if you must.".to_string(),
        }],
        pipeline: None,
        seed,
    }
}

/// The dashboards before the release: a short run of the untouched fleet.
pub(super) fn measure(mission: &Mission, seed: u64, peak_rps: f64, peak_p99: f64) -> Baseline {
    let mut sim = Sim::new(mission, seed);
    for _ in 0..BASELINE_SECONDS * TICKS_PER_SEC {
        sim.step();
    }
    let hist: Vec<_> = sim.history().iter().collect();
    let n = hist.len().max(1) as f64;
    let avg =
        |f: &dyn Fn(&crate::sim::SecondMetrics) -> f64| hist.iter().map(|m| f(m)).sum::<f64>() / n;
    Baseline {
        p99_ms: round_to(avg(&|m| m.p99_ms), 5.0),
        cpu: avg(&|m| m.cpu_avg),
        mem: avg(&|m| m.mem_avg),
        error_rate: avg(&|m| m.error_rate()),
        rps: mission.traffic.base_rps,
        peak_rps,
        peak_p99_ms: round_to(peak_p99, 5.0),
    }
}
