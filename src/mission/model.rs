//! The mission file's data types, exactly as they appear in `levels/*.ron`.
//!
//! Every struct denies unknown fields (a typo in a mission file is an error, not a silently
//! ignored line) and every optional field has a default, so a small mission stays small.
//! Only data lives here: loading is in `load`, checks in `validate`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::facilitator::Facilitator;
use crate::time::Dur;

/// One mission: the story, the fleet, the traffic, the releases and how the play is judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mission {
    /// Short title shown on the map and the play screen.
    pub title: String,
    /// Chapter of the campaign this mission belongs to.
    #[serde(default)]
    pub chapter: u32,
    /// The story: why this release, what went wrong last time.
    #[serde(default)]
    pub briefing: String,
    /// The idea the mission teaches, in a few lines.
    #[serde(default)]
    pub concept: String,
    /// The app servers and how they behave.
    pub fleet: Fleet,
    /// The users arriving.
    pub traffic: Traffic,
    /// Every version that exists, with its hidden defects (the player sees only symptoms).
    pub versions: BTreeMap<String, Version>,
    /// What runs when the mission starts.
    pub start: Start,
    /// The shared database.
    #[serde(default)]
    pub database: Database,
    /// Commands this mission allows beyond the primitives (empty: primitives only).
    #[serde(default)]
    pub unlocks: Vec<String>,
    /// The service level objective and what counts as an outage.
    #[serde(default)]
    pub slo: Slo,
    /// How long the mission runs in game time (the fleet keeps serving until then).
    pub duration: Dur,
    /// The rollout must be done by then (shown as the deadline; `RolloutWithin` checks it).
    #[serde(default)]
    pub deadline: Option<Dur>,
    /// The releases the player is asked to ship, in order: each must end shipped (every
    /// live server on it, in service, at some second) or stopped on evidence of its fault.
    /// A later one is the follow-up (the fix) of the one before: it can be deployed only
    /// once that one is settled. Empty: no release ticket (free play, the drill).
    #[serde(default)]
    pub releases: Vec<String>,
    /// Draw each hidden fault's onset, severity and reach from the seed (within ranges the
    /// briefing makes plausible), so no fixed wait tuned to one seed passes everywhere.
    #[serde(default)]
    pub vary_faults: bool,
    /// Other faults a release may hide, one drawn by the seed beside its own (with
    /// `vary_faults`): the interview's release can fail in any of these ways.
    #[serde(default)]
    pub fault_kinds: BTreeMap<String, Vec<Version>>,
    /// At this time the host of the busiest live server dies (an unplanned restart, as
    /// every fleet has): its in-memory sessions are lost unless they live elsewhere.
    #[serde(default)]
    pub host_failure: Option<Dur>,
    /// What the player must achieve to pass.
    pub objectives: Vec<Objective>,
    /// Points needed for two and three stars (passing gives one).
    pub stars: Stars,
    /// Hint ladder: nudge, approach, the commands.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Shown after the mission: the trade-off explained.
    #[serde(default)]
    pub debrief: String,
    /// Questions that check the lesson.
    #[serde(default)]
    pub quiz: Vec<Quiz>,
    /// Lines the narrator says when something happens.
    #[serde(default)]
    pub narration: Vec<Narration>,
    /// The release pipeline, when the mission has one.
    #[serde(default)]
    pub pipeline: Option<Pipeline>,
    /// Seed used when the player gives none, so a class sees the same run.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Notes for an instructor running the mission in a workshop (`zerodown notes`).
    #[serde(default)]
    pub facilitator: Option<Facilitator>,
    /// Free play (`zerodown sandbox`, a `Sandbox(..)` file): no objectives to meet, every
    /// command unlocked, nothing recorded in the campaign's progress. Never written in a
    /// mission file: set only when a sandbox is turned into a mission.
    #[serde(skip)]
    pub sandbox: bool,
}

