//! Class codes: a short code an instructor writes on the board that fixes a workshop's
//! missions and seed, so every laptop plays the same runs and scores compare.
//!
//! A code packs 60 bits into twelve Crockford base-32 characters, shown as `XXXX-XXXX-XXXX`:
//! a format number (4 bits), the set of built-in missions (16 bits, one per mission in
//! campaign order), the seed (32 bits) and a check byte (8 bits). Crockford's alphabet has
//! no I, L, O or U, and reads `I`/`L` as 1 and `O` as 0, so a code copied from a projector
//! survives; the check byte catches a mistyped character.
//!
//! A class whose missions go in another order than the campaign's (`--missions 7,3`) gets a
//! sixteen-character code, `XXXX-XXXX-XXXX-XXXX`, of format 2: 20 more bits hold the order
//! as the rank of a permutation (a Lehmer code), which fits up to `MAX_ORDERED` missions.

use std::fmt;

pub mod live;

use crate::mission;

/// The format number of a code whose missions go in campaign order.
const FORMAT: u64 = 1;
/// The format number of a code that also says the missions' order.
const FORMAT_ORDERED: u128 = 2;
/// Characters in an ordered code, without the dashes.
const LEN_ORDERED: usize = 16;
/// Bits an ordered code gives the order's rank.
const ORDER_BITS: u32 = 20;
/// The most missions an ordered code can put in order: 9! = 362 880 < 2^20.
pub const MAX_ORDERED: usize = 9;
/// Crockford's base-32 digits.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code, without the dashes.
const LEN: usize = 12;
/// Mixed into the body so that codes of nearby seeds don't look alike on the board.
const WHITEN: u64 = 0x000A_5C3E_91B7_2D64;
/// Missions a code can name (one bit each).
pub const MAX_MISSIONS: usize = 16;

/// A workshop: which built-in missions, in the order the instructor gave, and the seed
/// they all use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassCode {
    /// Mission ids, in the class's order.
    pub missions: Vec<String>,
    pub seed: u32,
}

/// Why a code or a workshop cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error(
        "a class code has {LEN} or {LEN_ORDERED} characters (like K7Q2-M9XD-A4TT); `{0}` has {1}"
    )]
    Length(String, usize),
    #[error("`{0}` is not a class-code character (letters and digits only, no U)")]
    Char(char),
    #[error(
        "`{0}` is not a valid class code: a character is mistyped (check it against the board)"
    )]
    Check(String),
    #[error("`{0}` was made by another version of zerodown (format {1})")]
    Format(String, u64),
    #[error("no mission `{0}`{1}")]
    UnknownMission(String, String),
    #[error("a workshop needs at least one mission")]
    NoMissions,
    #[error(
        "a class code keeps the order of at most {MAX_ORDERED} missions: give these {0} in campaign order, or fewer"
    )]
    TooManyToOrder(usize),
}

impl ClassCode {
    /// A workshop of `missions` (ids or campaign numbers like `3`), with `seed`.
    ///
    /// # Errors
    /// An unknown mission, or none at all.
    pub fn new<S: AsRef<str>>(missions: &[S], seed: u32) -> Result<Self, CodeError> {
        let ids = campaign();
        let mut order: Vec<usize> = Vec::new();
        for m in missions {
            let m = m.as_ref().trim();
            let index = mission::campaign_id(m)
                .and_then(|id| ids.iter().position(|i| *i == id))
                .ok_or_else(|| {
                    let close = crate::command::suggest(m, ids.iter().copied())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    let m = if m.is_empty() { "(empty)" } else { m };
                    CodeError::UnknownMission(m.to_string(), close)
                })?;
            if !order.contains(&index) {
                order.push(index);
            }
        }
        if order.is_empty() {
            return Err(CodeError::NoMissions);
        }
        if !order.is_sorted() && order.len() > MAX_ORDERED {
            return Err(CodeError::TooManyToOrder(order.len()));
        }
        Ok(Self {
            missions: order.iter().map(|&i| ids[i].to_string()).collect(),
            seed,
        })
    }

    /// The class of the missions in `mask`, put in the order of `rank` (0: campaign order).
    fn from_parts(mask: u16, rank: u32, seed: u32) -> Result<Self, CodeError> {
        let ids = campaign();
        let chosen: Vec<usize> = (0..ids.len()).filter(|i| mask & (1 << i) != 0).collect();
        if chosen.is_empty() {
            return Err(CodeError::NoMissions);
        }
        let order = unrank(rank, chosen.len()).ok_or(CodeError::NoMissions)?;
        Ok(Self {
            missions: order.iter().map(|&i| ids[chosen[i]].to_string()).collect(),
            seed,
        })
    }

    /// The rank of the missions' order among the orders of the same set (0: campaign order).
    fn rank(&self) -> u32 {
        let ids = campaign();
        let positions: Vec<usize> = self
            .missions
            .iter()
            .filter_map(|m| ids.iter().position(|id| id == m))
            .collect();
        rank(&positions)
    }

