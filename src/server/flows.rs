//! Link SDK flows: customer tokens for the signed-in user's own customer, and the outcomes the
//! browser reports when a flow ends.

use crate::i18n::{arg, t, t_with};
use crate::model::flow::{METHODS, STATUSES};
use crate::model::{AppError, CallbackData, FlowOutcome, UserId};
use crate::server::db::customers;
use crate::server::AppState;

/// A customer-scoped token, only for the user's own customer; any other id is 403.
pub async fn customer_token(
    state: &AppState,
    user_id: &UserId,
    customer_id: &str,
) -> Result<String, AppError> {
    match customers::for_user(&state.db, user_id).await? {
        Some(c) if c.customer_id == customer_id.trim() => {
            Ok(state.lean.for_user(user_id).customer_token(&c.customer_id).await?)
        }
        _ => Err(AppError::Forbidden),
    }
}

/// A reported outcome names a method and status the SDK has, and every field is bounded, stored or
/// not: what Lean's SDK sends is far shorter.
pub fn check_outcome(method: &str, data: &CallbackData) -> Result<(), AppError> {
    if !METHODS.contains(&method) {
        return Err(AppError::invalid("method", t_with("flow-error-method", &[("method", arg(method))])));
    }
    if !STATUSES.contains(&data.status.as_str()) {
        return Err(AppError::invalid(
            "status",
            t_with("flow-error-status", &[("status", arg(&data.status))]),
        ));
    }
    let over = |s: &Option<String>, max: usize| s.as_ref().is_some_and(|s| s.len() > max);
    let bank = data.bank.as_ref().and_then(|b| b.bank_identifier.clone());
    if over(&data.message, 2000)
        || over(&data.secondary_status, 200)
        || over(&data.exit_point, 200)
        || over(&data.lean_correlation_id, 100)
        || over(&bank, 100)
        || over(&data.last_api_response, 2000)
        || over(&data.open_banking_redirect_url, 2000)
    {
        return Err(AppError::invalid("data", t("flow-error-too-long")));
    }
    Ok(())
}

/// Stores a checked outcome. The log line carries Lean's correlation id, which is what Lean's support
/// asks for.
pub async fn record(
    state: &AppState,
    user_id: &UserId,
    method: &str,
    data: &CallbackData,
) -> Result<FlowOutcome, AppError> {
    record_once(state, user_id, method, data, None).await
}

async fn record_once(
    state: &AppState,
    user_id: &UserId,
    method: &str,
    data: &CallbackData,
    return_key: Option<&str>,
) -> Result<FlowOutcome, AppError> {
    tracing::info!(
        method,
        status = %data.status,
        lean_correlation_id = data.lean_correlation_id.as_deref().unwrap_or_default(),
        "Link SDK flow ended"
    );
    Ok(crate::server::db::flow_attempts::insert(&state.db, user_id, method, data, return_key).await?)
}

/// An Open Finance return's key: Lean's `consent_attempt_id`, or the return URL's own parameters. It is
/// only ever compared, so it is stored as its SHA-256: bounded, whatever the bank put in the URL.
fn return_key_digest(key: &str) -> Result<String, AppError> {
    use sha2::{Digest, Sha256};
    let key = key.trim();
    if key.is_empty() || key.len() > 4000 || key.chars().any(char::is_control) {
        return Err(AppError::invalid("return_key", t("flow-error-return-key")));
    }
    Ok(hex::encode(Sha256::digest(key.as_bytes())))
}

/// Records the `captureRedirect` that handled an Open Finance return, once: a second report for the
/// same return (a reload, a second tab) gets the first record back and stores nothing.
pub async fn record_return(
    state: &AppState,
    user_id: &UserId,
    return_key: &str,
    data: &CallbackData,
) -> Result<FlowOutcome, AppError> {
    let key = return_key_digest(return_key)?;
    record_once(state, user_id, "captureRedirect", data, Some(&key)).await
}

/// What was recorded when this return was first handled, if it was.
pub async fn recorded_return(
    state: &AppState,
    user_id: &UserId,
    return_key: &str,
) -> Result<Option<FlowOutcome>, AppError> {
    let key = return_key_digest(return_key)?;
    Ok(crate::server::db::flow_attempts::by_return_key(&state.db, user_id, &key).await?)
}

/// The user's newest outcome of `method`, one of the SDK's methods.
pub async fn last(state: &AppState, user_id: &UserId, method: &str) -> Result<Option<FlowOutcome>, AppError> {
    if !METHODS.contains(&method) {
        return Err(AppError::invalid("method", t_with("flow-error-method", &[("method", arg(method))])));
    }
    Ok(crate::server::db::flow_attempts::latest(&state.db, user_id, method).await?)
}

/// The bank a person wanted after telling Lean theirs is not listed, noted on that outcome (theirs,
/// and one that said so) for whoever decides which banks to ask Lean for.
pub async fn record_wanted_bank(
    state: &AppState,
    user_id: &UserId,
    flow_id: &str,
    bank: &str,
) -> Result<FlowOutcome, AppError> {
    let bank = bank.trim();
    if bank.is_empty() {
        return Err(AppError::invalid("bank", t("flow-wanted-bank-empty")));
    }
    if bank.chars().count() > 100 || bank.chars().any(char::is_control) {
        return Err(AppError::invalid("bank", t("flow-wanted-bank-too-long")));
    }
    let flow_id = flow_id.trim();
    if flow_id.len() > 64
        || !crate::server::db::flow_attempts::set_wanted_bank(&state.db, user_id, flow_id, bank).await?
    {
        return Err(AppError::invalid("bank", t("flow-wanted-bank-no-flow")));
    }
    tracing::info!(flow_id, "a person named the bank Lean did not list");
    crate::server::db::flow_attempts::get(&state.db, user_id, flow_id).await?.ok_or(AppError::Forbidden)
}
