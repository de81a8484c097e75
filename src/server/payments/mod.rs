//! Payments (REFERENCE §6): destinations, payment intents, and launching `pay`, `checkout`, the
//! payment-source flows and `verifyAddress`. Lean's webhooks (`payment.created`, `payment.updated`) are
//! the source of truth for a payment's status.

pub mod views;

use serde_json::Value;

use crate::i18n::t;
use crate::model::{
    lean_payment_error, parse_amount, parse_full_name, AppError, BeneficiaryLaunch, CustomerId, Destination,
    DestinationId, EntityStatus, LaunchConfig, PayOptions, PaymentIntentId, PaymentLaunch, PaymentRow,
    PaymentSourceId, PaymentsOverview, RiskDetails, UserId, VerifyAddressLaunch, CURRENCIES, MAX_BULK,
    MAX_NAME_CHARS,
};
use crate::server::accounts::ensure_customer;
use crate::server::db::{entities, payments, profiles};
use crate::server::errors::internal;
use crate::server::lean::amounts::wire_number;
use crate::server::lean::LeanError;
use crate::server::{launch, AppState};

/// A Lean refusal turned into a field error the form can show next to the field.
fn plain(e: LeanError) -> AppError {
    if let Some((field, key)) = e.code().and_then(lean_payment_error) {
        tracing::info!(error = %e, "Lean refused a payment request");
        return AppError::invalid(field, t(key));
    }
    e.into()
}

/// An id of Lean's (destination, source, consent, attempt) as it may travel in a form.
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A destination id from the form: well formed, or a plain "choose a destination".
fn destination_param(id: &str) -> Result<String, AppError> {
    let id = id.trim();
    if is_id(id) {
        Ok(id.to_owned())
    } else {
        Err(AppError::invalid("destination_id", t("pay-destination-choose")))
    }
}

/// The user's own intent, or 403 (unknown ids look the same, so ids are never confirmed).
async fn own_intent(state: &AppState, user_id: &UserId, intent_id: &str) -> Result<PaymentRow, AppError> {
    match payments::get(&state.db, &PaymentIntentId::new(intent_id.trim())).await? {
        Some((owner, row)) if owner == *user_id => Ok(row),
        _ => Err(AppError::Forbidden),
    }
}

/// One of the customer's own destinations; anything else (another's, unknown) is 403.
pub async fn own_destination(
    state: &AppState,
    user_id: &UserId,
    customer_id: &CustomerId,
    destination_id: &str,
) -> Result<Destination, AppError> {
    state
        .lean
        .for_user(user_id)
        .customer_destinations(customer_id)
        .await?
        .iter()
        .map(views::destination)
        .find(|d| d.id == destination_id)
        .ok_or(AppError::Forbidden)
}

/// The user's payment destinations, payment sources and payment history.
pub async fn overview(state: &AppState, user_id: &UserId) -> Result<PaymentsOverview, AppError> {
    let customer_id = ensure_customer(state, user_id).await?;
    let lean = state.lean.for_user(user_id);
    let destinations =
        lean.customer_destinations(&customer_id).await?.iter().map(views::destination).collect();
    let sources = lean.payment_sources(&customer_id).await?.iter().map(views::source).collect();
    let payments = payments::list_for_user(&state.db, user_id).await?;
    let banks = entities::list_for_customer(&state.db, &customer_id).await?;
    let bank_choices = state.lean.bank_list().await;
    Ok(PaymentsOverview { destinations, sources, payments, banks, bank_choices })
}

/// The destination form as typed.
pub struct NewDestination<'a> {
    pub name: &'a str,
    pub display_name: &'a str,
    pub iban: &'a str,
}

/// Adds a payment destination owned by the user's Lean customer. The IBAN decides the country.
pub async fn create_destination(
    state: &AppState,
    user_id: &UserId,
    form: NewDestination<'_>,
) -> Result<Destination, AppError> {
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.len() > 140 {
        return Err(AppError::invalid("name", t("pay-dest-name-empty")));
    }
    let display_name = match form.display_name.trim() {
        "" => name.clone(),
        d if d.len() > 140 => return Err(AppError::invalid("display_name", t("pay-too-long-140"))),
        d => d.to_owned(),
    };
    let iban: String = form.iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::invalid("iban", t("pay-iban-format")));
    }
    let country = match &iban[..2] {
        "AE" => "ARE",
        "SA" => "SAU",
        _ => return Err(AppError::invalid("iban", t("pay-iban-country"))),
    };
    let customer_id = ensure_customer(state, user_id).await?;
    let body = serde_json::json!({
        "name": name, "display_name": display_name, "iban": iban, "country": country,
        "customer_id": customer_id,
    });
    let created = state.lean.for_user(user_id).create_destination(&body).await.map_err(plain)?;
    Ok(views::destination(&created))
}

