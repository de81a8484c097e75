use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::model::{AppError, CallbackData, ConnectChoices, ConnectLaunch, FlowOutcome, LaunchConfig};

pub use crate::model::flow::{CONNECT_PERMISSIONS, METHODS, STATUSES};

/// Everything the browser needs for `Lean.connect`, with a customer token minted for this launch.
#[server(endpoint = "launch_connect")]
pub async fn launch_connect() -> Result<LaunchConfig, AppError> {
    use crate::server::request::{answer, signed_in};
    use crate::server::{accounts, launch};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let customer_id = accounts::ensure_customer(&state, &user_id).await?;
        launch::config(&state, &user_id, customer_id, CONNECT_PERMISSIONS).await
    })
    .await
}

/// What the connect page offers: Lean's banks, and the brand the settings give Lean's screens.
#[server(endpoint = "connect_choices")]
pub async fn fetch_connect_choices() -> Result<ConnectChoices, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, _) = signed_in().await?;
        Ok(crate::server::connect::choices(&state).await)
    })
    .await
}

/// `Lean.connect` with the optional fields the person chose, each checked first (see
/// `server::connect`). Every field may be left empty.
#[server(endpoint = "launch_connect_with")]
pub async fn launch_connect_with(
    #[server(default)] bank_identifier: String,
    #[server(default)] account_type: String,
    #[server(default)] access_from: String,
    #[server(default)] access_to: String,
    #[server(default)] show_consent_explanation: bool,
    #[server(default)] end_user_id: String,
    #[server(default)] customer_metadata: String,
) -> Result<ConnectLaunch, AppError> {
    use crate::server::connect::{launch, ConnectForm};
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let form = ConnectForm {
            bank_identifier: &bank_identifier,
            account_type: &account_type,
            access_from: &access_from,
            access_to: &access_to,
            show_consent_explanation,
            end_user_id: &end_user_id,
            customer_metadata: &customer_metadata,
        };
        launch(&state, &user_id, form).await
    })
    .await
}

/// `Lean.connect` with the `payments` permission, making a payment source whose first recipient is
/// one of the user's destinations.
#[server(endpoint = "launch_connect_for_payments")]
pub async fn launch_connect_for_payments(destination_id: String) -> Result<ConnectLaunch, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::connect::for_payments(&state, &user_id, &destination_id).await
    })
    .await
}

/// A customer-scoped token, only ever for the signed-in user's own customer (anything else: 403).
#[server(endpoint = "customer_token")]
pub async fn customer_token(customer_id: String) -> Result<String, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::flows::customer_token(&state, &user_id, &customer_id).await
    })
    .await
}

/// Stores how an SDK flow ended. The webhook, not this callback, is the source of truth for what was
/// created; this record is what support needs (`lean_correlation_id`).
#[server(endpoint = "record_flow_outcome", input = Json)]
pub async fn record_flow_outcome(method: String, data: CallbackData) -> Result<FlowOutcome, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        crate::server::flows::check_outcome(&method, &data)?;
        let (state, user_id) = signed_in().await?;
        crate::server::flows::record(&state, &user_id, &method, &data).await
    })
    .await
}

/// Records how `captureRedirect` handled an Open Finance return, once per return (see
/// `server::flows::record_return`).
#[server(endpoint = "record_return", input = Json)]
pub async fn record_return(return_key: String, data: CallbackData) -> Result<FlowOutcome, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        crate::server::flows::check_outcome("captureRedirect", &data)?;
        let (state, user_id) = signed_in().await?;
        crate::server::flows::record_return(&state, &user_id, &return_key, &data).await
    })
    .await
}

/// The outcome recorded when this Open Finance return was first handled, if it was.
#[server(endpoint = "recorded_return")]
pub async fn recorded_return(return_key: String) -> Result<Option<FlowOutcome>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::flows::recorded_return(&state, &user_id, &return_key).await
    })
    .await
}

/// The user's latest SDK outcomes, newest first.
#[server(endpoint = "recent_flows")]
pub async fn recent_flows() -> Result<Vec<FlowOutcome>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        Ok(crate::server::db::flow_attempts::recent(&state.db, &user_id, 5).await?)
    })
    .await
}

/// The user's newest outcome of one Link SDK method (`None` when they never ran it).
#[server(endpoint = "last_flow")]
pub async fn last_flow(method: String) -> Result<Option<FlowOutcome>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::flows::last(&state, &user_id, &method).await
    })
    .await
}

/// Notes the bank the person wanted after "my bank is not listed" (see `server::flows`).
#[server(endpoint = "record_wanted_bank")]
pub async fn record_wanted_bank(flow_id: String, bank: String) -> Result<FlowOutcome, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::flows::record_wanted_bank(&state, &user_id, &flow_id, &bank).await
    })
    .await
}
