//! Canary, as Argo Rollouts and Flagger step it: set a weight, pause for the interval, judge,
//! then the next weight. The judgement is a *comparison* with the stable version running at
//! the same time (Kayenta's model, which Argo can run as a judge; Argo's and Flagger's
//! default metric checks are fixed thresholds on the canary alone): error rate, p99, CPU
//! per request and memory, each against stable's. Analysis fails when failures exceed the
//! limit (default 0: the first failure fails) and the canary is aborted (weight back to 0,
//! its servers scaled down 30 s later, the rollout "degraded" until `rollback` reverts it);
//! inconclusive (fewer than 20 canary requests) pauses for the player, where Flagger would
//! count missing data as a failed check. A pass with no failure says how small a rate that
//! many requests can see (the rule of three).
//!
//! With a weighted balancer the split is exact and the stable pool stays full size, and the
//! analysis compares the canary with a baseline pool of the same size, age and weight
//! (Kayenta), so a cooler full-size stable pool cannot make a healthy canary look slow; with a
//! round-robin one the share is approximated by server counts (`counts.rs`: Argo's basic
//! canary, the fleet stays at its size), so the actual share differs from the requested one
//! on small fleets (both are shown).

mod analysis;
mod baseline;
mod counts;

use analysis::Verdict;

use super::Phase;
use crate::command::CanarySpec;
use crate::mission::Balancer;
use crate::sim::{PoolRole, ServerState, Severity, Sim, Split, VersionId};
use crate::time::TICKS_PER_SEC;

/// After an abort, the canary's servers are scaled down this long later: Argo Rollouts'
/// `abortScaleDownDelaySeconds` default (Flagger scales the canary to zero at once).
pub const ABORT_SCALE_DOWN_S: u64 = 30;

/// State of a canary rollout.
#[derive(Debug, Clone)]
pub struct Canary {
    pub spec: CanarySpec,
    pub stable: u16,
    pub canary: u16,
    /// The version under test.
    pub to: VersionId,
    /// The stable version (what an abort scales back up).
    from: VersionId,
    /// Index of the current step.
    pub step: usize,
    /// Requested weight, percent.
    pub weight: u32,
    /// Weight the balancer applies: raised only once the canary servers for the requested
    /// weight are in service (Argo scales the canary up before it shifts traffic).
    pub applied: u32,
    /// Failed analyses so far.
    pub failures: u32,
    desired: u32,
    window_start: Option<u64>,
    promoting: bool,
    /// After an abort: the tick the canary's servers are scaled down.
    scale_down_at: Option<u64>,
    /// On a weighted balancer, the baseline pool (Kayenta): stable servers as many as the
    /// canary's, started with them and given the canary's weight, so the analysis compares
    /// servers of the same age at the same load per server.
    baseline: Option<u16>,
    /// The analysis' first measurement (at the start, or after `initial-delay`) is taken.
    first_measured: bool,
}

impl Canary {
    /// Creates the canary pool at the first step's weight.
    pub fn new(sim: &mut Sim, spec: CanarySpec, stable: u16, to: VersionId) -> Self {
        let canary = sim.ensure_pool("canary", PoolRole::Live);
        // An earlier canary's servers (aborted, kept idle) make way for this one.
        for i in sim.pool_servers(canary) {
            if sim.servers[i].version != to {
                sim.retire(i);
            }
        }
        let desired = sim.pool_servers(stable).len() as u32;
        let weight = spec.steps.first().copied().unwrap_or(100);
        let from = sim.pool_version(stable);
        let baseline = (sim.mission.fleet.balancer == Balancer::Weighted).then(|| {
            let b = sim.ensure_pool("baseline", PoolRole::Live);
            for i in sim.pool_servers(b) {
                sim.retire(i);
            }
            b
        });
        Self {
            spec,
            stable,
            canary,
            to,
            from,
            step: 0,
            weight,
            applied: 0,
            failures: 0,
            desired,
            window_start: None,
            promoting: false,
            scale_down_at: None,
            baseline,
            first_measured: false,
        }
    }

