//! How each kind of argument reads: targets, names, versions, numbers and durations.
//!
//! Owns the spelling rules (which characters a name may use, what a range looks like) and
//! their error messages. Knows nothing of the fleet: whether `web-09` exists is the sim's call.

use super::parse::{Args, ParseError, Token};
use super::{Target, Targets};
use crate::defuse::shown;
use crate::time::{Dur, DurError};

/// Shown when targets are missing.
const TARGETS_EXAMPLE: &str = "web-01, web-01..web-04, blue, all";

/// Reads a version such as `v2`, `v2.1` or `2.0-rc1`.
pub(crate) fn version(args: &mut Args<'_>) -> Result<String, ParseError> {
    let token = args.expect("a version", "v2")?;
    check_word(token.text, token.column, "version")?;
    Ok(token.text.to_string())
}

/// Checks a version written inside an option, such as the `v2` of `version=v2`.
pub(crate) fn version_at(text: &str, column: usize) -> Result<String, ParseError> {
    check_word(text, column, "version")?;
    Ok(text.to_string())
}

/// Reads a pool name such as `green` (whether it exists is the sim's call).
pub(crate) fn pool(args: &mut Args<'_>) -> Result<String, ParseError> {
    let token = args.expect("a pool name", "green")?;
    check_word(token.text, token.column, "pool name")?;
    Ok(token.text.to_string())
}

/// Reads a comma-separated target list; a space after a comma is allowed (`web-01, web-02`).
pub(crate) fn targets(args: &mut Args<'_>) -> Result<Targets, ParseError> {
    let mut tokens = vec![args.expect("targets", TARGETS_EXAMPLE)?];
    while tokens.last().is_some_and(|t| t.text.ends_with(',')) {
        // An option such as `timeout=` is never a target: leave it for the caller.
        match args.peek() {
            Some(next) if !next.text.contains('=') => tokens.push(next),
            _ => break,
        }
        args.next();
    }
    let mut list = Vec::new();
    let count = tokens.len();
    for (i, token) in tokens.into_iter().enumerate() {
        targets_in_token(token, i + 1 < count, &mut list)?;
    }
    Ok(Targets(list))
}

/// Splits one token on commas; `continued` says a later token carries on after a last comma.
fn targets_in_token(
    token: Token<'_>,
    continued: bool,
    list: &mut Vec<Target>,
) -> Result<(), ParseError> {
    let pieces: Vec<&str> = token.text.split(',').collect();
    let mut column = token.column;
    for (j, piece) in pieces.iter().enumerate() {
        let last = j + 1 == pieces.len();
        if piece.is_empty() {
            if last && continued {
                break;
            }
            let place = if last { "after" } else { "before" };
            let message = format!("expected a target {place} `,` (e.g. {TARGETS_EXAMPLE})");
            return Err(ParseError::new(column, message));
        }
        list.push(target(piece, column)?);
        column += piece.chars().count() + 1;
    }
    Ok(())
}

/// One target: `all`, a range `web-01..web-04`, or a server or pool name.
fn target(text: &str, column: usize) -> Result<Target, ParseError> {
    if text == "all" {
        return Ok(Target::All);
    }
    if let Some((from, to)) = text.split_once("..") {
        return range(from, to, column);
    }
    check_word(text, column, "target name")?;
    Ok(Target::Name(text.to_string()))
}

/// A range: both ends `<prefix>-<digits>` with the same prefix, not reversed.
fn range(from: &str, to: &str, column: usize) -> Result<Target, ParseError> {
    let to_column = column + from.chars().count() + 2;
    if from.is_empty() {
        return Err(ParseError::new(
            column,
            "expected a range start before `..` (e.g. web-01)",
        ));
    }
    if to.is_empty() {
        let message = "expected a range end after `..` (e.g. web-04)";
        return Err(ParseError::new(to_column, message));
    }
    let (from_prefix, from_num) = range_end(from, column, "start")?;
    let (to_prefix, to_num) = range_end(to, to_column, "end")?;
    if from_prefix != to_prefix {
        let message = format!(
            "range ends have different prefixes: `{}-` and `{}-`",
            shown(from_prefix),
            shown(to_prefix)
        );
        return Err(ParseError::new(to_column, message));
    }
    if numeric_key(from_num) > numeric_key(to_num) {
        let message = format!(
            "range `{}..{}` is reversed: write `{}..{}`",
            shown(from),
            shown(to),
            shown(to),
            shown(from)
        );
        return Err(ParseError::new(column, message));
    }
    Ok(Target::Range(from.to_string(), to.to_string()))
}

