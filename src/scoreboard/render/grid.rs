//! `scoreboard --by-mission` as text: the grid, then each mission's results and mistakes.

use std::fmt::Write as _;

use super::{Format, aligned, csv_field, md_cell, md_rejected, rejected_lines, summary};
use crate::scoreboard::{Board, Cell, Grid, MissionView, grid};
use crate::time::clock;

/// The class by mission in `format`.
pub fn render_by_mission(board: &Board, format: Format) -> String {
    let g = grid(board);
    match format {
        Format::Table => table(board, &g),
        Format::Markdown => markdown(board, &g),
        Format::Csv => csv(&g),
    }
}

/// A grid cell: `✔ ★★☆ 802`, `✖ ☆☆☆ 0`, `·` for no report, `↩ left` for one abandoned.
fn short(cell: &Cell) -> String {
    match cell {
        Cell::NotPlayed => "·".into(),
        Cell::Abandoned => "↩ left".into(),
        Cell::Played(p) => {
            let mark = if p.outcome == "passed" { "✔" } else { "✖" };
            format!("{mark} {} {}", stars(p.stars), p.points)
        }
    }
}

fn stars(n: u8) -> String {
    "★".repeat(usize::from(n.min(3))) + &"☆".repeat(usize::from(3 - n.min(3)))
}

fn secs(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), clock)
}

const GRID_KEY: &str = "Each student's best attempt: ✔ passed, ✖ failed (0 points on the board), · not played, ↩ left before the end (abandoned).";

const DETAIL: [&str; 9] = [
    "player", "result", "stars", "points", "detect", "restore", "downtime", "tries", "missed",
];

/// A mission's table rows: one per student.
fn detail_rows(players: &[String], m: &MissionView) -> Vec<Vec<String>> {
    players
        .iter()
        .zip(&m.cells)
        .map(|(player, cell)| match cell {
            Cell::NotPlayed => vec![player.clone(), "not played".into()],
            Cell::Abandoned => vec![player.clone(), "abandoned".into()],
            Cell::Played(p) => vec![
                player.clone(),
                p.outcome.clone(),
                stars(p.stars),
                p.points.to_string(),
                secs(p.mttd_s),
                secs(p.mttr_s),
                format!("{} s", p.downtime_s),
                p.attempts.to_string(),
                p.missed.join("; "),
            ],
        })
        .collect()
}

/// `2 of 3 students played, 1 passed`.
fn headline(m: &MissionView, students: usize) -> String {
    let (played, passed) = m.played_passed();
    format!("{played} of {students} students played, {passed} passed")
}

/// One line per common mistake: how many of those who played made it, and who.
fn mistake_lines(m: &MissionView) -> Vec<String> {
    let (played, _) = m.played_passed();
    m.mistakes
        .iter()
        .map(|c| {
            if !c.recognised {
                return format!(
                    "   ?    {}  (the notes give no rule to recognise it)",
                    c.what
                );
            }
            let who = if c.players.is_empty() {
                String::new()
            } else {
                format!("  ({})", c.players.join(", "))
            };
            format!("{:>2} of {played}  {}{who}", c.players.len(), c.what)
        })
        .collect()
}

const MISTAKES_HEAD: &str =
    "Common mistakes from the notes (students who made each, in any attempt):";

