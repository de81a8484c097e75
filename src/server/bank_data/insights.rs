//! The account charts: spending by category and the daily balance over the last 90 days, worked out
//! from Lean's balances and transactions.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{check_account_id, data_call, own_entity, track, views};
use crate::model::{AccountInsights, AppError, BalancePoint, CategoryTotal, DataState, UserId};
use crate::server::lean::amounts::signed_money;
use crate::server::AppState;

/// At most this many pages of 100 transactions are read for one chart.
const MAX_PAGES: u32 = 20;

/// Categories beyond the six largest are summed as "OTHER", so the chart stays readable.
const TOP_CATEGORIES: usize = 6;

pub async fn account_insights(
    state: &AppState,
    user_id: &UserId,
    entity_id: &str,
    account_id: &str,
) -> Result<DataState<AccountInsights>, AppError> {
    check_account_id(account_id)?;
    let mut entity = own_entity(state, user_id, entity_id).await?;
    let to = chrono::Utc::now().date_naive();
    let from = to - chrono::Duration::days(90);

    // Today's booked balance is the anchor the daily balances are walked back from.
    let path = format!("/data/v2/accounts/{account_id}/balances?entity_id={}", entity.id);
    let balances = data_call(state, user_id, &entity, &path).await?;
    track(state, user_id, &mut entity, &balances).await;
    let balances = match balances {
        DataState::Ready(b) => views::items(&b, "balances"),
        other => return Ok(other.map(|_| AccountInsights::default())),
    };
    let kind = |b: &Value| b.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
    let booked = ["CLOSING_BOOKED", "INTERIM_BOOKED"]
        .iter()
        .find_map(|k| balances.iter().find(|b| kind(b) == *k))
        .or_else(|| balances.first());
    let start = booked.map(signed_money);
    let currency = start.as_ref().map(|m| m.currency.clone()).unwrap_or_default();
    let mut running = start.map_or(0, |m| m.minor);

    let mut transactions = Vec::new();
    for page in 0..MAX_PAGES {
        let path = format!(
            "/data/v2/accounts/{account_id}/transactions?entity_id={}&start_date={from}&end_date={to}&page={page}&size=100",
            entity.id
        );
        let data = match data_call(state, user_id, &entity, &path).await? {
            DataState::Ready(d) => d,
            other => return Ok(other.map(|_| AccountInsights::default())),
        };
        transactions.extend(views::items(&data, "transactions"));
        let total = data.get("page").and_then(|p| p.get("total_pages")).and_then(Value::as_u64);
        if total.is_none_or(|t| u64::from(page) + 1 >= t) {
            break;
        }
    }

    let mut by_day: HashMap<String, i64> = HashMap::new();
    let mut by_category: BTreeMap<String, i64> = BTreeMap::new();
    for t in &transactions {
        let row = views::transaction(t);
        let amount = row.amount.minor;
        *by_day.entry(row.date.clone()).or_default() += amount;
        if amount < 0 {
            *by_category.entry(row.category.unwrap_or_else(|| "OTHER".into())).or_default() -= amount;
        }
    }
    let mut spending: Vec<CategoryTotal> =
        by_category.into_iter().map(|(category, minor)| CategoryTotal { category, minor }).collect();
    spending.sort_by_key(|c| std::cmp::Reverse(c.minor));
    if spending.len() > TOP_CATEGORIES + 1 {
        let rest: i64 = spending.drain(TOP_CATEGORIES..).map(|c| c.minor).sum();
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
