//! Signals in a real pseudo-terminal: Ctrl-Z's SIGTSTP gives the terminal back and stops the
//! game, SIGCONT takes it again and redraws, and SIGTERM, SIGINT or SIGQUIT sent with `kill`
//! end it with the terminal restored (alternate screen left, cursor shown, mouse capture
//! off) and the exit code shells expect, 128 + the signal.
#![cfg(unix)]

mod common;

use std::io::Read;
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::pty::{Winsize, openpty};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

const ENTER_ALT: &str = "\x1b[?1049h";
const LEAVE_ALT: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";
const MOUSE_OFF: &str = "\x1b[?1000l";

/// The game on the title screen in an 80×24 pty: its pid and everything it writes.
struct Game {
    pid: Pid,
    out: Arc<Mutex<String>>,
    _dir: common::TempDir,
}

impl Game {
    fn start() -> Game {
        let size = Winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).expect("a pty");
        let dir = common::TempDir::new("signals");
        let slave = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("a slave fd"));
        // Reaped with `waitpid` (to see it stop as well as exit), not `Child::wait`.
        #[allow(clippy::zombie_processes)]
        let child = Command::new(env!("CARGO_BIN_EXE_zerodown"))
            .env("TERM", "xterm-256color")
            .env("HOME", dir.path(""))
            .env("XDG_DATA_HOME", dir.path(""))
            .env("XDG_CONFIG_HOME", dir.path(""))
            .stdin(slave(&pty.slave))
            .stdout(slave(&pty.slave))
            .stderr(slave(&pty.slave))
            .spawn()
            .expect("the game starts");
        drop(pty.slave);
        let out = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&out);
        let mut master = std::fs::File::from(pty.master);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // Reading fails (EIO) once the game has exited and the slave is closed.
            while let Ok(n) = master.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                sink.lock().expect("the output").push_str(&text);
            }
        });
        let pid = Pid::from_raw(i32::try_from(child.id()).expect("a pid"));
        let game = Game {
            pid,
            out,
            _dir: dir,
        };
        game.wait_for(ENTER_ALT, 1);
        // The title screen is drawn.
        game.wait_for("choose a mission", 1);
        game
    }

    fn output(&self) -> String {
        self.out.lock().expect("the output").clone()
    }

    /// Waits until `needle` has been written `times` times.
    fn wait_for(&self, needle: &str, times: usize) {
        self.wait_until(|out| out.matches(needle).count() >= times, needle);
    }

    /// Polls the output every 20 ms, for up to 20 s (the tests read no clock).
    fn wait_until(&self, done: impl Fn(&str) -> bool, what: &str) {
        for _ in 0..1000 {
            if done(&self.output()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("waited for {what:?}; the game wrote {:?}", self.output());
    }

    fn send(&self, signal: Signal) {
        kill(self.pid, signal).expect("the signal is sent");
    }

    fn wait(&self, flags: Option<WaitPidFlag>) -> WaitStatus {
        waitpid(self.pid, flags).expect("the game's status")
    }

    /// Sends `signal` and checks the game exits 128 + it with the terminal restored.
    fn ends_restored_by(self, signal: Signal) {
        self.send(signal);
        let status = self.wait(None);
        assert_eq!(
            status,
            WaitStatus::Exited(self.pid, 128 + signal as i32),
            "{signal}"
        );
        // Give the reader a moment to drain the last bytes.
        std::thread::sleep(Duration::from_millis(100));
        let out = self.output();
        let last = out.rfind(ENTER_ALT).expect("the game took the screen");
        let after = &out[last..];
        for (what, seq) in [
            ("left the alternate screen", LEAVE_ALT),
            ("showed the cursor", SHOW_CURSOR),
            ("turned mouse capture off", MOUSE_OFF),
        ] {
            assert!(after.contains(seq), "{signal}: never {what}: {after:?}");
        }
    }
}

#[test]
fn sigterm_sigint_and_sigquit_restore_the_terminal_and_exit_128_plus_the_signal() {
    for signal in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGQUIT] {
        Game::start().ends_restored_by(signal);
    }
}

#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_takes_it_again() {
    let game = Game::start();
    game.send(Signal::SIGTSTP);
    assert_eq!(
        game.wait(Some(WaitPidFlag::WUNTRACED)),
        WaitStatus::Stopped(game.pid, Signal::SIGSTOP),
        "stopped"
    );
    // The bytes written before the stop may still be on their way through the pty.
    game.wait_for(LEAVE_ALT, 1);
    game.wait_for(SHOW_CURSOR, 1);
    let stopped = game.output();
    let before = stopped.rfind(ENTER_ALT).expect("the game took the screen");
    assert!(
        stopped[before..].contains(LEAVE_ALT) && stopped[before..].contains(SHOW_CURSOR),
        "the terminal was not given back before the stop: {:?}",
        &stopped[before..]
    );
    game.send(Signal::SIGCONT);
    // Back in the alternate screen, and the title is drawn again.
    game.wait_for(ENTER_ALT, 2);
    let again = game.output().rfind(ENTER_ALT).expect("re-entered");
    game.wait_until(
        |out| out[again..].contains("choose a mission"),
        "the title redrawn after SIGCONT",
    );
    game.ends_restored_by(Signal::SIGTERM);
}
