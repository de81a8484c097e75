//! A user's bank data through Lean's Data API: the bank page's overview, transactions and charts,
//! reconnecting and refreshing. Only the signed-in user's own entities are ever read.

mod insights;
mod views;

use serde_json::Value;

pub use insights::account_insights;

use crate::i18n::t;
use crate::model::{
    AppError, DataState, Entity, EntityId, EntityOverview, EntityStatus, LaunchConfig, LiveEvent,
    TransactionsPage, UserId,
};
use crate::server::db::{customers, data_results, entities};
use crate::server::lean::LeanClient;
use crate::server::AppState;

/// The user's own entity, or 403 (unknown ids look the same, so ids are never confirmed).
pub async fn own_entity(state: &AppState, user_id: &UserId, entity_id: &str) -> Result<Entity, AppError> {
    check_entity_id(entity_id)?;
    let own = customers::for_user(&state.db, user_id).await?;
    let found = entities::get(&state.db, &EntityId::new(entity_id.trim())).await?;
    match (own, found) {
        (Some(c), Some((owner, e))) if owner == c.customer_id && e.status != EntityStatus::Deleted => Ok(e),
        _ => Err(AppError::Forbidden),
    }
}

/// Lean's entity ids are UUIDs; anything else is refused before it reaches a query or a URL.
pub fn check_entity_id(entity_id: &str) -> Result<(), AppError> {
    let id = entity_id.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(AppError::invalid("entity_id", t("bank-error-entity-id")));
    }
    Ok(())
}

/// An account id goes into Lean's URL paths, so only Lean's own alphabet is let through.
fn check_account_id(account_id: &str) -> Result<(), AppError> {
    let ok = !account_id.is_empty()
        && account_id.len() <= 64
        && account_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid("account_id", t("bank-error-account-id")))
    }
}

/// Keeps the entity's status in step with what the data calls say, and tells the user live.
pub async fn track<T>(state: &AppState, user_id: &UserId, entity: &mut Entity, outcome: &DataState<T>) {
    let (status, reconnect_id) = match outcome {
        DataState::ReconnectRequired { reconnect_id } => {
            (EntityStatus::ReconnectRequired, Some(reconnect_id.as_str()))
        }
        DataState::ConsentExpired => (EntityStatus::ConsentExpired, None),
        DataState::Ready(_) => (EntityStatus::Active, None),
        _ => return,
    };
    if entity.status == status {
        return;
    }
    entity.status = status;
    if let Err(e) = entities::set_status(&state.db, &entity.id, status, reconnect_id).await {
        tracing::warn!(error = %e, "could not record the entity status");
        return;
    }
    let event = LiveEvent::EntityChanged { entity: entity.clone() };
    if let Err(e) = state.bus.publish(&state.db, user_id, &event).await {
        tracing::warn!(error = %e, "could not publish the entity status");
    }
}

/// Reads the entity's accounts once so the app learns now, from Lean's own answer, whether the bank
/// wants a new login (the dashboard is told live by [`track`]) rather than on the next visit to the
/// bank's page.
pub async fn check_connection(state: &AppState, user_id: &UserId, entity: &Entity) -> Result<(), AppError> {
    let mut entity = entity.clone();
    let path = format!("/data/v2/accounts?entity_id={}&page=0&size=100", entity.id);
    let outcome = data_call(state, user_id, &entity, &path).await?;
    track(state, user_id, &mut entity, &outcome).await;
    Ok(())
}

/// One data call for one of the user's entities, with Lean's asynchronous answers handled: a
/// PENDING answer is remembered by its `results_id`; while it waits for `results.ready` the call is
/// not repeated (Lean said "wait for a webhook"), and once the results are fetched (see
/// `server::webhooks::results_events`) they answer the call.
pub async fn data_call(
    state: &AppState,
    user_id: &UserId,
    entity: &Entity,
    path: &str,
) -> Result<DataState<Value>, AppError> {
    // Lean said the consent is gone and a new connect is needed; asking again changes nothing until
    // the connect's entity webhook makes the entity active again.
    if entity.status == EntityStatus::ConsentExpired {
        return Ok(DataState::ConsentExpired);
    }
    let entity_id = &entity.id;
    if let Some(stored) = data_results::current(&state.db, entity_id, path).await? {
        match (stored.status.as_str(), stored.envelope) {
            ("ready", Some(envelope)) => {
                if let Ok(env) = serde_json::from_str::<Value>(&envelope) {
                    return Ok(LeanClient::interpret_envelope(env));
                }
            }
            ("pending", _) => return Ok(DataState::Pending),
            _ => {}
        }
    }
    let (outcome, results_id) = state.lean.for_user(user_id).data_v2_with_results_id(path).await?;
    if let Some(results_id) = results_id {
        data_results::insert_pending(&state.db, &results_id, entity_id, path).await?;
    }
    Ok(outcome)
}

