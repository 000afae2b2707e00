//! Rollout controllers: one command becomes per-server actions, once per game-second.
//!
//! Each strategy behaves as its real counterpart does (see ARCHITECTURE.md):
//! - `inplace` — CodeDeploy: a batch out of traffic, drained, deployed, healthy, back;
//! - `surge` — a Kubernetes Deployment: new servers beside the old within surge and
//!   unavailability bounds; a version that never gets ready stalls, nothing rolls back;
//! - `bluegreen` — Argo Rollouts blue-green: a full green pool, preview, atomic switch,
//!   the old pool kept for a scale-down delay;
//! - `canary` — Argo/Flagger: weight steps, pauses, analysis against the stable baseline.
//!
//! The player can pause, resume, promote, abort and roll back at any moment; every step is
//! an event. A refusal says why.

use super::apply::{Applied, Rejected};
use super::{Severity, Sim, VersionId};
use crate::command::{Amount, CanarySpec, RollingMode};
use crate::time::TICKS_PER_SEC;

mod bluegreen;
mod canary;
mod inplace;
mod surge;

pub use bluegreen::BlueGreen;
pub use canary::Canary;
pub use inplace::InPlace;
pub use surge::Surge;

/// Where a rollout stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Running,
    /// Waiting for the player (`resume` or `promote`), with the reason.
    Paused(String),
    /// Stopped by `abort` or by analysis; the fleet is left as it was.
    Aborted,
    /// Finished.
    Done,
}

/// The strategy and its own state.
#[derive(Debug, Clone)]
pub enum Strategy {
    InPlace(InPlace),
    Surge(Surge),
    BlueGreen(BlueGreen),
    Canary(Canary),
}

/// A release in progress (or the last one).
#[derive(Debug, Clone)]
pub struct Rollout {
    pub strategy: Strategy,
    /// The version that ran before.
    pub from: VersionId,
    /// The version being rolled out.
    pub to: VersionId,
    pub phase: Phase,
    /// Tick it started.
    pub started: u64,
    /// Tick of the last visible progress (for the progress deadline).
    pub last_progress: u64,
    /// Reported stalled (once).
    pub stalled: bool,
    /// This rollout is itself a rollback.
    pub is_rollback: bool,
    /// `rollback` reverted it: the desired state no longer names `to`.
    pub reverted: bool,
}

impl Rollout {
    fn new(strategy: Strategy, from: VersionId, to: VersionId, tick: u64) -> Self {
        Self {
            strategy,
            from,
            to,
            phase: Phase::Running,
            started: tick,
            last_progress: tick,
            stalled: false,
            is_rollback: false,
            reverted: false,
        }
    }

    /// An aborted canary whose spec still names its version (Argo's "Degraded"): the
    /// version it names.
    pub fn degraded_on(&self) -> Option<VersionId> {
        (self.phase == Phase::Aborted
            && !self.reverted
            && !self.is_rollback
            && matches!(self.strategy, Strategy::Canary(_)))
        .then_some(self.to)
    }

    /// Whether it still acts (running or paused).
    pub fn is_active(&self) -> bool {
        matches!(self.phase, Phase::Running | Phase::Paused(_))
    }

    /// The strategy's name.
    pub fn kind(&self) -> &'static str {
        match self.strategy {
            Strategy::InPlace(_) => "rolling",
            Strategy::Surge(_) => "rolling (surge)",
            Strategy::BlueGreen(_) => "blue-green",
            Strategy::Canary(_) => "canary",
        }
    }
}

impl Sim {
    /// The current (or last) rollout.
    pub fn rollout(&self) -> Option<&Rollout> {
        self.rollout.as_ref()
    }

