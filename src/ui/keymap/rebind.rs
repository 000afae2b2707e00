//! The player's keys (`keys.ron`): any action of the key table bound to other keys. The
//! same table then drives the keys, the footer and help, so both show the player's keys.
//! A context or action that does not exist, a key that can't be read, or a key that would
//! do two things in one place is an error at `file:line:col`; the defaults stay in use.

use std::sync::OnceLock;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use serde::Deserialize;

use super::{Action, Binding, Ctx, KEYMAP};
use crate::mission::{FieldPath, Problem, SourceMap};

/// One line of `keys.ron`: in this context, this action takes these keys (instead of its
/// default ones).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rebinding {
    /// The context, as `config --print-defaults` lists them (`Play`, `Map`, …).
    #[serde(rename = "in")]
    pub context: String,
    /// The action (`AskQuit`, `TogglePause`, …).
    pub action: String,
    /// The keys: `q`, `Q`, `Enter`, `F2`, `Ctrl-x`, `Alt-b`, `Space`, `Up`…
    pub keys: Vec<String>,
}

/// The file: `Keys(bind: [ … ])`.
#[derive(Debug, Deserialize)]
#[serde(rename = "Keys", deny_unknown_fields)]
struct KeysFile {
    #[serde(default)]
    bind: Vec<Rebinding>,
}

/// The most rebindings a file may hold.
const MAX_REBINDINGS: usize = 500;

static ACTIVE: OnceLock<Vec<Binding>> = OnceLock::new();

/// The key table in use: the defaults, or with the player's keys once `install`ed.
pub fn table() -> &'static [Binding] {
    ACTIVE.get().map_or(KEYMAP, Vec::as_slice)
}

/// Puts the player's keys in use for the rest of the process (once; later calls change
/// nothing).
pub fn install(table: Vec<Binding>) {
    let _ = ACTIVE.set(table);
}

/// Reads `keys.ron`'s text and checks it against the default table.
///
/// # Errors
/// Every problem, one a line, at `file:line:col`.
pub fn read_rebindings(source: &str, file: &str) -> Result<Vec<Rebinding>, String> {
    let source = &*crate::textfile::unix_newlines(source);
    let parsed: KeysFile = crate::mission::parse_ron(source, file).map_err(|e| e.to_string())?;
    let map = SourceMap::new(source);
    let problems: Vec<String> = match apply(KEYMAP, &parsed.bind) {
        Ok(_) if parsed.bind.len() <= MAX_REBINDINGS => return Ok(parsed.bind),
        Ok(_) => vec![(
            FieldPath::root().field("bind"),
            format!("more than {MAX_REBINDINGS} rebindings"),
        )],
        Err(list) => list,
    }
    .into_iter()
    .map(|(path, msg)| Problem::at(file, map.locate(&path), msg).to_string())
    .collect();
    Err(problems.join("\n"))
}

/// `defaults` with `rebindings` applied, or each problem with its place in the file.
///
/// # Errors
/// Unknown contexts, actions or keys, and keys that would do two things in one place.
pub fn apply(
    defaults: &[Binding],
    rebindings: &[Rebinding],
) -> Result<Vec<Binding>, Vec<(FieldPath, String)>> {
    let mut table = defaults.to_vec();
    let mut problems = Vec::new();
    for (i, r) in rebindings.iter().enumerate() {
        let at = FieldPath::root().field("bind").index(i);
        let Some(ctx) = find_ctx(defaults, &r.context) else {
            problems.push((
                at.field("in"),
                format!(
                    "no context `{}` (config --print-defaults lists them)",
                    shown(&r.context)
                ),
            ));
            continue;
        };
        let Some(action) = defaults
            .iter()
            .filter(|b| b.ctx == ctx)
            .map(|b| b.action)
            .find(|a| name(*a).eq_ignore_ascii_case(&r.action))
        else {
            problems.push((
                at.field("action"),
                format!("no action `{}` in {ctx:?}", shown(&r.action)),
            ));
            continue;
        };
        let mut keys = Vec::new();
        for (k, text) in r.keys.iter().enumerate() {
            match parse_key(text) {
                Some(key) => keys.push((key, text)),
                None => problems.push((
                    at.field("keys").index(k),
                    format!("`{}` is not a key: a character, Enter, Esc, Tab, Space, Up, F1…, Ctrl-x, Alt-x", shown(text)),
                )),
            }
        }
        if keys.is_empty() {
            continue;
        }
        let Some(template) = table
            .iter()
            .find(|b| b.ctx == ctx && b.action == action)
            .copied()
        else {
            continue;
        };
        table.retain(|b| !(b.ctx == ctx && b.action == action));
        for ((code, mods), text) in keys {
            let label: &'static str = Box::leak(text.clone().into_boxed_str());
            if let Some(other) = table.iter().find(|b| {
                (b.ctx == ctx || b.ctx == Ctx::Global) && b.code == code && b.mods == mods
            }) {
                problems.push((
                    at.field("keys"),
                    format!(
                        "`{}` already means {} in {:?}",
                        shown(text),
                        name(other.action),
                        other.ctx
                    ),
                ));
                continue;
            }
            table.push(Binding {
                code,
                mods,
                label,
                ..template
            });
        }
    }
    if problems.is_empty() {
        // Help lists the table in order: keep the defaults' order, rebound ones where
        // their action was.
        let order = |b: &Binding| {
            defaults
                .iter()
                .position(|d| d.ctx == b.ctx && d.action == b.action)
                .unwrap_or(usize::MAX)
        };
        table.sort_by_key(order);
        Ok(table)
    } else {
        Err(problems)
    }
}

