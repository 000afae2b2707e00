//! Small pieces of English the game's messages share.

/// `n` and the noun, singular or plural: `count(1, "report")` is "1 report",
/// `count(3, "report")` "3 reports". Nouns with an irregular plural don't belong here.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(0, "guard"), "0 guards");
        assert_eq!(count(1, "guard"), "1 guard");
        assert_eq!(count(2, "command"), "2 commands");
    }
}
