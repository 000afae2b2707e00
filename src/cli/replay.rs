//! `zerodown replay FILE [FILE]`: watch a recorded run (a run report) in the terminal, at
//! any speed, jumping between its markers and to any time; two runs of one mission side by
//! side on one clock; or check headless (`--check`) that re-running each gives its file
//! back byte for byte.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::defuse::defused_lines as defused;
use crate::mission::Mission;
use crate::replay::{Marker, Recording};
use crate::report::Report;
use crate::ui::compare::Compare;
use crate::ui::console::Feedback;
use crate::ui::game::SPEEDS;
use crate::ui::{App, Game, Playback, Screen, Settings};

use super::{Look, bad_input};

/// `--cast OUT.cast` and how to record it (`--size`, `--idle-limit`; `--speed` is shared).
#[derive(Debug, Clone)]
pub struct CastTo {
    pub out: PathBuf,
    /// `WxH` (default `CAST_SIZE`).
    pub size: Option<String>,
    /// Seconds (default `IDLE_LIMIT`).
    pub idle_limit: Option<f64>,
}

/// The smallest and largest recording (the game's smallest screen up to a wall display).
const CAST_SIZES: ((u16, u16), (u16, u16)) = ((80, 24), (300, 100));
/// The slowest and fastest recording: game seconds per playback second.
const CAST_SPEEDS: (u32, u32) = (1, 120);
/// A recording's size, speed and idle limit when none is given.
const CAST_SIZE: (u16, u16) = (120, 40);
const CAST_SPEED: u32 = 10;
const IDLE_LIMIT: f64 = 2.0;
/// The shortest and longest idle limit, seconds.
const IDLE_LIMITS: (f64, f64) = (0.1, 60.0);
/// Watching starts at this speed when none is given.
const WATCH_SPEED: u32 = 5;

/// One report, read and re-run.
struct Loaded {
    /// The file, as the messages name it.
    name: String,
    recording: Recording,
    mission: Mission,
    /// Who played it and how it ended (`ada · passed ★★☆`).
    about: String,
    markers: Vec<Marker>,
    /// Whether the re-run gives the file back, in words.
    status: Result<String, String>,
}

/// Runs `zerodown replay`: 0 the replays match their files (or were watched), 1 one does
/// not, 2 a file is not a replayable report (or two runs are of different missions).
pub fn run(
    files: &[PathBuf],
    mission: Option<&str>,
    check: bool,
    speed: Option<u32>,
    cast: Option<&CastTo>,
    look: Look,
) -> ExitCode {
    if let Some(to) = cast {
        return cast_one(files, mission, speed, to, look);
    }
    let mut runs = Vec::with_capacity(files.len());
    for file in files {
        match load(file, mission) {
            Ok(l) => runs.push(l),
            Err(why) => return bad_input(&why),
        }
    }
    if check {
        return check_all(&runs);
    }
    let speed = snap(speed.unwrap_or(WATCH_SPEED));
    let settings = super::settings(look, None);
    match runs.as_slice() {
        [one] => watch(one, speed, settings),
        [a, b] => match side_by_side(a, b, speed) {
            Ok(compare) => super::run_app(App::compare(settings, compare)),
            Err(why) => bad_input(&why),
        },
        _ => bad_input("replay takes one report, or two of the same mission"),
    }
}

/// `speed` as one of the speeds +/- step through, so the player can come back to it.
fn snap(speed: u32) -> u32 {
    SPEEDS
        .iter()
        .rev()
        .copied()
        .find(|&s| s <= speed)
        .unwrap_or(1)
}

