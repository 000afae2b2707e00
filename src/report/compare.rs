//! A report file's JSON text against the re-simulated report, read as a stream: the file is
//! never built into a tree. Reading stops at the first value that differs, a key the re-run
//! does not have, or a key given twice in one object, so what a file can make the checker
//! hold is the re-run report (bounded by the mission) and a few keys (a 16 MB `[0,0,…]`
//! file used to become a 290 MB tree before the first check).
//!
//! Owns no I/O; text from the file is quoted through `defuse::shown`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::defuse::shown;

/// Where a file and the re-run first differ: (path, what the file says, what the re-run gives).
pub type Difference = (String, String, String);

/// The first difference between the JSON `text` and `expected`, `None` if they are the same
/// data. `optional` are top-level keys the file may leave out (fields added to the report
/// after its format was shared).
///
/// # Errors
/// The text is not JSON, or an object in it names a key twice.
pub fn first_difference_in(
    text: &str,
    expected: &Value,
    optional: &[&str],
) -> Result<Option<Difference>, String> {
    let found = RefCell::new(None);
    let seed = Expect {
        value: expected,
        at: At::Root,
        found: &found,
        optional,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let read = seed.deserialize(&mut de).and_then(|()| de.end());
    match (found.into_inner(), read) {
        (Some(difference), _) => Ok(Some(difference)),
        (None, Ok(())) => Ok(None),
        (None, Err(e)) => Err(e.to_string()),
    }
}

/// A place in the report, rendered only when something differs there.
#[derive(Clone, Copy)]
enum At<'p> {
    Root,
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    /// `timeline[3].by_version.v2`, or `the report` for the whole.
    fn render(&self) -> String {
        match self {
            At::Root => "the report".to_string(),
            _ => self.path(),
        }
    }

    fn path(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(At::Root, key) => shown(key),
            At::Key(parent, key) => format!("{}.{}", parent.path(), shown(key)),
            At::Index(parent, i) => format!("{}[{i}]", parent.path()),
        }
    }
}

/// Reads one value of the file, expecting `value`.
struct Expect<'v, 'p> {
    value: &'v Value,
    at: At<'p>,
    found: &'p RefCell<Option<Difference>>,
    /// Keys the file may leave out (only at the top).
    optional: &'p [&'p str],
}

impl Expect<'_, '_> {
    /// Records the difference and stops reading.
    fn differ<E: de::Error>(&self, at: String, said: String, is: String) -> Result<(), E> {
        *self.found.borrow_mut() = Some((at, said, is));
        Err(E::custom("the file differs from the re-run"))
    }

    fn scalar<E: de::Error>(&self, said: &Value) -> Result<(), E> {
        if said == self.value {
            Ok(())
        } else {
            self.differ(
                self.at.render(),
                shown(&said.to_string()),
                shown(&self.value.to_string()),
            )
        }
    }

    /// The file has a list or an object where the re-run has something else.
    fn not_a<E: de::Error>(&self, what: &str) -> Result<(), E> {
        self.differ(
            self.at.render(),
            what.to_string(),
            shown(&self.value.to_string()),
        )
    }
}

impl<'de> DeserializeSeed<'de> for Expect<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Expect<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a run report")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(&Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        if self.value.as_str() == Some(v) {
            return Ok(());
        }
        self.scalar(&Value::String(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(&Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Value::Array(items) = self.value else {
            return self.not_a("a list");
        };
        for (i, value) in items.iter().enumerate() {
            let item = Expect {
                value,
                at: At::Index(&self.at, i),
                found: self.found,
                optional: &[],
            };
            if seq.next_element_seed(item)?.is_none() {
                return self.differ(
                    self.at.render(),
                    format!("{i} entries"),
                    format!("{} entries", items.len()),
                );
            }
        }
        // Counted, not kept.
        let mut count = items.len();
        while seq.next_element::<IgnoredAny>()?.is_some() {
            count += 1;
        }
        if count == items.len() {
            Ok(())
        } else {
            self.differ(
                self.at.render(),
                format!("{count} entries"),
                format!("{} entries", items.len()),
            )
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Value::Object(fields) = self.value else {
            return self.not_a("an object");
        };
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(key) = map.next_key_seed(KeyOf(fields))? {
            let (name, value) = match key {
                Key::Known(name, value) => (name, value),
                Key::Unknown(name) => {
                    let at = match self.at {
                        At::Root => shown(&name),
                        _ => format!("{}.{}", self.at.path(), shown(&name)),
                    };
                    return self.differ(at, "a field".into(), "none".into());
                }
            };
            if !seen.insert(name) {
                return Err(de::Error::custom(format_args!(
                    "the key `{}` is given twice",
                    shown(name)
                )));
            }
            map.next_value_seed(Expect {
                value,
                at: At::Key(&self.at, name),
                found: self.found,
                optional: &[],
            })?;
        }
        let missing = fields
            .iter()
            .find(|(k, _)| !seen.contains(k.as_str()) && !self.optional.contains(&k.as_str()));
        match missing {
            Some((name, value)) => self.differ(
                At::Key(&self.at, name).render(),
                "nothing".into(),
                shown(&value.to_string()),
            ),
            None => Ok(()),
        }
    }
}

/// A key of the file: one the re-run has (borrowed from it: nothing kept), or another.
enum Key<'v> {
    Known(&'v str, &'v Value),
    Unknown(String),
}

struct KeyOf<'v>(&'v serde_json::Map<String, Value>);

