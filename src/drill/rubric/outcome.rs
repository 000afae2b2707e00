//! How the run went: what the fleet ended on, the sim's score and objectives, and the
//! interviewer's verdict from the plan's points, the outcome and the replay.
//!
//! Ending on v3 is good only when v2 was stopped for a cause its fault produced: a guard or
//! the analysis after the fault showed, or v2 never getting ready. Throwing a healthy v2
//! away for v3 (a guard that fires on noise) is not a safe deployment, it is a lost release.

use super::{Criterion, MAX_POINTS};
use crate::drill::scenario::{FIX, FaultKind, NEW, OLD, Scenario};
use crate::sim::{PoolRole, Score, ServerState, Sim};

/// What the fleet ended on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shipped {
    /// Every server in traffic on a healthy new build.
    Good(String),
    /// Every server in traffic on v2, which carried the fault.
    Faulty,
    /// Every server in traffic on v3, but v2 was stopped for nothing its fault did (a
    /// healthy v2, or one stopped before its fault ever showed).
    Replaced { healthy: bool },
    /// Still on v1: nothing broke, nothing shipped.
    Old,
    /// Versions mixed, or servers out of service: the rollout did not finish.
    Unfinished(String),
}

impl Shipped {
    pub fn is_good(&self) -> bool {
        matches!(self, Shipped::Good(_))
    }

    /// In words.
    pub fn describe(&self) -> String {
        match self {
            Shipped::Good(v) => format!("shipped: every server on {v}"),
            Shipped::Faulty => format!("not safe: every server ended on {NEW}, the faulty build"),
            Shipped::Replaced { healthy: true } => format!(
                "every server on {FIX}, but {NEW} was healthy: the plan threw a good release away"
            ),
            Shipped::Replaced { healthy: false } => format!(
                "every server on {FIX}, but {NEW} was stopped before its fault showed: nobody learnt what was wrong"
            ),
            Shipped::Old => format!("nothing shipped: the fleet is still on {OLD}"),
            Shipped::Unfinished(how) => format!("unfinished: {how}"),
        }
    }
}

/// How the run went.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The mission's objectives met and a good build shipped.
    pub passed: bool,
    pub shipped: Shipped,
    /// The sim's score, rounded as the report rounds it.
    pub score: Score,
    /// Each objective in words, and whether it was met.
    pub objectives: Vec<(String, bool)>,
}

impl Outcome {
    /// Judges the sim at the end of the run.
    pub fn judge(sim: &Sim, scenario: &Scenario) -> Self {
        let o = sim.outcome();
        let shipped = shipped(sim, scenario);
        let objectives: Vec<(String, bool)> =
            o.objectives.into_iter().map(|o| (o.text, o.met)).collect();
        Self {
            passed: o.passed && shipped.is_good(),
            shipped,
            score: o.score.rounded(),
            objectives,
        }
    }
}

fn shipped(sim: &Sim, scenario: &Scenario) -> Shipped {
    let live: Vec<_> = sim
        .servers()
        .iter()
        .filter(|s| sim.pools()[s.pool as usize].role == PoolRole::Live)
        .collect();
    let n = scenario.servers() as usize;
    let serving: Vec<&str> = live
        .iter()
        .filter(|s| s.state() == ServerState::InService)
        .map(|s| sim.version_name(s.version))
        .collect();
    let count = |v: &str| serving.iter().filter(|x| **x == v).count();
    let all_on = |v: &str| count(v) == serving.len() && serving.len() >= n;
    if all_on(FIX) {
        return if stopped_for_cause(sim, scenario) {
            Shipped::Good(FIX.to_string())
        } else {
            Shipped::Replaced {
                healthy: scenario.fault.kind == FaultKind::None,
            }
        };
    }
    if all_on(NEW) {
        return if scenario.fault.kind == FaultKind::None {
            Shipped::Good(NEW.to_string())
        } else {
            Shipped::Faulty
        };
    }
    if all_on(OLD) {
        return Shipped::Old;
    }
    let mix: Vec<String> = [OLD, NEW, FIX]
        .iter()
        .filter(|v| count(v) > 0)
        .map(|v| format!("{} on {v}", count(v)))
        .collect();
    Shipped::Unfinished(format!(
        "{} of {n} servers in traffic ({})",
        serving.len(),
        if mix.is_empty() {
            "none".to_string()
        } else {
            mix.join(", ")
        }
    ))
}

/// Whether v2 was stopped for a cause its fault produced: v2 never served a user (it never
/// got ready), or it was stopped once its fault had shown (the sim's evidence: a guard,
/// the analysis, a stall or a person acting on what the dashboards showed).
fn stopped_for_cause(sim: &Sim, scenario: &Scenario) -> bool {
    if scenario.fault.kind == FaultKind::None {
        return false;
    }
    let Some(v2) = sim.versions().iter().position(|v| v.name == NEW) else {
        return false;
    };
    sim.release_states().get(v2).is_some_and(|r| {
        !r.served_live || r.stopped.is_some() || (r.stopped_early.is_some() && r.evidence.is_some())
    })
}

/// The interviewer's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    StrongHire,
    Hire,
    NoHire,
}

impl Verdict {
    /// From the plan's points, the run's outcome and how many kinds of fault the plan
    /// passed in the replay (of `kinds`): a strong hire passes all of them with one point to
    /// spare, or all but one with full marks; a hire passes most with most of the points.
    pub fn of(plan_points: u8, outcome: &Outcome, replay_passed: usize, kinds: usize) -> Self {
        let max = MAX_POINTS * Criterion::ALL.len() as u8;
        if !outcome.passed {
            return Verdict::NoHire;
        }
        let strong = (replay_passed >= kinds && plan_points + 1 >= max)
            || (replay_passed + 1 >= kinds && plan_points >= max);
        if strong {
            Verdict::StrongHire
        } else if replay_passed * 2 > kinds && plan_points * 2 >= max + 2 {
            Verdict::Hire
        } else {
            Verdict::NoHire
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::StrongHire => "strong hire",
            Verdict::Hire => "hire",
            Verdict::NoHire => "no hire (yet)",
        }
    }
}
