//! Script files: one command a line, `#` comments (stub until the parser lands).

use super::Command;

/// One parsed script line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptLine {
    /// 1-based line number in the file.
    pub line: usize,
    pub command: Command,
}

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    pub lines: Vec<ScriptLine>,
}

/// A problem in a script: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ScriptError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses a whole script, returning every problem at once.
pub fn parse_script(text: &str) -> Result<Script, Vec<ScriptError>> {
    let _ = text;
    Ok(Script::default())
}