    fn mask(&self) -> u16 {
        let ids = campaign();
        self.missions
            .iter()
            .filter_map(|m| ids.iter().position(|id| id == m))
            .fold(0, |mask, i| mask | (1 << i))
    }

    /// Reads a code as typed: case, dashes and spaces don't matter.
    ///
    /// # Errors
    /// Wrong length, a character outside the alphabet, a failed check, another format, or
    /// a code naming no mission this version has.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if chars.len() != LEN && chars.len() != LEN_ORDERED {
            return Err(CodeError::Length(text.to_string(), chars.len()));
        }
        let mut bits = 0u128;
        for &c in &chars {
            bits = (bits << 5) | u128::from(digit(c).ok_or(CodeError::Char(c))?);
        }
        let body = bits >> 8;
        if check_byte(body, chars.len()) != (bits & 0xff) {
            return Err(CodeError::Check(text.to_string()));
        }
        let body = body ^ whiten(chars.len());
        let (format, want) = if chars.len() == LEN {
            (body >> 48, u128::from(FORMAT))
        } else {
            (body >> 68, FORMAT_ORDERED)
        };
        if format != want {
            #[allow(clippy::cast_possible_truncation)]
            return Err(CodeError::Format(text.to_string(), format as u64));
        }
        #[allow(clippy::cast_possible_truncation)]
        let (rank, mask, seed) = (
            ((body >> 48) as u32) & ((1 << ORDER_BITS) - 1),
            (body >> 32) as u16,
            body as u32,
        );
        if u32::from(mask) >> campaign().len() != 0 {
            return Err(CodeError::UnknownMission(
                format!("number {}", 16 - mask.leading_zeros()),
                " in this version of zerodown".into(),
            ));
        }
        let rank = if chars.len() == LEN { 0 } else { rank };
        Self::from_parts(mask, rank, seed).map_err(|e| match e {
            CodeError::NoMissions => CodeError::Check(text.to_string()),
            e => e,
        })
    }

    /// Whether `mission` is one of the workshop's.
    pub fn has(&self, mission: &str) -> bool {
        self.missions.iter().any(|m| m == mission)
    }
}

impl fmt::Display for ClassCode {
    /// `XXXX-XXXX-XXXX`, or `XXXX-XXXX-XXXX-XXXX` when the missions' order is not the
    /// campaign's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rank = self.rank();
        let (len, format) = if rank == 0 {
            (LEN, u128::from(FORMAT) << 48)
        } else {
            (
                LEN_ORDERED,
                (FORMAT_ORDERED << 68) | (u128::from(rank) << 48),
            )
        };
        let body = (format | (u128::from(self.mask()) << 32) | u128::from(self.seed)) ^ whiten(len);
        let bits = (body << 8) | check_byte(body, len);
        for i in 0..len {
            if i > 0 && i % 4 == 0 {
                f.write_str("-")?;
            }
            let shift = 5 * (len - 1 - i);
            #[allow(clippy::cast_possible_truncation)]
            let d = ((bits >> shift) & 31) as usize;
            write!(f, "{}", char::from(ALPHABET[d]))?;
        }
        Ok(())
    }
}

/// The built-in missions in campaign order (the bit order of a code).
fn campaign() -> Vec<&'static str> {
    let ids: Vec<&str> = mission::builtin().iter().map(|(id, _)| *id).collect();
    debug_assert!(ids.len() <= MAX_MISSIONS, "a class code names at most 16");
    ids
}

/// The value of a Crockford digit (case-insensitive; I and L are 1, O is 0).
fn digit(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|i| u8::try_from(i).ok())
}

/// What is mixed into the body of a code of `len` characters: the order's bits too, in a
/// 16-character code.
fn whiten(len: usize) -> u128 {
    let order = if len == LEN { 0 } else { 0x9_3A5Cu128 << 48 };
    u128::from(WHITEN) | order
}

/// An 8-bit check over the body (FNV-1a over its bytes, folded): the 52-bit body of a
/// 12-character code as 8 bytes, as format 1 always did; the 72-bit one as 16.
fn check_byte(body: u128, len: usize) -> u128 {
    let mut h: u32 = 0x811c_9dc5;
    let bytes = body.to_be_bytes();
    let bytes = if len == LEN { &bytes[8..] } else { &bytes[..] };
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    u128::from((h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24)) & 0xff)
}

/// The rank of the order of `items` among their permutations (Lehmer code): 0 when they
/// are sorted.
fn rank(items: &[usize]) -> u32 {
    let n = items.len();
    let mut rank: u64 = 0;
    for i in 0..n {
        let smaller_after = items[i + 1..].iter().filter(|&&x| x < items[i]).count();
        rank = rank * (n - i) as u64 + smaller_after as u64;
    }
    u32::try_from(rank).unwrap_or(u32::MAX)
}

