//! Lean's Data API answers, read into the summaries the bank page shows.

use serde_json::Value;

use crate::model::{AccountSummary, IdentitySummary, Money, TransactionRow};
use crate::server::lean::amounts::signed_money;

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The array under `key`, or nothing.
pub fn items(data: &Value, key: &str) -> Vec<Value> {
    data.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
}

/// What a person means by "balance": what they can spend now if Lean reports it, else the last
/// booked closing balance, else whatever Lean sent first.
pub fn pick_balance(balances: &[Value]) -> Option<(Money, String)> {
    const PREFERENCE: [&str; 4] =
        ["INTERIM_AVAILABLE", "CLOSING_AVAILABLE", "CLOSING_BOOKED", "INTERIM_BOOKED"];
    let kind = |b: &Value| b.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
    PREFERENCE
        .iter()
        .find_map(|wanted| balances.iter().find(|b| kind(b) == *wanted))
        .or_else(|| balances.first())
        .map(|b| (signed_money(b), kind(b)))
}

pub fn account(v: &Value) -> AccountSummary {
    let iban = v
        .get("account")
        .and_then(Value::as_array)
        .and_then(|ids| ids.iter().find(|i| i.get("scheme_name").and_then(Value::as_str) == Some("IBAN")))
        .and_then(|i| text(i, "identification"))
        .unwrap_or_default();
    AccountSummary {
        id: text(v, "account_id").unwrap_or_default(),
        name: text(v, "nickname").or_else(|| text(v, "description")).unwrap_or_else(|| "Account".into()),
        kind: text(v, "account_sub_type").unwrap_or_default(),
        iban_tail: iban.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect(),
        currency: text(v, "currency").unwrap_or_default(),
        balance: None,
        balance_type: None,
    }
}

pub fn identity(v: &Value) -> IdentitySummary {
    IdentitySummary {
        full_name: text(v, "full_legal_name").or_else(|| text(v, "name")).unwrap_or_default(),
        email: text(v, "email_address"),
        mobile: text(v, "mobile_number").or_else(|| text(v, "phone")),
        address: v.get("address").and_then(|a| text(a, "address_line")),
    }
}

pub fn transaction(v: &Value) -> TransactionRow {
    let insights = v.get("insights").cloned().unwrap_or(Value::Null);
    TransactionRow {
        id: text(v, "transaction_id").unwrap_or_default(),
        date: text(v, "booking_date_time").map(|d| d.chars().take(10).collect()).unwrap_or_default(),
        description: text(&insights, "description_cleansed")
            .or_else(|| text(v, "transaction_information"))
            .unwrap_or_default(),
        category: text(&insights, "category"),
        amount: signed_money(v),
    }
}

#[cfg(test)]
mod tests {
    use super::pick_balance;
    use serde_json::json;

    #[test]
    fn available_balance_is_preferred() {
        let b = |kind: &str, amount: f64| json!({"type": kind, "amount": {"amount": amount, "currency": "AED"}, "credit_debit_indicator": "CREDIT"});
        let picked =
            pick_balance(&[b("OPENING_BOOKED", 1.0), b("CLOSING_BOOKED", 2.0), b("INTERIM_AVAILABLE", 3.0)]);
        assert_eq!(picked, Some((crate::model::Money::new(300, "AED"), "INTERIM_AVAILABLE".into())));
        assert_eq!(pick_balance(&[b("OPENING_BOOKED", 1.0)]).map(|p| p.1), Some("OPENING_BOOKED".into()));
    }
}
