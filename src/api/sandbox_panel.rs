//! The sandbox panel's server functions (see `server::sandbox_panel`). Each needs a signed-in user.

use leptos::prelude::*;

pub use crate::model::sandbox_panel::*;
use crate::model::AppError;

#[server(endpoint = "sandbox_panel")]
pub async fn fetch_sandbox_panel() -> Result<SandboxPanel, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::sandbox_panel::panel(&state, &user_id).await
    })
    .await
}

/// The bank logs the test user out: every bank that user connected needs reconnecting.
#[server(endpoint = "sandbox_expire_session")]
pub async fn sandbox_expire_session(username: String) -> Result<String, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::sandbox_panel::expire_session(&state, &user_id, &username).await
    })
    .await
}

/// One-shot: the entity's next data call ends with `status` (and, for FAILED, a granular code).
#[server(endpoint = "sandbox_next_data_call")]
pub async fn sandbox_next_data_call(
    entity_id: String,
    status: String,
    granular_status_code: String,
) -> Result<String, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::sandbox_panel::next_data_call(
            &state,
            &user_id,
            &entity_id,
            &status,
            &granular_status_code,
        )
        .await
    })
    .await
}

/// Adds a fault rule for the sandbox's API routes: 500s, 429s or added latency, at a rate.
#[server(endpoint = "sandbox_fault")]
pub async fn sandbox_fault(kind: String, rate: String, latency_ms: String) -> Result<String, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, _) = signed_in().await?;
        crate::server::sandbox_panel::fault(&state, &kind, &rate, &latency_ms).await
    })
    .await
}

/// Clears scripted calls, fault rules, dropped-webhook rules and pending reconnects.
#[server(endpoint = "sandbox_clear")]
pub async fn sandbox_clear() -> Result<String, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, _) = signed_in().await?;
        crate::server::sandbox_panel::clear(&state).await
    })
    .await
}
