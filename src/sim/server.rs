//! One app server: its process lifecycle, its place in the load balancer, its queue.
//!
//! The process and the balancer are separate on purpose, as in real life: a process that
//! stops still receives traffic until the balancer's health checks notice, which is why a
//! professional drains a server before touching it.

pub use super::sessions::Sessions;

/// Index of a server in the fleet (stable for the whole run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerId(pub u32);

/// Index of a version in the mission's version table (sorted by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionId(pub u16);

/// What the server's process is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// Running and answering since `since` (tick).
    Running { since: u64 },
    /// Installing a version until `until`.
    Deploying { until: u64 },
    /// Starting until `until`.
    Booting { until: u64 },
    /// Crashed (OOM kill, failed start); restarts at `restart_at`.
    Crashed { restart_at: u64 },
}

impl Process {
    /// Whether the process answers requests.
    pub fn is_running(self) -> bool {
        matches!(self, Process::Running { .. })
    }
}

/// The server's standing with the load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lb {
    /// Registered: health-checked, and in traffic while `healthy`.
    Registered,
    /// Taken out of traffic, finishing in-flight requests until `until`.
    Draining { until: u64 },
    /// Out of the balancer: no traffic, no health checks.
    Deregistered,
}

/// A summary state for screens, logs and conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServerState {
    /// Running, healthy, in traffic.
    InService,
    /// In traffic but its process is not answering (the balancer has not noticed yet).
    Failing,
    /// Running and registered, waiting to pass health checks.
    Pending,
    /// Running, out of traffic after failing health checks.
    Unhealthy,
    /// Out of traffic, finishing in-flight requests.
    Draining,
    /// Out of traffic, idle.
    Drained,
    /// Installing a version.
    Deploying,
    /// Process starting.
    Booting,
    /// Crashed, waiting to restart.
    Crashed,
}

impl ServerState {
    /// A short lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerState::InService => "in service",
            ServerState::Failing => "failing",
            ServerState::Pending => "health check",
            ServerState::Unhealthy => "unhealthy",
            ServerState::Draining => "draining",
            ServerState::Drained => "drained",
            ServerState::Deploying => "deploying",
            ServerState::Booting => "booting",
            ServerState::Crashed => "crashed",
        }
    }

    /// A glyph for the fleet map.
    pub fn glyph(self) -> char {
        match self {
            ServerState::InService => '■',
            ServerState::Failing => '⊘',
            ServerState::Pending => '✚',
            ServerState::Unhealthy => '!',
            ServerState::Draining => '◌',
            ServerState::Drained => '○',
            ServerState::Deploying | ServerState::Booting => '↻',
            ServerState::Crashed => '✖',
        }
    }

    /// Whether the server is between steady states.
    pub fn is_transition(self) -> bool {
        !matches!(
            self,
            ServerState::InService | ServerState::Drained | ServerState::Unhealthy
        )
    }
}

