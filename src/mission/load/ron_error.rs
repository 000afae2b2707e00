//! ron's error codes → messages for mission authors.
//!
//! Names the field or variant and lists what is allowed, with a "did you mean" for typos.

use ron::error::Error;

/// The message for a ron error code.
pub(super) fn message(code: &Error) -> String {
    match code {
        Error::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "unknown field `{found}`{}{}; expected one of: {}",
            inside(outer.as_deref()),
            suggest(found, expected),
            expected.join(", ")
        ),
        Error::MissingStructField { field, outer } => {
            format!(
                "missing required field `{field}`{}",
                inside(outer.as_deref())
            )
        }
        Error::DuplicateStructField { field, outer } => {
            format!("field `{field}` is given twice{}", inside(outer.as_deref()))
        }
        Error::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "unknown {} `{found}`{}; expected one of: {}",
            outer.as_deref().unwrap_or("variant"),
            suggest(found, expected),
            expected.join(", ")
        ),
        Error::InvalidValueForType { expected, found } => {
            format!("expected {expected}, found {found}")
        }
        Error::IntegerOutOfBounds => {
            "number out of range here (this field takes a whole number, 0 or more)".to_string()
        }
        Error::Message(text) => text.clone(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |first| {
                first.to_lowercase().chain(chars).collect::<String>()
            })
        }
    }
}

fn inside(outer: Option<&str>) -> String {
    outer.map_or_else(String::new, |name| format!(" in {name}"))
}

/// ` (did you mean `x`?)` when one allowed name is within two edits of `found`, or starts
/// with it (`capacity` → `capacity_rps`).
pub(super) fn suggest(found: &str, expected: &[&str]) -> String {
    expected
        .iter()
        .map(|name| {
            let prefix = found.chars().count() >= 3 && name.starts_with(found);
            (
                if prefix {
                    1
                } else {
                    edit_distance(found, name)
                },
                name,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map_or_else(String::new, |(_, name)| {
            format!(" (did you mean `{name}`?)")
        })
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("prefx", "prefix"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(
            suggest("prefx", &["servers", "prefix"]),
            " (did you mean `prefix`?)"
        );
        assert_eq!(suggest("zzzzzz", &["servers", "prefix"]), "");
        assert_eq!(
            suggest("capacity", &["capacity_rps"]),
            " (did you mean `capacity_rps`?)"
        );
        assert_eq!(suggest("ca", &["capacity_rps"]), "");
    }

    #[test]
    fn other_errors_start_lowercase() {
        assert_eq!(message(&Error::ExpectedMapColon), "expected colon");
        assert_eq!(message(&Error::Eof), "unexpected end of RON");
    }
}
