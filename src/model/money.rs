//! Money as integer minor units of its currency: never a float, and never an amount without its
//! currency.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Hundredths of a dirham or riyal; thousandths of a dinar (see [`Money::minor_digits`]).
    pub minor: i64,
    /// The ISO 4217 code, as Lean gives it.
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: impl Into<String>) -> Self {
        Money { minor, currency: currency.into() }
    }

    /// How many digits the currency has after the point (ISO 4217): three for the dinars of Kuwait,
    /// Bahrain, Oman, Jordan, Iraq, Libya and Tunisia, two for the rest this app meets.
    pub fn minor_digits(currency: &str) -> u32 {
        match currency {
            "KWD" | "BHD" | "OMR" | "JOD" | "IQD" | "LYD" | "TND" => 3,
            _ => 2,
        }
    }

    /// The amount as a plain decimal with the currency's digits: "125.50", "-3.500".
    pub fn decimal(&self) -> String {
        let digits = Self::minor_digits(&self.currency);
        let scale = 10i64.pow(digits);
        let sign = if self.minor < 0 { "-" } else { "" };
        let (whole, frac) =
            (self.minor.unsigned_abs() / scale as u64, self.minor.unsigned_abs() % scale as u64);
        format!("{sign}{whole}.{frac:0width$}", width = digits as usize)
    }
}

impl Money {
    /// The amount with its thousands grouped, for reading: "41,511.73", "-1,250.500".
    ///
    /// One form for both languages: the app writes Latin digits with a comma between thousands and a
    /// point before the fraction, as CLDR's Arabic (`ar`, `ar-AE`) does with Latin digits, as Lean's
    /// Link UI shows amounts, and as people type them into this app's forms.
    pub fn grouped(&self) -> String {
        let plain = self.decimal();
        let (sign, rest) = plain.split_at(usize::from(plain.starts_with('-')));
        let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let mut out = String::with_capacity(plain.len() + whole.len() / 3);
        out.push_str(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        out
    }
}

/// "41,511.73 AED": how every amount in the app is shown (see [`Money::grouped`]).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.grouped(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn amounts_keep_their_currency_s_digits() {
        assert_eq!(Money::new(12_550, "AED").to_string(), "125.50 AED");
        assert_eq!(Money::new(-350, "SAR").decimal(), "-3.50");
        assert_eq!(Money::new(1_250, "KWD").decimal(), "1.250");
        assert_eq!(Money::new(5, "AED").decimal(), "0.05");
    }

    #[test]
    fn amounts_are_shown_with_thousands_grouped() {
        assert_eq!(Money::new(4_151_173, "AED").to_string(), "41,511.73 AED");
        assert_eq!(Money::new(123_456_789, "SAR").grouped(), "1,234,567.89");
        assert_eq!(Money::new(-1_250_500, "KWD").to_string(), "-1,250.500 KWD");
        assert_eq!(Money::new(99_999, "BHD").grouped(), "99.999");
        assert_eq!(Money::new(-5, "AED").grouped(), "-0.05");
        assert_eq!(Money::new(100_000, "AED").grouped(), "1,000.00");
    }
}
