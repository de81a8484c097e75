//! The payments domain's webhooks: payloads shaped as in Lean's samples, and the delivery lane
//! each goes on. A lane delivers in order, so all events about one intent (its payments
//! included), source, consent or AoF payment share one: a merchant never sees `payment.updated`
//! before the `payment.created` it follows.

use std::sync::Arc;

use serde_json::{json, Value};

use super::views::{add_failure_codes, amount_json};
use super::{AofConsent, AofPayment, Beneficiary, BulkIntent, Intent, Payment, PaymentSource};
use crate::app::App;
use crate::banks::MockBank;

pub const PAYMENT_CREATED: &str = "A payment object has been created.";
pub const PAYMENT_UPDATED: &str = "A payment object has been updated.";

pub fn intent_lane(intent_id: impl std::fmt::Display) -> String {
    format!("intent:{intent_id}")
}

pub fn aof_lane(payment_id: impl std::fmt::Display) -> String {
    format!("aof:{payment_id}")
}

fn source_lane(source_id: impl std::fmt::Display) -> String {
    format!("source:{source_id}")
}

/// A webhook that cannot be logged must not fail the API call or transition that caused it;
/// the failure is only reported in the log.
pub fn emit(app: &Arc<App>, lane: &str, kind: &str, message: &str, payload: Value) {
    if let Err(err) = app.webhooks.emit(app, lane, kind, message, payload) {
        tracing::error!(%err, kind, "could not emit payments webhook");
    }
}

pub fn payment_payload(p: &Payment) -> Value {
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

pub fn aof_payload(p: &AofPayment) -> Value {
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

pub fn emit_payment_created(app: &Arc<App>, p: &Payment) {
    emit(app, &intent_lane(p.intent_id), "payment.created", PAYMENT_CREATED, payment_payload(p));
}

pub fn emit_payment_updated(app: &Arc<App>, p: &Payment) {
    emit(app, &intent_lane(p.intent_id), "payment.updated", PAYMENT_UPDATED, payment_payload(p));
}

pub fn emit_aof_payment_created(app: &Arc<App>, p: &AofPayment) {
    emit(app, &aof_lane(p.id), "payment.created", PAYMENT_CREATED, aof_payload(p));
}

pub fn emit_aof_payment_updated(app: &Arc<App>, p: &AofPayment) {
    emit(app, &aof_lane(p.id), "payment.updated", PAYMENT_UPDATED, aof_payload(p));
}

pub fn emit_intent_created(app: &Arc<App>, i: &Intent) {
    emit(
        app,
        &intent_lane(i.id),
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

/// `view` is the bulk intent's REST view, whose currency and total the payload repeats.
pub fn emit_bulk_intent_created(app: &Arc<App>, bulk: &BulkIntent, view: &Value) {
    if let Err(err) = app.webhooks.emit(
        app,
        &format!("bulk:{}", bulk.id),
        "bulk_payment_intent.created",
        "Bulk payment intent created",
        json!({
            "bulk_payment_intent_id": bulk.id,
            "customer_id": bulk.customer_id,
            "status": "INTENT_CREATED",
            "currency": view["currency"],
            "total_amount": view["total_amount"],
            "payment_intent_ids": bulk.intent_ids,
        }),
    ) {
        tracing::error!(%err, "could not emit bulk intent webhook");
    }
}

pub fn emit_source_created(app: &Arc<App>, source: &PaymentSource, bank: &MockBank) {
    emit(
        app,
        &source_lane(source.id),
        "payment_source.created",
        "A payment source was pre-authorized by your customer.",
        json!({
            "id": source.id,
            "status": source.status,
            "bank_name": bank.name,
            "customer_id": source.customer_id,
            "end_user_id": source.end_user_id,
            "bank_identifier": bank.identifier,
        }),
    );
}

/// `kind` is `payment_source.beneficiary.created` or `payment_source.beneficiary.updated`.
pub fn emit_beneficiary(app: &Arc<App>, s: &PaymentSource, b: &Beneficiary, kind: &str) {
    emit(
        app,
        &source_lane(s.id),
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

/// Lean's docs say consent changes come by webhook but name neither the event nor its payload. The
/// name and the keys are the ones integrators handle (REFERENCE §8.5): the consent's `id`, its
/// `customer_id` and `status`, and `consent_type`. Nothing else is sent, so a merchant learns the
/// rest (the bank, the account) from `GET /consents/v1/{id}`, as it would have to with Lean.
pub fn emit_consent_status(app: &Arc<App>, c: &AofConsent) {
    emit(
        app,
        &format!("consent:{}", c.id),
        "consent.status.updated",
        "A consent status has been updated.",
        json!({
            "id": c.id,
            "customer_id": c.customer_id,
            "status": c.status,
            "consent_type": "ACCOUNT_ON_FILE",
        }),
    );
}
