use sqlx::Row;

use super::{now, Db};
use crate::model::{CallbackData, FlowOutcome, UserId};

/// How many outcomes are kept per user: the newest, enough for support to quote any recent flow.
pub const KEPT_PER_USER: i64 = 200;

/// Stores an outcome and forgets the user's oldest beyond [`KEPT_PER_USER`], in one transaction.
pub async fn insert(
    db: &Db,
    user_id: &UserId,
    method: &str,
    data: &CallbackData,
) -> Result<FlowOutcome, sqlx::Error> {
    let outcome = FlowOutcome {
        id: uuid::Uuid::new_v4().to_string(),
        method: method.to_owned(),
        status: data.status.clone(),
        secondary_status: data.secondary_status.clone(),
        message: data.message.clone(),
        exit_point: data.exit_point.clone(),
        lean_correlation_id: data.lean_correlation_id.clone(),
        bank_identifier: data.bank.as_ref().and_then(|b| b.bank_identifier.clone()),
        created_at: now(),
    };
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO flow_attempts (id, user_id, method, status, secondary_status, message, exit_point,
                                    lean_correlation_id, bank_identifier, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM flow_attempts WHERE user_id = $1 AND id NOT IN
           (SELECT id FROM flow_attempts WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(KEPT_PER_USER)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

pub async fn recent(db: &Db, user_id: &UserId, limit: i64) -> Result<Vec<FlowOutcome>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, method, status, secondary_status, message, exit_point, lean_correlation_id,
                bank_identifier, created_at
         FROM flow_attempts WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
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
            })
        })
        .collect()
}
