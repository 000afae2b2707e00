//! What a play amounts to as configuration: the fleet's settings, each release the player
//! started (strategy, health checks, the guards watching it, affinity), and what they did
//! by hand. `Play` is the one form between the game and real config: `Play::from_commands`
//! reads a run (a report's or a script's commands), `export` writes a `Play` as YAML,
//! `import` reads YAML back into a `Play`, and `Play::plan` / `Play::commands` turn it into
//! something the sim plays (a drill plan, or timed commands on a mission).

use crate::command::{
    Amount, Command, GuardAction, GuardSpec, Metric, Op, Probe, RollingMode, SessionMode,
    ShadowSpec, Target, Targets,
};
use crate::drill::plan::{Plan, Step, Strategy, Watch};
use crate::mission::{Balancer, CheckDepth, HealthCheck, Mission, Sessions};
use crate::time::{Dur, TICKS_PER_SEC};

/// The fleet's settings a rollout config carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// The app's name (the mission's server prefix): `web`.
    pub app: String,
    pub replicas: u32,
    pub health: HealthCheck,
    pub progress_deadline: Dur,
    /// How long an old pool stays after the switch (blue-green `scaleDownDelaySeconds`).
    pub scale_down_delay: Dur,
    /// Connection draining: `terminationGracePeriodSeconds`, a target group's
    /// deregistration delay.
    pub drain: Dur,
    pub balancer: Balancer,
    pub sticky: bool,
    pub sessions: Sessions,
}

impl Setup {
    /// The settings of `mission`'s fleet at the start.
    pub fn of(mission: &Mission) -> Self {
        let f = &mission.fleet;
        Self {
            app: f.prefix.clone(),
            replicas: f.servers,
            health: f.health.clone(),
            progress_deadline: f.progress_deadline,
            scale_down_delay: f.scale_down_delay,
            drain: f.timings.drain,
            balancer: f.balancer,
            sticky: f.sticky,
            sessions: f.sessions,
        }
    }

    /// Writes these settings into `mission`'s fleet (what an imported config decides).
    pub fn apply_to(&self, mission: &mut Mission) {
        let f = &mut mission.fleet;
        f.health = self.health.clone();
        f.progress_deadline = self.progress_deadline;
        f.scale_down_delay = self.scale_down_delay;
        f.timings.drain = self.drain;
        f.balancer = self.balancer;
        f.sticky = self.sticky;
    }
}

/// How a release goes out.
#[derive(Debug, Clone, PartialEq)]
pub enum How {
    /// A rollout that ships it.
    Ship(Strategy),
    /// A shadow: a share of live requests mirrored to it, its answers discarded.
    Mirror(u32),
}

/// A guard, as config: a metric of the release (or of the whole service) past a line for
/// a while, and what happens then.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    pub metric: Metric,
    pub op: Op,
    pub value: f64,
    pub for_: Dur,
    /// Watches the release's own traffic (`version=`), not the whole service's.
    pub scoped: bool,
    pub action: GuardAction,
}

impl Guard {
    fn of(spec: &GuardSpec) -> Self {
        Self {
            metric: spec.metric,
            op: spec.op,
            value: spec.value,
            for_: spec.for_,
            scoped: spec.version.is_some(),
            action: spec.action,
        }
    }

    /// As a drill plan's watch (always on the release's own traffic).
    pub fn watch(&self) -> Watch {
        Watch {
            metric: self.metric,
            op: self.op,
            value: self.value,
            for_: self.for_,
            action: self.action,
        }
    }

    /// The guard command watching `version` (the whole service when not scoped).
    pub fn command(&self, version: &str) -> Command {
        match self.watch().command(version) {
            Command::Guard(mut spec) if !self.scoped => {
                spec.version = None;
                Command::Guard(spec)
            }
            other => other,
        }
    }
}

/// One release the player started.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// Game time it was applied.
    pub at: Dur,
    pub version: String,
    pub how: How,
    /// The guards watching it (set before it started, or while it ran).
    pub guards: Vec<Guard>,
    /// The health checks as they stood when it started.
    pub health: HealthCheck,
    pub sticky: bool,
}

impl Release {
    /// A release shipped by `strategy`, with the fleet's health checks and affinity as
    /// `setup` has them.
    pub fn ship(
        at: Dur,
        version: String,
        strategy: Strategy,
        guards: Vec<Guard>,
        setup: &Setup,
    ) -> Self {
        Self {
            at,
            version,
            how: How::Ship(strategy),
            guards,
            health: setup.health.clone(),
            sticky: setup.sticky,
        }
    }
}

/// Something the player did by hand that the config cannot say: written as a comment.
#[derive(Debug, Clone, PartialEq)]
pub struct ByHand {
    pub at: Dur,
    /// The game command, as typed.
    pub command: String,
    /// What teams do there instead, for the format (see `export::by_hand`).
    pub kind: HandKind,
}

