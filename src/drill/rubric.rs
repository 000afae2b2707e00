//! The debrief's judgement: the plan against the interview rubric (gradual rollout, health
//! checks, monitoring, rollback; 0–2 points each with the reason), the outcome of the run
//! (the sim's score, and whether a good build ended up on the fleet), a verdict, and a model
//! answer written for the scenario, with the hidden fault revealed.
//!
//! The rubric judges what the plan does, not what it says: it reads the replay (the plan
//! run on the same case once per kind of fault, `replay.rs`). A guard earns monitoring
//! credit only for the faults it caught in time, and none when it fires on a healthy v2;
//! health checks only for the bad builds they kept from users; gradual exposure only when
//! the first step is small enough for the plan's reaction to an errors fault, and the
//! rollout leaves time for a fallback. So the marks are a pure function of (plan, seed), the
//! same on every replay, and a plan that watches nothing scores the same whether this
//! release was healthy or not. The scenario only tailors the reasons.

use std::fmt::Write as _;

use super::plan::{Plan, Strategy, Watch};
use super::replay::{Catcher, Replay, Row};
use super::scenario::{DURATION, FIX, FaultKind, NEW, Scenario};
use crate::mission::CheckDepth;
use crate::time::{Dur, TICKS_PER_SEC, clock};
use signals::{analysis_on, first_exposure, restores, telling_signal};

mod model;
mod outcome;
mod signals;

pub use model::{P99_CHOICES, model_answer};
pub use outcome::{Outcome, Shipped, Verdict};

/// Points per criterion.
pub const MAX_POINTS: u8 = 2;

/// The faults a metric can show (a crash loop never serves, so no metric sees it; a broken
/// database config counts when the health checks let it serve).
const MONITORED: [FaultKind; 6] = [
    FaultKind::Errors,
    FaultKind::Latency,
    FaultKind::Tail,
    FaultKind::Cpu,
    FaultKind::Leak,
    FaultKind::BrokenDbConfig,
];

/// A blue-green plan previews green at least this long before the switch.
pub const BAKE: Dur = Dur::from_secs(60);

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

/// What caught v2, in a few words: `guard error_rate>2% for 10s`, `the analysis`, …
pub fn catcher_name(plan: &Plan, c: Catcher, served_live: bool) -> String {
    match c {
        Catcher::Guard(i) => plan
            .watches()
            .nth(i)
            .map_or_else(|| "a guard".to_string(), |w| format!("guard {}", w.label())),
        Catcher::Analysis => "the analysis".to_string(),
        Catcher::Stall if served_live => "the progress deadline".to_string(),
        Catcher::Stall => "never ready (checks)".to_string(),
    }
}

