//! `zerodown sandbox [FILE] [flags]`: free play on a fleet the player configures.
//!
//! The fleet comes from a `Sandbox(..)` file (or any mission, played freely), or the default
//! one; the flags then override parts of it. The result is validated by the missions' own
//! rules and played in the TUI with every command unlocked. A sandbox never touches the
//! saved campaign progress: the app gets no progress store.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

use super::{bad_input, run_app, settings};
use crate::drill::Plan;
use crate::mission::{
    self, Balancer, DEFAULT_STORE_RPS, MAX_SERVERS, Migration, Mission, Pipeline, Sandbox,
    Sessions, Version,
};
use crate::time::Dur;
use crate::ui::App;

mod values;

/// The flags of `zerodown sandbox`. Each overrides one part of the FILE (or the default).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(
    after_help = "Examples:\n  zerodown sandbox\n  zerodown sandbox sandbox/big-fleet.ron\n  \
    zerodown sandbox --servers 40 --rps 3000 --version v2:errors=0.05,onset=1m --version v3\n  \
    zerodown sandbox sandbox/migration.ron --duration 30m"
)]
pub struct Args {
    /// A sandbox file (`Sandbox(..)`, see sandbox/*.ron) or a mission id or file, played
    /// freely. Without: 20 servers × 100 req/s, 1200 req/s of users, v1 running, v2 a healthy
    /// release, v3 one with a defect.
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
    /// Number of app servers (1 to 10000).
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SERVERS)))]
    pub servers: Option<u32>,
    /// Requests per second one server completes at 100 % CPU (> 0, at most 10000000).
    #[arg(long, value_name = "RPS", value_parser = values::capacity, allow_negative_numbers = true)]
    pub capacity: Option<f64>,
    /// Users' requests per second at the start (0 to 10000000).
    #[arg(long, value_name = "RPS", value_parser = values::rate, allow_negative_numbers = true)]
    pub rps: Option<f64>,
    /// How the load balancer splits traffic: by weight (exact canary shares) or evenly over
    /// servers (a canary's share is its share of the servers).
    #[arg(long, value_enum)]
    pub balancer: Option<BalancerArg>,
    #[arg(long = "version", value_name = "SPEC", value_parser = values::version,
          help = "A release: NAME or NAME:KEY=VALUE,... (repeatable; keys in --help)",
          long_help = values::VERSION_HELP)]
    pub versions: Vec<(String, Version)>,
    /// The version every server runs at the start (one of the versions).
    #[arg(long, value_name = "VERSION")]
    pub start: Option<String>,
    /// Where user sessions live at the start: `stateless` (signed tokens), `memory` (in the
    /// server that started them; sticky routing turns on, as such an app needs) or
    /// `external` (adds a session store if the fleet has none, 20000 req/s).
    #[arg(long, value_enum)]
    pub sessions: Option<SessionsArg>,
    /// Offer schema migrations for `migrate`: expand (schema +1), backfill, contract
    /// (schema +2).
    #[arg(long)]
    pub migrations: bool,
    /// Add the release pipeline (`pipeline run v2`, `promote staging`) with default stages.
    #[arg(long)]
    pub pipeline: bool,
    /// Game time the sandbox runs (default 1h; at most 48h), e.g. 30m, 2h.
    #[arg(long, value_name = "DURATION", value_parser = values::duration)]
    pub duration: Option<Dur>,
    /// Seed of the run (default: the file's, else 1).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// `--balancer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BalancerArg {
    Weighted,
    ServerCount,
}

/// `--sessions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SessionsArg {
    Stateless,
    Memory,
    External,
}

impl Args {
    /// The sandbox these flags describe: (id, free-play mission), or every problem as text
    /// (`file:line:col: message` for the file, the flag's name for the flags).
    pub fn mission(&self) -> Result<(String, Mission), String> {
        self.mission_and_plan().map(|(id, m, _)| (id, m))
    }

