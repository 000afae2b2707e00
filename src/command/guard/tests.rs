use super::super::parse_command;
use super::*;
use crate::time::Dur;

fn guard(line: &str) -> GuardSpec {
    match parse_command(line) {
        Ok(Command::Guard(spec)) => spec,
        other => panic!("{line}: {other:?}"),
    }
}

fn spec(metric: Metric, op: Op, value: f64, action: GuardAction) -> GuardSpec {
    GuardSpec {
        metric,
        op,
        value,
        for_: Dur::default(),
        version: None,
        action,
    }
}

fn err(line: &str) -> (usize, String, Option<String>) {
    let e = parse_command(line).expect_err("should not parse");
    (e.column, e.message, e.suggestion)
}

fn msg(column: usize, message: &str) -> (usize, String, Option<String>) {
    (column, message.to_string(), None)
}

fn hint(column: usize, message: &str, hint: &str) -> (usize, String, Option<String>) {
    (column, message.to_string(), Some(hint.to_string()))
}

#[test]
fn guard_forms() {
    use GuardAction::{Abort, Pause, Rollback};
    use Metric::{Cpu, ErrorRate, Mem, P50, P95, P99, SessionsLost};
    let full = GuardSpec {
        for_: Dur::from_secs(10),
        version: Some("v2".into()),
        ..spec(Metric::ErrorRate, Op::Gt, 2.0, GuardAction::Rollback)
    };
    assert_eq!(
        guard("guard error_rate>2% for 10s version=v2 -> rollback"),
        full
    );
    assert_eq!(
        guard("guard error_rate>2% version=v2 for 10s → rollback"),
        full
    );
    assert_eq!(
        guard("guard error_rate > 2% for 10s version=v2->rollback"),
        full
    );
    assert_eq!(
        guard("guard error_rate>2%→rollback"),
        spec(ErrorRate, Op::Gt, 2.0, Rollback)
    );
    assert_eq!(
        guard("guard p99>=400ms -> pause"),
        spec(P99, Op::Ge, 400.0, Pause)
    );
    assert_eq!(
        guard("guard p95<1.5s -> abort"),
        spec(P95, Op::Lt, 1500.0, Abort)
    );
    assert_eq!(
        guard("guard p50 <=250 -> abort"),
        spec(P50, Op::Le, 250.0, Abort)
    );
    assert_eq!(
        guard("guard cpu> 80% ->pause"),
        spec(Cpu, Op::Gt, 80.0, Pause)
    );
    assert_eq!(
        guard("guard mem>90.5%-> abort"),
        spec(Mem, Op::Gt, 90.5, Abort)
    );
    assert_eq!(
        guard("guard sessions_lost>0 -> rollback"),
        spec(SessionsLost, Op::Gt, 0.0, Rollback)
    );
}

#[test]
fn condition_errors() {
    assert_eq!(
        err("guard"),
        msg(5, "expected a condition after `guard` (e.g. error_rate>2%)")
    );
    assert_eq!(
        err("guard -> pause"),
        msg(6, "expected a condition after `guard` (e.g. error_rate>2%)")
    );
    assert_eq!(
        err("guard eror_rate>2% -> pause"),
        hint(
            6,
            "unknown metric `eror_rate`: expected error_rate, p50, p95, p99, cpu, mem or sessions_lost",
            "error_rate"
        )
    );
    assert_eq!(
        err("guard >2% -> pause"),
        msg(
            6,
            "expected a metric before the comparison (e.g. error_rate>2%)"
        )
    );
    assert_eq!(
        err("guard cpu -> pause"),
        msg(
            10,
            "expected a comparison (>, >=, <, <=) after `cpu` (e.g. cpu>80%)"
        )
    );
    assert_eq!(
        err("guard cpu=80% -> pause"),
        msg(
            9,
            "expected a comparison (>, >=, <, <=) after `cpu`, found `=`"
        )
    );
    assert_eq!(
        err("guard cpu=>80% -> pause"),
        hint(
            9,
            "expected a comparison (>, >=, <, <=) after `cpu`, found `=>`",
            ">="
        )
    );
    assert_eq!(
        err("guard cpu> -> pause"),
        msg(11, "expected a value after `>` (e.g. cpu>80%)")
    );
}

