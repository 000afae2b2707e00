//! Blue-green, as Argo Rollouts does it: a green pool the size of blue beside it, reachable
//! through a preview route (smoke tests, no users); `switch green` moves all traffic at
//! once; blue is kept for the scale-down delay, within which `switch blue` is an instant
//! rollback; `delete blue` frees it early.

use super::Phase;
use super::canary::ABORT_SCALE_DOWN_S;
use crate::command::suggest;
use crate::sim::apply::Rejected;
use crate::sim::{Mirror, MirrorSource, PoolRole, ServerState, Severity, Sim, Split, VersionId};

/// Share of live traffic sent as synthetic smoke tests through the preview route…
const PREVIEW_SHARE: f64 = 0.02;
/// … but at least this many requests per second.
const PREVIEW_MIN_RPS: f64 = 5.0;

/// Where a blue-green stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    /// Green is installing and booting.
    Provisioning,
    /// Green is ready; the preview route serves smoke tests; waiting for `switch`.
    Ready,
    /// All traffic on green; blue kept until `scale_down_at`.
    Switched { scale_down_at: u64 },
    /// Switched back to blue: green idle, scaled down at `scale_down_at` (Argo's
    /// `abortScaleDownDelaySeconds`) unless `delete green` removes it first.
    SwitchedBack { scale_down_at: Option<u64> },
}

/// State of a blue-green rollout.
#[derive(Debug, Clone)]
pub struct BlueGreen {
    pub blue: u16,
    pub green: u16,
    stage: Stage,
}

impl BlueGreen {
    /// Provisions the green pool.
    pub fn start(sim: &mut Sim, blue: u16, to: VersionId) -> Result<(Self, String), Rejected> {
        let blue_name = sim.pools[blue as usize].name.clone();
        let green_name = if blue_name == "green" {
            "blue"
        } else {
            "green"
        };
        if let Some(g) = sim.pool_index(green_name)
            && !sim.pool_servers(g).is_empty()
        {
            // Deleted already, its servers still finishing their requests: say what to wait
            // for, not to delete it again.
            let servers = sim.pool_servers(g);
            let why = if servers.iter().all(|&i| sim.servers[i].retiring) {
                let (n, verb) = match servers.len() {
                    1 => ("1 server".to_string(), "is"),
                    n => (format!("{n} servers"), "are"),
                };
                format!(
                    "{n} of the deleted {green_name} pool {verb} still finishing requests: `wait until drained {green_name}` first"
                )
            } else {
                format!("a {green_name} pool still has servers: `delete {green_name}` first")
            };
            return Err(Rejected::NotNow(why));
        }
        let green = sim.ensure_pool(green_name, PoolRole::Mirror);
        let n = sim.pool_servers(blue).len();
        for _ in 0..n {
            sim.provision(green, to);
        }
        let rps = (sim.demand_rps() * PREVIEW_SHARE).max(PREVIEW_MIN_RPS);
        sim.mirrors
            .push(Mirror::new(green, MirrorSource::Synthetic(rps)));
        let text = format!(
            "blue-green: provisioning {n} servers of {} in {green_name} beside {blue_name} \
             (capacity and cost ×2 while both run); preview route: smoke tests at {rps:.0} req/s",
            sim.version_name(to)
        );
        Ok((
            Self {
                blue,
                green,
                stage: Stage::Provisioning,
            },
            text,
        ))
    }

    fn name(sim: &Sim, pool: u16) -> String {
        sim.pools[pool as usize].name.clone()
    }

    fn ready(sim: &Sim, pool: u16) -> (usize, usize) {
        let idx = sim.pool_servers(pool);
        let up = idx
            .iter()
            .filter(|&&i| sim.servers[i].state() == ServerState::InService)
            .count();
        (up, idx.len())
    }

    /// One line for screens.
    pub fn status(&self, sim: &Sim) -> String {
        let (b, g) = (Self::name(sim, self.blue), Self::name(sim, self.green));
        match self.stage {
            Stage::Provisioning => {
                let (up, n) = Self::ready(sim, self.green);
                format!("{g} provisioning: {up}/{n} in service · {b} serves everyone")
            }
            Stage::Ready => format!("{g} ready, preview only · `switch {g}` to go live"),
            Stage::Switched { scale_down_at } => {
                let left = scale_down_at.saturating_sub(sim.tick) / crate::time::TICKS_PER_SEC;
                format!(
                    "all traffic on {g} · {b} kept {left}s more (`switch {b}` = instant rollback)"
                )
            }
            Stage::SwitchedBack {
                scale_down_at: Some(at),
            } if !sim.pool_servers(self.green).is_empty() => {
                let left = at.saturating_sub(sim.tick) / crate::time::TICKS_PER_SEC;
                format!("back on {b} · {g} idle, scaled down in {left}s (`delete {g}` now)")
            }
            Stage::SwitchedBack { .. } => format!("back on {b} · {g} removed"),
        }
    }

