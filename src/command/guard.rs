//! The guard grammar: `guard <metric><op><value> [for <duration>] [version=<v>] -> <action>`,
//! and `unguard <n>|all`.
//!
//! Owns the value units (`2%` for `error_rate`, `cpu`, `mem`; `400ms` or `1.5s` for latencies, a
//! whole count for `sessions_lost`) and the arrow, which may be written `->` or `→`, with or
//! without spaces. Whether a guard fires is the simulation's business.

use super::parse::{Args, ParseError, Token};
use super::suggest::suggest;
use super::{Command, GuardAction, GuardSpec, Metric, Op, Watch, values};
use crate::defuse::shown;

/// The grammar of `guard`, for the table and the too-many-arguments message.
pub(crate) const GUARD_USAGE: &str =
    "guard <metric><op><value> [for <duration>] [version=<v>] -> pause|abort|rollback";

const ARROWS: [&str; 2] = ["->", "→"];
const METRICS: &str = "error_rate, p50, p95, p99, cpu, mem or sessions_lost";
const OPS: &str = "comparison (>, >=, <, <=)";
const ACTIONS: &str = "pause, abort or rollback";

/// The words after `guard`, split again around arrows, read left to right.
struct Pieces<'a> {
    list: Vec<Token<'a>>,
    pos: usize,
    /// Where a missing piece would go.
    end: usize,
}

impl<'a> Pieces<'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.list.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let token = self.peek()?;
        self.pos += 1;
        Some(token)
    }

    /// The next piece unless it is an arrow; else an error there (or at the end).
    fn word(&mut self, message: impl FnOnce() -> String) -> Result<Token<'a>, ParseError> {
        match self.peek() {
            Some(t) if !ARROWS.contains(&t.text) => {
                self.pos += 1;
                Ok(t)
            }
            other => Err(ParseError::new(
                other.map_or(self.end, |t| t.column),
                message(),
            )),
        }
    }
}

/// Reads the arguments of `guard`.
pub(crate) fn parse_guard(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let mut words = vec![args.expect("a condition", "error_rate>2%")?];
    while let Some(token) = args.next() {
        words.push(token);
    }
    let mut pieces = Pieces {
        list: split_arrows(&words),
        pos: 0,
        end: args.end_column(),
    };
    let (metric, op, value) = condition(&mut pieces)?;
    let (mut for_, mut version) = (None, None);
    loop {
        let Some(t) = pieces.next() else {
            let message =
                format!("expected `-> <action>` ({ACTIONS}) at the end (e.g. -> rollback)");
            return Err(ParseError::new(pieces.end, message));
        };
        if ARROWS.contains(&t.text) {
            break;
        }
        if for_.is_some() && t.text == "for" || version.is_some() && t.text.starts_with("version=")
        {
            let message = format!("`{}` is given twice: keep one", shown(t.text));
            return Err(ParseError::new(t.column, message));
        }
        if t.text == "for" {
            let d = pieces.word(|| "expected a duration after `for` (e.g. for 10s)".into())?;
            for_ = Some(values::duration(d.text, d.column)?);
        } else if let Some(v) = t.text.strip_prefix("version=") {
            let column = t.column + "version=".len();
            if v.is_empty() {
                let message = "expected a version after `version=` (e.g. version=v2)";
                return Err(ParseError::new(column, message));
            }
            version = Some(values::version_at(v, column)?);
        } else {
            return Err(unexpected(t));
        }
    }
    let action = action(&mut pieces)?;
    if let Some(extra) = pieces.next() {
        let message = format!(
            "too many arguments: unexpected `{}` (usage: {GUARD_USAGE})",
            shown(extra.text)
        );
        return Err(ParseError::new(extra.column, message));
    }
    Ok(Command::Guard(GuardSpec {
        metric,
        op,
        value,
        for_: for_.unwrap_or_default(),
        version,
        action,
    }))
}

/// A word where `for`, `version=` or the arrow should be, with a near miss if one is close.
fn unexpected(t: Token<'_>) -> ParseError {
    let close = match t.text.split_once('=') {
        _ if t.text.starts_with("=>") || t.text.starts_with('>') => Some("->"),
        Some((key, _)) => suggest(key, ["version"]).map(|_| "version="),
        None => suggest(t.text, ["for"]),
    };
    let message = format!(
        "expected `for <duration>`, `version=<v>` or `-> <action>`, found `{}`",
        shown(t.text)
    );
    ParseError::new(t.column, message).suggesting(close)
}

