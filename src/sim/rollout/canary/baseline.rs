//! A weighted canary's baseline pool (Kayenta): stable servers as many as the canary's,
//! started with them and given the canary's weight, so the analysis compares like with like.

use super::Canary;
use crate::sim::Sim;

impl Canary {
    /// Baseline servers for the current weight: the canary's count while the weight leaves
    /// as much for the baseline (up to 50 %), fewer in proportion above.
    fn baseline_target(&self, sim: &Sim) -> u32 {
        let w = self.weight.min(100);
        if self.baseline.is_none() || self.promoting || w >= 100 || w == 0 {
            return 0;
        }
        let k = self.target(sim);
        if w <= 50 {
            k
        } else {
            ((u64::from(k) * u64::from(100 - w) + u64::from(w) / 2) / u64::from(w)).max(1) as u32
        }
    }

    /// Keeps the baseline pool at its target; returns its servers.
    pub(super) fn size_baseline(&self, sim: &mut Sim) -> Vec<usize> {
        let Some(b) = self.baseline else {
            return Vec::new();
        };
        sim.baseline_pool = Some(b);
        let want = self.baseline_target(sim) as usize;
        let have: Vec<usize> = sim
            .pool_servers(b)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect();
        for &i in have.iter().skip(want) {
            sim.retire(i);
        }
        for _ in have.len()..want {
            sim.provision(b, self.from);
        }
        sim.pool_servers(b)
            .into_iter()
            .filter(|&i| !sim.servers[i].retiring)
            .collect()
    }

    /// The baseline leaves: the analysis is over (abort, promotion).
    pub(super) fn drop_baseline(&self, sim: &mut Sim) {
        if let Some(b) = self.baseline {
            for i in sim.pool_servers(b) {
                sim.retire(i);
            }
            sim.baseline_pool = None;
        }
    }
}
