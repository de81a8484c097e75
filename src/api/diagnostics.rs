use leptos::prelude::*;

use crate::model::{AppError, Diagnostics};

/// The diagnostics report; admins only (ADMIN_EMAILS).
#[server(endpoint = "diagnostics")]
pub async fn fetch_diagnostics() -> Result<Diagnostics, AppError> {
    use crate::api::context::{finish, state};
    finish(
        async {
            let state = state()?;
            require_admin(&state).await?;
            Ok(crate::server::diagnostics::report(&state.config, Ok(&state.db), Some(&state.lean)).await)
        }
        .await,
    )
}

/// Reads `GET /events/v1` now and stores what is missing; admins only. Returns (seen, new).
#[server(endpoint = "catch_up_now")]
pub async fn catch_up_now() -> Result<(usize, usize), AppError> {
    use crate::api::context::{finish, state};
    finish(
        async {
            let state = state()?;
            require_admin(&state).await?;
            let r = crate::server::webhooks::catch_up::run_once(&state.db, &state.lean, &state.worker)
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "on-demand catch-up failed");
                    AppError::LeanUnavailable
                })?;
            Ok((r.seen, r.new))
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn require_admin(state: &crate::server::AppState) -> Result<(), AppError> {
    use crate::api::context::{internal, user_id};
    let user_id = user_id().await?;
    let user = crate::server::db::users::find_by_id(&state.db, &user_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::SignInRequired)?;
    if state.config.admin_emails.contains(&user.email) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
