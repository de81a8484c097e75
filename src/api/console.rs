//! The developer console's server functions: the app's outbound Lean calls and inbound webhooks, with
//! "replay" and "send a signed test webhook". Who sees what is `server::console`'s to decide.

use leptos::prelude::*;

pub use crate::model::console::*;
use crate::model::AppError;

/// One page of the console's rows, newest first: the caller's own, or everyone's for an admin. Every
/// field of the query is optional (no fields: the newest page, unfiltered).
#[server(endpoint = "console_log")]
pub async fn fetch_console(
    #[server(default)] webhooks_before: Option<String>,
    #[server(default)] calls_before: Option<String>,
    #[server(default)] webhook_type: Option<String>,
    #[server(default)] webhook_status: Option<String>,
    #[server(default)] failed_calls: Option<bool>,
) -> Result<ConsoleLog, AppError> {
    use crate::server::console;
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let view = console::require(&state, &user_id).await?;
        let query = ConsoleQuery {
            webhooks_before,
            calls_before,
            webhook_type,
            webhook_status,
            failed_calls: failed_calls.unwrap_or(false),
        };
        console::log(&state, &view, &query).await
    })
    .await
}

/// Applies a stored webhook again through the worker.
#[server(endpoint = "replay_webhook")]
pub async fn replay_webhook(event_id: String) -> Result<(), AppError> {
    use crate::server::console;
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let view = console::require(&state, &user_id).await?;
        console::replay(&state, &view, &event_id).await
    })
    .await
}

/// Signs a sample event as Lean does and posts it to this app's own webhook endpoint.
#[server(endpoint = "send_test_webhook")]
pub async fn send_test_webhook(event_type: String) -> Result<TestWebhookSent, AppError> {
    use crate::server::console;
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let view = console::require(&state, &user_id).await?;
        console::send_test_webhook(&state, &view, &event_type).await
    })
    .await
}
