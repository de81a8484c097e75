//! Open Finance Account-on-File consents (REFERENCE §6.5, §7): create a consent with control
//! parameters, authorise it with `Lean.authorizeConsent`, pay against it server-to-server, and revoke
//! it. Lean's `consent.status.updated` and `payment.*` webhooks are the source of truth for statuses;
//! everything here acts only for the signed-in user's own consents.

pub mod form;
mod pay;

use serde_json::Value;

pub use form::{ConsentForm, MAX_COUNT, MAX_EXPIRY_DAYS};
pub use pay::pay;

use crate::i18n::{arg, t, t_with};
use crate::model::{
    AppError, Consent, ConsentId, ConsentLaunch, ConsentStatus, ConsentsOverview, CustomerId, Destination,
    LiveEvent, UserId,
};
use crate::server::accounts::ensure_customer;
use crate::server::db::consents;
use crate::server::errors::internal;
use crate::server::lean::amounts::wire_number;
use crate::server::lean::LeanError;
use crate::server::payments::{is_id, own_destination, views};
use crate::server::{launch, AppState};

/// The user's own consent with its owner's customer id, or 403. Unknown ids look the same, so a
/// consent id is never confirmed to someone else.
async fn own(
    state: &AppState,
    user_id: &UserId,
    consent_id: &str,
) -> Result<(CustomerId, Consent), AppError> {
    let consent_id = consent_id.trim();
    if !is_id(consent_id) {
        return Err(AppError::Forbidden);
    }
    match consents::get(&state.db, &ConsentId::new(consent_id)).await? {
        Some((owner, customer_id, c)) if owner == *user_id => Ok((customer_id, c)),
        _ => Err(AppError::Forbidden),
    }
}

/// The consent as the list shows it (with its payments and next attempt id).
async fn listed(state: &AppState, user_id: &UserId, consent_id: &ConsentId) -> Result<Consent, AppError> {
    let found = consents::list_for_user(&state.db, user_id)
        .await?
        .into_iter()
        .find(|c| c.consent_id == *consent_id)
        .ok_or(AppError::Forbidden)?;
    Ok(with_bank_names(state, vec![found]).await.remove(0))
}

/// Names each consent's bank as Lean's bank list does (the consent itself carries only its code).
async fn with_bank_names(state: &AppState, mut list: Vec<Consent>) -> Vec<Consent> {
    for c in &mut list {
        if let Some(bank) = &c.bank_identifier {
            c.bank_name = state.lean.bank_name(bank).await;
        }
    }
    list
}

/// Takes Lean's word for a consent's status (a missed or late webhook must not leave the page wrong),
/// and tells the owner's open pages when it changed.
async fn adopt_status(state: &AppState, lean: &Value) {
    let text = |k: &str| lean.get(k).and_then(Value::as_str);
    let (Some(id), Some(status)) = (text("consent_id").or(text("id")), text("status")) else { return };
    let (consent_id, status) = (ConsentId::new(id), ConsentStatus::parse(status));
    match consents::set_status(&state.db, &consent_id, &status, text("bank_identifier")).await {
        Ok(Some(user_id)) => {
            let event = LiveEvent::ConsentChanged { consent_id, status };
            if let Err(e) = state.bus.publish(&state.db, &user_id, &event).await {
                tracing::warn!(error = %e, "could not publish a consent change");
            }
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, consent_id = id, "could not store a consent status"),
    }
}

/// Lean's refusals of a consent or an AoF payment, next to the field they are about.
fn plain(e: LeanError) -> AppError {
    let (code, message) = match &e {
        LeanError::Api { code, message, .. } => (code.as_str(), message.as_str()),
        LeanError::Unavailable(_) => return e.into(),
    };
    let field = match code {
        _ if message.contains("government_identifier") => {
            return AppError::invalid("emirates_id", t("consent-error-emirates-id-needed"))
        }
        "UNKNOWN_PAYMENT_DESTINATION" => ("destination_id", t("consent-error-destination-unknown")),
        "CONSENT_LIMIT_EXCEEDED" => {
            ("amount", t_with("consent-error-limit-exceeded", &[("detail", arg(message))]))
        }
        "CONSENT_NOT_AUTHORISED" | "INVALID_CONSENT_STATUS" => ("amount", t("consent-error-not-authorised")),
        "UNKNOWN_CONSENT" => ("consent_id", t("consent-error-unknown")),
        "INVALID_PARAMETERS" | "MISSING_PARAMETERS" => {
            ("request", t_with("consent-error-lean-invalid", &[("detail", arg(message))]))
        }
        _ => return e.into(),
    };
    tracing::info!(error = %e, "Lean refused a consent request");
    AppError::invalid(field.0, field.1)
}

/// The user's payment destinations.
pub async fn destinations(state: &AppState, user_id: &UserId) -> Result<Vec<Destination>, AppError> {
    let customer_id = ensure_customer(state, user_id).await?;
    let lean = state.lean.for_user(user_id);
    Ok(lean.customer_destinations(&customer_id).await?.iter().map(views::destination).collect())
}

/// The user's payment destinations and consents.
pub async fn overview(state: &AppState, user_id: &UserId) -> Result<ConsentsOverview, AppError> {
    let destinations = destinations(state, user_id).await?;
    Ok(ConsentsOverview { destinations, consents: list(state, user_id).await? })
}