/// The payment form as typed.
pub struct NewPayment<'a> {
    pub destination_id: &'a str,
    pub amount: &'a str,
    pub currency: &'a str,
    pub description: &'a str,
}

/// Creates a payment intent at Lean (exactly once: never retried) and stores it for the user.
pub async fn create_payment(
    state: &AppState,
    user_id: &UserId,
    form: NewPayment<'_>,
) -> Result<PaymentRow, AppError> {
    let minor = parse_amount(form.amount).map_err(|e| AppError::invalid("amount", t(e.key())))?;
    let currency = form.currency.trim().to_uppercase();
    if !CURRENCIES.contains(&currency.as_str()) {
        return Err(AppError::invalid("currency", t("pay-currency-choose")));
    }
    let description = form.description.trim().to_owned();
    if description.chars().count() > 32 {
        return Err(AppError::invalid("description", t("pay-description-too-long")));
    }
    let destination_id = destination_param(form.destination_id)?;
    let customer_id = ensure_customer(state, user_id).await?;
    // Only the customer's own destinations can be paid to from here.
    let destination = own_destination(state, user_id, &customer_id, &destination_id).await?;

    let mut body = serde_json::json!({
        "customer_id": customer_id, "amount": wire_number(minor), "currency": currency,
        "payment_destination_id": destination.id,
    });
    if !description.is_empty() {
        body["description"] = description.clone().into();
    }
    let created = state.lean.for_user(user_id).create_payment_intent(&body).await.map_err(plain)?;
    let intent_id = created
        .get("payment_intent_id")
        .and_then(Value::as_str)
        .map(PaymentIntentId::new)
        .ok_or_else(|| internal("payment intent without payment_intent_id"))?;
    payments::insert_intent(
        &state.db,
        &payments::NewIntent {
            id: &intent_id,
            user_id,
            customer_id: &customer_id,
            amount_minor: minor,
            currency: &currency,
            destination_id: Some(&destination.id),
            destination_name: Some(&destination.display_name),
            description: (!description.is_empty()).then_some(description.as_str()),
            bulk_id: None,
        },
    )
    .await?;
    let (_, row) = payments::get(&state.db, &intent_id).await?.ok_or(AppError::Internal)?;
    Ok(row)
}

/// One of the user's payments, as the webhooks last described it.
pub async fn status(state: &AppState, user_id: &UserId, intent_id: &str) -> Result<PaymentRow, AppError> {
    own_intent(state, user_id, intent_id).await
}

/// Everything `Lean.pay` / `Lean.checkout` need for one of the user's intents, with a fresh customer
/// token. The redirect URLs carry the intent id, so the landing page can show its status.
pub async fn pay_launch(
    state: &AppState,
    user_id: &UserId,
    intent_id: &str,
    choice: &PayChoice<'_>,
) -> Result<PaymentLaunch, AppError> {
    let intent = own_intent(state, user_id, intent_id).await?;
    if !intent.payable() {
        return Err(AppError::invalid("intent_id", PaymentRow::status_text(&intent.status)));
    }
    let return_query = format!("intent_id={}", intent.intent_id);
    payment_launch(state, user_id, choice, intent.intent_id, None, &return_query).await
}

/// The launch config of `Lean.pay` / `Lean.checkout` with the checked options: a single intent, or a
/// bulk (`bulk`, with one of its children as `intent_id`, not sent). `return_query` marks the return
/// URLs of an Open Finance redirect.
async fn payment_launch(
    state: &AppState,
    user_id: &UserId,
    choice: &PayChoice<'_>,
    intent_id: PaymentIntentId,
    bulk: Option<String>,
    return_query: &str,
) -> Result<PaymentLaunch, AppError> {
    let customer_id = ensure_customer(state, user_id).await?;
    let options = pay_options(state, user_id, &customer_id, choice).await?;
    let config = launch::config(state, user_id, customer_id, &[]).await?;
    let (success_redirect_url, fail_redirect_url) = launch::redirect_urls(state, return_query);
    Ok(PaymentLaunch {
        app_token: config.app_token,
        access_token: config.access_token,
        customer_id: config.customer_id,
        sandbox: config.sandbox,
        language: config.language,
        customization: config.customization,
        success_redirect_url,
        fail_redirect_url,
        payment_intent_id: intent_id,
        options,
        bulk_payment_intent_id: bulk,
    })
}

