//! Live updates: every event is written to `live_events` (so a reconnecting browser can resume from
//! `Last-Event-ID`) and then handed in-process to the open streams of the user it belongs to.
//!
//! Each audience (a user, or the developer console) has its own channel, created when its first stream
//! opens and dropped with its last one: a publish touches only the streams that want the event, and the
//! payload is shared, not copied, between them. With a thousand open streams, a bus that sent every
//! event to every stream to filter spent its time cloning and discarding.

pub mod console;
pub mod pg_listen;
pub mod sse;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::{broadcast, mpsc};

use crate::model::{LiveEvent, UserId};
use crate::server::db::{live_events, Db};

/// One event on its way to a stream. `seq` is 0 for console rows (they are not replayed).
#[derive(Debug)]
pub struct Published {
    pub seq: i64,
    pub payload: Box<str>,
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

/// The audience of every developer-console row, app-wide: the admins' consoles (see `sse`). Not a user
/// (user ids are UUIDs).
pub const CONSOLE_AUDIENCE: &str = "~console";

/// The audience of one user's own developer-console rows.
pub fn console_audience_of(user_id: &str) -> String {
    format!("{CONSOLE_AUDIENCE}:{user_id}")
}

/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const NOTIFY_MAX: usize = 7900;

/// Events a stream may fall behind by before it is cut (and the browser resumes from the table).
const STREAM_BACKLOG: usize = 256;

type Channels = HashMap<Box<str>, broadcast::Sender<Arc<Published>>>;

/// Events stored in a transaction not yet committed, for this process's streams (see
/// [`LiveBus::publish_in`]).
#[derive(Default)]
pub struct Outbox(Vec<(Box<str>, Published)>);

#[derive(Clone)]
pub struct LiveBus {
    channels: Arc<Mutex<Channels>>,
    fanout: Fanout,
    /// Webhooks whose developer-console rows are due (see `console::start_webhook_rows`).
    webhook_rows: Arc<OnceLock<mpsc::Sender<String>>>,
}

impl LiveBus {
    pub fn new(fanout: Fanout) -> Self {
        LiveBus { channels: Arc::default(), fanout, webhook_rows: Arc::default() }
    }

    /// Hands an event to this process's streams for `audience` (used by the PostgreSQL listener).
    pub fn deliver_local(&self, audience: &str, published: Published) {
        let mut channels = self.channels.lock().expect("live bus lock");
        if let Some(tx) = channels.get(audience) {
            // An error means every stream of this audience has closed since: forget the channel.
            if tx.send(Arc::new(published)).is_err() {
                channels.remove(audience);
            }
        }
    }

