//! `GET /sandbox/deliveries`: an unauthenticated view of every webhook and its attempts, and
//! `GET /sandbox/deliveries/summary`: just the counts, cheap enough to poll during a flood.
//! Not part of Lean's API; they exist so tests and developers can see what was sent.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::App;
use crate::state::DeliveryStatus;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/sandbox/deliveries", get(deliveries))
        .route("/sandbox/deliveries/summary", get(summary))
}

async fn deliveries(State(app): State<Arc<App>>) -> Json<Value> {
    let items: Vec<Value> = app.store.read(|s| {
        s.events
            .iter()
            .map(|e| {
                json!({
                    "event_id": e.event_id,
                    "type": e.kind,
                    "lane": e.lane,
                    "created_at": e.created_at,
                    "delivery": e.delivery,
                    "attempts": e.attempts,
                    "body": e.body,
                })
            })
            .collect()
    });
    Json(Value::Array(items))
}

/// `{events, pending, delivered, failed, not_delivered, dropped, attempts, failed_attempts}`;
/// an attempt fails when it got anything but HTTP 200.
async fn summary(State(app): State<Arc<App>>) -> Json<Value> {
    app.store.read(|s| {
        let count = |d: DeliveryStatus| s.events.iter().filter(|e| e.delivery == d).count();
        let attempts = s.events.iter().map(|e| e.attempts.len()).sum::<usize>();
        let failed_attempts =
            s.events.iter().flat_map(|e| e.attempts.iter()).filter(|a| a.http_status != Some(200)).count();
        Json(json!({
            "events": s.events.len(),
            "pending": count(DeliveryStatus::Pending),
            "delivered": count(DeliveryStatus::Delivered),
            "failed": count(DeliveryStatus::Failed),
            "not_delivered": count(DeliveryStatus::NotDelivered),
            "dropped": count(DeliveryStatus::Dropped),
            "attempts": attempts,
            "failed_attempts": failed_attempts,
        }))
    })
}