    /// One line on the rollout for screens: strategy, step, what happens next.
    pub fn rollout_status(&self) -> Option<String> {
        let r = self.rollout.as_ref()?;
        let to = self.version_name(r.to);
        let stopped = matches!(r.phase, Phase::Done | Phase::Aborted);
        let detail = match &r.strategy {
            Strategy::InPlace(s) if stopped => s.status_stopped(),
            Strategy::InPlace(s) => s.status(self),
            Strategy::Surge(s) => s.status(self, r.to),
            Strategy::BlueGreen(s) => s.status(self),
            Strategy::Canary(_) if r.phase == Phase::Done => "promoted: 100 %".to_string(),
            Strategy::Canary(s) if stopped => s.status_stopped(self),
            Strategy::Canary(s) => s.status(self),
        };
        let phase = match &r.phase {
            Phase::Running if r.stalled => "STALLED · ".to_string(),
            Phase::Running => String::new(),
            Phase::Paused(why) => format!("paused ({why}) · "),
            Phase::Aborted => "aborted · ".to_string(),
            Phase::Done => "done · ".to_string(),
        };
        Some(format!("{} {to} · {phase}{detail}", r.kind()))
    }

    /// The weights (percent per pool) the player asked for: a running canary's requested
    /// weight even before the balancer applies it (or on a balancer without weights), else
    /// the balancer's own split. `None`: an even split.
    pub fn asked_weights(&self) -> Option<Vec<(u16, u32)>> {
        if let Some(r) = &self.rollout
            && r.is_active()
            && let Strategy::Canary(c) = &r.strategy
        {
            return Some(c.asked_split(c.weight));
        }
        match &self.split {
            super::Split::Weighted(ws) => Some(ws.clone()),
            super::Split::Even => None,
        }
    }

    /// The live pool most servers serve in (where rollouts happen).
    pub(super) fn main_pool(&self) -> u16 {
        let mut counts = vec![0usize; self.pools.len()];
        for s in &self.servers {
            if self.pools[s.pool as usize].role == super::PoolRole::Live && !s.retiring {
                counts[s.pool as usize] += 1;
            }
        }
        counts
            .iter()
            .enumerate()
            .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
            .map_or(0, |(i, _)| i as u16)
    }

    /// The version most servers of `pool` run.
    pub fn pool_version(&self, pool: u16) -> VersionId {
        let mut counts = vec![0usize; self.versions.len()];
        for s in self.servers.iter().filter(|s| s.pool == pool) {
            counts[s.version.0 as usize] += 1;
        }
        let best = counts
            .iter()
            .enumerate()
            .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
            .map_or(0, |(i, _)| i);
        VersionId(best as u16)
    }

    /// Index of the server called `name`.
    pub(super) fn index_of(&self, name: &str) -> Option<usize> {
        self.servers.iter().position(|s| s.name == name)
    }

    /// A rolling update whose every server already runs its version is done, even if its
    /// controller has not had its once-a-second look yet.
    fn settle_finished(&mut self) {
        let pool = self.main_pool();
        let finished = match &self.rollout {
            Some(r)
                if r.is_active()
                    && matches!(r.strategy, Strategy::InPlace(_) | Strategy::Surge(_)) =>
            {
                self.servers.iter().filter(|s| s.pool == pool).all(|s| {
                    s.version == r.to && !s.retiring && s.state() == super::ServerState::InService
                })
            }
            _ => false,
        };
        if finished {
            self.rollout_second();
            if let Some(r) = &mut self.rollout
                && r.is_active()
            {
                r.phase = Phase::Done;
            }
        }
    }

    fn refuse_if_running(&mut self) -> Result<(), Rejected> {
        self.settle_finished();
        match &self.rollout {
            Some(r) if r.is_active() => Err(Rejected::NotNow(format!(
                "a {} rollout of {} is in progress: wait for it, or abort / rollback first",
                r.kind(),
                self.version_name(r.to)
            ))),
            _ => Ok(()),
        }
    }

