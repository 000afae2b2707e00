//! Shared helpers of the end-to-end tests: small missions from RON text, scripts from text,
//! stepping the sim by game-seconds. Each test file uses only some of them.
#![allow(dead_code)]

pub mod ui;

use std::path::PathBuf;
use std::process::Output;

use zerodown::command::{Command, Targets, parse_command, parse_script};
use zerodown::mission::{Mission, load_str, resolve};
use zerodown::report::Report;
use zerodown::runner::run_script;
use zerodown::sim::Sim;
use zerodown::time::TICKS_PER_SEC;

/// A small mission: `servers` × 100 rps serving `rps`, v1 running, v2 with `v2` fields.
#[derive(Debug, Clone)]
pub struct Spec {
    pub servers: u32,
    pub rps: f64,
    pub noise: bool,
    /// Extra fields of `fleet: (...)`, e.g. `memory_limit_mb: 1024.0,`.
    pub fleet: String,
    /// Fields of v2, e.g. `errors: 1.0`.
    pub v2: String,
    /// Extra fields of `traffic: (...)`, e.g. `session_length: "10m",`.
    pub traffic: String,
    pub duration: String,
    pub objectives: String,
    /// The `unlocks` list (default: every rollout command).
    pub unlocks: String,
}

/// Every command beyond the primitives.
pub const ALL_UNLOCKS: &str = r#""rolling", "bluegreen", "switch", "delete", "canary", "weight", "promote", "abort", "retry", "rollback", "shadow", "guard", "guards", "unguard", "migrate", "sessions", "sticky", "pipeline""#;

impl Default for Spec {
    fn default() -> Self {
        Self {
            servers: 20,
            rps: 1200.0,
            noise: false,
            fleet: String::new(),
            v2: String::new(),
            traffic: String::new(),
            duration: "3m".to_string(),
            objectives: r#"AllServersOn("v2"), DowntimeAtMost("0s")"#.to_string(),
            unlocks: ALL_UNLOCKS.to_string(),
        }
    }
}

impl Spec {
    /// A spec of `servers` × 100 rps at `rps`, the rest default.
    pub fn fleet(servers: u32, rps: f64) -> Self {
        Self {
            servers,
            rps,
            ..Self::default()
        }
    }

    /// With v2's fields.
    pub fn v2(mut self, fields: &str) -> Self {
        self.v2 = fields.to_string();
        self
    }

    /// With this mission length.
    pub fn lasting(mut self, duration: &str) -> Self {
        self.duration = duration.to_string();
        self
    }

    /// With extra fleet fields.
    pub fn with_fleet(mut self, fields: &str) -> Self {
        self.fleet = fields.to_string();
        self
    }

    /// Sessions in server memory (sticky, as such an app needs), plus extra fleet fields.
    pub fn in_memory(self, extra: &str) -> Self {
        self.with_fleet(&format!("sessions: InMemory, sticky: true, {extra}"))
    }

    /// The mission's RON text.
    pub fn text(&self) -> String {
        format!(
            r#"Mission(
    title: "test",
    fleet: (servers: {servers}, capacity_rps: 100.0, {fleet}),
    traffic: (base_rps: {rps:.1}, noise: {noise}, {traffic}),
    versions: {{ "v1": (), "v2": ({v2}) }},
    start: (version: "v1"),
    duration: "{duration}",
    unlocks: [{unlocks}],
    objectives: [{objectives}],
    stars: (two: 800, three: 930),
)"#,
            servers = self.servers,
            fleet = self.fleet,
            rps = self.rps,
            noise = self.noise,
            traffic = self.traffic,
            v2 = self.v2,
            duration = self.duration,
            objectives = self.objectives,
            unlocks = self.unlocks,
        )
    }

    /// The loaded mission (panics with every problem if the text is wrong).
    pub fn mission(&self) -> Mission {
        let text = self.text();
        load_str(&text, "test.ron").unwrap_or_else(|e| panic!("test mission:\n{e}\n{text}"))
    }
}

/// Parses a script text and runs it on `mission`.
/// A drain keeps requests, not in-memory sessions: both runs lost more than `lost`
/// sessions (users re-routed to servers that don't know them), and the undrained one failed
/// more than `margin` requests beyond the drained one (in-flight requests, and traffic sent
/// to a stopped server until its checks failed).
pub fn assert_drain_keeps_requests_not_sessions(
    drained: &Report,
    raw: &Report,
    lost: u64,
    margin: u64,
) {
    for r in [drained, raw] {
        assert!(
            r.score.sessions_lost > lost,
            "sessions lost {}",
            r.score.sessions_lost
        );
    }
    assert!(
        raw.score.failed_requests > drained.score.failed_requests + margin,
        "{} vs {}",
        raw.score.failed_requests,
        drained.score.failed_requests
    );
}

pub fn run_text(mission: &Mission, script: &str, seed: u64) -> Report {
    let script = parse_script(script).unwrap_or_else(|e| panic!("script: {e:?}"));
    run_script(mission, "test", &script, seed)
}

/// A built-in mission by id.
pub fn builtin(id: &str) -> Mission {
    resolve(id).unwrap_or_else(|e| panic!("{id}: {e}")).1
}

/// Runs the `zerodown` binary with `args` from the crate root.
pub fn zerodown(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zerodown"))
        .args(args)
        .current_dir(crate_path(""))
        .output()
        .expect("run zerodown")
}

/// A file of the crate, by path from its root.
pub fn crate_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The text of a crate file.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(crate_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Runs a built-in mission's `levels/<dir>/<id>.txt` script with the mission's seed.
pub fn run_level(id: &str, dir: &str) -> Report {
    let mission = builtin(id);
    let seed = mission.seed;
    let script = parse_script(&read(&format!("levels/{dir}/{id}.txt")))
        .unwrap_or_else(|e| panic!("{dir}/{id}: {e:?}"));
    run_script(&mission, id, &script, seed)
}

/// Steps the sim by `secs` game-seconds.
pub fn step_secs(sim: &mut Sim, secs: u64) {
    for _ in 0..secs * TICKS_PER_SEC {
        sim.step();
    }
}

/// One parsed command.
pub fn cmd(text: &str) -> Command {
    parse_command(text).unwrap_or_else(|e| panic!("`{text}`: {e:?}"))
}

/// Parsed targets, e.g. `web-01..web-08`.
pub fn targets(text: &str) -> Targets {
    match cmd(&format!("drain {text}")) {
        Command::Drain(t) => t,
        other => panic!("not targets: {other}"),
    }
}

/// Applies a command that must be accepted.
pub fn apply(sim: &mut Sim, text: &str) {
    if let Err(why) = sim.apply(&cmd(text)) {
        panic!("`{text}` refused: {why}");
    }
}

/// A fresh directory under the system temp dir, unique to this test, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory whose name includes `name`.
    pub fn new(name: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("zerodown-test-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    /// The path of `name` inside.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to `name` inside and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write temp file");
        path
    }

    /// The names inside, sorted.
    pub fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .expect("read temp dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
