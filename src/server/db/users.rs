use sqlx::Row;

use super::{is_unique_violation, now, Db};
use crate::model::UserId;

pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
}

pub enum CreateError {
    EmailTaken,
    Db(sqlx::Error),
}

pub async fn create(db: &Db, email: &str, password_hash: &str) -> Result<UserRow, CreateError> {
    let id = UserId::new(uuid::Uuid::new_v4().to_string());
    let res = sqlx::query("INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(email)
        .bind(password_hash)
        .bind(now())
        .execute(db)
        .await;
    match res {
        Ok(_) => Ok(UserRow { id, email: email.to_owned(), password_hash: password_hash.to_owned() }),
        Err(e) if is_unique_violation(&e) => Err(CreateError::EmailTaken),
        Err(e) => Err(CreateError::Db(e)),
    }
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query("SELECT id, email, password_hash FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok(UserRow { id: r.try_get(0)?, email: r.try_get(1)?, password_hash: r.try_get(2)? }))
        .transpose()
}

pub async fn find_by_id(db: &Db, id: &UserId) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query("SELECT id, email, password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    row.map(|r| Ok(UserRow { id: r.try_get(0)?, email: r.try_get(1)?, password_hash: r.try_get(2)? }))
        .transpose()
}
