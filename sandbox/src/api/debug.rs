//! `GET /sandbox/deliveries`: an unauthenticated view of every webhook and its attempts.
//! Not part of Lean's API; it exists so tests and developers can see what was sent.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::App;

pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/sandbox/deliveries", get(deliveries))
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
