//! The one command language: what the console, script files, replays and tests all speak.
//!
//! A `Command` is player intent as data. Text becomes a `Command` through the table in
//! `command/table.rs` (name, aliases, usage, one-line doc, parser), so completion, help and
//! error messages all come from one place. `Display` writes the canonical text back, and
//! parsing that text gives the same command again. Nothing here knows the fleet: targets
//! are names, resolved (or refused) by the simulation.

use std::fmt;

use crate::time::Dur;

mod canary;
mod guard;
mod options;
mod parse;
mod rollout;
mod script;
mod suggest;
mod system;
mod table;
mod values;
mod wait;

pub use canary::{DEFAULT_CANARY_INTERVAL, MAX_CANARY_LIMIT};
pub use parse::{ParseError, parse_command};
pub use script::{Script, ScriptError, ScriptLine, parse_script};
pub use table::{COMMANDS, CommandSpec, command_words, find_command, suggest};
pub use wait::CONDITIONS;

/// One thing the player (or a script) tells the game to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Install `version` on the targets: each stops at once (no draining), installs,
    /// boots, passes health checks and goes back into traffic.
    Deploy { version: String, targets: Targets },
    /// Take the targets out of traffic and let in-flight requests finish.
    Drain(Targets),
    /// Put drained (still running) targets back into traffic.
    Undrain(Targets),
    /// Restart the process on the targets (no draining).
    Restart(Targets),
    /// Pause the running rollout.
    Pause,
    /// Resume a paused rollout.
    Resume,
    /// Game clock speed multiplier (interactive play only; scripts run as fast as they can).
    Speed(u32),
    /// Let game time pass (scripts).
    Wait(Wait),
    /// Write a line in the log: the player's annotation, kept in the report and replays.
    Note(String),
    /// A rolling update, in place (`CodeDeploy`) or with surge (Kubernetes).
    Rolling { version: String, mode: RollingMode },
    /// Provision a green pool the size of blue running `version` (blue-green).
    BlueGreen { version: String },
    /// Move all traffic to a pool (`switch green`; `switch blue` rolls back).
    Switch(String),
    /// Remove an idle pool's servers (`delete blue`).
    Delete(String),
    /// A canary release: weight steps with a pause and analysis between them.
    Canary(CanarySpec),
    /// Set the canary weight by hand, in percent.
    Weight(u32),
    /// Continue past a canary pause (`--full`: skip the remaining steps).
    Promote { full: bool },
    /// Stop the rollout: canary weight back to 0, rolling stops where it is.
    Abort,
    /// Start an aborted canary again from its first step.
    Retry,
    /// Return to the version that ran before the rollout.
    Rollback,
    /// Mirror a share of live requests to `version` (`None`: `shadow off`).
    Shadow(Option<ShadowSpec>),
    /// Watch a metric and act when it crosses a line.
    Guard(GuardSpec),
    /// List the guards.
    Guards,
    /// Remove a guard by its number (`None`: all).
    Unguard(Option<u32>),
    /// Run one of the mission's database migrations (`migrate expand [throttle=20%]`).
    Migrate { name: String, throttle: Option<u32> },
    /// Where sessions live from now on (`sessions external`).
    Sessions(SessionMode),
    /// Pin users to the server they first reached (`sticky on`).
    Sticky(bool),
    /// Change a health check: `probe readiness deep`, `probe startup on`.
    Probe(Probe),
    /// Start the release pipeline for a version (`pipeline run v2`).
    Pipeline(String),
    /// Let a release that passed staging go to production (`promote staging`).
    PromoteStaging,
}

/// A health-check setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// What the readiness check asks (applies at the next check).
    Readiness(crate::mission::CheckDepth),
    /// Whether servers starting from now on validate their configuration first.
    Startup(bool),
}

/// Where user sessions are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMode {
    /// In each server's memory: lost when the server stops without draining.
    Memory,
    /// In an external store (a cache such as Redis): survives server restarts.
    External,
}

/// A count of servers, absolute or as a percentage of the fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Count(u32),
    Percent(u32),
}

/// How a rolling update replaces servers.
#[derive(Debug, Clone, PartialEq)]
pub enum RollingMode {
    /// In place, a batch at a time: `batch=2` or `max-unavailable=10%`.
    InPlace { batch: Amount },
    /// Kubernetes: new servers beside the old, `surge=25% unavailable=25% [min-ready=10s]`.
    Surge {
        surge: Amount,
        unavailable: Amount,
        min_ready: Dur,
    },
}

