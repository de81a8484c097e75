//! Paying a bulk payment intent from the Link UI's `pay({bulk_payment_intent_id})`: one payment
//! per child intent, all from the one account the payer picked, each made exactly as a single
//! legacy `pay` makes it (`pay::prepare_payment`).
//!
//! All or nothing (our guess; Lean documents neither the bulk body nor Link's bulk screens):
//! every child is checked first, and the first child that a single `pay` would refuse
//! (no ACTIVE beneficiary on the chosen source, cool-off, already paid or in progress,
//! currency) refuses the whole bulk, with nothing paid. Only then are all payments stored, in
//! one state update, each with its own `payment.created` and later `payment.updated`.

use std::sync::Arc;

use uuid::Uuid;

use super::errors::unknown_intent;
use super::pay::{prepare_payment, submit_payments};
use super::{BulkIntent, Payment};
use crate::app::App;
use crate::error::ApiResult;

/// What paying a bulk intent came to.
pub enum BulkOutcome {
    /// One PENDING_WITH_BANK payment per child intent, in the bulk's order.
    Created(Vec<Payment>),
    /// The child intent that cannot be paid, and why (a single `pay`'s refusal status).
    Refused { payment_intent_id: Uuid, status: &'static str, message: String },
}

/// The customer's bulk intent; another customer's is unknown (404), like a single intent.
pub fn customer_bulk(app: &App, customer_id: Uuid, bulk_id: Uuid) -> ApiResult<BulkIntent> {
    app.store
        .read(|s| {
            s.payments.bulk_intents.iter().find(|b| b.id == bulk_id && b.customer_id == customer_id).cloned()
        })
        .ok_or_else(unknown_intent)
}

/// Pays every child intent of `bulk_id` from one account. `bank_identifier` and `account_id`
/// narrow the payment sources as in a single `pay`; the account the first child is paid from
/// is then used for all the others, so one bulk never spreads over several accounts.
pub fn pay_bulk(
    app: &Arc<App>,
    customer_id: Uuid,
    bulk_id: Uuid,
    bank_identifier: Option<&str>,
    account_id: Option<Uuid>,
) -> ApiResult<BulkOutcome> {
    let bulk = customer_bulk(app, customer_id, bulk_id)?;
    let mut bank = bank_identifier.map(str::to_string);
    let mut account = account_id;
    let mut ready = Vec::with_capacity(bulk.intent_ids.len());
    for &intent_id in &bulk.intent_ids {
        match prepare_payment(app, customer_id, intent_id, bank.as_deref(), account, true)? {
            Ok(p) => {
                bank = Some(p.bank_identifier.clone());
                account = p.account_id;
                ready.push(p);
            }
            Err((status, message)) => {
                return Ok(BulkOutcome::Refused { payment_intent_id: intent_id, status, message });
            }
        }
    }
    Ok(match submit_payments(app, ready)? {
        Ok(done) => BulkOutcome::Created(done),
        Err((payment_intent_id, status, message)) => {
            BulkOutcome::Refused { payment_intent_id, status, message }
        }
    })
}
