//! The JSON shapes Lean gives destinations, payment sources, intents, payments and consents in
//! its REST responses. Webhook payloads are shaped in `webhooks`.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::account_on_file::consumption;
use super::{
    AofConsent, AofPayment, Beneficiary, BulkIntent, Destination, Intent, Payment, PaymentSource,
    PaymentsState,
};

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// `25.0` is sent as `25`, as in Lean's webhook samples.
pub fn amount_json(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!((v * 100.0).round() / 100.0)
    }
}

/// Leaves out the `keys` that are not set: the exports type them as plain strings or objects (not
/// nullable), so an unset one is absent rather than `null`.
fn without_unset(mut v: Value, keys: &[&str]) -> Value {
    if let Some(obj) = v.as_object_mut() {
        for key in keys {
            if obj.get(*key).is_some_and(Value::is_null) {
                obj.remove(*key);
            }
        }
    }
    v
}

pub fn destination_json(d: &Destination) -> Value {
    let v = json!({
        "id": d.id,
        "name": d.name,
        "display_name": d.display_name,
        "iban": d.iban,
        "account_number": d.account_number,
        "swift_code": d.swift_code,
        "address": d.address,
        "city": d.city,
        "country": d.country,
        "currency": d.currency,
        "currency_iso_code": d.currency,
        "bank_type": d.bank_type,
        "bank_identifier": d.bank_identifier,
        "branch_address": d.branch_address,
        "customer_id": d.customer_id,
        "owner_type": if d.customer_id.is_some() { "CUSTOMER" } else { "APPLICATION" },
        "status": "CONFIRMED",
        "confirmation_of_payee_status": "MATCH",
        "default": d.default,
        "created_at": ts(d.created_at),
    });
    without_unset(v, &["swift_code", "bank_identifier", "branch_address", "customer_id"])
}

pub fn source_json(s: &PaymentSource, app_id: &str) -> Value {
    json!({
        "id": s.id,
        "customer_id": s.customer_id,
        "app_id": app_id,
        "bank_identifier": s.bank_identifier,
        "status": s.status,
        "beneficiary_cool_off_expiry": s.beneficiaries.iter().map(|b| b.cool_off_expiry).max().map(ts),
        "beneficiaries": s.beneficiaries.iter().map(beneficiary_json).collect::<Vec<_>>(),
        "accounts": s.accounts.iter().map(|a| json!({
            "id": a.id,
            "account_id": a.id,
            "account_name": a.account_name,
            "account_number": &a.iban[a.iban.len().saturating_sub(12)..],
            "iban": a.iban,
            "balance": amount_json(a.balance),
            "currency": a.currency,
            "balance_last_updated": ts(s.created_at),
        })).collect::<Vec<_>>(),
    })
}

pub fn beneficiary_json(b: &Beneficiary) -> Value {
    json!({
        "id": b.id,
        "payment_destination_id": b.payment_destination_id,
        "status": b.status,
        "beneficiary_cool_off_expiry": ts(b.cool_off_expiry),
    })
}

pub fn payment_json(p: &Payment) -> Value {
    let mut v = json!({
        "id": p.id,
        "payment_intent_id": p.intent_id,
        "payment_source_id": p.payment_source_id,
        "customer_id": p.customer_id,
        "payment_destination_id": p.payment_destination_id,
        "sender_details": {"account_number": p.sender.account_number, "iban": p.sender.iban, "name": p.sender.name},
        "recipient_details": {"account_number": p.recipient.account_number, "iban": p.recipient.iban, "name": p.recipient.name},
        "amount": amount_json(p.amount),
        "currency": p.currency,
        "description": p.description,
        "submission_timestamp": ts(p.created_at),
        "initiation_timestamp": ts(p.created_at),
        "status": p.status,
        "bank_transaction_reference": p.bank_transaction_reference,
    });
    add_failure_codes(&mut v, p);
    v
}

/// A scenario-failed payment also carries its granular code (absent otherwise).
pub(super) fn add_failure_codes(v: &mut Value, p: &Payment) {
    if let (Some(obj), Some(code)) = (v.as_object_mut(), &p.granular_status_code) {
        obj.insert("granular_status_code".into(), json!(code));
        obj.insert("status_additional_info".into(), json!(p.status_additional_info));
    }
}

/// The intent's REST view; `payments` and `payment_destination` are embedded.
pub fn intent_json(i: &Intent, st: &PaymentsState) -> Value {
    let payments: Vec<Value> = st.payments.iter().filter(|p| p.intent_id == i.id).map(payment_json).collect();
    let dest = st.destinations.iter().find(|d| d.id == i.payment_destination_id).map(destination_json);
    json!({
        "payment_intent_id": i.id,
        "customer_id": i.customer_id,
        "amount": amount_json(i.amount),
        "currency": i.currency,
        "description": i.description,
        "purpose_code": i.purpose_code,
        "bulk_payment_intent_id": i.bulk_payment_intent_id,
        "payments": payments,
        "payment_destination": dest,
        "created_at": ts(i.created_at),
        "updated_at": ts(i.updated_at),
    })
}

