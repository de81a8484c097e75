//! `GET /events/v1`: the log of webhook events, newest first (REFERENCE §8.4).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::App;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult};

pub fn routes() -> Router<Arc<App>> {
    Router::new().route("/events/v1", get(list)).route("/events/v1/", get(list))
}

#[derive(Deserialize)]
struct EventQuery {
    page: Option<usize>,
    size: Option<usize>,
    #[serde(rename = "type")]
    kind: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

async fn list(
    _: ApiCaller,
    State(app): State<Arc<App>>,
    query: Result<Query<EventQuery>, QueryRejection>,
) -> ApiResult<Json<Value>> {
    let Query(q) = query.map_err(|e| ApiError::invalid_parameters(e.body_text()))?;
    let page = app.store.read(|s| {
        let matching: Vec<_> = s
            .events
            .iter()
            .rev()
            .filter(|e| q.kind.as_deref().is_none_or(|k| k.is_empty() || e.kind == k))
            .filter(|e| q.from.is_none_or(|f| e.created_at >= f))
            .filter(|e| q.to.is_none_or(|t| e.created_at <= t))
            .collect();
        super::paginate_with(matching, q.page.unwrap_or(0), q.size.unwrap_or(50), |e| {
            json!({
                "payload": e.payload,
                "type": e.kind,
                "message": e.message,
                "timestamp": e.timestamp,
                "event_id": e.event_id,
            })
        })
    });
    Ok(Json(page))
}
