//! Keys → actions: one table, one binding a line. The same table drives key handling, the
//! footer hints and the help overlay, so a binding is written once.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Something the player (or the clock) asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave the program at once.
    Quit,
    /// Go back one screen (or close what is open).
    Back,
    /// Enter: open, start, run.
    Confirm,
    Up,
    Down,
    Left,
    Right,
    /// Pause or resume the game clock.
    TogglePause,
    Faster,
    Slower,
    /// Run the clock until something new is logged.
    NextEvent,
    /// A replay: to the next / previous marker (fault visible, alert, reaction, restore).
    NextMarker,
    PrevMarker,
    /// A replay: ten game seconds on / back (back re-simulates from the start).
    StepForward,
    StepBack,
    ToggleHelp,
    OpenConsole,
    OpenFilter,
    /// `q` during a mission: ask before abandoning it.
    AskQuit,
    Yes,
    No,
    /// A typed character in a text field.
    Input(char),
    Backspace,
    Complete,
    HistoryPrev,
    HistoryNext,
    /// Answer quiz choice n (0-based).
    Answer(u8),
    /// Show the next set of charts (small terminals).
    NextCharts,
    /// Everything is settled: simulate the rest of the mission at once.
    FinishNow,
    /// Show the next hint of the mission.
    Hint,
    CycleTheme,
    /// Braille ↔ dot markers on charts.
    ToggleMarker,
    /// Play the mission again.
    Replay,
    /// Show or hide the reference solution's line on the debrief's chart.
    ToggleGhost,
    /// A debrief: open (or close) the run and the reference as real config, side by side.
    ShowConfig,
    /// The config page: the next format (Argo, Kubernetes, Flagger, CodeDeploy).
    NextFormat,
    /// The config page on a narrow screen: show the other side.
    OtherSide,
    /// Scroll a page up / down.
    PageUp,
    PageDown,
    /// Promote the rollout to its next step (`promote`).
    Promote,
    /// Stop the rollout where it is (`abort`).
    Abort,
    /// Go back to the version before the rollout (`rollback`).
    Rollback,
    /// Any key while a console `wait` runs: stop it.
    StopWait,
    /// Console line editing (cursor and readline keys).
    Edit(Edit),
    /// Drill plan: add a step after the selected one.
    AddStep,
    /// Drill plan: remove the selected step.
    RemoveStep,
    /// Drill plan: move the selected step up / down.
    MoveStepUp,
    MoveStepDown,
    /// Drill plan: focus the selected step's next field.
    NextField,
    /// Drill plan: show the whole case / back to the plan.
    ToggleCase,
    /// Drill debrief: the next case (the next seed).
    NextDrill,
    /// One game tick passed (sent by the loop's sim clock; on the drill's plan screen, a
    /// tenth of a second of its countdown).
    Tick,
    /// The terminal is now this size.
    Resize(u16, u16),
    /// A mouse click at (column, row).
    Click(u16, u16),
}

/// The console's line-editing keys, as k9s, lazygit and a shell's readline have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    /// Delete the character under the cursor.
    Delete,
    /// Ctrl-U: delete to the start of the line.
    KillToStart,
    /// Ctrl-K: delete to the end of the line.
    KillToEnd,
    /// Ctrl-W: delete the word before the cursor.
    KillWord,
}

/// Where the keyboard is: which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere.
    Global,
    Title,
    Map,
    Briefing,
    Play,
    /// Watching a recorded run: the play keys that only watch.
    Replay,
    Console,
    Filter,
    Confirm,
    /// A mission's tip is open in a box (the clock waits).
    Tip,
    /// A console `wait` runs the clock: any key stops it.
    Waiting,
    Help,
    Debrief,
    /// The drill's plan screen.
    DrillPlan,
    /// The drill's "add a step" menu.
    DrillAdd,
    /// The drill's debrief.
    DrillDebrief,
    /// A debrief's "as real config" page (a mission's or the drill's).
    Config,
}