    /// A receiver of `audience`'s events from now on.
    pub fn subscribe(&self, audience: &str) -> broadcast::Receiver<Arc<Published>> {
        let mut channels = self.channels.lock().expect("live bus lock");
        if let Some(tx) = channels.get(audience) {
            return tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(STREAM_BACKLOG);
        channels.insert(audience.into(), tx);
        rx
    }

    /// Whether any stream shows a developer console, so rows nobody would see are not built. With
    /// PostgreSQL, another instance's console may be open, so there it always is.
    pub fn console_watched(&self) -> bool {
        matches!(self.fanout, Fanout::Postgres) || self.console_watched_here()
    }

    /// Whether a stream of this process shows a developer console.
    pub fn console_watched_here(&self) -> bool {
        self.channels
            .lock()
            .expect("live bus lock")
            .iter()
            .any(|(audience, tx)| audience.starts_with(CONSOLE_AUDIENCE) && tx.receiver_count() > 0)
    }

    pub async fn publish(&self, db: &Db, user_id: &UserId, event: &LiveEvent) -> Result<i64, sqlx::Error> {
        let mut conn = db.acquire().await?;
        let mut outbox = Outbox::default();
        let seq = self.publish_in(&mut conn, user_id, event, &mut outbox).await?;
        self.deliver(outbox);
        Ok(seq)
    }

    /// [`publish`](Self::publish) as part of the caller's transaction on `conn`: the event is stored
    /// there, and what this process's streams are to get waits in `outbox` until the caller has
    /// committed and hands it to [`deliver`](Self::deliver). A stream never shows an event that
    /// was rolled back. (With PostgreSQL the NOTIFY is part of the transaction: PostgreSQL sends it
    /// at the commit, to every instance.)
    pub async fn publish_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        user_id: &UserId,
        event: &LiveEvent,
        outbox: &mut Outbox,
    ) -> Result<i64, sqlx::Error> {
        let payload = serde_json::to_string(event).unwrap_or_default();
        let kind = match event {
            LiveEvent::EntityChanged { .. } => "entity_changed",
            LiveEvent::PaymentChanged { .. } => "payment_changed",
            LiveEvent::PaymentSourceChanged { .. } => "payment_source_changed",
            LiveEvent::ConsentChanged { .. } => "consent_changed",
            LiveEvent::Console { .. } => "console",
        };
        let seq = live_events::append(&mut *conn, user_id, kind, &payload).await?;
        match self.fanout {
            Fanout::Local => {
                outbox.0.push((user_id.as_str().into(), Published { seq, payload: payload.into() }))
            }
            // Only the key travels (NOTIFY payloads are small); listeners read the row.
            Fanout::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(format!("{seq}:{user_id}"))
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(seq)
    }

    /// Hands committed events to this process's streams (see [`publish_in`](Self::publish_in)).
    pub fn deliver(&self, outbox: Outbox) {
        // No receivers is fine: nobody has the page open.
        for (audience, published) in outbox.0 {
            self.deliver_local(&audience, published);
        }
    }

    /// Hands a developer-console row to the streams that show the console. The row is already
    /// stored where it belongs (lean_api_calls, webhook_events, the rejections list), so it is not
    /// kept again for `Last-Event-ID`: a console that reconnects fetches its log afresh. With
    /// PostgreSQL the row itself travels in the NOTIFY (see `pg_listen`); one too large for it
    /// travels as "fetch the log again".
    ///
    /// Every row goes to the app-wide consoles; a row that concerns a user (`owner`) also goes to that
    /// user's own console.
    pub async fn publish_console(
        &self,
        db: &Db,
        owner: Option<&UserId>,
        event: &LiveEvent,
    ) -> Result<(), sqlx::Error> {
        let payload = serde_json::to_string(event).unwrap_or_default();
        match self.fanout {
            Fanout::Local => self.deliver_console(owner.map(UserId::as_str), &payload),
            Fanout::Postgres => {
                let owner = owner.map(UserId::as_str).unwrap_or_default();
                let mut note = format!("{CONSOLE_AUDIENCE}:{owner}:{payload}");
                if note.len() > NOTIFY_MAX {
                    let refresh = LiveEvent::Console { entry: crate::model::console::ConsoleEntry::Refresh };
                    let refresh = serde_json::to_string(&refresh).unwrap_or_default();
                    note = format!("{CONSOLE_AUDIENCE}:{owner}:{refresh}");
                }
                sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(note).execute(db).await?;
            }
        }
        Ok(())
    }

    /// Hands a console row to this process's app-wide consoles and, if it has one, its owner's.
    pub fn deliver_console(&self, owner: Option<&str>, payload: &str) {
        self.deliver_local(CONSOLE_AUDIENCE, Published { seq: 0, payload: payload.into() });
        if let Some(owner) = owner.filter(|o| !o.is_empty()) {
            self.deliver_local(&console_audience_of(owner), Published { seq: 0, payload: payload.into() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reaches_only_its_audience() {
        let bus = LiveBus::new(Fanout::Local);
        let mut alice = bus.subscribe("alice");
        let mut bob = bus.subscribe("bob");
        bus.deliver_local("alice", Published { seq: 1, payload: "a".into() });
        assert_eq!(&*alice.try_recv().unwrap().payload, "a");
        assert!(bob.try_recv().is_err());
    }

    #[test]
    fn a_channel_is_forgotten_once_its_streams_close() {
        let bus = LiveBus::new(Fanout::Local);
        drop(bus.subscribe("alice"));
        assert!(!bus.console_watched());
        bus.deliver_local("alice", Published { seq: 1, payload: "a".into() });
        assert!(bus.channels.lock().unwrap().is_empty());
        let mut again = bus.subscribe("alice");
        bus.deliver_local("alice", Published { seq: 2, payload: "b".into() });
        assert_eq!(again.try_recv().unwrap().seq, 2);
    }

    #[test]
    fn the_console_counts_as_watched_only_while_a_console_stream_is_open() {
        let bus = LiveBus::new(Fanout::Local);
        assert!(!bus.console_watched());
        let rx = bus.subscribe(CONSOLE_AUDIENCE);
        assert!(bus.console_watched());
        drop(rx);
        assert!(!bus.console_watched());
    }
}
