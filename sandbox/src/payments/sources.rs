//! Payment sources and their beneficiaries, and the destinations they pay: which destination
//! an operation targets, which accounts a source holds, and adding beneficiaries (each starts
//! its cool-off).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::Rng;
use uuid::Uuid;

use super::errors::{unknown_destination, unknown_source};
use super::status::COOL_OFF;
use super::timers::schedule_cool_off;
use super::validation::make_iban;
use super::webhooks::{emit_beneficiary, emit_source_created};
use super::{Beneficiary, Destination, PaymentSource, PaymentsState, SourceAccount};
use crate::app::App;
use crate::banks::MockBank;
use crate::error::{ApiError, ApiResult};

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

/// The account a payment or consent uses: the one asked for, else the first.
pub fn pick_account(accounts: &[SourceAccount], account_id: Option<Uuid>) -> ApiResult<SourceAccount> {
    match account_id {
        Some(a) => accounts.iter().find(|x| x.id == a).cloned(),
        None => accounts.first().cloned(),
    }
    .ok_or_else(|| ApiError::invalid_parameters("Unknown account_id."))
}

/// The name the bank shows as the account holder; the sandbox uses the customer's `app_user_id`.
pub fn holder_name(app: &App, customer_id: Uuid) -> String {
    app.store.read(|s| s.customer(customer_id).map(|c| c.app_user_id.clone()).unwrap_or_default())
}

/// The destination an operation targets: the given one (which must exist and be usable by
/// this customer), else the customer's default, else the application's default.
pub fn resolve_destination(
    st: &PaymentsState,
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

fn new_beneficiary(destination_id: Uuid, now: DateTime<Utc>, cool_off_ms: u64) -> Beneficiary {
    Beneficiary {
        id: Uuid::new_v4(),
        payment_destination_id: destination_id,
        status: COOL_OFF.to_string(),
        cool_off_expiry: now + chrono::Duration::milliseconds(cool_off_ms as i64),
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
        beneficiaries: vec![new_beneficiary(dest.id, now, cool_off)],
        created_at: now,
        deleted: false,
    };
    app.store.update(|s| s.payments.sources.push(source.clone()))?;
    emit_source_created(app, &source, bank);
    let b = source.beneficiaries[0].clone();
    emit_beneficiary(app, &source, &b, "payment_source.beneficiary.created");
    schedule_cool_off(app, source.id, b.id, cool_off);
    Ok(source)
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
        let b = new_beneficiary(dest.id, now, cool_off);
        source.beneficiaries.push(b.clone());
        Ok((source.clone(), b, true))
    })??;
    let (source, b, created) = result;
    if created {
        emit_beneficiary(app, &source, &b, "payment_source.beneficiary.created");
        schedule_cool_off(app, source.id, b.id, cool_off);
    }
    Ok((source, b))
}

/// `updatePaymentSource` with `entity_id`: the customer's source at that bank gains the recipient, or,
/// for a bank connected for data only, a source is made (from the entity's accounts) with it first.
pub fn add_payments_to_entity(
    app: &Arc<App>,
    customer_id: Uuid,
    bank: &'static MockBank,
    destination_id: Uuid,
) -> ApiResult<(PaymentSource, Beneficiary)> {
    let existing = app.store.read(|s| {
        s.payments
            .sources
            .iter()
            .find(|p| p.customer_id == customer_id && !p.deleted && p.bank_identifier == bank.identifier)
            .map(|p| p.id)
    });
    match existing {
        Some(source_id) => add_beneficiary(app, customer_id, Some(source_id), destination_id),
        None => {
            let source = create_source(app, customer_id, bank, Some(destination_id), None)?;
            let first = source.beneficiaries[0].clone();
            Ok((source, first))
        }
    }
}
