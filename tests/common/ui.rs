//! Driving the terminal UI in tests as a player would: keys, console lines, the clock, and
//! reading the screen back as text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use zerodown::command::Wait;
use zerodown::ui::console::Feedback;
use zerodown::ui::{Action, App, Game, Screen, Settings};

/// Presses `code` (no modifiers) wherever the app is.
pub fn key(app: &mut App, code: KeyCode) {
    let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(a) = app.action_for_event(&event) {
        app.update(a);
    }
}

/// Types `line` into the play screen's console (`:` … Enter). A `wait` runs on screen:
/// the clock ticks until it ends, and when it stops early (a warning, an objective changing) the
/// player types it again for what is left, as a script means it.
pub fn command(app: &mut App, line: &str) {
    type_line(app, line);
    let Ok(zerodown::command::Command::Wait(w)) = zerodown::command::parse_command(line) else {
        return;
    };
    let Some(start) = game(app).map(|g| g.sim.tick()) else {
        return;
    };
    for _ in 0..100 {
        while game(app).is_some_and(|g| g.waiting.is_some()) {
            app.update(Action::Tick);
        }
        let Some(now) = game(app)
            .filter(|g| matches!(&g.console.feedback, Feedback::Done(t) if t.starts_with("stopped waiting")))
            .map(|g| g.sim.tick())
        else {
            return;
        };
        let again = match &w {
            Wait::For(d) => match d.ticks().checked_sub(now - start) {
                Some(left) if left > 0 => format!("wait {}ms", left * 100),
                _ => return,
            },
            Wait::Until { .. } => line.to_string(),
        };
        type_line(app, &again);
    }
}

/// Types every line of `script` (blank lines and `#` comments skipped) into the console.
pub fn type_script(app: &mut App, script: &str) {
    for line in script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        command(app, line);
    }
}

/// The game being played: a mission, or a drill's live run.
fn game(app: &App) -> Option<&Game> {
    match &app.screen {
        Screen::Play(g) => Some(g),
        Screen::Drill(d) => d.game(),
        _ => None,
    }
}

fn type_line(app: &mut App, line: &str) {
    key(app, KeyCode::Char(':'));
    for c in line.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter);
}

/// Runs the clock until the play screen gives way (the debrief), at most `max_ticks`.
pub fn run_to_end(app: &mut App, max_ticks: u32) {
    let mut ticks = 0;
    while matches!(app.screen, Screen::Play(_)) {
        app.update(Action::Tick);
        ticks += 1;
        assert!(ticks < max_ticks, "the mission never ended");
    }
}

/// The app drawn on a `w`×`h` test terminal.
pub fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t
}

/// The app drawn on a `w`×`h` terminal, as lines of text.
pub fn screen_text(app: &App, w: u16, h: u16) -> String {
    let t = draw(app, w, h);
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Plays `id` with its reference solution typed in the console, with `settings`; calls
/// `look` after each line (a console wait runs on screen to its end). Returns the app after
/// the last line.
pub fn play_through(id: &str, settings: Settings, mut look: impl FnMut(&App, &str)) -> App {
    let (id, mission) = zerodown::mission::resolve(id).expect("built-in mission");
    let script = zerodown::mission::solution_script(&id).expect("a solution");
    let mut app = App::briefing(settings, &id, mission);
    app.update(Action::Resize(120, 40));
    key(&mut app, KeyCode::Enter);
    for line in script.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !matches!(app.screen, Screen::Play(_)) {
            break;
        }
        command(&mut app, line);
        look(&app, line);
    }
    app
}

/// A right border: a vertical line or corner with nothing of the same panel to its right.
fn is_right_border(row: &[String], x: usize) -> bool {
    let here = row[x].as_str();
    let next = row.get(x + 1).map(String::as_str);
    matches!(here, "│" | "┐" | "┘" | "┤") && matches!(next, None | Some("│" | "┌" | "└" | "├"))
}

/// Places where a word runs into a right border or off the screen, with the row's text.
pub fn cuts(app: &App, w: u16, h: u16) -> Vec<String> {
    let t = draw(app, w, h);
    let buf = t.backend().buffer();
    let mut out = Vec::new();
    for y in 0..h {
        let row: Vec<String> = (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect();
        let text: String = row.concat();
        // Letters only: numbers right-aligned against a border (axis times) are whole.
        let wordy = |s: &str| s.chars().next().is_some_and(char::is_alphabetic);
        let last = (w - 1) as usize;
        let mut bad = wordy(&row[last]);
        for x in 1..row.len() {
            if is_right_border(&row, x) && wordy(&row[x - 1]) {
                bad = true;
            }
        }
        if bad {
            out.push(format!("{w}x{h} row {y}: {text}"));
        }
    }
    out
}
