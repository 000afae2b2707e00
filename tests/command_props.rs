//! Properties of the command language: no input panics, every command round-trips through
//! its canonical text, and errors always point inside the line.

use proptest::prelude::*;
use zerodown::command::{
    Amount, COMMANDS, CanarySpec, Command, Condition, DEFAULT_WAIT_TIMEOUT, GuardAction, GuardSpec,
    Metric, Op, RollingMode, ShadowSpec, Target, Targets, Wait, find_command, parse_command,
    parse_script,
};
use zerodown::mission::MAX_SERVERS;
use zerodown::time::Dur;

/// A server or pool name that reads back as a name (not `all`, no `..`).
fn name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9_-]{0,6}(\\.[A-Za-z0-9_-]{1,3})?".prop_filter("not all", |n| n != "all")
}

fn version() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}"
}

/// A well-formed range: same prefix, ends in order, any zero padding.
fn range() -> impl Strategy<Value = Target> {
    (
        "[a-z][a-z0-9]{0,4}(-[a-z]{1,3})?",
        0u32..500,
        0u32..500,
        0usize..4,
    )
        .prop_map(|(prefix, a, b, width)| {
            let (lo, hi) = (a.min(b), a.max(b));
            Target::Range(
                format!("{prefix}-{lo:0width$}"),
                format!("{prefix}-{hi:0width$}"),
            )
        })
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![Just(Target::All), name().prop_map(Target::Name), range()]
}

fn targets() -> impl Strategy<Value = Targets> {
    prop::collection::vec(target(), 1..4).prop_map(Targets)
}

fn dur() -> impl Strategy<Value = Dur> {
    prop_oneof![
        (0u64..10_000_000_000).prop_map(Dur::from_millis),
        (0u64..100_000).prop_map(Dur::from_secs),
        Just(DEFAULT_WAIT_TIMEOUT),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    prop_oneof![
        targets().prop_map(Condition::Ready),
        targets().prop_map(Condition::Drained),
        version().prop_map(Condition::AllOn),
        Just(Condition::Idle),
    ]
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        (0u32..=MAX_SERVERS).prop_map(Amount::Count),
        (0u32..=100).prop_map(Amount::Percent),
    ]
}

fn rolling_mode() -> impl Strategy<Value = RollingMode> {
    prop_oneof![
        prop_oneof![
            (1u32..=MAX_SERVERS).prop_map(Amount::Count),
            (1u32..=100).prop_map(Amount::Percent)
        ]
        .prop_map(|batch| RollingMode::InPlace { batch }),
        (amount(), amount(), dur()).prop_map(|(surge, unavailable, min_ready)| {
            RollingMode::Surge {
                surge,
                unavailable,
                min_ready,
            }
        }),
    ]
}

fn canary() -> impl Strategy<Value = CanarySpec> {
    (
        version(),
        prop::collection::btree_set(1u32..=100, 1..6),
        (1u64..10_000_000_000).prop_map(Dur::from_millis),
        any::<bool>(),
        0..=zerodown::command::MAX_CANARY_LIMIT,
        prop_oneof![Just(0u64), 0u64..10_000_000_000].prop_map(Dur::from_millis),
    )
        .prop_map(
            |(version, steps, interval, analysis, limit, initial_delay)| CanarySpec {
                version,
                steps: steps.into_iter().collect(),
                interval,
                analysis,
                limit,
                initial_delay,
            },
        )
}

/// A threshold in the metric's unit: a percentage, milliseconds, or a whole count.
fn guard_value(metric: Metric) -> BoxedStrategy<f64> {
    match metric.unit() {
        "%" => prop_oneof![(0u32..=100).prop_map(f64::from), 0.0..=100.0f64].boxed(),
        "ms" => prop_oneof![(0u32..100_000).prop_map(f64::from), 0.0..1e9f64].boxed(),
        _ => (0u32..).prop_map(f64::from).boxed(),
    }
}