fn kinds_text(kinds: &[FaultKind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    match names.as_slice() {
        [] => "nothing".to_string(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn secs(ticks: u64) -> f64 {
    ticks as f64 / TICKS_PER_SEC as f64
}

/// The strategy's shape: how much the first step exposes and how each later step widens.
fn shape(plan: &Plan, s: &Scenario) -> (u8, String) {
    let n = s.servers();
    match plan.strategy() {
        None => (0, "the plan never ships: no strategy".to_string()),
        Some(Strategy::AllAtOnce) => (
            0,
            format!(
                "all {n} servers at once: the whole fleet stops together, and a bad build reaches every user"
            ),
        ),
        Some(Strategy::BlueGreen { switch_after }) => match switch_after {
            Some(d) if *d >= BAKE => (
                2,
                format!(
                    "blue-green: every user moves at once, but only after green has baked {d} beside blue, and switching back is instant"
                ),
            ),
            Some(d) => (
                1,
                format!(
                    "blue-green switching after {d}: bake green at least {BAKE} before every user moves to it"
                ),
            ),
            None => (
                1,
                format!(
                    "blue-green, switched by hand: bake green at least {BAKE} (`switch green after 1m`) before every user moves"
                ),
            ),
        },
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
    }
}

/// Gradual exposure, judged by exposure and time: the shape, then whether the first
/// exposure times the plan's reaction fits the budget for an errors fault, and whether v2
/// and a full fallback to v3 fit in the drill.
fn gradual(plan: &Plan, s: &Scenario, replay: &Replay) -> Mark {
    let (mut points, mut reason) = shape(plan, s);
    if plan.strategy().is_some() && points > 0 {
        let errors = replay.row(FaultKind::Errors);
        match errors.first() {
            Some(c) if c.in_time => {
                let _ = write!(
                    reason,
                    "; an errors fault was stopped at {} with {:.0}% of the budget spent",
                    clock(c.at_s()),
                    c.budget_pct
                );
            }
            Some(c) => {
                points = points.min(1);
                let _ = write!(
                    reason,
                    "; but the first step met an errors fault until {} ({:.0}% of the error budget gone): expose less, or react faster",
                    clock(c.at_s()),
                    c.budget_pct
                );
            }
            None => {
                points = points.min(1);
                reason.push_str(
                    "; but nothing stopped an errors fault: a small first step only helps if something stops it",
                );
            }
        }
        let healthy = replay.row(FaultKind::None);
        match healthy.v2_shipped {
            Some(t) if 2 * t <= DURATION.ticks() => {}
            Some(t) => {
                points = points.min(1);
                let _ = write!(
                    reason,
                    "; and a healthy {NEW} took {} to ship: a fallback to {FIX} the same way needs as long again, past the drill's {DURATION}",
                    clock(secs(t))
                );
            }
            None => {
                points = points.min(1);
                let _ = write!(
                    reason,
                    "; and even a healthy {NEW} did not finish within {DURATION}, let alone a fallback to {FIX}"
                );
            }
        }
    }
    Mark {
        criterion: Criterion::Gradual,
        points,
        reason,
    }
}

/// Health checks, judged by the bad builds they kept from users in the replay (a crash
/// loop, a broken database config), with the trade-off of deep checks said.
fn health(plan: &Plan, replay: &Replay) -> Mark {
    let deep = plan.health() == CheckDepth::Deep;
    let kept: Vec<FaultKind> = [FaultKind::CrashLoop, FaultKind::BrokenDbConfig]
        .into_iter()
        .filter(|k| replay.row(*k).kept_out_by_checks())
        .collect();
    let points = kept.len() as u8;
    let depth = if deep { "deep" } else { "shallow" };
    let mut reason = if kept.is_empty() {
        format!("{depth} checks kept no bad build away from users")
    } else {
        format!(
            "{depth} checks kept the {} away from users: {NEW}'s servers never joined traffic",
            kinds_text(&kept)
        )
    };
    if !kept.contains(&FaultKind::BrokenDbConfig) && !deep {
        reason.push_str(
            "; a shallow check passes a server that cannot reach its database: a deep readiness check keeps it out",
        );
    }
    if kept.len() < 2 && matches!(plan.strategy(), Some(Strategy::AllAtOnce)) {
        reason.push_str(
            "; with every server changing at once, a failing check has nowhere to send the traffic",
        );
    }
    if deep {
        reason.push_str(
            ". The trade-off: readiness on the shared database pulls every server in a database blip (never put it in liveness; validate config at startup), and memory in readiness does not stop a leak",
        );
    }
    Mark {
        criterion: Criterion::Health,
        points,
        reason,
    }
}

/// Monitoring, judged by what each guard and the analysis caught in time in the replay.
fn monitoring(plan: &Plan, s: &Scenario, replay: &Replay) -> Mark {
    let watches: Vec<&Watch> = plan.watches().collect();
    if watches.is_empty() && !analysis_on(plan) {
        return Mark {
            criterion: Criterion::Monitoring,
            points: 0,
            reason: format!("nothing watches {NEW}: a fault shows only when users complain"),
        };
    }
    let noisy = replay.noisy();
    let relevant: Vec<FaultKind> = MONITORED
        .into_iter()
        .filter(|k| *k != FaultKind::BrokenDbConfig || replay.row(*k).served_live)
        .collect();
    let (caught, missed): (Vec<FaultKind>, Vec<FaultKind>) = relevant
        .iter()
        .partition(|k| replay.row(**k).caught_by_monitoring(&noisy).is_some());
    // All caught: 2; at least half: 1.
    let mut points = if missed.is_empty() {
        2
    } else {
        u8::from(caught.len() * 2 >= relevant.len())
    };
    if !noisy.is_empty() {
        points = points.min(1);
    }
    let mut reason = if caught.is_empty() {
        "replayed on every kind of fault, your signals caught none in time (before half the budget, before an OOM kill)".to_string()
    } else if missed.is_empty() {
        format!(
            "replayed on every kind of fault, your signals caught {} in time",
            kinds_text(&caught)
        )
    } else {
        format!(
            "replayed on every kind of fault, your signals caught {} in time, not {}",
            kinds_text(&caught),
            kinds_text(&missed)
        )
    };
    for c in &noisy {
        let _ = write!(
            reason,
            "; {} fired on a healthy {NEW}: a signal that fires anyway catches nothing, and throws good releases away",
            catcher_name(plan, *c, true)
        );
    }
    for k in &missed {
        let row = replay.row(*k);
        let what = match row.first() {
            None => "nothing fired".to_string(),
            Some(c) if c.by == Catcher::Stall => {
                "only the progress deadline stopped it".to_string()
            }
            Some(c) if noisy.contains(&c.by) => {
                format!(
                    "only {} (which fires anyway)",
                    catcher_name(plan, c.by, true)
                )
            }
            Some(c) if row.oom.is_some_and(|o| o <= c.tick) => format!(
                "{} fired after the first OOM kill",
                catcher_name(plan, c.by, true)
            ),
            Some(c) => format!(
                "{} fired with {:.0}% of the budget gone",
                catcher_name(plan, c.by, true),
                c.budget_pct
            ),
        };
        let _ = write!(reason, "; {k}: {what}");
    }
    if !missed.is_empty() {
        for (i, w) in watches.iter().enumerate() {
            let fired = replay
                .rows
                .iter()
                .any(|r| r.catches.iter().any(|c| c.by == Catcher::Guard(i)));
            if !fired {
                let _ = write!(reason, "; `{}` never fired", w.label());
            }
        }
    }
    if let Some(sig) = telling_signal(s.fault.kind)
        && points < 2
    {
        let _ = write!(reason, ". This fault showed in {sig}");
    }
    Mark {
        criterion: Criterion::Monitoring,
        points,
        reason,
    }
}

/// Rollback, judged by whether the plan took users off v2 by itself, fast enough, in the
/// replays where something caught the fault while users were on v2, and then shipped v3.
fn rollback(plan: &Plan, replay: &Replay) -> Mark {
    let strategy = plan.strategy();
    let caught: Vec<&Row> = replay
        .rows
        .iter()
        .filter(|r| r.kind != FaultKind::None && r.served_live && !r.catches.is_empty())
        .collect();
    let out = caught.iter().filter(|r| r.v2_left == 0).count();
    let timely: Vec<&Row> = caught
        .iter()
        .copied()
        .filter(|r| r.first().is_some_and(|c| c.in_time))
        .collect();
    let slow: Vec<FaultKind> = timely
        .iter()
        .filter(|r| !(r.v2_left == 0 && r.users_whole(replay.line)))
        .map(|r| r.kind)
        .collect();
    let triggers = plan.watches().any(|w| restores(w.action, strategy)) || analysis_on(plan);
    let how = match strategy {
        Some(Strategy::Rolling { .. } | Strategy::Surge { .. }) => {
            " (a rolling rollback re-deploys the old version batch by batch: minutes, while v2 keeps serving)"
        }
        Some(Strategy::AllAtOnce) => " (after `deploy all` there is no rollout to roll back)",
        _ => " (traffic goes back to the old version in seconds)",
    };
    let (points, mut reason) = if caught.is_empty() {
        (
            0,
            if triggers {
                format!(
                    "no fault {NEW} showed to users was ever stopped: the triggers never pulled"
                )
            } else {
                "no trigger: nothing stops or reverses a bad release".to_string()
            },
        )
    } else if out == 0 {
        let acts: Vec<&str> = plan.watches().map(|w| w.action.as_str()).collect();
        (
            0,
            format!(
                "the plan stopped {NEW} but left users on it ({}): the spread stops, the harm does not, until someone acts",
                if acts.is_empty() {
                    "analysis".to_string()
                } else {
                    acts.join("/")
                }
            ),
        )
    } else if slow.is_empty() && !timely.is_empty() && plan.has_fallback() {
        (
            2,
            format!(
                "each fault caught in time, the plan took {NEW} out of traffic by itself before the budget ran out{how}"
            ),
        )
    } else if slow.is_empty() {
        (
            1,
            format!(
                "the plan took {NEW} out of traffic by itself in {out} of {} caught faults{how}",
                caught.len()
            ),
        )
    } else {
        (
            1,
            format!(
                "{}: caught in time, but users stayed on {NEW} until the rollback was done{how}, and the budget ran out",
                kinds_text(&slow)
            ),
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

/// The plan against the rubric, from its replay.
pub fn mark(plan: &Plan, scenario: &Scenario, replay: &Replay) -> Vec<Mark> {
    vec![
        gradual(plan, scenario, replay),
        health(plan, replay),
        monitoring(plan, scenario, replay),
        rollback(plan, replay),
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
