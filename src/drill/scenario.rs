//! A drill's case, drawn from its seed: the fleet, the traffic, the balancer, and the hidden
//! fault of the release (or none). `Scenario::generate(seed)` is pure: the same seed gives
//! the same mission, fault and dashboards, so a pair can practise on one case.
//!
//! Every mission drawn here passes `mission::validate` (the tests check many seeds). The
//! traffic never asks more than `PEAK_UTIL` of the fleet's capacity: a careful plan can
//! take a tenth of the fleet out of traffic, and a canary whose servers carry a full share
//! each is not judged slower than a stable pool that a weighted balancer leaves full size
//! (its p99 stays within the analysis' 1.5×). The fault is made severe enough that a
//! careless plan feels it (an outage, crashes, or a slow release on every server).

use std::collections::BTreeMap;
use std::fmt;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::mission::{
    Balancer, CheckDepth, Database, Fleet, HealthCheck, Mission, Narration, Objective, Shape, Slo,
    Spike, Stars, Start, Tail, Timings, Traffic, Trigger, Version,
};
use crate::sim::{Sim, TrafficSource};
use crate::time::{Dur, TICKS_PER_SEC};

/// The version every server runs at the start.
pub const OLD: &str = "v1";
/// The release the drill is about.
pub const NEW: &str = "v2";
/// The team's next build, always healthy: what a plan ships when v2 must go back.
pub const FIX: &str = "v3";

/// The smallest and the largest fleet a drill draws.
pub const MIN_SERVERS: u32 = 50;
pub const MAX_SERVERS: u32 = 200;
/// How long the live part of a drill runs, in game time.
pub const DURATION: Dur = Dur::from_secs(15 * 60);
/// The traffic's peak (spikes included) never asks more of the fleet than this.
pub const PEAK_UTIL: f64 = 0.55;
/// Requests per second one server completes at 100 % CPU.
const CAPACITY_RPS: f64 = 100.0;
/// Mean service time of an idle server (the mission default).
const SERVICE_MS: f64 = 40.0;
/// A rollout with no progress for this long is reported stalled (a plan may lengthen it).
pub const PROGRESS_DEADLINE: Dur = Dur::from_secs(120);
/// Game-seconds the dashboards are measured over before the release.
const BASELINE_SECONDS: u64 = 20;
/// The sub-stream of the seed the scenario is drawn from (the sim uses its own).
const STREAM_SCENARIO: u64 = 0x0d_7111;

/// The kinds of hidden fault a release can carry (or none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultKind {
    None,
    /// A share of requests fails.
    Errors,
    /// Every request is slower.
    Latency,
    /// A few requests are very slow: p99 moves, p50 does not.
    Tail,
    /// Each request costs more CPU: the fleet's capacity shrinks and it saturates.
    Cpu,
    /// Memory grows until the process is OOM-killed.
    Leak,
    /// The process crashes at start.
    CrashLoop,
    /// The process answers (a shallow check passes) but cannot reach the database.
    BrokenDbConfig,
}

impl FaultKind {
    /// Every kind, in the order the generator draws from.
    pub const ALL: [FaultKind; 8] = [
        FaultKind::None,
        FaultKind::Errors,
        FaultKind::Latency,
        FaultKind::Tail,
        FaultKind::Cpu,
        FaultKind::Leak,
        FaultKind::CrashLoop,
        FaultKind::BrokenDbConfig,
    ];

    /// A short name (reports, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::None => "none",
            FaultKind::Errors => "errors",
            FaultKind::Latency => "latency",
            FaultKind::Tail => "slow tail",
            FaultKind::Cpu => "cpu",
            FaultKind::Leak => "memory leak",
            FaultKind::CrashLoop => "crash loop",
            FaultKind::BrokenDbConfig => "broken db config",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The release's hidden fault: its kind, when it shows, and what it does, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    /// Uptime on v2 before it shows.
    pub onset: Dur,
    /// It shows only under real users' traffic (a preview or smoke test cannot see it).
    pub only_real_traffic: bool,
    /// What it does, for the debrief.
    pub detail: String,
}

/// What the dashboards show before the release (v1 everywhere), and the traffic's peak.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub p99_ms: f64,
    /// CPU of the servers in traffic, 0..1.
    pub cpu: f64,
    /// Memory of the running processes as a share of the limit, 0..1.
    pub mem: f64,
    pub error_rate: f64,
    /// Requests per second now, and at the peak of the mission (spikes included).
    pub rps: f64,
    pub peak_rps: f64,
    /// p99 estimated at the peak load.
    pub peak_p99_ms: f64,
}

/// One drill: the seed, the mission to play, its hidden fault and the dashboards.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub seed: u64,
    /// The mission, ready to play (health checks shallow until a plan says otherwise).
    pub mission: Mission,
    pub fault: Fault,
    pub baseline: Baseline,
}

