use sqlx::Row;

use super::Db;

pub async fn get(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT value FROM app_meta WHERE key = $1").bind(key).fetch_optional(db).await?;
    row.map(|r| r.try_get(0)).transpose()
}

pub async fn set(db: &Db, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(db)
    .await?;
    Ok(())
}