impl<'de, 'v> DeserializeSeed<'de> for KeyOf<'v> {
    type Value = Key<'v>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'v>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'v> Visitor<'_> for KeyOf<'v> {
    type Value = Key<'v>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'v>, E> {
        Ok(match self.0.get_key_value(v) {
            Some((k, value)) => Key::Known(k.as_str(), value),
            None => Key::Unknown(v.chars().take(100).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(text: &str, expected: &str) -> Result<Option<Difference>, String> {
        let expected: Value = serde_json::from_str(expected).expect("expected JSON");
        first_difference_in(text, &expected, &["later"])
    }

    fn at(path: &str, said: &str, is: &str) -> Difference {
        (path.into(), said.into(), is.into())
    }

    #[test]
    fn the_same_data_in_any_layout_and_key_order_is_equal() {
        let expected = r#"{"a": 1, "b": [1.5, "x", null, true], "later": [2]}"#;
        assert_eq!(diff(expected, expected), Ok(None));
        assert_eq!(
            diff("{\"b\":[1.5,\"x\",null,true],\n\"a\":1}", expected),
            Ok(None),
            "an optional key may be left out"
        );
    }

    #[test]
    fn the_first_difference_is_named_with_its_path() {
        let expected = r#"{"score": {"points": 800}, "timeline": [{"t": 0}, {"t": 1}]}"#;
        assert_eq!(
            diff(r#"{"score": {"points": 9999}}"#, expected),
            Ok(Some(at("score.points", "9999", "800")))
        );
        assert_eq!(
            diff(r#"{"timeline": [{"t": 0}, {"t": 7}]}"#, expected),
            Ok(Some(at("timeline[1].t", "7", "1")))
        );
        assert_eq!(
            diff(r#"{"timeline": [{"t": 0}]}"#, expected),
            Ok(Some(at("timeline", "1 entries", "2 entries")))
        );
        assert_eq!(
            diff(r#"{"timeline": [{"t": 0}, {"t": 1}, 5, [6]]}"#, expected),
            Ok(Some(at("timeline", "4 entries", "2 entries")))
        );
        assert_eq!(
            diff(r#"{"score": {"points": 800, "bonus": 1}}"#, expected),
            Ok(Some(at("score.bonus", "a field", "none")))
        );
        assert_eq!(
            diff(r#"{"score": {}, "timeline": []}"#, expected),
            Ok(Some(at("score.points", "nothing", "800")))
        );
        assert_eq!(
            diff(r#"{"score": [1], "timeline": []}"#, expected),
            Ok(Some(at("score", "a list", "{\"points\":800}")))
        );
        assert_eq!(
            diff("[0, 0, 0]", expected).map(|d| d.map(|d| d.1)),
            Ok(Some("a list".into()))
        );
        // A number is not its float, as before: 800 ≠ 800.0.
        assert_eq!(
            diff(r#"{"score": {"points": 800.0}}"#, expected),
            Ok(Some(at("score.points", "800.0", "800")))
        );
    }

    #[test]
    fn a_key_given_twice_is_refused() {
        let expected = r#"{"score": {"points": 800}}"#;
        let e = diff(r#"{"score": {"points": 800, "points": 800}}"#, expected)
            .expect_err("a duplicate key");
        assert!(e.contains("`points` is given twice"), "{e}");
        let e = diff(
            r#"{"score": {"points": 800}, "score": {"points": 800}}"#,
            expected,
        )
        .expect_err("a duplicate key");
        assert!(e.contains("`score` is given twice"), "{e}");
    }

    #[test]
    fn what_is_not_json_is_an_error() {
        let expected = r#"{"a": 1}"#;
        for text in ["", "{", r#"{"a": 1} trailing"#, r#"{"a": 1,}"#] {
            assert!(diff(text, expected).is_err(), "{text:.20}");
        }
    }
}
