//! Near-miss suggestions ("did you mean `deploy`?") for mistyped words.
//!
//! Owns the edit distance and the rule for what counts as close. Knows no command names:
//! callers pass the candidates (the table's names and aliases, condition names, options).

/// The closest of `candidates` to `word`, if any is close enough to be worth suggesting.
///
/// Close means an optimal-string-alignment distance (insert, delete, substitute, or swap two
/// neighbours: one edit each) of at most `max(1, len / 3)`, compared case-insensitively, so
/// `deplyo`, `drian` and `Deploy` all find `deploy`/`drain`. Failing that, a candidate that
/// `word` is a prefix of, if exactly one is. Ties go to the earliest candidate.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    if word.is_empty() {
        return None;
    }
    let max = (word.len() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    let mut prefix_of: Vec<&'a str> = Vec::new();
    for candidate in candidates {
        let cand: Vec<char> = candidate.chars().collect();
        if cand.starts_with(&word) {
            prefix_of.push(candidate);
        }
        if cand.len().abs_diff(word.len()) > max {
            continue;
        }
        let d = osa_distance(&word, &cand);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    match (best, prefix_of.as_slice()) {
        (Some((_, c)), _) => Some(c),
        (None, [only]) => Some(only),
        (None, _) => None,
    }
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
fn osa_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    // Three rolling rows: two back (for transpositions), one back, and the current one.
    let mut prev2 = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut cur = vec![0; width];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut d = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
            if i > 0 && j > 0 && ca == b[j - 1] && a[i - 1] == cb {
                d = d.min(prev2[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[&str] = &[
        "deploy", "dep", "drain", "undrain", "restart", "pause", "wait",
    ];

    fn dist(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        osa_distance(&a, &b)
    }

    #[test]
    fn distance_counts_each_edit_once() {
        assert_eq!(dist("", ""), 0);
        assert_eq!(dist("", "abc"), 3);
        assert_eq!(dist("abc", ""), 3);
        assert_eq!(dist("deploy", "deploy"), 0);
        assert_eq!(dist("deplyo", "deploy"), 1);
        assert_eq!(dist("drian", "drain"), 1);
        assert_eq!(dist("rollbak", "rollback"), 1);
        assert_eq!(dist("kitten", "sitting"), 3);
        assert_eq!(dist("ca", "abc"), 3);
    }

    #[test]
    fn suggests_real_typos() {
        assert_eq!(suggest("deplyo", WORDS.iter().copied()), Some("deploy"));
        assert_eq!(suggest("drian", WORDS.iter().copied()), Some("drain"));
        assert_eq!(suggest("wiat", WORDS.iter().copied()), Some("wait"));
        assert_eq!(suggest("Deploy", WORDS.iter().copied()), Some("deploy"));
        assert_eq!(suggest("restrat", WORDS.iter().copied()), Some("restart"));
        assert_eq!(suggest("rollbak", ["rollback"]), Some("rollback"));
    }

    #[test]
    fn suggests_a_unique_prefix() {
        assert_eq!(suggest("undr", WORDS.iter().copied()), Some("undrain"));
        assert_eq!(suggest("res", WORDS.iter().copied()), Some("restart"));
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(suggest("", WORDS.iter().copied()), None);
        assert_eq!(suggest("xyzzy", WORDS.iter().copied()), None);
        assert_eq!(suggest("banana", WORDS.iter().copied()), None);
        assert_eq!(suggest("d", WORDS.iter().copied()), None);
        assert_eq!(suggest("deploy", std::iter::empty()), None);
        assert_eq!(suggest(&"a".repeat(100_000), WORDS.iter().copied()), None);
    }
}
