//! Open Finance Account-on-File consents (REFERENCE §6.5, §7): create a consent with control
//! parameters, authorise it with `Lean.authorizeConsent`, pay against it server-to-server with an
//! `Idempotency-Key`, and revoke it. Lean's `consent.status.updated` and `payment.*` webhooks are the
//! source of truth for statuses; these functions act only for the signed-in user's own consents.

// `create_consent` takes one argument per form field (so its `ActionForm` works before hydration);
// the `#[server]` macro's generated client and server functions cannot carry an item-level allow.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::{AppError, Consent, ConsentLaunch, ConsentPayment, ConsentsOverview};

/// The largest count a consent limit may hold (Lean's own ceiling is not documented).
pub const MAX_COUNT: i64 = 10_000;

/// How far ahead a consent may expire, in days (Lean's default is one year).
pub const MAX_EXPIRY_DAYS: i64 = 5 * 366;

#[cfg(feature = "ssr")]
mod imp {
    use serde_json::Value;

    use crate::api::context::internal;
    use crate::i18n::{arg, t, t_with};
    use crate::model::{AppError, Consent, Destination, LiveEvent};
    use crate::server::db::consents;
    use crate::server::lean::LeanError;
    use crate::server::AppState;

    pub fn destination(v: &Value) -> Destination {
        let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        Destination {
            id: text("id"),
            name: text("name"),
            display_name: text("display_name"),
            iban: text("iban"),
            country: text("country"),
            currency: text("currency"),
            status: text("status"),
            default: v.get("default").and_then(Value::as_bool).unwrap_or(false),
        }
    }

    pub fn is_id(s: &str) -> bool {
        !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    }

    /// The user's own consent with its owner's customer id, or 403. Unknown ids look the same, so a
    /// consent id is never confirmed to someone else.
    pub async fn own(
        state: &AppState,
        user_id: &str,
        consent_id: &str,
    ) -> Result<(String, Consent), AppError> {
        let consent_id = consent_id.trim();
        if !is_id(consent_id) {
            return Err(AppError::Forbidden);
        }
        match consents::get(&state.db, consent_id).await.map_err(internal)? {
            Some((owner, customer_id, c)) if owner == user_id => Ok((customer_id, c)),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The consent as the list shows it (with its payments and next attempt id).
    pub async fn listed(state: &AppState, user_id: &str, consent_id: &str) -> Result<Consent, AppError> {
        consents::list_for_user(&state.db, user_id)
            .await
            .map_err(internal)?
            .into_iter()
            .find(|c| c.consent_id == consent_id)
            .ok_or(AppError::Forbidden)
    }

    /// Takes Lean's word for a consent's status (a missed or late webhook must not leave the page
    /// wrong), and tells the owner's open pages when it changed.
    pub async fn adopt_status(state: &AppState, lean: &Value) {
        let text = |k: &str| lean.get(k).and_then(Value::as_str);
        let (Some(id), Some(status)) = (text("consent_id").or(text("id")), text("status")) else { return };
        match consents::set_status(&state.db, id, status, text("bank_identifier")).await {
            Ok(Some(user_id)) => {
                let event =
                    LiveEvent::ConsentChanged { consent_id: id.to_owned(), status: status.to_owned() };
                if let Err(e) = state.bus.publish(&state.db, &user_id, &event).await {
                    tracing::warn!(error = %e, "could not publish a consent change");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, consent_id = id, "could not store a consent status"),
        }
    }

    /// Lean's refusals of a consent or an AoF payment, next to the field they are about.
    pub fn plain(e: LeanError) -> AppError {
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
            "CONSENT_NOT_AUTHORISED" | "INVALID_CONSENT_STATUS" => {
                ("amount", t("consent-error-not-authorised"))
            }
            "UNKNOWN_CONSENT" => ("consent_id", t("consent-error-unknown")),
            "INVALID_PARAMETERS" | "MISSING_PARAMETERS" => {
                ("request", t_with("consent-error-lean-invalid", &[("detail", arg(message))]))
            }
            _ => return e.into(),
        };
        tracing::info!(error = %e, "Lean refused a consent request");
        AppError::invalid(field.0, field.1)
    }
}

/// An optional decimal amount from the form: blank is "no limit".
#[cfg(feature = "ssr")]
fn optional_amount(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::model::parse_amount(text).map(Some).map_err(|e| AppError::invalid(field, crate::i18n::t(e.key())))
}

/// An optional whole count from the form: blank is "no limit".
#[cfg(feature = "ssr")]
fn optional_count(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) && t.chars().all(|c| c.is_ascii_digit()) => Ok(Some(n)),
        _ => Err(AppError::invalid(
            field,
            crate::i18n::t_with("consent-error-count", &[("max", crate::i18n::num(MAX_COUNT))]),
        )),
    }
}

