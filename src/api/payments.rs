//! Payments (REFERENCE §6): destinations, payment intents, and launching `pay` / `checkout`.
//! Lean's webhooks (`payment.created`, `payment.updated`) are the source of truth for a payment's
//! status; the SDK callbacks are recorded with `record_flow_outcome` for support.

use leptos::prelude::*;

use crate::model::{AppError, Destination, LaunchConfig, PaymentLaunch, PaymentRow, PaymentsOverview};

/// Lean's payment error codes (§11.3) in plain words, with the form field they are about.
pub fn lean_payment_error(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "INVALID_IBAN" => ("iban", "Lean says this IBAN is not valid. Check it against the bank's details."),
        "INVALID_NAME" => {
            ("name", "Lean needs the account holder's full name: at least a first and a last name.")
        }
        "INVALID_AMOUNT" => {
            ("amount", "Lean did not accept this amount. Use a positive number with at most two decimals.")
        }
        "AMOUNT_UNDER_MIN_VALUE" => ("amount", "This amount is below the smallest payment the bank allows."),
        "AMOUNT_OVER_MAX_VALUE" => ("amount", "This amount is above the largest payment the bank allows."),
        "UNKNOWN_PAYMENT_DESTINATION" => {
            ("destination_id", "Lean does not know this destination any more. Pick another one.")
        }
        "UNKNOWN_PAYMENT_INTENT" => ("intent_id", "Lean does not know this payment."),
        "UNKNOWN_PAYMENT_SOURCE" => {
            ("intent_id", "Add a payment source (your bank account) before paying with “Pay with bank”.")
        }
        "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS" => {
            ("intent_id", "A payment for this is already waiting for the bank.")
        }
        "PAYMENT_INTENT_ALREADY_PAID" => ("intent_id", "This has already been paid."),
        "PENDING_BENEFICIARY_COOL_OFF" => {
            ("intent_id", "Your bank is still setting up this recipient (cool-off). Try again in a moment.")
        }
        "BENEFICIARY_NOT_FOUND" => (
            "intent_id",
            "This recipient is not set up at your bank yet. Add it to your payment source first.",
        ),
        "INVALID_PARAMETERS" => ("request", "Lean did not accept these details."),
        _ => return None,
    })
}

#[cfg(feature = "ssr")]
mod imp {
    use serde_json::Value;

    use super::lean_payment_error;
    use crate::api::context::internal;
    use crate::model::{AppError, Destination, PaymentRow};
    use crate::server::db::{customers, payments};
    use crate::server::lean::LeanError;
    use crate::server::AppState;

    /// A Lean refusal turned into a field error the form can show next to the field.
    pub fn plain(e: LeanError) -> AppError {
        if let Some((field, message)) = e.code().and_then(lean_payment_error) {
            tracing::info!(error = %e, "Lean refused a payment request");
            return AppError::invalid(field, message);
        }
        e.into()
    }

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

    pub fn source(v: &Value) -> crate::model::PaymentSource {
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        crate::model::PaymentSource {
            id: text(v, "id"),
            bank_identifier: text(v, "bank_identifier"),
            status: text(v, "status"),
            cool_off_expiry: v.get("beneficiary_cool_off_expiry").and_then(Value::as_str).map(str::to_owned),
            beneficiaries: v
                .get("beneficiaries")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter().map(|b| (text(b, "payment_destination_id"), text(b, "status"))).collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The user's own intent, or 403 (unknown ids look the same, so ids are never confirmed).
    pub async fn own_intent(
        state: &AppState,
        user_id: &str,
        intent_id: &str,
    ) -> Result<PaymentRow, AppError> {
        match payments::get(&state.db, intent_id.trim()).await.map_err(internal)? {
            Some((owner, row)) if owner == user_id => Ok(row),
            _ => Err(AppError::Forbidden),
        }
    }

    pub async fn customer_id(state: &AppState, user_id: &str) -> Result<String, AppError> {
        if let Some(c) = customers::for_user(&state.db, user_id).await.map_err(internal)? {
            return Ok(c.customer_id);
        }
        crate::api::auth::ensure_customer(state, user_id).await
    }

    pub fn is_id(s: &str) -> bool {
        !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    }
}

/// The user's payment destinations and payment history.
#[server(endpoint = "payments_overview")]
pub async fn fetch_payments() -> Result<PaymentsOverview, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            let destinations =
                state.lean.customer_destinations(&customer_id).await?.iter().map(imp::destination).collect();
            let sources = state.lean.payment_sources(&customer_id).await?.iter().map(imp::source).collect();
            let payments =
                crate::server::db::payments::list_for_user(&state.db, &user_id).await.map_err(internal)?;
            Ok(PaymentsOverview { destinations, sources, payments })
        }
        .await,
    )
}

/// Adds a payment destination owned by the user's Lean customer. The IBAN decides the country.
#[server(endpoint = "create_destination")]
pub async fn create_destination(
    name: String,
    display_name: String,
    iban: String,
) -> Result<Destination, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() || name.len() > 140 {
                return Err(AppError::invalid("name", "Enter the account holder's name."));
            }
            let display_name = match display_name.trim() {
                "" => name.clone(),
                d if d.len() > 140 => {
                    return Err(AppError::invalid("display_name", "Use at most 140 characters."))
                }
                d => d.to_owned(),
            };
            let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
            if iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(AppError::invalid("iban", "Enter an IBAN, like AE07 0331 2345 6789 0123 456."));
            }
            let country = match &iban[..2] {
                "AE" => "ARE",
                "SA" => "SAU",
                _ => {
                    return Err(AppError::invalid(
                        "iban",
                        "Only UAE (AE…) and Saudi (SA…) IBANs can be used.",
                    ))
                }
            };
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            let body = serde_json::json!({
                "name": name, "display_name": display_name, "iban": iban, "country": country,
                "customer_id": customer_id,
            });
            let created = state.lean.create_destination(&body).await.map_err(imp::plain)?;
            Ok(imp::destination(&created))
        }
        .await,
    )
}

