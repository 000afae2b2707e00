//! Pools, the balancer's traffic split, mirrored traffic, and servers that come and go.
//!
//! Live pools serve users; mirror pools (shadow, blue-green preview) get copies or
//! synthetic requests whose answers are discarded and never reach a user. Rollout
//! controllers add servers (`provision`) and retire them (drain, then remove).

use super::server::SecondCounters;
use super::{Lb, Process, Server, Sim, VersionId, serve};

/// What a pool is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolRole {
    /// Serves users.
    Live,
    /// Serves mirrored or synthetic requests only; its answers are discarded.
    Mirror,
}

/// A named group of servers in the balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub name: String,
    pub role: PoolRole,
}

/// How the balancer divides user traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// Evenly over every healthy server of every live pool.
    Even,
    /// By weight (percent) between pools; a pool with no healthy server gets nothing and
    /// its share goes to the others.
    Weighted(Vec<(u16, u32)>),
}

/// Where mirrored requests come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MirrorSource {
    /// A share (0..1) of real user requests, copied (shadow traffic).
    Share(f64),
    /// Synthetic requests per second (a preview route's smoke tests).
    Synthetic(f64),
}

/// Requests sent to a mirror pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Mirror {
    pub pool: u16,
    pub source: MirrorSource,
    carry: f64,
}

impl Mirror {
    /// A mirror into `pool`.
    pub fn new(pool: u16, source: MirrorSource) -> Self {
        Self {
            pool,
            source,
            carry: 0.0,
        }
    }
}

impl Sim {
    /// The pools, by index.
    pub fn pools(&self) -> &[Pool] {
        &self.pools
    }

    /// The balancer's split.
    pub fn split(&self) -> &Split {
        &self.split
    }

    /// The active mirrors.
    pub fn mirrors(&self) -> &[Mirror] {
        &self.mirrors
    }