    /// One second: notice green ready; scale blue down after the delay.
    pub fn step(&mut self, sim: &mut Sim, phase: &mut Phase) -> bool {
        match self.stage {
            Stage::Provisioning => {
                let (up, n) = Self::ready(sim, self.green);
                if up == n && n > 0 {
                    self.stage = Stage::Ready;
                    let g = Self::name(sim, self.green);
                    sim.push_event(
                        Severity::Info,
                        format!("{g} ready: {n}/{n} in service; check its preview metrics, then `switch {g}`"),
                    );
                    return true;
                }
                false
            }
            Stage::Switched { scale_down_at } if sim.tick >= scale_down_at => {
                let b = Self::name(sim, self.blue);
                for i in sim.pool_servers(self.blue) {
                    sim.retire(i);
                }
                sim.push_event(
                    Severity::Info,
                    format!("{b} scaled down (scale-down delay over): rolling back now means a new deploy"),
                );
                Self::finish(sim, phase);
                true
            }
            // Green ready and waiting for the switch, or switched and keeping blue for the
            // scale-down delay: waiting on purpose, not failing to progress (Argo pauses a
            // blue-green rollout there, and its progress deadline does not run).
            Stage::Ready | Stage::Switched { .. } => true,
            Stage::SwitchedBack { .. } => false,
        }
    }

    fn finish(sim: &mut Sim, phase: &mut Phase) {
        // Green is the only live pool now: back to an even split.
        sim.split = Split::Even;
        *phase = Phase::Done;
    }

    /// `switch <pool>`.
    pub fn switch(
        &mut self,
        sim: &mut Sim,
        pool: &str,
        phase: &mut Phase,
    ) -> Result<String, Rejected> {
        let target = self.resolve(sim, pool)?;
        let (b, g) = (Self::name(sim, self.blue), Self::name(sim, self.green));
        if target == self.green {
            let (up, n) = Self::ready(sim, self.green);
            if matches!(self.stage, Stage::Switched { .. }) || *phase == Phase::Done {
                return Err(Rejected::NotNow(format!(
                    "{g} already takes all the traffic"
                )));
            }
            if up < n || n == 0 {
                return Err(Rejected::NotNow(format!(
                    "{g} is not ready: {up} of {n} servers in service"
                )));
            }
            sim.set_pool_role(self.green, PoolRole::Live);
            sim.mirrors.retain(|m| m.pool != self.green);
            sim.split = Split::Weighted(vec![(self.green, 100)]);
            let delay = sim.mission.fleet.scale_down_delay;
            self.stage = Stage::Switched {
                scale_down_at: sim.tick + delay.ticks(),
            };
            *phase = Phase::Running;
            return Ok(format!(
                "all traffic → {g} at once; {b} kept for {delay}: `switch {b}` is an instant rollback"
            ));
        }
        if target == self.blue {
            return match self.stage {
                Stage::Switched { .. } if !sim.pool_servers(self.blue).is_empty() => {
                    sim.split = Split::Weighted(vec![(self.blue, 100)]);
                    self.switched_back(sim);
                    *phase = Phase::Aborted;
                    Ok(format!(
                        "all traffic → {b} again: instant rollback, no redeploy; {g} scales \
                         down in {ABORT_SCALE_DOWN_S}s (`delete {g}` now)"
                    ))
                }
                Stage::Switched { .. } => Err(Rejected::NotNow(format!(
                    "{b} was scaled down: roll back with a new deploy (`bluegreen <old version>`)"
                ))),
                _ => Err(Rejected::NotNow(format!(
                    "{b} already takes all the traffic"
                ))),
            };
        }
        Err(Rejected::NotNow(format!(
            "`{pool}` is not part of this blue-green ({b}/{g})"
        )))
    }

    /// `abort`: before the switch, green is removed; after, traffic goes back to blue.
    pub fn abort(&mut self, sim: &mut Sim) -> String {
        match self.stage {
            Stage::Switched { .. } if !sim.pool_servers(self.blue).is_empty() => {
                sim.split = Split::Weighted(vec![(self.blue, 100)]);
                self.switched_back(sim);
                format!(
                    "traffic back on {}; {} scales down in {ABORT_SCALE_DOWN_S}s",
                    Self::name(sim, self.blue),
                    Self::name(sim, self.green)
                )
            }
            Stage::Provisioning | Stage::Ready => {
                self.remove_green(sim);
                format!(
                    "{} removed before any user saw it",
                    Self::name(sim, self.green)
                )
            }
            _ => "nothing to undo".to_string(),
        }
    }

    /// Traffic is back on blue: green idles until its scale-down delay is over.
    fn switched_back(&mut self, sim: &Sim) {
        self.stage = Stage::SwitchedBack {
            scale_down_at: Some(sim.tick + ABORT_SCALE_DOWN_S * crate::time::TICKS_PER_SEC),
        };
    }

