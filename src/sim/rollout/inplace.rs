//! In-place rolling update, as CodeDeploy does it: per batch, out of traffic → drain →
//! deploy → start → health check → back in; then the next batch.

use std::fmt::Write as _;

use super::Phase;
use crate::command::Amount;
use crate::sim::{Lb, ServerState, Sim, VersionId};

/// What the current batch is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Between batches.
    Idle,
    /// Waiting for the batch to finish draining.
    Draining(Vec<String>),
    /// Waiting for the batch to pass its health checks.
    Deploying(Vec<String>),
}

/// State of an in-place rolling update.
#[derive(Debug, Clone)]
pub struct InPlace {
    /// Servers per batch.
    pub batch: u32,
    /// Fleet size when it started.
    pub size: u32,
    step: Step,
    done_batches: u32,
}

impl InPlace {
    /// Stops the rollout where it is. A batch that was drained but not yet deployed still
    /// runs the old version: it goes back into traffic (CodeDeploy re-registers instances
    /// of a stopped deployment's batch that were never touched), and the event names it.
    pub fn abort(&mut self, sim: &mut Sim) -> String {
        let mut text =
            "rollout stopped where it is: servers already updated stay updated".to_string();
        if let Step::Draining(names) = std::mem::replace(&mut self.step, Step::Idle) {
            let idx: Vec<usize> = names.iter().filter_map(|n| sim.server_index(n)).collect();
            for &i in &idx {
                let s = &mut sim.servers[i];
                s.lb = Lb::Registered;
                s.healthy = s.process.is_running();
                s.ready_since = s.healthy.then_some(sim.tick);
            }
            if !idx.is_empty() {
                let _ = write!(
                    text,
                    "; {} (drained, not yet deployed) back into traffic",
                    names.join(", ")
                );
            }
        }
        text
    }

    /// Whether `max-unavailable=P%` on a fleet of `n` lets any server go. CodeDeploy keeps
    /// `ceil(n × (100−P)%)` healthy and fails a deployment whose minimum leaves no room at
    /// once, rather than taking one server anyway (which breaks the promise of the minimum).
    pub fn room(p: u32, n: u32) -> Result<u32, String> {
        let min_healthy = Amount::Percent(100 - p.min(100)).of(n, true);
        match n.saturating_sub(min_healthy) {
            0 => Err(format!(
                "max-unavailable={p}% on {n} servers keeps ceil({n} × {}%) = {min_healthy} healthy, \
                 so no server may leave (CodeDeploy fails such a deployment): allow at least \
                 {}% or give batch=1",
                100 - p.min(100),
                100_u32.div_ceil(n.max(1)),
            )),
            batch => Ok(batch),
        }
    }

    /// Batch size from `batch=N` or `max-unavailable=P%` on a fleet of `n`: CodeDeploy's
    /// minimum healthy hosts rounds up, the batch is what is left (at least one).
    pub fn new(batch: Amount, n: u32) -> Self {
        let batch = match batch {
            Amount::Count(k) => k,
            Amount::Percent(p) => {
                let min_healthy = Amount::Percent(100 - p.min(100)).of(n, true);
                n.saturating_sub(min_healthy)
            }
        };
        Self {
            batch: batch.clamp(1, n.max(1)),
            size: n,
            step: Step::Idle,
            done_batches: 0,
        }
    }

    /// One line for a rollout that has stopped (done or aborted): what got done, nothing
    /// "next" ("done · batch 5/10 next" contradicted itself).
    pub fn status_stopped(&self) -> String {
        let total = self.size.div_ceil(self.batch);
        format!("{}/{total} batches", self.done_batches.min(total))
    }

    /// One line for screens.
    pub fn status(&self, _sim: &Sim) -> String {
        let total = self.size.div_ceil(self.batch);
        match &self.step {
            // Every batch done: nothing is next ("batch 11/10 next" used to follow "done").
            Step::Idle if self.done_batches >= total => format!("{total}/{total} batches"),
            Step::Idle => format!("batch {}/{total} next", self.done_batches + 1),
            Step::Draining(b) => format!(
                "batch {}/{total} draining ({})",
                self.done_batches + 1,
                b.join(",")
            ),
            Step::Deploying(b) => format!(
                "batch {}/{total} deploying, waiting for health checks ({})",
                self.done_batches + 1,
                b.join(",")
            ),
        }
    }

    /// Advances one second; returns whether anything moved.
    pub fn step(&mut self, sim: &mut Sim, phase: &mut Phase, to: VersionId) -> bool {
        match std::mem::replace(&mut self.step, Step::Idle) {
            Step::Idle => self.next_batch(sim, phase, to),
            Step::Draining(names) => {
                let idx = indices(sim, &names);
                let drained = idx
                    .iter()
                    .all(|&i| !matches!(sim.servers[i].lb, Lb::Draining { .. }));
                if drained {
                    sim.deploy_indices(&idx, to);
                    self.step = Step::Deploying(names);
                    true
                } else {
                    self.step = Step::Draining(names);
                    false
                }
            }
            Step::Deploying(names) => {
                let idx = indices(sim, &names);
                let ready = idx
                    .iter()
                    .all(|&i| sim.servers[i].state() == ServerState::InService);
                if ready {
                    self.done_batches += 1;
                    self.next_batch(sim, phase, to);
                    true
                } else {
                    self.step = Step::Deploying(names);
                    false
                }
            }
        }
    }

    fn next_batch(&mut self, sim: &mut Sim, phase: &mut Phase, to: VersionId) -> bool {
        let pool = sim.main_pool();
        let batch: Vec<usize> = sim
            .pool_servers(pool)
            .into_iter()
            .filter(|&i| sim.servers[i].version != to && !sim.servers[i].retiring)
            .take(self.batch as usize)
            .collect();
        if batch.is_empty() {
            *phase = Phase::Done;
            return true;
        }
        let names: Vec<String> = batch.iter().map(|&i| sim.servers[i].name.clone()).collect();
        let in_lb: Vec<usize> = batch
            .iter()
            .copied()
            .filter(|&i| sim.servers[i].lb == Lb::Registered)
            .collect();
        let draining = batch
            .iter()
            .any(|&i| matches!(sim.servers[i].lb, Lb::Draining { .. }));
        if !in_lb.is_empty() {
            sim.drain_indices(&in_lb);
        }
        if in_lb.is_empty() && !draining {
            sim.deploy_indices(&batch, to);
            self.step = Step::Deploying(names);
        } else {
            // Servers already draining (by hand) finish first: stopping them now would
            // fail their in-flight requests and log their users out.
            self.step = Step::Draining(names);
        }
        true
    }
}

/// Indices of the named servers still in the fleet.
pub(super) fn indices(sim: &Sim, names: &[String]) -> Vec<usize> {
    names.iter().filter_map(|n| sim.index_of(n)).collect()
}