/// `canary v2 steps=5,20,50,100 interval=60s [analysis=off] [limit=0]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CanarySpec {
    pub version: String,
    /// Weights in percent, increasing, the last usually 100.
    pub steps: Vec<u32>,
    /// Pause (and analysis window) after each step.
    pub interval: Dur,
    /// Automated analysis of the canary against the stable baseline.
    pub analysis: bool,
    /// Failed analyses tolerated: the rollout fails when failures exceed it.
    pub limit: u32,
    /// Wait before the analysis' first measurement (Argo's `initialDelay`). 0, the default,
    /// measures at the start as Argo does; Flagger's first check comes after an interval.
    pub initial_delay: Dur,
}

/// `shadow v2 50%`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowSpec {
    pub version: String,
    /// Share of live requests mirrored, in percent.
    pub percent: u32,
}

/// A metric a guard watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    ErrorRate,
    P50,
    P95,
    P99,
    Cpu,
    Mem,
    SessionsLost,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Ge,
    Lt,
    Le,
}

/// What a guard does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardAction {
    Pause,
    Abort,
    Rollback,
}

/// `guard error_rate>2% for 10s version=v2 -> rollback`.
///
/// `value` is in the unit written: percent for `error_rate`, `cpu` and `mem` (`2%` is 2.0);
/// milliseconds for p50/p95/p99 (`400ms` is 400.0); a count for `sessions_lost`.
#[derive(Debug, Clone, PartialEq)]
pub struct GuardSpec {
    pub metric: Metric,
    pub op: Op,
    pub value: f64,
    /// The condition must hold this long (0: the first second it holds).
    pub for_: Dur,
    /// Watch one version's metrics instead of the fleet's.
    pub version: Option<String>,
    pub action: GuardAction,
}

/// How long a `wait` lasts.
#[derive(Debug, Clone, PartialEq)]
pub enum Wait {
    /// A fixed span of game time.
    For(Dur),
    /// Until the condition holds, or the timeout passes.
    Until { cond: Condition, timeout: Dur },
}

/// Default timeout of `wait until`.
pub const DEFAULT_WAIT_TIMEOUT: Dur = Dur::from_secs(600);

/// Longer than this is not a command line: refused where it is typed, so every report the
/// game writes is one `replay` and the scoreboard accept.
pub const MAX_COMMAND_CHARS: usize = 500;
/// A run records at most this many commands (a played game gives a few hundred); the sim
/// refuses more, so the report stays one the readers accept.
pub const MAX_COMMANDS: usize = 10_000;

/// Something a script can wait for.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every target is in service (running, healthy, in traffic).
    Ready(Targets),
    /// Every target has finished draining (out of traffic, nothing in flight).
    Drained(Targets),
    /// Every server runs `version` and is in service.
    AllOn(String),
    /// No server is changing state (no drain, deploy, boot or health check pending), no
    /// migration runs and no pipeline stage is working.
    Idle,
    /// The rollout stopped: aborted or paused (by you, a guard or the analysis).
    Stopped,
    /// A metric crosses a line, written as a guard's condition (`error_rate>2% version=v5
    /// for 10s`): a script watches the per-version charts as a player would.
    Metric(Watch),
}

/// A metric condition held for a while, on the fleet or one version's live traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    pub metric: Metric,
    pub op: Op,
    pub value: f64,
    /// The condition must hold this long (0: the last second).
    pub for_: Dur,
    pub version: Option<String>,
}

impl fmt::Display for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}{}",
            self.metric.as_str(),
            self.op.as_str(),
            self.value,
            self.metric.unit()
        )?;
        if self.for_ != Dur::default() {
            write!(f, " for {}", self.for_)?;
        }
        if let Some(v) = &self.version {
            write!(f, " version={v}")?;
        }
        Ok(())
    }
}

/// Which servers a command acts on: a list of specs, resolved against the fleet by the sim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets(pub Vec<Target>);

/// One target spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Every server.
    All,
    /// A server name or a pool name.
    Name(String),
    /// An inclusive range of server names with the same prefix: `web-01..web-04`.
    Range(String, String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::All => f.write_str("all"),
            Target::Name(n) => f.write_str(n),
            Target::Range(a, b) => write!(f, "{a}..{b}"),
        }
    }
}

impl fmt::Display for Targets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Ready(t) => write!(f, "ready {t}"),
            Condition::Drained(t) => write!(f, "drained {t}"),
            Condition::AllOn(v) => write!(f, "all-on {v}"),
            Condition::Idle => f.write_str("idle"),
            Condition::Stopped => f.write_str("stopped"),
            Condition::Metric(w) => write!(f, "{w}"),
        }
    }
}