/// Commit → build → test → package → staging → test in staging → production → monitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    #[serde(default = "default_build")]
    pub build: Dur,
    /// Unit tests: catch `fails_unit_tests`.
    #[serde(default = "default_build")]
    pub test: Dur,
    #[serde(default = "default_package")]
    pub package: Dur,
    /// Servers in the staging environment (a small fleet of its own).
    #[serde(default = "default_staging_servers")]
    pub staging_servers: u32,
    /// Synthetic requests per second the staging tests send.
    #[serde(default = "default_staging_rps")]
    pub staging_rps: f64,
    /// How long the staging tests run once staging is up.
    #[serde(default = "default_staging_test")]
    pub staging_test: Dur,
    /// The production rollout `promote staging` starts, as a command with `{version}`,
    /// e.g. `"rolling {version} batch=2"`.
    #[serde(default = "default_production")]
    pub production: String,
}

impl Default for Pipeline {
    fn default() -> Self {
        Self {
            build: default_build(),
            test: default_build(),
            package: default_package(),
            staging_servers: default_staging_servers(),
            staging_rps: default_staging_rps(),
            staging_test: default_staging_test(),
            production: default_production(),
        }
    }
}

fn default_build() -> Dur {
    Dur::from_secs(60)
}
fn default_package() -> Dur {
    Dur::from_secs(20)
}
fn default_staging_servers() -> u32 {
    2
}
fn default_staging_rps() -> f64 {
    20.0
}
fn default_staging_test() -> Dur {
    Dur::from_secs(60)
}
fn default_production() -> String {
    "rolling {version} max-unavailable=10%".to_string()
}

fn default_seed() -> u64 {
    1
}

/// The app servers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fleet {
    /// How many servers (named `<prefix>-01` …).
    pub servers: u32,
    /// Requests per second one server completes at 100 % CPU.
    pub capacity_rps: f64,
    /// Server name prefix.
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Mean time to serve one request on an idle server, in milliseconds.
    #[serde(default = "default_service_ms")]
    pub service_ms: f64,
    /// A request still waiting after this long fails (the user sees a timeout).
    #[serde(default = "default_timeout")]
    pub timeout: Dur,
    /// Load balancer pools; servers are split evenly in order. Default: one pool `web`.
    #[serde(default = "default_pools")]
    pub pools: Vec<String>,
    /// How long each step of a server's lifecycle takes.
    #[serde(default)]
    pub timings: Timings,
    /// The load balancer's health check.
    #[serde(default)]
    pub health: HealthCheck,
    /// Memory a server uses after boot, in MB.
    #[serde(default = "default_base_memory")]
    pub base_memory_mb: f64,
    /// The process is OOM-killed at this many MB.
    #[serde(default = "default_memory_limit")]
    pub memory_limit_mb: f64,
    /// Whether the load balancer can split traffic by weight (canary shares are exact) or
    /// only spreads it evenly over servers (shares follow server counts).
    #[serde(default)]
    pub balancer: Balancer,
    /// Blue-green: the old pool is scaled down this long after a switch (switching back
    /// before then is instant).
    #[serde(default = "default_scale_down_delay")]
    pub scale_down_delay: Dur,
    /// A rollout that makes no progress for this long is reported stalled.
    #[serde(default = "default_progress_deadline")]
    pub progress_deadline: Dur,
    /// Where user sessions live at the start.
    #[serde(default)]
    pub sessions: Sessions,
    /// An external session store exists (a cache the app can keep sessions in), with this
    /// capacity in requests per second; `None`: the mission offers none.
    #[serde(default)]
    pub session_store_rps: Option<f64>,
    /// Sticky sessions at the start: each user stays on the server they first reached.
    #[serde(default)]
    pub sticky: bool,
    /// Slow start: a server entering traffic gets a share ramping up over this long
    /// (0: full share at once).
    #[serde(default)]
    pub slow_start: Dur,
}

/// Where user sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sessions {
    /// Signed tokens: no server holds session state, so no restart logs anyone out. The
    /// default, for missions whose lesson is not sessions.
    #[default]
    Stateless,
    /// In the memory of the server that started each session (users need sticky routing).
    InMemory,
    /// In the external session store.
    External,
}

