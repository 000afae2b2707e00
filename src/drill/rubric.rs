//! The debrief's judgement: the plan against the interview rubric (gradual rollout, health
//! checks, monitoring, rollback; 0–2 points each with the reason), the outcome of the run
//! (the sim's score, and whether a good build ended up on the fleet), a verdict, and a model
//! answer written for the scenario, with the hidden fault revealed.
//!
//! The rubric judges the plan as written, not the luck of the draw: a plan that watches
//! nothing scores the same whether the release was healthy or not. The scenario only
//! tailors the reasons ("this release's leak showed only in memory").

use std::fmt::Write as _;

use super::plan::{Plan, Strategy, Watch};
use super::scenario::{FIX, FaultKind, NEW, Scenario};
use crate::mission::CheckDepth;
use crate::time::Dur;
use signals::{
    analysis_on, family, first_exposure, restores, telling_signal, threshold_problem, too_tight,
};

mod model;
mod outcome;
mod signals;

pub use model::{P99_CHOICES, model_answer};
pub use outcome::{Outcome, Shipped, Verdict};

/// Points per criterion.
pub const MAX_POINTS: u8 = 2;

/// A rubric line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    Gradual,
    Health,
    Monitoring,
    Rollback,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [
        Criterion::Gradual,
        Criterion::Health,
        Criterion::Monitoring,
        Criterion::Rollback,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Criterion::Gradual => "gradual rollout",
            Criterion::Health => "health checks",
            Criterion::Monitoring => "monitoring",
            Criterion::Rollback => "rollback",
        }
    }
}

/// One criterion's points and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub criterion: Criterion,
    pub points: u8,
    pub reason: String,
}

impl Mark {
    /// `pass`, `partial` or `fail`.
    pub fn word(&self) -> &'static str {
        match self.points {
            0 => "fail",
            p if p >= MAX_POINTS => "pass",
            _ => "partial",
        }
    }
}

fn gradual(plan: &Plan, s: &Scenario) -> Mark {
    let n = s.servers();
    let (points, reason) = match plan.strategy() {
        None => (0, "the plan never ships: no strategy".to_string()),
        Some(Strategy::AllAtOnce) => (
            0,
            format!(
                "all {n} servers at once: the whole fleet stops together, and a bad build reaches every user"
            ),
        ),
        Some(Strategy::BlueGreen { switch_after }) => (
            1,
            format!(
                "blue-green moves every user at once, but only after green is up and previewed, and switching back is instant{}",
                match switch_after {
                    Some(d) => format!(" (the plan switches after {d} of preview)"),
                    None => " (you switch by hand)".to_string(),
                }
            ),
        ),
        Some(st @ (Strategy::Rolling { .. } | Strategy::Surge { .. })) => {
            let f = first_exposure(st, n);
            let pct = f * 100.0;
            match f {
                // Percentages round up to whole servers: 10% of 193 is 20.
                f if f <= 0.125 => (
                    2,
                    format!(
                        "{} in steps of {pct:.0}% of the fleet, each health-checked before the next",
                        st.name()
                    ),
                ),
                f if f <= 0.34 => (
                    1,
                    format!(
                        "{}, but {pct:.0}% of the fleet at a time: a fault reaches a third of the users before the next check",
                        st.name()
                    ),
                ),
                _ => (
                    0,
                    format!("{} in steps of {pct:.0}%: hardly gradual", st.name()),
                ),
            }
        }
        Some(Strategy::Canary {
            steps, interval, ..
        }) => {
            let first = steps.first().copied().unwrap_or(100);
            // The widest single step (from, to): 3 % → 100 % is not gradual however it starts.
            let (from, to) = std::iter::once(0)
                .chain(steps.iter().copied())
                .zip(steps.iter().copied())
                .max_by_key(|(a, b)| b.saturating_sub(*a))
                .unwrap_or((0, 100));
            if to.saturating_sub(from) > 50 && steps.len() >= 2 {
                (
                    1,
                    format!(
                        "canary from {first}%, but one step jumps from {from}% to {to}%: most users meet the release in that one step; widen in steps of 50 points or less"
                    ),
                )
            } else if first <= 10 && steps.len() >= 3 && *interval >= Dur::from_secs(30) {
                (
                    2,
                    format!(
                        "canary from {first}% in {} steps, {interval} each to judge before widening",
                        steps.len()
                    ),
                )
            } else if first <= 25 && steps.len() >= 2 {
                (
                    1,
                    format!(
                        "canary from {first}% in {} steps every {interval}: start at 10% or less, with at least 3 steps of 30 s or more",
                        steps.len()
                    ),
                )
            } else {
                (
                    0,
                    format!("a canary that starts at {first}% is not a canary"),
                )
            }
        }
    };
    Mark {
        criterion: Criterion::Gradual,
        points,
        reason,
    }
}