/// A mission's results for the terminal: the missed objectives go on a line of their own
/// under each student, so the columns stay narrow.
fn detail_table(players: &[String], m: &MissionView) -> String {
    let mut rows = detail_rows(players, m);
    let missed: Vec<String> = rows
        .iter_mut()
        .map(|r| {
            if r.len() == DETAIL.len() {
                r.pop().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .collect();
    let table = aligned(&DETAIL[..DETAIL.len() - 1], &rows, &[0, 1, 2]);
    let mut lines = table.lines();
    let mut out = lines.next().map(|h| format!("{h}\n")).unwrap_or_default();
    for (line, missed) in lines.zip(missed) {
        let _ = writeln!(out, "{line}");
        if !missed.is_empty() {
            out += &crate::words::wrap(&missed, 100, "        missed: ", "                ");
        }
    }
    out
}

/// The grid's header (player, then each mission) and a row per student.
fn grid_rows(g: &Grid) -> (Vec<&str>, Vec<Vec<String>>) {
    let mut header = vec!["player"];
    header.extend(g.missions.iter().map(|m| m.id.as_str()));
    let rows = g
        .players
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![p.clone()];
            row.extend(g.missions.iter().map(|m| short(&m.cells[i])));
            row
        })
        .collect();
    (header, rows)
}

fn table(board: &Board, g: &Grid) -> String {
    let mut out = format!("By mission: {}\n\n{GRID_KEY}\n", summary(board));
    let (header, rows) = grid_rows(g);
    let left: Vec<usize> = (0..header.len()).collect();
    out.push_str(&aligned(&header, &rows, &left));
    for m in &g.missions {
        let _ = write!(out, "\n{}: {}\n", m.id, headline(m, g.players.len()));
        out.push_str(&detail_table(&g.players, m));
        if !m.mistakes.is_empty() {
            let _ = writeln!(out, "{MISTAKES_HEAD}");
            for line in mistake_lines(m) {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    let rejected = rejected_lines(board);
    if !rejected.is_empty() {
        out.push_str("\nRejected, not counted:\n");
        for r in rejected {
            let _ = writeln!(out, "  ✖ {r}");
        }
    }
    out
}

fn md_table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for r in rows {
        let mut cells: Vec<String> = r.iter().map(|c| md_cell(c)).collect();
        cells.resize(header.len(), String::new());
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

fn markdown(board: &Board, g: &Grid) -> String {
    let mut out = format!("## By mission\n\n{}\n\n{GRID_KEY}\n\n", summary(board));
    let (header, rows) = grid_rows(g);
    md_table(&mut out, &header, &rows);
    for m in &g.missions {
        let _ = write!(
            out,
            "\n### {}\n\n{}\n\n",
            md_cell(&m.id),
            headline(m, g.players.len())
        );
        md_table(&mut out, &DETAIL, &detail_rows(&g.players, m));
        if !m.mistakes.is_empty() {
            let _ = write!(out, "\n{MISTAKES_HEAD}\n\n");
            for line in mistake_lines(m) {
                let _ = writeln!(out, "- {}", md_cell(line.trim()));
            }
        }
    }
    md_rejected(&mut out, board);
    out
}

/// A gradebook: one row for every student × mission of the class, missing ones included.
fn csv(g: &Grid) -> String {
    let mut out = String::from(
        "player,mission,status,outcome,stars,points,downtime_s,mttd_s,mttr_s,users_affected_pct,attempts,missed,mistakes,file\n",
    );
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    for (i, player) in g.players.iter().enumerate() {
        for m in &g.missions {
            let fields: Vec<String> = match &m.cells[i] {
                cell @ (Cell::NotPlayed | Cell::Abandoned) => {
                    let mut f = vec![String::new(); 14];
                    f[0].clone_from(player);
                    f[1].clone_from(&m.id);
                    f[2] = if *cell == Cell::Abandoned {
                        "abandoned"
                    } else {
                        "not played"
                    }
                    .into();
                    f[5] = "0".into();
                    f[10] = "0".into();
                    f
                }
                Cell::Played(p) => vec![
                    player.clone(),
                    m.id.clone(),
                    "played".into(),
                    p.outcome.clone(),
                    p.stars.to_string(),
                    p.points.to_string(),
                    p.downtime_s.to_string(),
                    opt(p.mttd_s),
                    opt(p.mttr_s),
                    p.users_affected_pct.to_string(),
                    p.attempts.to_string(),
                    p.missed.join("; "),
                    p.mistakes.join("; "),
                    p.file.display().to_string(),
                ],
            };
            let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            let _ = writeln!(out, "{}", row.join(","));
        }
    }
    out
}
