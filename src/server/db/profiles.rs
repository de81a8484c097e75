//! What the app keeps about a user beyond sign-in: the full name used for Lean's verifyAddress.

use sqlx::Row;

use crate::model::UserId;

use super::{now, Db};

pub async fn full_name(db: &Db, user_id: &UserId) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT full_name FROM user_profiles WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// Stores (or replaces) the user's full name.
pub async fn set_full_name(db: &Db, user_id: &UserId, full_name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_profiles (user_id, full_name, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(full_name)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}
