//! The `:` console: the text being typed, its history, tab completion and the last result.
//!
//! Completion reads the command table (`COMMANDS`, `CONDITIONS`) and the fleet's names, so
//! it always offers exactly what the parser and the simulation accept.

use crate::command::{COMMANDS, CONDITIONS, ParseError, find_command};

/// What the console shows under the input after a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Feedback {
    /// Nothing to say.
    None,
    /// The command ran: what it did.
    Done(String),
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
    pub input: String,
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
            input: String::new(),
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
            self.input.clear();
        }
    }

    /// Closes it, dropping what was typed.
    pub fn cancel(&mut self) {
        self.open = false;
        self.input.clear();
        self.feedback = Feedback::None;
    }

    pub fn push(&mut self, c: char) {
        self.input.push(c);
        if matches!(
            self.feedback,
            Feedback::Candidates(_) | Feedback::Invalid(_)
        ) {
            self.feedback = Feedback::None;
        }
    }

    pub fn backspace(&mut self) {
        self.input.pop();
    }

    /// Takes the line to run, remembering it in the history.
    pub fn take(&mut self) -> String {
        let line = self.input.trim().to_string();
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
        self.input.clone_from(&self.history[i]);
    }

    /// ↓: the next history line, or an empty line past the newest.
    pub fn history_next(&mut self) {
        match self.browse {
            Some(i) if i + 1 < self.history.len() => {
                self.browse = Some(i + 1);
                self.input.clone_from(&self.history[i + 1]);
            }
            Some(_) => {
                self.browse = None;
                self.input.clear();
            }
            None => {}
        }
    }

    /// Tab: completes the word under the cursor (the end of the line).
    pub fn complete(&mut self, vocab: &Vocabulary) {
        let (done, word, candidates) = candidates(&self.input, vocab);
        let matching: Vec<&str> = candidates
            .iter()
            .map(String::as_str)
            .filter(|c| c.starts_with(word))
            .collect();
        match matching.as_slice() {
            [] => self.feedback = Feedback::Candidates(Vec::new()),
            [one] => {
                self.input = format!("{done}{one} ");
                self.feedback = Feedback::None;
            }
            many => {
                let common = common_prefix(many);
                self.input = format!("{done}{common}");
                self.feedback =
                    Feedback::Candidates(many.iter().map(|s| (*s).to_string()).collect());
            }
        }
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
        c.input = text.to_string();
        c.complete(&vocab());
        c
    }

    #[test]
    fn completes_commands_versions_targets_and_conditions() {
        assert_eq!(tab("dep").input, "deploy ");
        assert_eq!(tab("deploy v").input, "deploy v");
        assert_eq!(
            tab("deploy v").feedback,
            Feedback::Candidates(vec!["v1".into(), "v2".into()])
        );
        assert_eq!(tab("deploy v2 web-1").input, "deploy v2 web-1");
        assert_eq!(
            tab("drain web-1").feedback,
            Feedback::Candidates(vec!["web-10".into(), "web-11".into(), "web-12".into()])
        );
        assert_eq!(tab("drain web-01..web-0").input, "drain web-01..web-0");
        assert_eq!(tab("drain web-01,web-12").input, "drain web-01,web-12 ");
        assert_eq!(tab("wait u").input, "wait until ");
        assert_eq!(tab("wait until dr").input, "wait until drained ");
        assert_eq!(tab("wait until all-on v2").input, "wait until all-on v2 ");
        assert_eq!(tab("und").input, "undrain ");
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
            c.input = line.into();
            c.take();
        }
        c.input.clear();
        c.history_prev();
        assert_eq!(c.input, "deploy v2 web-01");
        c.history_prev();
        c.history_prev();
        assert_eq!(c.input, "drain web-01");
        c.history_next();
        assert_eq!(c.input, "deploy v2 web-01");
        c.history_next();
        assert_eq!(c.input, "");
    }
}
