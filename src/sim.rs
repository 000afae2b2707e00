//! The simulation core: a live fleet serving users, advanced one fixed tick at a time.
//!
//! Pure and deterministic: no terminal, no async, no wall clock, no file I/O, no global
//! RNG. `Sim::new(&mission, seed)`, `sim.apply(&command)`, `sim.step()`. The same mission,
//! seed and commands at the same ticks give bit-identical metrics, events and score.
//!
//! Per tick (100 ms): lifecycle timers and staggered health checks, then arrivals, routed
//! by the balancer to healthy servers, each server serving its queue. Per game-second:
//! CPU, memory (leaks, OOM kills), sessions, latency mixtures, metrics, score.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::command::{Condition, SessionMode};
use crate::mission::{CheckDepth, Mission, Version};
use crate::time::{TICK_MS, TICKS_PER_SEC};

mod alerts;
mod apply;
mod database;
mod events;
mod fleet;
mod guards;
mod latency;
mod metrics;
mod pipeline;
mod release;
mod rollout;
mod rules;
mod score;
mod second;
mod server;
mod sessions;
mod shadow;
mod traffic;
mod variation;
mod waits;

pub use apply::{Applied, Rejected};
pub use database::{ColumnData, DbState, RunningMigration, WrongRead};
pub use events::{Event, EventLog, Severity};
pub use fleet::{Mirror, MirrorSource, Pool, PoolRole, Split};
pub use guards::Guard;
pub use latency::Mixture;
pub use metrics::{History, SecondMetrics, VersionSecond};
pub use pipeline::{PipelineRun, STAGES, StageState};
pub use release::{ReleaseState, Ticket};
pub use rollout::{Phase, Rollout, Strategy};
pub use rules::RuleState;
pub use score::{
    Act, Cost, Grade, Moments, ObjectiveResult, Outcome, Score, ScoreTracker, costs,
    points as score_points,
};
pub use server::{Lb, Process, Server, ServerId, ServerState, VersionId};
pub use traffic::TrafficSource;

/// Seconds of metrics history kept in memory (older seconds are dropped).
pub const HISTORY_SECONDS: usize = 3600;
/// Events kept in memory.
pub const EVENT_CAP: usize = 2000;
/// A crashed process restarts after this back-off, doubled per crash in a row (capped).
const CRASH_BACKOFF_S: u64 = 10;
const CRASH_BACKOFF_MAX_S: u64 = 300;
/// Stream numbers of the RNG sub-streams, fixed forever so old seeds replay the same.
const STREAM_TRAFFIC: u64 = 1;

fn pools_of(mission: &Mission) -> Vec<Pool> {
    mission
        .fleet
        .pools
        .iter()
        .map(|name| Pool {
            name: name.clone(),
            role: PoolRole::Live,
        })
        .collect()
}

/// A version as the simulation uses it.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    pub name: String,
    pub spec: Version,
}

/// The running world.
#[derive(Debug, Clone)]
pub struct Sim {
    mission: Mission,
    versions: Vec<VersionInfo>,
    servers: Vec<Server>,
    tick: u64,
    rng: ChaCha8Rng,
    traffic: TrafficSource,
    /// Database schema version.
    schema: u32,
    /// Database load last second as a share of its capacity.
    db_load: f64,
    /// Per-pool routing state, reused every tick.
    lanes: Vec<fleet::Lane>,
    weights_scratch: Vec<(usize, u64)>,
    /// Users logged out by lost sessions whose next request fails (fractional carry).
    logout_owed: f64,
    /// Requests handled at the edge this second (no healthy server, logged-out users).
    edge: server::SecondCounters,
    mix_fleet: Mixture,
    mix_version: Vec<Mixture>,
    history: History,
    events: EventLog,
    score: ScoreTracker,
    /// Whether an outage alert is currently raised (one event per episode).
    alerting: bool,
    narrated: Vec<bool>,
    seen_in_service: Vec<bool>,
    command_log: Vec<(u64, crate::command::Command)>,
    /// Who gives the commands being applied, for the events ("by you").
    actor: &'static str,
    pools: Vec<Pool>,
    split: Split,
    mirrors: Vec<Mirror>,
    /// A canary's baseline pool (Kayenta): stable servers of the canary's size, started with
    /// it and given its weight; measured apart in `SecondMetrics::baseline`.
    baseline_pool: Option<u16>,
    /// Highest server number handed out in the default pool.
    next_server: u32,
    retired_counters: fleet::RetiredCounters,
    rollout: Option<Rollout>,
    guards: Vec<Guard>,
    session_mode: SessionMode,
    sticky: bool,
    /// What the readiness check asks now (`probe readiness`).
    readiness: CheckDepth,
    /// Servers starting from now on run a startup check (`probe startup`).
    startup_check: bool,
    db: database::DbState,
    pipeline: Option<pipeline::PipelineRun>,
    duplicate_writes: u64,
    duplicate_writes_warned: bool,
    /// Per version: served, fault evidence, stopped, shipped (the release tickets).
    releases: Vec<release::ReleaseState>,
    /// Burn-rate alerts raised (the fleet, then each version): one event per episode.
    burning: Vec<bool>,
    /// Wrong reads already counted (the second's share is the difference).
    wrong_reads_seen: u64,
    /// The first lost session has been logged.
    sessions_lost_logged: bool,
    /// The facilitator notes' mistakes, measured.
    rules: rules::RuleState,
}