/// Mean latency factor at utilisation `rho`, as the sim computes it.
fn load_factor(rho: f64) -> f64 {
    let r = rho.clamp(0.0, 0.95);
    1.0 + r.powi(4) / (1.0 - r)
}

/// p99 of an idle-ish server's latency distribution (`mean/2 + Exp(mean/2)`) at `rho`.
fn p99_at(rho: f64) -> f64 {
    SERVICE_MS * load_factor(rho) * (0.5 + 0.5 * 100f64.ln())
}

/// Rounds to a multiple of `step`.
fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

/// A whole number of seconds in `lo..=hi`, as a `Dur`.
fn secs(rng: &mut ChaCha8Rng, lo: u64, hi: u64) -> Dur {
    Dur::from_secs(rng.random_range(lo..=hi))
}

/// One of `choices`.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, choices: &[T]) -> T {
    choices[rng.random_range(0..choices.len())]
}

impl Scenario {
    /// The drill of `seed`: same seed, same drill.
    pub fn generate(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(STREAM_SCENARIO);
        let servers = rng.random_range(MIN_SERVERS..=MAX_SERVERS);
        let balancer = if rng.random_bool(0.5) {
            Balancer::Weighted
        } else {
            Balancer::ServerCount
        };
        let timings = Timings {
            drain: secs(&mut rng, 10, 30),
            deploy: secs(&mut rng, 15, 25),
            boot: secs(&mut rng, 5, 10),
            warmup: secs(&mut rng, 15, 25),
        };
        let (shape_peak, shape) = match rng.random_range(0..3) {
            0 => (1.0, Shape::Flat),
            1 => {
                let up = rng.random_range(1.08..1.25);
                (up, Shape::Ramp { to_rps: up })
            }
            _ => {
                let amplitude = round_to(rng.random_range(0.06..0.16), 0.01);
                let period = Dur::from_secs(60 * rng.random_range(4..=10));
                (1.0 + amplitude, Shape::Wave { amplitude, period })
            }
        };
        let mut spikes: Vec<Spike> = (0..rng.random_range(0..=2))
            .map(|_| Spike {
                at: Dur::from_secs(30 * rng.random_range(4..=26)),
                length: secs(&mut rng, 20, 60),
                factor: round_to(rng.random_range(1.1..1.3), 0.05),
            })
            .collect();
        spikes.sort_by_key(|s| s.at);
        let spike_peak = spikes.iter().map(|s| s.factor).fold(1.0, f64::max);
        let capacity = f64::from(servers) * CAPACITY_RPS;
        let util = rng
            .random_range(0.35_f64..0.5)
            .min(PEAK_UTIL / (shape_peak * spike_peak));
        let base_rps = round_to(capacity * util, 10.0);
        let shape = match shape {
            // The ramp's target was drawn as a factor of the base.
            Shape::Ramp { to_rps } => Shape::Ramp {
                to_rps: round_to(base_rps * to_rps, 10.0),
            },
            other => other,
        };
        let traffic = Traffic {
            base_rps,
            shape,
            spikes,
            noise: true,
            session_length: Dur::from_secs(180),
            requests_per_user_s: 0.5,
        };
        let peak_rps = peak(&traffic);
        let peak_p99 = p99_at(peak_rps / capacity);
        let fault = draw_fault(&mut rng, base_rps / capacity, peak_p99);
        let mut mission = mission(seed, servers, balancer, timings, traffic, &fault.1);
        mission.briefing = String::new();
        let baseline = measure(&mission, seed, peak_rps, peak_p99);
        let mut scenario = Self {
            seed,
            mission,
            fault: fault.0,
            baseline,
        };
        scenario.mission.briefing = scenario.brief();
        scenario
    }

    /// Servers in the fleet.
    pub fn servers(&self) -> u32 {
        self.mission.fleet.servers
    }

