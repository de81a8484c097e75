use sqlx::Row;

use super::{now, Db};
use crate::model::{CallbackData, FlowOutcome, UserId};

/// How many outcomes are kept per user: the newest, enough for support to quote any recent flow.
/// Each method's newest outcome is kept beyond that (a page shows its last result, however old).
pub const KEPT_PER_USER: i64 = 200;

/// Stores an outcome and forgets the user's oldest beyond [`KEPT_PER_USER`] (but never a method's
/// newest), in one transaction. With a `return_key` already stored for this user, nothing is written
/// and the outcome stored first is the answer.
pub async fn insert(
    db: &Db,
    user_id: &UserId,
    method: &str,
    data: &CallbackData,
    return_key: Option<&str>,
) -> Result<FlowOutcome, sqlx::Error> {
    let outcome = FlowOutcome::from_callback(uuid::Uuid::new_v4().to_string(), method, data, now());
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO flow_attempts (id, user_id, method, status, secondary_status, message, exit_point,
                                    lean_correlation_id, bank_identifier, created_at, callback, return_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&outcome.id)
    .bind(user_id)
    .bind(&outcome.method)
    .bind(&outcome.status)
    .bind(&outcome.secondary_status)
    .bind(&outcome.message)
    .bind(&outcome.exit_point)
    .bind(&outcome.lean_correlation_id)
    .bind(&outcome.bank_identifier)
    .bind(&outcome.created_at)
    .bind(serde_json::to_string(data).ok())
    .bind(return_key)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if super::is_unique_violation(&e) => {
            drop(tx);
            if let Some(first) = by_return_key(db, user_id, return_key.unwrap_or_default()).await? {
                return Ok(first);
            }
            return Err(e);
        }
        other => other?,
    };
    sqlx::query(
        "DELETE FROM flow_attempts WHERE user_id = $1 AND id NOT IN
           (SELECT id FROM flow_attempts WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)
         AND EXISTS (SELECT 1 FROM flow_attempts newer
                     WHERE newer.user_id = flow_attempts.user_id AND newer.method = flow_attempts.method
                       AND (newer.created_at > flow_attempts.created_at
                            OR (newer.created_at = flow_attempts.created_at AND newer.id > flow_attempts.id)))",
    )
    .bind(user_id)
    .bind(KEPT_PER_USER)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

macro_rules! columns {
    () => {
        "id, method, status, secondary_status, message, exit_point, lean_correlation_id, bank_identifier, created_at,
         callback, wanted_bank"
    };
}

/// The user's newest outcomes, newest first.
pub async fn recent(db: &Db, user_id: &UserId, limit: i64) -> Result<Vec<FlowOutcome>, sqlx::Error> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM flow_attempts WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter().map(outcome).collect()
}

/// The user's newest outcome of one method, however many other flows came after it.
pub async fn latest(db: &Db, user_id: &UserId, method: &str) -> Result<Option<FlowOutcome>, sqlx::Error> {
    let row = sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM flow_attempts WHERE user_id = $1 AND method = $2 ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(user_id)
    .bind(method)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(outcome).transpose()
}

/// The outcome stored for an Open Finance return, if it was handled before.
pub async fn by_return_key(db: &Db, user_id: &UserId, key: &str) -> Result<Option<FlowOutcome>, sqlx::Error> {
    let row = sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM flow_attempts WHERE user_id = $1 AND return_key = $2"
    ))
    .bind(user_id)
    .bind(key)
    .fetch_optional(db)
    .await?;
    row.as_ref().map(outcome).transpose()
}

fn outcome(r: &sqlx::any::AnyRow) -> Result<FlowOutcome, sqlx::Error> {
    // Rows stored before the whole callback was kept have none.
    let callback: Option<CallbackData> =
        r.try_get::<Option<String>, _>(9)?.and_then(|json| serde_json::from_str(&json).ok());
    Ok(FlowOutcome {
        id: r.try_get(0)?,
        method: r.try_get(1)?,
        status: r.try_get(2)?,
        secondary_status: r.try_get(3)?,
        message: r.try_get(4)?,
        exit_point: r.try_get(5)?,
        lean_correlation_id: r.try_get(6)?,
        bank_identifier: r.try_get(7)?,
        created_at: r.try_get(8)?,
        bank_is_supported: callback.as_ref().and_then(|c| c.bank.as_ref()).and_then(|b| b.is_supported),
        last_api_response: callback.as_ref().and_then(|c| c.last_api_response.clone()),
        open_banking_redirect_url: callback.and_then(|c| c.open_banking_redirect_url),
        wanted_bank: r.try_get(10)?,
    })
}

/// One of the user's outcomes.
pub async fn get(db: &Db, user_id: &UserId, flow_id: &str) -> Result<Option<FlowOutcome>, sqlx::Error> {
    let row =
        sqlx::query(concat!("SELECT ", columns!(), " FROM flow_attempts WHERE id = $1 AND user_id = $2"))
            .bind(flow_id)
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    row.as_ref().map(outcome).transpose()
}

/// Notes the bank a person wanted after telling Lean theirs is not listed: only on their own outcome,
/// and only one that said so. False when there is no such outcome.
pub async fn set_wanted_bank(
    db: &Db,
    user_id: &UserId,
    flow_id: &str,
    bank: &str,
) -> Result<bool, sqlx::Error> {
    if !get(db, user_id, flow_id).await?.is_some_and(|f| f.bank_not_listed()) {
        return Ok(false);
    }
    let done = sqlx::query("UPDATE flow_attempts SET wanted_bank = $1 WHERE id = $2 AND user_id = $3")
        .bind(bank)
        .bind(flow_id)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}