    /// `rolling <version> …`.
    pub(super) fn start_rolling(
        &mut self,
        version: &str,
        mode: &RollingMode,
    ) -> Result<Applied, Rejected> {
        self.refuse_if_running()?;
        let to = self.find_version(version)?;
        let pool = self.main_pool();
        let from = self.pool_version(pool);
        let servers = self.pool_servers(pool);
        if servers.iter().all(|&i| self.servers[i].version == to) {
            return Err(Rejected::NotNow(format!(
                "every server already runs {version}"
            )));
        }
        let n = servers.len() as u32;
        if let RollingMode::InPlace {
            batch: Amount::Percent(p),
        } = mode
        {
            InPlace::room(*p, n).map_err(Rejected::NotNow)?;
        }
        let strategy = match mode {
            RollingMode::InPlace { batch } => Strategy::InPlace(InPlace::new(*batch, n)),
            RollingMode::Surge {
                surge,
                unavailable,
                min_ready,
            } => Strategy::Surge(Surge::new(pool, n, *surge, *unavailable, min_ready.ticks())),
        };
        let text = match &strategy {
            Strategy::InPlace(s) => format!(
                "rolling {version} in place: {n} servers, batches of {} (drain → deploy → health check → back)",
                s.batch
            ),
            Strategy::Surge(s) => format!(
                "rolling {version} with surge: desired {n}, at most {} servers, at least {} available{}",
                n.saturating_add(s.surge),
                n - s.unavailable.min(n),
                if s.surge == 0
                    && matches!(mode, RollingMode::Surge { unavailable, .. } if unavailable.of(n, false) == 0)
                {
                    " (surge and unavailable both 0 could never move: unavailable 1, as Kubernetes refuses both at 0)"
                } else {
                    ""
                }
            ),
            _ => String::new(),
        };
        self.rollout = Some(Rollout::new(strategy, from, to, self.tick));
        self.push_event(Severity::Info, format!("▶ {text}"));
        Ok(Applied(text))
    }

    /// `bluegreen <version>`.
    pub(super) fn start_bluegreen(&mut self, version: &str) -> Result<Applied, Rejected> {
        self.refuse_if_running()?;
        let to = self.find_version(version)?;
        let blue = self.main_pool();
        let from = self.pool_version(blue);
        let (strategy, text) = BlueGreen::start(self, blue, to)?;
        self.rollout = Some(Rollout::new(
            Strategy::BlueGreen(strategy),
            from,
            to,
            self.tick,
        ));
        self.push_event(Severity::Info, format!("▶ {text}"));
        Ok(Applied(text))
    }

    /// `canary <version> steps=… interval=…`.
    pub(super) fn start_canary(&mut self, spec: &CanarySpec) -> Result<Applied, Rejected> {
        self.refuse_if_running()?;
        let to = self.find_version(&spec.version)?;
        let stable = self.main_pool();
        let from = self.pool_version(stable);
        if from == to {
            return Err(Rejected::NotNow(format!(
                "{} already serves: a canary compares a new version with the stable one",
                spec.version
            )));
        }
        let canary = Canary::new(self, spec.clone(), stable, to);
        let steps: Vec<String> =
            if self.mission.fleet.balancer == crate::mission::Balancer::ServerCount {
                // No weights: each step is a number of servers, the fleet keeps its size.
                spec.steps
                    .iter()
                    .zip(canary.step_counts())
                    .map(|(s, (k, rest))| format!("{s}% ({k} canary + {rest} stable)"))
                    .collect()
            } else {
                spec.steps.iter().map(|s| format!("{s}%")).collect()
            };
        let text = format!(
            "canary {}: steps {} every {}{}",
            spec.version,
            steps.join(" → "),
            spec.interval,
            if spec.analysis {
                format!(
                    ", analysis against {} (failure limit {})",
                    self.version_name(from),
                    spec.limit
                )
            } else {
                ", no automated analysis".to_string()
            }
        );
        self.rollout = Some(Rollout::new(Strategy::Canary(canary), from, to, self.tick));
        self.push_event(Severity::Info, format!("▶ {text}"));
        Ok(Applied(text))
    }

