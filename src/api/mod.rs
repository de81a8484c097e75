//! Server functions by domain. Each validates its input, acts only for the signed-in user, and returns
//! an `AppError` the UI can show as it is.

pub mod auth;
pub mod consents;
pub mod console;
pub mod data;
pub mod diagnostics;
pub mod entities;
pub mod flows;
pub mod payments;
pub mod sandbox_panel;

pub use auth::{fetch_current_user, SignIn, SignOut, SignUp};
pub use consents::{
    create_consent, fetch_consent, fetch_consents, launch_consent, pay_with_consent, revoke_consent,
};
pub use data::{
    account_insights, account_transactions, fetch_entity_overview, launch_reconnect, RefreshEntity,
};
pub use diagnostics::{fetch_diagnostics, CatchUpNow};
pub use entities::{list_entities, live_position, DisconnectEntity};
pub use flows::{launch_connect, recent_flows, record_flow_outcome};
pub use payments::{
    create_destination, create_payment, fetch_customer_name, fetch_payments, launch_beneficiary,
    launch_payment, launch_payment_source, launch_verify_address, payment_status, save_customer_name,
};

#[cfg(feature = "ssr")]
pub(crate) mod context {
    use leptos::prelude::*;
    use tower_sessions::Session;

    use crate::model::AppError;
    use crate::server::auth::session_user_id;
    use crate::server::AppState;

    /// What the browser needs to launch a Link SDK flow for `customer_id`: a freshly minted customer
    /// token, in the caller's language, with the app's customisation.
    pub async fn launch_config(
        state: &AppState,
        user_id: &str,
        customer_id: String,
        permissions: &[&str],
    ) -> Result<crate::model::LaunchConfig, AppError> {
        Ok(crate::model::LaunchConfig {
            app_token: state.lean.app_token().to_owned(),
            access_token: state.lean.for_user(user_id).customer_token(&customer_id).await?,
            customer_id,
            sandbox: state.public.sandbox,
            language: crate::i18n::lang().code().into(),
            customization: state.public.sdk_customization.clone(),
            permissions: permissions.iter().map(|p| p.to_string()).collect(),
            reconnect_id: None,
        })
    }

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or(AppError::Internal)
    }

    pub async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>().await.map_err(|e| {
            tracing::error!(error = ?e, "session layer missing");
            AppError::Internal
        })
    }

    /// The signed-in user's id, or `SignInRequired`.
    pub async fn user_id() -> Result<String, AppError> {
        session_user_id(&session().await?).await.ok_or(AppError::SignInRequired)
    }

    /// The client's address (see `security::client`); loopback when there is no request (the CLI).
    pub fn client_ip() -> std::net::IpAddr {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<crate::server::security::client::Client>().map(|c| c.ip))
            .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
    }

    /// Gives the HTTP response the status that matches the error, so API clients and tests see a
    /// real 400/401/403 and not a blanket 500.
    pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                if let AppError::TooManyAttempts { retry_after_secs } = e {
                    if let Ok(v) = axum::http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                        res.insert_header(axum::http::header::RETRY_AFTER, v);
                    }
                }
                // A plain form post (no JavaScript yet) is sent back to its page by leptos_axum
                // (Location: Referer); an error status would strand the browser on the raw answer.
                res.set_status(if plain_form_post() {
                    axum::http::StatusCode::SEE_OTHER
                } else {
                    axum::http::StatusCode::from_u16(e.http_status())
                        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
                });
            }
        }
        result
    }

    /// The request is an HTML form posted by the browser itself (before hydration, or without
    /// JavaScript): it accepts HTML and names the page it came from.
    pub fn plain_form_post() -> bool {
        use_context::<axum::http::request::Parts>().is_some_and(|p| {
            let accepts_html = p
                .headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"));
            accepts_html && p.headers.contains_key(axum::http::header::REFERER)
        })
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %e, "internal error");
        AppError::Internal
    }
}
