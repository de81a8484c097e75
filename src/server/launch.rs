//! What the browser needs to launch a Link SDK flow: a customer token minted for this launch only,
//! in the caller's language, with the app's customisation, and where Lean sends the person back.

use crate::model::{AppError, CustomerId, LaunchConfig, UserId};
use crate::server::AppState;

/// The launch of any flow for `customer_id`, asking for `permissions`.
pub async fn config(
    state: &AppState,
    user_id: &UserId,
    customer_id: CustomerId,
    permissions: &[&str],
) -> Result<LaunchConfig, AppError> {
    Ok(LaunchConfig {
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

/// The success and fail URLs of an Open Finance flow, each with `query` so the landing page knows
/// what came back even if Lean adds nothing.
pub fn redirect_urls(state: &AppState, query: &str) -> (String, String) {
    let base = state.config.base_url();
    let base = base.trim_end_matches('/');
    let [success, fail] = crate::server::diagnostics::REDIRECT_PATHS;
    (format!("{base}{success}?{query}"), format!("{base}{fail}?{query}"))
}