fn default_scale_down_delay() -> Dur {
    Dur::from_secs(30)
}
fn default_progress_deadline() -> Dur {
    Dur::from_secs(600)
}

/// How the load balancer splits traffic between pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Balancer {
    /// Weighted routing (a service mesh, an ALB with weighted target groups): exact shares.
    #[default]
    Weighted,
    /// Round-robin over all healthy servers: a canary's share is its share of the servers.
    ServerCount,
}

fn default_prefix() -> String {
    "web".to_string()
}
fn default_service_ms() -> f64 {
    40.0
}
fn default_timeout() -> Dur {
    Dur::from_secs(5)
}
fn default_pools() -> Vec<String> {
    vec!["web".to_string()]
}
fn default_base_memory() -> f64 {
    512.0
}
fn default_memory_limit() -> f64 {
    2048.0
}

/// Durations of a server's lifecycle steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timings {
    /// Connection draining (deregistration delay): ends early when nothing is in flight.
    #[serde(default = "default_drain")]
    pub drain: Dur,
    /// Installing a version.
    #[serde(default = "default_deploy")]
    pub deploy: Dur,
    /// Process start until it answers.
    #[serde(default = "default_boot")]
    pub boot: Dur,
    /// Cold caches after boot: slower at first, full speed after this.
    #[serde(default = "default_warmup")]
    pub warmup: Dur,
}

fn default_drain() -> Dur {
    Dur::from_secs(30)
}
fn default_deploy() -> Dur {
    Dur::from_secs(20)
}
fn default_boot() -> Dur {
    Dur::from_secs(10)
}
fn default_warmup() -> Dur {
    Dur::from_secs(30)
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            drain: default_drain(),
            deploy: default_deploy(),
            boot: default_boot(),
            warmup: default_warmup(),
        }
    }
}

/// What a health check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CheckDepth {
    /// The process answers.
    #[default]
    Shallow,
    /// The process answers, reaches the database and has memory to spare.
    Deep,
}

/// The load balancer's health check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Time between checks.
    #[serde(default = "default_period")]
    pub period: Dur,
    /// Consecutive failures before a server is taken out of traffic.
    #[serde(default = "default_failures")]
    pub failure_threshold: u32,
    /// Consecutive passes before a new server is put into traffic.
    #[serde(default = "default_successes")]
    pub success_threshold: u32,
    /// Shallow or deep.
    #[serde(default)]
    pub depth: CheckDepth,
    /// A liveness check that restarts a process that stopped answering (`None`: only the
    /// readiness check above, which takes it out of traffic but never restarts it).
    #[serde(default)]
    pub liveness: Option<Liveness>,
    /// A startup check: the process validates its configuration and connects to the
    /// database once before it may report ready (a startup probe, an init step); a version
    /// that can't exits at start and never gets traffic.
    #[serde(default)]
    pub startup: bool,
}

/// The liveness check: consecutive failures restart the process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Liveness {
    #[serde(default = "default_liveness_period")]
    pub period: Dur,
    #[serde(default = "default_failures")]
    pub failure_threshold: u32,
}

fn default_liveness_period() -> Dur {
    Dur::from_secs(10)
}

fn default_period() -> Dur {
    Dur::from_secs(5)
}
fn default_failures() -> u32 {
    3
}
fn default_successes() -> u32 {
    1
}

impl Default for HealthCheck {
    fn default() -> Self {
        Self {
            period: default_period(),
            failure_threshold: default_failures(),
            success_threshold: default_successes(),
            depth: CheckDepth::Shallow,
            liveness: None,
            startup: false,
        }
    }
}

