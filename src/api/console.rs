//! The developer console's server functions: the app's outbound Lean calls and inbound webhooks, with
//! "replay" and "send a signed test webhook". Who sees what is `server::console`'s to decide.

use leptos::prelude::*;

pub use crate::model::console::*;
use crate::model::AppError;

/// The console's rows, newest first: the caller's own, or everyone's for an admin.
#[server(endpoint = "console_log")]
pub async fn fetch_console() -> Result<ConsoleLog, AppError> {
    use crate::server::console;
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let view = console::require(&state, &user_id).await?;
        console::log(&state, &view).await
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
