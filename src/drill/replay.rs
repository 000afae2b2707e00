//! The replay: the plan, run headless on the same case once per kind of fault (none,
//! errors, latency, a slow tail, CPU, a leak, a crash loop, a broken database config), with
//! its automation (`Pilot`) polled as in play. The rubric judges what the plan *did* in these
//! runs — which guard or check caught which fault, when, and how much of the error budget
//! was gone by then — not the words it was written in. The case's own kind is the case
//! itself, so its row is the headless run of the drill.
//!
//! Pure: the same plan on the same seed gives the same rows (each run is a deterministic
//! sim; the runs are spread over threads and gathered in the kinds' order). It never touches
//! a terminal, a file or the campaign's progress.

use std::num::NonZeroUsize;

use super::pilot::Pilot;
use super::plan::Plan;
use super::rubric::Outcome;
use super::scenario::{FaultKind, NEW, Scenario};
use crate::command::Condition;
use crate::mission::Objective;
use crate::sim::{PoolRole, ServerState, Sim, Strategy as Running, VersionId};
use crate::time::TICKS_PER_SEC;

/// What stopped (or paused) v2 in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Catcher {
    /// The plan's guard with this index among its watches.
    Guard(usize),
    /// The canary's analysis failed past its limit and aborted.
    Analysis,
    /// The rollout made no progress until its deadline (v2's servers never got ready, or
    /// the rollout was too slow).
    Stall,
}

/// One thing that stopped v2, and when.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Catch {
    pub by: Catcher,
    /// Game tick it fired.
    pub tick: u64,
    /// Error budget spent by then, percent (failed and slow requests, as the score counts).
    pub budget_pct: f64,
    /// v2 had served users by then (false: it was caught before any user met it).
    pub served_live: bool,
    /// Before half the error budget was spent (the drill's line) and before v2's first OOM
    /// kill.
    pub in_time: bool,
}

impl Catch {
    /// Game seconds from the start.
    pub fn at_s(&self) -> f64 {
        self.tick as f64 / TICKS_PER_SEC as f64
    }
}

/// One kind's run.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: FaultKind,
    /// Whatever fired against v2, in order.
    pub catches: Vec<Catch>,
    /// Tick of the first OOM kill of a v2 server.
    pub oom: Option<u64>,
    /// v2 served users at some point.
    pub served_live: bool,
    /// Live servers in service on v2 at the end.
    pub v2_left: usize,
    /// Tick every live server was first on v2, in service (v2 shipped).
    pub v2_shipped: Option<u64>,
    /// The most servers running at once above the fleet's size (the rollout's cost).
    pub peak_extra: u32,
    pub outcome: Outcome,
}

impl Row {
    /// The first thing that fired against v2.
    pub fn first(&self) -> Option<&Catch> {
        self.catches.first()
    }

    /// The first catch by a guard or the analysis that was in time and is not `noisy`.
    pub fn caught_by_monitoring(&self, noisy: &[Catcher]) -> Option<&Catch> {
        self.catches
            .iter()
            .find(|c| c.by != Catcher::Stall && c.in_time && !noisy.contains(&c.by))
    }

    /// Users came through whole: no downtime, and the budget within `line`.
    pub fn users_whole(&self, line: f64) -> bool {
        self.outcome.score.downtime_s == 0 && self.outcome.score.error_budget_used_pct <= line
    }

    /// The health checks kept v2 from users and nobody felt it: v2 never served a user,
    /// and there was no downtime.
    pub fn kept_out_by_checks(&self) -> bool {
        !self.served_live && self.outcome.score.downtime_s == 0
    }
}

/// The plan's runs, one per fault kind in `FaultKind::ALL` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub rows: Vec<Row>,
    /// The kind the case really carries.
    pub actual: FaultKind,
    /// The error budget a run may spend, percent (the drill's objective): a catch is in
    /// time before it is gone, and a run within it kept users whole.
    pub line: f64,
}

impl Replay {
    /// Runs `plan` on `scenario` once per kind of fault.
    pub fn run(scenario: &Scenario, plan: &Plan) -> Self {
        let rows = parallel(&FaultKind::ALL, |k| run_kind(&scenario.variant(*k), plan));
        Self {
            rows,
            actual: scenario.fault.kind,
            line: in_time_line(scenario),
        }
    }

    /// The row of `kind`.
    pub fn row(&self, kind: FaultKind) -> &Row {
        self.rows
            .iter()
            .find(|r| r.kind == kind)
            .expect("invariant: a replay has a row per kind")
    }

    /// Kinds the plan passed.
    pub fn passed(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.passed).count()
    }

    /// What fired on the healthy v2: a guard or an analysis that fires anyway catches
    /// nothing.
    pub fn noisy(&self) -> Vec<Catcher> {
        self.row(FaultKind::None)
            .catches
            .iter()
            .map(|c| c.by)
            .filter(|b| *b != Catcher::Stall)
            .collect()
    }
}

