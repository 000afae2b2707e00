//! Everything that differs between Unix and Windows, in one place behind `cfg`: what the
//! operating system asks of a running game (Unix signals; Windows console control events),
//! stopping the process for job control, and the file details of a save (which file a lock
//! is taken on, which special files are written through). No other module names a platform.

use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};

/// What the operating system asks of the game.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// End the game; the process then exits 128 + this number (the Unix signal's, or the
    /// nearest one for a Windows event: 2 for Ctrl-C, 1 for a closed console).
    End(u8),
    /// Give the terminal back and stop until continued (Unix job control only).
    Suspend,
}

pub use imp::{JOB_CONTROL, Requests, stop_process};

#[cfg(unix)]
mod imp {
    use nix::sys::signal::Signal as Sig;
    use tokio::signal::unix::{Signal, SignalKind, signal};

    use super::Request;

    /// Ctrl-Z stops the game and `fg` brings it back.
    pub const JOB_CONTROL: bool = true;

    /// The signals the game listens to: SIGTERM (kill, a closing session manager), SIGHUP
    /// (the terminal went away), SIGINT and SIGQUIT end it like Ctrl-C; SIGTSTP suspends.
    pub struct Requests {
        term: Signal,
        hangup: Signal,
        interrupt: Signal,
        quit: Signal,
        stop: Signal,
    }

    fn listen(s: Sig) -> std::io::Result<Signal> {
        signal(SignalKind::from_raw(s as i32))
    }

    impl Requests {
        /// Listens from now on (inside the runtime).
        pub fn new() -> std::io::Result<Self> {
            Ok(Self {
                term: listen(Sig::SIGTERM)?,
                hangup: listen(Sig::SIGHUP)?,
                interrupt: listen(Sig::SIGINT)?,
                quit: listen(Sig::SIGQUIT)?,
                stop: listen(Sig::SIGTSTP)?,
            })
        }

        /// The next request (cancel-safe: `select!` may drop it and ask again).
        pub async fn next(&mut self) -> Request {
            tokio::select! {
                _ = self.term.recv() => Request::End(Sig::SIGTERM as u8),
                _ = self.hangup.recv() => Request::End(Sig::SIGHUP as u8),
                _ = self.interrupt.recv() => Request::End(Sig::SIGINT as u8),
                _ = self.quit.recv() => Request::End(Sig::SIGQUIT as u8),
                _ = self.stop.recv() => Request::Suspend,
            }
        }
    }

    /// Stops the process until SIGCONT (`fg`), as the shell's Ctrl-Z would.
    pub fn stop_process() -> std::io::Result<()> {
        nix::sys::signal::raise(Sig::SIGSTOP).map_err(std::io::Error::from)
    }
}

#[cfg(windows)]
mod imp {
    use tokio::signal::windows::{
        CtrlBreak, CtrlC, CtrlClose, CtrlLogoff, CtrlShutdown, ctrl_break, ctrl_c, ctrl_close,
        ctrl_logoff, ctrl_shutdown,
    };

    use super::Request;

    /// Windows has no job control: Ctrl-Z is an ordinary key.
    pub const JOB_CONTROL: bool = false;

    /// The console control events: Ctrl-C (when raw mode lets it through as an event, not
    /// a key) and Ctrl-Break end the game, and so do a closed console window, a logoff and
    /// a shutdown, which give the process a few seconds: enough to restore the terminal.
    pub struct Requests {
        c: CtrlC,
        brk: CtrlBreak,
        close: CtrlClose,
        logoff: CtrlLogoff,
        shutdown: CtrlShutdown,
    }

    impl Requests {
        /// Listens from now on (inside the runtime).
        pub fn new() -> std::io::Result<Self> {
            Ok(Self {
                c: ctrl_c()?,
                brk: ctrl_break()?,
                close: ctrl_close()?,
                logoff: ctrl_logoff()?,
                shutdown: ctrl_shutdown()?,
            })
        }

        /// The next request (cancel-safe: `select!` may drop it and ask again). The exit
        /// codes follow the Unix signals the events stand for: SIGINT, SIGQUIT, SIGHUP,
        /// SIGTERM.
        pub async fn next(&mut self) -> Request {
            tokio::select! {
                _ = self.c.recv() => Request::End(2),
                _ = self.brk.recv() => Request::End(3),
                _ = self.close.recv() => Request::End(1),
                _ = self.logoff.recv() => Request::End(15),
                _ = self.shutdown.recv() => Request::End(15),
            }
        }
    }

    /// Never asked for ([`JOB_CONTROL`] is false): nothing to stop.
    pub fn stop_process() -> std::io::Result<()> {
        Ok(())
    }
}

/// The file a save's advisory lock is taken on: the save's folder itself where a folder can
/// be opened and locked (Unix, leaving no file behind), else `name` in it.
pub fn lock_path(dir: &Path, name: &str) -> PathBuf {
    if cfg!(unix) {
        dir.to_path_buf()
    } else {
        dir.join(name)
    }
}

/// Opens `path` (from [`lock_path`]) to be locked: the folder as it is on Unix, the lock
/// file (created if missing, never emptied) elsewhere.
pub fn open_lock(path: &Path) -> io::Result<File> {
    if cfg!(unix) {
        File::open(path)
    } else {
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
    }
}

/// Whether `meta` is a special file that is written through, never replaced (a pipe or a
/// character device such as `/dev/null`; Unix only).
pub fn is_stream_device(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = meta.file_type();
        kind.is_fifo() || kind.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}