/// Splits a range end into prefix and digits: `web-01` → (`web`, `01`).
fn range_end<'t>(
    text: &'t str,
    column: usize,
    which: &str,
) -> Result<(&'t str, &'t str), ParseError> {
    check_word(text, column, &format!("range {which}"))?;
    match text.rsplit_once('-') {
        Some((prefix, digits))
            if !prefix.is_empty()
                && !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit()) =>
        {
            Ok((prefix, digits))
        }
        _ => {
            let message = format!(
                "range {which} `{}` must end in `-` and digits (e.g. web-01)",
                shown(text)
            );
            Err(ParseError::new(column, message))
        }
    }
}

/// Orders digit strings by value without overflowing: leading zeros off, then length, text.
fn numeric_key(digits: &str) -> (usize, &str) {
    let trimmed = digits.trim_start_matches('0');
    (trimmed.len(), trimmed)
}

/// Checks the spelling shared by names and versions: `[A-Za-z0-9_.-]+`, not starting with `-`.
fn check_word(text: &str, column: usize, what: &str) -> Result<(), ParseError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if let Some(bad) = text.chars().find(|&c| !allowed(c)) {
        let message = format!(
            "`{}` is not a valid {what}: `{}` is not allowed (use letters, digits, `.`, `_`, `-`)",
            shown(text),
            bad.escape_debug()
        );
        return Err(ParseError::new(column, message));
    }
    if text.starts_with('-') {
        let message = format!(
            "`{}` is not a valid {what}: it starts with `-`",
            shown(text)
        );
        return Err(ParseError::new(column, message));
    }
    Ok(())
}

/// Reads the `speed` multiplier, a whole number from 1 to 100.
pub(crate) fn speed(args: &mut Args<'_>) -> Result<u32, ParseError> {
    let token = args.expect("a speed from 1 to 100", "10")?;
    if token.text.is_empty() || !token.text.chars().all(|c| c.is_ascii_digit()) {
        let message = format!(
            "expected a whole number from 1 to 100, found `{}`",
            shown(token.text)
        );
        return Err(ParseError::new(token.column, message));
    }
    match token.text.parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => {
            let message = format!("speed must be from 1 to 100, found {}", shown(token.text));
            Err(ParseError::new(token.column, message))
        }
    }
}