/// Creates a payment intent at Lean (exactly once: never retried) and stores it for the user.
#[server(endpoint = "create_payment")]
pub async fn create_payment(
    destination_id: String,
    amount: String,
    currency: String,
    description: String,
) -> Result<PaymentRow, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::model::{format_minor, parse_amount, CURRENCIES};
    use crate::server::db::payments;
    finish(
        async {
            let minor = parse_amount(&amount).map_err(|m| AppError::invalid("amount", m))?;
            let currency = currency.trim().to_uppercase();
            if !CURRENCIES.contains(&currency.as_str()) {
                return Err(AppError::invalid("currency", "Choose AED or SAR."));
            }
            let description = description.trim().to_owned();
            if description.chars().count() > 32 {
                return Err(AppError::invalid("description", "Use at most 32 characters."));
            }
            let destination_id = destination_id.trim().to_owned();
            if !imp::is_id(&destination_id) {
                return Err(AppError::invalid("destination_id", "Choose a destination."));
            }
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            // Only the customer's own destinations can be paid to from here.
            let destination = state
                .lean
                .customer_destinations(&customer_id)
                .await?
                .iter()
                .map(imp::destination)
                .find(|d| d.id == destination_id)
                .ok_or(AppError::Forbidden)?;

            // Lean takes a JSON number. It is made from the minor units at this boundary only: a
            // two-decimal value below 2^53/100 prints back as exactly the same decimal text.
            let wire_amount = format_minor(minor).parse::<f64>().map_err(internal)?;
            let mut body = serde_json::json!({
                "customer_id": customer_id, "amount": wire_amount, "currency": currency,
                "payment_destination_id": destination.id,
            });
            if !description.is_empty() {
                body["description"] = description.clone().into();
            }
            let created = state.lean.create_payment_intent(&body).await.map_err(imp::plain)?;
            let intent_id = created
                .get("payment_intent_id")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| internal("payment intent without payment_intent_id"))?
                .to_owned();
            payments::insert_intent(
                &state.db,
                &payments::NewIntent {
                    id: &intent_id,
                    user_id: &user_id,
                    customer_id: &customer_id,
                    amount_minor: minor,
                    currency: &currency,
                    destination_id: Some(&destination.id),
                    destination_name: Some(&destination.display_name),
                    description: (!description.is_empty()).then_some(description.as_str()),
                },
            )
            .await
            .map_err(internal)?;
            let (_, row) =
                payments::get(&state.db, &intent_id).await.map_err(internal)?.ok_or(AppError::Internal)?;
            Ok(row)
        }
        .await,
    )
}

/// One of the user's payments, as the webhooks last described it.
#[server(endpoint = "payment_status")]
pub async fn payment_status(intent_id: String) -> Result<PaymentRow, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            imp::own_intent(&state()?, &user_id, &intent_id).await
        }
        .await,
    )
}

/// Everything `Lean.pay` / `Lean.checkout` need for one of the user's intents, with a fresh customer
/// token. The redirect URLs carry the intent id, so the landing page can show its status.
#[server(endpoint = "launch_payment")]
pub async fn launch_payment(intent_id: String) -> Result<PaymentLaunch, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let intent = imp::own_intent(&state, &user_id, &intent_id).await?;
            if !intent.payable() {
                return Err(AppError::invalid("intent_id", PaymentRow::status_text(&intent.status)));
            }
            let customer_id = imp::customer_id(&state, &user_id).await?;
            let base = state.config.base_url();
            let base = base.trim_end_matches('/');
            let [success, fail] = crate::server::diagnostics::REDIRECT_PATHS;
            Ok(PaymentLaunch {
                app_token: state.lean.app_token().to_owned(),
                access_token: state.lean.customer_token(&customer_id).await?,
                customer_id,
                sandbox: state.public.sandbox,
                language: crate::i18n::lang().code().into(),
                customization: state.public.sdk_customization.clone(),
                success_redirect_url: format!("{base}{success}?intent_id={}", intent.intent_id),
                fail_redirect_url: format!("{base}{fail}?intent_id={}", intent.intent_id),
                payment_intent_id: intent.intent_id,
            })
        }
        .await,
    )
}

/// Everything `Lean.createPaymentSource` needs, adding the chosen destination as the beneficiary.
#[server(endpoint = "launch_payment_source")]
pub async fn launch_payment_source(destination_id: String) -> Result<(LaunchConfig, String), AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            let destination_id = destination_id.trim().to_owned();
            let own = state.lean.customer_destinations(&customer_id).await?;
            if !own.iter().any(|d| d.get("id").and_then(serde_json::Value::as_str) == Some(&destination_id)) {
                return Err(AppError::Forbidden);
            }
            Ok((
                LaunchConfig {
                    app_token: state.lean.app_token().to_owned(),
                    access_token: state.lean.customer_token(&customer_id).await?,
                    customer_id,
                    sandbox: state.public.sandbox,
                    language: crate::i18n::lang().code().into(),
                customization: state.public.sdk_customization.clone(),
                    permissions: vec!["payments".into()],
                    reconnect_id: None,
                },
                destination_id,
            ))
        }
        .await,
    )
}
