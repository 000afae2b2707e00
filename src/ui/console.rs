//! The `:` console: the text being typed, its history, tab completion and the last result.
//!
//! Completion reads the command table (`COMMANDS`, `CONDITIONS`) and the fleet's names, so
//! it always offers exactly what the parser and the simulation accept.

use tui_input::{Input, InputRequest};

use super::keymap::Edit;
use crate::command::{COMMANDS, CONDITIONS, ParseError, find_command};

/// What the console shows under the input after a command.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Feedback {
    /// Nothing to say.
    #[default]
    None,
    /// The command ran: what it did.
    Done(String),
    /// The command ran, and the sim logged it as a warning (an abort, a rollback): shown
    /// with `⚠`, not a green tick.
    Warned(String),
    /// The sim refused it: why.
    Refused(String),
    /// It did not parse: where and why.
    Invalid(ParseError),
    /// Completion candidates.
    Candidates(Vec<String>),
}

/// Names completion offers for the current mission.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub versions: Vec<String>,
    /// Server names, then pool names, then `all`.
    pub targets: Vec<String>,
}

/// The console's state (UI only; the sim never sees it).
#[derive(Debug, Clone)]
pub struct Console {
    pub open: bool,
    /// The line being typed and its cursor (tui-input does the editing).
    line: Input,
    pub history: Vec<String>,
    /// Position while browsing history (`None`: editing a new line).
    browse: Option<usize>,
    pub feedback: Feedback,
}

impl Default for Console {
    fn default() -> Self {
        Self::new()
    }
}

impl Console {
    /// An empty, closed console.
    pub fn new() -> Self {
        Self {
            open: false,
            line: Input::default(),
            history: Vec::new(),
            browse: None,
            feedback: Feedback::None,
        }
    }

    /// Opens it for typing.
    pub fn open(&mut self) {
        self.open = true;
        self.browse = None;
        if !matches!(self.feedback, Feedback::Invalid(_)) {
            self.line.reset();
        }
    }

    /// The text typed so far.
    pub fn input(&self) -> &str {
        self.line.value()
    }

