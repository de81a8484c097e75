//! The bank page's server functions (see `server::bank_data`).

use leptos::prelude::*;

use crate::model::{AppError, DataState, EntityOverview, LaunchConfig, TransactionsPage};

/// The bank page: the entity, its accounts with balances, and the account holder's identity.
#[server(endpoint = "entity_overview")]
pub async fn fetch_entity_overview(entity_id: String) -> Result<EntityOverview, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::bank_data::overview(&state, &user_id, &entity_id).await
    })
    .await
}

/// One page of an account's transactions, newest first, between two dates (YYYY-MM-DD, inclusive).
#[server(endpoint = "account_transactions")]
pub async fn account_transactions(
    entity_id: String,
    account_id: String,
    from: String,
    to: String,
    page: u32,
) -> Result<DataState<TransactionsPage>, AppError> {
    use crate::server::bank_data::{transactions, TransactionsQuery};
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        let query =
            TransactionsQuery { entity_id: &entity_id, account_id: &account_id, from: &from, to: &to, page };
        transactions(&state, &user_id, query).await
    })
    .await
}

/// Spending by category and the daily balance over the last 90 days, for the account charts.
#[server(endpoint = "account_insights")]
pub async fn account_insights(
    entity_id: String,
    account_id: String,
) -> Result<DataState<crate::model::AccountInsights>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::bank_data::account_insights(&state, &user_id, &entity_id, &account_id).await
    })
    .await
}

/// Everything `Lean.reconnect` needs for one of the user's banks that Lean says needs a new login.
#[server(endpoint = "launch_reconnect")]
pub async fn launch_reconnect(entity_id: String) -> Result<LaunchConfig, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::bank_data::reconnect_launch(&state, &user_id, &entity_id).await
    })
    .await
}

/// Asks Lean to refresh this bank's data now. Progress shows on the page as Lean's webhooks arrive.
#[server(endpoint = "refresh_entity")]
pub async fn refresh_entity(entity_id: String) -> Result<DataState<()>, AppError> {
    use crate::server::request::{answer, signed_in};
    answer(async {
        let (state, user_id) = signed_in().await?;
        crate::server::bank_data::refresh(&state, &user_id, &entity_id).await
    })
    .await
}
