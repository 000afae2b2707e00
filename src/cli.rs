//! The `zerodown` command line: subcommands, their output, and exit codes.
//!
//! Exit codes: 0 success / objectives met, 1 objectives not met, 2 bad input (with a
//! message naming the file, line and column). Bad input never panics and never
//! half-writes a file: reports are written to a temporary file and renamed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::command::{Script, parse_script};
use crate::defuse::defused;
use crate::mission::{self, Mission, MissionError};
use crate::progress::{Loaded, Store, write_atomic};
use crate::report::Report;
use crate::runner::{Refusal, run_script_noting};
use crate::ui::{App, ColorDepth, GlyphMode, Palette, Reports, Settings};
use crate::workshop::ClassCode;
use ratatui::symbols::Marker;

/// Prints a line to stdout, ignoring a closed pipe (`zerodown list | head` must not panic).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

// After `say!`, which they use.
mod doctor;
mod drill;
mod manifests;
mod notes;
mod progress;
mod replay;
pub mod sandbox;
mod workshop;

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
    /// Colours the terminal shows: truecolor, 256 or 16. Without it: detected from
    /// COLORTERM, TERM and TERM_PROGRAM (24-bit colours are mapped to the nearest of 256 or 16).
    #[arg(long, global = true, value_parser = parse_depth)]
    pub colors: Option<ColorDepth>,
    /// Draw with ASCII only (`# ^ * @` versions, letters for states, `+-|` boxes), for a
    /// font or console without the symbols. Without it: ASCII when the locale (LC_ALL,
    /// LC_CTYPE, LANG) is not UTF-8.
    #[arg(long, global = true, conflicts_with = "unicode")]
    pub ascii: bool,
    /// Draw with Unicode symbols even when the locale does not say UTF-8 (a terminal and
    /// font that have them, e.g. a Windows console with a good font).
    #[arg(long, global = true)]
    pub unicode: bool,
    /// Read none of the config files (config.ron, theme.ron, keys.ron): the defaults.
    #[arg(long, global = true)]
    pub no_config: bool,
}

/// How the game screen should look: the flags shared by every command that opens it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Look {
    pub theme: Option<Palette>,
    pub dots: bool,
    pub colors: Option<ColorDepth>,
    /// `--ascii` or `--unicode`; `None`: decided by the locale.
    pub glyphs: Option<GlyphMode>,
    /// `--no-config`.
    pub no_config: bool,
}

impl Cli {
    /// The look the flags ask for.
    pub fn look(&self) -> Look {
        Look {
            theme: self.theme,
            dots: self.dots,
            colors: self.colors,
            glyphs: match (self.ascii, self.unicode) {
                (true, _) => Some(GlyphMode::Ascii),
                (_, true) => Some(GlyphMode::Unicode),
                _ => None,
            },
            no_config: self.no_config,
        }
    }
}

