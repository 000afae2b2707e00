//! Mission text → `Mission` (minimal until validation lands).

use std::path::Path;

use super::Mission;

/// One problem in a mission file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
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

/// Every problem found in a mission file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct MissionError {
    pub problems: Vec<Problem>,
}

/// Parses mission text; `file` names it in problems.
pub fn load_str(source: &str, file: &str) -> Result<Mission, MissionError> {
    ron::from_str(source).map_err(|e| MissionError {
        problems: vec![Problem {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: e.to_string(),
        }],
    })
}

/// Reads and parses a mission file.
pub fn load_path(path: &Path) -> Result<Mission, MissionError> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| MissionError {
        problems: vec![Problem {
            file: file.clone(),
            line: 1,
            column: 1,
            message: e.to_string(),
        }],
    })?;
    load_str(&source, &file)
}

/// The missions built into the binary: (id, source).
pub fn builtin() -> &'static [(&'static str, &'static str)] {
    &[]
}

/// A mission id (built in) or a path to a `.ron` file → (id, mission).
pub fn resolve(id_or_path: &str) -> Result<(String, Mission), MissionError> {
    let path = Path::new(id_or_path);
    let id = path.file_stem().map_or_else(
        || id_or_path.to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    load_path(path).map(|m| (id, m))
}
