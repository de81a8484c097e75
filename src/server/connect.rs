//! Connecting a bank with Lean's optional `connect` fields: what the connect page offers, and the
//! checks each choice passes before anything is sent to Lean.

use chrono::NaiveDate;

use crate::i18n::{arg, t, t_with};
use crate::model::connect::{ACCOUNT_TYPES, MAX_END_USER_ID_CHARS, MAX_METADATA_CHARS};
use crate::model::flow::CONNECT_PERMISSIONS;
use crate::model::{AppError, ConnectChoices, ConnectLaunch, ConnectOptions, UserId};
use crate::server::AppState;

/// Lean's banks and the brand the settings give Lean's screens.
pub async fn choices(state: &AppState) -> ConnectChoices {
    ConnectChoices {
        banks: state.lean.bank_list().await,
        destination_alias: state.config.destination_alias.clone(),
        destination_avatar: state.config.destination_avatar.clone(),
    }
}

/// The connect page's fields as the browser sent them: empty means "not chosen".
pub struct ConnectForm<'a> {
    pub bank_identifier: &'a str,
    pub account_type: &'a str,
    pub access_from: &'a str,
    pub access_to: &'a str,
    pub show_consent_explanation: bool,
    pub end_user_id: &'a str,
    pub customer_metadata: &'a str,
}

/// Checks the choices, then mints the launch. A bank Lean does not list, an unknown account type or
/// dates in the wrong order are refused here, in plain words, and Lean is never asked.
pub async fn launch(
    state: &AppState,
    user_id: &UserId,
    form: ConnectForm<'_>,
) -> Result<ConnectLaunch, AppError> {
    let options = check(state, form).await?;
    let customer_id = crate::server::accounts::ensure_customer(state, user_id).await?;
    let config = crate::server::launch::config(state, user_id, customer_id, CONNECT_PERMISSIONS).await?;
    Ok(ConnectLaunch { config, options })
}

async fn check(state: &AppState, form: ConnectForm<'_>) -> Result<ConnectOptions, AppError> {
    let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let bank_identifier = given(form.bank_identifier);
    if let Some(bank) = &bank_identifier {
        if !state.lean.bank_list().await.iter().any(|b| &b.identifier == bank) {
            return Err(AppError::invalid(
                "bank_identifier",
                t_with("connect-error-bank", &[("bank", arg(bank.chars().take(40).collect::<String>()))]),
            ));
        }
    }
    let account_type = given(form.account_type);
    if account_type.as_deref().is_some_and(|a| !ACCOUNT_TYPES.contains(&a)) {
        return Err(AppError::invalid("account_type", t("connect-error-account-type")));
    }
    let date = |field: &'static str, text: &str| -> Result<Option<NaiveDate>, AppError> {
        match given(text) {
            None => Ok(None),
            Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid(field, t("connect-error-date"))),
        }
    };
    let (from, to) = (date("access_from", form.access_from)?, date("access_to", form.access_to)?);
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(AppError::invalid("access_to", t("connect-error-date-order")));
        }
    }
    let bounded = |field: &'static str, text: &str, max: usize| -> Result<Option<String>, AppError> {
        match given(text) {
            Some(v) if v.chars().count() > max || v.chars().any(char::is_control) => Err(AppError::invalid(
                field,
                t_with("connect-error-too-long", &[("max", crate::i18n::num(max as i64))]),
            )),
            other => Ok(other),
        }
    };
    Ok(ConnectOptions {
        bank_identifier,
        account_type,
        access_from: from.map(|d| d.to_string()),
        access_to: to.map(|d| d.to_string()),
        show_consent_explanation: form.show_consent_explanation,
        end_user_id: bounded("end_user_id", form.end_user_id, MAX_END_USER_ID_CHARS)?,
        customer_metadata: bounded("customer_metadata", form.customer_metadata, MAX_METADATA_CHARS)?,
        payment_destination_id: None,
        destination_alias: state.config.destination_alias.clone(),
        destination_avatar: state.config.destination_avatar.clone(),
    })
}

/// `Lean.connect` with the `payments` permission and one of the user's destinations: the bank is
/// connected and a payment source made with that recipient in one flow, the path Lean advises over
/// the deprecated `createPaymentSource`.
pub async fn for_payments(
    state: &AppState,
    user_id: &UserId,
    destination_id: &str,
) -> Result<ConnectLaunch, AppError> {
    let destination = crate::server::payments::checked_destination(state, user_id, destination_id).await?;
    let customer_id = crate::server::accounts::ensure_customer(state, user_id).await?;
    let mut permissions = CONNECT_PERMISSIONS.to_vec();
    permissions.push("payments");
    let config = crate::server::launch::config(state, user_id, customer_id, &permissions).await?;
    let options = ConnectOptions {
        payment_destination_id: Some(destination),
        destination_alias: state.config.destination_alias.clone(),
        destination_avatar: state.config.destination_avatar.clone(),
        ..ConnectOptions::default()
    };
    Ok(ConnectLaunch { config, options })
}