/// `--cast`: records the one report to `to.out`; 2 for bad flags or a bad report.
fn cast_one(
    files: &[PathBuf],
    mission: Option<&str>,
    speed: Option<u32>,
    to: &CastTo,
    look: Look,
) -> ExitCode {
    let [file] = files else {
        return bad_input(
            "zerodown replay --cast records one report (side by side is not recorded): give one FILE",
        );
    };
    let options = match cast_options(speed, to.size.as_deref(), to.idle_limit) {
        Ok(o) => o,
        Err(why) => return bad_input(&format!("zerodown replay --cast: {why}")),
    };
    let loaded = match load(file, mission) {
        Ok(l) => l,
        Err(why) => return bad_input(&why),
    };
    match write_cast(&loaded, &to.out, options, look) {
        Ok(said) => {
            say!("{said}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("zerodown replay --cast: {why}");
            ExitCode::FAILURE
        }
    }
}

/// The recording options the flags ask for, or what is wrong with them.
///
/// # Errors
/// A size that is not `WxH` or out of bounds, a speed or idle limit out of bounds.
pub fn cast_options(
    speed: Option<u32>,
    size: Option<&str>,
    idle_limit: Option<f64>,
) -> Result<crate::cast::Options, String> {
    let (width, height) = size.map_or(Ok(CAST_SIZE), parse_size)?;
    let speed = speed.unwrap_or(CAST_SPEED);
    if !(CAST_SPEEDS.0..=CAST_SPEEDS.1).contains(&speed) {
        return Err(format!(
            "--speed {speed}: from {} to {} (game seconds per second of recording)",
            CAST_SPEEDS.0, CAST_SPEEDS.1
        ));
    }
    let idle = idle_limit.unwrap_or(IDLE_LIMIT);
    if !(idle.is_finite() && (IDLE_LIMITS.0..=IDLE_LIMITS.1).contains(&idle)) {
        return Err(format!(
            "--idle-limit {idle}: from {} to {} seconds",
            IDLE_LIMITS.0, IDLE_LIMITS.1
        ));
    }
    Ok(crate::cast::Options {
        width,
        height,
        speed,
        idle_limit_us: (idle * 1e6).round() as u64,
    })
}

/// The recording options when no flag is given.
pub fn default_cast_options() -> crate::cast::Options {
    cast_options(None, None, None).expect("invariant: the defaults are in bounds")
}

/// `120x40` as (120, 40), within `CAST_SIZES`.
fn parse_size(text: &str) -> Result<(u16, u16), String> {
    let ((min_w, min_h), (max_w, max_h)) = CAST_SIZES;
    let bad = || format!("--size `{text}`: WIDTHxHEIGHT, from {min_w}x{min_h} to {max_w}x{max_h}");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h) = (
        w.trim().parse::<u16>().map_err(|_| bad())?,
        h.trim().parse::<u16>().map_err(|_| bad())?,
    );
    if (min_w..=max_w).contains(&w) && (min_h..=max_h).contains(&h) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

/// The look of a recording: the flags given, and where none is, the game's defaults (dark,
/// 24-bit colour, Unicode, Braille) rather than this terminal's, so one report gives one
/// file on any machine.
fn cast_settings(look: Look) -> Settings {
    let d = Settings::default();
    Settings {
        palette: look.theme.unwrap_or(d.palette),
        marker: if look.dots {
            ratatui::symbols::Marker::Dot
        } else {
            d.marker
        },
        colors: look.colors.unwrap_or(d.colors),
        glyphs: look.glyphs.unwrap_or(d.glyphs),
        ..d
    }
}

/// Records the replay of `file` into `out`; says what it wrote (also used by
/// `zerodown scoreboard --casts`).
///
/// # Errors
/// The report is not replayable, or the file cannot be written.
pub fn cast_file(
    file: &Path,
    out: &Path,
    options: crate::cast::Options,
    look: Look,
) -> Result<String, String> {
    let loaded = load(file, None)?;
    write_cast(&loaded, out, options, look)
}

/// Records `l` into `out` (atomically) and says what it wrote.
fn write_cast(
    l: &Loaded,
    out: &Path,
    options: crate::cast::Options,
    look: Look,
) -> Result<String, String> {
    let app = replay_app(l, snap(options.speed), cast_settings(look));
    let title = format!("{} — {}", l.recording.mission, l.about);
    let cast = crate::cast::record(app, &defused(&title), options).map_err(|e| e.to_string())?;
    crate::progress::write_atomic(out, &cast.text)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(format!(
        "{}: {} of {} ({}), {}×{}, {} s at {}× ({})",
        out.display(),
        crate::words::count(cast.frames, "frame"),
        l.name,
        l.about,
        options.width,
        options.height,
        crate::cast::seconds(cast.duration_us),
        options.speed,
        crate::words::count(cast.text.len(), "byte"),
    ))
}

/// Reads `file`, finds its mission and re-runs it.
fn load(file: &Path, mission: Option<&str>) -> Result<Loaded, String> {
    let name = file.display().to_string();
    let (recording, text) =
        Recording::from_file(file).map_err(|e| defused(&format!("{name}: {e}")))?;
    let m = match mission {
        Some(path) => crate::mission::resolve(path)
            .map(|(_, m)| m)
            .map_err(|e| e.to_string()),
        None => recording
            .mission()
            .map_err(|e| format!("{e} (give the mission file with --mission PATH)")),
    }
    .map_err(|e| defused(&format!("{name}: {e}")))?;
    recording.fits(&m).map_err(|e| format!("{name}: {e}"))?;
    let (rerun, markers) = recording.rerun_marked(&m);
    let status = compare(&text, &rerun)
        .map(|s| defused(&s))
        .map_err(|s| defused(&s));
    let about = format!(
        "{} · {}",
        crate::scoreboard::player_name(
            &folder_if_unnamed(file, &recording.mission),
            file,
            &recording.mission
        ),
        verdict(&rerun)
    );
    Ok(Loaded {
        name,
        recording,
        mission: m,
        about,
        markers,
        status,
    })
}

/// The folder the file is in when its name carries no player (`ada/07-canary.json`).
fn folder_if_unnamed(file: &Path, mission: &str) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !stem.starts_with(mission) {
        return String::new();
    }
    file.parent()
        .and_then(Path::file_name)
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `passed ★★☆` or `failed`.
fn verdict(r: &Report) -> String {
    if r.outcome == "passed" {
        format!("passed {}", super::progress::stars(r.stars))
    } else {
        r.outcome.clone()
    }
}

/// `--check`: each file's status; 1 if any does not reproduce.
fn check_all(runs: &[Loaded]) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for l in runs {
        match &l.status {
            Ok(s) => say!("{}: {s}", l.name),
            Err(s) => {
                say!("{}: {s}", l.name);
                code = ExitCode::from(1);
            }
        }
    }
    code
}

