//! The hidden fault: its kinds, and the draw that puts one (or none) into v2 with a
//! severity a careless plan feels.

use std::fmt;
use std::fmt::Write as _;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{NEW, p99_at, pick, round_to};
use crate::mission::{Tail, Version};
use crate::time::Dur;

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

/// Draws the fault and the v2 that carries it. `util`: the load now; `peak_p99`: the
/// p99 at the peak, which a latency fault must clearly exceed. `force`: this kind instead
/// of the one drawn (the replay's "what if v2 had…"): the kind is drawn all the same, so
/// the rest of the draw (severity, onset) comes from the same stream, and forcing the kind
/// the seed draws anyway gives the seed's own fault.
pub(super) fn draw_fault(
    rng: &mut ChaCha8Rng,
    util: f64,
    peak_p99: f64,
    force: Option<FaultKind>,
) -> (Fault, Version) {
    let drawn = pick(rng, &FaultKind::ALL);
    let kind = force.unwrap_or(drawn);
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
        let _ = write!(detail, ", {onset} after a server started");
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
