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
fn middle(left: &[&str], right: &[&str]) -> Vec<Row> {
    let (rows_l, rows_r) = (left.len(), right.len());
    if (rows_l + 1).saturating_mul(rows_r + 1) > MAX_CELLS {
        return paired(left, right);
    }
    // common[li * stride + ri]: the longest common subsequence of left[li..] and right[ri..].
    let stride = rows_r + 1;
    let mut common = vec![0u32; (rows_l + 1) * stride];
    for li in (0..rows_l).rev() {
        for ri in (0..rows_r).rev() {
            common[li * stride + ri] = if left[li] == right[ri] {
                common[(li + 1) * stride + ri + 1] + 1
            } else {
                common[(li + 1) * stride + ri].max(common[li * stride + ri + 1])
            };
        }
    }
    let mut rows = Vec::new();
    let (mut li, mut ri) = (0, 0);
    let (mut gap_l, mut gap_r) = (0, 0);
    while li < rows_l && ri < rows_r {
        if left[li] == right[ri] {
            rows.extend(paired(&left[gap_l..li], &right[gap_r..ri]));
            rows.push(Row::same(left[li]));
            li += 1;
            ri += 1;
            (gap_l, gap_r) = (li, ri);
        } else if common[(li + 1) * stride + ri] >= common[li * stride + ri + 1] {
            li += 1;
        } else {
            ri += 1;
        }
    }
    rows.extend(paired(&left[gap_l..], &right[gap_r..]));
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
        let text = |p: &str| {
            (0..2100)
                .map(|i| format!("{p}{i}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (a, b) = (text("a"), text("b"));
        let rows = lines(&a, &b);
        assert_eq!(rows.len(), 2100);
        assert!(
            rows.iter()
                .all(|r| r.changed && r.left.is_some() && r.right.is_some())
        );
    }
}
