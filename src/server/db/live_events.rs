use sqlx::Row;

use crate::model::UserId;

use super::{is_unique_violation, now, Db};

/// Appends an event to the user's stream and returns its sequence number (the SSE id).
/// The next number is computed inside the INSERT; two writers racing on PostgreSQL collide on the
/// primary key, and the loser simply takes the next number (inside a transaction the collision ends
/// the transaction instead, and its caller applies again).
pub async fn append(
    conn: &mut sqlx::AnyConnection,
    user_id: &UserId,
    kind: &str,
    payload: &str,
) -> Result<i64, sqlx::Error> {
    let mut tries = 0;
    loop {
        let res = sqlx::query(
            "INSERT INTO live_events (user_id, seq, kind, payload, created_at)
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM live_events WHERE user_id = $1
             RETURNING seq",
        )
        .bind(user_id)
        .bind(kind)
        .bind(payload)
        .bind(now())
        .fetch_one(&mut *conn)
        .await;
        match res {
            Ok(row) => return row.try_get(0),
            Err(e) if is_unique_violation(&e) && tries < 5 => tries += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Events after `after_seq`, oldest first, for resuming a stream from `Last-Event-ID`.
pub async fn since(db: &Db, user_id: &UserId, after_seq: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, payload FROM live_events WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT 500",
    )
    .bind(user_id)
    .bind(after_seq)
    .fetch_all(db)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

pub async fn latest_seq(db: &Db, user_id: &UserId) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM live_events WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await?;
    row.try_get(0)
}