/// The users arriving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Mean requests per second at the start of the mission.
    pub base_rps: f64,
    /// How the rate changes over the mission.
    #[serde(default)]
    pub shape: Shape,
    /// Short bursts on top of the shape.
    #[serde(default)]
    pub spikes: Vec<Spike>,
    /// Poisson noise on arrivals (true: real-world jitter; false: exact rate).
    #[serde(default = "default_true")]
    pub noise: bool,
    /// Mean length of a user session.
    #[serde(default = "default_session")]
    pub session_length: Dur,
    /// Requests a user sends per second while in a session.
    #[serde(default = "default_user_rps")]
    pub requests_per_user_s: f64,
}

fn default_true() -> bool {
    true
}
fn default_session() -> Dur {
    Dur::from_secs(180)
}
fn default_user_rps() -> f64 {
    0.5
}

/// The rate curve.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Shape {
    /// The same rate all mission long.
    #[default]
    Flat,
    /// A linear change to `to_rps` over the whole mission (the morning rush, the evening lull).
    Ramp { to_rps: f64 },
    /// A sine wave: `base_rps` ± `amplitude` (a share of base) with the given period.
    Wave { amplitude: f64, period: Dur },
}

/// A burst of extra traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spike {
    /// When it starts, from the mission start.
    pub at: Dur,
    /// How long it lasts.
    pub length: Dur,
    /// Multiplier on the rate while it lasts.
    pub factor: f64,
}

/// A release and its hidden defects. All defaults: a healthy version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// Share of requests that fail (for the affected users).
    #[serde(default)]
    pub errors: f64,
    /// Share of users who hit the defect (errors and latency).
    #[serde(default = "default_one")]
    pub affects_users: f64,
    /// Multiplier on service time for every request.
    #[serde(default = "default_one")]
    pub latency_factor: f64,
    /// Some requests only are slow: the tail.
    #[serde(default)]
    pub tail: Option<Tail>,
    /// Multiplier on CPU per request (less capacity per server).
    #[serde(default = "default_one")]
    pub cpu_factor: f64,
    /// Memory grows by this much per minute of uptime (OOM kill at the limit).
    #[serde(default)]
    pub leak_mb_per_min: f64,
    /// The process crashes at boot.
    #[serde(default)]
    pub fails_to_start: bool,
    /// Database configuration is broken: the process answers (passes a shallow check) but
    /// every request that needs the database fails.
    #[serde(default)]
    pub broken_db_config: bool,
    /// Needs at least this database schema version; errors below it.
    #[serde(default)]
    pub needs_schema: u32,
    /// Breaks when the database schema reaches this version.
    #[serde(default)]
    pub breaks_at_schema: Option<u32>,
    /// Defects show only after the server has run this long on the version.
    #[serde(default)]
    pub onset_after: Dur,
    /// Defects show only under real production traffic (not in staging or smoke tests).
    #[serde(default)]
    pub only_real_traffic: bool,
    /// Which column of an expand/contract migration it reads: the old one (today's code)
    /// or the new one, whose rows are right only once the backfill and every writer filled
    /// them (otherwise: silently wrong answers, no error).
    #[serde(default)]
    pub reads: Column,
    /// Which columns it writes: only the old one (today's code), both (the dual write), or
    /// only the new one (the old column goes stale for the rows it writes).
    #[serde(default)]
    pub writes: Writes,
    /// Keeps no session state (signed tokens): a restart logs nobody out.
    #[serde(default)]
    pub stateless: bool,
    /// The process stops answering after running this long (a deadlock): readiness takes
    /// it out of traffic, only a liveness check restarts it.
    #[serde(default)]
    pub hangs_after: Option<Dur>,
    /// A bug the unit tests catch: the pipeline stops it at the test stage.
    #[serde(default)]
    pub fails_unit_tests: bool,
}

fn default_one() -> f64 {
    1.0
}

impl Default for Version {
    fn default() -> Self {
        Self {
            errors: 0.0,
            affects_users: 1.0,
            latency_factor: 1.0,
            tail: None,
            cpu_factor: 1.0,
            leak_mb_per_min: 0.0,
            fails_to_start: false,
            broken_db_config: false,
            needs_schema: 0,
            breaks_at_schema: None,
            onset_after: Dur::default(),
            only_real_traffic: false,
            reads: Column::Old,
            writes: Writes::Old,
            stateless: false,
            hangs_after: None,
            fails_unit_tests: false,
        }
    }
}

