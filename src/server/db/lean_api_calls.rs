use super::{now, Db};
use crate::model::UserId;

/// Audit of one outbound Lean call. Only the method, the path and the outcome: never a token or a body.
pub async fn record(
    db: &Db,
    user_id: Option<&UserId>,
    method: &str,
    path: &str,
    status: Option<u16>,
    latency_ms: i64,
    results_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lean_api_calls (id, user_id, method, path, status, latency_ms, results_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(user_id)
    .bind(method)
    .bind(path)
    .bind(status.map(i64::from))
    .bind(latency_ms)
    .bind(results_id)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

/// One recorded outbound call, as the developer console lists it.
pub struct ApiCallRow {
    pub method: String,
    pub path: String,
    pub status: Option<i64>,
    pub latency_ms: i64,
    pub results_id: Option<String>,
    pub created_at: String,
}

/// The most recent outbound calls, newest first: every call, or those made for one user.
pub async fn recent(db: &Db, user_id: Option<&UserId>, limit: i64) -> Result<Vec<ApiCallRow>, sqlx::Error> {
    use sqlx::Row;
    let rows = match user_id {
        None => {
            sqlx::query(
                "SELECT method, path, status, latency_ms, results_id, created_at FROM lean_api_calls
                 ORDER BY created_at DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(db)
            .await?
        }
        Some(user_id) => {
            sqlx::query(
                "SELECT method, path, status, latency_ms, results_id, created_at FROM lean_api_calls
                 WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(db)
            .await?
        }
    };
    rows.iter()
        .map(|r| {
            Ok(ApiCallRow {
                method: r.try_get(0)?,
                path: r.try_get(1)?,
                status: r.try_get(2)?,
                latency_ms: r.try_get(3)?,
                results_id: r.try_get(4)?,
                created_at: r.try_get(5)?,
            })
        })
        .collect()
}
