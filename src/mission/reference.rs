//! The built-in missions' reference scripts, embedded by `build.rs` from `levels/solutions/`
//! and `levels/mistakes/`: the professional play and the naive play each mission teaches
//! against. Text only; parsing and running them is the caller's business.

/// `levels/solutions/<id>.txt` of a built-in mission.
pub fn solution_script(id: &str) -> Option<&'static str> {
    find(SOLUTIONS, id)
}

/// `levels/mistakes/<id>.txt` of a built-in mission.
pub fn mistake_script(id: &str) -> Option<&'static str> {
    find(MISTAKES, id)
}

const SOLUTIONS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/solutions.rs"));
const MISTAKES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/mistakes.rs"));

fn find(list: &[(&str, &'static str)], id: &str) -> Option<&'static str> {
    list.iter().find(|(k, _)| *k == id).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_mission_has_both_scripts_and_nothing_else_does() {
        for (id, _) in crate::mission::builtin() {
            assert!(
                solution_script(id).is_some_and(|s| !s.trim().is_empty()),
                "{id}"
            );
            assert!(
                mistake_script(id).is_some_and(|s| !s.trim().is_empty()),
                "{id}"
            );
        }
        assert_eq!(SOLUTIONS.len(), crate::mission::builtin().len());
        assert_eq!(solution_script("99-nope"), None);
    }
}
