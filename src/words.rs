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

/// `text` wrapped to `width` columns: the first line after `first`, the others after
/// `rest`; a word longer than a line gets a line of its own. Ends with a newline.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out += line.trim_end();
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line += word;
        empty = false;
    }
    out += line.trim_end();
    out.push('\n');
    out
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