/// Whether `word` begins with a metric name followed by a comparison (`error_rate>2%`,
/// `p99>1s`): a metric condition of `wait until`.
pub(crate) fn starts_with_metric(word: &str) -> bool {
    let split = word.find(['<', '>', '=', '!']).unwrap_or(word.len());
    Metric::ALL.iter().any(|(_, s)| *s == &word[..split])
}

/// A metric condition of `wait until`: the guard's condition and its `for` and `version=`
/// options, without an action.
pub(crate) fn parse_watch(words: &[Token<'_>], end: usize) -> Result<Watch, ParseError> {
    let mut pieces = Pieces {
        list: split_arrows(words),
        pos: 0,
        end,
    };
    let (metric, op, value) = condition(&mut pieces)?;
    let (mut for_, mut version) = (None, None);
    while let Some(t) = pieces.next() {
        if t.text == "for" && for_.is_none() {
            let d = pieces.word(|| "expected a duration after `for` (e.g. for 10s)".into())?;
            for_ = Some(values::duration(d.text, d.column)?);
        } else if let Some(v) = t
            .text
            .strip_prefix("version=")
            .filter(|_| version.is_none())
        {
            let column = t.column + "version=".len();
            if v.is_empty() {
                let message = "expected a version after `version=` (e.g. version=v2)";
                return Err(ParseError::new(column, message));
            }
            version = Some(values::version_at(v, column)?);
        } else {
            let message = format!(
                "expected `for <duration>`, `version=<v>` or `timeout=<duration>`, found `{}`",
                shown(t.text)
            );
            return Err(ParseError::new(t.column, message));
        }
    }
    Ok(Watch {
        metric,
        op,
        value,
        for_: for_.unwrap_or_default(),
        version,
    })
}

/// Splits words around `->` and `→` so that `2%->rollback` reads like `2% -> rollback`.
fn split_arrows<'a>(words: &[Token<'a>]) -> Vec<Token<'a>> {
    let mut out = Vec::new();
    for word in words {
        let (mut rest, mut column) = (word.text, word.column);
        while !rest.is_empty() {
            let hit = ARROWS
                .iter()
                .filter_map(|a| rest.find(a).map(|i| (i, *a)))
                .min();
            let Some((i, arrow)) = hit else {
                out.push(Token { text: rest, column });
                break;
            };
            if i > 0 {
                out.push(Token {
                    text: &rest[..i],
                    column,
                });
                column += rest[..i].chars().count();
            }
            out.push(Token {
                text: arrow,
                column,
            });
            column += arrow.chars().count();
            rest = &rest[i + arrow.len()..];
        }
    }
    out
}

/// `<metric><op><value>`, spaces between the three allowed.
fn condition(pieces: &mut Pieces<'_>) -> Result<(Metric, Op, f64), ParseError> {
    let first = pieces.word(|| "expected a condition after `guard` (e.g. error_rate>2%)".into())?;
    let split = first
        .text
        .find(['<', '>', '=', '!'])
        .unwrap_or(first.text.len());
    let name = &first.text[..split];
    let Some(&(metric, _)) = Metric::ALL.iter().find(|(_, s)| *s == name) else {
        let message = if name.is_empty() {
            "expected a metric before the comparison (e.g. error_rate>2%)".to_string()
        } else {
            format!("unknown metric `{}`: expected {METRICS}", shown(name))
        };
        let close = suggest(name, Metric::ALL.iter().map(|(_, s)| *s));
        return Err(ParseError::new(first.column, message).suggesting(close));
    };
    let example = example(metric);
    let (mut rest, mut column) = (&first.text[split..], first.column + name.chars().count());
    if rest.is_empty() {
        let t = pieces.word(|| format!("expected a {OPS} after `{name}` (e.g. {example})"))?;
        (rest, column) = (t.text, t.column);
    }
    let Some(&(op, op_text)) = Op::ALL.iter().find(|(_, s)| rest.starts_with(s)) else {
        let written = rest.split(|c: char| c.is_ascii_digit() || c == '.').next();
        let message = format!(
            "expected a {OPS} after `{name}`, found `{}`",
            shown(written.unwrap_or(rest))
        );
        let close = match rest {
            r if r.starts_with("=>") => Some(">="),
            r if r.starts_with("=<") => Some("<="),
            _ => None,
        };
        return Err(ParseError::new(column, message).suggesting(close));
    };
    let (mut text, mut column) = (&rest[op_text.len()..], column + op_text.len());
    if text.is_empty() {
        let t = pieces.word(|| format!("expected a value after `{op_text}` (e.g. {example})"))?;
        (text, column) = (t.text, t.column);
    }
    Ok((metric, op, value(metric, text, column)?))
}

