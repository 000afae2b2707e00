//! The grammars of the system around the fleet: `migrate <name> [throttle=<p%>]`,
//! `sessions memory|external`, `sticky on|off`, `pipeline run <version>`.
//!
//! Whether a migration of that name exists, or the mission offers an external session
//! store, is the simulation's call: the parser knows no mission.

use super::options::{self, OptSpec};
use super::parse::{Args, ParseError};
use super::suggest::suggest;
use super::{Command, Probe, SessionMode, values};
use crate::defuse::shown;
use crate::mission::CheckDepth;

const MIGRATE_OPTIONS: &[OptSpec] = &[OptSpec {
    name: "throttle",
    example: "throttle=20%",
}];

/// Reads `migrate <name> [throttle=<p%>]`.
pub(crate) fn parse_migrate(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let token = args.expect("a migration name", "expand, backfill or contract")?;
    let name = values::version_at(token.text, token.column)?;
    let opts = options::read(args, MIGRATE_OPTIONS)?;
    let throttle = match opts.get("throttle") {
        None => None,
        Some(o) => {
            let p = options::percent(o.value, o.column, "the throttle")?;
            if p == 0 {
                return Err(ParseError::new(o.column, "a throttle of 0% never finishes"));
            }
            Some(p)
        }
    };
    Ok(Command::Migrate { name, throttle })
}

/// Reads one word out of `choices`, suggesting the closest on a typo.
fn choice(
    args: &mut Args<'_>,
    choices: &[&'static str],
    command: &str,
) -> Result<&'static str, ParseError> {
    let example = choices.join(" or ");
    let token = args.expect(&example, &example)?;
    if let Some(found) = choices.iter().find(|c| **c == token.text) {
        return Ok(found);
    }
    let message = format!(
        "expected {example} after `{command}`, found `{}`",
        shown(token.text)
    );
    Err(ParseError::new(token.column, message)
        .suggesting(suggest(token.text, choices.iter().copied())))
}

/// Reads `sessions memory|external`.
pub(crate) fn parse_sessions(args: &mut Args<'_>) -> Result<Command, ParseError> {
    Ok(Command::Sessions(
        match choice(args, &["memory", "external"], "sessions")? {
            "memory" => SessionMode::Memory,
            _ => SessionMode::External,
        },
    ))
}

/// Reads `sticky on|off`.
pub(crate) fn parse_sticky(args: &mut Args<'_>) -> Result<Command, ParseError> {
    Ok(Command::Sticky(
        choice(args, &["on", "off"], "sticky")? == "on",
    ))
}

/// Reads `probe readiness shallow|deep` or `probe startup on|off`.
pub(crate) fn parse_probe(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let probe = match choice(args, &["readiness", "startup"], "probe")? {
        "readiness" => Probe::Readiness(
            match choice(args, &["shallow", "deep"], "probe readiness")? {
                "deep" => CheckDepth::Deep,
                _ => CheckDepth::Shallow,
            },
        ),
        _ => Probe::Startup(choice(args, &["on", "off"], "probe startup")? == "on"),
    };
    Ok(Command::Probe(probe))
}

/// Reads `pipeline run <version>`.
pub(crate) fn parse_pipeline(args: &mut Args<'_>) -> Result<Command, ParseError> {
    choice(args, &["run"], "pipeline")?;
    Ok(Command::Pipeline(values::version(args)?))
}

#[cfg(test)]
mod tests {
    use super::super::parse_command;
    use super::*;

    fn err(line: &str) -> (usize, String, Option<String>) {
        let e = parse_command(line).expect_err("should not parse");
        (e.column, e.message, e.suggestion)
    }

    #[test]
    fn system_commands_parse_and_round_trip() {
        for (line, cmd) in [
            (
                "migrate expand",
                Command::Migrate {
                    name: "expand".into(),
                    throttle: None,
                },
            ),
            (
                "migrate backfill throttle=20%",
                Command::Migrate {
                    name: "backfill".into(),
                    throttle: Some(20),
                },
            ),
            (
                "sessions external",
                Command::Sessions(SessionMode::External),
            ),
            ("sessions memory", Command::Sessions(SessionMode::Memory)),
            ("sticky on", Command::Sticky(true)),
            ("sticky off", Command::Sticky(false)),
            (
                "probe readiness deep",
                Command::Probe(Probe::Readiness(CheckDepth::Deep)),
            ),
            ("probe startup on", Command::Probe(Probe::Startup(true))),
            ("pipeline run v2", Command::Pipeline("v2".into())),
            ("promote staging", Command::PromoteStaging),
        ] {
            assert_eq!(parse_command(line), Ok(cmd.clone()), "{line}");
            assert_eq!(cmd.to_string(), line);
        }
    }

    #[test]
    fn system_errors_say_what_and_where() {
        assert_eq!(
            err("sessions extrenal"),
            (
                9,
                "expected memory or external after `sessions`, found `extrenal`".into(),
                Some("external".into())
            )
        );
        assert_eq!(err("sticky").0, 6);
        assert_eq!(err("pipeline rnu v2").2, Some("run".into()));
        assert_eq!(err("pipeline run").0, 12);
        assert_eq!(
            err("migrate").1,
            "expected a migration name after `migrate` (e.g. expand, backfill or contract)"
        );
        assert_eq!(
            err("migrate expand throttle=0%").1,
            "a throttle of 0% never finishes"
        );
        assert_eq!(err("promote stagin").2, Some("staging".into()));
    }
}
