//! Mission text → validated `Mission`, or every problem with its file, line and column.
//!
//! Parsing stops at the first syntax or type error (ron cannot go on), reported where ron
//! found it; a file that parses is then validated and every broken rule is reported at once,
//! placed by `locate`. Also owns the built-in missions (embedded by `build.rs`) and the
//! id-or-path lookup. Never panics on any text.

use std::path::Path;

use ron::extensions::Extensions;

use super::Mission;
use super::locate::{Pos, SourceMap, root_struct};
use super::sandbox::Sandbox;
use super::validate::validate;

mod ron_error;

/// One problem in a mission file, printed `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it (or `levels/<id>.ron` for a built-in mission).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, for a mission author.
    pub message: String,
}

impl Problem {
    pub(crate) fn at(file: &str, pos: Pos, message: String) -> Self {
        Self {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            message,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The most problems one check lists, the first in the file first. A file under the size
/// limit can hold hundreds of thousands of problems; listing them all took 1–1.4 s and
/// buried the first one. The rest are counted (`MissionError::more`).
pub const MAX_PROBLEMS: usize = 100;

/// Problems found in a mission file, one per line when displayed, then
/// "… and N more problems" when there were more than `MAX_PROBLEMS`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MissionError {
    /// The first ones in file order, at most `MAX_PROBLEMS`; never empty.
    pub problems: Vec<Problem>,
    /// How many more problems were found after those (not listed).
    pub more: usize,
}

impl std::fmt::Display for MissionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        match self.more {
            0 => Ok(()),
            1 => write!(f, "\n… and 1 more problem"),
            n => write!(f, "\n… and {n} more problems"),
        }
    }
}

impl MissionError {
    fn single(file: &str, message: String) -> Self {
        Self::from(vec![Problem::at(file, Pos::START, message)])
    }

    /// Every problem found: how many there were (listed or not).
    pub fn count(&self) -> usize {
        self.problems.len() + self.more
    }
}

impl From<Vec<Problem>> for MissionError {
    /// The first `MAX_PROBLEMS` of `problems` in file order (line, column, then the order
    /// found), and the count of the rest.
    fn from(mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|p| (p.line, p.column));
        let more = problems.len().saturating_sub(MAX_PROBLEMS);
        problems.truncate(MAX_PROBLEMS);
        Self { problems, more }
    }
}

/// The ron options missions are read with.
///
/// `implicit_some` lets authors write optional values plainly (`deadline: "8m"`,
/// `tail: (share: 0.1, factor: 4.0)`) instead of wrapping them in `Some(..)` (which still
/// works).
fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parses and validates mission text (`\r\n` read as `\n`); `file` names it in problems.
///
/// A text opening with `Sandbox(` is a free-play fleet (`sandbox::Sandbox`), turned into a
/// mission and then checked by the same rules as any mission.
pub fn load_str(source: &str, file: &str) -> Result<Mission, MissionError> {
    let source = &*crate::textfile::unix_newlines(source);
    let mission = match root_struct(source) {
        Some((name, _)) if name == "Sandbox" => parse::<Sandbox>(source, file)?.into_mission(),
        Some((name, pos)) if name != "Mission" => {
            let msg = format!(
                "`{name}(` is neither a mission nor a sandbox{}: a file starts with \
                 `Mission(` (a campaign mission) or `Sandbox(` (free play)",
                ron_error::suggest(&name, &["Mission", "Sandbox"])
            );
            return Err(MissionError::from(vec![Problem::at(file, pos, msg)]));
        }
        _ => parse::<Mission>(source, file)?,
    };
    let issues = validate(&mission);
    if issues.is_empty() {
        return Ok(mission);
    }
    // Scanned once for all the problems: a scan per problem made a file with 20 000 of
    // them take 30 s (BENCHMARKS.md).
    let map = SourceMap::new(source);
    let problems: Vec<Problem> = issues
        .into_iter()
        .map(|issue| Problem::at(file, map.locate(&issue.path), issue.message))
        .collect();
    Err(MissionError::from(problems))
}

/// Parses `source` as a `T`, or the one problem ron stopped at: missions, and every other
/// RON file the game reads (themes, the user's configuration).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(
    source: &str,
    file: &str,
) -> Result<T, MissionError> {
    ron_options().from_str(source).map_err(|e| {
        MissionError::from(vec![Problem::at(
            file,
            clamp(source, e.span.start.line, e.span.start.col),
            ron_error::message(&e.code),
        )])
    })
}

/// A position inside the text: ron may point one line past a final newline.
fn clamp(source: &str, line: usize, column: usize) -> Pos {
    let lines: Vec<&str> = source.lines().collect();
    let Some(last) = lines.len().checked_sub(1) else {
        return Pos::START;
    };
    if line > lines.len() {
        return Pos {
            line: lines.len(),
            column: lines[last].chars().count() + 1,
        };
    }
    Pos {
        line: line.max(1),
        column: column.max(1),
    }
}

/// Reads, parses and validates a mission file; problems name the file as given.
pub fn load_path(path: &Path) -> Result<Mission, MissionError> {
    let file = path.display().to_string();
    let source = crate::textfile::read_text(path, crate::textfile::MAX_SOURCE_BYTES)
        .map_err(|e| MissionError::single(&file, format!("mission file: {e}")))?;
    load_str(&source, &file)
}

/// The problems listed for the mission file at `path` (the first `MAX_PROBLEMS`; empty: the
/// file is a valid mission).
pub fn check_mission_file(path: &Path) -> Vec<Problem> {
    load_path(path)
        .err()
        .map(|e| e.problems)
        .unwrap_or_default()
}

/// The missions built into the binary from `levels/*.ron`: (id, source), sorted by id.
pub fn builtin() -> &'static [(&'static str, &'static str)] {
    include!(concat!(env!("OUT_DIR"), "/levels.rs"))
}

/// The built-in mission `arg` names: its id (`07-canary`) or its number in the campaign
/// (`7`, as the map and `workshop new --missions 3,7` count them).
pub fn campaign_id(arg: &str) -> Option<&'static str> {
    let ids = builtin();
    ids.iter()
        .find(|(id, _)| *id == arg)
        .or_else(|| {
            let n = arg.trim().parse::<usize>().ok()?;
            ids.get(n.checked_sub(1)?)
        })
        .map(|(id, _)| *id)
}

/// A built-in mission id (or number), or else a path to a `.ron` file → (id, mission).
///
/// The id of a file is its stem. Built-in missions are named `levels/<id>.ron` in problems.
pub fn resolve(id_or_path: &str) -> Result<(String, Mission), MissionError> {
    // A number names a campaign mission unless a file of that name exists.
    let named =
        campaign_id(id_or_path).filter(|id| *id == id_or_path || !Path::new(id_or_path).exists());
    if let Some((id, source)) = named.and_then(|n| builtin().iter().find(|(id, _)| *id == n)) {
        let mission = load_str(source, &format!("levels/{id}.ron"))?;
        return Ok(((*id).to_string(), mission));
    }
    let path = Path::new(id_or_path);
    if !path.exists() {
        let ids: Vec<&str> = builtin().iter().map(|(id, _)| *id).collect();
        let ids = if ids.is_empty() {
            "there are none".to_string()
        } else {
            ids.join(", ")
        };
        let msg =
            format!("unknown mission `{id_or_path}`: not a built-in id ({ids}) and no such file");
        return Err(MissionError::single(id_or_path, msg));
    }
    let id = path.file_stem().map_or_else(
        || id_or_path.to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    load_path(path).map(|mission| (id, mission))
}

#[cfg(test)]
mod tests;