    /// Canary servers wanted for the current weight.
    fn target(&self, sim: &Sim) -> u32 {
        let (n, w) = (self.desired, self.weight.min(100));
        if self.promoting || w >= 100 {
            return n;
        }
        let k = match sim.mission.fleet.balancer {
            Balancer::Weighted => (u64::from(n) * u64::from(w)).div_ceil(100),
            Balancer::ServerCount => u64::from(counts::canary_servers_for(n, w)),
        };
        (k as u32).max(u32::from(w > 0))
    }

    /// Stable servers not leaving.
    fn stable_count(&self, sim: &Sim) -> usize {
        sim.pool_servers(self.stable)
            .iter()
            .filter(|&&i| !sim.servers[i].retiring)
            .count()
    }

    /// Canary and stable servers each step asks for, on a balancer without weights.
    pub fn step_counts(&self) -> Vec<(u32, u32)> {
        let n = self.desired;
        self.spec
            .steps
            .iter()
            .map(|&w| {
                let k = counts::canary_servers_for(n, w);
                (k, n - k)
            })
            .collect()
    }

    fn canary_servers(&self, sim: &Sim) -> Vec<usize> {
        sim.pool_servers(self.canary)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring && sim.servers[i].version == self.to)
            .collect()
    }

    /// Percent per pool for canary weight `w`: the baseline (if any) gets as much as the
    /// canary, up to what is left; stable the rest.
    pub fn asked_split(&self, w: u32) -> Vec<(u16, u32)> {
        let w = w.min(100);
        match self.baseline {
            Some(b) => {
                // Promoting: the analysis is over and the baseline leaves; stable holds the
                // rest until the canary is full size.
                let wb = if self.promoting { 0 } else { w.min(100 - w) };
                vec![(self.stable, 100 - w - wb), (b, wb), (self.canary, w)]
            }
            None => vec![(self.stable, 100 - w), (self.canary, w)],
        }
    }

    fn apply_split(&self, sim: &mut Sim) {
        sim.set_pool_role(self.canary, PoolRole::Live);
        sim.split = match sim.mission.fleet.balancer {
            Balancer::Weighted => Split::Weighted(self.asked_split(self.applied)),
            Balancer::ServerCount => Split::Even,
        };
    }

    /// The share of users the canary got last second.
    pub fn actual_share(&self, sim: &Sim) -> f64 {
        sim.actual_shares()
            .iter()
            .find(|(p, _)| *p == self.canary)
            .map_or(0.0, |(_, s)| *s)
    }

    /// One line for a canary that has stopped (aborted): where it stopped, no next check.
    pub fn status_stopped(&self, sim: &Sim) -> String {
        let analysis = if self.spec.analysis {
            format!(" · analysis: {} failed", self.failures)
        } else {
            String::new()
        };
        format!(
            "stopped at step {}/{} ({}% asked), {} left{analysis}",
            self.step + 1,
            self.spec.steps.len(),
            self.weight,
            crate::words::count(self.canary_servers(sim).len(), "canary server"),
        )
    }

    /// One line for screens.
    pub fn status(&self, sim: &Sim) -> String {
        if self.promoting {
            // Done once the old servers have left: say what it waits for.
            let leaving = sim.pool_servers(self.stable).len();
            return if leaving > 0 {
                format!(
                    "promoting to 100 %: waiting for {} to drain and leave",
                    crate::words::count(leaving, "stable server")
                )
            } else {
                "promoting to 100 %".to_string()
            };
        }
        let actual = self.actual_share(sim) * 100.0;
        let wait = match self.window_start {
            None => "canary servers starting".to_string(),
            Some(start) => {
                let left = (start + self.spec.interval.ticks()).saturating_sub(sim.tick);
                format!("next check in {}s", left / TICKS_PER_SEC)
            }
        };
        // Argo's rule: the rollout fails when failures exceed the limit (0: the first one).
        let analysis = if self.spec.analysis {
            format!(
                "analysis: {} failed, aborts above {}",
                self.failures, self.spec.limit
            )
        } else {
            "no analysis".to_string()
        };
        let servers = if sim.mission.fleet.balancer == Balancer::ServerCount {
            format!(
                " · servers {} canary + {} stable (want {} + {})",
                self.canary_servers(sim).len(),
                self.stable_count(sim),
                self.target(sim),
                self.desired - self.target(sim).min(self.desired)
            )
        } else {
            String::new()
        };
        format!(
            "step {}/{} at {}% (actual {actual:.1}%){servers} · {wait} · {analysis}",
            self.step + 1,
            self.spec.steps.len(),
            self.weight,
        )
    }

    /// One second; returns whether anything moved.
    pub fn step(
        &mut self,
        sim: &mut Sim,
        phase: &mut Phase,
        from: VersionId,
        to: VersionId,
    ) -> bool {
        // Lowering the weight is safe at once; raising it waits for the servers below.
        self.applied = self.applied.min(self.weight);
        self.apply_split(sim);
        let target = self.target(sim);
        let mut moved = false;
        if sim.mission.fleet.balancer == Balancer::ServerCount {
            let (changed, reached) = self.move_counts(sim, target);
            moved = changed;
            if !reached {
                self.window_start = None;
                return moved;
            }
        } else {
            for _ in self.canary_servers(sim).len()..target as usize {
                sim.provision(self.canary, to);
            }
        }
        let base = self.size_baseline(sim);
        let have = self.canary_servers(sim);
        // Ready means in service with warm caches: a cold server would fail the analysis on
        // latency for reasons that have nothing to do with the release.
        let ready = have.iter().chain(&base).all(|&i| {
            sim.servers[i].state() == ServerState::InService && sim.servers[i].cold <= 0.0
        });
        if !ready {
            self.window_start = None;
            return moved;
        }
        if self.promoting {
            return self.finish_promotion(sim, phase);
        }
        if self.applied != self.weight {
            self.applied = self.weight;
            self.apply_split(sim);
        }
        let Some(start) = self.window_start else {
            self.window_start = Some(sim.tick);
            let split = match sim.mission.fleet.balancer {
                Balancer::Weighted => format!("weighted: exactly {}%", self.weight),
                Balancer::ServerCount => {
                    let stable = self.stable_count(sim);
                    let share = have.len() as f64 / (stable + have.len()).max(1) as f64;
                    format!(
                        "no weights: {} of {} servers ≈ {:.1}% actual, {stable} stable",
                        have.len(),
                        stable + have.len(),
                        share * 100.0
                    )
                }
            };
            sim.push_event(
                Severity::Info,
                format!(
                    "canary at {}% asked ({split}), {} of {}: watching for {}",
                    self.weight,
                    crate::words::count(have.len(), "server"),
                    sim.version_name(to),
                    self.spec.interval
                ),
            );
            return true;
        };
        if self.spec.analysis && !self.first_measured {
            let delay = self.spec.initial_delay;
            if delay < self.spec.interval {
                if sim.tick < start + delay.ticks() {
                    return false;
                }
                self.first_measured = true;
                return self.first_measurement(sim, phase, from, to);
            }
        }
        // The step is held for its interval; before the analysis' first measurement (an
        // initial delay longer than the interval) it waits for that too.
        let hold = if self.first_measured || !self.spec.analysis {
            self.spec.interval
        } else {
            self.spec.initial_delay
        };
        if sim.tick < start + hold.ticks() {
            return false;
        }
        self.first_measured = true;
        if self.spec.analysis {
            match self.analyse(sim, from, to, self.spec.interval) {
                Verdict::Passed(why) => {
                    sim.push_event(Severity::Info, format!("analysis passed: {why}"));
                }
                Verdict::Inconclusive(why) => {
                    let text =
                        format!("analysis inconclusive: {why}; promote to continue or abort");
                    sim.push_event(Severity::Warn, text.clone());
                    *phase = Phase::Paused(text);
                    return true;
                }
                Verdict::Failed(why) => {
                    self.fail(sim, phase, to, &why);
                    return true;
                }
            }
        }
        self.advance(sim);
        true
    }

    fn advance(&mut self, sim: &mut Sim) {
        self.step += 1;
        self.window_start = None;
        match self.spec.steps.get(self.step) {
            Some(&w) if w < 100 => {
                self.weight = w;
                self.apply_split(sim);
            }
            _ => {
                self.weight = 100;
                self.promoting = true;
                sim.push_event(Severity::Info, "promoting the canary to 100 %".to_string());
            }
        }
    }

    fn finish_promotion(&mut self, sim: &mut Sim, phase: &mut Phase) -> bool {
        let stable_left: Vec<usize> = sim
            .pool_servers(self.stable)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect();
        sim.split = Split::Weighted(vec![(self.canary, 100)]);
        self.drop_baseline(sim);
        if !stable_left.is_empty() {
            for &i in &stable_left {
                sim.retire(i);
            }
            sim.push_event(
                Severity::Info,
                format!(
                    "all traffic on the canary; {} stable servers scaled down",
                    stable_left.len()
                ),
            );
            return true;
        }
        if !sim.pool_servers(self.stable).is_empty() {
            return false;
        }
        // The canary is the new stable.
        for s in sim.servers.iter_mut().filter(|s| s.pool == self.canary) {
            s.pool = self.stable;
        }
        sim.split = Split::Even;
        *phase = Phase::Done;
        true
    }

    /// Weight back to 0: every user on the stable version at once; the canary's servers,
    /// idle, are scaled down [`ABORT_SCALE_DOWN_S`] later (as Argo Rollouts does). The
    /// rollout stays aborted ("Degraded"): its spec still names the version until a
    /// `rollback` reverts it.
    pub fn abort(&mut self, sim: &mut Sim) -> String {
        self.weight = 0;
        self.applied = 0;
        self.promoting = false;
        sim.set_pool_role(self.canary, PoolRole::Mirror);
        sim.split = Split::Weighted(vec![(self.stable, 100)]);
        self.drop_baseline(sim);
        self.scale_down_at = Some(sim.tick + ABORT_SCALE_DOWN_S * TICKS_PER_SEC);
        let restored = if sim.mission.fleet.balancer == Balancer::ServerCount {
            match self.restore_stable(sim) {
                0 => String::new(),
                k => format!(
                    " ({k} stable servers start to bring it back to {})",
                    self.desired
                ),
            }
        } else {
            String::new()
        };
        format!(
            "canary weight → 0 %: every user back on stable{restored}; its servers scale down in {ABORT_SCALE_DOWN_S}s. The rollout still names {} (degraded) until `rollback` reverts it (or `retry`)",
            sim.version_name(self.to)
        )
    }

    /// Once a second while aborted: scales the canary down when its delay is over.
    pub fn after_abort(&mut self, sim: &mut Sim) {
        if self.scale_down_at.is_none_or(|at| sim.tick < at) {
            return;
        }
        self.scale_down_at = None;
        let idle = sim.pool_servers(self.canary);
        if idle.is_empty() {
            return;
        }
        for &i in &idle {
            sim.retire(i);
        }
        sim.push_event(
            Severity::Info,
            format!(
                "aborted canary scaled down: {} servers of {} removed; the rollout still names it (degraded) until `rollback`",
                idle.len(),
                sim.version_name(self.to)
            ),
        );
    }

    /// Abort and remove the canary servers at once: the spec goes back to stable.
    pub fn rollback(&mut self, sim: &mut Sim) -> String {
        self.abort(sim);
        self.scale_down_at = None;
        for i in sim.pool_servers(self.canary) {
            sim.retire(i);
        }
        sim.split = Split::Even;
        "canary weight → 0 % and its servers removed".to_string()
    }

    /// `promote` (next step now) or `promote --full` (straight to 100 %).
    pub fn promote(&mut self, sim: &mut Sim, full: bool, _tick: u64) -> String {
        if full {
            self.step = self.spec.steps.len();
            self.weight = 100;
            self.promoting = true;
            return "promoted fully: straight to 100 %, remaining steps skipped".to_string();
        }
        self.advance(sim);
        if self.promoting {
            "promoted past the last step: to 100 %".to_string()
        } else {
            format!("promoted to step {} at {}%", self.step + 1, self.weight)
        }
    }

    /// After a pause: measure the current step again from now.
    pub fn resume(&mut self, _tick: u64) {
        self.window_start = None;
    }

    /// `weight N`.
    pub fn set_weight(&mut self, sim: &mut Sim, weight: u32) -> String {
        self.weight = weight.min(100);
        self.window_start = None;
        self.apply_split(sim);
        format!("canary weight set to {}% by hand", self.weight)
    }

    /// Start again from the first step.
    pub fn retry(&mut self, _tick: u64) {
        self.step = 0;
        self.weight = self.spec.steps.first().copied().unwrap_or(100);
        self.failures = 0;
        self.window_start = None;
        self.promoting = false;
        self.scale_down_at = None;
        self.first_measured = false;
    }
}
