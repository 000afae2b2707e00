//! The rolling and blue-green grammars: `rolling <version> <mode>`, `bluegreen <version>`,
//! `switch <pool>`, `delete <pool>`.
//!
//! Owns the two rolling modes and the rule that a line picks exactly one: in place
//! (`batch=2` or `max-unavailable=10%`) or with surge (`surge=25% unavailable=25%
//! [min-ready=10s]`, either bound alone with the other at Kubernetes' 25 %). Whether the numbers make sense for the fleet (Kubernetes refuses
//! `surge=0 unavailable=0`) is the simulation's call.

use super::options::{self, Opt, OptSpec, Options};
use super::parse::{Args, ParseError};
use super::{Amount, Command, RollingMode, values};
use crate::defuse::shown;
use crate::time::Dur;

/// The options of `rolling`.
const ROLLING_OPTIONS: &[OptSpec] = &[
    OptSpec {
        name: "batch",
        example: "batch=2",
    },
    OptSpec {
        name: "max-unavailable",
        example: "max-unavailable=10%",
    },
    OptSpec {
        name: "surge",
        example: "surge=25%",
    },
    OptSpec {
        name: "unavailable",
        example: "unavailable=25%",
    },
    OptSpec {
        name: "min-ready",
        example: "min-ready=10s",
    },
];

/// The options that pick the in-place mode, and those that pick the surge mode.
const IN_PLACE: &[&str] = &["batch", "max-unavailable"];
const SURGE: &[&str] = &["surge", "unavailable", "min-ready"];

/// Both modes, spelled out for messages.
const MODES: &str =
    "in place (batch=2 or max-unavailable=10%) or with surge (surge=25% unavailable=25%)";

/// Reads `rolling <version> <mode>`.
pub(crate) fn parse_rolling(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let version = values::version(args)?;
    let after = args.previous().map(|t| shown(t.text)).unwrap_or_default();
    let opts = options::read(args, ROLLING_OPTIONS)?;
    let end = args.end_column();
    let mode = match (first_of(&opts, IN_PLACE), first_of(&opts, SURGE)) {
        (Some(a), Some(b)) => {
            let later = if a.token.column > b.token.column {
                a
            } else {
                b
            };
            let message = format!(
                "`{}=` and `{}=` belong to different modes: {MODES}; pick one",
                a.name, b.name
            );
            return Err(ParseError::new(later.token.column, message));
        }
        (Some(_), None) => in_place(&opts)?,
        (None, Some(_)) => surge(&opts)?,
        (None, None) => {
            let message = format!(
                "expected batch=… or surge=… unavailable=… after `{after}` (e.g. batch=2, or surge=25% unavailable=25%)"
            );
            return Err(ParseError::new(end, message));
        }
    };
    Ok(Command::Rolling { version, mode })
}

/// The first option written among `names`.
fn first_of<'a>(opts: &Options<'a>, names: &[&str]) -> Option<Opt<'a>> {
    opts.found.iter().copied().find(|o| names.contains(&o.name))
}

/// `batch=<count>` or `max-unavailable=<percent>` (either accepts both kinds of amount).
fn in_place(opts: &Options<'_>) -> Result<RollingMode, ParseError> {
    if let (Some(a), Some(b)) = (opts.get("batch"), opts.get("max-unavailable")) {
        let later = if a.token.column > b.token.column {
            a
        } else {
            b
        };
        let message = "`batch=` and `max-unavailable=` both set the batch size: keep one";
        return Err(ParseError::new(later.token.column, message));
    }
    let Some(opt) = first_of(opts, IN_PLACE) else {
        return Err(ParseError::new(0, "expected batch= or max-unavailable="));
    };
    let batch = options::amount(opt.value, opt.column, opt.name)?;
    if matches!(batch, Amount::Count(0) | Amount::Percent(0)) {
        let message = format!(
            "{} must be at least 1 (or 1%): a batch of 0 servers never finishes",
            opt.name
        );
        return Err(ParseError::new(opt.column, message));
    }
    Ok(RollingMode::InPlace { batch })
}

