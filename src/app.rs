//! The event loop: one `tokio::select!` over terminal events, the game clock and the render
//! clock. The only code that reads the wall clock or touches the terminal; everything it
//! learns becomes an `Action` for `App::update`, and it draws only when something changed.
//! Ctrl-C, SIGTERM, SIGHUP, SIGINT and SIGQUIT (on Windows: Ctrl-C, Ctrl-Break, a closed
//! console, logoff, shutdown) all end the loop the same way, so the terminal is restored
//! (and the process exits 128 + the signal). On Unix, Ctrl-Z and SIGTSTP give the terminal
//! back, stop the process, and on `fg` (SIGCONT) take it again and redraw, as vim and htop
//! do. What differs by platform is in `platform.rs`.

use std::io::stdout;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, EventStream, KeyCode, KeyEventKind,
    KeyModifiers,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, enable_raw_mode};
use tokio::time::{Interval, MissedTickBehavior, interval};

use crate::platform::{self, Request};
use crate::time::TICK_MS;
use crate::ui::{Action, App};

/// One game tick of wall time at 1× (divided by the speed).
const GAME_TICK: Duration = Duration::from_millis(TICK_MS);
/// Frames are drawn at most this often (and only when something changed).
const FRAME: Duration = Duration::from_millis(33);

/// The signal that ended the last game (0: none).
static ENDED_BY: AtomicU8 = AtomicU8::new(0);
/// Whether the game took the mouse (`config.ron`), to take it again after a suspend.
static MOUSE: AtomicBool = AtomicBool::new(true);

/// The signal that ended the game, if one did (the process should exit 128 + it).
pub fn ended_by_signal() -> Option<u8> {
    match ENDED_BY.load(Ordering::Relaxed) {
        0 => None,
        n => Some(n),
    }
}

/// Gives the terminal back, stops the process until `fg` continues it, then takes the
/// terminal again (raw mode, alternate screen, mouse) and redraws everything.
fn suspend(terminal: &mut DefaultTerminal) -> std::io::Result<()> {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    // The shell gets its cursor back (ratatui shows it only when the terminal is dropped).
    let _ = execute!(stdout(), Show);
    platform::stop_process()?;
    // Continued.
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, Clear(ClearType::All))?;
    if MOUSE.load(Ordering::Relaxed) {
        execute!(stdout(), EnableMouseCapture)?;
    }
    // The screen is blank but ratatui remembers the last frame: a blank frame makes the next
    // one paint every cell. (`Terminal::clear` would ask the terminal for the cursor, and the
    // event stream would take the answer.)
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
    Ok(())
}

/// Ctrl-Z as a key (raw mode turns the terminal's own suspend off).
fn is_suspend_key(event: &Event) -> bool {
    matches!(event, Event::Key(k)
        if k.kind == KeyEventKind::Press
            && k.code == KeyCode::Char('z')
            && k.modifiers.contains(KeyModifiers::CONTROL))
}

/// Takes over the terminal, runs `app` until it quits, and gives the terminal back (also on
/// error; `ratatui::try_init` installs a panic hook that restores it on a panic). Returns the
/// app as the player left it.
///
/// # Errors
/// No terminal to take over (output redirected, no tty), or the terminal failed.
pub fn run(app: App) -> std::io::Result<App> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .enable_io()
        .build()?;
    let mut terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        std::io::Error::new(
            e.kind(),
            format!("the game needs a terminal ({e}); headless: zerodown run, drill --plan, replay --check"),
        )
    })?;
    // Mouse capture is not part of ratatui's restore: undo it on a panic too.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        hook(info);
    }));
    MOUSE.store(app.settings.mouse, Ordering::Relaxed);
    if app.settings.mouse {
        let _ = execute!(stdout(), EnableMouseCapture);
    }
    let result = runtime.block_on(event_loop(&mut terminal, app));
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// Seconds since 1970 now: the room's clock, for class play's heartbeats and the watch
/// view (never the game's, which is logical).
#[allow(clippy::disallowed_methods)]
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The game clock at `speed`, and how many game ticks each beat runs: above 10× a beat
/// every 10 ms runs several ticks, since timers are not much finer than a millisecond.
fn game_clock(speed: u32) -> (Interval, u32) {
    let (period, ticks) = beat(speed);
    let mut clock = interval(period);
    clock.set_missed_tick_behavior(MissedTickBehavior::Skip);
    (clock, ticks)
}

fn beat(speed: u32) -> (Duration, u32) {
    const FASTEST_BEAT: u32 = 10;
    let speed = speed.max(1);
    if speed <= FASTEST_BEAT {
        (GAME_TICK / speed, 1)
    } else {
        (GAME_TICK / FASTEST_BEAT, speed.div_ceil(FASTEST_BEAT))
    }
}

async fn event_loop(terminal: &mut DefaultTerminal, mut app: App) -> std::io::Result<App> {
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    terminal.draw(|f| f.render_widget(&app, f.area()))?;
    // The OS's requests: ending ones quit like Ctrl-C (the loop ends and `run` gives the
    // terminal back), a suspend gives it back until the game continues.
    let mut requests = platform::Requests::new()?;
    ENDED_BY.store(0, Ordering::Relaxed);
    let mut events = EventStream::new();
    let mut speed = app.speed();
    let (mut clock, mut ticks) = game_clock(speed);
    let mut frames = interval(FRAME);
    frames.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut dirty = false;
    // Class play's heartbeat for `workshop watch` (a no-op without --reports).
    let mut pulse = interval(crate::workshop::live::EVERY);
    while !app.should_quit {
        tokio::select! {
            _ = pulse.tick(), if app.live.is_some() => app.beat(now_unix()),
            event = events.next() => match event {
                Some(Ok(event)) if platform::JOB_CONTROL && is_suspend_key(&event) => {
                    suspend(terminal)?;
                    dirty = true;
                }
                Some(Ok(event)) => {
                    if let Some(action) = app.action_for_event(&event) {
                        dirty |= app.update(action);
                    }
                }
                Some(Err(e)) => return Err(e),
                None => break,
            },
            request = requests.next() => match request {
                Request::End(n) => {
                    ENDED_BY.store(n, Ordering::Relaxed);
                    app.update(Action::Quit);
                }
                Request::Suspend => {
                    suspend(terminal)?;
                    dirty = true;
                }
            },
            _ = clock.tick(), if app.clock_running() => {
                for _ in 0..ticks {
                    dirty |= app.update(Action::Tick);
                    // A wait that ended, a finished mission: the rest of the beat waits.
                    if !app.clock_running() || app.speed() != speed {
                        break;
                    }
                }
            }
            _ = frames.tick(), if dirty => {
                terminal.draw(|f| f.render_widget(&app, f.area()))?;
                dirty = false;
            }
        }
        if app.speed() != speed {
            speed = app.speed();
            (clock, ticks) = game_clock(speed);
        }
    }
    // The last word: quit (a mission left mid-play is abandoned).
    app.beat(now_unix());
    Ok(app)
}
