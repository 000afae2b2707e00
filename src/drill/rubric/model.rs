//! The model answer: the plan an experienced engineer would give for this case, and why
//! each piece matters here (the hidden fault, the balancer, the bursts).

use crate::command::{GuardAction, Metric, Op};
use crate::drill::plan::{Plan, Step, Strategy, Watch};
use crate::drill::scenario::{FIX, FaultKind, NEW, OLD, Scenario};
use crate::mission::{Balancer, CheckDepth};
use crate::time::Dur;

/// The smallest p99 line of the plan screen's choices at least `x` ms.
pub const P99_CHOICES: [f64; 7] = [200.0, 300.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0];

/// The model answer for this scenario, and why each piece matters here.
pub fn model_answer(s: &Scenario) -> (Plan, Vec<String>) {
    let p99 = P99_CHOICES
        .iter()
        .copied()
        .find(|v| *v >= 2.0 * s.baseline.peak_p99_ms)
        .unwrap_or(2000.0);
    let watch = |metric, value, secs, action| {
        Step::Watch(Watch {
            metric,
            op: Op::Gt,
            value,
            for_: Dur::from_secs(secs),
            action,
        })
    };
    let plan = Plan {
        steps: vec![
            Step::Health(CheckDepth::Deep),
            watch(Metric::ErrorRate, 2.0, 10, GuardAction::Rollback),
            watch(Metric::P99, p99, 30, GuardAction::Rollback),
            watch(Metric::Cpu, 90.0, 60, GuardAction::Rollback),
            watch(Metric::Mem, 50.0, 10, GuardAction::Rollback),
            Step::Rollout(Strategy::Canary {
                steps: vec![5, 25, 50, 100],
                interval: Dur::from_secs(60),
                analysis: true,
                limit: 0,
                initial_delay: Dur::default(),
            }),
            Step::Fallback,
        ],
    };
    let mut why = vec![
        "Guards first, then the rollout: each watches one signal of the new version only, so the old fleet's numbers cannot hide it, and rolls back by itself within seconds.".to_string(),
        format!(
            "A canary from 5%: a fault reaches a few users, and the analysis compares {NEW} with {OLD} at each step. Deep health checks keep a server out of traffic until it can really serve."
        ),
        format!(
            "The thresholds come from today's dashboards: p99 is {:.0} ms now and about {:.0} ms at the peak, so {p99:.0} ms is a real change; memory sits at {:.0}%, CPU at {:.0}%.",
            s.baseline.p99_ms,
            s.baseline.peak_p99_ms,
            s.baseline.mem * 100.0,
            s.baseline.cpu * 100.0
        ),
        format!("If {NEW} has to go back, {FIX} goes out the same careful way."),
    ];
    let n = s.servers();
    if s.mission.fleet.balancer == Balancer::ServerCount {
        // Argo's basic canary: the fleet keeps its size, the canary takes the closest count.
        let k = (f64::from(n) * 5.0 / 100.0).round().max(1.0);
        why.push(format!(
            "This balancer has no weights: a 5% canary means {k:.0} of the {n} servers on the new version and the rest on the old; the fleet keeps its size."
        ));
    }
    if !s.mission.traffic.spikes.is_empty() {
        why.push("Bursts come on top of the traffic: a canary (or surge) never takes capacity away, a big in-place batch does.".to_string());
    }
    why.push(match s.fault.kind {
        FaultKind::None => "This time nothing was wrong. The same plan would have caught any fault a release can carry, and it cost minutes, not users.".to_string(),
        FaultKind::Errors => {
            let mut t = "The error-rate guard fires within seconds of the fault, on the canary's few users.".to_string();
            if s.fault.only_real_traffic {
                t.push_str(" A blue-green preview would have shown nothing: the fault needed real users.");
            }
            t
        }
        FaultKind::Latency | FaultKind::Tail => "No request failed: only latency showed it. The p99 guard (and the analysis' p99 check) catch it; an error-rate guard never fires, and an average or p50 hides a slow tail.".to_string(),
        FaultKind::Cpu => "Each request cost more CPU: the CPU guard and the analysis (CPU per request against the stable version) see it on the canary; on every server it is an outage by overload.".to_string(),
        FaultKind::Leak => "Memory grows with uptime: a memory guard well below the limit fires minutes before the OOM kills, and deep checks take a server out at 90% of its memory. On every server at once, the kills come together.".to_string(),
        FaultKind::CrashLoop => "The new servers never started, so no user saw them: any gradual strategy keeps the old servers serving. The rollout stalls at its progress deadline, and the fallback rolls it back and ships v3.".to_string(),
        FaultKind::BrokenDbConfig => "The process answered but could not reach its database: only a deep health check sees that, and keeps the new servers out of traffic (the rollout stalls; the fallback ships v3). With shallow checks the error-rate guard must catch it.".to_string(),
    });
    (plan, why)
}
