//! Text → `Command` for one line: split into tokens with char columns, then dispatch the
//! first word through the command table.
//!
//! Owns tokenizing, the argument cursor (`Args`) and `ParseError`. What each command takes
//! lives in `table.rs`, how each kind of value reads in `values.rs`. Never panics, whatever
//! the input: every failure is a `ParseError` with a column inside the line.

use super::Command;
use super::suggest::suggest;
use super::table;
use crate::defuse::shown;

/// A command that did not parse: what was expected, where (0-based char column), a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {}: {message}", .column + 1)]
pub struct ParseError {
    /// 0-based char column of the offending token (the end of the line if one is missing).
    pub column: usize,
    /// What was expected, and what was found.
    pub message: String,
    /// A known word close to the one written, for "did you mean …?".
    pub suggestion: Option<String>,
}

impl ParseError {
    /// An error at `column` with no suggestion.
    pub(crate) fn new(column: usize, message: impl Into<String>) -> Self {
        Self {
            column,
            message: message.into(),
            suggestion: None,
        }
    }

    /// Adds a near-miss suggestion.
    pub(crate) fn suggesting(mut self, suggestion: Option<&str>) -> Self {
        self.suggestion = suggestion.map(str::to_string);
        self
    }
}

/// Parses one command line, e.g. `deploy v2 web-01..web-04`.
pub fn parse_command(line: &str) -> Result<Command, ParseError> {
    let chars = line.chars().count();
    if chars > super::MAX_COMMAND_CHARS {
        return Err(ParseError::new(
            super::MAX_COMMAND_CHARS,
            format!(
                "a command is at most {} characters; this one has {chars}",
                super::MAX_COMMAND_CHARS
            ),
        ));
    }
    // A control character is nothing a player types, and JSON writes each as six bytes: a
    // script of notes full of them made reports larger than `replay` reads.
    if let Some(column) = line.chars().position(|c| c.is_control() && c != '\t') {
        return Err(ParseError::new(
            column,
            "a command may not contain control characters",
        ));
    }
    let mut args = Args::new(line);
    let Some(word) = args.next() else {
        return Err(ParseError::new(0, "empty command"));
    };
    let Some(spec) = table::find_command(word.text) else {
        let close = suggest(word.text, table::command_words());
        let message = format!("unknown command `{}`", shown(word.text));
        return Err(ParseError::new(word.column, message).suggesting(close));
    };
    let command = (spec.parse)(&mut args)?;
    if let Some(extra) = args.next() {
        let message = format!(
            "too many arguments: unexpected `{}` (usage: {})",
            shown(extra.text),
            spec.usage
        );
        return Err(ParseError::new(extra.column, message));
    }
    Ok(command)
}

/// One whitespace-separated word and the 0-based char column it starts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub column: usize,
}

impl Token<'_> {
    /// The char column just past the token.
    fn end(self) -> usize {
        self.column + self.text.chars().count()
    }
}

/// Splits `line` on whitespace, remembering where each word starts.
fn tokenize(line: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (byte, column) of the current word
    for (column, (byte, ch)) in line.char_indices().enumerate() {
        if ch.is_whitespace() {
            if let Some((b, c)) = start.take() {
                tokens.push(Token {
                    text: &line[b..byte],
                    column: c,
                });
            }
        } else if start.is_none() {
            start = Some((byte, column));
        }
    }
    if let Some((b, c)) = start {
        tokens.push(Token {
            text: &line[b..],
            column: c,
        });
    }
    tokens
}

/// The arguments of a command, read left to right by the command's parser.
#[derive(Debug)]
pub(crate) struct Args<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    line_len: usize,
}

impl<'a> Args<'a> {
    fn new(line: &'a str) -> Self {
        Self {
            tokens: tokenize(line),
            pos: 0,
            line_len: line.chars().count(),
        }
    }

