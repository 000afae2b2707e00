//! Text → `Command` for one line (stub until the parser lands).

use super::Command;

/// A command that did not parse: what was expected, where (0-based char column), a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {}: {message}", .column + 1)]
pub struct ParseError {
    pub column: usize,
    pub message: String,
    pub suggestion: Option<String>,
}

/// Parses one command line.
pub fn parse_command(line: &str) -> Result<Command, ParseError> {
    Err(ParseError {
        column: 0,
        message: format!("cannot parse `{line}` yet"),
        suggestion: None,
    })
}
