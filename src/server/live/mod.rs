//! Live updates: every event is written to `live_events` (so a reconnecting browser can resume from
//! `Last-Event-ID`) and then broadcast in-process to the open streams.

pub mod sse;

use tokio::sync::broadcast;

use crate::model::LiveEvent;
use crate::server::db::{live_events, Db};

#[derive(Clone, Debug)]
pub struct Published {
    pub user_id: String,
    pub seq: i64,
    pub payload: String,
}

#[derive(Clone)]
pub struct LiveBus {
    tx: broadcast::Sender<Published>,
}

impl LiveBus {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(1024);
        LiveBus { tx }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.tx.subscribe()
    }

    pub async fn publish(
        &self,
        db: &Db,
        user_id: &str,
        event: &LiveEvent,
    ) -> Result<i64, sqlx::Error> {
        let payload = serde_json::to_string(event).unwrap_or_default();
        let kind = match event {
            LiveEvent::EntityChanged { .. } => "entity_changed",
        };
        let seq = live_events::append(db, user_id, kind, &payload).await?;
        // No receivers is fine: nobody has the page open.
        let _ = self.tx.send(Published {
            user_id: user_id.to_owned(),
            seq,
            payload,
        });
        Ok(seq)
    }
}

impl Default for LiveBus {
    fn default() -> Self {
        Self::new()
    }
}