    /// A pool's index by name.
    pub fn pool_index(&self, name: &str) -> Option<u16> {
        self.pools
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as u16)
    }

    /// The pool called `name`, created with `role` if it does not exist.
    pub(super) fn ensure_pool(&mut self, name: &str, role: PoolRole) -> u16 {
        if let Some(i) = self.pool_index(name) {
            self.set_pool_role(i, role);
            return i;
        }
        self.pools.push(Pool {
            name: name.to_string(),
            role,
        });
        (self.pools.len() - 1) as u16
    }

    /// Turns a pool live or mirror. Requests already in its servers finish on the side they
    /// came from (a preview's synthetic requests never become user requests, and users'
    /// requests never vanish into a mirror), so the users' counts stay exact.
    pub(super) fn set_pool_role(&mut self, pool: u16, role: PoolRole) {
        let old = self.pools[pool as usize].role;
        if old == role {
            return;
        }
        for s in self.servers.iter_mut().filter(|s| s.pool == pool) {
            let mut c = std::mem::take(&mut s.sec);
            c.ok += std::mem::take(&mut s.queue);
            self.retired_counters.add_to(&c, old);
        }
        self.pools[pool as usize].role = role;
    }

    /// Servers (indices) of a pool.
    pub(super) fn pool_servers(&self, pool: u16) -> Vec<usize> {
        (0..self.servers.len())
            .filter(|&i| self.servers[i].pool == pool)
            .collect()
    }

    /// A new server in `pool`, installing `version`; it joins traffic once healthy.
    pub(super) fn provision(&mut self, pool: u16, version: VersionId) -> usize {
        self.next_server += 1;
        let prefix = if pool == 0 {
            self.mission.fleet.prefix.clone()
        } else {
            self.pools[pool as usize].name.clone()
        };
        let number = if pool == 0 {
            self.next_server
        } else {
            self.pool_servers(pool).len() as u32 + 1
        };
        let mut s = Server::new(
            format!("{prefix}-{number:02}"),
            pool,
            version,
            self.mission.fleet.base_memory_mb,
        );
        s.process = Process::Deploying {
            until: self.tick + self.mission.fleet.timings.deploy.ticks(),
        };
        s.healthy = false;
        s.warm_at_start = false;
        s.ready_since = None;
        s.real_traffic = false;
        self.servers.push(s);
        self.servers.len() - 1
    }

    /// Takes a server away: drained first if it is in the balancer, removed once idle.
    pub(super) fn retire(&mut self, i: usize) {
        let drain = self.tick + self.mission.fleet.timings.drain.ticks();
        let s = &mut self.servers[i];
        s.retiring = true;
        if s.lb == Lb::Registered {
            s.lb = Lb::Draining { until: drain };
        }
    }

    /// Removes retired servers that have finished draining.
    pub(super) fn remove_retired(&mut self) {
        if !self.servers.iter().any(|s| s.retiring) {
            return;
        }
        let mut i = 0;
        while i < self.servers.len() {
            let s = &self.servers[i];
            if s.retiring && !matches!(s.lb, Lb::Draining { .. }) {
                self.stop_process(i);
                // Its last counters still belong to this second's metrics.
                let gone = self.servers.remove(i);
                self.retired_counters.add(&gone.sec, gone.pool, &self.pools);
            } else {
                i += 1;
            }
        }
    }

    /// Splits this tick's arrivals over the pools and servers, then serves every queue.
    /// `self.lanes[p].rot` holds each pool's servers in rotation (counted this tick).
    pub(super) fn route_and_serve(&mut self, mut arrivals: u64) {
        // Users whose session was lost come back logged out: their request fails.
        let owed = (self.logout_owed as u64).min(arrivals);
        if owed > 0 {
            self.logout_owed -= owed as f64;
            self.edge.arrived += owed;
            self.edge.failed += owed;
            arrivals -= owed;
        }
        let mut lanes = std::mem::take(&mut self.lanes);
        let mut weights = std::mem::take(&mut self.weights_scratch);
        self.live_weights(&lanes, &mut weights);
        if weights.is_empty() {
            // No healthy upstream: the balancer answers 503 at once.
            self.edge.arrived += arrivals;
            self.edge.failed += arrivals;
        } else {
            apportion(arrivals, &weights, &mut lanes);
        }
        self.weights_scratch = weights;
        for m in &mut self.mirrors {
            let want = match m.source {
                MirrorSource::Share(share) => share * arrivals as f64,
                MirrorSource::Synthetic(rps) => rps * super::TICK_MS as f64 / 1000.0,
            } + m.carry;
            let count = want as u64;
            m.carry = want - count as f64;
            let lane = &mut lanes[m.pool as usize];
            if lane.rot > 0 {
                lane.alloc += count;
            }
            if matches!(m.source, MirrorSource::Share(_)) {
                lane.real = true;
            }
        }
        // Remainders go round-robin: each pool's start moves on by what it handed out, so
        // every server gets the same share over a second (no server is always first).
        for (p, lane) in lanes.iter_mut().enumerate() {
            lane.real |= self.pools[p].role == PoolRole::Live;
            if lane.rot == 0 {
                continue;
            }
            let start = lane.rr % lane.rot;
            lane.each = lane.alloc / lane.rot;
            lane.extra = lane.alloc % lane.rot;
            lane.rr = lane.rr.wrapping_add(lane.extra);
            lane.pos = (lane.rot - start) % lane.rot;
            // Weighted lanes hand out by a running sum that starts at a moving fraction, so
            // rounding favours no server over time.
            lane.offset = (lane.offset + GOLDEN).fract();
            lane.acc = lane.offset;
        }
        for s in &mut self.servers {
            let lane = &mut lanes[s.pool as usize];
            let mut a = 0;
            if s.in_rotation() && lane.rot > 0 && lane.weighted {
                lane.seen += 1;
                if lane.seen == lane.rot {
                    a = lane.alloc - lane.given;
                } else {
                    let before = lane.acc as u64;
                    lane.acc += lane.alloc as f64 * s.route_weight / lane.wsum.max(1e-9);
                    a = (lane.acc as u64 - before).min(lane.alloc - lane.given);
                }
                lane.given += a;
                if a > 0 && lane.real {
                    s.real_traffic = true;
                }
            } else if s.in_rotation() && lane.rot > 0 {
                a = lane.each + u64::from(lane.pos < lane.extra);
                lane.pos += 1;
                if lane.pos == lane.rot {
                    lane.pos = 0;
                }
                if a > 0 && lane.real {
                    s.real_traffic = true;
                }
            }
            serve(s, a);
        }
        self.lanes = lanes;
    }

    /// Live pools with healthy servers and their weights, into `out`.
    fn live_weights(&self, lanes: &[Lane], out: &mut Vec<(usize, u64)>) {
        out.clear();
        let live = |p: usize| self.pools[p].role == PoolRole::Live && lanes[p].rot > 0;
        if let Split::Weighted(ws) = &self.split {
            out.extend(
                ws.iter()
                    .filter(|(p, w)| *w > 0 && live(*p as usize))
                    .map(|(p, w)| (*p as usize, u64::from(*w))),
            );
        }
        if out.is_empty() {
            // Even (or every weighted pool empty): by healthy server count.
            out.extend(
                (0..lanes.len())
                    .filter(|&p| live(p))
                    .map(|p| (p, lanes[p].rot)),
            );
        }
    }

    /// The share of user traffic each live pool got last second (for "asked vs actual").
    pub fn actual_shares(&self) -> Vec<(u16, f64)> {
        let mut by_pool = vec![0u64; self.pools.len()];
        for s in &self.servers {
            by_pool[s.pool as usize] += s.last_arrived;
        }
        let total: u64 = by_pool
            .iter()
            .enumerate()
            .filter(|(p, _)| self.pools[*p].role == PoolRole::Live)
            .map(|(_, n)| n)
            .sum();
        by_pool
            .iter()
            .enumerate()
            .filter(|(p, _)| self.pools[*p].role == PoolRole::Live)
            .map(|(p, &n)| {
                let share = if total == 0 {
                    0.0
                } else {
                    n as f64 / total as f64
                };
                (p as u16, share)
            })
            .collect()
    }
}

