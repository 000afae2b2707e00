//! `zerodown progress [--reset | --export FILE | --import FILE]`: the saved progress as
//! text, and the three ways to move it. Nothing is ever deleted: a reset or an import keeps
//! the old save beside the new one and says where.

use std::path::Path;
use std::process::ExitCode;

use crate::mission;
use crate::progress::{Access, Progress, Rank, Store};

use super::bad_input;

/// What `zerodown progress` was asked to do.
#[derive(Debug, Clone, Copy)]
pub enum Op<'a> {
    Show,
    Reset,
    Export(&'a Path),
    Import(&'a Path),
}

/// Runs `zerodown progress`: 0 done, 2 bad input or a file that cannot be used.
pub fn run(op: Op) -> ExitCode {
    let store = match Store::locate() {
        Ok(s) => s,
        Err(e) => return bad_input(&format!("zerodown progress: {e}")),
    };
    let path = store.path();
    match op {
        Op::Show => {
            let loaded = store.load();
            if let Some(w) = &loaded.warning {
                eprintln!("warning: {w}");
            }
            let note = if path.exists() {
                ""
            } else {
                "  (nothing saved yet)"
            };
            say!("progress: {}{note}", path.display());
            show(&loaded.progress);
        }
        Op::Reset => match store.reset() {
            Ok(Some(kept)) => say!(
                "progress reset. The old save is kept as {} (rename it back to {} to undo).",
                kept.display(),
                path.display()
            ),
            Ok(None) => say!("nothing to reset: {} does not exist", path.display()),
            Err(e) => return bad_input(&format!("cannot reset: {e}")),
        },
        Op::Export(to) => match store.export(to) {
            Ok(loaded) => {
                if let Some(w) = &loaded.warning {
                    eprintln!("warning: {w}");
                }
                let n = loaded.progress.missions.len();
                say!(
                    "exported {n} mission record(s) from {} to {}",
                    path.display(),
                    to.display()
                );
            }
            Err(e) => return bad_input(&format!("cannot export: {e}")),
        },
        Op::Import(from) => match store.import(from) {
            Ok((p, kept)) => {
                let n = p.missions.len();
                say!(
                    "imported {} into {}",
                    crate::words::count(n, "mission record"),
                    path.display()
                );
                if let Some(kept) = kept {
                    say!("the previous save is kept as {}", kept.display());
                }
            }
            Err(e) => return bad_input(&format!("import refused, nothing changed: {e}")),
        },
    }
    ExitCode::SUCCESS
}

pub(super) fn stars(n: u8) -> String {
    "★".repeat(n as usize) + &"☆".repeat(3 - n.min(3) as usize)
}

/// Rank, then one line per mission of the campaign, then records of missions not in it.
fn show(p: &Progress) {
    let ids: Vec<&str> = mission::builtin().iter().map(|(id, _)| *id).collect();
    let (total, max) = (p.total_stars(ids.iter().copied()), 3 * ids.len() as u32);
    let rank = Rank::for_stars(total, max);
    let next = Rank::next(total, max).map_or(String::new(), |(r, need)| {
        format!(" · {need} ★ more for {}", r.name())
    });
    say!(
        "rank: {} ({}) · {total}/{max} ★{next}",
        rank.name(),
        rank.skill()
    );
    if let Some(last) = &p.last_mission {
        say!("last played: {last}");
    }
    say!("");
    say!(
        "{:<24} {:<6}  {:>6}  {:>8}",
        "mission",
        "stars",
        "points",
        "attempts"
    );
    let access = p.access(&ids);
    let next = p.continue_at(&ids);
    for (i, id) in ids.iter().enumerate() {
        let r = p.get(id).copied().unwrap_or_default();
        let points = if r.attempts == 0 {
            "—".to_string()
        } else {
            r.best_points.to_string()
        };
        let status = match (&access[i], next == Some(i)) {
            (Access::Locked { after }, _) => format!("locked: pass {after} first"),
            (Access::Open, true) => "▶ continue here".to_string(),
            (Access::Open, false) if r.passed => "passed".to_string(),
            (Access::Open, false) => "open".to_string(),
        };
        say!(
            "{id:<24} {:<6}  {points:>6}  {:>8}  {status}",
            stars(r.best_stars),
            r.attempts
        );
    }
    for (id, r) in p
        .missions
        .iter()
        .filter(|(id, _)| !ids.contains(&id.as_str()))
    {
        say!(
            "{id:<24} {:<6}  {:>6}  {:>8}  not in this version of the game",
            stars(r.best_stars),
            r.best_points,
            r.attempts
        );
    }
}
