//! The command table (stub until the parser lands).

/// One command of the language.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub doc: &'static str,
}

/// Every command.
pub const COMMANDS: &[CommandSpec] = &[];

/// The closest known word to `word`, if any is close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let _ = word;
    candidates.into_iter().next()
}
