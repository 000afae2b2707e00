//! The `wait` grammar: `wait <duration>` or `wait until <condition> [timeout=<duration>]`.
//!
//! Owns the condition words (`ready`, `drained`, `all-on`, `idle`) and the `timeout=` option.
//! Whether a condition holds is the simulation's business, not this module's.

use super::parse::{Args, ParseError, Token};
use super::suggest::suggest;
use super::{Command, Condition, DEFAULT_WAIT_TIMEOUT, Wait, values};
use crate::defuse::shown;
use crate::time::Dur;

/// Every condition word, for suggestions and completion.
pub const CONDITIONS: &[&str] = &["ready", "drained", "all-on", "idle", "stopped"];

/// The one option of `wait until`, written `timeout=<duration>`.
const TIMEOUT: &str = "timeout=";

/// Reads the arguments of `wait`.
pub(crate) fn parse_wait(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let token = args.expect("a duration or `until`", "30s, or until idle")?;
    if token.text == "until" {
        return until(args);
    }
    let starts_with_digit = token.text.starts_with(|c: char| c.is_ascii_digit());
    // `wait idle` means `wait until idle`; `wait untl …` is a typo of `until`.
    let close = if CONDITIONS.contains(&token.text) {
        Some(format!("until {}", token.text))
    } else {
        suggest(token.text, ["until"]).map(str::to_string)
    };
    if let Some(close) = close.filter(|_| !starts_with_digit) {
        let message = format!(
            "expected a duration or `until`, found `{}`",
            shown(token.text)
        );
        return Err(ParseError::new(token.column, message).suggesting(Some(&close)));
    }
    values::duration(token.text, token.column).map(|d| Command::Wait(Wait::For(d)))
}

/// Reads `<condition> [timeout=<duration>]` after `wait until`.
fn until(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let token = args.expect(
        "a condition",
        "ready web-01, drained all, all-on v2 or idle",
    )?;
    let cond = match token.text {
        "ready" => Condition::Ready(values::targets(args)?),
        "drained" => Condition::Drained(values::targets(args)?),
        "all-on" => Condition::AllOn(values::version(args)?),
        "idle" => Condition::Idle,
        "stopped" => Condition::Stopped,
        other if super::guard::starts_with_metric(other) => {
            // The guard's grammar: `error_rate>2% version=v5 for 10s`, then `timeout=`.
            let mut words = vec![token];
            while let Some(t) = args.peek().filter(|t| !looks_like_timeout(*t)) {
                args.next();
                words.push(t);
            }
            Condition::Metric(super::guard::parse_watch(&words, args.end_column())?)
        }
        other => {
            let message = format!(
                "unknown condition `{}`: expected ready, drained, all-on, idle, stopped or a metric (error_rate>2% version=v2 for 10s)",
                shown(other)
            );
            let close = suggest(other, CONDITIONS.iter().copied());
            return Err(ParseError::new(token.column, message).suggesting(close));
        }
    };
    let timeout = match args.peek() {
        Some(option) if looks_like_timeout(option) => {
            args.next();
            timeout(option)?
        }
        _ => DEFAULT_WAIT_TIMEOUT,
    };
    Ok(Command::Wait(Wait::Until { cond, timeout }))
}

/// Whether `token` is (or was meant to be) the `timeout=` option; anything else is left
/// for `parse_command` to reject as an extra argument.
fn looks_like_timeout(token: Token<'_>) -> bool {
    let key = token.text.split('=').next().unwrap_or_default();
    suggest(key, ["timeout"]).is_some()
}

/// Reads `timeout=<duration>`, pointing at the duration itself when that is wrong.
fn timeout(token: Token<'_>) -> Result<Dur, ParseError> {
    let Some(text) = token.text.strip_prefix(TIMEOUT) else {
        let message = format!(
            "unknown option `{}`: expected `timeout=<duration>` (e.g. timeout=2m)",
            shown(token.text)
        );
        return Err(ParseError::new(token.column, message).suggesting(Some(TIMEOUT)));
    };
    let column = token.column + TIMEOUT.len();
    if text.is_empty() {
        let message = "expected a duration after `timeout=` (e.g. timeout=2m)";
        return Err(ParseError::new(column, message));
    }
    values::duration(text, column)
}

#[cfg(test)]
mod tests {
    use super::super::{Target, Targets, parse_command};
    use super::*;

    fn until_cmd(cond: Condition, timeout: Dur) -> Command {
        Command::Wait(Wait::Until { cond, timeout })
    }

