//! Embeds the missions in `levels/*.ron` into the binary, and their reference scripts.
//!
//! Writes `$OUT_DIR/levels.rs`: one `(id, include_str!(path))` entry per file, sorted by file
//! name, where the id is the file stem (`01-first-deploy`). Only the top level of `levels/`
//! is scanned; a missing or empty directory gives an empty list. `solutions.rs` and
//! `mistakes.rs` are the same lists for `levels/solutions/*.txt` and `levels/mistakes/*.txt`
//! (so `zerodown notes` can measure them from any directory).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Cargo scans the directory for changes. While `levels/` does not exist Cargo cannot
    // fingerprint it and reruns this script on every build (cheap; and the directory exists
    // in the game). Watching anything wider would also watch `target/`.
    println!("cargo:rerun-if-changed=levels");
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let levels = manifest.join("levels");
    embed(&levels, "ron", "levels.rs");
    embed(&levels.join("solutions"), "txt", "solutions.rs");
    embed(&levels.join("mistakes"), "txt", "mistakes.rs");
}

/// Writes `$OUT_DIR/<name>`: `(stem, include_str!(path))` for every `*.<ext>` in `dir`.
fn embed(dir: &Path, ext: &str, name: &str) {
    let mut files = files_with(dir, ext);
    // Same directory, so ordering by path is ordering by file name.
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let mut out = String::from("&[\n");
    for (stem, path) in &files {
        // `{:?}` on a str writes a valid Rust string literal, escapes included.
        let _ = writeln!(out, "    ({stem:?}, include_str!({path:?})),");
    }
    out.push(']');
    let out_dir = std::env::var_os("OUT_DIR").map_or_else(PathBuf::new, PathBuf::from);
    if let Err(e) = std::fs::write(out_dir.join(name), out) {
        // A build script reports failure by panicking: there is no other channel.
        panic!("cannot write {name}: {e}");
    }
}

/// `(stem, absolute path)` of every `*.<ext>` file directly in `dir`.
fn files_with(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == ext))
        .filter_map(|path| {
            let stem = path.file_stem()?.to_str()?.to_string();
            let full = path.to_str()?.to_string();
            Some((stem, full))
        })
        .collect()
}
