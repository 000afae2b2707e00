//! Rolling update with surge, as a Kubernetes Deployment does it.
//!
//! `desired` servers; at most `desired + surge` exist, at least `desired − unavailable` are
//! available (in service for `min_ready`). Each step either adds new servers or takes old
//! ones away, never both: adding is bounded only by the count (not readiness), taking away
//! only by availability, unhealthy old servers first. A version that never gets ready
//! stalls the rollout at reduced capacity; nothing rolls back by itself.

use super::Phase;
use crate::command::Amount;
use crate::sim::{ServerState, Severity, Sim, VersionId};

/// State of a surge rollout.
#[derive(Debug, Clone)]
pub struct Surge {
    pub pool: u16,
    pub desired: u32,
    /// Extra servers allowed (rounded up from a percentage).
    pub surge: u32,
    /// Servers allowed to be unavailable (rounded down; 1 if both are 0).
    pub unavailable: u32,
    /// Ticks in service before a server counts as available.
    pub min_ready: u64,
    last_new_available: u32,
}

impl Surge {
    /// Converts the bounds as Kubernetes does.
    pub fn new(
        pool: u16,
        desired: u32,
        surge: Amount,
        unavailable: Amount,
        min_ready: u64,
    ) -> Self {
        let surge = surge.of(desired, true);
        let mut unavailable = unavailable.of(desired, false).min(desired);
        if surge == 0 && unavailable == 0 {
            unavailable = 1;
        }
        Self {
            pool,
            desired,
            surge,
            unavailable,
            min_ready,
            last_new_available: 0,
        }
    }

    /// One line for screens.
    pub fn status(&self, sim: &Sim, to: VersionId) -> String {
        let c = self.count(sim, to);
        format!(
            "new {}/{} ({} available) · old {} · {} servers (max {}), {} available (min {})",
            c.new,
            self.desired,
            c.new_available,
            c.old,
            c.total,
            self.desired.saturating_add(self.surge),
            c.available,
            self.desired.saturating_sub(self.unavailable)
        )
    }

    fn count(&self, sim: &Sim, to: VersionId) -> Counts {
        let mut c = Counts::default();
        for s in sim.servers.iter().filter(|s| s.pool == self.pool) {
            c.total += 1;
            if s.retiring {
                continue;
            }
            let available = s.is_available(sim.tick, self.min_ready);
            if s.version == to {
                c.new += 1;
                c.new_available += u32::from(available);
            } else {
                c.old += 1;
            }
            c.available += u32::from(available);
        }
        c
    }

    /// One controller step; returns whether anything moved.
    pub fn step(&mut self, sim: &mut Sim, phase: &mut Phase, to: VersionId) -> bool {
        let c = self.count(sim, to);
        let moved_ready = c.new_available > self.last_new_available;
        self.last_new_available = c.new_available;
        // Scale up the new version: bounded by the total count only.
        let room = (self.desired.saturating_add(self.surge)).saturating_sub(c.total);
        let add = room.min(self.desired.saturating_sub(c.new));
        if add > 0 {
            for _ in 0..add {
                sim.provision(self.pool, to);
            }
            sim.push_event(
                Severity::Info,
                format!(
                    "scaled up {}: +{} ({} of at most {})",
                    sim.version_name(to),
                    crate::words::count(add as usize, "new server"),
                    c.total + add,
                    self.desired.saturating_add(self.surge)
                ),
            );
            return true;
        }
        // Scale down the old version: unhealthy ones first, then as availability allows.
        let min_available = self.desired.saturating_sub(self.unavailable);
        let mut can_remove = c.available.saturating_sub(min_available);
        let old: Vec<usize> = (0..sim.servers.len())
            .filter(|&i| {
                let s = &sim.servers[i];
                s.pool == self.pool && !s.retiring && s.version != to
            })
            .collect();
        let (unhealthy, healthy): (Vec<usize>, Vec<usize>) = old
            .into_iter()
            .partition(|&i| sim.servers[i].state() != ServerState::InService);
        let mut removed = Vec::new();
        for i in unhealthy {
            if !sim.servers[i].is_available(sim.tick, self.min_ready) {
                removed.push(i);
            }
        }
        for i in healthy {
            if can_remove == 0 {
                break;
            }
            if sim.servers[i].is_available(sim.tick, self.min_ready) {
                can_remove -= 1;
            }
            removed.push(i);
        }
        if !removed.is_empty() {
            let names = crate::sim::apply::list(&sim.names(&removed));
            for &i in &removed {
                sim.retire(i);
            }
            sim.push_event(
                Severity::Info,
                format!(
                    "scaled down {}: -{} old ({names})",
                    sim.version_name(sim.servers[removed[0]].version),
                    removed.len()
                ),
            );
            return true;
        }
        if c.old == 0 && c.new_available == self.desired && c.total == self.desired {
            *phase = Phase::Done;
            return true;
        }
        moved_ready
    }
}

#[derive(Debug, Default)]
struct Counts {
    total: u32,
    new: u32,
    new_available: u32,
    old: u32,
    available: u32,
}
