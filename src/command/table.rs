//! The command table: every command written once, as {name, aliases, usage, doc, parser}.
//!
//! Parsing, tab completion, the help overlay and `--help` all read `COMMANDS`, so adding a
//! command means adding one entry here (and its `Command` variant). Each parser reads only
//! its own arguments; `parse_command` rejects anything left over.

use super::parse::{Args, ParseError};
use super::{Command, canary, guard, rollout, system, values, wait};

pub use super::suggest::suggest;

/// Reads a command's arguments (the name is already consumed).
pub(crate) type ParseFn = fn(&mut Args<'_>) -> Result<Command, ParseError>;

/// One command of the language.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The canonical name, as `Display` writes it.
    pub name: &'static str,
    /// Other accepted spellings.
    pub aliases: &'static [&'static str],
    /// The grammar, e.g. `drain <targets>`.
    pub usage: &'static str,
    /// One line for help screens.
    pub doc: &'static str,
    pub(crate) parse: ParseFn,
}

/// Every command, in the order help lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "deploy",
        aliases: &["dep"],
        usage: "deploy <version> <targets>",
        doc: "install a version on servers (stops them at once: drain first!)",
        parse: parse_deploy,
    },
    CommandSpec {
        name: "drain",
        aliases: &[],
        usage: "drain <targets>",
        doc: "take servers out of traffic and let in-flight requests finish",
        parse: |args| values::targets(args).map(Command::Drain),
    },
    CommandSpec {
        name: "undrain",
        aliases: &[],
        usage: "undrain <targets>",
        doc: "put drained servers back into traffic",
        parse: |args| values::targets(args).map(Command::Undrain),
    },
    CommandSpec {
        name: "restart",
        aliases: &[],
        usage: "restart <targets>",
        doc: "restart the process on servers (no draining)",
        parse: |args| values::targets(args).map(Command::Restart),
    },
    CommandSpec {
        name: "pause",
        aliases: &[],
        usage: "pause",
        doc: "pause the running rollout",
        parse: |_| Ok(Command::Pause),
    },
    CommandSpec {
        name: "resume",
        aliases: &[],
        usage: "resume",
        doc: "resume the paused rollout",
        parse: |_| Ok(Command::Resume),
    },
    CommandSpec {
        name: "speed",
        aliases: &[],
        usage: "speed <1-100>",
        doc: "set the game clock multiplier",
        parse: |args| values::speed(args).map(Command::Speed),
    },
    CommandSpec {
        name: "note",
        aliases: &[],
        usage: "note <text>",
        doc: "write a line in the log (kept in the report and in replays)",
        parse: parse_note,
    },
    CommandSpec {
        name: "wait",
        aliases: &[],
        usage: "wait <duration> | wait until <condition> [timeout=<duration>]",
        doc: "let game time pass, or wait for ready/drained/all-on/idle (in play: runs the clock at 120×, any key stops)",
        parse: wait::parse_wait,
    },
    CommandSpec {
        name: "rolling",
        aliases: &["roll"],
        usage: "rolling <version> batch=<n>|max-unavailable=<p%> | rolling <version> surge=<n|p%> unavailable=<n|p%> [min-ready=<duration>]",
        doc: "replace servers in batches: in place (batch=2) or with surge (surge=25% unavailable=25%)",
        parse: rollout::parse_rolling,
    },
    CommandSpec {
        name: "bluegreen",
        aliases: &["blue-green"],
        usage: "bluegreen <version>",
        doc: "start a full green pool of the new version beside blue (it gets no traffic yet)",
        parse: rollout::parse_bluegreen,
    },
    CommandSpec {
        name: "switch",
        aliases: &[],
        usage: "switch <pool>",
        doc: "move all traffic to a pool at once (switch back = instant rollback)",
        parse: |args| values::pool(args).map(Command::Switch),
    },
    CommandSpec {
        name: "delete",
        aliases: &[],
        usage: "delete <pool>",
        doc: "remove an idle pool's servers (once you no longer need to switch back)",
        parse: |args| values::pool(args).map(Command::Delete),
    },
    CommandSpec {
        name: "canary",
        aliases: &[],
        usage: "canary <version> steps=<w>,<w>,… [interval=<duration>] [analysis=on|off] [limit=<n>]",
        doc: "send a small share of users to the new version, step by step, with analysis",
        parse: canary::parse_canary,
    },
    CommandSpec {
        name: "weight",
        aliases: &[],
        usage: "weight <0-100>",
        doc: "set the canary's share of traffic by hand, in percent",
        parse: canary::parse_weight,
    },
    CommandSpec {
        name: "promote",
        aliases: &[],
        usage: "promote [--full|staging]",
        doc: "next canary step now (--full: straight to 100%; staging: a release that passed staging goes to production)",
        parse: canary::parse_promote,
    },
    CommandSpec {
        name: "abort",
        aliases: &[],
        usage: "abort",
        doc: "stop the rollout: canary traffic back to 0, a rolling update stops where it is",
        parse: |_| Ok(Command::Abort),
    },
    CommandSpec {
        name: "retry",
        aliases: &[],
        usage: "retry",
        doc: "start an aborted canary again from its first step",
        parse: |_| Ok(Command::Retry),
    },
    CommandSpec {
        name: "rollback",
        aliases: &[],
        usage: "rollback",
        doc: "go back to the version that ran before the rollout",
        parse: |_| Ok(Command::Rollback),
    },
    CommandSpec {
        name: "shadow",
        aliases: &[],
        usage: "shadow <version> [<percent>%] | shadow off",
        doc: "mirror a share of live traffic to a version; users never see its answers",
        parse: canary::parse_shadow,
    },
    CommandSpec {
        name: "guard",
        aliases: &[],
        usage: guard::GUARD_USAGE,
        doc: "watch a metric and pause/abort/rollback when it crosses a line",
        parse: guard::parse_guard,
    },
    CommandSpec {
        name: "guards",
        aliases: &[],
        usage: "guards",
        doc: "list the guards with their numbers",
        parse: |_| Ok(Command::Guards),
    },
    CommandSpec {
        name: "unguard",
        aliases: &[],
        usage: "unguard <n>|all",
        doc: "remove a guard by its number (see `guards`), or all of them",
        parse: guard::parse_unguard,
    },
    CommandSpec {
        name: "migrate",
        aliases: &[],
        usage: "migrate <name> [throttle=<p%>]",
        doc: "run a database migration (expand, backfill, contract): old and new code share the DB",
        parse: system::parse_migrate,
    },
    CommandSpec {
        name: "sessions",
        aliases: &[],
        usage: "sessions memory|external",
        doc: "keep user sessions in server memory, or in an external store that survives restarts",
        parse: system::parse_sessions,
    },
    CommandSpec {
        name: "sticky",
        aliases: &[],
        usage: "sticky on|off",
        doc: "pin each user to one server (sessions stay put; load can become uneven)",
        parse: system::parse_sticky,
    },
    CommandSpec {
        name: "probe",
        aliases: &[],
        usage: "probe readiness|startup <v>",
        doc: "what the checks ask: readiness shallow|deep (out of traffic), startup on|off (validate config once at boot)",
        parse: system::parse_probe,
    },
    CommandSpec {
        name: "pipeline",
        aliases: &[],
        usage: "pipeline run <version>",
        doc: "build, test, package and try a version in staging before production",
        parse: system::parse_pipeline,
    },
];

