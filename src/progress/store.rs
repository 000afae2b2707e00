//! The file edge of progress: where `progress.json` lives, writing it atomically, and
//! setting a bad or replaced file aside instead of losing it. The only file I/O of
//! progress; it never reads the clock (names of set-aside files count up, `-1`, `-2`, …).
//!
//! The rules: a save is written to a temporary file in the same directory, synced, then
//! renamed over `progress.json`, so a crash leaves the old file or the new one, never half
//! of one. A file that cannot be read as progress is never written over and never deleted:
//! loading moves it to `progress.json.corrupt-<n>` (a fresh `n`) and says so.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{MAX_FILE_BYTES, Progress};
use crate::platform;

/// Environment variable naming the directory of the save (tests, classrooms, portable use).
pub const HOME_ENV: &str = "ZERODOWN_HOME";
/// The save's file name in its directory.
const FILE_NAME: &str = "progress.json";
/// The file two games lock while saving where a directory cannot be locked (it stays,
/// empty; only the lock on it matters).
const LOCK_NAME: &str = "progress.json.lock";
/// Set-aside copies are numbered up to this; past it something is wrong with the directory.
const MAX_ASIDE: u32 = 10_000;

/// What went wrong with the save's files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no data directory for this user: set {HOME_ENV} to a directory for the save")]
    NoDataDir,
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: {}", path.display(), problems.join("; "))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error("{}: {why}; not writing over it (move it away first)", path.display())]
    Unsafe { path: PathBuf, why: String },
}

/// Progress as loaded, with what the player must be told about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub progress: Progress,
    /// Set when the save could not be used: it names the file and where it went.
    pub warning: Option<String>,
}

/// The directory holding `progress.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    dir: PathBuf,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Store {
    /// The save in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// `$ZERODOWN_HOME` if set, else the platform's data directory for zerodown
    /// (e.g. `~/.local/share/zerodown` on Linux).
    pub fn locate() -> Result<Self, StoreError> {
        if let Some(home) = std::env::var_os(HOME_ENV).filter(|h| !h.is_empty()) {
            return Ok(Self::at(home));
        }
        directories::ProjectDirs::from("", "", "zerodown")
            .map(|d| Self::at(d.data_dir()))
            .ok_or(StoreError::NoDataDir)
    }

    /// The path of the save file (it may not exist yet).
    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// Loads the save: missing → empty; unusable → set aside, empty, and a warning naming
    /// both paths. Never fails and never loses the file.
    pub fn load(&self) -> Loaded {
        let path = self.path();
        match read(&path) {
            Ok(progress) => Loaded {
                progress: progress.unwrap_or_default(),
                warning: None,
            },
            Err(why) => {
                let warning = match move_aside(&path, "corrupt") {
                    Ok(aside) => format!(
                        "{}: {why}. Kept it as {} and started with empty progress.",
                        path.display(),
                        aside.display()
                    ),
                    Err(e) => format!(
                        "{}: {why}. It could not be moved aside ({e}): progress will not \
                         be saved until it is moved.",
                        path.display()
                    ),
                };
                Loaded {
                    progress: Progress::default(),
                    warning: Some(warning),
                }
            }
        }
    }

    /// Saves `progress` merged into the file as it is now, atomically, and returns what was
    /// written. Refuses to write over a file that is not progress.
    ///
    /// Two games open on one save each hold what they loaded at start: writing that back
    /// would drop the other game's results. So the file is re-read and merged (best of
    /// both, see `Progress::merge`) under an advisory lock (std's `File::lock`: flock on
    /// Unix, LockFileEx on Windows; no crate needed), so the read-merge-writes of two
    /// games happen one after the other.
    pub fn save(&self, progress: &Progress) -> Result<Progress, StoreError> {
        let path = self.path();
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        let lock = self.lock()?;
        let mut merged = match read(&path) {
            Ok(on_disk) => on_disk.unwrap_or_default(),
            Err(why) => return Err(StoreError::Unsafe { path, why }),
        };
        merged.merge(progress);
        write_atomic(&path, &merged.to_json()).map_err(io_err(&path))?;
        // The lock is released when `lock` is dropped (or the process ends).
        drop(lock);
        Ok(merged)
    }

    /// Takes the advisory lock games hold while saving: on the save's directory where a
    /// directory can be locked (Unix, leaving no file behind), else on `progress.json.lock`.
    fn lock(&self) -> Result<File, StoreError> {
        let path = platform::lock_path(&self.dir, LOCK_NAME);
        let file = platform::open_lock(&path).map_err(io_err(&path))?;
        file.lock().map_err(io_err(&path))?;
        Ok(file)
    }

    /// Moves the save aside as `progress.json.reset-<n>`; returns where (`None`: no save).
    pub fn reset(&self) -> Result<Option<PathBuf>, StoreError> {
        let path = self.path();
        if !exists(&path) {
            return Ok(None);
        }
        move_aside(&path, "reset").map(Some).map_err(io_err(&path))
    }

    /// Writes the save's progress to `to` (atomically); returns the load warning, if any.
    pub fn export(&self, to: &Path) -> Result<Loaded, StoreError> {
        let loaded = self.load();
        write_atomic(to, &loaded.progress.to_json()).map_err(io_err(to))?;
        Ok(loaded)
    }

    /// Replaces the save with the file `from` once it is fully valid; a copy of the old save
    /// is kept as `progress.json.before-import-<n>` (returned). A bad file changes nothing.
    pub fn import(&self, from: &Path) -> Result<(Progress, Option<PathBuf>), StoreError> {
        let progress = match read(from) {
            Ok(Some(p)) => p,
            Ok(None) => {
                return Err(StoreError::Io {
                    path: from.to_path_buf(),
                    source: io::ErrorKind::NotFound.into(),
                });
            }
            Err(why) => {
                return Err(StoreError::Invalid {
                    path: from.to_path_buf(),
                    problems: vec![why],
                });
            }
        };
        let path = self.path();
        let kept = if exists(&path) {
            Some(copy_aside(&path, "before-import").map_err(io_err(&path))?)
        } else {
            None
        };
        fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        write_atomic(&path, &progress.to_json()).map_err(io_err(&path))?;
        Ok((progress, kept))
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// Reads a progress file: `Ok(None)` when there is none, `Err(why)` when it is unusable.
fn read(path: &Path) -> Result<Option<Progress>, String> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} bytes, larger than a save can be ({MAX_FILE_BYTES})",
            meta.len()
        ));
    }
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    Progress::from_json(&text)
        .map(Some)
        .map_err(|problems| format!("not valid progress: {}", problems.join("; ")))
}