    /// The cursor's position, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.line.cursor()
    }

    /// How many characters a field `width` columns wide skips to keep the cursor in view.
    pub fn scroll(&self, width: usize) -> usize {
        self.line.visual_scroll(width)
    }

    /// Replaces the line (the cursor goes to its end).
    pub fn set_input(&mut self, text: &str) {
        self.line = Input::new(text.to_string());
    }

    /// Empties the line.
    pub fn clear(&mut self) {
        self.line.reset();
    }

    /// A cursor or readline key.
    pub fn edit(&mut self, key: Edit) {
        let request = match key {
            Edit::Left => InputRequest::GoToPrevChar,
            Edit::Right => InputRequest::GoToNextChar,
            Edit::WordLeft => InputRequest::GoToPrevWord,
            Edit::WordRight => InputRequest::GoToNextWord,
            Edit::Home => InputRequest::GoToStart,
            Edit::End => InputRequest::GoToEnd,
            Edit::Delete => InputRequest::DeleteNextChar,
            Edit::KillToStart => InputRequest::DeleteFromStart,
            Edit::KillToEnd => InputRequest::DeleteTillEnd,
            // Readline's Ctrl-W (unix-word-rubout): back to the previous space, so
            // `web-01` goes whole (tui-input's word stops at the `-`).
            Edit::KillWord => {
                let chars: Vec<char> = self.input().chars().collect();
                let end = self.cursor().min(chars.len());
                let mut start = end;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                if start < end {
                    let text: String = chars[..start].iter().chain(&chars[end..]).collect();
                    self.line = Input::new(text).with_cursor(start);
                    self.edited();
                }
                return;
            }
        };
        if self.line.handle(request).is_some_and(|c| c.value) {
            self.edited();
        }
    }

    fn edited(&mut self) {
        if matches!(
            self.feedback,
            Feedback::Candidates(_) | Feedback::Invalid(_)
        ) {
            self.feedback = Feedback::None;
        }
    }

    /// Closes it, dropping what was typed.
    pub fn cancel(&mut self) {
        self.open = false;
        self.line.reset();
        self.feedback = Feedback::None;
    }

    /// Types `c` at the cursor.
    pub fn push(&mut self, c: char) {
        self.line.handle(InputRequest::InsertChar(c));
        self.edited();
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        if self.line.handle(InputRequest::DeletePrevChar).is_some() {
            self.edited();
        }
    }

    /// Takes the line to run, remembering it in the history.
    pub fn take(&mut self) -> String {
        let line = self.input().trim().to_string();
        if !line.is_empty() && self.history.last() != Some(&line) {
            self.history.push(line.clone());
        }
        self.browse = None;
        line
    }

    /// ↑: the previous history line.
    pub fn history_prev(&mut self) {
        if self.history.is_empty() {
            return;
        }
        let i = self
            .browse
            .map_or(self.history.len() - 1, |i| i.saturating_sub(1));
        self.browse = Some(i);
        self.line = Input::new(self.history[i].clone());
    }

    /// ↓: the next history line, or an empty line past the newest.
    pub fn history_next(&mut self) {
        match self.browse {
            Some(i) if i + 1 < self.history.len() => {
                self.browse = Some(i + 1);
                self.line = Input::new(self.history[i + 1].clone());
            }
            Some(_) => {
                self.browse = None;
                self.line.reset();
            }
            None => {}
        }
    }

    /// Tab: completes the word before the cursor; what follows the cursor stays.
    pub fn complete(&mut self, vocab: &Vocabulary) {
        let value = self.input().to_string();
        let at = value
            .char_indices()
            .nth(self.cursor())
            .map_or(value.len(), |(i, _)| i);
        let (before, after) = value.split_at(at);
        let (done, word, candidates) = candidates(before, vocab);
        let matching: Vec<&str> = candidates
            .iter()
            .map(String::as_str)
            .filter(|c| c.starts_with(word))
            .collect();
        match matching.as_slice() {
            [] => self.feedback = Feedback::Candidates(Vec::new()),
            [one] => {
                let space = if after.starts_with(' ') { "" } else { " " };
                self.complete_to(&format!("{done}{one}{space}"), after);
                self.feedback = Feedback::None;
            }
            many => {
                let common = common_prefix(many);
                self.complete_to(&format!("{done}{common}"), after);
                self.feedback =
                    Feedback::Candidates(many.iter().map(|s| (*s).to_string()).collect());
            }
        }
    }
}

impl Console {
    /// The line becomes `before` + `after`, the cursor between them.
    fn complete_to(&mut self, before: &str, after: &str) {
        self.line = Input::new(format!("{before}{after}")).with_cursor(before.chars().count());
    }
}

/// Splits `input` into (the text before the word being completed, that word, what fits there).
fn candidates<'a>(input: &'a str, vocab: &Vocabulary) -> (&'a str, &'a str, Vec<String>) {
    let word_start = input.rfind(' ').map_or(0, |i| i + 1);
    let before = &input[..word_start];
    let word = &input[word_start..];
    let words: Vec<&str> = before.split_whitespace().collect();
    // Inside a target list the piece after the last `,` or `..` is what is completed.
    let piece_start = word
        .rfind(',')
        .map(|i| i + 1)
        .into_iter()
        .chain(word.rfind("..").map(|i| i + 2))
        .max()
        .unwrap_or(0);
    let done = &input[..word_start + piece_start];
    let piece = &word[piece_start..];
    let owned = |list: &[&str]| list.iter().map(|s| (*s).to_string()).collect();
    let command = words.first().and_then(|w| find_command(w)).map(|s| s.name);
    let list: Vec<String> = match (command, words.len()) {
        (None, 0) => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
        (Some("deploy"), 1) => vocab.versions.clone(),
        (Some("deploy" | "drain" | "undrain" | "restart"), _) => vocab.targets.clone(),
        (Some("wait"), 1) => owned(&["until"]),
        (Some("wait"), 2) if words[1] == "until" => owned(CONDITIONS),
        (Some("wait"), _) if words.get(2) == Some(&"all-on") => vocab.versions.clone(),
        (Some("wait"), _) if words.get(1) == Some(&"until") => vocab.targets.clone(),
        _ => Vec::new(),
    };
    (done, piece, list)
}