/// `f` over `jobs`, spread over the machine's cores, the results in the jobs' order (each
/// run is a deterministic sim: the threads change nothing but the time taken).
pub fn parallel<J: Sync, R: Send>(jobs: &[J], f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(jobs.len().max(1));
    if workers <= 1 {
        return jobs.iter().map(&f).collect();
    }
    let f = &f;
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .filter(|(i, _)| i % workers == w)
                        .map(|(i, j)| (i, f(j)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A catch is in time while less than this share of the error budget is gone, percent:
/// the drill's own line (its objective allows half the budget; the SLO's budget is the
/// whole of it).
fn in_time_line(scenario: &Scenario) -> f64 {
    scenario
        .mission
        .objectives
        .iter()
        .find_map(|o| match o {
            Objective::ErrorBudgetAtMost(p) => Some(*p),
            _ => None,
        })
        .unwrap_or(50.0)
}

/// What the run saw, second by second.
struct Watcher {
    v2: Option<VersionId>,
    /// The v2 guards' ids in the plan's order of watches.
    guard_ids: Vec<u32>,
    next_event: u64,
    line: f64,
    analysis: bool,
    stall: bool,
    oom: Option<u64>,
    catches: Vec<Catch>,
}

impl Watcher {
    fn new(sim: &Sim, line: f64) -> Self {
        let v2 = sim
            .versions()
            .iter()
            .position(|v| v.name == NEW)
            .map(|i| VersionId(i as u16));
        let guard_ids = sim
            .guards()
            .iter()
            .filter(|g| g.spec.version.as_deref() == Some(NEW))
            .map(|g| g.id)
            .collect();
        Self {
            v2,
            guard_ids,
            next_event: sim.events().next_seq(),
            line,
            analysis: false,
            stall: false,
            oom: None,
            catches: Vec::new(),
        }
    }

    fn served_live(&self, sim: &Sim) -> bool {
        self.v2.is_some_and(|v| {
            sim.release_states()
                .get(v.0 as usize)
                .is_some_and(|r| r.served_live)
        })
    }

    /// Once a game-second, before the plan's automation acts on it.
    fn second(&mut self, sim: &Sim) {
        let mut fired: Vec<(Catcher, u64)> = Vec::new();
        for g in sim.guards() {
            if let Some(t) = g.fired
                && let Some(i) = self.guard_ids.iter().position(|id| *id == g.id)
                && !self.catches.iter().any(|c| c.by == Catcher::Guard(i))
            {
                fired.push((Catcher::Guard(i), t));
            }
        }
        if let Some(r) = sim.rollout()
            && !r.is_rollback
            && sim.version_name(r.to) == NEW
        {
            if let Running::Canary(c) = &r.strategy
                && !self.analysis
                && c.spec.analysis
                && c.failures > c.spec.limit
            {
                self.analysis = true;
                fired.push((Catcher::Analysis, sim.tick()));
            }
            if r.stalled && !self.stall {
                self.stall = true;
                fired.push((Catcher::Stall, sim.tick()));
            }
        }
        let log = sim.events();
        for e in log.since(self.next_event) {
            if self.oom.is_none() && e.text.contains(&format!("({NEW}) OOM-killed")) {
                self.oom = Some(e.tick);
            }
        }
        self.next_event = log.next_seq();
        if fired.is_empty() {
            return;
        }
        let budget = sim.score().error_budget_used_pct;
        let served_live = self.served_live(sim);
        for (by, tick) in fired {
            self.catches.push(Catch {
                by,
                tick,
                budget_pct: budget,
                served_live,
                in_time: budget < self.line && self.oom.is_none_or(|o| o > tick),
            });
        }
    }
}

/// Whether the rest of the run is quiet: nothing running or changing, the plan has nothing
/// in hand, every server runs a build without a fault (v1, v3, or v2 when it is healthy),
/// and no guard's condition holds. A replay stops there (the fleet serves on within its
/// capacity, so the score cannot move) — most runs settle minutes before the end.
fn settled(sim: &Sim, pilot: &Pilot, healthy_v2: bool) -> bool {
    pilot.is_idle()
        && sim.rollout().is_none_or(|r| !r.is_active())
        && sim.holds(&Condition::Idle)
        && sim
            .guards()
            .iter()
            .all(|g| g.fired.is_some() || g.since.is_none())
        && sim.servers().iter().all(|s| {
            (healthy_v2 || sim.version_name(s.version) != NEW)
                && (s.state() == ServerState::InService
                    || sim.pools()[s.pool as usize].role != PoolRole::Live)
        })
}

/// Runs the plan on one case until it ends or settles, watching what stops v2: one row of
/// a replay (`scenario.variant(kind)` for another kind of fault).
pub fn run_kind(scenario: &Scenario, plan: &Plan) -> Row {
    let (mut sim, mut pilot) = super::start(scenario, plan);
    let mut watcher = Watcher::new(&sim, in_time_line(scenario));
    let healthy_v2 = scenario.fault.kind == FaultKind::None;
    let fleet = scenario.mission.fleet.servers as usize;
    let mut peak = 0usize;
    while !sim.is_finished() {
        sim.step();
        peak = peak.max(sim.servers().len());
        let second = sim.tick().is_multiple_of(TICKS_PER_SEC);
        if second {
            watcher.second(&sim);
        }
        pilot.poll(&mut sim);
        if second && settled(&sim, &pilot, healthy_v2) {
            break;
        }
    }
    let v2_left = sim
        .servers()
        .iter()
        .filter(|s| {
            sim.pools()[s.pool as usize].role == PoolRole::Live
                && s.state() == ServerState::InService
                && sim.version_name(s.version) == NEW
        })
        .count();
    let v2_shipped = watcher
        .v2
        .and_then(|v| sim.release_states().get(v.0 as usize))
        .and_then(|r| r.shipped);
    Row {
        kind: scenario.fault.kind,
        served_live: watcher.served_live(&sim),
        catches: watcher.catches,
        oom: watcher.oom,
        v2_left,
        v2_shipped,
        peak_extra: peak.saturating_sub(fleet) as u32,
        outcome: Outcome::judge(&sim, scenario),
    }
}