/// The bank page: the entity, its accounts with balances, and the account holder's identity.
pub async fn overview(
    state: &AppState,
    user_id: &UserId,
    entity_id: &str,
) -> Result<EntityOverview, AppError> {
    let mut entity = own_entity(state, user_id, entity_id).await?;
    let id = entity.id.clone();

    let accounts =
        data_call(state, user_id, &entity, &format!("/data/v2/accounts?entity_id={id}&page=0&size=100"))
            .await?;
    track(state, user_id, &mut entity, &accounts).await;
    let accounts = match accounts {
        DataState::Ready(data) => {
            let mut list = Vec::new();
            for raw in views::items(&data, "accounts") {
                let mut a = views::account(&raw);
                let path = format!("/data/v2/accounts/{}/balances?entity_id={id}", a.id);
                if let DataState::Ready(b) = data_call(state, user_id, &entity, &path).await? {
                    if let Some((amount, kind)) = views::pick_balance(&views::items(&b, "balances")) {
                        a.balance = Some(amount);
                        a.balance_type = Some(kind);
                    }
                }
                list.push(a);
            }
            DataState::Ready(list)
        }
        other => other.map(|_| Vec::new()),
    };
    let identity = match &accounts {
        // Once a call says the connection needs attention, the others would say the same.
        DataState::Ready(_) => {
            data_call(state, user_id, &entity, &format!("/data/v2/identity?entity_id={id}"))
                .await?
                .map(|d| views::items(&d, "identities").first().map(views::identity).unwrap_or_default())
        }
        other => other.clone().map(|_| Default::default()),
    };
    let today = chrono::Utc::now().date_naive();
    Ok(EntityOverview {
        entity,
        accounts,
        identity,
        default_from: (today - chrono::Duration::days(90)).to_string(),
        default_to: today.to_string(),
    })
}

/// The page of transactions the bank page asks for.
pub struct TransactionsQuery<'a> {
    pub entity_id: &'a str,
    pub account_id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub page: u32,
}

/// One page of an account's transactions, newest first, between two dates (YYYY-MM-DD, inclusive).
pub async fn transactions(
    state: &AppState,
    user_id: &UserId,
    q: TransactionsQuery<'_>,
) -> Result<DataState<TransactionsPage>, AppError> {
    let date = |field: &str, v: &str| {
        chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, t("bank-error-date")))
    };
    let (start, end) = (date("from", q.from)?, date("to", q.to)?);
    if start > end {
        return Err(AppError::invalid("from", t("bank-error-date-order")));
    }
    if q.page > 10_000 {
        return Err(AppError::invalid("page", t("bank-error-page")));
    }
    check_account_id(q.account_id)?;
    let mut entity = own_entity(state, user_id, q.entity_id).await?;
    let path = format!(
        "/data/v2/accounts/{}/transactions?entity_id={}&start_date={start}&end_date={end}&page={}&size=25",
        q.account_id, entity.id, q.page
    );
    let outcome = data_call(state, user_id, &entity, &path).await?;
    track(state, user_id, &mut entity, &outcome).await;
    Ok(outcome.map(|data| {
        let mut rows: Vec<_> = views::items(&data, "transactions").iter().map(views::transaction).collect();
        rows.sort_by(|a, b| b.date.cmp(&a.date));
        let total_pages =
            data.get("page").and_then(|p| p.get("total_pages")).and_then(Value::as_u64).unwrap_or(1) as u32;
        TransactionsPage { rows, page: q.page, total_pages }
    }))
}

/// Everything `Lean.reconnect` needs for one of the user's banks that Lean says needs a new login.
pub async fn reconnect_launch(
    state: &AppState,
    user_id: &UserId,
    entity_id: &str,
) -> Result<LaunchConfig, AppError> {
    let entity = own_entity(state, user_id, entity_id).await?;
    let reconnect_id = entities::reconnect_id(&state.db, &entity.id)
        .await?
        .ok_or_else(|| AppError::invalid("entity_id", t("bank-error-no-reconnect")))?;
    let customer_id = crate::server::accounts::ensure_customer(state, user_id).await?;
    let config = crate::server::launch::config(state, user_id, customer_id, &[]).await?;
    Ok(LaunchConfig { reconnect_id: Some(reconnect_id), ..config })
}

/// Asks Lean to refresh this bank's data now. Progress shows on the page as Lean's webhooks arrive.
pub async fn refresh(state: &AppState, user_id: &UserId, entity_id: &str) -> Result<DataState<()>, AppError> {
    let mut entity = own_entity(state, user_id, entity_id).await?;
    let outcome = match state.lean.for_user(user_id).start_refresh(&entity.id).await {
        Ok(o) => o,
        Err(e) if e.code() == Some("DUPLICATED_REQUEST") => {
            return Err(AppError::invalid("entity_id", t("bank-error-refresh-running")))
        }
        Err(e) => return Err(e.into()),
    };
    track(state, user_id, &mut entity, &outcome).await;
    if let DataState::Ready(_) = outcome {
        // Results fetched earlier would now hide the fresh data.
        data_results::forget_entity(&state.db, &entity.id).await?;
        // Show progress at once; Lean's entity.data.refresh.updated webhooks take it from here.
        entities::set_refresh_status(&state.db, &entity.id, "PENDING").await?;
        entity.refresh_status = Some("PENDING".into());
        state.bus.publish(&state.db, user_id, &LiveEvent::EntityChanged { entity }).await?;
    }
    Ok(outcome.map(|_| ()))
}
