//! The plan's own hands while it runs: the steps that are not a single command at the start.
//!
//! - a blue-green plan with `switch green after D` switches once green has been ready for D;
//! - a plan with `fallback v3` notices when v2 is stopped (a guard that rolls back or aborts,
//!   the canary's analysis, a stalled rollout), cleans up what is left of v2 (`rollback`, or
//!   `delete green`), then ships v3 with the same guards and strategy.
//!
//! Polled once per game-second, by the headless runner and by the play screen alike, so a
//! plan left alone does the same in both. Everything it does goes through `Sim::apply`, and
//! is said in the log (`plan: …`). It steps back as soon as the player ships v3 themselves.

use super::plan::{Plan, Strategy, Watch};
use super::scenario::{FIX, NEW};
use crate::command::{Command, Condition, GuardAction, Target, Targets};
use crate::sim::{Phase, Severity, Sim, Strategy as Running};
use crate::time::TICKS_PER_SEC;

/// Seconds between two tries of a step the sim refused (it says why in the log).
const RETRY_S: u64 = 10;
/// Tries before the plan gives up on a step and leaves it to the player.
const MAX_TRIES: u32 = 6;

/// Where the fallback stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fallback {
    /// The plan has none.
    Off,
    /// Watching v2.
    Armed,
    /// v2 was stopped: cleaning up, then shipping v3.
    Recovering,
    /// v3 is on its way (or the player took over, or the plan gave up).
    Done,
}

/// The running plan's automation.
#[derive(Debug, Clone)]
pub struct Pilot {
    plan: Plan,
    /// The version the plan is releasing: v2, then v3 after a fallback.
    target: String,
    /// Green has been ready since this tick (blue-green auto switch).
    ready_since: Option<u64>,
    /// The version whose green the plan has already switched to.
    switched: Option<String>,
    fallback: Fallback,
    /// Tick of the last command tried, and how many tries of the current step.
    last_try: Option<u64>,
    tries: u32,
    guards_set: bool,
}

impl Pilot {
    pub fn new(plan: &Plan) -> Self {
        Self {
            plan: plan.clone(),
            target: NEW.to_string(),
            ready_since: None,
            switched: None,
            fallback: if plan.has_fallback() {
                Fallback::Armed
            } else {
                Fallback::Off
            },
            last_try: None,
            tries: 0,
            guards_set: false,
        }
    }

    /// The commands applied at the start: v2's guards and strategy, in the plan's order.
    pub fn start(&self) -> Vec<Command> {
        self.plan.commands(NEW)
    }

    /// Applies the start commands to `sim` (refusals are logged by the sim).
    pub fn begin(&self, sim: &mut Sim) {
        for c in self.start() {
            let _ = sim.apply_by(&c, "by the plan");
        }
    }

    /// Whether the plan has nothing left in hand: no fallback under way (it is off, still
    /// watching v2, or done).
    pub fn is_idle(&self) -> bool {
        self.fallback != Fallback::Recovering
    }

    /// Once per game-second (other ticks are ignored): the switch and the fallback.
    pub fn poll(&mut self, sim: &mut Sim) {
        if !sim.tick().is_multiple_of(TICKS_PER_SEC) || sim.is_finished() {
            return;
        }
        self.auto_switch(sim);
        Self::stand_down(sim);
        self.fallback(sim);
    }

    /// While v2 is being rolled back, its guards that have not fired stand down: another
    /// one firing would roll the rollback back (to v2 again).
    fn stand_down(sim: &mut Sim) {
        let rolling_back = sim
            .rollout()
            .is_some_and(|r| r.is_active() && r.is_rollback && sim.version_name(r.from) == NEW);
        if !rolling_back {
            return;
        }
        let ids: Vec<u32> = sim
            .guards()
            .iter()
            .filter(|g| g.fired.is_none() && g.spec.version.as_deref() == Some(NEW))
            .map(|g| g.id)
            .collect();
        if ids.is_empty() {
            return;
        }
        sim.note(
            Severity::Info,
            format!("plan: {NEW} is being rolled back: its other guards stand down"),
        );
        for id in ids {
            let _ = sim.apply_by(&Command::Unguard(Some(id)), "by the plan");
        }
    }

    fn auto_switch(&mut self, sim: &mut Sim) {
        let Some(Strategy::BlueGreen {
            switch_after: Some(after),
        }) = self.plan.strategy()
        else {
            return;
        };
        let after = *after;
        let green = match sim.rollout() {
            Some(r)
                if r.phase == Phase::Running
                    && !r.is_rollback
                    && sim.version_name(r.to) == self.target
                    && self.switched.as_deref() != Some(self.target.as_str()) =>
            {
                match &r.strategy {
                    Running::BlueGreen(b) => sim.pools()[b.green as usize].name.clone(),
                    _ => return,
                }
            }
            _ => {
                self.ready_since = None;
                return;
            }
        };
        let ready = sim.holds(&Condition::Ready(Targets(vec![Target::Name(
            green.clone(),
        )])));
        if !ready {
            self.ready_since = None;
            return;
        }
        let since = *self.ready_since.get_or_insert(sim.tick());
        // The bake is a pre-promotion analysis: the plan's guards that act are asked of the
        // preview's traffic, and one that would fire keeps users off green.
        let breached = self
            .plan
            .watches()
            .filter(|w| w.action != GuardAction::Pause)
            .find(|w| {
                sim.holds_on_preview(&crate::command::Watch {
                    metric: w.metric,
                    op: w.op,
                    value: w.value,
                    for_: w.for_,
                    version: Some(self.target.clone()),
                })
            })
            .map(Watch::label);
        if let Some(label) = breached {
            sim.note(
                Severity::Warn,
                format!(
                    "plan: pre-promotion analysis on the preview: {label} held on {} → {green} is not switched",
                    self.target
                ),
            );
            let _ = sim.apply_by(&Command::Abort, "by the plan");
            self.ready_since = None;
            return;
        }
        if sim.tick() - since >= after.ticks() {
            sim.note(
                Severity::Info,
                format!("plan: {green} has been ready for {after}: switching"),
            );
            let _ = sim.apply_by(&Command::Switch(green), "by the plan");
            self.switched = Some(self.target.clone());
            self.ready_since = None;
        }
    }