/// A condition written out, for messages.
fn example(metric: Metric) -> &'static str {
    match metric {
        Metric::ErrorRate => "error_rate>2%",
        Metric::P50 => "p50>200ms",
        Metric::P95 => "p95>300ms",
        Metric::P99 => "p99>400ms",
        Metric::Cpu => "cpu>80%",
        Metric::Mem => "mem>90%",
        Metric::SessionsLost => "sessions_lost>0",
    }
}

/// The threshold in the metric's unit: `2%` → 2.0, `400ms` → 400.0, `1.5s` → 1500.0.
fn value(metric: Metric, text: &str, column: usize) -> Result<f64, ParseError> {
    let name = metric.as_str();
    let fail = |message: String| ParseError::new(column, message);
    let found = shown(text);
    match metric.unit() {
        "%" => {
            let Some(n) = text.strip_suffix('%').and_then(number) else {
                if number(text).is_some() {
                    let message = format!("{name} is a percentage: write `{found}%`");
                    return Err(fail(message).suggesting(Some(&format!("{text}%"))));
                }
                return Err(fail(format!(
                    "expected a percentage like 2% for {name}, found `{found}`"
                )));
            };
            if n > 100.0 {
                return Err(fail(format!(
                    "{name} must be from 0% to 100%, found {found}"
                )));
            }
            Ok(n)
        }
        "ms" => {
            let ms = match text.strip_suffix("ms") {
                Some(n) => number(n),
                None => match text.strip_suffix('s') {
                    Some(n) => number(n).map(|s| s * 1000.0),
                    None => number(text),
                },
            };
            ms.filter(|v| v.is_finite()).ok_or_else(|| {
                fail(format!(
                    "expected a latency like 400ms or 1.5s for {name}, found `{found}`"
                ))
            })
        }
        _ => {
            if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
                return Err(fail(format!(
                    "{name} counts sessions: expected a whole number like 5, found `{found}`"
                )));
            }
            number(text).ok_or_else(|| fail(format!("{name} is too large: {found}")))
        }
    }
}

/// `12` or `1.5` (no sign, no exponent), finite.
fn number(text: &str) -> Option<f64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `-> <action>`: the arrow is already read.
fn action(pieces: &mut Pieces<'_>) -> Result<GuardAction, ParseError> {
    let t = pieces.word(|| format!("expected an action after `->`: {ACTIONS}"))?;
    if let Some(&(action, _)) = GuardAction::ALL.iter().find(|(_, s)| *s == t.text) {
        return Ok(action);
    }
    let message = format!("unknown action `{}`: expected {ACTIONS}", shown(t.text));
    let close = suggest(t.text, GuardAction::ALL.iter().map(|(_, s)| *s));
    Err(ParseError::new(t.column, message).suggesting(close))
}

/// Reads `unguard <n>|all`; guards are numbered from 1, as `guards` lists them.
pub(crate) fn parse_unguard(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let t = args.expect("a guard number or `all`", "2, or all")?;
    if t.text == "all" {
        return Ok(Command::Unguard(None));
    }
    match t.text.parse::<u32>() {
        Ok(n) if n >= 1 && t.text.chars().all(|c| c.is_ascii_digit()) => {
            Ok(Command::Unguard(Some(n)))
        }
        _ => {
            let message = format!(
                "expected a guard number (from 1, as `guards` lists them) or `all`, found `{}`",
                shown(t.text)
            );
            Err(ParseError::new(t.column, message).suggesting(suggest(t.text, ["all"])))
        }
    }
}

#[cfg(test)]
mod tests;
