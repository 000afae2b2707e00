//! A canary on a balancer without weights, as Argo Rollouts' basic canary (no traffic
//! router) runs it: traffic follows server counts, so a weight is a number of servers. The
//! fleet stays at `replicas`: the canary gets the whole number of servers closest to the
//! weight and stable the rest; while moving between steps the total may rise by `maxSurge`
//! (25 %, rounded up, at least 1) and, unlike Argo's default `maxUnavailable` of 25 %, no
//! server leaves traffic before its replacement is in service, so a step never takes
//! capacity away. Promotion ends with `replicas` servers, all on the new version.

use super::Canary;
use crate::command::Amount;
use crate::sim::{ServerState, Sim};

/// Argo's default `maxSurge`, in percent of the desired servers.
const MAX_SURGE_PCT: u32 = 25;

/// Canary servers for `weight` percent of `n`: the closest whole number, at least one while
/// the weight is above 0.
pub(super) fn canary_servers_for(n: u32, weight: u32) -> u32 {
    let w = weight.min(100);
    let k = (u64::from(n) * u64::from(w) + 50) / 100;
    (k as u32).max(u32::from(w > 0)).min(n)
}

/// Extra servers allowed while moving: `maxSurge`, rounded up, at least one.
pub(super) fn surge(n: u32) -> u32 {
    Amount::Percent(MAX_SURGE_PCT).of(n, true).max(1)
}

impl Canary {
    fn stable_servers(&self, sim: &Sim) -> Vec<usize> {
        sim.pool_servers(self.stable)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect()
    }

    /// One second of moving toward `k` canary and `desired − k` stable servers within the
    /// bounds. Returns (anything changed, counts reached).
    pub(super) fn move_counts(&self, sim: &mut Sim, k: u32) -> (bool, bool) {
        let n = self.desired;
        let want_stable = n - k.min(n);
        let canary = self.canary_servers(sim);
        let stable = self.stable_servers(sim);
        let footprint = sim
            .servers
            .iter()
            .filter(|s| s.pool == self.stable || s.pool == self.canary)
            .count() as u32;
        let mut room = (n + surge(n)).saturating_sub(footprint);
        let mut changed = false;
        for _ in canary.len() as u32..k {
            if room == 0 {
                break;
            }
            sim.provision(self.canary, self.to);
            room -= 1;
            changed = true;
        }
        for _ in stable.len() as u32..want_stable {
            if room == 0 {
                break;
            }
            sim.provision(self.stable, self.from);
            room -= 1;
            changed = true;
        }
        // Surplus leaves only as far as the servers in service stay at `desired`: a server
        // not in service may go at once.
        let in_service = |sim: &Sim, i: usize| sim.servers[i].state() == ServerState::InService;
        let mut spare = canary
            .iter()
            .chain(&stable)
            .filter(|&&i| in_service(sim, i))
            .count()
            .saturating_sub(n as usize);
        let surplus_of = |have: &[usize], want: u32| -> Vec<usize> {
            let extra = have.len().saturating_sub(want as usize);
            // Servers not in service first, then the newest.
            let mut v: Vec<usize> = have.to_vec();
            v.sort_by_key(|&i| (in_service(sim, i), std::cmp::Reverse(i)));
            v.truncate(extra);
            v
        };
        let surplus: Vec<usize> = surplus_of(&canary, k)
            .into_iter()
            .chain(surplus_of(&stable, want_stable))
            .collect();
        for i in surplus {
            if in_service(sim, i) {
                if spare == 0 {
                    continue;
                }
                spare -= 1;
            }
            sim.retire(i);
            changed = true;
        }
        let reached = self.canary_servers(sim).len() as u32 == k
            && self.stable_servers(sim).len() as u32 == want_stable;
        (changed, reached)
    }

    /// After an abort: stable back to `desired` servers (the canary's leave traffic at once
    /// and scale down after the delay).
    pub(super) fn restore_stable(&self, sim: &mut Sim) -> u32 {
        let have = self.stable_servers(sim).len() as u32;
        for _ in have..self.desired {
            sim.provision(self.stable, self.from);
        }
        self.desired.saturating_sub(have)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_whole_number_of_servers() {
        assert_eq!(canary_servers_for(10, 90), 9);
        assert_eq!(canary_servers_for(10, 75), 8);
        assert_eq!(canary_servers_for(10, 5), 1);
        assert_eq!(canary_servers_for(20, 5), 1);
        assert_eq!(canary_servers_for(10, 0), 0);
        assert_eq!(canary_servers_for(10, 100), 10);
        assert_eq!((surge(10), surge(2)), (3, 1));
    }
}
