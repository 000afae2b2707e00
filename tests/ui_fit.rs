//! No word is cut without a mark (issue 13 item 3): every built-in mission is played through
//! the console with its reference solution, and at each step the play screen is drawn at
//! 80×24, 120×40, 160×48 and 200×60. A letter that runs into a panel's right border
//! or the screen's last column is text cut mid-word: text that does not fit must end in `…`
//! (or wrap) and leave the border a space.

mod common;

use common::ui::{cuts, play_through};

use zerodown::ui::{Screen, Settings};

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (160, 48), (200, 60)];

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
