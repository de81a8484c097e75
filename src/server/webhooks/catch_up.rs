//! Webhook catch-up. Lean retries a failed delivery for about four and a half hours and then gives up,
//! and says webhooks can be missed, so the app also reads `GET /events/v1` (the last 90 days of events)
//! at start and every few minutes, and stores what it does not have yet. Events go into the same
//! store-once table as webhooks, so an event that arrives both ways is applied once.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use crate::server::db::{app_meta, webhook_events, Db};
use crate::server::lean::{LeanClient, LeanError};

use super::Worker;

const CURSOR_KEY: &str = "events_cursor";
/// Re-read a little before the cursor: events are listed by first delivery time, and clocks differ.
const OVERLAP: Duration = Duration::from_secs(10 * 60);
const PAGE_SIZE: u32 = 100;
const MAX_PAGES: u32 = 200;

/// Result of one catch-up run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    pub seen: usize,
    pub new: usize,
}

pub async fn run_once(db: &Db, lean: &LeanClient, worker: &Worker) -> Result<CatchUp, CatchUpError> {
    let from = app_meta::get(db, CURSOR_KEY)
        .await?
        .and_then(|c| DateTime::parse_from_rfc3339(&c).ok())
        .map(|c| (c.with_timezone(&Utc) - OVERLAP).to_rfc3339_opts(SecondsFormat::Millis, true));
    let mut result = CatchUp::default();
    let mut newest: Option<DateTime<Utc>> = None;
    let mut page = 0;
    loop {
        let batch = lean.events(page, PAGE_SIZE, from.as_deref()).await?;
        for event in &batch.data {
            result.seen += 1;
            let Some(event_id) = event.get("event_id").and_then(Value::as_str) else {
                continue;
            };
            let event_type = event.get("type").and_then(Value::as_str).unwrap_or("unknown");
            let body = serde_json::to_string(event).unwrap_or_default();
            let customer = super::endpoint::customer_of(event.get("payload"));
            let received = webhook_events::RECEIVED;
            if webhook_events::insert_once(db, event_id, event_type, &body, received, None, customer.as_ref())
                .await?
            {
                result.new += 1;
            }
            let ts = event
                .get("timestamp")
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            if let Some(ts) = ts.map(|t| t.with_timezone(&Utc)) {
                newest = newest.max(Some(ts));
            }
        }
        page += 1;
        if page >= batch.page.total_pages || page >= MAX_PAGES || batch.data.is_empty() {
            break;
        }
    }
    if let Some(newest) = newest {
        app_meta::set(db, CURSOR_KEY, &newest.to_rfc3339_opts(SecondsFormat::Micros, true)).await?;
    }
    if result.new > 0 {
        worker.wake();
    }
    Ok(result)
}

/// Catch up now and then every `period`, until the task is aborted.
pub async fn run_periodically(db: Db, lean: LeanClient, worker: Worker, period: Duration) {
    loop {
        match run_once(&db, &lean, &worker).await {
            Ok(r) if r.new > 0 => {
                tracing::info!(new = r.new, seen = r.seen, "webhook catch-up found missed events")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook catch-up failed; will try again"),
        }
        tokio::time::sleep(period).await;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatchUpError {
    #[error(transparent)]
    Lean(#[from] LeanError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}
