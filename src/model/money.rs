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

/// "125.50 AED".
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
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
}
