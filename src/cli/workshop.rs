//! `zerodown workshop new|show` and `zerodown scoreboard DIR`: the instructor's side of a
//! classroom workshop. The students' side is `zerodown play --code CODE --reports DIR`.

use std::path::Path;
use std::process::ExitCode;

use rand::SeedableRng as _;
use rand::TryRngCore as _;

use crate::scoreboard::{self, Format};
use crate::workshop::ClassCode;

use super::bad_input;

/// What `zerodown workshop` was asked to do.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Op {
    /// Make a class code that fixes the missions and the seed for everybody.
    New {
        /// Missions, by id or campaign number, comma-separated, in the order the class plays
        /// them (default: the whole campaign).
        #[arg(long, value_delimiter = ',', value_name = "MISSIONS")]
        missions: Vec<String>,
        /// Seed for every student (default: a fresh one, so each class gets its own runs).
        #[arg(long)]
        seed: Option<u32>,
    },
    /// Say what a class code holds.
    Show {
        /// The code, e.g. K7Q2-M9XD-A4TT.
        code: String,
    },
    /// Watch the room live: each student's mission, game time, last command and hints,
    /// stuck students first, from the heartbeats class play writes into the reports folder
    /// (a shared folder works; no server). q quits.
    Watch {
        /// The class's reports folder (or a folder of one sub-folder per student).
        dir: std::path::PathBuf,
        /// Only this class's students.
        #[arg(long)]
        code: Option<String>,
        /// A student playing with no command for this long is shown as stuck (10s to 2h).
        #[arg(long, default_value = "3m")]
        stuck: String,
    },
}

/// Runs `zerodown workshop …`: 0 done, 2 bad input.
pub fn run(op: &Op, look: super::Look) -> ExitCode {
    let code = match op {
        Op::Watch { dir, code, stuck } => return watch(dir, code.as_deref(), stuck, look),
        Op::New { missions, seed } => {
            let all: Vec<&str> = crate::mission::builtin()
                .iter()
                .map(|(id, _)| *id)
                .collect();
            let seed = seed.unwrap_or_else(fresh_seed);
            let made = if missions.is_empty() {
                ClassCode::new(&all, seed)
            } else {
                ClassCode::new(missions, seed)
            };
            match made {
                Ok(c) => c,
                Err(e) => return bad_input(&format!("zerodown workshop new: {e}")),
            }
        }
        Op::Show { code } => match ClassCode::parse(code) {
            Ok(c) => c,
            Err(e) => return bad_input(&format!("zerodown workshop show: {e}")),
        },
    };
    say!("class code: {code}");
    say!("  missions: {}", code.missions.join(", "));
    say!("  seed:     {}", code.seed);
    say!("");
    say!("students:   zerodown play --code {code} --name <your name> --reports <folder>");
    say!("            (each finished mission writes its report into the folder)");
    say!("meanwhile:  zerodown workshop watch <folder> --code {code}");
    say!("            (who plays what, stuck students first)");
    say!("afterwards: collect the folders, then");
    say!("            zerodown scoreboard <folder> --code {code} [--format md|csv]");
    say!("            zerodown scoreboard <folder> --code {code} --by-mission");
    say!("            (the grid, and who made each common mistake)");
    ExitCode::SUCCESS
}

/// A seed nobody chose: from the operating system (the sim itself never sees this RNG).
fn fresh_seed() -> u32 {
    let mut os = rand::rngs::OsRng;
    os.try_next_u32().unwrap_or_else(|_| {
        // No OS entropy: still a class-wide seed, just a fixed one.
        use rand::RngCore as _;
        rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed).next_u32()
    })
}

/// Runs `zerodown scoreboard DIR`: 0 every report checked out, 1 some were rejected, 2 the
/// folder or the code is bad.
pub fn scoreboard(
    dir: &Path,
    code: Option<&str>,
    format: &str,
    by_mission: bool,
    casts: Option<&Path>,
    look: super::Look,
) -> ExitCode {
    let Some(format) = Format::from_name(format) else {
        return bad_input(&format!(
            "zerodown scoreboard: unknown --format `{format}`: table, md or csv"
        ));
    };
    let code = match code.map(ClassCode::parse).transpose() {
        Ok(c) => c,
        Err(e) => return bad_input(&format!("zerodown scoreboard: --code: {e}")),
    };
    let board = match scoreboard::collect(dir, code.as_ref()) {
        Ok(b) => b,
        Err(e) => return bad_input(&format!("zerodown scoreboard: {e}")),
    };
    if board.accepted.is_empty() && board.rejected.is_empty() {
        return bad_input(&format!(
            "zerodown scoreboard: no reports (*.json) in {}",
            dir.display()
        ));
    }
    let text = if by_mission {
        scoreboard::render_by_mission(&board, format)
    } else {
        scoreboard::render(&board, format)
    };
    say!("{}", text.trim_end());
    let casts_ok = casts.is_none_or(|out| write_casts(&board, out, look));
    if board.rejected.is_empty() && casts_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// How many players' runs of each mission `--casts` records.
const CAST_TOP: usize = 3;

/// `--casts OUT`: a recording of each mission's best passed runs (`top_passed`), named
/// `MISSION-PLACE-PLAYER.cast`, at the replay's default size and speed. Returns whether
/// every one was written.
fn write_casts(board: &scoreboard::Board, out: &Path, look: super::Look) -> bool {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("zerodown scoreboard --casts: {}: {e}", out.display());
        return false;
    }
    let options = super::replay::default_cast_options();
    let mut ok = true;
    for (place, e) in scoreboard::top_passed(board, CAST_TOP) {
        let name = format!("{}-{place}-{}.cast", e.report.mission, file_safe(&e.player));
        match super::replay::cast_file(&e.file, &out.join(name), options, look) {
            Ok(said) => say!("{said}"),
            Err(why) => {
                eprintln!("zerodown scoreboard --casts: {why}");
                ok = false;
            }
        }
    }
    ok
}

/// `name` with only letters, digits, `-` and `_` (others become `_`), for a file name.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The shortest and longest `--stuck`.
const STUCK_RANGE: (u64, u64) = (10, 2 * 3600);

/// Runs `zerodown workshop watch`: 0 when the instructor quits, 2 bad input.
fn watch(dir: &Path, code: Option<&str>, stuck: &str, look: super::Look) -> ExitCode {
    let stuck = match stuck.parse::<crate::time::Dur>() {
        Ok(d) if (STUCK_RANGE.0..=STUCK_RANGE.1).contains(&(d.millis() / 1000)) => {
            std::time::Duration::from_millis(d.millis())
        }
        Ok(_) => {
            return bad_input(&format!(
                "zerodown workshop watch: --stuck `{stuck}`: between 10s and 2h"
            ));
        }
        Err(e) => return bad_input(&format!("zerodown workshop watch: --stuck: {e}")),
    };
    let code = match code.map(ClassCode::parse).transpose() {
        Ok(c) => c.map(|c| c.to_string()),
        Err(e) => return bad_input(&format!("zerodown workshop watch: --code: {e}")),
    };
    if let Err(e) = crate::workshop::live::read_all(dir) {
        return bad_input(&format!("zerodown workshop watch: {e}"));
    }
    match crate::ui::watch::run(dir, code.as_deref(), stuck, &super::settings(look, None)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zerodown workshop watch: {e}");
            ExitCode::FAILURE
        }
    }
}
