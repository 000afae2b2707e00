//! Every rule, through the text: a one-place edit to the valid tiny mission must give a
//! problem at the edited value's exact line:column, with a message naming the field.

use super::*;
use crate::mission::load_str;

const TINY: &str = include_str!("../../../tests/missions/tiny.ron");

/// (text in tiny.ron, replacement, line, column, message fragment).
const RULES: &[(&str, &str, usize, usize, &str)] = &[
    (
        "servers: 4,",
        "servers: 0,",
        22,
        18,
        "fleet.servers must be 1 to 10000, found 0",
    ),
    (
        "servers: 4,",
        "servers: 10001,",
        22,
        18,
        "fleet.servers must be 1 to 10000, found 10001",
    ),
    (
        "capacity_rps: 100.0,",
        "capacity_rps: 0.0,",
        24,
        23,
        "fleet.capacity_rps must be greater than 0, found 0",
    ),
    (
        "capacity_rps: 100.0,",
        "capacity_rps: inf,",
        24,
        23,
        "fleet.capacity_rps must be a finite number, found inf",
    ),
    (
        "capacity_rps: 100.0,",
        "capacity_rps: NaN,",
        24,
        23,
        "fleet.capacity_rps must be a finite number, found NaN",
    ),
    (
        "service_ms: 40.0,",
        "service_ms: -40.0,",
        28,
        21,
        "fleet.service_ms must be greater than 0, found -40",
    ),
    (
        "timeout: \"5s\",",
        "timeout: \"0s\",",
        30,
        18,
        "fleet.timeout must be longer than 0s",
    ),
    (
        "pools: [\"web\"],",
        "pools: [],",
        33,
        16,
        "fleet.pools must name at least one pool",
    ),
    (
        "pools: [\"web\"],",
        "pools: [\"web\", \"web\"],",
        33,
        24,
        "pool \"web\" is listed twice",
    ),
    (
        "pools: [\"web\"],",
        "pools: [\"Web\"],",
        33,
        17,
        "pool name \"Web\" must be lowercase letters, digits, `_` and `-`",
    ),
    (
        "pools: [\"web\"],",
        "pools: [\"a\", \"b\", \"c\", \"d\", \"e\"],",
        33,
        16,
        "fleet.pools has 5 pools but only 4 servers",
    ),
    (
        "prefix: \"web\",",
        "prefix: \"\",",
        26,
        17,
        "fleet.prefix \"\" must be lowercase letters, digits and `_`",
    ),
    (
        "prefix: \"web\",",
        "prefix: \"web-x\",",
        26,
        17,
        "fleet.prefix \"web-x\" must be",
    ),
    (
        "health: (period: \"5s\",",
        "health: (period: \"0s\",",
        39,
        26,
        "fleet.health.period must be longer than 0s",
    ),
    (
        "failure_threshold: 3,",
        "failure_threshold: 0,",
        39,
        51,
        "fleet.health.failure_threshold must be at least 1, found 0",
    ),
    (
        "success_threshold: 1,",
        "success_threshold: 0,",
        39,
        73,
        "fleet.health.success_threshold must be at least 1, found 0",
    ),
    (
        "base_memory_mb: 512.0,",
        "base_memory_mb: 0.0,",
        41,
        25,
        "fleet.base_memory_mb must be greater than 0, found 0",
    ),
    (
        "memory_limit_mb: 2048.0,",
        "memory_limit_mb: 512.0,",
        42,
        26,
        "fleet.memory_limit_mb (512) must be greater than base_memory_mb (512)",
    ),
    (
        "base_rps: 200.0,",
        "base_rps: -1.0,",
        48,
        19,
        "traffic.base_rps must be at least 0, found -1",
    ),
    (
        "shape: Flat,",
        "shape: Ramp(to_rps: -5.0),",
        52,
        29,
        "traffic.shape.to_rps must be at least 0, found -5",
    ),
    (
        "shape: Flat,",
        "shape: Wave(amplitude: 1.5, period: \"1m\"),",
        52,
        32,
        "traffic.shape.amplitude must be between 0 and 1, found 1.5",
    ),
    (
        "shape: Flat,",
        "shape: Wave(amplitude: 0.5, period: \"0s\"),",
        52,
        45,
        "traffic.shape.period must be longer than 0s",
    ),
    (
        "factor: 1.5)]",
        "factor: 0.0)]",
        54,
        52,
        "traffic.spikes[0].factor must be greater than 0, found 0",
    ),
    (
        "length: \"30s\", factor",
        "length: \"0s\", factor",
        54,
        37,
        "traffic.spikes[0].length must be longer than 0s",
    ),
    (
        "session_length: \"3m\",",
        "session_length: \"0s\",",
        58,
        25,
        "traffic.session_length must be longer than 0s",
    ),
    (
        "requests_per_user_s: 0.5,",
        "requests_per_user_s: 0.0,",
        60,
        30,
        "traffic.requests_per_user_s must be greater than 0, found 0",
    ),
    (
        "\"v2\": (",
        "\"v 2\": (",
        68,
        9,
        "version name \"v 2\" must be letters, digits, `_`, `.` and `-`",
    ),
    (
        "errors: 1.0,",
        "errors: 1.5,",
        70,
        21,
        "versions[\"v2\"].errors must be between 0 and 1, found 1.5",
    ),
    (
        "affects_users: 1.0,",
        "affects_users: -0.1,",
        72,
        28,
        "versions[\"v2\"].affects_users must be between 0 and 1, found -0.1",
    ),
    (
        "latency_factor: 1.0,",
        "latency_factor: 0.0,",
        74,
        29,
        "versions[\"v2\"].latency_factor must be greater than 0, found 0",
    ),
    (
        "cpu_factor: 1.0,",
        "cpu_factor: -2.0,",
        75,
        25,
        "versions[\"v2\"].cpu_factor must be greater than 0, found -2",
    ),
    (
        "tail: (share: 0.01,",
        "tail: (share: 1.01,",
        77,
        27,
        "versions[\"v2\"].tail.share must be between 0 and 1, found 1.01",
    ),
    (
        "factor: 3.0)",
        "factor: 0.5)",
        77,
        41,
        "versions[\"v2\"].tail.factor must be at least 1, found 0.5",
    ),
    (
        "leak_mb_per_min: 0.0,",
        "leak_mb_per_min: -1.0,",
        79,
        30,
        "versions[\"v2\"].leak_mb_per_min must be at least 0, found -1",
    ),
    (
        "breaks_at_schema: 5,",
        "breaks_at_schema: 0,",
        86,
        31,
        "versions[\"v2\"].breaks_at_schema (0) must be greater than needs_schema (0)",
    ),
    (
        "start: (version: \"v1\"),",
        "start: (version: \"v3\"),",
        95,
        22,
        "start.version names version \"v3\", which is not in versions (\"v1\", \"v2\")",
    ),
    (
        "capacity_qps: 1000000.0",
        "capacity_qps: 0.0",
        99,
        41,
        "database.capacity_qps must be greater than 0, found 0",
    ),
    (
        "target: 0.999,",
        "target: 1.0,",
        107,
        19,
        "slo.target must be between 0 and 1 (exclusive), found 1",
    ),
    (
        "target: 0.999,",
        "target: 0.0,",
        107,
        19,
        "slo.target must be between 0 and 1 (exclusive), found 0",
    ),
    (
        "outage_error_rate: 0.05",
        "outage_error_rate: 0.0",
        107,
        45,
        "slo.outage_error_rate must be above 0 and at most 1, found 0",
    ),
    (
        "outage_error_rate: 0.05",
        "outage_error_rate: 1.5",
        107,
        45,
        "slo.outage_error_rate must be above 0 and at most 1, found 1.5",
    ),
    (
        "duration: \"10m\",",
        "duration: \"0s\",",
        110,
        15,
        "duration must be longer than 0s",
    ),
    (
        "duration: \"10m\",",
        "duration: \"49h\",",
        110,
        15,
        "duration 49h is longer than the 48h maximum",
    ),
    (
        "deadline: \"8m\",",
        "deadline: \"11m\",",
        112,
        15,
        "deadline 11m is after the mission ends (duration 10m)",
    ),
    (
        "deadline: \"8m\",",
        "deadline: \"0s\",",
        112,
        15,
        "deadline must be longer than 0s",
    ),
    (
        "objectives: [NoServersOn(\"v2\"), DowntimeAtMost(\"5s\"), ErrorBudgetAtMost(50.0)],",
        "objectives: [],",
        118,
        17,
        "objectives must list at least one objective",
    ),
    (
        "objectives: [NoServersOn(\"v2\"),",
        "objectives: [AllServersOn(\"v3\"),",
        118,
        18,
        "objectives[0] names version \"v3\", which is not in versions",
    ),
    (
        "ErrorBudgetAtMost(50.0)",
        "ErrorBudgetAtMost(150.0)",
        118,
        59,
        "objectives[2] must be a percentage from 0 to 100, found 150",
    ),
    (
        "ErrorBudgetAtMost(50.0)",
        "ErrorBudgetAtMost(NaN)",
        118,
        59,
        "objectives[2] must be a finite number, found NaN",
    ),
    (
        "stars: (two: 600,",
        "stars: (two: 0,",
        121,
        18,
        "stars.two must be greater than 0",
    ),
    (
        "stars: (two: 600, three: 900)",
        "stars: (two: 900, three: 600)",
        121,
        30,
        "stars.three (600) must be at least stars.two (900)",
    ),
    (
        "answer: 1,",
        "answer: 2,",
        132,
        21,
        "quiz[0].answer 2 is not an index into 2 choices (counted from 0)",
    ),
    (
        "choices: [\"It is faster\", \"No request is cut off\"],\n            answer: 1,",
        "choices: [\"It is faster\"],\n            answer: 0,",
        131,
        22,
        "quiz[0].choices needs at least 2 choices, found 1",
    ),
    (
        "unlocks: [\"rolling\", \"rollback\"],",
        "unlocks: [\"rolling\", \"teleport\"],",
        102,
        26,
        "unknown command `teleport` in unlocks; known: deploy, drain,",
    ),
    (
        "(when: FirstInService(\"v2\")",
        "(when: FirstInService(\"v3\")",
        140,
        16,
        "narration[1].when names version \"v3\", which is not in versions",
    ),
];

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
fn known_commands_are_the_agreed_list() {
    assert_eq!(KNOWN_COMMANDS.len(), 26);
    for name in ["deploy", "canary", "pipeline", "guards", "sticky"] {
        assert!(KNOWN_COMMANDS.contains(&name), "{name}");
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
