//! Class codes: a short code an instructor writes on the board that fixes a workshop's
//! missions and seed, so every laptop plays the same runs and scores compare.
//!
//! A code packs 60 bits into twelve Crockford base-32 characters, shown as `XXXX-XXXX-XXXX`:
//! a format number (4 bits), the set of built-in missions (16 bits, one per mission in
//! campaign order), the seed (32 bits) and a check byte (8 bits). Crockford's alphabet has
//! no I, L, O or U, and reads `I`/`L` as 1 and `O` as 0, so a code copied from a projector
//! survives; the check byte catches a mistyped character.

use std::fmt;

use crate::mission;

/// The format number in every code this version makes.
const FORMAT: u64 = 1;
/// Crockford's base-32 digits.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code, without the dashes.
const LEN: usize = 12;
/// Mixed into the body so that codes of nearby seeds don't look alike on the board.
const WHITEN: u64 = 0x000A_5C3E_91B7_2D64;
/// Missions a code can name (one bit each).
pub const MAX_MISSIONS: usize = 16;

/// A workshop: which built-in missions, in campaign order, and the seed they all use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassCode {
    /// Mission ids, in campaign order.
    pub missions: Vec<String>,
    pub seed: u32,
}

/// Why a code or a workshop cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a class code has {LEN} characters (like K7Q2-M9XD-A4TT); `{0}` has {1}")]
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
}

impl ClassCode {
    /// A workshop of `missions` (ids or campaign numbers like `3`), with `seed`.
    ///
    /// # Errors
    /// An unknown mission, or none at all.
    pub fn new<S: AsRef<str>>(missions: &[S], seed: u32) -> Result<Self, CodeError> {
        let ids = campaign();
        let mut mask = 0u16;
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
            mask |= 1 << index;
        }
        Self::from_parts(mask, seed)
    }

    fn from_parts(mask: u16, seed: u32) -> Result<Self, CodeError> {
        let ids = campaign();
        let missions: Vec<String> = (0..ids.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| ids[i].to_string())
            .collect();
        if missions.is_empty() {
            return Err(CodeError::NoMissions);
        }
        Ok(Self { missions, seed })
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
        if chars.len() != LEN {
            return Err(CodeError::Length(text.to_string(), chars.len()));
        }
        let mut bits = 0u64;
        for &c in &chars {
            bits = (bits << 5) | u64::from(digit(c).ok_or(CodeError::Char(c))?);
        }
        let body = bits >> 8;
        if check_byte(body) != (bits & 0xff) {
            return Err(CodeError::Check(text.to_string()));
        }
        let body = body ^ WHITEN;
        let format = body >> 48;
        if format != FORMAT {
            return Err(CodeError::Format(text.to_string(), format));
        }
        #[allow(clippy::cast_possible_truncation)]
        let (mask, seed) = ((body >> 32) as u16, body as u32);
        if u32::from(mask) >> campaign().len() != 0 {
            return Err(CodeError::UnknownMission(
                format!("number {}", 16 - mask.leading_zeros()),
                " in this version of zerodown".into(),
            ));
        }
        Self::from_parts(mask, seed)
    }

    /// Whether `mission` is one of the workshop's.
    pub fn has(&self, mission: &str) -> bool {
        self.missions.iter().any(|m| m == mission)
    }
}

impl fmt::Display for ClassCode {
    /// `XXXX-XXXX-XXXX`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body =
            ((FORMAT << 48) | (u64::from(self.mask()) << 32) | u64::from(self.seed)) ^ WHITEN;
        let bits = (body << 8) | check_byte(body);
        for i in 0..LEN {
            if i > 0 && i % 4 == 0 {
                f.write_str("-")?;
            }
            let shift = 5 * (LEN - 1 - i);
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

/// An 8-bit check over the 52-bit body (FNV-1a over its bytes, folded).
fn check_byte(body: u64) -> u64 {
    let mut h: u32 = 0x811c_9dc5;
    for b in body.to_be_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    u64::from((h ^ (h >> 8) ^ (h >> 16) ^ (h >> 24)) & 0xff)
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
        let text = ClassCode::new(&["1"], 7).expect("a code").to_string();
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