    /// Once a second while aborted: after a switch back, green is scaled down when its
    /// delay is over (Argo's `abortScaleDownDelaySeconds`, the canary's timer).
    pub fn after_abort(&mut self, sim: &mut Sim) {
        let Stage::SwitchedBack {
            scale_down_at: Some(at),
        } = self.stage
        else {
            return;
        };
        if sim.tick < at {
            return;
        }
        self.stage = Stage::SwitchedBack {
            scale_down_at: None,
        };
        let idle = sim.pool_servers(self.green);
        if idle.is_empty() {
            return;
        }
        self.remove_green(sim);
        let g = Self::name(sim, self.green);
        sim.push_event(
            Severity::Info,
            format!(
                "aborted {g} scaled down after {ABORT_SCALE_DOWN_S}s: {} servers removed, \
                 back to one pool's cost",
                idle.len()
            ),
        );
    }

    /// The pool `name` names: a pool of the fleet, or `blue`/`green` for this blue-green's
    /// sides whatever their pools are called (a sandbox's live pool is `web`). A miss names
    /// the real pools.
    fn resolve(&self, sim: &Sim, name: &str) -> Result<u16, Rejected> {
        if let Some(p) = sim.pool_index(name) {
            return Ok(p);
        }
        match name {
            "blue" => return Ok(self.blue),
            "green" => return Ok(self.green),
            _ => {}
        }
        let (b, g) = (Self::name(sim, self.blue), Self::name(sim, self.green));
        Err(Rejected::UnknownTarget {
            name: name.to_string(),
            hint: Some(
                suggest(name, [b.as_str(), g.as_str()])
                    .map_or_else(|| format!("{b}` or `{g}"), str::to_string),
            ),
        })
    }

    /// `delete <name>` during (or after) a blue-green: `name` resolved as `switch` does.
    pub fn delete_named(
        &mut self,
        sim: &mut Sim,
        name: &str,
        phase: &mut Phase,
    ) -> Result<String, Rejected> {
        let pool = self.resolve(sim, name)?;
        self.delete(sim, pool, phase)
    }

    fn remove_green(&mut self, sim: &mut Sim) {
        sim.mirrors.retain(|m| m.pool != self.green);
        for i in sim.pool_servers(self.green) {
            sim.retire(i);
        }
    }

    /// `rollback`.
    pub fn rollback(&mut self, sim: &mut Sim) -> Result<String, Rejected> {
        match self.stage {
            Stage::Switched { .. } if !sim.pool_servers(self.blue).is_empty() => {
                let mut phase = Phase::Running;
                let b = Self::name(sim, self.blue);
                self.switch(sim, &b, &mut phase)
            }
            Stage::Provisioning | Stage::Ready => Ok(self.abort(sim)),
            Stage::SwitchedBack { .. } => {
                Err(Rejected::NotNow("already back on the old pool".into()))
            }
            Stage::Switched { .. } => Err(Rejected::NotNow(format!(
                "{} was scaled down: roll back with a new deploy of the old version",
                Self::name(sim, self.blue)
            ))),
        }
    }

    /// `delete <pool>` during a blue-green.
    pub fn delete(
        &mut self,
        sim: &mut Sim,
        pool: u16,
        phase: &mut Phase,
    ) -> Result<String, Rejected> {
        let live = match sim.split {
            Split::Weighted(ref w) => w.iter().any(|(p, weight)| *p == pool && *weight > 0),
            Split::Even => sim.pools[pool as usize].role == PoolRole::Live,
        };
        if live {
            return Err(Rejected::NotNow(format!(
                "{} takes the traffic: switch away from it first",
                Self::name(sim, pool)
            )));
        }
        let name = Self::name(sim, pool);
        if pool == self.blue && matches!(self.stage, Stage::Switched { .. }) {
            for i in sim.pool_servers(self.blue) {
                sim.retire(i);
            }
            Self::finish(sim, phase);
            return Ok(format!(
                "{name} deleted: capacity back to one pool; no instant rollback any more"
            ));
        }
        if pool == self.green {
            self.remove_green(sim);
            if *phase != Phase::Done {
                *phase = Phase::Aborted;
            }
            return Ok(format!("{name} deleted"));
        }
        Self::delete_idle(sim, pool)
    }

    /// `delete <pool>` outside a blue-green: only a pool that takes no traffic.
    pub fn delete_idle(sim: &mut Sim, pool: u16) -> Result<String, Rejected> {
        let name = Self::name(sim, pool);
        let takes_traffic = sim
            .pool_servers(pool)
            .iter()
            .any(|&i| sim.servers[i].last_arrived > 0);
        if takes_traffic {
            return Err(Rejected::NotNow(format!(
                "{name} is taking traffic: it cannot be deleted"
            )));
        }
        let idx = sim.pool_servers(pool);
        if idx.is_empty() {
            return Err(Rejected::NotNow(format!("{name} has no servers")));
        }
        sim.mirrors.retain(|m| m.pool != pool);
        for i in idx {
            sim.retire(i);
        }
        Ok(format!("{name} deleted"))
    }
}
