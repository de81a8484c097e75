use sqlx::{AnyExecutor, Row};

use crate::model::{CustomerId, UserId};

use super::{now, Db};

pub struct CustomerRow {
    pub customer_id: CustomerId,
    pub app_user_id: UserId,
}

pub async fn for_user(db: &Db, user_id: &UserId) -> Result<Option<CustomerRow>, sqlx::Error> {
    let row = sqlx::query("SELECT customer_id, app_user_id FROM customers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok(CustomerRow { customer_id: r.try_get(0)?, app_user_id: r.try_get(1)? })).transpose()
}

pub async fn user_for_customer<'e>(
    db: impl AnyExecutor<'e>,
    customer_id: &CustomerId,
) -> Result<Option<UserId>, sqlx::Error> {
    let row = sqlx::query("SELECT user_id FROM customers WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_optional(db)
        .await?;
    row.map(|r| r.try_get(0)).transpose()
}

/// Idempotent: two sign-ins racing to link the same customer both succeed.
pub async fn link(
    db: &Db,
    user_id: &UserId,
    customer_id: &CustomerId,
    app_user_id: &UserId,
) -> Result<(), sqlx::Error> {
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
