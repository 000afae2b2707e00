use super::super::parse_command;
use super::*;

fn canary(line: &str) -> CanarySpec {
    match parse_command(line) {
        Ok(Command::Canary(spec)) => spec,
        other => panic!("{line}: {other:?}"),
    }
}

fn err(line: &str) -> (usize, String, Option<String>) {
    let e = parse_command(line).expect_err("should not parse");
    (e.column, e.message, e.suggestion)
}

#[test]
fn canary_forms() {
    let spec = CanarySpec {
        version: "v2".into(),
        steps: vec![5, 20, 50, 100],
        interval: Dur::from_secs(60),
        analysis: true,
        limit: 0,
        initial_delay: Dur::default(),
    };
    assert_eq!(canary("canary v2 steps=5,20,50,100 interval=1m"), spec);
    assert_eq!(canary("canary v2 steps=5,20,50,100"), spec);
    assert_eq!(canary("canary v2 interval=60s steps=5%,20,50,100%"), spec);
    let full = CanarySpec {
        steps: vec![10],
        interval: Dur::from_secs(30),
        analysis: false,
        limit: 2,
        ..spec.clone()
    };
    assert_eq!(
        canary("canary v2 limit=2 analysis=off interval=30s steps=10"),
        full
    );
    assert!(canary("canary v2 steps=1 analysis=on").analysis);
    let delayed = canary("canary v2 steps=5,100 initial-delay=30s");
    assert_eq!(delayed.initial_delay, Dur::from_secs(30));
    assert_eq!(
        delayed.to_string(),
        "canary v2 steps=5,100 interval=1m initial-delay=30s"
    );
}

#[test]
fn the_failure_limit_is_bounded_at_its_column() {
    assert_eq!(
        canary("canary v2 steps=5 limit=100").limit,
        MAX_CANARY_LIMIT
    );
    assert_eq!(
        err("canary v2 steps=5 limit=101"),
        (
            24,
            "limit is the failed analyses allowed, from 0 to 100, found 101".into(),
            None
        )
    );
    assert_eq!(err("canary v2 steps=5 limit=4294967295").0, 24);
    assert_eq!(
        err("canary v2 steps=5 limit=4294967296"),
        (24, "limit is too large: 4294967296".into(), None)
    );
}

#[test]
fn canary_errors() {
    assert_eq!(
        err("canary v2"),
        (9, "expected steps=… (e.g. steps=5,20,50,100)".into(), None)
    );
    assert_eq!(
        err("canary v2 steps=5 interva=1m"),
        (
            18,
            "unknown option `interva=`: expected steps=, interval=, analysis=, limit= or initial-delay=".into(),
            Some("interval=".into())
        )
    );
    assert_eq!(
        err("canary v2 steps=5 steps=6"),
        (18, "`steps=` is given twice: keep one".into(), None)
    );
    assert_eq!(
        err("canary v2 steps=5,50,20"),
        (21, "steps must increase: 20 comes after 50".into(), None)
    );
    assert_eq!(
        err("canary v2 steps=5,5"),
        (18, "steps must increase: 5 comes after 5".into(), None)
    );
    assert_eq!(
        err("canary v2 steps=0,5"),
        (16, "steps are weights from 1 to 100, found 0".into(), None)
    );
    assert_eq!(
        err("canary v2 steps=5,101"),
        (
            18,
            "steps are weights from 1 to 100, found 101".into(),
            None
        )
    );
    assert_eq!(
        err("canary v2 steps=5,x"),
        (
            18,
            "steps are weights from 1 to 100 (e.g. steps=5,20,50,100), found `x`".into(),
            None
        )
    );
    assert_eq!(
        err("canary v2 steps=5,,9"),
        (
            18,
            "expected a step before `,` (e.g. steps=5,20,50,100)".into(),
            None
        )
    );
    assert_eq!(
        err("canary v2 steps=5,"),
        (
            18,
            "expected a step after `,` (e.g. steps=5,20,50,100)".into(),
            None
        )
    );
    assert_eq!(
        err("canary v2 steps=5 analysis=of"),
        (
            27,
            "expected on or off for analysis=, found `of`".into(),
            Some("on".into())
        )
    );
    assert_eq!(
        err("canary v2 steps=5 interval=0s"),
        (
            27,
            "interval must be longer than 0s: each step needs time to be watched".into(),
            None
        )
    );
    assert_eq!(
        err("canary v2 steps=5 limit=-1"),
        (
            24,
            "expected a whole number for limit, found `-1`".into(),
            None
        )
    );
    let (column, message, _) = err("canary v2 steps=5 interval=1");
    assert_eq!(column, 27);
    assert!(message.starts_with("`1` is not a duration"), "{message}");
}

#[test]
fn weight_and_promote() {
    assert_eq!(parse_command("weight 20"), Ok(Command::Weight(20)));
    assert_eq!(parse_command("weight 0%"), Ok(Command::Weight(0)));
    assert_eq!(parse_command("weight 100"), Ok(Command::Weight(100)));
    assert_eq!(
        err("weight 101"),
        (7, "weight must be from 0 to 100, found 101".into(), None)
    );
    assert_eq!(
        err("weight half"),
        (
            7,
            "expected a weight from 0 to 100, found `half`".into(),
            None
        )
    );
    assert_eq!(
        err("weight"),
        (
            6,
            "expected a weight from 0 to 100 after `weight` (e.g. 20)".into(),
            None
        )
    );
    assert_eq!(
        parse_command("promote"),
        Ok(Command::Promote { full: false })
    );
    assert_eq!(
        parse_command("promote --full"),
        Ok(Command::Promote { full: true })
    );
    assert_eq!(
        err("promote full"),
        (
            8,
            "expected `--full`, `staging` or nothing after `promote`, found `full`".into(),
            Some("--full".into())
        )
    );
    assert_eq!(err("promote now").2, None);
}

#[test]
fn shadow_forms_and_errors() {
    let spec = |percent| {
        Command::Shadow(Some(ShadowSpec {
            version: "v2".into(),
            percent,
        }))
    };
    assert_eq!(parse_command("shadow v2 50%"), Ok(spec(50)));
    assert_eq!(parse_command("shadow v2"), Ok(spec(100)));
    assert_eq!(parse_command("shadow v2 0%"), Ok(spec(0)));
    assert_eq!(parse_command("shadow off"), Ok(Command::Shadow(None)));
    assert_eq!(
        err("shadow v2 50"),
        (
            10,
            "the mirrored share is a percentage: write `50%`".into(),
            Some("50%".into())
        )
    );
    assert_eq!(
        err("shadow v2 150%"),
        (
            10,
            "the mirrored share must be from 0% to 100%, found 150%".into(),
            None
        )
    );
    assert_eq!(
        err("shadow"),
        (
            6,
            "expected a version or `off` after `shadow` (e.g. v2 50%, or off)".into(),
            None
        )
    );
    let (column, message, _) = err("shadow off 50%");
    assert_eq!(column, 11);
    assert!(message.starts_with("too many arguments"), "{message}");
    let (column, message, _) = err("shadow v2! 5%");
    assert_eq!(column, 7);
    assert!(
        message.starts_with("`v2!` is not a valid version"),
        "{message}"
    );
}
