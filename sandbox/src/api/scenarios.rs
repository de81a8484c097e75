//! Scenario controls (no auth, like `/sandbox/deliveries`): expire a test user's session,
//! script the next data call of an entity, inject API faults, complete a reconnect, settle or
//! fail a payment now, resend or drop webhooks, clear all.

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
use crate::payments::errors::unknown_payment;
use crate::payments::status::{ACCEPTED_BY_BANK, FAILED, PENDING_WITH_BANK, REJECTED_BY_BANK};
use crate::payments::views::payment_json;
use crate::payments::webhooks::{aof_lane, aof_payload, emit, intent_lane, payment_payload, PAYMENT_UPDATED};
use crate::webhooks::ResendError;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/sandbox/scenarios", get(list).delete(clear))
        .route("/sandbox/scenarios/clear", post(clear))
        .route("/sandbox/scenarios/expire-session", post(expire_session))
        .route("/sandbox/scenarios/next-data-call", post(next_data_call))
        .route("/sandbox/scenarios/faults", post(add_fault).delete(clear_faults))
        .route("/sandbox/scenarios/reconnect", post(reconnect))
        .route("/sandbox/scenarios/advance-payment", post(advance_payment))
        .route("/sandbox/scenarios/fail-payment", post(fail_payment))
        .route("/sandbox/scenarios/resend-webhook", post(resend_webhook))
        .route("/sandbox/scenarios/drop-webhooks", post(drop_webhooks).delete(clear_drops))
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
            "drop_webhooks": app.webhooks.drop_rules(),
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
    app.webhooks.clear_drops();
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

#[derive(Deserialize)]
struct PaymentVerdict {
    #[serde(default)]
    payment_id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    granular_status_code: Option<String>,
    #[serde(default)]
    status_additional_info: Option<String>,
}

/// The bank's verdict, applied now instead of after `payment_settle_ms`.
struct Verdict {
    accepted: bool,
    /// `ACCEPTED_BY_BANK`, `FAILED` or `REJECTED_BY_BANK` (AoF: `PROCESSED` or `FAILED`).
    status: &'static str,
    code: Option<String>,
    info: Option<String>,
}

fn payment_failure_info(code: &str) -> &'static str {
    match code {
        "BANK_ISSUE" => "Your bank is currently experiencing technological problems. Please try again later.",
        "INSUFFICIENT_BALANCE" => "The account does not have enough balance for this payment.",
        "EXCEEDS_DAILY_LIMIT" => "The payment exceeds the account's daily transfer limit.",
        "EU_ACCOUNT_LOCKED" => "Your online banking is locked. Please contact your bank to unlock it.",
        "USER_CANCELLED" => "The payment was cancelled at the bank.",
        "REJECTED_BY_BANK" => "The bank rejected the payment.",
        _ => "The bank did not complete the payment.",
    }
}

/// `PENDING_WITH_BANK` → `ACCEPTED_BY_BANK` now (AoF: `CREATED`/`PROCESSING` → `PROCESSED`).
async fn advance_payment(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: PaymentVerdict = body(&bytes)?;
    let verdict = Verdict { accepted: true, status: ACCEPTED_BY_BANK, code: None, info: None };
    settle_now(&app, &req.payment_id, verdict)
}

/// `PENDING_WITH_BANK` → `FAILED` (default) or `REJECTED_BY_BANK` now, with a granular code
/// (default `BANK_ISSUE`, or `REJECTED_BY_BANK` for a rejection).
async fn fail_payment(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: PaymentVerdict = body(&bytes)?;
    let status = match req.status.as_deref().map(|s| s.trim().to_ascii_uppercase()).as_deref() {
        None | Some(FAILED) => FAILED,
        Some(REJECTED_BY_BANK) => REJECTED_BY_BANK,
        Some(_) => return Err(ApiError::invalid_parameters("status must be FAILED or REJECTED_BY_BANK.")),
    };
    let code = match req.granular_status_code.map(|c| c.trim().to_ascii_uppercase()) {
        Some(c)
            if c.is_empty()
                || !c.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_' || ch.is_ascii_digit()) =>
        {
            return Err(ApiError::invalid_parameters("granular_status_code must be an UPPER_SNAKE code."));
        }
        Some(c) => c,
        None if status == REJECTED_BY_BANK => REJECTED_BY_BANK.to_string(),
        None => "BANK_ISSUE".to_string(),
    };
    let info = req
        .status_additional_info
        .filter(|i| !i.trim().is_empty())
        .unwrap_or_else(|| payment_failure_info(&code).to_string());
    let verdict = Verdict { accepted: false, status, code: Some(code), info: Some(info) };
    settle_now(&app, &req.payment_id, verdict)
}

