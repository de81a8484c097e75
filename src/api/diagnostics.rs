use leptos::prelude::*;

use crate::model::{AppError, Diagnostics};

/// The diagnostics report; admins only (ADMIN_EMAILS).
#[server(endpoint = "diagnostics")]
pub async fn fetch_diagnostics() -> Result<Diagnostics, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let user = crate::server::db::users::find_by_id(&state.db, &user_id)
                .await
                .map_err(internal)?
                .ok_or(AppError::SignInRequired)?;
            if !state.config.admin_emails.contains(&user.email) {
                return Err(AppError::Forbidden);
            }
            Ok(crate::server::diagnostics::report(&state.config, Ok(&state.db), Some(&state.lean)).await)
        }
        .await,
    )
}
