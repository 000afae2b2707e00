//! A replay as a terminal recording: an asciicast v2 file (asciinema's format) that a page
//! can embed with asciinema-player.
//!
//! The replay `App` is stepped tick by tick, headless, and drawn every `FRAME_TICKS` with
//! ratatui's own `Terminal` over a crossterm backend that writes into memory: the same
//! render path and the same escape sequences as the game in a real terminal, only the diff
//! of each frame. Game time becomes playback time divided by the speed, and a quiet stretch
//! longer than the idle limit is cut to it. Times are whole microseconds printed with six
//! decimals and the header has no timestamp, so one report gives the same file every time.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::rc::Rc;

use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde::Serialize;

use crate::time::TICK_MS;
use crate::ui::{Action, App, Screen};

/// A frame every half game second: the alert's blink (five ticks on, five off) shows.
pub const FRAME_TICKS: u64 = 5;
/// What the first event does: clear the screen, cursor home, hide the cursor.
const START: &str = "\x1b[2J\x1b[H\x1b[?25l";

/// How to record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub width: u16,
    pub height: u16,
    /// Game seconds per playback second.
    pub speed: u32,
    /// The longest pause between two events, in microseconds.
    pub idle_limit_us: u64,
}

/// A recording, and what it holds.
#[derive(Debug, Clone)]
pub struct Cast {
    /// The asciicast v2 text: a header line, then one event a line.
    pub text: String,
    /// Output events written (frames that changed something).
    pub frames: usize,
    /// Playback length, microseconds.
    pub duration_us: u64,
    /// The last frame drawn: what the game shows last.
    pub last: Buffer,
}

#[derive(Serialize)]
struct Header<'a> {
    version: u8,
    width: u16,
    height: u16,
    title: &'a str,
    env: Env,
}

#[derive(Serialize)]
struct Env {
    #[serde(rename = "TERM")]
    term: &'static str,
}

/// A writer the terminal and the recorder share: the terminal writes a frame's escapes,
/// the recorder takes them.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The event stream being written: playback time and the lines so far.
struct Events {
    options: Options,
    text: String,
    frames: usize,
    /// Game time and playback time of the last event.
    last_game_us: u64,
    last_play_us: u64,
}

impl Events {
    fn new(options: Options, title: &str) -> Self {
        let header = Header {
            version: 2,
            width: options.width,
            height: options.height,
            title,
            env: Env {
                term: "xterm-256color",
            },
        };
        let mut text = serde_json::to_string(&header).expect("invariant: a header serialises");
        text.push('\n');
        Self {
            options,
            text,
            frames: 0,
            last_game_us: 0,
            last_play_us: 0,
        }
    }

    /// Adds `data` as an output event at game time `tick`.
    fn push(&mut self, tick: u64, data: &str) {
        let game_us = tick * TICK_MS * 1000;
        self.last_play_us = play_time(self.last_play_us, game_us - self.last_game_us, self.options);
        self.last_game_us = game_us;
        let data = serde_json::to_string(data).expect("invariant: a string serialises");
        let t = seconds(self.last_play_us);
        let _ = writeln!(self.text, "[{t}, \"o\", {data}]");
        self.frames += 1;
    }
}

/// The playback time of an event `game_gap_us` of game time after one at `last_us`.
fn play_time(last_us: u64, game_gap_us: u64, options: Options) -> u64 {
    last_us + (game_gap_us / u64::from(options.speed.max(1))).min(options.idle_limit_us)
}

/// Microseconds as seconds with six decimals (`12.345000`).
pub fn seconds(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// Records `app` (a replay, sized and set up as the game would start it) from its first
/// frame to the last the game shows: the debrief, when the recording plays to the end.
///
/// # Errors
/// Writing the escapes failed (into memory: not expected).
pub fn record(mut app: App, title: &str, options: Options) -> io::Result<Cast> {
    let area = Rect::new(0, 0, options.width, options.height);
    app.update(Action::Resize(options.width, options.height));
    let sink = Sink::default();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(sink.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )?;
    let mut events = Events::new(options, title);
    let mut last = draw(&mut terminal, &app)?;
    let mut first = START.to_string();
    first.push_str(&String::from_utf8_lossy(&sink.take()));
    events.push(0, &first);
    let mut tick = 0;
    loop {
        app.update(Action::Tick);
        tick += 1;
        let ended = !matches!(app.screen, Screen::Play(_)) || !app.clock_running();
        if ended || tick % FRAME_TICKS == 0 {
            let frame = draw(&mut terminal, &app)?;
            let data = sink.take();
            if frame != last {
                events.push(tick, &String::from_utf8_lossy(&data));
                last = frame;
            }
        }
        if ended {
            break;
        }
    }
    Ok(Cast {
        text: events.text,
        frames: events.frames,
        duration_us: events.last_play_us,
        last,
    })
}

/// Draws `app` and returns the frame drawn.
fn draw(terminal: &mut Terminal<CrosstermBackend<Sink>>, app: &App) -> io::Result<Buffer> {
    let frame = terminal.draw(|f| f.render_widget(app, f.area()))?;
    Ok(frame.buffer.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_stretches_are_cut_to_the_idle_limit() {
        let o = Options {
            width: 80,
            height: 24,
            speed: 10,
            idle_limit_us: 2_000_000,
        };
        assert_eq!(play_time(0, 5_000_000, o), 500_000);
        assert_eq!(play_time(1_000_000, 60_000_000, o), 3_000_000);
        assert_eq!(seconds(3_000_042), "3.000042");
        assert_eq!(seconds(0), "0.000000");
    }
}
