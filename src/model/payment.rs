use serde::{Deserialize, Serialize};

/// A payment destination (Lean §6.1): where money is paid to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub iban: String,
    pub country: String,
    pub currency: String,
    pub status: String,
    pub default: bool,
}

/// One payment intent of the user, with the status of its latest payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub intent_id: String,
    /// "125.50": a decimal string, never a float.
    pub amount: String,
    pub currency: String,
    pub destination_name: Option<String>,
    /// `INTENT_CREATED` until Lean reports a payment, then the latest payment's status.
    pub status: String,
    pub payment_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl PaymentRow {
    /// Lean's payment statuses (§6.3) in plain words.
    pub fn status_text(status: &str) -> &'static str {
        match status {
            "INTENT_CREATED" => "Not paid yet",
            "PENDING_WITH_BANK" => "Waiting for the bank",
            "ACCEPTED_BY_BANK" => "Paid: the bank accepted it",
            "REJECTED_BY_BANK" => "The bank rejected the payment",
            "FAILED" => "The payment failed",
            _ => "Unknown status",
        }
    }

    /// Whether the payer can (still) pay this intent.
    pub fn payable(&self) -> bool {
        matches!(self.status.as_str(), "INTENT_CREATED" | "FAILED" | "REJECTED_BY_BANK")
    }
}

/// A legacy payment source (REFERENCE §6.2): the payer's bank account with its beneficiaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentSource {
    pub id: String,
    pub bank_identifier: String,
    /// `AWAITING_BENEFICIARY_COOL_OFF` or `ACTIVE` (Lean's words).
    pub status: String,
    pub cool_off_expiry: Option<String>,
    /// (destination id, beneficiary status)
    pub beneficiaries: Vec<(String, String)>,
}

/// The payments page: the user's destinations, payment sources and payment history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsOverview {
    pub destinations: Vec<Destination>,
    pub sources: Vec<PaymentSource>,
    pub payments: Vec<PaymentRow>,
}

/// What the browser needs for `Lean.pay` / `Lean.checkout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLaunch {
    pub app_token: String,
    pub customer_id: String,
    pub access_token: String,
    pub sandbox: bool,
    pub language: String,
    #[serde(default)]
    pub customization: std::collections::BTreeMap<String, String>,
    pub payment_intent_id: String,
    pub success_redirect_url: String,
    pub fail_redirect_url: String,
}

/// Currencies Lean's payment intents accept (REFERENCE §6.3).
pub const CURRENCIES: &[&str] = &["AED", "SAR"];

/// The largest amount the form accepts (Lean's own limits are checked by Lean).
const MAX_MINOR: i64 = 100_000_000_000;

/// Reads "125.5" / "125.50" / "125" as minor units (12550), from the text alone: no float is involved.
/// The message is written for the person filling in the form.
pub fn parse_amount(text: &str) -> Result<i64, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter an amount.");
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
        return Err("Enter the amount as a number, like 125.50.");
    }
    if frac.len() > 2 {
        return Err("Use at most two decimals.");
    }
    if whole.len() > 12 {
        return Err("That amount is too large.");
    }
    let whole: i64 = whole.parse().map_err(|_| "Enter the amount as a number, like 125.50.")?;
    let cents: i64 =
        format!("{frac:0<2}").parse().map_err(|_| "Enter the amount as a number, like 125.50.")?;
    let minor = whole * 100 + cents;
    if minor <= 0 {
        return Err("The amount must be more than zero.");
    }
    if minor > MAX_MINOR {
        return Err("That amount is too large.");
    }
    Ok(minor)
}

/// 12550 → "125.50".
pub fn format_minor(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_parsed_from_text() {
        assert_eq!(parse_amount("125.5"), Ok(12_550));
        assert_eq!(parse_amount(" 125.50 "), Ok(12_550));
        assert_eq!(parse_amount("0.10"), Ok(10));
        assert_eq!(parse_amount("7"), Ok(700));
        assert!(parse_amount("0").is_err());
        assert!(parse_amount("0.00").is_err());
        assert!(parse_amount("-5").is_err());
        assert!(parse_amount("1.234").is_err());
        assert!(parse_amount("1e3").is_err());
        assert!(parse_amount("1.").is_err());
        assert!(parse_amount(".5").is_err());
        assert!(parse_amount("abc").is_err());
        assert_eq!(format_minor(12_550), "125.50");
        assert_eq!(format_minor(7), "0.07");
    }
}