/// The kinds of hand work, each said differently per format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandKind {
    /// promote, pause, resume, abort, retry, rollback, weight, switch, delete: an operator
    /// verb on a running rollout.
    Operator,
    /// drain, undrain, deploy or restart of named servers.
    Servers,
    /// A schema migration.
    Migration,
    /// Sessions moved to an external store (app configuration).
    Sessions,
    /// The release pipeline (CI/CD stages).
    Pipeline,
    /// `shadow off`.
    MirrorOff,
    /// A health-check or affinity change after the last release started.
    Setting,
}

/// A whole play as configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Play {
    pub setup: Setup,
    pub releases: Vec<Release>,
    pub by_hand: Vec<ByHand>,
}

impl Play {
    /// The play `commands` (with their ticks) make on `mission`.
    pub fn from_commands(mission: &Mission, commands: &[(u64, Command)]) -> Self {
        let setup = Setup::of(mission);
        let mut health = setup.health.clone();
        let mut sticky = setup.sticky;
        let mut guards: Vec<(u32, GuardSpec)> = Vec::new();
        let mut next_guard = 1;
        let mut releases: Vec<Release> = Vec::new();
        let mut by_hand = Vec::new();
        for (tick, command) in commands {
            let at = Dur::from_millis(tick * 1000 / TICKS_PER_SEC);
            let hand = |kind| ByHand {
                at,
                command: command.to_string(),
                kind,
            };
            let ship =
                |version: &str, strategy: Strategy| (version.to_string(), How::Ship(strategy));
            let started = match command {
                Command::Deploy { version, targets } if is_all(targets) => {
                    Some(ship(version, Strategy::AllAtOnce))
                }
                Command::Rolling { version, mode } => Some(ship(
                    version,
                    match mode {
                        RollingMode::InPlace { batch } => Strategy::Rolling { batch: *batch },
                        RollingMode::Surge {
                            surge,
                            unavailable,
                            min_ready,
                        } => Strategy::Surge {
                            surge: *surge,
                            unavailable: *unavailable,
                            min_ready: *min_ready,
                        },
                    },
                )),
                Command::BlueGreen { version } => {
                    Some(ship(version, Strategy::BlueGreen { switch_after: None }))
                }
                Command::Canary(c) => Some(ship(
                    &c.version,
                    Strategy::Canary {
                        steps: c.steps.clone(),
                        interval: c.interval,
                        analysis: c.analysis,
                        limit: c.limit,
                        initial_delay: c.initial_delay,
                    },
                )),
                Command::Shadow(Some(ShadowSpec { version, percent })) => {
                    Some((version.clone(), How::Mirror(*percent)))
                }
                _ => None,
            };
            if let Some((version, how)) = started {
                let watching = guards
                    .iter()
                    .filter(|(_, g)| g.version.as_ref().is_none_or(|v| *v == version))
                    .map(|(_, g)| Guard::of(g))
                    .collect();
                releases.push(Release {
                    at,
                    version,
                    how,
                    guards: watching,
                    health: health.clone(),
                    sticky,
                });
                continue;
            }
            match command {
                Command::Guard(spec) => {
                    guards.push((next_guard, spec.clone()));
                    next_guard += 1;
                    // Set after a release started: a change of config while it runs (the
                    // next releases carry it from their start).
                    if !releases.is_empty() {
                        by_hand.push(hand(HandKind::Setting));
                    }
                }
                Command::Unguard(None) => guards.clear(),
                Command::Unguard(Some(n)) => guards.retain(|(id, _)| id != n),
                Command::Probe(p) => {
                    match p {
                        Probe::Readiness(d) => health.depth = *d,
                        Probe::Startup(on) => health.startup = *on,
                    }
                    if !releases.is_empty() {
                        by_hand.push(hand(HandKind::Setting));
                    }
                }
                Command::Sticky(on) => {
                    sticky = *on;
                    if !releases.is_empty() {
                        by_hand.push(hand(HandKind::Setting));
                    }
                }
                Command::Sessions(SessionMode::External | SessionMode::Memory) => {
                    by_hand.push(hand(HandKind::Sessions));
                }
                Command::Migrate { .. } => by_hand.push(hand(HandKind::Migration)),
                Command::Pipeline(_) | Command::PromoteStaging => {
                    by_hand.push(hand(HandKind::Pipeline));
                }
                Command::Shadow(_) => by_hand.push(hand(HandKind::MirrorOff)),
                Command::Deploy { .. }
                | Command::Drain(_)
                | Command::Undrain(_)
                | Command::Restart(_) => by_hand.push(hand(HandKind::Servers)),
                Command::Pause
                | Command::Resume
                | Command::Abort
                | Command::Retry
                | Command::Rollback
                | Command::Weight(_)
                | Command::Promote { .. }
                | Command::Switch(_)
                | Command::Delete(_) => by_hand.push(hand(HandKind::Operator)),
                _ => {}
            }
        }
        Self {
            setup,
            releases,
            by_hand,
        }
    }

