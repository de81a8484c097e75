//! Input checks shared by the payments endpoints: IBANs, amounts, currencies, transfer limits and
//! purpose codes. Each returns the exact error Lean's API answers with.

use axum::http::StatusCode;
use serde_json::Value;

use crate::banks;
use crate::error::{ApiError, ApiResult};

pub const PURPOSE_CODES: [&str; 9] = ["FIS", "TCS", "MWP", "OAT", "IFS", "RNT", "LNC", "PIN", "GDS"];
pub const CURRENCIES: [&str; 2] = ["AED", "SAR"];

/// Lean's IBAN check: 15-34 alphanumerics, country prefix, and ISO 7064 mod-97 == 1.
pub fn valid_iban(raw: &str) -> bool {
    let iban = normalise_iban(raw);
    if !(15..=34).contains(&iban.len()) || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let b = iban.as_bytes();
    if !b[0].is_ascii_alphabetic() || !b[1].is_ascii_alphabetic() {
        return false;
    }
    if !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
        return false;
    }
    let expected_len = match &iban[..2] {
        "AE" => Some(23),
        "SA" => Some(24),
        "GB" => Some(22),
        "DE" => Some(22),
        _ => None,
    };
    if expected_len.is_some_and(|n| n != iban.len()) {
        return false;
    }
    mod97(&format!("{}{}", &iban[4..], &iban[..4])) == 1
}

pub fn normalise_iban(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase()
}

/// Builds a valid IBAN (correct check digits) for `country` + `bban`.
pub fn make_iban(country: &str, bban: &str) -> String {
    let rem = mod97(&format!("{bban}{country}00"));
    format!("{country}{:02}{bban}", 98 - rem)
}

/// ISO 7064 mod-97 of an IBAN rearranged with its first four characters last, letters counting
/// as two digits (A = 10 … Z = 35); folded as it goes because the number has up to 68 digits.
fn mod97(rearranged: &str) -> u32 {
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem
}

/// A positive amount with at most two decimals; otherwise INVALID_AMOUNT.
pub fn parse_amount(field: &str, v: Option<&Value>) -> ApiResult<f64> {
    let v = v
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::missing_parameters(format!("{field} is required.")))?;
    let Value::Number(n) = v else {
        return Err(invalid_amount(format!("{field} must be a number.")));
    };
    // Decimals are counted on the text: scaling the f64 instead is inexact (0.29 * 100 = 28.999…).
    let text = n.to_string();
    if text.contains(['e', 'E']) {
        return Err(invalid_amount(format!("{field} must be a plain decimal.")));
    }
    if let Some((_, decimals)) = text.split_once('.') {
        if decimals.trim_end_matches('0').len() > 2 {
            return Err(invalid_amount(format!("{field} must have at most 2 decimal places.")));
        }
    }
    let value = n.as_f64().unwrap_or(0.0);
    if value <= 0.0 || !value.is_finite() {
        return Err(invalid_amount(format!("{field} must be greater than 0.")));
    }
    Ok(value)
}

/// `v` with decimal text ("5", "1000.00") read as the number it spells. Lean's own Account-on-File
/// requests (its Postman collection, payments.yml's examples) send amounts that way and its API takes
/// them; anything else is left for `parse_amount` to refuse.
pub fn decimal_text(v: &Value) -> Value {
    let Value::String(text) = v else { return v.clone() };
    let text = text.trim();
    let plain = match text.split_once('.') {
        Some((whole, frac)) => {
            !frac.is_empty()
                && frac.chars().all(|c| c.is_ascii_digit())
                && !whole.is_empty()
                && whole.chars().all(|c| c.is_ascii_digit())
        }
        None => !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()),
    };
    match plain.then(|| serde_json::from_str::<serde_json::Number>(text).ok()).flatten() {
        Some(n) => Value::Number(n),
        None => v.clone(),
    }
}

/// `parse_amount` for Account-on-File amounts, which may come as decimal text.
pub fn parse_aof_amount(field: &str, v: Option<&Value>) -> ApiResult<f64> {
    parse_amount(field, v.map(decimal_text).as_ref())
}

fn invalid_amount(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_AMOUNT", msg)
}

/// The min/max the mock banks publish in `transfer_limits` for `currency`; read from the banks'
/// own JSON so the limits enforced here are the ones `GET /banks/v1` shows.
fn transfer_limits(currency: &str) -> (f64, f64) {
    let mut min = f64::MAX;
    let mut max: f64 = 0.0;
    for bank in banks::BANKS.iter() {
        let j = bank.to_json("");
        for l in j["transfer_limits"].as_array().into_iter().flatten() {
            if l["currency"] == currency {
                min = min.min(l["min"].as_f64().unwrap_or(1.0));
                max = max.max(l["max"].as_f64().unwrap_or(1_000_000.0));
            }
        }
    }
    if max == 0.0 {
        (1.0, 1_000_000.0)
    } else {
        (min, max)
    }
}

pub fn check_limits(amount: f64, currency: &str) -> ApiResult<()> {
    let (min, max) = transfer_limits(currency);
    if amount < min {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "AMOUNT_UNDER_MIN_VALUE",
            format!("The amount is below the minimum of {min} {currency}."),
        ));
    }
    if amount > max {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "AMOUNT_OVER_MAX_VALUE",
            format!("The amount is above the maximum of {max} {currency}."),
        ));
    }
    Ok(())
}

pub fn check_currency(v: Option<&Value>) -> ApiResult<String> {
    let c = v.and_then(Value::as_str).ok_or_else(|| ApiError::missing_parameters("currency is required."))?;
    if !CURRENCIES.contains(&c) {
        return Err(ApiError::invalid_parameters("currency must be AED or SAR in this sandbox."));
    }
    Ok(c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn iban_checks() {
        assert!(valid_iban("AE07 0331 2345 6789 0123 456"));
        assert!(valid_iban("GB82WEST12345698765432"));
        assert!(!valid_iban("AE08 0331 2345 6789 0123 456"));
        assert!(!valid_iban("AE070331234567890123"));
        let made = make_iban("SA", "80000000608010167519");
        assert!(valid_iban(&made), "{made}");
        assert_eq!(made, "SA0380000000608010167519");
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("a", Some(&json!(10.5))).unwrap(), 10.5);
        assert!(parse_amount("a", Some(&json!(10.555))).is_err());
        assert!(parse_amount("a", Some(&json!(0))).is_err());
        assert!(parse_amount("a", Some(&json!("10"))).is_err());
    }
}
