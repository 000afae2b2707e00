//! The traffic-shifting grammars: `canary`, `weight`, `promote` and `shadow`.
//!
//! Owns the canary options (`steps=` required, `interval=` defaulting to one minute,
//! `analysis=on|off`, `limit=`, `initial-delay=`) and the step rules: weights from 1 to 100, strictly
//! increasing. What a weight does to traffic is the simulation's business.

use super::options::{self, OptSpec};
use super::parse::{Args, ParseError};
use super::suggest::suggest;
use super::{CanarySpec, Command, ShadowSpec, values};
use crate::defuse::shown;
use crate::time::Dur;

/// Pause between canary steps when `interval=` is not written: long enough for the
/// analysis to see a minute of traffic, short enough not to bore.
pub const DEFAULT_CANARY_INTERVAL: Dur = Dur::from_secs(60);

/// The options of `canary`.
const CANARY_OPTIONS: &[OptSpec] = &[
    OptSpec {
        name: "steps",
        example: "steps=5,20,50,100",
    },
    OptSpec {
        name: "interval",
        example: "interval=1m",
    },
    OptSpec {
        name: "analysis",
        example: "analysis=off",
    },
    OptSpec {
        name: "limit",
        example: "limit=1",
    },
    OptSpec {
        name: "initial-delay",
        example: "initial-delay=30s",
    },
];

/// The most failed analyses `limit=` may allow (Argo's `failureLimit`): a higher one would
/// never stop a canary.
pub const MAX_CANARY_LIMIT: u32 = 100;

/// Reads `canary <version> steps=<w>,… [interval=<duration>] [analysis=on|off] [limit=<n>]
/// [initial-delay=<duration>]`.
pub(crate) fn parse_canary(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let version = values::version(args)?;
    let opts = options::read(args, CANARY_OPTIONS)?;
    let Some(steps_opt) = opts.get("steps") else {
        let message = "expected steps=… (e.g. steps=5,20,50,100)";
        return Err(ParseError::new(args.end_column(), message));
    };
    let steps = steps(steps_opt.value, steps_opt.column)?;
    let interval = match opts.get("interval") {
        None => DEFAULT_CANARY_INTERVAL,
        Some(opt) => {
            let interval = values::duration(opt.value, opt.column)?;
            if interval == Dur::default() {
                let message = "interval must be longer than 0s: each step needs time to be watched";
                return Err(ParseError::new(opt.column, message));
            }
            interval
        }
    };
    let analysis = match opts.get("analysis") {
        None => true,
        Some(opt) => match opt.value {
            "on" => true,
            "off" => false,
            other => {
                let message = format!("expected on or off for analysis=, found `{}`", shown(other));
                let close = suggest(other, ["on", "off"]);
                return Err(ParseError::new(opt.column, message).suggesting(close));
            }
        },
    };
    let limit = match opts.get("limit") {
        None => 0,
        Some(opt) => {
            let limit = options::whole(opt.value, opt.column, "limit")?;
            if limit > MAX_CANARY_LIMIT {
                let message = format!(
                    "limit is the failed analyses allowed, from 0 to {MAX_CANARY_LIMIT}, found {limit}"
                );
                return Err(ParseError::new(opt.column, message));
            }
            limit
        }
    };
    let initial_delay = match opts.get("initial-delay") {
        None => Dur::default(),
        Some(opt) => values::duration(opt.value, opt.column)?,
    };
    Ok(Command::Canary(CanarySpec {
        version,
        steps,
        interval,
        analysis,
        limit,
        initial_delay,
    }))
}

/// `5,20,50,100` (a `%` after a step is allowed): weights 1..=100, strictly increasing.
fn steps(text: &str, column: usize) -> Result<Vec<u32>, ParseError> {
    let pieces: Vec<&str> = text.split(',').collect();
    let mut steps: Vec<u32> = Vec::new();
    let mut col = column;
    for (i, piece) in pieces.iter().enumerate() {
        if piece.is_empty() {
            let place = if i + 1 == pieces.len() {
                "after"
            } else {
                "before"
            };
            let message = format!("expected a step {place} `,` (e.g. steps=5,20,50,100)");
            return Err(ParseError::new(col, message));
        }
        let digits = piece.strip_suffix('%').unwrap_or(piece);
        let step = options::whole(digits, col, "a step").map_err(|mut e| {
            e.message = format!(
                "steps are weights from 1 to 100 (e.g. steps=5,20,50,100), found `{}`",
                shown(piece)
            );
            e
        })?;
        if !(1..=100).contains(&step) {
            let message = format!("steps are weights from 1 to 100, found {}", shown(piece));
            return Err(ParseError::new(col, message));
        }
        if let Some(&before) = steps.last().filter(|&&before| before >= step) {
            let message = format!("steps must increase: {step} comes after {before}");
            return Err(ParseError::new(col, message));
        }
        steps.push(step);
        col += piece.chars().count() + 1;
    }
    Ok(steps)
}

/// Reads `weight <0-100>` (a `%` after the number is allowed).
pub(crate) fn parse_weight(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let token = args.expect("a weight from 0 to 100", "20")?;
    let digits = token.text.strip_suffix('%').unwrap_or(token.text);
    let bad = |message: String| ParseError::new(token.column, message);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        let found = shown(token.text);
        return Err(bad(format!(
            "expected a weight from 0 to 100, found `{found}`"
        )));
    }
    match digits.parse::<u32>() {
        Ok(w) if w <= 100 => Ok(Command::Weight(w)),
        _ => Err(bad(format!(
            "weight must be from 0 to 100, found {}",
            shown(token.text)
        ))),
    }
}

/// Reads `promote [--full]`.
pub(crate) fn parse_promote(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let Some(token) = args.peek() else {
        return Ok(Command::Promote { full: false });
    };
    if token.text == "--full" {
        args.next();
        return Ok(Command::Promote { full: true });
    }
    if token.text == "staging" {
        args.next();
        return Ok(Command::PromoteStaging);
    }
    let close = suggest(token.text.trim_start_matches('-'), ["full", "staging"])
        .map(|w| if w == "full" { "--full" } else { "staging" });
    let message = format!(
        "expected `--full`, `staging` or nothing after `promote`, found `{}`",
        shown(token.text)
    );
    Err(ParseError::new(token.column, message).suggesting(close))
}

/// Reads `shadow <version> [<percent>]` (100% when left out) or `shadow off`.
pub(crate) fn parse_shadow(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let token = args.expect("a version or `off`", "v2 50%, or off")?;
    if token.text == "off" {
        return Ok(Command::Shadow(None));
    }
    let version = values::version_at(token.text, token.column)?;
    let percent = match args.next() {
        None => 100,
        Some(share) => options::percent(share.text, share.column, "the mirrored share")?,
    };
    Ok(Command::Shadow(Some(ShadowSpec { version, percent })))
}

#[cfg(test)]
mod tests;
