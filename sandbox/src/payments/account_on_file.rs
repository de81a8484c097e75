//! Account-on-File consents and their payments: authorising and revoking a consent, what its
//! payments have used of its limits, and starting a payment under it.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::Utc;
use uuid::Uuid;

use super::errors::unknown_consent;
use super::sources::{holder_name, pick_account, source_accounts};
use super::timers::schedule_aof;
use super::webhooks::{emit_aof_payment_created, emit_consent_status};
use super::{AofConsent, AofPayment, PaymentsState};
use crate::app::App;
use crate::banks::MockBank;
use crate::error::{ApiError, ApiResult};

/// (count, value, count in period, value in period) of non-failed AoF payments.
pub fn consumption(c: &AofConsent, st: &PaymentsState) -> (u64, f64, u64, f64) {
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

/// Checks an AoF payment against the consent's control parameters.
pub fn check_consent_limits(c: &AofConsent, st: &PaymentsState, amount: f64) -> ApiResult<()> {
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
    // The epsilon keeps a payment that exactly reaches a cumulative limit from being refused
    // for the rounding error of the sum.
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

/// Emits `payment.created` for an AoF payment under an AUTHORISED consent and schedules
/// CREATED → PROCESSING → PROCESSED or FAILED (by the same cents rule as intent payments).
/// `p` must already be stored: the caller inserts it under the same lock as its idempotency
/// check.
pub fn start_aof_payment(app: &Arc<App>, p: AofPayment) -> ApiResult<AofPayment> {
    let settle = app.store.read(|s| s.payments.settings.payment_settle_ms);
    emit_aof_payment_created(app, &p);
    schedule_aof(app, p.id, p.amount, settle);
    Ok(p)
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
    let account = pick_account(&source_accounts(app, customer_id, bank), account_id)?;
    let holder = holder_name(app, customer_id);
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
            request_fingerprint: None,
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
