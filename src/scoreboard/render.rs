//! The scoreboard as text: an aligned table for the terminal, Markdown for a handout or a
//! wiki, CSV (one row per report, accepted or rejected) for a spreadsheet.

use std::fmt::Write as _;

use super::{Board, Standing, standings};
use crate::defuse::defused;
use crate::words::count;

mod grid;

pub use grid::render_by_mission;

/// How `zerodown scoreboard` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Markdown,
    Csv,
}

impl Format {
    /// `table`, `md`/`markdown` or `csv`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "table" => Some(Self::Table),
            "md" | "markdown" => Some(Self::Markdown),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

const HEADERS: [&str; 8] = [
    "#",
    "player",
    "passed",
    "failed · left · not played",
    "stars",
    "points (passed)",
    "downtime",
    "users hit",
];

/// The board in `format`.
pub fn render(board: &Board, format: Format) -> String {
    match format {
        Format::Table => table(board),
        Format::Markdown => markdown(board),
        Format::Csv => csv(board),
    }
}

fn cells(s: &Standing) -> [String; 8] {
    [
        s.rank.to_string(),
        s.player.clone(),
        format!("{}/{}", s.passed, s.missions),
        format!(
            "{} · {} · {}",
            s.failed,
            s.abandoned,
            s.not_played - s.abandoned
        ),
        format!("{}★", s.stars),
        s.points.to_string(),
        format!("{} s", s.downtime_s),
        format!("{:.1} %", s.users_affected_pct),
    ]
}

pub(super) fn summary(board: &Board) -> String {
    let players = standings(board).len();
    let mut s = format!(
        "{} from {} checked by re-simulation",
        count(board.accepted.len(), "report"),
        count(players, "player"),
    );
    if !board.rejected.is_empty() {
        let _ = write!(s, "; {} rejected", board.rejected.len());
    }
    if let Some(code) = &board.code {
        let _ = write!(
            s,
            " (class {code}: {}, seed {})",
            code.missions.join(", "),
            code.seed
        );
    }
    s
}

pub(super) fn rejected_lines(board: &Board) -> Vec<String> {
    board
        .rejected
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                defused(&r.file.display().to_string()),
                defused(&r.why)
            )
        })
        .collect()
}

/// Rows aligned under `header`: the columns in `left` flush left (names), the others right
/// (numbers); two spaces between columns.
pub(super) fn aligned(header: &[&str], rows: &[Vec<String>], left: &[usize]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain(std::iter::once(header[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(c.chars().count()));
            if left.contains(&i) {
                let _ = write!(out, "{c}{pad}  ");
            } else {
                let _ = write!(out, "{pad}{c}  ");
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(&header.iter().map(|h| (*h).to_string()).collect::<Vec<_>>());
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

fn table(board: &Board) -> String {
    let rows: Vec<Vec<String>> = standings(board).iter().map(|s| cells(s).to_vec()).collect();
    let mut out = format!("Scoreboard: {}\n\n", summary(board));
    out.push_str(&aligned(&HEADERS, &rows, &[1]));
    if rows.is_empty() {
        out.push_str("(no reports checked out)\n");
    }
    let rejected = rejected_lines(board);
    if !rejected.is_empty() {
        out.push_str(
            "\nRejected, not ranked (a report counts only if re-running its seed and commands gives it back):\n",
        );
        for r in rejected {
            let _ = writeln!(out, "  ✖ {r}");
        }
    }
    out
}

/// `|` would end a Markdown cell; `<`, `>` and backquotes would become HTML or code.
pub(super) fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in defused(text).chars() {
        match c {
            '|' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn markdown(board: &Board) -> String {
    let mut out = format!("## Scoreboard\n\n{}\n\n", summary(board));
    let _ = writeln!(out, "| {} |", HEADERS.join(" | "));
    let _ = writeln!(
        out,
        "|{}",
        HEADERS
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 1 { " :-- |" } else { " --: |" })
            .collect::<String>()
    );
    for s in standings(board) {
        let row: Vec<String> = cells(&s).iter().map(|c| md_cell(c)).collect();
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    md_rejected(&mut out, board);
    out
}

/// The rejected reports as a Markdown list, under their heading.
pub(super) fn md_rejected(out: &mut String, board: &Board) {
    let rejected = rejected_lines(board);
    if !rejected.is_empty() {
        out.push_str("\n### Rejected\n\n");
        for r in rejected {
            let _ = writeln!(out, "- {}", md_cell(&r));
        }
    }
}

/// A CSV field, quoted when it needs to be (RFC 4180); a leading `=`, `+`, `-` or `@` is
/// escaped so a spreadsheet does not run a player's name as a formula.
pub(super) fn csv_field(text: &str) -> String {
    let mut text = defused(text);
    if text.starts_with(['=', '+', '-', '@']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv(board: &Board) -> String {
    let mut out = String::from(
        "player,mission,status,outcome,stars,points,downtime_s,mttd_s,mttr_s,users_affected_pct,file,reason\n",
    );
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for e in &board.accepted {
        let r = &e.report;
        let fields = [
            e.player.clone(),
            r.mission.clone(),
            "accepted".into(),
            r.outcome.clone(),
            r.stars.to_string(),
            r.score.points.to_string(),
            r.score.downtime_s.to_string(),
            opt(r.score.mttd_s),
            opt(r.score.mttr_s),
            r.score.users_affected_pct.to_string(),
            e.file.display().to_string(),
            String::new(),
        ];
        let _ = writeln!(out, "{}", fields.map(|f| csv_field(&f)).join(","));
    }
    for r in &board.rejected {
        let mut fields = vec![String::new(); 12];
        fields[2] = "rejected".into();
        fields[10] = r.file.display().to_string();
        fields[11].clone_from(&r.why);
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        let _ = writeln!(out, "{}", row.join(","));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("alice"), "alice");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
    }
}