/// Creates a bulk payment intent: one intent per line (a destination of the user's own and an amount),
/// all in one currency; each child is kept with its bulk. Every line is checked before Lean is asked.
pub async fn create_bulk_payment(
    state: &AppState,
    user_id: &UserId,
    destination_ids: &[String],
    amounts: &[String],
    currency: &str,
) -> Result<Vec<PaymentRow>, AppError> {
    if destination_ids.len() != amounts.len() || destination_ids.len() < 2 || destination_ids.len() > MAX_BULK
    {
        return Err(AppError::invalid("amounts", t("pay-bulk-count")));
    }
    let currency = currency.trim().to_uppercase();
    if !CURRENCIES.contains(&currency.as_str()) {
        return Err(AppError::invalid("currency", t("pay-currency-choose")));
    }
    let mut minors = Vec::new();
    for (n, amount) in amounts.iter().enumerate() {
        let minor =
            parse_amount(amount).map_err(|e| AppError::invalid(&format!("amounts.{n}"), t(e.key())))?;
        minors.push(minor);
    }
    let customer_id = ensure_customer(state, user_id).await?;
    let own: Vec<Destination> = state
        .lean
        .for_user(user_id)
        .customer_destinations(&customer_id)
        .await?
        .iter()
        .map(views::destination)
        .collect();
    let mut lines = Vec::new();
    for (n, id) in destination_ids.iter().enumerate() {
        let id = id.trim();
        let destination = own
            .iter()
            .find(|d| is_id(id) && d.id == id)
            .ok_or_else(|| AppError::invalid(&format!("destination_ids.{n}"), t("pay-destination-choose")))?;
        if destination.currency != currency {
            return Err(AppError::invalid(&format!("destination_ids.{n}"), t("pay-bulk-currency")));
        }
        lines.push(serde_json::json!({
            "amount": wire_number(minors[n]), "payment_destination_id": destination.id,
        }));
    }
    let body = serde_json::json!({ "customer_id": customer_id, "currency": currency, "intents": lines });
    let created = state.lean.for_user(user_id).create_bulk_payment_intent(&body).await.map_err(plain)?;
    let bulk_id = created
        .get("bulk_payment_intent_id")
        .and_then(Value::as_str)
        .ok_or_else(|| internal("bulk payment intent without bulk_payment_intent_id"))?
        .to_owned();
    let children = created.get("payment_intents").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut rows = Vec::new();
    for child in &children {
        let id = child
            .get("payment_intent_id")
            .and_then(Value::as_str)
            .map(PaymentIntentId::new)
            .ok_or_else(|| internal("bulk child without payment_intent_id"))?;
        let destination_id = child
            .get("payment_destination")
            .and_then(|d| d.get("id"))
            .and_then(Value::as_str)
            .map(DestinationId::new);
        let destination = destination_id.as_ref().and_then(|d| own.iter().find(|o| &o.id == d));
        let places = crate::model::Money::minor_digits(&currency);
        let amount =
            child.get("amount").and_then(|a| crate::server::lean::amounts::minor_units_in(a, places));
        payments::insert_intent(
            &state.db,
            &payments::NewIntent {
                id: &id,
                user_id,
                customer_id: &customer_id,
                amount_minor: amount.ok_or_else(|| internal("bulk child without an amount"))?,
                currency: &currency,
                destination_id: destination.map(|d| &d.id),
                destination_name: destination.map(|d| d.display_name.as_str()),
                description: None,
                bulk_id: Some(&bulk_id),
            },
        )
        .await?;
        if let Some((_, row)) = payments::get(&state.db, &id).await? {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Everything `Lean.pay` needs to pay the user's bulk payment intent at once; the options are those of
/// a single `pay`.
pub async fn bulk_pay_launch(
    state: &AppState,
    user_id: &UserId,
    bulk_id: &str,
    choice: &PayChoice<'_>,
) -> Result<PaymentLaunch, AppError> {
    let bulk_id = bulk_id.trim();
    if !is_id(bulk_id) {
        return Err(AppError::Forbidden);
    }
    let children = payments::bulk(&state.db, bulk_id).await?;
    let Some((owner, first)) = children.first() else {
        return Err(AppError::Forbidden);
    };
    if owner != user_id {
        return Err(AppError::Forbidden);
    }
    if !children.iter().all(|(_, c)| c.payable()) {
        return Err(AppError::invalid("bulk_id", t("pay-bulk-not-payable")));
    }
    let choice = PayChoice { method: "pay", customer_name: "", ..*choice };
    let return_query = format!("bulk_id={bulk_id}");
    payment_launch(state, user_id, &choice, first.intent_id.clone(), Some(bulk_id.to_owned()), &return_query)
        .await
}

/// The payment options as the browser sent them, for `Lean.pay` or `Lean.checkout` (`method`).
#[derive(Debug, Default, Clone, Copy)]
pub struct PayChoice<'a> {
    pub method: &'a str,
    pub account_id: &'a str,
    pub bank_identifier: &'a str,
    pub customer_name: &'a str,
    pub risk_details: bool,
}

/// Checks the options before Lean sees them: an account of one of the user's own payment sources
/// (`pay` only), a bank Lean lists (for `pay`, one the user has a payment source at, and the account's
/// bank when both are picked), a plain name of bounded length (`checkout` only).
async fn pay_options(
    state: &AppState,
    user_id: &UserId,
    customer_id: &CustomerId,
    choice: &PayChoice<'_>,
) -> Result<PayOptions, AppError> {
    let checkout = match choice.method {
        "" | "pay" => false,
        "checkout" => true,
        _ => return Err(AppError::invalid("method", t("pay-option-method"))),
    };
    let account_id = choice.account_id.trim();
    let bank = choice.bank_identifier.trim();
    let name = choice.customer_name.trim();
    let mut options = PayOptions {
        risk_details: choice.risk_details.then(RiskDetails::web_checkout),
        ..PayOptions::default()
    };
    if checkout && !account_id.is_empty() {
        return Err(AppError::invalid("account_id", t("pay-option-account-pay-only")));
    }
    if !checkout && !name.is_empty() {
        return Err(AppError::invalid("customer_name", t("pay-option-name-checkout-only")));
    }
    if !name.is_empty() {
        if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(AppError::invalid("customer_name", t("pay-option-name-invalid")));
        }
        options.customer_name = Some(name.to_owned());
    }
    if !bank.is_empty() {
        if !state.lean.bank_list().await.iter().any(|b| b.identifier == bank) {
            return Err(AppError::invalid("bank_identifier", t("pay-option-bank-unknown")));
        }
        options.bank_identifier = Some(bank.to_owned());
    }
    if checkout || (account_id.is_empty() && bank.is_empty()) {
        return Ok(options);
    }
    // `pay` pays from a payment source: the bank and the account must be among the user's.
    let sources: Vec<_> =
        state.lean.for_user(user_id).payment_sources(customer_id).await?.iter().map(views::source).collect();
    if !bank.is_empty() && !sources.iter().any(|s| s.bank_identifier == bank) {
        return Err(AppError::invalid("bank_identifier", t("pay-option-bank-no-source")));
    }
    if !account_id.is_empty() {
        if !is_id(account_id) {
            return Err(AppError::invalid("account_id", t("pay-option-account-unknown")));
        }
        let source = sources
            .iter()
            .find(|s| s.accounts.iter().any(|a| a.id == account_id))
            .ok_or_else(|| AppError::invalid("account_id", t("pay-option-account-unknown")))?;
        if !bank.is_empty() && source.bank_identifier != bank {
            return Err(AppError::invalid("account_id", t("pay-option-account-other-bank")));
        }
        options.account_id = Some(account_id.to_owned());
    }
    Ok(options)
}

/// Everything `Lean.createPaymentSource` needs, adding the chosen destination as the beneficiary.
pub async fn payment_source_launch(
    state: &AppState,
    user_id: &UserId,
    destination_id: &str,
) -> Result<(LaunchConfig, String), AppError> {
    let destination_id = destination_param(destination_id)?;
    let customer_id = ensure_customer(state, user_id).await?;
    own_destination(state, user_id, &customer_id, &destination_id).await?;
    let config = launch::config(state, user_id, customer_id, &["payments"]).await?;
    Ok((config, destination_id))
}

/// One of the user's own destinations, by the id the browser sent.
pub async fn checked_destination(
    state: &AppState,
    user_id: &UserId,
    destination_id: &str,
) -> Result<String, AppError> {
    let destination_id = destination_param(destination_id)?;
    let customer_id = ensure_customer(state, user_id).await?;
    own_destination(state, user_id, &customer_id, &destination_id).await?;
    Ok(destination_id)
}

/// Everything `Lean.updatePaymentSource` / `Lean.createBeneficiary` need to add one of the user's
/// destinations as a recipient of one of the user's payment sources. An empty `payment_source_id`
/// means the user's first source (Lean's web SDK wants the id for `updatePaymentSource`).
pub async fn beneficiary_launch(
    state: &AppState,
    user_id: &UserId,
    destination_id: &str,
    payment_source_id: &str,
) -> Result<BeneficiaryLaunch, AppError> {
    let destination_id = destination_param(destination_id)?;
    let wanted = payment_source_id.trim();
    if !wanted.is_empty() && !is_id(wanted) {
        return Err(AppError::invalid("payment_source_id", t("pay-source-choose")));
    }
    let customer_id = ensure_customer(state, user_id).await?;
    own_destination(state, user_id, &customer_id, &destination_id).await?;
    let sources = state.lean.for_user(user_id).payment_sources(&customer_id).await?;
    let ids: Vec<&str> = sources.iter().filter_map(|s| s.get("id").and_then(Value::as_str)).collect();
    let payment_source_id = match (wanted, ids.first()) {
        ("", None) => return Err(AppError::invalid("payment_source_id", t("pay-source-needed"))),
        ("", Some(first)) => first.to_string(),
        (id, _) if ids.contains(&id) => id.to_owned(),
        _ => return Err(AppError::Forbidden),
    };
    Ok(BeneficiaryLaunch {
        config: launch::config(state, user_id, customer_id, &["payments"]).await?,
        payment_destination_id: DestinationId::new(destination_id),
        payment_source_id: Some(PaymentSourceId::new(payment_source_id)),
        entity_id: None,
    })
}

/// Everything `Lean.updatePaymentSource` needs to add payments to one of the user's banks connected for
/// data only (`entity_id`), with one of the user's destinations as its first recipient.
pub async fn add_payments_launch(
    state: &AppState,
    user_id: &UserId,
    destination_id: &str,
    entity_id: &str,
) -> Result<BeneficiaryLaunch, AppError> {
    let destination_id = destination_param(destination_id)?;
    let entity_id = entity_id.trim();
    if !is_id(entity_id) {
        return Err(AppError::invalid("entity_id", t("pay-upgrade-choose-bank")));
    }
    let customer_id = ensure_customer(state, user_id).await?;
    let banks = entities::list_for_customer(&state.db, &customer_id).await?;
    let entity = banks.into_iter().find(|e| e.id == entity_id).ok_or(AppError::Forbidden)?;
    if entity.status != EntityStatus::Active {
        return Err(AppError::invalid("entity_id", t("pay-upgrade-bank-not-active")));
    }
    own_destination(state, user_id, &customer_id, &destination_id).await?;
    Ok(BeneficiaryLaunch {
        config: launch::config(state, user_id, customer_id, &["payments"]).await?,
        payment_destination_id: DestinationId::new(destination_id),
        payment_source_id: None,
        entity_id: Some(entity.id),
    })
}

/// Keeps the user's full name, as their bank holds it (for `verifyAddress`).
pub async fn save_customer_name(state: &AppState, user_id: &UserId, name: &str) -> Result<String, AppError> {
    let name = parse_full_name(name).map_err(|e| AppError::invalid("customer_name", t(e.key())))?;
    profiles::set_full_name(&state.db, user_id, &name).await?;
    Ok(name)
}

/// Everything `Lean.verifyAddress` needs: a fresh customer token, `identity` permission and the name
/// kept for this user (never one sent by the browser, so a user can only verify their own name).
pub async fn verify_address_launch(
    state: &AppState,
    user_id: &UserId,
) -> Result<VerifyAddressLaunch, AppError> {
    let customer_name = profiles::full_name(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::invalid("customer_name", t("pay-verify-name-needed")))?;
    let customer_id = ensure_customer(state, user_id).await?;
    Ok(VerifyAddressLaunch {
        config: launch::config(state, user_id, customer_id, &["identity"]).await?,
        customer_name,
    })
}
