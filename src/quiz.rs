//! The quiz's displayed order: each question's choices shuffled from the run's seed, so the
//! answer's place tells nothing. Pure and deterministic (the same mission and seed give the
//! same order everywhere: the debrief, the run report, a replay); it draws from an RNG of
//! its own and never touches the simulation's.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::mission::Quiz;

/// For each question, the file's choice indices in the order they are shown: `order[q][k]`
/// is the choice displayed as number `k + 1`.
pub type Order = Vec<Vec<usize>>;

/// The displayed order of `quiz` in mission `mission_id` played with `seed`.
pub fn order(mission_id: &str, seed: u64, quiz: &[Quiz]) -> Order {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ fnv1a(mission_id));
    quiz.iter()
        .map(|q| {
            let mut shown: Vec<usize> = (0..q.choices.len()).collect();
            // Fisher–Yates from the raw stream: independent of `rand`'s range algorithm.
            for i in (1..shown.len()).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                shown.swap(i, j);
            }
            shown
        })
        .collect()
}

/// A stable 64-bit hash of a mission id (FNV-1a): `std`'s hasher may change between releases.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz(n: &[usize]) -> Vec<Quiz> {
        n.iter()
            .map(|&k| Quiz {
                q: "?".into(),
                choices: (0..k).map(|i| i.to_string()).collect(),
                answer: 0,
                why: String::new(),
            })
            .collect()
    }

    #[test]
    fn each_question_gets_a_permutation_of_its_choices() {
        let q = quiz(&[3, 4, 2]);
        for seed in 0..50 {
            for (shown, q) in order("07-canary", seed, &q).iter().zip(&q) {
                let mut sorted = shown.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..q.choices.len()).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_order_and_seeds_spread_the_answer() {
        let q = quiz(&[3]);
        assert_eq!(order("01-one-server", 7, &q), order("01-one-server", 7, &q));
        // Where choice 0 is shown, over 300 seeds: every place, none much more than a third.
        let mut places = [0u32; 3];
        for seed in 0..300 {
            let shown = &order("01-one-server", seed, &q)[0];
            let at = shown.iter().position(|&c| c == 0).expect("a permutation");
            places[at] += 1;
        }
        assert!(
            places.iter().all(|&n| (70..=130).contains(&n)),
            "{places:?}"
        );
    }

    #[test]
    fn no_quiz_no_order() {
        assert!(order("x", 1, &[]).is_empty());
    }
}