/// One key binding.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub ctx: Ctx,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    /// How the key is written in hints and help.
    pub label: &'static str,
    pub action: Action,
    pub doc: &'static str,
    /// Shown in the footer line.
    pub footer: bool,
}

const fn key(
    ctx: Ctx,
    code: KeyCode,
    label: &'static str,
    action: Action,
    doc: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        ctx,
        code,
        mods: KeyModifiers::NONE,
        label,
        action,
        doc,
        footer,
    }
}

/// A binding with modifier keys (Ctrl-A, Alt-B).
const fn modded(
    ctx: Ctx,
    code: KeyCode,
    mods: KeyModifiers,
    label: &'static str,
    action: Action,
    doc: &'static str,
) -> Binding {
    Binding {
        ctx,
        code,
        mods,
        label,
        action,
        doc,
        footer: false,
    }
}

const fn ch(c: char) -> KeyCode {
    KeyCode::Char(c)
}

use Action as A;
use Ctx as C;

/// Every binding, in the order help lists them.
pub const KEYMAP: &[Binding] = &[
    Binding {
        ctx: C::Global,
        code: ch('c'),
        mods: KeyModifiers::CONTROL,
        label: "Ctrl-C",
        action: A::Quit,
        doc: "quit at once",
        footer: false,
    },
    key(
        C::Title,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "choose a mission",
        true,
    ),
    key(C::Title, ch('?'), "?", A::ToggleHelp, "help", true),
    key(C::Title, ch('q'), "q", A::Quit, "quit", true),
    key(C::Map, KeyCode::Up, "↑/k", A::Up, "previous mission", false),
    key(C::Map, ch('k'), "k", A::Up, "previous mission", false),
    key(C::Map, KeyCode::Down, "↓/j", A::Down, "next mission", false),
    key(C::Map, ch('j'), "j", A::Down, "next mission", false),
    key(
        C::Map,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "read the briefing",
        true,
    ),
    key(C::Map, KeyCode::Esc, "Esc", A::Back, "title", true),
    key(C::Map, ch('?'), "?", A::ToggleHelp, "help", true),
    key(C::Map, ch('q'), "q", A::Quit, "quit", true),
    key(
        C::Briefing,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "start the mission",
        true,
    ),
    key(C::Briefing, KeyCode::Esc, "Esc", A::Back, "missions", true),
    key(C::Briefing, KeyCode::Up, "↑/↓", A::Up, "scroll", true),
    key(C::Briefing, KeyCode::Down, "↓", A::Down, "scroll", false),
    key(C::Briefing, ch('k'), "k", A::Up, "scroll", false),
    key(C::Briefing, ch('j'), "j", A::Down, "scroll", false),
    key(C::Briefing, ch('?'), "?", A::ToggleHelp, "help", true),
    key(C::Briefing, ch('q'), "q", A::Quit, "quit", false),
    key(
        C::Waiting,
        KeyCode::Esc,
        "any key",
        A::StopWait,
        "stop the console's wait",
        true,
    ),
    // A replay moves its clock like a video; `:` takes a `goto` only. First in
    // the table, so a replay's footer has room for them before the play keys.
    key(C::Replay, ch(':'), ":", A::OpenConsole, "goto a time", true),
    key(C::Replay, ch(']'), "[/]", A::NextMarker, "markers", true),
    key(C::Replay, ch('['), "[", A::PrevMarker, "markers", false),
    key(
        C::Replay,
        ch('.'),
        ",/.",
        A::StepForward,
        "10 s back/on",
        true,
    ),
    key(C::Replay, ch(','), ",", A::StepBack, "10 s back/on", false),
    key(C::Play, ch('?'), "?", A::ToggleHelp, "help", true),
    key(C::Play, ch(':'), ":", A::OpenConsole, "command", true),
    key(C::Play, ch(' '), "space", A::TogglePause, "pause", true),
    // The footer keeps these in this order when not all fit: the hint and the rollout
    // keys before the speed, the log filter last (q, how to leave, always shows).
    key(C::Play, ch('t'), "t", A::Hint, "hint", true),
    key(C::Play, ch('p'), "p", A::Promote, "promote", true),
    key(C::Play, ch('a'), "a", A::Abort, "abort", true),
    key(C::Play, ch('r'), "r", A::Rollback, "rollback", true),
    key(C::Play, ch('+'), "+/-", A::Faster, "speed", true),
    key(C::Play, ch('='), "=", A::Faster, "speed", false),
    key(C::Play, ch('-'), "-", A::Slower, "speed", false),
    key(C::Play, ch('n'), "n", A::NextEvent, "next event", true),
    key(C::Play, ch('/'), "/", A::OpenFilter, "filter log", true),
    key(C::Play, ch('c'), "c", A::NextCharts, "more charts", false),
    key(
        C::Play,
        ch('F'),
        "F",
        A::FinishNow,
        "finish now (once all is settled)",
        false,
    ),
    key(
        C::Play,
        KeyCode::Left,
        "←/h",
        A::Left,
        "select server",
        false,
    ),
    key(C::Play, ch('h'), "h", A::Left, "select server", false),
    key(
        C::Play,
        KeyCode::Right,
        "→/l",
        A::Right,
        "select server",
        false,
    ),
    key(C::Play, ch('l'), "l", A::Right, "select server", false),
    key(C::Play, KeyCode::Up, "↑/k", A::Up, "select server", false),
    key(C::Play, ch('k'), "k", A::Up, "select server", false),
    key(
        C::Play,
        KeyCode::Down,
        "↓/j",
        A::Down,
        "select server",
        false,
    ),
    key(C::Play, ch('j'), "j", A::Down, "select server", false),
    key(
        C::Play,
        ch('T'),
        "T",
        A::CycleTheme,
        "next colour theme",
        false,
    ),
    key(
        C::Play,
        ch('m'),
        "m",
        A::ToggleMarker,
        "braille/dot charts",
        false,
    ),
    key(C::Play, ch('q'), "q", A::AskQuit, "menu", true),
    // A replay refuses these with a line saying why (the recording gives the commands).
    key(
        C::Replay,
        ch('p'),
        "p",
        A::Promote,
        "the recording gives the commands",
        false,
    ),
    key(
        C::Replay,
        ch('a'),
        "a",
        A::Abort,
        "the recording gives the commands",
        false,
    ),
    key(
        C::Replay,
        ch('r'),
        "r",
        A::Rollback,
        "the recording gives the commands",
        false,
    ),
    key(C::Console, KeyCode::Enter, "Enter", A::Confirm, "run", true),
    key(
        C::Console,
        KeyCode::Tab,
        "Tab",
        A::Complete,
        "complete",
        true,
    ),
    key(
        C::Console,
        KeyCode::Up,
        "↑",
        A::HistoryPrev,
        "history",
        true,
    ),
    key(
        C::Console,
        KeyCode::Down,
        "↓",
        A::HistoryNext,
        "history",
        false,
    ),
    key(
        C::Console,
        KeyCode::Backspace,
        "⌫",
        A::Backspace,
        "delete",
        false,
    ),
    key(C::Console, KeyCode::Esc, "Esc", A::Back, "cancel", true),
    key(
        C::Console,
        KeyCode::Left,
        "←/→",
        A::Edit(Edit::Left),
        "move the cursor",
        false,
    ),
    key(
        C::Console,
        KeyCode::Right,
        "→",
        A::Edit(Edit::Right),
        "move the cursor",
        false,
    ),
    key(
        C::Console,
        KeyCode::Home,
        "Home/Ctrl-A",
        A::Edit(Edit::Home),
        "start of the line",
        false,
    ),
    modded(
        C::Console,
        ch('a'),
        KeyModifiers::CONTROL,
        "Ctrl-A",
        A::Edit(Edit::Home),
        "start of the line",
    ),
    key(
        C::Console,
        KeyCode::End,
        "End/Ctrl-E",
        A::Edit(Edit::End),
        "end of the line",
        false,
    ),
    modded(
        C::Console,
        ch('e'),
        KeyModifiers::CONTROL,
        "Ctrl-E",
        A::Edit(Edit::End),
        "end of the line",
    ),
    modded(
        C::Console,
        KeyCode::Left,
        KeyModifiers::CONTROL,
        "Alt-B/Ctrl-←",
        A::Edit(Edit::WordLeft),
        "word back",
    ),
    modded(
        C::Console,
        ch('b'),
        KeyModifiers::ALT,
        "Alt-B",
        A::Edit(Edit::WordLeft),
        "word back",
    ),
    modded(
        C::Console,
        KeyCode::Right,
        KeyModifiers::CONTROL,
        "Alt-F/Ctrl-→",
        A::Edit(Edit::WordRight),
        "word forward",
    ),
    modded(
        C::Console,
        ch('f'),
        KeyModifiers::ALT,
        "Alt-F",
        A::Edit(Edit::WordRight),
        "word forward",
    ),
    key(
        C::Console,
        KeyCode::Delete,
        "Delete",
        A::Edit(Edit::Delete),
        "delete under the cursor",
        false,
    ),
    modded(
        C::Console,
        ch('u'),
        KeyModifiers::CONTROL,
        "Ctrl-U",
        A::Edit(Edit::KillToStart),
        "delete to the start",
    ),
    modded(
        C::Console,
        ch('k'),
        KeyModifiers::CONTROL,
        "Ctrl-K",
        A::Edit(Edit::KillToEnd),
        "delete to the end",
    ),
    modded(
        C::Console,
        ch('w'),
        KeyModifiers::CONTROL,
        "Ctrl-W",
        A::Edit(Edit::KillWord),
        "delete the word before",
    ),
    key(
        C::Filter,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "keep filter",
        true,
    ),
    key(
        C::Filter,
        KeyCode::Backspace,
        "⌫",
        A::Backspace,
        "delete",
        false,
    ),
    key(
        C::Filter,
        KeyCode::Esc,
        "Esc",
        A::Back,
        "clear filter",
        true,
    ),
    key(
        C::Confirm,
        ch('y'),
        "y",
        A::Yes,
        "abandon the mission",
        true,
    ),
    key(C::Confirm, ch('n'), "n", A::No, "keep playing", true),
    key(
        C::Confirm,
        KeyCode::Esc,
        "Esc",
        A::No,
        "keep playing",
        false,
    ),
    key(C::Tip, ch('t'), "t", A::Hint, "next tip", true),
    key(
        C::Tip,
        KeyCode::Esc,
        "Esc",
        A::Back,
        "back to the game",
        true,
    ),
    key(
        C::Tip,
        KeyCode::Enter,
        "Enter",
        A::Back,
        "back to the game",
        false,
    ),
    key(C::Tip, ch('q'), "q", A::Back, "back to the game", false),
    key(C::Help, KeyCode::Esc, "Esc", A::Back, "close help", true),
    key(C::Help, ch('?'), "?", A::Back, "close help", false),
    key(C::Help, KeyCode::Up, "↑", A::Up, "scroll", true),
    key(C::Help, KeyCode::Down, "↓", A::Down, "scroll", false),
    key(
        C::Help,
        KeyCode::Backspace,
        "⌫",
        A::Backspace,
        "delete",
        false,
    ),
    key(
        C::Debrief,
        ch('1'),
        "1-9",
        A::Answer(0),
        "answer the quiz",
        true,
    ),
    key(C::Debrief, ch('2'), "2", A::Answer(1), "answer 2", false),
    key(C::Debrief, ch('3'), "3", A::Answer(2), "answer 3", false),
    key(C::Debrief, ch('4'), "4", A::Answer(3), "answer 4", false),
    key(C::Debrief, ch('5'), "5", A::Answer(4), "answer 5", false),
    key(C::Debrief, KeyCode::Down, "↑/↓", A::Down, "scroll", true),
    key(C::Debrief, KeyCode::Up, "↑", A::Up, "scroll", false),
    key(C::Debrief, ch('j'), "j", A::Down, "scroll", false),
    key(C::Debrief, ch('k'), "k", A::Up, "scroll", false),
    key(C::Debrief, ch('c'), "c", A::ShowConfig, "as config", true),
    key(C::Debrief, ch('r'), "r", A::Replay, "play again", true),
    key(
        C::Debrief,
        ch('g'),
        "g",
        A::ToggleGhost,
        "ghost line",
        false,
    ),
    key(
        C::Debrief,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "missions",
        true,
    ),
    key(C::Debrief, KeyCode::Esc, "Esc", A::Back, "missions", false),
    key(C::Debrief, ch('q'), "q", A::Quit, "quit", true),
    key(C::DrillPlan, KeyCode::Left, "←/→", A::Left, "change", true),
    key(C::DrillPlan, KeyCode::Right, "→", A::Right, "change", false),
    key(C::DrillPlan, ch('h'), "h", A::Left, "change", false),
    key(C::DrillPlan, ch('l'), "l", A::Right, "change", false),
    key(
        C::DrillPlan,
        KeyCode::Tab,
        "Tab",
        A::NextField,
        "field",
        true,
    ),
    key(C::DrillPlan, KeyCode::Up, "↑/↓", A::Up, "step", true),
    key(C::DrillPlan, KeyCode::Down, "↓", A::Down, "step", false),
    key(C::DrillPlan, ch('k'), "k", A::Up, "step", false),
    key(C::DrillPlan, ch('j'), "j", A::Down, "step", false),
    key(C::DrillPlan, ch('a'), "a", A::AddStep, "add", true),
    key(C::DrillPlan, ch('x'), "x", A::RemoveStep, "remove", true),
    key(
        C::DrillPlan,
        KeyCode::Delete,
        "Del",
        A::RemoveStep,
        "remove",
        false,
    ),
    key(C::DrillPlan, ch('['), "[/]", A::MoveStepUp, "move", true),
    key(C::DrillPlan, ch(']'), "]", A::MoveStepDown, "move", false),
    key(C::DrillPlan, ch('c'), "c", A::ToggleCase, "case", false),
    key(C::DrillPlan, ch('?'), "?", A::ToggleHelp, "help", false),
    key(C::DrillPlan, KeyCode::Esc, "Esc", A::Back, "leave", false),
    key(C::DrillPlan, ch('q'), "q", A::Back, "leave", false),
    key(
        C::DrillPlan,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "run plan",
        true,
    ),
    key(C::DrillAdd, KeyCode::Up, "↑/↓", A::Up, "choose", true),
    key(C::DrillAdd, KeyCode::Down, "↓", A::Down, "choose", false),
    key(C::DrillAdd, ch('k'), "k", A::Up, "choose", false),
    key(C::DrillAdd, ch('j'), "j", A::Down, "choose", false),
    key(C::DrillAdd, KeyCode::Esc, "Esc", A::Back, "cancel", true),
    key(
        C::DrillAdd,
        KeyCode::Enter,
        "Enter",
        A::Confirm,
        "add",
        true,
    ),
    key(
        C::DrillDebrief,
        KeyCode::Down,
        "↑/↓",
        A::Down,
        "scroll",
        true,
    ),
    key(C::DrillDebrief, KeyCode::Up, "↑", A::Up, "scroll", false),
    key(C::DrillDebrief, ch('j'), "j", A::Down, "scroll", false),
    key(C::DrillDebrief, ch('k'), "k", A::Up, "scroll", false),
    key(
        C::DrillDebrief,
        ch('c'),
        "c",
        A::ShowConfig,
        "as config",
        true,
    ),
    key(C::DrillDebrief, ch('r'), "r", A::Replay, "same case", true),
    key(
        C::DrillDebrief,
        ch('n'),
        "n",
        A::NextDrill,
        "next case",
        true,
    ),
    key(C::DrillDebrief, ch('?'), "?", A::ToggleHelp, "help", false),
    key(
        C::DrillDebrief,
        KeyCode::Esc,
        "Esc",
        A::Back,
        "leave",
        false,
    ),
    key(C::DrillDebrief, ch('q'), "q", A::Quit, "quit", true),
    key(C::Config, KeyCode::Down, "↑/↓", A::Down, "scroll", true),
    key(C::Config, KeyCode::Up, "↑", A::Up, "scroll", false),
    key(C::Config, ch('j'), "j", A::Down, "scroll", false),
    key(C::Config, ch('k'), "k", A::Up, "scroll", false),
    key(
        C::Config,
        KeyCode::PageDown,
        "PgUp/PgDn",
        A::PageDown,
        "page",
        true,
    ),
    key(C::Config, KeyCode::PageUp, "PgUp", A::PageUp, "page", false),
    key(C::Config, ch('f'), "f", A::NextFormat, "format", true),
    key(
        C::Config,
        KeyCode::Tab,
        "Tab",
        A::OtherSide,
        "other side",
        true,
    ),
    key(C::Config, ch('?'), "?", A::ToggleHelp, "help", false),
    key(C::Config, ch('c'), "c", A::ShowConfig, "back", false),
    key(C::Config, ch('q'), "q", A::Back, "back", false),
    key(C::Config, KeyCode::Esc, "Esc", A::Back, "back", true),
];