/// Writes `text` to `path` without ever leaving half a file or replacing what is not a file.
///
/// A new name or a regular file is written through a synced temporary file in the same
/// directory and a rename; leftovers of a killed writer (`<name>.tmp-<pid>` of a process
/// that is gone) are cleaned up. A pipe or terminal (`/dev/stdout`, `/dev/null`) or a link
/// to a file is written through, so the link or device stays what it is. Anything else
/// (a folder, a disk, a link to nothing) is refused.
///
/// # Errors
/// The target is refused, or the file cannot be written or renamed into place.
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    match Target::of(path)? {
        Target::File => replace(path, text),
        Target::Stream { truncate } => {
            let mut f = OpenOptions::new()
                .write(true)
                .truncate(truncate)
                .open(path)?;
            f.write_all(text.as_bytes())?;
            f.flush()
        }
    }
}

/// What `write_atomic` finds at its path.
enum Target {
    /// Nothing yet, or a regular file: replaced whole by a rename.
    File,
    /// A device, pipe or link: written through (`truncate`: it leads to a regular file).
    Stream { truncate: bool },
}

impl Target {
    fn of(path: &Path) -> io::Result<Self> {
        let meta = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::File),
            Err(e) => return Err(e),
        };
        if meta.is_file() {
            return Ok(Self::File);
        }
        let refused = || {
            io::Error::other(
                "not a regular file (a folder, a disk or a link to nothing): not replacing it",
            )
        };
        let target = fs::metadata(path).map_err(|_| refused())?;
        if target.is_file() {
            return Ok(Self::Stream { truncate: true });
        }
        if platform::is_stream_device(&target) {
            return Ok(Self::Stream { truncate: false });
        }
        Err(refused())
    }
}

/// The temporary file and the rename of `write_atomic`.
fn replace(path: &Path, text: &str) -> io::Result<()> {
    let tmp = temp_path(path);
    let written = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    })();
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable where directories can be synced (not on Windows).
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    remove_leftovers(path);
    Ok(())
}

/// `<path>.tmp-<pid>`: two games saving at once do not share a temporary file.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".tmp-{}", std::process::id()));
    PathBuf::from(name)
}