    /// `mission`, and the plan a rollout config starts (`FILE.yaml`), read once.
    pub fn mission_and_plan(&self) -> Result<(String, Mission, Option<Plan>), String> {
        let mut plan = None;
        let (id, mut m) = match &self.file {
            Some(arg) if is_config(arg) => {
                let (m, p) = from_config(Path::new(arg), self.servers)?;
                plan = p;
                ("sandbox".to_string(), m)
            }
            Some(arg) => mission::resolve(arg).map_err(|e| e.to_string())?,
            None => ("sandbox".to_string(), Sandbox::default().into_mission()),
        };
        mission::free_play(&mut m);
        self.apply(&mut m)?;
        // The file was valid and each flag's value was; what is left is a combination
        // (more pools than `--servers`, a version `--start` does not know, …).
        let issues = mission::validate(&m);
        if issues.is_empty() {
            Ok((id, m, plan))
        } else {
            Err(issues
                .iter()
                .map(|i| format!("zerodown sandbox: {} (with the flags given)", i.message))
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }

    fn apply(&self, m: &mut Mission) -> Result<(), String> {
        let fleet = &mut m.fleet;
        if let Some(n) = self.servers {
            fleet.servers = n;
        }
        if let Some(c) = self.capacity {
            fleet.capacity_rps = c;
        }
        if let Some(rps) = self.rps {
            m.traffic.base_rps = rps;
        }
        if let Some(b) = self.balancer {
            fleet.balancer = match b {
                BalancerArg::Weighted => Balancer::Weighted,
                BalancerArg::ServerCount => Balancer::ServerCount,
            };
        }
        match self.sessions {
            Some(SessionsArg::Stateless) => fleet.sessions = Sessions::Stateless,
            Some(SessionsArg::Memory) => {
                fleet.sessions = Sessions::InMemory;
                fleet.sticky = true;
            }
            Some(SessionsArg::External) => {
                fleet.sessions = Sessions::External;
                fleet.session_store_rps.get_or_insert(DEFAULT_STORE_RPS);
            }
            None => {}
        }
        let start = self
            .start
            .clone()
            .unwrap_or_else(|| m.start.version.clone());
        if self.file.is_none() && !self.versions.is_empty() {
            // The player lists the releases: the default ones go, the running one stays.
            m.versions.retain(|name, _| *name == start);
        }
        m.versions.extend(self.versions.iter().cloned());
        if !m.versions.contains_key(&start) {
            let known: Vec<&str> = m.versions.keys().map(String::as_str).collect();
            return Err(format!(
                "--start {start}: no such version (there are {}); add it with --version {start}",
                known.join(", ")
            ));
        }
        m.start.version = start;
        if self.migrations {
            let s = m.database.schema;
            let step = |schema, backfill, takes| Migration {
                schema,
                backfill,
                trigger: false,
                // The backfill fills the column the expand adds.
                needs_schema: if backfill { s + 1 } else { 0 },
                takes: Dur::from_secs(takes),
                load: if backfill { 0.5 } else { 0.2 },
                blocking: false,
            };
            let db = &mut m.database.migrations;
            db.insert("expand".into(), step(Some(s + 1), false, 30));
            db.insert("backfill".into(), step(None, true, 60));
            db.insert("contract".into(), step(Some(s + 2), false, 20));
        }
        if self.pipeline {
            m.pipeline.get_or_insert_with(Pipeline::default);
        }
        if let Some(d) = self.duration {
            m.duration = d;
        }
        if let Some(seed) = self.seed {
            m.seed = seed;
        }
        Ok(())
    }
}

/// Runs `zerodown sandbox`: the TUI on the configured fleet; 2 on bad input.
pub fn run(args: &Args, look: super::Look) -> ExitCode {
    let (id, mission, plan) = match args.mission_and_plan() {
        Ok(m) => m,
        Err(e) => return bad_input(&e),
    };
    // No `with_progress`: free play is never recorded in the campaign's save.
    let mut app = App::briefing(settings(look, args.seed), &id, mission);
    app.start_plan = plan;
    run_app(app)
}

/// Whether `arg` names rollout config (YAML or JSON) rather than a mission.
pub fn is_config(arg: &str) -> bool {
    matches!(
        Path::new(arg).extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// The sandbox a rollout config describes: the default sandbox's fleet with the config's
/// size, health checks, balancer and affinity; v2 is the config's release (healthy unless a
/// `--version v2:…` flag says otherwise), and the plan that starts it (its guards, then its
/// strategy) runs at the start.
pub fn from_config(path: &Path, servers: Option<u32>) -> Result<(Mission, Option<Plan>), String> {
    let imported = super::manifests::read_config(path, servers)?;
    let mut m = Sandbox::default().into_mission();
    let play = &imported.play;
    if imported.replicas_given {
        m.fleet.servers = play.setup.replicas;
        m.traffic.base_rps = f64::from(play.setup.replicas) * m.fleet.capacity_rps * 0.6;
    }
    play.setup.apply_to(&mut m);
    let plan = play.plan();
    let mut briefing = format!(
        "Your config ({}, {}) runs here: {} servers; v1 runs now.",
        imported.format.title(),
        path.display(),
        m.fleet.servers
    );
    if let Some(r) = play.shipping() {
        let _ = write!(
            briefing,
            " At the start it ships the config's release (tag {}), called v2 here: {}, watched by {}.",
            r.version,
            crate::manifest::export::describe(&r.how),
            if r.guards.is_empty() {
                "nothing".to_string()
            } else {
                r.guards
                    .iter()
                    .map(|g| {
                        g.command("v2")
                            .to_string()
                            .trim_start_matches("guard ")
                            .to_string()
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        );
    } else {
        briefing.push_str(" It ships nothing at the start: start a rollout yourself.");
    }
    briefing.push_str(" v3 is a bad build to try it on (errors after a minute). Give v2 a fault with --version v2:errors=0.05.");
    if !imported.notes.is_empty() {
        briefing.push_str("\n\nRead differently or not at all:");
        for n in imported.notes.iter().take(8) {
            let _ = write!(briefing, "\n• line {}: {}", n.line, n.text);
        }
    }
    m.briefing = briefing;
    m.title = format!("Your {} config", imported.format.title());
    Ok((m, plan))
}