    /// Whether v2 was stopped: a guard on it that acts fired, or its rollout was aborted,
    /// stalled, or is being rolled back.
    fn v2_stopped(sim: &Sim) -> bool {
        let guard = sim.guards().iter().any(|g| {
            g.fired.is_some()
                && g.spec.version.as_deref() == Some(NEW)
                && g.spec.action != GuardAction::Pause
        });
        let rollout = sim.rollout().is_some_and(|r| {
            let to = sim.version_name(r.to);
            let from = sim.version_name(r.from);
            (to == NEW && !r.is_rollback && (r.phase == Phase::Aborted || r.stalled))
                || (r.is_rollback && from == NEW)
        });
        guard || rollout
    }

    /// Whether the player has started a rollout of v3 themselves.
    fn player_shipped_fix(&self, sim: &Sim) -> bool {
        !self.guards_set
            && sim
                .rollout()
                .is_some_and(|r| !r.is_rollback && sim.version_name(r.to) == FIX)
    }

    fn fallback(&mut self, sim: &mut Sim) {
        match self.fallback {
            Fallback::Off | Fallback::Done => {}
            Fallback::Armed => {
                if self.player_shipped_fix(sim) {
                    self.fallback = Fallback::Done;
                } else if Self::v2_stopped(sim) {
                    sim.note(
                        Severity::Warn,
                        format!(
                            "plan: {NEW} was stopped: roll back what is left of it, then ship {FIX} the same way"
                        ),
                    );
                    self.fallback = Fallback::Recovering;
                    self.recover(sim);
                }
            }
            Fallback::Recovering => {
                if self.player_shipped_fix(sim) {
                    self.fallback = Fallback::Done;
                } else {
                    self.recover(sim);
                }
            }
        }
    }

    /// Whether a step may be tried now (not within `RETRY_S` of the last try).
    fn may_try(&self, sim: &Sim) -> bool {
        self.last_try
            .is_none_or(|t| sim.tick() >= t + RETRY_S * TICKS_PER_SEC)
    }

    /// Tries `cmd`; after `MAX_TRIES` refusals the plan gives up and says so.
    fn attempt(&mut self, sim: &mut Sim, cmd: &Command) -> bool {
        self.last_try = Some(sim.tick());
        if sim.apply_by(cmd, "by the plan").is_ok() {
            self.tries = 0;
            return true;
        }
        self.tries += 1;
        if self.tries >= MAX_TRIES {
            sim.note(
                Severity::Warn,
                format!("plan: gave up on `{cmd}` after {MAX_TRIES} tries: it is up to you now"),
            );
            self.fallback = Fallback::Done;
        }
        false
    }

    fn recover(&mut self, sim: &mut Sim) {
        if !self.may_try(sim) {
            return;
        }
        let v2_servers: Vec<bool> = sim
            .servers()
            .iter()
            .filter(|s| sim.version_name(s.version) == NEW)
            .map(|s| s.retiring)
            .collect();
        let (active, rolling_back, done, kind) = match sim.rollout() {
            Some(r) => (
                r.is_active() && !r.is_rollback,
                r.is_active() && r.is_rollback,
                r.phase == Phase::Done,
                Some(match &r.strategy {
                    Running::BlueGreen(b) => Some(sim.pools()[b.green as usize].name.clone()),
                    Running::Canary(_) => None,
                    Running::InPlace(_) | Running::Surge(_) => Some(String::new()),
                }),
            ),
            None => (false, false, true, None),
        };
        let undone = sim
            .rollout()
            .is_some_and(|r| r.is_active() && r.is_rollback && sim.version_name(r.to) == NEW);
        if undone {
            // Two guards fired together and the second rolled the rollback back: undo it.
            self.attempt(sim, &Command::Rollback);
            return;
        }
        if rolling_back || (!v2_servers.is_empty() && v2_servers.iter().all(|r| *r)) {
            // A rollback is under way, or v2's last servers are on their way out.
            return;
        }
        if active {
            self.attempt(sim, &Command::Rollback);
            return;
        }
        if !v2_servers.is_empty() && !done {
            // Aborted: a canary keeps its servers idle, a blue-green its green pool.
            let cmd = match kind {
                Some(Some(green)) if !green.is_empty() => Command::Delete(green),
                _ => Command::Rollback,
            };
            self.attempt(sim, &cmd);
            return;
        }
        self.ship_fix(sim);
    }

    /// v3 with the plan's guards and strategy.
    fn ship_fix(&mut self, sim: &mut Sim) {
        let commands = self.plan.commands(FIX);
        if !self.guards_set {
            sim.note(
                Severity::Info,
                format!("plan: shipping {FIX} with the same guards and strategy"),
            );
            for c in commands.iter().filter(|c| matches!(c, Command::Guard(_))) {
                let _ = sim.apply_by(c, "by the plan");
            }
            self.guards_set = true;
            self.target = FIX.to_string();
        }
        let Some(strategy) = commands.iter().find(|c| !matches!(c, Command::Guard(_))) else {
            self.fallback = Fallback::Done;
            return;
        };
        if self.attempt(sim, strategy) {
            self.fallback = Fallback::Done;
        }
    }
}
