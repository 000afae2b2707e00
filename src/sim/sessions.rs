//! Sessions, stickiness, slow start and liveness: how users stay logged in while servers
//! come and go, and how a hung process gets restarted.
//!
//! - In memory (the default): a user's session lives in the memory of the server that
//!   started it, so those users need sticky routing, and they are logged out when that
//!   server stops *or leaves the balancer*: draining lets in-flight requests finish, but a
//!   user re-routed to another server arrives there without a session (an ALB's
//!   deregistration delay and Kubernetes' endpoint removal work the same way).
//! - External store (a cache such as Redis, with its own capacity) or stateless signed
//!   tokens: nothing is lost. Moving to the store is itself a change: new logins go there,
//!   the sessions already in memory stay there until they end (`session_length`).
//! - Sessions last `session_length`, counted in [`COHORTS`] age groups per server: the group
//!   started longest ago ends at each boundary, so "wait until the old sessions are gone" has
//!   an answer.
//! - Sticky: users keep hitting the server they first reached, so a fresh server gets few
//!   requests and load becomes uneven; turning it off with sessions in memory logs those
//!   users out (their next request lands on a server that doesn't know them).
//! - Slow start: a server entering traffic gets a share that ramps up over `slow_start`.
//! - Liveness: a process that stopped answering fails its checks and is restarted;
//!   readiness alone only takes it out of traffic.

use super::apply::{Applied, Rejected};
use super::{Process, SessionMode, Severity, Sim, VersionId};
use crate::command::Probe;
use crate::mission::CheckDepth;
use crate::time::TICKS_PER_SEC;

/// Age groups of sessions per server: a session ends between `length × (1 − 1/COHORTS)` and
/// `length` after it began.
pub const COHORTS: usize = 16;

/// Sessions by age group: one slot per `length / COHORTS` of start time, reused round-robin.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cohorts {
    slots: [f64; COHORTS],
    total: f64,
}

impl Cohorts {
    /// Sessions in all age groups.
    pub fn total(&self) -> f64 {
        self.total
    }

    fn add(&mut self, slot: usize, n: f64) {
        self.slots[slot] += n;
        self.total += n;
    }

    /// The group in `slot` ends (its sessions reached their length).
    fn expire(&mut self, slot: usize) {
        self.total = (self.total - std::mem::take(&mut self.slots[slot])).max(0.0);
    }

    /// Every group, emptied (the sessions move or are lost).
    fn take(&mut self) -> Cohorts {
        std::mem::take(self)
    }

    /// Adds `share` of every group of `other`.
    fn add_share(&mut self, other: &Cohorts, share: f64) {
        for (a, b) in self.slots.iter_mut().zip(&other.slots) {
            *a += b * share;
        }
        self.total += other.total * share;
    }
}

/// A server's users: sessions held in its memory, and sessions kept elsewhere (the store,
/// a signed token) that any server can serve.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sessions {
    pub memory: Cohorts,
    pub elsewhere: Cohorts,
}

impl Sessions {
    /// Users on this server, wherever their session lives.
    pub fn total(&self) -> f64 {
        self.memory.total + self.elsewhere.total
    }
}

/// With stickiness on, this share of a server's traffic follows its pinned users…
const PINNED_SHARE: f64 = 0.8;
/// … and a server entering traffic under slow start gets at least this share at first.
const SLOW_START_FLOOR: f64 = 0.05;

impl Sim {
    /// Seconds of start time one age group covers.
    fn cohort_s(&self) -> u64 {
        (self.traffic.session_length_s() / COHORTS as f64)
            .round()
            .max(1.0) as u64
    }

    /// Whether a new session on a server running `v` is kept in its memory.
    fn keeps_in_memory(&self, v: VersionId) -> bool {
        self.session_mode == SessionMode::Memory && !self.versions[v.0 as usize].spec.stateless
    }