    fn err(line: &str) -> (usize, String, Option<String>) {
        let e = parse_command(line).expect_err("should not parse");
        (e.column, e.message, e.suggestion)
    }

    #[test]
    fn waits() {
        let all = || Targets(vec![Target::All]);
        assert_eq!(
            parse_command("wait 1m30s"),
            Ok(Command::Wait(Wait::For(Dur::from_secs(90))))
        );
        assert_eq!(
            parse_command("wait until ready all"),
            Ok(until_cmd(Condition::Ready(all()), DEFAULT_WAIT_TIMEOUT))
        );
        assert_eq!(
            parse_command("wait until drained all timeout=30s"),
            Ok(until_cmd(Condition::Drained(all()), Dur::from_secs(30)))
        );
        assert_eq!(
            parse_command("wait until all-on v2"),
            Ok(until_cmd(
                Condition::AllOn("v2".into()),
                DEFAULT_WAIT_TIMEOUT
            ))
        );
        assert_eq!(
            parse_command("wait until idle timeout=250ms"),
            Ok(until_cmd(Condition::Idle, Dur::from_millis(250)))
        );
        let web = Targets(vec![
            Target::Name("web-01".into()),
            Target::Name("web-02".into()),
        ]);
        assert_eq!(
            parse_command("wait until ready web-01, web-02 timeout=1m"),
            Ok(until_cmd(Condition::Ready(web), Dur::from_secs(60)))
        );
    }

    #[test]
    fn wait_errors() {
        let unit = "expected a number with a unit (ms, s, m, h), like 30s";
        assert_eq!(
            err("wait 30"),
            (5, format!("`30` is not a duration: {unit}"), None)
        );
        assert_eq!(
            err("wait"),
            (
                4,
                "expected a duration or `until` after `wait` (e.g. 30s, or until idle)".into(),
                None
            )
        );
        assert_eq!(
            err("wait untl idle"),
            (
                5,
                "expected a duration or `until`, found `untl`".into(),
                Some("until".into())
            )
        );
        assert_eq!(
            err("wait until"),
            (
                10,
                "expected a condition after `until` (e.g. ready web-01, drained all, all-on v2 or idle)"
                    .into(),
                None
            )
        );
    }

    #[test]
    fn condition_errors() {
        assert_eq!(
            err("wait until raedy all"),
            (
                11,
                "unknown condition `raedy`: expected ready, drained, all-on, idle, stopped or a metric (error_rate>2% version=v2 for 10s)".into(),
                Some("ready".into())
            )
        );
        // A metric condition speaks the guard's grammar, without an action.
        assert_eq!(
            err("wait until error_rate>2% -> rollback"),
            (
                25,
                "expected `for <duration>`, `version=<v>` or `timeout=<duration>`, found `->`"
                    .into(),
                None
            )
        );
        assert_eq!(err("wait until p99>fast").0, 15);
        assert_eq!(
            err("wait idle"),
            (
                5,
                "expected a duration or `until`, found `idle`".into(),
                Some("until idle".into())
            )
        );
        let (column, message, _) = err("wait until all-on");
        assert_eq!(
            (column, message.as_str()),
            (17, "expected a version after `all-on` (e.g. v2)")
        );
        let (column, message, _) = err("wait until idle now");
        assert_eq!(column, 16);
        assert!(
            message.starts_with("too many arguments: unexpected `now`"),
            "{message}"
        );
    }

    #[test]
    fn timeout_errors() {
        assert_eq!(
            err("wait until idle timout=30s"),
            (
                16,
                "unknown option `timout=30s`: expected `timeout=<duration>` (e.g. timeout=2m)"
                    .into(),
                Some("timeout=".into())
            )
        );
        let (column, _, suggestion) = err("wait until idle timeout 30s");
        assert_eq!((column, suggestion.as_deref()), (16, Some("timeout=")));
        let (column, message, _) = err("wait until idle timeout=5x");
        assert_eq!(column, 24);
        assert!(message.starts_with("`5x` is not a duration"), "{message}");
        let (column, message, _) = err("wait until idle timeout=");
        assert_eq!(
            (column, message.as_str()),
            (24, "expected a duration after `timeout=` (e.g. timeout=2m)")
        );
        let (column, message, _) = err("wait until idle timeout=1m timeout=2m");
        assert_eq!(column, 27);
        assert!(message.starts_with("too many arguments"), "{message}");
    }
}