    /// What the player is told: the case as an interviewer would put it, with the
    /// dashboards, and never the fault.
    pub fn brief(&self) -> String {
        let m = &self.mission;
        let f = &m.fleet;
        let b = &self.baseline;
        let capacity = f64::from(f.servers) * f.capacity_rps;
        let balancer = match f.balancer {
            Balancer::Weighted => {
                "a load balancer with weighted routing (a canary's share is exact)"
            }
            Balancer::ServerCount => {
                "a load balancer without weights (it spreads requests evenly over servers, so a canary's share follows its share of the servers)"
            }
        };
        let shape = match &m.traffic.shape {
            Shape::Flat => "steady".to_string(),
            Shape::Ramp { to_rps } => {
                format!("climbing to {} req/s by the end", thousands(*to_rps))
            }
            Shape::Wave { amplitude, period } => {
                format!("a wave of ±{:.0}% every {period}", amplitude * 100.0)
            }
        };
        let bursts = if m.traffic.spikes.is_empty() {
            String::new()
        } else {
            " Marketing may send short bursts on top.".to_string()
        };
        format!(
            "\"How would you deploy an update to {n} servers safely?\" Show it.\n\
             \n\
             The fleet: {n} app servers ({first} … {last}), {cap:.0} req/s each, behind {balancer}. \
             A server drains in {drain}, installs in {deploy}, boots in {boot} and warms up for {warm} \
             (slower at first). Health checks every {period}: {pass} passes to join traffic, {fail} failures to leave it.\n\
             Traffic: {rps} req/s now, {shape}; the peak is about {peak} req/s ({peak_pct:.0}% of capacity).{bursts}\n\
             Dashboards now, all on {OLD}: p99 {p99:.0} ms · CPU {cpu:.0}% · memory {mem:.0}% of the limit · errors {err:.2}%.\n\
             \n\
             The release: {NEW}, from a team you have never worked with. Nobody knows what is wrong with it, if anything. \
             If {NEW} has to go back, their next build {FIX} is ready.\n\
             Goal, within {dur}: every server on a good new build ({NEW}, or {FIX}), no downtime, at most half the error budget.",
            n = f.servers,
            first = server_name(&f.prefix, 1),
            last = server_name(&f.prefix, f.servers),
            cap = f.capacity_rps,
            drain = f.timings.drain,
            deploy = f.timings.deploy,
            boot = f.timings.boot,
            warm = f.timings.warmup,
            period = f.health.period,
            pass = f.health.success_threshold,
            fail = f.health.failure_threshold,
            rps = thousands(b.rps),
            peak = thousands(b.peak_rps),
            peak_pct = b.peak_rps / capacity * 100.0,
            p99 = b.p99_ms,
            cpu = b.cpu * 100.0,
            mem = b.mem * 100.0,
            err = b.error_rate * 100.0,
            dur = m.duration,
        )
    }

    /// The case in four short lines, for the plan screen of a small terminal.
    pub fn compact(&self) -> Vec<String> {
        let m = &self.mission;
        let f = &m.fleet;
        let b = &self.baseline;
        let t = &f.timings;
        let lb = match f.balancer {
            Balancer::Weighted => "weighted LB (exact canary shares)",
            Balancer::ServerCount => "LB without weights (shares follow server counts)",
        };
        let shape = match &m.traffic.shape {
            Shape::Flat => "steady".to_string(),
            Shape::Ramp { to_rps } => format!("climbing to {}", thousands(*to_rps)),
            Shape::Wave { amplitude, period } => {
                format!("wave ±{:.0}% every {period}", amplitude * 100.0)
            }
        };
        let capacity = f64::from(f.servers) * f.capacity_rps;
        vec![
            format!(
                "{} servers × {:.0} req/s · {lb} · drain {} · install {} · boot {} · warm-up {}",
                f.servers, f.capacity_rps, t.drain, t.deploy, t.boot, t.warmup
            ),
            format!(
                "traffic {} req/s, {shape}; peak ≈ {} ({:.0}% of capacity){}",
                thousands(b.rps),
                thousands(b.peak_rps),
                b.peak_rps / capacity * 100.0,
                if m.traffic.spikes.is_empty() {
                    ""
                } else {
                    "; bursts may come"
                }
            ),
            format!(
                "now on {OLD}: p99 {:.0} ms · CPU {:.0}% · memory {:.0}% · errors {:.2}%",
                b.p99_ms,
                b.cpu * 100.0,
                b.mem * 100.0,
                b.error_rate * 100.0
            ),
            format!(
                "release {NEW}: fault unknown, if any · {FIX} ready if {NEW} must go · goal: a good build everywhere by {}, no downtime, ≤ half the error budget",
                m.duration
            ),
        ]
    }

    /// A one-line summary of the case (headers, the report).
    pub fn summary(&self) -> String {
        let f = &self.mission.fleet;
        let lb = match f.balancer {
            Balancer::Weighted => "weighted LB",
            Balancer::ServerCount => "LB without weights",
        };
        let shape = match &self.mission.traffic.shape {
            Shape::Flat => "flat",
            Shape::Ramp { .. } => "ramp",
            Shape::Wave { .. } => "wave",
        };
        format!(
            "{} servers · {} req/s ({shape}, peak {}) · {lb}",
            f.servers,
            thousands(self.baseline.rps),
            thousands(self.baseline.peak_rps)
        )
    }
}

/// `web-07`, as the sim names servers.
fn server_name(prefix: &str, i: u32) -> String {
    format!("{prefix}-{i:02}")
}