/// A column of an expand/contract migration: the old shape or the new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    #[default]
    Old,
    New,
}

/// The columns a version writes during an expand/contract migration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Writes {
    /// Only the old column (code written before the migration).
    #[default]
    Old,
    /// Both columns: the dual write that keeps the new column complete from then on.
    Both,
    /// Only the new column: the old one stops being written.
    New,
}

/// Tail latency: `share` of requests take `factor` times longer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tail {
    pub share: f64,
    pub factor: f64,
}

/// What runs when the mission starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    /// The version every server runs.
    pub version: String,
}

/// The shared database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Schema version at the start.
    #[serde(default = "default_schema")]
    pub schema: u32,
    /// Queries per second it serves before it slows everything down.
    #[serde(default = "default_db_capacity")]
    pub capacity_qps: f64,
    /// Shadow traffic's writes go to a stub (true) or really reach the database (false:
    /// every mirrored write is duplicated — orders placed twice).
    #[serde(default)]
    pub shadow_writes_stubbed: bool,
    /// Migrations the player can run by name (`migrate expand`).
    #[serde(default)]
    pub migrations: BTreeMap<String, Migration>,
    /// Rows in the table an expand/contract migration changes: writes that miss a column
    /// damage that share of it (1 000 rows written old-only in a table of 100 000 make 1 %
    /// of the new column's reads wrong).
    #[serde(default = "default_rows")]
    pub rows: f64,
    /// Share of requests that write a row of that table.
    #[serde(default = "default_write_share")]
    pub write_share: f64,
    /// A short outage of the database (a failover): unreachable for `lasts` from `at`.
    #[serde(default)]
    pub blip: Option<Blip>,
}

/// The database is unreachable for a while: requests that need it fail, and so does every
/// check that asks it (a deep readiness check, a startup check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blip {
    pub at: Dur,
    pub lasts: Dur,
    /// Share of requests that need the database (the rest come from caches) and fail.
    #[serde(default = "default_blip_errors")]
    pub errors: f64,
}

fn default_blip_errors() -> f64 {
    0.03
}

/// One schema migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    /// The schema version once it is done (`None`: the schema does not change).
    #[serde(default)]
    pub schema: Option<u32>,
    /// It copies every row's old column into the new one (a backfill). It can run again:
    /// copying is idempotent.
    #[serde(default)]
    pub backfill: bool,
    /// It installs a trigger: from then on the database copies every write of the old
    /// column into the new one (a dual write without a code release).
    #[serde(default)]
    pub trigger: bool,
    /// It needs at least this schema (a backfill or a trigger needs the new column).
    #[serde(default)]
    pub needs_schema: u32,
    /// How long it runs unthrottled.
    pub takes: Dur,
    /// Share of the database's capacity it uses while it runs, unthrottled.
    #[serde(default = "default_migration_load")]
    pub load: f64,
    /// It locks the table while it runs (a blocking ALTER): every query waits.
    #[serde(default)]
    pub blocking: bool,
}

fn default_rows() -> f64 {
    100_000.0
}

fn default_write_share() -> f64 {
    0.1
}

fn default_migration_load() -> f64 {
    0.2
}

fn default_schema() -> u32 {
    1
}
fn default_db_capacity() -> f64 {
    1.0e9
}

impl Default for Database {
    fn default() -> Self {
        Self {
            schema: default_schema(),
            capacity_qps: default_db_capacity(),
            shadow_writes_stubbed: false,
            migrations: BTreeMap::new(),
            blip: None,
            rows: default_rows(),
            write_share: default_write_share(),
        }
    }
}

