//! `zerodown export` (a play as real rollout config) and `zerodown whatif` (real config
//! played against every fault), and the reading of a config file both `whatif` and
//! `sandbox FILE.yaml` share.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{bad_input, load_mission, load_script};
use crate::manifest::import::{DEFAULT_REPLICAS, Imported};
use crate::manifest::whatif::{self, Fault, Fleet, MAX_SEEDS, Output};
use crate::manifest::{Format, Play, export, import_for};
use crate::mission::Mission;
use crate::progress::write_atomic;
use crate::replay::Recording;
use crate::runner::run_script_noting;

/// The largest fleet a what-if plays (each fault × seed is a whole run).
pub const MAX_WHATIF_SERVERS: u32 = 1000;
/// The most requests per second a server or a fleet may be given.
pub const MAX_RPS: f64 = 10_000_000.0;

/// Where `export` reads the play from.
#[derive(Debug, Clone)]
pub enum Source {
    Report(PathBuf),
    Script {
        mission: String,
        script: PathBuf,
        seed: Option<u64>,
    },
}

/// The play a report or a script makes, on its mission (id, title, mission, play).
pub fn play_of(
    source: &Source,
    mission_arg: Option<&str>,
) -> Result<(String, Mission, Play), String> {
    match source {
        Source::Report(path) => {
            let (rec, _) =
                Recording::from_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let (id, mission) = match mission_arg {
                Some(m) => load_mission(m).map_err(|e| e.to_string())?,
                None => (
                    rec.mission.clone(),
                    rec.mission().map_err(|e| {
                        format!("{}: {e} (name its file with --mission)", path.display())
                    })?,
                ),
            };
            let play = Play::from_commands(&mission, &rec.commands);
            Ok((id, mission, play))
        }
        Source::Script {
            mission,
            script,
            seed,
        } => {
            let (id, m) = load_mission(mission).map_err(|e| e.to_string())?;
            let s = load_script(script)?;
            let seed = seed.unwrap_or(m.seed);
            let (report, _) = run_script_noting(&m, &id, &s, seed);
            let rec = Recording::from_report_json(&report.to_json()).map_err(|e| e.to_string())?;
            let play = Play::from_commands(&m, &rec.commands);
            Ok((id, m, play))
        }
    }
}

/// `zerodown export`.
pub fn run_export(
    source: &Source,
    mission: Option<&str>,
    to: Format,
    out: Option<&Path>,
) -> ExitCode {
    let (id, m, play) = match play_of(source, mission) {
        Ok(p) => p,
        Err(e) => return bad_input(&e),
    };
    let text = export(&play, to, &format!("{id} ({})", m.title));
    match out {
        Some(path) => {
            if let Err(e) = write_atomic(path, &text) {
                return bad_input(&format!("{}: cannot write: {e}", path.display()));
            }
            say!(
                "{}: {} release(s) as {} config{}",
                path.display(),
                play.releases.len(),
                to.title(),
                if play.by_hand.is_empty() {
                    String::new()
                } else {
                    format!(", {} step(s) done by hand as comments", play.by_hand.len())
                }
            );
        }
        None => print!("{text}"),
    }
    ExitCode::SUCCESS
}

/// Reads a config file and the AnalysisTemplates beside it: the import, or the message
/// (`file:line:col: …`).
pub fn read_config(path: &Path, servers: Option<u32>) -> Result<Imported, String> {
    let name = path.display().to_string();
    let text = crate::textfile::read_text(path, crate::manifest::import::MAX_BYTES as u64)
        .map_err(|e| format!("{name}: {e}"))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let me = path.to_path_buf();
    let beside = move |template: &str| -> Option<(String, String)> {
        let entries = std::fs::read_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &dir
        })
        .ok()?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                *p != me && matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml"))
            })
            .take(200)
            .collect();
        files.sort();
        for f in files {
            let Ok(t) = crate::textfile::read_text(&f, crate::manifest::import::MAX_BYTES as u64)
            else {
                continue;
            };
            if t.contains(template) && t.contains("AnalysisTemplate") {
                return Some((t, f.display().to_string()));
            }
        }
        None
    };
    import_for(&text, &beside, servers).map_err(|e| {
        if e.line == 0 {
            format!("{name}: {}", e.message)
        } else {
            format!("{name}:{}:{}: {}", e.line, e.column, e.message)
        }
    })
}

