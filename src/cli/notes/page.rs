//! Two ways to lay out the same notes: plain text for a projector or a terminal, and
//! Markdown for a handout. The notes are written once against `Page`; each layout decides
//! only how a title, a section, a paragraph, a list or a table looks.

use std::fmt::Write as _;

/// Plain text is wrapped to this many columns (a projector at a readable size).
const WIDTH: usize = 80;

/// The layout primitives the notes are written with.
pub trait Page {
    /// The page title, with a line under it (chapter, id).
    fn title(&mut self, title: &str, sub: &str);
    /// A section heading.
    fn section(&mut self, name: &str);
    /// A paragraph of prose.
    fn para(&mut self, text: &str);
    /// Item `n` of a numbered list, with indented lines under it; `marked` lines stand out
    /// (the quiz's right answer).
    fn numbered(&mut self, n: usize, text: &str, lines: &[(bool, String)]);
    /// A list item led by a short emphasised phrase.
    fn bullet(&mut self, lead: &str, text: &str);
    /// A table: a header row, then rows of the same width.
    fn table(&mut self, header: &[&str], rows: &[Vec<String>]);
    /// Lines shown as they are (a script).
    fn code(&mut self, text: &str);
    /// The finished text.
    fn finish(self) -> String;
}

/// Plain text: upper-case headings, wrapped prose, aligned tables.
#[derive(Debug, Default)]
pub struct Text(String);

impl Page for Text {
    fn title(&mut self, title: &str, sub: &str) {
        let head = title.to_uppercase();
        let rule = "=".repeat(head.chars().count().max(sub.chars().count()));
        let _ = write!(self.0, "{head}\n{sub}\n{rule}\n");
    }

    fn section(&mut self, name: &str) {
        let _ = write!(self.0, "\n{name}\n{}\n", "-".repeat(name.chars().count()));
    }

    fn para(&mut self, text: &str) {
        self.0 += &wrap(text, "", "");
    }

    fn numbered(&mut self, n: usize, text: &str, lines: &[(bool, String)]) {
        let lead = format!("{n:>2}. ");
        self.0 += &wrap(text, &lead, "    ");
        for (marked, line) in lines {
            let first = if *marked { "  ✔   " } else { "      " };
            // A choice (`a) …`) hangs under its text.
            let is_choice = line.as_bytes().get(1) == Some(&b')');
            let rest = if is_choice { "         " } else { "      " };
            self.0 += &wrap(line, first, rest);
        }
    }

    fn bullet(&mut self, lead: &str, text: &str) {
        self.0 += &wrap(lead, " • ", "   ");
        self.0 += &wrap(text, "   ", "   ");
    }

    fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for row in rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
                .collect();
            format!("{}\n", padded.join("  ").trim_end())
        };
        self.0 += &line(header.to_vec());
        for row in rows {
            self.0 += &line(row.iter().map(String::as_str).collect());
        }
    }

    fn code(&mut self, text: &str) {
        for line in text.lines() {
            let _ = writeln!(self.0, "    {line}");
        }
    }

    fn finish(self) -> String {
        self.0
    }
}

/// Markdown (CommonMark with GitHub tables).
#[derive(Debug, Default)]
pub struct Markdown(String);

impl Page for Markdown {
    fn title(&mut self, title: &str, sub: &str) {
        let _ = write!(self.0, "# {title}\n\n*{sub}*\n");
    }

    fn section(&mut self, name: &str) {
        let _ = write!(self.0, "\n## {name}\n\n");
    }

    fn para(&mut self, text: &str) {
        let _ = writeln!(self.0, "{}", escape(text));
    }

    fn numbered(&mut self, n: usize, text: &str, lines: &[(bool, String)]) {
        let _ = writeln!(self.0, "{n}. {}", escape(text));
        for (marked, line) in lines {
            let line = escape(line);
            let _ = if *marked {
                writeln!(self.0, "   - **{line}** ✔")
            } else {
                writeln!(self.0, "   - {line}")
            };
        }
    }

    fn bullet(&mut self, lead: &str, text: &str) {
        let _ = writeln!(self.0, "- **{}** {}", escape(lead), escape(text));
    }

    fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let row = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        self.0 += &row(header.iter().map(|h| escape(h)).collect());
        self.0 += &row(header.iter().map(|_| "---".to_string()).collect());
        for r in rows {
            self.0 += &row(r.iter().map(|c| escape(c).replace('|', "\\|")).collect());
        }
    }

    fn code(&mut self, text: &str) {
        let _ = writeln!(self.0, "```\n{}\n```", text.trim_end());
    }

    fn finish(self) -> String {
        self.0
    }
}

/// Mission prose may contain `*`, `_` or `<` (`v2_beta`, `<id>`): escape what Markdown would
/// read as emphasis or HTML. Backquoted code stays as it is.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '*' | '_' | '<' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` wrapped to `WIDTH` columns: the first line after `first`, the others after `rest`.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    crate::words::wrap(text, WIDTH, first, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_the_width_with_a_hanging_indent() {
        let text = "word ".repeat(40);
        let out = wrap(&text, " 1. ", "    ");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 2, "{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH), "{out}");
        assert!(lines[0].starts_with(" 1. word"));
        assert!(
            lines[1..].iter().all(|l| l.starts_with("    word")),
            "{out}"
        );
        assert_eq!(out.split_whitespace().filter(|w| *w == "word").count(), 40);
    }

    #[test]
    fn a_word_longer_than_the_width_gets_a_line_of_its_own() {
        let long = "x".repeat(WIDTH + 5);
        assert_eq!(
            wrap(&format!("a {long} b"), "", ""),
            format!("a\n{long}\nb\n")
        );
    }

    #[test]
    fn markdown_escapes_emphasis_but_not_code() {
        assert_eq!(escape("v2_beta *now*"), "v2\\_beta \\*now\\*");
        assert_eq!(
            escape("`guard mem>35% -> abort`"),
            "`guard mem>35% -> abort`"
        );
    }

    #[test]
    fn tables_align_in_text_and_pipe_in_markdown() {
        let rows = vec![vec!["solution".to_string(), "917".to_string()]];
        let mut t = Text::default();
        t.table(&["play", "points"], &rows);
        assert_eq!(t.finish(), "play      points\nsolution  917\n");
        let mut m = Markdown::default();
        m.table(&["play", "points"], &rows);
        assert_eq!(
            m.finish(),
            "| play | points |\n| --- | --- |\n| solution | 917 |\n"
        );
    }
}
