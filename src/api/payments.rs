//! Payments (REFERENCE §6): destinations, payment intents, and launching `pay` / `checkout`.
//! Lean's webhooks (`payment.created`, `payment.updated`) are the source of truth for a payment's
//! status; the SDK callbacks are recorded with `record_flow_outcome` for support.

use leptos::prelude::*;

use crate::model::{
    AppError, BeneficiaryLaunch, Destination, LaunchConfig, PaymentLaunch, PaymentRow, PaymentsOverview,
    VerifyAddressLaunch,
};

/// Lean's payment error codes (§11.3): the form field each is about and the message id that says it
/// in plain words (locales/*/payments.ftl).
pub fn lean_payment_error(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "INVALID_IBAN" => ("iban", "pay-lean-invalid-iban"),
        "INVALID_NAME" => ("name", "pay-lean-invalid-name"),
        "INVALID_AMOUNT" => ("amount", "pay-lean-invalid-amount"),
        "AMOUNT_UNDER_MIN_VALUE" => ("amount", "pay-lean-amount-under-min"),
        "AMOUNT_OVER_MAX_VALUE" => ("amount", "pay-lean-amount-over-max"),
        "UNKNOWN_PAYMENT_DESTINATION" => ("destination_id", "pay-lean-unknown-destination"),
        "UNKNOWN_PAYMENT_INTENT" => ("intent_id", "pay-lean-unknown-intent"),
        "UNKNOWN_PAYMENT_SOURCE" => ("intent_id", "pay-lean-unknown-source"),
        "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS" => ("intent_id", "pay-lean-payment-in-progress"),
        "PAYMENT_INTENT_ALREADY_PAID" => ("intent_id", "pay-lean-already-paid"),
        "PENDING_BENEFICIARY_COOL_OFF" => ("intent_id", "pay-lean-cool-off"),
        "BENEFICIARY_NOT_FOUND" => ("intent_id", "pay-lean-beneficiary-not-found"),
        "INVALID_PARAMETERS" => ("request", "pay-lean-invalid-parameters"),
        _ => return None,
    })
}

/// All the codes above, for the test that keeps their messages in both languages.
pub const LEAN_PAYMENT_CODES: &[&str] = &[
    "INVALID_IBAN",
    "INVALID_NAME",
    "INVALID_AMOUNT",
    "AMOUNT_UNDER_MIN_VALUE",
    "AMOUNT_OVER_MAX_VALUE",
    "UNKNOWN_PAYMENT_DESTINATION",
    "UNKNOWN_PAYMENT_INTENT",
    "UNKNOWN_PAYMENT_SOURCE",
    "ANOTHER_PAYMENT_ALREADY_IN_PROGRESS",
    "PAYMENT_INTENT_ALREADY_PAID",
    "PENDING_BENEFICIARY_COOL_OFF",
    "BENEFICIARY_NOT_FOUND",
    "INVALID_PARAMETERS",
];

#[cfg(feature = "ssr")]
mod imp {
    use serde_json::Value;

    use super::lean_payment_error;
    use crate::api::context::internal;
    use crate::i18n::t;
    use crate::model::{AppError, Beneficiary, Destination, PaymentRow};
    use crate::server::db::{customers, payments};
    use crate::server::lean::LeanError;
    use crate::server::AppState;