    /// The next token, without consuming it.
    pub(crate) fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    /// Consumes and returns the next token.
    pub(crate) fn next(&mut self) -> Option<Token<'a>> {
        let token = self.peek()?;
        self.pos += 1;
        Some(token)
    }

    /// The next token, or "expected `what` after `<previous word>` (e.g. `example`)".
    pub(crate) fn expect(&mut self, what: &str, example: &str) -> Result<Token<'a>, ParseError> {
        self.next().ok_or_else(|| {
            let after = self
                .previous()
                .map(|t| format!(" after `{}`", shown(t.text)))
                .unwrap_or_default();
            ParseError::new(
                self.end_column(),
                format!("expected {what}{after} (e.g. {example})"),
            )
        })
    }

    /// The last token consumed, if any.
    pub(crate) fn previous(&self) -> Option<Token<'a>> {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i).copied())
    }

    /// Where a missing argument would go: one space after the last word, within the line.
    pub(crate) fn end_column(&self) -> usize {
        self.previous()
            .map_or(0, |t| t.end() + 1)
            .min(self.line_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<(&str, usize)> {
        tokenize(line).iter().map(|t| (t.text, t.column)).collect()
    }

    #[test]
    fn tokens_carry_char_columns() {
        assert_eq!(words(""), vec![]);
        assert_eq!(words("   "), vec![]);
        assert_eq!(words("drain all"), vec![("drain", 0), ("all", 6)]);
        assert_eq!(words("  drain\t  all  "), vec![("drain", 2), ("all", 10)]);
        assert_eq!(words("é drain"), vec![("é", 0), ("drain", 2)]);
    }

    #[test]
    fn empty_line_is_an_error() {
        for line in ["", "   ", "\t"] {
            let err = parse_command(line).expect_err("should not parse");
            assert_eq!((err.column, err.message.as_str()), (0, "empty command"));
        }
    }

    #[test]
    fn unknown_command_suggests_a_near_miss() {
        let err = parse_command("deplyo v2 all").expect_err("should not parse");
        assert_eq!(err.column, 0);
        assert_eq!(err.message, "unknown command `deplyo`");
        assert_eq!(err.suggestion.as_deref(), Some("deploy"));
        assert_eq!(err.to_string(), "column 1: unknown command `deplyo`");

        let err = parse_command("  drian web-01").expect_err("should not parse");
        assert_eq!((err.column, err.suggestion.as_deref()), (2, Some("drain")));
        let err = parse_command("wiat 30s").expect_err("should not parse");
        assert_eq!(err.suggestion.as_deref(), Some("wait"));
        let err = parse_command("rollbak").expect_err("should not parse");
        assert_eq!(err.message, "unknown command `rollbak`");
        assert_eq!(err.suggestion.as_deref(), Some("rollback"));
        let err = parse_command("xyzzy").expect_err("should not parse");
        assert_eq!(err.suggestion, None);
    }

    #[test]
    fn too_many_arguments_points_at_the_first_extra() {
        let err = parse_command("pause now").expect_err("should not parse");
        assert_eq!(err.column, 6);
        assert_eq!(
            err.message,
            "too many arguments: unexpected `now` (usage: pause)"
        );
        let err = parse_command("drain web-01 web-02").expect_err("should not parse");
        assert_eq!(err.column, 13);
        assert_eq!(
            err.message,
            "too many arguments: unexpected `web-02` (usage: drain <targets>)"
        );
    }

    #[test]
    fn missing_argument_points_past_the_last_word() {
        let err = parse_command("deploy ").expect_err("should not parse");
        assert_eq!(
            err.to_string(),
            "column 8: expected a version after `deploy` (e.g. v2)"
        );
        let err = parse_command("deploy").expect_err("should not parse");
        assert_eq!(err.column, 6);
    }

    #[test]
    fn messages_defuse_control_characters_and_cut_long_words() {
        // The same `defuse::shown` as the scoreboard, replays and saved progress.
        // A control character is refused where it stands, before any message repeats it.
        let err = parse_command("\u{7}bell").expect_err("should not parse");
        assert_eq!(err.column, 0);
        assert_eq!(err.message, "a command may not contain control characters");
        let err = parse_command("x\u{202e}y z").expect_err("should not parse");
        assert_eq!(err.message, "unknown command `x?y`");
        let long = "x".repeat(100);
        let err = parse_command(&long).expect_err("should not parse");
        assert_eq!(
            err.message,
            format!("unknown command `{}…`", "x".repeat(60))
        );
    }
}
