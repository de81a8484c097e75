//! Validation rules, REST/webhook views and the state transitions of the payments domain.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    AofConsent, AofPayment, Beneficiary, Destination, Intent, Party, Payment, PaymentSource, SourceAccount,
};
use crate::app::App;
use crate::banks::{self, MockBank};
use crate::error::{ApiError, ApiResult};

pub const COOL_OFF: &str = "AWAITING_BENEFICIARY_COOL_OFF";
pub const ACTIVE: &str = "ACTIVE";
pub const PENDING_WITH_BANK: &str = "PENDING_WITH_BANK";
pub const ACCEPTED_BY_BANK: &str = "ACCEPTED_BY_BANK";
pub const REJECTED_BY_BANK: &str = "REJECTED_BY_BANK";
pub const FAILED: &str = "FAILED";

pub const PURPOSE_CODES: [&str; 9] = ["FIS", "TCS", "MWP", "OAT", "IFS", "RNT", "LNC", "PIN", "GDS"];
pub const CURRENCIES: [&str; 2] = ["AED", "SAR"];

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

// ---------------------------------------------------------------- validation

/// Lean's IBAN check: 15-34 alphanumerics, country prefix, and ISO 7064 mod-97 == 1.
pub fn valid_iban(raw: &str) -> bool {
    let iban: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
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
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

pub fn normalise_iban(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase()
}

/// Builds a valid IBAN (correct check digits) for `country` + `bban`.
pub fn make_iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    format!("{country}{:02}{bban}", 98 - rem)
}

/// A positive amount with at most two decimals; otherwise INVALID_AMOUNT.
pub fn parse_amount(field: &str, v: Option<&Value>) -> ApiResult<f64> {
    let v = v
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::missing_parameters(format!("{field} is required.")))?;
    let Value::Number(n) = v else {
        return Err(invalid_amount(format!("{field} must be a number.")));
    };
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

pub fn invalid_amount(msg: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_AMOUNT", msg)
}

/// The min/max the mock banks publish in `transfer_limits` for `currency`.
pub fn transfer_limits(currency: &str) -> (f64, f64) {
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

pub fn unknown_destination() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT_DESTINATION",
        "No payment destination was found for the identifier you have provided.",
    )
}
pub fn unknown_intent() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT_INTENT",
        "No payment intent was found for the identifier you have provided.",
    )
}
pub fn unknown_source() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT_SOURCE",
        "No payment source was found for the identifier you have provided.",
    )
}
pub fn unknown_payment() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_PAYMENT",
        "No payment was found for the identifier you have provided.",
    )
}
pub fn unknown_consent() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "UNKNOWN_CONSENT",
        "No consent was found for the identifier you have provided.",
    )
}

/// Sandbox outcome rule: cents `.66` → REJECTED_BY_BANK, `.99` → FAILED, else accepted.
pub fn bank_outcome(amount: f64) -> &'static str {
    let cents = ((amount * 100.0).round() as i64).rem_euclid(100);
    match cents {
        66 => REJECTED_BY_BANK,
        99 => FAILED,
        _ => ACCEPTED_BY_BANK,
    }
}

// ---------------------------------------------------------------- JSON views

