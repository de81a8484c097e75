//! Lean's asynchronous data results (`data_results`): what a PENDING data call left behind, and what
//! `results.ready` brought (REFERENCE §5.2).

use crate::model::EntityId;
use sqlx::Row;

use super::{now, Db};

/// How long a pending result stands in for the call: while it is younger, the call is not repeated
/// (Lean's answer was "wait for a webhook"); after it, the webhook is presumed lost and Lean is asked again.
pub const WAIT_FOR_WEBHOOK_SECS: i64 = 120;
/// How long fetched results answer the call they belong to, so the reloads that follow one live
/// update all show the same data; after that the bank's data is asked for again.
pub const READY_SERVES_SECS: i64 = 60;

/// A result as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataResult {
    pub results_id: String,
    pub entity_id: String,
    pub call_path: String,
    pub status: String,
    pub envelope: Option<String>,
    pub updated_at: String,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<DataResult, sqlx::Error> {
    Ok(DataResult {
        results_id: r.try_get(0)?,
        entity_id: r.try_get(1)?,
        call_path: r.try_get(2)?,
        status: r.try_get(3)?,
        envelope: r.try_get(4)?,
        updated_at: r.try_get(5)?,
    })
}

macro_rules! columns {
    () => {
        "results_id, entity_id, call_path, status, envelope, updated_at"
    };
}

/// Remembers a PENDING answer. Idempotent: Lean's results_id is unique.
pub async fn insert_pending(
    db: &Db,
    results_id: &str,
    entity_id: &EntityId,
    call_path: &str,
) -> Result<(), sqlx::Error> {
    let ts = now();
    sqlx::query(
        "INSERT INTO data_results (results_id, entity_id, call_path, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'pending', $4, $4) ON CONFLICT (results_id) DO NOTHING",
    )
    .bind(results_id)
    .bind(entity_id)
    .bind(call_path)
    .bind(ts)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get(db: &Db, results_id: &str) -> Result<Option<DataResult>, sqlx::Error> {
    let row = sqlx::query(concat!("SELECT ", columns!(), " FROM data_results WHERE results_id = $1"))
        .bind(results_id)
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Stores the envelope `GET /data/v2/results/{id}` returned.
pub async fn store_ready(db: &Db, results_id: &str, envelope: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE data_results SET status = 'ready', envelope = $1, updated_at = $2 WHERE results_id = $3",
    )
    .bind(envelope)
    .bind(now())
    .bind(results_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The newest result for this entity's call that still stands in for it: ready results for
/// `READY_SERVES_SECS` after they arrived, pending ones for `WAIT_FOR_WEBHOOK_SECS` after the call.
pub async fn current(
    db: &Db,
    entity_id: &EntityId,
    call_path: &str,
) -> Result<Option<DataResult>, sqlx::Error> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM data_results WHERE entity_id = $1 AND call_path = $2 ORDER BY updated_at DESC LIMIT 5"
    ))
    .bind(entity_id)
    .bind(call_path)
    .fetch_all(db)
    .await?;
    let now = chrono::Utc::now();
    let age = |ts: &str| {
        chrono::DateTime::parse_from_rfc3339(ts)
            .map(|t| (now - t.with_timezone(&chrono::Utc)).num_seconds())
            .unwrap_or(i64::MAX)
    };
    for r in rows {
        let result = from_row(&r)?;
        let fresh = match result.status.as_str() {
            "ready" => age(&result.updated_at) <= READY_SERVES_SECS,
            _ => age(&result.updated_at) <= WAIT_FOR_WEBHOOK_SECS,
        };
        if fresh {
            return Ok(Some(result));
        }
    }
    Ok(None)
}

/// Forgets results older than a day (they only ever stand in for a call for minutes).
pub async fn delete_old(db: &Db) -> Result<u64, sqlx::Error> {
    let cutoff =
        (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let res = sqlx::query("DELETE FROM data_results WHERE updated_at < $1").bind(cutoff).execute(db).await?;
    Ok(res.rows_affected())
}

/// Forgets the results kept for an entity (its data is being refreshed, so they are out of date).
pub async fn forget_entity(db: &Db, entity_id: &EntityId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM data_results WHERE entity_id = $1 AND status = 'ready'")
        .bind(entity_id)
        .execute(db)
        .await?;
    Ok(())
}