/// `surge=<amount> unavailable=<amount> [min-ready=<duration>]`; a bound left out takes
/// Kubernetes' default, 25 % (`maxSurge` and `maxUnavailable` of a Deployment).
fn surge(opts: &Options<'_>) -> Result<RollingMode, ParseError> {
    let bound = |name: &str| match opts.get(name) {
        Some(opt) => options::amount(opt.value, opt.column, name),
        None => Ok(Amount::Percent(DEFAULT_BOUND_PCT)),
    };
    let min_ready = match opts.get("min-ready") {
        Some(opt) => values::duration(opt.value, opt.column)?,
        None => Dur::default(),
    };
    Ok(RollingMode::Surge {
        surge: bound("surge")?,
        unavailable: bound("unavailable")?,
        min_ready,
    })
}

/// Kubernetes' default for `maxSurge` and `maxUnavailable`, in percent.
pub const DEFAULT_BOUND_PCT: u32 = 25;

/// Reads `bluegreen <version>`.
pub(crate) fn parse_bluegreen(args: &mut Args<'_>) -> Result<Command, ParseError> {
    values::version(args).map(|version| Command::BlueGreen { version })
}

#[cfg(test)]
mod tests {
    use super::super::parse_command;
    use super::*;

    fn rolling(line: &str) -> RollingMode {
        match parse_command(line) {
            Ok(Command::Rolling { version, mode }) if version == "v2" => mode,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn err(line: &str) -> (usize, String, Option<String>) {
        let e = parse_command(line).expect_err("should not parse");
        (e.column, e.message, e.suggestion)
    }

    fn surge_mode(surge: Amount, unavailable: Amount, min_ready: Dur) -> RollingMode {
        RollingMode::Surge {
            surge,
            unavailable,
            min_ready,
        }
    }

    #[test]
    fn rolling_forms() {
        use Amount::{Count, Percent};
        let batch = |batch| RollingMode::InPlace { batch };
        assert_eq!(rolling("rolling v2 batch=2"), batch(Count(2)));
        assert_eq!(rolling("roll v2 batch=2"), batch(Count(2)));
        assert_eq!(
            rolling("rolling v2 max-unavailable=10%"),
            batch(Percent(10))
        );
        assert_eq!(rolling("rolling v2 batch=10%"), batch(Percent(10)));
        assert_eq!(rolling("rolling v2 max-unavailable=3"), batch(Count(3)));
        let zero = Dur::default();
        assert_eq!(
            rolling("rolling v2 surge=25% unavailable=25%"),
            surge_mode(Percent(25), Percent(25), zero)
        );
        assert_eq!(
            rolling("rolling v2 min-ready=10s unavailable=0 surge=1"),
            surge_mode(Count(1), Count(0), Dur::from_secs(10))
        );
        assert_eq!(
            rolling("rolling v2 surge=0 unavailable=0"),
            surge_mode(Count(0), Count(0), zero)
        );
    }

    #[test]
    fn server_counts_beyond_the_largest_fleet_are_refused_at_their_column() {
        // 4294967295 + desired wrapped the sim's `desired + surge` (a stall in release, a
        // panic in debug).
        let (column, message, _) = err("rolling v2 surge=4294967295 unavailable=0");
        assert_eq!(column, 17);
        assert_eq!(
            message,
            "surge must be at most 10000 servers (the largest fleet), found 4294967295"
        );
        assert_eq!(err("rolling v2 surge=1 unavailable=10001").0, 31);
        assert_eq!(err("rolling v2 batch=20000").0, 17);
    }

    #[test]
    fn rolling_needs_exactly_one_mode() {
        assert_eq!(
            err("rolling v2"),
            (
                10,
                "expected batch=… or surge=… unavailable=… after `v2` (e.g. batch=2, or surge=25% unavailable=25%)"
                    .into(),
                None
            )
        );
        assert_eq!(
            err("rolling v2 batch=2 surge=25% unavailable=25%"),
            (
                19,
                format!("`batch=` and `surge=` belong to different modes: {MODES}; pick one"),
                None
            )
        );
        let (column, message, _) = err("rolling v2 min-ready=5s batch=1");
        assert_eq!(column, 24);
        assert!(
            message.starts_with("`batch=` and `min-ready=`"),
            "{message}"
        );
        assert_eq!(
            err("rolling v2 batch=1 max-unavailable=10%"),
            (
                19,
                "`batch=` and `max-unavailable=` both set the batch size: keep one".into(),
                None
            )
        );
    }

    #[test]
    fn a_surge_bound_left_out_takes_the_kubernetes_default() {
        // A Deployment defaults maxSurge and maxUnavailable to 25 % each.
        use Amount::{Count, Percent};
        let zero = Dur::default();
        assert_eq!(
            rolling("rolling v2 surge=25%"),
            surge_mode(Percent(25), Percent(25), zero)
        );
        assert_eq!(
            rolling("rolling v2 unavailable=1 min-ready=1s"),
            surge_mode(Percent(25), Count(1), Dur::from_secs(1))
        );
        assert_eq!(
            rolling("rolling v2 surge=0"),
            surge_mode(Count(0), Percent(25), zero)
        );
    }

    #[test]
    fn rolling_option_errors() {
        assert_eq!(
            err("rolling v2 bach=2"),
            (
                11,
                "unknown option `bach=`: expected batch=, max-unavailable=, surge=, unavailable= or min-ready="
                    .into(),
                Some("batch=".into())
            )
        );
        assert_eq!(
            err("rolling v2 batch=2 batch=3"),
            (19, "`batch=` is given twice: keep one".into(), None)
        );
        assert_eq!(
            err("rolling v2 batch="),
            (
                17,
                "expected a value after `batch=` (e.g. batch=2)".into(),
                None
            )
        );
        assert_eq!(
            err("rolling v2 batch 2"),
            (
                11,
                "option `batch` needs a value: write `batch=…` (e.g. batch=2)".into(),
                Some("batch=".into())
            )
        );
        assert_eq!(
            err("rolling v2 batch=0"),
            (
                17,
                "batch must be at least 1 (or 1%): a batch of 0 servers never finishes".into(),
                None
            )
        );
        assert_eq!(
            err("rolling v2 surge=101% unavailable=0"),
            (17, "surge must be from 0% to 100%, found 101%".into(), None)
        );
        let (column, message, _) = err("rolling v2 surge=1 unavailable=1 min-ready=soon");
        assert_eq!(column, 43);
        assert!(message.starts_with("`soon` is not a duration"), "{message}");
        let (column, message, _) = err("rolling");
        assert_eq!(
            (column, message.as_str()),
            (7, "expected a version after `rolling` (e.g. v2)")
        );
    }

    #[test]
    fn pools() {
        assert_eq!(
            parse_command("bluegreen v2"),
            Ok(Command::BlueGreen {
                version: "v2".into()
            })
        );
        assert_eq!(
            parse_command("switch green"),
            Ok(Command::Switch("green".into()))
        );
        assert_eq!(
            parse_command("delete blue"),
            Ok(Command::Delete("blue".into()))
        );
        assert_eq!(
            err("switch"),
            (
                6,
                "expected a pool name after `switch` (e.g. green)".into(),
                None
            )
        );
        let (column, message, _) = err("delete blue!");
        assert_eq!(column, 7);
        assert!(
            message.starts_with("`blue!` is not a valid pool name"),
            "{message}"
        );
        let (column, message, _) = err("switch green blue");
        assert_eq!(column, 13);
        assert!(message.starts_with("too many arguments"), "{message}");
    }
}