/// The order of rank `rank` of `n` items (positions into their sorted list), or `None`
/// when the rank is out of range.
fn unrank(rank: u32, n: usize) -> Option<Vec<usize>> {
    let mut digits = vec![0usize; n];
    let mut left = u64::from(rank);
    for (i, d) in digits.iter_mut().enumerate().rev() {
        let base = (n - i) as u64;
        *d = usize::try_from(left % base).ok()?;
        left /= base;
    }
    if left != 0 {
        return None;
    }
    let mut pool: Vec<usize> = (0..n).collect();
    Some(digits.into_iter().map(|d| pool.remove(d)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_whatever_the_case_and_dashes() {
        let code = ClassCode::new(&["03-rolling-by-hand", "7"], 48_213).expect("a code");
        assert_eq!(code.missions, ["03-rolling-by-hand", "07-canary"]);
        let text = code.to_string();
        assert_eq!(text.len(), 14, "{text}");
        assert_eq!(ClassCode::parse(&text), Ok(code.clone()));
        let sloppy = text.to_lowercase().replace('-', " ");
        assert_eq!(ClassCode::parse(&sloppy), Ok(code));
    }

    #[test]
    fn one_mistyped_character_is_caught() {
        for missions in [&["1"][..], &["7", "3", "5"][..]] {
            typos_are_caught(&ClassCode::new(missions, 7).expect("a code").to_string());
        }
    }

    fn typos_are_caught(text: &str) {
        let mut caught = 0;
        let positions: Vec<usize> = (0..text.len()).filter(|&i| i % 5 != 4).collect();
        for &i in &positions {
            for &a in ALPHABET {
                let mut typo: Vec<u8> = text.bytes().collect();
                if typo[i] == a {
                    continue;
                }
                typo[i] = a;
                let typo = String::from_utf8(typo).expect("ascii");
                if ClassCode::parse(&typo).is_err() {
                    caught += 1;
                }
            }
        }
        let tried = positions.len() * 31;
        // An 8-bit check misses about one typo in 256.
        assert!(caught * 100 >= tried * 98, "{caught} of {tried}");
    }

    #[test]
    fn a_class_keeps_the_order_its_missions_were_given_in() {
        let code = ClassCode::new(&["7", "3"], 48_213).expect("a code");
        assert_eq!(code.missions, ["07-canary", "03-rolling-by-hand"]);
        let text = code.to_string();
        assert_eq!(text.len(), 19, "{text}");
        assert_eq!(ClassCode::parse(&text), Ok(code));
        // Every order of four missions reads back as itself, each with its own code.
        let four = ["2", "5", "9", "14"];
        let mut seen = std::collections::BTreeSet::new();
        for a in 0..4 {
            for b in 0..4 {
                for c in 0..4 {
                    for d in 0..4 {
                        let idx = [a, b, c, d];
                        if (1..4).any(|i| idx[..i].contains(&idx[i])) {
                            continue;
                        }
                        let order: Vec<&str> = idx.iter().map(|&i| four[i]).collect();
                        let code = ClassCode::new(&order, 9).expect("a code");
                        let text = code.to_string();
                        assert_eq!(ClassCode::parse(&text).as_ref(), Ok(&code), "{text}");
                        assert!(seen.insert(text));
                    }
                }
            }
        }
        assert_eq!(seen.len(), 24);
        // The longest order a code holds, and one too many.
        let nine: Vec<String> = (1..=9).rev().map(|n| n.to_string()).collect();
        let code = ClassCode::new(&nine, 1).expect("nine in reverse");
        assert_eq!(ClassCode::parse(&code.to_string()), Ok(code));
        let ten: Vec<String> = (1..=10).rev().map(|n| n.to_string()).collect();
        assert_eq!(ClassCode::new(&ten, 1), Err(CodeError::TooManyToOrder(10)));
        let sorted: Vec<String> = (1..=16).map(|n| n.to_string()).collect();
        assert_eq!(
            ClassCode::new(&sorted, 1).expect("all").to_string().len(),
            14
        );
    }

    #[test]
    fn a_repeated_mission_counts_once() {
        let code = ClassCode::new(&["3", "03-rolling-by-hand", "1"], 2).expect("a code");
        assert_eq!(code.missions, ["03-rolling-by-hand", "01-one-server"]);
    }

    #[test]
    fn bad_codes_say_why() {
        assert!(matches!(
            ClassCode::parse("ABC"),
            Err(CodeError::Length(..))
        ));
        assert!(matches!(
            ClassCode::parse("UUUU-UUUU-UUUU"),
            Err(CodeError::Char('U'))
        ));
        assert!(matches!(
            ClassCode::new(&["07-canry"], 1),
            Err(CodeError::UnknownMission(_, s)) if s.contains("07-canary")
        ));
        assert_eq!(ClassCode::new::<&str>(&[], 1), Err(CodeError::NoMissions));
    }
}