fn not_pending(status: &str) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "PAYMENT_NOT_PENDING",
        format!("The payment already has the bank's verdict ({status})."),
    )
}

/// Applies `verdict` to a pending legacy/SIP or AoF payment and emits `payment.updated` on the
/// payment's usual lane. The scheduled verdict then finds it settled and does nothing.
fn settle_now(app: &Arc<App>, raw_id: &str, v: Verdict) -> ApiResult<Json<Value>> {
    if raw_id.trim().is_empty() {
        return Err(ApiError::missing_parameters("payment_id is required."));
    }
    let pid = uuid("payment_id", raw_id)?;
    let now = chrono::Utc::now();
    let updated = app.store.update(|s| -> ApiResult<(String, Value, Value)> {
        if let Some(p) = s.payments.payments.iter_mut().find(|p| p.id == pid) {
            if p.status != PENDING_WITH_BANK {
                return Err(not_pending(&p.status));
            }
            p.status = v.status.to_string();
            p.granular_status_code = v.code.clone();
            p.status_additional_info = v.info.clone();
            p.updated_at = now;
            return Ok((intent_lane(p.intent_id), payment_payload(p), payment_json(p)));
        }
        if let Some(p) = s.payments.aof_payments.iter_mut().find(|p| p.id == pid) {
            if p.status != "CREATED" && p.status != "PROCESSING" {
                return Err(not_pending(&p.status));
            }
            if v.accepted {
                p.status = "PROCESSED".to_string();
            } else {
                p.status = FAILED.to_string();
                p.failure_details = Some(json!({"code": v.code, "details": v.info}));
            }
            p.last_modified_at = now;
            let payload = aof_payload(p);
            return Ok((aof_lane(p.id), payload.clone(), payload));
        }
        Err(unknown_payment())
    })??;
    let (lane, payload, view) = updated;
    emit(app, &lane, "payment.updated", PAYMENT_UPDATED, payload);
    Ok(Json(json!({"status": "OK", "payment": view})))
}

#[derive(Deserialize)]
struct ResendWebhook {
    #[serde(default)]
    event_id: String,
}

/// Sends a logged event again now, with the same `event_id` and bytes.
async fn resend_webhook(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: ResendWebhook = body(&bytes)?;
    if req.event_id.trim().is_empty() {
        return Err(ApiError::missing_parameters("event_id is required."));
    }
    let event_id = uuid("event_id", &req.event_id)?;
    match app.webhooks.resend(&app, event_id).await {
        Ok((attempt, delivery)) => {
            Ok(Json(json!({"status": "OK", "event_id": event_id, "attempt": attempt, "delivery": delivery})))
        }
        Err(ResendError::UnknownEvent) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "UNKNOWN_EVENT",
            "No event was found for the event_id you have provided.",
        )),
        Err(ResendError::NoWebhookUrl) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "NO_WEBHOOK_URL",
            "The sandbox has no webhook_url to deliver to.",
        )),
    }
}

#[derive(Deserialize)]
struct DropWebhooks {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    count: Option<u32>,
}

/// The next `count` (default 1) events of `type` (any type if null or absent) are logged as
/// `DROPPED` and never sent. They still appear in `GET /events/v1`.
async fn drop_webhooks(State(app): State<Arc<App>>, bytes: Bytes) -> ApiResult<Json<Value>> {
    let req: DropWebhooks =
        if bytes.is_empty() { DropWebhooks { kind: None, count: None } } else { body(&bytes)? };
    let kind = match req.kind.map(|k| k.trim().to_string()) {
        Some(k) if k.is_empty() => {
            return Err(ApiError::invalid_parameters("type must be an event type or null."))
        }
        k => k,
    };
    let count = req.count.unwrap_or(1);
    if count == 0 {
        return Err(ApiError::invalid_parameters("count must be at least 1."));
    }
    let rule = app.webhooks.add_drop(kind, count);
    Ok(Json(json!({"status": "OK", "rule": rule})))
}

async fn clear_drops(State(app): State<Arc<App>>) -> Json<Value> {
    app.webhooks.clear_drops();
    Json(json!({"status": "OK"}))
}