/// The user's payment destinations and consents.
#[server(endpoint = "consents_overview")]
pub async fn fetch_consents() -> Result<ConsentsOverview, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::server::db::consents;
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = crate::api::auth::ensure_customer(&state, &user_id).await?;
            let destinations = state
                .lean
                .for_user(&user_id)
                .customer_destinations(&customer_id)
                .await?
                .iter()
                .map(imp::destination)
                .collect();
            // Lean's list is the truth for statuses; a failure here only means the page shows what
            // the webhooks last said.
            match state.lean.for_user(&user_id).customer_consents(&customer_id).await {
                Ok(list) => {
                    for c in &list {
                        imp::adopt_status(&state, c).await;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not list consents at Lean"),
            }
            let consents = consents::list_for_user(&state.db, &user_id).await.map_err(internal)?;
            Ok(ConsentsOverview { destinations, consents })
        }
        .await,
    )
}

/// One of the user's consents (the redirect landing page), with Lean's current status.
#[server(endpoint = "consent_details")]
pub async fn fetch_consent(consent_id: String) -> Result<Consent, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let (_, consent) = imp::own(&state, &user_id, &consent_id).await?;
            if consent.awaiting() {
                // Back from the bank before the webhook: ask Lean rather than show a stale status.
                match state.lean.for_user(&user_id).consent(&consent.consent_id).await {
                    Ok(v) => imp::adopt_status(&state, &v).await,
                    Err(e) => tracing::warn!(error = %e, "could not read a consent at Lean"),
                }
            }
            imp::listed(&state, &user_id, &consent.consent_id).await
        }
        .await,
    )
}