    /// Advances the active rollout by one game-second.
    pub(super) fn rollout_second(&mut self) {
        let Some(mut r) = self.rollout.take() else {
            return;
        };
        let was_done = r.phase == Phase::Done;
        match (&r.phase, &mut r.strategy) {
            (Phase::Aborted, Strategy::Canary(c)) => c.after_abort(self),
            (Phase::Aborted, Strategy::BlueGreen(b)) => b.after_abort(self),
            _ => {}
        }
        if r.phase == Phase::Running {
            let progressed = match &mut r.strategy {
                Strategy::InPlace(s) => s.step(self, &mut r.phase, r.to),
                Strategy::Surge(s) => s.step(self, &mut r.phase, r.to),
                Strategy::BlueGreen(s) => s.step(self, &mut r.phase),
                Strategy::Canary(s) => s.step(self, &mut r.phase, r.from, r.to),
            };
            if progressed {
                r.last_progress = self.tick;
            }
        }
        if r.phase == Phase::Done && !was_done {
            let secs = (self.tick - r.started) / TICKS_PER_SEC;
            let what = if r.is_rollback { "rollback" } else { "rollout" };
            self.push_event(
                Severity::Info,
                format!(
                    "✔ {what} done: {} everywhere after {secs}s",
                    self.version_name(r.to)
                ),
            );
        }
        let deadline = self.mission.fleet.progress_deadline.ticks();
        if r.phase == Phase::Running && !r.stalled && self.tick - r.last_progress >= deadline {
            r.stalled = true;
            self.push_event(
                Severity::Error,
                format!(
                    "rollout stalled: no progress for {} (progress deadline); {} has not become \
                     ready, the old servers keep serving. Nothing rolls back by itself",
                    self.mission.fleet.progress_deadline,
                    self.version_name(r.to)
                ),
            );
        }
        // A controller may have replaced the rollout (a rollback starts a new one).
        if self.rollout.is_none() {
            self.rollout = Some(r);
        }
    }

    /// `pause`.
    pub(super) fn pause_rollout(&mut self, why: &str) -> Result<Applied, Rejected> {
        let r = self.active_rollout("pause")?;
        if r.phase != Phase::Running {
            return Err(Rejected::NotNow(
                "the rollout is already paused".to_string(),
            ));
        }
        r.phase = Phase::Paused(why.to_string());
        let text = format!("rollout paused: {why}");
        self.push_event(Severity::Warn, format!("⏸ {text}"));
        Ok(Applied(text))
    }

    /// `resume`.
    pub(super) fn resume_rollout(&mut self) -> Result<Applied, Rejected> {
        let tick = self.tick;
        let r = self.active_rollout("resume")?;
        if r.phase == Phase::Running {
            return Err(Rejected::NotNow("the rollout is not paused".to_string()));
        }
        r.phase = Phase::Running;
        if let Strategy::Canary(c) = &mut r.strategy {
            c.resume(tick);
        }
        self.push_event(Severity::Info, "▶ rollout resumed".to_string());
        Ok(Applied("rollout resumed".to_string()))
    }

    fn active_rollout(&mut self, verb: &str) -> Result<&mut Rollout, Rejected> {
        match &mut self.rollout {
            Some(r) if r.is_active() => Ok(r),
            _ => Err(Rejected::NotNow(format!(
                "no rollout is running to {verb} (space pauses the game clock)"
            ))),
        }
    }

    /// `abort`: stop where it is; a canary's weight goes back to 0.
    pub(super) fn abort_rollout(&mut self, why: &str) -> Result<Applied, Rejected> {
        let tick = self.tick;
        let mut r = match self.rollout.take() {
            Some(r) if r.is_active() => r,
            other => {
                self.rollout = other;
                return Err(Rejected::NotNow(
                    "no rollout is running to abort".to_string(),
                ));
            }
        };
        let text = match &mut r.strategy {
            Strategy::Canary(c) => c.abort(self),
            Strategy::BlueGreen(b) => b.abort(self),
            Strategy::InPlace(p) => p.abort(self),
            Strategy::Surge(_) => {
                "rollout stopped where it is: servers already updated stay updated".to_string()
            }
        };
        r.phase = Phase::Aborted;
        r.last_progress = tick;
        self.rollout = Some(r);
        let text = format!("aborted ({why}): {text}");
        self.push_event(Severity::Warn, format!("■ {text}"));
        Ok(Applied(text))
    }