    /// A drill plan's play on `mission` (the drill's case): its health checks, guards and
    /// strategy for `version`, started at once. A plan's `fallback` has no counterpart in
    /// config (it is the team's next release); `switch green after D` is blue-green's
    /// `autoPromotionSeconds`.
    pub fn from_plan(mission: &Mission, plan: &Plan, version: &str) -> Self {
        let mut setup = Setup::of(mission);
        setup.health.depth = plan.health();
        let mut m = mission.clone();
        plan.apply_to(&mut m);
        setup.progress_deadline = m.fleet.progress_deadline;
        let releases = plan
            .strategy()
            .map(|s| Release {
                at: Dur::default(),
                version: version.to_string(),
                how: How::Ship(s.clone()),
                guards: plan
                    .watches()
                    .map(|w| Guard {
                        metric: w.metric,
                        op: w.op,
                        value: w.value,
                        for_: w.for_,
                        scoped: true,
                        action: w.action,
                    })
                    .collect(),
                health: setup.health.clone(),
                sticky: setup.sticky,
            })
            .into_iter()
            .collect();
        Self {
            setup,
            releases,
            by_hand: Vec::new(),
        }
    }

    /// The first release that ships (what a what-if plays against its fault).
    pub fn shipping(&self) -> Option<&Release> {
        self.releases.iter().find(|r| matches!(r.how, How::Ship(_)))
    }

    /// The drill plan that plays the first shipping release: its health depth, its guards
    /// (each on the release's own traffic) and its strategy. `None`: nothing ships.
    pub fn plan(&self) -> Option<Plan> {
        let release = self.shipping()?;
        let How::Ship(strategy) = &release.how else {
            return None;
        };
        let mut steps = vec![Step::Health(release.health.depth)];
        steps.extend(release.guards.iter().map(|g| Step::Watch(g.watch())));
        steps.push(Step::Rollout(strategy.clone()));
        Some(Plan { steps })
    }

    /// Every release as timed commands on a mission: at each release's time, its health
    /// checks, affinity and guards (as changes from `mission`'s fleet), then the command
    /// that starts it. What was done by hand is not here: config does not do it.
    pub fn commands(&self, mission: &Mission) -> Vec<(u64, Command)> {
        let mut out = Vec::new();
        let mut depth = mission.fleet.health.depth;
        let mut startup = mission.fleet.health.startup;
        let mut sticky = mission.fleet.sticky;
        let mut set: Vec<Command> = Vec::new();
        for r in &self.releases {
            let tick = r.at.ticks();
            if r.health.depth != depth {
                depth = r.health.depth;
                out.push((tick, Command::Probe(Probe::Readiness(depth))));
            }
            if r.health.startup != startup {
                startup = r.health.startup;
                out.push((tick, Command::Probe(Probe::Startup(startup))));
            }
            if r.sticky != sticky {
                sticky = r.sticky;
                out.push((tick, Command::Sticky(sticky)));
            }
            for g in &r.guards {
                let c = g.command(&r.version);
                if !set.contains(&c) {
                    set.push(c.clone());
                    out.push((tick, c));
                }
            }
            out.push((tick, start_command(&r.version, &r.how)));
        }
        out
    }
}

/// The command that starts a release.
pub fn start_command(version: &str, how: &How) -> Command {
    match how {
        How::Ship(s) => s.command(version),
        How::Mirror(p) => Command::Shadow(Some(ShadowSpec {
            version: version.to_string(),
            percent: *p,
        })),
    }
}

fn is_all(targets: &Targets) -> bool {
    targets.0.contains(&Target::All)
}

/// A percentage or a count, as config writes it: `25%` or `2`.
pub fn amount_text(a: Amount) -> String {
    match a {
        Amount::Count(n) => n.to_string(),
        Amount::Percent(p) => format!("{p}%"),
    }
}

/// Whether the health check is deep.
pub fn is_deep(h: &HealthCheck) -> bool {
    h.depth == CheckDepth::Deep
}

/// The play of a built-in mission's reference solution on `seed` (`None`: not a built-in
/// mission, or its script does not parse).
pub fn reference(id: &str, mission: &Mission, seed: u64) -> Option<Play> {
    let text = crate::mission::solution_script(id)?;
    let script = crate::command::parse_script(text).ok()?;
    let report = crate::runner::run_script(mission, id, &script, seed);
    let rec = crate::replay::Recording::from_report_json(&report.to_json()).ok()?;
    Some(Play::from_commands(mission, &rec.commands))
}