/// Creates an Account-on-File consent at Lean (exactly once: never retried) with the control
/// parameters the user chose, and stores it. Amounts are decimals in the consent's currency;
/// blank limits are left out. Lean needs at least one of the per-payment limit, the total or the
/// number of payments.
#[server(endpoint = "create_consent")]
pub async fn create_consent(
    destination_id: String,
    currency: String,
    reference: String,
    purpose: String,
    period_type: String,
    max_individual: String,
    max_per_period: String,
    max_payments_per_period: String,
    max_total: String,
    max_payments: String,
    expiry_date: String,
    emirates_id: String,
) -> Result<Consent, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::i18n::t;
    use crate::model::{format_minor, CURRENCIES, PERIOD_TYPES, PURPOSE_CODES};
    use crate::server::db::consents;
    finish(
        async {
            let destination_id = destination_id.trim().to_owned();
            if !imp::is_id(&destination_id) {
                return Err(AppError::invalid("destination_id", t("consent-error-destination")));
            }
            let currency = currency.trim().to_uppercase();
            if !CURRENCIES.contains(&currency.as_str()) {
                return Err(AppError::invalid("currency", t("consent-error-currency")));
            }
            let reference = reference.split_whitespace().collect::<Vec<_>>().join(" ");
            if reference.is_empty() {
                return Err(AppError::invalid("reference", t("consent-error-reference-empty")));
            }
            if reference.chars().count() > 64 || reference.chars().any(char::is_control) {
                return Err(AppError::invalid("reference", t("consent-error-reference-long")));
            }
            let purpose = purpose.trim().to_uppercase();
            if !PURPOSE_CODES.contains(&purpose.as_str()) {
                return Err(AppError::invalid("purpose", t("consent-error-purpose")));
            }
            let period_type = period_type.trim().to_owned();
            if !PERIOD_TYPES.contains(&period_type.as_str()) {
                return Err(AppError::invalid("period_type", t("consent-error-period")));
            }
            let individual = optional_amount("max_individual", &max_individual)?;
            let per_period = optional_amount("max_per_period", &max_per_period)?;
            let payments_per_period = optional_count("max_payments_per_period", &max_payments_per_period)?;
            let total = optional_amount("max_total", &max_total)?;
            let payments = optional_count("max_payments", &max_payments)?;
            if individual.is_none() && total.is_none() && payments.is_none() {
                return Err(AppError::invalid("max_individual", t("consent-error-limits-needed")));
            }
            if let Some(one) = individual {
                if per_period.is_some_and(|p| one > p) {
                    return Err(AppError::invalid(
                        "max_individual",
                        t("consent-error-individual-over-period"),
                    ));
                }
                if total.is_some_and(|m| one > m) {
                    return Err(AppError::invalid(
                        "max_individual",
                        t("consent-error-individual-over-total"),
                    ));
                }
            }
            let today = chrono::Utc::now().date_naive();
            let expiry = match expiry_date.trim() {
                "" => None,
                d => {
                    let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_err(|_| AppError::invalid("expiry_date", t("consent-error-expiry-format")))?;
                    if date <= today {
                        return Err(AppError::invalid("expiry_date", t("consent-error-expiry-past")));
                    }
                    if (date - today).num_days() > crate::api::consents::MAX_EXPIRY_DAYS {
                        return Err(AppError::invalid("expiry_date", t("consent-error-expiry-far")));
                    }
                    // The end of that day in UTC: the consent is usable through the whole date.
                    Some(format!("{date}T23:59:59Z"))
                }
            };
            let emirates_id: String = emirates_id.chars().filter(|c| !c.is_whitespace()).collect();
            if !emirates_id.is_empty() {
                let digits: String = emirates_id.chars().filter(|c| *c != '-').collect();
                if digits.len() != 15
                    || !digits.starts_with("784")
                    || !digits.chars().all(|c| c.is_ascii_digit())
                {
                    return Err(AppError::invalid("emirates_id", t("consent-error-emirates-id")));
                }
            }

            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = crate::api::auth::ensure_customer(&state, &user_id).await?;
            // Only the customer's own destinations can receive payments from here.
            let destination = state
                .lean
                .customer_destinations(&customer_id)
                .await?
                .iter()
                .map(imp::destination)
                .find(|d| d.id == destination_id)
                .ok_or(AppError::Forbidden)?;

            // Lean takes JSON numbers; made from minor units at this boundary only (two decimals
            // below 2^53/100 print back as exactly the same decimal text).
            let number = |minor: i64| format_minor(minor).parse::<f64>().map_err(internal);
            let mut cp = serde_json::json!({ "type": "VariableOnDemand", "period_type": period_type });
            for (key, value) in [
                ("max_individual_amount", individual),
                ("max_cumulative_amount_per_period", per_period),
                ("max_cumulative_amount", total),
            ] {
                if let Some(v) = value {
                    cp[key] = number(v)?.into();
                }
            }
            for (key, value) in [
                ("max_cumulative_number_of_payments_per_period", payments_per_period),
                ("max_cumulative_number_of_payments", payments),
            ] {
                if let Some(v) = value {
                    cp[key] = v.into();
                }
            }
            let mut body = serde_json::json!({
                "customer_id": customer_id, "destination_account_id": destination.id, "currency": currency,
                "reference": reference, "purpose": purpose, "control_parameters": cp,
            });
            if let Some(e) = expiry {
                body["expiration_date_time"] = e.into();
            }
            if !emirates_id.is_empty() {
                body["government_identifier"] =
                    serde_json::json!({ "type": "EMIRATES_ID", "value": emirates_id });
            }
            let created =
                state.lean.for_user(&user_id).create_aof_consent(&body).await.map_err(imp::plain)?;
            let text = |k: &str| created.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
            let consent_id =
                text("consent_id").or_else(|| text("id")).ok_or_else(|| internal("consent without an id"))?;
            consents::insert(
                &state.db,
                &consents::NewConsent {
                    id: &consent_id,
                    user_id: &user_id,
                    customer_id: &customer_id,
                    status: text("status").as_deref().unwrap_or("AWAITING_AUTHORISATION"),
                    destination_id: &destination.id,
                    destination_name: Some(&destination.display_name),
                    currency: &currency,
                    reference: &reference,
                    purpose: &purpose,
                    period_type: &period_type,
                    max_individual_minor: individual,
                    max_period_minor: per_period,
                    max_period_payments: payments_per_period,
                    max_total_minor: total,
                    max_payments: payments,
                    expires_at: text("expiration_date_time").as_deref().unwrap_or_default(),
                },
            )
            .await
            .map_err(internal)?;
            imp::listed(&state, &user_id, &consent_id).await
        }
        .await,
    )
}