impl fmt::Display for Command {
    /// The canonical text: parsing it gives this command back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Deploy { version, targets } => write!(f, "deploy {version} {targets}"),
            Command::Drain(t) => write!(f, "drain {t}"),
            Command::Undrain(t) => write!(f, "undrain {t}"),
            Command::Restart(t) => write!(f, "restart {t}"),
            Command::Pause => f.write_str("pause"),
            Command::Resume => f.write_str("resume"),
            Command::Speed(n) => write!(f, "speed {n}"),
            Command::Note(text) => write!(f, "note {text}"),
            Command::Wait(Wait::For(d)) => write!(f, "wait {d}"),
            Command::Wait(Wait::Until { cond, timeout }) => {
                if *timeout == DEFAULT_WAIT_TIMEOUT {
                    write!(f, "wait until {cond}")
                } else {
                    write!(f, "wait until {cond} timeout={timeout}")
                }
            }
            Command::Rolling { version, mode } => write!(f, "rolling {version} {mode}"),
            Command::BlueGreen { version } => write!(f, "bluegreen {version}"),
            Command::Switch(pool) => write!(f, "switch {pool}"),
            Command::Delete(pool) => write!(f, "delete {pool}"),
            Command::Canary(spec) => write!(f, "{spec}"),
            Command::Weight(w) => write!(f, "weight {w}"),
            Command::Promote { full: false } => f.write_str("promote"),
            Command::Promote { full: true } => f.write_str("promote --full"),
            Command::Abort => f.write_str("abort"),
            Command::Retry => f.write_str("retry"),
            Command::Rollback => f.write_str("rollback"),
            Command::Shadow(None) => f.write_str("shadow off"),
            Command::Shadow(Some(s)) => write!(f, "shadow {} {}%", s.version, s.percent),
            Command::Guard(g) => write!(f, "{g}"),
            Command::Guards => f.write_str("guards"),
            Command::Unguard(None) => f.write_str("unguard all"),
            Command::Unguard(Some(n)) => write!(f, "unguard {n}"),
            Command::Migrate {
                name,
                throttle: None,
            } => write!(f, "migrate {name}"),
            Command::Migrate {
                name,
                throttle: Some(p),
            } => write!(f, "migrate {name} throttle={p}%"),
            Command::Sessions(SessionMode::Memory) => f.write_str("sessions memory"),
            Command::Sessions(SessionMode::External) => f.write_str("sessions external"),
            Command::Sticky(on) => write!(f, "sticky {}", if *on { "on" } else { "off" }),
            Command::Probe(Probe::Readiness(d)) => write!(
                f,
                "probe readiness {}",
                match d {
                    crate::mission::CheckDepth::Shallow => "shallow",
                    crate::mission::CheckDepth::Deep => "deep",
                }
            ),
            Command::Probe(Probe::Startup(on)) => {
                write!(f, "probe startup {}", if *on { "on" } else { "off" })
            }
            Command::Pipeline(v) => write!(f, "pipeline run {v}"),
            Command::PromoteStaging => f.write_str("promote staging"),
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Count(n) => write!(f, "{n}"),
            Amount::Percent(p) => write!(f, "{p}%"),
        }
    }
}

impl Amount {
    /// The count out of `total`, rounding a percentage up or down as asked.
    pub fn of(self, total: u32, round_up: bool) -> u32 {
        match self {
            Amount::Count(n) => n,
            Amount::Percent(p) => {
                let scaled = u64::from(total) * u64::from(p);
                let count = if round_up {
                    scaled.div_ceil(100)
                } else {
                    scaled / 100
                };
                u32::try_from(count).unwrap_or(u32::MAX)
            }
        }
    }
}

