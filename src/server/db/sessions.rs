//! tower-sessions store on our own database, so sessions survive restarts (and, on PostgreSQL, are
//! shared by every instance).
//!
//! Rows are keyed by the SHA-256 of the session id, and the stored record carries no id: whoever reads
//! the table (a backup, a leaked dump) cannot turn a row into a cookie that signs them in. The id is
//! 128 random bits, so a plain hash (no salt, no stretching) is enough to make it irreversible.

use async_trait::async_trait;
use sqlx::Row;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

use super::Db;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn delete_expired(&self) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(time::OffsetDateTime::now_utc().unix_timestamp())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

fn backend(e: sqlx::Error) -> Error {
    Error::Backend(e.to_string())
}

/// The key a session is stored under.
fn key(id: &Id) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

/// The record as stored: everything but its id.
fn encode(record: &Record) -> Result<String> {
    let mut stored = record.clone();
    stored.id = Id(0);
    serde_json::to_string(&stored).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Ids are random 128-bit numbers; on the rare collision, draw again.
        loop {
            let data = encode(record)?;
            let res = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(key(&record.id))
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db)
            .await
            .map_err(backend)?;
            if res.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = encode(record)?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(key(&record.id))
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = sqlx::query("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(key(id))
            .bind(time::OffsetDateTime::now_utc().unix_timestamp())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        match row {
            None => Ok(None),
            Some(r) => {
                let data: String = r.try_get(0).map_err(backend)?;
                let mut record: Record =
                    serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
                record.id = *id;
                Ok(Some(record))
            }
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(key(id))
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