/// Everything `Lean.authorizeConsent` needs for one of the user's consents awaiting authorisation,
/// with a fresh customer token. The redirect URLs say `flow=consent` and carry the consent id, so the
/// landing page knows what came back even if Lean adds nothing.
#[server(endpoint = "launch_consent")]
pub async fn launch_consent(consent_id: String) -> Result<ConsentLaunch, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let (customer_id, consent) = imp::own(&state, &user_id, &consent_id).await?;
            if !consent.awaiting() {
                return Err(AppError::invalid("consent_id", crate::i18n::t("consent-error-not-awaiting")));
            }
            let base = state.config.base_url();
            let base = base.trim_end_matches('/');
            let [success, fail] = crate::server::diagnostics::REDIRECT_PATHS;
            let query = format!("flow=consent&for_consent={}", consent.consent_id);
            Ok(ConsentLaunch {
                app_token: state.lean.app_token().to_owned(),
                access_token: state.lean.for_user(&user_id).customer_token(&customer_id).await?,
                customer_id,
                sandbox: state.public.sandbox,
                language: crate::i18n::lang().code().into(),
                customization: state.public.sdk_customization.clone(),
                success_redirect_url: format!("{base}{success}?{query}"),
                fail_redirect_url: format!("{base}{fail}?{query}"),
                consent_id: consent.consent_id,
            })
        }
        .await,
    )
}