    /// Sessions in steady state at the start (users = rate / requests per user), spread
    /// evenly over the servers and the age groups.
    pub(super) fn seed_sessions(&mut self) {
        let users = self.traffic.rate(0.0) / self.traffic.requests_per_user_s();
        let each = users / self.servers.len().max(1) as f64 / COHORTS as f64;
        for i in 0..self.servers.len() {
            let memory = self.keeps_in_memory(self.servers[i].version);
            let s = &mut self.servers[i].sessions;
            let group = if memory {
                &mut s.memory
            } else {
                &mut s.elsewhere
            };
            for slot in 0..COHORTS {
                group.add(slot, each);
            }
        }
        self.score.add_users(users);
    }

    /// Once a second: new sessions begin with the traffic each server took (one per
    /// requests-per-session arrivals), and the oldest age group ends at its boundary.
    pub(super) fn sessions_second(&mut self) {
        let per_session = self.traffic.requests_per_user_s() * self.traffic.session_length_s();
        let width = self.cohort_s();
        let t = self.tick / TICKS_PER_SEC;
        let slot = ((t / width) % COHORTS as u64) as usize;
        let boundary = t.is_multiple_of(width);
        let in_memory_before = if boundary {
            self.sessions_in_memory()
        } else {
            0.0
        };
        let mut started = 0.0;
        for i in 0..self.servers.len() {
            let memory = self.keeps_in_memory(self.servers[i].version);
            let s = &mut self.servers[i];
            if boundary {
                s.sessions.memory.expire(slot);
                s.sessions.elsewhere.expire(slot);
            }
            if !s.process.is_running() {
                continue;
            }
            let new = s.sec.arrived as f64 / per_session.max(1e-9);
            started += new;
            let group = if memory {
                &mut s.sessions.memory
            } else {
                &mut s.sessions.elsewhere
            };
            group.add(slot, new);
        }
        self.score.add_users(started);
        if boundary
            && in_memory_before >= 0.5
            && self.sessions_in_memory() < 0.5
            && self.session_mode == SessionMode::External
        {
            self.push_event(
                Severity::Info,
                "⚙ the last sessions in server memory have ended: a restart logs nobody out now"
                    .to_string(),
            );
        }
    }

    /// Users whose session lives in some server's memory.
    pub fn sessions_in_memory(&self) -> f64 {
        self.servers.iter().map(|s| s.sessions.memory.total()).sum()
    }

    /// When the last session now in memory ends, if no server stops first (seconds).
    pub fn memory_sessions_end_s(&self) -> Option<u64> {
        if self.sessions_in_memory() < 0.5 {
            return None;
        }
        let width = self.cohort_s();
        let t = self.tick / TICKS_PER_SEC;
        // The group being filled now ends when its slot comes round again.
        Some((t / width + COHORTS as u64) * width)
    }

    /// Server `i` stops or leaves the balancer: the users whose session was in its memory
    /// are logged out (their next request lands on a server that doesn't know them), and
    /// the sessions kept elsewhere follow their users to the servers in traffic.
    pub(super) fn release_sessions(&mut self, i: usize) {
        let lost = self.servers[i].sessions.memory.take().total();
        if lost > 0.0 {
            self.logout_owed += lost;
            self.score.lose_sessions(lost);
        }
        let moving = self.servers[i].sessions.elsewhere.take();
        let targets = self
            .servers
            .iter()
            .enumerate()
            .filter(|(j, s)| *j != i && s.in_rotation())
            .count();
        if targets == 0 {
            // Nobody to serve them yet: they wait in the store for the next server.
            self.servers[i].sessions.elsewhere = moving;
            return;
        }
        let share = 1.0 / targets as f64;
        for (j, s) in self.servers.iter_mut().enumerate() {
            if j != i && s.in_rotation() {
                s.sessions.elsewhere.add_share(&moving, share);
            }
        }
    }

    /// Logs out every session held in memory (the app stopped finding them there).
    fn lose_memory_sessions(&mut self) -> f64 {
        let mut lost = 0.0;
        for s in &mut self.servers {
            lost += s.sessions.memory.take().total();
        }
        if lost > 0.0 {
            self.logout_owed += lost;
            self.score.lose_sessions(lost);
        }
        lost
    }

