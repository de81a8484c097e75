//! Server functions by domain. Each validates its input, acts only for the signed-in user, and returns
//! an `AppError` the UI can show as it is.

pub mod auth;
pub mod console;
pub mod data;
pub mod diagnostics;
pub mod entities;
pub mod flows;
pub mod payments;
pub mod sandbox_panel;

pub use auth::{fetch_current_user, SignIn, SignOut, SignUp};
pub use data::{
    account_insights, account_transactions, fetch_entity_overview, launch_reconnect, RefreshEntity,
};
pub use diagnostics::{fetch_diagnostics, CatchUpNow};
pub use entities::{list_entities, DisconnectEntity};
pub use flows::{launch_connect, recent_flows, record_flow_outcome};
pub use payments::{
    create_destination, create_payment, fetch_payments, launch_payment, launch_payment_source, payment_status,
};

#[cfg(feature = "ssr")]
pub(crate) mod context {
    use leptos::prelude::*;
    use tower_sessions::Session;

    use crate::model::AppError;
    use crate::server::auth::session_user_id;
    use crate::server::AppState;

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

    /// Gives the HTTP response the status that matches the error, so API clients and tests see a
    /// real 400/401/403 and not a blanket 500.
    pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(
                    axum::http::StatusCode::from_u16(e.http_status())
                        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
        }
        result
    }

    pub fn internal(e: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %e, "internal error");
        AppError::Internal
    }
}
