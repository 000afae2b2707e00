//! The `zerodown` command line: subcommands, their output, and exit codes.
//!
//! Exit codes: 0 success / objectives met, 1 objectives not met, 2 bad input (with a
//! message naming the file, line and column). Bad input never panics and never
//! half-writes a file: reports are written to a temporary file and renamed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::command::{Script, parse_script};
use crate::mission::{self, Mission, MissionError};
use crate::progress::{Loaded, Store};
use crate::report::Report;
use crate::runner::run_script;
use crate::ui::{App, Palette, Settings};
use ratatui::symbols::Marker;

/// Prints a line to stdout, ignoring a closed pipe (`zerodown list | head` must not panic).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

// After `say!`, which they use.
mod drill;
mod progress;

/// zerodown — ship releases to a live fleet without your users noticing.
#[derive(Debug, Parser)]
#[command(name = "zerodown", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Colour theme of the game screen: dark, light, cb (colour-blind safe) or mono.
    /// `NO_COLOR` in the environment means mono.
    #[arg(long, global = true, value_parser = parse_palette)]
    pub theme: Option<Palette>,
    /// Draw charts with plain dots instead of Braille (for fonts without Braille).
    #[arg(long, global = true)]
    pub dots: bool,
}

fn parse_palette(name: &str) -> Result<Palette, String> {
    Palette::from_name(name)
        .ok_or_else(|| format!("unknown theme `{name}`: dark, light, cb or mono"))
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// List the missions.
    List,
    /// Run a mission headless with a script and print (or save) the run report.
    Run {
        /// Mission id (e.g. 02-all-at-once) or path to a .ron file.
        mission: String,
        /// Script file: one command a line, `wait 30s` lines, `#` comments.
        #[arg(long)]
        script: PathBuf,
        /// Seed (default: the mission's own, so everybody sees the same run).
        #[arg(long)]
        seed: Option<u64>,
        /// Write the JSON report here.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Validate mission (.ron) and script files; prints every problem as <file:line:col>.
    Check {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the command language (the same table the in-game console uses).
    Commands,
    /// Play a mission in the terminal.
    Play {
        /// Mission id or path.
        mission: String,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Show saved progress (and where it is kept); reset, export or import it.
    Progress {
        /// Start over. The old save is moved aside, not deleted (the path is printed).
        #[arg(long, conflicts_with_all = ["export", "import"])]
        reset: bool,
        /// Write the progress to FILE, to carry it to another machine.
        #[arg(long, value_name = "FILE", conflicts_with = "import")]
        export: Option<PathBuf>,
        /// Replace the progress with FILE once all of it checks out (the old save is kept).
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
    /// The interview drill: "deploy an update to N servers safely". Plan, run, debrief.
    Drill {
        /// The case to play (default: a new one; the seed is shown, to replay it).
        #[arg(long)]
        seed: Option<u64>,
        /// Run this plan file headless and print the rubric and the outcome.
        #[arg(long, value_name = "FILE", conflicts_with = "brief")]
        plan: Option<PathBuf>,
        /// With --plan: write the JSON drill report here.
        #[arg(long, value_name = "OUT.json", requires = "plan")]
        report: Option<PathBuf>,
        /// Print the case as the player is told it, and exit.
        #[arg(long)]
        brief: bool,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Cmd::List) => list(),
        Some(Cmd::Run {
            mission,
            script,
            seed,
            report,
        }) => run(&mission, &script, seed, report.as_deref()),
        Some(Cmd::Check { files }) => check(&files),
        Some(Cmd::Commands) => commands(),
        Some(Cmd::Play { mission, seed }) => play(Some(&mission), seed, cli.theme, cli.dots),
        Some(Cmd::Progress {
            reset,
            export,
            import,
        }) => progress::run(match (reset, &export, &import) {
            (true, _, _) => progress::Op::Reset,
            (_, Some(to), _) => progress::Op::Export(to),
            (_, _, Some(from)) => progress::Op::Import(from),
            _ => progress::Op::Show,
        }),
        Some(Cmd::Drill {
            seed,
            plan,
            report,
            brief,
        }) => drill::run(&drill::Args {
            seed,
            plan: plan.as_deref(),
            report: report.as_deref(),
            brief,
            theme: cli.theme,
            dots: cli.dots,
        }),
        None => play(None, None, cli.theme, cli.dots),
    }
}

fn bad_input(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

fn list() -> ExitCode {
    let progress = match crate::progress::Store::locate() {
        Ok(store) => {
            let loaded = store.load();
            if let Some(w) = &loaded.warning {
                eprintln!("warning: {w}");
            }
            loaded.progress
        }
        Err(_) => crate::progress::Progress::default(),
    };
    let ids: Vec<&str> = mission::builtin().iter().map(|(id, _)| *id).collect();
    let access = progress.access(&ids);
    say!(
        "{:<22} {:>7}  {:<5}  {:<8}  title",
        "mission",
        "chapter",
        "stars",
        "state"
    );
    for ((id, source), access) in mission::builtin().iter().zip(access) {
        let stars = progress.get(id).map_or(0, |r| r.best_stars);
        let shown = "★".repeat(stars as usize) + &"☆".repeat(3 - stars.min(3) as usize);
        let state = match access {
            _ if progress.passed(id) => "passed",
            crate::progress::Access::Open => "open",
            crate::progress::Access::Locked { .. } => "locked",
        };
        match mission::load_str(source, &format!("levels/{id}.ron")) {
            Ok(m) => say!(
                "{id:<22} {:>7}  {shown:<5}  {state:<8}  {}",
                m.chapter,
                m.title
            ),
            Err(e) => say!(
                "{id:<22} {:>7}  {shown:<5}  {state:<8}  (cannot load: {e})",
                "-"
            ),
        }
    }
    say!("rank: {}", progress.rank(&ids).name());
    ExitCode::SUCCESS
}

fn commands() -> ExitCode {
    for spec in crate::command::COMMANDS {
        say!("{}", spec.usage);
        say!("    {}", spec.doc);
    }
    ExitCode::SUCCESS
}

/// Opens the game: the title screen, or straight to a mission's briefing.
fn play(mission: Option<&str>, seed: Option<u64>, theme: Option<Palette>, dots: bool) -> ExitCode {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let settings = Settings {
        palette: theme.unwrap_or(if no_color {
            Palette::Mono
        } else {
            Palette::Dark
        }),
        marker: if dots { Marker::Dot } else { Marker::Braille },
        seed,
    };
    let app = match mission {
        None => App::new(settings),
        Some(arg) => match load_mission(arg) {
            Ok((id, m)) => App::briefing(settings, &id, m),
            Err(e) => return bad_input(&e.to_string()),
        },
    };
    // The save is read here, at the edge; the UI only records results into it. Without a
    // data directory the game still plays, and says it will not remember.
    let app = match Store::locate() {
        Ok(store) => app.with_progress(store.load(), Some(store)),
        Err(e) => app.with_progress(
            Loaded {
                progress: crate::progress::Progress::default(),
                warning: Some(format!("progress will not be saved: {e}")),
            },
            None,
        ),
    };
    match crate::app::run(app) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zerodown: terminal error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load_mission(id_or_path: &str) -> Result<(String, Mission), MissionError> {
    mission::resolve(id_or_path)
}

fn load_script(path: &Path) -> Result<Script, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    parse_script(&text).map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn run(mission_arg: &str, script_path: &Path, seed: Option<u64>, out: Option<&Path>) -> ExitCode {
    let (id, mission) = match load_mission(mission_arg) {
        Ok(m) => m,
        Err(e) => return bad_input(&e.to_string()),
    };
    let script = match load_script(script_path) {
        Ok(s) => s,
        Err(e) => return bad_input(&e),
    };
    let seed = seed.unwrap_or(mission.seed);
    let report = run_script(&mission, &id, &script, seed);
    if let Some(path) = out {
        if let Err(e) = write_atomic(path, &report.to_json()) {
            return bad_input(&format!("{}: cannot write report: {e}", path.display()));
        }
        print_summary(&report);
    } else {
        say!("{}", report.to_json());
    }
    if report.outcome == "passed" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_summary(r: &Report) {
    let s = &r.score;
    let stars = "★".repeat(r.stars as usize) + &"☆".repeat(3 - r.stars.min(3) as usize);
    say!(
        "{} — {}  {stars}  grade {}  {} points",
        r.mission,
        r.outcome.to_uppercase(),
        r.grade,
        s.points
    );
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.0}s"));
    say!(
        "downtime {}s  availability {:.3}%  error budget used {:.1}%  detect {}  restore {}  users hit {:.2}%  sessions lost {}",
        s.downtime_s,
        s.availability * 100.0,
        s.error_budget_used_pct,
        opt(s.mttd_s),
        opt(s.mttr_s),
        s.users_affected_pct,
        s.sessions_lost
    );
    for o in &r.objectives {
        say!("  {} {}", if o.met { "✔" } else { "✖" }, o.text);
    }
}

/// Writes `text` to `path` through a temporary file and a rename: never half a file.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut problems = 0;
    for path in files {
        let is_mission = path.extension().is_some_and(|e| e == "ron");
        let result = if is_mission {
            mission::load_path(path)
                .map(|_| ())
                .map_err(|e| e.to_string())
        } else {
            load_script(path).map(|_| ())
        };
        match result {
            Ok(()) => say!("ok {}", path.display()),
            Err(e) => {
                problems += e.lines().count();
                eprintln!("{e}");
            }
        }
    }
    if problems == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("{problems} problem(s)");
        ExitCode::from(2)
    }
}
