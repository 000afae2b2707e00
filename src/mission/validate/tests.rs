//! Every rule, through the text: a one-place edit to the valid tiny mission must give a
//! problem at the edited value's exact line:column, with a message naming the field.

use super::*;
use crate::mission::{MAX_PROBLEMS, Version, load_str};

const TINY: &str = include_str!("../../../tests/missions/tiny.ron");

mod rule_cases;
use rule_cases::RULES;

fn tiny() -> Mission {
    match load_str(TINY, "tiny.ron") {
        Ok(mission) => mission,
        Err(e) => panic!("tiny.ron must be valid:\n{e}"),
    }
}

#[test]
fn tiny_mission_is_valid() {
    assert_eq!(validate(&tiny()), vec![]);
}

#[test]
fn every_rule_reports_its_field_at_its_position() {
    for &(from, to, line, column, fragment) in RULES {
        assert_eq!(TINY.matches(from).count(), 1, "ambiguous edit {from:?}");
        let text = TINY.replacen(from, to, 1);
        let problems = match load_str(&text, "t.ron") {
            Ok(_) => panic!("{to:?} should be refused"),
            Err(e) => e.problems,
        };
        assert!(
            problems
                .iter()
                .any(|p| p.line == line && p.column == column && p.message.contains(fragment)),
            "{to:?}: want {line}:{column} {fragment:?}, got:\n{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn no_versions_is_an_issue_and_so_are_references_to_them() {
    let mut mission = tiny();
    mission.versions.clear();
    let paths: Vec<String> = validate(&mission)
        .iter()
        .map(|i| i.path.to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "versions",
            "start.version",
            "objectives[0]",
            "narration[1].when"
        ]
    );
}

#[test]
fn breaks_at_schema_needs_needs_schema_below_it() {
    let mut mission = tiny();
    let Some(v2) = mission.versions.get_mut("v2") else {
        panic!("tiny has v2");
    };
    v2.needs_schema = 3;
    v2.breaks_at_schema = Some(3);
    assert_eq!(validate(&mission).len(), 1);
    if let Some(v2) = mission.versions.get_mut("v2") {
        v2.breaks_at_schema = None;
    }
    assert_eq!(validate(&mission), vec![]);
}

#[test]
fn a_reader_of_the_new_column_writes_it() {
    let mut mission = tiny();
    let Some(v2) = mission.versions.get_mut("v2") else {
        panic!("tiny has v2");
    };
    v2.reads = crate::mission::Column::New;
    let issues = validate(&mission);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].path.to_string(), "versions[\"v2\"].writes");
    for w in [crate::mission::Writes::Both, crate::mission::Writes::New] {
        if let Some(v2) = mission.versions.get_mut("v2") {
            v2.writes = w;
        }
        assert_eq!(validate(&mission), vec![]);
    }
    mission.database.rows = 0.0;
    mission.database.write_share = 1.5;
    let paths: Vec<String> = validate(&mission)
        .iter()
        .map(|i| i.path.to_string())
        .collect();
    assert_eq!(paths, ["database.rows", "database.write_share"]);
}

#[test]
fn every_non_finite_float_is_an_issue() {
    let mut mission = tiny();
    mission.fleet.memory_limit_mb = f64::INFINITY;
    mission.traffic.base_rps = f64::NAN;
    mission.database.capacity_qps = f64::NEG_INFINITY;
    mission.slo.target = f64::NAN;
    let issues = validate(&mission);
    let paths: Vec<String> = issues.iter().map(|i| i.path.to_string()).collect();
    assert_eq!(
        paths,
        [
            "fleet.memory_limit_mb",
            "traffic.base_rps",
            "database.capacity_qps",
            "slo.target"
        ]
    );
    assert!(
        issues
            .iter()
            .all(|i| i.message.contains("must be a finite number"))
    );
}

#[test]
fn unlocks_are_checked_against_the_given_commands() {
    let mission = tiny();
    assert_eq!(
        validate_with_commands(&mission, &["rolling", "rollback"]),
        vec![]
    );
    let issues = validate_with_commands(&mission, &["rolling"]);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].path.to_string(), "unlocks[1]");
    assert_eq!(
        issues[0].message,
        "unknown command `rollback` in unlocks; known: rolling"
    );
}

