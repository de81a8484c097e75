//! Lean's payment destinations and payment sources, read into what the pages show.

use serde_json::Value;

use crate::model::{
    Beneficiary, BeneficiaryStatus, Destination, DestinationId, DestinationStatus, PaymentSource,
    PaymentSourceId, SourceAccount,
};

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn optional(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

pub fn destination(v: &Value) -> Destination {
    Destination {
        id: DestinationId::new(text(v, "id")),
        name: text(v, "name"),
        display_name: text(v, "display_name"),
        iban: text(v, "iban"),
        country: text(v, "country"),
        currency: text(v, "currency"),
        status: DestinationStatus::parse(&text(v, "status")),
        default: v.get("default").and_then(Value::as_bool).unwrap_or(false),
    }
}

pub fn source(v: &Value) -> PaymentSource {
    let beneficiaries =
        v.get("beneficiaries").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    PaymentSource {
        id: PaymentSourceId::new(text(v, "id")),
        bank_identifier: text(v, "bank_identifier"),
        status: BeneficiaryStatus::parse(&text(v, "status")),
        cool_off_expiry: optional(v, "beneficiary_cool_off_expiry"),
        beneficiaries: beneficiaries
            .iter()
            .map(|b| Beneficiary {
                destination_id: DestinationId::new(text(b, "payment_destination_id")),
                status: BeneficiaryStatus::parse(&text(b, "status")),
                cool_off_expiry: optional(b, "beneficiary_cool_off_expiry"),
            })
            .collect(),
        accounts: v
            .get("accounts")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|a| SourceAccount {
                id: text(a, "account_id"),
                name: text(a, "account_name").chars().take(120).collect(),
                iban_end: {
                    let iban = text(a, "iban");
                    iban.chars().skip(iban.chars().count().saturating_sub(4)).collect()
                },
                currency: text(a, "currency").chars().take(3).collect(),
            })
            .filter(|a| !a.id.is_empty())
            .collect(),
    }
}
