//! The debrief's judgement: the plan against the interview rubric (gradual rollout, health
//! checks, monitoring, rollback; 0–2 points each with the reason), the outcome of the run
//! (the sim's score, and whether a good build ended up on the fleet), a verdict, and a model
//! answer written for the scenario, with the hidden fault revealed.
//!
//! The rubric judges the plan as written, not the luck of the draw: a plan that watches
//! nothing scores the same whether the release was healthy or not. The scenario only
//! tailors the reasons ("this release's leak showed only in memory").

use super::plan::{Plan, Step, Strategy, Watch};
use super::scenario::{FIX, FaultKind, NEW, OLD, Scenario};
use crate::command::{Amount, GuardAction, Metric, Op};
use crate::mission::{Balancer, CheckDepth};
use crate::sim::{PoolRole, Score, ServerState, Sim};
use crate::time::Dur;

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

/// What the fleet ended on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shipped {
    /// Every server in traffic on a healthy new build.
    Good(String),
    /// Every server in traffic on v2, which carried the fault.
    Faulty,
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
        return Shipped::Good(FIX.to_string());
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

/// The interviewer's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    StrongHire,
    Hire,
    NoHire,
}

impl Verdict {
    pub fn of(plan_points: u8, outcome: &Outcome) -> Self {
        let max = MAX_POINTS * Criterion::ALL.len() as u8;
        match (plan_points, outcome.passed) {
            (p, true) if p + 1 >= max => Verdict::StrongHire,
            (p, true) if p * 2 >= max + 2 => Verdict::Hire,
            _ => Verdict::NoHire,
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

/// A watch is worth its name: tight enough to fire before an outage, loose enough for a
/// healthy release. `None`: fine; `Some(why)`: the problem.
fn threshold_problem(w: &Watch, s: &Scenario) -> Option<String> {
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
fn too_tight(w: &Watch, s: &Scenario) -> bool {
    match w.metric {
        Metric::ErrorRate => w.value < 0.5 && w.for_ < Dur::from_secs(10),
        Metric::P50 | Metric::P95 | Metric::P99 => w.value < 1.2 * s.baseline.peak_p99_ms,
        Metric::Cpu => w.value < (s.baseline.cpu * 100.0 + 15.0).min(90.0),
        Metric::Mem => w.value < s.baseline.mem * 100.0 + 10.0,
        Metric::SessionsLost => false,
    }
}

/// The share of the fleet a strategy changes first, 0..1.
fn first_exposure(strategy: &Strategy, n: u32) -> f64 {
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
            if first <= 10 && steps.len() >= 3 && *interval >= Dur::from_secs(30) {
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

/// What covers what: errors, latency, resources.
fn family(m: Metric) -> usize {
    match m {
        Metric::ErrorRate | Metric::SessionsLost => 0,
        Metric::P50 | Metric::P95 | Metric::P99 => 1,
        Metric::Cpu | Metric::Mem => 2,
    }
}

/// The signal that shows this fault first, in words (`None`: nothing to see).
fn telling_signal(kind: FaultKind) -> Option<&'static str> {
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

fn analysis_on(plan: &Plan) -> bool {
    matches!(
        plan.strategy(),
        Some(Strategy::Canary { analysis: true, .. })
    )
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
        reason.push_str(&format!("; `{}` does not count: {why}", w.command(NEW)));
    }
    if let Some(w) = good.iter().find(|w| too_tight(w, s)) {
        reason.push_str(&format!(
            "; `{}` is so tight a healthy release may trip it",
            w.command(NEW)
        ));
    }
    if good.is_empty() || points < 2 {
        if let Some(sig) = telling_signal(s.fault.kind) {
            reason.push_str(&format!(". This fault showed in {sig}"));
        }
    }
    Mark {
        criterion: Criterion::Monitoring,
        points,
        reason,
    }
}

/// A guard's action brings users back to the old version at once with this strategy.
fn restores(action: GuardAction, strategy: Option<&Strategy>) -> bool {
    match action {
        GuardAction::Rollback => true,
        GuardAction::Abort => matches!(
            strategy,
            Some(Strategy::Canary { .. } | Strategy::BlueGreen { .. })
        ),
        GuardAction::Pause => false,
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
            format!("{restoring} guard(s) roll back by themselves{how}"),
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
        reason.push_str(&format!("; then the plan ships {FIX}"));
    } else if points > 0 {
        reason.push_str(&format!(
            "; no fallback: after a rollback, {FIX} must be shipped by hand"
        ));
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
        let k = (f64::from(n) * 5.0 / 95.0).round().max(1.0);
        why.push(format!(
            "This balancer has no weights: a 5% canary means {k:.0} new servers beside the {n} old ones."
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
