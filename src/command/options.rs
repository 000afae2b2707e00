//! `key=value` options (`batch=2`, `steps=5,20,50,100`) and the numbers they carry.
//!
//! Owns the option rules shared by the rollout commands: any order, each at most once,
//! unknown names get a near-miss suggestion, empty values are errors. What a value means
//! (and whether an option is required) is the calling command's business.

use super::Amount;
use super::parse::{Args, ParseError, Token};
use super::suggest::suggest;
use crate::defuse::shown;
use crate::mission::MAX_SERVERS;

/// One option a command accepts: its name and an example of it written out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OptSpec {
    pub name: &'static str,
    pub example: &'static str,
}

/// One option as written: `value` starts at char column `column`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Opt<'a> {
    pub name: &'static str,
    pub token: Token<'a>,
    pub value: &'a str,
    pub column: usize,
}

/// The options of one command line, in the order written.
#[derive(Debug, Default)]
pub(crate) struct Options<'a> {
    pub found: Vec<Opt<'a>>,
}

impl<'a> Options<'a> {
    /// The option called `name`, if given.
    pub(crate) fn get(&self, name: &str) -> Option<Opt<'a>> {
        self.found.iter().copied().find(|o| o.name == name)
    }
}

/// `a=, b= or c=`, for messages.
pub(crate) fn listed(specs: &[OptSpec]) -> String {
    let names: Vec<String> = specs.iter().map(|s| format!("{}=", s.name)).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Reads every remaining token as one of `specs`.
pub(crate) fn read<'a>(args: &mut Args<'a>, specs: &[OptSpec]) -> Result<Options<'a>, ParseError> {
    let mut options = Options::default();
    while let Some(token) = args.next() {
        let opt = one(token, specs)?;
        if options.get(opt.name).is_some() {
            let message = format!("`{}=` is given twice: keep one", opt.name);
            return Err(ParseError::new(token.column, message));
        }
        options.found.push(opt);
    }
    Ok(options)
}

/// One `key=value` token checked against `specs`.
fn one<'a>(token: Token<'a>, specs: &[OptSpec]) -> Result<Opt<'a>, ParseError> {
    let (key, value) = match token.text.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (token.text, None),
    };
    let close = suggest(key, specs.iter().map(|s| s.name)).map(|n| format!("{n}="));
    let Some(spec) = specs.iter().find(|s| s.name == key) else {
        let message = if value.is_some() {
            format!(
                "unknown option `{}=`: expected {}",
                shown(key),
                listed(specs)
            )
        } else {
            format!(
                "expected an option ({}), found `{}`",
                listed(specs),
                shown(token.text)
            )
        };
        return Err(ParseError::new(token.column, message).suggesting(close.as_deref()));
    };
    let column = token.column + key.chars().count() + 1;
    match value {
        None => {
            let message = format!(
                "option `{key}` needs a value: write `{key}=…` (e.g. {})",
                spec.example
            );
            Err(ParseError::new(token.column, message).suggesting(close.as_deref()))
        }
        Some("") => {
            let message = format!("expected a value after `{key}=` (e.g. {})", spec.example);
            Err(ParseError::new(column, message))
        }
        Some(value) => Ok(Opt {
            name: spec.name,
            token,
            value,
            column,
        }),
    }
}

/// A whole number such as `2`.
pub(crate) fn whole(text: &str, column: usize, what: &str) -> Result<u32, ParseError> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        let message = format!(
            "expected a whole number for {what}, found `{}`",
            shown(text)
        );
        return Err(ParseError::new(column, message));
    }
    text.parse::<u32>().map_err(|_| {
        let message = format!("{what} is too large: {}", shown(text));
        ParseError::new(column, message)
    })
}

