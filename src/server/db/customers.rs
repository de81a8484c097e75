use sqlx::Row;

use super::{now, Db};

pub struct CustomerRow {
    pub customer_id: String,
    pub app_user_id: String,
}

pub async fn for_user(db: &Db, user_id: &str) -> Result<Option<CustomerRow>, sqlx::Error> {
    let row = sqlx::query("SELECT customer_id, app_user_id FROM customers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok(CustomerRow { customer_id: r.try_get(0)?, app_user_id: r.try_get(1)? })).transpose()
}

pub async fn user_for_customer(db: &Db, customer_id: &str) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT user_id FROM customers WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// Idempotent: two sign-ins racing to link the same customer both succeed.
pub async fn link(db: &Db, user_id: &str, customer_id: &str, app_user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO customers (user_id, customer_id, app_user_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(customer_id)
    .bind(app_user_id)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}
