//! No word is cut without a mark (issue 13 item 3): every built-in mission is played through
//! the console with its reference solution, and at each step the play screen is drawn at
//! 80×24, 120×40, 160×48 and 200×60. A letter that runs into a panel's right border
//! or the screen's last column is text cut mid-word: text that does not fit must end in `…`
//! (or wrap) and leave the border a space.

mod common;

use common::ui::{draw, play_through};

use zerodown::ui::{App, Screen, Settings};

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (160, 48), (200, 60)];

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

#[test]
fn no_word_is_cut_on_the_play_screen_of_any_mission() {
    let mut all = Vec::new();
    for (id, _) in zerodown::mission::builtin() {
        play_through(id, Settings::default(), |app, line| {
            if !matches!(app.screen, Screen::Play(_)) {
                return;
            }
            for (w, h) in SIZES {
                for cut in cuts(app, w, h) {
                    all.push(format!("{id} after `{line}` {cut}"));
                }
            }
        });
    }
    all.dedup();
    assert!(
        all.is_empty(),
        "{} cut rows:\n{}",
        all.len(),
        all.join("\n")
    );
}