pub fn destination_json(d: &Destination) -> Value {
    json!({
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
    })
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
fn add_failure_codes(v: &mut Value, p: &Payment) {
    if let (Some(obj), Some(code)) = (v.as_object_mut(), &p.granular_status_code) {
        obj.insert("granular_status_code".into(), json!(code));
        obj.insert("status_additional_info".into(), json!(p.status_additional_info));
    }
}

/// The intent's REST view; `payments` and `payment_destination` are embedded.
pub fn intent_json(i: &Intent, st: &super::PaymentsState) -> Value {
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
pub fn intent_status(i: &Intent, st: &super::PaymentsState) -> String {
    st.payments
        .iter()
        .filter(|p| p.intent_id == i.id)
        .max_by_key(|p| p.created_at)
        .map(|p| p.status.clone())
        .unwrap_or_else(|| "INTENT_CREATED".to_string())
}

pub fn consent_json(c: &AofConsent, app_id: &str, st: &super::PaymentsState) -> Value {
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
    json!({
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
    })
}

/// (count, value, count in period, value in period) of non-failed AoF payments.
pub fn consumption(c: &AofConsent, st: &super::PaymentsState) -> (u64, f64, u64, f64) {
    let period = c.control_parameters["period_type"].as_str().unwrap_or("Day");
    let now = Utc::now();
    let days = match period {
        "Week" => 7,
        "Month" => 31,
        "Year" => 366,
        _ => 1,
    };
    let since = now - chrono::Duration::days(days);
    let mut out = (0, 0.0, 0, 0.0);
    for p in st.aof_payments.iter().filter(|p| p.consent_id == c.id && p.status != "FAILED") {
        out.0 += 1;
        out.1 += p.amount;
        if p.created_at >= since {
            out.2 += 1;
            out.3 += p.amount;
        }
    }
    out
}

pub fn aof_payment_json(p: &AofPayment, app_id: &str) -> Value {
    json!({
        "id": p.id,
        "account_id": p.account_id,
        "application_id": app_id,
        "consent_id": p.consent_id,
        "status": p.status,
        "sub_status": null,
        "reference": p.reference,
        "creditor_reference": p.creditor_reference,
        "amount": {"currency": p.currency, "amount": amount_json(p.amount)},
        "type": "ACCOUNT_ON_FILE",
        "sender_customer_id": p.customer_id,
        "created_at": ts(p.created_at),
        "last_modified_at": ts(p.last_modified_at),
        "failure_details": p.failure_details,
    })
}

// ---------------------------------------------------------------- webhooks

pub(crate) fn emit(app: &Arc<App>, lane: &str, kind: &str, message: &str, payload: Value) {
    if let Err(err) = app.webhooks.emit(app, lane, kind, message, payload) {
        tracing::error!(%err, kind, "could not emit payments webhook");
    }
}

pub(crate) fn payment_payload(p: &Payment) -> Value {
    let mut v = json!({
        "id": p.id,
        "amount": amount_json(p.amount),
        "reason": p.description,
        "status": p.status,
        "currency": p.currency,
        "metadata": null,
        "intent_id": p.intent_id,
        "customer_id": p.customer_id,
        "payment_destination_id": p.payment_destination_id,
        "bank_transaction_reference": p.bank_transaction_reference,
    });
    add_failure_codes(&mut v, p);
    v
}

pub fn emit_intent_created(app: &Arc<App>, i: &Intent) {
    emit(
        app,
        &format!("intent:{}", i.id),
        "payment_intent.created",
        "Payment intent created",
        json!({
            "amount": amount_json(i.amount),
            "reason": i.description,
            "status": "INTENT_CREATED",
            "currency": i.currency,
            "metadata": null,
            "intent_id": i.id,
        }),
    );
}

pub fn emit_consent_status(app: &Arc<App>, c: &AofConsent) {
    emit(
        app,
        &format!("consent:{}", c.id),
        "consent.status.updated",
        "A consent status has been updated.",
        json!({
            "id": c.id,
            "consent_id": c.id,
            "customer_id": c.customer_id,
            "status": c.status,
            "consent_type": "ACCOUNT_ON_FILE",
            "bank_identifier": c.bank_identifier,
        }),
    );
}

// ---------------------------------------------------------------- transitions

/// Accounts for a new payment source: the entity's accounts at that bank if the customer has
/// one, otherwise freshly generated ones.
pub fn source_accounts(app: &App, customer_id: Uuid, bank: &MockBank) -> Vec<SourceAccount> {
    let from_entity: Vec<SourceAccount> = app.store.read(|s| {
        s.entities
            .iter()
            .filter(|e| {
                e.customer_id == customer_id && e.bank_identifier == bank.identifier && e.status == "ACTIVE"
            })
            .flat_map(|e| e.accounts.iter())
            .map(|a| SourceAccount {
                id: a.account_id,
                account_name: a.name.clone(),
                iban: a.iban.clone(),
                currency: bank.currency.to_string(),
                balance: 25_000.0,
            })
            .collect()
    });
    if !from_entity.is_empty() {
        return from_entity;
    }
    let mut rng = rand::thread_rng();
    let country = &bank.iban_prefix[..2];
    let digits = if country == "SA" { 20 } else { 19 };
    ["Current Account", "Savings Account"]
        .iter()
        .map(|name| {
            let bban: String = (0..digits).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
            SourceAccount {
                id: Uuid::new_v4(),
                account_name: (*name).to_string(),
                iban: make_iban(country, &bban),
                currency: bank.currency.to_string(),
                balance: 25_000.0,
            }
        })
        .collect()
}

/// The destination an operation targets: the given one (which must exist and be usable by
/// this customer) or the application's default.
pub fn resolve_destination(
    st: &super::PaymentsState,
    customer_id: Uuid,
    id: Option<Uuid>,
) -> ApiResult<Destination> {
    let usable = |d: &&Destination| d.customer_id.is_none() || d.customer_id == Some(customer_id);
    match id {
        Some(id) => st
            .destinations
            .iter()
            .filter(usable)
            .find(|d| d.id == id)
            .cloned()
            .ok_or_else(unknown_destination),
        None => st
            .destinations
            .iter()
            .filter(usable)
            .filter(|d| d.default)
            .max_by_key(|d| d.customer_id.is_some())
            .cloned()
            .ok_or_else(unknown_destination),
    }
}

/// Creates a payment source (connect with `payments`, or createPaymentSource) with a
/// beneficiary for `destination_id` (or the default destination) and starts the cool-off.
pub fn create_source(
    app: &Arc<App>,
    customer_id: Uuid,
    bank: &'static MockBank,
    destination_id: Option<Uuid>,
    end_user_id: Option<String>,
) -> ApiResult<PaymentSource> {
    let dest = app.store.read(|s| resolve_destination(&s.payments, customer_id, destination_id))?;
    let accounts = source_accounts(app, customer_id, bank);
    let now = Utc::now();
    let cool_off = app.store.read(|s| s.payments.settings.beneficiary_cool_off_ms);
    let source = PaymentSource {
        id: Uuid::new_v4(),
        customer_id,
        bank_identifier: bank.identifier.to_string(),
        end_user_id,
        status: COOL_OFF.to_string(),
        accounts,
        beneficiaries: vec![Beneficiary {
            id: Uuid::new_v4(),
            payment_destination_id: dest.id,
            status: COOL_OFF.to_string(),
            cool_off_expiry: now + chrono::Duration::milliseconds(cool_off as i64),
        }],
        created_at: now,
        deleted: false,
    };
    app.store.update(|s| s.payments.sources.push(source.clone()))?;
    let lane = format!("source:{}", source.id);
    emit(
        app,
        &lane,
        "payment_source.created",
        "A payment source was pre-authorized by your customer.",
        json!({
            "id": source.id,
            "status": source.status,
            "bank_name": bank.name,
            "customer_id": customer_id,
            "end_user_id": source.end_user_id,
            "bank_identifier": bank.identifier,
        }),
    );
    let b = source.beneficiaries[0].clone();
    beneficiary_event(app, &source, &b, "payment_source.beneficiary.created");
    schedule_cool_off(app, source.id, b.id, cool_off);
    Ok(source)
}

fn beneficiary_event(app: &Arc<App>, s: &PaymentSource, b: &Beneficiary, kind: &str) {
    emit(
        app,
        &format!("source:{}", s.id),
        kind,
        if kind.ends_with("created") {
            "A beneficiary was added for a payment source."
        } else {
            "A beneficiary was updated for a payment source."
        },
        json!({
            "id": b.id,
            "status": b.status,
            "customer_id": s.customer_id,
            "payment_source_id": s.id,
            "payment_destination_id": b.payment_destination_id,
            "payment_source_bank_identifier": s.bank_identifier,
            "end_user_id": s.end_user_id,
        }),
    );
}

/// Adds `destination_id` as a beneficiary of an existing source (updatePaymentSource /
/// createBeneficiary). An existing beneficiary for that destination is returned unchanged.
pub fn add_beneficiary(
    app: &Arc<App>,
    customer_id: Uuid,
    source_id: Option<Uuid>,
    destination_id: Uuid,
) -> ApiResult<(PaymentSource, Beneficiary)> {
    let cool_off = app.store.read(|s| s.payments.settings.beneficiary_cool_off_ms);
    let now = Utc::now();
    let result = app.store.update(|s| -> ApiResult<_> {
        let dest = resolve_destination(&s.payments, customer_id, Some(destination_id))?;
        let source = s
            .payments
            .sources
            .iter_mut()
            .filter(|p| p.customer_id == customer_id && !p.deleted)
            .find(|p| source_id.is_none_or(|id| id == p.id))
            .ok_or_else(unknown_source)?;
        if let Some(b) = source.beneficiaries.iter().find(|b| b.payment_destination_id == dest.id) {
            return Ok((source.clone(), b.clone(), false));
        }
        let b = Beneficiary {
            id: Uuid::new_v4(),
            payment_destination_id: dest.id,
            status: COOL_OFF.to_string(),
            cool_off_expiry: now + chrono::Duration::milliseconds(cool_off as i64),
        };
        source.beneficiaries.push(b.clone());
        Ok((source.clone(), b, true))
    })??;
    let (source, b, created) = result;
    if created {
        beneficiary_event(app, &source, &b, "payment_source.beneficiary.created");
        schedule_cool_off(app, source.id, b.id, cool_off);
    }
    Ok((source, b))
}

fn schedule_cool_off(app: &Arc<App>, source_id: Uuid, beneficiary_id: Uuid, ms: u64) {
    let bg = app.clone();
    app.webhooks.spawn_background(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        let updated = bg.store.update(|s| {
            let src = s.payments.sources.iter_mut().find(|p| p.id == source_id)?;
            let b = src.beneficiaries.iter_mut().find(|b| b.id == beneficiary_id)?;
            if b.status == ACTIVE {
                return None;
            }
            b.status = ACTIVE.to_string();
            let b = b.clone();
            src.status = ACTIVE.to_string();
            Some((src.clone(), b))
        });
        if let Ok(Some((src, b))) = updated {
            beneficiary_event(&bg, &src, &b, "payment_source.beneficiary.updated");
        }
    });
}

/// Outcome of a pay/checkout attempt that the Link UI shows.
pub enum PayOutcome {
    Created(Box<Payment>),
    /// Flow-level refusal (HTTP 200 with this status), e.g. PENDING_BENEFICIARY_COOL_OFF.
    Refused(&'static str, String),
}

/// Creates a payment for `intent_id` from the chosen account and emits `payment.created`;
/// the bank's verdict follows as `payment.updated` after the settle delay.
/// `legacy` (pay) needs an ACTIVE beneficiary on a payment source; checkout doesn't.
pub fn create_payment(
    app: &Arc<App>,
    customer_id: Uuid,
    intent_id: Uuid,
    bank_identifier: Option<&str>,
    account_id: Option<Uuid>,
    legacy: bool,
) -> ApiResult<PayOutcome> {
    let (intent, dest, sources, previous) = app.store.read(|s| {
        let intent = s.payments.intents.iter().find(|i| i.id == intent_id).cloned();
        let dest = intent
            .as_ref()
            .and_then(|i| s.payments.destinations.iter().find(|d| d.id == i.payment_destination_id).cloned());
        let sources: Vec<PaymentSource> = s
            .payments
            .sources
            .iter()
            .filter(|p| p.customer_id == customer_id && !p.deleted)
            .cloned()
            .collect();
        let previous: Vec<String> = s
            .payments
            .payments
            .iter()
            .filter(|p| p.intent_id == intent_id)
            .map(|p| p.status.clone())
            .collect();
        (intent, dest, sources, previous)
    });
    let intent = intent.ok_or_else(unknown_intent)?;
    if intent.customer_id != customer_id {
        return Err(unknown_intent());
    }
    let dest = dest.ok_or_else(unknown_destination)?;
    if previous.iter().any(|s| s == PENDING_WITH_BANK) {
        return Ok(PayOutcome::Refused(
            "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS",
            "A payment for this intent is already in progress.".into(),
        ));
    }
    if previous.iter().any(|s| s == ACCEPTED_BY_BANK) {
        return Ok(PayOutcome::Refused(
            "PAYMENT_INTENT_ALREADY_PAID",
            "This payment intent has already been paid.".into(),
        ));
    }
    // Pick the source / account.
    let (source_id, bank_id, account) = if legacy {
        let candidates: Vec<&PaymentSource> = sources
            .iter()
            .filter(|p| bank_identifier.is_none_or(|b| b == p.bank_identifier))
            .filter(|p| account_id.is_none_or(|a| p.accounts.iter().any(|x| x.id == a)))
            .collect();
        if candidates.is_empty() {
            return Err(unknown_source());
        }
        let with_benef =
            candidates.iter().find(|p| p.beneficiaries.iter().any(|b| b.payment_destination_id == dest.id));
        let Some(src) = with_benef else {
            return Ok(PayOutcome::Refused(
                "BENEFICIARY_NOT_FOUND",
                "The payment destination is not a beneficiary of this payment source.".into(),
            ));
        };
        let benef = src
            .beneficiaries
            .iter()
            .find(|b| b.payment_destination_id == dest.id)
            .cloned()
            .ok_or_else(unknown_source)?;
        if benef.status != ACTIVE {
            return Ok(PayOutcome::Refused(
                "PENDING_BENEFICIARY_COOL_OFF",
                format!("The beneficiary is in its cool-off period until {}.", ts(benef.cool_off_expiry)),
            ));
        }
        let account = match account_id {
            Some(a) => src.accounts.iter().find(|x| x.id == a).cloned(),
            None => src.accounts.first().cloned(),
        }
        .ok_or_else(|| ApiError::invalid_parameters("Unknown account_id."))?;
        (Some(src.id), src.bank_identifier.clone(), account)
    } else {
        let bank = bank_identifier
            .and_then(banks::find)
            .ok_or_else(|| ApiError::invalid_parameters("Unknown bank_identifier."))?;
        let accounts = match sources.iter().find(|p| p.bank_identifier == bank.identifier) {
            Some(p) => p.accounts.clone(),
            None => source_accounts(app, customer_id, bank),
        };
        let account = match account_id {
            Some(a) => accounts.iter().find(|x| x.id == a).cloned(),
            None => accounts.first().cloned(),
        }
        .ok_or_else(|| ApiError::invalid_parameters("Unknown account_id."))?;
        (None, bank.identifier.to_string(), account)
    };
    if account.currency != intent.currency {
        return Ok(PayOutcome::Refused(
            "FAILED",
            format!("The selected account holds {}, the intent is in {}.", account.currency, intent.currency),
        ));
    }
    let now = Utc::now();
    let holder =
        app.store.read(|s| s.customer(customer_id).map(|c| c.app_user_id.clone()).unwrap_or_default());
    let payment = Payment {
        id: Uuid::new_v4(),
        intent_id,
        customer_id,
        payment_source_id: source_id,
        payment_destination_id: dest.id,
        bank_identifier: bank_id,
        account_id: Some(account.id),
        sender: Party {
            account_number: account.iban[account.iban.len().saturating_sub(12)..].to_string(),
            iban: account.iban.clone(),
            name: holder,
        },
        recipient: Party {
            account_number: dest.account_number.clone(),
            iban: dest.iban.clone().unwrap_or_default(),
            name: dest.name.clone(),
        },
        amount: intent.amount,
        currency: intent.currency.clone(),
        description: intent.description.clone(),
        status: PENDING_WITH_BANK.to_string(),
        bank_transaction_reference: format!("payment-{}", Uuid::new_v4()),
        created_at: now,
        updated_at: now,
        granular_status_code: None,
        status_additional_info: None,
    };
    let settle = app.store.update(|s| {
        s.payments.payments.push(payment.clone());
        if let Some(i) = s.payments.intents.iter_mut().find(|i| i.id == intent_id) {
            i.updated_at = now;
        }
        s.payments.settings.payment_settle_ms
    })?;
    let lane = format!("intent:{intent_id}");
    emit(app, &lane, "payment.created", "A payment object has been created.", payment_payload(&payment));
    schedule_settle(app, payment.id, payment.intent_id, payment.amount, settle);
    Ok(PayOutcome::Created(Box::new(payment)))
}

/// Creates an AoF payment under an AUTHORISED consent (CREATED → PROCESSING → PROCESSED or
/// FAILED by the same cents rule) and emits `payment.created` / `payment.updated`.
/// `p` must already be stored (the caller inserts it under the same lock as its idempotency
/// check).
pub fn start_aof_payment(app: &Arc<App>, p: AofPayment) -> ApiResult<AofPayment> {
    let settle = app.store.read(|s| s.payments.settings.payment_settle_ms);
    let lane = format!("aof:{}", p.id);
    emit(app, &lane, "payment.created", "A payment object has been created.", aof_payload(&p));
    schedule_aof(app, p.id, p.amount, settle);
    Ok(p)
}

/// The bank's verdict on a legacy/SIP payment after `ms`.
fn schedule_settle(app: &Arc<App>, pid: Uuid, intent_id: Uuid, amount: f64, ms: u64) {
    let bg = app.clone();
    let lane = format!("intent:{intent_id}");
    let verdict = bank_outcome(amount);
    app.webhooks.spawn_background(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        let updated = bg.store.update(|s| {
            let p = s.payments.payments.iter_mut().find(|p| p.id == pid)?;
            if p.status != PENDING_WITH_BANK {
                return None;
            }
            p.status = verdict.to_string();
            p.updated_at = Utc::now();
            Some(p.clone())
        });
        if let Ok(Some(p)) = updated {
            emit(&bg, &lane, "payment.updated", "A payment object has been updated.", payment_payload(&p));
        }
    });
}

/// CREATED → PROCESSING → PROCESSED/FAILED for an AoF payment, half of `ms` per step.
fn schedule_aof(app: &Arc<App>, id: Uuid, amount: f64, ms: u64) {
    let bg = app.clone();
    let lane = format!("aof:{id}");
    let verdict = if bank_outcome(amount) == ACCEPTED_BY_BANK { "PROCESSED" } else { "FAILED" };
    app.webhooks.spawn_background(async move {
        for (step, status) in [(ms / 2, "PROCESSING"), (ms / 2, verdict)] {
            tokio::time::sleep(Duration::from_millis(step)).await;
            let updated = bg.store.update(|s| {
                let p = s.payments.aof_payments.iter_mut().find(|p| p.id == id)?;
                if p.status == "PROCESSED" || p.status == "FAILED" || p.status == status {
                    return None;
                }
                p.status = status.to_string();
                p.last_modified_at = Utc::now();
                if status == "FAILED" {
                    p.failure_details = Some(json!({
                        "code": "REJECTED_BY_BANK",
                        "details": "The bank rejected the payment."
                    }));
                }
                Some(p.clone())
            });
            if let Ok(Some(p)) = updated {
                emit(&bg, &lane, "payment.updated", "A payment object has been updated.", aof_payload(&p));
            }
        }
    });
}

/// Restarts the background transitions a previous run left unfinished (cool-offs, bank
/// verdicts), keeping their original deadlines where they are known.
pub fn resume(app: &Arc<App>) {
    let now = Utc::now();
    let (benefs, pays, aofs, settle) = app.store.read(|s| {
        let st = &s.payments;
        let benefs: Vec<(Uuid, Uuid, u64)> = st
            .sources
            .iter()
            .flat_map(|src| src.beneficiaries.iter().map(move |b| (src.id, b)))
            .filter(|(_, b)| b.status != ACTIVE)
            .map(|(sid, b)| (sid, b.id, (b.cool_off_expiry - now).num_milliseconds().max(0) as u64))
            .collect();
        let pays: Vec<(Uuid, Uuid, f64)> = st
            .payments
            .iter()
            .filter(|p| p.status == PENDING_WITH_BANK)
            .map(|p| (p.id, p.intent_id, p.amount))
            .collect();
        let aofs: Vec<(Uuid, f64)> = st
            .aof_payments
            .iter()
            .filter(|p| p.status == "CREATED" || p.status == "PROCESSING")
            .map(|p| (p.id, p.amount))
            .collect();
        (benefs, pays, aofs, st.settings.payment_settle_ms)
    });
    for (sid, bid, ms) in benefs {
        schedule_cool_off(app, sid, bid, ms);
    }
    for (pid, iid, amount) in pays {
        schedule_settle(app, pid, iid, amount, settle);
    }
    for (id, amount) in aofs {
        schedule_aof(app, id, amount, settle);
    }
}

pub(crate) fn aof_payload(p: &AofPayment) -> Value {
    json!({
        "id": p.id,
        "type": "ACCOUNT_ON_FILE",
        "amount": amount_json(p.amount),
        "reason": p.reference,
        "status": p.status,
        "currency": p.currency,
        "metadata": null,
        "consent_id": p.consent_id,
        "customer_id": p.customer_id,
        "account_id": p.account_id,
    })
}

/// Checks an AoF payment against the consent's control parameters.
pub fn check_consent_limits(c: &AofConsent, st: &super::PaymentsState, amount: f64) -> ApiResult<()> {
    let cp = &c.control_parameters;
    let (n, v, pn, pv) = consumption(c, st);
    let exceeded = |what: &str| {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "CONSENT_LIMIT_EXCEEDED",
            format!("The payment would exceed the consent's {what}."),
        ))
    };
    if cp["max_individual_amount"].as_f64().is_some_and(|m| amount > m) {
        return exceeded("max_individual_amount");
    }
    if cp["max_cumulative_amount"].as_f64().is_some_and(|m| v + amount > m + 1e-9) {
        return exceeded("max_cumulative_amount");
    }
    if cp["max_cumulative_number_of_payments"].as_u64().is_some_and(|m| n + 1 > m) {
        return exceeded("max_cumulative_number_of_payments");
    }
    if cp["max_cumulative_amount_per_period"].as_f64().is_some_and(|m| pv + amount > m + 1e-9) {
        return exceeded("max_cumulative_amount_per_period");
    }
    if cp["max_cumulative_number_of_payments_per_period"].as_u64().is_some_and(|m| pn + 1 > m) {
        return exceeded("max_cumulative_number_of_payments_per_period");
    }
    Ok(())
}

