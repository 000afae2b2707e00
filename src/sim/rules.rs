//! The facilitator notes' common mistakes, measured so the score can see them: servers out
//! of traffic at once (03), the old pool deleted before the scale-down delay after a switch
//! (06), a canary rushed past its bake time (07). Each feeds one `Objective`.

use std::collections::BTreeMap;

use super::{PoolRole, Sim, Strategy, VersionId};
use crate::command::Command;

/// What the rules have seen so far.
#[derive(Debug, Clone, Default)]
pub struct RuleState {
    /// Most live servers out of traffic at once, in any second.
    pub max_out_of_traffic: u32,
    /// Pools switched away from while their version was healthy, and when.
    switched_away: BTreeMap<u16, u64>,
    /// Shortest time a switched-away healthy pool was kept before its deletion (ticks).
    pub shortest_kept: Option<u64>,
    /// Versions whose canary was rushed: promoted while it was baking, or steps wider
    /// than `MAX_STEP` points.
    pub rushed: Vec<bool>,
    /// The first migration started while a server still ran code it breaks.
    pub unsafe_migration: Option<String>,
    /// Each version's largest share of user requests in any second, 0..1.
    pub max_reach: Vec<f64>,
}

/// What a command would change in the rules, applied only if it is accepted.
#[derive(Debug, Default)]
pub(super) struct Pending {
    /// Healthy pools a switch takes traffic from.
    away: Vec<u16>,
    /// A canary this command rushes.
    rush: Option<VersionId>,
    /// A release stopped on evidence that this command sends back to users.
    reexpose: Option<VersionId>,
}

/// The widest canary step a careful release takes, in weight points.
pub const MAX_STEP: u32 = 50;

impl Sim {
    /// What the rules have measured.
    pub fn rule_state(&self) -> &RuleState {
        &self.rules
    }

    /// Before a command is applied: what it would break if it is accepted.
    pub(super) fn rules_before(&self, cmd: &Command) -> Pending {
        let mut pending = Pending {
            reexpose: self.reexposes(cmd),
            ..Pending::default()
        };
        match cmd {
            Command::Canary(spec) => {
                let mut last = 0;
                let wide = spec.steps.iter().any(|&w| {
                    let jump = w.saturating_sub(last) > MAX_STEP;
                    last = w;
                    jump
                });
                if wide {
                    pending.rush = self.find_version(&spec.version).ok();
                }
            }
            Command::Promote { .. } => {
                // Promoting a canary that is baking (not one the analysis paused for the
                // player's call) skips its evidence.
                if let Some(r) = &self.rollout
                    && matches!(r.strategy, Strategy::Canary(_))
                    && r.phase == super::Phase::Running
                {
                    pending.rush = Some(r.to);
                }
            }
            Command::Switch(pool) => {
                let target = self.pool_index(pool);
                let mut away: Vec<u16> = self
                    .servers
                    .iter()
                    .filter(|s| {
                        Some(s.pool) != target
                            && s.last_arrived > 0
                            && self.pools[s.pool as usize].role == PoolRole::Live
                            && self.releases[s.version.0 as usize].evidence.is_none()
                    })
                    .map(|s| s.pool)
                    .collect();
                away.dedup();
                pending.away = away;
            }
            _ => {}
        }
        pending
    }

    /// After a command was accepted: what `rules_before` found becomes fact.
    pub(super) fn rules_after(&mut self, cmd: &Command, pending: Pending) {
        let tick = self.tick;
        if let Some(v) = pending.reexpose {
            self.releases[v.0 as usize].reexposed.get_or_insert(tick);
        }
        if let Some(v) = pending.rush {
            self.rules.rushed.resize(self.versions.len(), false);
            self.rules.rushed[v.0 as usize] = true;
        }
        match cmd {
            Command::Switch(_) => {
                for p in pending.away {
                    self.rules.switched_away.insert(p, tick);
                }
            }
            Command::Delete(pool) => {
                if let Some(p) = self.pool_index(pool)
                    && let Some(at) = self.rules.switched_away.remove(&p)
                {
                    let kept = tick - at;
                    self.rules.shortest_kept =
                        Some(self.rules.shortest_kept.map_or(kept, |k| k.min(kept)));
                }
            }
            _ => {}
        }
    }

    /// Once a second: live servers out of traffic now, and each version's reach.
    pub(super) fn rules_second(&mut self, m: &super::SecondMetrics) {
        self.rules.max_reach.resize(self.versions.len(), 0.0);
        if m.arrived > 0 {
            for (i, v) in m.by_version.iter().enumerate() {
                let share = v.arrived as f64 / m.arrived as f64;
                if let Some(r) = self.rules.max_reach.get_mut(i) {
                    *r = r.max(share);
                }
            }
        }
        let out = self
            .servers
            .iter()
            .filter(|s| {
                self.pools[s.pool as usize].role == PoolRole::Live
                    && !s.retiring
                    && !s.in_rotation()
            })
            .count() as u32;
        self.rules.max_out_of_traffic = self.rules.max_out_of_traffic.max(out);
    }

    /// The release stopped on evidence that `cmd` would send back to users, if any.
    fn reexposes(&self, cmd: &Command) -> Option<VersionId> {
        let stopped = |v: VersionId| self.releases[v.0 as usize].stopped.is_some();
        let named = |name: &str| self.find_version(name).ok().filter(|&v| stopped(v));
        let current = || self.rollout.as_ref().map(|r| r.to).filter(|&v| stopped(v));
        match cmd {
            Command::Retry | Command::Resume | Command::Promote { .. } => current(),
            Command::Weight(w) if *w > 0 => current(),
            Command::Deploy { version, .. }
            | Command::Rolling { version, .. }
            | Command::BlueGreen { version } => named(version),
            Command::Canary(spec) => named(&spec.version),
            _ => None,
        }
    }

    /// Whether version `v`'s canary was rushed.
    pub fn rushed(&self, v: VersionId) -> bool {
        self.rules
            .rushed
            .get(v.0 as usize)
            .copied()
            .unwrap_or(false)
    }
}
