//! What the rubric checks in a plan's parts: whether a guard's line is worth having, how
//! much of the fleet a strategy exposes first, which signal shows which fault, and whether a
//! guard's action brings users back.

use crate::command::{Amount, GuardAction, Metric, Op};
use crate::drill::plan::{Plan, Strategy, Watch};
use crate::drill::scenario::{FaultKind, Scenario};
use crate::time::Dur;

/// A watch is worth its name: tight enough to fire before an outage, loose enough for a
/// healthy release. `None`: fine; `Some(why)`: the problem.
pub(super) fn threshold_problem(w: &Watch, s: &Scenario) -> Option<String> {
    if !matches!(w.op, Op::Gt | Op::Ge) {
        return Some("fires when the signal drops, not when it rises".to_string());
    }
    let slow = w.for_ > Dur::from_secs(120);
    let loose = match w.metric {
        Metric::ErrorRate => (w.value > 5.0).then(|| {
            format!(
                "{}% is past the outage line (5%): it fires only once users are down",
                w.value
            )
        }),
        Metric::P50 | Metric::P95 | Metric::P99 => {
            let line = (5.0 * s.baseline.peak_p99_ms.max(s.baseline.p99_ms)).max(1000.0);
            (w.value > line).then(|| {
                format!(
                    "{:.0} ms is over a second and 5× the p99 at peak ({:.0} ms): users suffer long before it fires",
                    w.value, s.baseline.peak_p99_ms
                )
            })
        }
        Metric::Cpu => (w.value > 95.0).then(|| "CPU above 95% is already saturation".into()),
        Metric::Mem => (w.value > 85.0).then(|| {
            "memory above 85% leaves no time before the OOM kill (deep checks fail at 90%)".into()
        }),
        Metric::SessionsLost => Some("not a signal of the release".into()),
    };
    match (loose, slow) {
        (Some(why), _) => Some(why),
        (None, true) => Some(format!("holding for {} is too long to react", w.for_)),
        (None, false) => None,
    }
}

/// Noise: a line a healthy release crosses.
pub(super) fn too_tight(w: &Watch, s: &Scenario) -> bool {
    match w.metric {
        Metric::ErrorRate => w.value < 0.5 && w.for_ < Dur::from_secs(10),
        Metric::P50 | Metric::P95 | Metric::P99 => w.value < 1.2 * s.baseline.peak_p99_ms,
        Metric::Cpu => w.value < (s.baseline.cpu * 100.0 + 15.0).min(90.0),
        Metric::Mem => w.value < s.baseline.mem * 100.0 + 10.0,
        Metric::SessionsLost => false,
    }
}

/// The share of the fleet a strategy changes first, 0..1.
pub(super) fn first_exposure(strategy: &Strategy, n: u32) -> f64 {
    let n = n.max(1);
    let frac = |k: u32| f64::from(k.min(n)) / f64::from(n);
    match strategy {
        Strategy::AllAtOnce | Strategy::BlueGreen { .. } => 1.0,
        Strategy::Rolling { batch } => match batch {
            Amount::Count(k) => frac(*k),
            Amount::Percent(p) => {
                frac(n.saturating_sub(Amount::Percent(100 - (*p).min(100)).of(n, true)))
            }
        },
        Strategy::Surge {
            surge, unavailable, ..
        } => frac(surge.of(n, true).max(unavailable.of(n, false)).max(1)),
        Strategy::Canary { steps, .. } => f64::from(steps.first().copied().unwrap_or(100)) / 100.0,
    }
}

/// What covers what: errors, latency, resources.
pub(super) fn family(m: Metric) -> usize {
    match m {
        Metric::ErrorRate | Metric::SessionsLost => 0,
        Metric::P50 | Metric::P95 | Metric::P99 => 1,
        Metric::Cpu | Metric::Mem => 2,
    }
}

/// The signal that shows this fault first, in words (`None`: nothing to see).
pub(super) fn telling_signal(kind: FaultKind) -> Option<&'static str> {
    match kind {
        FaultKind::None => None,
        FaultKind::Errors | FaultKind::BrokenDbConfig => Some("the error rate"),
        FaultKind::Latency | FaultKind::Tail => Some("p99 latency (no request failed)"),
        FaultKind::Cpu => Some("CPU, then p99 and timeouts"),
        FaultKind::Leak => Some("memory, long before the crashes"),
        FaultKind::CrashLoop => {
            Some("no metric at all: the servers never served, so watch the rollout's progress")
        }
    }
}

pub(super) fn analysis_on(plan: &Plan) -> bool {
    matches!(
        plan.strategy(),
        Some(Strategy::Canary { analysis: true, .. })
    )
}

/// A guard's action brings users back to the old version at once with this strategy.
pub(super) fn restores(action: GuardAction, strategy: Option<&Strategy>) -> bool {
    match action {
        GuardAction::Rollback => true,
        GuardAction::Abort => matches!(
            strategy,
            Some(Strategy::Canary { .. } | Strategy::BlueGreen { .. })
        ),
        GuardAction::Pause => false,
    }
}
