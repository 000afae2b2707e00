//! Script files: one command a line, `#` comments, blank lines skipped.
//!
//! Owns line and column bookkeeping for whole files and collects every error at once, so a
//! player fixes a script in one pass. Each line goes through `parse_command` unchanged up to
//! its comment, so columns count from the start of the original line.

use super::Command;
use super::parse::{ParseError, parse_command};

/// One parsed script line.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptLine {
    /// 1-based line number in the file.
    pub line: usize,
    /// What the line says to do.
    pub command: Command,
}

/// A parsed script.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Script {
    /// The commands in file order, comments and blank lines dropped.
    pub lines: Vec<ScriptLine>,
}

/// A problem in a script: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ScriptError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based char column within the original line.
    pub column: usize,
    /// What went wrong, ending in "did you mean `…`?" when a near miss is known.
    pub message: String,
}

impl ScriptError {
    fn from_parse(line: usize, err: ParseError) -> Self {
        let message = match err.suggestion {
            Some(word) => format!("{}; did you mean `{word}`?", err.message),
            None => err.message,
        };
        Self {
            line,
            column: err.column + 1,
            message,
        }
    }
}

/// Parses a whole script, returning every problem at once.
pub fn parse_script(text: &str) -> Result<Script, Vec<ScriptError>> {
    let mut script = Script::default();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let code = raw.split_once('#').map_or(raw, |(code, _comment)| code);
        if code.trim().is_empty() {
            continue;
        }
        match parse_command(code) {
            Ok(command) => script.lines.push(ScriptLine {
                line: index + 1,
                command,
            }),
            Err(err) => errors.push(ScriptError::from_parse(index + 1, err)),
        }
    }
    if errors.is_empty() {
        Ok(script)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Target, Targets};
    use super::*;

    #[test]
    fn skips_comments_and_blank_lines() {
        let text = "# roll web-01\n\n  drain web-01   # first\r\nwait 30s\n   \n";
        let script = parse_script(text).expect("valid script");
        let web = Targets(vec![Target::Name("web-01".into())]);
        assert_eq!(
            script.lines,
            vec![
                ScriptLine {
                    line: 3,
                    command: Command::Drain(web)
                },
                ScriptLine {
                    line: 4,
                    command: Command::Wait(super::super::Wait::For(crate::time::Dur::from_secs(
                        30
                    )))
                },
            ]
        );
        assert_eq!(parse_script(""), Ok(Script::default()));
    }

    #[test]
    fn reports_every_error_with_line_and_column() {
        let text = "drain web-01\n  deplyo v2 all\npause\nspeed 500 # too fast\ndrain # nothing\n";
        let errors = parse_script(text).expect_err("should not parse");
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            vec![
                "2:3: unknown command `deplyo`; did you mean `deploy`?",
                "4:7: speed must be from 1 to 100, found 500",
                "5:7: expected targets after `drain` (e.g. web-01, web-01..web-04, blue, all)",
            ]
        );
    }

    #[test]
    fn unicode_before_the_error_counts_as_one_column() {
        let errors = parse_script("\u{a0}é").expect_err("should not parse");
        assert_eq!((errors[0].line, errors[0].column), (1, 2));
    }
}
