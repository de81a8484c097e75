use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, Row};

use super::{now, Db};
use crate::model::{CustomerId, Entity, EntityId, EntityStatus, UserId};

/// What an `entity.created` / `entity.updated` webhook tells us about a bank connection.
pub struct EntityUpsert<'a> {
    pub id: &'a EntityId,
    pub customer_id: &'a CustomerId,
    pub bank_identifier: &'a str,
    pub bank_name: &'a str,
    /// From Lean's bank list; None keeps the one stored.
    pub bank_arabic_name: Option<&'a str>,
    pub bank_logo: Option<&'a str>,
    pub main_color: Option<&'a str>,
    pub background_color: Option<&'a str>,
    pub permissions: &'a [String],
}

macro_rules! columns {
    () => {
        "id, bank_identifier, bank_name, bank_logo, main_color, background_color, permissions, status, refresh_status, created_at, bank_arabic_name"
    };
}

fn from_row(r: &AnyRow) -> Result<Entity, sqlx::Error> {
    let permissions: String = r.try_get(6)?;
    let status: String = r.try_get(7)?;
    Ok(Entity {
        id: r.try_get(0)?,
        bank_identifier: r.try_get(1)?,
        bank_name: r.try_get(2)?,
        bank_logo: r.try_get(3)?,
        main_color: r.try_get(4)?,
        background_color: r.try_get(5)?,
        permissions: serde_json::from_str(&permissions).unwrap_or_default(),
        status: EntityStatus::parse(&status).unwrap_or(EntityStatus::Active),
        refresh_status: r.try_get(8)?,
        created_at: r.try_get(9)?,
        bank_arabic_name: r.try_get(10)?,
    })
}

/// Insert or refresh the bank details; status returns to active (a repeat connect re-activates).
pub async fn upsert<'e>(db: impl AnyExecutor<'e>, e: &EntityUpsert<'_>) -> Result<(), sqlx::Error> {
    let permissions = serde_json::to_string(e.permissions).unwrap_or_else(|_| "[]".into());
    let ts = now();
    sqlx::query(
        "INSERT INTO entities (id, customer_id, bank_identifier, bank_name, bank_logo, main_color,
                               background_color, permissions, status, created_at, updated_at, bank_arabic_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9, $10)
         ON CONFLICT (id) DO UPDATE SET
            bank_identifier = excluded.bank_identifier, bank_name = excluded.bank_name,
            bank_arabic_name = COALESCE(excluded.bank_arabic_name, entities.bank_arabic_name),
            bank_logo = excluded.bank_logo, main_color = excluded.main_color,
            background_color = excluded.background_color, permissions = excluded.permissions,
            status = 'active', updated_at = excluded.updated_at",
    )
    .bind(e.id)
    .bind(e.customer_id)
    .bind(e.bank_identifier)
    .bind(e.bank_name)
    .bind(e.bank_logo)
    .bind(e.main_color)
    .bind(e.background_color)
    .bind(permissions)
    .bind(ts)
    .bind(e.bank_arabic_name)
    .execute(db)
    .await?;
    Ok(())
}

/// Records refresh progress. Returns false when the entity is not known yet (Lean does not promise
/// ordering, so a refresh event may arrive before `entity.created`).
pub async fn set_refresh_status<'e>(
    db: impl AnyExecutor<'e>,
    id: &EntityId,
    status: &str,
) -> Result<bool, sqlx::Error> {
    let res = sqlx::query("UPDATE entities SET refresh_status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now())
        .bind(id)
        .execute(db)
        .await?;
    Ok(res.rows_affected() > 0)
}

pub async fn get(db: &Db, id: &EntityId) -> Result<Option<(CustomerId, Entity)>, sqlx::Error> {
    let row = sqlx::query(concat!("SELECT ", columns!(), ", customer_id FROM entities WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok((r.try_get(11)?, from_row(&r)?))).transpose()
}

/// An entity with the user of its customer, in one read: None for an unknown entity, a None user for
/// an entity of a customer this app does not know (made outside it). Who to tell is asked of every
/// entity webhook, and the worker's reads and writes share SQLite's connection threads with the
/// webhook endpoint.
pub async fn get_with_owner<'e>(
    db: impl AnyExecutor<'e>,
    id: &EntityId,
) -> Result<Option<(Option<UserId>, Entity)>, sqlx::Error> {
    let row = sqlx::query(concat!(
        "SELECT ",
        columns!(),
        ", (SELECT user_id FROM customers WHERE customers.customer_id = entities.customer_id)
         FROM entities WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|r| Ok((r.try_get(11)?, from_row(&r)?))).transpose()
}

pub async fn list_for_customer(db: &Db, customer_id: &CustomerId) -> Result<Vec<Entity>, sqlx::Error> {
    let rows = sqlx::query(concat!(
        "SELECT ",
        columns!(),
        " FROM entities WHERE customer_id = $1 AND status <> 'deleted' ORDER BY created_at"
    ))
    .bind(customer_id)
    .fetch_all(db)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn mark_deleted(db: &Db, id: &EntityId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE entities SET status = 'deleted', updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_status(
    db: &Db,
    id: &EntityId,
    status: crate::model::EntityStatus,
    reconnect_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE entities SET status = $1, reconnect_id = $2, updated_at = $3 WHERE id = $4")
        .bind(status.as_str())
        .bind(reconnect_id)
        .bind(now())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// `entity.reconnected`: the bank login is good again. Only an entity waiting for that reconnect (or
/// for one whose id this app never learnt) becomes active: a late event for an older reconnect leaves
/// a newer one standing, and a deleted entity stays deleted. Returns whether anything changed.
pub async fn mark_reconnected<'e>(
    db: impl AnyExecutor<'e>,
    id: &EntityId,
    reconnect_id: &str,
) -> Result<bool, sqlx::Error> {
    let res = sqlx::query(
        "UPDATE entities SET status = 'active', reconnect_id = NULL, updated_at = $1
         WHERE id = $2 AND status = 'reconnect_required' AND (reconnect_id IS NULL OR reconnect_id = $3)",
    )
    .bind(now())
    .bind(id)
    .bind(reconnect_id)
    .execute(db)
    .await?;
    Ok(res.rows_affected() > 0)
}

pub async fn reconnect_id(db: &Db, id: &EntityId) -> Result<Option<String>, sqlx::Error> {
    let row =
        sqlx::query("SELECT reconnect_id FROM entities WHERE id = $1 AND status = 'reconnect_required'")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|r| r.try_get::<Option<String>, _>(0).ok().flatten()))
}