#[test]
fn known_commands_come_from_the_command_table() {
    let known = known_commands();
    assert_eq!(known.len(), crate::command::COMMANDS.len());
    for name in [
        "deploy", "canary", "pipeline", "guards", "sticky", "migrate", "sessions",
    ] {
        assert!(known.contains(&name), "{name}");
    }
}

#[test]
fn several_problems_come_back_at_once_in_file_order() {
    let text = TINY
        .replacen("servers: 4,", "servers: 0,", 1)
        .replacen("errors: 1.0,", "errors: 2.0,", 1)
        .replacen("three: 900", "three: 100", 1);
    let Err(e) = load_str(&text, "t.ron") else {
        panic!("should be refused");
    };
    let at: Vec<(usize, usize)> = e.problems.iter().map(|p| (p.line, p.column)).collect();
    // servers 0 also leaves 1 pool for 0 servers.
    assert_eq!(at, [(22, 18), (33, 16), (70, 21), (121, 30)]);
}

#[test]
fn an_unknown_version_lists_at_most_twelve_names() {
    let mut mission = tiny();
    for i in 0..100 {
        mission
            .versions
            .insert(format!("x{i:03}"), Version::default());
    }
    mission.releases.push("nope".into());
    let issues = validate(&mission);
    assert_eq!(issues.len(), 1, "{issues:?}");
    let listed = issues[0].message.matches("\"x").count();
    assert!(listed <= 12, "{}", issues[0].message);
    assert!(
        issues[0].message.ends_with("more)"),
        "{}",
        issues[0].message
    );
}

#[test]
fn of_twenty_thousand_problems_the_first_hundred_are_listed_each_at_its_place() {
    let names: Vec<String> = (0..20_000).map(|i| format!("\"bad{i}\"")).collect();
    let text = TINY.replacen(
        "unlocks: [",
        &format!("unlocks: [{}, ", names.join(", ")),
        1,
    );
    let Err(e) = load_str(&text, "t.ron") else {
        panic!("should be refused");
    };
    assert_eq!(e.problems.len(), MAX_PROBLEMS);
    assert_eq!((e.more, e.count()), (20_000 - MAX_PROBLEMS, 20_000));
    // The first hundred in the file, in order, each name at its own column.
    let line = text
        .lines()
        .position(|l| l.contains("\"bad0\""))
        .expect("the list")
        + 1;
    let mut column = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find("\"bad0\""))
        .expect("bad0")
        + 1;
    for (i, p) in e.problems.iter().enumerate() {
        assert_eq!((p.line, p.column), (line, column), "{p}");
        assert!(
            p.message.starts_with(&format!("unknown command `bad{i}`")),
            "{p}"
        );
        column += format!("\"bad{i}\", ").len();
    }
    let shown = e.to_string();
    assert_eq!(shown.lines().count(), MAX_PROBLEMS + 1);
    assert_eq!(shown.lines().last(), Some("… and 19900 more problems"));
}

#[test]
fn a_hundred_problems_or_fewer_are_all_listed() {
    let names: Vec<String> = (0..MAX_PROBLEMS).map(|i| format!("\"bad{i}\"")).collect();
    let text = TINY.replacen(
        "unlocks: [",
        &format!("unlocks: [{}, ", names.join(", ")),
        1,
    );
    let Err(e) = load_str(&text, "t.ron") else {
        panic!("should be refused");
    };
    assert_eq!((e.problems.len(), e.more), (MAX_PROBLEMS, 0));
    assert!(!e.to_string().contains("more problem"), "{e}");
    let one_more = TINY.replacen(
        "unlocks: [",
        &format!("unlocks: [{}, \"extra\", ", names.join(", ")),
        1,
    );
    let Err(e) = load_str(&one_more, "t.ron") else {
        panic!("should be refused");
    };
    assert_eq!(e.to_string().lines().last(), Some("… and 1 more problem"));
}
