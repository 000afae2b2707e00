//! Structure-aware mutations of corpus files: the edits a hostile or careless hand makes to
//! a mission, script, plan or report (a flipped byte, a cut-off file, a piece of another
//! file pasted in, a number made huge, negative or not a number, a key written twice).

use proptest::prelude::*;

/// Numbers a parser must survive where a sane value was.
pub const NUMBERS: &[&str] = &[
    "-1",
    "-0",
    "-0.5",
    "0",
    "0.0",
    "1e400",
    "-1e400",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "99999999999999999999999999999",
    "4294967296",
    "2147483648",
    "0x10",
    "1_000",
    "1.7976931348623157e308",
    "5e-324",
];

/// One edit, with indices taken modulo the text's length when applied.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Flip one bit of one byte (the text may stop being UTF-8: it is read back lossily).
    FlipBit(usize, u8),
    /// Keep only the first part.
    Truncate(usize),
    /// Remove a run of bytes.
    Delete(usize, usize),
    /// Paste bytes taken from another corpus file (`donor`, start, length).
    Splice(usize, usize, usize, usize),
    /// Replace the i-th number with one of `NUMBERS`.
    Number(usize, &'static str),
    /// Write a line twice (a RON field or JSON key given twice).
    DuplicateLine(usize),
    /// Swap two lines.
    SwapLines(usize, usize),
    /// Insert a character that matters to the grammars.
    Insert(usize, char),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    let special = prop_oneof![
        prop::sample::select(vec![
            '(', ')', '[', ']', '{', '}', ',', ':', '"', '\\', '/', '*', '#', '-', '%', '=', '>',
            '.', '\n', '\r', '\t', ' ', '\0', '\u{feff}', 'é', '🚀'
        ]),
        any::<char>(),
    ];
    prop_oneof![
        3 => (any::<usize>(), 0u8..8).prop_map(|(i, b)| Edit::FlipBit(i, b)),
        1 => any::<usize>().prop_map(Edit::Truncate),
        1 => (any::<usize>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        2 => (any::<usize>(), any::<usize>(), any::<usize>(), 1usize..200)
            .prop_map(|(at, donor, from, len)| Edit::Splice(at, donor, from, len)),
        3 => (any::<usize>(), prop::sample::select(NUMBERS)).prop_map(|(i, n)| Edit::Number(i, n)),
        2 => any::<usize>().prop_map(Edit::DuplicateLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        2 => (any::<usize>(), special).prop_map(|(i, c)| Edit::Insert(i, c)),
    ]
}

/// `edits` applied in order to `text`; `donors` are the other corpus files.
pub fn apply_all(text: &[u8], edits: &[Edit], donors: &[Vec<u8>]) -> Vec<u8> {
    let mut out = text.to_vec();
    for e in edits {
        out = apply(&out, e, donors);
    }
    out
}

fn apply(text: &[u8], edit: &Edit, donors: &[Vec<u8>]) -> Vec<u8> {
    let at = |i: usize| i % (text.len() + 1);
    let mut out = text.to_vec();
    match *edit {
        Edit::FlipBit(i, bit) => {
            if !out.is_empty() {
                let k = i % out.len();
                out[k] ^= 1 << bit;
            }
        }
        Edit::Truncate(i) => out.truncate(at(i)),
        Edit::Delete(i, n) => {
            let start = at(i);
            let end = (start + n).min(out.len());
            out.drain(start..end);
        }
        Edit::Splice(i, donor, from, len) => {
            if let Some(d) = donors.get(donor % donors.len().max(1)) {
                let from = from % (d.len() + 1);
                let end = (from + len).min(d.len());
                let k = at(i);
                out.splice(k..k, d[from..end].iter().copied());
            }
        }
        Edit::Number(i, n) => {
            let starts: Vec<usize> = (0..text.len())
                .filter(|&k| {
                    text[k].is_ascii_digit() && (k == 0 || !text[k - 1].is_ascii_alphanumeric())
                })
                .collect();
            if let Some(&start) = starts.get(i % starts.len().max(1)) {
                let end = (start..text.len())
                    .find(|&k| !(text[k].is_ascii_digit() || matches!(text[k], b'.' | b'e')))
                    .unwrap_or(text.len());
                out.splice(start..end, n.bytes());
            }
        }
        Edit::DuplicateLine(i) => {
            let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
            let k = i % lines.len().max(1);
            out.clear();
            for (j, line) in lines.iter().enumerate() {
                out.extend_from_slice(line);
                if j == k {
                    out.extend_from_slice(line);
                }
            }
        }
        Edit::SwapLines(a, b) => {
            let mut lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
            if !lines.is_empty() {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            out = lines.concat();
        }
        Edit::Insert(i, c) => {
            let k = at(i);
            let mut buf = [0; 4];
            out.splice(k..k, c.encode_utf8(&mut buf).bytes());
        }
    }
    out
}
