//! Number formatting shared by the score and the report: one rounding rule below both, so
//! the figure the debrief shows and the figure the report writes can never differ.

/// Rounds to `digits` decimals (and turns -0 into 0) so reports stay short and stable.
pub fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::round;

    #[test]
    fn rounds_and_never_says_minus_zero() {
        assert_eq!(round(1.23456, 2), 1.23);
        assert_eq!(round(-0.0001, 2).to_bits(), 0.0f64.to_bits());
        assert_eq!(round(2.5, 0), 3.0);
    }
}