impl fmt::Display for RollingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RollingMode::InPlace {
                batch: Amount::Count(n),
            } => write!(f, "batch={n}"),
            RollingMode::InPlace {
                batch: Amount::Percent(p),
            } => write!(f, "max-unavailable={p}%"),
            RollingMode::Surge {
                surge,
                unavailable,
                min_ready,
            } => {
                write!(f, "surge={surge} unavailable={unavailable}")?;
                if *min_ready != Dur::default() {
                    write!(f, " min-ready={min_ready}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for CanarySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps: Vec<String> = self.steps.iter().map(ToString::to_string).collect();
        write!(
            f,
            "canary {} steps={} interval={}",
            self.version,
            steps.join(","),
            self.interval
        )?;
        if !self.analysis {
            f.write_str(" analysis=off")?;
        }
        if self.limit != 0 {
            write!(f, " limit={}", self.limit)?;
        }
        if self.initial_delay != Dur::default() {
            write!(f, " initial-delay={}", self.initial_delay)?;
        }
        Ok(())
    }
}

impl Metric {
    /// Every metric with its spelling.
    pub const ALL: [(Metric, &'static str); 7] = [
        (Metric::ErrorRate, "error_rate"),
        (Metric::P50, "p50"),
        (Metric::P95, "p95"),
        (Metric::P99, "p99"),
        (Metric::Cpu, "cpu"),
        (Metric::Mem, "mem"),
        (Metric::SessionsLost, "sessions_lost"),
    ];

    /// The spelling in the language.
    pub fn as_str(self) -> &'static str {
        Metric::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("?", |(_, s)| s)
    }

    /// The unit suffix its values are written with.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::ErrorRate | Metric::Cpu | Metric::Mem => "%",
            Metric::P50 | Metric::P95 | Metric::P99 => "ms",
            Metric::SessionsLost => "",
        }
    }
}

impl Op {
    /// Every operator with its spelling, longest first (so `>=` is read before `>`).
    pub const ALL: [(Op, &'static str); 4] =
        [(Op::Ge, ">="), (Op::Le, "<="), (Op::Gt, ">"), (Op::Lt, "<")];

    /// The spelling.
    pub fn as_str(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(o, _)| *o == self)
            .map_or("?", |(_, s)| s)
    }

    /// Whether `a op b`.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
        }
    }
}

impl GuardAction {
    /// Every action with its spelling.
    pub const ALL: [(GuardAction, &'static str); 3] = [
        (GuardAction::Pause, "pause"),
        (GuardAction::Abort, "abort"),
        (GuardAction::Rollback, "rollback"),
    ];

    /// The spelling.
    pub fn as_str(self) -> &'static str {
        GuardAction::ALL
            .iter()
            .find(|(a, _)| *a == self)
            .map_or("?", |(_, s)| s)
    }
}

impl GuardSpec {
    /// The condition the guard watches (what `wait until` can wait for too).
    pub fn watch(&self) -> Watch {
        Watch {
            metric: self.metric,
            op: self.op,
            value: self.value,
            for_: self.for_,
            version: self.version.clone(),
        }
    }
}

impl fmt::Display for GuardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "guard {} -> {}", self.watch(), self.action.as_str())
    }
}

impl Command {
    /// The table name of this command (`deploy`, `wait`, …), for unlock checks and help.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Deploy { .. } => "deploy",
            Command::Drain(_) => "drain",
            Command::Undrain(_) => "undrain",
            Command::Restart(_) => "restart",
            Command::Pause => "pause",
            Command::Resume => "resume",
            Command::Speed(_) => "speed",
            Command::Note(_) => "note",
            Command::Wait(_) => "wait",
            Command::Rolling { .. } => "rolling",
            Command::BlueGreen { .. } => "bluegreen",
            Command::Switch(_) => "switch",
            Command::Delete(_) => "delete",
            Command::Canary(_) => "canary",
            Command::Weight(_) => "weight",
            Command::Promote { .. } | Command::PromoteStaging => "promote",
            Command::Abort => "abort",
            Command::Retry => "retry",
            Command::Rollback => "rollback",
            Command::Shadow(_) => "shadow",
            Command::Guard(_) => "guard",
            Command::Guards => "guards",
            Command::Unguard(_) => "unguard",
            Command::Migrate { .. } => "migrate",
            Command::Sessions(_) => "sessions",
            Command::Sticky(_) => "sticky",
            Command::Probe(_) => "probe",
            Command::Pipeline(_) => "pipeline",
        }
    }

    /// The version this command names (`deploy v2 all`, a guard's `version=v2`, `wait
    /// until all-on v2`), for checking a script against a mission before running it.
    pub fn version(&self) -> Option<&str> {
        let named = match self {
            Command::Deploy { version, .. }
            | Command::Rolling { version, .. }
            | Command::BlueGreen { version }
            | Command::Canary(CanarySpec { version, .. })
            | Command::Shadow(Some(ShadowSpec { version, .. }))
            | Command::Pipeline(version)
            | Command::Guard(GuardSpec {
                version: Some(version),
                ..
            })
            | Command::Wait(Wait::Until {
                cond:
                    Condition::AllOn(version)
                    | Condition::Metric(Watch {
                        version: Some(version),
                        ..
                    }),
                ..
            }) => Some(version),
            _ => None,
        };
        named.map(String::as_str)
    }
}