fn health(plan: &Plan, s: &Scenario) -> Mark {
    let deep = plan.health() == CheckDepth::Deep;
    let mut points: u8 = if deep { 2 } else { 1 };
    let mut reason = if deep {
        "deep checks: a server joins traffic only once it reaches the database and has memory to spare".to_string()
    } else {
        "shallow checks only prove the process answers: a server that cannot reach its database passes".to_string()
    };
    if matches!(plan.strategy(), Some(Strategy::AllAtOnce)) {
        points = points.saturating_sub(1);
        reason.push_str("; and with every server changing at once, a failing check has nowhere to send the traffic");
    }
    match s.fault.kind {
        FaultKind::BrokenDbConfig if deep => {
            reason.push_str(". This release's database config was broken: the deep check kept it out of traffic");
        }
        FaultKind::BrokenDbConfig => {
            reason.push_str(". This release's database config was broken: a deep check would have kept it out of traffic");
        }
        FaultKind::Leak if deep => {
            reason.push_str(". The deep check also took leaking servers out before the OOM kill");
        }
        _ => {}
    }
    Mark {
        criterion: Criterion::Health,
        points,
        reason,
    }
}

fn monitoring(plan: &Plan, s: &Scenario) -> Mark {
    let good: Vec<&Watch> = plan
        .watches()
        .filter(|w| threshold_problem(w, s).is_none())
        .collect();
    let mut covered = [false; 3];
    for w in &good {
        covered[family(w.metric)] = true;
    }
    let names = ["error rate", "latency", "CPU or memory"];
    let watched: Vec<&str> = (0..3).filter(|&i| covered[i]).map(|i| names[i]).collect();
    let missing: Vec<&str> = (0..3).filter(|&i| !covered[i]).map(|i| names[i]).collect();
    let (points, mut reason) = if covered.iter().all(|c| *c) {
        let mut metrics: Vec<&str> = good.iter().map(|w| w.metric.as_str()).collect();
        metrics.dedup();
        (
            2,
            format!(
                "guards on {NEW}'s {}: errors, latency and resources are all watched",
                metrics.join(", ")
            ),
        )
    } else if !good.is_empty() {
        (
            1,
            format!(
                "guards on {NEW}'s {}, not on its {}: an unknown fault shows in any of them",
                watched.join(", "),
                missing.join(" or ")
            ),
        )
    } else if analysis_on(plan) {
        (
            1,
            "no guards: only the canary's analysis compares the versions, once per step"
                .to_string(),
        )
    } else {
        (
            0,
            format!("nothing watches {NEW}: a fault shows only when users complain"),
        )
    };
    if let Some(w) = plan.watches().find(|w| threshold_problem(w, s).is_some()) {
        let why = threshold_problem(w, s).unwrap_or_default();
        let _ = write!(reason, "; `{}` does not count: {why}", w.command(NEW));
    }
    if let Some(w) = good.iter().find(|w| too_tight(w, s)) {
        let _ = write!(
            reason,
            "; `{}` is so tight a healthy release may trip it",
            w.command(NEW)
        );
    }
    if let Some(sig) = telling_signal(s.fault.kind)
        && (good.is_empty() || points < 2)
    {
        let _ = write!(reason, ". This fault showed in {sig}");
    }
    Mark {
        criterion: Criterion::Monitoring,
        points,
        reason,
    }
}

fn rollback(plan: &Plan, s: &Scenario) -> Mark {
    let strategy = plan.strategy();
    let good: Vec<&Watch> = plan
        .watches()
        .filter(|w| threshold_problem(w, s).is_none())
        .collect();
    let restoring = good.iter().filter(|w| restores(w.action, strategy)).count();
    let (points, mut reason) = if restoring > 0 {
        let how = match strategy {
            Some(Strategy::Rolling { .. } | Strategy::Surge { .. }) => {
                " (a rolling rollback re-deploys the old version batch by batch: minutes, not seconds)"
            }
            Some(Strategy::AllAtOnce) => {
                " — but there is no rollout to roll back after `deploy all`: the trigger has nothing to pull"
            }
            _ => " (traffic goes back to the old version in seconds)",
        };
        let pts = if matches!(strategy, Some(Strategy::AllAtOnce)) {
            1
        } else {
            2
        };
        (
            pts,
            if restoring == 1 {
                format!("1 guard rolls back by itself{how}")
            } else {
                format!("{restoring} guards roll back by themselves{how}")
            },
        )
    } else if !good.is_empty() {
        let acts: Vec<&str> = good.iter().map(|w| w.action.as_str()).collect();
        (
            1,
            format!(
                "the guards only {}: the spread stops, but users stay on the bad build until someone acts",
                acts.join("/")
            ),
        )
    } else if analysis_on(plan) {
        (
            1,
            "only the canary's analysis aborts, at the end of a step; nothing triggers between checks".to_string(),
        )
    } else {
        (
            0,
            "no trigger: nothing stops or reverses a bad release".to_string(),
        )
    };
    if plan.has_fallback() {
        let _ = write!(reason, "; then the plan ships {FIX}");
    } else if points > 0 {
        let _ = write!(
            reason,
            "; no fallback: after a rollback, {FIX} must be shipped by hand"
        );
    }
    Mark {
        criterion: Criterion::Rollback,
        points,
        reason,
    }
}

/// The plan against the rubric.
pub fn mark(plan: &Plan, scenario: &Scenario) -> Vec<Mark> {
    vec![
        gradual(plan, scenario),
        health(plan, scenario),
        monitoring(plan, scenario),
        rollback(plan, scenario),
    ]
}

/// The sum of the marks.
pub fn total(marks: &[Mark]) -> u8 {
    marks.iter().map(|m| m.points).sum()
}

/// The largest possible total.
pub fn max_total() -> u8 {
    MAX_POINTS * Criterion::ALL.len() as u8
}