#[test]
fn value_errors() {
    assert_eq!(
        err("guard cpu>80 -> pause"),
        hint(10, "cpu is a percentage: write `80%`", "80%")
    );
    assert_eq!(
        err("guard cpu>180% -> pause"),
        msg(10, "cpu must be from 0% to 100%, found 180%")
    );
    assert_eq!(
        err("guard error_rate>-1% -> pause"),
        msg(
            17,
            "expected a percentage like 2% for error_rate, found `-1%`"
        )
    );
    assert_eq!(
        err("guard p99>fast -> pause"),
        msg(
            10,
            "expected a latency like 400ms or 1.5s for p99, found `fast`"
        )
    );
    let huge = format!("guard p99>{}s -> pause", "9".repeat(400));
    assert_eq!(err(&huge).0, 10);
    assert_eq!(
        err("guard sessions_lost>1.5 -> pause"),
        msg(
            20,
            "sessions_lost counts sessions: expected a whole number like 5, found `1.5`"
        )
    );
    assert_eq!(number("1.5"), Some(1.5));
    assert_eq!(number("1."), None);
    assert_eq!(number(".5"), None);
    assert_eq!(number("1e3"), None);
    assert_eq!(number("inf"), None);
}

#[test]
fn tail_errors() {
    let arrow = "expected `-> <action>` (pause, abort or rollback) at the end (e.g. -> rollback)";
    assert_eq!(err("guard cpu>80%"), msg(13, arrow));
    assert_eq!(err("guard cpu>80% for 1s"), msg(20, arrow));
    let duration = "expected a duration after `for` (e.g. for 10s)";
    assert_eq!(err("guard cpu>80% for"), msg(17, duration));
    assert_eq!(err("guard cpu>80% for -> pause"), msg(18, duration));
    let (column, message, _) = err("guard cpu>80% for 10 -> pause");
    assert_eq!(column, 18);
    assert!(message.starts_with("`10` is not a duration"), "{message}");
    assert_eq!(
        err("guard cpu>80% for 1s for 2s -> pause"),
        msg(21, "`for` is given twice: keep one")
    );
    assert_eq!(
        err("guard cpu>80% version=a version=b -> pause"),
        msg(24, "`version=b` is given twice: keep one")
    );
    let unexpected = |found: &str| {
        format!("expected `for <duration>`, `version=<v>` or `-> <action>`, found `{found}`")
    };
    assert_eq!(
        err("guard cpu>80% versoin=v2 -> pause"),
        hint(14, &unexpected("versoin=v2"), "version=")
    );
    assert_eq!(
        err("guard cpu>80% => pause"),
        hint(14, &unexpected("=>"), "->")
    );
    assert_eq!(
        err("guard cpu>80% fro 1s -> pause"),
        hint(14, &unexpected("fro"), "for")
    );
    assert_eq!(
        err("guard cpu>80% version= -> pause"),
        msg(22, "expected a version after `version=` (e.g. version=v2)")
    );
    let (column, message, _) = err("guard cpu>80% version=v2! -> pause");
    assert_eq!(column, 22);
    assert!(
        message.starts_with("`v2!` is not a valid version"),
        "{message}"
    );
}

#[test]
fn action_errors() {
    assert_eq!(
        err("guard cpu>80% ->"),
        msg(
            16,
            "expected an action after `->`: pause, abort or rollback"
        )
    );
    assert_eq!(
        err("guard cpu>80% -> rolback"),
        hint(
            17,
            "unknown action `rolback`: expected pause, abort or rollback",
            "rollback"
        )
    );
    // Char columns, not bytes: `→` is one column.
    assert_eq!(
        err("guard cpu>80%→rolback"),
        hint(
            14,
            "unknown action `rolback`: expected pause, abort or rollback",
            "rollback"
        )
    );
    let too_many = format!("too many arguments: unexpected `now` (usage: {GUARD_USAGE})");
    assert_eq!(err("guard cpu>80% -> pause now"), msg(23, &too_many));
    let (column, message, _) = err("guard cpu>80% -> pause -> abort");
    assert_eq!(column, 23);
    assert!(message.starts_with("too many arguments: unexpected `->`"));
}

#[test]
fn guards_and_unguard() {
    assert_eq!(parse_command("guards"), Ok(Command::Guards));
    assert_eq!(parse_command("unguard 2"), Ok(Command::Unguard(Some(2))));
    assert_eq!(parse_command("unguard all"), Ok(Command::Unguard(None)));
    let expected = "expected a guard number (from 1, as `guards` lists them) or `all`, found";
    assert_eq!(err("unguard 0"), msg(8, &format!("{expected} `0`")));
    assert_eq!(err("unguard +2"), msg(8, &format!("{expected} `+2`")));
    assert_eq!(
        err("unguard al"),
        hint(8, &format!("{expected} `al`"), "all")
    );
    assert_eq!(
        err("unguard"),
        msg(
            7,
            "expected a guard number or `all` after `unguard` (e.g. 2, or all)"
        )
    );
    assert_eq!(err("guards 1").0, 7);
}
