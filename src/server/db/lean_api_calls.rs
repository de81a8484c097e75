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

/// Which calls the console lists: whose (None: everyone's), made before when, failed ones only.
pub struct CallFilter<'a> {
    pub user_id: Option<&'a UserId>,
    pub before: Option<&'a str>,
    pub failed_only: bool,
}

/// The most recent outbound calls the filter lets through, newest first.
pub async fn recent(db: &Db, filter: &CallFilter<'_>, limit: i64) -> Result<Vec<ApiCallRow>, sqlx::Error> {
    use sqlx::Row;
    let mut conditions = Vec::new();
    let mut binds: Vec<&str> = Vec::new();
    if let Some(user_id) = filter.user_id {
        binds.push(user_id.as_str());
        conditions.push(format!("user_id = ${}", binds.len()));
    }
    if let Some(before) = filter.before {
        binds.push(before);
        conditions.push(format!("created_at < ${}", binds.len()));
    }
    if filter.failed_only {
        conditions.push("(status IS NULL OR status < 200 OR status >= 300)".to_owned());
    }
    let sql = format!(
        "SELECT method, path, status, latency_ms, results_id, created_at FROM lean_api_calls {}
         ORDER BY created_at DESC LIMIT ${}",
        where_clause(&conditions),
        binds.len() + 1
    );
    // Built from this function's fixed fragments only; every value is bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.bind(limit).fetch_all(db).await?;
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

/// `WHERE a AND b`, or nothing.
pub(super) fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}
