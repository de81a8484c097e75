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

/// Console rows of stored webhooks wait here for the task that publishes them (`start_webhook_rows`).
const ROWS_QUEUE: usize = 4096;
/// Most rows read (and, with PostgreSQL, announced) at once.
const ROWS_BATCH: usize = 64;
/// How a batch of stored webhooks is announced to every instance (with PostgreSQL): this, then their
/// ids as a JSON array. Each instance with a console open reads the rows itself.
pub const WEBHOOKS_NOTE: &str = "~webhooks:";

/// A stored webhook was received, claimed, finished or reset for replay: open consoles get its row as
/// it is when published. Queued, not published in place: read back and (with PostgreSQL) announced
/// one webhook at a time, the rows held up each webhook's answer, and in a flood every NOTIFY queued
/// for PostgreSQL's one notification lock. One task publishes them in batches, in the order queued,
/// each row read when its batch is published (so a later change is never overtaken by an earlier one).
/// A full queue drops the row: a console is a view, and its log page reads the table.
pub fn webhook_changed(bus: &LiveBus, event_id: &str) {
    if !bus.console_watched() {
        return;
    }
    if let Some(queue) = bus.webhook_rows.get() {
        if queue.try_send(event_id.to_owned()).is_err() {
            tracing::debug!(event_id, "console row queue full; row dropped");
        }
    }
}

/// Starts the task that publishes the rows `webhook_changed` queues; it ends with the bus.
pub fn start_webhook_rows(bus: &LiveBus, db: Db) -> tokio::task::JoinHandle<()> {
    let (queue, rows) = tokio::sync::mpsc::channel(ROWS_QUEUE);
    if bus.webhook_rows.set(queue).is_err() {
        tracing::warn!("console rows were already being published");
    }
    tokio::spawn(publish_webhook_rows(bus.clone(), db, rows))
}

async fn publish_webhook_rows(bus: LiveBus, db: Db, mut rows: tokio::sync::mpsc::Receiver<String>) {
    let mut batch = Vec::with_capacity(ROWS_BATCH);
    while rows.recv_many(&mut batch, ROWS_BATCH).await > 0 {
        let mut seen = std::collections::HashSet::new();
        batch.retain(|id| seen.insert(id.clone()));
        match bus.fanout {
            super::Fanout::Local => deliver_webhook_rows(&bus, &db, &batch).await,
            super::Fanout::Postgres => {
                for note in webhook_notes(&batch) {
                    let sent = sqlx::query("SELECT pg_notify($1, $2)")
                        .bind(super::CHANNEL)
                        .bind(note)
                        .execute(&db)
                        .await;
                    if let Err(e) = sent {
                        tracing::warn!(error = %e, "could not announce webhooks to the consoles");
                    }
                }
            }
        }
        batch.clear();
    }
}

/// The notes announcing `ids`, each within PostgreSQL's limit on a payload.
fn webhook_notes(ids: &[String]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut part: Vec<&str> = Vec::new();
    let mut size = WEBHOOKS_NOTE.len() + 2;
    for id in ids {
        // Quoted and escaped, an id is at most about twice its length (ids are at most 200 bytes).
        let cost = serde_json::to_string(id).map(|s| s.len()).unwrap_or(usize::MAX) + 1;
        if cost > super::NOTIFY_MAX / 2 {
            continue;
        }
        if size + cost > super::NOTIFY_MAX && !part.is_empty() {
            notes.push(format!("{WEBHOOKS_NOTE}{}", serde_json::to_string(&part).unwrap_or_default()));
            part.clear();
            size = WEBHOOKS_NOTE.len() + 2;
        }
        part.push(id);
        size += cost;
    }
    if !part.is_empty() {
        notes.push(format!("{WEBHOOKS_NOTE}{}", serde_json::to_string(&part).unwrap_or_default()));
    }
    notes
}

/// Reads the rows of `ids` and hands them to this process's open consoles, if any.
pub async fn deliver_webhook_rows(bus: &LiveBus, db: &Db, ids: &[String]) {
    if ids.is_empty() || !bus.console_watched_here() {
        return;
    }
    match crate::server::db::webhook_events::with_owners(db, ids).await {
        Ok(rows) => {
            for (e, owner) in rows {
                let row = LiveEvent::Console { entry: ConsoleEntry::Webhook(console::stored_webhook_row(e)) };
                let payload = serde_json::to_string(&row).unwrap_or_default();
                bus.deliver_console(owner.as_ref().map(UserId::as_str), &payload);
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not read webhooks for the console"),
    }
}

/// A webhook was refused for its signature (nothing of it is stored).
pub async fn webhook_rejected(bus: &LiveBus, db: &Db, rejected: Rejected) {
    publish(bus, db, None, ConsoleEntry::Webhook(console::rejected_webhook_row(rejected))).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_notes_stay_within_postgres_limit_and_keep_every_id() {
        let ids: Vec<String> = (0..500).map(|n| format!("{n:0>36}\"quoted\"")).collect();
        let notes = webhook_notes(&ids);
        assert!(notes.len() > 1);
        let mut back = Vec::new();
        for note in &notes {
            assert!(note.len() <= super::super::NOTIFY_MAX, "{}", note.len());
            let list: Vec<String> = serde_json::from_str(note.strip_prefix(WEBHOOKS_NOTE).unwrap()).unwrap();
            back.extend(list);
        }
        assert_eq!(back, ids);
    }
}
