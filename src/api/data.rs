use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::i18n::t;
use crate::model::{AppError, DataState, EntityOverview, TransactionsPage};

#[cfg(feature = "ssr")]
mod imp {
    use serde_json::Value;

    use crate::api::context::internal;
    use crate::model::{
        AccountSummary, AppError, DataState, Entity, EntityStatus, IdentitySummary, LiveEvent, TransactionRow,
    };
    use crate::server::db::{customers, entities};
    use crate::server::AppState;

    /// The user's own entity, or 403 (unknown ids look the same, so ids are never confirmed).
    pub async fn own_entity(state: &AppState, user_id: &str, entity_id: &str) -> Result<Entity, AppError> {
        check_entity_id(entity_id)?;
        let own = customers::for_user(&state.db, user_id).await.map_err(internal)?;
        let found = entities::get(&state.db, entity_id.trim()).await.map_err(internal)?;
        match (own, found) {
            (Some(c), Some((owner, e))) if owner == c.customer_id && e.status != EntityStatus::Deleted => {
                Ok(e)
            }
            _ => Err(AppError::Forbidden),
        }
    }

    /// Lean's entity ids are UUIDs; anything else is refused before it reaches a query or a URL.
    pub fn check_entity_id(entity_id: &str) -> Result<(), AppError> {
        let id = entity_id.trim();
        if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(AppError::invalid("entity_id", crate::i18n::t("bank-error-entity-id")));
        }
        Ok(())
    }

    /// Keeps the entity's status in step with what the data calls say, and tells the user live.
    pub async fn track<T>(state: &AppState, user_id: &str, entity: &mut Entity, outcome: &DataState<T>) {
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

    /// One data call for one of the user's entities, with Lean's asynchronous answers handled: a
    /// PENDING answer is remembered by its `results_id`; while it waits for `results.ready` the call is
    /// not repeated (Lean said "wait for a webhook"), and once the results are fetched (see
    /// `server::webhooks::results_events`) they answer the call.
    pub async fn data_call(
        state: &AppState,
        user_id: &str,
        entity: &Entity,
        path: &str,
    ) -> Result<DataState<Value>, AppError> {
        use crate::server::db::data_results;
        use crate::server::lean::LeanClient;
        // Lean said the consent is gone and a new connect is needed; asking again changes nothing until
        // the connect's entity webhook makes the entity active again.
        if entity.status == EntityStatus::ConsentExpired {
            return Ok(DataState::ConsentExpired);
        }
        let entity_id = entity.id.as_str();
        if let Some(stored) = data_results::current(&state.db, entity_id, path).await.map_err(internal)? {
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
            data_results::insert_pending(&state.db, &results_id, entity_id, path).await.map_err(internal)?;
        }
        Ok(outcome)
    }

    fn text(v: &Value, key: &str) -> Option<String> {
        v.get(key).and_then(Value::as_str).map(str::to_owned)
    }

    /// A JSON number as minor units (hundredths), read from its text so no binary float touches money.
    pub fn minor_units(v: &Value) -> Option<i64> {
        let text = match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_owned(),
            _ => return None,
        };
        let (neg, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, text),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let cents: i64 = format!("{:0<2}", frac.get(..2).unwrap_or(frac)).parse().ok()?;
        let value = whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)?;
        Some(if neg { -value } else { value })
    }

    /// "1234.50" from 123450.
    pub fn decimal(minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
    }

    /// A Lean amount object `{amount, currency}` with its credit/debit indicator, in signed minor units.
    pub fn signed_minor(item: &Value) -> i64 {
        let value = item.get("amount").and_then(|a| a.get("amount")).and_then(minor_units).unwrap_or(0);
        let debit = item.get("credit_debit_indicator").and_then(Value::as_str) == Some("DEBIT");
        if debit {
            -value.abs()
        } else {
            value
        }
    }

    fn signed_amount(item: &Value) -> String {
        decimal(signed_minor(item))
    }

    /// What a person means by "balance": what they can spend now if Lean reports it, else the last
    /// booked closing balance, else whatever Lean sent first.
    pub fn pick_balance(balances: &[Value]) -> Option<(String, String)> {
        const PREFERENCE: [&str; 4] =
            ["INTERIM_AVAILABLE", "CLOSING_AVAILABLE", "CLOSING_BOOKED", "INTERIM_BOOKED"];
        let kind = |b: &Value| b.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
        PREFERENCE
            .iter()
            .find_map(|wanted| balances.iter().find(|b| kind(b) == *wanted))
            .or_else(|| balances.first())
            .map(|b| (signed_amount(b), kind(b)))
    }

    pub fn account(v: &Value) -> AccountSummary {
        let iban = v
            .get("account")
            .and_then(Value::as_array)
            .and_then(|ids| ids.iter().find(|i| i.get("scheme_name").and_then(Value::as_str) == Some("IBAN")))
            .and_then(|i| text(i, "identification"))
            .unwrap_or_default();
        AccountSummary {
            id: text(v, "account_id").unwrap_or_default(),
            name: text(v, "nickname").or_else(|| text(v, "description")).unwrap_or_else(|| "Account".into()),
            kind: text(v, "account_sub_type").unwrap_or_default(),
            iban_tail: iban.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect(),
            currency: text(v, "currency").unwrap_or_default(),
            balance: None,
            balance_type: None,
        }
    }

    pub fn identity(v: &Value) -> IdentitySummary {
        IdentitySummary {
            full_name: text(v, "full_legal_name").or_else(|| text(v, "name")).unwrap_or_default(),
            email: text(v, "email_address"),
            mobile: text(v, "mobile_number").or_else(|| text(v, "phone")),
            address: v.get("address").and_then(|a| text(a, "address_line")),
        }
    }

    pub fn transaction(v: &Value) -> TransactionRow {
        let insights = v.get("insights").cloned().unwrap_or(Value::Null);
        TransactionRow {
            id: text(v, "transaction_id").unwrap_or_default(),
            date: text(v, "booking_date_time").map(|d| d.chars().take(10).collect()).unwrap_or_default(),
            description: text(&insights, "description_cleansed")
                .or_else(|| text(v, "transaction_information"))
                .unwrap_or_default(),
            category: text(&insights, "category"),
            amount: signed_amount(v),
            currency: v.get("amount").and_then(|a| text(a, "currency")).unwrap_or_default(),
        }
    }

    pub fn items(data: &Value, key: &str) -> Vec<Value> {
        data.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
    }
}

