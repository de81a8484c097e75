//! tower-sessions store on our own database, so sessions survive restarts (and, on PostgreSQL, are
//! shared by every instance).

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

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Ids are random 128-bit numbers; on the rare collision, draw again.
        loop {
            let data = serde_json::to_string(&record).map_err(|e| Error::Encode(e.to_string()))?;
            let res = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
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
        let data = serde_json::to_string(&record).map_err(|e| Error::Encode(e.to_string()))?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = sqlx::query("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id.to_string())
            .bind(time::OffsetDateTime::now_utc().unix_timestamp())
            .fetch_optional(&self.db)
            .await
            .map_err(backend)?;
        match row {
            None => Ok(None),
            Some(r) => {
                let data: String = r.try_get(0).map_err(backend)?;
                serde_json::from_str(&data).map(Some).map_err(|e| Error::Decode(e.to_string()))
            }
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