fn parse_depth(name: &str) -> Result<ColorDepth, String> {
    ColorDepth::from_name(name)
        .ok_or_else(|| format!("unknown colour depth `{name}` (truecolor, 256 or 16)"))
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
    /// Validate mission and sandbox (.ron) and script files; prints every problem as
    /// <file:line:col>.
    Check {
        /// Files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also check the scripts against this mission: the commands it allows, its
        /// versions and migrations (id or path).
        #[arg(long)]
        mission: Option<String>,
    },
    /// List the command language (the same table the in-game console uses).
    Commands {
        /// Only what this mission allows (id or path), with its versions and migrations.
        #[arg(long)]
        mission: Option<String>,
    },
    /// Play a mission in the terminal (or a workshop's missions, with --code).
    Play {
        /// Mission id or path (with --code: one of the class's missions; without: its map).
        #[arg(required_unless_present = "code")]
        mission: Option<String>,
        #[arg(long, conflicts_with = "code")]
        seed: Option<u64>,
        /// A class code from `zerodown workshop new`: the class's missions and seed.
        #[arg(long)]
        code: Option<String>,
        /// Write each finished mission's report (with its command log) into this folder.
        /// With --code it defaults to ./zerodown-reports.
        #[arg(long, value_name = "DIR")]
        reports: Option<PathBuf>,
        /// Your name in the report file names (default: your login name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Watch a recorded run (a run report with its command log) at any speed, or two runs
    /// of one mission side by side on one clock.
    ///
    /// Keys: `:` goto a time (goto 1:10, goto 70, goto 70s), `]`/`[` the next/previous
    /// marker (fault visible, first alert, reaction, restored), `.`/`,` ten game seconds
    /// on/back (back re-simulates from the start), space pauses, +/- speed, n the next
    /// event; a jump pauses the clock. The header names the student (from the file name or
    /// its folder), the outcome and the markers with their times.
    Replay {
        /// The report (JSON) of `zerodown run --report`, or of a finished mission; two
        /// reports of the same mission play side by side (A left, B right).
        #[arg(required = true, num_args = 1..=2, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Only check that re-running it gives the file back, byte for byte (no terminal).
        #[arg(long, conflicts_with = "cast")]
        check: bool,
        /// Clock speed to start at: 1, 2, 5, 10, 30, 60 or 120 (others round down; +/-
        /// change it; default 5). With --cast: game seconds per second of the recording,
        /// 1 to 120 (default 10).
        #[arg(long)]
        speed: Option<u32>,
        /// The mission file, for a report of a mission that is not built in.
        #[arg(long, value_name = "PATH")]
        mission: Option<String>,
        /// Record the replay, headless, as a terminal recording (asciicast v2, for
        /// asciinema-player): the game's own screens, to the debrief.
        #[arg(long, value_name = "OUT.cast")]
        cast: Option<PathBuf>,
        /// The recording's terminal size, from 80x24 to 300x100 (default 120x40).
        #[arg(long, value_name = "WxH", requires = "cast")]
        size: Option<String>,
        /// The longest pause in the recording, seconds (0.1 to 60, default 2): quiet
        /// stretches are cut to it.
        #[arg(long, value_name = "S", requires = "cast")]
        idle_limit: Option<f64>,
    },
    /// Classroom workshops: a class code fixes the missions and the seed for everybody.
    Workshop {
        #[command(subcommand)]
        op: workshop::Op,
    },
    /// Rank a class's reports. Each is re-simulated from its seed and commands: a report
    /// whose score was edited does not match and is rejected.
    Scoreboard {
        /// Folder of reports (`*.json`), or of one sub-folder per student.
        dir: PathBuf,
        /// Only accept reports of this class (its missions and seed).
        #[arg(long)]
        code: Option<String>,
        /// table (default), md (Markdown) or csv (one row per report; with --by-mission,
        /// one per student × mission, missing ones included: a gradebook).
        #[arg(long, default_value = "table")]
        format: String,
        /// A student × mission grid, each mission's missed objectives and detect/restore
        /// times, and how many students made each of the notes' common mistakes.
        #[arg(long)]
        by_mission: bool,
        /// Also record terminal recordings (asciicast v2) into this folder: for each
        /// mission, the best passed run of each of its top 3 players,
        /// MISSION-PLACE-PLAYER.cast (120x40, speed 10, as `replay --cast`).
        #[arg(long, value_name = "OUTDIR")]
        casts: Option<PathBuf>,
    },
    /// Free play on a fleet you configure (flags or a sandbox file); every command unlocked.
    Sandbox(sandbox::Args),
    /// What this terminal will show (size, colours, glyphs) and where progress is saved:
    /// run it first in a workshop
    Doctor,
    /// Your config files (config.ron, theme.ron, keys.ron): where they are read from
    /// ($ZERODOWN_CONFIG or the platform's config folder) and whether each reads well.
    Config {
        /// Print the default files, commented, to edit.
        #[arg(long)]
        print_defaults: bool,
        /// Write the default files into the config folder (an existing file is kept).
        #[arg(long, conflicts_with = "print_defaults")]
        write: bool,
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
    /// Facilitator notes for a workshop: questions, common mistakes, quiz answers and the
    /// measured scores of the solution and the mistake. Without a mission: the list.
    Notes {
        /// Mission id or path.
        mission: Option<String>,
        /// The notes of every built-in mission.
        #[arg(long, conflicts_with = "mission")]
        all: bool,
        /// Markdown (for a handout) instead of plain text.
        #[arg(long)]
        markdown: bool,
        /// Measure on this seed instead of the mission's own.
        #[arg(long)]
        seed: Option<u64>,
        /// A handout for students: briefing, concept, questions and the quiz, without
        /// answers, common mistakes or measured scores.
        #[arg(long, conflicts_with = "answers")]
        student: bool,
        /// Also print the reference solution and mistake scripts (for headless students).
        #[arg(long)]
        answers: bool,
        /// Print the reference solution as real rollout config instead: argo, k8s,
        /// flagger or codedeploy (a handout for after the mission).
        #[arg(long, value_enum, value_name = "FORMAT", conflicts_with_all = ["student", "answers"])]
        config: Option<crate::manifest::Format>,
    },
    /// Your play as real rollout config: Argo Rollouts, Kubernetes, Flagger or CodeDeploy
    /// YAML, from a run report or a mission and a script. What a format has no field for
    /// (a migration, a manual drain, a session store) is a comment saying how teams do it.
    #[command(after_help = "Examples:\n  zerodown export run.json --to argo\n  \
    zerodown export --mission 07-canary --script levels/solutions/07-canary.txt --to flagger --out canary.yaml")]
    Export {
        /// A run report (JSON) of `zerodown run --report` or a finished mission.
        #[arg(value_name = "REPORT.json", required_unless_present = "script")]
        report: Option<PathBuf>,
        /// The mission (id or path): of the script, or of a report of a mission file.
        #[arg(long)]
        mission: Option<String>,
        /// A script to run on --mission, instead of a report.
        #[arg(long, requires = "mission", conflicts_with = "report")]
        script: Option<PathBuf>,
        /// The script's seed (default the mission's).
        #[arg(long, requires = "script")]
        seed: Option<u64>,
        /// argo (default), k8s, flagger or codedeploy.
        #[arg(long, value_enum, default_value = "argo")]
        to: crate::manifest::Format,
        /// Write the YAML here instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// What would this config do if the release were bad? Reads a Deployment, an Argo
    /// Rollout (+ AnalysisTemplates), a Flagger Canary or a CodeDeploy configuration and
    /// plays it against every fault on several seeds: caught or not, by what, how fast,
    /// users hit, error budget, downtime, extra servers, and a verdict per fault.
    #[command(after_help = "Examples:\n  zerodown whatif rollout.yaml\n  \
    zerodown whatif rollout.yaml --fleet 100 --rps 4000 --fault errors,leak,onset --seeds 10\n  \
    zerodown whatif canary.yaml --format md")]
    Whatif(manifests::WhatIfArgs),
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
    let look = cli.look();
    match cli.command {
        Some(Cmd::List) => list(),
        Some(Cmd::Run {
            mission,
            script,
            seed,
            report,
        }) => run(&mission, &script, seed, report.as_deref()),
        Some(Cmd::Check { files, mission }) => check(&files, mission.as_deref()),
        Some(Cmd::Commands { mission }) => commands(mission.as_deref()),
        Some(Cmd::Play {
            mission,
            seed,
            code,
            reports,
            name,
        }) => {
            let class = Class {
                code,
                reports,
                name,
            };
            play(mission.as_deref(), seed, &class, look)
        }
        Some(Cmd::Replay {
            files,
            check,
            speed,
            mission,
            cast,
            size,
            idle_limit,
        }) => {
            let cast = cast.map(|out| replay::CastTo {
                out,
                size,
                idle_limit,
            });
            replay::run(
                &files,
                mission.as_deref(),
                check,
                speed,
                cast.as_ref(),
                look,
            )
        }
        Some(Cmd::Workshop { op }) => workshop::run(&op, look),
        Some(Cmd::Scoreboard {
            dir,
            code,
            format,
            by_mission,
            casts,
        }) => workshop::scoreboard(
            &dir,
            code.as_deref(),
            &format,
            by_mission,
            casts.as_deref(),
            look,
        ),
        Some(Cmd::Doctor) => doctor::run(look),
        Some(Cmd::Config {
            print_defaults,
            write,
        }) => config(print_defaults, write),
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
        Some(Cmd::Notes {
            mission,
            all,
            markdown,
            seed,
            student,
            answers,
            config,
        }) => notes::run(&notes::Args {
            mission,
            all,
            markdown,
            seed,
            student,
            answers,
            config,
        }),
        Some(Cmd::Sandbox(args)) => sandbox::run(&args, look),
        Some(Cmd::Export {
            report,
            mission,
            script,
            seed,
            to,
            out,
        }) => {
            let source = match (report, script, &mission) {
                (Some(r), _, _) => manifests::Source::Report(r),
                (None, Some(script), Some(m)) => manifests::Source::Script {
                    mission: m.clone(),
                    script,
                    seed,
                },
                _ => {
                    return bad_input(
                        "zerodown export: give a REPORT.json, or --mission and --script",
                    );
                }
            };
            let mission = match &source {
                manifests::Source::Report(_) => mission.as_deref(),
                manifests::Source::Script { .. } => None,
            };
            manifests::run_export(&source, mission, to, out.as_deref())
        }
        Some(Cmd::Whatif(args)) => manifests::run_whatif(&args),
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
            look,
        }),
        None => play(None, None, &Class::default(), look),
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

fn commands(mission: Option<&str>) -> ExitCode {
    let Some(arg) = mission else {
        for spec in crate::command::COMMANDS {
            say!("{}", spec.usage);
            say!("    {}", spec.doc);
        }
        return ExitCode::SUCCESS;
    };
    let (id, m) = match load_mission(arg) {
        Ok(m) => m,
        Err(e) => return bad_input(&e.to_string()),
    };
    say!("{id}: {}", m.title);
    let names = |keys: Vec<&String>| {
        keys.into_iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    say!("versions: {}", names(m.versions.keys().collect()));
    if !m.database.migrations.is_empty() {
        say!(
            "migrations: {}",
            names(m.database.migrations.keys().collect())
        );
    }
    say!("");
    for spec in m.allowed_commands() {
        say!("{}", spec.usage);
        say!("    {}", spec.doc);
    }
    ExitCode::SUCCESS
}

/// Opens the game: the title screen, or straight to a mission's briefing.
/// `play`'s classroom flags.
#[derive(Debug, Default)]
struct Class {
    code: Option<String>,
    reports: Option<PathBuf>,
    name: Option<String>,
}

fn play(mission: Option<&str>, seed: Option<u64>, class: &Class, look: Look) -> ExitCode {
    let settings = settings(look, seed);
    let code = match class.code.as_deref().map(ClassCode::parse).transpose() {
        Ok(c) => c,
        Err(e) => return bad_input(&format!("zerodown play: --code: {e}")),
    };
    let app = match (mission, code) {
        (None, Some(code)) => App::for_class(settings, code),
        (Some(arg), Some(code)) => {
            let arg = mission::campaign_id(arg).unwrap_or(arg);
            if !code.has(arg) {
                return bad_input(&format!(
                    "zerodown play: `{arg}` is not one of the class's missions ({})",
                    code.missions.join(", ")
                ));
            }
            let mut app = App::for_class(settings, code);
            app.selected = app.ids().iter().position(|id| *id == arg).unwrap_or(0);
            app.screen = crate::ui::Screen::Briefing;
            app
        }
        (None, None) => App::new(settings),
        (Some(arg), None) => match load_mission(arg) {
            Ok((id, m)) => App::briefing(settings, &id, m),
            Err(e) => return bad_input(&e.to_string()),
        },
    };
    let reports = class
        .reports
        .clone()
        .or_else(|| {
            app.class
                .as_ref()
                .map(|_| PathBuf::from("zerodown-reports"))
        })
        .map(|dir| {
            let login = std::env::var("USER").or_else(|_| std::env::var("USERNAME"));
            let name = class.name.clone().or(login.ok()).unwrap_or_default();
            Reports::new(&dir, &name)
        });
    // A folder that cannot take a report is said now, not after the mission.
    if let Some(r) = &reports
        && let Err(e) = r.ready()
    {
        return bad_input(&format!("zerodown play: --reports: {e}"));
    }
    let app = app.with_reports(reports);
    let app = match run_tui(with_saved_progress(app)) {
        Ok(app) => app,
        Err(code) => return code,
    };
    if let Some(r) = &app.reports {
        match app.reports_written.len() {
            0 => say!(
                "no mission finished: no report written in {}",
                r.dir.display()
            ),
            n => {
                say!("{} written:", crate::words::count(n, "report"));
                for path in &app.reports_written {
                    say!("  {}", path.display());
                }
            }
        }
    }
    success_or_signal()
}

/// Success, or 128 + the signal that ended the game (143 for SIGTERM), as shells and
/// supervisors expect.
fn success_or_signal() -> ExitCode {
    crate::app::ended_by_signal().map_or(ExitCode::SUCCESS, |sig| {
        ExitCode::from(128u8.saturating_add(sig))
    })
}

/// `app` with the saved progress. The save is read here, at the edge; the UI only records
/// results into it. Without a data directory the game still plays, and says it will not
/// remember.
fn with_saved_progress(app: App) -> App {
    match Store::locate() {
        Ok(store) => app.with_progress(store.load(), Some(store)),
        Err(e) => app.with_progress(
            Loaded {
                progress: crate::progress::Progress::default(),
                warning: Some(format!("progress will not be saved: {e}")),
            },
            None,
        ),
    }
}

/// The look the flags ask for (`NO_COLOR` means mono unless `--theme` says otherwise; the
/// colour depth is detected unless `--colors` says, the glyphs unless `--ascii` or
/// `--unicode` says).
fn settings(look: Look, seed: Option<u64>) -> Settings {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let user = user_config(look);
    let file = &user.config;
    let palette = look
        .theme
        .or_else(|| file.theme.as_deref().and_then(Palette::from_name))
        .unwrap_or(if no_color {
            Palette::Mono
        } else {
            Palette::Dark
        });
    let dots = look.dots || file.charts.as_deref() == Some("dots");
    Settings {
        palette,
        marker: if dots { Marker::Dot } else { Marker::Braille },
        seed,
        colors: look
            .colors
            .unwrap_or_else(|| ColorDepth::detect(|k| std::env::var(k).ok())),
        glyphs: look
            .glyphs
            .unwrap_or_else(|| GlyphMode::detect(&|k| std::env::var(k).ok(), cfg!(windows)).mode),
        user_theme: user.theme,
        speed: file.speed.unwrap_or(1),
        mouse: file.mouse.unwrap_or(true),
    }
}

/// The player's config files, once read (by the first `settings`).
static USER_CONFIG: std::sync::OnceLock<crate::config::Loaded> = std::sync::OnceLock::new();

/// The player's config files, read once per run (none with `--no-config`); their keys are
/// put in use the first time.
fn user_config(look: Look) -> &'static crate::config::Loaded {
    USER_CONFIG.get_or_init(|| {
        let loaded = if look.no_config {
            crate::config::Loaded::default()
        } else {
            crate::config::dir()
                .map(|d| crate::config::load(&d))
                .unwrap_or_default()
        };
        if let Ok(table) = crate::ui::keymap::apply(crate::ui::keymap::KEYMAP, &loaded.keys) {
            crate::ui::keymap::install(table);
        }
        loaded
    })
}

/// `zerodown config`: 0 every file reads well (or none exists), 2 one does not.
fn config(print_defaults: bool, write: bool) -> ExitCode {
    if print_defaults {
        for (name, text) in crate::config::defaults() {
            say!("// ───── {name} ─────");
            say!("{}", text.trim_end());
            say!("");
        }
        return ExitCode::SUCCESS;
    }
    let Some(dir) = crate::config::dir() else {
        return bad_input("zerodown config: no config folder on this system; set ZERODOWN_CONFIG");
    };
    say!("config folder: {}", dir.display());
    if write {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return bad_input(&format!("{}: {e}", dir.display()));
        }
        for (name, text) in crate::config::defaults() {
            let path = dir.join(name);
            if path.exists() {
                say!("  {name}: kept (it exists)");
            } else if let Err(e) = write_atomic(&path, &text) {
                return bad_input(&format!("{}: {e}", path.display()));
            } else {
                say!("  {name}: written");
            }
        }
    }
    let loaded = crate::config::load(&dir);
    for name in crate::config::FILES {
        let state = if dir.join(name).exists() {
            "read"
        } else {
            "absent (defaults)"
        };
        say!("  {name}: {state}");
    }
    if loaded.warnings.is_empty() {
        return ExitCode::SUCCESS;
    }
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    eprintln!("the game uses the defaults for these files and leaves them as they are");
    ExitCode::from(2)
}

/// Runs the TUI until the player quits.
fn run_app(app: App) -> ExitCode {
    run_tui(app).map_or_else(|code| code, |_| success_or_signal())
}

/// Runs the TUI until the player quits and returns the app as left (an error is printed).
fn run_tui(mut app: App) -> Result<App, ExitCode> {
    // A broken config file never stops the game: the title screen says what is wrong.
    // (`settings`, which built the app's look, read the files.)
    let broken = USER_CONFIG.get().map_or(&[][..], |c| c.warnings.as_slice());
    if !broken.is_empty() {
        let mut lines: Vec<String> = app.warning.take().into_iter().collect();
        lines.extend(
            broken
                .iter()
                .flat_map(|w| w.lines())
                .map(|w| format!("{}{w}", crate::ui::menu::CONFIG_WARNING)),
        );
        app.warning = Some(lines.join("\n"));
    }
    crate::app::run(app).map_err(|e| {
        eprintln!("zerodown: {e}");
        ExitCode::FAILURE
    })
}

fn load_mission(id_or_path: &str) -> Result<(String, Mission), MissionError> {
    mission::resolve(id_or_path)
}

fn load_script(path: &Path) -> Result<Script, String> {
    let name = path.display();
    let text = crate::textfile::read_text(path, crate::textfile::MAX_SOURCE_BYTES)
        .map_err(|e| format!("{name}: {e}"))?;
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
    let (report, refused) = run_script_noting(&mission, &id, &script, seed);
    let refusals = refusal_lines(&script_path.display().to_string(), &refused);
    if let Some(path) = out {
        if let Err(e) = write_atomic(path, &report.to_json()) {
            return bad_input(&format!("{}: cannot write report: {e}", path.display()));
        }
        print_summary(&report);
        for line in refusals {
            say!("{line}");
        }
    } else {
        // Standard output is the report alone, for a pipe.
        say!("{}", report.to_json());
        for line in refusals {
            eprintln!("{line}");
        }
    }
    if report.outcome == "passed" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The script lines the game did not carry out, one a line: `script:line: at 1:05 refused
/// `canary …`: why`, so a headless student sees what the JSON records.
fn refusal_lines(script: &str, refused: &[Refusal]) -> Vec<String> {
    if refused.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "{} not carried out:",
        crate::words::count(refused.len(), "script line")
    )];
    lines.extend(refused.iter().map(|r| {
        format!(
            "  {script}:{}: at {} `{}`: {}",
            r.line,
            crate::time::clock(r.t),
            defused(&r.command),
            defused(&r.why)
        )
    }));
    lines
}

pub(crate) fn print_summary(r: &Report) {
    let s = &r.score;
    let stars = "★".repeat(r.stars as usize) + &"☆".repeat(3 - r.stars.min(3) as usize);
    // A failed run's points are not counted (the report keeps the number).
    let points = if r.outcome == "passed" {
        format!("{} points", s.points)
    } else {
        format!("{} points, not counted", s.points)
    };
    say!(
        "{} — {}  {stars}  grade {}  {points}",
        r.mission,
        r.outcome.to_uppercase(),
        r.grade,
    );
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.0}s"));
    say!(
        "downtime {}s  slow {}s  availability {:.3}%  error budget used {:.1}%  detect {}  restore {}  users hit {:.2}%  sessions lost {}  damaged records {}",
        s.downtime_s,
        s.slow_s,
        s.availability * 100.0,
        s.error_budget_used_pct,
        opt(s.mttd_s),
        opt(s.mttr_s),
        s.users_affected_pct,
        s.sessions_lost,
        s.damaged_data()
    );
    for o in &r.objectives {
        say!("  {} {}", if o.met { "✔" } else { "✖" }, o.text);
        if let Some(why) = &o.why {
            say!("      {why}");
        }
    }
}

