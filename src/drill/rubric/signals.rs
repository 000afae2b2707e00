//! What the rubric reads in a plan's parts: how much of the fleet a strategy exposes
//! first, which signal shows which fault, and whether a guard's action brings users back.
//! (Whether a guard's line is worth having is the replay's call, not a keyword's.)

use crate::command::{Amount, GuardAction};
use crate::drill::plan::{Plan, Strategy};
use crate::drill::scenario::FaultKind;

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
