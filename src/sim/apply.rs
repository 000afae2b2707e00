//! Commands entering the world: validated here, applied at the tick boundary, recorded.
//!
//! A refusal is a value (`Rejected`) with a reason the player can act on, never a panic
//! and never a silent no-op.

use std::fmt;

use super::{Lb, Process, Severity, Sim, VersionId};
use crate::command::{Command, Target, Targets, suggest};

/// What an accepted command did, in words for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied(pub String);

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// The mission has not unlocked this command.
    Locked(String),
    /// No such version in this mission.
    UnknownVersion { name: String, hint: Option<String> },
    /// No such server or pool.
    UnknownTarget { name: String, hint: Option<String> },
    /// A range whose ends are out of order.
    BadRange(String),
    /// The command makes no sense in the current state.
    NotNow(String),
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hint = |h: &Option<String>| {
            h.as_ref()
                .map(|h| format!(" (did you mean `{h}`?)"))
                .unwrap_or_default()
        };
        match self {
            Rejected::Locked(c) => write!(f, "`{c}` is not available in this mission yet"),
            Rejected::UnknownVersion { name, hint: h } => {
                write!(f, "no version `{name}` in this mission{}", hint(h))
            }
            Rejected::UnknownTarget { name, hint: h } => {
                write!(f, "no server or pool `{name}`{}", hint(h))
            }
            Rejected::BadRange(r) => write!(f, "bad range `{r}`: the first server must come first"),
            Rejected::NotNow(why) => f.write_str(why),
        }
    }
}

impl Sim {
    /// Applies a command now (at the current tick boundary) and records it in the command
    /// log, accepted or refused: replaying the log repeats both, event for event.
    pub fn apply(&mut self, cmd: &Command) -> Result<Applied, Rejected> {
        if self.command_log.len() >= crate::command::MAX_COMMANDS {
            // Not recorded: the report must stay one `replay` and the scoreboard accept.
            return Err(Rejected::NotNow(format!(
                "this run has recorded {} commands, as many as a report holds",
                crate::command::MAX_COMMANDS
            )));
        }
        self.command_log.push((self.tick, cmd.clone()));
        let result = self.perform(cmd);
        if let Err(why) = &result {
            self.push_event(Severity::Warn, format!("refused `{cmd}`: {why}"));
        }
        result
    }

    /// `apply`, on behalf of someone other than the player at the keyboard (`"by the
    /// plan"`): the events say who stopped or rolled back the release.
    pub fn apply_by(&mut self, cmd: &Command, actor: &'static str) -> Result<Applied, Rejected> {
        let player = std::mem::replace(&mut self.actor, actor);
        let result = self.apply(cmd);
        self.actor = player;
        result
    }

    /// Applies a command without recording it: for commands the sim gives itself (the
    /// pipeline's production step), which a replay regenerates.
    pub(super) fn perform(&mut self, cmd: &Command) -> Result<Applied, Rejected> {
        self.gate_follow_up(cmd)?;
        let against = self.acted_against(cmd);
        let pending = self.rules_before(cmd);
        let result = self.dispatch(cmd);
        if result.is_ok() {
            self.rules_after(cmd, pending);
            // Listings, notes, waits, speed and guard bookkeeping change nothing users see.
            let acting = !matches!(
                cmd,
                Command::Speed(_)
                    | Command::Wait(_)
                    | Command::Note(_)
                    | Command::Guards
                    | Command::Guard(_)
                    | Command::Unguard(_)
            );
            self.record_stop(&against, acting);
            if matches!(
                cmd,
                Command::Deploy { .. }
                    | Command::Rolling { .. }
                    | Command::BlueGreen { .. }
                    | Command::Canary(_)
            ) {
                self.score.note_deploy(self.tick);
            }
        }
        result
    }

    /// Whether this mission allows the command named `name` (a primitive or unlocked): the
    /// UI offers only advice and keys the player can follow.
    pub fn allows(&self, name: &str) -> bool {
        self.mission.allows(name)
    }

    /// Every command given, accepted or refused, with the tick it applied at: a replay.
    pub fn command_log(&self) -> &[(u64, Command)] {
        &self.command_log
    }