fn shown(text: &str) -> String {
    crate::defuse::shown(text)
}

fn name(action: Action) -> String {
    let debug = format!("{action:?}");
    debug.split('(').next().unwrap_or_default().to_string()
}

fn find_ctx(defaults: &[Binding], text: &str) -> Option<Ctx> {
    defaults
        .iter()
        .map(|b| b.ctx)
        .find(|c| format!("{c:?}").eq_ignore_ascii_case(text))
}

/// `q`, `Q`, `Enter`, `F2`, `Ctrl-x`, `Alt-b`, `Space`, `Up`…
fn parse_key(text: &str) -> Option<(KeyCode, KeyModifiers)> {
    let (mods, rest) = if let Some(r) = text.strip_prefix("Ctrl-") {
        (KeyModifiers::CONTROL, r)
    } else if let Some(r) = text.strip_prefix("Alt-") {
        (KeyModifiers::ALT, r)
    } else {
        (KeyModifiers::NONE, text)
    };
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => KeyCode::Char(c),
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            f => KeyCode::F(
                f.strip_prefix('f')?
                    .parse()
                    .ok()
                    .filter(|n| (1..=12).contains(n))?,
            ),
        },
    };
    Some((code, mods))
}

/// A key as `keys.ron` writes it (what `parse_key` reads).
fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::PageUp => "PageUp".into(),
        KeyCode::PageDown => "PageDown".into(),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{base}")
    } else if mods.contains(KeyModifiers::ALT) {
        format!("Alt-{base}")
    } else {
        base
    }
}

/// `keys.ron` as `config --print-defaults` writes it: no change, and every context, action
/// and default key in comments, to copy from.
pub fn default_keys_file() -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "// Your keys: each line binds an action, in one context, to other keys (its default\n\
         // keys are then free). Contexts, actions and defaults are listed below.\n\
         // Keys: a character (q, Q, ?), Enter, Esc, Tab, Space, Backspace, Delete, Up, Down,\n\
         // Left, Right, Home, End, PageUp, PageDown, F1-F12, with Ctrl- or Alt- in front.\n\
         Keys(\n    bind: [\n        // (in: \"Play\", action: \"AskQuit\", keys: [\"Q\"]),\n    ],\n)\n\n",
    );
    let mut seen: Vec<(Ctx, String)> = Vec::new();
    for b in KEYMAP {
        let action = name(b.action);
        if seen.iter().any(|(c, a)| *c == b.ctx && *a == action) {
            continue;
        }
        let keys: Vec<String> = KEYMAP
            .iter()
            .filter(|o| o.ctx == b.ctx && o.action == b.action)
            .map(|o| key_name(o.code, o.mods))
            .collect();
        let _ = writeln!(
            out,
            "// {:<12} {:<16} {:<14} {}",
            format!("{:?}", b.ctx),
            action,
            keys.join(" "),
            b.doc
        );
        seen.push((b.ctx, action));
    }
    out
}
