//! RON text → tokens with positions; comments and whitespace dropped.
//!
//! Deliberately forgiving: it only has to find values in text ron has already accepted, and
//! must never panic on anything else.

use super::{Pos, Tok, Token};

struct Cursor {
    chars: Vec<char>,
    i: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }
}

/// Splits `source` into tokens.
pub(super) fn tokenize(source: &str) -> Vec<Token> {
    let mut cur = Cursor {
        chars: source.chars().collect(),
        i: 0,
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    while let Some(c) = cur.peek(0) {
        let pos = cur.pos();
        let tok = match c {
            _ if c.is_whitespace() => {
                cur.bump();
                continue;
            }
            '/' if cur.peek(1) == Some('/') => {
                while cur.peek(0).is_some_and(|c| c != '\n') {
                    cur.bump();
                }
                continue;
            }
            '/' if cur.peek(1) == Some('*') => {
                skip_block_comment(&mut cur);
                continue;
            }
            '(' | '[' | '{' => {
                cur.bump();
                Tok::Open(c)
            }
            ')' | ']' | '}' => {
                cur.bump();
                Tok::Close
            }
            ':' => {
                cur.bump();
                Tok::Colon
            }
            ',' => {
                cur.bump();
                Tok::Comma
            }
            '"' => Tok::Str(string(&mut cur)),
            '\'' => {
                char_literal(&mut cur);
                Tok::Word(String::new())
            }
            'r' | 'b' if is_raw_string_start(&cur) => Tok::Str(raw_string(&mut cur)),
            'b' if cur.peek(1) == Some('"') => {
                cur.bump();
                Tok::Str(string(&mut cur))
            }
            _ => Tok::Word(word(&mut cur)),
        };
        tokens.push(Token { tok, pos });
    }
    tokens
}

/// Skips a (nestable) block comment, or to the end of the text if unclosed.
fn skip_block_comment(cur: &mut Cursor) {
    let mut depth = 0usize;
    while let Some(c) = cur.peek(0) {
        if c == '/' && cur.peek(1) == Some('*') {
            depth += 1;
            cur.bump();
        } else if c == '*' && cur.peek(1) == Some('/') {
            depth = depth.saturating_sub(1);
            cur.bump();
            if depth == 0 {
                cur.bump();
                return;
            }
        }
        cur.bump();
    }
}

/// A `"…"` string at the cursor → its text (escapes kept simple: `\x` gives `x`).
fn string(cur: &mut Cursor) -> String {
    let mut text = String::new();
    cur.bump();
    while let Some(c) = cur.bump() {
        match c {
            '"' => break,
            '\\' => text.extend(cur.bump()),
            _ => text.push(c),
        }
    }
    text
}

/// `r"`, `r#"`, `br"`, `br#"` at the cursor.
fn is_raw_string_start(cur: &Cursor) -> bool {
    let mut k = usize::from(cur.peek(0) == Some('b'));
    if cur.peek(k) != Some('r') {
        return false;
    }
    k += 1;
    while cur.peek(k) == Some('#') {
        k += 1;
    }
    cur.peek(k) == Some('"')
}

/// A raw string at the cursor → its text.
fn raw_string(cur: &mut Cursor) -> String {
    while cur.peek(0).is_some_and(|c| c == 'b' || c == 'r') {
        cur.bump();
    }
    let mut hashes = 0;
    while cur.peek(0) == Some('#') {
        hashes += 1;
        cur.bump();
    }
    cur.bump();
    let mut text = String::new();
    while let Some(c) = cur.bump() {
        if c == '"' && (0..hashes).all(|k| cur.peek(k) == Some('#')) {
            for _ in 0..hashes {
                cur.bump();
            }
            break;
        }
        text.push(c);
    }
    text
}

/// Skips a `'c'` or `'\n'` character literal.
fn char_literal(cur: &mut Cursor) {
    cur.bump();
    if cur.bump() == Some('\\') {
        cur.bump();
    }
    if cur.peek(0) == Some('\'') {
        cur.bump();
    }
}

/// Identifiers, numbers and any other unquoted run of characters.
fn word(cur: &mut Cursor) -> String {
    let mut text = String::new();
    while let Some(c) = cur.peek(0) {
        let stop = c.is_whitespace()
            || "()[]{}:,\"'".contains(c)
            || (c == '/' && matches!(cur.peek(1), Some('/' | '*')));
        if stop && !text.is_empty() {
            break;
        }
        text.push(c);
        cur.bump();
        if stop {
            break;
        }
    }
    text
}