/// The bank side of `authorizeConsent`: the consent becomes AUTHORISED for the chosen account,
/// `consent.status.updated` is sent, and an `immediate_payment` is started.
pub fn authorize_consent(
    app: &Arc<App>,
    customer_id: Uuid,
    consent_id: Uuid,
    bank: &'static MockBank,
    account_id: Option<Uuid>,
) -> ApiResult<AofConsent> {
    let accounts = source_accounts(app, customer_id, bank);
    let account = match account_id {
        Some(a) => accounts.iter().find(|x| x.id == a).cloned(),
        None => accounts.first().cloned(),
    }
    .ok_or_else(|| ApiError::invalid_parameters("Unknown account_id."))?;
    let holder =
        app.store.read(|s| s.customer(customer_id).map(|c| c.app_user_id.clone()).unwrap_or_default());
    let now = Utc::now();
    let consent = app.store.update(|s| -> ApiResult<AofConsent> {
        let c = s
            .payments
            .consents
            .iter_mut()
            .find(|c| c.id == consent_id && c.customer_id == customer_id)
            .ok_or_else(unknown_consent)?;
        if c.status != "AWAITING_AUTHORISATION" {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_CONSENT_STATUS",
                format!("The consent is {} and cannot be authorised.", c.status),
            ));
        }
        c.status = "AUTHORISED".to_string();
        c.bank_identifier = Some(bank.identifier.to_string());
        c.sender_account_id = Some(account.id);
        c.consented_iban = Some(account.iban.clone());
        c.holder_name = Some(holder);
        c.updated_at = now;
        Ok(c.clone())
    })??;
    emit_consent_status(app, &consent);
    if let Some(ip) = consent.immediate_payment.clone() {
        let p = AofPayment {
            id: Uuid::new_v4(),
            consent_id,
            idempotency_key: format!("immediate:{consent_id}"),
            customer_id,
            account_id: account.id,
            amount: ip["amount"].as_f64().unwrap_or(0.0),
            currency: consent.currency.clone(),
            reference: ip["reference"].as_str().map(Into::into),
            creditor_reference: ip["creditor_reference"].as_str().map(Into::into),
            status: "CREATED".to_string(),
            failure_details: None,
            created_at: now,
            last_modified_at: now,
        };
        app.store.update(|s| s.payments.aof_payments.push(p.clone()))?;
        start_aof_payment(app, p)?;
    }
    Ok(consent)
}

/// Marks a consent REVOKED (from `POST /consents/v1/{id}/revocation` or manageConsents).
pub fn revoke_consent(app: &Arc<App>, consent_id: Uuid, customer_id: Option<Uuid>) -> ApiResult<AofConsent> {
    let c = app.store.update(|s| -> ApiResult<AofConsent> {
        let c = s
            .payments
            .consents
            .iter_mut()
            .find(|c| c.id == consent_id && customer_id.is_none_or(|id| id == c.customer_id))
            .ok_or_else(unknown_consent)?;
        if c.status != "AUTHORISED" {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "CONSENT_NOT_AUTHORISED",
                format!("The consent is {}; only AUTHORISED consents can be revoked.", c.status),
            ));
        }
        c.status = "REVOKED".to_string();
        c.updated_at = Utc::now();
        Ok(c.clone())
    })??;
    emit_consent_status(app, &c);
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(bank_outcome(10.66), REJECTED_BY_BANK);
        assert_eq!(bank_outcome(10.99), FAILED);
        assert_eq!(bank_outcome(10.0), ACCEPTED_BY_BANK);
    }
}
