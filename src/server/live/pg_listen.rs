//! With PostgreSQL, live events cross instances: a webhook applied by instance B reaches a browser
//! streaming from instance A. Every instance LISTENs; a notification carries `seq:user_id`, and the
//! listener reads that row and hands it to its own streams. Developer-console rows (not stored there)
//! travel whole as `~console:<json>`, except stored webhooks' rows, which travel as their ids
//! (`~webhooks:[…]`, see `console::webhook_changed`).

use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::Row;

use super::{LiveBus, Published, CHANNEL, CONSOLE_AUDIENCE};
use crate::server::db::Db;

/// Runs until aborted; reconnects after errors. Events published while disconnected are not lost to a
/// browser: its stream resumes from `Last-Event-ID` when it reconnects.
pub async fn run(database_url: String, db: Db, bus: LiveBus) {
    loop {
        match listen(&database_url, &db, &bus).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, "live-event listener lost its connection; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn listen(url: &str, db: &Db, bus: &LiveBus) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let note = listener.recv().await?;
        // Stored webhooks, by id: an instance with a console open reads their rows.
        if let Some(ids) = note.payload().strip_prefix(super::console::WEBHOOKS_NOTE) {
            if let Ok(ids) = serde_json::from_str::<Vec<String>>(ids) {
                super::console::deliver_webhook_rows(bus, db, &ids).await;
            }
            continue;
        }
        // A developer-console row travels whole: it is not stored in live_events.
        // `~console:<owner user id, or nothing>:<row>`.
        if let Some(rest) = note.payload().strip_prefix(CONSOLE_AUDIENCE).and_then(|r| r.strip_prefix(':')) {
            if let Some((owner, row)) = rest.split_once(':') {
                bus.deliver_console(Some(owner), row);
            }
            continue;
        }
        let Some((seq, user_id)) = note.payload().split_once(':') else {
            continue;
        };
        let Ok(seq) = seq.parse::<i64>() else {
            continue;
        };
        let row = sqlx::query("SELECT payload FROM live_events WHERE user_id = $1 AND seq = $2")
            .bind(user_id)
            .bind(seq)
            .fetch_optional(db)
            .await?;
        if let Some(row) = row {
            let payload: String = row.try_get(0)?;
            bus.deliver_local(user_id, Published { seq, payload: payload.into() });
        }
    }
}