mod rebind;

pub use rebind::{Rebinding, apply, default_keys_file, install, read_rebindings, table};

/// Contexts whose unbound printable keys are typed text.
fn is_text(ctx: Ctx) -> bool {
    matches!(ctx, Ctx::Console | Ctx::Filter | Ctx::Help)
}

/// The action of a key press in `ctx` (key releases and repeats of other kinds are ignored).
pub fn action_for(ctx: Ctx, key: KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    // Shift is part of the character (`+`, `?`, `T`), so compare without it.
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let found = table()
        .iter()
        .filter(|b| in_ctx(b, ctx) || b.ctx == Ctx::Global)
        // In a text field only non-character keys are bindings; `?` closes help unless
        // a filter is being typed (handled by the caller).
        // (Ctrl- and Alt- letters are bindings there too: the readline keys.)
        .filter(|b| {
            !is_text(ctx)
                || !matches!(b.code, KeyCode::Char(_))
                || b.ctx == Ctx::Global
                || b.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        })
        .find(|b| b.code == key.code && b.mods == mods);
    if let Some(b) = found {
        return Some(b.action);
    }
    if ctx == Ctx::Waiting {
        return Some(Action::StopWait);
    }
    match key.code {
        KeyCode::Char(c)
            if is_text(ctx) && !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// The footer hints of `ctx`: `key label` pairs.
pub fn footer(ctx: Ctx) -> impl Iterator<Item = &'static Binding> {
    table().iter().filter(move |b| in_ctx(b, ctx) && b.footer)
}

/// Whether `b` is a binding of `ctx` itself (a replay has the play keys that only watch).
fn in_ctx(b: &Binding, ctx: Ctx) -> bool {
    b.ctx == ctx || (ctx == Ctx::Replay && b.ctx == Ctx::Play && watches(b.action))
}

/// Play actions that change nothing in the fleet, so they are allowed while a replay plays.
fn watches(action: Action) -> bool {
    !matches!(
        action,
        Action::OpenConsole | Action::Promote | Action::Abort | Action::Rollback | Action::Hint
    )
}

/// One line per distinct (context, doc) for the help overlay, first label only.
pub fn help_rows() -> Vec<&'static Binding> {
    let mut rows: Vec<&Binding> = Vec::new();
    for b in table() {
        if !rows.iter().any(|r| r.ctx == b.ctx && r.doc == b.doc) {
            rows.push(b);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_by_context() {
        assert_eq!(action_for(Ctx::Play, press(ch(' '))), Some(A::TogglePause));
        assert_eq!(action_for(Ctx::Play, press(ch('q'))), Some(A::AskQuit));
        assert_eq!(action_for(Ctx::Map, press(ch('q'))), Some(A::Quit));
        assert_eq!(
            action_for(Ctx::Console, press(ch('q'))),
            Some(A::Input('q'))
        );
        assert_eq!(
            action_for(Ctx::Console, press(KeyCode::Tab)),
            Some(A::Complete)
        );
        assert_eq!(action_for(Ctx::Confirm, press(ch('y'))), Some(A::Yes));
        assert_eq!(action_for(Ctx::Play, press(ch('x'))), None);
        let plus = KeyEvent::new(ch('+'), KeyModifiers::SHIFT);
        assert_eq!(action_for(Ctx::Play, plus), Some(A::Faster));
        let ctrl_c = KeyEvent::new(ch('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(Ctx::Console, ctrl_c), Some(A::Quit));
        // The console's readline keys; the letters themselves stay text.
        let with = |c, m| KeyEvent::new(c, m);
        assert_eq!(
            action_for(Ctx::Console, with(ch('a'), KeyModifiers::CONTROL)),
            Some(A::Edit(Edit::Home))
        );
        assert_eq!(
            action_for(Ctx::Console, with(ch('b'), KeyModifiers::ALT)),
            Some(A::Edit(Edit::WordLeft))
        );
        assert_eq!(
            action_for(Ctx::Console, with(KeyCode::Right, KeyModifiers::CONTROL)),
            Some(A::Edit(Edit::WordRight))
        );
        assert_eq!(
            action_for(Ctx::Console, press(KeyCode::Delete)),
            Some(A::Edit(Edit::Delete))
        );
        assert_eq!(
            action_for(Ctx::Console, press(ch('a'))),
            Some(A::Input('a'))
        );
        assert_eq!(
            action_for(Ctx::Console, press(ch('w'))),
            Some(A::Input('w'))
        );
        assert_eq!(action_for(Ctx::Debrief, press(ch('3'))), Some(A::Answer(2)));
        assert_eq!(action_for(Ctx::Play, press(ch('a'))), Some(A::Abort));
        // A replay watches: the clock keys work, the keys that act on the fleet don't.
        assert_eq!(
            action_for(Ctx::Replay, press(ch(' '))),
            Some(A::TogglePause)
        );
        assert_eq!(action_for(Ctx::Replay, press(ch('n'))), Some(A::NextEvent));
        // (p, a and r reach the game, which refuses them with a reason; no hints.)
        assert_eq!(action_for(Ctx::Replay, press(ch('t'))), None);
        // A replay moves its clock like a video: markers, 10 s steps, a goto prompt; first
        // in its footer. None of these keys means anything in play.
        for (c, action) in [
            (']', A::NextMarker),
            ('[', A::PrevMarker),
            ('.', A::StepForward),
            (',', A::StepBack),
            (':', A::OpenConsole),
        ] {
            assert_eq!(action_for(Ctx::Replay, press(ch(c))), Some(action), "{c}");
            if c != ':' {
                assert_eq!(action_for(Ctx::Play, press(ch(c))), None, "{c}");
            }
        }
        let labels: Vec<_> = footer(Ctx::Replay).map(|b| b.label).collect();
        assert_eq!(labels[..3], [":", "[/]", ",/."], "{labels:?}");
        assert_eq!(labels.last(), Some(&"q"));
        assert_eq!(
            action_for(Ctx::Console, press(ch('a'))),
            Some(A::Input('a'))
        );
    }

    #[test]
    fn footer_comes_from_the_table() {
        let labels: Vec<_> = footer(Ctx::Play).map(|b| b.label).collect();
        assert!(labels.contains(&":") && labels.contains(&"space"));
    }
}