    /// A Lean refusal turned into a field error the form can show next to the field.
    pub fn plain(e: LeanError) -> AppError {
        if let Some((field, key)) = e.code().and_then(lean_payment_error) {
            tracing::info!(error = %e, "Lean refused a payment request");
            return AppError::invalid(field, t(key));
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
                    list.iter()
                        .map(|b| Beneficiary {
                            destination_id: text(b, "payment_destination_id"),
                            status: text(b, "status"),
                            cool_off_expiry: b
                                .get("beneficiary_cool_off_expiry")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                        })
                        .collect()
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

    /// A destination id from the form: well formed, or a plain "choose a destination".
    pub fn destination_param(id: &str) -> Result<String, AppError> {
        let id = id.trim();
        if is_id(id) {
            Ok(id.to_owned())
        } else {
            Err(AppError::invalid("destination_id", t("pay-destination-choose")))
        }
    }

    /// The destination must be the customer's own; anything else (another's, unknown) is 403.
    pub async fn own_destination(
        state: &AppState,
        user_id: &str,
        customer_id: &str,
        destination_id: &str,
    ) -> Result<(), AppError> {
        let own = state.lean.for_user(user_id).customer_destinations(customer_id).await?;
        if own.iter().any(|d| d.get("id").and_then(Value::as_str) == Some(destination_id)) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
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
            let destinations = state
                .lean
                .for_user(&user_id)
                .customer_destinations(&customer_id)
                .await?
                .iter()
                .map(imp::destination)
                .collect();
            let sources = state
                .lean
                .for_user(&user_id)
                .payment_sources(&customer_id)
                .await?
                .iter()
                .map(imp::source)
                .collect();
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
    use crate::i18n::t;
    finish(
        async {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() || name.len() > 140 {
                return Err(AppError::invalid("name", t("pay-dest-name-empty")));
            }
            let display_name = match display_name.trim() {
                "" => name.clone(),
                d if d.len() > 140 => return Err(AppError::invalid("display_name", t("pay-too-long-140"))),
                d => d.to_owned(),
            };
            let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
            if iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(AppError::invalid("iban", t("pay-iban-format")));
            }
            let country = match &iban[..2] {
                "AE" => "ARE",
                "SA" => "SAU",
                _ => return Err(AppError::invalid("iban", t("pay-iban-country"))),
            };
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            let body = serde_json::json!({
                "name": name, "display_name": display_name, "iban": iban, "country": country,
                "customer_id": customer_id,
            });
            let created =
                state.lean.for_user(&user_id).create_destination(&body).await.map_err(imp::plain)?;
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
    use crate::i18n::t;
    use crate::model::{format_minor, parse_amount, CURRENCIES};
    use crate::server::db::payments;
    finish(
        async {
            let minor = parse_amount(&amount).map_err(|e| AppError::invalid("amount", t(e.key())))?;
            let currency = currency.trim().to_uppercase();
            if !CURRENCIES.contains(&currency.as_str()) {
                return Err(AppError::invalid("currency", t("pay-currency-choose")));
            }
            let description = description.trim().to_owned();
            if description.chars().count() > 32 {
                return Err(AppError::invalid("description", t("pay-description-too-long")));
            }
            let destination_id = imp::destination_param(&destination_id)?;
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
            let created =
                state.lean.for_user(&user_id).create_payment_intent(&body).await.map_err(imp::plain)?;
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
                access_token: state.lean.for_user(&user_id).customer_token(&customer_id).await?,
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
            let destination_id = imp::destination_param(&destination_id)?;
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            imp::own_destination(&state, &user_id, &customer_id, &destination_id).await?;
            let config =
                crate::api::context::launch_config(&state, &user_id, customer_id, &["payments"]).await?;
            Ok((config, destination_id))
        }
        .await,
    )
}

/// Everything `Lean.updatePaymentSource` / `Lean.createBeneficiary` need to add one of the user's
/// destinations as a recipient of one of the user's payment sources. An empty `payment_source_id`
/// means the user's first source (Lean's web SDK wants the id for `updatePaymentSource`).
#[server(endpoint = "launch_beneficiary")]
pub async fn launch_beneficiary(
    destination_id: String,
    payment_source_id: String,
) -> Result<BeneficiaryLaunch, AppError> {
    use crate::api::context::{finish, state, user_id};
    use crate::i18n::t;
    finish(
        async {
            let destination_id = imp::destination_param(&destination_id)?;
            let wanted = payment_source_id.trim();
            if !wanted.is_empty() && !imp::is_id(wanted) {
                return Err(AppError::invalid("payment_source_id", t("pay-source-choose")));
            }
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            imp::own_destination(&state, &user_id, &customer_id, &destination_id).await?;
            let sources = state.lean.for_user(&user_id).payment_sources(&customer_id).await?;
            let ids: Vec<&str> =
                sources.iter().filter_map(|s| s.get("id").and_then(serde_json::Value::as_str)).collect();
            let payment_source_id = match (wanted, ids.first()) {
                ("", None) => return Err(AppError::invalid("payment_source_id", t("pay-source-needed"))),
                ("", Some(first)) => first.to_string(),
                (id, _) if ids.contains(&id) => id.to_owned(),
                _ => return Err(AppError::Forbidden),
            };
            Ok(BeneficiaryLaunch {
                config: crate::api::context::launch_config(&state, &user_id, customer_id, &["payments"])
                    .await?,
                payment_destination_id: destination_id,
                payment_source_id: Some(payment_source_id),
            })
        }
        .await,
    )
}

/// The full name the app keeps for the signed-in user (for `verifyAddress`), if they gave one.
#[server(endpoint = "customer_name")]
pub async fn fetch_customer_name() -> Result<Option<String>, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            crate::server::db::profiles::full_name(&state()?.db, &user_id).await.map_err(internal)
        }
        .await,
    )
}

/// Keeps the signed-in user's full name, as their bank holds it. Sign-up asks only for an email, so
/// the payments page asks for the name the first time `verifyAddress` needs it.
#[server(endpoint = "save_customer_name")]
pub async fn save_customer_name(name: String) -> Result<String, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::i18n::t;
    use crate::model::parse_full_name;
    finish(
        async {
            let name = parse_full_name(&name).map_err(|e| AppError::invalid("customer_name", t(e.key())))?;
            let user_id = user_id().await?;
            crate::server::db::profiles::set_full_name(&state()?.db, &user_id, &name)
                .await
                .map_err(internal)?;
            Ok(name)
        }
        .await,
    )
}

/// Everything `Lean.verifyAddress` needs: a fresh customer token, `identity` permission and the name
/// kept for this user (never one sent by the browser, so a user can only verify their own name).
#[server(endpoint = "launch_verify_address")]
pub async fn launch_verify_address() -> Result<VerifyAddressLaunch, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::i18n::t;
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let customer_name = crate::server::db::profiles::full_name(&state.db, &user_id)
                .await
                .map_err(internal)?
                .ok_or_else(|| AppError::invalid("customer_name", t("pay-verify-name-needed")))?;
            let customer_id = imp::customer_id(&state, &user_id).await?;
            Ok(VerifyAddressLaunch {
                config: crate::api::context::launch_config(&state, &user_id, customer_id, &["identity"])
                    .await?,
                customer_name,
            })
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{lookup, Lang};

    #[test]
    fn every_lean_payment_error_is_said_in_both_languages() {
        for code in LEAN_PAYMENT_CODES {
            let (_, key) = lean_payment_error(code).expect(code);
            for lang in Lang::ALL {
                let text = lookup(lang, key, &[]);
                assert_ne!(text, key, "{code}: {key} missing in {lang:?}");
                assert!(!text.contains(code), "{code} should be said in plain words: {text}");
            }
        }
        assert_eq!(lean_payment_error("SOMETHING_NEW"), None);
    }
}