    fn dispatch(&mut self, cmd: &Command) -> Result<Applied, Rejected> {
        let name = cmd.name();
        if !self.allows(name) {
            return Err(Rejected::Locked(name.to_string()));
        }
        match cmd {
            Command::Deploy { version, targets } => self.deploy(version, targets),
            Command::Drain(t) => self.drain(t),
            Command::Undrain(t) => self.undrain(t),
            Command::Restart(t) => self.restart(t),
            Command::Pause => self.pause_rollout("paused by you"),
            Command::Resume => self.resume_rollout(),
            Command::Speed(n) => Ok(Applied(format!("clock speed {n}×"))),
            Command::Note(text) => {
                self.push_event(Severity::Info, format!("note: {text}"));
                Ok(Applied("noted in the log".into()))
            }
            Command::Wait(_) => Err(Rejected::NotNow(
                "`wait` is for scripts; in the game, let the clock run".to_string(),
            )),
            Command::Rolling { version, mode } => self.start_rolling(version, mode),
            Command::BlueGreen { version } => self.start_bluegreen(version),
            Command::Switch(pool) => self.switch(pool),
            Command::Delete(pool) => self.delete_pool(pool),
            Command::Canary(spec) => self.start_canary(spec),
            Command::Weight(w) => self.set_weight(*w),
            Command::Promote { full } => self.promote(*full),
            Command::Abort => self.abort_rollout(self.actor),
            Command::Retry => self.retry(),
            Command::Rollback => self.rollback(self.actor),
            Command::Shadow(spec) => self.set_shadow(spec.as_ref()),
            Command::Guard(spec) => self.add_guard(spec),
            Command::Guards => Ok(self.list_guards()),
            Command::Unguard(id) => self.remove_guard(*id),
            Command::Migrate { name, throttle } => self.start_migration(name, *throttle),
            Command::Sessions(mode) => self.set_sessions(*mode),
            Command::Sticky(on) => self.set_sticky(*on),
            Command::Probe(p) => self.set_probe(*p),
            Command::Pipeline(version) => self.run_pipeline(version),
            Command::PromoteStaging => self.promote_staging(),
        }
    }

    fn deploy(&mut self, version: &str, targets: &Targets) -> Result<Applied, Rejected> {
        let vid = self.find_version(version)?;
        let idx = self.resolve(targets)?;
        Ok(Applied(self.deploy_indices(&idx, vid)))
    }

    /// Installs `vid` on the servers `idx` (stopping them at once) and logs it.
    pub(super) fn deploy_indices(&mut self, idx: &[usize], vid: VersionId) -> String {
        let until = self.tick + self.mission.fleet.timings.deploy.ticks();
        let mut cut = 0;
        for &i in idx {
            if self.servers[i].in_rotation() && self.servers[i].process.is_running() {
                cut += 1;
            }
            self.stop_process(i);
            let s = &mut self.servers[i];
            s.version = vid;
            s.process = Process::Deploying { until };
            s.check_fails = 0;
            if s.lb != Lb::Registered {
                // Re-registered as a new target: no traffic until it passes its checks.
                s.lb = Lb::Registered;
                s.healthy = false;
            }
        }
        let version = self.version_name(vid).to_string();
        let what = format!("deploying {version} on {}", list(&self.names(idx)));
        let (severity, text) = if cut > 0 {
            let warn = format!(
                "{what} — {cut} still in traffic: their requests fail until health checks notice"
            );
            (Severity::Warn, warn)
        } else {
            (Severity::Info, what)
        };
        self.push_event(severity, format!("↻ {text}"));
        text
    }

    fn drain(&mut self, targets: &Targets) -> Result<Applied, Rejected> {
        let idx = self.resolve(targets)?;
        let eligible: Vec<usize> = idx
            .into_iter()
            .filter(|&i| self.servers[i].lb == Lb::Registered)
            .collect();
        if eligible.is_empty() {
            return Err(Rejected::NotNow(
                "none of those servers is in the balancer (already draining or drained)".into(),
            ));
        }
        Ok(Applied(self.drain_indices(&eligible)))
    }

    /// Starts draining the servers `idx` (which must be registered) and logs it.
    pub(super) fn drain_indices(&mut self, idx: &[usize]) -> String {
        let until = self.tick + self.mission.fleet.timings.drain.ticks();
        for &i in idx {
            self.servers[i].lb = Lb::Draining { until };
        }
        let text = format!("draining {}", list(&self.names(idx)));
        self.push_event(Severity::Info, format!("◌ {text}"));
        text
    }

