//! Payment intents created by this app and the payments Lean's webhooks report for them.

use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, Row};

use super::{now, Db};
use crate::model::{CustomerId, DestinationId, Money, PaymentIntentId, PaymentRow, PaymentStatus, UserId};

pub struct NewIntent<'a> {
    pub id: &'a PaymentIntentId,
    pub user_id: &'a UserId,
    pub customer_id: &'a CustomerId,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub destination_id: Option<&'a DestinationId>,
    pub destination_name: Option<&'a str>,
    pub description: Option<&'a str>,
    /// The bulk payment intent it belongs to, if any.
    pub bulk_id: Option<&'a str>,
}

/// Idempotent: storing the same intent twice keeps the first.
pub async fn insert_intent(db: &Db, i: &NewIntent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_intents (id, user_id, customer_id, amount_minor, currency, destination_id,
                                      destination_name, description, created_at, bulk_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
    )
    .bind(i.id)
    .bind(i.user_id)
    .bind(i.customer_id)
    .bind(i.amount_minor)
    .bind(i.currency)
    .bind(i.destination_id)
    .bind(i.destination_name)
    .bind(i.description)
    .bind(now())
    .bind(i.bulk_id)
    .execute(db)
    .await?;
    Ok(())
}

/// Final statuses are never replaced by PENDING_WITH_BANK (a late or redelivered payment.created).
pub async fn upsert_payment<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
    intent_id: &PaymentIntentId,
    customer_id: Option<&CustomerId>,
    status: &PaymentStatus,
    amount_minor: Option<i64>,
    currency: Option<&str>,
) -> Result<(), sqlx::Error> {
    let ts = now();
    sqlx::query(
        "INSERT INTO payments (id, intent_id, customer_id, status, amount_minor, currency, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (id) DO UPDATE SET
            status = CASE WHEN excluded.status = 'PENDING_WITH_BANK' THEN payments.status ELSE excluded.status END,
            updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(intent_id)
    .bind(customer_id)
    .bind(status)
    .bind(amount_minor)
    .bind(currency)
    .bind(ts)
    .execute(db)
    .await?;
    Ok(())
}

macro_rules! row_select {
    () => {
        "SELECT i.id, i.amount_minor, i.currency, i.destination_name, i.created_at,
                p.id, p.status, p.updated_at, i.user_id, i.bulk_id
         FROM payment_intents i
         LEFT JOIN payments p ON p.id = (
             SELECT p2.id FROM payments p2 WHERE p2.intent_id = i.id ORDER BY p2.created_at DESC, p2.id DESC LIMIT 1
         )"
    };
}

fn from_row(r: &AnyRow) -> Result<(UserId, PaymentRow), sqlx::Error> {
    let amount: i64 = r.try_get(1)?;
    let created_at: String = r.try_get(4)?;
    let payment_id: Option<String> = r.try_get(5)?;
    let status: Option<PaymentStatus> = r.try_get(6)?;
    let updated: Option<String> = r.try_get(7)?;
    Ok((
        r.try_get(8)?,
        PaymentRow {
            intent_id: r.try_get(0)?,
            amount: Money::new(amount, r.try_get::<String, _>(2)?),
            destination_name: r.try_get(3)?,
            status: status.unwrap_or(PaymentStatus::IntentCreated),
            payment_id,
            updated_at: updated.unwrap_or_else(|| created_at.clone()),
            created_at,
            bulk_id: r.try_get(9)?,
        },
    ))
}

/// The intent with its owner's user id.
pub async fn get<'e>(
    db: impl AnyExecutor<'e>,
    intent_id: &PaymentIntentId,
) -> Result<Option<(UserId, PaymentRow)>, sqlx::Error> {
    let row =
        sqlx::query(concat!(row_select!(), " WHERE i.id = $1")).bind(intent_id).fetch_optional(db).await?;
    row.as_ref().map(from_row).transpose()
}

/// The user's intents, newest first.
pub async fn list_for_user(db: &Db, user_id: &UserId) -> Result<Vec<PaymentRow>, sqlx::Error> {
    let rows = sqlx::query(concat!(row_select!(), " WHERE i.user_id = $1 ORDER BY i.created_at DESC, i.id"))
        .bind(user_id)
        .fetch_all(db)
        .await?;
    rows.iter().map(|r| from_row(r).map(|(_, p)| p)).collect()
}

/// How many payments are stored for an intent (tests and diagnostics).
pub async fn count_payments(db: &Db, intent_id: &PaymentIntentId) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM payments WHERE intent_id = $1")
        .bind(intent_id)
        .fetch_one(db)
        .await?
        .try_get(0)
}

/// The intents of one bulk payment intent, with their owner (each child has the same one).
pub async fn bulk(db: &Db, bulk_id: &str) -> Result<Vec<(UserId, PaymentRow)>, sqlx::Error> {
    let rows = sqlx::query(concat!(row_select!(), " WHERE i.bulk_id = $1 ORDER BY i.created_at, i.id"))
        .bind(bulk_id)
        .fetch_all(db)
        .await?;
    rows.iter().map(from_row).collect()
}