/// Reads a duration such as `30s`, `250ms` or `1m30s` starting at `column`.
pub(crate) fn duration(text: &str, column: usize) -> Result<Dur, ParseError> {
    text.parse::<Dur>().map_err(|err| {
        let message = match err {
            DurError::TooLong(_) => format!("duration `{}` is too long", shown(text)),
            DurError::Empty | DurError::Malformed(_) => format!(
                "`{}` is not a duration: expected a number with a unit (ms, s, m, h), like 30s",
                shown(text)
            ),
        };
        ParseError::new(column, message)
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Command, parse_command};
    use super::*;

    fn targets_of(line: &str) -> Vec<Target> {
        match parse_command(line) {
            Ok(Command::Drain(Targets(list))) => list,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn err(line: &str) -> (usize, String) {
        let e = parse_command(line).expect_err("should not parse");
        (e.column, e.message)
    }

    fn name(n: &str) -> Target {
        Target::Name(n.to_string())
    }

    fn range_of(a: &str, b: &str) -> Target {
        Target::Range(a.to_string(), b.to_string())
    }

    #[test]
    fn target_lists() {
        assert_eq!(targets_of("drain all"), vec![Target::All]);
        assert_eq!(targets_of("drain blue"), vec![name("blue")]);
        assert_eq!(
            targets_of("drain web-01,web-03"),
            vec![name("web-01"), name("web-03")]
        );
        assert_eq!(
            targets_of("drain web-01, web-03"),
            vec![name("web-01"), name("web-03")]
        );
        assert_eq!(
            targets_of("drain web-01..web-04,db_1.a"),
            vec![range_of("web-01", "web-04"), name("db_1.a")]
        );
        assert_eq!(
            targets_of("drain web-9..web-10"),
            vec![range_of("web-9", "web-10")]
        );
        assert_eq!(
            targets_of("drain a-b-1..a-b-1"),
            vec![range_of("a-b-1", "a-b-1")]
        );
    }

    #[test]
    fn bad_lists_point_at_the_gap() {
        let msg = "expected a target after `,` (e.g. web-01, web-01..web-04, blue, all)";
        assert_eq!(err("drain web-01,"), (13, msg.to_string()));
        assert_eq!(err("drain web-01, "), (13, msg.to_string()));
        let msg = "expected a target before `,` (e.g. web-01, web-01..web-04, blue, all)";
        assert_eq!(err("drain web-01,,web-02"), (13, msg.to_string()));
        assert_eq!(err("drain ,web-02"), (6, msg.to_string()));
    }

    #[test]
    fn bad_names_say_which_character() {
        let (column, message) = err("drain web-01,wéb");
        assert_eq!(column, 13);
        assert_eq!(
            message,
            "`wéb` is not a valid target name: `é` is not allowed (use letters, digits, `.`, `_`, `-`)"
        );
        assert_eq!(
            err("drain -web"),
            (
                6,
                "`-web` is not a valid target name: it starts with `-`".to_string()
            )
        );
    }

    #[test]
    fn bad_ranges() {
        assert_eq!(
            err("drain web-04..web-01"),
            (
                6,
                "range `web-04..web-01` is reversed: write `web-01..web-04`".to_string()
            )
        );
        assert_eq!(
            err("drain web-01..db-04"),
            (
                14,
                "range ends have different prefixes: `web-` and `db-`".to_string()
            )
        );
        assert_eq!(
            err("drain web..web-04"),
            (
                6,
                "range start `web` must end in `-` and digits (e.g. web-01)".to_string()
            )
        );
        assert_eq!(
            err("drain web-01..web-0x"),
            (
                14,
                "range end `web-0x` must end in `-` and digits (e.g. web-01)".to_string()
            )
        );
        assert_eq!(
            err("drain web-01.."),
            (
                14,
                "expected a range end after `..` (e.g. web-04)".to_string()
            )
        );
        assert_eq!(
            err("drain ..web-01"),
            (
                6,
                "expected a range start before `..` (e.g. web-01)".to_string()
            )
        );
    }

    #[test]
    fn numeric_order_ignores_leading_zeros() {
        assert!(numeric_key("9") < numeric_key("010"));
        assert_eq!(numeric_key("007"), numeric_key("7"));
        assert!(numeric_key(&"9".repeat(50)) < numeric_key(&format!("1{}", "0".repeat(50))));
    }

    #[test]
    fn speeds() {
        assert_eq!(parse_command("speed 1"), Ok(Command::Speed(1)));
        assert_eq!(parse_command("speed 100"), Ok(Command::Speed(100)));
        assert_eq!(
            err("speed 0"),
            (6, "speed must be from 1 to 100, found 0".to_string())
        );
        assert_eq!(
            err("speed 99999999999999"),
            (
                6,
                "speed must be from 1 to 100, found 99999999999999".to_string()
            )
        );
        assert_eq!(
            err("speed +5"),
            (
                6,
                "expected a whole number from 1 to 100, found `+5`".to_string()
            )
        );
        assert_eq!(
            err("speed"),
            (
                5,
                "expected a speed from 1 to 100 after `speed` (e.g. 10)".to_string()
            )
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration("1m30s", 0), Ok(Dur::from_secs(90)));
        assert_eq!(
            duration("30", 4),
            Err(ParseError::new(
                4,
                "`30` is not a duration: expected a number with a unit (ms, s, m, h), like 30s"
            ))
        );
        let long = format!("{}h", "9".repeat(30));
        assert!(
            duration(&long, 0)
                .expect_err("should not parse")
                .message
                .contains("is too long")
        );
    }
}
