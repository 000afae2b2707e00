//! Field paths (`versions["v2"].errors`) and where they are written in mission text.
//!
//! Validation works on the parsed `Mission`, which has forgotten where each value came from;
//! this module finds the value again in the source with a small RON scanner (strings and
//! comments skipped, nesting followed) so that every problem gets a line and a column.
//! It never fails: a path it cannot find falls back to its nearest written ancestor, then 1:1.

use std::collections::BTreeMap;
use std::fmt;

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A struct field: `fleet`, `capacity_rps`.
    Field(&'static str),
    /// A map key: `versions["v2"]`.
    Key(String),
    /// A list element: `objectives[0]`.
    Index(usize),
}

/// Where a value lives in a `Mission`, e.g. `fleet.capacity_rps` or `versions["v2"].errors`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(Vec<Seg>);

impl FieldPath {
    /// The path of the whole mission.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path, then the struct field `name`.
    #[must_use]
    pub fn field(&self, name: &'static str) -> Self {
        self.then(Seg::Field(name))
    }

    /// This path, then the map key `key`.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        self.then(Seg::Key(key.to_string()))
    }

    /// This path, then the list element `index`.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        self.then(Seg::Index(index))
    }

    /// The steps, outermost first.
    pub fn segments(&self) -> &[Seg] {
        &self.0
    }

    fn then(&self, seg: Seg) -> Self {
        let mut segs = self.0.clone();
        segs.push(seg);
        Self(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Field(name) if i == 0 => f.write_str(name)?,
                Seg::Field(name) => write!(f, ".{name}")?,
                Seg::Key(key) => write!(f, "[{key:?}]")?,
                Seg::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column (columns count characters, as ron's do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The start of the text.
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// Where `path` is written in `source`: the value for a field or list element, the key for a
/// map entry. Falls back to the nearest ancestor that is written, then to 1:1.
///
/// Scans the whole text: to place many paths in one text, build a [`SourceMap`] once.
pub fn locate(source: &str, path: &FieldPath) -> Pos {
    SourceMap::new(source).locate(path)
}

/// A mission text scanned once, so that each path is placed without reading the text
/// again: a file with 100 000 problems is placed in one pass, not 100 000.
#[derive(Debug)]
pub struct SourceMap {
    root: Option<Node>,
}

impl SourceMap {
    /// Scans `source` (never fails: text it cannot follow places paths at 1:1).
    pub fn new(source: &str) -> Self {
        Self {
            root: parse_root(&tokenize(source)),
        }
    }

    /// Where `path` is written, as [`locate`] says.
    pub fn locate(&self, path: &FieldPath) -> Pos {
        let Some(root) = &self.root else {
            return Pos::START;
        };
        let mut node = root;
        let mut pos = root.pos;
        for seg in path.segments() {
            match find(node, seg) {
                Some((key_pos, child)) => {
                    pos = key_pos.unwrap_or(child.pos);
                    node = child;
                }
                None => break,
            }
        }
        pos
    }
}

/// The name of the top-level struct (`Mission` in `Mission( .. )`) and where it is
/// written, after comments and `#![enable(..)]` attributes; `None` when the text opens
/// with anything else (an unnamed `( .. )`, nothing at all).
pub fn root_struct(source: &str) -> Option<(String, Pos)> {
    let tokens = tokenize(source);
    let start = skip_attributes(&tokens);
    match (tokens.get(start), tokens.get(start + 1)) {
        (
            Some(Token {
                tok: Tok::Word(name),
                pos,
            }),
            Some(Token {
                tok: Tok::Open('('),
                ..
            }),
        ) => Some((name.clone(), *pos)),
        _ => None,
    }
}

/// A scanned token. Strings keep their text (for map keys); words are identifiers, numbers
/// and anything else unquoted.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open(char),
    Close,
    Colon,
    Comma,
    Str(String),
    Word(String),
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    pos: Pos,
}

/// The nesting of a RON value, with the position of each part.
#[derive(Debug)]
struct Node {
    pos: Pos,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Atom,
    /// `( .. )`, maybe named (`Mission(..)`, `Some(..)`, `AllServersOn(..)`); items may be
    /// named struct fields or unnamed tuple elements.
    Group(Vec<(Option<String>, Node)>),
    Seq(Vec<Node>),
    /// `{ key: value }` with each key's text and position, and each key's first entry (a
    /// map may hold thousands of keys, each with a problem to place).
    Map(Vec<(String, Pos, Node)>, BTreeMap<String, usize>),
}

/// The child a segment names, with the key position for map entries.
fn find<'a>(node: &'a Node, seg: &Seg) -> Option<(Option<Pos>, &'a Node)> {
    let direct = match (&node.kind, seg) {
        (Kind::Group(items), Seg::Field(name)) => items
            .iter()
            .find(|(n, _)| n.as_deref() == Some(*name))
            .map(|(_, child)| (None, child)),
        (Kind::Map(items, index), Seg::Key(key)) => index
            .get(key)
            .and_then(|&i| items.get(i))
            .map(|(_, pos, child)| (Some(*pos), child)),
        (Kind::Seq(items), Seg::Index(i)) => items.get(*i).map(|child| (None, child)),
        (Kind::Group(items), Seg::Index(i)) if items.len() > 1 => {
            items.get(*i).map(|(_, child)| (None, child))
        }
        _ => None,
    };
    // `Some(x)` or a newtype around the value: look inside it.
    direct.or_else(|| match &node.kind {
        Kind::Group(items) if items.len() == 1 && items[0].0.is_none() => find(&items[0].1, seg),
        _ => None,
    })
}

/// Deeper nesting than this is scanned as an opaque atom (ron refuses it anyway).
const MAX_DEPTH: usize = 200;

fn parse_root(tokens: &[Token]) -> Option<Node> {
    let i = skip_attributes(tokens);
    (i < tokens.len()).then(|| parse_value(tokens, i, 0).0)
}

/// The index of the first token after any `#![enable(..)]` attributes.
fn skip_attributes(tokens: &[Token]) -> usize {
    let mut i = 0;
    // Skip `#![enable(..)]` attributes.
    while let Some(Token {
        tok: Tok::Word(w), ..
    }) = tokens.get(i)
    {
        if !w.starts_with('#') {
            break;
        }
        i += 1;
        if matches!(
            tokens.get(i),
            Some(Token {
                tok: Tok::Open('['),
                ..
            })
        ) {
            i = parse_value(tokens, i, 0).1;
        }
    }
    i
}

/// Parses the value starting at token `i` (which must exist); returns it and the next index.
fn parse_value(tokens: &[Token], i: usize, depth: usize) -> (Node, usize) {
    let pos = tokens[i].pos;
    let atom = |next| {
        (
            Node {
                pos,
                kind: Kind::Atom,
            },
            next,
        )
    };
    let open = match &tokens[i].tok {
        Tok::Word(_) => match tokens.get(i + 1) {
            Some(Token {
                tok: Tok::Open('('),
                ..
            }) => i + 1,
            _ => return atom(i + 1),
        },
        Tok::Open(_) => i,
        _ => return atom(i + 1),
    };
    if depth >= MAX_DEPTH {
        return atom(skip_balanced(tokens, open));
    }
    let Tok::Open(bracket) = tokens[open].tok else {
        return atom(open + 1);
    };
    let mut j = open + 1;
    let mut group = Vec::new();
    let mut seq = Vec::new();
    let mut map = Vec::new();
    while let Some(token) = tokens.get(j) {
        match &token.tok {
            Tok::Close => {
                j += 1;
                break;
            }
            Tok::Comma | Tok::Colon => j += 1,
            _ => {
                let name = match (&token.tok, tokens.get(j + 1)) {
                    (
                        Tok::Word(w),
                        Some(Token {
                            tok: Tok::Colon, ..
                        }),
                    ) if bracket == '(' => {
                        j += 2;
                        Some(w.clone())
                    }
                    _ => None,
                };
                if j >= tokens.len() {
                    break;
                }
                let key = match &tokens[j].tok {
                    Tok::Str(s) | Tok::Word(s) => s.clone(),
                    _ => String::new(),
                };
                let (value, next) = parse_value(tokens, j, depth + 1);
                j = next;
                match bracket {
                    '(' => group.push((name, value)),
                    '[' => seq.push(value),
                    _ => {
                        if matches!(
                            tokens.get(j),
                            Some(Token {
                                tok: Tok::Colon,
                                ..
                            })
                        ) && j + 1 < tokens.len()
                        {
                            let (entry, next) = parse_value(tokens, j + 1, depth + 1);
                            j = next;
                            map.push((key, value.pos, entry));
                        }
                    }
                }
            }
        }
    }
    let kind = match bracket {
        '(' => Kind::Group(group),
        '[' => Kind::Seq(seq),
        _ => {
            let mut index = BTreeMap::new();
            for (i, (key, _, _)) in map.iter().enumerate() {
                index.entry(key.clone()).or_insert(i);
            }
            Kind::Map(map, index)
        }
    };
    (Node { pos, kind }, j)
}

/// The index after the bracket group opening at `open`.
fn skip_balanced(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, token) in tokens.iter().enumerate().skip(open) {
        match token.tok {
            Tok::Open(_) => depth += 1,
            Tok::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

mod scan;
use scan::tokenize;

#[cfg(test)]
mod tests;
