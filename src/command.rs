//! The one command language: what the console, script files, replays and tests all speak.
//!
//! A `Command` is player intent as data. Text becomes a `Command` through the table in
//! `command/table.rs` (name, aliases, usage, one-line doc, parser), so completion, help and
//! error messages all come from one place. `Display` writes the canonical text back, and
//! parsing that text gives the same command again. Nothing here knows the fleet: targets
//! are names, resolved (or refused) by the simulation.

use std::fmt;

use crate::time::Dur;

mod parse;
mod script;
mod suggest;
mod table;
mod values;
mod wait;

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

/// Something a script can wait for.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every target is in service (running, healthy, in traffic).
    Ready(Targets),
    /// Every target has finished draining (out of traffic, nothing in flight).
    Drained(Targets),
    /// Every server runs `version` and is in service.
    AllOn(String),
    /// No server is changing state (no drain, deploy, boot or health check pending).
    Idle,
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
            Command::Wait(Wait::For(d)) => write!(f, "wait {d}"),
            Command::Wait(Wait::Until { cond, timeout }) => {
                if *timeout == DEFAULT_WAIT_TIMEOUT {
                    write!(f, "wait until {cond}")
                } else {
                    write!(f, "wait until {cond} timeout={timeout}")
                }
            }
        }
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
            Command::Wait(_) => "wait",
        }
    }
}
