use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::model::{AppError, CallbackData, FlowOutcome, LaunchConfig};

/// The Link SDK methods a callback may be recorded for.
pub const METHODS: &[&str] = &[
    "link",
    "connect",
    "reconnect",
    "createBeneficiary",
    "createPaymentSource",
    "updatePaymentSource",
    "pay",
    "verifyAddress",
    "authorizeConsent",
    "checkout",
    "manageConsents",
    "captureRedirect",
];
pub const STATUSES: &[&str] = &["SUCCESS", "ERROR", "CANCELLED", "REDIRECT", "LINK_CLOSED_PROGRAMMATICALLY"];

/// Data permissions requested by "Connect a bank".
pub const CONNECT_PERMISSIONS: &[&str] = &["identity", "accounts", "balance", "transactions"];

/// Everything the browser needs for `Lean.connect`, with a customer token minted for this launch.
#[server(endpoint = "launch_connect")]
pub async fn launch_connect() -> Result<LaunchConfig, AppError> {
    use crate::api::auth::ensure_customer;
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let customer_id = ensure_customer(&state, &user_id).await?;
            crate::api::context::launch_config(&state, &user_id, customer_id, CONNECT_PERMISSIONS).await
        }
        .await,
    )
}

/// A customer-scoped token, only ever for the signed-in user's own customer (anything else: 403).
#[server(endpoint = "customer_token")]
pub async fn customer_token(customer_id: String) -> Result<String, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::server::db::customers;
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let own = customers::for_user(&state.db, &user_id).await.map_err(internal)?;
            match own {
                Some(c) if c.customer_id == customer_id.trim() => {
                    Ok(state.lean.for_user(&user_id).customer_token(&c.customer_id).await?)
                }
                _ => Err(AppError::Forbidden),
            }
        }
        .await,
    )
}

/// Stores how an SDK flow ended. The webhook, not this callback, is the source of truth for what was
/// created; this record is what support needs (`lean_correlation_id`).
#[server(endpoint = "record_flow_outcome", input = Json)]
pub async fn record_flow_outcome(method: String, data: CallbackData) -> Result<FlowOutcome, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    use crate::i18n::{arg, t, t_with};
    finish(
        async {
            if !METHODS.contains(&method.as_str()) {
                return Err(AppError::invalid(
                    "method",
                    t_with("flow-error-method", &[("method", arg(&method))]),
                ));
            }
            if !STATUSES.contains(&data.status.as_str()) {
                return Err(AppError::invalid(
                    "status",
                    t_with("flow-error-status", &[("status", arg(&data.status))]),
                ));
            }
            // Every field is bounded, stored or not: what Lean's SDK sends is far shorter.
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
            let user_id = user_id().await?;
            let state = state()?;
            crate::server::db::flow_attempts::insert(&state.db, &user_id, &method, &data)
                .await
                .map_err(internal)
        }
        .await,
    )
}

/// The user's latest SDK outcomes, newest first.
#[server(endpoint = "recent_flows")]
pub async fn recent_flows() -> Result<Vec<FlowOutcome>, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            crate::server::db::flow_attempts::recent(&state()?.db, &user_id, 5).await.map_err(internal)
        }
        .await,
    )
}