/// Removes the `<path>.tmp-<pid>` files of processes that are gone (killed mid-write).
/// Another game saving right now keeps its own. Where processes cannot be looked up (no
/// `/proc`), nothing is removed.
fn remove_leftovers(path: &Path) {
    let proc = Path::new("/proc");
    let (Some(name), Some(dir)) = (path.file_name(), path.parent()) else {
        return;
    };
    if !proc.join("self").exists() {
        return;
    }
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_pid && is_file && !proc.join(pid).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// `<path>.<label>-1`, `-2`, …
fn aside_names(path: &Path, label: &str) -> impl Iterator<Item = PathBuf> {
    let path = path.as_os_str().to_owned();
    let label = label.to_string();
    (1..=MAX_ASIDE).map(move |n| {
        let mut name = path.clone();
        name.push(format!(".{label}-{n}"));
        PathBuf::from(name)
    })
}

fn no_free_name() -> io::Error {
    io::Error::other(format!("{MAX_ASIDE} set-aside copies already exist"))
}

/// Moves `path` to the first free `<path>.<label>-<n>`, never over an existing file.
fn move_aside(path: &Path, label: &str) -> io::Result<PathBuf> {
    for dst in aside_names(path, label) {
        // A hard link fails rather than replace an existing name; rename would not.
        match fs::hard_link(path, &dst) {
            Ok(()) => {
                fs::remove_file(path)?;
                return Ok(dst);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            // File systems without hard links: check, then rename.
            Err(_) if exists(&dst) => {}
            Err(_) => {
                fs::rename(path, &dst)?;
                return Ok(dst);
            }
        }
    }
    Err(no_free_name())
}

/// Copies `path` to the first free `<path>.<label>-<n>` (created new, synced).
fn copy_aside(path: &Path, label: &str) -> io::Result<PathBuf> {
    for dst in aside_names(path, label) {
        match OpenOptions::new().write(true).create_new(true).open(&dst) {
            Ok(mut f) => {
                io::copy(&mut File::open(path)?, &mut f)?;
                f.sync_all()?;
                return Ok(dst);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(no_free_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::RunResult;

    fn temp_store(name: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("zerodown-store-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Store::at(dir)
    }

    fn some_progress() -> Progress {
        let mut p = Progress::default();
        p.record(
            "02-all-at-once",
            RunResult {
                passed: true,
                stars: 3,
                points: 980,
            },
        );
        p
    }

    #[test]
    fn an_interrupted_write_never_replaces_the_good_file() {
        let store = temp_store("interrupted");
        let good = some_progress();
        store.save(&good).expect("save");
        // A crash after writing part of the temporary file, before the rename.
        let json = Progress::default().to_json();
        fs::write(temp_path(&store.path()), &json[..json.len() / 2]).expect("write temp");
        fs::write(store.dir.join("progress.json.tmp-1"), "{").expect("an older leftover");
        assert_eq!(
            store.load(),
            Loaded {
                progress: good.clone(),
                warning: None
            }
        );
        // The next save goes through its own temporary file and leaves none behind.
        let saved = store.save(&good).expect("save over the leftovers");
        assert_eq!(store.load().progress, saved);
        assert!(!temp_path(&store.path()).exists());
        let _ = fs::remove_dir_all(&store.dir);
    }

    #[test]
    fn a_file_that_is_not_progress_is_never_written_over() {
        let store = temp_store("unsafe");
        fs::create_dir_all(&store.dir).expect("dir");
        fs::write(store.path(), "not json").expect("write");
        let err = store.save(&some_progress()).expect_err("refused");
        assert!(matches!(err, StoreError::Unsafe { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(store.path()).expect("still there"),
            "not json"
        );
        let _ = fs::remove_dir_all(&store.dir);
    }

    fn run(stars: u8, points: u32) -> RunResult {
        RunResult {
            passed: true,
            stars,
            points,
        }
    }

    #[test]
    fn two_saves_from_two_stale_loads_both_keep_their_results() {
        let store = temp_store("two-windows");
        store.save(&some_progress()).expect("first save");
        // Two games open on one save: each loads the same file.
        let mut first = store.load().progress;
        let mut second = store.load().progress;
        first.record("03-rolling-by-hand", run(2, 700));
        second.record("04-rolling-at-peak", run(3, 900));
        second.record("02-all-at-once", run(1, 1200));
        store.save(&first).expect("the first game saves");
        let merged = store.save(&second).expect("the second game saves");
        let on_disk = store.load().progress;
        assert_eq!(merged, on_disk, "save returns what it wrote");
        assert!(
            on_disk.passed("03-rolling-by-hand"),
            "the first game's result is lost"
        );
        assert!(on_disk.passed("04-rolling-at-peak"));
        let two = on_disk.get("02-all-at-once").expect("kept");
        assert_eq!(
            (two.best_stars, two.best_points, two.attempts),
            (3, 1200, 2)
        );
        assert_eq!(on_disk.last_mission.as_deref(), Some("02-all-at-once"));
        let _ = fs::remove_dir_all(&store.dir);
    }

    #[test]
    fn saves_from_threads_at_once_keep_every_result() {
        let store = temp_store("threads");
        let ids: Vec<String> = (1..=8).map(|i| format!("{i:02}-mission")).collect();
        std::thread::scope(|s| {
            for id in &ids {
                let store = &store;
                s.spawn(move || {
                    let mut p = Progress::default();
                    p.record(id, run(3, 1000));
                    store.save(&p).expect("save");
                });
            }
        });
        let on_disk = store.load().progress;
        for id in &ids {
            assert!(on_disk.passed(id), "{id} lost");
        }
        let _ = fs::remove_dir_all(&store.dir);
    }

    #[test]
    fn set_aside_names_count_up_and_never_overwrite() {
        let store = temp_store("aside");
        fs::create_dir_all(&store.dir).expect("dir");
        for text in ["first", "second"] {
            fs::write(store.path(), text).expect("write");
            let loaded = store.load();
            assert_eq!(loaded.progress, Progress::default());
            assert!(loaded.warning.is_some());
        }
        let first = store.dir.join("progress.json.corrupt-1");
        let second = store.dir.join("progress.json.corrupt-2");
        assert_eq!(fs::read_to_string(first).expect("kept"), "first");
        assert_eq!(fs::read_to_string(second).expect("kept"), "second");
        assert!(!store.path().exists());
        let _ = fs::remove_dir_all(&store.dir);
    }

    #[cfg(unix)]
    #[test]
    fn links_and_devices_are_written_through_never_replaced() {
        use std::os::unix::fs::symlink;
        let store = temp_store("through");
        fs::create_dir_all(&store.dir).expect("dir");
        let real = store.dir.join("real.json");
        fs::write(&real, "old").expect("write");
        let link = store.dir.join("link.json");
        symlink(&real, &link).expect("symlink");
        write_atomic(&link, "new").expect("through the link");
        assert!(fs::symlink_metadata(&link).expect("link").is_symlink());
        assert_eq!(fs::read_to_string(&real).expect("real"), "new");
        // A link in our own folder to a device: the device is written, the link stays.
        let null = store.dir.join("null.json");
        symlink("/dev/null", &null).expect("symlink");
        write_atomic(&null, "gone").expect("through to /dev/null");
        assert!(fs::symlink_metadata(&null).expect("link").is_symlink());
        let full = store.dir.join("full.json");
        symlink("/dev/full", &full).expect("symlink");
        assert!(write_atomic(&full, "x").is_err(), "a full device says so");
        assert!(fs::symlink_metadata(&full).expect("link").is_symlink());
        // A folder and a link to nothing are refused, and stay.
        let folder = store.dir.join("folder.json");
        fs::create_dir(&folder).expect("dir");
        assert!(write_atomic(&folder, "x").is_err());
        assert!(folder.is_dir());
        let dangling = store.dir.join("dangling.json");
        symlink(store.dir.join("nowhere"), &dangling).expect("symlink");
        assert!(write_atomic(&dangling, "x").is_err());
        assert!(!store.dir.join("nowhere").exists());
        let _ = fs::remove_dir_all(&store.dir);
    }

    #[test]
    fn leftovers_of_a_killed_writer_are_cleaned_up_by_the_next_save() {
        let store = temp_store("leftovers");
        fs::create_dir_all(&store.dir).expect("dir");
        // No process has this id (Linux pids stay below 2^22).
        let dead = store.dir.join("progress.json.tmp-999999999");
        fs::write(&dead, "{").expect("a killed writer's file");
        // Another game saving right now (pid 1 is alive), and files that only look alike.
        let alive = store.dir.join("progress.json.tmp-1");
        fs::write(&alive, "{").expect("write");
        let other = store.dir.join("other.json.tmp-999999999");
        fs::write(&other, "{").expect("write");
        store.save(&some_progress()).expect("save");
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists(), "the dead writer's file is removed");
        }
        assert!(alive.exists() && other.exists());
        let _ = fs::remove_dir_all(&store.dir);
    }
}