/// The service level objective and the outage line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slo {
    /// Availability target, e.g. 0.999: the error budget is `1 − target` of all requests.
    #[serde(default = "default_slo")]
    pub target: f64,
    /// A game-second with a larger share of failed requests counts as downtime.
    #[serde(default = "default_outage")]
    pub outage_error_rate: f64,
    /// The latency line: a request slower than this is a bad event that spends the error
    /// budget like a failed one, and a second whose median is slower is a slow second.
    #[serde(default = "default_latency_ms")]
    pub latency_ms: f64,
    /// The share of requests that must be faster than the latency line (e.g. 0.99): the
    /// slow requests' budget is `1 − latency_target` of all requests.
    #[serde(default = "default_latency_target")]
    pub latency_target: f64,
}

impl Slo {
    /// The SLO in words for briefings: `SLO 99.9% · a second above 5% errors is downtime`.
    pub fn describe(&self) -> String {
        format!(
            "SLO {:.1}% of requests OK, {:.0}% under {} · a second above {:.0}% errors is downtime",
            self.target * 100.0,
            self.latency_target * 100.0,
            latency_words(self.latency_ms),
            self.outage_error_rate * 100.0
        )
    }
}

fn default_slo() -> f64 {
    0.999
}
fn default_outage() -> f64 {
    0.05
}
/// `500 ms`, `1.5 s`: a latency line in words.
pub fn latency_words(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

fn default_latency_ms() -> f64 {
    1000.0
}
fn default_latency_target() -> f64 {
    0.99
}

impl Default for Slo {
    fn default() -> Self {
        Self {
            target: default_slo(),
            outage_error_rate: default_outage(),
            latency_ms: default_latency_ms(),
            latency_target: default_latency_target(),
        }
    }
}

/// One thing the player must achieve. Checked at the end of the mission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Objective {
    /// Every server runs this version and serves traffic at the end.
    AllServersOn(String),
    /// No server runs this version at the end (a bad release was removed).
    NoServersOn(String),
    /// Users felt at most this much downtime.
    DowntimeAtMost(Dur),
    /// At most this percentage of the error budget was spent.
    ErrorBudgetAtMost(f64),
    /// Any user impact was restored within this long.
    RestoreWithin(Dur),
    /// A fault was reacted to within this long of its onset.
    DetectWithin(Dur),
    /// At most this many sessions were lost.
    SessionsLostAtMost(u64),
    /// The rollout finished within this long of its first deploy.
    RolloutWithin(Dur),
    /// No data was damaged: no silently wrong reads, no duplicated writes.
    NoDataErrors,
    /// At most this many slow seconds (median latency over the SLO's latency line).
    SlowAtMost(Dur),
    /// Never more than this many live servers out of traffic at once.
    OutOfTrafficAtMost(u32),
    /// After each switch, the old (healthy) pool was kept for the fleet's scale-down delay
    /// before it was deleted, so a switch back stayed instant.
    KeepOldPool,
    /// This version's canary baked at every step: no promote while it was baking, no step
    /// wider than 50 points.
    BakedCanary(String),
    /// The schema ends at least at this version (the contract ran).
    SchemaAtLeast(u32),
    /// No migration started while a server still ran code its schema breaks.
    SafeMigrations,
    /// A guard watched this version from its first request on.
    GuardedFromStart(String),
    /// This version never served more than this percentage of user requests in a second
    /// (its blast radius stayed bounded).
    ReachAtMost(String, f64),
}

/// Points needed for stars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stars {
    pub two: u32,
    pub three: u32,
}

/// A quiz question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub q: String,
    pub choices: Vec<String>,
    /// Index into `choices`.
    pub answer: usize,
    /// Why that answer.
    #[serde(default)]
    pub why: String,
}

/// A narrator line, said once when its trigger first happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narration {
    pub when: Trigger,
    pub say: String,
}

/// When a narrator line is said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Trigger {
    /// At this game time.
    At(Dur),
    /// The first second users feel an outage.
    FirstOutage,
    /// The first time a server of this version goes into traffic.
    FirstInService(String),
}