    /// `rollback`: back to the version that ran before, the way the strategy allows.
    pub(super) fn rollback(&mut self, why: &str) -> Result<Applied, Rejected> {
        let Some(mut r) = self.rollout.take() else {
            return Err(Rejected::NotNow(
                "no rollout to roll back: deploy the old version yourself".to_string(),
            ));
        };
        if r.is_rollback {
            // Rolling a rollback back would ship the release it is taking away (a second
            // guard firing mid-rollback did exactly that).
            let to = self.version_name(r.to).to_string();
            self.rollout = Some(r);
            return Err(Rejected::NotNow(format!(
                "this is already a rollback to {to}: start a new rollout to move on"
            )));
        }
        if let Some(why) = self.schema_forbids(r.from) {
            self.rollout = Some(r);
            return Err(Rejected::NotNow(why));
        }
        let from_name = self.version_name(r.from).to_string();
        let result: Result<(String, Option<Rollout>), Rejected> = match &mut r.strategy {
            Strategy::InPlace(s) => {
                let batch = Amount::Count(s.batch);
                let back = Rollout::new(
                    Strategy::InPlace(InPlace::new(batch, s.size)),
                    r.to,
                    r.from,
                    self.tick,
                );
                Ok((
                    format!(
                        "re-deploying {from_name} in place, batches of {} (this takes as long as a deploy)",
                        s.batch
                    ),
                    Some(back),
                ))
            }
            // The old version still has every desired server in service: like `kubectl
            // rollout undo` with the old ReplicaSet full, the new servers go at once.
            Strategy::Surge(s)
                if self
                    .servers
                    .iter()
                    .filter(|x| {
                        x.pool == s.pool
                            && x.version == r.from
                            && !x.retiring
                            && x.state() == super::ServerState::InService
                    })
                    .count() as u32
                    >= s.desired =>
            {
                let new: Vec<usize> = (0..self.servers.len())
                    .filter(|&i| {
                        self.servers[i].pool == s.pool
                            && self.servers[i].version == r.to
                            && !self.servers[i].retiring
                    })
                    .collect();
                for &i in &new {
                    self.retire(i);
                }
                Ok((
                    format!(
                        "{from_name} still has all {} servers: the {} new ones leave at once",
                        s.desired,
                        new.len()
                    ),
                    None,
                ))
            }
            Strategy::Surge(s) => {
                let back = Surge::new(
                    s.pool,
                    s.desired,
                    Amount::Count(s.surge),
                    Amount::Count(s.unavailable),
                    s.min_ready,
                );
                let back = Rollout::new(Strategy::Surge(back), r.to, r.from, self.tick);
                Ok((
                    format!(
                        "rolling {from_name} back out with surge (this takes as long as a deploy)"
                    ),
                    Some(back),
                ))
            }
            Strategy::BlueGreen(b) => b.rollback(self).map(|t| (t, None)),
            Strategy::Canary(c) => Ok((c.rollback(self), None)),
        };
        match result {
            Ok((text, next)) => {
                let text = format!("rollback ({why}): {text}");
                self.push_event(Severity::Warn, format!("↶ {text}"));
                if let Some(mut back) = next {
                    back.is_rollback = true;
                    self.rollout = Some(back);
                } else {
                    if r.phase != Phase::Done {
                        r.phase = Phase::Aborted;
                    }
                    r.reverted = true;
                    self.rollout = Some(r);
                }
                Ok(Applied(text))
            }
            Err(e) => {
                self.rollout = Some(r);
                Err(e)
            }
        }
    }