/// The lines of `script` mission `id` would refuse whatever the fleet's state, one a line.
fn unfit(path: &Path, id: &str, m: &Mission, script: &Script) -> Result<(), String> {
    let lines = m.unfit_lines(script);
    if lines.is_empty() {
        return Ok(());
    }
    Err(lines
        .iter()
        .map(|u| format!("{}:{}:1: {id}: {}", path.display(), u.line, u.message))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn check(files: &[PathBuf], mission: Option<&str>) -> ExitCode {
    let against = match mission.map(load_mission).transpose() {
        Ok(m) => m,
        Err(e) => return bad_input(&e.to_string()),
    };
    let mut problems = 0;
    for path in files {
        let is_mission = path.extension().is_some_and(|e| e == "ron");
        // (the message, how many problems it is: a mission lists only its first ones)
        let result = if is_mission {
            mission::load_path(path)
                .map(|_| ())
                .map_err(|e| (e.to_string(), e.count()))
        } else {
            load_script(path)
                .and_then(|script| match &against {
                    Some((id, m)) => unfit(path, id, m, &script),
                    None => Ok(()),
                })
                .map_err(|e| {
                    let count = e.lines().count();
                    (e, count)
                })
        };
        match result {
            Ok(()) => say!("ok {}", path.display()),
            Err((e, count)) => {
                problems += count;
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