/// The user's consents, their statuses as Lean has them now.
pub async fn list(state: &AppState, user_id: &UserId) -> Result<Vec<Consent>, AppError> {
    let customer_id = ensure_customer(state, user_id).await?;
    // Lean's list is the truth for statuses; a failure here only means the page shows what the
    // webhooks last said.
    match state.lean.for_user(user_id).customer_consents(&customer_id).await {
        Ok(list) => {
            for c in &list {
                adopt_status(state, c).await;
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not list consents at Lean"),
    }
    Ok(with_bank_names(state, consents::list_for_user(&state.db, user_id).await?).await)
}

/// One of the user's consents (the redirect landing page), with Lean's current status.
pub async fn details(state: &AppState, user_id: &UserId, consent_id: &str) -> Result<Consent, AppError> {
    let (_, consent) = own(state, user_id, consent_id).await?;
    if consent.awaiting() {
        // Back from the bank before the webhook: ask Lean rather than show a stale status.
        match state.lean.for_user(user_id).consent(&consent.consent_id).await {
            Ok(v) => adopt_status(state, &v).await,
            Err(e) => tracing::warn!(error = %e, "could not read a consent at Lean"),
        }
    }
    listed(state, user_id, &consent.consent_id).await
}

/// Creates an Account-on-File consent at Lean (exactly once: never retried) with the control
/// parameters the user chose, and stores it. Blank limits are left out.
pub async fn create(state: &AppState, user_id: &UserId, form: ConsentForm<'_>) -> Result<Consent, AppError> {
    let req = form.check()?;
    let customer_id = ensure_customer(state, user_id).await?;
    // Only the customer's own destinations can receive payments from here.
    let destination = own_destination(state, user_id, &customer_id, &req.destination_id).await?;

    let mut cp = serde_json::json!({ "type": "VariableOnDemand", "period_type": req.period_type });
    for (key, value) in [
        ("max_individual_amount", req.individual),
        ("max_cumulative_amount_per_period", req.per_period),
        ("max_cumulative_amount", req.total),
    ] {
        if let Some(v) = value {
            cp[key] = wire_number(v).into();
        }
    }
    for (key, value) in [
        ("max_cumulative_number_of_payments_per_period", req.payments_per_period),
        ("max_cumulative_number_of_payments", req.payments),
    ] {
        if let Some(v) = value {
            cp[key] = v.into();
        }
    }
    let mut body = serde_json::json!({
        "customer_id": customer_id, "destination_account_id": destination.id, "currency": req.currency,
        "reference": req.reference, "purpose": req.purpose, "control_parameters": cp,
    });
    if let Some(e) = &req.expiry {
        body["expiration_date_time"] = e.clone().into();
    }
    if !req.emirates_id.is_empty() {
        body["government_identifier"] =
            serde_json::json!({ "type": "EMIRATES_ID", "value": req.emirates_id });
    }
    let created = state.lean.for_user(user_id).create_aof_consent(&body).await.map_err(plain)?;
    let text = |k: &str| created.get(k).and_then(Value::as_str).map(str::to_owned);
    let consent_id = text("consent_id")
        .or_else(|| text("id"))
        .map(ConsentId::new)
        .ok_or_else(|| internal("consent without an id"))?;
    consents::insert(
        &state.db,
        &consents::NewConsent {
            id: &consent_id,
            user_id,
            customer_id: &customer_id,
            status: &text("status")
                .map_or(ConsentStatus::AwaitingAuthorisation, |s| ConsentStatus::parse(&s)),
            destination_id: &destination.id,
            destination_name: Some(&destination.display_name),
            currency: &req.currency,
            reference: &req.reference,
            purpose: &req.purpose,
            period_type: &req.period_type,
            max_individual_minor: req.individual,
            max_period_minor: req.per_period,
            max_period_payments: req.payments_per_period,
            max_total_minor: req.total,
            max_payments: req.payments,
            expires_at: text("expiration_date_time").as_deref().unwrap_or_default(),
        },
    )
    .await?;
    listed(state, user_id, &consent_id).await
}

/// Everything `Lean.authorizeConsent` needs for one of the user's consents awaiting authorisation,
/// with a fresh customer token. The redirect URLs say `flow=consent` and carry the consent id, so the
/// landing page knows what came back even if Lean adds nothing.
pub async fn authorize_launch(
    state: &AppState,
    user_id: &UserId,
    consent_id: &str,
) -> Result<ConsentLaunch, AppError> {
    let (customer_id, consent) = own(state, user_id, consent_id).await?;
    if !consent.awaiting() {
        return Err(AppError::invalid("consent_id", t("consent-error-not-awaiting")));
    }
    let config = launch::config(state, user_id, customer_id, &[]).await?;
    let (success_redirect_url, fail_redirect_url) =
        launch::redirect_urls(state, &format!("flow=consent&for_consent={}", consent.consent_id));
    Ok(ConsentLaunch {
        app_token: config.app_token,
        access_token: config.access_token,
        customer_id: config.customer_id,
        sandbox: config.sandbox,
        language: config.language,
        customization: config.customization,
        success_redirect_url,
        fail_redirect_url,
        consent_id: consent.consent_id,
    })
}

/// Revokes one of the user's authorised consents at Lean. The status also arrives by webhook; it is
/// stored here at once so the page does not wait for it.
pub async fn revoke(state: &AppState, user_id: &UserId, consent_id: &str) -> Result<Consent, AppError> {
    let (_, consent) = own(state, user_id, consent_id).await?;
    let lean = state.lean.for_user(user_id);
    match lean.revoke_consent(&consent.consent_id).await {
        Ok(()) => {
            let revoked = serde_json::json!({ "consent_id": consent.consent_id, "status": "REVOKED" });
            adopt_status(state, &revoked).await;
        }
        // Already not authorised (revoked in Lean's screen, expired): take Lean's status.
        Err(e) if e.code() == Some("CONSENT_NOT_AUTHORISED") => {
            let now = lean.consent(&consent.consent_id).await?;
            adopt_status(state, &now).await;
        }
        Err(e) => return Err(plain(e)),
    }
    listed(state, user_id, &consent.consent_id).await
}
