//! Paying an intent, from the Link UI's legacy `pay` or Open Finance `checkout`: the checks that
//! refuse a payment, the PENDING_WITH_BANK payment itself, and the scheduled bank verdict.

use std::sync::Arc;

use chrono::Utc;
use uuid::Uuid;

use super::errors::{unknown_destination, unknown_intent, unknown_source};
use super::sources::{holder_name, pick_account, source_accounts};
use super::status::{ACCEPTED_BY_BANK, ACTIVE, PENDING_WITH_BANK};
use super::timers::schedule_settle;
use super::views::ts;
use super::webhooks::emit_payment_created;
use super::{Destination, Party, Payment, PaymentSource, SourceAccount};
use crate::app::App;
use crate::banks;
use crate::error::{ApiError, ApiResult};

/// Outcome of a pay/checkout attempt that the Link UI shows.
pub enum PayOutcome {
    Created(Box<Payment>),
    /// Flow-level refusal (HTTP 200 with this status), e.g. PENDING_BENEFICIARY_COOL_OFF.
    Refused(&'static str, String),
}

/// Where the money comes from.
struct Debit {
    source_id: Option<Uuid>,
    bank_identifier: String,
    account: SourceAccount,
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
    let payment = match prepare_payment(app, customer_id, intent_id, bank_identifier, account_id, legacy)? {
        Ok(p) => p,
        Err((status, message)) => return Ok(PayOutcome::Refused(status, message)),
    };
    match submit_payments(app, vec![payment])? {
        Ok(mut done) => Ok(PayOutcome::Created(Box::new(done.remove(0)))),
        Err((_, status, message)) => Ok(PayOutcome::Refused(status, message)),
    }
}

/// A refusal: the flow-level status (HTTP 200 in the Link API) and its message.
pub type Refusal = (&'static str, String);

/// A refusal of one of several intents submitted together: that intent, the status, the message.
pub type IntentRefusal = (Uuid, &'static str, String);

/// Every check `create_payment` makes, without storing anything: the payment it would submit,
/// or the refusal. 4xx errors (unknown intent, source or account) are the request's fault.
pub fn prepare_payment(
    app: &Arc<App>,
    customer_id: Uuid,
    intent_id: Uuid,
    bank_identifier: Option<&str>,
    account_id: Option<Uuid>,
    legacy: bool,
) -> ApiResult<Result<Payment, Refusal>> {
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
    if let Some(refused) = already_paying(previous.iter().map(String::as_str)) {
        return Ok(Err(refused));
    }
    let debit = if legacy {
        match from_source(&sources, &dest, bank_identifier, account_id)? {
            Ok(debit) => debit,
            Err(refused) => return Ok(Err(refused)),
        }
    } else {
        from_bank(app, customer_id, &sources, bank_identifier, account_id)?
    };
    let account = debit.account;
    if account.currency != intent.currency {
        return Ok(Err((
            "FAILED",
            format!("The selected account holds {}, the intent is in {}.", account.currency, intent.currency),
        )));
    }
    let now = Utc::now();
    Ok(Ok(Payment {
        id: Uuid::new_v4(),
        intent_id,
        customer_id,
        payment_source_id: debit.source_id,
        payment_destination_id: dest.id,
        bank_identifier: debit.bank_identifier,
        account_id: Some(account.id),
        sender: Party {
            account_number: account.iban[account.iban.len().saturating_sub(12)..].to_string(),
            iban: account.iban.clone(),
            name: holder_name(app, customer_id),
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
    }))
}

/// The refusal an intent's earlier payments cause: one in progress, or one the bank accepted.
fn already_paying<'a>(previous: impl IntoIterator<Item = &'a str> + Clone) -> Option<Refusal> {
    if previous.clone().into_iter().any(|s| s == PENDING_WITH_BANK) {
        return Some((
            "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS",
            "A payment for this intent is already in progress.".into(),
        ));
    }
    if previous.into_iter().any(|s| s == ACCEPTED_BY_BANK) {
        return Some(("PAYMENT_INTENT_ALREADY_PAID", "This payment intent has already been paid.".into()));
    }
    None
}

/// Stores prepared payments all together or none of them: if an intent gained a payment in
/// progress or an accepted one since it was checked, nothing is stored and that intent's id
/// and refusal come back. Then `payment.created` for each and their settlements are scheduled.
pub fn submit_payments(
    app: &Arc<App>,
    payments: Vec<Payment>,
) -> ApiResult<Result<Vec<Payment>, IntentRefusal>> {
    let stored = app.store.update(|s| {
        for p in &payments {
            let previous =
                s.payments.payments.iter().filter(|x| x.intent_id == p.intent_id).map(|x| x.status.as_str());
            if let Some((status, message)) = already_paying(previous) {
                return Err((p.intent_id, status, message));
            }
        }
        for p in &payments {
            s.payments.payments.push(p.clone());
            if let Some(i) = s.payments.intents.iter_mut().find(|i| i.id == p.intent_id) {
                i.updated_at = p.created_at;
            }
        }
        Ok(s.payments.settings.payment_settle_ms)
    })?;
    let settle = match stored {
        Ok(ms) => ms,
        Err(refused) => return Ok(Err(refused)),
    };
    for p in &payments {
        emit_payment_created(app, p);
        schedule_settle(app, p.id, p.amount, settle);
    }
    Ok(Ok(payments))
}

/// Legacy `pay`: a payment source (of the bank and holding the account, when those are given)
/// on which the destination is an ACTIVE beneficiary. A missing or cooling-off beneficiary is
/// a flow-level refusal, not an error.
fn from_source(
    sources: &[PaymentSource],
    dest: &Destination,
    bank_identifier: Option<&str>,
    account_id: Option<Uuid>,
) -> ApiResult<Result<Debit, Refusal>> {
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
        return Ok(Err((
            "BENEFICIARY_NOT_FOUND",
            "The payment destination is not a beneficiary of this payment source.".into(),
        )));
    };
    let benef = src
        .beneficiaries
        .iter()
        .find(|b| b.payment_destination_id == dest.id)
        .cloned()
        .ok_or_else(unknown_source)?;
    if benef.status != ACTIVE {
        return Ok(Err((
            "PENDING_BENEFICIARY_COOL_OFF",
            format!("The beneficiary is in its cool-off period until {}.", ts(benef.cool_off_expiry)),
        )));
    }
    let account = pick_account(&src.accounts, account_id)?;
    Ok(Ok(Debit { source_id: Some(src.id), bank_identifier: src.bank_identifier.clone(), account }))
}

/// Open Finance `checkout`: any account at the bank the customer logged in to, no payment
/// source or beneficiary needed. A source the customer already has at that bank supplies the
/// accounts, so an account id the payment screens listed from it is found.
fn from_bank(
    app: &App,
    customer_id: Uuid,
    sources: &[PaymentSource],
    bank_identifier: Option<&str>,
    account_id: Option<Uuid>,
) -> ApiResult<Debit> {
    let bank = bank_identifier
        .and_then(banks::find)
        .ok_or_else(|| ApiError::invalid_parameters("Unknown bank_identifier."))?;
    let accounts = match sources.iter().find(|p| p.bank_identifier == bank.identifier) {
        Some(p) => p.accounts.clone(),
        None => source_accounts(app, customer_id, bank),
    };
    let account = pick_account(&accounts, account_id)?;
    Ok(Debit { source_id: None, bank_identifier: bank.identifier.to_string(), account })
}