impl Sim {
    /// A fresh world for `mission`, every server running the start version in traffic.
    pub fn new(mission: &Mission, seed: u64) -> Self {
        let mut versions: Vec<VersionInfo> = mission
            .versions
            .iter()
            .map(|(name, spec)| VersionInfo {
                name: name.clone(),
                spec: spec.clone(),
            })
            .collect();
        if mission.vary_faults {
            variation::vary(&mut versions, seed, &mission.fault_kinds);
        }
        let start = versions
            .iter()
            .position(|v| v.name == mission.start.version)
            .unwrap_or(0);
        let fleet = &mission.fleet;
        let pools = fleet.pools.len().max(1);
        let per_pool = (fleet.servers as usize).div_ceil(pools);
        let servers = (0..fleet.servers as usize)
            .map(|i| {
                Server::new(
                    format!("{}-{:02}", fleet.prefix, i + 1),
                    (i / per_pool) as u16,
                    VersionId(start as u16),
                    fleet.base_memory_mb,
                )
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(STREAM_TRAFFIC);
        let traffic = TrafficSource::new(&mission.traffic, mission.duration.secs());
        let nv = mission.versions.len();
        let expected = traffic.expected_total(mission.duration.secs());
        let mut sim = Self {
            versions,
            servers,
            tick: 0,
            rng,
            traffic,
            schema: mission.database.schema,
            db_load: 0.0,
            lanes: Vec::new(),
            weights_scratch: Vec::new(),
            logout_owed: 0.0,
            edge: server::SecondCounters::default(),
            mix_fleet: Mixture::new(),
            mix_version: vec![Mixture::new(); mission.versions.len()],
            history: History::new(HISTORY_SECONDS),
            events: EventLog::new(EVENT_CAP),
            score: ScoreTracker::new(mission, expected),
            alerting: false,
            narrated: vec![false; mission.narration.len()],
            seen_in_service: vec![false; mission.versions.len()],
            command_log: Vec::new(),
            actor: "by you",
            pools: pools_of(mission),
            split: Split::Even,
            mirrors: Vec::new(),
            baseline_pool: None,
            next_server: fleet.servers,
            retired_counters: fleet::RetiredCounters::default(),
            rollout: None,
            guards: Vec::new(),
            session_mode: match mission.fleet.sessions {
                crate::mission::Sessions::InMemory => SessionMode::Memory,
                // Tokens behave as a store without a capacity limit: nothing is lost.
                crate::mission::Sessions::External | crate::mission::Sessions::Stateless => {
                    SessionMode::External
                }
            },
            sticky: mission.fleet.sticky,
            readiness: mission.fleet.health.depth,
            startup_check: mission.fleet.health.startup,
            db: database::DbState::default(),
            pipeline: None,
            duplicate_writes: 0,
            duplicate_writes_warned: false,
            releases: vec![release::ReleaseState::default(); nv],
            burning: vec![false; nv + 1],
            wrong_reads_seen: 0,
            sessions_lost_logged: false,
            rules: rules::RuleState::default(),
            mission: mission.clone(),
        };
        sim.seen_in_service[start] = true;
        sim.seed_sessions();
        sim.prepare_second();
        sim
    }

    /// Advances one tick (100 ms of game time).
    pub fn step(&mut self) {
        self.advance_lifecycles();
        self.remove_retired();
        let t = self.time_s();
        let arrivals = self.traffic.arrivals(t, &mut self.rng);
        self.route_and_serve(arrivals);
        self.tick += 1;
        if self.tick.is_multiple_of(TICKS_PER_SEC) {
            self.end_second();
            self.prepare_second();
        }
    }

    /// Game ticks since the start.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// Game seconds since the start.
    pub fn time_s(&self) -> f64 {
        self.tick as f64 * TICK_MS as f64 / 1000.0
    }

    /// Whether the mission's time is over.
    pub fn is_finished(&self) -> bool {
        self.tick >= self.mission.duration.ticks()
    }

    /// The mission being played.
    pub fn mission(&self) -> &Mission {
        &self.mission
    }

    /// The servers, in fleet order.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    /// The versions, indexed by `VersionId`.
    pub fn versions(&self) -> &[VersionInfo] {
        &self.versions
    }

    /// A version's name.
    pub fn version_name(&self, id: VersionId) -> &str {
        &self.versions[id.0 as usize].name
    }

    /// The database schema version.
    pub fn schema(&self) -> u32 {
        self.schema
    }

    /// Metrics of recent seconds.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The event log.
    pub fn events(&self) -> &EventLog {
        &self.events
    }

    /// The score so far.
    pub fn score(&self) -> Score {
        self.score.score(self.time_s())
    }

    /// The requests per second the users are sending right now (mean).
    pub fn demand_rps(&self) -> f64 {
        self.traffic.rate(self.time_s())
    }

    /// Whether a `wait until` condition holds now.
    pub fn holds(&self, cond: &Condition) -> bool {
        match cond {
            Condition::Ready(t) => {
                // Nothing named (a pool not provisioned yet) is not ready.
                let idx = self.resolve_lenient(t);
                !idx.is_empty()
                    && idx
                        .iter()
                        .all(|&i| self.servers[i].state() == ServerState::InService)
            }
            Condition::Drained(t) => self.resolve_lenient(t).iter().all(|&i| {
                matches!(self.servers[i].lb, Lb::Deregistered)
                    || !self.servers[i].in_rotation()
                        && !matches!(self.servers[i].lb, Lb::Draining { .. })
            }),
            Condition::AllOn(v) => self
                .servers
                .iter()
                .all(|s| self.version_name(s.version) == v && s.state() == ServerState::InService),
            // Idle: no server changing state, no migration running, and no pipeline stage
            // working (one waiting for the player's approval is idle: it waits for you).
            Condition::Idle => {
                self.servers.iter().all(|s| !s.state().is_transition())
                    && self.db.running.is_none()
                    && !self.pipeline.as_ref().is_some_and(
                        |p| matches!(p.state, pipeline::StageState::At { index, .. } if index != 5),
                    )
            }
            Condition::Stopped => self
                .rollout
                .as_ref()
                .is_some_and(|r| matches!(r.phase, Phase::Aborted | Phase::Paused(_))),
            Condition::Metric(w) => self.watch_holds(w),
        }
    }

    /// An event from whatever drives the sim besides commands (the drill's plan
    /// automation). Not in the command log: a replay of the log repeats only commands,
    /// so anything that calls this must run again for a replay to match.
    pub fn note(&mut self, severity: Severity, text: String) {
        self.push_event(severity, text);
    }

    fn push_event(&mut self, severity: Severity, text: String) {
        self.events.push(self.tick, severity, text);
    }

    /// Logs what is known only looking back (`Event::hindsight`).
    fn push_hindsight(&mut self, severity: Severity, text: String) {
        self.events.push_hindsight(self.tick, severity, text);
    }

    fn version(&self, id: VersionId) -> &Version {
        &self.versions[id.0 as usize].spec
    }

    /// Timers, crash restarts, drains and staggered health checks.
    fn advance_lifecycles(&mut self) {
        let period = self.mission.fleet.health.period.ticks().max(1);
        let live_period = self
            .mission
            .fleet
            .health
            .liveness
            .as_ref()
            .map_or(0, |l| l.period.ticks().max(1));
        // Checks are staggered: server i is checked when (tick + i) % period == 0.
        let mut phase = self.tick % period;
        self.lanes
            .resize_with(self.pools.len(), fleet::Lane::default);
        self.lanes.iter_mut().for_each(fleet::Lane::reset);
        for i in 0..self.servers.len() {
            let due = phase == 0;
            phase = if phase + 1 == period { 0 } else { phase + 1 };
            self.advance_process(i);
            if let Lb::Draining { until } = self.servers[i].lb
                && (self.servers[i].queue == 0 || self.tick >= until)
            {
                self.servers[i].lb = Lb::Deregistered;
                // In-flight requests finished; its users' next requests go elsewhere.
                self.release_sessions(i);
                if self.servers[i].retiring {
                    continue;
                }
                let name = self.servers[i].name.clone();
                self.push_event(
                    Severity::Info,
                    format!("{name} drained, out of the balancer"),
                );
            }
            if due && self.servers[i].lb == Lb::Registered {
                self.health_check(i);
            }
            if live_period > 0 && (self.tick + i as u64).is_multiple_of(live_period) {
                self.liveness_check(i);
            }
            if self.servers[i].in_rotation() {
                let w = self.servers[i].route_weight;
                let lane = &mut self.lanes[self.servers[i].pool as usize];
                lane.rot += 1;
                lane.wsum += w;
                lane.weighted |= w != 1.0;
            }
        }
    }

    fn advance_process(&mut self, i: usize) {
        let tick = self.tick;
        let boot = self.mission.fleet.timings.boot.ticks();
        match self.servers[i].process {
            Process::Deploying { until } if tick >= until => {
                self.servers[i].process = Process::Booting { until: tick + boot };
            }
            Process::Crashed { restart_at } if tick >= restart_at => {
                self.servers[i].process = Process::Booting { until: tick + boot };
            }
            Process::Booting { until } if tick >= until => {
                let version = self.servers[i].version;
                let refused = self.startup_refusal(version);
                if self.version(version).fails_to_start {
                    let name = self.servers[i].name.clone();
                    let v = self.version_name(version).to_string();
                    self.crash(i, &format!("{name} {v} exited at start (crash loop)"));
                } else if let Some(why) = refused {
                    let name = self.servers[i].name.clone();
                    let v = self.version_name(version).to_string();
                    if !self.db_unreachable() {
                        // The release's own fault, shown before any user met it.
                        self.record_evidence(version);
                    }
                    // Short enough for an 80-column log with the crash's restart note.
                    self.crash(i, &format!("{name} {v} failed startup check: {why}"));
                } else {
                    let base = self.mission.fleet.base_memory_mb;
                    let s = &mut self.servers[i];
                    s.process = Process::Running { since: tick };
                    s.memory_mb = base;
                    s.credit = 0.0;
                }
            }
            Process::Running { since } if tick == since + 60 * TICKS_PER_SEC => {
                self.servers[i].crash_streak = 0;
            }
            _ => {}
        }
    }

    /// Why a server starting `v` fails its startup check now, if the check is on and does.
    fn startup_refusal(&self, v: VersionId) -> Option<&'static str> {
        if !self.startup_check {
            return None;
        }
        let spec = self.version(v);
        if spec.broken_db_config {
            Some("bad DB settings")
        } else if !self.schema_ok(spec) {
            Some("wrong schema")
        } else if self.db_unreachable() {
            Some("DB unreachable")
        } else {
            None
        }
    }

    fn health_check(&mut self, i: usize) {
        let hc = &self.mission.fleet.health;
        let (fail_limit, pass_limit, depth) =
            (hc.failure_threshold, hc.success_threshold, self.readiness);
        let pass = self.check_passes(i, depth);
        if !pass && depth == CheckDepth::Deep && !self.db_unreachable() {
            let v = self.servers[i].version;
            let spec = self.version(v);
            if spec.broken_db_config || !self.schema_ok(spec) {
                // A deep check that fails on the release's own fault is evidence of it.
                self.record_evidence(v);
            }
        }
        let s = &mut self.servers[i];
        if pass {
            s.check_fails = 0;
            s.check_passes += 1;
            if s.healthy && s.ready_since.is_none() {
                // Restarted before the balancer noticed: ready again from its first pass.
                s.ready_since = Some(self.tick);
            }
            if !s.healthy && s.check_passes >= pass_limit {
                s.healthy = true;
                s.ready_since = Some(self.tick);
                let v = s.version;
                let live = self.pools[s.pool as usize].role == PoolRole::Live;
                // A preview, shadow or staging server gets no user requests.
                let text = format!(
                    "{} ({}) passed health checks → {}",
                    s.name,
                    self.versions[v.0 as usize].name,
                    if live {
                        "in traffic"
                    } else {
                        "ready (no user traffic)"
                    }
                );
                if live && !self.seen_in_service[v.0 as usize] {
                    self.seen_in_service[v.0 as usize] = true;
                    self.narrate_first_in_service(v);
                }
                self.push_event(Severity::Info, text);
            }
        } else {
            s.check_passes = 0;
            s.check_fails += 1;
            if s.healthy && s.check_fails >= fail_limit {
                s.healthy = false;
                s.ready_since = None;
                let text = format!(
                    "{} failed {} health checks → out of traffic",
                    s.name, s.check_fails
                );
                self.push_event(Severity::Warn, text);
            }
        }
    }

    fn check_passes(&self, i: usize, depth: CheckDepth) -> bool {
        let s = &self.servers[i];
        if !s.process.is_running() || s.hung {
            return false;
        }
        match depth {
            CheckDepth::Shallow => true,
            CheckDepth::Deep => {
                let v = self.version(s.version);
                !v.broken_db_config
                    && self.schema_ok(v)
                    && !self.db_unreachable()
                    && s.memory_mb < 0.9 * self.mission.fleet.memory_limit_mb
            }
        }
    }

    fn schema_ok(&self, v: &Version) -> bool {
        self.schema >= v.needs_schema && v.breaks_at_schema.is_none_or(|b| self.schema < b)
    }

    /// Stops the process with a crash; in-flight requests fail, sessions are lost.
    fn crash(&mut self, i: usize, text: &str) {
        self.stop_process(i);
        let s = &mut self.servers[i];
        let backoff = (CRASH_BACKOFF_S << s.crash_streak.min(5)).min(CRASH_BACKOFF_MAX_S);
        s.crash_streak += 1;
        s.process = Process::Crashed {
            restart_at: self.tick + backoff * TICKS_PER_SEC,
        };
        self.push_event(Severity::Error, format!("{text}; restart in {backoff}s"));
    }

    /// The process stops now: queued requests fail, in-memory sessions are lost.
    fn stop_process(&mut self, i: usize) {
        let s = &mut self.servers[i];
        if s.queue > 0 {
            s.sec.failed += s.queue;
            s.queue = 0;
        }
        if s.process.is_running() {
            self.release_sessions(i);
        }
        let s = &mut self.servers[i];
        s.credit = 0.0;
        s.check_passes = 0;
        s.live_fails = 0;
        s.hung = false;
        s.warm_at_start = false;
        s.ready_since = None;
        s.real_traffic = false;
    }

    fn narrate_first_in_service(&mut self, v: VersionId) {
        let name = self.versions[v.0 as usize].name.clone();
        let lines: Vec<(usize, String)> = self
            .mission
            .narration
            .iter()
            .enumerate()
            .filter(|(i, n)| {
                !self.narrated[*i]
                    && matches!(&n.when, crate::mission::Trigger::FirstInService(x) if *x == name)
            })
            .map(|(i, n)| (i, n.say.clone()))
            .collect();
        for (i, say) in lines {
            self.narrated[i] = true;
            self.push_event(Severity::Info, format!("» {say}"));
        }
    }
}

/// One tick of one server: serve from the queue, then take the new arrivals.
///
/// Requests wait at least one tick (the minimum latency), so `queue` is what is in flight.
pub(crate) fn serve(s: &mut Server, arrived: u64) {
    s.sec.arrived += arrived;
    if !s.process.is_running() || s.hung {
        // Connection refused (or a hung process never answers): the balancer still sends
        // traffic here until its health checks notice.
        s.sec.failed += arrived + s.queue;
        s.queue = 0;
        return;
    }
    s.credit += s.cap_per_tick;
    // The carries are small and never negative: truncating is their floor, and the signed
    // conversion is one instruction where floor() or an unsigned one are many.
    let done = s.queue.min(s.credit as i64 as u64);
    s.credit -= done as f64;
    s.queue -= done;
    if s.queue == 0 {
        // Idle capacity cannot be banked for later bursts.
        s.credit = s.credit.min(1.0);
    }
    if s.error_rate > 0.0 {
        s.fail_carry += done as f64 * s.error_rate;
        let failed = (s.fail_carry as i64 as u64).min(done);
        s.fail_carry -= failed as f64;
        s.sec.failed += failed;
        s.sec.ok += done - failed;
    } else {
        s.sec.ok += done;
    }
    s.queue += arrived;
    // Requests that would wait longer than the timeout fail (the user gives up).
    if s.queue > s.max_queue {
        let excess = s.queue - s.max_queue;
        s.queue = s.max_queue;
        s.sec.failed += excess;
        s.sec.timed_out += excess;
    }
}