    /// `promote` / `promote --full` (canary), or continue a paused rollout.
    pub(super) fn promote(&mut self, full: bool) -> Result<Applied, Rejected> {
        let tick = self.tick;
        let Some(mut r) = self.rollout.take() else {
            return Err(Rejected::NotNow(
                "nothing to promote: no rollout".to_string(),
            ));
        };
        let active = r.is_active();
        let result = match (&mut r.strategy, active) {
            (Strategy::Canary(c), true) => {
                r.phase = Phase::Running;
                Ok(c.promote(self, full, tick))
            }
            (Strategy::Canary(_), false) => Err(Rejected::NotNow(
                "the canary was aborted: `retry` starts it again, `rollback` removes it".into(),
            )),
            _ => Err(Rejected::NotNow(format!(
                "promote moves a canary on; this is a {} rollout ({})",
                r.kind(),
                "resume continues it, switch moves a blue-green"
            ))),
        };
        self.rollout = Some(r);
        let text = result?;
        self.push_event(Severity::Info, format!("⏵ {text}"));
        Ok(Applied(text))
    }

    /// `weight N` (canary).
    pub(super) fn set_weight(&mut self, weight: u32) -> Result<Applied, Rejected> {
        let Some(mut r) = self.rollout.take() else {
            return Err(Rejected::NotNow(
                "no canary is running to weigh".to_string(),
            ));
        };
        let active = r.is_active();
        let result = match (&mut r.strategy, active) {
            (Strategy::Canary(c), true) => {
                r.phase = Phase::Paused("weight set by hand: promote to resume the steps".into());
                Ok(c.set_weight(self, weight))
            }
            _ => Err(Rejected::NotNow(
                "no canary is running: weights belong to a canary rollout".to_string(),
            )),
        };
        self.rollout = Some(r);
        let text = result?;
        self.push_event(Severity::Info, format!("⚖ {text}"));
        Ok(Applied(text))
    }

    /// `retry` (an aborted canary).
    pub(super) fn retry(&mut self) -> Result<Applied, Rejected> {
        let tick = self.tick;
        match &mut self.rollout {
            Some(r) if r.phase == Phase::Aborted && matches!(r.strategy, Strategy::Canary(_)) => {
                if let Strategy::Canary(c) = &mut r.strategy {
                    c.retry(tick);
                }
                r.phase = Phase::Running;
                r.last_progress = tick;
                let text = "canary restarted from its first step".to_string();
                self.push_event(Severity::Info, format!("▶ {text}"));
                Ok(Applied(text))
            }
            _ => Err(Rejected::NotNow(
                "retry restarts an aborted canary; there is none".into(),
            )),
        }
    }

    /// `switch <pool>` (blue-green).
    pub(super) fn switch(&mut self, pool: &str) -> Result<Applied, Rejected> {
        let Some(mut r) = self.rollout.take() else {
            return Err(Rejected::NotNow(
                "no blue-green rollout: start one with `bluegreen <version>`".to_string(),
            ));
        };
        let result = match &mut r.strategy {
            Strategy::BlueGreen(b) => b.switch(self, pool, &mut r.phase),
            _ => Err(Rejected::NotNow(format!(
                "switch belongs to blue-green; this is a {} rollout",
                r.kind()
            ))),
        };
        self.rollout = Some(r);
        let text = result?;
        self.push_event(Severity::Info, format!("⇄ {text}"));
        Ok(Applied(text))
    }

    /// `delete <pool>`.
    pub(super) fn delete_pool(&mut self, pool: &str) -> Result<Applied, Rejected> {
        let mut r = self.rollout.take();
        let result = match &mut r {
            Some(Rollout {
                strategy: Strategy::BlueGreen(b),
                phase,
                ..
            }) => b.delete_named(self, pool, phase),
            _ => match self.pool_index(pool) {
                Some(p) => BlueGreen::delete_idle(self, p),
                None => Err(self.unknown_target(pool)),
            },
        };
        self.rollout = r;
        let text = result?;
        self.push_event(Severity::Info, format!("✂ {text}"));
        Ok(Applied(text))
    }
}