fn guard() -> impl Strategy<Value = GuardSpec> {
    let metric = prop::sample::select(Metric::ALL.map(|(m, _)| m).to_vec());
    (
        metric,
        prop::sample::select(Op::ALL.map(|(o, _)| o).to_vec()),
    )
        .prop_flat_map(|(metric, op)| {
            (
                Just(metric),
                Just(op),
                guard_value(metric),
                dur(),
                prop::option::of(version()),
                prop::sample::select(GuardAction::ALL.map(|(a, _)| a).to_vec()),
            )
        })
        .prop_map(|(metric, op, value, for_, version, action)| GuardSpec {
            metric,
            op,
            value,
            for_,
            version,
            action,
        })
}

/// `shadow off` is the off switch, so a version called `off` cannot be shadowed.
fn shadow() -> impl Strategy<Value = Option<ShadowSpec>> {
    prop::option::of(
        (version().prop_filter("not off", |v| v != "off"), 0u32..=100)
            .prop_map(|(version, percent)| ShadowSpec { version, percent }),
    )
}

fn rollout_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        (version(), rolling_mode()).prop_map(|(version, mode)| Command::Rolling { version, mode }),
        version().prop_map(|version| Command::BlueGreen { version }),
        name().prop_map(Command::Switch),
        name().prop_map(Command::Delete),
        canary().prop_map(Command::Canary),
        (0u32..=100).prop_map(Command::Weight),
        any::<bool>().prop_map(|full| Command::Promote { full }),
        prop::sample::select(vec![
            Command::Abort,
            Command::Retry,
            Command::Rollback,
            Command::Guards,
        ]),
        shadow().prop_map(Command::Shadow),
        prop_oneof![
            guard().prop_map(Command::Guard),
            prop::option::of(1u32..).prop_map(Command::Unguard),
        ],
    ]
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![basic_command(), rollout_command(),]
}

fn basic_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        (version(), targets()).prop_map(|(version, targets)| Command::Deploy { version, targets }),
        targets().prop_map(Command::Drain),
        targets().prop_map(Command::Undrain),
        targets().prop_map(Command::Restart),
        Just(Command::Pause),
        Just(Command::Resume),
        (1u32..=100).prop_map(Command::Speed),
        // Any words, joined by one space (the canonical form of a note).
        prop::collection::vec("[a-zA-Z0-9`.,:!?()/=<>%-]{1,8}", 1..5)
            .prop_map(|w| Command::Note(w.join(" "))),
        dur().prop_map(|d| Command::Wait(Wait::For(d))),
        (condition(), dur())
            .prop_map(|(cond, timeout)| Command::Wait(Wait::Until { cond, timeout })),
    ]
}

/// One edit to a line: delete, insert or swap chars at a position.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Insert(usize, char),
    Swap(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (
            any::<usize>(),
            prop_oneof![
                any::<char>(),
                prop::sample::select(vec![' ', ',', '.', '-', '=', '#', '0'])
            ]
        )
            .prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<usize>().prop_map(Mutation::Swap),
    ]
}

