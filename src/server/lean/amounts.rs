//! Lean's amounts are JSON numbers (sometimes strings); the app keeps money as integer minor units.
//! They are read from their text so no binary float touches money; `model::format_minor` writes
//! them back.

use serde_json::Value;

use crate::model::Money;

/// A JSON number or numeric string as minor units (hundredths).
pub fn minor_units(v: &Value) -> Option<i64> {
    minor_units_in(v, 2)
}

/// A JSON number or numeric string as minor units with `places` digits after the point (three for a
/// dinar); digits beyond those are dropped, as a bank statement shows them.
pub fn minor_units_in(v: &Value, places: u32) -> Option<i64> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let width = places as usize;
    let kept = frac.get(..width).unwrap_or(frac);
    let fraction: i64 = if width == 0 { 0 } else { format!("{kept:0<width$}").parse().ok()? };
    let value = whole.parse::<i64>().ok()?.checked_mul(10i64.pow(places))?.checked_add(fraction)?;
    Some(if neg { -value } else { value })
}

/// Minor units as the JSON number Lean takes, made at this boundary only. Dividing the exact integer by
/// 100 rounds once, to the double nearest the decimal, which serde_json prints back as that decimal
/// for any amount below 2^53/100.
pub fn wire_number(minor: i64) -> f64 {
    minor as f64 / 100.0
}

/// A Data API item's `amount: {amount, currency}` with its credit/debit indicator, as signed money in
/// that currency's own minor units.
pub fn signed_money(item: &Value) -> Money {
    let amount = item.get("amount");
    let currency = amount.and_then(|a| a.get("currency")).and_then(Value::as_str).unwrap_or_default();
    let value = amount
        .and_then(|a| a.get("amount"))
        .and_then(|v| minor_units_in(v, Money::minor_digits(currency)))
        .unwrap_or(0);
    let debit = item.get("credit_debit_indicator").and_then(Value::as_str) == Some("DEBIT");
    Money::new(if debit { -value.abs() } else { value }, currency)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn money_is_read_as_text_not_float() {
        assert_eq!(minor_units(&json!(1017.92)), Some(101_792));
        assert_eq!(minor_units(&json!(0.1)), Some(10));
        assert_eq!(minor_units(&json!(25)), Some(2_500));
        assert_eq!(minor_units(&json!("-3.5")), Some(-350));
        assert_eq!(minor_units(&json!("abc")), None);
    }

    #[test]
    fn data_amounts_keep_their_currency_s_digits() {
        let kwd =
            json!({"amount": {"amount": 1017.925, "currency": "KWD"}, "credit_debit_indicator": "DEBIT"});
        assert_eq!(signed_money(&kwd), Money::new(-1_017_925, "KWD"));
        let aed =
            json!({"amount": {"amount": "41511.734", "currency": "AED"}, "credit_debit_indicator": "CREDIT"});
        assert_eq!(signed_money(&aed), Money::new(4_151_173, "AED"));
        assert_eq!(minor_units_in(&json!(7), 3), Some(7_000));
    }

    #[test]
    fn wire_numbers_print_as_their_decimal() {
        for minor in [1, 10, 12_550, 101_792, 9_999_999_999, 1_234_567_890_123] {
            let printed = serde_json::to_string(&json!(wire_number(minor))).unwrap();
            let expected = crate::model::format_minor(minor);
            let expected = expected.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(printed.trim_end_matches(".0"), expected, "{minor}");
        }
    }
}
