use super::*;

const TEXT: &str = r##"#![enable(implicit_some)]
// fleet: (servers: 99) — a comment must not be found
Mission(
    title: "fleet: (", /* versions: { "v2": () } */
    fleet: (servers: 4, capacity_rps: -1.0),
    versions: {
        "v1": (),
        "v2": (errors: 1.5, tail: Some((share: 2.0))),
    },
    objectives: [AllServersOn("v1"), NoServersOn("v9")],
    shape: Wave(amplitude: 3.0, period: "0s"),
    raw: r#"a ) ] }"#, c: ')',
    after: 1,
)
"##;

fn at(path: &FieldPath) -> (usize, usize) {
    let pos = locate(TEXT, path);
    (pos.line, pos.column)
}

#[test]
fn paths_display_like_rust() {
    let p = FieldPath::root()
        .field("versions")
        .key("v2")
        .field("errors");
    assert_eq!(p.to_string(), r#"versions["v2"].errors"#);
    assert_eq!(
        FieldPath::root().field("objectives").index(1).to_string(),
        "objectives[1]"
    );
    assert_eq!(FieldPath::root().to_string(), "");
}

#[test]
fn finds_fields_past_strings_and_comments() {
    let root = FieldPath::root();
    assert_eq!(at(&root.field("fleet")), (5, 12));
    assert_eq!(at(&root.field("fleet").field("servers")), (5, 22));
    assert_eq!(at(&root.field("fleet").field("capacity_rps")), (5, 39));
}

#[test]
fn finds_map_keys_and_their_fields() {
    let v2 = FieldPath::root().field("versions").key("v2");
    assert_eq!(at(&v2), (8, 9));
    assert_eq!(at(&v2.field("errors")), (8, 24));
    // Through an explicit `Some(..)`.
    assert_eq!(at(&v2.field("tail").field("share")), (8, 48));
}

#[test]
fn finds_list_elements_and_struct_variants() {
    let root = FieldPath::root();
    assert_eq!(at(&root.field("objectives").index(1)), (10, 38));
    assert_eq!(at(&root.field("shape").field("period")), (11, 41));
}

#[test]
fn skips_raw_strings_and_chars() {
    assert_eq!(at(&FieldPath::root().field("after")), (13, 12));
}

#[test]
fn falls_back_to_the_nearest_written_ancestor() {
    let root = FieldPath::root();
    assert_eq!(at(&root.field("fleet").field("timeout")), (5, 12));
    assert_eq!(
        at(&root.field("versions").key("v7").field("errors")),
        (6, 15)
    );
    assert_eq!(at(&root.field("objectives").index(9)), (10, 17));
    assert_eq!(at(&root.field("nothing")), (3, 1));
}

#[test]
fn empty_or_broken_text_gives_a_position_without_panicking() {
    let path = FieldPath::root().field("fleet").field("servers");
    assert_eq!(locate("", &path), Pos::START);
    assert_eq!(locate("// only a comment", &path), Pos::START);
    for text in [
        "(",
        ")",
        "{:",
        "[,",
        "r#\"",
        "'",
        "/*",
        "fleet: (servers:",
        "\"\\",
    ] {
        let pos = locate(text, &path);
        assert!(pos.line >= 1 && pos.column >= 1, "{text}");
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let text = format!("(a: {}1{})", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        locate(&text, &FieldPath::root().field("a")),
        Pos { line: 1, column: 5 }
    );
}

#[test]
fn columns_count_characters() {
    let text = "(title: \"é—x\", b: 1)";
    assert_eq!(
        locate(text, &FieldPath::root().field("b")),
        Pos {
            line: 1,
            column: 19
        }
    );
}

#[test]
fn a_source_map_places_paths_as_locate_does() {
    let map = SourceMap::new(TEXT);
    let root = FieldPath::root();
    let v2 = root.field("versions").key("v2");
    for path in [
        root.field("fleet").field("capacity_rps"),
        v2.clone(),
        v2.field("tail").field("share"),
        root.field("versions").key("v7").field("errors"),
        root.field("objectives").index(1),
        root.field("after"),
        root.field("nothing"),
    ] {
        assert_eq!(map.locate(&path), locate(TEXT, &path), "{path}");
    }
    assert_eq!(SourceMap::new("").locate(&v2), Pos::START);
}

#[test]
fn a_key_written_twice_is_placed_at_its_first_entry() {
    let text = "(m: {\"a\": 1, \"b\": 2, \"a\": 3})";
    let map = SourceMap::new(text);
    let at = |key: &str| map.locate(&FieldPath::root().field("m").key(key));
    assert_eq!(at("a"), Pos { line: 1, column: 6 });
    assert_eq!(
        at("b"),
        Pos {
            line: 1,
            column: 14
        }
    );
}