/// Splits `total` over weighted lanes: exactly `total` every tick, and over time each lane
/// gets its exact share (a carry per lane remembers what rounding owed it), so a 1-in-11
/// pool really gets 1/11 and not a rounded-up 1/10.
fn apportion(total: u64, weights: &[(usize, u64)], lanes: &mut [Lane]) {
    let sum: u64 = weights.iter().map(|(_, w)| w).sum();
    if sum == 0 {
        return;
    }
    let mut given = 0;
    for &(slot, w) in weights {
        let lane = &mut lanes[slot];
        let exact = total as f64 * w as f64 / sum as f64 + lane.carry;
        let whole = (exact.max(0.0) as u64).min(total - given);
        lane.alloc += whole;
        lane.carry = exact - whole as f64;
        given += whole;
    }
    // What rounding left over goes to the lanes owed the most (ties: the first).
    while given < total {
        let Some(&(slot, _)) = weights.iter().max_by(|a, b| {
            lanes[a.0]
                .carry
                .total_cmp(&lanes[b.0].carry)
                .then(b.0.cmp(&a.0))
        }) else {
            break;
        };
        lanes[slot].alloc += 1;
        lanes[slot].carry -= 1.0;
        given += 1;
    }
}

/// The golden ratio's fraction: successive offsets spread evenly over [0, 1).
const GOLDEN: f64 = 0.618_033_988_749_895;

/// One pool's routing state within a tick (kept between ticks to avoid allocating).
#[derive(Debug, Clone, Default)]
pub struct Lane {
    /// Servers in rotation this tick.
    pub rot: u64,
    /// Requests for this pool this tick.
    alloc: u64,
    each: u64,
    extra: u64,
    pos: u64,
    /// Round-robin offset, carried between ticks.
    rr: u64,
    /// What rounding owes this pool, carried between ticks.
    carry: f64,
    /// Sum of the routing weights of its servers in rotation.
    pub wsum: f64,
    /// Some server has a weight other than 1 (slow start, stickiness).
    pub weighted: bool,
    seen: u64,
    given: u64,
    acc: f64,
    /// Start of the running sum, moved on every tick (carried).
    offset: f64,
    /// Receives real requests (live or mirrored), not only synthetic ones.
    real: bool,
}

impl Lane {
    /// Resets the per-tick fields, keeping the round-robin offset and the carry.
    pub fn reset(&mut self) {
        let (rr, carry, offset) = (self.rr, self.carry, self.offset);
        *self = Self {
            rr,
            carry,
            offset,
            ..Self::default()
        };
    }
}

/// Counters of servers removed during the current second, kept for its metrics.
#[derive(Debug, Clone, Default)]
pub struct RetiredCounters {
    pub live: SecondCounters,
    pub mirror: SecondCounters,
}

impl RetiredCounters {
    fn add(&mut self, c: &SecondCounters, pool: u16, pools: &[Pool]) {
        self.add_to(c, pools[pool as usize].role);
    }

    fn add_to(&mut self, c: &SecondCounters, role: PoolRole) {
        let into = match role {
            PoolRole::Live => &mut self.live,
            PoolRole::Mirror => &mut self.mirror,
        };
        into.arrived += c.arrived;
        into.ok += c.ok;
        into.failed += c.failed;
        into.timed_out += c.timed_out;
    }
}

#[cfg(test)]
mod tests {
    use super::{Lane, apportion};

    fn allocs(lanes: &[Lane]) -> Vec<u64> {
        lanes.iter().map(|l| l.alloc).collect()
    }

    #[test]
    fn apportion_is_exact_and_proportional() {
        let mut lanes = vec![Lane::default(); 3];
        apportion(1001, &[(0, 95), (2, 5)], &mut lanes);
        assert_eq!(allocs(&lanes), [951, 0, 50]);
        let mut lanes = vec![Lane::default(); 2];
        apportion(7, &[(0, 1), (1, 1)], &mut lanes);
        assert_eq!(allocs(&lanes).iter().sum::<u64>(), 7);
    }

    #[test]
    fn apportion_carries_rounding_between_ticks() {
        // 50 requests a tick over pools of 10 and 1 servers: 1/11 over time, not 5 a tick.
        let mut lanes = vec![Lane::default(); 2];
        let mut small = 0;
        for _ in 0..1100 {
            lanes.iter_mut().for_each(Lane::reset);
            apportion(50, &[(0, 10), (1, 1)], &mut lanes);
            assert_eq!(allocs(&lanes).iter().sum::<u64>(), 50);
            small += lanes[1].alloc;
        }
        assert_eq!(small, 5000);
    }
}