fn common_prefix<'a>(words: &[&'a str]) -> &'a str {
    let first = words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    &first[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary {
            versions: vec!["v1".into(), "v2".into()],
            targets: (1..=12)
                .map(|i| format!("web-{i:02}"))
                .chain(["web".to_string(), "all".to_string()])
                .collect(),
        }
    }

    fn tab(text: &str) -> Console {
        let mut c = Console::new();
        c.set_input(text);
        c.complete(&vocab());
        c
    }

    #[test]
    fn completes_commands_versions_targets_and_conditions() {
        assert_eq!(tab("dep").input(), "deploy ");
        assert_eq!(tab("deploy v").input(), "deploy v");
        assert_eq!(
            tab("deploy v").feedback,
            Feedback::Candidates(vec!["v1".into(), "v2".into()])
        );
        assert_eq!(tab("deploy v2 web-1").input(), "deploy v2 web-1");
        assert_eq!(
            tab("drain web-1").feedback,
            Feedback::Candidates(vec!["web-10".into(), "web-11".into(), "web-12".into()])
        );
        assert_eq!(tab("drain web-01..web-0").input(), "drain web-01..web-0");
        assert_eq!(tab("drain web-01,web-12").input(), "drain web-01,web-12 ");
        assert_eq!(tab("wait u").input(), "wait until ");
        assert_eq!(tab("wait until dr").input(), "wait until drained ");
        assert_eq!(tab("wait until all-on v2").input(), "wait until all-on v2 ");
        assert_eq!(tab("und").input(), "undrain ");
        assert_eq!(
            tab("un").feedback,
            Feedback::Candidates(vec!["undrain".into(), "unguard".into()])
        );
        assert_eq!(tab("zzz").feedback, Feedback::Candidates(vec![]));
    }

    #[test]
    fn history_walks_back_and_forth() {
        let mut c = Console::new();
        for line in ["drain web-01", "deploy v2 web-01"] {
            c.set_input(line);
            c.take();
        }
        c.clear();
        c.history_prev();
        assert_eq!(c.input(), "deploy v2 web-01");
        c.history_prev();
        c.history_prev();
        assert_eq!(c.input(), "drain web-01");
        c.history_next();
        assert_eq!(c.input(), "deploy v2 web-01");
        c.history_next();
        assert_eq!(c.input(), "");
    }

    /// Issue 13 item 4: the console knew Backspace only.
    #[test]
    fn readline_keys_move_and_delete() {
        let mut c = Console::new();
        for ch in "deploy v2 web-01".chars() {
            c.push(ch);
        }
        c.edit(Edit::Home);
        c.edit(Edit::WordRight);
        c.edit(Edit::Right);
        c.edit(Edit::Delete);
        c.push('3');
        assert_eq!(c.input(), "deploy v3 web-01");
        c.edit(Edit::Home);
        c.edit(Edit::Right);
        c.backspace();
        c.push('D');
        assert_eq!(c.input(), "Deploy v3 web-01");
        c.edit(Edit::End);
        c.edit(Edit::KillWord);
        assert_eq!(c.input(), "Deploy v3 ");
        c.edit(Edit::WordLeft);
        c.edit(Edit::KillToEnd);
        assert_eq!(c.input(), "Deploy ");
        c.edit(Edit::KillToStart);
        assert_eq!(c.input(), "");
        // Tab completes the word before the cursor and keeps the rest of the line.
        c.set_input("dra web-01");
        c.edit(Edit::Home);
        c.edit(Edit::WordRight);
        c.edit(Edit::Left);
        c.complete(&vocab());
        assert_eq!(c.input(), "drain web-01");
    }
}
