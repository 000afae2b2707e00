//! A line diff of two texts, for showing two configs side by side: the longest common
//! subsequence of their lines, and between two common lines the lines of each side paired
//! up, row by row (a line changed in place shows beside its new version; what one side has
//! more stands alone).

/// One row of the two texts side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The left text's line here (`None`: the right one has a line the left lacks).
    pub left: Option<String>,
    /// The right text's line here.
    pub right: Option<String>,
    /// Whether the two differ here (a changed line, or a line only one side has).
    pub changed: bool,
}

impl Row {
    fn same(line: &str) -> Self {
        Self {
            left: Some(line.to_string()),
            right: Some(line.to_string()),
            changed: false,
        }
    }
}

/// Past this many cells the table would be too big: the middle is paired up row by row.
const MAX_CELLS: usize = 4_000_000;

/// `left` and `right` aligned line by line. Every line of each text appears once, in order;
/// a row is `changed` unless both sides hold the same line there.
pub fn lines(left: &str, right: &str) -> Vec<Row> {
    let a: Vec<&str> = left.lines().collect();
    let b: Vec<&str> = right.lines().collect();
    // The common start and end need no table.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut rows: Vec<Row> = a[..head].iter().map(|l| Row::same(l)).collect();
    rows.extend(middle(mid_a, mid_b));
    rows.extend(a[a.len() - tail..].iter().map(|l| Row::same(l)));
    rows
}

/// The rows of two runs of lines with no common start or end.
fn middle(a: &[&str], b: &[&str]) -> Vec<Row> {
    let (n, m) = (a.len(), b.len());
    if (n + 1).saturating_mul(m + 1) > MAX_CELLS {
        return paired(a, b);
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let mut rows = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut gap_a, mut gap_b) = (i, j);
    while i < n && j < m {
        if a[i] == b[j] {
            rows.extend(paired(&a[gap_a..i], &b[gap_b..j]));
            rows.push(Row::same(a[i]));
            i += 1;
            j += 1;
            (gap_a, gap_b) = (i, j);
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    rows.extend(paired(&a[gap_a..], &b[gap_b..]));
    rows
}

/// Lines that differ, side by side: row k holds the k-th of each side (or one alone).
fn paired(a: &[&str], b: &[&str]) -> Vec<Row> {
    (0..a.len().max(b.len()))
        .map(|k| {
            let left = a.get(k).map(|l| (*l).to_string());
            let right = b.get(k).map(|l| (*l).to_string());
            Row {
                changed: left != right,
                left,
                right,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(left: Option<&str>, right: Option<&str>) -> Row {
        Row {
            left: left.map(str::to_string),
            right: right.map(str::to_string),
            changed: left != right,
        }
    }

    fn side(rows: &[Row], left: bool) -> Vec<String> {
        rows.iter()
            .filter_map(|r| {
                if left {
                    r.left.clone()
                } else {
                    r.right.clone()
                }
            })
            .collect()
    }

    #[test]
    fn same_texts_have_no_change() {
        let t = "a\nb\nc\n";
        let rows = lines(t, t);
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| !r.changed));
        assert!(lines("", "").is_empty());
    }

    #[test]
    fn a_changed_line_stands_beside_its_new_version() {
        let rows = lines(
            "kind: Rollout\nweight: 10\npause: 30s\n",
            "kind: Rollout\nweight: 25\npause: 30s\n",
        );
        assert_eq!(
            rows,
            vec![
                row(Some("kind: Rollout"), Some("kind: Rollout")),
                row(Some("weight: 10"), Some("weight: 25")),
                row(Some("pause: 30s"), Some("pause: 30s")),
            ]
        );
        assert!(rows[1].changed);
    }

    #[test]
    fn lines_only_one_side_has_stand_alone() {
        let rows = lines("a\nc\n", "a\nb\nc\nd\n");
        assert_eq!(
            rows,
            vec![
                row(Some("a"), Some("a")),
                row(None, Some("b")),
                row(Some("c"), Some("c")),
                row(None, Some("d")),
            ]
        );
        let rows = lines("x\ny\n", "");
        assert_eq!(rows, vec![row(Some("x"), None), row(Some("y"), None)]);
    }

    #[test]
    fn every_line_appears_once_in_order() {
        let a = "apiVersion: v1\nkind: A\nsteps:\n- 10\n- 20\n- 50\nend\n";
        let b = "apiVersion: v1\nkind: B\nsteps:\n- 20\n- 30\n- 50\n- 100\nend\nmore\n";
        let rows = lines(a, b);
        assert_eq!(side(&rows, true), a.lines().collect::<Vec<_>>());
        assert_eq!(side(&rows, false), b.lines().collect::<Vec<_>>());
        // The common lines are kept as such: as many as the longest common subsequence.
        let same = rows.iter().filter(|r| !r.changed).count();
        assert_eq!(same, 5, "{rows:#?}");
        assert!(rows.iter().all(|r| r.changed == (r.left != r.right)));
    }

    #[test]
    fn a_huge_middle_is_paired_row_by_row() {
        let a: String = (0..2100).map(|i| format!("a{i}\n")).collect();
        let b: String = (0..2100).map(|i| format!("b{i}\n")).collect();
        let rows = lines(&a, &b);
        assert_eq!(rows.len(), 2100);
        assert!(
            rows.iter()
                .all(|r| r.changed && r.left.is_some() && r.right.is_some())
        );
    }
}