/// A percentage from 0% to 100%, `%` required: `25%` → 25.
pub(crate) fn percent(text: &str, column: usize, what: &str) -> Result<u32, ParseError> {
    let Some(digits) = text.strip_suffix('%') else {
        let mut message = format!("{what} is a percentage, like 25%: found `{}`", shown(text));
        let mut hint = None;
        if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
            message = format!("{what} is a percentage: write `{}%`", shown(text));
            hint = Some(format!("{text}%"));
        }
        return Err(ParseError::new(column, message).suggesting(hint.as_deref()));
    };
    let out_of_range = || {
        let message = format!("{what} must be from 0% to 100%, found {}", shown(text));
        ParseError::new(column, message)
    };
    match whole(digits, column, what) {
        Ok(p) if p <= 100 => Ok(p),
        Ok(_) => Err(out_of_range()),
        Err(_) if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) => {
            Err(out_of_range())
        }
        Err(_) => {
            let message = format!("{what} is a percentage, like 25%: found `{}`", shown(text));
            Err(ParseError::new(column, message))
        }
    }
}

/// A server count (`2`) or a share of the fleet (`25%`).
pub(crate) fn amount(text: &str, column: usize, what: &str) -> Result<Amount, ParseError> {
    if text.ends_with('%') {
        return percent(text, column, what).map(Amount::Percent);
    }
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        let message = format!(
            "expected a server count (2) or a percentage (25%) for {what}, found `{}`",
            shown(text)
        );
        return Err(ParseError::new(column, message));
    }
    let count = whole(text, column, what).map_err(|_| too_many(text, column, what))?;
    if count > MAX_SERVERS {
        return Err(too_many(text, column, what));
    }
    Ok(Amount::Count(count))
}

/// A server count above the largest fleet: refused here, before the sim adds it to one.
fn too_many(text: &str, column: usize, what: &str) -> ParseError {
    let message = format!(
        "{what} must be at most {MAX_SERVERS} servers (the largest fleet), found {}",
        shown(text)
    );
    ParseError::new(column, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[OptSpec] = &[
        OptSpec {
            name: "steps",
            example: "steps=5,20",
        },
        OptSpec {
            name: "interval",
            example: "interval=1m",
        },
    ];

    fn err<T: std::fmt::Debug>(r: Result<T, ParseError>) -> (usize, String, Option<String>) {
        let e = r.expect_err("should not parse");
        (e.column, e.message, e.suggestion)
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(listed(&SPECS[..1]), "steps=");
        assert_eq!(listed(SPECS), "steps= or interval=");
        assert_eq!(listed(&[]), "");
    }

    #[test]
    fn numbers() {
        assert_eq!(whole("007", 0, "limit"), Ok(7));
        assert_eq!(
            err(whole("-1", 3, "limit")),
            (
                3,
                "expected a whole number for limit, found `-1`".into(),
                None
            )
        );
        assert_eq!(
            err(whole("99999999999", 3, "limit")),
            (3, "limit is too large: 99999999999".into(), None)
        );
        assert_eq!(percent("0%", 0, "surge"), Ok(0));
        assert_eq!(percent("100%", 0, "surge"), Ok(100));
        assert_eq!(
            err(percent("101%", 2, "surge")),
            (2, "surge must be from 0% to 100%, found 101%".into(), None)
        );
        assert_eq!(
            err(percent("99999999999%", 2, "surge")),
            (
                2,
                "surge must be from 0% to 100%, found 99999999999%".into(),
                None
            )
        );
        assert_eq!(
            err(percent("25", 2, "surge")),
            (
                2,
                "surge is a percentage: write `25%`".into(),
                Some("25%".into())
            )
        );
        assert_eq!(
            err(percent("x%", 2, "surge")),
            (
                2,
                "surge is a percentage, like 25%: found `x%`".into(),
                None
            )
        );
        assert_eq!(amount("3", 0, "surge"), Ok(Amount::Count(3)));
        assert_eq!(amount("30%", 0, "surge"), Ok(Amount::Percent(30)));
        assert_eq!(amount("10000", 0, "surge"), Ok(Amount::Count(10_000)));
        for big in ["10001", "4294967295", "99999999999999999999"] {
            assert_eq!(
                err(amount(big, 6, "surge")),
                (
                    6,
                    format!("surge must be at most 10000 servers (the largest fleet), found {big}"),
                    None
                )
            );
        }
        assert_eq!(
            err(amount("3x", 1, "surge")),
            (
                1,
                "expected a server count (2) or a percentage (25%) for surge, found `3x`".into(),
                None
            )
        );
    }
}