/// The bank page: the entity, its accounts with balances, and the account holder's identity.
#[server(endpoint = "entity_overview")]
pub async fn fetch_entity_overview(entity_id: String) -> Result<EntityOverview, AppError> {
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let mut entity = imp::own_entity(&state, &user_id, &entity_id).await?;
            let id = entity.id.clone();

            let accounts = imp::data_call(
                &state,
                &user_id,
                &entity,
                &format!("/data/v2/accounts?entity_id={id}&page=0&size=100"),
            )
            .await?;
            imp::track(&state, &user_id, &mut entity, &accounts).await;
            let accounts = match accounts {
                DataState::Ready(data) => {
                    let mut list = Vec::new();
                    for raw in imp::items(&data, "accounts") {
                        let mut a = imp::account(&raw);
                        let path = format!("/data/v2/accounts/{}/balances?entity_id={id}", a.id);
                        if let DataState::Ready(b) = imp::data_call(&state, &user_id, &entity, &path).await? {
                            if let Some((amount, kind)) = imp::pick_balance(&imp::items(&b, "balances")) {
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
                    imp::data_call(&state, &user_id, &entity, &format!("/data/v2/identity?entity_id={id}"))
                        .await?
                        .map(|d| imp::items(&d, "identities").first().map(imp::identity).unwrap_or_default())
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
        .await,
    )
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
    use crate::api::context::{finish, state, user_id};
    finish(
        async {
            let date = |field: &str, v: &str| {
                chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                    .map_err(|_| AppError::invalid(field, t("bank-error-date")))
            };
            let (start, end) = (date("from", &from)?, date("to", &to)?);
            if start > end {
                return Err(AppError::invalid("from", t("bank-error-date-order")));
            }
            if page > 10_000 {
                return Err(AppError::invalid("page", t("bank-error-page")));
            }
            let account_ok = !account_id.is_empty()
                && account_id.len() <= 64
                && account_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !account_ok {
                return Err(AppError::invalid("account_id", t("bank-error-account-id")));
            }
            let user_id = user_id().await?;
            let state = state()?;
            let mut entity = imp::own_entity(&state, &user_id, &entity_id).await?;
            let path = format!(
                "/data/v2/accounts/{account_id}/transactions?entity_id={}&start_date={start}&end_date={end}&page={page}&size=25",
                entity.id
            );
            let outcome = imp::data_call(&state, &user_id, &entity, &path).await?;
            imp::track(&state, &user_id, &mut entity, &outcome).await;
            Ok(outcome.map(|data| {
                let mut rows: Vec<_> = imp::items(&data, "transactions").iter().map(imp::transaction).collect();
                rows.sort_by(|a, b| b.date.cmp(&a.date));
                let total_pages = data
                    .get("page")
                    .and_then(|p| p.get("total_pages"))
                    .and_then(serde_json::Value::as_u64)
                    .unwrap_or(1) as u32;
                TransactionsPage { rows, page, total_pages }
            }))
        }
        .await,
    )
}

/// Everything `Lean.reconnect` needs for one of the user's banks that Lean says needs a new login.
#[server(endpoint = "launch_reconnect")]
pub async fn launch_reconnect(entity_id: String) -> Result<crate::model::LaunchConfig, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let entity = imp::own_entity(&state, &user_id, &entity_id).await?;
            let reconnect_id = crate::server::db::entities::reconnect_id(&state.db, &entity.id)
                .await
                .map_err(internal)?
                .ok_or_else(|| AppError::invalid("entity_id", t("bank-error-no-reconnect")))?;
            let customer_id = crate::api::auth::ensure_customer(&state, &user_id).await?;
            let config = crate::api::context::launch_config(&state, &user_id, customer_id, &[]).await?;
            Ok(crate::model::LaunchConfig { reconnect_id: Some(reconnect_id), ..config })
        }
        .await,
    )
}

/// Asks Lean to refresh this bank's data now. Progress shows on the page as Lean's webhooks arrive.
#[server(endpoint = "refresh_entity")]
pub async fn refresh_entity(entity_id: String) -> Result<DataState<()>, AppError> {
    use crate::api::context::{finish, internal, state, user_id};
    finish(
        async {
            let user_id = user_id().await?;
            let state = state()?;
            let mut entity = imp::own_entity(&state, &user_id, &entity_id).await?;
            let outcome = match state.lean.for_user(&user_id).start_refresh(&entity.id).await {
                Ok(o) => o,
                Err(e) if e.code() == Some("DUPLICATED_REQUEST") => {
                    return Err(AppError::invalid("entity_id", t("bank-error-refresh-running")))
                }
                Err(e) => return Err(e.into()),
            };
            imp::track(&state, &user_id, &mut entity, &outcome).await;
            if let DataState::Ready(_) = outcome {
                // Results fetched earlier would now hide the fresh data.
                crate::server::db::data_results::forget_entity(&state.db, &entity.id)
                    .await
                    .map_err(internal)?;
                // Show progress at once; Lean's entity.data.refresh.updated webhooks take it from here.
                crate::server::db::entities::set_refresh_status(&state.db, &entity.id, "PENDING")
                    .await
                    .map_err(internal)?;
                entity.refresh_status = Some("PENDING".into());
                let event = crate::model::LiveEvent::EntityChanged { entity };
                state.bus.publish(&state.db, &user_id, &event).await.map_err(internal)?;
            }
            Ok(outcome.map(|_| ()))
        }
        .await,
    )
}

/// Refuses an entity id that cannot be Lean's (see `imp::check_entity_id`).
#[cfg(feature = "ssr")]
pub fn check_entity_id(entity_id: &str) -> Result<(), AppError> {
    imp::check_entity_id(entity_id)
}

/// A JSON amount as minor units, read from its text (see `imp::minor_units`).
#[cfg(feature = "ssr")]
pub fn minor_units_of(v: &serde_json::Value) -> Option<i64> {
    imp::minor_units(v)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::imp::{decimal, minor_units, pick_balance};
    use serde_json::json;

    #[test]
    fn money_is_read_as_text_not_float() {
        assert_eq!(minor_units(&json!(1017.92)), Some(101_792));
        assert_eq!(minor_units(&json!(0.1)), Some(10));
        assert_eq!(minor_units(&json!(25)), Some(2_500));
        assert_eq!(minor_units(&json!("-3.5")), Some(-350));
        assert_eq!(minor_units(&json!("abc")), None);
        assert_eq!(decimal(-350), "-3.50");
        assert_eq!(decimal(101_792), "1017.92");
    }

    #[test]
    fn available_balance_is_preferred() {
        let b = |kind: &str, amount: f64| json!({"type": kind, "amount": {"amount": amount, "currency": "AED"}, "credit_debit_indicator": "CREDIT"});
        let picked =
            pick_balance(&[b("OPENING_BOOKED", 1.0), b("CLOSING_BOOKED", 2.0), b("INTERIM_AVAILABLE", 3.0)]);
        assert_eq!(picked, Some(("3.00".into(), "INTERIM_AVAILABLE".into())));
        assert_eq!(pick_balance(&[b("OPENING_BOOKED", 1.0)]).map(|p| p.1), Some("OPENING_BOOKED".into()));
    }
}

/// Spending by category and the daily balance over the last 90 days, for the account charts.
#[server(endpoint = "account_insights")]
pub async fn account_insights(
    entity_id: String,
    account_id: String,
) -> Result<DataState<crate::model::AccountInsights>, AppError> {
    use std::collections::{BTreeMap, HashMap};

    use crate::api::context::{finish, state, user_id};
    use crate::model::{AccountInsights, BalancePoint, CategoryTotal};
    finish(
        async {
            if account_id.is_empty()
                || account_id.len() > 64
                || !account_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return Err(AppError::invalid("account_id", t("bank-error-account-id")));
            }
            let user_id = user_id().await?;
            let state = state()?;
            let mut entity = imp::own_entity(&state, &user_id, &entity_id).await?;
            let to = chrono::Utc::now().date_naive();
            let from = to - chrono::Duration::days(90);

            // Today's booked balance is the anchor the daily balances are walked back from.
            let path = format!("/data/v2/accounts/{account_id}/balances?entity_id={}", entity.id);
            let balances = imp::data_call(&state, &user_id, &entity, &path).await?;
            imp::track(&state, &user_id, &mut entity, &balances).await;
            let balances = match balances {
                DataState::Ready(b) => imp::items(&b, "balances"),
                other => return Ok(other.map(|_| AccountInsights::default())),
            };
            let kind = |b: &serde_json::Value| b.get("type").and_then(serde_json::Value::as_str).unwrap_or("").to_owned();
            let booked = ["CLOSING_BOOKED", "INTERIM_BOOKED"]
                .iter()
                .find_map(|k| balances.iter().find(|b| kind(b) == *k))
                .or_else(|| balances.first());
            let currency = booked
                .and_then(|b| b.get("amount"))
                .and_then(|a| a.get("currency"))
                .and_then(serde_json::Value::as_str)
                .unwrap_or("")
                .to_owned();
            let mut running = booked.map(imp::signed_minor).unwrap_or(0);

            let mut transactions = Vec::new();
            for page in 0..20u32 {
                let path = format!(
                    "/data/v2/accounts/{account_id}/transactions?entity_id={}&start_date={from}&end_date={to}&page={page}&size=100",
                    entity.id
                );
                let data = match imp::data_call(&state, &user_id, &entity, &path).await? {
                    DataState::Ready(d) => d,
                    other => return Ok(other.map(|_| AccountInsights::default())),
                };
                transactions.extend(imp::items(&data, "transactions"));
                let total = data.get("page").and_then(|p| p.get("total_pages")).and_then(serde_json::Value::as_u64);
                if total.is_none_or(|t| u64::from(page) + 1 >= t) {
                    break;
                }
            }

            let mut by_day: HashMap<String, i64> = HashMap::new();
            let mut by_category: BTreeMap<String, i64> = BTreeMap::new();
            for t in &transactions {
                let row = imp::transaction(t);
                let amount = imp::signed_minor(t);
                *by_day.entry(row.date.clone()).or_default() += amount;
                if amount < 0 {
                    *by_category.entry(row.category.unwrap_or_else(|| "OTHER".into())).or_default() -= amount;
                }
            }
            let mut spending: Vec<CategoryTotal> =
                by_category.into_iter().map(|(category, minor)| CategoryTotal { category, minor }).collect();
            spending.sort_by_key(|c| std::cmp::Reverse(c.minor));
            if spending.len() > 7 {
                let rest: i64 = spending.drain(6..).map(|c| c.minor).sum();
                spending.push(CategoryTotal { category: "OTHER".into(), minor: rest });
            }

            // Walk back from today: yesterday's closing balance is today's minus today's movements.
            let mut balance = Vec::new();
            let mut day = to;
            while day >= from {
                let key = day.to_string();
                balance.push(BalancePoint { date: key.clone(), minor: running });
                running -= by_day.get(&key).copied().unwrap_or(0);
                day -= chrono::Duration::days(1);
            }
            balance.reverse();
            Ok(DataState::Ready(AccountInsights {
                currency,
                from: from.to_string(),
                to: to.to_string(),
                spending,
                balance,
            }))
        }
        .await,
    )
}