/// The replay of `l`, on the play screen.
fn watch(l: &Loaded, speed: u32, settings: Settings) -> ExitCode {
    super::run_app(replay_app(l, speed, settings))
}

/// The app that plays `l` back from its start at `speed`.
fn replay_app(l: &Loaded, speed: u32, settings: Settings) -> App {
    let mut app = App::replay(
        settings,
        &l.recording.mission,
        l.mission.clone(),
        l.recording.seed,
        playback(l),
        l.status.clone(),
    );
    if let Screen::Play(game) = &mut app.screen {
        game.speed = speed;
    }
    app
}

/// The recording of `l` to play, with who, how it ended and its markers.
fn playback(l: &Loaded) -> Playback {
    let label = Path::new(&l.name)
        .file_name()
        .map_or_else(|| l.name.clone(), |n| n.to_string_lossy().into_owned());
    Playback::new(&label, l.recording.commands.clone()).about(&l.about, l.markers.clone())
}

/// A and B side by side, or why not: two runs of different missions can't share a clock.
///
/// # Errors
/// The reports are of different missions.
fn side_by_side(a: &Loaded, b: &Loaded, speed: u32) -> Result<Compare, String> {
    if a.recording.mission != b.recording.mission {
        return Err(defused(&format!(
            "{} is a run of {} and {} a run of {}: side by side takes two runs of the same \
             mission",
            a.name, a.recording.mission, b.name, b.recording.mission
        )));
    }
    let games = [a, b].map(|l| {
        let mut g = Game::replay(
            &l.recording.mission,
            &l.mission,
            l.recording.seed,
            playback(l),
        );
        g.speed = speed;
        g
    });
    let [ga, gb] = games;
    Ok(Compare::new(ga, gb, first_note(a, b)))
}

/// What a side-by-side replay says first: a file that does not reproduce, or different
/// seeds (the same mission, but not the same traffic or faults).
fn first_note(a: &Loaded, b: &Loaded) -> Feedback {
    if let Some((l, why)) = [a, b]
        .into_iter()
        .find_map(|l| l.status.as_ref().err().map(|e| (l, e)))
    {
        return Feedback::Refused(format!("{}: {why}", l.name));
    }
    if a.recording.seed == b.recording.seed {
        Feedback::Done(format!(
            "both reports reproduce byte for byte; the same mission and seed {}",
            a.recording.seed
        ))
    } else {
        Feedback::Warned(format!(
            "different seeds ({} and {}): the same mission, but not the same traffic and \
             faults",
            a.recording.seed, b.recording.seed
        ))
    }
}

/// Whether the re-run report is the file, in words.
fn compare(text: &str, rerun: &Report) -> Result<String, String> {
    let json = rerun.to_json();
    let commands = rerun.commands.len();
    if json == text.trim_end() {
        return Ok(format!(
            "the replay reproduces the report byte for byte ({} s, {})",
            rerun.timeline.last().map_or(0, |e| e.t),
            crate::words::count(commands, "command")
        ));
    }
    match rerun.differs_from(text) {
        Err(e) => Err(format!("not JSON: {e}")),
        Ok(None) => Ok("the replay reproduces the report (the file's formatting differs)".into()),
        Ok(Some((path, said, is))) => Err(format!(
            "the replay differs from the file: {path} says {said}, the replay gives {is}"
        )),
    }
}