/// The flags of `whatif`.
#[derive(Debug, Clone, clap::Args)]
pub struct WhatIfArgs {
    /// A Deployment, Rollout (+ AnalysisTemplates, in the file or beside it), Flagger
    /// Canary (+ its Deployment), or CodeDeploy configuration (YAML or JSON).
    #[arg(value_name = "FILE.yaml")]
    pub file: PathBuf,
    /// Servers in the fleet (1 to 1000; default: the config's replicas, else 20).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_WHATIF_SERVERS)))]
    pub fleet: Option<u32>,
    /// Users' requests per second at the start (default: 35–50 % of the fleet's capacity).
    #[arg(long, value_name = "R", value_parser = rate)]
    pub rps: Option<f64>,
    /// Requests per second one server completes at 100 % CPU (default 100).
    #[arg(long, value_name = "C", value_parser = capacity)]
    pub capacity: Option<f64>,
    /// Faults to play, comma-separated (default all): none, errors, latency, tail, cpu,
    /// leak, crash, db, onset.
    #[arg(long, value_name = "KIND,…", value_delimiter = ',')]
    pub fault: Vec<String>,
    /// How many seeds each fault plays on (1 to 50).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SEEDS)))]
    pub seeds: u32,
    /// The first seed (the others follow it; default 1). With --mission: the run's seed
    /// (default the mission's).
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Output,
    /// Play the config on this mission instead (its fleet, releases and seed): what the
    /// config alone does there, without what was done by hand.
    #[arg(long, conflicts_with_all = ["fleet", "rps", "capacity", "fault", "seeds"])]
    pub mission: Option<String>,
}

fn rate(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if !(0.0..=MAX_RPS).contains(&x) {
        return Err(format!("must be 0 to {MAX_RPS}"));
    }
    Ok(x)
}

fn capacity(s: &str) -> Result<f64, String> {
    let x = rate(s)?;
    if x <= 0.0 {
        return Err("must be more than 0".into());
    }
    Ok(x)
}

/// `zerodown whatif`.
pub fn run_whatif(a: &WhatIfArgs) -> ExitCode {
    let imported = match read_config(&a.file, a.fleet) {
        Ok(i) => i,
        Err(e) => return bad_input(&e),
    };
    if let Some(m) = &a.mission {
        return on_mission(&imported, m, a.seed);
    }
    let mut faults = Vec::new();
    for word in &a.fault {
        match Fault::parse(word) {
            Ok(f) if !faults.contains(&f) => faults.push(f),
            Ok(_) => {}
            Err(e) => return bad_input(&format!("--fault: {e}")),
        }
    }
    if faults.is_empty() {
        faults = Fault::all();
    }
    let servers = a.fleet.unwrap_or(if imported.replicas_given {
        imported.play.setup.replicas.min(MAX_WHATIF_SERVERS)
    } else {
        DEFAULT_REPLICAS
    });
    let cap = a.capacity.unwrap_or(100.0);
    if let Some(r) = a.rps
        && r > f64::from(servers) * cap * 10.0
    {
        return bad_input(&format!(
            "--rps {r}: more than ten times what {servers} servers × {cap} req/s can serve"
        ));
    }
    let first = a.seed.unwrap_or(1);
    let seeds: Vec<u64> = (0..u64::from(a.seeds))
        .map(|k| first.wrapping_add(k))
        .collect();
    let fleet = Fleet {
        servers,
        capacity_rps: cap,
        rps: a.rps,
    };
    match whatif::run(&imported, fleet, &faults, &seeds) {
        Ok(w) => {
            print!("{}", w.render(a.format));
            ExitCode::SUCCESS
        }
        Err(e) => bad_input(&format!("{}: {e}", a.file.display())),
    }
}

/// The config played on a mission: its releases at their times, on the mission's fleet.
fn on_mission(imported: &Imported, mission: &str, seed: Option<u64>) -> ExitCode {
    let (id, m) = match load_mission(mission) {
        Ok(x) => x,
        Err(e) => return bad_input(&e.to_string()),
    };
    let seed = seed.unwrap_or(m.seed);
    let report = crate::manifest::whatif::on_mission(&imported.play, &m, &id, seed);
    super::print_summary(&report);
    for n in &imported.notes {
        say!("  line {}: {}", n.line, n.text);
    }
    if report.outcome == "passed" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