/// The latest payment status of an intent, or INTENT_CREATED; used by the `status` filter.
pub fn intent_status(i: &Intent, st: &PaymentsState) -> String {
    st.payments
        .iter()
        .filter(|p| p.intent_id == i.id)
        .max_by_key(|p| p.created_at)
        .map(|p| p.status.clone())
        .unwrap_or_else(|| "INTENT_CREATED".to_string())
}

pub fn consent_json(c: &AofConsent, app_id: &str, st: &PaymentsState) -> Value {
    let mut cp = c.control_parameters.clone();
    if let Some(obj) = cp.as_object_mut() {
        obj.entry("type").or_insert_with(|| json!("VariableOnDemand"));
    }
    let consumption = (c.status == "AUTHORISED" || c.status == "CONSUMED").then(|| {
        let (n, v, pn, pv) = consumption(c, st);
        json!({
            "cumulative_number_of_payments": n,
            "cumulative_value_of_payments": amount_json(v),
            "cumulative_number_of_payments_in_current_period": pn,
            "cumulative_value_of_payments_in_current_period": amount_json(pv),
        })
    });
    let purpose_desc = match c.purpose.as_str() {
        "FIS" => "Financial services",
        "TCS" => "Telecommunication services",
        "MWP" => "Mobile wallet card payments",
        "OAT" => "Own account transfer",
        "IFS" => "Information services",
        "RNT" => "Rent payments",
        "LNC" => "Loan charges",
        "PIN" => "Personal investments",
        _ => "Goods bought or sold",
    };
    let v = json!({
        "id": c.id,
        "consent_id": c.id,
        "consent_type": "ACCOUNT_ON_FILE",
        "application_id": app_id,
        "bank_identifier": c.bank_identifier,
        "customer_id": c.customer_id,
        "status": c.status,
        "start_date_time": ts(c.start_date_time),
        "expiration_date_time": ts(c.expiration_date_time),
        "destination_account_id": c.destination_account_id,
        "sender_account_id": c.sender_account_id,
        "reference": c.reference,
        "currency": c.currency,
        "purpose": c.purpose,
        "payment_purpose": {"code": c.purpose, "description": purpose_desc},
        "consented_account": c.consented_iban.as_ref().map(|iban| json!({"iban": iban, "holder_name": c.holder_name})),
        "control_parameters": cp,
        "payment_consumption": consumption,
        "immediate_payment": c.immediate_payment,
        "created_at": ts(c.created_at),
        "updated_at": ts(c.updated_at),
    });
    // Not authorised yet: no consented account, and no bank until one is chosen.
    without_unset(v, &["consented_account", "bank_identifier"])
}

/// An AoF payment. `sub_status` (never set by the sandbox) and `failure_details` (only on failed
/// payments) are left out when unset, as in account-on-file.yml's minimal example; the request's
/// `creditor_reference` is kept but not echoed (InitiateAccountOnFilePaymentResponse has no such field).
pub fn aof_payment_json(p: &AofPayment, app_id: &str) -> Value {
    let mut v = json!({
        "id": p.id,
        "account_id": p.account_id,
        "application_id": app_id,
        "consent_id": p.consent_id,
        "status": p.status,
        "reference": p.reference,
        "amount": {"currency": p.currency, "amount": amount_json(p.amount)},
        "type": "ACCOUNT_ON_FILE",
        "sender_customer_id": p.customer_id,
        "created_at": ts(p.created_at),
        "last_modified_at": ts(p.last_modified_at),
    });
    if let Some(f) = &p.failure_details {
        v["failure_details"] = f.clone();
    }
    v
}

/// A bulk intent with its member intents embedded and their amounts totalled.
pub fn bulk_json(b: &BulkIntent, st: &PaymentsState) -> Value {
    let intents: Vec<Value> = b
        .intent_ids
        .iter()
        .filter_map(|id| st.intents.iter().find(|i| i.id == *id))
        .map(|i| intent_json(i, st))
        .collect();
    let total: f64 =
        b.intent_ids.iter().filter_map(|id| st.intents.iter().find(|i| i.id == *id)).map(|i| i.amount).sum();
    json!({
        "bulk_payment_intent_id": b.id,
        "customer_id": b.customer_id,
        "currency": b.currency,
        "total_amount": amount_json(total),
        "payment_intents": intents,
        "created_at": ts(b.created_at),
    })
}