/// One app server.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: String,
    /// Index into the mission's pools.
    pub pool: u16,
    /// The version installed (or being installed).
    pub version: VersionId,
    pub process: Process,
    pub lb: Lb,
    /// The balancer's view: sends traffic while registered and healthy.
    pub healthy: bool,
    /// Consecutive failed health checks.
    pub check_fails: u32,
    /// Consecutive passed health checks.
    pub check_passes: u32,
    /// Requests queued or in service.
    pub queue: u64,
    /// Fractional service capacity carried between ticks.
    pub credit: f64,
    /// Fractional failures carried between ticks (so a 1 % error rate fails exactly 1 %).
    pub fail_carry: f64,
    /// Memory in use, MB.
    pub memory_mb: f64,
    /// Sessions of the users this server holds: in its memory (lost when the server stops or
    /// leaves the balancer) and kept elsewhere (the store, signed tokens: never lost).
    pub sessions: Sessions,
    /// Crashes in a row (for crash-loop back-off); reset after a healthy minute.
    pub crash_streak: u32,
    /// Requests per tick it can complete right now (set once a second).
    pub cap_per_tick: f64,
    /// Requests it holds before the newest would wait past the timeout (set once a second).
    pub max_queue: u64,
    /// Share of completed requests that fail right now (set once a second).
    pub error_rate: f64,
    /// Mean latency of a request right now, ms (set once a second).
    pub latency_ms: f64,
    /// Whether a defect is active right now (set once a second).
    pub defect_active: bool,
    /// CPU utilisation last second, 0..1.
    pub cpu: f64,
    /// Counters for the current second.
    pub sec: SecondCounters,
    /// Running since before the mission started, caches warm (false after any restart).
    pub warm_at_start: bool,
    /// Tick since which it has been healthy and running (for `min-ready`), if it is.
    pub ready_since: Option<u64>,
    /// Has served real user requests (live or mirrored) since it last started.
    pub real_traffic: bool,
    /// Being taken away by a rollout: removed once drained.
    pub retiring: bool,
    /// Requests that arrived in the last full second.
    pub last_arrived: u64,
    /// The process runs but stopped answering (set once a second).
    pub hung: bool,
    /// How cold its caches are, 1 just after start to 0 once warm (set once a second).
    pub cold: f64,
    /// Consecutive failed liveness checks.
    pub live_fails: u32,
    /// Share of its pool's traffic relative to a normal server (slow start, stickiness;
    /// set once a second). 1.0 normally.
    pub route_weight: f64,
}

/// A server's request counts within the current game-second.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecondCounters {
    pub arrived: u64,
    pub ok: u64,
    pub failed: u64,
    /// Of `failed`, those that waited until the timeout.
    pub timed_out: u64,
}

impl Server {
    /// A server running `version` in traffic since tick 0.
    pub fn new(name: String, pool: u16, version: VersionId, base_memory_mb: f64) -> Self {
        Self {
            name,
            pool,
            version,
            process: Process::Running { since: 0 },
            lb: Lb::Registered,
            healthy: true,
            check_fails: 0,
            check_passes: 0,
            queue: 0,
            credit: 0.0,
            fail_carry: 0.0,
            memory_mb: base_memory_mb,
            sessions: Sessions::default(),
            crash_streak: 0,
            cap_per_tick: 0.0,
            max_queue: 1,
            error_rate: 0.0,
            latency_ms: 0.0,
            defect_active: false,
            cpu: 0.0,
            sec: SecondCounters::default(),
            warm_at_start: true,
            ready_since: Some(0),
            real_traffic: true,
            retiring: false,
            last_arrived: 0,
            hung: false,
            cold: 0.0,
            live_fails: 0,
            route_weight: 1.0,
        }
    }

    /// Whether it has been in service for at least `min_ready` ticks at `tick`.
    pub fn is_available(&self, tick: u64, min_ready: u64) -> bool {
        self.state() == ServerState::InService
            && self.ready_since.is_some_and(|r| tick >= r + min_ready)
    }

    /// Whether the balancer sends this server traffic.
    pub fn in_rotation(&self) -> bool {
        self.healthy && self.lb == Lb::Registered
    }

    /// The summary state.
    pub fn state(&self) -> ServerState {
        match (self.process, self.lb) {
            (Process::Running { .. }, Lb::Registered) if self.healthy => ServerState::InService,
            (_, Lb::Registered) if self.healthy => ServerState::Failing,
            (_, Lb::Draining { .. }) => ServerState::Draining,
            (Process::Deploying { .. }, _) => ServerState::Deploying,
            (Process::Booting { .. }, _) => ServerState::Booting,
            (Process::Crashed { .. }, _) => ServerState::Crashed,
            (Process::Running { .. }, Lb::Deregistered) => ServerState::Drained,
            (Process::Running { .. }, Lb::Registered) => {
                if self.check_fails > 0 {
                    ServerState::Unhealthy
                } else {
                    ServerState::Pending
                }
            }
        }
    }
}