/// `12 400`: a rate rounded to tens with a thin space between thousands.
pub fn thousands(x: f64) -> String {
    let n = round_to(x, 10.0).max(0.0) as u64;
    if n >= 1000 {
        format!("{} {:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

/// The traffic's highest rate over the drill (each second sampled, spikes included).
fn peak(traffic: &Traffic) -> f64 {
    let source = TrafficSource::new(traffic, DURATION.secs());
    (0..=DURATION.millis() / 1000)
        .map(|t| source.rate(t as f64))
        .fold(0.0, f64::max)
}

/// Draws the fault and the v2 that carries it. `util`: the load now; `peak_p99`: the
/// p99 at the peak, which a latency fault must clearly exceed.
fn draw_fault(rng: &mut ChaCha8Rng, util: f64, peak_p99: f64) -> (Fault, Version) {
    let kind = pick(rng, &FaultKind::ALL);
    let mut v = Version::default();
    let onset = match kind {
        FaultKind::Errors | FaultKind::Latency | FaultKind::Tail | FaultKind::Cpu => {
            Dur::from_secs(30 * rng.random_range(0..=3))
        }
        _ => Dur::default(),
    };
    let only_real = matches!(
        kind,
        FaultKind::Errors | FaultKind::Latency | FaultKind::Tail
    ) && rng.random_bool(0.5);
    v.onset_after = onset;
    v.only_real_traffic = only_real;
    let detail = match kind {
        FaultKind::None => format!(
            "none: {NEW} was a healthy release. The safety nets had nothing to catch this time, and that is the point: nobody knows in advance"
        ),
        FaultKind::Errors => {
            v.errors = round_to(rng.random_range(0.3..1.0), 0.05);
            let effective = rng.random_range(0.08..0.35);
            v.affects_users = round_to((effective / v.errors).clamp(0.1, 1.0), 0.05);
            format!(
                "errors: {:.0}% of {NEW}'s requests failed ({:.0}% of the requests of {:.0}% of its users)",
                v.errors * v.affects_users * 100.0,
                v.errors * 100.0,
                v.affects_users * 100.0
            )
        }
        FaultKind::Latency => {
            // Always past a second: any p99 guard the rubric accepts (≤ 1 s) sees it.
            let target = rng.random_range(1500.0..3000.0_f64).max(3.0 * peak_p99);
            v.latency_factor = round_to(target / p99_at(util), 0.5).max(3.0);
            format!(
                "latency: every request of {NEW} took {:.1}× as long (p99 around {:.1} s instead of {:.0} ms)",
                v.latency_factor,
                p99_at(util) * v.latency_factor / 1000.0,
                p99_at(util)
            )
        }
        FaultKind::Tail => {
            let share = round_to(rng.random_range(0.03..0.08), 0.01);
            let factor = round_to(rng.random_range(25.0..50.0), 5.0);
            v.tail = Some(Tail { share, factor });
            format!(
                "a slow tail: {:.0}% of {NEW}'s requests took {factor:.0}× as long (p99 in seconds, p50 unchanged)",
                share * 100.0
            )
        }
        FaultKind::Cpu => {
            v.cpu_factor = round_to(rng.random_range(1.3..1.7) / util, 0.1);
            format!(
                "CPU: each request of {NEW} cost {:.1}× the CPU, so a server on it saturates at {:.0}% of today's load (queues, then timeouts)",
                v.cpu_factor,
                100.0 / v.cpu_factor / util
            )
        }
        FaultKind::Leak => {
            v.leak_mb_per_min = round_to(rng.random_range(400.0..600.0), 10.0);
            format!(
                "a memory leak: {NEW} grew {:.0} MB a minute and was OOM-killed after about {:.1} minutes",
                v.leak_mb_per_min,
                (2048.0 - 512.0) / v.leak_mb_per_min
            )
        }
        FaultKind::CrashLoop => {
            v.fails_to_start = true;
            format!("a crash loop: {NEW} exited at start, every time")
        }
        FaultKind::BrokenDbConfig => {
            v.broken_db_config = true;
            format!(
                "a broken database config: {NEW} answered (a shallow health check passes) but every request that needed the database failed"
            )
        }
    };
    let mut detail = detail;
    if onset > Dur::default() {
        detail.push_str(&format!(", {onset} after a server started"));
    }
    if only_real {
        detail.push_str(
            ", and only under real users' traffic (a preview or smoke test could not see it)",
        );
    }
    (
        Fault {
            kind,
            onset,
            only_real_traffic: only_real,
            detail,
        },
        v,
    )
}

/// The mission of a drill.
fn mission(
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
            },
            base_memory_mb: 512.0,
            memory_limit_mb: 2048.0,
            balancer,
            scale_down_delay: Dur::from_secs(180),
            progress_deadline: PROGRESS_DEADLINE,
            sessions: crate::mission::Sessions::InMemory,
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
        },
        duration: DURATION,
        deadline: None,
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
fn measure(mission: &Mission, seed: u64, peak_rps: f64, peak_p99: f64) -> Baseline {
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
