//! Sessions, stickiness, slow start and liveness: how users stay logged in while servers
//! come and go, and how a hung process gets restarted.
//!
//! - In memory (default): a process that stops with sessions logs those users out; draining
//!   first re-pins them to the servers in traffic. An external store (a cache such as
//!   Redis, with its own capacity) or a stateless version loses nothing.
//! - Sticky: users keep hitting the server they first reached, so a fresh server gets few
//!   requests and load becomes uneven; when their server leaves, they are re-pinned.
//! - Slow start: a server entering traffic gets a share that ramps up over `slow_start`.
//! - Liveness: a process that stopped answering fails its checks and is restarted;
//!   readiness alone only takes it out of traffic.

use super::apply::{Applied, Rejected};
use super::{Process, SessionMode, Severity, Sim};

/// With stickiness on, this share of a server's traffic follows its pinned users…
const PINNED_SHARE: f64 = 0.8;
/// … and a server entering traffic under slow start gets at least this share at first.
const SLOW_START_FLOOR: f64 = 0.05;

impl Sim {
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
        let text = match mode {
            SessionMode::External => format!(
                "sessions now live in the external store ({:.0} req/s): restarts log nobody out",
                self.mission.fleet.session_store_rps.unwrap_or(0.0)
            ),
            SessionMode::Memory => {
                "sessions now live in server memory: a server that stops logs its users out"
                    .to_string()
            }
        };
        self.push_event(Severity::Info, format!("⚙ {text}"));
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
            "sticky sessions on: users stay on their server (watch for uneven load)"
        } else {
            "sticky sessions off: every request goes to any healthy server"
        };
        self.push_event(Severity::Info, format!("⚙ {text}"));
        Ok(Applied(text.to_string()))
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
            sum += s.sessions;
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
                w *= (1.0 - PINNED_SHARE) + PINNED_SHARE * s.sessions / mean;
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

fn mode_name(mode: SessionMode) -> &'static str {
    match mode {
        SessionMode::Memory => "in server memory",
        SessionMode::External => "in the external store",
    }
}