fn parse_deploy(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let version = values::version(args)?;
    let targets = values::targets(args)?;
    Ok(Command::Deploy { version, targets })
}

/// The command called `word`, by name or alias (case-sensitive).
/// `note <text>`: the rest of the line, words joined by one space.
fn parse_note(args: &mut Args<'_>) -> Result<Command, ParseError> {
    let first = args.expect("some text", "note rollback looked slow")?;
    let mut text = first.text.to_string();
    while let Some(word) = args.next() {
        text.push(' ');
        text.push_str(word.text);
    }
    Ok(Command::Note(text))
}

pub fn find_command(word: &str) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|spec| spec.name == word || spec.aliases.contains(&word))
}

/// Every name and alias, for suggestions and completion.
pub fn command_words() -> impl Iterator<Item = &'static str> {
    COMMANDS
        .iter()
        .flat_map(|spec| std::iter::once(spec.name).chain(spec.aliases.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::super::{Target, Targets, parse_command};
    use super::*;

    fn ok(line: &str) -> Command {
        parse_command(line).unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    fn err(line: &str) -> (usize, String) {
        let e = parse_command(line).expect_err("should not parse");
        (e.column, e.message)
    }

    fn names(list: &[&str]) -> Targets {
        Targets(
            list.iter()
                .map(|n| Target::Name((*n).to_string()))
                .collect(),
        )
    }

    #[test]
    fn every_command_parses() {
        let deploy = Command::Deploy {
            version: "v2.1".to_string(),
            targets: names(&["web-03"]),
        };
        assert_eq!(ok("deploy v2.1 web-03"), deploy);
        assert_eq!(ok("  dep   v2.1\tweb-03  "), deploy);
        assert_eq!(ok("drain web-01"), Command::Drain(names(&["web-01"])));
        assert_eq!(ok("undrain blue"), Command::Undrain(names(&["blue"])));
        assert_eq!(
            ok("restart all"),
            Command::Restart(Targets(vec![Target::All]))
        );
        assert_eq!(ok("pause"), Command::Pause);
        assert_eq!(ok("resume"), Command::Resume);
        assert_eq!(ok("speed 10"), Command::Speed(10));
    }

    #[test]
    fn names_are_case_sensitive() {
        let e = parse_command("Deploy v2 all").expect_err("should not parse");
        assert_eq!(e.message, "unknown command `Deploy`");
        assert_eq!(e.suggestion.as_deref(), Some("deploy"));
    }

    #[test]
    fn missing_arguments_say_what_was_expected() {
        assert_eq!(
            err("deploy"),
            (6, "expected a version after `deploy` (e.g. v2)".into())
        );
        assert_eq!(
            err("deploy v2"),
            (
                9,
                "expected targets after `v2` (e.g. web-01, web-01..web-04, blue, all)".into()
            )
        );
        assert_eq!(
            err("drain"),
            (
                5,
                "expected targets after `drain` (e.g. web-01, web-01..web-04, blue, all)".into()
            )
        );
    }

    #[test]
    fn bad_version() {
        assert_eq!(
            err("deploy v2! all"),
            (
                7,
                "`v2!` is not a valid version: `!` is not allowed (use letters, digits, `.`, `_`, `-`)"
                    .into()
            )
        );
        assert_eq!(
            ok("deploy 2.0-rc1 all"),
            Command::Deploy {
                version: "2.0-rc1".into(),
                targets: Targets(vec![Target::All])
            }
        );
    }

    #[test]
    fn table_is_consistent() {
        for spec in COMMANDS {
            assert!(spec.usage.starts_with(spec.name), "{}", spec.name);
            assert!(!spec.doc.is_empty());
            assert_eq!(find_command(spec.name).map(|s| s.name), Some(spec.name));
            for alias in spec.aliases {
                assert_eq!(find_command(alias).map(|s| s.name), Some(spec.name));
            }
        }
        let words: Vec<_> = command_words().collect();
        let mut unique = words.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(words.len(), unique.len(), "duplicate command word");
    }
}