/// Pays `amount` against one of the user's authorised consents, server to server (no SDK).
///
/// `attempt` names this payment attempt (the page gets it with the consent). The attempt and a
/// fresh `Idempotency-Key` are stored before Lean is called; sending the same attempt again (a
/// double click, a retry after a timeout) sends the same key, and Lean answers with the payment it
/// already made. The status then follows Lean's `payment.*` webhooks.
#[server(endpoint = "pay_with_consent")]
pub async fn pay_with_consent(
    consent_id: String,
    amount: String,
    attempt: String,
) -> Result<ConsentPayment, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::i18n::{arg, t, t_with};
    use crate::model::{format_minor, parse_amount, LiveEvent};
    use crate::server::db::consents;
    use crate::server::lean::LeanError;
    finish(
        async {
            let minor = parse_amount(&amount).map_err(|e| AppError::invalid("amount", t(e.key())))?;
            let attempt = attempt.trim().to_owned();
            if !imp::is_id(&attempt) {
                return Err(AppError::invalid("request", t("consent-error-attempt")));
            }
            let user_id = user_id().await?;
            let state = state()?;
            let (_, consent) = imp::own(&state, &user_id, &consent_id).await?;
            if !consent.authorised() {
                return Err(AppError::invalid("amount", t("consent-error-not-authorised")));
            }
            let over = |limit: &Option<String>| {
                limit.as_deref().and_then(|l| parse_amount(l).ok()).is_some_and(|l| minor > l)
            };
            if over(&consent.max_individual) {
                return Err(AppError::invalid(
                    "amount",
                    t_with(
                        "consent-error-over-individual",
                        &[
                            ("limit", arg(consent.max_individual.clone().unwrap_or_default())),
                            ("currency", arg(&consent.currency)),
                        ],
                    ),
                ));
            }

            let stored = consents::begin_attempt(
                &state.db,
                &attempt,
                &user_id,
                &consent.consent_id,
                minor,
                &consent.currency,
            )
            .await
            .map_err(internal)?;
            if stored.user_id != user_id {
                return Err(AppError::Forbidden);
            }
            if stored.consent_id != consent.consent_id {
                return Err(AppError::invalid("request", t("consent-error-attempt")));
            }
            let payment = |status: &str, payment_id: Option<String>, code: Option<String>| ConsentPayment {
                payment_id,
                amount: format_minor(stored.amount_minor),
                currency: stored.currency.clone(),
                status: status.to_owned(),
                code,
                created_at: crate::server::db::now(),
            };
            match stored.status.as_str() {
                // Already answered: the same attempt again is the same payment, nothing is resent.
                "SENT" => return Ok(payment("CREATED", stored.payment_id.clone(), None)),
                "REFUSED" => {
                    return Err(imp::plain(LeanError::Api {
                        http: 400,
                        code: stored.error_code.clone().unwrap_or_default(),
                        message: String::new(),
                    }))
                }
                _ => {}
            }
            if stored.amount_minor != minor {
                // An unanswered attempt is repeated as it was, never changed: Lean keys it by its key.
                return Err(AppError::invalid(
                    "amount",
                    t_with(
                        "consent-error-unfinished",
                        &[
                            ("amount", arg(format_minor(stored.amount_minor))),
                            ("currency", arg(&stored.currency)),
                        ],
                    ),
                ));
            }
            let body = serde_json::json!({
                "consent_id": consent.consent_id,
                "amount": format_minor(stored.amount_minor).parse::<f64>().map_err(internal)?,
                "reference": consent.reference,
                "risk_details": { "transaction_indicators": { "channel": "WEB" } },
            });
            let sent = state.lean.for_user(&user_id).create_aof_payment(&body, &stored.idempotency_key).await;
            let notify = || async {
                let event = LiveEvent::ConsentChanged {
                    consent_id: consent.consent_id.clone(),
                    status: consent.status.clone(),
                };
                if let Err(e) = state.bus.publish(&state.db, &user_id, &event).await {
                    tracing::warn!(error = %e, "could not publish a consent payment");
                }
            };
            match sent {
                Ok(v) => {
                    let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
                    let payment_id = text("id").ok_or_else(|| internal("AoF payment without an id"))?;
                    let status = text("status").unwrap_or_else(|| "CREATED".into());
                    consents::attempt_sent(&state.db, &stored, &payment_id, &status)
                        .await
                        .map_err(internal)?;
                    notify().await;
                    Ok(payment(&status, Some(payment_id), None))
                }
                // A 4xx is Lean's considered "no": nothing was paid, and the attempt is closed.
                Err(e @ LeanError::Api { http: 400..=499, .. }) => {
                    consents::attempt_refused(&state.db, &stored.id, e.code().unwrap_or_default())
                        .await
                        .map_err(internal)?;
                    notify().await;
                    Err(imp::plain(e))
                }
                // No answer: the attempt stays open, and "Pay now" repeats it with the same key.
                Err(e) => Err(e.into()),
            }
        }
        .await,
    )
}

/// Revokes one of the user's authorised consents at Lean. The status also arrives by webhook; it is
/// stored here at once so the page does not wait for it.
#[server(endpoint = "revoke_consent")]
pub async fn revoke_consent(consent_id: String) -> Result<Consent, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let (_, consent) = imp::own(&state, &user_id, &consent_id).await?;
            match state.lean.for_user(&user_id).revoke_consent(&consent.consent_id).await {
                Ok(()) => {
                    let revoked =
                        serde_json::json!({ "consent_id": consent.consent_id, "status": "REVOKED" });
                    imp::adopt_status(&state, &revoked).await;
                }
                // Already not authorised (revoked in Lean's screen, expired): take Lean's status.
                Err(e) if e.code() == Some("CONSENT_NOT_AUTHORISED") => {
                    let now = state.lean.for_user(&user_id).consent(&consent.consent_id).await?;
                    imp::adopt_status(&state, &now).await;
                }
                Err(e) => return Err(imp::plain(e)),
            }
            imp::listed(&state, &user_id, &consent.consent_id).await
        }
        .await,
    )
}