    fn undrain(&mut self, targets: &Targets) -> Result<Applied, Rejected> {
        let idx = self.resolve(targets)?;
        let eligible: Vec<usize> = idx
            .into_iter()
            .filter(|&i| self.servers[i].lb != Lb::Registered)
            .collect();
        if eligible.is_empty() {
            return Err(Rejected::NotNow(
                "those servers are already in the balancer".to_string(),
            ));
        }
        for &i in &eligible {
            let s = &mut self.servers[i];
            s.lb = Lb::Registered;
            s.healthy = s.process.is_running();
            s.ready_since = s.healthy.then_some(self.tick);
        }
        let text = format!("back into traffic: {}", list(&self.names(&eligible)));
        self.push_event(Severity::Info, format!("✚ {text}"));
        Ok(Applied(text))
    }

    fn restart(&mut self, targets: &Targets) -> Result<Applied, Rejected> {
        let idx = self.resolve(targets)?;
        let boot = self.tick + self.mission.fleet.timings.boot.ticks();
        for &i in &idx {
            self.stop_process(i);
            self.servers[i].process = Process::Booting { until: boot };
        }
        let text = format!("restarting {}", list(&self.names(&idx)));
        self.push_event(Severity::Info, format!("↻ {text}"));
        Ok(Applied(text))
    }

    pub(super) fn find_version(&self, name: &str) -> Result<VersionId, Rejected> {
        self.versions
            .iter()
            .position(|v| v.name == name)
            .map(|i| VersionId(i as u16))
            .ok_or_else(|| Rejected::UnknownVersion {
                name: name.to_string(),
                hint: suggest(name, self.versions.iter().map(|v| v.name.as_str()))
                    .map(str::to_string),
            })
    }

    pub(super) fn names(&self, idx: &[usize]) -> Vec<&str> {
        idx.iter().map(|&i| self.servers[i].name.as_str()).collect()
    }

    /// Server indices named by `targets`, in fleet order without repeats.
    pub fn resolve(&self, targets: &Targets) -> Result<Vec<usize>, Rejected> {
        let mut picked = vec![false; self.servers.len()];
        for t in &targets.0 {
            match t {
                Target::All => picked.iter_mut().for_each(|p| *p = true),
                Target::Name(n) => {
                    if let Some(i) = self.server_index(n) {
                        picked[i] = true;
                    } else if let Some(p) = self.pool_index(n) {
                        for (i, s) in self.servers.iter().enumerate() {
                            picked[i] |= s.pool == p;
                        }
                    } else if let Some(v) = self.versions.iter().position(|v| v.name == *n) {
                        // `drain v5`: the servers running v5 for users, as a player sees them
                        // on the fleet panel (a mirror or preview pool is named by its pool).
                        for (i, s) in self.servers.iter().enumerate() {
                            picked[i] |= s.version.0 as usize == v
                                && self.pools[s.pool as usize].role == super::PoolRole::Live;
                        }
                    } else {
                        return Err(self.unknown_target(n));
                    }
                }
                Target::Range(a, b) => {
                    let ia = self.server_index(a).ok_or_else(|| self.unknown_target(a))?;
                    let ib = self.server_index(b).ok_or_else(|| self.unknown_target(b))?;
                    if ia > ib {
                        return Err(Rejected::BadRange(format!("{a}..{b}")));
                    }
                    picked[ia..=ib].iter_mut().for_each(|p| *p = true);
                }
            }
        }
        Ok((0..picked.len()).filter(|&i| picked[i]).collect())
    }

    /// Like `resolve`, but unknown names select nothing (for conditions).
    pub(super) fn resolve_lenient(&self, targets: &Targets) -> Vec<usize> {
        self.resolve(targets).unwrap_or_default()
    }

    pub(super) fn server_index(&self, name: &str) -> Option<usize> {
        self.servers.iter().position(|s| s.name == name)
    }

    pub(super) fn unknown_target(&self, name: &str) -> Rejected {
        let candidates = self
            .servers
            .iter()
            .map(|s| s.name.as_str())
            .chain(self.pools().iter().map(|p| p.name.as_str()));
        Rejected::UnknownTarget {
            name: name.to_string(),
            hint: suggest(name, candidates).map(str::to_string),
        }
    }
}

/// `web-01, web-02, web-03` or `web-01 … web-20 (20 servers)` when long.
pub(super) fn list(names: &[&str]) -> String {
    match names {
        [] => "no servers".to_string(),
        [one] => (*one).to_string(),
        _ if names.len() <= 4 => names.join(", "),
        [first, .., last] => format!("{first} … {last} ({} servers)", names.len()),
    }
}
