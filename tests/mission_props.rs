//! Mission loading never panics, and every problem it reports points inside the file.

use proptest::prelude::*;
use zerodown::mission::{MissionError, load_str};

const TINY: &str = include_str!("missions/tiny.ron");

/// Every problem has a line in the text and a column of at least 1.
fn assert_inside(text: &str, result: Result<zerodown::mission::Mission, MissionError>) {
    let lines = text.lines().count().max(1);
    if let Err(e) = result {
        assert!(!e.problems.is_empty());
        for p in &e.problems {
            assert!(p.line >= 1 && p.line <= lines, "{p} outside {lines} lines");
            assert!(p.column >= 1, "{p}");
        }
    }
}

/// One edit of the tiny mission.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, char),
    DuplicateLine(usize),
    Number(usize, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    let any_char = prop_oneof![
        Just('('),
        Just(')'),
        Just(','),
        Just(':'),
        Just('"'),
        Just('/'),
        Just('*'),
        Just('-'),
        Just('\n'),
        any::<char>()
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), any_char.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), any_char).prop_map(|(i, c)| Edit::Replace(i, c)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "-1",
                "-0.5",
                "NaN",
                "inf",
                "-inf",
                "1e400",
                "0",
                "99999999999999999999"
            ])
        )
            .prop_map(|(i, n)| Edit::Number(i, n)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| i % (chars.len() + 1);
    let mut out = chars.clone();
    match *edit {
        Edit::Delete(i) => {
            if !out.is_empty() {
                out.remove(i % out.len());
            }
        }
        Edit::Insert(i, c) => out.insert(at(i), c),
        Edit::Replace(i, c) => {
            if !out.is_empty() {
                let k = i % out.len();
                out[k] = c;
            }
        }
        Edit::DuplicateLine(i) => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let k = i % lines.len().max(1);
            let mut s = String::new();
            for (j, line) in lines.iter().enumerate() {
                s.push_str(line);
                if j == k {
                    s.push_str(line);
                }
            }
            return s;
        }
        Edit::Number(i, n) => {
            // Replace the i-th number in the text.
            let starts: Vec<usize> = (0..chars.len())
                .filter(|&k| {
                    chars[k].is_ascii_digit() && (k == 0 || !chars[k - 1].is_ascii_alphanumeric())
                })
                .collect();
            if let Some(&start) = starts.get(i % starts.len().max(1)) {
                let end = (start..chars.len())
                    .find(|&k| !(chars[k].is_ascii_digit() || chars[k] == '.'))
                    .unwrap_or(chars.len());
                out.splice(start..end, n.chars());
            }
        }
    }
    out.into_iter().collect()
}

#[test]
fn tiny_is_valid() {
    assert!(load_str(TINY, "tiny.ron").is_ok());
}

proptest! {
    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        assert_inside(&text, load_str(&text, "r.ron"));
    }

    #[test]
    fn ron_like_text_never_panics(text in "[()\\[\\]{}:,\" a-z0-9_./*#!\n-]{0,200}") {
        assert_inside(&text, load_str(&text, "r.ron"));
    }

    #[test]
    fn edits_of_tiny_never_panic_and_stay_inside(edits in prop::collection::vec(edit(), 1..4)) {
        let mut text = TINY.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        assert_inside(&text, load_str(&text, "tiny.ron"));
    }
}
