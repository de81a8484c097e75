use super::{now, Db};

/// Audit of one outbound Lean call. Only the method, the path and the outcome: never a token or a body.
pub async fn record(
    db: &Db,
    method: &str,
    path: &str,
    status: Option<u16>,
    latency_ms: i64,
    results_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lean_api_calls (id, method, path, status, latency_ms, results_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
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