fn mutate(line: &str, m: &Mutation) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    match *m {
        Mutation::Delete(i) if n > 0 => {
            chars.remove(i % n);
        }
        Mutation::Insert(i, c) => chars.insert(i % (n + 1), c),
        Mutation::Swap(i) if n > 1 => chars.swap(i % (n - 1), i % (n - 1) + 1),
        _ => {}
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Err(e) = parse_command(&text) {
            prop_assert!(e.column <= text.chars().count());
        }
        let _ = parse_script(&text);
    }

    #[test]
    fn command_like_text_never_panics(
        text in "(deploy|dep|drain|wait|wait until|speed|ready|all|web-0[0-9]|\\.\\.|,|=|timeout=|[ \t#é\\x00-\\x1f]|[0-9]+[a-z]{0,2})*"
    ) {
        if let Err(e) = parse_command(&text) {
            prop_assert!(e.column <= text.chars().count(), "{e:?}");
        }
        if let Err(errors) = parse_script(&text) {
            for e in errors {
                prop_assert!(e.line >= 1 && e.column >= 1);
            }
        }
    }

    #[test]
    fn rollout_like_text_never_panics(
        text in "(rolling|roll|bluegreen|switch|delete|canary|shadow|guard|unguard|weight|promote) (v2|batch=|surge=|unavailable=|min-ready=|max-unavailable=|steps=|interval=|analysis=|limit=|off|all|--full|error_rate|p99|sessions_lost|>=|<=|>|<|->|→|=>|for|version=|rollback|pause|%|ms|s|\\.|,|=|-|[ \té\\x00-\\x1f]|[0-9]{1,3}|[0-9]{30})*"
    ) {
        if let Err(e) = parse_command(&text) {
            prop_assert!(e.column <= text.chars().count(), "{e:?}");
        }
        if let Err(errors) = parse_script(&text) {
            for e in errors {
                prop_assert!(e.line >= 1 && e.column >= 1);
            }
        }
    }

    #[test]
    fn commands_round_trip_through_display(cmd in command()) {
        let text = cmd.to_string();
        prop_assert_eq!(parse_command(&text), Ok(cmd.clone()), "text: {}", text);
        prop_assert_eq!(find_command(cmd.name()).map(|s| s.name), Some(cmd.name()));
    }

    #[test]
    fn mutated_lines_fail_inside_the_line(cmd in command(), m in mutation()) {
        let line = mutate(&cmd.to_string(), &m);
        if let Err(e) = parse_command(&line) {
            prop_assert!(e.column <= line.chars().count(), "{line:?}: {e:?}");
            prop_assert!(!e.message.is_empty());
        }
        if line.contains('\n') {
            return Ok(());
        }
        if let Err(errors) = parse_script(&line) {
            prop_assert_eq!(errors.len(), 1);
            prop_assert_eq!(errors[0].line, 1);
            prop_assert!(errors[0].column <= line.chars().count() + 1, "{:?}: {:?}", line, errors);
        }
    }

    #[test]
    fn a_script_of_valid_commands_keeps_every_line(cmds in prop::collection::vec(command(), 0..8)) {
        let text = cmds.iter().map(|c| format!("  {c}  # note\n")).collect::<Vec<_>>().join("\n");
        let script = parse_script(&text).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let got: Vec<Command> = script.lines.iter().map(|l| l.command.clone()).collect();
        prop_assert_eq!(got, cmds.clone());
        let numbers: Vec<usize> = script.lines.iter().map(|l| l.line).collect();
        let expected: Vec<usize> = (0..cmds.len()).map(|i| 2 * i + 1).collect();
        prop_assert_eq!(numbers, expected);
    }
}

#[test]
fn huge_input_is_rejected_quickly() {
    // Refused at the length a report may hold, pointing where the line became too long.
    let line = format!("deploy v2 {}", "web-01,".repeat(100_000));
    let err = parse_command(&line).expect_err("too long");
    assert_eq!(err.column, zerodown::command::MAX_COMMAND_CHARS);
    // Within it, the trailing comma is found at the end.
    let line = format!("deploy v2 {}", "web-01,".repeat(60));
    let err = parse_command(&line).expect_err("trailing comma");
    assert_eq!(err.column, line.chars().count());
    let junk = "é".repeat(1_000_000);
    assert!(parse_command(&junk).is_err());
    assert!(parse_script(&junk).is_err());
}

#[test]
fn every_table_entry_has_a_parsing_example() {
    let examples = [
        "deploy v2 all",
        "drain all",
        "undrain all",
        "restart all",
        "pause",
        "resume",
        "speed 5",
        "wait 1s",
        "note rollback looked slow",
        "rolling v2 batch=2",
        "bluegreen v2",
        "switch green",
        "delete blue",
        "canary v2 steps=5,20,50,100",
        "weight 20",
        "promote --full",
        "abort",
        "retry",
        "rollback",
        "shadow v2 50%",
        "guard error_rate>2% -> rollback",
        "guards",
        "unguard all",
        "migrate expand",
        "sessions external",
        "sticky on",
        "probe startup on",
        "pipeline run v2",
    ];
    for spec in COMMANDS {
        let example = examples
            .iter()
            .find(|e| e.split(' ').next() == Some(spec.name));
        let example = example.unwrap_or_else(|| panic!("no example for `{}`", spec.name));
        let cmd = parse_command(example).unwrap_or_else(|e| panic!("{example}: {e}"));
        assert_eq!(cmd.name(), spec.name);
    }
}