    /// Where sessions live now.
    pub fn session_mode(&self) -> SessionMode {
        self.session_mode
    }

    /// Whether sticky sessions are on.
    pub fn is_sticky(&self) -> bool {
        self.sticky
    }

    /// `sessions memory|external`.
    pub(super) fn set_sessions(&mut self, mode: SessionMode) -> Result<Applied, Rejected> {
        if self.mission.fleet.sessions == crate::mission::Sessions::Stateless {
            return Err(Rejected::NotNow(
                "this app keeps no session state (signed tokens): there is nothing to move"
                    .to_string(),
            ));
        }
        if mode == self.session_mode {
            return Err(Rejected::NotNow(format!(
                "sessions are already {}",
                mode_name(mode)
            )));
        }
        if mode == SessionMode::External && self.mission.fleet.session_store_rps.is_none() {
            return Err(Rejected::NotNow(
                "this mission has no external session store to move sessions to".to_string(),
            ));
        }
        self.session_mode = mode;
        let mut warning = None;
        let text = match mode {
            SessionMode::External => match self.memory_sessions_end_s() {
                Some(end) => {
                    let end = crate::time::clock(end as f64);
                    // Short enough for an 80-column log; the warning says what it means.
                    warning = Some(format!(
                        "a server stopped or drained before {end} still logs its users out"
                    ));
                    format!(
                        "new logins → store; {:.0} sessions stay in memory until {end}",
                        self.sessions_in_memory()
                    )
                }
                None => format!(
                    "sessions now live in the external store ({:.0} req/s): restarts log nobody out",
                    self.mission.fleet.session_store_rps.unwrap_or(0.0)
                ),
            },
            SessionMode::Memory => {
                // The app no longer looks in the store: those users are logged out.
                let mut lost = 0.0;
                for i in 0..self.servers.len() {
                    if !self.versions[self.servers[i].version.0 as usize]
                        .spec
                        .stateless
                    {
                        lost += self.servers[i].sessions.elsewhere.take().total();
                    }
                }
                if lost > 0.0 {
                    self.logout_owed += lost;
                    self.score.lose_sessions(lost);
                }
                let gone = if lost >= 0.5 {
                    format!(" ({lost:.0} sessions in the store are no longer read: logged out)")
                } else {
                    String::new()
                };
                format!(
                    "new sessions live in server memory: a server that stops or leaves the balancer logs its users out{gone}"
                )
            }
        };
        self.push_event(Severity::Info, format!("⚙ {text}"));
        if let Some(w) = warning {
            self.push_event(Severity::Warn, w);
        }
        Ok(Applied(text))
    }

    /// `sticky on|off`.
    pub(super) fn set_sticky(&mut self, on: bool) -> Result<Applied, Rejected> {
        if on == self.sticky {
            return Err(Rejected::NotNow(format!(
                "sticky sessions are already {}",
                if on { "on" } else { "off" }
            )));
        }
        self.sticky = on;
        let text = if on {
            "sticky sessions on: users stay on their server (watch for uneven load)".to_string()
        } else {
            let lost = self.lose_memory_sessions();
            if lost >= 0.5 {
                format!(
                    "sticky sessions off: every request goes to any healthy server, and the {lost:.0} users whose session was in a server's memory are logged out"
                )
            } else {
                "sticky sessions off: every request goes to any healthy server".to_string()
            }
        };
        self.push_event(Severity::Info, format!("⚙ {text}"));
        Ok(Applied(text))
    }

