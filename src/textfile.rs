//! Reading a text file the player or a classmate handed us: bounded, regular files only.
//!
//! Every file the game reads comes from outside (missions, scripts, plans, reports, saves),
//! so none is read whole without a limit: `/dev/zero` given as a plan, a named pipe given as
//! a report, or a 10 GB file must be refused with a reason, not eat memory or hang.

use std::io::Read as _;
use std::path::Path;

/// Mission, sandbox, script and plan files are small; 4 MB is far beyond any real one.
pub const MAX_SOURCE_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file could not be read, in words (the caller adds the file's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read it: {0}")]
    Io(String),
    #[error("not a regular file")]
    NotAFile,
    #[error("too large: over {max} bytes")]
    TooLarge { max: u64 },
    #[error("not UTF-8 text")]
    NotText,
}

/// The text of the regular file at `path` (symlinks followed), if it has at most `max`
/// bytes. A leading byte-order mark (Windows editors write one) is dropped.
///
/// # Errors
/// The file cannot be opened, is a device, pipe or folder, is over `max` bytes, or is not
/// UTF-8.
pub fn read_text(path: &Path, max: u64) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge { max });
    }
    let text = String::from_utf8(bytes).map_err(|_| ReadError::NotText)?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// `text` with Windows line endings (`\r\n`) as `\n`, so a file saved by Notepad or
/// checked out with git's `autocrlf` means what the same file with `\n` means, down to a
/// string that spans lines. Lines and columns stay where they were.
pub fn unix_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_oversized_files_are_refused() {
        assert_eq!(
            read_text(Path::new("/dev/zero"), 10),
            Err(ReadError::NotAFile)
        );
        assert_eq!(read_text(Path::new("/"), 10), Err(ReadError::NotAFile));
        let dir = std::env::temp_dir().join(format!("zerodown-textfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let big = dir.join("big.txt");
        std::fs::write(&big, "x".repeat(11)).expect("write");
        assert_eq!(read_text(&big, 10), Err(ReadError::TooLarge { max: 10 }));
        let bom = dir.join("bom.txt");
        std::fs::write(&bom, "\u{feff}canary v2").expect("write");
        assert_eq!(read_text(&bom, 100).as_deref(), Ok("canary v2"));
        let bin = dir.join("bin.txt");
        std::fs::write(&bin, [0xff, 0xfe, 0x00]).expect("write");
        assert_eq!(read_text(&bin, 100), Err(ReadError::NotText));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
