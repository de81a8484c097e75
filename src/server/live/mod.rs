//! Live updates: every event is written to `live_events` (so a reconnecting browser can resume from
//! `Last-Event-ID`) and then broadcast in-process to the open streams.

pub mod console;
pub mod pg_listen;
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

/// How a published event reaches the open streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fanout {
    /// One process (SQLite): straight to this process's streams.
    Local,
    /// Several instances on one PostgreSQL: `NOTIFY`, which every instance (this one included) hears
    /// through its `LISTEN` task and forwards to its own streams. See `pg_listen`.
    Postgres,
}

pub const CHANNEL: &str = "lean_merchant_live";

/// The audience of developer-console rows: not a user (user ids are UUIDs), but every stream that
/// asked for the console and whose user may see it (see `sse`).
pub const CONSOLE_AUDIENCE: &str = "~console";

/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const NOTIFY_MAX: usize = 7900;

#[derive(Clone)]
pub struct LiveBus {
    tx: broadcast::Sender<Published>,
    fanout: Fanout,
}

impl LiveBus {
    pub fn new(fanout: Fanout) -> Self {
        let (tx, _) = broadcast::channel(1024);
        LiveBus { tx, fanout }
    }

    /// Hands an event to this process's streams (used by the PostgreSQL listener).
    pub fn deliver_local(&self, p: Published) {
        let _ = self.tx.send(p);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Published> {
        self.tx.subscribe()
    }

    pub async fn publish(&self, db: &Db, user_id: &str, event: &LiveEvent) -> Result<i64, sqlx::Error> {
        let payload = serde_json::to_string(event).unwrap_or_default();
        let kind = match event {
            LiveEvent::EntityChanged { .. } => "entity_changed",
            LiveEvent::PaymentChanged { .. } => "payment_changed",
            LiveEvent::PaymentSourceChanged { .. } => "payment_source_changed",
            LiveEvent::ConsentChanged { .. } => "consent_changed",
            LiveEvent::Console { .. } => "console",
        };
        let seq = live_events::append(db, user_id, kind, &payload).await?;
        match self.fanout {
            // No receivers is fine: nobody has the page open.
            Fanout::Local => self.deliver_local(Published { user_id: user_id.to_owned(), seq, payload }),
            // Only the key travels (NOTIFY payloads are small); listeners read the row.
            Fanout::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(format!("{seq}:{user_id}"))
                    .execute(db)
                    .await?;
            }
        }
        Ok(seq)
    }

    /// Hands a developer-console row to the streams that show the console. The row is already
    /// stored where it belongs (lean_api_calls, webhook_events, the rejections list), so it is not
    /// kept again for `Last-Event-ID`: a console that reconnects fetches its log afresh. With
    /// PostgreSQL the row itself travels in the NOTIFY (see `pg_listen`); one too large for it
    /// travels as "fetch the log again".
    pub async fn publish_console(&self, db: &Db, event: &LiveEvent) -> Result<(), sqlx::Error> {
        let payload = serde_json::to_string(event).unwrap_or_default();
        match self.fanout {
            Fanout::Local => {
                self.deliver_local(Published { user_id: CONSOLE_AUDIENCE.to_owned(), seq: 0, payload });
            }
            Fanout::Postgres => {
                let mut note = format!("{CONSOLE_AUDIENCE}:{payload}");
                if note.len() > NOTIFY_MAX {
                    let refresh = LiveEvent::Console { entry: crate::api::console::ConsoleEntry::Refresh };
                    note =
                        format!("{CONSOLE_AUDIENCE}:{}", serde_json::to_string(&refresh).unwrap_or_default());
                }
                sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(note).execute(db).await?;
            }
        }
        Ok(())
    }
}