    /// `probe readiness shallow|deep`, `probe startup on|off`.
    pub(super) fn set_probe(&mut self, probe: Probe) -> Result<Applied, Rejected> {
        let text = match probe {
            Probe::Readiness(depth) => {
                if depth == self.readiness {
                    return Err(Rejected::NotNow(format!(
                        "the readiness check is already {}",
                        depth_name(depth)
                    )));
                }
                self.readiness = depth;
                match depth {
                    CheckDepth::Deep => "readiness is deep from the next check: a server that can't reach the database (or is short of memory) leaves traffic, and so does every server at once if the database itself stalls".to_string(),
                    CheckDepth::Shallow => "readiness is shallow from the next check: a server that answers stays in traffic".to_string(),
                }
            }
            Probe::Startup(on) => {
                if on == self.startup_check {
                    return Err(Rejected::NotNow(format!(
                        "the startup check is already {}",
                        if on { "on" } else { "off" }
                    )));
                }
                self.startup_check = on;
                if on {
                    "startup check on for servers starting from now: each validates its configuration and connects to the database once before it may go ready".to_string()
                } else {
                    "startup check off for servers starting from now".to_string()
                }
            }
        };
        self.push_event(Severity::Info, format!("⚙ {text}"));
        Ok(Applied(text))
    }

    /// What the readiness check asks now.
    pub fn readiness(&self) -> CheckDepth {
        self.readiness
    }

    /// Whether servers starting now run a startup check.
    pub fn startup_check(&self) -> bool {
        self.startup_check
    }

    /// One liveness check of server `i`: a hung process is restarted after the threshold.
    pub(super) fn liveness_check(&mut self, i: usize) {
        let Some(limit) = self
            .mission
            .fleet
            .health
            .liveness
            .as_ref()
            .map(|l| l.failure_threshold)
        else {
            return;
        };
        let s = &mut self.servers[i];
        if !s.process.is_running() {
            return;
        }
        if !s.hung {
            s.live_fails = 0;
            return;
        }
        s.live_fails += 1;
        if s.live_fails < limit {
            return;
        }
        let name = s.name.clone();
        self.stop_process(i);
        let boot = self.mission.fleet.timings.boot.ticks();
        self.servers[i].process = Process::Booting {
            until: self.tick + boot,
        };
        self.push_event(
            Severity::Warn,
            format!("liveness: {name} stopped answering ({limit} checks failed) → restarted"),
        );
    }

    /// Each server's routing weight for the coming second (slow start, stickiness).
    pub(super) fn route_weights(&mut self) {
        let slow = self.mission.fleet.slow_start.ticks();
        let (mut sum, mut n) = (0.0, 0u32);
        for s in self.servers.iter().filter(|s| s.in_rotation()) {
            sum += s.sessions.total();
            n += 1;
        }
        let mean = if n > 0 { sum / f64::from(n) } else { 0.0 };
        for s in &mut self.servers {
            let mut w = 1.0;
            if slow > 0
                && !s.warm_at_start
                && let Some(ready) = s.ready_since
            {
                let ramp = (self.tick.saturating_sub(ready)) as f64 / slow as f64;
                if ramp < 1.0 {
                    w *= ramp.max(SLOW_START_FLOOR);
                }
            }
            if self.sticky && mean > 0.0 {
                w *= (1.0 - PINNED_SHARE) + PINNED_SHARE * s.sessions.total() / mean;
            }
            s.route_weight = w;
        }
    }

    /// Share of requests the external session store fails when it is overloaded.
    pub(super) fn store_errors(&self) -> f64 {
        if self.session_mode != SessionMode::External {
            return 0.0;
        }
        let capacity = self
            .mission
            .fleet
            .session_store_rps
            .unwrap_or(f64::INFINITY);
        let load = self.history.last().map_or(0.0, |m| m.arrived as f64);
        if load > capacity && load > 0.0 {
            1.0 - capacity / load
        } else {
            0.0
        }
    }
}

fn depth_name(depth: CheckDepth) -> &'static str {
    match depth {
        CheckDepth::Shallow => "shallow",
        CheckDepth::Deep => "deep",
    }
}

fn mode_name(mode: SessionMode) -> &'static str {
    match mode {
        SessionMode::Memory => "in server memory",
        SessionMode::External => "in the external store",
    }
}
