//! The developer console's rows on the live bus: each outbound Lean call and each inbound webhook
//! (stored, refused, or changed by the worker or a replay) is published the moment it is recorded.
//! Publishing never fails the work it reports on: a console that misses a row fetches the log again
//! when its stream reconnects.

use super::LiveBus;
use crate::model::console::ConsoleEntry;
use crate::model::{LiveEvent, UserId};
use crate::server::console;
use crate::server::db::Db;
use crate::server::webhooks::rejections::Rejected;

/// `owner`: the user the row concerns (their own console shows it too); None for app-wide rows.
async fn publish(bus: &LiveBus, db: &Db, owner: Option<&UserId>, entry: ConsoleEntry) {
    if !bus.console_watched() {
        return;
    }
    if let Err(e) = bus.publish_console(db, owner, &LiveEvent::Console { entry }).await {
        tracing::warn!(error = %e, "could not publish a console row");
    }
}

/// An outbound Lean call was recorded.
pub async fn call_recorded(
    bus: &LiveBus,
    db: &Db,
    user_id: Option<&UserId>,
    method: &str,
    path: &str,
    status: Option<u16>,
    latency_ms: i64,
) {
    let row = console::call_row(
        crate::server::db::now(),
        method.to_owned(),
        path,
        status.map(i64::from),
        latency_ms,
        None,
    );
    publish(bus, db, user_id, ConsoleEntry::Call(row)).await;
}

/// A stored webhook was received, claimed, finished or reset for replay: its row as it is now.
pub async fn webhook_changed(bus: &LiveBus, db: &Db, event_id: &str) {
    // Reading the row back costs a query per webhook: skip it while no console is open.
    if !bus.console_watched() {
        return;
    }
    match stored_event(db, event_id).await {
        Ok(Some((e, owner))) => {
            publish(bus, db, owner.as_ref(), ConsoleEntry::Webhook(console::stored_webhook_row(e))).await
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "could not read a webhook for the console"),
    }
}

/// A webhook was refused for its signature (nothing of it is stored).
pub async fn webhook_rejected(bus: &LiveBus, db: &Db, rejected: Rejected) {
    publish(bus, db, None, ConsoleEntry::Webhook(console::rejected_webhook_row(rejected))).await;
}

/// The stored event and the user whose customer it concerns, if any.
async fn stored_event(
    db: &Db,
    event_id: &str,
) -> Result<Option<(crate::server::db::webhook_events::StoredEvent, Option<UserId>)>, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT w.event_id, w.event_type, w.body, w.status, w.received_at, w.processed_at, w.attempts,
                w.last_error, c.user_id
         FROM webhook_events w LEFT JOIN customers c ON c.customer_id = w.customer_id
         WHERE w.event_id = $1",
    )
    .bind(event_id)
    .fetch_optional(db)
    .await?;
    row.map(|r| {
        let event = crate::server::db::webhook_events::StoredEvent {
            event_id: r.try_get(0)?,
            event_type: r.try_get(1)?,
            body: r.try_get(2)?,
            status: r.try_get(3)?,
            received_at: r.try_get(4)?,
            processed_at: r.try_get(5)?,
            attempts: r.try_get(6)?,
            last_error: r.try_get(7)?,
        };
        Ok((event, r.try_get(8)?))
    })
    .transpose()
}
