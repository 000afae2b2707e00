use super::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/missions");
const TINY: &str = include_str!("../../../tests/missions/tiny.ron");

/// `line:col: message` for each problem in a test mission file.
fn problems_of(name: &str) -> Vec<String> {
    let path = Path::new(DIR).join(name);
    check_mission_file(&path)
        .iter()
        .map(|p| {
            assert_eq!(p.file, path.display().to_string());
            format!("{}:{}: {}", p.line, p.column, p.message)
        })
        .collect()
}

/// `line:col: message` for the single problem in `text`.
fn one_problem(text: &str) -> String {
    match load_str(text, "t.ron") {
        Ok(_) => panic!("should be refused"),
        Err(e) => {
            assert_eq!(e.problems.len(), 1, "{e}");
            let p = &e.problems[0];
            format!("{}:{}: {}", p.line, p.column, p.message)
        }
    }
}

#[test]
fn tiny_loads_with_its_values() {
    assert_eq!(problems_of("tiny.ron"), Vec::<String>::new());
    let Ok(m) = load_str(TINY, "tiny.ron") else {
        panic!("tiny.ron is valid");
    };
    assert_eq!(m.fleet.servers, 4);
    assert_eq!(m.versions["v2"].errors, 1.0);
    assert_eq!(m.deadline, Some(crate::time::Dur::from_secs(480)));
    assert_eq!(m.seed, 7);
}

#[test]
fn syntax_error_is_placed_where_ron_found_it() {
    assert_eq!(problems_of("bad/syntax.ron"), ["4:20: expected colon"]);
}

#[test]
fn unknown_field_names_it_and_lists_the_fields() {
    let problems = problems_of("bad/unknown-field.ron");
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    // The list grows with the model; what matters is the place, the name, the suggestion
    // and that the real fields are offered.
    assert!(
        p.starts_with(
            "4:25: unknown field `capacity` in Fleet (did you mean `capacity_rps`?); expected one \
             of: servers, capacity_rps, prefix, service_ms, timeout, pools, timings, health, "
        ),
        "{p}"
    );
    for field in ["memory_limit_mb", "balancer", "sessions", "slow_start"] {
        assert!(p.contains(field), "{field} missing from {p}");
    }
}

#[test]
fn negative_capacity_points_at_the_value() {
    assert_eq!(
        problems_of("bad/negative-capacity.ron"),
        ["4:39: fleet.capacity_rps must be greater than 0, found -100"]
    );
}

