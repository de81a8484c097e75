//! The diagnostics page's server functions; admins only (`ADMIN_EMAILS`).

use leptos::prelude::*;

use crate::model::{AppError, Diagnostics};

/// The diagnostics report.
#[server(endpoint = "diagnostics")]
pub async fn fetch_diagnostics() -> Result<Diagnostics, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::accounts::require_admin(&state, &user_id).await?;
        Ok(crate::server::diagnostics::report(&state.config, Ok(&state.db), Some(&state.lean)).await)
    })
    .await
}

/// Reads `GET /events/v1` now and stores what is missing. Returns (seen, new).
#[server(endpoint = "catch_up_now")]
pub async fn catch_up_now() -> Result<(usize, usize), AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::accounts::require_admin(&state, &user_id).await?;
        crate::server::diagnostics::catch_up_now(&state).await
    })
    .await
}
