//! What a mission lets the player do: its commands (the primitives and what it unlocks),
//! versions and migrations, so a script can be checked against it before it runs.

use super::Mission;
use crate::command::{Command, Script};

/// Commands every mission allows.
pub const PRIMITIVES: &[&str] = &[
    "deploy", "drain", "undrain", "restart", "pause", "resume", "speed", "wait", "note",
];

/// A script line this mission would refuse whatever the fleet's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfit {
    /// 1-based line of the script.
    pub line: usize,
    pub message: String,
}

impl Mission {
    /// Whether this mission allows the command named `name` (a primitive or unlocked).
    pub fn allows(&self, name: &str) -> bool {
        PRIMITIVES.contains(&name) || self.unlocks.iter().any(|u| u == name)
    }

    /// The commands this mission allows, in the order of the command table.
    pub fn allowed_commands(&self) -> impl Iterator<Item = &'static crate::command::CommandSpec> {
        crate::command::COMMANDS
            .iter()
            .filter(|spec| self.allows(spec.name))
    }

    /// Why `command` would be refused in this mission whatever the fleet's state: a
    /// command it has not unlocked, a version or migration it does not have.
    pub fn unfit(&self, command: &Command) -> Option<String> {
        let name = command.name();
        if !self.allows(name) {
            return Some(format!(
                "`{name}` is not available in this mission (it allows: {})",
                self.allowed_commands()
                    .map(|s| s.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(v) = command.version()
            && !self.versions.contains_key(v)
        {
            return Some(format!(
                "no version `{v}` in this mission (it has: {})",
                self.versions.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if let Command::Migrate { name, .. } = command
            && !self.database.migrations.contains_key(name)
        {
            let known: Vec<&str> = self
                .database
                .migrations
                .keys()
                .map(String::as_str)
                .collect();
            return Some(if known.is_empty() {
                format!("no migration `{name}`: this mission has none")
            } else {
                format!("no migration `{name}` (it has: {})", known.join(", "))
            });
        }
        None
    }

    /// Every line of `script` this mission would refuse whatever the fleet's state.
    pub fn unfit_lines(&self, script: &Script) -> Vec<Unfit> {
        script
            .lines
            .iter()
            .filter_map(|l| {
                self.unfit(&l.command).map(|message| Unfit {
                    line: l.line,
                    message,
                })
            })
            .collect()
    }
}
