//! Scenario controls (no auth, like `/sandbox/deliveries`): expire a test user's session,
//! script the next data call of an entity, inject API faults, complete a reconnect, clear all.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::app::App;
use crate::data::{self, NextCall};
use crate::error::{ApiError, ApiResult};
use crate::faults::FaultRule;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/sandbox/scenarios", get(list).delete(clear))
        .route("/sandbox/scenarios/clear", post(clear))
        .route("/sandbox/scenarios/expire-session", post(expire_session))
        .route("/sandbox/scenarios/next-data-call", post(next_data_call))
        .route("/sandbox/scenarios/faults", post(add_fault).delete(clear_faults))
        .route("/sandbox/scenarios/reconnect", post(reconnect))
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(bytes)
        .map_err(|err| ApiError::invalid_parameters(format!("Invalid request body: {err}")))
}

fn uuid(field: &str, raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| ApiError::invalid_parameters(format!("{field} must be a UUID.")))
}

async fn list(State(app): State<Arc<App>>) -> Json<Value> {
    app.store.read(|s| {
        let reconnects: Vec<Value> = s
            .entities
            .iter()
            .filter_map(|e| {
                e.reconnect_id
                    .map(|r| json!({"entity_id": e.id, "reconnect_id": r, "connected_by": e.connected_by}))
            })
            .collect();
        Json(json!({
            "next_data_calls": s.data.next_calls,
            "faults": s.data.faults,
            "reconnect_required": reconnects,
        }))
    })
}

async fn clear(State(app): State<Arc<App>>) -> ApiResult<Json<Value>> {
    app.store.update(|s| {
        s.data.next_calls.clear();
        s.data.faults.clear();
        for e in s.entities.iter_mut() {
            e.reconnect_id = None;
        }
    })?;
    Ok(Json(json!({"status": "OK"})))
}

#[derive(Deserialize)]
struct ExpireSession {
    username: String,
}

async fn expire_session(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: ExpireSession = body(&bytes)?;
    if req.username.trim().is_empty() {
        return Err(ApiError::missing_parameters("username is required."));
    }
    let affected = data::expire_session(&app, req.username.trim())?;
    let entities: Vec<Value> = affected
        .into_iter()
        .map(|(entity_id, reconnect_id)| json!({"entity_id": entity_id, "reconnect_id": reconnect_id}))
        .collect();
    Ok(Json(json!({"status": "OK", "entities": entities})))
}

#[derive(Deserialize)]
struct NextDataCall {
    entity_id: String,
    status: String,
    #[serde(default)]
    granular_status_code: Option<String>,
    #[serde(default)]
    status_additional_info: Option<String>,
}

async fn next_data_call(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: NextDataCall = body(&bytes)?;
    let entity_id = uuid("entity_id", &req.entity_id)?;
    let status = req.status.trim().to_ascii_uppercase();
    if !["PENDING", "FAILED", "CONSENT_EXPIRED", "RECONNECT_REQUIRED"].contains(&status.as_str()) {
        return Err(ApiError::invalid_parameters(
            "status must be PENDING, FAILED, CONSENT_EXPIRED or RECONNECT_REQUIRED.",
        ));
    }
    let granular = req.granular_status_code.map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty());
    let next = NextCall {
        entity_id,
        status,
        granular_status_code: granular,
        status_additional_info: req.status_additional_info,
    };
    let queued = app.store.update(|s| {
        data::live_entity(s, entity_id)?;
        s.data.next_calls.push(next.clone());
        Some(s.data.next_calls.iter().filter(|n| n.entity_id == entity_id).count())
    })?;
    let queued = queued.ok_or_else(ApiError::unknown_entity)?;
    Ok(Json(json!({"status": "OK", "scenario": next, "queued_for_entity": queued})))
}

#[derive(Deserialize)]
struct AddFault {
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    latency_ms: Option<u64>,
    #[serde(default)]
    rate: Option<f64>,
    #[serde(default)]
    path_prefix: Option<String>,
    #[serde(default)]
    count: Option<u32>,
}

async fn add_fault(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: AddFault = body(&bytes)?;
    if let Some(s) = req.status {
        if s != 500 && s != 429 {
            return Err(ApiError::invalid_parameters("status must be 500 or 429."));
        }
    }
    let latency_ms = req.latency_ms.unwrap_or(0);
    if req.status.is_none() && latency_ms == 0 {
        return Err(ApiError::missing_parameters("Give a status (500 or 429) and/or latency_ms."));
    }
    if latency_ms > 60_000 {
        return Err(ApiError::invalid_parameters("latency_ms must be at most 60000."));
    }
    let rate = req.rate.unwrap_or(1.0);
    if !(0.0..=1.0).contains(&rate) {
        return Err(ApiError::invalid_parameters("rate must be between 0 and 1."));
    }
    if req.count == Some(0) {
        return Err(ApiError::invalid_parameters("count must be at least 1."));
    }
    let rule = FaultRule {
        id: Uuid::new_v4(),
        status: req.status,
        latency_ms,
        rate,
        path_prefix: req.path_prefix.filter(|p| !p.is_empty()),
        remaining: req.count,
    };
    app.store.update(|s| s.data.faults.push(rule.clone()))?;
    Ok(Json(json!({"status": "OK", "fault": rule})))
}

async fn clear_faults(State(app): State<Arc<App>>) -> ApiResult<Json<Value>> {
    app.store.update(|s| s.data.faults.clear())?;
    Ok(Json(json!({"status": "OK"})))
}

#[derive(Deserialize)]
struct Reconnect {
    #[serde(default)]
    entity_id: Option<String>,
    reconnect_id: String,
}

/// Completes a reconnect as if the user went through `Lean.reconnect`.
async fn reconnect(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: Reconnect = body(&bytes)?;
    let reconnect_id = uuid("reconnect_id", &req.reconnect_id)?;
    let entity_id = match req.entity_id {
        Some(raw) => uuid("entity_id", &raw)?,
        None => data::find_reconnect(&app, reconnect_id).map(|(e, _)| e).ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "UNKNOWN_RECONNECT_ID",
                "No entity is waiting for this reconnect_id.",
            )
        })?,
    };
    data::reconnect(&app, entity_id, reconnect_id)?;
    Ok(Json(json!({"status": "OK", "entity_id": entity_id, "reconnect_id": reconnect_id})))
}