#[test]
fn errors_above_one_points_into_the_version() {
    assert_eq!(
        problems_of("bad/errors-above-one.ron"),
        [r#"6:42: versions["v2"].errors must be between 0 and 1, found 1.5"#]
    );
}

#[test]
fn missing_start_version_lists_the_versions() {
    assert_eq!(
        problems_of("bad/start-version-missing.ron"),
        [r#"7:22: start.version names version "v0", which is not in versions ("v1", "v2")"#]
    );
}

#[test]
fn several_problems_all_come_back_in_file_order() {
    let problems = problems_of("bad/several.ron");
    let at: Vec<&str> = problems
        .iter()
        .filter_map(|p| p.split(": ").next())
        .collect();
    assert_eq!(
        at,
        [
            "4:22", "4:39", "4:52", "4:60", "8:24", "8:56", "10:22", "11:26", "13:15", "14:18",
            "14:38", "15:30", "16:35", "16:50"
        ]
    );
    assert!(problems[3].ends_with(r#"pool "web" is listed twice"#));
    assert!(problems[7].contains("unknown command `teleport` in unlocks; known: deploy, drain"));
    assert!(
        problems[13].ends_with("quiz[0].answer 3 is not an index into 1 choices (counted from 0)")
    );
}

#[test]
fn ron_errors_get_friendly_messages_at_ron_positions() {
    let missing = TINY.replacen("capacity_rps: 100.0,", "", 1);
    assert_eq!(
        one_problem(&missing),
        "43:5: missing required field `capacity_rps` in Fleet"
    );
    let twice = TINY.replacen("prefix: \"web\",", "prefix: \"web\", prefix: \"x\",", 1);
    assert_eq!(
        one_problem(&twice),
        "26:24: field `prefix` is given twice in Fleet"
    );
    let variant = TINY.replacen("shape: Flat,", "shape: Flta,", 1);
    assert_eq!(
        one_problem(&variant),
        "52:16: unknown Shape `Flta` (did you mean `Flat`?); expected one of: Flat, Ramp, Wave"
    );
    let dur = TINY.replacen("timeout: \"5s\",", "timeout: \"5x\",", 1);
    assert_eq!(
        one_problem(&dur),
        "30:19: `5x` is not a duration: expected a number with a unit (ms, s, m, h), like 30s"
    );
    let negative = TINY.replacen("servers: 4,", "servers: -4,", 1);
    assert_eq!(
        one_problem(&negative),
        "22:19: number out of range here (this field takes a whole number, 0 or more)"
    );
    let kind = TINY.replacen("title: \"Tiny\",", "title: 5,", 1);
    assert_eq!(one_problem(&kind), "11:11: expected string");
}

#[test]
fn unknown_fields_in_struct_variants_are_refused() {
    let text = TINY.replacen(
        "shape: Flat,",
        "shape: Wave(amplitude: 0.3, period: \"1m\", perod: \"2m\"),",
        1,
    );
    assert_eq!(
        one_problem(&text),
        "52:51: unknown field `perod` in Wave (did you mean `period`?); expected one of: \
         amplitude, period"
    );
}

#[test]
fn end_of_text_errors_stay_inside_the_file() {
    assert_eq!(
        one_problem(""),
        "1:1: expected opening `(` for struct `Mission`"
    );
    // ron points past the final newline; that is clamped to the end of the last line.
    assert_eq!(one_problem("Mission(\n"), "1:9: unexpected end of RON");
    assert_eq!(
        one_problem("\n\n"),
        "1:1: expected opening `(` for struct `Mission`"
    );
}

#[test]
fn explicit_some_still_works() {
    let text = TINY.replacen("deadline: \"8m\",", "deadline: Some(\"8m\"),", 1);
    assert!(load_str(&text, "t.ron").is_ok());
}

#[test]
fn unreadable_file_names_the_file() {
    let path = Path::new(DIR).join("no-such-mission.ron");
    let problems = check_mission_file(&path);
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0].line, problems[0].column), (1, 1));
    assert_eq!(problems[0].file, path.display().to_string());
    assert!(
        problems[0]
            .message
            .starts_with("mission file: cannot read it: ")
    );
}

#[test]
fn resolve_takes_a_path_and_uses_its_stem_as_id() {
    let path = format!("{DIR}/tiny.ron");
    let Ok((id, mission)) = resolve(&path) else {
        panic!("tiny.ron resolves");
    };
    assert_eq!((id.as_str(), mission.title.as_str()), ("tiny", "Tiny"));
    let Err(e) = resolve(&format!("{DIR}/bad/syntax.ron")) else {
        panic!("syntax.ron is refused");
    };
    assert_eq!(e.problems[0].file, format!("{DIR}/bad/syntax.ron"));
}

#[test]
fn resolve_unknown_lists_the_builtin_ids() {
    let Err(e) = resolve("no-such-mission") else {
        panic!("unknown id");
    };
    let ids: Vec<&str> = builtin().iter().map(|(id, _)| *id).collect();
    let listed = if ids.is_empty() {
        "there are none".to_string()
    } else {
        ids.join(", ")
    };
    assert_eq!(
        e.to_string(),
        format!(
            "no-such-mission:1:1: unknown mission `no-such-mission`: not a built-in id \
             ({listed}) and no such file"
        )
    );
}

#[test]
fn builtin_missions_are_sorted_and_all_valid() {
    let ids: Vec<&str> = builtin().iter().map(|(id, _)| *id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    for (id, source) in builtin() {
        assert!(!id.contains('/') && !id.contains(".ron"), "{id}");
        if let Err(e) = load_str(source, &format!("levels/{id}.ron")) {
            panic!("{e}");
        }
        assert!(resolve(id).is_ok(), "{id}");
    }
}
